"""A small routine and a way through it, shared by the storage tests and scripts."""

from __future__ import annotations

from routine_timer.core.engine import Session
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import build_timeline
from tests.helpers.clocks import FakeClock

ROUTINE = Routine(
    id="test-back",
    name="Test back routine",
    prepare=2.0,
    exercises=(
        Exercise(name="Side plank", sets=2, rest=3.0, rest_after=4.0, time=5.0,
                 sides=Sides.BOTH, switch=1.0),
        Exercise(name="Squat", sets=1, rest=0.0, rest_after=0.0, reps=5),
    ),
)  # fmt: skip
TIMELINE = build_timeline(ROUTINE)
"""prepare, L, switch, R, rest, L, switch, R, rest, Squat (manual): ten steps."""


def end_current_step(session: Session, clock: FakeClock) -> list:
    """Let the current step end: run out its time, or press Done."""
    state = session.state()
    if state.remaining_in_step is None:
        return session.mark_done()
    clock.advance(state.remaining_in_step)
    return session.update()
