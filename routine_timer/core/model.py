"""The routine as the rest of the app sees it: validated, typed and immutable.

Every duration is a float number of seconds. Defaults from the routine file
format are already applied, so consumers never re-derive them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from routine_timer.core.errors import RoutineError

FORMAT_VERSION = 2
"""The newest format this app reads."""
FORMAT_VERSIONS = (1, 2)
"""Every format this app reads; a version-1 file keeps its exact meaning."""


class Sides(StrEnum):
    """How an exercise uses the two sides of the body."""

    BOTH = "both"
    """Each set is done on the left, then (after a switch) on the right."""
    ALTERNATE = "alternate"
    """Reps go left, right, left, right ...; ``reps`` counts per side."""
    LEFT = "left"
    """Format 2: the left side only (one work period, no switch)."""
    RIGHT = "right"
    """Format 2: the right side only."""

    @property
    def only(self) -> Side | None:
        """The one side worked for ``left`` and ``right``; None otherwise."""
        if self is Sides.LEFT:
            return Side.LEFT
        if self is Sides.RIGHT:
            return Side.RIGHT
        return None


class Side(StrEnum):
    """The side being worked right now."""

    LEFT = "left"
    RIGHT = "right"


class Variant(StrEnum):
    """Which variation of an exercise is done: the one written, or a format-2 mapping."""

    EASIER = "easier"
    HARDER = "harder"


@dataclass(frozen=True, slots=True)
class Say:
    """An extra announcement ``at`` seconds into each work period, or ``left`` before its end."""

    at: float | None
    text: str
    left: float | None = None
    """Format 2: seconds left in the work period when it is spoken (``at`` is then None)."""

    def offset_in(self, work: float) -> float:
        """Seconds from the start of a work period of ``work`` seconds."""
        if self.at is not None:
            return self.at
        return work - (self.left or 0.0)


@dataclass(frozen=True, slots=True)
class SetWork:
    """Format 2: the work of one set when ``time``, ``reps``, ``hold`` or ``rep_time`` is a list."""

    time: float | None = None
    reps: int | None = None
    hold: float | None = None
    rep_time: float | None = None


def work_period(
    time: float | None,
    reps: int | None,
    *,
    hold: float | None,
    release: float,
    rep_time: float | None,
    sides: Sides | None,
) -> float:
    """Length of one work period from an exercise's values (0 for untimed reps).

    The one formula of the format's "Timeline and total time": ``time``;
    n holds and the releases between them; n paced reps. With ``sides:
    alternate`` the period holds both sides' reps.
    """
    if time is not None:
        return time
    count = (reps or 0) * (2 if sides is Sides.ALTERNATE else 1)
    if hold is not None:
        return count * hold + (count - 1) * release
    if rep_time is not None:
        return count * rep_time
    return 0.0


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
    per_set: tuple[SetWork, ...] = ()
    """Format 2: one entry per set when the work changes from set to set (a pyramid);
    empty when every set is the same. The scalar fields hold set 1's values."""
    figure: str | None = None
    """Format 2: the name of one of the app's drawn figures."""
    easier_variation: Exercise | None = None
    """Format 2: the easier variation as a whole exercise (``easier`` holds its name)."""
    harder_variation: Exercise | None = None
    variant: Variant | None = None
    """Which variation this is: None for the exercise as written."""

    def for_set(self, number: int) -> Exercise:
        """The exercise as set ``number`` (1-based) does it: one value of each per-set list."""
        if not self.per_set:
            return self
        work = self.per_set[number - 1]
        return replace(self, time=work.time, reps=work.reps, hold=work.hold, rep_time=work.rep_time)

    def variation(self, variant: Variant) -> Exercise | None:
        """The variation of that kind given as a mapping, or None."""
        return self.easier_variation if variant is Variant.EASIER else self.harder_variation

    @property
    def sets_work(self) -> tuple[Exercise, ...]:
        """The exercise as each of its sets does it, in order."""
        if not self.per_set:
            return (self,) * self.sets
        return tuple(self.for_set(number) for number in range(1, self.sets + 1))

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
        return work_period(
            self.time,
            self.reps,
            hold=self.hold,
            release=self.release,
            rep_time=self.rep_time,
            sides=self.sides,
        )


@dataclass(frozen=True, slots=True)
class Block:
    """Format 2: a section of a routine (warm-up, circuit, cool-down).

    It holds ``count`` exercises of the routine's list from ``first`` on, so the
    routine's ``exercises`` stay the one list of every exercise.
    """

    first: int
    count: int
    name: str | None = None
    rounds: int = 1
    round_rest: float = 15.0
    rest_after: float = 15.0
    """Rest after this block, before the next one."""

    @property
    def indexes(self) -> range:
        return range(self.first, self.first + self.count)


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
    format: int = 1
    blocks: tuple[Block, ...] = ()
    """Format 2: the routine's sections in order; empty for a routine without ``blocks``."""
    variant: Variant | None = None
    """Set by :meth:`with_variant`: which variations replaced the exercises."""
    source: Path | None = None
    """The file it was loaded from (None for routines built in code)."""
    sha256: str = field(default="", compare=False)
    """Hash of the file's bytes, so history can tell which version was done."""
    warnings: tuple[RoutineError, ...] = field(default=(), compare=False)
    """Likely mistakes in a valid file (``time: 1.30``), in file order."""

    @property
    def layout(self) -> tuple[Block, ...]:
        """The routine's blocks; a routine without ``blocks`` is one block of every exercise."""
        if self.blocks:
            return self.blocks
        return (
            Block(
                first=0,
                count=len(self.exercises),
                rounds=self.rounds,
                round_rest=self.round_rest,
                rest_after=0.0,
            ),
        )

    def with_variant(self, variant: Variant) -> Routine:
        """The routine with every exercise that has such a variation replaced by it."""
        exercises = tuple(exercise.variation(variant) or exercise for exercise in self.exercises)
        return replace(self, exercises=exercises, variant=variant)
