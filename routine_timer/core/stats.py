"""Progress figures from the history's totals: pure functions, no storage.

The history keeps its sessions added up per local day (:class:`DaySummary`)
and per routine (:class:`RoutineSummary`), exact through every change (see
``storage.db``): that is the one place those sums and a session's completion
are worked out. From them, these functions make the figures of the progress
view: the heat map, streaks, weekly minutes and the pain trend. Sessions
still running are in no total: they are not finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class DaySummary:
    """The finished sessions of one local calendar day, added up."""

    day: date
    sessions: int
    completed: int
    active_seconds: float
    pain_before: float | None
    """Mean of the day's "pain before" ratings (None when none was given)."""
    pain_after: float | None


@dataclass(frozen=True, slots=True)
class Streaks:
    """Runs of consecutive days with at least one completed routine."""

    current: int
    """Ending today, or yesterday when today has no completed routine yet."""
    longest: int


@dataclass(frozen=True, slots=True)
class WeekMinutes:
    """Active minutes in one ISO week (Monday to Sunday)."""

    year: int
    week: int
    monday: date
    minutes: float


@dataclass(frozen=True, slots=True)
class PainPoint:
    """Mean back pain before and after routines on one day (0-10)."""

    day: date
    before: float | None
    after: float | None


@dataclass(frozen=True, slots=True)
class RoutineSummary:
    """How often a routine was done and how much of it.

    ``times_done`` counts completed sessions; ``attempts`` counts every
    finished session (completed, stopped or abandoned). ``last_done`` is when
    the latest attempt started. ``average_completion`` is the mean over the
    attempts of how much of the routine each did (``storage.db.completion_sql``),
    from 0 to 1.
    """

    routine_id: str
    routine_name: str
    """The name used by its latest session (routines can be renamed)."""
    times_done: int
    attempts: int
    last_done: datetime
    average_completion: float


@dataclass(frozen=True, slots=True)
class Progress:
    """Every figure of the progress view."""

    active_days: dict[date, float]
    streaks: Streaks
    weekly_minutes: list[WeekMinutes]
    pain: list[PainPoint]
    routines: list[RoutineSummary]


def active_days(days: Iterable[DaySummary]) -> dict[date, float]:
    """Calendar heat-map data: active minutes per day that had any exercise.

    A day counts when it has active time or a completed routine; days absent
    from the result had none.
    """
    return {
        day.day: day.active_seconds / 60
        for day in days
        if day.active_seconds > 0 or day.completed > 0
    }


def streaks(days: Iterable[DaySummary], today: date) -> Streaks:
    """Current and longest runs of days with at least one completed routine."""
    done = sorted(day.day for day in days if day.completed > 0 and day.day <= today)
    longest = run = 0
    previous: date | None = None
    for day in done:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    done_set = set(done)
    cursor = today if today in done_set else today - timedelta(days=1)
    current = 0
    while cursor in done_set:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current=current, longest=longest)


def weekly_minutes(days: Iterable[DaySummary], today: date, weeks: int = 12) -> list[WeekMinutes]:
    """Active minutes per ISO week for the ``weeks`` weeks ending with this one.

    Oldest first; weeks without exercise are there with 0 minutes.
    """
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    minutes = dict.fromkeys(mondays, 0.0)
    first = mondays[0]
    for day in days:
        if first <= day.day <= today:
            monday = day.day - timedelta(days=day.day.weekday())
            minutes[monday] += day.active_seconds / 60
    return [
        WeekMinutes(
            year=monday.isocalendar().year,
            week=monday.isocalendar().week,
            monday=monday,
            minutes=minutes[monday],
        )
        for monday in mondays
    ]


def pain_trend(days: Iterable[DaySummary]) -> list[PainPoint]:
    """Mean pain before and after per day, oldest first, for days with a rating."""
    return [
        PainPoint(day.day, day.pain_before, day.pain_after)
        for day in sorted(days, key=lambda day: day.day)
        if day.pain_before is not None or day.pain_after is not None
    ]


def progress(days: Sequence[DaySummary], routines: list[RoutineSummary], today: date) -> Progress:
    """Every figure of the progress view from per-day totals and routine summaries."""
    return Progress(
        active_days=active_days(days),
        streaks=streaks(days, today),
        weekly_minutes=weekly_minutes(days, today),
        pain=pain_trend(days),
        routines=routines,
    )
