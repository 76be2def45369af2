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

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from json.encoder import encode_basestring
from typing import Any, Generic, TypeVar

from routine_timer.core.durations import format_clock
from routine_timer.storage.backcare import ExportedRedFlags
from routine_timer.storage.records import SessionRecord, StepRecord
from routine_timer.storage.rows import STEP_REPEATED, SessionValues, StepValues

_log = logging.getLogger(__name__)

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
    "variant",
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
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_HOURS_KEPT = 4096
_HOUR_TEXT = "%04d-%02d-%02dT%02d"
"""A local hour from the first fields of a ``time.struct_time``."""
_VIA_DATETIME: tuple[()] = ()
"""The cut of an hour whose offset changes inside it or is not whole minutes."""


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

    __slots__ = ("_days", "_hours", "_offsets", "_starts", "_tz")

    def __init__(self, tz: tzinfo | None = None) -> None:
        self._tz = tz
        self._hours: dict[str, tuple[str, str, int, str] | tuple[()]] = {}
        self._days: dict[str, int] = {}
        self._offsets: dict[int, str] = {}
        self._starts: dict[int, tuple[str, int, int]] = {}

    def __call__(self, moment: str | datetime) -> str:
        """``moment`` (app text or a datetime) as the export writes it."""
        if not isinstance(moment, str):
            return moment.astimezone(self._tz).isoformat(timespec="seconds")
        hour = moment[:13]
        cut = self._hours.get(hour)
        if cut is None:
            cut = self._hour(hour)
        if cut:
            first, offset, shift, after = cut
            if not shift:
                return first + moment[13:19] + offset
            minute = int(moment[14:16]) + shift
            if minute < 60:
                return f"{first}:{_TWO_DIGITS[minute]}{moment[16:19]}{offset}"
            return f"{after}:{_TWO_DIGITS[minute - 60]}{moment[16:19]}{offset}"
        return datetime.fromisoformat(moment).astimezone(self._tz).isoformat(timespec="seconds")

    def _hour(self, hour: str) -> tuple[str, str, int, str] | tuple[()]:
        if len(self._hours) >= _HOURS_KEPT:  # rows come in time order: old hours are done with
            self._hours.clear()
            self._days.clear()
            self._starts.clear()
        if self._tz is None:
            cut = self._local_hour(hour)
        else:
            cut = self._zone_hour(datetime.fromisoformat(hour + ":00:00+00:00"))
        self._hours[hour] = cut
        return cut

    def _local_hour(self, hour: str) -> tuple[str, str, int, str] | tuple[()]:
        # What datetime.astimezone() does for local time, for a whole hour at
        # once: the offset is localtime()'s for the second (changes of offset
        # fall on whole seconds), so the hour's start and the next hour's tell.
        # Two changes within one hour that undo each other have never happened.
        # An hour's end is the next one's start, so in a history of every hour
        # (sessions, or a session's steps) each start is worked out once.
        day = hour[:10]
        midnight = self._days.get(day)
        if midnight is None:
            midnight = self._days[day] = (date.fromisoformat(day).toordinal() - _EPOCH_DAY) * 86400
        seconds = midnight + int(hour[11:]) * 3600
        text, offset, shift = self._start(seconds)
        after, next_offset, _ = self._start(seconds + 3600)
        if offset != next_offset or offset % 60:
            return _VIA_DATETIME
        # Times past the local hour's end (when the offset is off the whole hour)
        # fall in the next local hour: the one the next UTC hour starts in.
        return (text, self._offset(offset), shift, after)

    def _start(self, seconds: int) -> tuple[str, int, int]:
        """The local hour (text), offset and minute at UTC ``seconds``, a whole hour."""
        start = self._starts.get(seconds)
        if start is None:
            moment = time.localtime(seconds)
            start = self._starts[seconds] = (_HOUR_TEXT % moment[:4], moment.tm_gmtoff,
                                             moment.tm_min)  # fmt: skip
        return start

    def _offset(self, seconds: int) -> str:
        text = self._offsets.get(seconds)
        if text is None:
            sign, minutes = ("-", -seconds // 60) if seconds < 0 else ("+", seconds // 60)
            text = self._offsets[seconds] = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
        return text

    def _zone_hour(self, start: datetime) -> tuple[str, str, int, str] | tuple[()]:
        first = start.astimezone(self._tz)
        offset = first.utcoffset()
        last = (start + timedelta(hours=1, microseconds=-1)).astimezone(self._tz)
        if offset is None or offset != last.utcoffset() or offset % timedelta(minutes=1):
            return _VIA_DATETIME
        text = first.isoformat(timespec="seconds")
        shift = first.minute
        after = (start + timedelta(minutes=60 - shift)).astimezone(self._tz)
        return (text[:13], text[19:], shift, after.isoformat()[:13])


_BOOL = ("false", "true")
_ROUTINE_JSON = (
    ',\n    "routine_id": %s,\n    "routine_name": %s,\n    "routine_sha256": %s,\n'
    '    "started_at": "'
)
"""A session's JSON between its id and its start time: its routine, the same for many."""
_STEP_JSON_HEAD = '      {\n        "index": '
_STEP_JSON_PARTS = (
    ',\n        "kind": %s,\n'
    '        "exercise": %s,\n'
    '        "set": %s,\n'
    '        "side": %s,\n'
    '        "planned_seconds": %r,\n'
    '        "actual_seconds": ',
    ',\n        "skipped": %s,\n'
    '        "stopped_for_pain": %s,\n'
    '        "ended_at": "',
    '",\n        "variant": %s\n      }',
)  # fmt: skip
"""A step in JSON after its number, around its time taken and its end time."""
StepParts = tuple[str, str, str]
"""A step's text around its time taken and its end time, made from its repeated part."""
_KEPT = 65536
"""Texts each export remembers at most (then it starts again)."""

Key = TypeVar("Key")
Text = TypeVar("Text")


class _Remembered(dict[Key, Text], Generic[Key, Text]):
    """Texts made once per distinct value, then looked up (as plain dict lookups).

    A history holds a few routines done many times, so most steps repeat
    another's kind, exercise, set, side, planned time, marks and variation (the
    number, the time taken and the end time differ), and most sessions another's
    routine: their text is made once and the rows written around it. (A value
    equal to another but written otherwise cannot come: numbers are floats from
    REAL columns, which never hold -0.0, or ints.)
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[Key], Text]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Key) -> Text:
        if len(self) >= _KEPT:
            self.clear()
        text = self[key] = self._make(key)
        return text


def _json_steps(string: Callable[[str], str]) -> _Remembered[tuple[Any, ...], StepParts]:
    """A step's JSON around its time taken and end time, by its repeated part.

    Keyed on ``step[STEP_REPEATED:]`` (see :data:`~routine_timer.storage.rows.StepValues`).
    """

    def parts(key: tuple[Any, ...]) -> StepParts:
        kind, exercise, set_, side, planned, skipped, pain, variant = key
        before, between, after = _STEP_JSON_PARTS
        return (
            before % (
                string(kind), "null" if exercise is None else string(exercise),
                "null" if set_ is None else set_, "null" if side is None else string(side),
                planned,
            ),
            between % (_BOOL[skipped], _BOOL[pain]),
            after % ("null" if variant is None else string(variant)),
        )  # fmt: skip

    return _Remembered(parts)


def _completions() -> _Remembered[float, str]:
    """The text of the query's completion column (see db.completion_sql), to four places.

    A few plans done many times give a few completions (steps done of steps planned).
    """
    return _Remembered(lambda completion: repr(round(completion, 4)))


SUGGESTION_FIELDS = (
    "outcome",
    "rule",
    "text",
    "level",
    "change",
    "target_routine",
    "target_variant",
    "answer",
    "answered_at",
)
"""The keys of a session's ``back_care.suggestion`` in ``history --json``."""


_APP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
"""A time as the app writes it (see reading.to_text)."""


def _care_time(value: object, local: LocalTimes) -> str | None:
    """A back-care time as a JSON string in local time, as the export writes times.

    A time the app wrote is cut as every other; another ISO 8601 time with an offset
    (written by another program) goes through ``datetime``; anything else is no
    time (None), for the caller to log and write as null, so that it never stops
    the export. A time's text is digits, ``-``, ``:``, ``T`` and a sign: nothing
    in it needs an escape.
    """
    if isinstance(value, datetime):
        return f'"{local(value)}"'
    if not isinstance(value, str):
        return None
    try:
        if _APP_TIME.fullmatch(value):
            return f'"{local(value)}"'
        moment = datetime.fromisoformat(value)
        if moment.utcoffset() is not None:
            return f'"{local(moment)}"'
    except (ValueError, OverflowError):
        pass
    return None


def _json_value(value: object, string: Callable[[str], str]) -> str:
    return "null" if value is None else string(str(value))


def _back_care_json(
    values: SessionValues,
    red_flags: Sequence[ExportedRedFlags],
    local: LocalTimes,
    string: Callable[[str], str],
) -> str:
    """A session's "back_care" object, as json.dumps(indent=2) writes it at that depth.

    ``values`` holds, after the completion, what ``exported(with_back_care=True)``
    adds: whether a step was stopped for pain, the next morning's check, the
    suggestion shown with its answer (a JSON array).
    """
    stopped, morning, suggestion = values[18], values[19], values[20]
    lines = [
        ',\n    "back_care": {',
        f'\n      "stopped_for_pain": {_BOOL[bool(stopped)]},',
        f'\n      "morning_after": {"null" if morning is None else string(str(morning))},',
    ]
    shown = None
    if isinstance(suggestion, str):
        try:
            loaded = json.loads(suggestion)
        except ValueError:
            loaded = None
        if isinstance(loaded, list) and len(loaded) == len(SUGGESTION_FIELDS):
            shown = dict(zip(SUGGESTION_FIELDS, loaded, strict=True))
    if shown is None:
        if suggestion is not None:
            _log.warning("damaged history row: suggestion of session %r", values[0])
        lines.append('\n      "suggestion": null,')
    else:
        answered = shown["answered_at"]
        text = None if answered is None else _care_time(answered, local)
        if answered is not None and text is None:  # the answer stays, its time is unknown
            _log.warning(
                "damaged history row: suggestion of session %r (answered_at %r is not a "
                "date and time)",
                values[0],
                answered,
            )
        shown["answered_at"] = "null" if text is None else text
        fields = [
            f'\n        "{key}": {value if key == "answered_at" else _json_value(value, string)}'
            for key, value in shown.items()
        ]
        lines.append('\n      "suggestion": {' + ",".join(fields) + "\n      },")
    if not red_flags:
        lines.append('\n      "red_flags": []')
    else:
        checks = []
        for check in red_flags:
            answered_at = _care_time(check.answered_at, local)
            answers = ",".join(
                f"\n            {string(question)}: {'null' if answer is None else _BOOL[answer]}"
                for question, answer in check.answers.items()
            )
            checks.append(
                "\n        {"
                f'\n          "answered_at": {answered_at or "null"},'
                f'\n          "why": {string(check.why.value)},'
                f'\n          "answers": {{{answers}\n          }}'
                "\n        }"
            )
        lines.append('\n      "red_flags": [' + ",".join(checks) + "\n      ]")
    lines.append("\n    }")
    return "".join(lines)


_ANSWERED_TAIL = re.compile(r'null\]|"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"\]')
"""The end of a suggestion's JSON array when its last value, ``answered_at``, is null
or a time as the app writes it: inside a JSON string a quote is always escaped, so
the comma before such an end is the one between the array's last two values."""
_AnsweredCut = tuple[str, str] | tuple[str]


def _answered_cut(
    key: tuple[object, object, str], local: LocalTimes, string: Callable[[str], str]
) -> _AnsweredCut:
    """The "back_care" text of a session without red-flag checks, around its ``answered_at``.

    ``key`` is (stopped for pain, morning after, the suggestion's JSON array without its
    last value). Made by :func:`_back_care_json` itself with no answer time, then cut
    where that time goes; a suggestion that cannot be read has none to put in.
    """
    stopped, morning, head = key
    text = _back_care_json((*(None,) * 18, stopped, morning, f"{head},null]"), (), local, string)
    before, found, after = text.rpartition('"answered_at": null')
    return (before + '"answered_at": ', after) if found else (text,)


def json_chunks(
    sessions: Iterable[ExportedSession],
    tz: tzinfo | None = None,
    *,
    string: Callable[[str], str] = encode_basestring,
    red_flags: Mapping[int, Sequence[ExportedRedFlags]] | None = None,
) -> Iterator[str]:
    """The sessions as a JSON list, in pieces of text to write one after another.

    Exactly what ``json.dumps(..., indent=2, ensure_ascii=False)`` writes for
    a list of session objects (each with a "steps" list when steps are given),
    plus a final line end, but made a few rows at a time: memory stays flat
    however long the history, and a row left out never breaks the list.
    ``string`` writes each text value as a JSON string (the command line
    passes one that also escapes what a terminal would obey).

    With ``red_flags`` (the checks by the session they go with), each session
    also has a "back_care" object, after "note": whether a step was stopped
    for pain, the next morning's check, the suggestion shown with its answer,
    and the red-flag checks; the sessions must then come from
    ``exported(with_back_care=True)``.
    """
    local = LocalTimes(tz)
    step_texts = _json_steps(string)
    routines: _Remembered[tuple[str, str, str], str] = _Remembered(
        lambda key: _ROUTINE_JSON % tuple(map(string, key))
    )
    numbers: _Remembered[float, str] = _Remembered(repr)
    """Planned times: a few routines give a few."""
    opening = "[\n"
    completions = _completions()
    # Most sessions showed no suggestion and have no red-flag check: a few texts serve them.
    plain_care: _Remembered[tuple[object, object], str] = _Remembered(
        lambda key: _back_care_json((*(None,) * 18, *key, None), (), local, string)
    )
    # Most suggestions repeat another's words: only their answer time differs.
    answered_cuts: dict[tuple[object, object, str], _AnsweredCut] = {}
    tail_match = _ANSWERED_TAIL.fullmatch
    pieces: list[str] = []
    rows = 0
    first = True
    for values, steps in sessions:
        (id_, routine_id, name, sha256, started, ended, status, planned, active, paused,
         planned_steps, done, skipped, before, after, rpe, note) = values[:17]  # fmt: skip
        ended_text = "null" if ended is None else f'"{local(ended)}"'
        # An f-string, not a % template: 0.55 against 0.70 us a session.
        pieces.append(
            f'{opening}  {{\n    "id": {id_}{routines[routine_id, name, sha256]}'
            f'{local(started)}",\n    "ended_at": {ended_text},\n    "status": "{status}",\n'
            f'    "planned_seconds": {numbers[planned]},\n'
            f'    "active_seconds": {"null" if active is None else repr(active)},\n'
            f'    "paused_seconds": {"null" if paused is None else repr(paused)},\n'
            f'    "planned_steps": {"null" if planned_steps is None else planned_steps},\n'
            f'    "steps_done": {done},\n    "steps_skipped": {skipped},\n'
            f'    "completion": {"null" if status == "running" else completions[values[17]]},\n'
            f'    "pain_before": {"null" if before is None else before},\n'
            f'    "pain_after": {"null" if after is None else after},\n'
            f'    "rpe": {"null" if rpe is None else rpe},\n'
            f'    "note": {"null" if note is None else string(note)}'
        )
        first = False
        opening = ",\n"
        if red_flags is not None:
            checks = red_flags.get(id_)
            suggestion = values[20]
            if checks is not None:
                pieces.append(_back_care_json(values, checks, local, string))
            elif suggestion is None:
                pieces.append(plain_care[values[18], values[19]])
            else:
                head, comma, tail = (
                    suggestion.rpartition(",") if type(suggestion) is str else ("", "", "")
                )
                if not comma or tail_match(tail) is None:
                    pieces.append(_back_care_json(values, (), local, string))
                else:
                    key = (values[18], values[19], head)
                    cut = answered_cuts.get(key)
                    if cut is None:
                        if len(answered_cuts) >= _KEPT:
                            answered_cuts.clear()
                        cut = answered_cuts[key] = _answered_cut(key, local, string)
                    answered = "null" if tail == "null]" else _care_time(tail[1:-2], local)
                    if answered is None:  # the shape of a time, not a day of the calendar
                        pieces.append(_back_care_json(values, (), local, string))
                    elif len(cut) == 1:
                        pieces.append(cut[0])
                    else:
                        pieces.append(cut[0] + answered + cut[1])
        if steps is not None:
            if not steps:
                pieces.append(',\n    "steps": []')
            else:
                pieces.append(
                    ',\n    "steps": [\n'
                    + ",\n".join([
                        f"{_STEP_JSON_HEAD}{step[2]}{before}{step[3]!r}{between}"
                        f"{local(step[4])}{after}"
                        for step in steps
                        for before, between, after in [step_texts[step[STEP_REPEATED:]]]
                    ])
                    + "\n    ]"
                )  # fmt: skip
                rows += len(steps)
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


def _csv_text(text: str) -> str:
    """Text as a CSV cell: through :func:`csv_cell`, then quoted as the csv module quotes.

    That is its excel dialect: quotes around a cell holding a comma, a quote
    or a line end, and each quote doubled; nothing else is quoted.
    """
    cell: str = csv_cell(text)
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\n" in cell or "\r" in cell:
        return f'"{cell}"'
    return cell


def _csv_step(key: tuple[Any, ...]) -> StepParts:
    """A step's CSV cells after its number, around its time taken and end time, by its
    repeated part (``step[STEP_REPEATED:]``)."""
    kind, exercise, set_, side, planned, skipped, pain, variant = key
    return (
        f",{_csv_text(kind)},{'' if exercise is None else _csv_text(exercise)},"
        f"{'' if set_ is None else set_},{'' if side is None else _csv_text(side)},{planned!r},",
        f",{_BOOL[skipped]},{_BOOL[pain]},",
        f",{'' if variant is None else _csv_text(variant)}\r\n",
    )


def csv_chunks(
    sessions: Iterable[ExportedSession], *, with_steps: bool, tz: tzinfo | None = None
) -> Iterator[str]:
    """The sessions as CSV, starting with a byte-order mark, in pieces of text.

    One row per session; ``with_steps``, one row per step instead, repeating
    the session's columns (a session without steps keeps one row with the
    step columns empty). A ``date`` column (local ``YYYY-MM-DD``) is added
    for sorting and filtering in a spreadsheet. Made a few rows at a time, so
    memory stays flat however long the history. The rows are what the csv
    module's excel dialect writes (CRLF, quotes only where needed), made here
    because that is three times faster than a ``csv.writer`` row by row.
    """
    local = LocalTimes(tz)
    step_rows = _Remembered(_csv_step)
    routines: _Remembered[tuple[str, str, str], str] = _Remembered(
        lambda key: ",".join(map(_csv_text, key))
    )
    """A routine's id, name and checksum cells: the same for many sessions."""
    completions = _completions()
    header = ["date", *SESSION_FIELDS]
    if with_steps:
        header += [f"step_{name}" for name in STEP_FIELDS]
    lines = [BOM + ",".join(header) + "\r\n"]
    no_steps = "," * len(STEP_FIELDS) + "\r\n"
    for values, steps in sessions:
        (id_, routine_id, name, sha256, started, ended, status, planned, active, paused,
         planned_steps, done, skipped, before, after, rpe, note) = values[:17]  # fmt: skip
        started_text = local(started)
        # The status is one of four plain words; numbers are written as str() writes them.
        cells = (
            f"{started_text[:10]},{id_},{routines[routine_id, name, sha256]},{started_text},"
            f"{'' if ended is None else local(ended)},{status},{planned!r},"
            f"{'' if active is None else repr(active)},{'' if paused is None else repr(paused)},"
            f"{'' if planned_steps is None else planned_steps},{done},{skipped},"
            f"{'' if status == 'running' else completions[values[17]]},"
            f"{'' if before is None else before},"
            f"{'' if after is None else after},{'' if rpe is None else rpe},"
            f"{'' if note is None else _csv_text(note)}"
        )
        if not with_steps:
            lines.append(cells + "\r\n")
        elif not steps:
            lines.append(cells + no_steps)
        else:
            lines.extend([
                f"{cells},{step[2]}{before}{step[3]!r}{between}{local(step[4])}{after}"
                for step in steps
                for before, between, after in [step_rows[step[STEP_REPEATED:]]]
            ])  # fmt: skip
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
    if step.variant:
        what += f" ({step.variant})"
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
