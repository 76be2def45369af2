"""Work that waits for a window's first paint."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from routine_timer.ui import first_paint
from routine_timer.ui.first_paint import after_first_paint

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


def test_the_callback_waits_for_the_first_paint_and_runs_once(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    calls: list[bool] = []
    after_first_paint(window, lambda: calls.append(window.isVisible()))
    qtbot.wait(50)
    assert calls == []  # not shown, not painted: nothing yet
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
    window.repaint()
    qtbot.wait(50)
    assert calls == [True]


def test_a_window_that_never_paints_still_gets_the_callback(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_paint, "FALLBACK_MS", 100)
    window = QWidget()
    qtbot.addWidget(window)
    calls: list[str] = []
    after_first_paint(window, lambda: calls.append("late"))
    qtbot.waitUntil(lambda: calls == ["late"], timeout=2000)


def test_nothing_is_called_for_a_window_already_gone(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_paint, "FALLBACK_MS", 50)
    calls: list[str] = []
    window = QWidget()
    after_first_paint(window, lambda: calls.append("too late"))
    window.deleteLater()
    qtbot.wait(200)
    assert calls == []
