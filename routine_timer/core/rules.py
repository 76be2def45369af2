"""The rules of the routine format that need no YAML: its limits, and where pictures may be.

The loader applies them while it checks a file, and the library cache again
to every routine it reads back, so that a cache can never hold a routine that
a check would refuse. This module must stay free of PyYAML: the cache is read
on every start, before the window is painted, and PyYAML takes tens of
milliseconds to import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Final

from routine_timer.core.model import Routine, Sides, Variant

MAX_FILE_BYTES: Final = 1024 * 1024
"""Largest routine file accepted, in bytes."""
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

IMAGE_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".svg", ".gif")

_ID_RE: Final = re.compile(r"[a-z0-9-]+")


def is_routine_id(text: str) -> bool:
    """True for an id a file may give with ``id:``: lowercase letters, digits and '-'."""
    return _ID_RE.fullmatch(text) is not None


def step_count(routine: Routine, variant: Variant | None = None) -> int:
    """How many steps the routine's timeline has at most (zero-length ones included).

    With ``variant``, as planned with every variation of that kind taken
    (:meth:`Routine.with_variant`), without building that routine.
    """
    steps = 1
    for block in routine.layout:
        per_round = 0
        for index in block.indexes:
            exercise = routine.exercises[index]
            if variant is not None:
                exercise = exercise.variation(variant) or exercise
            per_round += exercise.sets * (3 if exercise.sides is Sides.BOTH else 1) + exercise.sets
        steps += block.rounds * per_round
    return steps


def too_many_steps(routine: Routine) -> str | None:
    """The message for a routine over :data:`MAX_STEPS` steps, or None when it is within.

    Planned with its easier or harder variations too: a harder one done per side
    adds steps, and a session may switch to it.
    """
    steps = step_count(routine)
    for variant in Variant:
        if any(exercise.variation(variant) for exercise in routine.exercises):
            steps = max(steps, step_count(routine, variant))
    if steps <= MAX_STEPS:
        return None
    return (
        f"the routine is too long: it would run {steps:,} steps (sets, sides, rests "
        f"and rounds); at most {MAX_STEPS:,} are allowed"
    )


def find_picture(written: str, folder: Callable[[], Path]) -> Path | str:
    """The picture an ``image:`` value names, resolved, or the message saying why not.

    ``folder`` gives the routine's folder, resolved (only called when the path is
    well formed). The picture must be a file inside it, also after following links.
    """
    relative = PurePosixPath(written)
    if (
        relative.is_absolute()
        or written.startswith(("~", "\\"))
        or re.match(r"^[A-Za-z]:", written)
    ):
        return f"'image' must be a path relative to the routine file, got {written!r}"
    if ".." in relative.parts:
        return f"'image' must stay inside the routine's folder, got {written!r}"
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'image' must be a .png, .jpg, .jpeg, .svg or .gif file, got {written!r}"
    try:
        inside = folder()
        # On strings: Path.resolve() stats the target once more before is_file()
        # does, and builds Path objects on the way (25 us a picture, 22 us this way).
        target = os.path.realpath(os.path.join(inside, relative))
        exists = os.path.isfile(target)
    except (OSError, RuntimeError, ValueError):  # RecursionError: a very long chain of links
        exists = False
        target, inside = "", Path()
    if not exists:
        return f"image {written!r} not found next to the routine"
    picture = Path(target)
    if not picture.is_relative_to(inside):
        return f"'image' must stay inside the routine's folder, got {written!r}"
    return picture
