"""Compile a :class:`Routine` into the flat timeline the engine runs.

The rules are those of the routine format ("Timeline and total time"): a
prepare countdown, then every set of every exercise of every round, with
switches, rests between sets, rests after exercises and rests between rounds.
Periods of zero length are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from routine_timer.core.model import Exercise, Routine, Side, Sides


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
    rounds: int = 1
    exercise: Exercise | None = None
    """The exercise worked (work, manual) or about to be worked (switch)."""
    exercise_index: int | None = None
    set: int | None = None
    """1-based set number for work, manual and switch steps."""
    sets: int | None = None
    side: Side | None = None
    """Left or right for ``sides: both``; None otherwise (``alternate`` changes per rep)."""

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

    @property
    def total_seconds(self) -> float:
        """Sum of every timed period (manual steps count zero)."""
        return sum(step.duration for step in self.steps)

    @property
    def manual_steps(self) -> int:
        return sum(1 for step in self.steps if step.kind is StepKind.MANUAL)


@dataclass(frozen=True, slots=True)
class _Draft:
    kind: StepKind
    duration: float
    label: str
    round: int
    exercise: Exercise | None = None
    exercise_index: int | None = None
    set: int | None = None
    side: Side | None = None


def build_timeline(routine: Routine) -> Timeline:
    """Compile ``routine`` into its :class:`Timeline`."""
    steps: list[Step] = []
    start = 0.0
    for draft in _drafts(routine):
        if draft.kind is not StepKind.MANUAL and draft.duration <= 0:
            continue
        exercise = draft.exercise
        steps.append(
            Step(
                index=len(steps),
                kind=draft.kind,
                start=start,
                duration=draft.duration,
                label=draft.label,
                round=draft.round,
                rounds=routine.rounds,
                exercise=exercise,
                exercise_index=draft.exercise_index,
                set=draft.set,
                sets=exercise.sets if exercise is not None and draft.set is not None else None,
                side=draft.side,
            )
        )
        start += draft.duration
    return Timeline(routine_id=routine.id, routine_name=routine.name, steps=tuple(steps))


def _drafts(routine: Routine) -> Iterator[_Draft]:
    yield _Draft(StepKind.PREPARE, routine.prepare, "Get ready", 1)
    last_exercise = len(routine.exercises) - 1
    for round_number in range(1, routine.rounds + 1):
        for index, exercise in enumerate(routine.exercises):
            for set_number in range(1, exercise.sets + 1):
                yield from _set_drafts(exercise, index, set_number, round_number)
                if set_number < exercise.sets:
                    yield _Draft(StepKind.REST, exercise.rest, "Rest", round_number)
            if index < last_exercise:
                yield _Draft(StepKind.REST, exercise.rest_after, "Rest", round_number)
            elif round_number < routine.rounds:
                yield _Draft(StepKind.REST, routine.round_rest, "Rest", round_number)


def _set_drafts(
    exercise: Exercise, index: int, set_number: int, round_number: int
) -> Iterator[_Draft]:
    kind = StepKind.WORK if exercise.is_timed else StepKind.MANUAL
    work = exercise.work_seconds if exercise.is_timed else 0.0

    def draft(kind: StepKind, duration: float, label: str, side: Side | None = None) -> _Draft:
        return _Draft(kind, duration, label, round_number, exercise, index, set_number, side)

    if exercise.sides is Sides.BOTH:
        yield draft(kind, work, exercise.name, Side.LEFT)
        yield draft(StepKind.SWITCH, exercise.switch, "Switch sides")
        yield draft(kind, work, exercise.name, Side.RIGHT)
    else:
        yield draft(kind, work, exercise.name)
