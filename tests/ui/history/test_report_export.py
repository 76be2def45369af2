"""History > Export report: the back-care PDF from the history view."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("what", ["report", "json", "csv"])
def test_an_export_onto_a_pipe_or_device_says_so_and_never_replaces_it(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    pipe = tmp_path / "pipe"  # as /dev/null would be, which a rename as root would replace
    os.mkfifo(pipe)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pipe), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))
    view = HistoryView(store, today=lambda: TODAY)
    qtbot.addWidget(view)
    assert (view.export_report(4) if what == "report" else view.export(what)) is None
    assert len(told) == 1 and "it is a device or a pipe, not a file" in told[0]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert not [path for path in tmp_path.iterdir() if path.name.startswith("pipe.")]
