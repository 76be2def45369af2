"""Progress figures, table by table, with fixed dates and a fixed time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from routine_timer.core import stats
from routine_timer.core.stats import DaySummary, PainPoint, Streaks

LOCAL = timezone(timedelta(hours=-5))  # fixed, so local dates never depend on the machine
TODAY = date(2026, 3, 11)  # a Wednesday, ISO week 11


@dataclass(frozen=True)
class S:
    """A session-like record with only what the figures read."""

    started_at: datetime
    status: str = "completed"
    active_seconds: float | None = 600.0
    planned_seconds: float = 600.0
    planned_steps: int | None = None
    steps_done: int = 0
    pain_before: int | None = None
    pain_after: int | None = None
    routine_id: str = "back"
    routine_name: str = "Back care"


def at(day: int, hour: int = 8, month: int = 3) -> datetime:
    """A local time on a day of March 2026, as the aware UTC time the store gives."""
    return datetime(2026, month, day, hour, tzinfo=LOCAL).astimezone(UTC)


def day(number: int, completed: int = 1, minutes: float = 10.0, **extra) -> DaySummary:
    fields = {
        "day": date(2026, 3, number),
        "sessions": max(completed, 1),
        "completed": completed,
        "active_seconds": minutes * 60,
        "pain_before": None,
        "pain_after": None,
    }
    fields.update(extra)
    return DaySummary(**fields)  # type: ignore[arg-type]


# -- per-day totals -----------------------------------------------------------


def test_sessions_are_added_up_per_local_day() -> None:
    sessions = [
        S(at(9, 7), pain_before=4, pain_after=2),
        S(at(9, 22), status="stopped", active_seconds=120.0, pain_before=6),  # 03:00 UTC next day
        S(at(10, 8), status="abandoned", active_seconds=None),
        S(at(10, 9), status="running", active_seconds=None),  # not finished: left out
    ]
    assert stats.day_summaries(sessions, LOCAL) == [
        DaySummary(date(2026, 3, 9), 2, 1, 720.0, 5.0, 2.0),
        DaySummary(date(2026, 3, 10), 1, 0, 0.0, None, None),
    ]


def test_no_sessions_no_figures() -> None:
    days = stats.day_summaries([], LOCAL)
    assert days == []
    assert stats.active_days(days) == {}
    assert stats.streaks(days, TODAY) == Streaks(0, 0)
    assert stats.pain_trend(days) == []
    assert stats.routine_summaries([]) == []
    assert [week.minutes for week in stats.weekly_minutes(days, TODAY)] == [0.0] * 12


# -- heat map -------------------------------------------------------------------


def test_active_days_are_minutes_on_days_with_exercise() -> None:
    days = [
        day(2, minutes=12.5),
        day(3, completed=0, minutes=0.0),  # abandoned at once: not an active day
        day(4, completed=0, minutes=3.0),  # stopped after three minutes: active
        day(5, minutes=0.0),  # a completed routine of only untimed steps
    ]
    assert stats.active_days(days) == {
        date(2026, 3, 2): 12.5,
        date(2026, 3, 4): 3.0,
        date(2026, 3, 5): 0.0,
    }


# -- streaks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_days", "today", "expected"),
    [
        pytest.param([], TODAY, Streaks(0, 0), id="nothing"),
        pytest.param([11], TODAY, Streaks(1, 1), id="today only"),
        pytest.param([9, 10], TODAY, Streaks(2, 2), id="today not done yet keeps it"),
        pytest.param([9, 10, 11], TODAY, Streaks(3, 3), id="through today"),
        pytest.param([8, 9], TODAY, Streaks(0, 2), id="a missed day breaks it"),
        pytest.param([1, 2, 3, 4, 6, 10, 11], TODAY, Streaks(2, 4), id="longest in the past"),
        pytest.param([10, 11, 12], TODAY, Streaks(2, 2), id="future days ignored"),
        pytest.param([1, 2, 3], date(2026, 3, 3), Streaks(3, 3), id="another today"),
    ],
)
def test_streaks_count_days_with_a_completed_routine(
    completed_days: list[int], today: date, expected: Streaks
) -> None:
    days = [day(n) for n in completed_days]
    days.append(day(7, completed=0, minutes=20.0))  # stopped sessions never count
    assert stats.streaks(days, today) == expected


def test_two_sessions_on_one_day_count_once() -> None:
    sessions = [S(at(10, 7)), S(at(10, 19)), S(at(11, 6))]
    assert stats.streaks(stats.day_summaries(sessions, LOCAL), TODAY) == Streaks(2, 2)


def test_a_streak_follows_local_dates_not_utc() -> None:
    # 21:00 and 23:00 local on the 9th and 10th are the next UTC day.
    sessions = [S(at(9, 21)), S(at(10, 23))]
    days = stats.day_summaries(sessions, LOCAL)
    assert [d.day for d in days] == [date(2026, 3, 9), date(2026, 3, 10)]
    assert stats.streaks(days, TODAY) == Streaks(2, 2)


# -- weekly minutes -------------------------------------------------------------


def test_weekly_minutes_cover_twelve_iso_weeks_zero_filled() -> None:
    days = [
        day(9, minutes=10.0),  # Monday of this week
        day(11, minutes=5.0),  # today
        day(8, minutes=7.0),  # Sunday: the week before
        DaySummary(date(2025, 12, 21), 1, 1, 6000.0, None, None),  # 13 weeks ago: too old
        DaySummary(date(2025, 12, 22), 1, 1, 600.0, None, None),  # week 52 of 2025
        DaySummary(date(2026, 1, 4), 1, 1, 1200.0, None, None),  # Sunday of ISO week 1, 2026
    ]
    weeks = stats.weekly_minutes(days, TODAY)
    assert len(weeks) == 12
    assert (weeks[0].year, weeks[0].week, weeks[0].monday) == (2025, 52, date(2025, 12, 22))
    assert (weeks[1].year, weeks[1].week, weeks[1].monday) == (2026, 1, date(2025, 12, 29))
    assert (weeks[-1].year, weeks[-1].week, weeks[-1].monday) == (2026, 11, date(2026, 3, 9))
    assert [w.minutes for w in weeks] == [10.0, 20.0] + [0.0] * 8 + [7.0, 15.0]


def test_weekly_minutes_across_a_year_with_53_weeks() -> None:
    weeks = stats.weekly_minutes([], date(2021, 1, 6), weeks=2)
    assert [(w.year, w.week) for w in weeks] == [(2020, 53), (2021, 1)]


# -- pain -----------------------------------------------------------------------


def test_pain_trend_is_the_daily_mean_before_and_after() -> None:
    sessions = [
        S(at(2), pain_before=6, pain_after=4),
        S(at(2, 18), pain_before=4),
        S(at(3)),  # no check-in: no point
        S(at(4), pain_after=1),
    ]
    assert stats.pain_trend(stats.day_summaries(sessions, LOCAL)) == [
        PainPoint(date(2026, 3, 2), 5.0, 4.0),
        PainPoint(date(2026, 3, 4), None, 1.0),
    ]


# -- per routine ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        pytest.param(S(at(1), planned_steps=8, steps_done=6), 0.75, id="steps done of planned"),
        pytest.param(S(at(1), planned_steps=4, steps_done=6), 1.0, id="repeated steps cap at 1"),
        pytest.param(S(at(1), active_seconds=300.0), 0.5, id="no step count: time"),
        pytest.param(S(at(1), active_seconds=900.0), 1.0, id="time caps at 1"),
        pytest.param(S(at(1), status="abandoned", active_seconds=None), 0.0, id="unknown time"),
        pytest.param(S(at(1), planned_seconds=0.0), 1.0, id="untimed plan completed"),
        pytest.param(S(at(1), planned_seconds=0.0, status="stopped"), 0.0, id="untimed stopped"),
    ],
)
def test_completion(session: S, expected: float) -> None:
    assert stats.completion(session) == expected


def test_routine_summaries() -> None:
    sessions = [
        S(at(1), planned_steps=4, steps_done=4),
        S(at(3), status="stopped", planned_steps=4, steps_done=1, routine_name="Back care v2"),
        S(at(2), routine_id="core", routine_name="Core", planned_steps=2, steps_done=2),
        S(at(5), status="running", planned_steps=4, steps_done=0),  # not finished: left out
    ]
    back, core = stats.routine_summaries(sessions)
    assert back == stats.RoutineSummary("back", "Back care v2", 1, 2, at(3), 0.625)
    assert core == stats.RoutineSummary("core", "Core", 1, 1, at(2), 1.0)


def test_progress_gathers_every_figure() -> None:
    sessions = [S(at(10), pain_before=3, pain_after=2), S(at(11))]
    days = stats.day_summaries(sessions, LOCAL)
    figures = stats.progress(days, stats.routine_summaries(sessions), TODAY)
    assert figures.streaks == Streaks(2, 2)
    assert figures.active_days == {date(2026, 3, 10): 10.0, date(2026, 3, 11): 10.0}
    assert figures.weekly_minutes[-1].minutes == 20.0
    assert figures.pain == [PainPoint(date(2026, 3, 10), 3.0, 2.0)]
    assert [r.times_done for r in figures.routines] == [2]
