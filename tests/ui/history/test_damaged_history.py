"""The history view on a file with rows changed behind the app's back.

A session row that cannot be read shows as "Damaged" in its place, with what
is wrong; damaged steps and totals are named in the banner; an export leaves
them out, says which, and writes every other row as the command line does.
"""

from __future__ import annotations

import argparse
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from routine_timer.cli import history as history_cli
from routine_timer.paths import AppPaths
from routine_timer.storage.history import DamagedRow, HistoryStore
from routine_timer.ui.history.model import SESSION_ROLE, SessionColumn, SessionTableModel
from routine_timer.ui.history.window import HistoryView
from tests.storage.tampering import (
    HOSTILE_VALUES,
    TAMPERED,
    TAMPERED_STEPS,
    columns,
    tamper,
    write_history,
)
from tests.ui.history.history_data import utc_local_time

__all__ = ["utc_local_time"]
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")
ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole,
    SESSION_ROLE,
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "history.sqlite3"
    write_history(path)
    return path


@pytest.fixture
def history(app_paths: AppPaths, template: Path, utc_local_time: None) -> Path:
    shutil.copyfile(template, app_paths.history_db)
    return app_paths.history_db


@pytest.fixture
def opened(history: Path) -> Iterator[HistoryStore]:
    """The store, opened after the test has changed the file."""
    stores: list[HistoryStore] = []

    def open_it() -> HistoryStore:
        stores.append(HistoryStore(history))
        return stores[-1]

    yield open_it  # type: ignore[misc]
    for store in stores:
        store.close()


def every_cell(model: SessionTableModel) -> list[list[object]]:
    return [
        [model.index(row, column).data(role) for column in SessionColumn for role in ROLES]
        for row in range(model.rowCount())
    ]


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE sessions SET {column} = {value} WHERE id = {TAMPERED}"
        for column in columns("sessions")
        for value in HOSTILE_VALUES
    ],
)
def test_every_cell_of_the_table_can_be_shown(history: Path, opened, statement: str) -> None:
    tamper(history, statement)
    model = SessionTableModel(opened())
    assert model.rowCount() == 3
    every_cell(model)
    model.sort(SessionColumn.TIME, Qt.SortOrder.AscendingOrder)
    every_cell(model)
    damaged = [model.session_at(row) for row in range(3)]
    damaged = [row for row in damaged if isinstance(row, DamagedRow)]
    assert [row.id for row in damaged] in ([], [TAMPERED])


def test_a_damaged_session_shows_as_damaged_in_its_place(
    qtbot: QtBot, history: Path, opened
) -> None:
    assert tamper(history, f"UPDATE sessions SET planned_seconds = 'abc' WHERE id = {TAMPERED}")
    view = HistoryView(opened(), today=lambda: date(2026, 3, 10))
    qtbot.addWidget(view)
    view.show()
    model = view.sessions_model
    row = 1  # newest first: session 2 in the middle
    assert [model.index(row, c).data() for c in SessionColumn] == [
        "Tue 3 Mar 2026, 07:30", "Back care", "Damaged", "", "", "", "",
    ]  # fmt: skip
    assert model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "session 2 is damaged" in tip and "planned time is 'abc'" in tip
    view.sessions_table.selectRow(row)
    assert view.detail.heading.text() == "<b>Damaged session 2</b>"
    assert "planned time is 'abc'" in view.detail.summary.text()
    assert not view.detail.steps.isVisible()
    view.sessions_table.selectRow(0)  # the others are as they were
    assert view.detail.summary.text().startswith("Completed in 1:00")


def test_a_damaged_step_is_named_when_its_session_is_shown(
    qtbot: QtBot, history: Path, opened
) -> None:
    assert tamper(history, f"UPDATE steps SET ended_at = 'garbage' WHERE id = {TAMPERED_STEPS[0]}")
    view = HistoryView(opened(), today=lambda: date(2026, 3, 10))
    qtbot.addWidget(view)
    view.show()
    assert not view.banner.isVisible()
    view.sessions_table.selectRow(1)
    assert view.detail.steps.topLevelItemCount() == 1
    assert view.banner.isVisible()
    assert f"step {TAMPERED_STEPS[0]} of session {TAMPERED}" in view.banner.text()
    assert "end time is 'garbage'" in view.banner.text()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE daily_totals SET day = '<b>garbage</b>' WHERE day = '2026-03-03'",
        "UPDATE routine_totals SET last_started = 'garbage'",
        f"UPDATE sessions SET started_at = 'garbage' WHERE id = {TAMPERED}",
    ],
)
def test_damaged_totals_are_named_in_the_banner(
    qtbot: QtBot, history: Path, opened, statement: str
) -> None:
    assert tamper(history, statement)
    view = HistoryView(opened(), today=lambda: date(2026, 3, 10))
    qtbot.addWidget(view)
    assert not view.banner.isHidden()
    assert "the totals of" in view.banner.text()
    assert view.banner.textFormat() == Qt.TextFormat.PlainText  # values are never markup
    view.grab()


def cli_output(app_paths: AppPaths, *options: str) -> tuple[bytes, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    args = argparse.Namespace(
        json="--json" in options, csv="--csv" in options, since=None, steps="--steps" in options
    )
    assert history_cli.run(args, app_paths, stdout=out, stderr=err) == 0
    out.flush()
    return out.buffer.getvalue(), err.getvalue()  # type: ignore[attr-defined]


EXPORT_CASES = [
    (f"UPDATE sessions SET started_at = 'garbage' WHERE id = {TAMPERED}", "session 2"),
    (f"UPDATE sessions SET planned_seconds = 'abc' WHERE id = {TAMPERED}", "session 2"),
    (f"UPDATE sessions SET note = CAST(x'ff' AS TEXT) WHERE id = {TAMPERED}", "session 2"),
    (f"UPDATE sessions SET active_seconds = 9e999 WHERE id = {TAMPERED}", "session 2"),
    (f"UPDATE steps SET actual_seconds = -1 WHERE id = {TAMPERED_STEPS[0]}", "step 3"),
]


@pytest.mark.parametrize(
    "case", [(form, *tampering) for form in ("csv", "json") for tampering in EXPORT_CASES]
)
def test_an_export_leaves_damaged_rows_out_and_says_which(
    qtbot: QtBot,
    opened,
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, str, str],
) -> None:
    form, statement, label = case
    assert tamper(app_paths.history_db, statement)
    target = app_paths.data_dir / f"export.{form}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: warnings.append(text))
    view = HistoryView(opened(), today=lambda: date(2026, 3, 10))
    qtbot.addWidget(view)
    view.include_steps.setChecked(True)
    with qtbot.waitSignal(view.exported):
        view.export(form)
    [warning] = warnings
    assert str(target) in warning and label in warning and "left out" in warning
    expected, cli_err = cli_output(app_paths, f"--{form}", "--steps")
    assert target.read_bytes() == expected
    assert label in cli_err
