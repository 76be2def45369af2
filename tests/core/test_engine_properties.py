"""Properties of the session engine over random routines and random use of the controls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routine_timer.core.engine import (
    CueDue,
    Event,
    SecondElapsed,
    Session,
    SessionFinished,
    SessionStatus,
    StepFinished,
    StepStarted,
)
from routine_timer.core.model import Exercise, Routine, Say, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from tests.helpers.clocks import FakeClock

T0 = 50.0

durations = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 7.5, 20.0])
gaps = st.sampled_from([0.0, 0.0, 1.0, 2.5, 5.0])


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    kind = draw(st.sampled_from(["time", "hold", "paced", "untimed"]))
    fields: dict[str, Any] = {
        "sets": draw(st.integers(1, 2)),
        "rest": draw(gaps),
        "rest_after": draw(gaps),
        "switch": draw(gaps),
        "cues": draw(st.sampled_from([(), ("Brace",)])),
    }
    if kind == "time":
        fields["time"] = draw(durations)
        fields["sides"] = draw(st.sampled_from([None, Sides.BOTH]))
    else:
        fields["reps"] = draw(st.integers(1, 3))
        fields["sides"] = draw(st.sampled_from([None, Sides.BOTH, Sides.ALTERNATE]))
        if kind == "hold":
            fields["hold"] = draw(durations)
            fields["release"] = draw(gaps)
        elif kind == "paced":
            fields["rep_time"] = draw(durations)
    if kind == "time":
        fields["say"] = (Say(fields["time"] / 2, "Breathe"),)
    return Exercise(name="E", **fields)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    routine = Routine(
        id="r",
        name="R",
        exercises=tuple(draw(st.lists(exercises(), min_size=1, max_size=3))),
        prepare=draw(st.sampled_from([0.0, 3.0, 10.0])),
        rounds=draw(st.integers(1, 2)),
        round_rest=draw(gaps),
    )
    return build_timeline(routine)


CONTROLS = ["update", "pause", "resume", "toggle", "skip", "back", "mark_done", "stop", "start"]
# Clock moves: mostly small steps, sometimes none, sometimes far, sometimes backwards.
moves = st.one_of(
    st.floats(0, 3, allow_nan=False),
    st.just(0.0),
    st.sampled_from([0.5, 1.0, 10.0, 120.0, -2.0]),
)
actions = st.lists(st.tuples(st.sampled_from(CONTROLS), moves), max_size=40)
smooth_actions = st.lists(
    st.tuples(st.sampled_from(["update", "pause", "resume", "toggle", "mark_done"]), moves),
    max_size=40,
)


@dataclass
class Trace:
    """Everything observed while driving a session."""

    session: Session
    clock: FakeClock
    events: list[Event] = field(default_factory=list)
    last_update: float = 0.0

    def call(self, name: str) -> None:
        before = self.session.status
        new: list[Event] = getattr(self.session, name)()
        if name == "update":
            self.last_update = max(self.last_update, self.clock.now)
        self.events.extend(new)
        self.check_after(name, before, new)

    def check_after(self, name: str, before: SessionStatus, new: list[Event]) -> None:
        session = self.session
        state = session.state()
        if state.remaining_in_step is not None:
            assert state.remaining_in_step >= 0
        assert state.remaining_total >= 0
        assert 0.0 <= state.progress <= 1.0
        assert state.elapsed_in_step >= 0
        deadline = session.next_deadline()
        if session.status is SessionStatus.RUNNING:
            assert deadline is not None
            assert deadline > self.last_update
        else:
            assert deadline is None
        if before in (SessionStatus.FINISHED, SessionStatus.STOPPED):
            assert new == []

    def times(self) -> list[float]:
        return [event_time(e) for e in self.events]

    def finish(self) -> None:
        """Run the session to its end: let time pass, resume pauses, mark manual steps done."""
        for _ in range(10_000):
            status = self.session.status
            if status in (SessionStatus.FINISHED, SessionStatus.STOPPED):
                return
            if status is SessionStatus.READY:
                self.call("start")
            elif status is SessionStatus.PAUSED:
                self.call("resume")
            else:
                state = self.session.state()
                if state.step is not None and state.step.kind is StepKind.MANUAL:
                    self.clock.now += 1.0
                    self.call("mark_done")
                else:
                    deadline = self.session.next_deadline()
                    assert deadline is not None
                    self.clock.now = max(self.clock.now, deadline)
                    self.call("update")
        pytest.fail("the session never finished")


def event_time(event: Event) -> float:
    return event.cue.due if isinstance(event, CueDue) else event.at


def drive(tl: Timeline, steps: list[tuple[str, float]]) -> Trace:
    clock = FakeClock(T0)
    trace = Trace(Session(tl, clock), clock)
    trace.call("start")
    for name, move in steps:
        clock.now += move
        trace.call(name)
    return trace


def check_event_consistency(trace: Trace) -> None:
    """Steps open and close in pairs; one SessionFinished, last; times never go back."""
    open_step = None
    finishes = 0
    for event in trace.events:
        assert finishes == 0, "nothing may follow SessionFinished"
        if isinstance(event, StepStarted):
            assert open_step is None
            open_step = event.step
        elif isinstance(event, StepFinished):
            assert event.step == open_step
            assert event.active_seconds >= 0
            if event.step.is_timed:
                assert event.active_seconds <= event.step.duration
            open_step = None
        elif isinstance(event, SecondElapsed | CueDue):
            step = event.step if isinstance(event, SecondElapsed) else event.cue.step
            assert step == open_step or (isinstance(event, CueDue) and open_step is None)
        elif isinstance(event, SessionFinished):
            assert open_step is None
            finishes += 1
    ended = trace.session.status in (SessionStatus.FINISHED, SessionStatus.STOPPED)
    assert finishes == (1 if ended else 0)
    times = trace.times()
    assert times == sorted(times)


@settings(max_examples=100, deadline=None)
@given(timelines(), actions)
def test_any_use_of_the_controls_keeps_the_session_consistent(
    tl: Timeline, steps: list[tuple[str, float]]
) -> None:
    trace = drive(tl, steps)
    check_event_consistency(trace)
    trace.finish()
    check_event_consistency(trace)
    end = trace.events[-1]
    assert isinstance(end, SessionFinished)
    assert end.completed == (trace.session.status is SessionStatus.FINISHED)
    steps_active = sum(e.active_seconds for e in trace.events if isinstance(e, StepFinished))
    assert end.active_seconds == pytest.approx(steps_active)
    assert end.active_seconds + end.paused_seconds <= end.at - 50.0 + 1e-6


@settings(max_examples=80, deadline=None)
@given(timelines(), st.lists(st.tuples(st.sampled_from(CONTROLS[:-1]), moves), max_size=40))
def test_progress_only_moves_back_with_back(tl: Timeline, steps: list[tuple[str, float]]) -> None:
    clock = FakeClock(T0)
    session = Session(tl, clock)
    session.start()
    last = session.state().progress
    for name, move in steps:
        clock.now += move
        getattr(session, name)()
        progress = session.state().progress
        if name != "back":
            assert progress >= last - 1e-9
        last = progress


@settings(max_examples=80, deadline=None)
@given(timelines(), smooth_actions)
def test_pausing_never_changes_the_work_time_delivered(
    tl: Timeline, steps: list[tuple[str, float]]
) -> None:
    trace = drive(tl, steps)
    trace.finish()
    assert trace.session.status is SessionStatus.FINISHED
    done = [e for e in trace.events if isinstance(e, StepFinished)]
    assert [e.step for e in done] == list(tl.steps)
    for event in done:
        assert not event.skipped
        if event.step.is_timed:
            assert event.active_seconds == event.step.duration
    end = trace.events[-1]
    assert isinstance(end, SessionFinished)
    manual = sum(e.active_seconds for e in done if not e.step.is_timed)
    assert end.active_seconds == pytest.approx(tl.total_seconds + manual)
    assert end.active_seconds + end.paused_seconds == pytest.approx(end.at - 50.0)


@settings(max_examples=50, deadline=None)
@given(timelines(), st.lists(moves, max_size=30))
def test_late_updates_deliver_the_same_cues_at_the_same_times(
    tl: Timeline, late: list[float]
) -> None:
    """However the updates are spaced, the cues and step changes are the same."""
    punctual = drive(tl, [])
    punctual.finish()
    sloppy = drive(tl, [("update", abs(move)) for move in late])
    sloppy.finish()

    def cues_and_steps(trace: Trace) -> list[Event]:
        return [e for e in trace.events if not isinstance(e, SecondElapsed)]

    def manual_free(events: list[Event]) -> list[tuple[str, float]]:
        # Manual steps end when "the user" marks them done, which differs between runs.
        return [(type(e).__name__, event_time(e)) for e in events]

    if tl.manual_steps == 0:
        assert manual_free(cues_and_steps(sloppy)) == manual_free(cues_and_steps(punctual))
    else:
        assert [type(e) for e in cues_and_steps(sloppy)] == [
            type(e) for e in cues_and_steps(punctual)
        ]
