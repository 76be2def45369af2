"""Colours of the session screen, and the contrast math that keeps them readable.

Every kind of step fills the screen with its own colour, so the runner can tell
work from rest out of the corner of an eye. The digits and every other line of
text are drawn in one text colour on top of it, so each pair is checked against
the WCAG AA rule for normal text (a contrast ratio of at least 4.5:1). The
light scheme uses light tints with near-black text; the dark scheme deep shades
with near-white text. The high-contrast scheme (a setting) keeps to black,
white and yellow and holds every text to WCAG AAA (7:1).

The least sizes of the session screen's texts live here too
(:class:`TextTier`): each text is read from a mat two metres away.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

AA_NORMAL_TEXT = 4.5
"""WCAG 2.x level AA minimum contrast for normal-size text."""
AAA_NORMAL_TEXT = 7.0
"""WCAG 2.x level AAA minimum contrast for normal-size text: the high-contrast scheme's."""


class Scheme(StrEnum):
    """The system's colour scheme."""

    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"
    """Not the system's: the "High contrast" setting, black, white and yellow."""


class Look(StrEnum):
    """What the session screen is showing; one colour each."""

    READY = "ready"
    PREPARE = "prepare"
    WORK = "work"
    MANUAL = "manual"
    SWITCH = "switch"
    REST = "rest"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Colours:
    """The colours of one look: a background and the text drawn on it."""

    background: str
    text: str
    """Digits, headings and the progress ring."""
    secondary: str
    """Less important lines (what comes next, hints); still AA against the background."""


_LIGHT_TEXT = "#111418"
_LIGHT_SECONDARY = "#33383F"
_DARK_TEXT = "#FFFFFF"
_DARK_SECONDARY = "#E3E6EA"

_BACKGROUNDS: dict[Scheme, dict[Look, str]] = {
    Scheme.LIGHT: {
        Look.READY: "#E4E7EB",
        Look.PREPARE: "#F6C343",  # amber: get ready
        Look.WORK: "#5FD38D",  # green: go
        Look.MANUAL: "#FFA96B",  # orange: your pace, press Done
        Look.SWITCH: "#C3A3F7",  # violet: change sides
        Look.REST: "#7FB8F5",  # blue: breathe
        Look.PAUSED: "#C9CDD3",
        Look.FINISHED: "#9BE3B5",
    },
    Scheme.DARK: {
        Look.READY: "#2B2F36",
        Look.PREPARE: "#724C00",  # white digits at 7.6:1
        Look.WORK: "#17663A",
        Look.MANUAL: "#8F3A0C",
        Look.SWITCH: "#5E2F99",
        Look.REST: "#1D4F91",
        Look.PAUSED: "#3A3F47",
        Look.FINISHED: "#17663A",
    },
}


_HC_BLACK = "#000000"
_HC_WHITE = "#FFFFFF"
_HC_YELLOW = "#FFE14D"

_HIGH_CONTRAST: dict[Look, Colours] = {
    # Work and rest stay apart by more than a tint: black, and a deep blue; the
    # get-ready countdown and the switch turn the screen over to yellow and white.
    Look.READY: Colours(_HC_BLACK, _HC_WHITE, _HC_YELLOW),
    Look.PREPARE: Colours("#FFE14D", _HC_BLACK, "#1A1A1A"),
    Look.WORK: Colours(_HC_BLACK, _HC_WHITE, _HC_YELLOW),
    Look.MANUAL: Colours("#3D1C00", _HC_WHITE, _HC_YELLOW),
    Look.SWITCH: Colours(_HC_WHITE, _HC_BLACK, "#1A1A1A"),
    Look.REST: Colours("#00205C", _HC_WHITE, _HC_YELLOW),
    Look.PAUSED: Colours("#333333", _HC_WHITE, _HC_YELLOW),
    Look.FINISHED: Colours(_HC_BLACK, _HC_YELLOW, _HC_WHITE),
}


def colours(look: Look, scheme: Scheme) -> Colours:
    """The colours of ``look`` in ``scheme``."""
    if scheme is Scheme.HIGH_CONTRAST:
        return _HIGH_CONTRAST[look]
    background = _BACKGROUNDS[scheme][look]
    if scheme is Scheme.LIGHT:
        return Colours(background, _LIGHT_TEXT, _LIGHT_SECONDARY)
    return Colours(background, _DARK_TEXT, _DARK_SECONDARY)


def _channel(value: int) -> float:
    # sRGB to linear light, as defined by WCAG 2.x.
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``"#RRGGBB"`` -> ``(r, g, b)``."""
    text = colour.removeprefix("#")
    if len(text) != 6:
        raise ValueError(f"expected a colour like #RRGGBB, got {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour, from 0 (black) to 1 (white)."""
    r, g, b = (_channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_hint(text: str, background: str) -> str:
    """A colour for hint text (a placeholder): fainter than ``text``, still AA on ``background``.

    Mixed from the background towards the text until it passes AA with a
    little margin; the text colour itself when nothing fainter does.
    """
    ink, paper = parse_hex(text), parse_hex(background)
    for step in range(8, 21):
        share = step / 20
        mixed = "#" + "".join(
            f"{round(p + (i - p) * share):02X}" for i, p in zip(ink, paper, strict=True)
        )
        if contrast_ratio(mixed, background) >= AA_NORMAL_TEXT + 0.3:
            return mixed
    return text


def passes_aa(foreground: str, background: str) -> bool:
    """True when the pair meets WCAG AA for normal text."""
    return contrast_ratio(foreground, background) >= AA_NORMAL_TEXT


def system_scheme() -> Scheme:
    """The scheme of the running Qt application (light when it cannot tell)."""
    from PySide6.QtCore import Qt  # noqa: PLC0415 - keeps the colour math free of Qt
    from PySide6.QtGui import QGuiApplication, QPalette  # noqa: PLC0415

    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return Scheme.LIGHT
    hint = app.styleHints().colorScheme()
    if hint == Qt.ColorScheme.Dark:
        return Scheme.DARK
    if hint == Qt.ColorScheme.Light:
        return Scheme.LIGHT
    window = app.palette().color(QPalette.ColorRole.Window)
    return Scheme.DARK if window.lightness() < 128 else Scheme.LIGHT


# --- how big the session screen's texts must be --------------------------------------

REFERENCE_WINDOW = (1366, 768)
"""The window the least sizes are given for: a 13-inch laptop's whole screen."""
REFERENCE_PIXEL_MM = 0.2156
"""The size of one pixel of that screen: 337.8 mm of diagonal over 1567 pixels."""


class TextTier(Enum):
    """How big a text of the session screen must at least be, by what it is for.

    The value is the least cap height (the height of a capital letter, as
    ``QFontMetricsF.capHeight`` gives it) in pixels of a window of
    :data:`REFERENCE_WINDOW`; other windows scale it (:func:`minimum_cap_px`).
    ``docs/accessibility.md`` gives the reasons for each number.
    """

    PRIMARY = 45
    """What the runner follows from the mat: the step, its name, the side, what comes
    next. About 9.7 mm: 17 minutes of arc from 2 m, over three times a 20/20 letter."""
    SECONDARY = 30
    """The rest of what the runner reads from the mat: set and rep, the coaching cue,
    where the routine stands. About 6.5 mm: 11 minutes of arc from 2 m."""
    REFERENCE = 22
    """Read from the mat when looked at on purpose, not followed: the easier and harder
    hint, the key legend. About 4.7 mm: 8 minutes of arc from 2 m, half again a 20/20
    letter."""
    CONTROL = 13
    """Buttons and the check-in, used within arm's reach (the keys or a tap): about
    2.8 mm, the size of a laptop's own menus read from 60 cm."""


def window_scale(width: int, height: int) -> float:
    """How the least sizes scale in a window of ``width`` x ``height`` (1 at the reference)."""
    ref_width, ref_height = REFERENCE_WINDOW
    return max(0.0, min(width / ref_width, height / ref_height))


def minimum_cap_px(tier: TextTier, width: int, height: int) -> float:
    """The least cap height of a ``tier`` text in a window of ``width`` x ``height``."""
    return tier.value * window_scale(width, height)
