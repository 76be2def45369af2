"""The rules of the routine format that need no YAML: its limits.

The loader applies them while it checks a file. This module stays free of
PyYAML so that code which never reads YAML can apply them too.
"""

from __future__ import annotations

from typing import Final

from routine_timer.core.model import Routine, Sides

MAX_NAME_CHARS: Final = 80
MAX_STEPS: Final = 100_000
"""Most timeline steps a routine may expand to (sets x sides x rounds, with rests)."""
MAX_REPS: Final = 1_000
"""Most reps in one set (per side): a session prepares a cue for each when the set begins."""
MAX_SETS: Final = 1_000
MAX_ROUNDS: Final = 1_000
MAX_COUNTS: Final = {"reps": MAX_REPS, "sets": MAX_SETS, "rounds": MAX_ROUNDS}
"""The largest value of each whole-number key: far beyond any real routine, and they
keep every number the timeline computes from them (steps, seconds) small."""


def step_count(routine: Routine) -> int:
    """How many steps the routine's timeline has at most (zero-length ones included)."""
    per_round = sum(
        exercise.sets * (3 if exercise.sides is Sides.BOTH else 1) + exercise.sets
        for exercise in routine.exercises
    )
    return 1 + routine.rounds * per_round


def too_many_steps(routine: Routine) -> str | None:
    """The message for a routine over :data:`MAX_STEPS` steps, or None when it is within."""
    steps = step_count(routine)
    if steps <= MAX_STEPS:
        return None
    return (
        f"the routine is too long: it would run {steps:,} steps (sets, sides, rests "
        f"and rounds); at most {MAX_STEPS:,} are allowed"
    )
