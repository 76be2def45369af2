"""The app's composition root: what it sets up around the main window."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from routine_timer.app import set_app_icon


def test_the_app_icon_is_the_shipped_one(qapp: QApplication) -> None:
    qapp.setWindowIcon(QIcon())
    assert qapp.windowIcon().isNull()
    set_app_icon(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()
