"""The days each routine was completed, as a plan counts them."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from routine_timer.storage.history import HistoryStore


@pytest.fixture
def east(monkeypatch: pytest.MonkeyPatch):
    """Local time two hours east of UTC, for SQLite and Python alike."""
    monkeypatch.setenv("TZ", "UTC-02:00")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def session(store: HistoryStore, routine: str, when: datetime, status: str | None) -> None:
    number = store.start_session(routine, routine.title(), "", 60.0, started_at=when)
    if status is not None:
        store.finish_session(number, status, 60.0, 0.0, ended_at=when + timedelta(minutes=1))  # type: ignore[arg-type]


def test_completed_routines_per_local_day(tmp_path: Path, east: None) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        session(store, "core", datetime(2026, 3, 2, 8, tzinfo=UTC), "completed")
        session(store, "core", datetime(2026, 3, 2, 9, tzinfo=UTC), "completed")  # twice
        session(store, "warm-up", datetime(2026, 3, 2, 10, tzinfo=UTC), "stopped")
        session(store, "strength", datetime(2026, 3, 2, 11, tzinfo=UTC), None)  # running
        # 23:30 UTC is 01:30 on the next day where the user is.
        session(store, "strength", datetime(2026, 3, 2, 23, 30, tzinfo=UTC), "completed")
        session(store, "core", datetime(2026, 3, 9, 8, tzinfo=UTC), "completed")  # after
        assert store.completed_days(date(2026, 3, 1), date(2026, 3, 8)) == [
            (date(2026, 3, 2), "core"),
            (date(2026, 3, 3), "strength"),
        ]
        with store.open_reader() as reader:
            assert reader.completed_days(date(2026, 3, 3), date(2026, 3, 9)) == [
                (date(2026, 3, 3), "strength"),
                (date(2026, 3, 9), "core"),
            ]


@pytest.mark.parametrize(
    ("done", "skipped", "counts"),
    [
        (4, 0, True),  # every set
        (2, 2, True),  # half the sets: a day of the plan kept
        (1, 3, False),  # most sets skipped
        (0, 4, False),  # skipped through to the finish screen
    ],
)
def test_a_session_counts_when_at_least_half_its_sets_were_done(
    tmp_path: Path, done: int, skipped: int, counts: bool
) -> None:
    when = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        number = store.start_session("core", "Core", "", 120.0, started_at=when, planned_steps=4)
        for index in range(done + skipped):
            store.record_step(
                number,
                index=index,
                kind="work",
                exercise="Plank",
                set=index + 1,
                side=None,
                planned_seconds=30.0,
                actual_seconds=30.0 if index < done else 1.0,
                skipped=index >= done,
                ended_at=when + timedelta(seconds=30 * (index + 1)),
            )
        store.finish_session(
            number, "completed", 30.0 * done, 0.0, ended_at=when + timedelta(minutes=3)
        )
        day = when.astimezone().date()
        assert store.completed_days(day, day) == ([(day, "core")] if counts else [])
