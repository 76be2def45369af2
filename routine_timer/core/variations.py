"""Switching the coming exercise to its easier or harder variation during a session.

A format-2 exercise may carry its variations as whole exercises. Before the
exercise starts - in the get-ready countdown or the rest before its first set -
the runner may pick one (E or H on the session screen); pressing the same key
again goes back to the exercise as written. The choice holds for the rest of
the session: every later round of that exercise is planned with it too, so a
bad day's knee plank stays a knee plank in round 2 unless the runner switches
back. This module works out what can be offered and the new choices; the
session controller replans the timeline with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from routine_timer.core.engine import SessionState
from routine_timer.core.model import Routine, Variant
from routine_timer.core.plan import Choices, Step, StepKind

_BEFORE = (StepKind.PREPARE, StepKind.REST)


@dataclass(frozen=True, slots=True)
class VariationOffer:
    """The variations the coming exercise can be switched to right now."""

    coming: Step
    """The first step of the coming exercise."""
    current: Variant | None
    """The variation planned now (None: as written)."""
    written: str
    """The exercise's own name."""
    easier: str | None
    """The easier variation's name, when the exercise has one to switch to."""
    harder: str | None

    def name_of(self, variant: Variant) -> str | None:
        return self.easier if variant is Variant.EASIER else self.harder

    def keys_text(self) -> str:
        """The line the session screen shows: "E easier: Knee plank · H harder: ..."."""
        parts = []
        for variant, key in ((Variant.EASIER, "E"), (Variant.HARDER, "H")):
            name = self.name_of(variant)
            if name is None:
                continue
            if self.current is variant:
                parts.append(f"{key} back to {self.written}")
            else:
                parts.append(f"{key} {variant.value}: {name}")
        return " · ".join(parts)

    def target(self, variant: Variant) -> Variant | None:
        """What pressing ``variant`` picks: it, or back to as written when it is current."""
        return None if self.current is variant else variant


def has_variations(routine: Routine) -> bool:
    """Whether any exercise of ``routine`` can be switched to an easier or harder one."""
    return any(
        exercise.easier_variation is not None or exercise.harder_variation is not None
        for exercise in routine.exercises
    )


def offer(routine: Routine, state: SessionState) -> VariationOffer | None:
    """What the runner may switch the coming exercise to now; None when nothing."""
    step, coming = state.step, state.next_step
    if step is None or step.kind not in _BEFORE or not state.status.in_progress:
        return None
    if coming is None or not coming.kind.is_exercise or coming.exercise_index is None:
        return None
    if coming.set != 1 or coming.exercise is None:
        return None  # between two sets the exercise has begun
    original = routine.exercises[coming.exercise_index]
    easier, harder = original.easier_variation, original.harder_variation
    if easier is None and harder is None:
        return None
    return VariationOffer(
        coming=coming,
        current=coming.exercise.variant,
        written=original.name,
        easier=None if easier is None else easier.name,
        harder=None if harder is None else harder.name,
    )


def choose(
    choices: Choices, coming: Step, variant: Variant | None
) -> dict[tuple[int, int], Variant]:
    """``choices`` with ``coming``'s exercise done as ``variant`` from its round on."""
    assert coming.exercise_index is not None
    chosen = dict(choices)
    for round_number in range(coming.round, coming.rounds + 1):
        key = (coming.exercise_index, round_number)
        if variant is None:
            chosen.pop(key, None)
        else:
            chosen[key] = variant
    return chosen
