"""Durations as the format defines them, and as the app shows and says them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routine_timer.core.durations import (
    MAX_SECONDS,
    DurationError,
    describe,
    format_clock,
    parse_duration,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (30, 30),
        (2.5, 2.5),
        (0, 0),
        ("30", 30),
        ("2.5", 2.5),
        ("45s", 45),
        ("90 s", 90),
        ("2m", 120),
        ("1.5m", 90),
        ("1m30s", 90),
        ("1m 30s", 90),
        ("1h", 3600),
        ("1h2m3s", 3723),
        ("1:30", 90),
        ("0:45", 45),
        ("1:02:03", 3723),
        ("05s", 5),
        ("01:02:03", 3723),
        (" 30s ", 30),
        (86399.5, 86399.5),
        ("23:59:59", 86399),
        ("0s", 0),
    ],
)
def test_valid_durations(value: object, seconds: float) -> None:
    parsed = parse_duration(value)
    assert parsed == seconds
    assert type(parsed) is float


@pytest.mark.parametrize(
    ("value", "gist"),
    [
        (True, "got true"),
        (False, "got false"),
        (None, "got null"),
        ([30], "got a list"),
        ({"s": 30}, "got a mapping"),
        (-5, "negative"),
        ("-5s", "negative"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (86400, "shorter than 24 hours"),
        ("24h", "shorter than 24 hours"),
        ("1440m", "shorter than 24 hours"),
        ("24:00:00", "shorter than 24 hours"),
        ("23h 60m", "shorter than 24 hours"),
        (10**400, "shorter than 24 hours"),
        ("1:5", "after a colon"),
        ("1:60", "after a colon"),
        ("1:2:03", "after a colon"),
        ("30S", "lowercase"),
        ("1M", "lowercase"),
        ("30 sec", "units are h, m and s (did you mean '30s'"),
        ("10 seconds", "did you mean '10s'"),
        ("1 minute 30 seconds", "did you mean '1m30s'"),
        ("30 SEC", "units are lowercase h, m and s (did you mean '30s'"),
        ("1s1m", "expected seconds or units"),
        ("1m1m", "expected seconds or units"),
        (".5", "expected seconds or units"),
        ("5.", "expected seconds or units"),
        ("", "expected seconds or units"),
        ("   ", "expected seconds or units"),
        ("\u0663\u0660s", "expected seconds or units"),  # Arabic-Indic digits
    ],
)
def test_invalid_durations(value: object, gist: str) -> None:
    with pytest.raises(DurationError, match=gist.replace("(", r"\(")):
        parse_duration(value)


@given(st.integers(0, MAX_SECONDS - 1))
def test_every_clock_form_reads_back(seconds: int) -> None:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    assert parse_duration(f"{hours}:{minutes:02d}:{secs:02d}") == seconds
    assert parse_duration(f"{hours}h{minutes}m{secs}s") == seconds
    assert parse_duration(format_clock(seconds)) == seconds


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (5, "0:05"), (4.2, "0:05"), (90, "1:30"), (3723, "1:02:03"), (-3, "0:00")],
)
def test_format_clock(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (30, "30 seconds"),
        (2.5, "2.5 seconds"),
        (60, "1 minute"),
        (90, "1 minute 30 seconds"),
        (3600, "1 hour"),
        (3723, "1 hour 2 minutes 3 seconds"),
    ],
)
def test_describe(seconds: float, words: str) -> None:
    assert describe(seconds) == words


@pytest.mark.parametrize(
    "text",
    [
        "1" * 30_000 + "x",
        "1h" + " " * 12_000 + "x",
        "1" * 30_000 + ":",
        "1" * 5_000 + ":00",
        " " * 60 + "30s" + " " * 60,
        "1" * 65,
    ],
    ids=["digits", "spaces after a unit", "digits and a colon", "huge minutes", "padded", "65"],
)
def test_over_long_text_is_refused_before_it_is_read(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert f"at most 64 characters long, got {len(text):,}" in message
    assert len(message) < 200  # quotes the start of the text, not all of it


def test_the_longest_text_allowed_is_read() -> None:
    assert parse_duration(" " * 30 + "1h 2m 3s" + " " * 26) == 3723


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (10**5000, "got a number of more than 19 digits"),
        (-(10**5000), "got a number of more than 19 digits"),
        ("x" * 64, "invalid duration '" + "x" * 37 + "'...: expected"),
    ],
    ids=["huge", "huge negative", "long text"],
)
def test_messages_quote_long_values_briefly(value: object, shown: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(value)
    assert shown in str(caught.value)
