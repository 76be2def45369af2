"""What a screen reader (Orca, say) is told about the session screen, and when.

Every text of the session screen is a painted widget (:mod:`routine_timer.ui.widgets`),
which Qt would otherwise present as a nameless "client" area. The factory
installed by :func:`install_accessibility` gives each its role: the fitted
labels and the side marker are static text named by their words, the
countdown ring a progress bar whose value is the time in words.

Changes reach the screen reader through an :class:`Announcer`: Qt's
accessibility events in the app (:class:`QtAnnouncer`), a recording one in
tests. Which changes are announced is the session screen's choice (see
``docs/accessibility.md``): never every second of a countdown.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleValueChangeEvent,
)
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from routine_timer.ui.widgets import FittedLabel, ProgressBar, ProgressRing


class Announcer(Protocol):
    """Tells assistive technology what changed on screen."""

    def announce(self, widget: QWidget, message: str, *, assertive: bool = False) -> None:
        """Have ``message`` read out (politely: after what is being read; or at once)."""
        ...

    def name_changed(self, widget: QWidget) -> None:
        """``widget``'s accessible name changed (the text of a label, the side)."""
        ...

    def value_changed(self, widget: QWidget, value: object) -> None:
        """``widget``'s value changed (the countdown ring's time)."""
        ...


class QtAnnouncer:
    """The real one: Qt's accessibility events, which Qt hands to AT-SPI on Linux."""

    def announce(self, widget: QWidget, message: str, *, assertive: bool = False) -> None:
        event = QAccessibleAnnouncementEvent(widget, message)
        event.setPoliteness(
            QAccessible.AnnouncementPoliteness.Assertive
            if assertive
            else QAccessible.AnnouncementPoliteness.Polite
        )
        QAccessible.updateAccessibility(event)

    def name_changed(self, widget: QWidget) -> None:
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))

    def value_changed(self, widget: QWidget, value: object) -> None:
        QAccessible.updateAccessibility(QAccessibleValueChangeEvent(widget, value))


class _Painted(QAccessibleWidget):
    """A painted widget with the role it plays; its value in words where it has one."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)
        self._widget = widget

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Value and isinstance(self._widget, ProgressRing):
            return self._widget.spoken_value()
        if kind == QAccessible.Text.Value and isinstance(self._widget, ProgressBar):
            return f"{round(self._widget.fraction() * 100)} %"
        return super().text(kind)


def _interface(key: str, target: QObject) -> QAccessibleInterface | None:
    if isinstance(target, FittedLabel):
        return _Painted(target, QAccessible.Role.StaticText)
    if isinstance(target, ProgressRing | ProgressBar):
        return _Painted(target, QAccessible.Role.ProgressBar)
    return None


_installed = False


def install_accessibility() -> None:
    """Give the painted widgets their roles (once per process; later calls do nothing)."""
    global _installed  # noqa: PLW0603 - Qt keeps one list of factories per process
    if not _installed:
        QAccessible.installFactory(_interface)
        _installed = True
