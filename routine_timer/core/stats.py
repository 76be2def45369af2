"""Progress figures computed from the history: pure functions, no storage.

Everything works on *session-like* records (anything with the attributes of
:class:`SessionLike`, such as ``storage.records.SessionRecord``) or on the
per-day totals made from them (:class:`DaySummary`), so the same figures can
be computed from a handful of records in a test or from per-day totals that
the database adds up for a long history.

Sessions still running are left out of every figure: they are not finished.
Dates are local calendar dates (``tz``, by default the computer's zone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol


class SessionLike(Protocol):
    """The attributes of a stored session that the figures read."""

    @property
    def routine_id(self) -> str: ...
    @property
    def routine_name(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def planned_seconds(self) -> float: ...
    @property
    def active_seconds(self) -> float | None: ...
    @property
    def planned_steps(self) -> int | None: ...
    @property
    def steps_done(self) -> int: ...
    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...


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
    the latest attempt started. ``average_completion`` is the mean of
    :func:`completion` over the attempts, from 0 to 1.
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


def completion(session: SessionLike) -> float:
    """How much of the routine a session did, from 0 to 1.

    Counted in exercise steps when the plan's step count is known: steps done
    (not skipped) over steps planned. Skipping rests or a long pause does not
    lower it, and an untimed exercise counts as much as a timed one. Older
    sessions without a step count fall back to active time over planned time;
    a plan of zero timed seconds counts 1 when completed, else 0.
    """
    if session.planned_steps:
        return min(1.0, session.steps_done / session.planned_steps)
    if session.planned_seconds > 0 and session.active_seconds is not None:
        return min(1.0, session.active_seconds / session.planned_seconds)
    return 1.0 if session.status == "completed" else 0.0


def _finished(sessions: Iterable[SessionLike]) -> list[SessionLike]:
    return [session for session in sessions if session.status != "running"]


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def day_summaries(sessions: Iterable[SessionLike], tz: tzinfo | None = None) -> list[DaySummary]:
    """Add finished sessions up per local day; days without sessions are left out."""
    totals: dict[date, list[float]] = {}
    pains: dict[date, tuple[list[int], list[int]]] = {}
    for session in _finished(sessions):
        day = _local_day(session.started_at, tz)
        entry = totals.setdefault(day, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += session.status == "completed"
        entry[2] += session.active_seconds or 0.0
        before, after = pains.setdefault(day, ([], []))
        if session.pain_before is not None:
            before.append(session.pain_before)
        if session.pain_after is not None:
            after.append(session.pain_after)
    return [
        DaySummary(
            day=day,
            sessions=int(entry[0]),
            completed=int(entry[1]),
            active_seconds=entry[2],
            pain_before=_mean(pains[day][0]),
            pain_after=_mean(pains[day][1]),
        )
        for day, entry in sorted(totals.items())
    ]


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


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


def routine_summaries(sessions: Iterable[SessionLike]) -> list[RoutineSummary]:
    """Per routine: times done, attempts, last done, average completion.

    Most recently done first.
    """
    groups: dict[str, list[SessionLike]] = {}
    for session in _finished(sessions):
        groups.setdefault(session.routine_id, []).append(session)
    summaries = []
    for routine_id, group in groups.items():
        latest = max(group, key=lambda session: session.started_at)
        summaries.append(
            RoutineSummary(
                routine_id=routine_id,
                routine_name=latest.routine_name,
                times_done=sum(1 for session in group if session.status == "completed"),
                attempts=len(group),
                last_done=latest.started_at,
                average_completion=sum(completion(session) for session in group) / len(group),
            )
        )
    summaries.sort(key=lambda summary: summary.last_done, reverse=True)
    return summaries


def progress(days: Sequence[DaySummary], routines: list[RoutineSummary], today: date) -> Progress:
    """Every figure of the progress view from per-day totals and routine summaries."""
    return Progress(
        active_days=active_days(days),
        streaks=streaks(days, today),
        weekly_minutes=weekly_minutes(days, today),
        pain=pain_trend(days),
        routines=routines,
    )
