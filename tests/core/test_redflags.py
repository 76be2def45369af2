"""The red-flag questions: when they are offered, and what a yes advises."""

from __future__ import annotations

import pytest

from routine_timer.core.redflags import (
    ADVICE,
    QUESTION_IDS,
    Urgency,
    Why,
    advice,
    check_answers,
    offer_reason,
)


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        (None, 7, Why.PAIN_HIGH),
        (2, 4, None),
        (2, 6, Why.PAIN_ROSE),
        (2, 5, Why.PAIN_ROSE),
        (None, 5, None),
        (7, 7, Why.PAIN_HIGH),
        (3, 5, None),
        (None, None, None),
    ],
)
def test_offered_after_pain_of_7_or_a_rise_of_3(
    before: int | None, after: int | None, why: Why | None
) -> None:
    assert offer_reason(before, after) is why


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        ({"leg-pain"}, Urgency.SOON),
        ({"legs", "leg-pain"}, Urgency.URGENT),
        ({"saddle"}, Urgency.EMERGENCY),
        ({"bladder-bowel", "leg-pain"}, Urgency.EMERGENCY),
    ],
)
def test_the_most_urgent_yes_decides_the_advice(yes: set[str], level: Urgency) -> None:
    assert advice(yes) == ADVICE[level]


def test_no_yes_no_advice_and_only_known_questions() -> None:
    assert advice(()) is None
    assert check_answers(QUESTION_IDS) == frozenset(QUESTION_IDS)
    with pytest.raises(ValueError, match="no red-flag question 'knees'"):
        check_answers({"knees"})


def test_emergency_advice_names_emergency_care() -> None:
    assert "999" in ADVICE[Urgency.EMERGENCY] and "A&E" in ADVICE[Urgency.EMERGENCY]
    assert "111" in ADVICE[Urgency.URGENT]
