"""Step colours: one per kind, and every line of text readable on it (WCAG AA)."""

from __future__ import annotations

import pytest

from routine_timer.core.plan import StepKind
from routine_timer.ui.theme import (
    AA_NORMAL_TEXT,
    Look,
    Scheme,
    colours,
    contrast_ratio,
    parse_hex,
    passes_aa,
    relative_luminance,
)


@pytest.mark.parametrize("scheme", list(Scheme))
@pytest.mark.parametrize("look", list(Look))
def test_text_and_secondary_text_pass_aa_on_every_background(look: Look, scheme: Scheme) -> None:
    scheme_colours = colours(look, scheme)
    assert contrast_ratio(scheme_colours.text, scheme_colours.background) >= AA_NORMAL_TEXT
    assert contrast_ratio(scheme_colours.secondary, scheme_colours.background) >= AA_NORMAL_TEXT
    assert passes_aa(scheme_colours.text, scheme_colours.background)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_each_kind_of_step_has_its_own_colour(scheme: Scheme) -> None:
    kinds = (Look.PREPARE, Look.WORK, Look.MANUAL, Look.SWITCH, Look.REST, Look.PAUSED)
    backgrounds = {colours(look, scheme).background for look in kinds}
    assert len(backgrounds) == len(kinds)


def test_dark_scheme_is_dark_and_light_is_light() -> None:
    for look in Look:
        assert relative_luminance(colours(look, Scheme.DARK).background) < 0.2
        assert relative_luminance(colours(look, Scheme.LIGHT).background) > 0.3


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#000000", 21.0),
        ("#777777", "#777777", 1.0),
        # A reference pair: #767676 on white is the classic just-passing grey.
        ("#767676", "#FFFFFF", 4.54),
    ],
)
def test_contrast_ratio_matches_wcag(first: str, second: str, ratio: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


def test_passes_aa_fails_a_pale_pair() -> None:
    assert not passes_aa("#999999", "#FFFFFF")


def test_parse_hex() -> None:
    assert parse_hex("#1D4F91") == (0x1D, 0x4F, 0x91)
    with pytest.raises(ValueError, match="#RRGGBB"):
        parse_hex("#fff")


def test_every_step_kind_has_a_look() -> None:
    # The session screen picks a step's look by the kind's name.
    for kind in StepKind:
        assert Look(kind.value).value == kind.value


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("#000000", "#FFFFFF"),
        ("#FFFFFF", "#2B2F36"),
        ("#111418", "#F6C343"),
        ("#777777", "#888888"),
    ],
)
def test_a_hint_is_fainter_than_the_text_and_still_readable(text: str, background: str) -> None:
    from routine_timer.ui.theme import contrast_ratio, readable_hint

    hint = readable_hint(text, background)
    if contrast_ratio(text, background) >= 4.8:
        assert 4.5 <= contrast_ratio(hint, background) < contrast_ratio(text, background)
    else:  # nothing fainter can pass: the text colour itself
        assert hint == text


@pytest.mark.parametrize("look", list(Look))
def test_high_contrast_holds_every_text_to_aaa(look: Look) -> None:
    from routine_timer.ui.theme import AAA_NORMAL_TEXT

    scheme_colours = colours(look, Scheme.HIGH_CONTRAST)
    for text in (scheme_colours.text, scheme_colours.secondary):
        assert contrast_ratio(text, scheme_colours.background) >= AAA_NORMAL_TEXT
    # Only black, white, yellow and near-black shades of a hue: the colours stay few.
    for colour in (scheme_colours.background, scheme_colours.text, scheme_colours.secondary):
        red, green, blue = parse_hex(colour)
        assert max(red, green, blue) < 0x70 or relative_luminance(colour) > 0.7


def test_high_contrast_tells_work_from_rest_apart_by_more_than_a_tint() -> None:
    work = colours(Look.WORK, Scheme.HIGH_CONTRAST).background
    rest = colours(Look.REST, Scheme.HIGH_CONTRAST).background
    prepare = colours(Look.PREPARE, Scheme.HIGH_CONTRAST).background
    switch = colours(Look.SWITCH, Scheme.HIGH_CONTRAST).background
    assert contrast_ratio(work, rest) > 1.2
    # The get-ready countdown and the switch turn the screen over (light, dark text).
    assert relative_luminance(prepare) > 0.7 and relative_luminance(switch) > 0.7
