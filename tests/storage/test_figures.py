"""The history's figures as the store keeps them: per local day and per routine.

These totals are the one implementation of each figure (``storage.db``: kept
by triggers, completion in ``completion_sql``); ``core.stats`` turns them
into streaks, weeks and trends. Local time is pinned five hours west of UTC.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from routine_timer.core import stats
from routine_timer.core.stats import DaySummary, PainPoint, RoutineSummary, Streaks
from routine_timer.storage.history import HistoryStore

LOCAL = timezone(timedelta(hours=-5))
TODAY = date(2026, 3, 11)  # a Wednesday


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HistoryStore]:
    monkeypatch.setenv("TZ", "EST5")  # POSIX sign: five hours west, no daylight saving
    time.tzset()
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        yield opened
    monkeypatch.undo()
    time.tzset()


def at(day: int, hour: int = 8, month: int = 3) -> datetime:
    """A local time on a day of March 2026, as the aware UTC time the store keeps."""
    return datetime(2026, month, day, hour, tzinfo=LOCAL).astimezone(UTC)


def add(
    store: HistoryStore,
    started: datetime,
    status: str = "completed",
    *,
    active: float | None = 600.0,
    planned_seconds: float = 600.0,
    planned_steps: int | None = None,
    done: int = 0,
    pain_before: int | None = None,
    pain_after: int | None = None,
    routine: tuple[str, str] = ("back", "Back care"),
) -> int:
    """One session as the recorder writes it; "abandoned" with ``active`` as an old file has it."""
    session = store.start_session(
        *routine, "", planned_seconds, started_at=started, planned_steps=planned_steps,
        pain_before=pain_before,
    )  # fmt: skip
    for index in range(done):
        store.record_step(
            session, index=index, kind="work", exercise="Plank", set=None, side=None,
            planned_seconds=30.0, actual_seconds=30.0, skipped=False, ended_at=started,
        )  # fmt: skip
    if status in ("completed", "stopped"):
        store.finish_session(session, status, active or 0.0, 0.0, ended_at=started)  # type: ignore[arg-type]
        if active is None:
            store.connection.execute("UPDATE sessions SET active_seconds = NULL WHERE id = ?",
                                     (session,))  # fmt: skip
    elif status == "abandoned":
        store.connection.execute(
            "UPDATE sessions SET status = 'abandoned', owner = NULL, ended_at = started_at,"
            " active_seconds = ? WHERE id = ?",
            (active, session),
        )
    if pain_after is not None:
        store.set_checkin(session, pain_after=pain_after)
    return session


def test_sessions_are_added_up_per_local_day(store: HistoryStore) -> None:
    add(store, at(9, 7), pain_before=4, pain_after=2)
    add(store, at(9, 22), "stopped", active=120.0, pain_before=6)  # 03:00 UTC the next day
    add(store, at(10, 8), "abandoned", active=None)
    add(store, at(10, 9), "running")  # not finished: left out
    assert store.day_summaries() == [
        DaySummary(date(2026, 3, 9), 2, 1, 720.0, 5.0, 2.0),
        DaySummary(date(2026, 3, 10), 1, 0, 0.0, None, None),
    ]


def test_no_sessions_no_figures(store: HistoryStore) -> None:
    assert store.day_summaries() == []
    assert store.routine_summaries() == []


def test_a_streak_follows_local_dates_not_utc(store: HistoryStore) -> None:
    # 21:00 and 23:00 local on the 9th and 10th are the next UTC day; two on one day count once.
    for started in (at(9, 21), at(10, 7), at(10, 23)):
        add(store, started)
    days = store.day_summaries()
    assert [d.day for d in days] == [date(2026, 3, 9), date(2026, 3, 10)]
    assert stats.streaks(days, TODAY) == Streaks(2, 2)


def test_the_pain_trend_is_the_daily_mean_before_and_after(store: HistoryStore) -> None:
    add(store, at(2), pain_before=6, pain_after=4)
    add(store, at(2, 18), pain_before=4)
    add(store, at(3))  # no check-in: no point
    add(store, at(4), pain_after=1)
    assert stats.pain_trend(store.day_summaries()) == [
        PainPoint(date(2026, 3, 2), 5.0, 4.0),
        PainPoint(date(2026, 3, 4), None, 1.0),
    ]


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        pytest.param({"planned_steps": 8, "done": 6}, 0.75, id="steps done of planned"),
        pytest.param({"planned_steps": 4, "done": 6}, 1.0, id="repeated steps cap at 1"),
        pytest.param({"active": 300.0}, 0.5, id="no step count: time"),
        pytest.param({"active": 900.0}, 1.0, id="time caps at 1"),
        pytest.param({"status": "abandoned", "active": None}, 0.0, id="unknown time"),
        pytest.param({"planned_seconds": 0.0}, 1.0, id="untimed plan completed"),
        pytest.param({"planned_seconds": 0.0, "status": "stopped"}, 0.0, id="untimed stopped"),
    ],
)
def test_completion(store: HistoryStore, session: dict, expected: float) -> None:
    add(store, at(1), **session)
    [routine] = store.routine_summaries()
    assert routine.average_completion == expected
    [(values, _steps)] = store.exported()
    assert values[17] == expected  # the export writes the same figure


def test_routine_summaries(store: HistoryStore) -> None:
    add(store, at(1), planned_steps=4, done=4)
    add(store, at(3), "stopped", planned_steps=4, done=1, routine=("back", "Back care v2"))
    add(store, at(2), planned_steps=2, done=2, routine=("core", "Core"))
    add(store, at(5), "running", planned_steps=4)  # not finished: left out
    assert store.routine_summaries() == [
        RoutineSummary("back", "Back care v2", 1, 2, at(3), 0.625),
        RoutineSummary("core", "Core", 1, 1, at(2), 1.0),
    ]


def test_progress_gathers_every_figure(store: HistoryStore) -> None:
    add(store, at(10), pain_before=3, pain_after=2)
    add(store, at(11))
    figures = stats.progress(store.day_summaries(), store.routine_summaries(), TODAY)
    assert figures.streaks == Streaks(2, 2)
    assert figures.active_days == {date(2026, 3, 10): 10.0, date(2026, 3, 11): 10.0}
    assert figures.weekly_minutes[-1].minutes == 20.0
    assert figures.pain == [PainPoint(date(2026, 3, 10), 3.0, 2.0)]
    assert [r.times_done for r in figures.routines] == [2]
