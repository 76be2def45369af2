"""The pain-advice rule: a rise of three points or more, and only then."""

from __future__ import annotations

import pytest

from routine_timer.core.checkin import PAIN_RISE_TO_WARN, check_rating, pain_advice, pain_rose


@pytest.mark.parametrize(
    ("before", "after", "advised"),
    [
        (2, 5, True),  # exactly three points more
        (2, 4, False),  # two points: ordinary ups and downs
        (0, 3, True),
        (7, 10, True),
        (8, 10, False),
        (0, 10, True),
        (5, 5, False),
        (6, 2, False),  # better after
        (None, 9, False),  # no rating before: no guess
        (3, None, False),
        (None, None, False),
    ],
)
def test_advice_only_when_pain_rose_by_three_or_more(
    before: int | None, after: int | None, advised: bool
) -> None:
    assert pain_rose(before, after) is advised
    assert (pain_advice(before, after) is not None) is advised


def test_the_threshold_is_three_points() -> None:
    assert PAIN_RISE_TO_WARN == 3


def test_the_advice_is_gentle_and_names_when_to_get_help() -> None:
    text = pain_advice(1, 6)
    assert text is not None
    assert "from 1 to 6" in text
    assert "easy" in text
    assert "does not settle" in text
    assert "down a leg" in text
    assert "doctor or physiotherapist" in text


@pytest.mark.parametrize(("before", "after"), [(-1, 5), (2, 11), (2.5, 6), (True, 5)])
def test_ratings_outside_the_scale_are_refused(before: object, after: object) -> None:
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        pain_advice(before, after)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 1, 5, 10])
def test_a_rating_in_range_or_none_passes(value: int | None) -> None:
    check_rating("effort", value, 1, 10)


@pytest.mark.parametrize("value", [0, 11, True, 2.5, "3"])
def test_a_rating_out_of_range_or_not_whole_is_refused_in_words(value: object) -> None:
    with pytest.raises(ValueError, match="effort must be a whole number from 1 to 10"):
        check_rating("effort", value, 1, 10)  # type: ignore[arg-type]
