"""Typing YAML in the routine editor: Enter keeps the indentation, Tab and Backspace use spaces."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from routine_timer.ui.editor.context import new_line_indent
from routine_timer.ui.editor.window import RoutineEditor
from tests.helpers.editor import open_editor

pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

SMALL = "name: Plank\nexercises:\n  - name: Plank\n    time: 30s\n"


@pytest.fixture
def editor(qtbot: QtBot, tmp_path: Path) -> RoutineEditor:
    editor = open_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.code.setFocus()
    return editor


def put_cursor(editor: RoutineEditor, line: int, column: int | None = None) -> None:
    """The cursor on a line (0-based), at a column or at the line's end."""
    block = editor.code.document().findBlockByNumber(line)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    if column is not None:
        cursor.setPosition(block.position() + column)
    editor.code.setTextCursor(cursor)


def lines(editor: RoutineEditor) -> list[str]:
    return editor.text().split("\n")


@pytest.mark.parametrize(
    ("before", "indent"),
    [
        ("name: Plank", 0),
        ("exercises:", 2),
        ("exercises:  # one per move", 2),
        ("  - name: Plank", 4),  # the next key of the same item
        ("  - ", 4),
        ("    say:", 6),
        ("  - say:", 6),
        ("      - Elbows under the shoulders", 6),  # a text item: the next item
        ("description: >-", 2),
        ("    ", 4),
        ('  - text: "Ready:"', 4),
    ],
)
def test_new_line_indent(before: str, indent: int) -> None:
    assert new_line_indent(before) == indent


def test_enter_keeps_the_indentation_and_opens_a_level_after_a_colon(
    qtbot: QtBot, editor: RoutineEditor
) -> None:
    put_cursor(editor, 3)  # "    time: 30s"
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "say:")
    qtbot.keyClick(editor.code, Qt.Key.Key_Escape)  # no completion wanted here
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "- at: 5s")
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "text: Hold it")
    assert lines(editor)[3:7] == [
        "    time: 30s",
        "    say:",
        "      - at: 5s",
        "        text: Hold it",
    ]
    assert "\t" not in editor.text()


def test_enter_in_the_middle_of_a_line_moves_the_rest_to_the_indentation(
    qtbot: QtBot, editor: RoutineEditor
) -> None:
    editor.set_text("exercises:\n  - name: Plank time: 30s\n")
    put_cursor(editor, 1, len("  - name: Plank"))
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    assert lines(editor)[1:3] == ["  - name: Plank", "    time: 30s"]
    editor.code.undo()  # one step undoes the whole Enter
    assert lines(editor)[1] == "  - name: Plank time: 30s"


def test_tab_inserts_spaces_to_the_next_level(qtbot: QtBot, editor: RoutineEditor) -> None:
    editor.set_text("a\n\n")
    put_cursor(editor, 1)
    qtbot.keyClick(editor.code, Qt.Key.Key_Tab)
    assert lines(editor)[1] == "  "
    qtbot.keyClicks(editor.code, " ")
    qtbot.keyClick(editor.code, Qt.Key.Key_Tab)
    assert lines(editor)[1] == "    "
    assert editor.code.textCursor().positionInBlock() == 4


def test_shift_tab_and_tab_move_the_selected_lines_by_one_level(
    qtbot: QtBot, editor: RoutineEditor
) -> None:
    put_cursor(editor, 2, 6)
    cursor = editor.code.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Down, QTextCursor.MoveMode.KeepAnchor)
    editor.code.setTextCursor(cursor)
    qtbot.keyClick(editor.code, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert lines(editor)[1:4] == ["exercises:", "- name: Plank", "  time: 30s"]
    qtbot.keyClick(editor.code, Qt.Key.Key_Tab)
    qtbot.keyClick(editor.code, Qt.Key.Key_Tab)
    assert lines(editor)[1:4] == ["exercises:", "    - name: Plank", "      time: 30s"]
    assert "\t" not in editor.text()
    put_cursor(editor, 0)  # one line without a selection: Shift+Tab leaves column 0 alone
    qtbot.keyClick(editor.code, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert lines(editor)[0] == "name: Plank"


def test_backspace_in_the_indentation_removes_one_level(
    qtbot: QtBot, editor: RoutineEditor
) -> None:
    editor.set_text("a\n     \n")
    put_cursor(editor, 1)
    qtbot.keyClick(editor.code, Qt.Key.Key_Backspace)
    assert lines(editor)[1] == "    "  # to a whole level first
    qtbot.keyClick(editor.code, Qt.Key.Key_Backspace)
    assert lines(editor)[1] == "  "
    qtbot.keyClicks(editor.code, "ab")
    qtbot.keyClick(editor.code, Qt.Key.Key_Backspace)
    assert lines(editor)[1] == "  a"  # past the indentation, one character as usual
