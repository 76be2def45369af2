"""Painted widgets that scale with the window: text fitted to its box, a progress ring, a bar.

The session screen must be readable from across a room at any window size, so
nothing here has a fixed font size: each widget picks the largest font that
fits the space the layout gives it. Colours come from the widget's palette
(``WindowText`` on ``Window``), which the session screen sets per step kind.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from routine_timer.core.model import Side
from routine_timer.ui.theme import TextTier, minimum_cap_px

_MIN_PIXEL_SIZE = 8


def fitted_font(base: QFont, text: str, box: QRectF, fill: float = 0.8) -> QFont:
    """``base`` resized so ``text`` fits in ``box``, its cap height near ``fill`` of the box."""
    font = QFont(base)
    height_limit = max(_MIN_PIXEL_SIZE, int(box.height() * fill))
    font.setPixelSize(height_limit)
    width = QFontMetricsF(font).horizontalAdvance(text) if text else 0.0
    if width > box.width() > 0:
        scaled = int(height_limit * box.width() / width * 0.98)
        font.setPixelSize(max(_MIN_PIXEL_SIZE, scaled))
    return font


def font_for_cap(base: QFont, cap_px: float) -> QFont:
    """``base`` at the smallest pixel size whose capitals are at least ``cap_px`` tall."""
    font = QFont(base)
    probe = 100
    font.setPixelSize(probe)
    ratio = QFontMetricsF(font).capHeight() / probe or 0.7
    size = max(_MIN_PIXEL_SIZE, math.ceil(cap_px / ratio))
    font.setPixelSize(size)
    while QFontMetricsF(font).capHeight() < cap_px:
        size += 1
        font.setPixelSize(size)
    return font


@dataclass(frozen=True, slots=True)
class TextFit:
    """How a fitted label lays out its text: the font and the lines it is drawn in."""

    font: QFont
    lines: tuple[str, ...]
    line_height: float
    elided: bool = False
    """True when the text did not fit whole: its last line ends in an ellipsis."""

    @property
    def cap_height(self) -> float:
        return QFontMetricsF(self.font).capHeight()

    def fits(self, box: QRectF) -> bool:
        return not self.elided and len(self.lines) * self.line_height <= box.height() - 2


GROUP_SEPARATOR = "    "
"""Between groups of a line ("Pause: Space · B    Skip: →"): where it breaks first."""
SEPARATOR = " · "
"""Between the parts of a line ("Set 1 of 3 · Left side"): where it breaks next."""


def wrap_words(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``.

    Between groups (``GROUP_SEPARATOR``) first, then between the parts of a
    group (``SEPARATOR``, the dot kept at the end of a line), then at spaces
    (a word too long for a line stands alone on it).
    """

    def fits(line: str) -> bool:
        return metrics.horizontalAdvance(line) <= width

    lines: list[str] = []
    for group in _pack([g.strip() for g in text.split(GROUP_SEPARATOR)], GROUP_SEPARATOR, fits):
        if fits(group):
            lines.append(group)
            continue
        parts = group.split(SEPARATOR)
        pieces = [
            part + (" ·" if index < len(parts) - 1 else "") for index, part in enumerate(parts)
        ]
        for line in _pack(pieces, " ", fits):
            lines += [line] if fits(line) else _pack(_words(line), " ", fits)
    return [line for line in lines if line]


def _words(text: str) -> list[str]:
    """``text``'s words, a part's closing dot kept with the word before it (never alone)."""
    words: list[str] = []
    for word in text.split():
        if word == "·" and words:
            words[-1] += " ·"
        else:
            words.append(word)
    return words


def _pack(pieces: list[str], joint: str, fits: Callable[[str], bool]) -> list[str]:
    """``pieces`` joined by ``joint`` into as few lines as fit (a piece too wide alone)."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        candidate = f"{line}{joint}{piece}" if line else piece
        if line and not fits(candidate):
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def fit_lines(font: QFont, text: str, box: QRectF) -> TextFit:
    """``text`` in ``font`` wrapped into ``box``; what does not fit is elided on the last line."""
    metrics = QFontMetricsF(font)
    line_height = metrics.height()
    lines = wrap_words(text, metrics, box.width())
    # Two pixels to spare: a descender on the last line must not touch the box's edge.
    room = max(1, int((box.height() - 2) // line_height))
    elided = len(lines) > room
    if elided:
        lines = [*lines[: room - 1], " ".join(lines[room - 1 :])]
    shown = []
    for line in lines:
        too_wide = metrics.horizontalAdvance(line) > box.width()
        elided = elided or too_wide
        shown.append(
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, box.width()) if too_wide else line
        )
    return TextFit(font, tuple(shown), line_height, elided)


def fit_text(base: QFont, text: str, box: QRectF, fill: float, min_cap: float) -> TextFit:
    """The largest font for ``text`` in ``box``, never under ``min_cap`` of cap height.

    One line as large as the box allows while that keeps the least size; else
    the largest size that fits the text in a few lines; at the least size,
    what still does not fit ends in an ellipsis.
    """
    single = fitted_font(base, text, box, fill)
    metrics = QFontMetricsF(single)
    if metrics.capHeight() >= min_cap or not text:
        return TextFit(single, (text,), metrics.height())
    smallest = font_for_cap(base, min_cap)
    low, high = smallest.pixelSize(), max(smallest.pixelSize(), int(box.height() * fill))
    best = fit_lines(smallest, text, box)
    if not best.fits(box):
        return best
    font = QFont(base)
    # The largest size whose lines all fit (the number of lines grows as the size does).
    while low < high:
        middle = (low + high + 1) // 2
        font.setPixelSize(middle)
        trial = fit_lines(QFont(font), text, box)
        if trial.fits(box):
            low, best = middle, trial
        else:
            high = middle - 1
    return best


class FittedLabel(QWidget):
    """Text drawn as large as its box allows, never under its tier's least size.

    Each label has a :class:`TextTier` (secondary unless it asks for more):
    the least cap height of its text, scaled with the window
    (:func:`minimum_cap_px`). A text too long for one line at that size is
    wrapped, and the label asks the layout for the height of its lines
    (``heightForWidth``); when even that cannot be had, the last line ends in
    an ellipsis. The text is also the label's accessible name.
    """

    def __init__(
        self,
        text: str = "",
        *,
        bold: bool = False,
        secondary: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        fill: float = 0.75,
        tier: TextTier = TextTier.SECONDARY,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._bold = bold
        self._secondary = secondary
        self._align = align
        self._fill = fill
        self._tier = tier
        self._fit_key: tuple[object, ...] | None = None
        self._fit: TextFit | None = None
        self._line_limit: int | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(12)
        self.setAccessibleName(text)

    def text(self) -> str:
        return self._text

    def tier(self) -> TextTier:
        return self._tier

    def setText(self, text: str) -> None:
        if text != self._text:
            before = self._needed_height(self.width())
            self._text = text
            self.setAccessibleName(text)
            if self._needed_height(self.width()) != before:
                self.updateGeometry()
            self.update()

    def line_limit(self) -> int | None:
        return self._line_limit

    def set_line_limit(self, lines: int | None) -> None:
        """Ask the layout for no more than ``lines`` lines (None: as many as the text needs).

        A screen short of height gives up the lines of its least important texts
        this way; what no longer fits ends in an ellipsis.
        """
        if lines != self._line_limit:
            self._line_limit = lines
            self.updateGeometry()

    def minimum_cap(self) -> float:
        """The least cap height of this label's text in its window now."""
        window = self.window()
        return minimum_cap_px(self._tier, window.width(), window.height())

    def _base_font(self) -> QFont:
        base = QFont(self.font())
        base.setBold(self._bold)
        return base

    def text_box(self) -> QRectF:
        """Where the text goes: the whole label (a subclass may keep room for more)."""
        return QRectF(self.rect())

    def text_fit(self) -> TextFit:
        """The font and lines the text is painted in, in the label's box now."""
        box = self.text_box()
        key = (self._text, box.width(), box.height(), self.minimum_cap(), self.font().key())
        if key != self._fit_key or self._fit is None:
            self._fit = fit_text(self._base_font(), self._text, box, self._fill, key[3])
            self._fit_key = key
        return self._fit

    def _needed_height(self, width: int) -> int:
        """The height of the text's lines at the least size, ``width`` wide."""
        if not self._text or width <= 0:
            return 12
        font = font_for_cap(self._base_font(), self.minimum_cap())
        metrics = QFontMetricsF(font)
        lines = max(1, len(wrap_words(self._text, metrics, width)))
        if self._line_limit is not None:
            lines = min(lines, max(1, self._line_limit))
        return math.ceil(lines * metrics.height()) + 2

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._needed_height(width)

    def sizeHint(self) -> QSize:
        return QSize(200, 30)

    def minimumSizeHint(self) -> QSize:
        return QSize(20, 12)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        fit = self.text_fit()
        painter.setFont(fit.font)
        role = (
            QPalette.ColorRole.PlaceholderText if self._secondary else QPalette.ColorRole.WindowText
        )
        painter.setPen(self.palette().color(role))
        box = self.text_box()
        if len(fit.lines) == 1:
            painter.drawText(box, int(self._align | Qt.AlignmentFlag.AlignVCenter), fit.lines[0])
            return
        height = fit.line_height * len(fit.lines)
        top = box.top() + max(0.0, (box.height() - height) / 2)
        for line in fit.lines:
            row = QRectF(box.left(), top, box.width(), fit.line_height)
            painter.drawText(row, int(self._align | Qt.AlignmentFlag.AlignVCenter), line)
            top += fit.line_height


class SideMarker(FittedLabel):
    """The side to work, in big words with an arrow, at that side of the screen.

    Drawn as a solid tab in the text colour with the words in the background
    colour, so it reads as a sign and not as one more line; the arrow and
    the edge it sits at say the side as well as the word does, for anyone
    who cannot tell the colours apart (or is looking from the floor).
    """

    PAD = 0.25
    """Space around the words inside the tab, as a share of its height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(bold=True, fill=0.7, tier=TextTier.PRIMARY, parent=parent)
        self._side: Side | None = None
        self._paper: QColor | None = None

    def set_paper(self, colour: QColor) -> None:
        """The screen's background colour: the words and the arrow are cut out in it.

        Given, not read from the palette: under the screen's style sheet a child's
        ``Window`` colour is the application's, not the step's.
        """
        if colour != self._paper:
            self._paper = QColor(colour)
            self.update()

    def side(self) -> Side | None:
        return self._side

    def set_side(self, side: Side | None, text: str) -> None:
        """Point to ``side`` (None: nothing to show) with ``text`` ("LEFT", "NOW: RIGHT")."""
        if side is not self._side:
            self._side = side
            self._align = (
                Qt.AlignmentFlag.AlignRight if side is Side.RIGHT else Qt.AlignmentFlag.AlignLeft
            )
            self.update()
        self.setText(text if side is not None else "")
        self.setAccessibleName(f"{text.capitalize()} side" if side is not None else "")

    def _tab_height(self) -> float:
        return max(4.0, self.height() - 4.0)

    def _arrow_width(self) -> float:
        return self._tab_height() * 0.7

    def text_box(self) -> QRectF:
        tab = self._tab_height()
        room = self.width() - self._arrow_width() - 3 * tab * self.PAD
        return QRectF(0, 2, max(1.0, room), tab)

    def _needed_height(self, width: int) -> int:
        if not self._text or width <= 0:
            return 12
        font = font_for_cap(self._base_font(), self.minimum_cap())
        # One line (the words are short), with the tab's padding around it.
        return math.ceil(QFontMetricsF(font).capHeight() / self._fill) + 4

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text or self._side is None:
            return
        fit = self.text_fit()
        metrics = QFontMetricsF(fit.font)
        line = fit.lines[0]
        tab = self._tab_height()
        pad = tab * self.PAD
        arrow = self._arrow_width()
        width = min(float(self.width()), metrics.horizontalAdvance(line) + arrow + 3 * pad)
        left = 0.0 if self._side is Side.LEFT else self.width() - width
        shape = QRectF(left, 2, width, tab)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        paper = self._paper or self.palette().color(QPalette.ColorRole.Window)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        painter.drawRoundedRect(shape, tab * 0.2, tab * 0.2)
        # The arrow points out of the screen's edge on its side, the words beside it.
        middle = shape.center().y()
        half = tab * 0.32
        if self._side is Side.LEFT:
            tip, base = shape.left() + pad, shape.left() + pad + arrow
            words = QRectF(base + pad, shape.top(), shape.right() - base - pad, tab)
        else:
            tip, base = shape.right() - pad, shape.right() - pad - arrow
            words = QRectF(shape.left() + pad, shape.top(), base - pad - shape.left(), tab)
        painter.setBrush(paper)
        painter.drawPolygon(
            QPolygonF(
                [QPointF(tip, middle), QPointF(base, middle - half), QPointF(base, middle + half)]
            )
        )
        painter.setPen(paper)
        painter.setFont(fit.font)
        painter.drawText(words, int(Qt.AlignmentFlag.AlignCenter), line)


class ProgressRing(QWidget):
    """The current step as a ring that empties as time runs out, with the digits inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._digits = ""
        self._caption = ""
        self._spoken = ""
        self._full = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(60, 60)

    def sizeHint(self) -> QSize:
        return QSize(400, 400)

    def digits(self) -> str:
        return self._digits

    def caption(self) -> str:
        return self._caption

    def fraction(self) -> float:
        return self._fraction

    def spoken_value(self) -> str:
        """The time as a screen reader reads it (its accessible value)."""
        return self._spoken

    def set_spoken(self, name: str, value: str) -> None:
        """What the ring is called ("Time left") and its time in words ("18 seconds")."""
        self._spoken = value
        self.setAccessibleName(name)
        self.setAccessibleDescription(f"{name}: {value}" if value else name)

    def set_values(self, fraction: float, digits: str, caption: str = "") -> None:
        """Show ``fraction`` (0..1, the part of the ring drawn), the digits and a small caption."""
        fraction = min(1.0, max(0.0, fraction))
        if (fraction, digits, caption) != (self._fraction, self._digits, self._caption):
            self._fraction, self._digits, self._caption = fraction, digits, caption
            self.update()

    def ring_rect(self) -> QRectF:
        side = min(self.width(), self.height())
        pen = self._pen_width(side)
        inner = side - pen
        return QRectF((self.width() - inner) / 2, (self.height() - inner) / 2, inner, inner)

    @staticmethod
    def _pen_width(side: float) -> float:
        return max(4.0, side * 0.06)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        side = min(self.width(), self.height())
        ring = self.ring_rect()
        width = self._pen_width(side)
        track = QColor(text_colour)
        track.setAlphaF(0.18)
        painter.setPen(QPen(track, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawEllipse(ring)
        if self._fraction > 0:
            painter.setPen(QPen(text_colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock; start at 12.
            span = -round(self._fraction * 360 * 16)
            painter.drawArc(ring, 90 * 16, span)
        painter.setPen(text_colour)
        digits_box, caption_box = self.text_boxes()
        painter.setFont(self.digits_font())
        painter.drawText(digits_box, int(Qt.AlignmentFlag.AlignCenter), self._digits)
        if self._caption:
            caption = self.caption_fit()
            painter.setFont(caption.font)
            painter.drawText(caption_box, int(Qt.AlignmentFlag.AlignCenter), caption.lines[0])

    def text_boxes(self) -> tuple[QRectF, QRectF]:
        """Where the digits go (a box inscribed in the ring) and the caption under them."""
        ring = self.ring_rect()
        inner = ring.width() - 2 * self._pen_width(min(self.width(), self.height()))
        box_side = inner / math.sqrt(2)
        digits = QRectF(
            ring.center().x() - box_side / 2,
            ring.center().y() - box_side / 2,
            box_side,
            box_side * 0.72,
        )
        caption = QRectF(digits.left(), digits.bottom(), digits.width(), box_side * 0.28)
        return digits, caption

    def digits_font(self) -> QFont:
        """The digits' font: as large as the ring holds (far above any least size)."""
        font = QFont(self.font())
        font.setBold(True)
        # Tabular figures keep the digits from dancing as they change.
        font.setFeature(QFont.Tag("tnum"), 1)
        return fitted_font(font, self._digits, self.text_boxes()[0], 0.95)

    def caption_fit(self) -> TextFit:
        """The caption's font ("hold", "time spent"): never under a secondary text's size."""
        window = self.window()
        least = minimum_cap_px(TextTier.SECONDARY, window.width(), window.height())
        return fit_text(QFont(self.font()), self._caption, self.text_boxes()[1], 0.6, least)


class ProgressBar(QWidget):
    """A thin bar for the routine as a whole, drawn in the text colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(10)

    def fraction(self) -> float:
        return self._fraction

    def set_fraction(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, fraction))
        if fraction != self._fraction:
            self._fraction = fraction
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        track = QColor(colour)
        track.setAlphaF(0.18)
        radius = self.height() / 2
        whole = QRectF(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(whole, radius, radius)
        if self._fraction > 0:
            done = QRectF(whole.left(), whole.top(), whole.width() * self._fraction, whole.height())
            painter.setBrush(colour)
            painter.drawRoundedRect(done, radius, radius)
