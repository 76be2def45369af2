"""The session engine: runs a :class:`Timeline` against an injected clock.

The engine never sleeps and never counts ticks. Each step has a start time on
the monotonic clock; everything that happens in it (second boundaries, cues,
its end) is a deadline measured from that start, so a late call catches up
without drift. Pausing records the paused interval and resuming shifts the
step's start by it. Every call returns the events it caused, in the order
they happened, each stamped with the time it was due.

The rules for the controls at each kind of step are in
``docs/session-controls.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from routine_timer.core.announce import (
    FINISHED_TEXT,
    Cue,
    CueKind,
    PlannedCue,
    rep_period,
    rep_side,
    step_cues,
    variation_text,
)
from routine_timer.core.model import Side
from routine_timer.core.plan import Step, StepKind, Timeline

__all__ = [
    "BACK_RESTART_SECONDS",
    "Clock",
    "Cue",
    "CueDue",
    "CueKind",
    "Event",
    "SecondElapsed",
    "Session",
    "SessionFinished",
    "SessionState",
    "SessionStatus",
    "StepFinished",
    "StepStarted",
]

Clock = Callable[[], float]
"""Monotonic seconds: ``time.monotonic`` in the app, a fake in tests."""

BACK_RESTART_SECONDS = 3.0
"""Back restarts the current step once it has run longer than this."""


class SessionStatus(StrEnum):
    """Where a session is in its life."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    """Ran (or was skipped) to the end."""
    STOPPED = "stopped"
    """Stopped by the user before the end."""

    @property
    def in_progress(self) -> bool:
        """Running or paused: there is a current step, and the controls act on it."""
        return self in (SessionStatus.RUNNING, SessionStatus.PAUSED)


@dataclass(frozen=True, slots=True)
class StepStarted:
    """A step began at ``at``."""

    step: Step
    at: float


@dataclass(frozen=True, slots=True)
class StepFinished:
    """A step ended at ``at``.

    ``skipped`` is True when the step was left before its end (skip, back,
    stop) and False when it ran out or was marked done. ``active_seconds`` is
    the time spent in it, pauses excluded.
    """

    step: Step
    skipped: bool
    active_seconds: float
    at: float


@dataclass(frozen=True, slots=True)
class SecondElapsed:
    """A whole second of a step went by (never sent at 0 or at the step's end).

    ``remaining`` is the whole seconds left (rounded up), None in manual steps,
    which count up. When ``update()`` comes late, a second that a later second
    (or the step's end) in the same call supersedes is left out.
    """

    step: Step
    elapsed: int
    remaining: int | None
    at: float


@dataclass(frozen=True, slots=True)
class CueDue:
    """A cue to play or speak."""

    cue: Cue


@dataclass(frozen=True, slots=True)
class SessionFinished:
    """The session ended: ``completed`` when it reached the end of the routine."""

    completed: bool
    active_seconds: float
    paused_seconds: float
    at: float
    sets_done: int = 0
    """Exercise steps (work and manual) run to their end, not skipped; one done
    again after Back counts once."""
    sets_planned: int = 0
    """Exercise steps in the routine as it was run (variations switched in)."""

    @property
    def sets_skipped(self) -> int:
        return max(0, self.sets_planned - self.sets_done)

    @property
    def status(self) -> SessionStatus:
        """FINISHED when the routine ran to its end, STOPPED when the user stopped it."""
        return SessionStatus.FINISHED if self.completed else SessionStatus.STOPPED


Event = StepStarted | StepFinished | SecondElapsed | CueDue | SessionFinished


@dataclass(frozen=True, slots=True)
class SessionState:
    """A snapshot of the session for the screen."""

    status: SessionStatus
    step: Step | None
    """The current step (None before the start and after the end)."""
    next_step: Step | None
    """The step after the current one (the first step before the start)."""
    elapsed_in_step: float
    remaining_in_step: float | None
    """None for manual steps, which count up."""
    rep: int | None
    """Current rep (1-based) in held or paced reps."""
    reps: int | None
    """Reps in this work period."""
    holding: bool | None
    """Held reps: True during the hold, False during the release."""
    side: Side | None
    """The step's side, or the side of the current rep when reps alternate."""
    elapsed_total: float
    """Timed seconds done (position in the timeline), pauses excluded."""
    remaining_total: float
    progress: float
    """0..1; 1.0 when finished."""
    manual_steps_left: int


class Session:
    """One run through a timeline, driven by ``clock`` and the user's controls.

    Calls that make no sense in the current state (pause before start, Done
    in a timed step, anything after the end) change nothing and return [].
    """

    def __init__(self, timeline: Timeline, clock: Clock, *, countdown: int = 3) -> None:
        self._timeline = timeline
        self._steps = timeline.steps
        self._total = timeline.total_seconds
        self._clock = clock
        self._countdown = max(0, int(countdown))
        self._status = SessionStatus.READY
        self._latest = -math.inf
        self._index = 0
        self._zero = 0.0
        """Clock time at which the current step was at 0 s (moved on by pauses)."""
        self._paused_at: float | None = None
        """Clock time the current pause began, for the paused-time total."""
        self._frozen: float | None = None
        """While paused: the clock time the current step stands still at."""
        self._cues: list[PlannedCue] = []
        self._cue_pos = 0
        self._next_second = 1
        self._active_total = 0.0
        self._sets_done: set[int] = set()
        self._paused_total = 0.0
        self._stopped_position = 0.0

    @property
    def status(self) -> SessionStatus:
        """The session's status."""
        return self._status

    @property
    def timeline(self) -> Timeline:
        """The timeline being run."""
        return self._timeline

    # -- controls ---------------------------------------------------------

    def start(self) -> list[Event]:
        """Start the first step (only from READY)."""
        if self._status is not SessionStatus.READY:
            return []
        now = self._now()
        self._status = SessionStatus.RUNNING
        events: list[Event] = []
        if not self._steps:
            self._finish(True, now, events)
            return events
        self._enter(0, now, events)
        self._catch_up(events)
        return events

    def pause(self) -> list[Event]:
        """Freeze the session (only while running)."""
        if self._status is not SessionStatus.RUNNING:
            return []
        events = self.update()
        if self._status is SessionStatus.RUNNING:
            self._status = SessionStatus.PAUSED
            self._paused_at = self._frozen = self._latest
        return events

    def resume(self) -> list[Event]:
        """Go on after a pause; every deadline moves on by the paused interval."""
        if (
            self._status is not SessionStatus.PAUSED
            or self._paused_at is None
            or self._frozen is None
        ):
            return []
        now = self._now()
        self._zero += now - self._frozen
        self._paused_total += now - self._paused_at
        self._paused_at = self._frozen = None
        self._status = SessionStatus.RUNNING
        events: list[Event] = []
        self._catch_up(events)
        return events

    def toggle(self) -> list[Event]:
        """Space: start, pause or resume, whichever applies."""
        if self._status is SessionStatus.READY:
            return self.start()
        if self._status is SessionStatus.RUNNING:
            return self.pause()
        return self.resume()

    def skip(self) -> list[Event]:
        """Leave the current step as skipped and start the next (or finish)."""
        events = self.update()  # nothing, and no change, unless a step is current
        if self._active():
            self._leave(skipped=True, events=events)
        return events

    def mark_done(self) -> list[Event]:
        """Finish a manual step (not skipped); does nothing in other steps."""
        events = self.update()
        if self._active() and self._steps[self._index].kind is StepKind.MANUAL:
            self._leave(skipped=False, events=events)
        return events

    def back(self) -> list[Event]:
        """Restart the current step, or go back to the previous exercise step.

        More than :data:`BACK_RESTART_SECONDS` into a step, Back starts it
        again; otherwise it goes to the nearest earlier prepare, work or
        manual step (passing over rests and switches), or restarts the first.
        """
        events = self.update()
        if not self._active():
            return events
        now = self._latest
        target = self._index
        if self._elapsed(now) <= BACK_RESTART_SECONDS:
            target = next(
                (i for i in range(self._index - 1, -1, -1) if _can_redo(self._steps[i])),
                self._index,
            )
        self._end_step(skipped=True, at=now, events=events)
        self._enter(target, now, events)
        self._catch_up(events)
        return events

    def stop(self) -> list[Event]:
        """End the session early (Esc); the current step counts as skipped."""
        events = self.update()
        if not self._active():
            return events
        now = self._latest
        self._stopped_position = self._position(now)
        self._end_step(skipped=True, at=now, events=events)
        self._finish(False, now, events)
        return events

    def replan(self, timeline: Timeline) -> list[Event]:
        """Go on with ``timeline`` in place of the rest of the current one.

        For a variation picked in the get-ready countdown or a rest: the new
        timeline must hold the same steps up to the current one (what has run
        stays as it ran); everything after it may differ. The current step keeps
        its time and its cues already given, and a :data:`CueKind.VARIATION`
        cue names the new coming step. Raises ValueError for a timeline that
        would rewrite the past; does nothing unless a step is current.
        """
        events = self.update()
        if not self._active():
            return events
        index = self._index
        old, new = self._steps, timeline.steps
        if len(new) <= index or any(
            (a.kind, a.start, a.duration, a.label) != (b.kind, b.start, b.duration, b.label)
            for a, b in zip(old[: index + 1], new[: index + 1], strict=True)
        ):
            raise ValueError("the new timeline changes steps that have already begun")
        self._timeline = timeline
        self._steps = new
        self._total = timeline.total_seconds
        step = new[index]
        following = new[index + 1] if index + 1 < len(new) else None
        # Same step, same offsets: only the words about the next step change.
        self._cues = step_cues(step, following, self._countdown)
        if following is not None:
            now = self._latest
            text = variation_text(following)
            events.append(CueDue(Cue(CueKind.VARIATION, step, text, self._elapsed(now), now)))
        return events

    def update(self) -> list[Event]:
        """Catch up with the clock: every event due since the last call, in order."""
        if not self._active():
            return []
        self._now()
        events: list[Event] = []
        self._catch_up(events)
        return events

    def next_deadline(self) -> float | None:
        """Clock time of the next second boundary, cue or step end; None unless running."""
        if self._status is not SessionStatus.RUNNING:
            return None
        return self._next_due()[0]

    # -- snapshot ---------------------------------------------------------

    def state(self) -> SessionState:
        """What the screen shows now (does not emit events)."""
        steps = self._steps
        if self._status is SessionStatus.READY:
            return self._outside_state(steps[0] if steps else None, 0.0, 0)
        if self._status is SessionStatus.FINISHED:
            return self._outside_state(None, self._total, len(steps))
        if self._status is SessionStatus.STOPPED:
            return self._outside_state(None, self._stopped_position, self._index)
        now = self._now()
        step = steps[self._index]
        elapsed = self._elapsed(now)
        position = self._position(now)
        rep, reps, holding, side = _rep_state(step, elapsed)
        return SessionState(
            status=self._status,
            step=step,
            next_step=steps[self._index + 1] if self._index + 1 < len(steps) else None,
            elapsed_in_step=elapsed,
            remaining_in_step=step.duration - elapsed if step.is_timed else None,
            rep=rep,
            reps=reps,
            holding=holding,
            side=side,
            elapsed_total=position,
            remaining_total=max(0.0, self._total - position),
            progress=self._progress(position, self._index),
            manual_steps_left=self._manual_steps_from(self._index),
        )

    def _outside_state(self, next_step: Step | None, position: float, index: int) -> SessionState:
        """The state with no current step: before the start, or after the end at ``index``."""
        finished = self._status is SessionStatus.FINISHED
        return SessionState(
            status=self._status,
            step=None,
            next_step=next_step,
            elapsed_in_step=0.0,
            remaining_in_step=None,
            rep=None,
            reps=None,
            holding=None,
            side=None,
            elapsed_total=position,
            remaining_total=max(0.0, self._total - position),
            progress=1.0 if finished else self._progress(position, index),
            manual_steps_left=0 if finished else self._manual_steps_from(index),
        )

    def _progress(self, position: float, steps_done: int) -> float:
        if self._total > 0:
            return min(1.0, max(0.0, position / self._total))
        # Only manual steps: progress is the share of steps done.
        return steps_done / len(self._steps) if self._steps else 0.0

    def _manual_steps_from(self, index: int) -> int:
        return sum(1 for step in self._steps[index:] if step.kind is StepKind.MANUAL)

    # -- time -------------------------------------------------------------

    def _now(self) -> float:
        """Read the clock; time never goes backwards for the session."""
        reading = self._clock()
        # A clock that steps back (or returns garbage) must not undo what happened.
        if math.isfinite(reading) and reading > self._latest:
            self._latest = reading
        if not math.isfinite(self._latest):
            self._latest = 0.0
        return self._latest

    def _horizon(self) -> float:
        """How far the current step has got, in clock time (frozen while paused)."""
        return self._frozen if self._frozen is not None else self._latest

    def _elapsed(self, now: float) -> float:
        step = self._steps[self._index]
        horizon = self._frozen if self._frozen is not None else now
        elapsed = max(0.0, horizon - self._zero)
        return min(elapsed, step.duration) if step.is_timed else elapsed

    def _position(self, now: float) -> float:
        step = self._steps[self._index]
        return step.start + (self._elapsed(now) if step.is_timed else 0.0)

    # -- stepping ---------------------------------------------------------

    def _active(self) -> bool:
        """True while there is a current step (running or paused)."""
        return self._status.in_progress

    def _enter(self, index: int, at: float, events: list[Event]) -> None:
        self._index = index
        self._zero = at
        if self._frozen is not None:
            self._frozen = at
        step = self._steps[index]
        following = self._steps[index + 1] if index + 1 < len(self._steps) else None
        self._cues = step_cues(step, following, self._countdown)
        self._cue_pos = 0
        self._next_second = 1
        events.append(StepStarted(step, at))

    def _end_step(self, *, skipped: bool, at: float, events: list[Event]) -> None:
        step = self._steps[self._index]
        active = self._elapsed(at)
        self._active_total += active
        if not skipped and step.kind.is_exercise:
            self._sets_done.add(self._index)
        events.append(StepFinished(step, skipped, active, at))

    def _leave(self, *, skipped: bool, events: list[Event]) -> None:
        """End the current step now and move to the next one, or finish."""
        now = self._latest
        self._end_step(skipped=skipped, at=now, events=events)
        self._advance(now, events)
        self._catch_up(events)

    def _advance(self, at: float, events: list[Event]) -> None:
        """Start the step after the current one, or finish the session after the last."""
        if self._index + 1 < len(self._steps):
            self._enter(self._index + 1, at, events)
        else:
            self._finish(True, at, events)

    def _finish(self, completed: bool, at: float, events: list[Event]) -> None:
        if self._paused_at is not None:
            self._paused_total += max(0.0, at - self._paused_at)
            self._paused_at = self._frozen = None
        self._status = SessionStatus.FINISHED if completed else SessionStatus.STOPPED
        if completed and self._steps:
            last = self._steps[-1]
            cue = Cue(CueKind.FINISHED, last, FINISHED_TEXT, last.duration, at)
            events.append(CueDue(cue))
        planned = sum(1 for step in self._steps if step.kind.is_exercise)
        events.append(
            SessionFinished(
                completed,
                self._active_total,
                self._paused_total,
                at,
                sets_done=len(self._sets_done),
                sets_planned=planned,
            )
        )

    def _next_due(self) -> tuple[float, PlannedCue | None]:
        """The next thing of the current step: its clock time, and the cue (None for a second)."""
        step = self._steps[self._index]
        cue = self._cues[self._cue_pos] if self._cue_pos < len(self._cues) else None
        has_second = not step.is_timed or self._next_second < step.duration
        # A second boundary comes before a cue due at the same instant.
        if has_second and (cue is None or self._next_second <= cue.offset):
            return self._zero + self._next_second, None
        if cue is None:  # pragma: no cover - a timed step always ends with STEP_END
            return math.inf, None
        return self._zero + cue.offset, cue

    def _catch_up(self, events: list[Event]) -> None:
        """Emit everything of the current (and following) steps due by the horizon."""
        while self._status.in_progress:
            horizon = self._horizon()
            self._pass_superseded_seconds(horizon)
            due, cue = self._next_due()
            if due > horizon:
                return
            step = self._steps[self._index]
            if cue is None:
                remaining = math.ceil(step.duration - self._next_second) if step.is_timed else None
                events.append(SecondElapsed(step, self._next_second, remaining, due))
                self._next_second += 1
                continue
            self._cue_pos += 1
            events.append(
                CueDue(Cue(cue.kind, step, cue.text, cue.offset, due, cue.count, cue.side))
            )
            if cue.kind is CueKind.STEP_END:
                self._active_total += step.duration
                if step.kind.is_exercise:
                    self._sets_done.add(self._index)
                events.append(StepFinished(step, False, step.duration, due))
                self._advance(due, events)

    def _pass_superseded_seconds(self, horizon: float) -> None:
        """Move past second boundaries that a later boundary due by ``horizon`` supersedes."""
        step = self._steps[self._index]
        if step.is_timed and self._zero + step.duration <= horizon:
            self._next_second = max(self._next_second, math.ceil(step.duration))
            return
        last = math.floor(horizon - self._zero)
        # Rounding can put floor() one off; a few nudges suffice, and the catch-up
        # loop emits anything still due, so this only decides what is left out.
        for _ in range(3):
            if last > 0 and self._zero + last > horizon:
                last -= 1
            elif self._zero + last + 1 <= horizon:
                last += 1
        self._next_second = max(self._next_second, last)


def _can_redo(step: Step) -> bool:
    """Whether Back can return to ``step``: rests and switches are passed over."""
    return step.kind is StepKind.PREPARE or step.kind.is_exercise


def _rep_state(
    step: Step, elapsed: float
) -> tuple[int | None, int | None, bool | None, Side | None]:
    """Rep, reps, holding and side of ``step`` after ``elapsed`` seconds."""
    exercise = step.exercise
    if exercise is None or not step.kind.is_exercise:
        return None, None, None, step.side
    reps = exercise.rep_count
    period = rep_period(exercise)
    if step.kind is StepKind.MANUAL or reps is None or period is None:
        return None, reps, None, step.side
    index = min(int(elapsed // period), reps - 1) if period > 0 else 0
    holding = None
    if exercise.hold is not None:
        holding = elapsed - index * period < exercise.hold or index == reps - 1
    side = rep_side(exercise, index + 1) or step.side
    return index + 1, reps, holding, side
