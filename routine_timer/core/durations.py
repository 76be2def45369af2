"""Durations as routine authors write them, and as people read them.

The accepted forms are those of the routine format (``docs/routine-format.md``):
plain seconds (``30``, ``2.5``, ``"30"``), unit strings (``"45s"``, ``"1m30s"``,
``"1.5m"``, ``"90 s"``) and clock strings (``"1:30"``, ``"1:02:03"``).
"""

from __future__ import annotations

import math
import re

MAX_SECONDS = 24 * 60 * 60
"""Durations must be strictly shorter than a day."""
MAX_CHARS = 64
"""Longest duration text read, spaces included; "1h 59m 59.999s" needs 14."""

_NUMBER = r"\d+(?:\.\d+)?"
# re.ASCII: only 0-9 are digits here, as in the JSON Schema (not Arabic-Indic "\u0663\u0660s").
# The spaces after a unit belong to that unit's group, so that no two \s* stand side by side
# with only optional groups between them ("1h" + 12,000 spaces once took seconds to refuse).
_UNITS_RE = re.compile(
    rf"^(?:(?P<h>{_NUMBER})\s*h\s*)?(?:(?P<m>{_NUMBER})\s*m\s*)?(?:(?P<s>{_NUMBER})\s*s)?$",
    re.ASCII,
)
_PLAIN_RE = re.compile(rf"^{_NUMBER}$", re.ASCII)
_MSS_RE = re.compile(r"^(?P<m>\d+):(?P<s>[0-5]\d)$", re.ASCII)
_HMMSS_RE = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d):(?P<s>[0-5]\d)$", re.ASCII)

EXAMPLES = '30, "45s", "1m30s", "1:30" or "1:02:03"'


class DurationError(ValueError):
    """A value that is not a valid duration; the message is meant for authors."""


def parse_duration(value: object) -> float:
    """Return the duration ``value`` denotes, in seconds.

    Raises :class:`DurationError` with an author-facing message for anything
    that is not a duration: booleans, ``None``, negative or non-finite numbers,
    malformed strings, text longer than :data:`MAX_CHARS`, and anything of
    24 hours or more.
    """
    if isinstance(value, bool) or value is None:
        raise DurationError(f"expected a duration such as {EXAMPLES}, got {_show(value)}")
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an int beyond any float: far more than a day
            seconds = 2.0 * MAX_SECONDS * (1 if value > 0 else -1)
        return _check_range(seconds, value)
    if not isinstance(value, str):
        raise DurationError(f"expected a duration such as {EXAMPLES}, got {_show(value)}")
    if len(value) > MAX_CHARS:
        # Before any other work: no real duration is this long, and the regular
        # expressions and int() below should only ever see short text.
        raise DurationError(
            f"a duration is at most {MAX_CHARS} characters long, got {len(value):,} "
            f"({_show(value)})"
        )
    return _check_range(float(_parse_text(value)), value)


def _parse_text(text: str) -> float:
    stripped = text.strip()
    if stripped.startswith("-"):
        raise DurationError(f"a duration cannot be negative, got {_show(text)}")
    if _PLAIN_RE.match(stripped):
        return float(stripped)
    if match := _MSS_RE.match(stripped):
        return int(match["m"]) * 60 + int(match["s"])
    if match := _HMMSS_RE.match(stripped):
        return int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"])
    match = _UNITS_RE.match(stripped)
    if stripped and match and any(match.groupdict().values()):
        parts = match.groupdict()
        return sum(
            float(parts[unit]) * factor
            for unit, factor in (("h", 3600), ("m", 60), ("s", 1))
            if parts[unit] is not None
        )
    raise DurationError(_explain(text))


# Units as people spell them out ("30 sec", "2 minutes", "1 hr"), for a "did you mean".
_WORDS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b\.?,?\s*(?:and\s+)?",
    re.ASCII | re.IGNORECASE,
)


def suggestion(text: str) -> str | None:
    """The duration ``text`` surely means when its units are spelled out: '30 sec' -> '30s'.

    None when ``text`` is not such a duration, or is already one.
    """
    stripped = text.strip()
    if len(stripped) > MAX_CHARS:
        return None
    parts: dict[str, str] = {}
    position = 0
    for match in _WORDS.finditer(stripped):
        unit = match[2][0].lower()
        if match.start() != position or unit in parts:
            return None
        parts[unit] = match[1]
        position = match.end()
    if not parts or position != len(stripped):
        return None
    fixed = "".join(f"{parts[unit]}{unit}" for unit in "hms" if unit in parts)
    if fixed == stripped:
        return None
    try:
        parse_duration(fixed)
    except DurationError:
        return None
    return fixed


def _explain(text: str) -> str:
    stripped = text.strip()
    shown = _show(text)
    fixed = suggestion(stripped)
    if fixed is not None:
        units = "lowercase h, m and s" if re.search(r"[HMS]", stripped) else "h, m and s"
        return f"invalid duration {shown}: units are {units} (did you mean {fixed!r}?)"
    # A digit, a colon and a digit: what "\d+:\d+" finds, without its quadratic search.
    if re.search(r"\d:\d", stripped):
        return (
            f"invalid duration {shown}: after a colon, minutes and seconds are two digits "
            'from 00 to 59 ("1:30", "1:02:03")'
        )
    if re.search(r"[HMS]", stripped):
        return f"invalid duration {shown}: units are lowercase h, m and s"
    return (
        f"invalid duration {shown}: expected seconds or units h, m, s in that order, "
        f"each at most once, such as {EXAMPLES}"
    )


def _check_range(seconds: float, value: object) -> float:
    # ``value`` is quoted only in a message: the library cache checks every duration of
    # every routine at each start, nearly all of them fine.
    if math.isnan(seconds) or math.isinf(seconds):
        raise DurationError(f"a duration must be a finite number of seconds, got {_show(value)}")
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative, got {_show(value)}")
    if seconds >= MAX_SECONDS:
        raise DurationError(f"a duration must be shorter than 24 hours, got {_show(value)}")
    return seconds


def _show(value: object) -> str:
    """The value as a message quotes it, cut short so that a message stays one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number of more than 19 digits"  # str() of a huge int is slow, even refused
    if isinstance(value, int | float):
        shown = repr(value)
        return shown if len(shown) <= 24 else shown[:20] + "..."
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def format_clock(seconds: float) -> str:
    """Format a time as people read a countdown: ``0:05``, ``1:30``, ``1:02:03``.

    Fractions are rounded up, so a countdown shows ``0:01`` until it really ends.
    """
    whole = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def describe(seconds: float) -> str:
    """Describe a length in words, as it is shown in plans and spoken aloud.

    ``30`` -> ``"30 seconds"``, ``90`` -> ``"1 minute 30 seconds"``,
    ``2.5`` -> ``"2.5 seconds"``, ``3600`` -> ``"1 hour"``.
    """
    if seconds < 60:
        return _unit(seconds, "second")
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        _unit(amount, name)
        for amount, name in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
        if amount
    ]
    return " ".join(parts)


def _unit(amount: float, name: str) -> str:
    text = f"{amount:g}"
    return f"{text} {name}" if text == "1" else f"{text} {name}s"
