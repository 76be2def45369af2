"""Reading a grabbed screen as a person would: what it says, how big, in what contrast.

A :class:`Shot` is one grab of a top-level widget plus the means to look at
the part of it any child covers: the colour that fills it (its background),
the colour that stands out most from that (its ink, usually the text), where
the ink is, and the contrast between the two. The contrast is measured on the
pixels actually painted, so a text drawn in the background's colour, or a
child painted in a colour the style sheet did not mean, shows up here.

:func:`shown_texts` lists the texts of every visible widget, and
:func:`clipped_texts` names those that do not fit in the space they were
given (cut off, elided, or wrapped into more lines than their height holds).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionFrame,
    QStyleOptionViewItem,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from routine_timer.ui.theme import contrast_ratio
from routine_timer.ui.widgets import FittedLabel

# Colours that occur on fewer pixels than this are stray edge pixels, not a colour anyone sees.
_MIN_INK_PIXELS = 4


def hex_of(colour: QColor | int) -> str:
    """``#RRGGBB`` of a colour or of a pixel value (alpha dropped)."""
    return QColor.fromRgb(colour).name() if isinstance(colour, int) else colour.name()


def contrast(first: QColor | int, second: QColor | int) -> float:
    """WCAG contrast ratio between two colours or pixel values (1 to 21)."""
    return contrast_ratio(hex_of(first), hex_of(second))


def _distance(first: int, second: int) -> int:
    # Squared distance in RGB: enough to tell which of two colours a pixel is nearer.
    return sum(((first >> shift & 0xFF) - (second >> shift & 0xFF)) ** 2 for shift in (16, 8, 0))


@dataclass(frozen=True)
class Ink:
    """What one rectangle of a shot shows: its fill, its most contrasting colour, where that is."""

    rect: QRect
    """The rectangle looked at, in the shot's coordinates."""
    background: int
    """The pixel value that covers most of the rectangle."""
    colour: int
    """The pixel value that contrasts most with the background (the text, usually)."""
    box: QRect | None
    """Bounding box of the pixels nearer the ink than the background; None when there are none."""
    rows: tuple[int, ...]
    """The rows (shot coordinates) that hold ink pixels, top to bottom."""

    @property
    def contrast(self) -> float:
        return contrast(self.colour, self.background)

    def bands(self) -> list[tuple[int, int]]:
        """Runs of consecutive inked rows as ``(top, height)``: the lines of text, tallest first."""
        runs: list[tuple[int, int]] = []
        for row in self.rows:
            if runs and row == runs[-1][0] + runs[-1][1]:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((row, 1))
        return sorted(runs, key=lambda run: -run[1])


@dataclass(frozen=True)
class Shot:
    """One grab of ``top``; children are found in it by their place in ``top``."""

    top: QWidget
    image: QImage
    _inks: dict[tuple[object, ...], Ink] = field(default_factory=dict, compare=False, repr=False)

    def rect_of(self, widget: QWidget) -> QRect:
        """Where ``widget`` is in the shot."""
        origin = widget.mapTo(self.top, QPoint(0, 0)) if widget is not self.top else QPoint(0, 0)
        return QRect(origin, widget.size()).intersected(self.image.rect())

    def rows(
        self, rect: QRect, disc: tuple[QPoint, float] | None = None
    ) -> Iterator[tuple[int, int, memoryview]]:
        """``(y, x of its first pixel, pixel values)`` per row of ``rect`` (within ``disc``)."""
        bits = memoryview(self.image.constBits()).cast("I")  # type: ignore[arg-type]
        stride = self.image.bytesPerLine() // 4
        for y in range(rect.top(), rect.bottom() + 1):
            first, last = rect.left(), rect.right()
            if disc is not None:
                centre, radius = disc
                half = radius * radius - (y - centre.y()) ** 2
                if half < 0:
                    continue
                first = max(first, int(centre.x() - half**0.5) + 1)
                last = min(last, int(centre.x() + half**0.5))
            if first <= last:
                yield y, first, bits[y * stride + first : y * stride + last + 1]

    def ink(self, where: QWidget | QRect, *, disc: tuple[QPoint, float] | None = None) -> Ink:
        """The background and ink of ``where`` (a child of the shot, or a rectangle in it).

        ``disc`` (a centre and a radius) looks only at the pixels inside it, e.g. the
        inside of a ring without the ring.
        """
        rect = self.rect_of(where) if isinstance(where, QWidget) else where
        # The checks of one shot look at the same widgets again and again.
        key = (rect.getRect(), None if disc is None else (disc[0].toTuple(), disc[1]))
        if key not in self._inks:
            self._inks[key] = self._read_ink(rect, disc)
        return self._inks[key]

    def _read_ink(self, rect: QRect, disc: tuple[QPoint, float] | None) -> Ink:
        rows = list(self.rows(rect, disc))
        counts: Counter[int] = Counter()
        for _y, _x, values in rows:
            counts.update(values)
        if not counts:
            raise ValueError(f"no pixel of the shot is inside {rect}")
        background = counts.most_common(1)[0][0]
        seen = [value for value, count in counts.items() if count >= _MIN_INK_PIXELS]
        ink = max(seen or [background], key=lambda value: contrast(value, background))
        # Pixels more ink than background: antialiased edges half covered or less are left out.
        inked = {
            value
            for value in counts
            if value != background and _distance(value, ink) < _distance(value, background)
        }
        left, right, inked_rows = rect.right() + 1, rect.left() - 1, []
        for y, x, values in rows:
            xs = [x + i for i, value in enumerate(values) if value in inked]
            if xs:
                inked_rows.append(y)
                left, right = min(left, xs[0]), max(right, xs[-1])
        box = (
            QRect(QPoint(left, inked_rows[0]), QPoint(right, inked_rows[-1]))
            if inked_rows
            else None
        )
        return Ink(rect, background, ink, box, tuple(inked_rows))

    def save(self, path: str) -> None:
        assert self.image.save(path), f"could not write {path}"


def take(qtbot: QtBot, widget: QWidget, size: tuple[int, int]) -> Shot:
    """Show ``widget`` at ``size``, let it lay out and restyle, and grab it."""
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    # The screens restyle themselves for their new size; let the layout catch up.
    for _ in range(3):
        QApplication.processEvents()
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    # One pixel per device-independent pixel, or the children's rectangles would be off.
    assert image.devicePixelRatio() == 1.0
    return Shot(widget, image)


def _plain(text: str) -> str:
    """A label's text as read: markup dropped, entities and line breaks turned into text."""
    text = re.sub(r"<br\s*/?>|</p>|</h\d>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def shown(widget: QWidget, top: QWidget) -> bool:
    """True when ``widget`` is visible in ``top`` and has room on screen."""
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def shown_texts(top: QWidget) -> list[tuple[str, QWidget]]:
    """Every text a person can read on ``top`` (labels, buttons, fields, tabs), with its widget."""
    texts: list[tuple[str, QWidget]] = []
    for widget in (top, *top.findChildren(QWidget)):
        if not shown(widget, top):
            continue
        found: list[str] = []
        if isinstance(widget, FittedLabel | QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QLabel):
            found.append(_plain(widget.text()))
        elif isinstance(widget, QLineEdit):
            found.append(widget.text() or widget.placeholderText())
        elif isinstance(widget, QTabBar):
            found += [widget.tabText(index) for index in range(widget.count())]
        texts += [(text, widget) for text in found if text]
    return texts


def clipped_texts(shot: Shot) -> list[str]:
    """The visible texts of the shot that do not fit their widget, each with the reason."""
    problems: list[str] = []
    top = shot.top
    for widget in (top, *top.findChildren(QWidget)):
        if not shown(widget, top):
            continue
        if isinstance(widget, FittedLabel) and widget.text():
            problems += _fitted_label_problems(shot, widget)
        elif isinstance(widget, QLabel) and widget.text():
            problems += _label_problems(widget)
        elif isinstance(widget, QPushButton) and widget.text():
            problems += _button_problems(widget)
        elif isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() or hint.height() > widget.height():
                problems.append(f"{widget.text()!r} needs {hint.toTuple()}, has {widget.size()}")
        elif isinstance(widget, QTabBar):
            space = widget.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, widget)
            for index in range(widget.count()):
                needed = widget.fontMetrics().horizontalAdvance(widget.tabText(index)) + space
                if needed > widget.tabRect(index).width():
                    problems.append(f"tab {widget.tabText(index)!r} is cut short")
    return problems


def _fitted_label_problems(shot: Shot, label: FittedLabel) -> list[str]:
    # A fitted label picks its own font, so what counts is what it painted: text too
    # big for its box is cut at the box's edge, and leaves ink in the edge's last pixels.
    # Text aligned to an edge may touch that edge (a "W" has no side bearing); it would
    # only be cut at the other one.
    ink = shot.ink(label)
    rect = ink.rect
    if ink.box is None:
        return [f"{label.text()!r} is not painted"]
    align = label._align  # the label keeps its alignment to itself
    edges = [
        name
        for name, touches in (
            ("left", ink.box.left() <= rect.left() and not align & Qt.AlignmentFlag.AlignLeft),
            (
                "right",
                ink.box.right() >= rect.right() and not align & Qt.AlignmentFlag.AlignRight,
            ),
            ("top", ink.box.top() <= rect.top()),
            ("bottom", ink.box.bottom() >= rect.bottom()),
        )
        if touches
    ]
    return [f"{label.text()!r} reaches the {'/'.join(edges)} edge"] if edges else []


def _label_problems(label: QLabel) -> list[str]:
    text = _plain(label.text())
    if label.wordWrap():
        # A wrapped label is cut when its lines need more height than it has.
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return [f"{text!r} needs {needed} px of height, has {label.height()}"]
        return []
    hint = label.sizeHint()
    if hint.width() > label.width() or hint.height() > label.height():
        return [f"{text!r} needs {hint.toTuple()}, has {label.size().toTuple()}"]
    return []


def _button_problems(button: QPushButton) -> list[str]:
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    # Where the style draws the label: the button less its frame and padding.
    contents = button.style().subElementRect(
        QStyle.SubElement.SE_PushButtonContents, option, button
    )
    needed = button.fontMetrics().horizontalAdvance(button.text())
    if needed > contents.width() or button.fontMetrics().height() > contents.height():
        return [
            f"button {button.text()!r} needs {needed}x{button.fontMetrics().height()} px "
            f"for its text, has {contents.width()}x{contents.height()}"
        ]
    return []


def text_area(shot: Shot, widget: QWidget) -> QRect:
    """Where ``widget`` draws its text in the shot: inside a button's or field's frame."""
    option: QStyleOption
    if isinstance(widget, QPushButton):
        option, element = QStyleOptionButton(), QStyle.SubElement.SE_PushButtonContents
    elif isinstance(widget, QLineEdit):
        option, element = QStyleOptionFrame(), QStyle.SubElement.SE_LineEditContents
    else:
        return shot.rect_of(widget)
    option.initFrom(widget)
    inside = widget.style().subElementRect(element, option, widget)
    return inside.translated(shot.rect_of(widget).topLeft()).intersected(shot.rect_of(widget))


def text_contrasts(shot: Shot) -> list[tuple[str, float]]:
    """The contrast of every text a person can read on the shot, as painted.

    Disabled controls are left out: WCAG asks nothing of them, and they are
    meant to look faded.
    """
    return [
        (text, shot.ink(text_area(shot, widget)).contrast)
        for text, widget in shown_texts(shot.top)
        if widget.isEnabled()
    ]


def overlapping_texts(top: QWidget) -> list[str]:
    """Pairs of visible text widgets that cover each other (neither holds the other)."""
    rects = [
        (text, QRect(widget.mapTo(top, QPoint(0, 0)), widget.size()), widget)
        for text, widget in shown_texts(top)
    ]
    problems = []
    for i, (text, rect, widget) in enumerate(rects):
        for other_text, other_rect, other in rects[i + 1 :]:
            related = widget.isAncestorOf(other) or other.isAncestorOf(widget)
            if not related and widget is not other and rect.intersects(other_rect):
                problems.append(f"{text!r} overlaps {other_text!r}")
    return problems


def elided_cells(view: QAbstractItemView, column: int) -> list[str]:
    """The texts of ``column`` that its cells are too narrow to show whole."""
    model = view.model()
    problems = []
    for row in range(model.rowCount()):
        index = model.index(row, column)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        # The delegate's size hint is the room the whole text (with icon and margins) needs.
        needed = view.itemDelegate().sizeHint(option, index).width()
        if needed > view.visualRect(index).width():
            problems.append(f"{index.data()!r} needs {needed} px")
    return problems
