"""An open routine changed or deleted on disk by another program, with and without unsaved edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from routine_timer.ui.editor import window as editor_module
from routine_timer.ui.editor.context import unified_diff
from routine_timer.ui.editor.window import RoutineEditor
from tests.helpers.editor import open_editor

pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

SMALL = "name: Plank\nexercises:\n  - name: Plank\n    time: 30s\n"
THEIRS = "# a comment above\n" + SMALL.replace("30s", "45s")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "r.yaml"
    file.write_text(SMALL, encoding="utf-8")
    return file


@pytest.fixture
def editor(qtbot: QtBot, path: Path) -> RoutineEditor:
    return open_editor(qtbot, path, routines_dir=path.parent)


@pytest.fixture
def changed(editor: RoutineEditor, path: Path) -> RoutineEditor:
    """The editor with an unsaved line, its file changed on disk by another program since."""
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    editor.code.insertPlainText("# mine\n")
    path.write_text(THEIRS, encoding="utf-8")
    editor.follow_disk()
    return editor


def no_questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(editor_module.QMessageBox, "question", question)
    return asked


def test_without_unsaved_edits_it_reloads_and_keeps_the_cursor(
    qtbot: QtBot, editor: RoutineEditor, path: Path
) -> None:
    cursor = editor.code.textCursor()
    cursor.setPosition(SMALL.index("time") + 2)  # line 4, column 7
    editor.code.setTextCursor(cursor)
    path.write_text(THEIRS, encoding="utf-8")
    with qtbot.waitSignal(editor.checked, timeout=5000):
        editor.follow_disk()
    assert editor.text() == THEIRS and not editor.is_modified
    assert not editor.disk_message
    cursor = editor.code.textCursor()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (3, 6)
    editor.code.undo()  # the text before the reload is one Undo away
    assert editor.text() == SMALL


def test_with_unsaved_edits_it_asks_and_reload_takes_the_file(
    qtbot: QtBot, changed: RoutineEditor
) -> None:
    editor = changed
    assert editor.text().endswith("# mine\n")  # nothing is thrown away unasked
    assert "changed by another program" in editor.disk_message
    assert "r.yaml" in editor.disk_message
    assert editor.reload_button.isVisible() and editor.compare_button.isVisible()
    qtbot.mouseClick(editor.reload_button, Qt.MouseButton.LeftButton)
    assert editor.text() == THEIRS and not editor.is_modified
    assert not editor.disk_message


def test_keep_mine_keeps_the_text_and_saving_replaces_the_file(
    qtbot: QtBot, changed: RoutineEditor, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = changed
    asked = no_questions(monkeypatch)
    qtbot.mouseClick(editor.keep_button, Qt.MouseButton.LeftButton)
    assert not editor.disk_message and editor.text() == SMALL + "# mine\n"
    editor.follow_disk()  # the same change again: already answered
    assert not editor.disk_message
    assert editor.save()
    assert asked == []  # the question was answered by Keep mine
    assert path.read_text(encoding="utf-8") == SMALL + "# mine\n"
    editor.code.insertPlainText("# more\n")
    path.write_text(THEIRS, encoding="utf-8")
    editor.follow_disk()  # a new change asks again
    assert "changed by another program" in editor.disk_message


def test_compare_shows_a_diff_of_disk_and_editor(qtbot: QtBot, changed: RoutineEditor) -> None:
    editor = changed
    qtbot.mouseClick(editor.compare_button, Qt.MouseButton.LeftButton)
    dialogs = [d for d in editor.findChildren(QDialog) if d.isVisible()]
    assert len(dialogs) == 1
    view = dialogs[0].findChild(QPlainTextEdit, "diff")
    assert view is not None and view.isReadOnly()
    diff = view.toPlainText()
    assert diff.startswith("--- r.yaml (on disk)\n+++ r.yaml (here, not saved)\n")
    assert "\n-# a comment above\n" in diff and "\n-    time: 45s\n" in diff
    assert "\n+    time: 30s\n" in diff and "\n+# mine\n" in diff
    assert view.font() == editor.code.font()  # the fixed-width font of the text
    reload = dialogs[0].findChildren(type(editor.reload_button))
    qtbot.mouseClick(next(b for b in reload if "Reload" in b.text()), Qt.MouseButton.LeftButton)
    assert editor.text() == THEIRS and not editor.disk_message


def test_a_deleted_file_is_said_to_be_and_the_text_kept(
    qtbot: QtBot, editor: RoutineEditor, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = no_questions(monkeypatch)
    path.unlink()
    editor.follow_disk()
    assert "deleted" in editor.disk_message
    assert not editor.reload_button.isVisible()
    assert editor.text() == SMALL
    assert editor.is_modified  # closing asks: the text is nowhere else now
    assert editor.save()
    assert asked == [] and path.read_text(encoding="utf-8") == SMALL
    assert not editor.disk_message and not editor.is_modified


def test_unified_diff() -> None:
    assert unified_diff("a\n", "a\n", "r.yaml") == ""
    assert unified_diff("a", "b", "r.yaml").splitlines()[-2:] == ["-a", "+b"]
