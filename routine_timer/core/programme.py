"""A programme over weeks: a plan file's model, and what it asks of each day.

A plan (``docs/plan-format.md``) names routines by id and says when each is
due: on given weekdays (``daily``, ``mon`` ... ``sun``, the plan's run days
or the days between them), a number of times a week, or once in the last
week as a re-test. This module answers, from the plan, the days on which
each routine was completed and a date, what the rest of the app asks:

- what is due on a day, and whether each routine is done (:func:`day_plan`;
  :attr:`DayPlan.anything_due` is the question a reminder asks);
- the week so far, the days in a row the plan has been kept, and planned
  against done per routine for every week of the block (:func:`progress`).

Pure Python, no Qt and no storage: the history reaches it as the days each
routine was completed (:class:`Completions`).

Weeks are the block's own: week 1 is the seven days from the start date,
whatever weekday that is. A routine counts once per day, however many times
it was completed that day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Final

from routine_timer.core.calendar_text import DAY_NAMES
from routine_timer.core.errors import RoutineError
from routine_timer.core.files import PLAN_SUFFIXES
from routine_timer.core.levels import Rung

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DONE_SHARE: Final = 0.5
"""A session counts as its routine done that day when it reached the routine's end
with at least this share of its exercise sets done, not skipped: a few sets
left out still count, skipping through to the finish screen does not."""
"""Weekdays as a plan writes them, Monday first (``date.weekday()`` order)."""
MAX_WEEKS: Final = 104
"""Longest block: two years."""
"""How a plan file's name ends; any other ``.yaml`` file is a routine."""


class Day(StrEnum):
    """One word of a plan's ``when``: the days a routine is due."""

    DAILY = "daily"
    BEFORE_RUN = "before-run"
    AFTER_RUN = "after-run"
    REST_DAY = "rest-day"
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def needs_runs(self) -> bool:
        return self in (Day.BEFORE_RUN, Day.AFTER_RUN, Day.REST_DAY)


class Kind(StrEnum):
    """How an item of a plan is scheduled."""

    DAYS = "days"
    """On the weekdays of its ``when``."""
    PER_WEEK = "per-week"
    """A number of times a week, on any days."""
    RETEST = "retest"
    """Once in the last week of the block."""


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One routine of a plan and when it is due.

    With a ``ladder``, the item is a slot of the plan that any of the ladder's
    rungs fills: a session of any of their routines counts for it, and
    ``routine_id`` is the rung the runner starts on.
    """

    routine_id: str
    kind: Kind
    when: tuple[Day, ...] = ()
    """With :attr:`Kind.DAYS`: the words of ``when``, as written."""
    weekdays: frozenset[int] = frozenset()
    """With :attr:`Kind.DAYS`: the weekdays (0 = Monday) those words come to."""
    per_week: int = 1
    """With :attr:`Kind.PER_WEEK`: how many days a week."""
    remind: time | None = None
    """The routine's own reminder time (``remind:``); None: the plan's."""
    ladder: tuple[Rung, ...] = ()
    """Its levels, easiest first (empty: the routine's own variations are its levels)."""

    @property
    def counted_ids(self) -> tuple[str, ...]:
        """The routines whose sessions count for this item: its own, and its ladder's."""
        return tuple(dict.fromkeys((self.routine_id, *(r.routine_id for r in self.ladder))))

    @property
    def start_rung(self) -> Rung:
        """The rung the runner starts on: ``routine_id`` as written, else its first rung."""
        for rung in self.ladder:
            if rung == Rung(self.routine_id):
                return rung
        first = next((r for r in self.ladder if r.routine_id == self.routine_id), None)
        return first or Rung(self.routine_id)

    def quota(self, week: int, weeks: int) -> int:
        """How many days of block week ``week`` (1-based, of ``weeks``) the routine is planned."""
        if self.kind is Kind.DAYS:
            return len(self.weekdays)
        if self.kind is Kind.PER_WEEK:
            return self.per_week
        return 1 if week == weeks else 0

    @property
    def when_text(self) -> str:
        """When it is due, in words: ``every day``, ``Mon, Fri``, ``before a run``, ``2 a week``."""
        if self.kind is Kind.PER_WEEK:
            return f"{self.per_week} times a week" if self.per_week > 1 else "once a week"
        if self.kind is Kind.RETEST:
            return "re-test, once in the last week"
        words = []
        for day in self.when:
            if day is Day.DAILY:
                words.append("every day")
            elif day is Day.BEFORE_RUN:
                words.append("before a run")
            elif day is Day.AFTER_RUN:
                words.append("after a run")
            elif day is Day.REST_DAY:
                words.append("on rest days")
            else:
                words.append(DAY_NAMES[WEEKDAYS.index(day.value)])
        return ", ".join(words)


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """A validated plan file (see ``docs/plan-format.md``)."""

    id: str
    name: str
    weeks: int
    items: tuple[PlanItem, ...]
    description: str = ""
    start: date | None = None
    """The first day of the block; None: the day the plan was chosen."""
    runs: frozenset[int] = frozenset()
    """The weekdays (0 = Monday) the plan expects a run."""
    remind: time | None = None
    """When in the day to remind of what is due (``remind:``); None: no reminder of its own."""
    source: Path | None = None
    warnings: tuple[RoutineError, ...] = field(default=(), compare=False)

    @property
    def routine_ids(self) -> tuple[str, ...]:
        """Every routine the plan names (ladders too), in its order, each once."""
        return tuple(dict.fromkeys(rid for item in self.items for rid in item.counted_ids))

    def item_of(self, routine_id: str) -> PlanItem | None:
        """The item a session of ``routine_id`` counts for: its own, or the ladder it is on."""
        return next((item for item in self.items if routine_id in item.counted_ids), None)


def plan_id_of(path: Path) -> str:
    """A plan file's default id: its name without ``.plan.yaml``."""
    name = path.name
    for suffix in PLAN_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


# --------------------------------------------------------------------------
# The history, as a plan sees it


class Completions:
    """The days on which each routine was done (a session to its end, see :data:`DONE_SHARE`)."""

    def __init__(self, done: Iterable[tuple[date, str]] = ()) -> None:
        self._days: dict[str, set[date]] = {}
        for day, routine_id in done:
            self._days.setdefault(routine_id, set()).add(day)

    def days(self, routine_ids: str | Iterable[str], first: date, last: date) -> int:
        """On how many days from ``first`` to ``last`` (both included) any of
        ``routine_ids`` (one id, or several: a ladder's) was done."""
        return sum(1 for day in self._of(routine_ids) if first <= day <= last)

    def done_on(self, routine_ids: str | Iterable[str], day: date) -> bool:
        return day in self._of(routine_ids)

    def _of(self, routine_ids: str | Iterable[str]) -> set[date]:
        if isinstance(routine_ids, str):
            return self._days.get(routine_ids, set())
        ids = tuple(routine_ids)
        if len(ids) == 1:
            return self._days.get(ids[0], set())
        found: set[date] = set()
        for routine_id in ids:
            found |= self._days.get(routine_id, set())
        return found


# --------------------------------------------------------------------------
# One day


class Status(StrEnum):
    """Where a routine of the day stands."""

    DONE = "done"
    """Completed on that day."""
    DUE = "due"
    """Planned for that day and not done yet (on a past day: missed)."""
    OPEN = "open"
    """Still owed this week, but it can wait for a later day of the week."""


@dataclass(frozen=True, slots=True)
class DueItem:
    """One routine of a day: how it stands and how its week is going."""

    item: PlanItem
    status: Status
    done_this_week: int
    """Days of this block week, up to the day, on which it was done."""
    planned_this_week: int

    @property
    def routine_id(self) -> str:
        return self.item.routine_id


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What the plan asks of one day, and what was done."""

    day: date
    week: int | None
    """The block week (1-based), or None for a day outside the block."""
    items: tuple[DueItem, ...] = ()

    @property
    def anything_due(self) -> bool:
        """Whether a routine is still due that day: what a reminder asks."""
        return any(entry.status is Status.DUE for entry in self.items)

    @property
    def kept(self) -> bool:
        """Kept: nothing was left due (a day with nothing planned is kept too)."""
        return not self.anything_due

    @property
    def next_up(self) -> DueItem | None:
        """The routine to start next: the first one due, else the first that can wait."""
        for wanted in (Status.DUE, Status.OPEN):
            for entry in self.items:
                if entry.status is wanted:
                    return entry
        return None


@dataclass(frozen=True, slots=True)
class Block:
    """The dates of a plan's block."""

    start: date
    weeks: int

    @property
    def end(self) -> date:
        """The last day of the block."""
        return self.start + timedelta(days=7 * self.weeks - 1)

    def week_of(self, day: date) -> int | None:
        """The block week ``day`` falls in (1-based), or None outside the block."""
        if not self.start <= day <= self.end:
            return None
        return (day - self.start).days // 7 + 1

    def week_start(self, week: int) -> date:
        return self.start + timedelta(days=7 * (week - 1))


FIRST_DAY: Final = date(1971, 1, 1)
LAST_DAY: Final = date(9000, 12, 31)
"""The days a plan can be followed on: a block of the longest plan, begun on any
of them, and the days counted back from it, stay within the calendar."""


def in_calendar(day: date) -> bool:
    """Whether ``day`` is one a plan can be followed on (see :data:`LAST_DAY`)."""
    return FIRST_DAY <= day <= LAST_DAY


def block_of(plan: TrainingPlan, chosen: date | None, today: date) -> Block:
    """The block's dates: the plan's start, else the day it was chosen, else ``today``.

    A chosen day no calendar of plans reaches (a settings file edited by hand) is
    as none; so is a ``today`` out of it, which callers must not pass.
    """
    if not in_calendar(today):
        raise ValueError(f"{today} is not a day a plan can be followed on")
    if chosen is not None and not in_calendar(chosen):
        chosen = None
    return Block(plan.start or chosen or today, plan.weeks)


def day_plan(plan: TrainingPlan, block: Block, done: Completions, day: date) -> DayPlan:
    """What ``plan`` asks of ``day`` given what was ``done`` up to the end of that day.

    A routine is listed when it was done that day (DONE), when it is planned
    that day and its week is not yet complete (DUE), and, for one due a number
    of times a week (or the re-test), when the week still owes it (DUE once
    the days left in the week are no more than the times still owed, OPEN
    before that). A routine whose week is complete is not listed.
    """
    week = block.week_of(day)
    if week is None:
        return DayPlan(day, None)
    first = block.week_start(week)
    last = first + timedelta(days=6)
    entries: list[DueItem] = []
    for item in plan.items:
        quota = item.quota(week, plan.weeks)
        if quota == 0:
            continue
        count = done.days(item.counted_ids, first, day)
        if done.done_on(item.counted_ids, day):
            status: Status | None = Status.DONE
        elif count >= quota:
            status = None
        elif item.kind is Kind.DAYS:
            status = Status.DUE if day.weekday() in item.weekdays else None
        else:
            days_left = (last - day).days + 1
            status = Status.DUE if quota - count >= days_left else Status.OPEN
        if status is not None:
            entries.append(DueItem(item, status, min(count, quota), quota))
    return DayPlan(day, week, tuple(entries))


# --------------------------------------------------------------------------
# The block


@dataclass(frozen=True, slots=True)
class RoutineWeek:
    """Planned against done for one routine in one week."""

    item: PlanItem
    planned: int
    done: int
    """Days it was done that week, at most ``planned``."""


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """One week of the block: planned against done per routine."""

    week: int
    start: date
    rows: tuple[RoutineWeek, ...]
    future: bool
    """The week has not begun yet."""

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.rows)

    @property
    def done(self) -> int:
        return sum(row.done for row in self.rows)


class PlanState(StrEnum):
    NOT_STARTED = "not-started"
    RUNNING = "running"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Progress:
    """Everything the Today view, ``routine-timer today`` and the history show of a plan."""

    plan: TrainingPlan
    block: Block
    today: DayPlan
    week_so_far: tuple[DayPlan, ...]
    """Each day of the current block week, from its first day to today."""
    days_in_a_row: int
    """Kept days in a row up to today (today counts once nothing is left due)."""
    weeks: tuple[WeekAdherence, ...]
    state: PlanState


def progress(
    plan: TrainingPlan, done: Completions, today: date, *, chosen: date | None = None
) -> Progress:
    """How ``plan`` stands on ``today``; ``chosen`` is the day it was chosen in the app."""
    block = block_of(plan, chosen, today)
    state = (
        PlanState.NOT_STARTED
        if today < block.start
        else PlanState.FINISHED
        if today > block.end
        else PlanState.RUNNING
    )
    now = day_plan(plan, block, done, today)
    week_so_far: tuple[DayPlan, ...] = ()
    if now.week is not None:
        first = block.week_start(now.week)
        week_so_far = tuple(
            day_plan(plan, block, done, first + timedelta(days=offset))
            for offset in range((today - first).days + 1)
        )
    return Progress(
        plan=plan,
        block=block,
        today=now,
        week_so_far=week_so_far,
        days_in_a_row=days_in_a_row(plan, block, done, today),
        weeks=adherence(plan, block, done, today),
        state=state,
    )


def read_progress(
    plan: TrainingPlan,
    today: date,
    read: Callable[[date, date], Iterable[tuple[date, str]]] | None,
    *,
    chosen: date | None = None,
) -> Progress:
    """:func:`progress`, with the completions of the block so far from ``read(first, last)``.

    ``read`` is the history's ``completed_days``; None when there is no history yet.
    """
    block = block_of(plan, chosen, today)
    done = Completions()
    if read is not None and today >= block.start:
        done = Completions(read(block.start, min(today, block.end)))
    return progress(plan, done, today, chosen=chosen)


def days_in_a_row(plan: TrainingPlan, block: Block, done: Completions, today: date) -> int:
    """Kept days in a row, ending today once today is kept, else yesterday.

    Only days of the block count; after the block, the run up to its last day.
    """
    day = min(today, block.end)
    if day == today and not day_plan(plan, block, done, day).kept:
        day -= timedelta(days=1)
    count = 0
    while day >= block.start and day_plan(plan, block, done, day).kept:
        count += 1
        day -= timedelta(days=1)
    return count


def adherence(
    plan: TrainingPlan, block: Block, done: Completions, today: date
) -> tuple[WeekAdherence, ...]:
    """Planned against done per routine, for every week of the block."""
    weeks = []
    for week in range(1, plan.weeks + 1):
        first = block.week_start(week)
        last = first + timedelta(days=6)
        rows = []
        for item in plan.items:
            planned = item.quota(week, plan.weeks)
            if planned == 0:
                continue
            count = done.days(item.counted_ids, first, last)
            rows.append(RoutineWeek(item, planned, min(count, planned)))
        weeks.append(WeekAdherence(week, first, tuple(rows), future=first > today))
    return tuple(weeks)


def weekdays_of(when: Iterable[Day], runs: frozenset[int]) -> frozenset[int]:
    """The weekdays (0 = Monday) the words of a ``when`` come to, given the run days."""
    found: set[int] = set()
    for day in when:
        if day is Day.DAILY:
            found.update(range(7))
        elif day in (Day.BEFORE_RUN, Day.AFTER_RUN):
            found.update(runs)
        elif day is Day.REST_DAY:
            found.update(set(range(7)) - runs)
        else:
            found.add(WEEKDAYS.index(day.value))
    return frozenset(found)
