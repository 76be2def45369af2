"""The editor shows warnings apart from errors, and an id the library already holds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from routine_timer.ui.editor import window as editor_module
from routine_timer.ui.editor.window import RoutineEditor

pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

SLIP = "name: Plank\nexercises:\n  - name: Plank\n    time: 1.30\n    sets: 0\n"


def open_editor(
    qtbot: QtBot,
    path: Path,
    text: str,
    owners: Callable[[], Mapping[str, Path]] | None = None,
) -> RoutineEditor:
    path.write_text(text, encoding="utf-8")
    editor = RoutineEditor(path, check_delay_ms=10, id_owners=owners)
    qtbot.addWidget(editor, before_close_func=lambda e: e.code.document().setModified(False))
    with qtbot.waitSignal(editor.checked, timeout=5000):
        pass
    return editor


def underline_colours(editor: RoutineEditor) -> list[str]:
    return [
        selection.format.underlineColor().name()
        for selection in editor.code.extraSelections()
        if selection.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]


def test_warnings_are_amber_and_errors_red(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, tmp_path / "plank.yaml", SLIP)
    listed = [editor.problems.item(row) for row in range(editor.problems.count())]
    assert [item.text().split(": ", 1)[1][:9] for item in listed] == ["warning: ", "'sets' mu"]
    warning, error = (
        editor_module._WARNING_COLOUR.name(),
        editor_module._ERROR_COLOUR.name(),
    )
    assert warning != error
    assert [item.foreground().color().name() for item in listed] == [warning, error]
    assert underline_colours(editor) == [warning, error]
    assert editor.timeline is None


def test_a_file_with_only_warnings_keeps_its_preview(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, tmp_path / "plank.yaml", SLIP.replace("    sets: 0\n", ""))
    assert editor.timeline is not None
    assert [d.error.is_warning for d in editor.diagnostics] == [True]
    assert underline_colours(editor) == [editor_module._WARNING_COLOUR.name()]


def test_an_id_the_library_holds_is_an_error_at_its_line(qtbot: QtBot, tmp_path: Path) -> None:
    other = tmp_path / "core.yaml"
    text = "name: Mine\nid: core\nexercises:\n  - name: Plank\n    time: 30s\n"
    editor = open_editor(qtbot, tmp_path / "mine.yaml", text, lambda: {"core": other})
    assert [(d.line, d.col) for d in editor.diagnostics] == [(2, 1)]
    assert editor.diagnostics[0].message.startswith(f"id 'core' is already used by {other};")
    assert editor.timeline is None
    # The file that holds the id is no clash with itself.
    own = open_editor(qtbot, other, text, lambda: {"core": other})
    assert own.diagnostics == () and own.timeline is not None
