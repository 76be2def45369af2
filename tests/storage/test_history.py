"""HistoryStore: sessions recorded as they happen and read back."""

from __future__ import annotations

import logging
import os
import random
import shutil
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from routine_timer.core import stats
from routine_timer.storage.history import (
    HistoryError,
    HistoryStore,
    SessionRecord,
    SessionTable,
    to_text,
)
from tests.helpers.clocks import WALL_START, FakeClock
from tests.storage import recount

T0 = WALL_START
"""The store's wall-clock time until a test moves the clock on."""


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock):
    with HistoryStore(tmp_path / "history.sqlite3", now=clock.wall) as opened:
        yield opened


def work(store: HistoryStore, session: int, index: int, *, skipped: bool = False, **extra):
    fields = {
        "index": index,
        "kind": "work",
        "exercise": "Side plank",
        "set": 1,
        "side": "left",
        "planned_seconds": 30.0,
        "actual_seconds": 30.0 if not skipped else 4.0,
        "skipped": skipped,
    }
    fields.update(extra)
    store.record_step(session, **fields)


def test_a_session_is_written_as_it_happens(store: HistoryStore, clock: FakeClock) -> None:
    session = store.start_session("back", "Back care", "ab12", 300.0, planned_steps=3)
    [running] = store.sessions()
    assert (running.status, running.started_at, running.ended_at) == ("running", T0, None)

    store.record_step(
        session,
        index=0,
        kind="prepare",
        exercise=None,
        set=None,
        side=None,
        planned_seconds=10.0,
        actual_seconds=10.0,
        skipped=False,
    )
    clock.advance(40)
    work(store, session, 1)
    clock.advance(5)
    work(store, session, 2, skipped=True, side="right")
    assert store.session(session).steps_done == 1  # type: ignore[union-attr]

    clock.advance(10)
    store.finish_session(session, "completed", active_seconds=55.0, paused_seconds=12.5)

    [done] = store.sessions()
    assert done == SessionRecord(
        id=session,
        routine_id="back",
        routine_name="Back care",
        routine_sha256="ab12",
        started_at=T0,
        ended_at=T0 + timedelta(seconds=55),
        status="completed",
        planned_seconds=300.0,
        active_seconds=55.0,
        paused_seconds=12.5,
        planned_steps=3,
        steps_done=1,
        steps_skipped=1,
        pain_before=None,
        pain_after=None,
        rpe=None,
        note=None,
    )
    steps = store.steps(session)
    assert [(s.index, s.kind, s.side, s.skipped) for s in steps] == [
        (0, "prepare", None, False),
        (1, "work", "left", False),
        (2, "work", "right", True),
    ]
    assert steps[1].ended_at == T0 + timedelta(seconds=40)
    assert steps[1].ended_at.tzinfo is not None


def test_times_are_stored_as_utc_text_and_come_back_aware(store: HistoryStore) -> None:
    local = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    session = store.start_session("r", "R", "", 60.0, started_at=local)
    [text] = store.connection.execute("SELECT started_at FROM sessions").fetchone()
    assert text == "2026-03-02T07:00:00.000000+00:00"
    assert store.session(session).started_at == local  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="time zone"):
        store.start_session("r", "R", "", 60.0, started_at=datetime(2026, 3, 2, 9, 0))


def test_since_keeps_later_sessions(store: HistoryStore) -> None:
    for day in range(5):
        store.start_session("r", "R", "", 60.0, started_at=T0 + timedelta(days=day))
    later = store.sessions(since=T0 + timedelta(days=3))
    assert [s.started_at.day for s in later] == [5, 6]


def test_unknown_session_and_bad_status_are_refused(store: HistoryStore) -> None:
    with pytest.raises(HistoryError, match="no session 42"):
        work(store, 42, 0)
    with pytest.raises(HistoryError, match="no session 42"):
        store.finish_session(42, "completed", 1.0, 0.0)
    session = store.start_session("r", "R", "", 60.0)
    with pytest.raises(ValueError, match="'completed' or 'stopped'"):
        store.finish_session(session, "abandoned", 1.0, 0.0)  # type: ignore[arg-type]
    assert store.steps(session) == []


def test_checkin_changes_only_what_is_given(store: HistoryStore) -> None:
    session = store.start_session("r", "R", "", 60.0, pain_before=4)
    store.set_checkin(session, pain_after=6, rpe=7)
    store.set_checkin(session, note="  left hip tight  ")
    record = store.session(session)
    assert record is not None
    assert (record.pain_before, record.pain_after, record.rpe, record.note) == (
        4,
        6,
        7,
        "left hip tight",
    )
    store.set_checkin(session, pain_before=None, note="")
    record = store.session(session)
    assert record is not None
    assert (record.pain_before, record.pain_after, record.note) == (None, 6, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_before", 11),
        ("pain_after", -1),
        ("rpe", 0),
        ("rpe", 11),
        ("pain_after", 2.5),
        ("pain_after", True),  # a yes is not a rating
    ],
)
def test_ratings_out_of_range_are_refused(store: HistoryStore, field: str, value: object) -> None:
    session = store.start_session("r", "R", "", 60.0)
    with pytest.raises(ValueError, match="whole number"):
        store.set_checkin(session, **{field: value})  # type: ignore[arg-type]


def test_a_step_can_be_flagged_stopped_for_pain(store: HistoryStore) -> None:
    session = store.start_session("r", "R", "", 60.0)
    work(store, session, 1)
    work(store, session, 3, stopped_for_pain=True, skipped=True)
    assert store.flag_step_pain(session, 1)
    assert not store.flag_step_pain(session, 2)
    assert [s.stopped_for_pain for s in store.steps(session)] == [True, True]
    assert store.flag_step_pain(session, 1, stopped=False)
    assert [s.stopped_for_pain for s in store.steps(session)] == [False, True]


def test_a_live_stores_session_stays_running(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "history.sqlite3"
    first = HistoryStore(path, now=clock.wall)
    session = first.start_session("r", "R", "", 60.0)
    work(first, session, 1)

    with HistoryStore(path, now=clock.wall) as second:
        assert [s.status for s in second.sessions()] == ["running"]
        first.close()  # the recorder goes away without finishing
        [gone] = second.sessions()
    assert gone.status == "abandoned"
    assert gone.steps_done == 1


def test_a_dead_recorders_session_is_abandoned_with_its_steps(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path, now=clock.wall) as store:
        session = store.start_session("r", "R", "", 60.0)
        clock.advance(30)
        work(store, session, 1, actual_seconds=28.0)
        clock.advance(30)
        work(store, session, 2, actual_seconds=29.5)
        # As if the process had died: its lock file is left behind, unlocked.
        owner = store._owner
        assert owner is not None
        owner._handle.close()  # type: ignore[union-attr]
        owner._handle = None
        store.connection.close()
        lock_files = list((tmp_path / "history.sqlite3.owners").iterdir())
        assert len(lock_files) == 1
        store._owner = None

        with HistoryStore(path, now=clock.wall) as reopened:
            [record] = reopened.sessions()
            assert record.status == "abandoned"
            assert record.ended_at == T0 + timedelta(seconds=60)
            assert record.active_seconds == 57.5
            assert record.paused_seconds is None
            assert [s.index for s in reopened.steps(session)] == [1, 2]
        assert not lock_files[0].exists()


def test_finished_sessions_are_left_alone_by_others(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path, now=clock.wall) as store:
        session = store.start_session("r", "R", "", 60.0)
        store.finish_session(session, "stopped", 20.0, 0.0)
    with HistoryStore(path, now=clock.wall) as store:
        assert [s.status for s in store.sessions()] == ["stopped"]


def add(store: HistoryStore, when: datetime, status: str, *, routine: str = "r", **checkin):
    session = store.start_session(
        routine, routine.upper(), "", 100.0, started_at=when, planned_steps=4
    )
    for index in range(3 if status != "completed" else 4):
        work(store, session, index, skipped=index == 2 and status == "stopped")
    if status in ("completed", "stopped"):
        store.finish_session(session, status, 80.0, 5.0, ended_at=when + timedelta(minutes=2))  # type: ignore[arg-type]
    if checkin:
        store.set_checkin(session, **checkin)


def test_database_figures_match_the_pure_ones(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's 'localtime' follows TZ; pin it so local dates are known.
    monkeypatch.setenv("TZ", "UTC-02:00")  # POSIX sign: two hours east of UTC
    time.tzset()
    try:
        path = tmp_path / "history.sqlite3"
        with HistoryStore(path, now=clock.wall) as store:
            add(store, datetime(2026, 3, 1, 21, 30, tzinfo=UTC), "completed", pain_before=3)
            add(store, datetime(2026, 3, 1, 23, 0, tzinfo=UTC), "stopped", pain_after=5)
            add(store, datetime(2026, 3, 2, 8, 0, tzinfo=UTC), "completed", routine="b", rpe=6)
            add(store, datetime(2026, 3, 4, 8, 0, tzinfo=UTC), "completed", pain_before=2)
            store.start_session("b", "B", "", 10.0, started_at=datetime(2026, 3, 5, tzinfo=UTC))
            store.close()  # leaves the last one abandoned

        with HistoryStore(path, now=clock.wall) as store:
            records = store.sessions()
            local = timezone(timedelta(hours=2))
            assert store.day_summaries() == recount.day_summaries(records, local)
            assert store.routine_summaries() == recount.routine_summaries(records)
            days = store.day_summaries()
            figures = stats.progress(days, store.routine_summaries(), date(2026, 3, 5))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert [d.day for d in days] == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4),
                                     date(2026, 3, 5)]  # fmt: skip
    assert (days[1].sessions, days[1].completed, days[1].pain_after) == (2, 1, 5.0)
    assert figures.streaks == stats.Streaks(current=1, longest=2)
    assert [r.routine_id for r in figures.routines] == ["b", "r"]


@pytest.fixture
def pinned_zone(monkeypatch: pytest.MonkeyPatch):
    """Local time two hours east of UTC, for SQLite and Python alike."""
    monkeypatch.setenv("TZ", "UTC-02:00")
    time.tzset()
    yield timezone(timedelta(hours=2))
    monkeypatch.undo()
    time.tzset()


def assert_totals_match(store: HistoryStore, records: list[SessionRecord], zone: timezone) -> None:
    """The store's kept-up figures equal the ones computed from every record."""
    assert store.day_summaries() == recount.day_summaries(records, zone)
    by_sql = store.routine_summaries()
    by_python = recount.routine_summaries(records)
    assert [(r.routine_id, r.routine_name, r.times_done, r.attempts, r.last_done)
            for r in by_sql] == [
        (r.routine_id, r.routine_name, r.times_done, r.attempts, r.last_done)
        for r in by_python
    ]  # fmt: skip
    assert [r.average_completion for r in by_sql] == pytest.approx(
        [r.average_completion for r in by_python]
    )


def test_kept_up_totals_match_the_pure_figures_through_every_change(
    tmp_path: Path, pinned_zone: timezone
) -> None:
    rng = random.Random(7)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        ids = []
        for number in range(60):
            started = T0 + timedelta(hours=rng.randrange(0, 24 * 10))
            routine = rng.choice(["a", "b", "c"])
            session = store.start_session(
                routine, f"{routine} v{number}", "", rng.choice([0.0, 64.0, 128.0]),
                started_at=started, planned_steps=rng.choice([None, 4]),
                pain_before=rng.choice([None, 2, 5]),
            )  # fmt: skip
            ids.append(session)
            for index in range(rng.randrange(4)):
                work(store, session, index, skipped=rng.random() < 0.3, actual_seconds=16.0)
            ending = rng.random()
            if ending < 0.6:
                store.finish_session(session, rng.choice(["completed", "stopped"]), 32.0, 8.0)
        for session in rng.sample(ids, 20):  # check-ins and flags after the fact
            store.set_checkin(session, pain_after=rng.choice([None, 0, 7]), rpe=5)
        for session in rng.sample(ids, 5):  # a late step recorded into a finished session
            work(store, session, 9)
        store.close()  # unfinished ones become abandoned
        with HistoryStore(tmp_path / "history.sqlite3") as reopened:
            records = reopened.sessions()
            assert {r.status for r in records} == {"completed", "stopped", "abandoned"}
            assert_totals_match(reopened, records, pinned_zone)
            # Deleting sessions takes them out of the totals too.
            with reopened.connection:
                reopened.connection.execute("DELETE FROM sessions WHERE id % 2 = 0")
            records = reopened.sessions()
            assert_totals_match(reopened, records, pinned_zone)
            # Every session of one routine gone: the routine leaves the totals.
            with reopened.connection:
                reopened.connection.execute("DELETE FROM sessions WHERE routine_id = 'a'")
            records = reopened.sessions()
            assert_totals_match(reopened, records, pinned_zone)
            assert "a" not in {r.routine_id for r in reopened.routine_summaries()}


def test_taking_out_a_routines_latest_day_brings_back_the_day_before(
    tmp_path: Path, pinned_zone: timezone
) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        add(store, T0, "completed", routine="a")
        add(store, T0 + timedelta(days=1), "completed", routine="b")
        add(store, T0 + timedelta(days=2), "completed", routine="a")
        assert [r.routine_id for r in store.routine_summaries()] == ["a", "b"]
        with store.connection:
            store.connection.execute("DELETE FROM sessions WHERE started_at > ?",
                                     (to_text(T0 + timedelta(days=1, hours=1)),))  # fmt: skip
        records = store.sessions()
        assert store.routine_summaries() == recount.routine_summaries(records)
        assert [(r.routine_id, r.last_done) for r in store.routine_summaries()] == [
            ("b", T0 + timedelta(days=1)),
            ("a", T0),
        ]
        assert store.day_summaries() == recount.day_summaries(records, pinned_zone)


def fill(store: HistoryStore, count: int) -> list[int]:
    ids = []
    for number in range(count):
        session = store.start_session(
            f"r{number % 3}", f"Routine {number % 3}", "", 60.0,
            started_at=T0 + timedelta(minutes=7 * number),
        )  # fmt: skip
        store.finish_session(session, "completed", float(number % 5), 0.0)
        ids.append(session)
    return ids


def test_the_session_table_reads_pages_as_they_are_looked_at(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SessionTable, "PAGE_SIZE", 4)
    ids = fill(store, 11)
    table = store.session_table()
    assert len(table) == 11
    assert [record.id for record in table] == ids
    assert table[-1].id == ids[-1]
    assert [record.id for record in table[2:6]] == ids[2:6]
    with pytest.raises(IndexError):
        table[11]

    newest_first = store.session_table(descending=True)
    assert [record.id for record in newest_first] == ids[::-1]
    later = store.session_table(since=T0 + timedelta(minutes=7 * 8))
    assert [record.id for record in later] == ids[8:]


@pytest.mark.parametrize("descending", [False, True])
def test_the_session_table_sorts_by_any_column(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch, descending: bool
) -> None:
    monkeypatch.setattr(SessionTable, "PAGE_SIZE", 3)
    fill(store, 10)
    records = store.sessions()
    table = store.session_table().sorted("active_seconds", descending=descending)
    expected = sorted(
        records,
        key=lambda r: (r.active_seconds, r.started_at, r.id),
        reverse=descending,
    )
    assert list(table) == expected
    by_name = table.sorted("routine_name")
    assert [r.routine_name for r in by_name] == sorted(r.routine_name for r in records)
    with pytest.raises(ValueError, match="cannot sort"):
        table.sorted("routine_name; DROP TABLE sessions")


def file_alone(path: Path, folder: Path) -> sqlite3.Connection:
    """The database file copied without its ``-wal``: what a backup of it alone holds."""
    folder.mkdir()
    shutil.copyfile(path, folder / path.name)
    return sqlite3.connect(f"file:{folder / path.name}?immutable=1", uri=True)


def test_the_end_of_a_session_and_its_check_in_reach_the_file_itself(
    store: HistoryStore, tmp_path: Path
) -> None:
    session = store.start_session("back", "Back care", "", 60.0, pain_before=3)
    work(store, session, 0)
    store.finish_session(session, "completed", 30.0, 0.0)
    store.set_checkin(session, pain_after=2, note="easy")
    # The store is still open, as the app is until it quits (or is killed).
    copy = file_alone(store.path, tmp_path / "backup")
    assert copy.execute("SELECT status, pain_after, note FROM sessions").fetchall() == [
        ("completed", 2, "easy")
    ]
    assert copy.execute("SELECT count(*) FROM steps").fetchone() == (1,)
    copy.close()


def test_a_checkpoint_that_fails_is_logged_and_keeps_the_write(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(_connection: sqlite3.Connection) -> bool:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("routine_timer.storage.history.checkpoint", failing)
    session = store.start_session("back", "Back care", "", 60.0)
    with caplog.at_level(logging.WARNING, logger="routine_timer.storage.history"):
        store.finish_session(session, "completed", 60.0, 0.0)
    assert "disk I/O error" in caplog.text
    assert store.sessions()[0].status == "completed"


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are always Unicode")
def test_a_routine_whose_file_name_is_not_utf8_can_be_recorded(
    store: HistoryStore, tmp_path: Path
) -> None:
    from routine_timer.core.loader import load_routine

    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9.yaml"
    with open(name, "wb") as file:
        file.write(b"name: Cafe\nexercises: [{name: Plank, time: 5}]\n")
    routine = load_routine(os.fsdecode(name))
    assert routine.id == "caf\\xe9"  # the same on every start: history stays with it
    session = store.start_session(routine.id, routine.name, routine.sha256, 5)
    store.finish_session(session, "completed", 5, 0)
    assert [record.routine_id for record in store.sessions()] == ["caf\\xe9"]
