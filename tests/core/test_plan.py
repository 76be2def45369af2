"""The timeline rules of the routine format ("Timeline and total time"), one row each."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routine_timer.core.model import Exercise, Routine, Side, Sides
from routine_timer.core.plan import StepKind, build_timeline


def ex(name: str = "Plank", **fields: Any) -> Exercise:
    """An exercise with the format's defaults unless a test says otherwise."""
    fields.setdefault("sets", 1)
    fields.setdefault("rest", 15.0)
    fields.setdefault("rest_after", 15.0)
    if "reps" not in fields:
        fields.setdefault("time", 30.0)
    return Exercise(name=name, **fields)


def routine(*exercises: Exercise, **fields: Any) -> Routine:
    fields.setdefault("prepare", 0.0)
    return Routine(id="test", name="Test", exercises=exercises, **fields)


def shape(r: Routine) -> list[tuple[str, float]]:
    return [(step.kind.value, step.duration) for step in build_timeline(r).steps]


CASES: list[tuple[str, Routine, list[tuple[str, float]]]] = [
    ("prepare 0 means no prepare step", routine(ex(), prepare=0), [("work", 30)]),
    ("prepare once at the start", routine(ex(), prepare=10), [("prepare", 10), ("work", 30)]),
    (
        "sides both is W + switch + W",
        routine(ex(sides=Sides.BOTH, switch=5)),
        [("work", 30), ("switch", 5), ("work", 30)],
    ),
    (
        "held reps: n*H + (n-1)*R",
        routine(ex(reps=3, hold=5.0, release=2.0)),
        [("work", 3 * 5 + 2 * 2)],
    ),
    (
        "alternate held reps: 2n*H + (2n-1)*R in one step",
        routine(ex(reps=3, hold=5.0, release=2.0, sides=Sides.ALTERNATE)),
        [("work", 6 * 5 + 5 * 2)],
    ),
    ("paced reps: n*P", routine(ex(reps=10, rep_time=2.0)), [("work", 20)]),
    (
        "alternate paced reps: 2n*P",
        routine(ex(reps=10, rep_time=2.0, sides=Sides.ALTERNATE)),
        [("work", 40)],
    ),
    (
        "held reps with sides both: W + switch + W",
        routine(ex(reps=2, hold=10.0, release=3.0, sides=Sides.BOTH, switch=4)),
        [("work", 23), ("switch", 4), ("work", 23)],
    ),
    ("untimed reps: one manual step", routine(ex(reps=10)), [("manual", 0)]),
    (
        "untimed alternate: one manual step",
        routine(ex(reps=10, sides=Sides.ALTERNATE)),
        [("manual", 0)],
    ),
    (
        "untimed both: two manual steps, the switch counts",
        routine(ex(reps=10, sides=Sides.BOTH, switch=5)),
        [("manual", 0), ("switch", 5), ("manual", 0)],
    ),
    (
        "rest between sets, none after the last set",
        routine(ex(sets=3, rest=20)),
        [("work", 30), ("rest", 20), ("work", 30), ("rest", 20), ("work", 30)],
    ),
    (
        "rest_after between exercises, nothing after the last",
        routine(ex("A", rest_after=30), ex("B", time=20, rest_after=99)),
        [("work", 30), ("rest", 30), ("work", 20)],
    ),
    (
        "round_rest between rounds replaces the last rest_after",
        routine(ex("A", rest_after=30), ex("B", time=20, rest_after=99), rounds=2, round_rest=60),
        [
            ("work", 30),
            ("rest", 30),
            ("work", 20),
            ("rest", 60),
            ("work", 30),
            ("rest", 30),
            ("work", 20),
        ],
    ),
    (
        "one exercise over three rounds",
        routine(ex(time=10, rest_after=5), rounds=3, round_rest=20),
        [("work", 10), ("rest", 20), ("work", 10), ("rest", 20), ("work", 10)],
    ),
    (
        "zero-length periods are left out",
        routine(
            ex("A", sets=2, rest=0, rest_after=0, sides=Sides.BOTH, switch=0),
            ex("B", time=5),
            rounds=2,
            round_rest=0,
            prepare=0,
        ),
        [("work", 30)] * 4 + [("work", 5)] + [("work", 30)] * 4 + [("work", 5)],
    ),
    (
        "a zero switch still leaves both manual steps",
        routine(ex(reps=5, sides=Sides.BOTH, switch=0)),
        [("manual", 0), ("manual", 0)],
    ),
]


@pytest.mark.parametrize(
    ("routine_", "expected"), [(r, e) for _, r, e in CASES], ids=[c[0] for c in CASES]
)
def test_timeline_shape(routine_: Routine, expected: list[tuple[str, float]]) -> None:
    assert shape(routine_) == expected


def test_the_235_second_example() -> None:
    r = routine(ex(time=30, sets=3, sides=Sides.BOTH, switch=5, rest=15), prepare=10, rest=15)
    timeline = build_timeline(r)
    assert timeline.total_seconds == 235
    assert timeline.manual_steps == 0
    assert len(timeline.steps) == 1 + 3 * 3 + 2


@pytest.mark.parametrize(
    ("exercises", "expected"),
    [
        ((ex(),), 0),
        ((ex(reps=8),), 1),
        ((ex(reps=8, sets=3),), 3),
        ((ex(reps=8, sets=2, sides=Sides.BOTH),), 4),
        ((ex(reps=8, sets=2, sides=Sides.ALTERNATE),), 2),
        ((ex(reps=8, hold=2.0),), 0),
        ((ex(reps=8), ex(time=10), ex(reps=4, sides=Sides.BOTH)), 3),
    ],
)
def test_manual_steps_counts_untimed_sets_per_side(
    exercises: tuple[Exercise, ...], expected: int
) -> None:
    assert build_timeline(routine(*exercises)).manual_steps == expected
    assert build_timeline(routine(*exercises, rounds=2)).manual_steps == 2 * expected


def test_steps_carry_position_set_side_and_round() -> None:
    r = routine(
        ex("Side plank", sets=2, sides=Sides.BOTH, switch=5, rest=10),
        ex("Squat", reps=10, rest_after=20),
        prepare=10,
        rounds=2,
        round_rest=30,
    )
    steps = build_timeline(r).steps
    assert [s.index for s in steps] == list(range(len(steps)))
    start = 0.0
    for s in steps:
        assert s.start == start
        start += s.duration
    first = steps[1]
    assert (first.label, first.set, first.sets, first.side, first.round, first.rounds) == (
        "Side plank",
        1,
        2,
        Side.LEFT,
        1,
        2,
    )
    assert first.exercise_index == 0
    assert steps[2].kind is StepKind.SWITCH
    assert steps[2].exercise is first.exercise
    assert steps[3].side is Side.RIGHT
    assert first.title == "Side plank - set 1 of 2 - left - round 1 of 2"
    squat = next(s for s in steps if s.kind is StepKind.MANUAL)
    assert squat.exercise_index == 1
    assert squat.title == "Squat - round 1 of 2"
    assert steps[-1].round == 2
    assert steps[-1].kind is StepKind.MANUAL


def test_rest_steps_have_no_exercise() -> None:
    steps = build_timeline(routine(ex(sets=2, rest=10))).steps
    assert steps[1].kind is StepKind.REST
    assert steps[1].exercise is None
    assert steps[1].label == "Rest"


# -- total time, computed a second way straight from the format's wording --


def _expected_total(r: Routine) -> float:
    total = r.prepare
    for round_number in range(1, r.rounds + 1):
        for position, e in enumerate(r.exercises):
            if e.time is not None:
                w = e.time
            elif e.hold is not None:
                n = 2 * (e.reps or 0) if e.sides is Sides.ALTERNATE else e.reps or 0
                w = n * e.hold + (n - 1) * e.release
            elif e.rep_time is not None:
                n = 2 * (e.reps or 0) if e.sides is Sides.ALTERNATE else e.reps or 0
                w = n * e.rep_time
            else:
                w = 0.0
            one_set = w + e.switch + w if e.sides is Sides.BOTH else w
            total += e.sets * one_set + (e.sets - 1) * e.rest
            if position < len(r.exercises) - 1:
                total += e.rest_after
            elif round_number < r.rounds:
                total += r.round_rest
    return total


seconds = st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0, 15.0, 30.0])


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    kind = draw(st.sampled_from(["time", "hold", "paced", "untimed"]))
    fields: dict[str, Any] = {
        "sets": draw(st.integers(1, 3)),
        "rest": draw(seconds),
        "rest_after": draw(seconds),
        "switch": draw(seconds),
    }
    if kind == "time":
        fields["time"] = draw(seconds.filter(lambda s: s > 0))
        fields["sides"] = draw(st.sampled_from([None, Sides.BOTH]))
    else:
        fields["reps"] = draw(st.integers(1, 4))
        fields["sides"] = draw(st.sampled_from([None, Sides.BOTH, Sides.ALTERNATE]))
        if kind == "hold":
            fields["hold"] = draw(seconds.filter(lambda s: s > 0))
            fields["release"] = draw(seconds)
        elif kind == "paced":
            fields["rep_time"] = draw(seconds.filter(lambda s: s > 0))
    return Exercise(name="E", **fields)


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    return Routine(
        id="r",
        name="R",
        exercises=tuple(draw(st.lists(exercises(), min_size=1, max_size=3))),
        prepare=draw(seconds),
        rest=15.0,
        rounds=draw(st.integers(1, 3)),
        round_rest=draw(seconds),
    )


@given(routines())
def test_total_is_the_sum_of_the_format_periods(r: Routine) -> None:
    timeline = build_timeline(r)
    assert timeline.total_seconds == pytest.approx(_expected_total(r))
    assert timeline.total_seconds == pytest.approx(sum(s.duration for s in timeline.steps))


@given(routines())
def test_steps_are_contiguous_and_never_empty(r: Routine) -> None:
    steps = build_timeline(r).steps
    assert steps[-1].kind in (StepKind.WORK, StepKind.MANUAL)
    for before, after in pairwise(steps):
        assert after.start == pytest.approx(before.end)
    for s in steps:
        assert s.duration > 0 or s.kind is StepKind.MANUAL
        assert (s.kind is StepKind.MANUAL) == (s.duration == 0)


@pytest.mark.parametrize(
    ("kind", "exercise"),
    [
        (StepKind.PREPARE, False),
        (StepKind.WORK, True),
        (StepKind.MANUAL, True),
        (StepKind.SWITCH, False),
        (StepKind.REST, False),
    ],
)
def test_work_and_untimed_sets_are_the_exercise_steps(kind: StepKind, exercise: bool) -> None:
    assert kind.is_exercise is exercise
