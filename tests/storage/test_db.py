"""Opening the history file: upgrades, damaged files, read-only folders, full disks."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from routine_timer.storage import db
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.storage.reading import STOPPED_FOR_PAIN_SELECT
from tests.storage import recount

WHEN = datetime(2026, 3, 2, 7, 30, 5)

# The first released schema, frozen here as it was: the upgrade test must keep
# proving that files written by that version open, whatever MIGRATIONS become.
V1_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    routine_id TEXT NOT NULL,
    routine_name TEXT NOT NULL,
    routine_sha256 TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'stopped', 'abandoned')),
    planned_seconds REAL NOT NULL,
    active_seconds REAL,
    paused_seconds REAL
);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    step_index INTEGER NOT NULL,
    kind TEXT NOT NULL,
    exercise TEXT,
    set_number INTEGER,
    side TEXT,
    planned_seconds REAL NOT NULL,
    actual_seconds REAL NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
    ended_at TEXT NOT NULL
);
CREATE INDEX steps_by_session ON steps(session_id);
PRAGMA user_version = 1;
"""


def make_v1_file(path: Path) -> None:
    old = sqlite3.connect(path)
    old.executescript(V1_SCHEMA)
    old.executemany(
        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, "back", "Back care", "aa", "2026-01-05T07:00:00.000000+00:00",
             "2026-01-05T07:12:00.000000+00:00", "completed", 700.0, 690.0, 30.0),
            (2, "back", "Back care", "aa", "2026-01-06T07:00:00.000000+00:00",
             None, "running", 700.0, None, None),
        ],
    )  # fmt: skip
    old.executemany(
        "INSERT INTO steps (session_id, step_index, kind, exercise, set_number, side,"
        " planned_seconds, actual_seconds, skipped, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (1, 0, "prepare", None, None, None, 10, 10, 0, "2026-01-05T07:00:10.000000+00:00"),
            (1, 1, "work", "Bridge", 1, None, 30, 30, 0, "2026-01-05T07:00:40.000000+00:00"),
            (1, 2, "rest", None, None, None, 15, 2, 1, "2026-01-05T07:00:42.000000+00:00"),
            (1, 3, "manual", "Squat", 1, None, 0, 41, 0, "2026-01-05T07:01:23.000000+00:00"),
            (1, 5, "work", "Plank", 1, "left", 30, 3, 1, "2026-01-05T07:01:26.000000+00:00"),
            (2, 1, "work", "Bridge", 1, None, 30, 30, 0, "2026-01-06T07:00:40.000000+00:00"),
        ],
    )
    old.commit()
    old.close()


def test_a_new_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    connection = db.open_database(tmp_path / "new" / "history.sqlite3").connection
    try:
        assert db.schema_version(connection) == db.SCHEMA_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        connection.close()


@pytest.fixture
def eight_hours_west(monkeypatch: pytest.MonkeyPatch):
    """Local time eight hours west of UTC: 07:00 UTC is the day before locally."""
    monkeypatch.setenv("TZ", "UTC+08:00")  # POSIX sign: positive is west
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("eight_hours_west")
def test_a_version_1_file_is_upgraded_in_place_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_v1_file(path)

    with HistoryStore(path) as store:
        assert db.schema_version(store.connection) == db.SCHEMA_VERSION
        first, second = store.sessions()
        assert (first.id, first.status, first.active_seconds, first.paused_seconds) == (
            1,
            "completed",
            690.0,
            30.0,
        )
        # Counters are filled in from the old steps: rests do not count.
        assert (first.steps_done, first.steps_skipped) == (2, 1)
        assert first.pain_before is None and first.planned_steps is None
        assert [s.exercise for s in store.steps(1)] == [None, "Bridge", None, "Squat", "Plank"]
        assert not any(s.stopped_for_pain for s in store.steps(1))
        # Written by the old version, which is no longer running it.
        assert (second.status, second.steps_done) == ("abandoned", 1)
        # The upgraded file takes new sessions and check-ins.
        new = store.start_session("back", "Back care", "bb", 700.0, pain_before=2)
        store.set_checkin(1, pain_after=1)
        assert store.session(new) is not None
        assert store.session(1).pain_after == 1  # type: ignore[union-attr]
        # Old sessions join the per-day totals, on their local day.
        records = [s for s in store.sessions() if s.status != "running"]
        assert [d.day.isoformat() for d in store.day_summaries()] == ["2026-01-04", "2026-01-05"]
        assert store.day_summaries() == recount.day_summaries(records)
        assert store.routine_summaries() == recount.routine_summaries(records)
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("start", range(db.SCHEMA_VERSION))
def test_every_version_upgrades_step_by_step(tmp_path: Path, start: int) -> None:
    connection = sqlite3.connect(tmp_path / "history.sqlite3", isolation_level=None)
    assert db.migrate(connection, target=start) == start
    assert db.migrate(connection) == db.SCHEMA_VERSION
    assert db.migrate(connection) == db.SCHEMA_VERSION  # nothing left to do
    connection.close()


def test_a_file_from_a_newer_version_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db.open_database(path).connection.close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    newer.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer version of routine-timer"):
        HistoryStore(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    junk = b"this is a shopping list, not a database\n" * 200
    path.write_bytes(junk)
    Path(f"{path}-wal").write_bytes(b"stale wal")

    opened = db.open_database(path, now=lambda: WHEN)
    opened.connection.close()

    moved = opened.moved_aside
    assert moved is not None
    assert moved.moved_to == tmp_path / "history.sqlite3.corrupt-20260302-073005"
    assert moved.moved_to.read_bytes() == junk
    assert moved.companions == (tmp_path / "history.sqlite3.corrupt-20260302-073005-wal",)
    assert str(moved.moved_to) in moved.message
    assert "not a database" in moved.message
    assert db.schema_version(db.open_database(path).connection) == db.SCHEMA_VERSION


def test_a_malformed_database_is_moved_aside_and_the_store_says_where(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        for n in range(50):
            store.start_session("r", f"Routine {n}", "", 60.0)
    # Scribble over the pages after the first: the tables' b-trees.
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : len(data)] = b"\xa5" * (len(data) - page)
    path.write_bytes(bytes(data))

    with HistoryStore(path) as store:
        assert store.moved_aside is not None
        assert store.moved_aside.moved_to.name.startswith("history.sqlite3.corrupt-")
        assert store.moved_aside.moved_to.read_bytes() == bytes(data)
        assert store.sessions() == []
        store.start_session("r", "R", "", 60.0)


def test_a_moved_aside_name_never_replaces_an_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    earlier = tmp_path / "history.sqlite3.corrupt-20260302-073005"
    earlier.write_bytes(b"the first damaged file")
    path.write_bytes(b"x" * 4096)
    moved = db.open_database(path, now=lambda: WHEN)
    moved.connection.close()
    assert moved.moved_aside is not None
    assert moved.moved_aside.moved_to.name == "history.sqlite3.corrupt-20260302-073005-2"
    assert earlier.read_bytes() == b"the first damaged file"


def test_a_data_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(HistoryError, match="Cannot create the data folder"):
        HistoryStore(blocker / "history.sqlite3")


def test_a_folder_in_place_of_the_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").mkdir()
    with pytest.raises(HistoryError, match="not a file"):
        HistoryStore(tmp_path / "history.sqlite3")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write a read-only folder"
)
def test_a_read_only_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(HistoryError, match="history"):
            HistoryStore(folder / "history.sqlite3")
    finally:
        folder.chmod(0o755)


def test_a_read_only_file_can_be_read_and_writing_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.finish_session(store.start_session("r", "R", "", 60.0), "completed", 60.0, 0.0)
    with HistoryStore(path) as store:  # a recorder that died, leaving a running session
        store.start_session("r", "R", "", 60.0)
        assert store._owner is not None
        store._owner._handle.close()  # type: ignore[union-attr]
        store._owner._handle = None
        store._owner = None
    # What a read-only folder or file looks like to SQLite, even when running as root.
    real_connect = sqlite3.connect

    def read_only(database: object, **options: object) -> sqlite3.Connection:
        return real_connect(f"file:{database}?mode=ro", uri=True, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with HistoryStore(path) as store:
        # Listed as they are: marking the dead one abandoned needs a write.
        assert [s.status for s in store.sessions()] == ["completed", "running"]
        with pytest.raises(HistoryError, match="is read-only"):
            store.start_session("r", "R", "", 60.0)
    with pytest.raises(HistoryError, match="cannot be opened"):
        HistoryStore(tmp_path / "new.sqlite3")
    monkeypatch.undo()
    with HistoryStore(path) as store:
        assert [s.status for s in store.sessions()] == ["completed", "abandoned"]


def test_writes_refused_as_read_only_are_a_clear_error_and_keep_earlier_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        kept = store.start_session("r", "R", "", 60.0)
        # What SQLite answers when the file or its folder became read-only.
        store.connection.execute("PRAGMA query_only = ON")
        with pytest.raises(HistoryError, match="read-only"):
            store.start_session("r", "R", "", 60.0)
        with pytest.raises(HistoryError, match="read-only"):
            store.record_step(
                kept,
                index=0,
                kind="work",
                exercise="Plank",
                set=1,
                side=None,
                planned_seconds=30.0,
                actual_seconds=30.0,
                skipped=False,
            )
        assert [s.id for s in store.sessions()] == [kept]
        store.connection.execute("PRAGMA query_only = OFF")
    with HistoryStore(path) as store:
        assert [s.id for s in store.sessions()] == [kept]


def test_a_full_disk_is_a_clear_error_and_keeps_earlier_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        session = store.start_session("r", "R", "", 60.0)
        # Let the file grow by a few pages only: SQLite then answers SQLITE_FULL.
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        recorded = 0
        with pytest.raises(HistoryError, match="disk is full") as failure:
            for index in range(10_000):
                store.record_step(
                    session,
                    index=index,
                    kind="work",
                    exercise="A long exercise name " * 20,
                    set=1,
                    side=None,
                    planned_seconds=30.0,
                    actual_seconds=30.0,
                    skipped=False,
                )
                recorded += 1
        assert "sessions already saved are kept" in str(failure.value)
        assert recorded > 0
        assert len(store.steps(session)) == recorded
        assert store.session(session).steps_done == recorded  # type: ignore[union-attr]
    with HistoryStore(path) as store:
        assert len(store.steps(session)) == recorded
        assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_damage_found_while_reading_moves_the_file_aside_at_the_next_opening(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store, store.connection:
        store.connection.executemany(
            "INSERT INTO sessions (routine_id, routine_name, routine_sha256, started_at,"
            " status, planned_seconds) VALUES ('r', ?, ?, '2026-03-02', 'completed', 60)",
            [(f"Routine {n}", "x" * 64) for n in range(3000)],
        )
    # Damage in the middle of the sessions table, away from the pages read
    # when the file is opened.
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    pages = len(data) // size
    for page in range(pages * 3 // 10, pages // 2):
        data[page * size : (page + 1) * size] = b"\xa5" * size
    path.write_bytes(bytes(data))

    with HistoryStore(path) as store:
        assert store.moved_aside is None
        with pytest.raises(HistoryError, match=r"damaged\. It will be moved aside"):
            store.sessions()
    assert db.damage_marker(path).exists()

    with HistoryStore(path) as store:
        assert store.moved_aside is not None
        assert "integrity check" in store.moved_aside.message
        assert store.moved_aside.moved_to.read_bytes() == bytes(data)
        assert store.sessions() == []
    assert not db.damage_marker(path).exists()


def test_a_sound_file_with_a_stale_damage_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.start_session("r", "R", "", 60.0)
    db.damage_marker(path).touch()
    with HistoryStore(path) as store:
        assert store.moved_aside is None
        assert len(store.sessions()) == 1
    assert not db.damage_marker(path).exists()


def test_version_8_indexes_the_steps_stopped_for_pain_for_the_export(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "history.sqlite3", isolation_level=None)
    assert db.migrate(connection, target=7) == 7
    connection.executemany(
        "INSERT INTO sessions (id, routine_id, routine_name, started_at, planned_seconds)"
        " VALUES (?, 'back', 'Back care', ?, 60.0)",
        [(1, "2026-01-05T07:00:00.000000+00:00"), (2, "2026-01-06T07:00:00.000000+00:00")],
    )
    connection.executemany(
        "INSERT INTO steps (session_id, step_index, kind, planned_seconds, actual_seconds,"
        " stopped_for_pain, ended_at) VALUES (?, ?, 'work', 30, 30, ?, '2026-01-05T07:01:00')",
        [(1, 0, 0), (1, 1, 1), (2, 0, 0), (2, 1, 0)],
    )
    assert db.migrate(connection) == db.SCHEMA_VERSION
    indexed = connection.execute(
        "SELECT session_id FROM steps INDEXED BY steps_stopped_for_pain WHERE stopped_for_pain = 1"
    ).fetchall()
    assert indexed == [(1,)]
    # The export's look-up of the stops for pain reads that index, not every step.
    plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {STOPPED_FOR_PAIN_SELECT}")]
    assert plan == ["SCAN steps USING INDEX steps_stopped_for_pain"]
    assert connection.execute(STOPPED_FOR_PAIN_SELECT).fetchall() == [(1,)]
    connection.close()


class _BusyAtFirst:
    """A connection whose first ``tries`` statements are answered "database is locked"."""

    def __init__(self, connection: sqlite3.Connection, tries: int, code: int = 5) -> None:
        self.connection = connection
        self.tries = tries
        self.code = code
        self.calls = 0

    def execute(self, sql: str) -> sqlite3.Cursor:
        self.calls += 1
        if self.calls <= self.tries:
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorcode = self.code  # type: ignore[attr-defined]
            raise error
        return self.connection.execute(sql)


def test_wal_mode_is_asked_again_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    # Two processes opening a new file at once: SQLite answers one of them
    # "database is locked" at once instead of waiting (the two-process test in
    # test_reliability.py met it about one run in ten).
    with sqlite3.connect(tmp_path / "history.sqlite3") as connection:
        busy = _BusyAtFirst(connection, tries=3)
        db._use_wal(busy)  # type: ignore[arg-type]
        assert busy.calls == 4
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_wal_mode_gives_up_on_other_errors_and_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(tmp_path / "history.sqlite3") as connection:
        other = _BusyAtFirst(connection, tries=1, code=sqlite3.SQLITE_IOERR)
        with pytest.raises(sqlite3.OperationalError):
            db._use_wal(other)  # type: ignore[arg-type]
        assert other.calls == 1
        monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.05)
        forever = _BusyAtFirst(connection, tries=10**9)
        with pytest.raises(sqlite3.OperationalError):
            db._use_wal(forever)  # type: ignore[arg-type]
        assert 2 <= forever.calls < 10**9
