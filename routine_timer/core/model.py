"""The routine as the rest of the app sees it: validated, typed and immutable.

Every duration is a float number of seconds. Defaults from the routine file
format are already applied, so consumers never re-derive them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from routine_timer.core.errors import RoutineError

FORMAT_VERSION = 1


class Sides(StrEnum):
    """How an exercise uses the two sides of the body."""

    BOTH = "both"
    """Each set is done on the left, then (after a switch) on the right."""
    ALTERNATE = "alternate"
    """Reps go left, right, left, right ...; ``reps`` counts per side."""


class Side(StrEnum):
    """The side being worked right now."""

    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Say:
    """An extra announcement ``at`` seconds into each work period."""

    at: float
    text: str


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of a routine, with every default filled in."""

    name: str
    sets: int
    rest: float
    """Rest between two sets of this exercise."""
    rest_after: float
    """Rest after this exercise, before the next one."""
    time: float | None = None
    reps: int | None = None
    hold: float | None = None
    release: float = 2.0
    rep_time: float | None = None
    sides: Sides | None = None
    switch: float = 5.0
    cues: tuple[str, ...] = ()
    say: tuple[Say, ...] = ()
    easier: str | None = None
    harder: str | None = None
    image: Path | None = None
    """Absolute path of the picture, already checked to exist."""
    line: int = 0
    """1-based line of the exercise in its file (0 when unknown)."""

    @property
    def is_timed(self) -> bool:
        """False for untimed reps, which wait for the user to mark them done."""
        return self.time is not None or self.hold is not None or self.rep_time is not None

    @property
    def rep_count(self) -> int | None:
        """Reps in one work period: doubled for ``sides: alternate``."""
        if self.reps is None:
            return None
        return self.reps * 2 if self.sides is Sides.ALTERNATE else self.reps

    @property
    def work_seconds(self) -> float:
        """Length of one work period (one side, or the whole interleaved set)."""
        if self.time is not None:
            return self.time
        count = self.rep_count or 0
        if self.hold is not None:
            return count * self.hold + (count - 1) * self.release
        if self.rep_time is not None:
            return count * self.rep_time
        return 0.0


@dataclass(frozen=True, slots=True)
class Routine:
    """A whole routine file, validated."""

    id: str
    name: str
    exercises: tuple[Exercise, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    prepare: float = 10.0
    rest: float = 15.0
    rounds: int = 1
    round_rest: float = 15.0
    format: int = FORMAT_VERSION
    source: Path | None = None
    """The file it was loaded from (None for routines built in code)."""
    sha256: str = field(default="", compare=False)
    """Hash of the file's bytes, so history can tell which version was done."""
    warnings: tuple[RoutineError, ...] = field(default=(), compare=False)
    """Likely mistakes in a valid file (``time: 1.30``), in file order."""
