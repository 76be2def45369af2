"""A bar across the top of the main window: one short question or note, and one-tap answers.

Used for the back care of ``docs/back-care.md``: the next-morning check, the
warning-sign questions at the first start, and the suggestion after a
session stopped for pain. Nothing waits for it: every notice can be closed
(its last button), and a new notice queues behind the one on show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


@dataclass(frozen=True, slots=True)
class Notice:
    """A line, and each answer's button text with what it does."""

    key: str
    """What it is about ("morning", "red-flags"...): one notice of a key at a time."""
    text: str
    answers: Sequence[tuple[str, Callable[[], object]]]


class NoticeBar(QFrame):
    """Shows one :class:`Notice` at a time; any answer closes it and shows the next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.addWidget(self.text, 1)
        self.buttons: list[QPushButton] = []
        self.queue: list[Notice] = []
        self.current: Notice | None = None
        self._held = False
        self.hide()

    def hold(self, held: bool) -> None:
        """Keep the bar out of sight (a session is on screen) or show its notice again.

        Notices posted while held wait, and show when the hold ends: nothing
        covers the session screen, and nothing is lost.
        """
        self._held = held
        self.setVisible(not held and self.current is not None)

    def post(self, notice: Notice) -> None:
        """Show ``notice`` now, or after those before it; a second of the same key replaces it."""
        if self.current is not None and self.current.key == notice.key:
            self._show(notice)
            return
        self.queue = [queued for queued in self.queue if queued.key != notice.key]
        self.queue.append(notice)
        if self.current is None:
            self._next()

    def _show(self, notice: Notice) -> None:
        # Here, not at start-up: PySide6 builds its Qt namespace on first use (~20 ms).
        from PySide6.QtCore import Qt  # noqa: PLC0415

        self.current = notice
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setText(notice.text)
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for label, action in notice.answers:
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, act=action: self._answer(act))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(not self._held)

    def button(self, label: str) -> QPushButton:
        """The current notice's button with ``label``."""
        return next(button for button in self.buttons if button.text() == label)

    def _answer(self, action: Callable[[], object]) -> None:
        self.current = None
        action()
        if self.current is None:
            self._next()

    def _next(self) -> None:
        if self.queue:
            self._show(self.queue.pop(0))
        else:
            self.current = None
            self.hide()
