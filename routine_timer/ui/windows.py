"""What the window features share about top-level windows."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def bring_to_front(window: QWidget) -> None:
    """Bring ``window``, on screen, above the others: restored if minimised."""
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
