"""A rung of a training plan's ladder: a routine, as written or with one kind of variation.

On its own so that the progression rules can read rungs without loading the
plan model (``core.programme``), which waits until a plan is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from routine_timer.core.model import Variant


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of a plan's ladder: a routine, as written or with its easier or harder
    variations (``docs/plan-format.md``, ``ladder``)."""

    routine_id: str
    variant: Variant | None = None
