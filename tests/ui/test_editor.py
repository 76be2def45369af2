"""The built-in routine editor: diagnostics, completion, live preview, saving, closing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from routine_timer.cli import plan_json
from routine_timer.core import authoring
from routine_timer.core.loader import RoutineFileError, parse_routine
from routine_timer.core.plan import build_timeline
from routine_timer.paths import bundled_routines_dir
from routine_timer.ui import editor as editor_module
from routine_timer.ui.editor import RoutineEditor
from routine_timer.ui.editor_context import completion_at, error_span

# The offscreen platform says these when windows and tooltips are shown; they mean nothing here.
pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

CORE = (bundled_routines_dir() / "runners-daily-core.yaml").read_text(encoding="utf-8")
TWO_ERRORS = CORE.replace("    time: 30s\n    cues", "    time: 30S\n    cues", 1).replace(
    "prepare: 10s", "prepare: 10s\nrouds: 2"
)
SMALL = "name: Plank\nexercises:\n  - name: Plank\n    time: 30s\n"


def make_editor(
    qtbot: QtBot, path: Path, text: str | None = None, *, read_only: bool = False
) -> RoutineEditor:
    if text is not None:
        path.write_text(text, encoding="utf-8")
    editor = RoutineEditor(path, read_only=read_only, check_delay_ms=10)
    # Closed at the end of each test: unsaved changes would ask, and wait for an answer.
    qtbot.addWidget(editor, before_close_func=lambda e: e.code.document().setModified(False))
    editor.resize(1100, 700)
    return editor


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Answer the next questions with ``button``; returns the questions asked."""
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(editor_module.QMessageBox, "question", question)
    return asked


def loader_errors(text: str, path: Path) -> list[tuple[int, int, str]]:
    try:
        parse_routine(text, path)
    except RoutineFileError as failure:
        return [(e.line, e.col, e.message) for e in failure.errors]
    return []


def line_col(editor: RoutineEditor, position: int) -> tuple[int, int]:
    block = editor.code.document().findBlock(position)
    return block.blockNumber() + 1, position - block.position() + 1


# --- diagnostics --------------------------------------------------------------


def test_errors_are_underlined_where_the_loader_puts_them(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "core.yaml"
    editor = make_editor(qtbot, path, TWO_ERRORS)
    expected = loader_errors(TWO_ERRORS, path)
    assert [(line, col) for line, col, _ in expected] == [(11, 1), (15, 11)]
    underlines = editor.underlines()
    assert [(line_col(editor, start), message) for start, _, message in underlines] == [
        ((line, col), message) for line, col, message in expected
    ]
    # The whole key and the whole bad value are underlined.
    text = editor.text()
    assert [text[start:end] for start, end, _ in underlines] == ["rouds", "30S"]
    assert "did you mean 'rounds'?" in underlines[0][2]


def test_hovering_an_error_shows_its_message(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "core.yaml", TWO_ERRORS)
    editor.show()
    qtbot.waitExposed(editor)
    start, _, message = editor.underlines()[1]
    assert editor.tooltip_at(start + 1) == message
    assert editor.tooltip_at(0) == ""
    # A real tooltip event over the underlined text.
    cursor = QTextCursor(editor.code.document())
    cursor.setPosition(start + 1)
    point = editor.code.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, editor.code.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.code.viewport(), event)
    assert QToolTip.text() == message
    QToolTip.hideText()


def test_clicking_a_problem_moves_the_cursor_there(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "core.yaml", TWO_ERRORS)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.problems.count() == 2
    item = editor.problems.item(1)
    assert item.text().startswith("Line 15, column 11: 'time': invalid duration '30S'")
    rect = editor.problems.visualItemRect(item)
    qtbot.mouseClick(editor.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert line_col(editor, editor.code.textCursor().position()) == (15, 11)


def test_errors_follow_the_typing(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    assert editor.diagnostics == ()
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(SMALL.replace("time", "tiem"))
    assert [(d.line, d.col) for d in editor.diagnostics] == [(3, 5), (4, 5)]
    assert editor.problems.count() == 2
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(SMALL)
    assert editor.diagnostics == () and editor.underlines() == []


def test_positions_after_wide_characters(qtbot: QtBot, tmp_path: Path) -> None:
    """Qt counts an emoji as two units; the underline must still sit on the error."""
    text = "name: Plank \U0001f4aa\nexercises:\n  - name: \U0001f4aa\U0001f4aa\n    hodl: 5\n"
    editor = make_editor(qtbot, tmp_path / "r.yaml", text)
    spans = set()
    for start, end, _ in editor.underlines():
        cursor = QTextCursor(editor.code.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        spans.add(cursor.selectedText())
    assert spans == {"name", "hodl"}


def test_error_span_rules() -> None:
    assert error_span("    hodl: 5", 4) == 4
    assert error_span('  name: "a b" # c', 8) == 5
    assert error_span("tags: [a, 5]", 10) == 1
    assert error_span("  time: 30 S  # note", 8) == 4
    assert error_span("", 0) == 0


# --- completion ---------------------------------------------------------------


DOC = [
    "name: X",
    "re",
    "exercises:",
    "  - name: A",
    "    ti",
    "    say:",
    "      - at: 5",
    "        te",
    "  - na",
    "    sides: b",
]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (1, ("rest",)),  # top level
        (4, ("time",)),  # an exercise
        (7, ("text",)),  # a 'say' entry
        (8, ("name",)),  # a new exercise
        (9, ("both",)),  # the value of 'sides'
    ],
)
def test_completion_offers_keys_for_the_context(line: int, expected: tuple[str, ...]) -> None:
    completion = completion_at(DOC, line, len(DOC[line]))
    assert completion is not None
    assert tuple(sorted(completion.matching)) == expected


def test_completion_lists_by_context() -> None:
    top = completion_at(["name: X", ""], 1, 0)
    assert top is not None and "exercises" in top.candidates and "name" not in top.candidates
    assert "time" not in top.candidates
    exercise = completion_at(["exercises:", "  - name: A", "    "], 2, 4)
    assert exercise is not None and "time" in exercise.candidates
    assert "exercises" not in exercise.candidates and "name" not in exercise.candidates
    assert completion_at(["cues:", "  - Kee"], 1, 7) is None  # inside a list of texts
    assert completion_at(["name: Pla"], 0, 9) is None  # inside a value


def test_completion_popup_and_insertion(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.show()
    qtbot.waitExposed(editor)
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    editor.code.setFocus()
    qtbot.keyClicks(editor.code, "    si")
    popup = editor.code.completer.popup()
    assert popup.isVisible()
    assert editor.code.completer.currentCompletion() == "sides"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text().endswith("    sides: ")
    qtbot.keyClicks(editor.code, "a")
    assert editor.code.completer.currentCompletion() == "alternate"
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert editor.text().endswith("    sides: alternate")


def test_ctrl_space_offers_every_key(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL + "    \n")
    editor.show()
    qtbot.waitExposed(editor)
    cursor = editor.code.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.Up)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
    editor.code.setTextCursor(cursor)
    qtbot.keyClick(editor.code, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert editor.code.completer.popup().isVisible()
    assert editor.code.completer.completionCount() == 14  # exercise keys but name, time


# --- live preview -------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        *sorted(bundled_routines_dir().glob("*.yaml")),
        authoring.template_path(),
    ],
    ids=lambda path: path.name,
)
def test_preview_total_matches_routine_timer_plan(
    qtbot: QtBot, tmp_path: Path, source: Path
) -> None:
    text = source.read_text(encoding="utf-8")
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(text)
    plan = plan_json(build_timeline(parse_routine(text, path)))
    assert editor.preview_total_seconds == plan["total_seconds"]
    assert editor.preview.topLevelItemCount() == len(plan["steps"])
    first = editor.preview.topLevelItem(len(plan["steps"]) - 1)
    assert first.text(3) == plan["steps"][-1]["title"]
    assert f"({plan['total_seconds']} s)" in editor.findChild(type(editor._total), "total").text()


def test_preview_keeps_the_last_good_timeline_while_broken(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    assert editor.preview_total_seconds == 40
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(SMALL.replace("30s", "30S"))
    assert editor.preview_total_seconds is None
    assert editor.preview.topLevelItemCount() == 2 and not editor.preview.isEnabled()
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(SMALL.replace("30s", "1m"))
    assert editor.preview_total_seconds == 70 and editor.preview.isEnabled()


def test_typing_is_checked_once_it_pauses(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    checks: list[int] = []
    editor.checked.connect(lambda: checks.append(1))
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(editor.checked, timeout=2000):
        for char in "# a comment":
            editor.code.insertPlainText(char)
    assert checks == [1]


# --- saving -------------------------------------------------------------------


def test_save_keeps_the_text_exactly(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    original = "\ufeff# keep\r\nname: Plank\u00a0x  # odd  spacing\r\nexercises:\r\n"
    original += "  - {name: Plank, time: 30s}\r\n"
    path.write_bytes(original.encode("utf-8"))
    editor = make_editor(qtbot, path)
    editor.show()
    editor.activateWindow()
    qtbot.waitActive(editor)
    assert editor.save()
    assert path.read_bytes() == original.encode("utf-8")
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    editor.code.insertPlainText("# more\n")
    assert editor.is_modified
    saved: list[Path] = []
    editor.saved.connect(saved.append)
    editor.code.setFocus()
    qtbot.waitUntil(editor.code.hasFocus)
    qtbot.keyClick(editor.code, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved == [path]
    assert path.read_bytes() == (original + "# more\r\n").encode("utf-8")
    assert not editor.is_modified


def test_save_is_atomic(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    editor.set_text(SMALL + "# new\n")

    def interrupted(path: Path, text: str) -> None:
        def crash(temp: Path) -> None:
            raise OSError(28, "No space left on device")

        authoring.atomic_write_text(path, text, before_replace=crash)

    monkeypatch.setattr(editor_module, "atomic_write_text", interrupted)
    warned: list[str] = []
    monkeypatch.setattr(
        editor_module.QMessageBox, "warning", lambda parent, title, text: warned.append(text)
    )
    assert not editor.save()
    assert "the disk is full" in warned[0]
    assert path.read_text(encoding="utf-8") == SMALL
    assert os.listdir(tmp_path) == ["r.yaml"]
    assert editor.is_modified


def test_save_asks_before_overwriting_changes_made_elsewhere(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    editor.set_text(SMALL + "# mine\n")
    path.write_text(SMALL + "# theirs\n", encoding="utf-8")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not editor.save()
    assert asked and "changed by another program" in asked[0]
    assert path.read_text(encoding="utf-8").endswith("# theirs\n")
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    assert editor.save()
    assert path.read_text(encoding="utf-8").endswith("# mine\n")


def test_changes_made_elsewhere_are_followed_when_nothing_is_unsaved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    assert not editor.reload_if_unmodified()  # nothing changed
    path.write_text(SMALL.replace("30s", "1m"), encoding="utf-8")
    assert editor.reload_if_unmodified()
    assert editor.text() == SMALL.replace("30s", "1m") and not editor.is_modified
    assert editor.preview_total_seconds == 70
    editor.set_text(SMALL + "# mine\n")
    path.write_text(SMALL, encoding="utf-8")
    assert not editor.reload_if_unmodified()  # unsaved work is never thrown away
    assert editor.text().endswith("# mine\n")


def test_cursor_position_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.jump_to(SMALL.index("time") + 2)
    label = editor.findChild(type(editor._status), "position")
    assert label.text() == "Line 4, column 7"


def test_modified_indicator(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    status = editor.findChild(type(editor._status), "status")
    assert "unsaved" not in status.text() and not editor.isWindowModified()
    with qtbot.waitSignal(editor.modified_changed) as signal:
        editor.set_text(SMALL + "# x\n")
    assert signal.args == [True]
    assert "unsaved changes" in status.text() and editor.isWindowModified()
    editor.save()
    assert "unsaved" not in status.text() and not editor.isWindowModified()


# --- closing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "closes", "on_disk"),
    [
        (QMessageBox.StandardButton.Save, True, SMALL + "# x\n"),
        (QMessageBox.StandardButton.Discard, True, SMALL),
        (QMessageBox.StandardButton.Cancel, False, SMALL),
    ],
)
def test_closing_with_unsaved_changes_asks(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    button: QMessageBox.StandardButton,
    *,
    closes: bool,
    on_disk: str,
) -> None:
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    assert editor.maybe_close()  # nothing to ask yet
    editor.set_text(SMALL + "# x\n")
    asked = answer(monkeypatch, button)
    editor.show()
    assert editor.close() is closes
    assert len(asked) == 1 and "not saved" in asked[0]
    assert editor.isVisible() is not closes
    assert path.read_text(encoding="utf-8") == on_disk


def test_the_real_question_box(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.set_text(SMALL + "# x\n")
    seen: list[str] = []

    def click_cancel() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, click_cancel)
    assert not editor.maybe_close()
    assert seen and "not saved" in seen[0]


# --- bundled routines ---------------------------------------------------------


def test_bundled_routines_are_read_only(qtbot: QtBot) -> None:
    path = bundled_routines_dir() / "glute-bridges.yaml"
    before = path.read_bytes()
    editor = make_editor(qtbot, path, read_only=True)
    assert editor.code.isReadOnly() and not editor.save_action.isEnabled()
    assert not editor.save()
    requested: list[Path] = []
    editor.duplicate_requested.connect(requested.append)
    buttons = [b for b in editor.findChildren(type(editor._save_button)) if "Duplicate" in b.text()]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert requested == [path]
    assert editor.maybe_close()
    assert path.read_bytes() == before
    assert editor.preview_total_seconds == 160


def test_tooltip_point_outside_text(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.show()
    qtbot.waitExposed(editor)
    point = QPoint(5, editor.code.viewport().height() - 5)
    event = QHelpEvent(QEvent.Type.ToolTip, point, editor.code.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.code.viewport(), event)
    assert not QToolTip.isVisible()


# --- files that are hard to use ---------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_file_replaced_by_a_pipe_never_hangs_the_editor(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.test_authoring import pipe_writer

    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    path = tmp_path / "r.yaml"
    editor = make_editor(qtbot, path, SMALL)
    path.unlink()
    os.mkfifo(path)
    with pipe_writer(path):
        assert not editor.reload_if_unmodified()
    assert editor.text() == SMALL
    with pipe_writer(path):
        editor.set_text(SMALL + "# more\n")
        assert editor.save()  # the pipe is replaced by the file, not read
    assert asked == []
    assert path.read_text(encoding="utf-8") == SMALL + "# more\n"
    os.unlink(path)
    os.mkfifo(path)
    with pipe_writer(path):
        reopened = make_editor(qtbot, path)
    assert reopened.text() == ""
    assert reopened.read_only
    assert "not a regular file" in reopened._status.text()


def test_a_file_named_near_the_limit_can_be_saved(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(editor_module.QMessageBox, "warning", lambda *args: warned.append(args[2]))
    path = tmp_path / f"{'a' * 245}.yaml"  # 250 bytes: no room for a longer temporary name
    editor = make_editor(qtbot, path, SMALL)
    editor.set_text(SMALL + "# more\n")
    assert editor.save(), warned
    assert path.read_text(encoding="utf-8") == SMALL + "# more\n"
