"""Compile a :class:`Routine` into the flat timeline the engine runs.

The rules are those of the routine format ("Timeline and total time"): a
prepare countdown, then every set of every exercise of every round of every
block, with switches, rests between sets, rests after exercises, rests between
rounds and rests between blocks. A routine without blocks is one block.
Periods of zero length are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from routine_timer.core.model import Block, Exercise, Routine, Side, Sides, Variant


class StepKind(StrEnum):
    """What the user is doing during a step."""

    PREPARE = "prepare"
    WORK = "work"
    MANUAL = "manual"
    """An untimed set (or one side of it): it ends when the user marks it done."""
    SWITCH = "switch"
    REST = "rest"

    @property
    def is_exercise(self) -> bool:
        """Whether the user works in this step (a timed or an untimed set).

        Exercise steps are the ones announced with a start sound, counted as
        done or skipped in the history, and flagged when pain stops a session.
        """
        return self in _EXERCISE_KINDS


_EXERCISE_KINDS = frozenset({StepKind.WORK, StepKind.MANUAL})


@dataclass(frozen=True, slots=True)
class Step:
    """One period of the timeline."""

    index: int
    kind: StepKind
    start: float
    """Offset of the step from the start of the routine, in timed seconds."""
    duration: float
    """Length in seconds; 0 for manual steps, which wait for the user."""
    label: str
    """What the step is called on screen: the exercise name, "Rest", ..."""
    round: int = 1
    """1-based round of the step's block (of the routine, without blocks)."""
    rounds: int = 1
    """Rounds of the step's block."""
    exercise: Exercise | None = None
    """The exercise worked (work, manual) or about to be worked (switch), as this
    set does it (one value of each per-set list)."""
    exercise_index: int | None = None
    set: int | None = None
    """1-based set number for work, manual and switch steps."""
    sets: int | None = None
    side: Side | None = None
    """Left or right for ``sides: both``, ``left`` and ``right``; None otherwise
    (``alternate`` changes per rep)."""
    block: int | None = None
    """0-based index of the step's block in ``Routine.layout``; None for the prepare step."""
    block_name: str | None = None
    block_start: bool = False
    """The first exercise step of a named block: its name is announced here."""

    @property
    def end(self) -> float:
        return self.start + self.duration

    @property
    def is_timed(self) -> bool:
        return self.kind is not StepKind.MANUAL

    @property
    def title(self) -> str:
        """A one-line description: "Side plank - set 2 of 3 - right"."""
        parts = [self.label]
        exercise = self.kind.is_exercise
        if exercise and self.sets and self.sets > 1:
            parts.append(f"set {self.set} of {self.sets}")
        if exercise and self.side is not None:
            parts.append(self.side.value)
        if self.rounds > 1 and exercise:
            parts.append(f"round {self.round} of {self.rounds}")
        return " - ".join(parts)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every step of a routine in order, with the totals the format defines."""

    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    format: int = 1
    """The routine file's format version (format 2 adds block and round to the plan)."""
    variant: Variant | None = None
    """The variations the routine was planned with (``plan --variant``)."""

    @property
    def total_seconds(self) -> float:
        """Sum of every timed period (manual steps count zero)."""
        return sum(step.duration for step in self.steps)

    @property
    def manual_steps(self) -> int:
        return sum(1 for step in self.steps if step.kind is StepKind.MANUAL)


@dataclass(frozen=True, slots=True)
class _Place:
    """Where in the routine a step falls: a round of a block."""

    round: int
    rounds: int
    block: int | None


@dataclass(frozen=True, slots=True)
class _Draft:
    kind: StepKind
    duration: float
    label: str
    place: _Place
    exercise: Exercise | None = None
    exercise_index: int | None = None
    set: int | None = None
    side: Side | None = None


Choices = Mapping[tuple[int, int], Variant]
"""The variation chosen for an exercise in a round: (exercise index, round) -> variant.

A session fills it in as the runner switches the coming exercise; the
exercise is planned as written where there is no choice, or no such variation."""


def build_timeline(routine: Routine, choices: Choices | None = None) -> Timeline:
    """Compile ``routine`` into its :class:`Timeline`, with the variations in ``choices``."""
    steps: list[Step] = []
    start = 0.0
    layout = routine.layout
    started: set[int] = set()
    for draft in _drafts(routine, layout, choices or {}):
        if draft.kind is not StepKind.MANUAL and draft.duration <= 0:
            continue
        exercise = draft.exercise
        number = draft.place.block
        block = None if number is None else layout[number]
        block_start = (
            block is not None
            and block.name is not None
            and draft.kind.is_exercise
            and number not in started
        )
        if block_start and number is not None:
            started.add(number)
        steps.append(
            Step(
                index=len(steps),
                kind=draft.kind,
                start=start,
                duration=draft.duration,
                label=draft.label,
                round=draft.place.round,
                rounds=draft.place.rounds,
                exercise=exercise,
                exercise_index=draft.exercise_index,
                set=draft.set,
                sets=exercise.sets if exercise is not None and draft.set is not None else None,
                side=draft.side,
                block=number,
                block_name=None if block is None else block.name,
                block_start=block_start,
            )
        )
        start += draft.duration
    return Timeline(
        routine_id=routine.id,
        routine_name=routine.name,
        steps=tuple(steps),
        format=routine.format,
        variant=routine.variant,
    )


def _drafts(routine: Routine, layout: tuple[Block, ...], choices: Choices) -> Iterator[_Draft]:
    yield _Draft(StepKind.PREPARE, routine.prepare, "Get ready", _Place(1, layout[0].rounds, None))
    last_block = len(layout) - 1
    for number, block in enumerate(layout):
        last_exercise = block.first + block.count - 1
        for round_number in range(1, block.rounds + 1):
            place = _Place(round_number, block.rounds, number)
            for index in block.indexes:
                exercise = routine.exercises[index]
                chosen = choices.get((index, round_number))
                if chosen is not None:
                    exercise = exercise.variation(chosen) or exercise
                for set_number in range(1, exercise.sets + 1):
                    yield from _set_drafts(exercise.for_set(set_number), index, set_number, place)
                    if set_number < exercise.sets:
                        yield _Draft(StepKind.REST, exercise.rest, "Rest", place)
                if index < last_exercise:
                    yield _Draft(StepKind.REST, exercise.rest_after, "Rest", place)
                elif round_number < block.rounds:
                    yield _Draft(StepKind.REST, block.round_rest, "Rest", place)
                elif number < last_block:
                    yield _Draft(StepKind.REST, block.rest_after, "Rest", place)


def _set_drafts(exercise: Exercise, index: int, set_number: int, place: _Place) -> Iterator[_Draft]:
    kind = StepKind.WORK if exercise.is_timed else StepKind.MANUAL
    work = exercise.work_seconds if exercise.is_timed else 0.0

    def draft(kind: StepKind, duration: float, label: str, side: Side | None = None) -> _Draft:
        return _Draft(kind, duration, label, place, exercise, index, set_number, side)

    if exercise.sides is Sides.BOTH:
        yield draft(kind, work, exercise.name, Side.LEFT)
        yield draft(StepKind.SWITCH, exercise.switch, "Switch sides")
        yield draft(kind, work, exercise.name, Side.RIGHT)
    else:
        yield draft(
            kind, work, exercise.name, None if exercise.sides is None else exercise.sides.only
        )
