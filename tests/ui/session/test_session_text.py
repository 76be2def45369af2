"""What the session screen says at every kind of step, as plain strings (no widgets)."""

from __future__ import annotations

import pytest

from routine_timer.core.engine import Session
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from routine_timer.ui.session.text import (
    ScreenText,
    count_up_digits,
    countdown_digits,
    screen_text,
    step_summary,
)
from routine_timer.ui.theme import Look
from tests.helpers.clocks import FakeClock

START = 1000.0
_REST = {"rest": 15.0, "rest_after": 15.0}


def routine() -> Timeline:
    """One of each: a timed set with hints, both sides, held alternating reps, paced reps, untimed.

    Steps (start offsets): prepare 0, plank 5 (30 s), rest 35, plank 50, rest 80,
    side plank left 95 (20 s), switch 115 (5 s), right 120, rest 140, bird dog 155
    (15 s), rest 170, calf raise 185 (6 s), rest 191, squat (untimed) 206, rest
    206, squat 221.
    """
    return build_timeline(
        Routine(
            id="core",
            name="Core",
            prepare=5.0,
            exercises=(
                Exercise(
                    name="Front plank",
                    sets=2,
                    time=30.0,
                    cues=("Keep a straight line", "Breathe out"),
                    easier="Knee plank",
                    harder="Plank with leg lift",
                    **_REST,
                ),
                Exercise(name="Side plank", sets=1, time=20.0, sides=Sides.BOTH, **_REST),
                Exercise(
                    name="Bird dog",
                    sets=1,
                    reps=2,
                    hold=3.0,
                    release=1.0,
                    sides=Sides.ALTERNATE,
                    **_REST,
                ),
                Exercise(name="Calf raise", sets=1, reps=3, rep_time=2.0, **_REST),
                Exercise(name="Squat", sets=2, reps=10, cues=("Knees over toes",), **_REST),
            ),
        )
    )


def shown_at(offset: float, *, pause: bool = False) -> ScreenText:
    """The screen ``offset`` seconds into a fresh session (paused there when asked)."""
    timeline = routine()
    clock = FakeClock(START)
    session = Session(timeline, clock)
    session.start()
    clock.now = START + offset
    session.update()
    if pause:
        session.pause()
    return screen_text(session.state(), timeline)


def test_before_the_start() -> None:
    timeline = routine()
    text = screen_text(Session(timeline, FakeClock()).state(), timeline)
    assert text.look is Look.READY
    assert text.heading == "READY"
    assert text.title == "Core"
    assert text.details == "16 steps · 3:41"
    assert text.digits == "3:41"
    assert text.caption == "press Start"
    # The first exercise, not the get-ready countdown.
    assert text.next_up == "First: Front plank · set 1 of 2 · 30 s"
    assert text.overall == "3:41 left · + 2 sets at your pace"
    assert not text.done_button


def test_prepare_shows_what_comes_first() -> None:
    text = shown_at(1.2)
    assert text.look is Look.PREPARE
    assert text.heading == "GET READY"
    assert text.title == "First: Front plank"
    assert text.details == "Set 1 of 2 · 30 seconds"
    assert text.digits == "4"
    assert text.ring == pytest.approx(3.8 / 5)
    assert text.coach == "Keep a straight line"
    assert text.hints == "Easier: Knee plank · Harder: Plank with leg lift"
    assert text.next_up == "Then: Rest 15 s"
    assert text.overall == "Step 1 of 16 · 3:40 left · + 2 sets at your pace"


def test_timed_work() -> None:
    text = shown_at(5 + 10.5)
    assert text.look is Look.WORK
    assert text.heading == "WORK"
    assert text.title == "Front plank"
    assert text.details == "Set 1 of 2 · 30 seconds"
    assert text.digits == "20"
    assert text.ring == pytest.approx(19.5 / 30)
    assert text.caption == ""
    assert text.coach == "Keep a straight line"
    assert text.hints == "Easier: Knee plank · Harder: Plank with leg lift"
    assert text.next_up == "Next: Rest 15 s"
    assert text.overall.startswith("Step 2 of 16 · 3:26 left")
    assert text.progress == pytest.approx(15.5 / 221)
    assert not text.done_button


def test_work_on_one_side() -> None:
    text = shown_at(95 + 2)
    assert text.title == "Side plank"
    assert text.details == "Left side · 20 seconds"
    assert text.digits == "18"
    assert text.next_up == "Next: Switch sides 5 s"
    assert text.coach == ""


def test_switch_sides() -> None:
    text = shown_at(115 + 1)
    assert text.look is Look.SWITCH
    assert text.heading == "SWITCH SIDES"
    assert text.title == "Switch sides"
    assert text.details == "Now the right side"
    assert text.digits == "4"
    assert text.next_up == "Next: Side plank · right side · 20 s"
    assert text.coach == ""
    assert text.hints == ""


def test_rest_says_what_comes_next() -> None:
    text = shown_at(35 + 3)
    assert text.look is Look.REST
    assert text.heading == "REST"
    assert text.title == "Rest"
    assert text.details == ""
    assert text.digits == "12"
    assert text.ring == pytest.approx(0.8)
    assert text.next_up == "Next: Front plank · set 2 of 2 · 30 s"
    assert text.coach == ""


@pytest.mark.parametrize(
    ("into", "details", "caption", "digits"),
    [
        (1.0, "Left side · Rep 1 of 4 · Hold 3 s", "hold", "14"),
        (3.5, "Left side · Rep 1 of 4 · Hold 3 s", "release", "12"),
        (4.5, "Right side · Rep 2 of 4 · Hold 3 s", "hold", "11"),
        (14.0, "Right side · Rep 4 of 4 · Hold 3 s", "hold", "1"),
    ],
)
def test_held_reps_alternating_sides(into: float, details: str, caption: str, digits: str) -> None:
    text = shown_at(155 + into)
    assert text.title == "Bird dog"
    assert text.details == details
    assert text.caption == caption
    assert text.digits == digits


def test_paced_reps() -> None:
    text = shown_at(185 + 2.5)
    assert text.title == "Calf raise"
    assert text.details == "Rep 2 of 3"
    assert text.caption == ""
    assert text.digits == "4"


def test_untimed_set_counts_up_and_shows_done() -> None:
    text = shown_at(206 + 42.3)
    assert text.look is Look.MANUAL
    assert text.heading == "YOUR PACE"
    assert text.title == "Squat"
    assert text.details == "Set 1 of 2 · 10 reps"
    assert text.digits == "0:42"
    assert text.caption == "time spent"
    assert text.ring == 1.0
    assert text.coach == "Knees over toes"
    assert text.next_up == "Next: Rest 15 s"
    assert text.overall == "Step 14 of 16 · 0:15 left · + 2 sets at your pace"
    assert text.done_button


def test_paused_keeps_the_step_and_says_so() -> None:
    text = shown_at(5 + 10.5, pause=True)
    assert text.look is Look.PAUSED
    assert text.heading == "PAUSED · WORK"
    assert text.title == "Front plank"
    assert text.digits == "20"
    paused_manual = shown_at(206 + 3, pause=True)
    assert paused_manual.heading == "PAUSED · YOUR PACE"
    assert paused_manual.done_button  # Done still works while paused


def test_finished_and_stopped() -> None:
    timeline = routine()
    clock = FakeClock(START)
    session = Session(timeline, clock)
    session.start()
    clock.now = START + 206
    session.update()
    session.mark_done()
    clock.advance(15)
    session.update()
    session.mark_done()
    text = screen_text(session.state(), timeline)
    assert text.look is Look.FINISHED
    assert text.heading == "FINISHED"
    assert text.title == "Core"
    assert text.digits == "0:00"
    assert text.ring == 0.0
    assert text.next_up == ""
    assert text.progress == 1.0
    assert not text.done_button

    stopped = Session(timeline, clock)
    stopped.start()
    stopped.stop()
    assert screen_text(stopped.state(), timeline).heading == "STOPPED"


def test_routine_name_can_be_given() -> None:
    timeline = routine()
    state = Session(timeline, FakeClock()).state()
    assert screen_text(state, timeline, routine_name="Evening core").title == "Evening core"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0"), (0.2, "1"), (1.0, "1"), (59.5, "1:00"), (59, "59"), (90, "1:30"), (-3, "0")],
)
def test_countdown_digits(seconds: float, expected: str) -> None:
    assert countdown_digits(seconds) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"), [(0, "0:00"), (0.99, "0:00"), (42.3, "0:42"), (61, "1:01")]
)
def test_count_up_digits(seconds: float, expected: str) -> None:
    assert count_up_digits(seconds) == expected


def test_step_summaries() -> None:
    by_kind = {step.kind: step_summary(step) for step in reversed(routine().steps)}
    assert by_kind[StepKind.PREPARE] == "Get ready 5 s"
    assert by_kind[StepKind.WORK] == "Front plank · set 1 of 2 · 30 s"
    assert by_kind[StepKind.MANUAL] == "Squat · set 1 of 2 · 10 reps"
    assert by_kind[StepKind.SWITCH] == "Switch sides 5 s"
    assert by_kind[StepKind.REST] == "Rest 15 s"
