"""Record sessions as they happen and read them back.

A session row is written when the session starts, a step row (committed at
once) as each step ends, and the finish at the end, so a crash loses at most
the step in progress. A session whose recorder died shows as "abandoned"
with every step that was finished; one recorded by another live instance
stays "running" (see :mod:`routine_timer.storage.owners`).

Times are stored as UTC ISO 8601 text and handed out as aware datetimes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, cast

from routine_timer.core.checkin import check_rating
from routine_timer.core.levels import Rung
from routine_timer.core.model import Variant
from routine_timer.core.progression import BackHistory, Morning, Suggestion
from routine_timer.core.redflags import Why
from routine_timer.core.stats import DaySummary, RoutineSummary
from routine_timer.storage import backcare
from routine_timer.storage.db import (
    BUSY_TIMEOUT_SECONDS,
    HistoryError,
    MovedAside,
    checkpoint,
    open_database,
    write_transaction,
)
from routine_timer.storage.owners import OwnerLock, is_alive
from routine_timer.storage.reading import (
    JOINEDSTEP_COLUMNS,
    SESSION_COLUMNS,
    STEP_COLUMNS,
    HistoryReader,
    SessionTable,
    history_failure,
    session_or_damage,
    since_clause,
    to_text,
)
from routine_timer.storage.records import (
    EXERCISE_KINDS,
    DamagedRow,
    FinishStatus,
    SessionRecord,
    StepRecord,
)
from routine_timer.storage.rows import (
    OnDamage,
    SessionValues,
    StepValues,
    day_from_row,
    good_rows,
    report,
    routine_from_row,
    session_from_row,
    step_from_row,
)

log = logging.getLogger(__name__)

__all__ = [
    "DamagedRow",
    "HistoryError",
    "HistoryReader",
    "HistoryStore",
    "MovedAside",
    "OnDamage",
    "SessionRecord",
    "SessionTable",
    "StepRecord",
]


class _Unset(Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET


class HistoryStore:
    """The history file: record sessions as they happen, read them back.

    Opening it creates or upgrades the file, moves a damaged one aside (see
    :attr:`moved_aside`) and marks sessions whose recorder died "abandoned".
    Every method raises :class:`HistoryError` with a message for the user
    when the file cannot be read or written. Readers leave out rows that
    cannot be read, log them and tell ``on_damage`` (see
    :mod:`routine_timer.storage.rows`).

    Opening, the end of a session and its check-in copy what was written into
    the database file itself (:func:`~routine_timer.storage.db.checkpoint`),
    so a backup of that file alone holds them even if the app is killed later.
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
        self._reader = HistoryReader(self._db, self.path)
        self.moved_aside: MovedAside | None = opened.moved_aside
        """The damaged file replaced when opening, if any: tell the user."""
        self._owner: OwnerLock | None = None
        self._mark_abandoned_if_possible()
        # After the upgrade and the abandoned sessions: on a new file the
        # tables themselves would otherwise exist only in the -wal file.
        self._checkpoint()

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
            except HistoryError as error:
                # Closing must not fail: with the lock released below, the
                # next store to open the file marks them abandoned instead.
                log.warning("%s", error)
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
            raise self._failure(error) from error

    def open_reader(self) -> HistoryReader:
        """A reader on a connection of its own, usable on another thread; close it when done.

        Running sessions whose recorder died are marked abandoned first, as
        :meth:`sessions` does, so both read the same.
        """
        self._mark_abandoned_if_possible()
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute("PRAGMA query_only = ON")
        except sqlite3.Error as error:
            raise history_failure(error, self.path) from error
        return HistoryReader(connection, self.path, own_connection=True)

    def exported(
        self,
        since: datetime | None = None,
        *,
        with_steps: bool = False,
        on_damage: OnDamage | None = None,
    ) -> Iterator[tuple[SessionValues, list[StepValues] | None]]:
        """What an export writes, a session at a time (see :meth:`HistoryReader.exported`)."""
        self._mark_abandoned_if_possible()
        return self._reader.exported(since, with_steps=with_steps, on_damage=on_damage)

    def _checkpoint(self) -> None:
        """Copy committed writes into the database file; a failure is logged, never raised.

        The writes are committed either way (the -wal file is part of the
        database), so a checkpoint that cannot run must not fail the caller.
        """
        try:
            if not checkpoint(self._db):
                log.info("%s: another instance is reading; the rest is copied later", self.path)
        except sqlite3.Error as error:
            log.warning("%s", self._failure(error))

    def _failure(self, error: sqlite3.Error) -> HistoryError:
        return history_failure(error, self.path)

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
        started = started_at or self._now()
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
                " local_day, status, planned_seconds, planned_steps, pain_before, owner)"
                " VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                (
                    routine_id,
                    routine_name,
                    routine_sha256,
                    to_text(started),
                    # The day as lived where it was done, for streaks and the heat map.
                    started.astimezone().date().isoformat(),
                    planned_seconds,
                    planned_steps,
                    pain_before,
                    self._owner.token,
                ),
            )
            return cast(int, cursor.lastrowid)

    def replan_session(
        self, session_id: int, *, planned_seconds: float, planned_steps: int
    ) -> None:
        """Record a new plan for a running session (a variation was picked mid-session)."""
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE sessions SET planned_seconds = ?, planned_steps = ?"
                " WHERE id = ? AND status = 'running'",
                (planned_seconds, planned_steps, session_id),
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"There is no running session {session_id} in the history.")

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
        variant: str | None = None,
    ) -> None:
        """Record a step that just ended, committed before returning.

        ``variant`` is "easier" or "harder" for a variation picked in the session.
        """
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
                f"INSERT INTO steps ({STEP_COLUMNS.split(', ', 1)[1]})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    None if variant is None else str(variant),
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
        self._checkpoint()

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
        # The check-in is the last thing a session writes, often after its finish.
        self._checkpoint()

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

    # -- back care (docs/back-care.md) ---------------------------------------

    def record_morning(self, day: date, answer: Morning) -> None:
        """The next-morning check given on ``day`` (a local day); a second answer replaces it."""
        with self._writing() as db:
            backcare.write_morning(db, day, answer, self._now())
        self._checkpoint()

    def morning(self, day: date) -> Morning | None:
        """The next-morning check given on ``day``, if any."""
        return backcare.mornings(self._reader, day).get(day)

    def record_red_flags(
        self, why: Why, answers: Mapping[str, bool | None], *, session_id: int | None = None
    ) -> int:
        """One answering of the red-flag questions (question id: yes, no or None); its id.

        All None records that they were offered and skipped.
        """
        with self._writing() as db:
            check = backcare.write_red_flags(db, why, answers, self._now(), session_id)
        self._checkpoint()
        return check

    def red_flag_checks(self, since: date | None = None) -> list[backcare.RedFlagRecord]:
        """Every answering of the red-flag questions from the local day ``since``, oldest first."""
        return backcare.red_flag_checks(self._reader, since)

    def show_suggestion(self, suggestion: Suggestion | None, session_id: int) -> None:
        """What session ``session_id``'s finish screen shows now (None: no suggestion)."""
        with self._writing() as db:
            if suggestion is None:
                backcare.clear_suggestion(db, session_id)
            else:
                backcare.write_suggestion(db, suggestion, self._now())

    def answer_suggestion(self, session_id: int, accepted: bool) -> None:
        """The runner accepted (or declined) the suggestion session ``session_id`` showed."""
        with self._writing() as db:
            if not backcare.write_answer(db, session_id, accepted, self._now()):
                raise HistoryError(f"Session {session_id} showed no suggestion to answer.")
        self._checkpoint()

    def suggestions(self, since: date | None = None) -> list[backcare.SuggestionRecord]:
        """The suggestions shown by sessions from the local day ``since``, oldest first."""
        return backcare.suggestions(self._reader, since)

    def accepted_level(self, routine_id: str) -> Variant | None:
        """The variations of the level last accepted for ``routine_id`` (see backcare)."""
        return backcare.accepted_level(self._reader, routine_id)

    def accepted_targets(self) -> list[Rung]:
        """The levels of the steps up or back accepted, in the order answered (see backcare)."""
        return backcare.accepted_targets(self._reader)

    def pending_suggestions(self) -> list[backcare.SuggestionRecord]:
        """Each routine's latest suggestion while it is unanswered (see backcare)."""
        return backcare.pending_suggestions(self._reader)

    def pain_stops(self, since: date | None = None) -> list[backcare.PainStop]:
        """Every step stopped with "stopped: pain", from the local day ``since``."""
        return backcare.pain_stops(self._reader, since)

    def back_history(self, since: date | None = None) -> BackHistory:
        """What the progression rules read: finished sessions, checks, suggestions shown."""
        self._mark_abandoned_if_possible()
        return backcare.back_history(self._reader, since)

    def last_session_day(self, before: date) -> date | None:
        """The last local day before ``before`` on which a session was finished."""
        return backcare.last_session_day(self._reader, before)

    def mark_abandoned(self) -> int:
        """Mark running sessions whose recorder has died "abandoned"; return how many."""
        rows = self._reader.rows("SELECT id, owner FROM sessions WHERE status = 'running'")
        mine = self._owner.token if self._owner is not None else None
        dead = [
            session_id
            for session_id, owner in rows
            # An owner that is not text was never written by a recorder: none is alive.
            if (mine is None or owner != mine)
            and not is_alive(self.path, owner if type(owner) is str else None)
        ]
        if dead:
            with self._writing():
                for session_id in dead:
                    self._abandon("id = ? AND status = 'running'", (session_id,))
        return len(dead)

    def _mark_abandoned_if_possible(self) -> None:
        # Reading must work even where writing does not (a read-only folder);
        # the sessions then still show as running until a writer opens it.
        try:
            self.mark_abandoned()
        except HistoryError as error:
            log.warning("%s", error)

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

    def sessions(
        self, since: datetime | None = None, *, on_damage: OnDamage | None = None
    ) -> list[SessionRecord]:
        """Sessions started at or after ``since`` (all by default), oldest first.

        Damaged rows are left out and told to ``on_damage``.
        """
        self._mark_abandoned_if_possible()
        where, parameters = since_clause(since)
        rows = self._reader.rows(
            f"SELECT {SESSION_COLUMNS} FROM sessions{where} ORDER BY started_at, id", parameters
        )
        return good_rows(rows, session_from_row, on_damage)

    def completed_days(self, first: date, last: date) -> list[tuple[date, str]]:
        """Each routine completed on each day from ``first`` to ``last`` (see HistoryReader)."""
        return self._reader.completed_days(first, last)

    def session_table(
        self,
        since: datetime | None = None,
        *,
        order_by: str = "started_at",
        descending: bool = False,
    ) -> SessionTable:
        """Like :meth:`sessions`, for a table view: read a page at a time, in any order."""
        self._mark_abandoned_if_possible()
        return SessionTable(self._reader, since=since, order_by=order_by, descending=descending)

    def session(self, session_id: int) -> SessionRecord | None:
        """One session, or None if there is no such id.

        Raises :class:`HistoryError` saying what is wrong when its row is damaged.
        """
        rows = self._reader.rows(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
        )
        if not rows:
            return None
        record = session_or_damage(rows[0])
        if isinstance(record, DamagedRow):
            raise HistoryError(f"In the history file {self.path}, {record.description} is damaged.")
        return record

    def steps(self, session_id: int, *, on_damage: OnDamage | None = None) -> list[StepRecord]:
        """The recorded steps of one session, in the order they ended (damaged ones left out)."""
        rows = self._reader.rows(
            f"SELECT {STEP_COLUMNS} FROM steps WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return good_rows(rows, step_from_row, on_damage)

    def iter_steps(
        self, since: datetime | None = None, *, on_damage: OnDamage | None = None
    ) -> Iterator[StepRecord]:
        """Steps of every session started at or after ``since``, by session then order.

        Damaged rows are left out and told to ``on_damage``.
        """
        where, parameters = since_clause(since)
        query = (
            f"SELECT {JOINEDSTEP_COLUMNS}"
            f" FROM steps JOIN sessions ON sessions.id = steps.session_id{where}"
            " ORDER BY steps.session_id, steps.id"
        )
        for row in self._reader.stream(query, parameters):
            step = step_from_row(row)
            if isinstance(step, DamagedRow):
                report(step, on_damage)
            else:
                yield step

    def day_summaries(self, *, on_damage: OnDamage | None = None) -> list[DaySummary]:
        """Finished sessions added up per local day (damaged days left out).

        Read from totals the database keeps up to date as sessions change, so
        a long history costs a row per day, not per session. The day is the
        local date where the session was done. These totals are the one
        implementation of these sums: ``core.stats`` builds the figures on them.
        """
        rows = self._reader.rows(
            "SELECT day, sessions, completed, active_seconds,"
            " CAST(pain_before_sum AS REAL) / nullif(pain_before_count, 0),"
            " CAST(pain_after_sum AS REAL) / nullif(pain_after_count, 0)"
            " FROM daily_totals ORDER BY day"
        )
        return good_rows(rows, day_from_row, on_damage)

    def routine_summaries(self, *, on_damage: OnDamage | None = None) -> list[RoutineSummary]:
        """Per routine: times done, attempts, last done, average completion (damaged ones left out).

        Read from the same kept-up totals; completion is ``db.completion_sql``.
        """
        rows = self._reader.rows(
            "SELECT routine_id, routine_name, last_started, completed,"
            " sessions, completion_sum / sessions"
            " FROM routine_totals ORDER BY last_started DESC"
        )
        return good_rows(rows, routine_from_row, on_damage)


def _check_rating(name: str, value: int | None, lowest: int) -> None:
    check_rating(name, value, lowest, 10)  # every rating is on a scale up to 10
