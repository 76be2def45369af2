"""Progress figures from per-day totals, table by table, with fixed dates.

The totals themselves are the store's: see ``tests/storage/test_figures.py``.
"""

from __future__ import annotations

from datetime import date

import pytest

from routine_timer.core import stats
from routine_timer.core.stats import DaySummary, PainPoint, Streaks

TODAY = date(2026, 3, 11)  # a Wednesday, ISO week 11


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


def test_no_days_no_figures() -> None:
    days: list[DaySummary] = []
    assert stats.active_days(days) == {}
    assert stats.streaks(days, TODAY) == Streaks(0, 0)
    assert stats.pain_trend(days) == []
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


def test_pain_trend_has_a_point_for_each_day_with_a_rating() -> None:
    days = [
        day(4, pain_after=1.0),
        day(2, pain_before=5.0, pain_after=4.0),
        day(3),  # no check-in: no point
    ]
    assert stats.pain_trend(days) == [
        PainPoint(date(2026, 3, 2), 5.0, 4.0),
        PainPoint(date(2026, 3, 4), None, 1.0),
    ]
