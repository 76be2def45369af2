"""What the command-line tools print, made safe for any terminal and any output.

Routine names, step titles, notes and file names come from files anyone may
have written. Printed raw, an ESC sequence in a name can retitle or clear the
terminal or write to the clipboard; a file name that is not UTF-8 (which Python
holds as "surrogate escapes") or an emoji on a console that is not UTF-8
cannot be encoded at all; and a full disk or a closed pipe makes any write fail.

So every printer of the command line goes through this module:
:func:`terminal_text` turns any text into one line a person can read (control
and direction characters shown as escapes), :func:`json_text` keeps JSON
exact and valid while doing the same inside its strings, :func:`say` writes a
line, and a failed write becomes :class:`OutputError`, which the command turns
into one short message and an exit code instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import sys
from typing import Any, Final, TextIO

# C0 and C1 controls (ESC starts every terminal sequence; C1 holds 8-bit CSI and OSC),
# DEL, the characters that reverse the direction of a line, the Unicode line
# separators, and lone surrogates (bytes of a file name that is not UTF-8).
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# The same less C0, which JSON always escapes itself; its indentation is made of newlines.
_JSON_UNSAFE: Final = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_LINE_END: Final = re.compile("\r?\n")
_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


class OutputError(Exception):
    """Writing to standard output or error failed (a full disk, a closed pipe...)."""

    def __init__(self, error: OSError | None) -> None:
        self.error = error
        super().__init__(_reason(error))

    @property
    def broken_pipe(self) -> bool:
        """The reader went away (``| head``): nothing worth reporting."""
        return isinstance(self.error, BrokenPipeError)


def _reason(error: OSError | None) -> str:
    if error is None:
        return "there is no output to write to"
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    return (error.strerror or str(error)).lower()


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def terminal_text(text: object) -> str:
    """``text`` as one line that shows the same on any terminal and changes nothing in it.

    Control characters (ESC, newlines, C1), direction overrides and the bytes of
    file names that are not UTF-8 are written as escapes such as ``\\x1b``; all
    else is kept.
    """
    return _UNSAFE.sub(_escape, str(text))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_json(text: str) -> str:
    """JSON text with the characters :func:`terminal_text` escapes written as ``\\uXXXX``.

    It reads back as exactly the same document.
    """
    # Outside strings, JSON has only ASCII punctuation, digits and white space, so
    # every match is inside a string, where an escape stands for the same character.
    return _JSON_UNSAFE.sub(_json_escape, text)


def json_string(text: str) -> str:
    """``text`` as a JSON string, as ``json.dumps(text, ensure_ascii=False)`` writes it,
    with the characters :func:`terminal_text` escapes written as ``\\uXXXX``.

    A JSON document whose strings are all written so is :func:`safe_json` of it.
    """
    return _JSON_UNSAFE.sub(_json_escape, json.encoder.encode_basestring(text))


def json_text(document: Any, *, encoding: str | None = None, indent: int | None = 2) -> str:
    """``document`` as JSON that reads back the same and is safe to show on a terminal.

    Inside strings, the characters :func:`terminal_text` escapes are written as
    ``\\uXXXX`` (a non-UTF-8 file name reads back as the same Python string).
    When ``encoding`` cannot hold some character, all non-ASCII is escaped.
    """
    text = safe_json(json.dumps(document, indent=indent, ensure_ascii=False))
    if encoding is not None:
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = json.dumps(document, indent=indent, ensure_ascii=True)
    return text


def stream_encoding(stream: TextIO | None) -> str:
    """The encoding ``stream`` writes in (UTF-8 when it does not say)."""
    return getattr(stream, "encoding", None) or "utf-8"


def setup_streams() -> None:
    """Standard output and error write what their encoding lacks as ``\\u`` escapes.

    A cp1252 console then shows ``\\U0001f642`` for an emoji instead of failing.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):  # a closed or odd stream
                stream.reconfigure(errors="backslashreplace")


def write(text: str, stream: TextIO | None = None) -> None:
    """Write ``text`` as given to ``stream`` (standard output); :class:`OutputError` if it fails."""
    target = sys.stdout if stream is None else stream
    if target is None:  # started with standard output closed
        raise OutputError(None)
    try:
        target.write(text)
    except OSError as error:
        raise OutputError(error) from None
    except UnicodeEncodeError:
        # A stream set up by someone else, without escapes: escape what it cannot hold.
        encoding = stream_encoding(target)
        try:
            target.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except OSError as error:
            raise OutputError(error) from None


def say(text: object = "", stream: TextIO | None = None) -> None:
    """Write ``text`` as one safe line (see :func:`terminal_text`) to ``stream``."""
    write(terminal_text(text) + "\n", stream)


def say_lines(text: str, stream: TextIO | None = None) -> None:
    """Write text of several lines (ending in LF or CR LF), each made safe, to ``stream``."""
    lines = _LINE_END.split(text.removesuffix("\n").removesuffix("\r"))
    write("".join(terminal_text(line) + "\n" for line in lines), stream)


def flush(stream: TextIO | None = None) -> None:
    """Flush ``stream`` (standard output); :class:`OutputError` if what it holds cannot go out."""
    target = sys.stdout if stream is None else stream
    if target is None:
        return
    try:
        target.flush()
    except OSError as error:
        raise OutputError(error) from None


def silence(stream: TextIO | None) -> None:
    """Send whatever ``stream`` still holds to the null device.

    After a failed write, Python would try to flush it again on exit and print
    its own traceback; pointing the file descriptor at the null device stops that.
    """
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)


__all__ = [
    "OutputError",
    "flush",
    "json_string",
    "json_text",
    "safe_json",
    "say",
    "say_lines",
    "setup_streams",
    "silence",
    "stream_encoding",
    "terminal_text",
    "write",
]
