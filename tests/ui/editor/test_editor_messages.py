"""The editor's list of problems: long messages wrap, files are named inside the routines folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from routine_timer.ui.editor.window import RoutineEditor
from tests.helpers.editor import open_editor

pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

# One problem whose message is far wider than the list.
LONG = "name: X\nexercises:\n  - name: A\n    time: 30s\n    " + "x" * 120 + ": 1\n"


def editor_on(qtbot: QtBot, path: Path, routines_dir: Path) -> RoutineEditor:
    editor = open_editor(qtbot, path, LONG, routines_dir=routines_dir)
    editor.resize(700, 500)
    QApplication.processEvents()  # the list lays its rows out again for the new width
    return editor


def test_a_long_message_wraps_instead_of_being_cut(qtbot: QtBot, tmp_path: Path) -> None:
    editor = editor_on(qtbot, tmp_path / "r.yaml", tmp_path)
    problems = editor.problems
    assert problems.count() == 1
    item = problems.item(0)
    assert len(item.text()) > 120
    line_height = problems.fontMetrics().height()
    rect = problems.visualItemRect(item)
    assert rect.height() >= 2 * line_height  # on several lines
    assert rect.right() <= problems.viewport().width()
    assert problems.horizontalScrollBar().maximum() == 0


def test_files_are_named_inside_the_routines_folder(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    editor = editor_on(qtbot, folder / "physio" / "core.yaml", folder)
    tooltip = editor.problems.item(0).toolTip()
    assert tooltip.startswith("physio/core.yaml:5:5: error: ")
    assert str(tmp_path) not in tooltip
    assert editor.display_name == "physio/core.yaml"
    assert "physio/core.yaml" in editor.windowTitle()
    elsewhere = editor_on(qtbot, tmp_path / "other" / "r.yaml", folder)
    assert elsewhere.problems.item(0).toolTip().startswith("r.yaml:5:5: error: ")
