"""Reading the history: a reader on its own connection, and the session table.

Reads never block the writer (each reader has its own connection, in WAL
mode), rows come through :mod:`routine_timer.storage.rows`, which names a
damaged row instead of failing, and exports stream from a cursor.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, overload

from routine_timer.core.programme import DONE_SHARE
from routine_timer.storage.db import (
    HistoryError,
    completion_sql,
    history_error,
    is_damaged,
    note_damage,
)
from routine_timer.storage.records import (
    DamagedRow,
    SessionRecord,
)
from routine_timer.storage.rows import (
    ExportRows,
    OnDamage,
    SessionValues,
    StepValues,
    decode_text,
    report,
    session_from_row,
)

log = logging.getLogger(__name__)

SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_sha256, started_at, ended_at, status,"
    " planned_seconds, active_seconds, paused_seconds, planned_steps, steps_done,"
    " steps_skipped, pain_before, pain_after, rpe, note"
)
STEP_COLUMNS = (
    "id, session_id, step_index, kind, exercise, set_number, side, planned_seconds,"
    " actual_seconds, skipped, stopped_for_pain, ended_at, variant"
)
STOPPED_FOR_PAIN_SELECT = "SELECT DISTINCT session_id FROM steps WHERE stopped_for_pain = 1"
"""The sessions with a step stopped for pain (a few: read through their partial index)."""
MORNINGS_SELECT = (
    "SELECT days.local_day, morning_checks.answer"
    " FROM (SELECT DISTINCT local_day FROM sessions{where}) AS days"
    " JOIN morning_checks ON morning_checks.day = date(days.local_day, '+1 day')"
)
"""Each day's sessions' next-morning check, by the sessions' local day."""
SUGGESTIONS_SELECT = (
    "SELECT sessions.id,"
    # JSON holds no bytes: a suggestion with bytes in it (another program's) comes as
    # 'damaged', for the export to leave out and say so.
    " CASE WHEN 'blob' IN (typeof(outcome), typeof(rule), typeof(text), typeof(level),"
    "  typeof(change), typeof(target_routine), typeof(target_variant), typeof(answer),"
    "  typeof(answered_at)) THEN 'damaged'"
    "  ELSE json_array(outcome, rule, text, level, change, target_routine, target_variant,"
    "  answer, answered_at) END"
    " FROM sessions JOIN suggestions ON suggestions.session_id = sessions.id{where}"
    " ORDER BY sessions.started_at, sessions.id"
)
"""The suggestions shown, with their answers (a JSON array), in the sessions' order."""
JOINEDSTEP_COLUMNS = ", ".join("steps." + column.strip() for column in STEP_COLUMNS.split(","))
EXPORT_STEP_COLUMNS = (
    "steps.id, steps.session_id, steps.step_index, steps.actual_seconds, steps.ended_at,"
    " steps.kind, steps.exercise, steps.set_number, steps.side, steps.planned_seconds,"
    " steps.skipped, steps.stopped_for_pain, steps.variant"
)
"""A step's columns for an export: what differs from step to step first, then what repeats
(see :data:`~routine_timer.storage.rows.StepValues`)."""


def to_text(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC ISO 8601 (so text order is time order)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; history times must be aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def history_failure(error: sqlite3.Error, path: Path) -> HistoryError:
    """An SQLite error as a HistoryError; damage is noted for the next opening."""
    if is_damaged(error):
        note_damage(path)
    return history_error(error, path)


class HistoryReader:
    """Reads from one connection to the history file; SQLite errors become HistoryError.

    The store reads through one on its own connection. :meth:`HistoryStore.open_reader`
    makes one on a connection of its own, for a long read on another thread
    (an export from the window), which never holds up the store.
    """

    def __init__(
        self, connection: sqlite3.Connection, path: Path, *, own_connection: bool = False
    ) -> None:
        self._db = connection
        self.path = path
        self._own = own_connection

    def close(self) -> None:
        """Close the connection (only for a reader from :meth:`HistoryStore.open_reader`)."""
        self._db.close()

    def __enter__(self) -> HistoryReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row ``sql`` gives."""
        try:
            try:
                return self._db.execute(sql, parameters).fetchall()
            except sqlite3.OperationalError as error:
                # This reader's own connection decodes text as Python does (see
                # _fast_stream): read again with the factory that hands out bytes
                # that are not UTF-8 as UnreadableText, for the row to be left out.
                if not self._own or not str(error).startswith("Could not decode to UTF-8"):
                    raise
            self._db.text_factory = decode_text
            try:
                return self._db.execute(sql, parameters).fetchall()
            finally:
                self._db.text_factory = str
        except sqlite3.Error as error:
            raise history_failure(error, self.path) from error

    def stream(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows ``sql`` gives, one at a time, without holding them all."""
        try:
            yield from self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise history_failure(error, self.path) from error

    def session_count(self, since: datetime | None = None) -> int:
        """How many sessions started at or after ``since`` (all by default)."""
        where, parameters = since_clause(since)
        [(count,)] = self.rows(f"SELECT count(*) FROM sessions{where}", parameters)
        return int(count)

    def completed_days(self, first: date, last: date) -> list[tuple[date, str]]:
        """(local day, routine id) for each routine completed on a day from ``first`` to ``last``.

        What a plan counts as done (:class:`routine_timer.core.programme.Completions`):
        a session that reached its end with at least
        :data:`~routine_timer.core.programme.DONE_SHARE` of its exercise sets
        done (the completion of :func:`~routine_timer.storage.db.completion_sql`);
        a routine once per day, however many times it was done that day. Read
        through the sessions' (local day, routine) index. A row whose day or id
        cannot be read is left out (and logged).
        """
        rows = self.rows(
            "SELECT DISTINCT local_day, routine_id FROM sessions"
            " WHERE local_day BETWEEN ? AND ? AND status = 'completed'"
            f" AND {completion_sql('sessions')} >= ?"
            " ORDER BY local_day, routine_id",
            (first.isoformat(), last.isoformat(), DONE_SHARE),
        )
        found: list[tuple[date, str]] = []
        for day, routine_id in rows:
            try:
                if not isinstance(routine_id, str) or not isinstance(day, str):
                    raise ValueError("not text")
                found.append((date.fromisoformat(day), routine_id))
            except ValueError:
                log.warning("history: a day's totals cannot be read (%r, %r)", day, routine_id)
        return found

    def _fast_stream(self, sql: str, parameters: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Like :meth:`stream`, with text decoded by SQLite's module itself.

        Python's own decoding is several times cheaper than the text factory
        every other read uses (:func:`~routine_timer.storage.rows.decode_text`),
        but fails on bytes that are not UTF-8. Such a row is then fetched
        again, the cursor still on it, with that factory, which hands the bad
        value out as UnreadableText: the row is reported damaged as anywhere
        else. Only on a connection of this reader's own, which nothing else
        reads at the same time.
        """
        if not self._own:
            yield from self.stream(sql, parameters)
            return
        db = self._db
        try:
            cursor = db.execute(sql, parameters)
            while True:
                try:
                    # Row after row without a step of Python between them (and, unlike
                    # the cursor itself, without closing it when the export is dropped:
                    # its connection may be closed by then).
                    yield from iter(cursor.__next__, None)
                    return
                except sqlite3.OperationalError as error:
                    if not str(error).startswith("Could not decode to UTF-8"):
                        raise
                db.text_factory = decode_text
                try:
                    row = next(cursor)
                finally:
                    db.text_factory = str
                yield row
        except sqlite3.Error as error:
            raise history_failure(error, self.path) from error

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        # One read transaction, so that queries read side by side see the same file.
        if self._db.in_transaction:
            yield
            return
        self.rows("BEGIN")
        try:
            yield
        finally:
            # An export left unfinished (a closed pipe, Cancel) may be closed after its
            # reader; closing the connection ended the transaction already.
            with suppress(sqlite3.ProgrammingError):
                if self._db.in_transaction:
                    self._db.execute("COMMIT")

    def exported(
        self,
        since: datetime | None = None,
        *,
        with_steps: bool = False,
        with_back_care: bool = False,
        on_damage: OnDamage | None = None,
    ) -> Iterator[tuple[SessionValues, list[StepValues] | None]]:
        """What an export writes, a session at a time, as :meth:`HistoryStore.sessions` orders them.

        Each session's values (its completion added last) and, ``with_steps``,
        its steps' values (see :class:`~routine_timer.storage.rows.ExportRows`).
        Nothing is held but the session at hand. Damaged rows are left out and
        told to ``on_damage``: sessions as they come, steps once every session
        is out, as :meth:`HistoryStore.sessions` then :meth:`HistoryStore.iter_steps` do.
        """
        where, parameters = since_clause(since)
        check = ExportRows()
        damaged_steps: list[DamagedRow] = []
        with self._snapshot():
            sessions = self._fast_stream(
                f"SELECT {SESSION_COLUMNS}, {completion_sql('sessions')}"
                f"{', local_day' if with_back_care else ''} FROM sessions{where}"
                " ORDER BY started_at, id",
                parameters,
            )
            # Steps in the very order of their sessions, so the two merge as they come:
            # each session's steps are the next group of steps with its id.
            groups = (
                groupby(
                    self._fast_stream(
                        f"SELECT {EXPORT_STEP_COLUMNS} FROM sessions"
                        f" JOIN steps ON steps.session_id = sessions.id{where}"
                        " ORDER BY sessions.started_at, sessions.id, steps.id",
                        parameters,
                    ),
                    itemgetter(1),
                )
                if with_steps
                else None
            )
            group_id, group = (None, None) if groups is None else next(groups, (None, None))
            care = _BackCare(self, where, parameters) if with_back_care else None
            for row in sessions:
                values = check.session(row)
                # Every session's, so that the suggestions keep step with the sessions.
                back_care = None if care is None else care.of(row[0], row[18])
                session_steps: list[StepValues] | None = None
                if groups is not None:
                    session_steps = []
                    if group is not None and group_id == row[0]:
                        session_steps = check.steps(group, damaged_steps)
                        group_id, group = next(groups, (None, None))
                if isinstance(values, DamagedRow):
                    report(values, on_damage)
                elif back_care is None:
                    yield values, session_steps
                else:
                    yield (*values[:18], *back_care), session_steps
        for damaged in damaged_steps:
            report(damaged, on_damage)


class _BackCare:
    """Each exported session's back care, as the export reads it beside the sessions.

    The same as a subquery per session would give (whether a step was stopped
    for pain, the next morning's check, the suggestion with its answer), read
    in three queries instead: the few sessions stopped for pain and the
    morning checks by day at once, the suggestions as a cursor in the sessions'
    order, merged as they come: 0.07 s of SQLite against 0.13 s on 100,000 sessions.
    """

    __slots__ = ("_mornings", "_next", "_stopped", "_suggestions")

    def __init__(self, reader: HistoryReader, where: str, parameters: Sequence[Any]) -> None:
        self._stopped = {session for (session,) in reader.rows(STOPPED_FOR_PAIN_SELECT)}
        self._mornings = dict(reader.rows(MORNINGS_SELECT.format(where=where), parameters))
        self._suggestions = reader._fast_stream(SUGGESTIONS_SELECT.format(where=where), parameters)
        self._next = next(self._suggestions, None)

    def of(self, session: int, local_day: object) -> tuple[bool, object, object]:
        """Session ``session``'s: stopped for pain, morning after, suggestion (or None)."""
        suggestion = None
        following = self._next
        if following is not None and following[0] == session:
            suggestion = following[1]
            self._next = next(self._suggestions, None)
        return session in self._stopped, self._mornings.get(local_day), suggestion


class SessionTable(Sequence[SessionRecord | DamagedRow]):
    """The sessions in one order, read a page at a time as they are looked at.

    Made for a sortable table view of a long history: opening it counts the
    rows and reads nothing else, so a view of 100,000 sessions appears at
    once and only the screenfuls shown are ever read. In time order it pages
    through the start-time index; in any other order it reads the ids once,
    sorted by the database. It shows the file as it was when made: make a new
    one (:meth:`HistoryStore.session_table`, :meth:`sorted`) after writes.

    A session row that cannot be read is a :class:`DamagedRow` in its place
    (and logged), so the view can show it as damaged and keep every other row.
    """

    PAGE_SIZE = 200
    SORTABLE = (
        "started_at", "id", "routine_name", "routine_id", "status", "ended_at",
        "planned_seconds", "active_seconds", "paused_seconds", "steps_done",
        "steps_skipped", "pain_before", "pain_after", "rpe", "note",
    )  # fmt: skip

    def __init__(
        self,
        reader: HistoryReader,
        *,
        since: datetime | None = None,
        order_by: str = "started_at",
        descending: bool = False,
    ) -> None:
        if order_by not in self.SORTABLE:
            raise ValueError(f"cannot sort sessions by {order_by!r}")
        self._reader = reader
        self.since = since
        self.order_by = order_by
        self.descending = descending
        self._where, self._parameters = since_clause(since)
        direction = " DESC" if descending else ""
        # Equal keys keep time order, so a sort never shuffles rows at random.
        tie = "" if order_by in ("started_at", "id") else f", started_at{direction}"
        self._order = f" ORDER BY {order_by}{direction}{tie}, id{direction}"
        self._ids: list[int] | None = None
        self._count: int
        if order_by == "started_at":
            [(self._count,)] = reader.rows(
                f"SELECT count(*) FROM sessions{self._where}", self._parameters
            )
        else:
            rows = reader.rows(f"SELECT id FROM sessions{self._where}{self._order}",
                               self._parameters)  # fmt: skip
            self._ids = [row[0] for row in rows]
            self._count = len(self._ids)
        self._pages: dict[int, list[SessionRecord | DamagedRow]] = {}

    def sorted(self, order_by: str, *, descending: bool = False) -> SessionTable:
        """The same sessions in another order (by a :data:`SORTABLE` column)."""
        return SessionTable(
            self._reader, since=self.since, order_by=order_by, descending=descending
        )

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> SessionRecord | DamagedRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[SessionRecord | DamagedRow]: ...
    def __getitem__(
        self, index: int | slice
    ) -> SessionRecord | DamagedRow | Sequence[SessionRecord | DamagedRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        row = index + self._count if index < 0 else index
        if not 0 <= row < self._count:
            raise IndexError(f"session row {index} out of range")
        number, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._pages[number] = self._read_page(number)
        return page[offset]

    def _read_page(self, number: int) -> list[SessionRecord | DamagedRow]:
        first = number * self.PAGE_SIZE
        if self._ids is None:
            rows = self._reader.rows(
                f"SELECT {SESSION_COLUMNS} FROM sessions{self._where}{self._order}"
                " LIMIT ? OFFSET ?",
                (*self._parameters, self.PAGE_SIZE, first),
            )
            return [session_or_damage(row) for row in rows]
        ids = self._ids[first : first + self.PAGE_SIZE]
        rows = self._reader.rows(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
        by_id = {row[0]: session_or_damage(row) for row in rows}
        return [by_id[session_id] for session_id in ids]


def session_or_damage(row: Sequence[Any]) -> SessionRecord | DamagedRow:
    """One session row for the table: a damaged one stays in its place, and is logged."""
    record = session_from_row(row)
    if isinstance(record, DamagedRow):
        report(record, None)
    return record


def since_clause(since: datetime | None) -> tuple[str, tuple[str, ...]]:
    if since is None:
        return "", ()
    return " WHERE sessions.started_at >= ?", (to_text(since),)
