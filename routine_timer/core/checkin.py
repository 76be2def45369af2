"""The back check-in: ratings given around a session, and when to suggest easing off.

A runner rates back pain from 0 (none) to 10 (worst imaginable) before and
after a routine, and effort after it on the RPE scale from 1 (very easy) to
10 (maximal). Every rating is optional. When pain after is clearly higher
than before, the app says so gently: the routine may need easing, and pain
that stays, or shoots down a leg (a sign a nerve may be involved, as with
sciatica or a disc problem), is for a doctor or physiotherapist to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

PAIN_LOWEST, PAIN_HIGHEST = 0, 10
RPE_LOWEST, RPE_HIGHEST = 1, 10

PAIN_RISE_TO_WARN = 3
"""Points of back pain gained during a routine from which the app suggests easing it."""


@dataclass(frozen=True, slots=True)
class Checkin:
    """What the finish screen collects; None where the runner gave nothing."""

    pain_after: int | None = None
    rpe: int | None = None
    note: str | None = None


def check_rating(name: str, value: int | None, lowest: int, highest: int) -> None:
    """Raise ValueError unless ``value`` is None or a whole number from ``lowest`` to ``highest``.

    The one rule for every rating (pain, effort), wherever one is given or read.
    """
    if value is not None and not (
        isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest
    ):
        raise ValueError(f"{name} must be a whole number from {lowest} to {highest}, not {value!r}")


def pain_rose(before: int | None, after: int | None) -> bool:
    """True when pain after is :data:`PAIN_RISE_TO_WARN` or more points above pain before.

    False when either rating is missing: no guess is made.
    """
    check_rating("pain before", before, PAIN_LOWEST, PAIN_HIGHEST)
    check_rating("pain after", after, PAIN_LOWEST, PAIN_HIGHEST)
    if before is None or after is None:
        return False
    return after - before >= PAIN_RISE_TO_WARN


def pain_advice(before: int | None, after: int | None) -> str | None:
    """A kind word when the back hurt clearly more after the routine, else None.

    Raises ValueError for a rating outside 0-10.
    """
    if not pain_rose(before, after):
        return None
    return (
        f"Your back pain went from {before} to {after} during this routine. "
        "Take it easy for now: next time try fewer sets, shorter holds or a gentler "
        "version of the exercises that hurt. If the pain does not settle within a few "
        "days, or it shoots down a leg, please see a doctor or physiotherapist."
    )
