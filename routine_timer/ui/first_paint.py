"""Work that waits until a window is on screen, so the first paint comes sooner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 1000
"""Longest wait: a window that never paints (minimised at start) still gets the work done."""


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(window)
        self._window = window
        self._callback = callback
        self._done = False
        window.installEventFilter(self)
        # With this object as context, the timers die with the window.
        QTimer.singleShot(FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # Let the paint finish and reach the screen first.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if not self._done:
            self._done = True
            self._window.removeEventFilter(self)
            self._callback()


def after_first_paint(window: QWidget, callback: Callable[[], object]) -> None:
    """Call ``callback`` once, as soon as ``window`` has painted (within a second at most).

    A zero timer started after ``show()`` fires before the first paint, which Qt
    posts as an update request; loading QtMultimedia and QtTextToSpeech there
    held the window back by a few hundred milliseconds.
    """
    _FirstPaint(window, callback)
