"""The history view: figures, empty state, session detail, export equal to the command line."""

from __future__ import annotations

import argparse
import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from routine_timer.cli import history as history_cli
from routine_timer.paths import AppPaths
from routine_timer.storage.export import ExportedSession
from routine_timer.storage.history import HistoryStore
from routine_timer.ui.history import window as history_window
from routine_timer.ui.history.window import HistoryView
from tests.ui.history.history_data import (
    TODAY,
    Planned,
    realistic_history,
    reopen,
    utc_local_time,
    write,
)

__all__ = ["utc_local_time"]
# The offscreen platform cannot pass a shown window's size hints on; harmless here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")
MONDAY = datetime(2026, 3, 16, 7, 0, tzinfo=UTC)  # the Monday of TODAY's week


@pytest.fixture
def store(app_paths: AppPaths, utc_local_time: None) -> Iterator[HistoryStore]:
    opened = HistoryStore(app_paths.history_db)
    for back in range(1, 4):  # Sun 15 back to Fri 13: a streak of three, ended yesterday
        write(opened, Planned(MONDAY - timedelta(days=back), pain_before=4, pain_after=3))
    write(opened, Planned(MONDAY - timedelta(days=10)))  # Fri 6: a streak of one
    write(
        opened,
        Planned(
            MONDAY,
            "core",
            "Core",
            "stopped",
            exercises=4,
            done=2,
            pain_before=2,
            pain_after=6,
            rpe=7,
            note="sharp twinge",
            pain_flag_on=1,
        ),
    )
    write(opened, Planned(MONDAY + timedelta(days=1), "=cmd", "=HYPERLINK(1)"))
    opened = reopen(opened)
    yield opened
    opened.close()


def view_of(qtbot: QtBot, store: HistoryStore | None) -> HistoryView:
    view = HistoryView(store, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1100, 850)
    return view


def test_the_figures_at_the_top(qtbot: QtBot, store: HistoryStore) -> None:
    view = view_of(qtbot, store)
    values = [card.value.text() for card in view.figure_cards()]
    # Monday's session was stopped, Tuesday's completed: the streak is Tuesday alone.
    assert values == ["1 day", "3 days", "2", "8 min"]
    assert view.sessions_model.rowCount() == 6
    assert view.routines_model.rowCount() == 3
    assert not view.is_empty() and view.export_csv_button.isEnabled()
    assert view.heat_map.active_day_count() == 6
    assert view.weekly_chart.bars()[-1].minutes == pytest.approx(7.5)


def test_a_new_user_sees_the_empty_state(qtbot: QtBot, tmp_path: Path) -> None:
    for store in (None, HistoryStore(tmp_path / "new.sqlite3")):
        view = view_of(qtbot, store)
        assert view.is_empty()
        assert view.pages.currentWidget() is view.empty
        assert "No sessions yet" in view.empty.text()
        assert not view.export_csv_button.isEnabled()
        assert view.current_streak.value.text() == "0 days"
        if store is not None:
            store.close()


def test_refresh_picks_up_a_new_session(qtbot: QtBot, tmp_path: Path, utc_local_time: None) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        view = view_of(qtbot, store)
        assert view.is_empty()
        write(store, Planned(MONDAY + timedelta(days=2)))
        view.refresh()
        assert not view.is_empty()
        assert view.pages.currentWidget() is not view.empty
        assert view.current_streak.value.text() == "1 day"


def test_selecting_a_session_shows_its_steps_and_checkin(qtbot: QtBot, store: HistoryStore) -> None:
    view = view_of(qtbot, store)
    view.show()
    view.sessions_table.selectRow(1)  # newest first: Monday's stopped Core session
    detail = view.detail
    assert view.selected_session().routine_name == "Core"  # type: ignore[union-attr]
    assert "Core" in detail.heading.text()
    assert detail.summary.text().startswith("Stopped in 2:30")
    assert "2 of 4 exercises done" in detail.summary.text()
    assert detail.checkin.text() == "Back pain 2 before, 6 after; effort 7 of 10"
    assert detail.advice.isVisible() and "doctor or physiotherapist" in detail.advice.text()
    assert detail.note.text() == "Note: sharp twinge"
    rows = [
        [detail.steps.topLevelItem(r).text(c) for c in range(4)]
        for r in range(detail.steps.topLevelItemCount())
    ]
    assert rows[0] == ["Cat-cow", "set 1", "1:00 of 1:00", ""]
    assert rows[2] == ["Bird dog", "set 1, left", "1:00 of 1:00", "stopped: pain"]
    assert rows[1][0] == "Rest"
    view.sessions_table.selectRow(3)  # Sunday's: no advice
    assert not detail.advice.isVisible()


def test_sorting_by_a_header_click(qtbot: QtBot, store: HistoryStore) -> None:
    view = view_of(qtbot, store)
    view.sessions_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = [view.sessions_model.index(r, 1).data() for r in range(6)]
    assert names == sorted(names)


def cli_output(app_paths: AppPaths, *options: str) -> bytes:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    args = argparse.Namespace(
        json="--json" in options, csv="--csv" in options, since=None, steps="--steps" in options
    )
    assert history_cli.run(args, app_paths, stdout=out, stderr=io.StringIO()) == 0
    out.flush()
    return out.buffer.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", [("csv", False), ("json", False), ("csv", True), ("json", True)])
def test_export_writes_what_the_command_line_prints(
    qtbot: QtBot,
    store: HistoryStore,
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, bool],
) -> None:
    form, steps = case
    target = app_paths.data_dir / f"export.{form}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    view = view_of(qtbot, store)
    view.include_steps.setChecked(steps)
    with qtbot.waitSignal(view.exported) as signal:
        if form == "csv":
            view.export_csv_button.click()
        else:
            view.export_json_button.click()
    assert signal.args == [str(target)]
    options = [f"--{form}"] + (["--steps"] if steps else [])
    assert target.read_bytes() == cli_output(app_paths, *options)
    assert b"'=HYPERLINK(1)" in target.read_bytes() or form == "json"


def test_a_cancelled_export_writes_nothing(
    qtbot: QtBot, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert view_of(qtbot, store).export("csv") is None


def test_an_unwritable_export_is_a_message(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing-folder" / "export.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    assert view_of(qtbot, store).export("csv") is None
    assert shown and str(target) in shown[0] and "No such file" in shown[0]


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in [
        (QPalette.ColorRole.Window, "#202329"),
        (QPalette.ColorRole.WindowText, "#E6E6E6"),
        (QPalette.ColorRole.Base, "#17191D"),
        (QPalette.ColorRole.Text, "#E6E6E6"),
        (QPalette.ColorRole.Button, "#2B2F36"),
        (QPalette.ColorRole.ButtonText, "#E6E6E6"),
    ]:
        palette.setColor(role, QColor(colour))
    return palette


def test_screenshots_with_three_months_in_light_and_dark(
    qtbot: QtBot, tmp_path: Path, utc_local_time: None
) -> None:
    store = realistic_history(tmp_path / "realistic.sqlite3")
    try:
        for name, palette in (("light", QApplication.palette()), ("dark", dark_palette())):
            view = view_of(qtbot, store)
            view.setPalette(palette)
            view.show()
            view.sessions_table.selectRow(0)
            image = view.grab().toImage()
            path = tmp_path / f"history-{name}.png"
            assert image.save(str(path))
            assert not view.is_empty()
            assert view.heat_map.active_day_count() > 40
            assert any(bar.minutes > 0 for bar in view.weekly_chart.bars())
            assert len(view.pain_chart.marks("before")) > 30
    finally:
        store.close()


@pytest.mark.parametrize("height", [640, 900])
def test_the_session_list_gets_room_for_several_rows(
    qtbot: QtBot, store: HistoryStore, height: int
) -> None:
    # 640 px is what the tab gets in the main window at its own size, 1100x720.
    view = view_of(qtbot, store)
    view.resize(1100, height)
    with qtbot.waitExposed(view):
        view.show()
    table = view.sessions_table
    rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows >= 6
    assert view.heat_map.height() >= view.heat_map.minimumSizeHint().height()


def test_the_export_is_written_off_the_window_thread(
    qtbot: QtBot, store: HistoryStore, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = app_paths.data_dir / "export.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    threads: list[threading.Thread] = []
    real = history_window.json_chunks

    def watched(rows: Iterator[ExportedSession], **options: Any) -> Iterator[str]:
        threads.append(threading.current_thread())
        yield from real(rows, **options)

    monkeypatch.setattr(history_window, "json_chunks", watched)
    view = view_of(qtbot, store)
    with qtbot.waitSignal(view.exported):
        assert view.export("json") == target
    assert threads and threads[0] is not threading.main_thread()
    assert target.read_bytes() == cli_output(app_paths, "--json")
    assert not target.with_name("export.json.partial").exists()


def test_cancelling_an_export_leaves_no_file(
    qtbot: QtBot, store: HistoryStore, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = app_paths.data_dir / "export.csv"
    target.write_bytes(b"an older export")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    go_on = threading.Event()

    def slow(rows: Iterator[ExportedSession], with_steps: bool) -> Iterator[str]:
        yield "first piece"
        go_on.wait(timeout=30)  # until the test has pressed Cancel
        yield "second piece"

    monkeypatch.setattr(history_window, "csv_chunks", slow)
    view = view_of(qtbot, store)
    exported: list[str] = []
    view.exported.connect(exported.append)
    view.export("csv")
    partial = target.with_name("export.csv.partial")
    qtbot.waitUntil(partial.exists)
    [dialog] = view.findChildren(QProgressDialog)
    [cancel] = dialog.findChildren(QPushButton)
    cancel.click()
    go_on.set()
    qtbot.waitUntil(lambda: not partial.exists())
    qtbot.waitUntil(lambda: not view.findChildren(QProgressDialog))
    assert target.read_bytes() == b"an older export"
    assert exported == []
