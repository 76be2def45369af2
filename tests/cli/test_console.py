"""Text for a terminal: control sequences, odd file names and odd consoles are shown safely."""

from __future__ import annotations

import errno
import io
import json

import pytest

from routine_timer import console

HOSTILE = [
    "\x1b]0;pwned\x07",  # OSC: retitles the terminal
    "\x1b[2J\x1b[H",  # CSI: clears the screen
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: writes the clipboard
    "\x9b2J",  # the same CSI in its 8-bit (C1) form
    "line\nbreak\rback\ttab\x00nul\x7fdel",
    "\u202eevil\u2066",  # direction overrides turn the rest of the line around
    "caf\udce9.yaml",  # a file name that is not UTF-8, as os.fsdecode holds it
]


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_leaves_no_control_character(text: str) -> None:
    shown = console.terminal_text(text)
    assert shown.isprintable()
    assert shown.encode("utf-8")  # no lone surrogates left
    assert "\n" not in shown


def test_terminal_text_shows_what_it_escaped() -> None:
    assert console.terminal_text("\x1b]0;t\x07") == "\\x1b]0;t\\x07"
    assert console.terminal_text("a\nb\tc") == "a\\nb\\tc"
    assert console.terminal_text("caf\udce9.yaml") == "caf\\xe9.yaml"
    assert console.terminal_text("\u202eabc") == "\\u202eabc"


def test_terminal_text_keeps_ordinary_text() -> None:
    text = "Runner's café core 🙂, 10 x 30 s, 日本語 \u2013 ok"
    assert console.terminal_text(text) == text


@pytest.mark.parametrize("text", [*HOSTILE, "Café 🙂"])
def test_json_text_reads_back_the_same_and_shows_nothing_raw(text: str) -> None:
    document = {"name": text, "list": [text, 1, None]}
    for encoding in (None, "utf-8", "cp1252", "ascii"):
        written = console.json_text(document, encoding=encoding)
        assert json.loads(written) == document
        assert all(char.isprintable() or char in "\n " for char in written)
        if encoding is not None:
            written.encode(encoding)


@pytest.mark.parametrize("text", [*HOSTILE, "Café 🙂", 'quote " and \\', "\u2028\u2029\u061c\x85"])
def test_a_json_string_is_the_safe_json_of_that_string(text: str) -> None:
    # So a document written a string at a time is safe_json of the whole document.
    written = console.json_string(text)
    assert written == console.safe_json(json.dumps(text, ensure_ascii=False))
    assert json.loads(written) == text


def test_say_turns_a_failed_write_into_an_output_error() -> None:
    class Full(io.StringIO):
        def write(self, _text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(console.OutputError) as caught:
        console.say("hello", Full())
    assert str(caught.value) == "no space left on the device"
    assert not caught.value.broken_pipe


def test_a_stream_without_escapes_still_takes_any_text() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")  # errors="strict"
    console.say("smile 🙂", stream)
    stream.flush()
    assert raw.getvalue() == b"smile \\U0001f642\n"
