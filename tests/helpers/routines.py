"""Routines for the tests: files written from YAML text, timelines, one routine to record."""

from __future__ import annotations

import os
from pathlib import Path

from routine_timer.core.engine import Event, Session
from routine_timer.core.loader import parse_routine
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import Timeline, build_timeline
from tests.helpers.clocks import FakeClock


def write_file(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path``, creating its folders; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def timeline_of(text: str, path: str | os.PathLike[str] = "routine.yaml") -> Timeline:
    """The timeline of a routine written as YAML text, read by the real loader.

    ``path`` names the file the text stands for: it gives the routine its
    default id, as a file of that name would.
    """
    return build_timeline(parse_routine(text, path))


RECORDED_ROUTINE = Routine(
    id="test-back",
    name="Test back routine",
    prepare=2.0,
    exercises=(
        Exercise(name="Side plank", sets=2, rest=3.0, rest_after=4.0, time=5.0,
                 sides=Sides.BOTH, switch=1.0),
        Exercise(name="Squat", sets=1, rest=0.0, rest_after=0.0, reps=5),
    ),
)  # fmt: skip
"""The routine the history tests and their recording script record."""

RECORDED = build_timeline(RECORDED_ROUTINE)
"""prepare, L, switch, R, rest, L, switch, R, rest, Squat (manual): ten steps."""


def end_current_step(session: Session, clock: FakeClock) -> list[Event]:
    """Let the current step end: run out its time, or press Done."""
    state = session.state()
    if state.remaining_in_step is None:
        return session.mark_done()
    clock.advance(state.remaining_in_step)
    return session.update()
