"""The routine editor on a file, shown and checked, ready for keys typed by a test."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from routine_timer.ui.editor.window import RoutineEditor


def open_editor(
    qtbot: QtBot, path: Path, text: str | None = None, *, routines_dir: Path | None = None
) -> RoutineEditor:
    """An editor on ``path`` (written with ``text`` first, if given), shown, its first check done.

    Closed at the end of the test without asking about unsaved changes.
    """
    if text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    editor = RoutineEditor(path, check_delay_ms=10, routines_dir=routines_dir)
    qtbot.addWidget(editor, before_close_func=lambda e: e.code.document().setModified(False))
    editor.resize(1100, 700)
    with qtbot.waitSignal(editor.checked, timeout=5000):
        editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_at_end(editor: RoutineEditor) -> None:
    """Put the cursor at the end of the text and the keyboard focus in it."""
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    editor.code.setFocus()
