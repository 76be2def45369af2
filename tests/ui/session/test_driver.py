"""The Qt session driver: one precise timer, cues in order and on time, history, screen lock.

Time only moves when a test moves the fake clock; the driver's timer is never
left to fire by itself. :func:`run_until` plays the timer's part: it moves the
clock to each deadline the driver armed and calls ``fire_due()``, as the
timer would.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import (
    CueDue,
    CueKind,
    Event,
    SecondElapsed,
    SessionFinished,
    SessionState,
    SessionStatus,
    StepFinished,
    StepStarted,
)
from routine_timer.core.model import Exercise, Routine, Say, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from routine_timer.ui.session.driver import INHIBIT_REASON, LATE_CUE_LIMIT, SessionDriver
from tests.helpers.clocks import FakeClock
from tests.helpers.fakes import FakeInhibitor, RecordingCuePlayer

START = 1000.0
"""The fake clock's reading when each test begins."""


def plank_routine() -> Timeline:
    """Prepare 5 s; front plank 2 x 30 s (rest 15 s); side plank 20 s each side."""
    return build_timeline(
        Routine(
            id="core",
            name="Core",
            prepare=5.0,
            exercises=(
                Exercise(
                    name="Front plank",
                    sets=2,
                    rest=15.0,
                    rest_after=15.0,
                    time=30.0,
                    cues=("Keep a straight line", "Breathe out"),
                    say=(Say(10.0, "Squeeze the glutes"),),
                ),
                Exercise(
                    name="Side plank",
                    sets=1,
                    rest=15.0,
                    rest_after=15.0,
                    time=20.0,
                    sides=Sides.BOTH,
                    switch=5.0,
                ),
            ),
        )
    )


def squat_routine() -> Timeline:
    """Prepare 3 s, then one untimed set of 10 squats."""
    return build_timeline(
        Routine(
            id="legs",
            name="Legs",
            prepare=3.0,
            exercises=(Exercise(name="Squat", sets=1, rest=15.0, rest_after=15.0, reps=10),),
        )
    )


class RecordingRecorder:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def on_event(self, event: Event) -> None:
        self.events.append(event)


@pytest.fixture
def player(clock: FakeClock) -> RecordingCuePlayer:
    return RecordingCuePlayer(clock)


def make_driver(
    qtbot: QtBot, clock: FakeClock, timeline: Timeline, **kwargs: object
) -> SessionDriver:
    driver = SessionDriver(timeline, clock=clock, **kwargs)  # type: ignore[arg-type]
    # The driver's own timer must never fire in these tests: time is the fake clock's.
    driver.timer.timeout.disconnect(driver.fire_due)
    return driver


def run_until(driver: SessionDriver, clock: FakeClock, offset: float) -> None:
    """Play the timer's part until ``offset`` seconds after START (or the session ends)."""
    target = START + offset
    while True:
        deadline = driver.session.next_deadline()
        if deadline is None or deadline > target:
            break
        clock.now = max(clock.now, deadline)
        driver.fire_due()
    clock.now = max(clock.now, target)


def assert_armed(driver: SessionDriver, clock: FakeClock) -> None:
    """The single timer is armed for the engine's next deadline (and only then)."""
    deadline = driver.session.next_deadline()
    if deadline is None:
        assert not driver.timer.isActive()
        return
    assert driver.timer.isActive()
    assert driver.timer.isSingleShot()
    assert driver.timer.timerType() is Qt.TimerType.PreciseTimer
    assert driver.timer.interval() == max(0, math.ceil((deadline - clock()) * 1000))


# --- the timer ----------------------------------------------------------------


def test_nothing_is_armed_before_the_start(qtbot: QtBot, clock: FakeClock) -> None:
    driver = make_driver(qtbot, clock, plank_routine())
    assert driver.status is SessionStatus.READY
    assert not driver.timer.isActive()


def test_every_control_forwards_and_rearms_the_timer(qtbot: QtBot, clock: FakeClock) -> None:
    driver = make_driver(qtbot, clock, plank_routine())
    statuses: list[str] = []

    def note_status(state: SessionState) -> None:
        if not statuses or statuses[-1] != state.status.value:
            statuses.append(state.status.value)

    driver.stateChanged.connect(note_status)

    driver.start()
    assert driver.status is SessionStatus.RUNNING
    assert driver.state().step.kind is StepKind.PREPARE
    assert driver.timer.interval() == 1000  # the first second boundary
    assert_armed(driver, clock)

    clock.advance(0.4)
    driver.toggle()  # pause
    assert driver.status is SessionStatus.PAUSED
    assert not driver.timer.isActive()

    clock.advance(30)
    driver.toggle()  # resume: 0.6 s left to the next second
    assert driver.status is SessionStatus.RUNNING
    assert driver.timer.interval() == 600
    assert_armed(driver, clock)

    driver.skip()
    assert driver.state().step.label == "Front plank"
    assert_armed(driver, clock)

    clock.advance(5)
    driver.skip()  # into the rest
    assert driver.state().step.kind is StepKind.REST
    clock.advance(1)
    driver.back()  # within 3 s: back to the set just done
    assert driver.state().step.label == "Front plank"
    assert driver.state().step.set == 1
    assert_armed(driver, clock)

    driver.mark_done()  # a timed step: nothing happens
    assert driver.state().step.label == "Front plank"
    assert_armed(driver, clock)

    driver.stop()
    assert driver.status is SessionStatus.STOPPED
    assert not driver.timer.isActive()
    assert statuses == ["running", "paused", "running", "stopped"]


def test_mark_done_ends_an_untimed_set(qtbot: QtBot, clock: FakeClock) -> None:
    driver = make_driver(qtbot, clock, squat_routine())
    finished: list[SessionFinished] = []
    driver.sessionFinished.connect(finished.append)
    driver.start()
    run_until(driver, clock, 3)
    assert driver.state().step.kind is StepKind.MANUAL
    # The count-up still wakes the screen once a second.
    assert driver.timer.interval() == 1000
    run_until(driver, clock, 40)
    assert driver.state().elapsed_in_step == pytest.approx(37)
    driver.mark_done()
    assert driver.status is SessionStatus.FINISHED
    assert not driver.timer.isActive()
    assert [event.completed for event in finished] == [True]


def test_the_timer_follows_the_engine_through_a_whole_routine(
    qtbot: QtBot, clock: FakeClock
) -> None:
    driver = make_driver(qtbot, clock, plank_routine())
    driver.start()
    while driver.session.next_deadline() is not None:
        assert_armed(driver, clock)
        clock.now = driver.session.next_deadline()
        driver.fire_due()
    assert driver.status is SessionStatus.FINISHED
    assert clock.now == START + driver.timeline.total_seconds
    assert not driver.timer.isActive()


def test_the_real_timer_fires_the_driver(qtbot: QtBot, clock: FakeClock) -> None:
    driver = SessionDriver(plank_routine(), clock=clock)
    driver.start()
    # Pause and resume a millisecond before the first second: the timer is re-armed for 1 ms.
    clock.advance(0.999)
    driver.toggle()
    driver.toggle()
    assert driver.timer.interval() == 1
    clock.advance(0.001)
    with qtbot.waitSignal(driver.secondElapsed, timeout=2000) as blocker:
        pass
    assert blocker.args[0].elapsed == 1
    driver.stop()


# --- cues ---------------------------------------------------------------------


def test_cues_reach_the_player_in_order_at_the_right_times(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    driver = make_driver(qtbot, clock, plank_routine(), cue_player=player)
    driver.start()
    run_until(driver, clock, 140)
    assert driver.status is SessionStatus.FINISHED
    played = [(round(p.at - START, 3), p.kind, p.text) for p in player.played]
    k = CueKind
    assert played[:13] == [
        (0, k.STEP_START, "Get ready. First: Front plank, 30 seconds"),
        (2, k.COUNTDOWN, "3"),
        (3, k.COUNTDOWN, "2"),
        (4, k.COUNTDOWN, "1"),
        (5, k.STEP_END, ""),
        (5, k.STEP_START, "Front plank, set 1 of 2, 30 seconds"),
        (5, k.COACH, "Keep a straight line"),
        (15, k.SAY, "Squeeze the glutes"),
        (20, k.HALFWAY, "Halfway"),
        (32, k.COUNTDOWN, "3"),
        (33, k.COUNTDOWN, "2"),
        (34, k.COUNTDOWN, "1"),
        (35, k.STEP_END, ""),
    ]
    assert (35, k.STEP_START, "Rest 15 seconds. Next: Front plank") in played
    assert (95, k.STEP_START, "Side plank, 20 seconds, left side") in played
    assert (115, k.SWITCH_SIDES, "Switch sides") in played
    assert (120, k.STEP_START, "Side plank, 20 seconds, right side") in played
    assert (130, k.HALFWAY, "Halfway") in played
    assert played[-1] == (140, k.FINISHED, "Routine complete")
    # The 3-2-1 of every timed step (8 of them), each number once.
    assert [p.count for p in player.played if p.kind is k.COUNTDOWN] == [3, 2, 1] * 8
    # Times never go backwards.
    times = [p.at for p in player.played]
    assert times == sorted(times)


def test_countdown_length_comes_from_the_setting(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    driver = make_driver(qtbot, clock, plank_routine(), cue_player=player, countdown=0)
    driver.start()
    run_until(driver, clock, 40)
    assert CueKind.COUNTDOWN not in player.kinds()
    assert player.kinds().count(CueKind.STEP_END) == 2


def test_held_and_paced_rep_calls(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    timeline = build_timeline(
        Routine(
            id="reps",
            name="Reps",
            prepare=0.0,
            exercises=(
                Exercise(
                    name="Bird dog",
                    sets=1,
                    rest=0.0,
                    rest_after=0.0,
                    reps=2,
                    hold=3.0,
                    release=1.0,
                    sides=Sides.ALTERNATE,
                ),
                Exercise(name="Calf raise", sets=1, rest=0.0, rest_after=0.0, reps=3, rep_time=2.0),
            ),
        )
    )
    driver = make_driver(qtbot, clock, timeline, cue_player=player, countdown=0)
    driver.start()
    run_until(driver, clock, 21)
    calls = [
        (round(p.at - START, 3), p.text)
        for p in player.played
        if p.kind in (CueKind.REP, CueKind.RELEASE)
    ]
    # Bird dog: 4 holds of 3 s (left, right, left, right), 1 s release between; 15 s.
    assert calls == [
        (0, "Rep 1, left"),
        (3, "Release"),
        (4, "Rep 2, right"),
        (7, "Release"),
        (8, "Rep 3, left"),
        (11, "Release"),
        (12, "Rep 4, right"),
        (15, "Rep 1"),
        (17, "Rep 2"),
        (19, "Rep 3"),
    ]


def test_pause_skip_back_and_stop_silence_the_player(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    driver = make_driver(qtbot, clock, plank_routine(), cue_player=player)
    driver.start()
    assert player.silenced == []
    clock.advance(1)
    driver.toggle()  # pause
    assert len(player.silenced) == 1
    driver.toggle()  # resume: nothing to cut off
    assert len(player.silenced) == 1
    driver.skip()
    assert len(player.silenced) == 2
    driver.back()
    assert len(player.silenced) == 3
    driver.stop()
    assert len(player.silenced) == 4


def test_cues_far_too_late_are_dropped(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    recorder = RecordingRecorder()
    driver = make_driver(qtbot, clock, plank_routine(), cue_player=player, recorder=recorder)
    driver.start()
    player.clear()
    # The machine slept through the prepare countdown and into the first set.
    clock.advance(5 + LATE_CUE_LIMIT + 1)
    driver.fire_due()
    assert player.played == []
    # The history still heard about every one of them, in order.
    seen = [event.cue for event in recorder.events if isinstance(event, CueDue)]
    assert [cue.kind for cue in seen[1:]] == [
        CueKind.COUNTDOWN,
        CueKind.COUNTDOWN,
        CueKind.COUNTDOWN,
        CueKind.STEP_END,
        CueKind.STEP_START,
        CueKind.COACH,
    ]
    # A cue a little late is still played.
    clock.now = START + 15 + LATE_CUE_LIMIT - 0.5
    driver.fire_due()
    assert player.texts() == ["Squeeze the glutes"]


def test_routine_complete_is_said_even_after_a_late_wake_up(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    driver = make_driver(qtbot, clock, squat_routine(), cue_player=player)
    driver.start()
    clock.advance(100)
    driver.fire_due()
    player.clear()
    driver.mark_done()
    assert player.texts() == ["Routine complete"]


def test_no_player_is_fine_and_one_can_arrive_later(
    qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer
) -> None:
    driver = make_driver(qtbot, clock, plank_routine())
    driver.start()
    run_until(driver, clock, 3)
    driver.set_cue_player(player)
    run_until(driver, clock, 5)
    assert player.texts() == [
        "1",
        "",
        "Front plank, set 1 of 2, 30 seconds",
        "Keep a straight line",
    ]


# --- history ------------------------------------------------------------------


def test_the_recorder_gets_every_event(qtbot: QtBot, clock: FakeClock) -> None:
    recorder = RecordingRecorder()
    driver = make_driver(qtbot, clock, plank_routine(), recorder=recorder)
    emitted: list[object] = []
    for signal in (driver.stepStarted, driver.secondElapsed, driver.sessionFinished):
        signal.connect(emitted.append)
    driver.start()
    run_until(driver, clock, 10)
    driver.skip()
    run_until(driver, clock, 140)
    events = recorder.events
    assert isinstance(events[0], StepStarted)
    assert isinstance(events[-1], SessionFinished)
    assert events[-1].completed
    finished = [event for event in events if isinstance(event, StepFinished)]
    assert len(finished) == len(driver.timeline.steps)
    assert [event.skipped for event in finished][:3] == [False, True, False]
    # The signals carried the same events, those the widgets listen to.
    shown = [e for e in events if isinstance(e, StepStarted | SecondElapsed | SessionFinished)]
    assert emitted == shown


def test_a_stopped_session_is_recorded_as_stopped(qtbot: QtBot, clock: FakeClock) -> None:
    recorder = RecordingRecorder()
    driver = make_driver(qtbot, clock, plank_routine(), recorder=recorder)
    driver.start()
    run_until(driver, clock, 8)
    driver.stop()
    last, before = recorder.events[-1], recorder.events[-2]
    assert isinstance(last, SessionFinished)
    assert not last.completed
    assert isinstance(before, StepFinished)
    assert before.skipped
    assert before.active_seconds == pytest.approx(3)


# --- keeping the screen awake --------------------------------------------------


def test_the_screen_is_kept_awake_only_while_running(qtbot: QtBot, clock: FakeClock) -> None:
    inhibitor = FakeInhibitor()
    driver = make_driver(qtbot, clock, plank_routine(), inhibitor=inhibitor)
    assert inhibitor.calls == []
    driver.start()
    assert inhibitor.active
    driver.toggle()
    assert not inhibitor.active
    driver.toggle()
    assert inhibitor.active
    run_until(driver, clock, 20)
    driver.skip()  # still running: not asked again
    driver.stop()
    assert not inhibitor.active
    reason = f"inhibit: {INHIBIT_REASON}"
    assert inhibitor.calls == [reason, "release", reason, "release"]


def test_the_screen_is_let_go_at_the_finish(qtbot: QtBot, clock: FakeClock) -> None:
    inhibitor = FakeInhibitor()
    driver = make_driver(qtbot, clock, plank_routine(), inhibitor=inhibitor)
    driver.start()
    run_until(driver, clock, 140)
    assert driver.status is SessionStatus.FINISHED
    assert inhibitor.calls == [f"inhibit: {INHIBIT_REASON}", "release"]


def test_an_inhibitor_arriving_mid_session_is_taken_at_once(qtbot: QtBot, clock: FakeClock) -> None:
    inhibitor = FakeInhibitor()
    driver = make_driver(qtbot, clock, plank_routine())
    driver.start()
    driver.set_inhibitor(inhibitor)
    assert inhibitor.active
    driver.toggle()
    assert not inhibitor.active
