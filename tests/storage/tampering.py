"""Histories with rows changed behind the app's back, through plain ``sqlite3``.

The app only ever writes what its records hold, but the file is the user's:
another program, a sync conflict or a bad disk can leave anything in any
column, since SQLite keeps text in a number column and bytes in a text one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from routine_timer.storage.db import migrate
from routine_timer.storage.history import HistoryStore

T0 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
SESSION_IDS = (1, 2, 3)
TAMPERED = 2
"""The session every case changes (or whose steps it changes)."""
TAMPERED_STEPS = (3, 4)
"""The step ids of session 2."""


def write_history(path: Path) -> None:
    """Three finished sessions, a day apart, of two steps each, with a check-in."""
    with HistoryStore(path) as store:
        for number in range(3):
            started = T0 + timedelta(days=number)
            session = store.start_session(
                "back", "Back care", "0" * 64, 120.0, started_at=started,
                pain_before=3, planned_steps=2,
            )  # fmt: skip
            for index in range(2):
                store.record_step(
                    session,
                    index=index,
                    kind="work",
                    exercise="Side plank",
                    set=1,
                    side="left" if index == 0 else "right",
                    planned_seconds=30.0,
                    actual_seconds=30.0,
                    skipped=False,
                    ended_at=started + timedelta(seconds=30 * (index + 1)),
                )
            store.finish_session(session, "completed", 60.0, 5.0, started + timedelta(minutes=2))
            store.set_checkin(session, pain_after=2, rpe=5, note="fine")


def tamper(path: Path, statement: str) -> bool:
    """Run one raw ``UPDATE`` on the file as another program would; False if SQLite refused it.

    CHECK constraints are ignored, as any tool can. When the totals triggers
    refuse a value (arithmetic on text gives NULL), it is written with the
    triggers dropped and put back: a program that edits the file's pages
    directly never runs them either.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        try:
            connection.execute(statement)
            return True
        except sqlite3.IntegrityError:
            pass
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        connection.execute("BEGIN")
        for name, _sql in triggers:
            connection.execute(f"DROP TRIGGER {name}")
        try:
            connection.execute(statement)
        except sqlite3.IntegrityError:  # NOT NULL, which nothing can switch off
            connection.execute("ROLLBACK")
            return False
        for _name, sql in triggers:
            connection.execute(sql)
        connection.execute("COMMIT")
        return True
    finally:
        connection.close()


HOSTILE_VALUES = (
    "'garbage'",
    "''",
    "'abc'",
    "'a' || char(0) || '=1+1'",
    "char(0) || '=cmd'",
    "x'00ff'",
    "CAST(x'ff' AS TEXT)",
    "-1",
    "-9223372036854775808",
    "9223372036854775807",
    "2.5",
    "1e300",
    "9e999",
    "-9e999",
    "NULL",
    "'0001-01-01T00:00:00+00:00'",
    "'9999-12-31T23:59:59.999999+00:00'",
    "'2026-03-03T07:30:00'",
    "'2026-03-03'",
    # The app's own shape, but no time there is: exports check times a day at a time.
    "'2026-02-29T07:30:00.000000+00:00'",
    "'2026-03-03T24:00:00.000000+00:00'",
    "'2026-00-03T07:30:00.000000+00:00'",
    "'1970-12-31T23:59:59.999999+00:00'",
    "'9998-01-01T00:00:00.000000+00:00'",
    # Exports check a session's times in one match, joined by commas.
    "'2026-03-03T07:30:00.000000+00:00,2026-03-03T07:30:00.000000+00:00'",
    "'2026-03-03T07:30:00.000000+00:00,'",
)
"""SQL for values of every wrong kind: text, NUL, bytes, bad UTF-8, signs, sizes, times."""


def columns(table: str) -> list[str]:
    """Every column of ``table`` but its id, as a new file has them."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(connection)
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")][1:]
    finally:
        connection.close()


def every_tampering() -> list[str]:
    """One ``UPDATE`` per column of sessions and steps and per hostile value."""
    statements = [
        f"UPDATE sessions SET {column} = {value} WHERE id = {TAMPERED}"
        for column in columns("sessions")
        for value in HOSTILE_VALUES
    ]
    statements += [
        f"UPDATE steps SET {column} = {value} WHERE id = {TAMPERED_STEPS[0]}"
        for column in columns("steps")
        for value in HOSTILE_VALUES
    ]
    return statements
