"""The countdown flash: the whole session screen lights up for a moment on 3, 2 and 1.

For a noisy room, where the countdown's beeps are lost. It is a setting, off
by default (``Settings.flash``). The session screen calls :meth:`flash` from
the driver's ``cueDue`` signal, the same event that plays the beeps, so it
lands on the second exactly as they do.

Each flash is one still frame and its removal: no fade, nothing that moves,
and two repaints of the screen. Three flashes a second apart stay under the
three-flashes-in-one-second limit of WCAG 2.3.1.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

FLASH_MS = 150
"""How long the screen stays lit: long enough to catch in the corner of an eye."""
FLASH_OPACITY = 0.85
"""The flash's colour covers the screen at this opacity (the words show faintly through)."""


class CountdownFlash(QWidget):
    """A see-through layer over the whole screen, shown for :data:`FLASH_MS` per flash."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._colour = QColor(Qt.GlobalColor.white)
        self.timer = QTimer(self)
        """Ends the flash; single-shot."""
        self.timer.setSingleShot(True)
        self.timer.setInterval(FLASH_MS)
        self.timer.timeout.connect(self.end)
        self.flashes = 0
        """Flashes shown so far (for tests and the benchmark)."""
        self.hide()

    def colour(self) -> QColor:
        return QColor(self._colour)

    def flash(self, colour: QColor) -> None:
        """Light the screen in ``colour`` now, and end it :data:`FLASH_MS` later."""
        self._colour = QColor(colour)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.flashes += 1
        self.timer.start()

    def end(self) -> None:
        self.timer.stop()
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colour = QColor(self._colour)
        colour.setAlphaF(FLASH_OPACITY)
        painter.fillRect(self.rect(), colour)
