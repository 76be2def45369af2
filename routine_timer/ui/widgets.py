"""Painted widgets that scale with the window: text fitted to its box, a progress ring, a bar.

The session screen must be readable from across a room at any window size, so
nothing here has a fixed font size: each widget picks the largest font that
fits the space the layout gives it. Colours come from the widget's palette
(``WindowText`` on ``Window``), which the session screen sets per step kind.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

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


class FittedLabel(QWidget):
    """One line of text drawn as large as its box allows (shrunk to fit the width)."""

    def __init__(
        self,
        text: str = "",
        *,
        bold: bool = False,
        secondary: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        fill: float = 0.75,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = text
        self._bold = bold
        self._secondary = secondary
        self._align = align
        self._fill = fill
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(12)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 30)

    def minimumSizeHint(self) -> QSize:
        return QSize(20, 12)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        base = QFont(self.font())
        base.setBold(self._bold)
        box = QRectF(self.rect())
        painter.setFont(fitted_font(base, self._text, box, self._fill))
        role = (
            QPalette.ColorRole.PlaceholderText if self._secondary else QPalette.ColorRole.WindowText
        )
        painter.setPen(self.palette().color(role))
        painter.drawText(box, int(self._align | Qt.AlignmentFlag.AlignVCenter), self._text)


class ProgressRing(QWidget):
    """The current step as a ring that empties as time runs out, with the digits inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._digits = ""
        self._caption = ""
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
        # The digits fill a box inscribed in the ring, leaving room for the caption below.
        inner = ring.width() - 2 * width
        box_side = inner / math.sqrt(2)
        box = QRectF(
            ring.center().x() - box_side / 2,
            ring.center().y() - box_side / 2,
            box_side,
            box_side * 0.72,
        )
        painter.setPen(text_colour)
        digits_font = QFont(self.font())
        digits_font.setBold(True)
        # Tabular figures keep the digits from dancing as they change.
        digits_font.setFeature(QFont.Tag("tnum"), 1)
        painter.setFont(fitted_font(digits_font, self._digits, box, 0.95))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), self._digits)
        if self._caption:
            caption_box = QRectF(box.left(), box.bottom(), box.width(), box_side * 0.28)
            painter.setFont(fitted_font(QFont(self.font()), self._caption, caption_box, 0.6))
            painter.drawText(caption_box, int(Qt.AlignmentFlag.AlignCenter), self._caption)


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
