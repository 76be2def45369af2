"""The session engine, driven by a clock the tests move by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from routine_timer.core.engine import (
    BACK_RESTART_SECONDS,
    Cue,
    CueDue,
    CueKind,
    Event,
    SecondElapsed,
    Session,
    SessionFinished,
    SessionStatus,
    StepFinished,
    StepStarted,
)
from routine_timer.core.model import Exercise, Routine, Say, Side, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from tests.helpers.clocks import FakeClock

T0 = 1000.0


def ex(name: str = "Plank", **fields: Any) -> Exercise:
    fields.setdefault("sets", 1)
    fields.setdefault("rest", 15.0)
    fields.setdefault("rest_after", 15.0)
    if "reps" not in fields:
        fields.setdefault("time", 30.0)
    return Exercise(name=name, **fields)


def timeline(*exercises: Exercise, **fields: Any) -> Timeline:
    fields.setdefault("prepare", 0.0)
    return build_timeline(Routine(id="t", name="T", exercises=exercises, **fields))


@dataclass
class Run:
    """A session, its clock and every event it has emitted so far."""

    session: Session
    clock: FakeClock
    events: list[Event] = field(default_factory=list)

    def at(self, offset: float) -> list[Event]:
        """Move the clock to T0 + offset and update."""
        self.clock.now = T0 + offset
        return self.call("update")

    def call(self, name: str) -> list[Event]:
        new: list[Event] = getattr(self.session, name)()
        self.events.extend(new)
        return new

    @property
    def state(self) -> Any:
        return self.session.state()


def run(tl: Timeline, *, start: bool = True, countdown: int = 3) -> Run:
    clock = FakeClock(T0)
    r = Run(Session(tl, clock, countdown=countdown), clock)
    if start:
        r.call("start")
    return r


def show(event: Event) -> str:
    """An event as a short line, so whole sequences read like a script."""
    if isinstance(event, StepStarted):
        return f"start {event.step.index} {event.step.kind}"
    if isinstance(event, StepFinished):
        return f"end {event.step.index}" + (" skipped" if event.skipped else "")
    if isinstance(event, SecondElapsed):
        return f"second {event.elapsed} left {event.remaining}"
    if isinstance(event, CueDue):
        return f"{event.cue.kind} {event.cue.text}".rstrip()
    return "completed" if event.completed else "stopped"


def script(events: list[Event]) -> list[str]:
    return [show(e) for e in events]


def cues(events: list[Event], kind: CueKind | None = None) -> list[Cue]:
    return [e.cue for e in events if isinstance(e, CueDue) and kind in (None, e.cue.kind)]


def offsets(events: list[Event], kind: CueKind) -> list[float]:
    return [c.offset for c in cues(events, kind)]


def finished(events: list[Event]) -> list[StepFinished]:
    return [e for e in events if isinstance(e, StepFinished)]


# -- starting --------------------------------------------------------------


def test_before_start_every_control_is_a_no_op() -> None:
    r = run(timeline(ex()), start=False)
    for name in ("pause", "resume", "skip", "back", "mark_done", "stop", "update"):
        assert r.call(name) == []
    assert r.session.status is SessionStatus.READY
    assert r.session.next_deadline() is None
    state = r.state
    assert state.step is None
    assert state.next_step == r.session.timeline.steps[0]
    assert (state.progress, state.elapsed_total, state.remaining_total) == (0.0, 0.0, 30.0)


def test_start_begins_the_first_step_with_its_cues() -> None:
    r = run(timeline(ex(cues=("Brace your core", "Breathe")), prepare=10), start=False)
    events = r.call("start")
    assert script(events) == [
        "start 0 prepare",
        "step_start Get ready. First: Plank, 30 seconds",
    ]
    assert events[0] == StepStarted(r.session.timeline.steps[0], T0)
    assert r.session.status is SessionStatus.RUNNING
    assert r.call("start") == []
    r.at(10)
    assert script(r.events)[-5:] == [
        "step_end",
        "end 0",
        "start 1 work",
        "step_start Plank, 30 seconds",
        "coach Brace your core",
    ]


def test_toggle_starts_pauses_and_resumes() -> None:
    r = run(timeline(ex()), start=False)
    r.call("toggle")
    assert r.session.status is SessionStatus.RUNNING
    r.call("toggle")
    assert r.session.status is SessionStatus.PAUSED
    r.call("toggle")
    assert r.session.status is SessionStatus.RUNNING
    r.call("stop")
    assert r.call("toggle") == []
    assert r.session.status is SessionStatus.STOPPED


def test_an_empty_timeline_finishes_at_once() -> None:
    session = Session(Timeline("e", "E", ()), FakeClock(T0))
    events = session.start()
    assert events == [SessionFinished(True, 0.0, 0.0, T0)]
    assert session.status is SessionStatus.FINISHED
    assert session.state().progress == 1.0


# -- time: seconds, deadlines, step ends ------------------------------------


def test_seconds_inside_a_step_and_its_end() -> None:
    r = run(timeline(ex(time=5), ex("Bridge", time=3), prepare=0), countdown=0)
    deadlines = []
    for _ in range(7):
        deadline = r.session.next_deadline()
        assert deadline is not None
        deadlines.append(deadline - T0)
        r.at(deadline - T0)
    assert deadlines == [1, 2, 3, 4, 5, 6, 7]
    assert script(r.events) == [
        "start 0 work",
        "step_start Plank, 30 seconds".replace("30", "5"),
        "second 1 left 4",
        "second 2 left 3",
        "second 3 left 2",
        "second 4 left 1",
        "step_end",
        "end 0",
        "start 1 rest",
        "step_start Rest 15 seconds. Next: Bridge",
        "second 1 left 14",
        "second 2 left 13",
    ]


def test_a_step_end_is_stamped_with_its_due_time() -> None:
    r = run(timeline(ex(time=5), ex("Bridge", time=3)))
    events = r.at(5.7)
    (end,) = finished(events)
    assert end == StepFinished(r.session.timeline.steps[0], False, 5, T0 + 5)
    started = [e for e in events if isinstance(e, StepStarted)]
    assert started[0].at == T0 + 5


def test_fractional_durations_count_whole_seconds_from_the_start() -> None:
    r = run(timeline(ex(time=2.5)), countdown=0)
    r.at(1)
    r.at(2)
    assert [e.remaining for e in r.events if isinstance(e, SecondElapsed)] == [2, 1]
    r.at(2.5)
    assert r.session.status is SessionStatus.FINISHED


def test_a_late_update_catches_up_in_order_with_due_times() -> None:
    r = run(timeline(ex(time=4, sets=2, rest=2)), countdown=2)
    events = r.at(9.5)
    assert script(events) == [
        "countdown 2",
        "countdown 1",
        "step_end",
        "end 0",
        "start 1 rest",
        "step_start Rest 2 seconds. Next: Plank",
        "countdown 2",
        "countdown 1",
        "step_end",
        "end 1",
        "start 2 work",
        "step_start Plank, set 2 of 2, 4 seconds",
        "countdown 2",
        "second 3 left 1",
        "countdown 1",
    ]
    times = [
        e.cue.due if isinstance(e, CueDue) else e.at
        for e in events
        if not isinstance(e, SessionFinished)
    ]
    assert times == [
        T0 + 2,
        T0 + 3,
        T0 + 4,
        T0 + 4,
        T0 + 4,
        T0 + 4,
        T0 + 4,
        T0 + 5,
        T0 + 6,
        T0 + 6,
        T0 + 6,
        T0 + 6,
        T0 + 8,
        T0 + 9,
        T0 + 9,
    ]
    assert r.session.next_deadline() == T0 + 10


def test_a_late_update_leaves_out_only_superseded_seconds() -> None:
    r = run(timeline(ex(time=60)), countdown=0)
    r.at(0.5)
    events = r.at(7.2)
    assert script(events) == ["second 7 left 53"]
    events = r.at(35)
    assert script(events) == ["halfway Halfway", "second 35 left 25"]


def test_same_instant_calls_emit_nothing_twice() -> None:
    r = run(timeline(ex(time=10)))
    first = r.at(5)
    assert script(first) == ["second 5 left 5"]
    for _ in range(5):
        assert r.at(5) == []
    assert r.session.next_deadline() == T0 + 6


def test_the_clock_stepping_back_changes_nothing() -> None:
    r = run(timeline(ex(time=10)))
    r.at(5)
    before = r.state
    assert r.at(2) == []
    assert r.call("pause") == []
    assert r.state.elapsed_in_step == before.elapsed_in_step
    r.at(1)
    r.call("resume")
    r.at(3)
    assert r.state.elapsed_in_step == 5
    r.at(6)
    assert r.state.elapsed_in_step == 6


def test_garbage_from_the_clock_is_ignored() -> None:
    r = run(timeline(ex(time=10)))
    r.clock.now = float("nan")
    assert r.call("update") == []
    r.clock.now = float("inf")
    assert r.call("update") == []
    assert r.at(1) != []


def test_a_huge_clock_jump_runs_to_the_end_without_a_flood() -> None:
    r = run(timeline(ex(time=10, sets=3, rest=5), ex("Squat", reps=10)))
    events = r.at(1e9)
    assert len(events) < 60
    assert r.state.step is not None
    assert r.state.step.kind is StepKind.MANUAL
    assert [e.elapsed for e in events if isinstance(e, SecondElapsed)][-1] == int(1e9 - 55)


# -- cues --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "countdown", "numbers"),
    [
        (10, 3, [3, 2, 1]),
        (3, 3, [3, 2, 1]),
        (2, 3, [2, 1]),
        (2.5, 3, [2, 1]),
        (0.5, 3, []),
        (10, 0, []),
        (10, 5, [5, 4, 3, 2, 1]),
    ],
)
def test_countdown_only_for_seconds_inside_the_step(
    duration: float, countdown: int, numbers: list[int]
) -> None:
    r = run(timeline(ex(time=duration)), countdown=countdown)
    r.at(duration)
    counted = cues(r.events, CueKind.COUNTDOWN)
    assert [c.count for c in counted] == numbers
    assert [c.text for c in counted] == [str(n) for n in numbers]
    assert [c.offset for c in counted] == [duration - n for n in numbers]
    assert [c.due for c in counted] == [T0 + duration - n for n in numbers]


def test_every_timed_kind_of_step_counts_down_and_sounds_its_end() -> None:
    r = run(timeline(ex(sides=Sides.BOTH, switch=5), ex("Bridge"), prepare=10))
    r.at(10_000)
    timed = [s for s in r.session.timeline.steps]
    assert {s.kind for s in timed} == {
        StepKind.PREPARE,
        StepKind.WORK,
        StepKind.SWITCH,
        StepKind.REST,
    }
    for step in timed:
        mine = [c for c in cues(r.events) if c.step == step]
        assert [c.count for c in mine if c.kind is CueKind.COUNTDOWN] == [3, 2, 1]
        assert [c.offset for c in mine if c.kind is CueKind.STEP_END] == [step.duration]


def test_halfway_only_in_work_of_twenty_seconds_or_more() -> None:
    r = run(timeline(ex(time=20), ex("B", time=19.5, rest_after=40), prepare=30))
    r.at(10_000)
    halfway = cues(r.events, CueKind.HALFWAY)
    assert [(c.step.index, c.offset, c.text) for c in halfway] == [(1, 10.0, "Halfway")]


def test_halfway_in_each_side_and_in_timed_reps() -> None:
    r = run(
        timeline(
            ex(time=40, sides=Sides.BOTH, switch=5),
            ex("Bird dog", reps=3, hold=5.0, release=2.5, sides=Sides.ALTERNATE),
        )
    )
    r.at(10_000)
    assert [(c.step.index, c.offset) for c in cues(r.events, CueKind.HALFWAY)] == [
        (0, 20),
        (2, 20),
        (4, 21.25),
    ]


def test_say_entries_at_their_offset_in_each_work_period() -> None:
    says = (Say(5, "Keep your hips level"), Say(25, "Almost there"))
    r = run(timeline(ex("Side plank", time=30, sides=Sides.BOTH, switch=5, say=says)))
    r.at(10_000)
    assert [(c.step.index, c.offset, c.due - T0, c.text) for c in cues(r.events, CueKind.SAY)] == [
        (0, 5, 5, "Keep your hips level"),
        (0, 25, 25, "Almost there"),
        (2, 5, 40, "Keep your hips level"),
        (2, 25, 60, "Almost there"),
    ]


def test_say_once_per_alternating_set_and_only_inside_the_period() -> None:
    says = (Say(0, "Start on the left"), Say(8, "Too late"))
    r = run(timeline(ex("Bird dog", reps=2, rep_time=2.0, sides=Sides.ALTERNATE, say=says)))
    r.at(100)
    assert [(c.offset, c.text) for c in cues(r.events, CueKind.SAY)] == [(0, "Start on the left")]


def test_say_in_a_manual_step_comes_as_it_counts_up() -> None:
    r = run(timeline(ex("Squat", reps=10, say=(Say(30, "Slow down"),))))
    r.at(29)
    assert cues(r.events, CueKind.SAY) == []
    r.at(30)
    assert [c.text for c in cues(r.events, CueKind.SAY)] == ["Slow down"]


def test_switch_step_says_switch_sides_instead_of_a_start() -> None:
    r = run(timeline(ex(time=10, sides=Sides.BOTH, switch=5, cues=("Stack your feet",))))
    r.at(10)
    assert script(r.events)[-3:] == ["end 0", "start 1 switch", "switch_sides Switch sides"]
    r.at(15)
    assert script(r.events)[-4:] == [
        "end 1",
        "start 2 work",
        "step_start Plank, 10 seconds, right side",
        "coach Stack your feet",
    ]


def test_held_reps_cue_each_rep_and_each_release() -> None:
    r = run(
        timeline(ex("Bird dog", reps=2, hold=3.0, release=1.0, sides=Sides.ALTERNATE)),
        countdown=0,
    )
    r.at(100)
    reps = cues(r.events, CueKind.REP)
    assert [(c.offset, c.count, c.side, c.text) for c in reps] == [
        (0, 1, Side.LEFT, "Rep 1, left"),
        (4, 2, Side.RIGHT, "Rep 2, right"),
        (8, 3, Side.LEFT, "Rep 3, left"),
        (12, 4, Side.RIGHT, "Rep 4, right"),
    ]
    releases = cues(r.events, CueKind.RELEASE)
    assert [(c.offset, c.text) for c in releases] == [
        (3, "Release"),
        (7, "Release"),
        (11, "Release"),
    ]
    assert offsets(r.events, CueKind.STEP_END) == [15]


def test_held_reps_without_release_time_give_no_release_cue() -> None:
    r = run(timeline(ex(reps=3, hold=2.0, release=0.0)), countdown=0)
    r.at(100)
    assert offsets(r.events, CueKind.REP) == [0, 2, 4]
    assert cues(r.events, CueKind.RELEASE) == []


def test_paced_reps_cue_every_rep_time() -> None:
    r = run(timeline(ex("Russian twist", reps=4, rep_time=1.5)), countdown=0)
    r.at(100)
    reps = cues(r.events, CueKind.REP)
    assert [(c.offset, c.count, c.side, c.text) for c in reps] == [
        (0, 1, None, "Rep 1"),
        (1.5, 2, None, "Rep 2"),
        (3.0, 3, None, "Rep 3"),
        (4.5, 4, None, "Rep 4"),
    ]


def test_cues_at_one_instant_come_in_a_fixed_order() -> None:
    r = run(timeline(ex("Twist", reps=3, rep_time=1.0, cues=("Tall spine",))))
    assert script(r.events) == [
        "start 0 work",
        "step_start Twist, 3 reps",
        "coach Tall spine",
        "rep Rep 1",
        "countdown 3",
    ]
    r.at(1)
    assert script(r.events)[-3:] == ["second 1 left 2", "rep Rep 2", "countdown 2"]


def test_finished_cue_then_session_finished() -> None:
    r = run(timeline(ex(time=5)))
    events = r.at(5)
    assert script(events)[-4:] == ["step_end", "end 0", "finished Routine complete", "completed"]
    assert events[-1] == SessionFinished(True, 5, 0.0, T0 + 5, sets_done=1, sets_planned=1)
    assert r.session.status is SessionStatus.FINISHED
    assert r.session.next_deadline() is None
    assert r.at(100) == []


# -- spoken texts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise", "text"),
    [
        (ex("Front plank", sets=3), "Front plank, set 1 of 3, 30 seconds"),
        (ex("Front plank"), "Front plank, 30 seconds"),
        (ex("Side plank", sides=Sides.BOTH), "Side plank, 30 seconds, left side"),
        (ex("Dead bug", time=90), "Dead bug, 1 minute 30 seconds"),
        (
            ex("Bird dog", reps=10, hold=10.0, sides=Sides.ALTERNATE),
            "Bird dog, 10 reps each side, hold 10 seconds",
        ),
        (ex("Russian twist", reps=10, rep_time=2.0), "Russian twist, 10 reps"),
        (
            ex("Squat", reps=10, sets=3),
            "Squat, set 1 of 3, 10 reps. Press Done when finished",
        ),
        (
            ex("Lunge", reps=1, sides=Sides.BOTH),
            "Lunge, 1 rep, left side. Press Done when finished",
        ),
    ],
)
def test_work_announcements(exercise: Exercise, text: str) -> None:
    r = run(timeline(exercise))
    assert [c.text for c in cues(r.events, CueKind.STEP_START)] == [text]


def test_prepare_and_rest_announcements() -> None:
    r = run(timeline(ex("Front plank"), ex("Side plank", rest=5), prepare=10, rest=15))
    r.at(10_000)
    assert [c.text for c in cues(r.events, CueKind.STEP_START)] == [
        "Get ready. First: Front plank, 30 seconds",
        "Front plank, 30 seconds",
        "Rest 15 seconds. Next: Side plank",
        "Side plank, 30 seconds",
    ]


# -- skip --------------------------------------------------------------------


def routine_of_every_kind() -> Timeline:
    """prepare, work (left), switch, work (right), rest, manual, rest, work."""
    return timeline(
        ex("Side plank", time=20, sides=Sides.BOTH, switch=5, rest_after=10),
        ex("Squat", reps=10, rest_after=10),
        ex("Bridge", time=20),
        prepare=10,
    )


KINDS = ["prepare", "work", "switch", "work", "rest", "manual", "rest", "work"]


def test_the_every_kind_routine_has_every_kind() -> None:
    assert [s.kind.value for s in routine_of_every_kind().steps] == KINDS


@pytest.mark.parametrize("index", range(len(KINDS) - 1), ids=KINDS[:-1])
def test_skip_at_any_step_starts_the_next(index: int) -> None:
    r = run(routine_of_every_kind())
    for _ in range(index):
        r.call("skip")
    r.at(2)
    events = r.call("skip")
    assert script(events)[:2] == [f"end {index} skipped", f"start {index + 1} {KINDS[index + 1]}"]
    assert finished(events)[0].active_seconds == 2
    assert events[1].at == T0 + 2  # type: ignore[union-attr]
    assert r.state.step.index == index + 1
    assert r.state.elapsed_in_step == 0


def test_skip_at_the_last_step_finishes_the_session_as_completed() -> None:
    r = run(timeline(ex(time=10, sets=2, rest=5)))
    r.call("skip")
    r.call("skip")
    r.at(4)
    events = r.call("skip")
    assert script(events) == ["end 2 skipped", "finished Routine complete", "completed"]
    assert r.session.status is SessionStatus.FINISHED
    assert events[-1] == SessionFinished(True, 4, 0.0, T0 + 4, sets_done=0, sets_planned=2)


def test_the_finish_counts_each_set_done_once_and_the_skipped_ones() -> None:
    r = run(timeline(ex(time=10, sets=3, rest=5)))
    r.at(10)  # set 1 done; the rest begins
    r.call("back")  # early in the rest: back to set 1, done again
    r.at(20)
    r.call("skip")  # skip the rest
    r.call("skip")  # skip set 2
    events = r.at(1000)  # rest, then set 3, to the end
    end = events[-1]
    assert isinstance(end, SessionFinished) and end.completed
    assert (end.sets_done, end.sets_planned, end.sets_skipped) == (2, 3, 1)


def test_skip_while_paused_stays_paused_at_the_start_of_the_next_step() -> None:
    r = run(routine_of_every_kind())
    r.at(3)
    r.call("pause")
    r.at(20)
    events = r.call("skip")
    assert script(events) == [
        "end 0 skipped",
        "start 1 work",
        "step_start Side plank, 20 seconds, left side",
    ]
    assert finished(events)[0].active_seconds == 3
    assert r.session.status is SessionStatus.PAUSED
    assert r.session.next_deadline() is None
    r.at(50)
    assert r.state.elapsed_in_step == 0
    r.call("resume")
    r.at(52)
    assert r.state.elapsed_in_step == 2


def test_skip_after_a_late_update_first_catches_up() -> None:
    r = run(timeline(ex(time=5, rest_after=5), ex("Bridge", time=5)))
    r.clock.now = T0 + 6
    events = r.call("skip")
    lines = script(events)
    assert lines[lines.index("start 1 rest") :] == [
        "start 1 rest",
        "step_start Rest 5 seconds. Next: Bridge",
        "second 1 left 4",
        "end 1 skipped",
        "start 2 work",
        "step_start Bridge, 5 seconds",
    ]
    assert finished(events)[0] == StepFinished(r.session.timeline.steps[0], False, 5, T0 + 5)


# -- mark done ---------------------------------------------------------------


def test_manual_step_counts_up_and_never_ends_by_time() -> None:
    r = run(timeline(ex("Squat", reps=10, sets=2, rest=5)))
    assert r.session.next_deadline() == T0 + 1
    r.at(1)
    r.at(2)
    assert [(e.elapsed, e.remaining) for e in r.events if isinstance(e, SecondElapsed)] == [
        (1, None),
        (2, None),
    ]
    r.at(3600.5)
    assert r.state.step.kind is StepKind.MANUAL
    assert r.state.remaining_in_step is None
    assert r.state.elapsed_in_step == 3600.5
    assert r.session.next_deadline() == T0 + 3601
    events = r.call("mark_done")
    assert script(events) == ["end 0", "start 1 rest", "step_start Rest 5 seconds. Next: Squat"]
    assert finished(events)[0].active_seconds == 3600.5


@pytest.mark.parametrize(
    "index", [0, 1, 2, 3, 4, 6, 7], ids=[KINDS[i] for i in (0, 1, 2, 3, 4, 6, 7)]
)
def test_mark_done_outside_a_manual_step_does_nothing(index: int) -> None:
    r = run(routine_of_every_kind())
    for _ in range(index):
        r.call("skip")
    r.at(1)
    before = r.state
    assert r.call("mark_done") == []
    assert r.state == before


def test_mark_done_while_paused_stays_paused() -> None:
    r = run(timeline(ex("Squat", reps=10, rest_after=0), ex("Bridge", time=10)))
    r.at(5)
    r.call("pause")
    r.at(9)
    events = r.call("mark_done")
    assert finished(events) == [StepFinished(r.session.timeline.steps[0], False, 5, T0 + 9)]
    assert r.session.status is SessionStatus.PAUSED


def test_mark_done_at_the_last_manual_step_completes() -> None:
    r = run(timeline(ex("Squat", reps=10)))
    r.at(40)
    events = r.call("mark_done")
    assert script(events) == ["end 0", "finished Routine complete", "completed"]
    assert events[-1] == SessionFinished(True, 40, 0.0, T0 + 40, sets_done=1, sets_planned=1)


# -- back --------------------------------------------------------------------


@pytest.mark.parametrize("index", range(len(KINDS)), ids=KINDS)
def test_back_late_in_a_step_restarts_it(index: int) -> None:
    r = run(routine_of_every_kind())
    for _ in range(index):
        r.call("skip")
    r.at(BACK_RESTART_SECONDS + 0.5)
    events = r.call("back")
    assert script(events)[:2] == [f"end {index} skipped", f"start {index} {KINDS[index]}"]
    assert finished(events)[0].active_seconds == BACK_RESTART_SECONDS + 0.5
    assert r.state.step.index == index
    assert r.state.elapsed_in_step == 0


@pytest.mark.parametrize(
    ("index", "target"),
    [
        (0, 0),  # prepare: nothing before it, so it starts again
        (1, 0),  # first work: back to the get-ready countdown
        (2, 1),  # switch: back to the left side
        (3, 1),  # right side: over the switch to the left side
        (4, 3),  # rest: back to the set just done
        (5, 3),  # manual step: over the rest to the previous exercise
        (6, 5),  # rest: back to the manual step
        (7, 5),  # last work: over the rest
    ],
    ids=KINDS,
)
def test_back_early_in_a_step_goes_to_the_previous_exercise_step(index: int, target: int) -> None:
    r = run(routine_of_every_kind())
    for _ in range(index):
        r.call("skip")
    r.at(BACK_RESTART_SECONDS)
    events = r.call("back")
    assert script(events)[:2] == [f"end {index} skipped", f"start {target} {KINDS[target]}"]
    assert r.state.step.index == target
    assert r.state.elapsed_in_step == 0


def test_back_without_prepare_restarts_the_first_step() -> None:
    r = run(timeline(ex()))
    events = r.call("back")
    assert script(events)[:2] == ["end 0 skipped", "start 0 work"]


def test_back_repeats_the_cues_of_the_step() -> None:
    r = run(timeline(ex(time=10, cues=("Brace",))))
    r.at(5)
    events = r.call("back")
    assert script(events) == [
        "end 0 skipped",
        "start 0 work",
        "step_start Plank, 10 seconds",
        "coach Brace",
    ]
    r.at(5 + 7)
    assert [c.count for c in cues(r.events[-10:], CueKind.COUNTDOWN)] == [3]


def test_back_while_paused_stays_paused() -> None:
    r = run(routine_of_every_kind())
    r.call("skip")
    r.at(1)
    r.call("pause")
    r.at(30)
    r.call("back")
    assert r.session.status is SessionStatus.PAUSED
    assert r.state.step.kind is StepKind.PREPARE
    assert r.state.elapsed_in_step == 0


def test_back_after_the_end_does_nothing() -> None:
    r = run(timeline(ex(time=5)))
    r.at(5)
    assert r.call("back") == []
    assert r.session.status is SessionStatus.FINISHED


def test_back_moves_progress_back() -> None:
    r = run(timeline(ex(time=10, sets=2, rest=10)))
    r.call("skip")
    r.call("skip")
    assert r.state.progress == pytest.approx(20 / 30)
    r.call("back")
    assert r.state.progress == 0.0


# -- pause and resume ----------------------------------------------------------


def test_pause_freezes_and_resume_shifts_every_deadline() -> None:
    r = run(timeline(ex(time=10, say=(Say(6, "Breathe"),))))
    r.at(4.5)
    assert r.session.next_deadline() == T0 + 5
    r.call("pause")
    assert r.session.next_deadline() is None
    assert r.at(100) == []
    assert r.state.elapsed_in_step == 4.5
    assert r.state.remaining_in_step == 5.5
    r.call("resume")
    assert r.session.next_deadline() == T0 + 100.5
    r.at(10_000)
    say = cues(r.events, CueKind.SAY)[0]
    assert say.due == T0 + 100 + 1.5
    assert offsets(r.events, CueKind.COUNTDOWN) == [7, 8, 9]
    (end,) = finished(r.events)
    assert end == StepFinished(r.session.timeline.steps[0], False, 10, T0 + 105.5)
    assert r.events[-1] == SessionFinished(True, 10, 95.5, T0 + 105.5, sets_done=1, sets_planned=1)


def test_pause_during_prepare_holds_the_countdown() -> None:
    r = run(timeline(ex(), prepare=10))
    r.at(8)
    r.call("pause")
    r.at(60)
    assert r.state.step.kind is StepKind.PREPARE
    assert r.state.remaining_in_step == 2
    r.call("resume")
    r.at(61)
    assert [c.count for c in cues(r.events, CueKind.COUNTDOWN)] == [3, 2, 1]
    assert cues(r.events, CueKind.COUNTDOWN)[-1].due == T0 + 61
    r.at(62)
    assert r.state.step.kind is StepKind.WORK


def test_pause_in_a_manual_step_stops_its_count() -> None:
    r = run(timeline(ex("Squat", reps=5)))
    r.at(3)
    r.call("pause")
    r.at(50)
    r.call("resume")
    r.at(52)
    assert r.state.elapsed_in_step == 5


def test_pause_and_resume_in_the_wrong_state_do_nothing() -> None:
    r = run(timeline(ex()))
    assert r.call("resume") == []
    r.call("pause")
    assert r.call("pause") == []
    assert r.session.status is SessionStatus.PAUSED


def test_pause_first_catches_up() -> None:
    r = run(timeline(ex(time=5), ex("Bridge", time=5)))
    r.clock.now = T0 + 6
    events = r.call("pause")
    assert "end 0" in script(events)
    assert r.state.step.index == 1
    assert r.state.elapsed_in_step == 1


# -- stop ----------------------------------------------------------------------


@pytest.mark.parametrize("paused", [False, True])
def test_stop_ends_the_session_unfinished(paused: bool) -> None:
    r = run(timeline(ex(time=30, sets=2, rest=10)))
    r.call("skip")
    r.at(4)
    if paused:
        r.call("pause")
        r.at(10)
    events = r.call("stop")
    assert script(events) == ["end 1 skipped", "stopped"]
    paused_seconds = 6.0 if paused else 0.0
    assert events[-1] == SessionFinished(
        False, 4, paused_seconds, r.clock.now, sets_done=0, sets_planned=2
    )
    assert r.session.status is SessionStatus.STOPPED
    state = r.state
    assert state.step is None
    assert state.elapsed_total == 34
    assert state.progress == pytest.approx(34 / 70)
    for name in ("start", "pause", "resume", "toggle", "skip", "back", "mark_done", "stop"):
        assert r.call(name) == []
    assert r.at(500) == []


def test_stop_before_start_does_nothing() -> None:
    r = run(timeline(ex()), start=False)
    assert r.call("stop") == []
    assert r.session.status is SessionStatus.READY


# -- state ---------------------------------------------------------------------


def test_state_tracks_held_alternating_reps() -> None:
    r = run(timeline(ex("Bird dog", reps=2, hold=3.0, release=1.0, sides=Sides.ALTERNATE)))
    expected = {
        0.5: (1, True, Side.LEFT),
        3.5: (1, False, Side.LEFT),
        4.0: (2, True, Side.RIGHT),
        7.2: (2, False, Side.RIGHT),
        12.5: (4, True, Side.RIGHT),
    }
    for at, (rep, holding, side) in expected.items():
        r.at(at)
        state = r.state
        assert (state.rep, state.reps, state.holding, state.side) == (rep, 4, holding, side)


def test_state_tracks_paced_reps_and_sides() -> None:
    r = run(timeline(ex("Twist", reps=5, rep_time=2.0, sides=Sides.BOTH, switch=5)))
    r.at(5)
    state = r.state
    assert (state.rep, state.reps, state.holding, state.side) == (3, 5, None, Side.LEFT)
    r.at(12)
    assert r.state.step.kind is StepKind.SWITCH
    assert r.state.rep is None
    r.at(15.5)
    state = r.state
    assert (state.rep, state.reps, state.side) == (1, 5, Side.RIGHT)


def test_state_of_timed_and_manual_steps() -> None:
    r = run(routine_of_every_kind())
    total = r.session.timeline.total_seconds
    r.at(4)
    state = r.state
    assert state.step.kind is StepKind.PREPARE
    assert state.next_step.kind is StepKind.WORK
    assert (state.elapsed_in_step, state.remaining_in_step) == (4, 6)
    assert (state.elapsed_total, state.remaining_total) == (4, total - 4)
    assert state.progress == pytest.approx(4 / total)
    assert state.manual_steps_left == 1
    assert (state.rep, state.reps, state.holding, state.side) == (None, None, None, None)
    for _ in range(5):
        r.call("skip")
    state = r.state
    assert state.step.kind is StepKind.MANUAL
    assert (state.reps, state.rep, state.remaining_in_step) == (10, None, None)
    assert state.manual_steps_left == 1
    r.at(30)
    assert r.state.elapsed_total == state.elapsed_total
    r.call("mark_done")
    assert r.state.manual_steps_left == 0
    r.call("skip")
    r.call("skip")
    r.at(10_000)
    final = r.state
    assert (final.status, final.step, final.progress, final.remaining_total) == (
        SessionStatus.FINISHED,
        None,
        1.0,
        0.0,
    )


def test_manual_steps_left_before_during_and_after() -> None:
    r = run(routine_of_every_kind(), start=False)
    assert r.state.manual_steps_left == 1
    r.call("start")
    for _ in range(6):
        r.call("skip")
    assert r.state.manual_steps_left == 0
    r.call("stop")
    assert r.state.manual_steps_left == 0


def test_progress_of_a_routine_of_only_manual_steps_counts_steps() -> None:
    r = run(timeline(ex("Squat", reps=10, rest_after=0), ex("Push-up", reps=5)))
    assert r.state.progress == 0.0
    r.call("mark_done")
    assert r.state.progress == 0.5
    r.call("mark_done")
    assert r.state.progress == 1.0


def test_active_and_paused_seconds_add_up_to_the_wall_time() -> None:
    r = run(routine_of_every_kind())
    moves = [(3, "pause"), (9, "resume"), (14, "skip"), (20, "back"), (21, "pause")]
    moves += [(40, "resume"), (200, "mark_done"), (230, "stop")]
    for at, name in moves:
        r.clock.now = T0 + at
        r.call(name)
    end = r.events[-1]
    assert isinstance(end, SessionFinished)
    assert end.paused_seconds == 6 + 19
    assert end.active_seconds + end.paused_seconds == pytest.approx(230)
    assert sum(e.active_seconds for e in finished(r.events)) == pytest.approx(end.active_seconds)


@pytest.mark.parametrize(
    ("status", "in_progress"),
    [
        (SessionStatus.READY, False),
        (SessionStatus.RUNNING, True),
        (SessionStatus.PAUSED, True),
        (SessionStatus.FINISHED, False),
        (SessionStatus.STOPPED, False),
    ],
)
def test_a_session_is_in_progress_while_running_or_paused(
    status: SessionStatus, in_progress: bool
) -> None:
    assert status.in_progress is in_progress


@pytest.mark.parametrize(
    ("fields", "period"),
    [
        ({"reps": 5, "hold": 4.0, "release": 2.0}, 6.0),
        ({"reps": 5, "rep_time": 3.0}, 3.0),
        ({"reps": 5}, None),
        ({"time": 30.0}, None),
    ],
)
def test_the_rep_period_is_hold_plus_release_or_the_rep_time(
    fields: dict[str, Any], period: float | None
) -> None:
    from routine_timer.core.announce import rep_period

    exercise = Exercise(name="Bridge", sets=1, rest=0.0, rest_after=0.0, **fields)
    assert rep_period(exercise) == period
