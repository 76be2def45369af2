"""The tray icon while the app runs: reminders come with the window closed.

Its menu: Show (the window), Start next (today's next routine, as the
reminder's "Start now"), Quit (the app, not just the window). A click on the
icon shows the window. The app makes one only where the desktop has a tray
(:func:`tray_available`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

KEPT_IN_TRAY_TITLE = "Routine timer is still running"
KEPT_IN_TRAY = (
    "It stays in the tray to remind you of today's routines. "
    "To quit, choose Quit from the tray icon's menu."
)


def tray_available() -> bool:
    """Whether this desktop shows tray icons."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class AppTray(QObject):
    """The tray icon and its menu; each entry calls what the app gave it."""

    def __init__(
        self,
        icon: QIcon,
        *,
        show: Callable[[], object],
        start_next: Callable[[], object],
        quit_app: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Routine timer")
        self.menu = QMenu()
        self.show_action = self._add("Show Routine timer", show)
        self.start_action = self._add("Start next routine", start_next)
        self.menu.addSeparator()
        self.quit_action = self._add("Quit", quit_app)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated(show))
        self.destroyed.connect(self.menu.deleteLater)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @staticmethod
    def _activated(
        show: Callable[[], object],
    ) -> Callable[[QSystemTrayIcon.ActivationReason], None]:
        def activated(reason: QSystemTrayIcon.ActivationReason) -> None:
            if reason in (
                QSystemTrayIcon.ActivationReason.Trigger,
                QSystemTrayIcon.ActivationReason.DoubleClick,
            ):
                show()

        return activated

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def say(self, title: str, text: str) -> None:
        """A message from the tray icon (where the desktop shows them)."""
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    def set_next(self, text: str | None) -> None:
        """The "Start next" entry names the routine, or is off when nothing is left."""
        self.start_action.setEnabled(text is not None)
        self.start_action.setText(f"Start {text}" if text else "Nothing left for today")
