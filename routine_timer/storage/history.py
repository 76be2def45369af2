"""Record sessions as they happen and read them back.

A session row is written when the session starts, a step row (committed at
once) as each step ends, and the finish at the end, so a crash loses at most
the step in progress. A session whose recorder died shows as "abandoned"
with every step that was finished; one recorded by another live instance
stays "running" (see :mod:`routine_timer.storage.owners`).

Times are stored as UTC ISO 8601 text and handed out as aware datetimes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, cast, overload

from routine_timer.core.stats import DaySummary, RoutineSummary
from routine_timer.storage.db import (
    HistoryError,
    MovedAside,
    history_error,
    open_database,
    write_transaction,
)
from routine_timer.storage.owners import OwnerLock, is_alive
from routine_timer.storage.records import (
    EXERCISE_KINDS,
    FinishStatus,
    SessionRecord,
    StepRecord,
)

__all__ = [
    "HistoryError",
    "HistoryStore",
    "MovedAside",
    "SessionRecord",
    "SessionTable",
    "StepRecord",
]

_SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_sha256, started_at, ended_at, status,"
    " planned_seconds, active_seconds, paused_seconds, planned_steps, steps_done,"
    " steps_skipped, pain_before, pain_after, rpe, note"
)
_STEP_COLUMNS = (
    "id, session_id, step_index, kind, exercise, set_number, side, planned_seconds,"
    " actual_seconds, skipped, stopped_for_pain, ended_at"
)
_EXERCISE_KINDS_SQL = ", ".join(f"'{kind}'" for kind in EXERCISE_KINDS)

# Mirrors core.stats.completion, so the database can average it per routine
# without handing every session to Python.
_COMPLETION_SQL = """
    CASE
        WHEN planned_steps > 0 THEN min(1.0, steps_done * 1.0 / planned_steps)
        WHEN planned_seconds > 0 AND active_seconds IS NOT NULL
            THEN min(1.0, active_seconds / planned_seconds)
        WHEN status = 'completed' THEN 1.0
        ELSE 0.0
    END"""


class _Unset(Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET


def to_text(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC ISO 8601 (so text order is time order)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; history times must be aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Inverse of :func:`to_text`."""
    return datetime.fromisoformat(text)


def _session(row: Sequence[Any]) -> SessionRecord:
    return SessionRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        from_text(row[4]),
        from_text(row[5]) if row[5] is not None else None,
        *row[6:],
    )


def _step(row: Sequence[Any]) -> StepRecord:
    return StepRecord(
        id=row[0],
        session_id=row[1],
        index=row[2],
        kind=row[3],
        exercise=row[4],
        set=row[5],
        side=row[6],
        planned_seconds=row[7],
        actual_seconds=row[8],
        skipped=bool(row[9]),
        stopped_for_pain=bool(row[10]),
        ended_at=from_text(row[11]),
    )


class SessionTable(Sequence[SessionRecord]):
    """Sessions for a long list view: rows are read at once, records made on demand.

    Turning 100,000 rows into records takes far longer than reading them, and
    a table view only ever shows a screenful, so each record is built (and
    kept) the first time it is asked for.
    """

    COLUMNS = tuple(name.strip() for name in _SESSION_COLUMNS.split(","))

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._records: list[SessionRecord | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> SessionRecord: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[SessionRecord]: ...
    def __getitem__(self, index: int | slice) -> SessionRecord | Sequence[SessionRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        record = self._records[index]
        if record is None:
            record = self._records[index] = _session(self._rows[index])
        return record

    def raw(self, index: int, column: str) -> Any:
        """The stored value of one cell (times as UTC ISO text), for sorting."""
        return self._rows[index][self.COLUMNS.index(column)]


class HistoryStore:
    """The history file: record sessions as they happen, read them back.

    Opening it creates or upgrades the file, moves a damaged one aside (see
    :attr:`moved_aside`) and marks sessions whose recorder died "abandoned".
    Every method raises :class:`HistoryError` with a message for the user
    when the file cannot be read or written.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.path = Path(path)
        self._now = now
        opened = open_database(self.path)
        self._db = opened.connection
        self.moved_aside: MovedAside | None = opened.moved_aside
        """The damaged file replaced when opening, if any: tell the user."""
        self._owner: OwnerLock | None = None
        self.mark_abandoned()

    # -- plumbing -----------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (for diagnostics and tests)."""
        return self._db

    def close(self) -> None:
        """Close the file. Sessions this store left running become "abandoned"."""
        if self._owner is not None:
            try:
                with self._writing():
                    self._abandon("owner = ?", (self._owner.token,))
            finally:
                self._owner.release()
                self._owner = None
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, with SQLite errors turned into HistoryError."""
        try:
            with write_transaction(self._db) as db:
                yield db
        except sqlite3.Error as error:
            raise history_error(error, self.path) from error

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise history_error(error, self.path) from error

    # -- recording ----------------------------------------------------------

    def start_session(
        self,
        routine_id: str,
        routine_name: str,
        routine_sha256: str,
        planned_seconds: float,
        *,
        started_at: datetime | None = None,
        pain_before: int | None = None,
        planned_steps: int | None = None,
    ) -> int:
        """Record that a session started; return its id.

        ``planned_steps`` is the number of exercise (work and manual) steps in
        the plan; it makes the completion figure exact.
        """
        _check_rating("pain before", pain_before, 0)
        if self._owner is None:
            try:
                self._owner = OwnerLock(self.path)
            except OSError as error:
                raise HistoryError(
                    f"Cannot save the history in {self.path.parent}: {error.strerror or error}."
                ) from error
        with self._writing() as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine_id, routine_name, routine_sha256, started_at,"
                " status, planned_seconds, planned_steps, pain_before, owner)"
                " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                (
                    routine_id,
                    routine_name,
                    routine_sha256,
                    to_text(started_at or self._now()),
                    planned_seconds,
                    planned_steps,
                    pain_before,
                    self._owner.token,
                ),
            )
            return cast(int, cursor.lastrowid)

    def record_step(
        self,
        session_id: int,
        *,
        index: int,
        kind: str,
        exercise: str | None,
        set: int | None,
        side: str | None,
        planned_seconds: float,
        actual_seconds: float,
        skipped: bool,
        stopped_for_pain: bool = False,
        ended_at: datetime | None = None,
    ) -> None:
        """Record a step that just ended, committed before returning."""
        counts = str(kind) in EXERCISE_KINDS
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE sessions SET steps_done = steps_done + ?,"
                " steps_skipped = steps_skipped + ? WHERE id = ?",
                (int(counts and not skipped), int(counts and skipped), session_id),
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"There is no session {session_id} in the history.")
            db.execute(
                f"INSERT INTO steps ({_STEP_COLUMNS.split(', ', 1)[1]})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    index,
                    str(kind),
                    exercise,
                    set,
                    None if side is None else str(side),
                    planned_seconds,
                    actual_seconds,
                    int(skipped),
                    int(stopped_for_pain),
                    to_text(ended_at or self._now()),
                ),
            )

    def finish_session(
        self,
        session_id: int,
        status: FinishStatus,
        active_seconds: float,
        paused_seconds: float,
        ended_at: datetime | None = None,
    ) -> None:
        """Record how the session ended: "completed" or "stopped" by the user."""
        if status not in ("completed", "stopped"):
            raise ValueError(f"a session finishes 'completed' or 'stopped', not {status!r}")
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, active_seconds = ?,"
                " paused_seconds = ?, owner = NULL WHERE id = ?",
                (
                    status,
                    to_text(ended_at or self._now()),
                    active_seconds,
                    paused_seconds,
                    session_id,
                ),
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"There is no session {session_id} in the history.")

    def set_checkin(
        self,
        session_id: int,
        *,
        pain_before: int | _Unset | None = _UNSET,
        pain_after: int | _Unset | None = _UNSET,
        rpe: int | _Unset | None = _UNSET,
        note: str | _Unset | None = _UNSET,
    ) -> None:
        """Store the back check-in; only the ratings passed are changed (None clears)."""
        changes: dict[str, object] = {}
        for name, value, lowest in (
            ("pain_before", pain_before, 0),
            ("pain_after", pain_after, 0),
            ("rpe", rpe, 1),
        ):
            if value is not _UNSET:
                _check_rating(name.replace("_", " "), value, lowest)
                changes[name] = value
        if note is not _UNSET:
            changes["note"] = (note.strip() or None) if note is not None else None
        if not changes:
            return
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._writing() as db:
            cursor = db.execute(
                f"UPDATE sessions SET {assignments} WHERE id = ?", (*changes.values(), session_id)
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"There is no session {session_id} in the history.")

    def flag_step_pain(self, session_id: int, index: int, stopped: bool = True) -> bool:
        """Mark the last recorded step with timeline ``index`` as "stopped: pain".

        Returns False when no such step was recorded.
        """
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE steps SET stopped_for_pain = ? WHERE id = (SELECT max(id) FROM steps"
                " WHERE session_id = ? AND step_index = ?)",
                (int(stopped), session_id, index),
            )
            return cursor.rowcount == 1

    def mark_abandoned(self) -> int:
        """Mark running sessions whose recorder has died "abandoned"; return how many."""
        rows = self._read("SELECT id, owner FROM sessions WHERE status = 'running'")
        mine = self._owner.token if self._owner is not None else None
        dead = [
            session_id
            for session_id, owner in rows
            if (mine is None or owner != mine) and not is_alive(self.path, owner)
        ]
        if dead:
            with self._writing():
                for session_id in dead:
                    self._abandon("id = ? AND status = 'running'", (session_id,))
        return len(dead)

    def _abandon(self, where: str, parameters: Sequence[Any]) -> None:
        # The session ends when its last recorded step did; its active time is
        # what those steps add up to. Paused time is unknown.
        self._db.execute(
            "UPDATE sessions SET status = 'abandoned', owner = NULL,"
            " ended_at = coalesce((SELECT max(ended_at) FROM steps"
            "   WHERE steps.session_id = sessions.id), started_at),"
            " active_seconds = (SELECT total(actual_seconds) FROM steps"
            "   WHERE steps.session_id = sessions.id)"
            f" WHERE status = 'running' AND {where}",
            parameters,
        )

    # -- reading ------------------------------------------------------------

    def sessions(self, since: datetime | None = None) -> list[SessionRecord]:
        """Sessions started at or after ``since`` (all by default), oldest first."""
        return list(self.session_table(since))

    def session_table(self, since: datetime | None = None) -> SessionTable:
        """Like :meth:`sessions`, but records are built only when looked at."""
        self.mark_abandoned()
        where, parameters = _since(since)
        return SessionTable(
            self._read(
                f"SELECT {_SESSION_COLUMNS} FROM sessions{where} ORDER BY started_at, id",
                parameters,
            )
        )

    def session(self, session_id: int) -> SessionRecord | None:
        """One session, or None if there is no such id."""
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        return _session(rows[0]) if rows else None

    def steps(self, session_id: int) -> list[StepRecord]:
        """The recorded steps of one session, in the order they ended."""
        rows = self._read(
            f"SELECT {_STEP_COLUMNS} FROM steps WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [_step(row) for row in rows]

    def iter_steps(self, since: datetime | None = None) -> Iterator[StepRecord]:
        """Steps of every session started at or after ``since``, by session then order."""
        where, parameters = _since(since)
        query = (
            f"SELECT {', '.join('steps.' + c.strip() for c in _STEP_COLUMNS.split(','))}"
            f" FROM steps JOIN sessions ON sessions.id = steps.session_id{where}"
            " ORDER BY steps.session_id, steps.id"
        )
        try:
            for row in self._db.execute(query, parameters):
                yield _step(row)
        except sqlite3.Error as error:
            raise history_error(error, self.path) from error

    def day_summaries(self) -> list[DaySummary]:
        """Finished sessions added up per local day (the computer's time zone).

        The database does the adding, so a long history is summed without
        building a record per session; equal to ``stats.day_summaries``.
        """
        rows = self._read(
            "SELECT date(started_at, 'localtime') AS day, count(*),"
            " sum(status = 'completed'), total(active_seconds),"
            " avg(pain_before), avg(pain_after)"
            " FROM sessions WHERE status != 'running' GROUP BY day ORDER BY day"
        )
        return [
            DaySummary(date.fromisoformat(row[0]), row[1], row[2], row[3], row[4], row[5])
            for row in rows
        ]

    def routine_summaries(self) -> list[RoutineSummary]:
        """Per routine: times done, attempts, last done, average completion.

        Computed by the database; equal to ``stats.routine_summaries``.
        """
        # SQLite takes the bare routine_name from the row holding max(started_at).
        rows = self._read(
            "SELECT routine_id, routine_name, max(started_at),"
            " sum(status = 'completed'), count(*),"
            f" avg({_COMPLETION_SQL})"
            " FROM sessions WHERE status != 'running'"
            " GROUP BY routine_id ORDER BY max(started_at) DESC"
        )
        return [
            RoutineSummary(
                routine_id=row[0],
                routine_name=row[1],
                times_done=row[3],
                attempts=row[4],
                last_done=from_text(row[2]),
                average_completion=row[5],
            )
            for row in rows
        ]


def _since(since: datetime | None) -> tuple[str, tuple[str, ...]]:
    if since is None:
        return "", ()
    return " WHERE sessions.started_at >= ?", (to_text(since),)


def _check_rating(name: str, value: int | None, lowest: int) -> None:
    if value is not None and not (isinstance(value, int) and lowest <= value <= 10):
        raise ValueError(f"{name} must be a whole number from {lowest} to 10, not {value!r}")
