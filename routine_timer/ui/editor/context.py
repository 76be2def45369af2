"""What the routine editor needs to know about the text around the cursor (no Qt here).

* :func:`completion_at`: which keys (or values) make sense where the cursor is:
  top-level keys at column 0, exercise keys inside an item of ``exercises``,
  ``at``/``text`` inside a ``say`` entry, ``both``/``alternate`` after
  ``sides:``, as the JSON Schema lists them (:mod:`.schema`). It finds the
  place from indentation only, so it works on half-written, invalid text,
  which is what an editor mostly holds.
* :func:`error_span`: how much of a line to underline for an error reported at
  a column: the key, the quoted string, or the value up to a comment.
* :func:`offset_of`: the character offset of a loader ``line:col`` in a text.
* :func:`check_text`: everything the editor shows about one version of the
  text (problems with their underlines, the timeline's rows and total),
  computed in one go so that it can run away from the GUI thread.
* :func:`new_line_indent`: how far Enter indents the next line.
* :func:`unified_diff`: the file on disk against the text in the editor.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from routine_timer.core import loader, yaml_nodes
from routine_timer.core.errors import RoutineError, RoutineFileError, in_file_order
from routine_timer.core.library import taken_elsewhere
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.core.plan_text import TimelineRow, timeline_rows, total_line
from routine_timer.ui.editor.schema import Choice, SchemaHints, shipped_hints

_log = logging.getLogger(__name__)

# The loader's own lists, for the highlighter's colour of a known key.
KNOWN_KEYS: Final[frozenset[str]] = loader.KNOWN_KEYS

_SHAPE = re.compile(r"( *)(- +)?")
# Greedy, with the spaces before the colon trimmed in Python (see _key_name): a
# lazy group followed by ``\s*:`` backtracks over every space for every
# character, which took seconds on one line of 30,000 spaces.
_KEY = re.compile(r"([^\s#'\"{}\[\],&*!|>%@`][^#:]*):(?:\s|$)")
_KEY_PREFIX = re.compile(r"( *)(- +)?([A-Za-z_]*)")
_VALUE_PREFIX = re.compile(r"( *)(- +)?([A-Za-z_]+)\s*:\s*([A-Za-z0-9_-]*)")
_NOTHING_MORE = re.compile(r"\s*(?:#.*)?")


@dataclass(frozen=True, slots=True)
class Completion:
    """Words that fit at the cursor, and the part of one already typed."""

    kind: str
    """``"key"`` or ``"value"``."""
    prefix: str
    choices: tuple[Choice, ...]
    """Each word with what the schema says about it."""
    blocks: frozenset[str] = frozenset()
    """Keys whose value is always written on the lines below (a list or a mapping)."""

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(choice.word for choice in self.choices)

    @property
    def matching(self) -> tuple[str, ...]:
        """The candidates that start with what is typed (ignoring case)."""
        typed = self.prefix.lower()
        return tuple(word for word in self.candidates if word.lower().startswith(typed))


@dataclass(frozen=True, slots=True)
class _Line:
    indent: int
    dash: int | None
    """Column of a list item's ``-``, if the line starts one."""
    key_col: int
    """Column where the line's content (after any ``- ``) starts."""
    key: str | None
    opens: bool
    """The key's value is on the lines below (nothing but a comment follows ``key:``)."""


def _shape(line: str) -> _Line | None:
    """The line's structure, or None for blank and comment-only lines."""
    match = _SHAPE.match(line)
    assert match is not None
    rest = line[match.end() :]
    dash = len(match.group(1)) if match.group(2) else None
    if dash is None and (not rest.strip() or rest.lstrip().startswith("#")):
        return None
    key = _KEY.match(rest)
    opens = key is not None and _NOTHING_MORE.fullmatch(rest, key.end()) is not None
    return _Line(len(match.group(1)), dash, match.end(), _key_name(key) if key else None, opens)


def _key_name(match: re.Match[str]) -> str:
    """The key a :data:`_KEY` match found, without the spaces before its colon."""
    return match.group(1).rstrip()


def completion_at(
    lines: Sequence[str], line: int, column: int, hints: SchemaHints | None = None
) -> Completion | None:
    """What could be typed at ``column`` (0-based, in characters) of ``lines[line]``.

    ``lines`` may be a lazy view of a document: at most :data:`SCAN_LINES`
    lines on each side of ``line`` are read. The words come from ``hints``
    (by default the schema shipped with the app).

    None when nothing of the format fits there (inside a value, a comment, a
    list of cues ...).
    """
    hints = shipped_hints() if hints is None else hints
    text = lines[line]
    before, after = text[:column], text[column:]
    if hints is None or (after.strip() and not after.lstrip().startswith("#")):
        return None  # only at the end of what is written on the line
    value = _VALUE_PREFIX.fullmatch(before)
    if value is not None:
        dash = len(value.group(1)) if value.group(2) else None
        place = _place(lines, line, value.start(3), dash)
        choices = () if place is None else hints.values(place, value.group(3))
        return Completion("value", value.group(4), choices) if choices else None
    key = _KEY_PREFIX.fullmatch(before)
    if key is None:
        return None
    dash = len(key.group(1)) if key.group(2) else None
    key_col = key.start(3)
    place = _place(lines, line, key_col, dash)
    if place is None:
        return None
    present = _sibling_keys(lines, line, key_col, dash)
    choices = tuple(choice for choice in hints.keys(place) if choice.word not in present)
    if not choices:
        return None
    blocks = frozenset(c.word for c in choices if hints.opens_block(place, c.word))
    return Completion("key", key.group(3), choices, blocks)


SCAN_LINES: Final = 2000
"""Lines read above and below the cursor to find its context.

Completion runs on every keystroke, so it reads at most this many lines on
each side (about 8 ms), never the whole document (0.5 s for 100,000 lines).
Past that, in a list of some 500 exercises, it offers nothing rather than a
guess, and a mapping longer than that may have a key offered again that it
already has (the check then reports the duplicate)."""


def _upwards(line: int) -> range:
    return range(line - 1, max(line - 1 - SCAN_LINES, -1), -1)


def _downwards(lines: Sequence[str], line: int) -> range:
    return range(line + 1, min(line + 1 + SCAN_LINES, len(lines)))


def _place(
    lines: Sequence[str], line: int, key_col: int, dash: int | None
) -> tuple[str, ...] | None:
    """The keys from the top level to the mapping whose keys start at ``key_col`` on ``line``.

    ``dash`` is the column of the ``-`` when ``line`` starts a list item. Read
    from the indentation alone, upwards; list items are left out of the keys
    (``("exercises", "say")``). None when the line is not in a mapping of
    nested keys (inside a text, a list of texts, a flow ``[...]`` ...).
    """
    path: list[str] = []
    col, item = key_col, dash
    """The mapping's key column, and its ``-`` while it is a list item whose list is sought."""
    for index in _upwards(line):
        if col == 0 and item is None:
            break
        shape = _shape(lines[index])
        if shape is None:
            continue
        if item is None:
            if shape.key_col == col and shape.dash is not None:
                item = shape.dash  # the mapping's first line: an item of a list
                continue
            if shape.key_col >= col:
                continue  # a key of the same mapping, or something deeper in it
        elif shape.dash == item or shape.indent > item:
            continue  # an earlier item of the list, or inside one
        elif shape.key_col > item:
            return None
        # The key that holds this mapping (or its list) as its value.
        if shape.key is None or not shape.opens:
            return None
        path.append(shape.key)
        col, item = shape.key_col, shape.dash
    if col != 0 or item is not None:
        return None
    return tuple(reversed(path))


def _sibling_keys(lines: Sequence[str], line: int, key_col: int, dash: int | None) -> set[str]:
    """Keys already given in the mapping the cursor is in (to leave them out)."""
    found: set[str] = set()
    item_dash = dash
    # Upwards to the start of the mapping (the item's "-", or the top).
    if dash is None:
        for index in _upwards(line):
            shape = _shape(lines[index])
            if shape is None:
                continue
            if shape.key_col == key_col and shape.key:
                found.add(shape.key)
            if shape.dash is not None and shape.key_col == key_col:
                item_dash = shape.dash
                break
            if shape.key_col < key_col:
                break
    # Downwards to the end of the mapping.
    for index in _downwards(lines, line):
        shape = _shape(lines[index])
        if shape is None:
            continue
        if shape.indent < key_col and not (
            item_dash is None and key_col == 0 and shape.indent == 0
        ):
            break
        if shape.dash is not None and shape.dash == item_dash:
            break
        if shape.key_col == key_col and shape.dash is None and shape.key:
            found.add(shape.key)
    return found


# --------------------------------------------------------------------------
# Indentation

INDENT: Final = 2
"""Spaces per level, as the bundled routines are written (YAML forbids tabs here)."""
_ITEM_START = re.compile(r"( *)((?:- +)*)")
_OPENS_BLOCK = re.compile(r"(?::|:\s+[|>][-+0-9]*)\s*(?:\s#.*)?$")
"""A line whose value follows on the next lines: ``key:``, or a ``|``/``>`` text."""


def new_line_indent(before: str) -> int:
    """The indentation Enter gives the new line, from the text before the cursor.

    The same as the line's, one level more after ``key:`` (or ``key: |``).
    A list item ``- key: value`` (or a bare ``-``) lines the next line up
    with its first key, the next key of the same item; after a text item
    (``- Breathe out``) the next line stays at the ``-``, ready for the next item.
    """
    shape = _ITEM_START.match(before)
    assert shape is not None  # the pattern also matches nothing
    indent = len(shape.group(1))
    content = before[shape.end() :]
    if shape.group(2) and (not content.strip() or _KEY.match(content)):
        indent = shape.end()
    if _OPENS_BLOCK.search(before) and before.strip(" -"):
        indent += INDENT
    return indent


def dedent_width(indent: int) -> int:
    """Spaces that one level less removes from ``indent`` leading spaces (to a whole level)."""
    return min(indent, indent % INDENT or INDENT)


def unified_diff(disk: str, mine: str, name: str) -> str:
    """``disk`` against ``mine`` as a unified diff ("" when they are the same)."""
    lines = difflib.unified_diff(
        disk.splitlines(keepends=True),
        mine.splitlines(keepends=True),
        f"{name} (on disk)",
        f"{name} (here, not saved)",
    )
    return "".join(line if line.endswith("\n") else f"{line}\n" for line in lines)


# --------------------------------------------------------------------------
# Diagnostics

_QUOTES: Final = "'\""


def error_span(line: str, col: int) -> int:
    """How many characters to underline from ``col`` (0-based) for an error there.

    A key (``hodl:``) is underlined up to its colon, a quoted string up to its
    closing quote, any other value up to a comment or the end of the line (in
    a ``[...]``/``{...}`` up to the next ``,``). 0 when the column is past the
    text.
    """
    rest = line[col:]
    if not rest.strip():
        return 0
    if rest[0] in _QUOTES:
        end = rest.find(rest[0], 1)
        if end > 0:
            return end + 1
    key = _KEY.match(rest)
    if key is not None:
        return len(_key_name(key))
    if rest[0] in "[{":
        return 1
    end = len(rest)
    comment = re.search(r"\s#", rest)
    if comment is not None:
        end = comment.start()
    if re.search(r"[\[{]", line[:col]):
        flow_end = re.search(r"[,\]}]", rest)
        if flow_end is not None:
            end = min(end, flow_end.start())
    return max(1, len(rest[:end].rstrip()))


def offset_of(text: str, line: int, col: int) -> int:
    """The character offset of 1-based ``line``/``col`` as the loader counts them."""
    start, number = 0, 1
    if line > 1:
        for match in yaml_nodes._BREAK.finditer(text):
            number += 1
            start = match.end()
            if number == line:
                break
    return min(start + max(col, 1) - 1, len(text))


_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


def diagnostic_spans(text: str, errors: Sequence[RoutineError]) -> list[tuple[int, int]]:
    """(start, end) of the underline of each error, as Qt counts positions (UTF-16 units).

    One pass over the text for all the errors together, however many there are.
    """
    last_line = max((error.line for error in errors), default=1)
    starts = [0]
    if last_line > 1:
        for match in yaml_nodes._BREAK.finditer(text):
            starts.append(match.end())
            if len(starts) == last_line:
                break
    # Qt counts a character beyond the BMP (an emoji) as two units.
    astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
    spans = []
    for error in errors:
        index = min(starts[min(error.line, len(starts)) - 1] + max(error.col, 1) - 1, len(text))
        line_start = text.rfind("\n", 0, index) + 1
        line_end = text.find("\n", index)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        start, end = index, index + error_span(line, index - line_start)
        if astral:
            start += bisect.bisect_left(astral, start)
            end += bisect.bisect_left(astral, end)
        spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What checking one version of the text found."""

    generation: int
    """The caller's number for that version of the text, to tell stale results."""
    errors: tuple[RoutineError, ...]
    """Every problem, in file order: the errors, and the warnings (``is_warning``)."""
    spans: tuple[tuple[int, int], ...]
    """The underline of each error (see :func:`diagnostic_spans`)."""
    timeline: Timeline | None
    """None when the text has errors (warnings alone leave it)."""
    rows: tuple[TimelineRow, ...] = ()
    """Start, kind, length and title of the timeline's first steps."""
    total: str = ""
    """The total line, with the same figures as ``routine-timer plan``."""


def check_text(
    text: str,
    path: str | os.PathLike[str],
    generation: int = 0,
    *,
    max_rows: int = 2000,
    owners: Mapping[str, Path] | None = None,
) -> CheckResult:
    """Check ``text`` as the file at ``path`` and prepare all the editor shows about it.

    ``owners`` are the library's ids and the files that hold them
    (:func:`~routine_timer.core.library.id_owners`): an id another file holds
    is an error, as in the library. Never raises: bad text gives errors, and an
    unexpected failure is logged and reported as one error at the top of the file.
    """
    try:
        try:
            routine = loader.parse_routine(text, path)
        except RoutineFileError as failure:
            errors = in_file_order(failure.errors + failure.warnings)
            return CheckResult(generation, errors, tuple(diagnostic_spans(text, errors)), None)
        clash = taken_elsewhere(owners or {}, Path(path), routine, text)
        if clash is not None:
            errors = in_file_order((clash, *routine.warnings))
            return CheckResult(generation, errors, tuple(diagnostic_spans(text, errors)), None)
        timeline = build_timeline(routine)
        rows = tuple(timeline_rows(timeline, max_rows))
        warnings = routine.warnings
        spans = tuple(diagnostic_spans(text, warnings))
        return CheckResult(
            generation, warnings, spans, timeline, rows, f"Total {total_line(timeline)}"
        )
    except Exception as exc:  # the promise: no text ever ends in a traceback
        _log.exception("checking %s failed", path)
        error = RoutineError(
            os.fspath(path), 1, 1, f"cannot check the file (internal error: {type(exc).__name__})"
        )
        return CheckResult(generation, (error,), ((0, 0),), None)
