"""What the loader adds to a message so that an author can fix the file at once.

The loader decides *what* is wrong; this module finds the likely intent
behind a mistake and says it in a few words:

- fix-its: the key a peer app or a slip of the hand would have written
  (``duration`` -> ``time``, ``Time`` -> ``time``), the right shape of a
  ``say`` entry, "remove the quotes" around a count, "is a '- ' missing?"
  when two list items ran together, a picture whose name differs only in
  capitals;
- warnings: values that YAML reads without complaint but not as a person
  meant them (``time: 1.30`` is 1.3 seconds, ``sets: 010`` is 8, a ``#``
  after a space cuts a name short).

Every check here looks only at scalars that can be a trap (by their YAML
type and, for comments, at the few characters after a plain text value), so
that a valid file costs next to nothing extra.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path, PurePosixPath
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode

from routine_timer.core import yaml_nodes
from routine_timer.core.durations import DurationError, describe, parse_duration
from routine_timer.core.rules import IMAGE_SUFFIXES
from routine_timer.core.yaml_nodes import BOOL, FLOAT, INT, STR

# --------------------------------------------------------------------------
# Keys

SYNONYMS: Final[dict[str, str]] = {
    # what other timer apps and plain English call our keys
    "levels": "ladder",
    "level": "ladder",
    "rungs": "ladder",
    "variant": "variations",
    "variation": "variations",
    "title": "name",
    "label": "name",
    "exercise": "name",
    "duration": "time",
    "seconds": "time",
    "secs": "time",
    "length": "time",
    "work": "time",
    "work_time": "time",
    "worktime": "time",
    "repetitions": "reps",
    "repeats": "reps",
    "count": "reps",
    "hold_time": "hold",
    "holdtime": "hold",
    "hold_for": "hold",
    "pause": "release",
    "rest_time": "rest",
    "resttime": "rest",
    "rest_between": "rest",
    "rest_between_sets": "rest",
    "break": "rest",
    "recovery": "rest",
    "rest_after_exercise": "rest_after",
    "rep_duration": "rep_time",
    "tempo": "rep_time",
    "pace": "rep_time",
    "side": "sides",
    "series": "sets",
    "laps": "rounds",
    "circuits": "rounds",
    "repeat": "rounds",
    "rest_between_rounds": "round_rest",
    "get_ready": "prepare",
    "countdown": "prepare",
    "lead_in": "prepare",
    "tips": "cues",
    "notes": "cues",
    "instructions": "cues",
    "coaching": "cues",
    "announce": "say",
    "announcements": "say",
    "speak": "say",
    "voice": "say",
    "regression": "easier",
    "easy": "easier",
    "progression": "harder",
    "hard": "harder",
    "picture": "image",
    "photo": "image",
    "img": "image",
    "summary": "description",
    "desc": "description",
    "version": "format",
    "slug": "id",
    "moves": "exercises",
    "steps": "exercises",
    "workout": "exercises",
    "routine": "exercises",
    "sections": "blocks",
    "groups": "blocks",
    "parts": "blocks",
    "drawing": "figure",
    "illustration": "figure",
    # in a 'say' entry
    "offset": "at",
    "remaining": "left",
    "before_end": "left",
    "after": "at",
    "message": "text",
    "words": "text",
}
"""Keys people write for ours; one is suggested only where it is a known key."""


def key_suggestion(name: str, known: tuple[str, ...]) -> str | None:
    """The known key ``name`` was most likely meant to be, or None.

    In this order: the same key in other capitals or with '-' or ' ' for '_'
    (``Time``, ``rest-after``), a synonym (``duration``), a close spelling
    (``hodl``).
    """
    folded = name.strip().lower().replace("-", "_").replace(" ", "_")
    if folded in known:
        return folded
    # A near-perfect spelling ('exercise' for 'exercises') beats a synonym.
    closest = difflib.get_close_matches(folded[:100], known, n=1, cutoff=0.85)
    if closest:
        return closest[0]
    synonym = SYNONYMS.get(folded)
    if synonym is not None and synonym in known:
        return synonym
    close = difflib.get_close_matches(name[:100], known, n=1)
    return close[0] if close else None


# --------------------------------------------------------------------------
# Values that are not what they look like


_MINUTES_SECONDS: Final = re.compile(r"(\d+)\.([0-5]\d)")
_OCTAL: Final = re.compile(r"[-+]?0[0-7_]+")
_SPOKEN: Final = frozenset({"yes", "no", "on", "off", "y", "n"})


def duration_trap(name: str, value: ScalarNode, seconds: float) -> str | None:
    """A warning for a duration that is valid but surely not what was meant."""
    text: str = value.value
    if value.tag in (FLOAT, STR) and "." in text:
        match = _MINUTES_SECONDS.fullmatch(text.strip())
        if match is not None:
            minutes, secs = int(match[1]), match[2]
            return (
                f"'{name}' is {describe(seconds)}; did you mean \"{minutes}:{secs}\" "
                f"or {_units(minutes, int(secs))}?"
            )
    return octal_trap(name, value)


def _units(minutes: int, seconds: int) -> str:
    if not minutes:
        return f"{seconds}s"
    return f"{minutes}m{seconds}s" if seconds else f"{minutes}m"


def octal_trap(name: str, value: ScalarNode) -> str | None:
    """A warning for an unquoted number with a leading zero, which YAML reads in base 8."""
    if value.tag != INT or value.style:
        return None
    text: str = value.value
    if not _OCTAL.fullmatch(text):
        return None
    meant = text.lstrip("+-0").replace("_", "") or "0"
    read = int(text.replace("_", ""), 8)
    return (
        f"'{name}': YAML reads {text} as {read} (a number with a leading 0 is octal); "
        f"did you mean {meant}?"
    )


def comment_trap(name: str, value: ScalarNode, raw: str) -> tuple[int, int, str] | None:
    """A warning when a ``#`` right after a plain text value cut it short.

    ``name: Plank #2 wide`` reads "Plank": YAML starts a comment at a ``#``
    after a space. A comment that starts with ``# `` (a space after the
    hash) is taken as a real comment. Returns (line, column, message).
    """
    if value.style or value.tag != STR or not raw:
        return None
    end = value.end_mark
    index = end.index
    position = index
    while position < len(raw) and raw[position] in " \t":
        position += 1
    if position == index or raw[position : position + 1] != "#":
        return None
    after = raw[position + 1 : position + 2]
    if not after or after in " \t\r\n#":
        return None
    line_end = min(
        (found for found in (raw.find("\n", position), raw.find("\r", position)) if found != -1),
        default=len(raw),
    )
    cut = raw[position:line_end].rstrip()
    shown = cut if len(cut) <= 40 else cut[:37] + "..."
    column = end.column + 1 + (position - index)
    return (
        end.line + 1,
        column,
        f"'{name}' reads {_quoted(value.value)}: ' #' starts a comment, so {shown!r} is left "
        "out (put the whole text in quotes to keep it)",
    )


def not_text_hint(value: Node) -> str:
    """What to add when a text was expected and ``value`` is something else."""
    if type(value) is MappingNode:
        pair = _plain_pair(value)
        if pair is not None:
            return (
                f": the ': ' in {_cut(': '.join(pair))!r} makes it a key and a value "
                "(put the whole text in quotes)"
            )
        return ""
    if type(value) is not ScalarNode:
        return ""
    if value.tag == BOOL and value.value.lower() in _SPOKEN:
        return (
            f" (YAML reads {value.value} as {'true' if _truthy(value.value) else 'false'}; "
            "put it in quotes to make it text)"
        )
    return " (put it in quotes to make it text)"


def _truthy(word: str) -> bool:
    return word.lower() in ("yes", "on", "y", "true")


def quoted_number_hint(value: Node) -> str:
    """What to add for a whole number written in quotes (``sets: "3"``)."""
    if type(value) is ScalarNode and value.tag == STR and value.value.strip().isdecimal():
        return " (remove the quotes to make it a number)"
    return ""


def _plain_pair(mapping: MappingNode) -> tuple[str, str] | None:
    """(key, value) as written, for a mapping of one pair of plain values; None otherwise."""
    if len(mapping.value) != 1:
        return None
    key, value = mapping.value[0]
    if type(key) is not ScalarNode or type(value) is not ScalarNode:
        return None
    return key.value, value.value


def _quoted(text: str) -> str:
    return repr(_cut(text))


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------
# Shapes


_SAY_TEXT: Final = re.compile(r"\s*([^:]{1,20}?)\s*:\s+(.+)", re.DOTALL)


def say_entry_problem(item: Node) -> str | None:
    """The message for a 'say' entry of the wrong shape; None for a mapping to check key by key.

    ``"10s: text"`` (one text) and ``{10s: text}`` (a duration as the key)
    both mean ``at: 10s`` with ``text: text``, and the message shows that.
    """
    at: str | None = None
    text: str | None = None
    got = yaml_nodes.describe(item)
    if type(item) is ScalarNode and item.tag == STR:
        match = _SAY_TEXT.fullmatch(item.value)
        if match is not None and _is_duration(match[1]):
            at, text = match[1], match[2].strip()
    elif type(item) is MappingNode:
        pair = _plain_pair(item)
        if pair is None or pair[0] in ("at", "text") or not _is_duration(pair[0]):
            return None
        at, text = pair
        got = "{" + _cut(f"{at}: {text}") + "}"
    message = f"each 'say' entry must be a mapping with 'at' and 'text', got {got}"
    if at is None or text is None:
        return message
    return f"{message}; write it as '- at: {at}' with '  text: {_cut(text)}' on the next line"


def say_list_hint(value: Node) -> str:
    """What to add when 'say' is not a list: a single entry wants its '- '."""
    if type(value) is not MappingNode:
        return ""
    return "; start each entry with '- ', as in '- at: 10s' with '  text: ...' on the next line"


def _is_duration(text: str) -> bool:
    try:
        parse_duration(text)
    except DurationError:
        return False
    return True


def starts_entry(mapping: MappingNode, key: Node) -> bool:
    """Whether ``key``, a repeat of ``mapping``'s first key, looks like a new list item.

    Two exercises (or 'say' entries) run together when the '- ' before the
    second was forgotten: its first key then repeats the first key of the
    mapping, at the same indentation, in a block mapping that is not the
    top level.
    """
    if mapping.flow_style or not mapping.value:
        return False
    first = mapping.value[0][0]
    return (
        type(first) is ScalarNode
        and type(key) is ScalarNode
        and first.value == key.value
        and first.start_mark.column == key.start_mark.column > 0
    )


MISSING_DASH: Final = (
    ": is a '- ' missing at the start of this line? Without it, two list items run together"
)


# --------------------------------------------------------------------------
# Pictures


def picture_hint(written: str, folder: Path) -> str:
    """What to add for a missing picture that exists under another spelling ('Plank.PNG').

    Only for a relative path that stays inside ``folder``; looks in the
    folder the path names, for a name equal but for capitals or close to it.
    """
    relative = PurePosixPath(written)
    if relative.is_absolute() or ".." in relative.parts or not relative.name:
        return ""
    where = folder.joinpath(*relative.parts[:-1])
    try:
        with os.scandir(where) as listing:
            names = [
                entry.name
                for entry in listing
                if entry.is_file() and Path(entry.name).suffix.lower() in IMAGE_SUFFIXES
            ]
    except (OSError, ValueError):
        return ""
    names = [name for name in names if name != relative.name]
    for name in sorted(names):
        if name.lower() == relative.name.lower():
            return f" (did you mean {str(relative.with_name(name))!r}?)"
    close = difflib.get_close_matches(relative.name, sorted(names), n=1, cutoff=0.75)
    if close:
        return f" (did you mean {str(relative.with_name(close[0]))!r}?)"
    return ""
