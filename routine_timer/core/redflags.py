"""The red-flag questions: warning signs that are for a professional, not for a routine.

Offered at the first start of the app, and after a session whose pain after
is 7 or more or rose by 3 or more points. Every question is optional; a yes
stops the progression suggestions (see :mod:`routine_timer.core.progression`)
until a later check is answered no throughout, and the advice says, as
clearly as the answer warrants, where to get help. The wording follows the
NHS pages on back pain, sciatica and cauda equina syndrome (see
``docs/back-care.md``); the app gives no diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

RED_FLAG_PAIN = 7
"""Pain after from which the questions are offered."""
RED_FLAG_RISE = 3
"""Points of pain gained in a session from which the questions are offered."""


class Why(StrEnum):
    """Why the questions were offered."""

    FIRST_START = "first-start"
    PAIN_HIGH = "pain-high"
    PAIN_ROSE = "pain-rose"
    ASKED = "asked"
    """The runner opened them."""


class Urgency(IntEnum):
    """How soon a yes should be seen to; the higher, the sooner."""

    SOON = 1
    URGENT = 2
    EMERGENCY = 3


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    urgency: Urgency


QUESTIONS: tuple[Question, ...] = (
    Question(
        "saddle",
        "Numbness or tingling between your legs, around your genitals or back passage, "
        "or in your buttocks (the 'saddle' area)?",
        Urgency.EMERGENCY,
    ),
    Question(
        "bladder-bowel",
        "New trouble peeing, or with controlling your bladder or bowels?",
        Urgency.EMERGENCY,
    ),
    Question(
        "legs",
        "Weakness, numbness or pins and needles in one or both legs?",
        Urgency.URGENT,
    ),
    Question(
        "leg-pain",
        "Pain spreading or shooting down a leg?",
        Urgency.SOON,
    ),
)
QUESTION_IDS = tuple(question.id for question in QUESTIONS)

ADVICE: dict[Urgency, str] = {
    Urgency.EMERGENCY: (
        "Please get emergency help now: go to A&E or call 999 (in the UK), or your local "
        "emergency number. Numbness in the saddle area and new bladder or bowel trouble "
        "can be signs of cauda equina syndrome, a rare problem with the nerves at the "
        "bottom of the spine that needs treatment straight away. Do not do the routine."
    ),
    Urgency.URGENT: (
        "Please get medical advice today: ask for an urgent GP appointment or call NHS 111 "
        "(in the UK), or your doctor. Weakness or numbness in a leg can mean a nerve is "
        "being pressed on. If it is in both legs, or getting worse, go to A&E. It is wiser "
        "not to do the routine until you have been seen."
    ),
    Urgency.SOON: (
        "Pain spreading down a leg can mean a nerve is involved (as with sciatica). It is "
        "worth seeing a GP or physiotherapist about it; until then, gentler work that does "
        "not bring the leg pain on is the safer choice."
    ),
}
STOPPED_NOTE = (
    "The app will not suggest harder work while this answer stands; answer the questions "
    "again (View > Warning signs) once you have been seen."
)


def offer_reason(pain_before: int | None, pain_after: int | None) -> Why | None:
    """Why the questions are due after a session with these ratings, or None."""
    if pain_after is not None and pain_after >= RED_FLAG_PAIN:
        return Why.PAIN_HIGH
    rise = None if pain_before is None or pain_after is None else pain_after - pain_before
    if rise is not None and rise >= RED_FLAG_RISE:
        return Why.PAIN_ROSE
    return None


def urgency(yes: Iterable[str]) -> Urgency | None:
    """The most urgent of the questions answered yes; None when none was."""
    levels = [question.urgency for question in QUESTIONS if question.id in set(yes)]
    return max(levels) if levels else None


def advice(yes: Iterable[str]) -> str | None:
    """What to do about the questions answered yes, most urgent first; None for none."""
    level = urgency(yes)
    return None if level is None else ADVICE[level]


def check_answers(yes: Iterable[str]) -> frozenset[str]:
    """The ids answered yes, each one of :data:`QUESTION_IDS` (ValueError otherwise)."""
    chosen = frozenset(yes)
    unknown = sorted(chosen - set(QUESTION_IDS))
    if unknown:
        raise ValueError(f"no red-flag question {unknown[0]!r}")
    return chosen
