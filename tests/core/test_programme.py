"""What a plan asks of each day, the days in a row and the weeks, over fake dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from routine_timer.core.plan_file import parse_plan
from routine_timer.core.programme import (
    Block,
    Completions,
    PlanState,
    Status,
    day_plan,
    progress,
)

PLAN = parse_plan(
    """\
name: Back care
start: 2026-03-02
weeks: 2
runs: [tue, thu, sat]
routines:
  - routine: core
    when: daily
  - routine: strength
    when: [mon, fri]
  - routine: warm-up
    when: before-run
  - routine: glutes
    per_week: 2
retest: pyramid
""",
    "back.plan.yaml",
)
MON = date(2026, 3, 2)  # a Monday, the plan's start


def day(offset: int) -> date:
    return MON + timedelta(days=offset)


# Week 1 as it went: core twice on Tuesday, core missed on Wednesday, glutes
# once (Thursday), Sunday not done yet.
DONE = Completions(
    [
        (day(0), "core"), (day(0), "strength"),
        (day(1), "core"), (day(1), "core"), (day(1), "warm-up"),
        (day(3), "core"), (day(3), "warm-up"), (day(3), "glutes"),
        (day(4), "core"), (day(4), "strength"),
        (day(5), "core"), (day(5), "warm-up"),
        (day(7), "strength"),  # next week: never counts for this one
    ]
)  # fmt: skip
BLOCK = Block(MON, 2)

D, X, W = Status.DONE, Status.DUE, Status.OPEN  # done, due, can wait


@pytest.mark.parametrize(
    ("offset", "expected", "kept"),
    [
        # Mon: strength day. Glutes can wait: 2 owed, 7 days left.
        (0, {"core": D, "strength": D, "glutes": W}, True),
        # Tue, a run day: core done twice is done once.
        (1, {"core": D, "warm-up": D, "glutes": W}, True),
        # Wed: core missed.
        (2, {"core": X, "glutes": W}, False),
        # Thu, a run day: glutes done once, one more owed with 4 days left.
        (3, {"core": D, "warm-up": D, "glutes": D}, True),
        (4, {"core": D, "strength": D, "glutes": W}, True),
        # Sat: one glutes owed, two days left: it can still wait.
        (5, {"core": D, "warm-up": D, "glutes": W}, True),
        # Sun: one owed, one day left: due, and core not done yet.
        (6, {"core": X, "glutes": X}, False),
    ],
)
def test_a_week_day_by_day(offset: int, expected: dict[str, Status], kept: bool) -> None:
    plan = day_plan(PLAN, BLOCK, DONE, day(offset))
    assert {entry.routine_id: entry.status for entry in plan.items} == expected
    assert plan.kept is kept
    assert plan.anything_due is not kept
    assert plan.week == 1


def test_a_week_complete_on_other_days_is_not_due_again() -> None:
    # Strength done on Tuesday and Wednesday: Friday asks for nothing more.
    moved = Completions([(day(1), "strength"), (day(2), "strength")])
    friday = day_plan(PLAN, BLOCK, moved, day(4))
    assert "strength" not in {entry.routine_id for entry in friday.items}
    assert [e.done_this_week for e in day_plan(PLAN, BLOCK, moved, day(2)).items][:2] == [0, 2]


def test_the_retest_is_owed_in_the_last_week_only() -> None:
    assert "pyramid" not in {e.routine_id for e in day_plan(PLAN, BLOCK, DONE, day(6)).items}
    last_week = {e.routine_id: e.status for e in day_plan(PLAN, BLOCK, DONE, day(7)).items}
    assert last_week["pyramid"] is Status.OPEN
    last_day = {e.routine_id: e.status for e in day_plan(PLAN, BLOCK, DONE, day(13)).items}
    assert last_day["pyramid"] is Status.DUE


def test_next_up_is_the_first_due_then_the_first_that_can_wait() -> None:
    sunday = day_plan(PLAN, BLOCK, DONE, day(6))
    assert sunday.next_up is not None and sunday.next_up.routine_id == "core"
    saturday = day_plan(PLAN, BLOCK, DONE, day(5))
    assert saturday.next_up is not None and saturday.next_up.routine_id == "glutes"
    done_all = Completions([(day(5), r) for r in ("core", "warm-up", "glutes")])
    assert day_plan(PLAN, BLOCK, done_all, day(5)).next_up is None


def test_progress_on_sunday_of_week_one() -> None:
    now = progress(PLAN, DONE, day(6))
    assert now.state is PlanState.RUNNING
    assert [d.day for d in now.week_so_far] == [day(n) for n in range(7)]
    assert [d.kept for d in now.week_so_far] == [True, True, False, True, True, True, False]
    # Today is not over: the run is Thursday to Saturday (Wednesday was missed).
    assert now.days_in_a_row == 3
    week_1, week_2 = now.weeks
    assert {row.item.routine_id: (row.planned, row.done) for row in week_1.rows} == {
        "core": (7, 5),
        "strength": (2, 2),
        "warm-up": (3, 3),
        "glutes": (2, 1),
    }
    assert (week_1.planned, week_1.done, week_1.future) == (14, 11, False)
    assert {row.item.routine_id: row.done for row in week_2.rows} == {
        "core": 0, "strength": 1, "warm-up": 0, "glutes": 0, "pyramid": 0,
    }  # fmt: skip
    assert week_2.future and week_2.start == day(7)


def test_today_counts_in_the_run_once_nothing_is_left_due() -> None:
    finished = Completions([*((day(n), "core") for n in range(7)), (day(6), "glutes")])
    assert progress(PLAN, finished, day(6)).days_in_a_row == 1  # only Sunday kept
    everything = Completions(
        [(day(n), r) for n in range(7) for r in ("core", "strength", "warm-up", "glutes")]
    )
    assert progress(PLAN, everything, day(6)).days_in_a_row == 7
    assert progress(PLAN, everything, day(5)).days_in_a_row == 6


@pytest.mark.parametrize(
    ("today", "state", "week"),
    [
        (day(-1), PlanState.NOT_STARTED, None),
        (day(0), PlanState.RUNNING, 1),
        (day(13), PlanState.RUNNING, 2),
        (day(14), PlanState.FINISHED, None),
    ],
)
def test_before_during_and_after_the_block(today: date, state: PlanState, week: int | None) -> None:
    now = progress(PLAN, DONE, today)
    assert (now.state, now.today.week) == (state, week)
    if week is None:
        assert now.today.items == () and now.week_so_far == () and not now.today.anything_due
    assert len(now.weeks) == 2 and now.block.end == day(13)


def test_after_the_block_the_run_ends_on_its_last_day() -> None:
    everything = Completions(
        [(day(n), r) for n in range(14) for r in ("core", "strength", "warm-up", "glutes")]
        + [(day(13), "pyramid")]
    )
    assert progress(PLAN, everything, day(20)).days_in_a_row == 14


def test_without_a_start_the_block_begins_when_the_plan_was_chosen() -> None:
    plan = parse_plan(
        "name: P\nweeks: 1\nroutines: [{routine: core, when: daily}]\n", "p.plan.yaml"
    )
    chosen = date(2026, 5, 6)
    now = progress(plan, Completions(), date(2026, 5, 8), chosen=chosen)
    assert now.block == Block(chosen, 1) and now.today.week == 1
    assert progress(plan, Completions(), chosen).block.start == chosen  # never chosen: today
