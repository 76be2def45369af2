"""The back check-in: one-tap ratings, a note, and saving them as they are given.

Everything here is optional and never in the way: a rating is one tap (a
second tap on the same number clears it), nothing asks a question, and a
session that nobody touches starts, runs and finishes exactly as without it.

* :class:`PainRating` - back pain 0 (none) to 10 (worst imaginable).
* :class:`RpeRating` - effort on the RPE scale, 1 (very easy) to 10 (maximal).
* :class:`NoteField` - a one-line note, sent a moment after typing stops.
* :class:`PainAdvice` - the gentle word shown when pain rose during a routine.

What is given is written into the history right away by the session
controller (``routine_timer.ui.session.controller``).

The rating buttons never take keyboard focus, so Space and Enter keep meaning
the session keys while they are on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from routine_timer.core.checkin import (
    PAIN_HIGHEST,
    PAIN_LOWEST,
    RPE_HIGHEST,
    RPE_LOWEST,
    check_rating,
    pain_advice,
)
from routine_timer.ui.theme import Colours

RATING_OBJECT_NAME = "rating"
"""Object name of every rating button, for style sheets (``QPushButton#rating``)."""

LABEL_OBJECT_NAME = "checkinLabel"
"""Object name of the captions of the check-in rows."""

NOTE_DELAY_MS = 800
"""How long typing must pause before a note is sent."""


class RatingButton(QPushButton):
    """One number of a rating, which a narrow window may squeeze.

    Styles give text buttons a minimum width (80 px in Fusion), and screens
    size their fonts from the window's width: a minimum taken from the text
    would stop the window from ever getting narrow enough for a smaller font.
    """

    MINIMUM_WIDTH = 24

    def minimumSizeHint(self) -> QSize:
        # QPushButton's own minimumSizeHint calls sizeHint: ask the base class directly.
        return QSize(self.MINIMUM_WIDTH, QPushButton.sizeHint(self).height())

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance("10") + 20
        return QSize(width, QPushButton.sizeHint(self).height())


class RatingButtons(QWidget):
    """A row of big numbered buttons: a tap picks a number, a tap on it again clears it.

    ``RatingButtons(lowest, highest, *, low_hint="", high_hint="", indent=0, parent=None)``;
    the hints become the tooltips of the end buttons; ``indent`` leaves that
    many empty button-wide slots first, so the numbers line up under a longer
    scale (effort 1-10 under pain 0-10). :meth:`value` is the
    picked number or None; ``valueChanged(object)`` sends the new value (an
    int, or None when cleared) whenever it changes, by tap or :meth:`setValue`.
    """

    valueChanged = Signal(object)

    def __init__(
        self,
        lowest: int,
        highest: int,
        *,
        low_hint: str = "",
        high_hint: str = "",
        indent: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if lowest > highest:
            raise ValueError(f"no numbers from {lowest} to {highest}")
        self.lowest = lowest
        self.highest = highest
        self._value: int | None = None
        self._buttons: dict[int, RatingButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for _ in range(indent):
            slot = RatingButton()
            slot.setObjectName(RATING_OBJECT_NAME)
            policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            policy.setRetainSizeWhenHidden(True)
            slot.setSizePolicy(policy)
            slot.setMinimumWidth(0)
            slot.hide()
            layout.addWidget(slot, 1)
        for number in range(lowest, highest + 1):
            button = RatingButton(str(number))
            button.setObjectName(RATING_OBJECT_NAME)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setMinimumWidth(0)
            button.clicked.connect(lambda _checked=False, n=number: self._tapped(n))
            layout.addWidget(button, 1)  # equal widths: "10" as wide as "1"
            self._buttons[number] = button
        if low_hint:
            self._buttons[lowest].setToolTip(f"{lowest}: {low_hint}")
        if high_hint:
            self._buttons[highest].setToolTip(f"{highest}: {high_hint}")

    def value(self) -> int | None:
        """The picked number, or None."""
        return self._value

    def setValue(self, value: int | None) -> None:
        """Pick ``value`` (None clears); emits ``valueChanged`` when it changes."""
        check_rating("a rating", value, self.lowest, self.highest)
        changed = value != self._value
        self._value = value
        # Always redraw the check marks: a click has just toggled one by itself.
        for number, button in self._buttons.items():
            button.setChecked(number == value)
        if changed:
            self.valueChanged.emit(value)

    def clear(self) -> None:
        """Pick nothing."""
        self.setValue(None)

    def button(self, number: int) -> RatingButton:
        """The button for ``number`` (for tests and accessibility)."""
        return self._buttons[number]

    def buttons(self) -> list[RatingButton]:
        """Every button, lowest first."""
        return list(self._buttons.values())

    def _tapped(self, number: int) -> None:
        self.setValue(None if self._value == number else number)


class PainRating(RatingButtons):
    """Back pain now, 0 (none) to 10 (worst imaginable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            PAIN_LOWEST,
            PAIN_HIGHEST,
            low_hint="no pain",
            high_hint="worst pain imaginable",
            parent=parent,
        )
        self.setAccessibleName("Back pain now, 0 to 10")


class RpeRating(RatingButtons):
    """How hard the routine felt (RPE), 1 (very easy) to 10 (maximal effort)."""

    def __init__(self, *, indent: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(
            RPE_LOWEST,
            RPE_HIGHEST,
            low_hint="very easy",
            high_hint="maximal effort",
            indent=indent,
            parent=parent,
        )
        self.setAccessibleName("Effort, RPE 1 to 10")


class NoteField(QLineEdit):
    """A one-line note; ``noteChanged(str)`` once typing pauses, or at :meth:`flush`.

    Sending waits ``delay_ms`` after the last change so a note is not written
    letter by letter; Enter, leaving the field and :meth:`flush` send at once.
    ``noteChanged`` is sent only when the text differs from the last one sent.
    """

    noteChanged = Signal(str)

    MAX_LENGTH = 1000

    def __init__(self, *, delay_ms: int = NOTE_DELAY_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(self.MAX_LENGTH)
        self.setPlaceholderText("Add a note (optional): how did your back feel?")
        self.setClearButtonEnabled(True)
        self._sent = ""
        self.timer = QTimer(self)
        """The debounce timer (single shot)."""
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush)
        self.textChanged.connect(lambda _text: self.timer.start())
        self.editingFinished.connect(self.flush)

    def set_placeholder_colour(self, colour: str) -> None:
        """Draw the hint in ``colour``: it is the field's only label, so it must be read.

        Qt draws it in the text colour at half strength, under 3:1 on the
        session colours; the secondary text colour keeps AA contrast.
        """
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(colour))
        self.setPalette(palette)

    def flush(self) -> None:
        """Send the note now if it changed since it was last sent."""
        self.timer.stop()
        text = self.text()
        if text != self._sent:
            self._sent = text
            self.noteChanged.emit(text)


class PainAdvice(QLabel):
    """Shown only when back pain after is 3 or more points above before.

    Kind, not alarming: it suggests easing the routine, and a doctor or
    physiotherapist if the pain persists or spreads down a leg (pain shooting
    down a leg can mean a nerve is involved rather than a tired muscle).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("Advice about back pain")
        self.hide()

    def show_for(self, pain_before: int | None, pain_after: int | None) -> None:
        """Show the advice for these ratings, or hide it."""
        text = pain_advice(pain_before, pain_after)
        self.setText(text or "")
        self.setVisible(text is not None)


def checkin_style(scheme_colours: Colours, font_px: int) -> str:
    """Style sheet rules for the check-in on a session screen coloured ``scheme_colours``.

    ``font_px`` is the captions' size; the numbers are a little larger, on
    buttons tall enough to hit from a mat without looking twice. Picked
    ratings are drawn inverted (background in the text colour), so the choice
    reads from across the room on every step colour.
    """
    text = QColor(scheme_colours.text)
    tint = f"rgba({text.red()}, {text.green()}, {text.blue()}"
    return (
        "QPushButton:checked {"
        f" background: {scheme_colours.text}; color: {scheme_colours.background}; }}"
        f"QPushButton#{RATING_OBJECT_NAME} {{ font-size: {int(font_px * 1.2)}px;"
        f" font-weight: bold; padding: 2px 0px; min-height: {int(font_px * 2)}px; }}"
        f"QLabel#{LABEL_OBJECT_NAME} {{ font-size: {font_px}px; font-weight: bold;"
        f" color: {scheme_colours.text}; }}"
        f"QLineEdit {{ font-size: {font_px}px; color: {scheme_colours.text};"
        f" background: {tint}, 22); border: 2px solid {scheme_colours.text};"
        f" border-radius: 8px; padding: {max(4, font_px // 4)}px; }}"
        f"QLabel#advice {{ font-size: {max(12, int(font_px * 0.8))}px;"
        f" color: {scheme_colours.text}; background: {tint}, 18);"
        f" border: 2px solid {scheme_colours.text};"
        f" border-radius: 8px; padding: {max(6, font_px // 2)}px; }}"
    )


def checkin_label(text: str) -> QLabel:
    """A caption for a check-in row, styled by :func:`checkin_style`."""
    label = QLabel(text)
    label.setObjectName(LABEL_OBJECT_NAME)
    return label
