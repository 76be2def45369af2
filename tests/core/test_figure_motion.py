"""How a figure moves with the step: holds, paced and held reps, sides, pauses and rests."""

from __future__ import annotations

from typing import Any

from routine_timer.core.engine import Session, SessionStatus
from routine_timer.core.figure_motion import (
    MOVE_IN,
    Frame,
    session_picture,
    work_frame,
)
from routine_timer.core.figures import FIGURES, Figure
from routine_timer.core.model import Exercise, Routine, Side, Sides
from routine_timer.core.plan import Step, StepKind, build_timeline
from tests.helpers.clocks import FakeClock


def ex(figure: str = "front-plank", **fields: Any) -> Exercise:
    fields.setdefault("sets", 1)
    fields.setdefault("rest", 10.0)
    fields.setdefault("rest_after", 10.0)
    if "reps" not in fields:
        fields.setdefault("time", 30.0)
    return Exercise(name="E", figure=figure, **fields)


def work_steps(exercise: Exercise) -> list[Step]:
    routine = Routine(id="t", name="T", exercises=(exercise,), prepare=0.0, format=2)
    return [step for step in build_timeline(routine).steps if step.kind.is_exercise]


def frame(exercise: Exercise, elapsed: float, step: int = 0) -> Frame:
    figure = FIGURES[exercise.figure or ""]
    return work_frame(figure, exercise, work_steps(exercise)[step], elapsed)


def is_start(figure: Figure, shown: Frame) -> bool:
    return shown.pose == figure.keyframes[0]


def is_top(figure: Figure, shown: Frame) -> bool:
    return shown.pose == figure.keyframes[-1]


def test_a_hold_moves_into_its_position_then_stays_still() -> None:
    plank = ex("front-plank", time=30.0)
    figure = FIGURES["front-plank"]
    assert is_start(figure, frame(plank, 0.0)) and frame(plank, 0.0).moving
    halfway = frame(plank, MOVE_IN / 2)
    assert halfway.moving and not is_start(figure, halfway) and not is_top(figure, halfway)
    held = frame(plank, MOVE_IN + 0.1)
    assert is_top(figure, held) and not held.moving and held.still_until is None
    assert frame(plank, 29.0) == held


def test_paced_reps_make_one_movement_per_rep_time() -> None:
    squats = ex("squat", reps=5, rep_time=3.0)
    figure = FIGURES["squat"]
    for rep in range(5):
        assert is_start(figure, frame(squats, rep * 3.0))
        top = frame(squats, rep * 3.0 + 1.5)
        assert is_top(figure, top) and not top.moving
        # Still at the bottom of the squat a moment, then up again.
        assert top.still_until is not None and rep * 3.0 + 1.5 < top.still_until < rep * 3.0 + 3
        assert frame(squats, rep * 3.0 + 2.5).moving


def test_held_reps_move_in_on_hold_and_out_on_release() -> None:
    bridges = ex("glute-bridge", reps=3, hold=5.0, release=3.0)
    figure = FIGURES["glute-bridge"]
    assert frame(bridges, 0.2).moving
    holding = frame(bridges, 3.0)
    # Held still until the release, 5 s in: no frames are needed until then.
    assert is_top(figure, holding) and not holding.moving and holding.still_until == 5.0
    assert frame(bridges, 5.3).moving  # lowering
    down = frame(bridges, 7.5)
    assert is_start(figure, down) and not down.moving and down.still_until == 8.0
    assert frame(bridges, 8.2).moving  # the next rep rises
    last = frame(bridges, 2 * 8.0 + 4.0)
    assert is_top(figure, last) and last.still_until is None


def test_a_moving_figure_keeps_moving_through_timed_work() -> None:
    walk = ex("walk", time=60.0)
    figure = FIGURES["walk"]
    assert all(frame(walk, at).moving for at in (0.0, 10.0, 59.0))
    # One cycle every tempo seconds.
    assert frame(walk, 0.0).pose == frame(walk, figure.tempo * 7).pose
    assert frame(walk, 0.0).pose != frame(walk, figure.tempo / 2).pose


def test_sides_both_mirror_the_left_side_and_alternate_flips_each_rep() -> None:
    side_plank = ex("side-plank", sides=Sides.BOTH)
    steps = work_steps(side_plank)
    assert [step.side for step in steps] == [Side.LEFT, Side.RIGHT]
    assert frame(side_plank, 5.0, step=0).mirrored
    assert not frame(side_plank, 5.0, step=1).mirrored
    dog = ex("bird-dog", reps=4, hold=5.0, release=2.0, sides=Sides.ALTERNATE)
    # Left first, as the session says it.
    assert [frame(dog, rep * 7.0 + 3.0).mirrored for rep in range(8)] == [True, False] * 4
    one_side = ex("single-leg-bridge", reps=3, hold=5.0, sides=Sides.RIGHT)
    assert not any(frame(one_side, at).mirrored for at in (1.0, 8.0, 15.0))


def test_a_figure_that_alternates_by_nature_turns_the_other_way_each_rep() -> None:
    twists = ex("russian-twist", reps=4, rep_time=2.0)
    assert [frame(twists, rep * 2.0 + 1.0).mirrored for rep in range(4)] == [
        False,
        True,
        False,
        True,
    ]


def test_untimed_reps_move_at_the_figures_own_tempo() -> None:
    lunges = ex("lunge", reps=8, sides=Sides.ALTERNATE)
    figure = FIGURES["lunge"]
    step = work_steps(lunges)[0]
    assert step.kind is StepKind.MANUAL
    tempo = figure.tempo
    assert work_frame(figure, lunges, step, tempo / 2).pose == figure.keyframes[-1]
    # Alternating: the second rep is on the right, the third on the left again.
    sides = [work_frame(figure, lunges, step, rep * tempo + 0.1).mirrored for rep in range(3)]
    assert sides == [True, False, True]


def run_session(exercise: Exercise, **fields: Any) -> tuple[Session, FakeClock]:
    clock = FakeClock()
    routine = Routine(id="t", name="T", exercises=(exercise,), format=2, **fields)
    session = Session(build_timeline(routine), clock, countdown=0)
    session.start()
    return session, clock


def test_the_session_shows_the_coming_figure_small_while_getting_ready() -> None:
    session, clock = run_session(ex("bird-dog", reps=2, hold=5.0, sides=Sides.BOTH), prepare=10)
    picture = session_picture(session.state())
    assert picture is not None and not picture.large
    assert picture.frame is not None and picture.frame.figure.name == "bird-dog"
    assert picture.frame.mirrored  # the left side comes first
    assert not picture.frame.moving
    clock.advance(10.5)
    session.update()
    picture = session_picture(session.state())
    assert picture is not None and picture.large and picture.frame is not None
    assert picture.frame.moving


def test_a_paused_session_shows_a_still_figure() -> None:
    session, clock = run_session(ex("walk", time=60.0), prepare=0)
    clock.advance(2.3)
    session.update()
    running = session_picture(session.state())
    assert running is not None and running.frame is not None and running.frame.moving
    session.pause()
    clock.advance(5)
    paused = session_picture(session.state())
    assert session.state().status is SessionStatus.PAUSED
    assert paused is not None and paused.frame is not None
    assert not paused.frame.moving and paused.frame.pose == running.frame.pose


def test_an_exercise_without_a_figure_or_picture_shows_nothing() -> None:
    plain = Exercise(name="P", sets=1, rest=0, rest_after=0, time=30.0)
    session, _clock = run_session(plain, prepare=0)
    assert session_picture(session.state()) is None
