"""History > Export report: the back-care PDF from the history view."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from routine_timer.storage.history import HistoryStore
from routine_timer.ui.history.window import HistoryView
from tests.ui.history.history_data import TODAY, realistic_history, utc_local_time

__all__ = ["utc_local_time"]

pytestmark = [
    pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext reads the PDF"),
]


@pytest.fixture
def store(tmp_path: Path, utc_local_time: None) -> Iterator[HistoryStore]:
    opened = realistic_history(tmp_path / "history.sqlite3", days=42)
    yield opened
    opened.close()


def test_export_report_asks_the_weeks_and_writes_the_pdf(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    asked: list[tuple[object, ...]] = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args: asked.append(args[2:]) or (4, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    view = HistoryView(store, today=lambda: TODAY)
    qtbot.addWidget(view)
    assert view.export_report_button.isEnabled()
    with qtbot.waitSignal(view.exported) as signal:
        view.export_report_button.click()
    assert signal.args == [str(target)] and asked == [("Weeks to report, ending today:", 6, 1, 52)]
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Back-care report" in text and "(4 weeks)" in text
    assert not target.with_name("report.pdf.partial").exists()


def test_a_cancelled_report_writes_nothing(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args: (6, False))
    view = HistoryView(store, today=lambda: TODAY)
    qtbot.addWidget(view)
    assert view.export_report() is None
    assert list(tmp_path.glob("*.pdf")) == []
