"""The history as JSON, CSV or a plain table: shared by the command line and the window.

Times are written in ISO 8601 with the local offset (``2026-03-02T08:30:00+01:00``),
so they are exact and read as the user's own clock.

CSV is made for spreadsheets: UTF-8 *with* a byte-order mark (without it,
Excel reads UTF-8 as the legacy code page and mangles accented names;
LibreOffice, Numbers, Google Sheets and Python's ``utf-8-sig`` all accept
it), CRLF line ends and a header row. Every cell goes through
:func:`csv_cell`, which puts a ``'`` before any text a spreadsheet could take
for a formula, so a note or a routine name can never run as one.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from json.encoder import encode_basestring
from typing import Any

from routine_timer.core.durations import format_clock
from routine_timer.storage.records import SessionRecord, StepRecord
from routine_timer.storage.rows import SessionValues, StepValues

BOM = "\ufeff"

SESSION_FIELDS = (
    "id",
    "routine_id",
    "routine_name",
    "routine_sha256",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "planned_steps",
    "steps_done",
    "steps_skipped",
    "completion",
    "pain_before",
    "pain_after",
    "rpe",
    "note",
)
STEP_FIELDS = (
    "index",
    "kind",
    "exercise",
    "set",
    "side",
    "planned_seconds",
    "actual_seconds",
    "skipped",
    "stopped_for_pain",
    "ended_at",
)
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
"""What starts a formula: = + - @, and their full-width forms, which some
spreadsheets read as the same (typed with an East Asian input method)."""

StepsBySession = Mapping[int, Sequence[StepRecord]]

ExportedSession = tuple[SessionValues, Sequence[StepValues] | None]
"""A session's values (with its completion last) and, with steps, its steps' values."""

CHUNK_ROWS = 2000
"""Rows (sessions and steps) gathered into each piece of text an export hands out."""


def group_steps(steps: Iterable[StepRecord]) -> dict[int, list[StepRecord]]:
    """Steps keyed by their session id, in order."""
    grouped: dict[int, list[StepRecord]] = {}
    for step in steps:
        grouped.setdefault(step.session_id, []).append(step)
    return grouped


_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))


class LocalTimes:
    """Times as exports write them: ISO 8601 to the second, in ``tz`` (None: local).

    A time the app wrote (``2026-03-02T07:30:00.123456+00:00``) keeps its
    minutes and seconds in local time, or moves them by a fixed number of
    minutes, for a whole hour at a time, so each hour is worked out once (as
    ``datetime.astimezone`` would) and its times are cut and pasted: that is
    the whole cost of a time in a long export. An hour whose offset changes
    inside it (a daylight-saving change) or is not whole minutes goes through
    ``datetime`` for every time, which is always the reference.
    """

    __slots__ = ("_hours", "_tz")

    def __init__(self, tz: tzinfo | None = None) -> None:
        self._tz = tz
        self._hours: dict[str, tuple[str, str, int, str] | None] = {}

    def __call__(self, moment: str | datetime) -> str:
        """``moment`` (app text or a datetime) as the export writes it."""
        if not isinstance(moment, str):
            return moment.astimezone(self._tz).isoformat(timespec="seconds")
        hour = moment[:13]
        try:
            cut = self._hours[hour]
        except KeyError:
            cut = self._hour(hour)
        if cut is None:
            return datetime.fromisoformat(moment).astimezone(self._tz).isoformat(timespec="seconds")
        first, offset, shift, after = cut
        if not shift:
            return first + moment[13:19] + offset
        minute = int(moment[14:16]) + shift
        if minute < 60:
            return f"{first}:{_TWO_DIGITS[minute]}{moment[16:19]}{offset}"
        return f"{after}:{_TWO_DIGITS[minute - 60]}{moment[16:19]}{offset}"

    def _hour(self, hour: str) -> tuple[str, str, int, str] | None:
        if len(self._hours) >= 4096:  # rows come in time order: old hours are done with
            self._hours.clear()
        start = datetime.fromisoformat(hour + ":00:00+00:00")
        cut = self._local_hour(start) if self._tz is None else self._zone_hour(start)
        self._hours[hour] = cut
        return cut

    @staticmethod
    def _local_hour(start: datetime) -> tuple[str, str, int, str] | None:
        # What datetime.astimezone() does for local time, for a whole hour at
        # once: the offset is localtime()'s for the second (changes of offset
        # fall on whole seconds), so the hour's first and last seconds tell.
        # Two changes within one hour that undo each other have never happened.
        seconds = int(start.timestamp())
        first = time.localtime(seconds)
        offset = first.tm_gmtoff
        if offset != time.localtime(seconds + 3599).tm_gmtoff or offset % 60:
            return None
        shift = first.tm_min
        after = time.localtime(seconds + (60 - shift) * 60) if shift else first
        sign, minutes = ("-", -offset // 60) if offset < 0 else ("+", offset // 60)
        return (
            f"{first.tm_year:04d}-{first.tm_mon:02d}-{first.tm_mday:02d}T{first.tm_hour:02d}",
            f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
            shift,
            f"{after.tm_year:04d}-{after.tm_mon:02d}-{after.tm_mday:02d}T{after.tm_hour:02d}",
        )

    def _zone_hour(self, start: datetime) -> tuple[str, str, int, str] | None:
        first = start.astimezone(self._tz)
        offset = first.utcoffset()
        last = (start + timedelta(hours=1, microseconds=-1)).astimezone(self._tz)
        if offset is None or offset != last.utcoffset() or offset % timedelta(minutes=1):
            return None
        text = first.isoformat(timespec="seconds")
        shift = first.minute
        after = (start + timedelta(minutes=60 - shift)).astimezone(self._tz)
        return (text[:13], text[19:], shift, after.isoformat()[:13])


_BOOL = ("false", "true")
_SESSION_JSON = (
    "  {\n"
    '    "id": %d,\n'
    '    "routine_id": %s,\n'
    '    "routine_name": %s,\n'
    '    "routine_sha256": %s,\n'
    '    "started_at": "%s",\n'
    '    "ended_at": %s,\n'
    '    "status": "%s",\n'
    '    "planned_seconds": %r,\n'
    '    "active_seconds": %s,\n'
    '    "paused_seconds": %s,\n'
    '    "planned_steps": %s,\n'
    '    "steps_done": %d,\n'
    '    "steps_skipped": %d,\n'
    '    "completion": %s,\n'
    '    "pain_before": %s,\n'
    '    "pain_after": %s,\n'
    '    "rpe": %s,\n'
    '    "note": %s'
)
_STEP_JSON_HEAD = '      {\n        "index": '
_STEP_JSON_MIDDLE = (
    ',\n        "kind": %s,\n'
    '        "exercise": %s,\n'
    '        "set": %s,\n'
    '        "side": %s,\n'
    '        "planned_seconds": %r,\n'
    '        "actual_seconds": %r,\n'
    '        "skipped": %s,\n'
    '        "stopped_for_pain": %s,\n'
    '        "ended_at": "'
)
_STEP_JSON_TAIL = '"\n      }'
_MIDDLES_KEPT = 65536


class _StepMiddles:
    """The text of a step's fields from its kind to its stopped-for-pain mark, remembered.

    A history holds a few routines done many times, so most steps repeat
    another's kind, exercise, set, side, times and marks; only the number and
    the end time differ. Those are written around the remembered middle. (A
    value equal to another but written otherwise cannot come: numbers are
    floats from REAL columns, which never hold -0.0, or ints.)
    """

    __slots__ = ("_known", "_make")

    def __init__(self, make: Callable[[StepValues], str]) -> None:
        self._known: dict[StepValues, str] = {}
        self._make = make

    def __call__(self, values: StepValues) -> str:
        key = values[3:11]
        try:
            return self._known[key]
        except KeyError:
            if len(self._known) >= _MIDDLES_KEPT:
                self._known.clear()
            text = self._known[key] = self._make(key)
            return text


def _json_middle(key: StepValues) -> str:
    kind, exercise, set_, side, planned, actual, skipped, pain = key
    text = encode_basestring
    return _STEP_JSON_MIDDLE % (
        text(kind), "null" if exercise is None else text(exercise),
        "null" if set_ is None else set_, "null" if side is None else text(side),
        planned, actual, _BOOL[skipped], _BOOL[pain],
    )  # fmt: skip


def _completion(values: SessionValues) -> float | None:
    # The query's completion column (see db.completion_sql); none while running.
    return None if values[6] == "running" else round(values[17], 4)


def json_chunks(sessions: Iterable[ExportedSession], tz: tzinfo | None = None) -> Iterator[str]:
    """The sessions as a JSON list, in pieces of text to write one after another.

    Exactly what ``json.dumps(..., indent=2, ensure_ascii=False)`` writes for
    a list of session objects (each with a "steps" list when steps are given),
    plus a final line end, but made a few rows at a time: memory stays flat
    however long the history, and a row left out never breaks the list.
    """
    local = LocalTimes(tz)
    middle = _StepMiddles(_json_middle)
    text = encode_basestring
    pieces: list[str] = []
    rows = 0
    first = True
    for values, steps in sessions:
        (id_, routine_id, name, sha256, started, ended, status, planned, active, paused,
         planned_steps, done, skipped, before, after, rpe, note) = values[:17]  # fmt: skip
        completion = _completion(values)
        pieces.append(
            ("[\n" if first else ",\n")
            + _SESSION_JSON % (
                id_, text(routine_id), text(name), text(sha256), local(started),
                "null" if ended is None else f'"{local(ended)}"', status, planned,
                "null" if active is None else repr(active),
                "null" if paused is None else repr(paused),
                "null" if planned_steps is None else planned_steps, done, skipped,
                "null" if completion is None else repr(completion),
                "null" if before is None else before, "null" if after is None else after,
                "null" if rpe is None else rpe, "null" if note is None else text(note),
            )
        )  # fmt: skip
        first = False
        if steps is not None:
            if not steps:
                pieces.append(',\n    "steps": []')
            else:
                step_texts = [
                    f"{_STEP_JSON_HEAD}{step[2]}{middle(step)}{local(step[11])}{_STEP_JSON_TAIL}"
                    for step in steps
                ]
                pieces.append(',\n    "steps": [\n' + ",\n".join(step_texts) + "\n    ]")
                rows += len(step_texts)
        pieces.append("\n  }")
        rows += 1
        if rows >= CHUNK_ROWS:
            yield "".join(pieces)
            pieces.clear()
            rows = 0
    pieces.append("[]\n" if first else "\n]\n")
    yield "".join(pieces)


def csv_cell(value: Any) -> Any:
    """One value as a CSV cell that a spreadsheet shows as it is and never runs.

    Text gets a leading ``'`` when it starts with a formula character
    (``=``, ``+``, ``-``, ``@``), with a character that is not printable
    (tab, carriage return, line feed, NUL and every other control or format
    character), or with any run of those and spaces before a formula
    character: spreadsheets drop some of them (a NUL, a zero-width space)
    and would then read a NUL followed by ``=cmd`` as ``=cmd``. None is an
    empty cell.
    """
    if type(value) is str and value[:1].isalnum():
        return value  # the common case, first: nothing a spreadsheet could run
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value:
        shown = 0
        while shown < len(value) and (value[shown] == " " or not value[shown].isprintable()):
            shown += 1
        if not value[0].isprintable() or value[shown : shown + 1] in _FORMULA_STARTS:
            return "'" + value
    return value


class _Lines(list[str]):
    """What a ``csv.writer`` writes, kept as a list of lines."""

    __slots__ = ()

    @property
    def write(self) -> Callable[[str], None]:
        return self.append


def _cell(value: Any) -> Any:
    return csv_cell(value) if type(value) is str else ("" if value is None else value)


def _csv_middle(key: StepValues) -> str:
    kind, exercise, set_, side, planned, actual, skipped, pain = key
    lines = _Lines()
    csv.writer(lines).writerow(
        [csv_cell(kind), _cell(exercise), _cell(set_), _cell(side), planned, actual,
         _BOOL[skipped], _BOOL[pain]]
    )  # fmt: skip
    return lines[0][:-2]  # without its line end


def csv_chunks(
    sessions: Iterable[ExportedSession], *, with_steps: bool, tz: tzinfo | None = None
) -> Iterator[str]:
    """The sessions as CSV, starting with a byte-order mark, in pieces of text.

    One row per session; ``with_steps``, one row per step instead, repeating
    the session's columns (a session without steps keeps one row with the
    step columns empty). A ``date`` column (local ``YYYY-MM-DD``) is added
    for sorting and filtering in a spreadsheet. Made a few rows at a time, so
    memory stays flat however long the history.
    """
    local = LocalTimes(tz)
    middle = _StepMiddles(_csv_middle)
    lines = _Lines()
    writer = csv.writer(lines)  # excel dialect: CRLF, quotes only where needed
    header = ["date", *SESSION_FIELDS]
    if with_steps:
        header += [f"step_{name}" for name in STEP_FIELDS]
    writer.writerow(header)
    lines[0] = BOM + lines[0]
    no_steps = [""] * len(STEP_FIELDS)
    for values, steps in sessions:
        (id_, routine_id, name, sha256, started, ended, status, planned, active, paused,
         planned_steps, done, skipped, before, after, rpe, note) = values[:17]  # fmt: skip
        started_text = local(started)
        completion = _completion(values)
        # Only text can need csv_cell; None is an empty cell (as _cell makes it).
        row = [
            started_text[:10], id_, csv_cell(routine_id), csv_cell(name), csv_cell(sha256),
            started_text, "" if ended is None else local(ended), status, planned,
            "" if active is None else active, "" if paused is None else paused,
            "" if planned_steps is None else planned_steps, done, skipped,
            "" if completion is None else completion, "" if before is None else before,
            "" if after is None else after, "" if rpe is None else rpe,
            "" if note is None else csv_cell(note),
        ]  # fmt: skip
        if not with_steps:
            writer.writerow(row)
        elif not steps:
            writer.writerow(row + no_steps)
        else:
            # The session's cells are written once; each step's row is them, then
            # its own cells, which is what the writer makes of the whole row.
            writer.writerow(row)
            session_cells = lines.pop()[:-2]
            lines.extend(
                f"{session_cells},{step[2]},{middle(step)},{local(step[11])}\r\n" for step in steps
            )
        if len(lines) >= CHUNK_ROWS:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


def _pain(session: SessionRecord) -> str:
    if session.pain_before is None and session.pain_after is None:
        return ""
    before = "-" if session.pain_before is None else str(session.pain_before)
    after = "-" if session.pain_after is None else str(session.pain_after)
    return f"{before} -> {after}"


def _duration(seconds: float | None) -> str:
    return "" if seconds is None else format_clock(round(seconds))


def to_table(
    sessions: Sequence[SessionRecord], steps: StepsBySession | None = None, tz: tzinfo | None = None
) -> str:
    """A plain-text table for a terminal, one line per session (and per step)."""
    header = ("Id", "Started", "Routine", "Status", "Time", "Done", "Skipped", "Pain", "RPE")
    rows = [
        (
            str(s.id),
            s.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            s.routine_name,
            s.status,
            _duration(s.active_seconds),
            str(s.steps_done),
            str(s.steps_skipped),
            _pain(s),
            "" if s.rpe is None else str(s.rpe),
        )
        for s in sessions
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [line(header).rstrip(), line(["-" * width for width in widths])]
    for session, row in zip(sessions, rows, strict=True):
        lines.append(line(row).rstrip())
        if session.note:
            lines.append(f"    Note: {session.note}")
        for step in (steps or {}).get(session.id, []):
            lines.append("    " + _step_line(step))
    return "\n".join(lines) + "\n"


def _step_line(step: StepRecord) -> str:
    what = step.exercise or step.kind.capitalize()
    if step.set is not None:
        what += f", set {step.set}"
    if step.side:
        what += f", {step.side}"
    timing = _duration(step.actual_seconds)
    if step.planned_seconds:
        timing += f" of {_duration(step.planned_seconds)}"
    flags = [flag for flag, on in (("skipped", step.skipped),
                                   ("stopped: pain", step.stopped_for_pain)) if on]  # fmt: skip
    return "  ".join([f"{step.kind:<8}", what, timing, *flags])
