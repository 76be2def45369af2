"""Turn raw rows of the history file into records, or say plainly why one is damaged.

Every read of the history goes through here: sessions, steps, and the totals
the progress figures come from. SQLite keeps whatever was put in a column
(text in a number column, bytes in a text column, a time that is not one),
so a file edited by another program, or damaged on disk, can hold values the
app never writes. Each value is checked against what the app writes; a row
with a bad value becomes a :class:`DamagedRow` naming every bad value, so
callers can show it as damaged or leave it out and say so, and nothing
further along (the table, an export, a chart) meets a value it cannot handle.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any, Final, TypeVar

from routine_timer.core.stats import DaySummary, RoutineSummary
from routine_timer.storage.records import STATUSES, DamagedRow, SessionRecord, Status, StepRecord

log = logging.getLogger(__name__)

OnDamage = Callable[[DamagedRow], None]
"""Told about each damaged row a read met (after it is logged)."""

MAX_SECONDS: Final = 1e10
"""More than any session or step can last (100,000 steps of a day each is 8.6e9 s)."""
MAX_COUNT: Final = 10**9
"""More steps than any session can record."""
EARLIEST: Final = datetime(1971, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(9998, 1, 1, tzinfo=UTC)
"""Times outside these cannot be shown in every time zone (or are not sessions)."""
_SHOWN_CHARS = 40


class UnreadableText(bytes):
    """A text value that is not valid UTF-8, as its raw bytes.

    The connection's text factory (:func:`decode_text`) hands this out instead
    of failing the whole query, so one bad row cannot hide the others.
    """


def decode_text(raw: bytes) -> str | UnreadableText:
    """SQLite text as ``str``; bytes that are not UTF-8 as :class:`UnreadableText`."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return UnreadableText(raw)


def shown(value: object) -> str:
    """A stored value as a message quotes it: short, every odd character visible."""
    if isinstance(value, bytes):
        kind = "bytes that are not text" if isinstance(value, UnreadableText) else "binary data"
        return f"{kind} ({len(value)} byte{'' if len(value) == 1 else 's'})"
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


class _Checker:
    """Checks one row's values, collecting a sentence per bad one."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[str] = []

    def _bad(self, what: str, value: object, expected: str) -> None:
        if value is None:
            self.problems.append(f"its {what} is missing")
        else:
            self.problems.append(f"its {what} is {shown(value)}, not {expected}")

    def text(self, value: Any, what: str) -> str:
        if type(value) is str:
            return value
        self._bad(what, value, "text")
        return ""

    def optional_text(self, value: Any, what: str) -> str | None:
        return None if value is None else self.text(value, what)

    def seconds(self, value: Any, what: str) -> float:
        # SQLite hands REAL columns out as float; `not <=` also catches NaN.
        if type(value) in (float, int) and 0 <= value <= MAX_SECONDS:
            return float(value)
        self._bad(what, value, "a number of seconds")
        return 0.0

    def optional_seconds(self, value: Any, what: str) -> float | None:
        return None if value is None else self.seconds(value, what)

    def whole(self, value: Any, what: str, lowest: int = 0, highest: int = MAX_COUNT) -> int:
        if type(value) is int and lowest <= value <= highest:
            return value
        if highest == MAX_COUNT:
            self._bad(what, value, f"a whole number of at least {lowest}")
        else:
            self._bad(what, value, f"a whole number from {lowest} to {highest}")
        return lowest

    def optional_whole(
        self, value: Any, what: str, lowest: int = 0, highest: int = MAX_COUNT
    ) -> int | None:
        return None if value is None else self.whole(value, what, lowest, highest)

    def flag(self, value: Any, what: str) -> bool:
        if type(value) is int and value in (0, 1):
            return bool(value)
        self._bad(what, value, "0 or 1")
        return False

    def moment(self, value: Any, what: str) -> datetime:
        if type(value) is str:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # A time without an offset is not one the app wrote, and is
                # ambiguous; one near year 1 or 9999 overflows in some zones.
                # (fromisoformat gives a fixed offset or none: tzinfo says which.)
                if moment.tzinfo is not None and EARLIEST <= moment < LATEST:
                    return moment
        self._bad(what, value, "a date and time")
        return EARLIEST

    def optional_moment(self, value: Any, what: str) -> datetime | None:
        return None if value is None else self.moment(value, what)

    def day(self, value: Any, what: str) -> date:
        if type(value) is str:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if EARLIEST.date() <= day < LATEST.date():
                    return day
        self._bad(what, value, "a date")
        return EARLIEST.date()

    def fraction(self, value: Any, what: str, highest: float = 1.0) -> float:
        if type(value) in (float, int) and 0 <= value <= highest:
            return float(value)
        self._bad(what, value, f"a number from 0 to {highest:g}")
        return 0.0

    def optional_fraction(self, value: Any, what: str, highest: float) -> float | None:
        return None if value is None else self.fraction(value, what, highest)

    def status(self, value: Any) -> Status:
        if type(value) is str and value in STATUSES:
            return value
        self._bad("result", value, "one of " + ", ".join(STATUSES))
        return "abandoned"


def session_from_row(row: Sequence[Any]) -> SessionRecord | DamagedRow:
    """A row of ``reading.SESSION_COLUMNS`` as a record, or what is wrong with it."""
    check = _Checker()
    record = SessionRecord(
        id=row[0],
        routine_id=check.text(row[1], "routine id"),
        routine_name=check.text(row[2], "routine name"),
        routine_sha256=check.text(row[3], "routine checksum"),
        started_at=check.moment(row[4], "start time"),
        ended_at=check.optional_moment(row[5], "end time"),
        status=check.status(row[6]),
        planned_seconds=check.seconds(row[7], "planned time"),
        active_seconds=check.optional_seconds(row[8], "active time"),
        paused_seconds=check.optional_seconds(row[9], "paused time"),
        planned_steps=check.optional_whole(row[10], "number of planned steps"),
        steps_done=check.whole(row[11], "number of steps done"),
        steps_skipped=check.whole(row[12], "number of steps skipped"),
        pain_before=check.optional_whole(row[13], "pain before", 0, 10),
        pain_after=check.optional_whole(row[14], "pain after", 0, 10),
        rpe=check.optional_whole(row[15], "effort", 1, 10),
        note=check.optional_text(row[16], "note"),
    )
    if not check.problems:
        return record
    # What could still be read, so a view can say which session it was.
    started = _Checker()
    start = started.moment(row[4], "start time")
    return DamagedRow(
        f"session {row[0]}",
        tuple(check.problems),
        id=row[0],
        started_at=None if started.problems else start,
        name=row[2] if type(row[2]) is str else None,
    )


def step_from_row(row: Sequence[Any]) -> StepRecord | DamagedRow:
    """A row of ``reading.STEP_COLUMNS`` as a record, or what is wrong with it."""
    check = _Checker()
    record = StepRecord(
        id=row[0],
        session_id=row[1],
        index=check.whole(row[2], "step number"),
        kind=check.text(row[3], "kind"),
        exercise=check.optional_text(row[4], "exercise"),
        set=check.optional_whole(row[5], "set number"),
        side=check.optional_text(row[6], "side"),
        planned_seconds=check.seconds(row[7], "planned time"),
        actual_seconds=check.seconds(row[8], "time taken"),
        skipped=check.flag(row[9], "skipped mark"),
        stopped_for_pain=check.flag(row[10], "stopped-for-pain mark"),
        ended_at=check.moment(row[11], "end time"),
        variant=check.optional_text(row[12], "variation"),
    )
    if not check.problems:
        return record
    return DamagedRow(f"step {row[0]} of session {shown(row[1])}", tuple(check.problems), row[0])


def day_from_row(row: Sequence[Any]) -> DaySummary | DamagedRow:
    """A row of per-day totals (day, sessions, completed, active seconds, mean pains)."""
    check = _Checker()
    summary = DaySummary(
        check.day(row[0], "day"),
        check.whole(row[1], "number of sessions", 1),
        check.whole(row[2], "number of completed sessions"),
        check.seconds(row[3], "active time"),
        check.optional_fraction(row[4], "mean pain before", 10.0),
        check.optional_fraction(row[5], "mean pain after", 10.0),
    )
    if check.problems:
        return DamagedRow(f"the totals of day {shown(row[0])}", tuple(check.problems))
    return summary


def routine_from_row(row: Sequence[Any]) -> RoutineSummary | DamagedRow:
    """A row of per-routine totals (id, name, last start, completed, sessions, completion)."""
    check = _Checker()
    summary = RoutineSummary(
        routine_id=check.text(row[0], "routine id"),
        routine_name=check.text(row[1], "routine name"),
        last_done=check.moment(row[2], "last start"),
        times_done=check.whole(row[3], "number of completed sessions"),
        attempts=check.whole(row[4], "number of sessions", 1),
        average_completion=check.fraction(row[5], "average completion"),
    )
    if check.problems:
        return DamagedRow(f"the totals of routine {shown(row[0])}", tuple(check.problems))
    return summary


# -- the export's fast path ----------------------------------------------------
#
# An export reads every row, millions with --steps, and a record per row costs
# more than everything else the export does. A row holding exactly what the app
# writes (each value of the very type the app stores, every time in the app's
# own UTC text) needs no record: ExportRows hands it on as it is, after checks of
# as few operations per value as Python allows. Those are stricter than the
# checks above, never looser (tests hold them to every tampering), so any other
# row goes through the checks above, which say what is wrong or give a record.

# Spelled out: Python's re matches a repeat ({4}) more slowly than its characters one by
# one (125 against 76 ns a time).
_APP_TIME = re.compile(
    r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]"
    r":[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9][0-9][0-9][0-9]\+00:00"
)
"""The shape of every time the app writes (``history.to_text``)."""
_app_time = _APP_TIME.fullmatch
_DAYS_KEPT = 4096
_APP_TIME_LENGTH = len("2026-03-02T07:30:00.123456+00:00")
_app_times = re.compile(f"(?:{_APP_TIME.pattern},)*{_APP_TIME.pattern}").fullmatch
"""Times as the app writes them, joined by commas (which no such time holds)."""
_app_span = re.compile(f"{_APP_TIME.pattern},{_APP_TIME.pattern}").fullmatch
"""Two times as the app writes them, joined by a comma."""
_ended = itemgetter(4)
_hour = itemgetter(slice(13))
_KEYS_KEPT = 4096


def _plain_day(text: str) -> bool:
    """Whether ``YYYY-MM-DD`` (digits already checked) is a date within EARLIEST and LATEST."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return False
    # EARLIEST and LATEST are midnights: a day decides for all of its times.
    return EARLIEST.date() <= day < LATEST.date()


def stored_time(value: object) -> str | datetime | None:
    """A time read from a column the export copies, in the form it can write.

    The app's own UTC text stays text (the export's fast path); any other time
    with an offset within EARLIEST and LATEST becomes a datetime; anything else
    (another program's text, a number, a day without its time) is None.
    """
    if type(value) is not str:
        return None
    if _app_time(value) is not None and value[11:13] < "24" and _plain_day(value[:10]):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and EARLIEST <= moment < LATEST else None


SessionValues = tuple[Any, ...]
"""A session's values in ``reading.SESSION_COLUMNS`` order, times as app text or datetimes,
then whatever the query added after them."""
StepValues = tuple[Any, ...]
"""A step's values in ``reading.EXPORT_STEP_COLUMNS`` order, the same way: id, session id,
step number, time taken, end time, then its repeated part (:data:`STEP_REPEATED`)."""
STEP_REPEATED = 5
"""Where a step's repeated part starts in its values: kind, exercise, set number, side,
planned time, skipped and stopped-for-pain marks, variation. A history repeats a few
routines, so most steps repeat another's (the number and the times differ)."""


def session_values(record: SessionRecord) -> SessionValues:
    """A record as the values of a plain row (times as datetimes)."""
    r = record
    return (r.id, r.routine_id, r.routine_name, r.routine_sha256, r.started_at, r.ended_at,
            r.status, r.planned_seconds, r.active_seconds, r.paused_seconds, r.planned_steps,
            r.steps_done, r.steps_skipped, r.pain_before, r.pain_after, r.rpe, r.note)  # fmt: skip


def step_values(record: StepRecord) -> StepValues:
    """A record as the values of a plain row (times as datetimes)."""
    r = record
    return (r.id, r.session_id, r.index, r.actual_seconds, r.ended_at, r.kind, r.exercise,
            r.set, r.side, r.planned_seconds, int(r.skipped), int(r.stopped_for_pain),
            r.variant)  # fmt: skip


def _stored_order(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row of ``reading.EXPORT_STEP_COLUMNS`` in ``reading.STEP_COLUMNS`` order."""
    (id_, session, index, actual, ended, kind, exercise, set_, side, planned, skipped, pain,
     variant) = row  # fmt: skip
    return (id_, session, index, kind, exercise, set_, side, planned, actual, skipped, pain,
            ended, variant)  # fmt: skip


class ExportRows:
    """Rows for an export: plain ones as they are, any other through the full checks.

    One per export: it remembers which days of the calendar and which repeated
    parts of steps it has found plain, and rows come in time order from a few
    routines, so a few of them serve thousands of rows.
    """

    __slots__ = ("_days", "_step_parts")

    def __init__(self) -> None:
        self._days: dict[str, bool] = {}
        self._step_parts: set[tuple[Any, ...]] = set()

    def session(self, row: Sequence[Any]) -> SessionValues | DamagedRow:
        """A session row's values (extra columns kept), or what is wrong with it."""
        if self._plain_session(row):
            return tuple(row)
        record = session_from_row(row)
        if isinstance(record, DamagedRow):
            return record
        return session_values(record) + tuple(row[17:])

    def step(self, row: StepValues) -> StepValues | DamagedRow:
        """A step row (``reading.EXPORT_STEP_COLUMNS``)'s values, or what is wrong with it."""
        if self._plain_step(row):
            return row
        record = step_from_row(_stored_order(row))
        return record if isinstance(record, DamagedRow) else step_values(record)

    def steps(self, rows: Iterable[StepValues], damaged: list[DamagedRow]) -> list[StepValues]:
        """The values of the step rows that can be read, in order; the others go to ``damaged``."""
        group = list(rows)
        if self._plain_steps(group):
            return group
        plain = self._plain_step
        kept: list[StepValues] = []
        for row in group:
            if plain(row):
                kept.append(row)
                continue
            values = self.step(row)
            if isinstance(values, DamagedRow):
                damaged.append(values)
            else:
                kept.append(values)
        return kept

    def _plain_time(self, value: object) -> bool:
        # See _Checker.moment: this accepts only the app's own UTC form of it.
        if type(value) is not str or _app_time(value) is None:
            return False
        # The shape is checked: an hour of two digits is one of the day's below 24.
        return self._plain_day(value[:10]) and value[11:13] < "24"

    def _plain_day(self, day: str) -> bool:
        known = self._days.get(day)
        if known is None:
            if len(self._days) >= _DAYS_KEPT:
                self._days.clear()
            known = self._days[day] = _plain_day(day)
        return known

    def _plain_steps(self, group: list[StepValues]) -> bool:
        # A session's steps at once, as _plain_step would find each: their end times
        # in one match, then one look-up per hour they fall in (a few for 20 steps).
        if not group:
            return True
        try:
            ended = list(map(_ended, group))
            joined = ",".join(ended)
        except TypeError:  # a time that is not text
            return False
        # As many times as steps, so that none holds a comma (or two times).
        if len(joined) != _APP_TIME_LENGTH * len(group) + len(group) - 1 or not _app_times(joined):
            return False
        for hour in set(map(_hour, ended)):
            if not (hour[11:] < "24" and self._plain_day(hour[:10])):
                return False
        return all(map(self._plain_values, group))

    def _plain_step(self, row: StepValues) -> bool:
        return self._plain_time(row[4]) and self._plain_values(row)

    def _plain_values(self, row: StepValues) -> bool:
        # Everything but the end time. The repeated part is checked once, then found
        # among those checked: by equality, which takes 1.0 for 1, so the marks and
        # the set number have their type checked on every row (the planned time, from
        # a REAL column, always reads as a float, and would be written alike if not).
        index, actual = row[2], row[3]
        return (
            type(index) is int
            and 0 <= index <= MAX_COUNT
            and type(actual) is float
            and 0 <= actual <= MAX_SECONDS
            and type(row[7]) is not float
            and type(row[10]) is int
            and type(row[11]) is int
            and (row[STEP_REPEATED:] in self._step_parts or self._plain_part(row[STEP_REPEATED:]))
        )

    def _plain_part(self, part: tuple[Any, ...]) -> bool:
        kind, exercise, set_, side, planned, skipped, pain, variant = part
        plain = (
            type(kind) is str
            and (exercise is None or type(exercise) is str)
            and (set_ is None or (type(set_) is int and 0 <= set_ <= MAX_COUNT))
            and (side is None or type(side) is str)
            and type(planned) is float
            and 0 <= planned <= MAX_SECONDS
            and type(skipped) is int
            and 0 <= skipped <= 1
            and type(pain) is int
            and 0 <= pain <= 1
            and (variant is None or type(variant) is str)
        )
        if plain:
            if len(self._step_parts) >= _KEYS_KEPT:
                self._step_parts.clear()
            self._step_parts.add(part)
        return plain

    def _plain_session(self, row: Sequence[Any]) -> bool:
        (_id, routine_id, routine_name, sha256, started, ended, status, planned, active, paused,
         planned_steps, done, skipped, before, after, rpe, note) = row[:17]  # fmt: skip
        return (
            type(routine_id) is str
            and type(routine_name) is str
            and type(sha256) is str
            and type(status) is str
            and status in STATUSES
            and type(planned) is float
            and 0 <= planned <= MAX_SECONDS
            and (active is None or (type(active) is float and 0 <= active <= MAX_SECONDS))
            and (paused is None or (type(paused) is float and 0 <= paused <= MAX_SECONDS))
            and (
                planned_steps is None
                or (type(planned_steps) is int and 0 <= planned_steps <= MAX_COUNT)
            )
            and type(done) is int
            and 0 <= done <= MAX_COUNT
            and type(skipped) is int
            and 0 <= skipped <= MAX_COUNT
            and (before is None or (type(before) is int and 0 <= before <= 10))
            and (after is None or (type(after) is int and 0 <= after <= 10))
            and (rpe is None or (type(rpe) is int and 1 <= rpe <= 10))
            and (note is None or type(note) is str)
            and (self._plain_time(started) if ended is None else self._plain_span(started, ended))
        )

    def _plain_span(self, started: object, ended: object) -> bool:
        # Both times in one match, as _plain_time would find each (a session's
        # checks: 1.15 against 1.29 us); most sessions end on the day they started.
        # Not _plain_steps' way for many times: its set of hours costs more than it
        # saves for two (1.60 us a session's checks).
        if (
            type(started) is not str
            or type(ended) is not str
            or _app_span(f"{started},{ended}") is None
        ):
            return False
        if not (started[11:13] < "24" and ended[11:13] < "24"):
            return False
        day, end_day = started[:10], ended[:10]
        return self._plain_day(day) and (end_day == day or self._plain_day(end_day))


Record = TypeVar("Record")


def good_rows(
    rows: Sequence[Sequence[Any]],
    decode: Callable[[Sequence[Any]], Record | DamagedRow],
    on_damage: OnDamage | None,
) -> list[Record]:
    """The rows that decode to records; each damaged one is logged and told to ``on_damage``."""
    records: list[Record] = []
    for row in rows:
        record = decode(row)
        if isinstance(record, DamagedRow):
            report(record, on_damage)
        else:
            records.append(record)
    return records


def report(damaged: DamagedRow, on_damage: OnDamage | None) -> None:
    """Log a damaged row (so it is in the log a user sends) and tell ``on_damage``."""
    log.warning("damaged history row: %s", damaged.description)
    if on_damage is not None:
        on_damage(damaged)


def left_out_message(damaged: Sequence[DamagedRow]) -> str:
    """A sentence for the user: which damaged rows were left out, and that the rest is fine."""
    shown_rows = [row.description for row in damaged[:5]]
    if len(damaged) > 5:
        shown_rows.append(f"and {len(damaged) - 5} more")
    rows = "row was" if len(damaged) == 1 else f"{len(damaged)} rows were"
    return (
        f"Part of the history file is damaged; the following {rows} left out, and "
        f"everything else is included: {'; '.join(shown_rows)}. The file itself was not changed."
    )
