"""The built-in routine editor: diagnostics, completion, live preview, saving, closing."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from routine_timer.cli.authoring import plan_json
from routine_timer.core import authoring, loader
from routine_timer.core.loader import RoutineFileError, parse_routine
from routine_timer.paths import bundled_routines_dir
from routine_timer.ui.editor import context as editor_context
from routine_timer.ui.editor import window as editor_module
from routine_timer.ui.editor.context import SCAN_LINES, completion_at, error_span
from routine_timer.ui.editor.highlighter import LIGHT, LONG_LINE, YamlHighlighter
from routine_timer.ui.editor.window import MAX_SHOWN_PROBLEMS, RoutineEditor
from tests.helpers.routines import timeline_of

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
    # The first check runs on a worker; its result is queued until the event loop runs.
    with qtbot.waitSignal(editor.checked, timeout=5000):
        pass
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
    assert [(line, col) for line, col, _ in expected] == [(11, 1), (16, 11)]
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
    assert item.text().startswith("Line 16, column 11: 'time': invalid duration '30S'")
    rect = editor.problems.visualItemRect(item)
    qtbot.mouseClick(editor.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert line_col(editor, editor.code.textCursor().position()) == (16, 11)


def test_errors_follow_the_typing(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    assert editor.diagnostics == ()
    with qtbot.waitSignal(editor.checked, timeout=2000):
        editor.set_text(SMALL.replace("time", "tiem"))
    # The near miss alone: not also "an exercise needs 'time' or 'reps'".
    assert [(d.line, d.col) for d in editor.diagnostics] == [(4, 5)]
    assert editor.problems.count() == 1
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
    assert error_span("    hodl   : 5", 4) == 4  # the key, not the spaces before its colon
    assert error_span("name: Front" + " " * 30_000 + "plank", 6) == 30_010


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


class CountingLines(Sequence[str]):
    """A list of lines that counts which of them are read."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.read: set[int] = set()

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        self.read.add(index)
        return self.lines[index]


def test_completion_reads_only_the_lines_near_the_cursor() -> None:
    exercise = ["  - name: A", "    time: 30s", "    cues:", "      - Breathe"]
    # 400 exercises: the context is found, however far up 'exercises:' is.
    lines = CountingLines(["name: X", "exercises:", *exercise * 400, "  - name: B", "    ti"])
    completion = completion_at(lines, len(lines) - 1, 6)
    assert completion is not None and completion.matching == ("time",)
    top = CountingLines(["name: X", "exercises:", *exercise * 400, "re"])
    completion = completion_at(top, len(top) - 1, 2)
    assert completion is not None and completion.matching == ("rest",)
    # 25,000: the keystroke reads a window around the cursor, not the document.
    for last in ("    ti", "re"):
        huge = CountingLines(["name: X", "exercises:", *exercise * 25_000, last])
        completion_at(huge, len(huge) - 1, len(last))
        assert 0 < len(huge.read) <= 2 * SCAN_LINES + 1


def test_a_keystroke_never_copies_the_whole_text(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.show()
    qtbot.waitExposed(editor)
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    editor.code.setFocus()
    copies: list[int] = []
    real_text = RoutineEditor.text
    monkeypatch.setattr(RoutineEditor, "text", lambda self: copies.append(1) or real_text(self))
    qtbot.keyClicks(editor.code, "    si")
    assert editor.code.completer.popup().isVisible()
    assert copies == []  # only the check, after typing pauses, takes a copy


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
    assert editor.code.completer.completionCount() == 15  # exercise keys but name, time


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
    plan = plan_json(timeline_of(text, path))
    assert editor.preview_total_seconds == plan["total_seconds"]
    assert editor.preview.topLevelItemCount() == len(plan["steps"])
    last = editor.preview.topLevelItem(len(plan["steps"]) - 1)
    # The step's title, after the name of the block it starts, if any.
    assert last.text(3).endswith(plan["steps"][-1]["title"])
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
    editor.follow_disk()  # nothing changed
    assert editor.text() == SMALL and not editor.is_modified and not editor.disk_message
    path.write_text(SMALL.replace("30s", "1m"), encoding="utf-8")
    with qtbot.waitSignal(editor.checked, timeout=5000):
        editor.follow_disk()
    assert editor.text() == SMALL.replace("30s", "1m") and not editor.is_modified
    assert editor.preview_total_seconds == 70
    editor.set_text(SMALL + "# mine\n")
    path.write_text(SMALL, encoding="utf-8")
    editor.follow_disk()  # unsaved work is never thrown away
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
    assert editor.preview_total_seconds == 158


def test_tooltip_point_outside_text(qtbot: QtBot, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    editor.show()
    qtbot.waitExposed(editor)
    point = QPoint(5, editor.code.viewport().height() - 5)
    event = QHelpEvent(QEvent.Type.ToolTip, point, editor.code.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.code.viewport(), event)
    assert not QToolTip.isVisible()


# --- highlighting ---------------------------------------------------------------


def coloured(document: QTextDocument, line: int) -> list[tuple[int, int, str]]:
    """(start, end, colour) of each coloured range on a line (0-based) of a document."""
    block = document.findBlockByNumber(line)
    return sorted(
        (r.start, r.start + r.length, r.format.foreground().color().name().upper())
        for r in block.layout().formats()
    )


def highlighted(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(text)
    YamlHighlighter(document)  # parented to the document, which keeps it
    return document


def test_keys_comments_and_text_are_coloured(qapp: QApplication) -> None:
    document = highlighted(
        'name: "Plank # 1"  # first\n  - hodl   : 5\ndescription: |\n  a # b\nrest: 5s\n'
    )
    assert coloured(document, 0) == [
        (0, 4, LIGHT.key),
        (6, 17, LIGHT.string),  # the '#' in quotes is text
        (19, 26, LIGHT.comment),
    ]
    # The key without the spaces before its colon.
    assert (4, 8, LIGHT.unknown_key) in coloured(document, 1)
    assert coloured(document, 3) == [(0, 7, LIGHT.string)]  # inside the '|' text
    assert coloured(document, 4) == [(0, 4, LIGHT.key), (6, 8, LIGHT.duration)]


def test_a_very_long_line_is_coloured_only_at_its_start(qapp: QApplication) -> None:
    """Past LONG_LINE characters a line stays plain, so typing in it costs what plain text does."""
    long_value = "Front" + " " * 30_000 + "plank"
    text = f"name: {long_value} # a comment far out\ndescription: |\n  text\n"
    document = highlighted(text)
    assert document.findBlockByNumber(0).text() == f"name: {long_value} # a comment far out"
    ranges = coloured(document, 0)
    assert (0, 4, LIGHT.key) in ranges
    assert max(end for _, end, _ in ranges) <= LONG_LINE
    # What follows is still read correctly.
    assert coloured(document, 2) == [(0, 6, LIGHT.string)]
    # A text block opened at the end of a long line is still followed.
    document = highlighted("description:" + " " * 5000 + "|\n  # not a comment\n")
    assert coloured(document, 1) == [(0, 17, LIGHT.string)]


def test_hostile_lines_are_shown_and_coloured_without_error(qapp: QApplication) -> None:
    lines = [
        "a" + " " * 30_000 + "x",
        "x: {" + ", a" * 10_000,
        "- " * 15_000,
        '"' + "\\" * 30_000,
        "x: " + "&a " * 10_000,
        "name: " + "\U0001f4aa" * 30_000,
    ]
    document = highlighted("\n".join(lines))
    for number, line in enumerate(lines):
        assert document.findBlockByNumber(number).text() == line
        assert all(end <= 2 * LONG_LINE for _, end, _ in coloured(document, number))


# --- checking off the keystroke path ------------------------------------------


class RecordingParser:
    """Stands in for the loader's parse_routine: notes the text and thread, can hold a check."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        self.threads: list[threading.Thread] = []
        self.gate = threading.Event()
        self.gate.set()
        self.real = loader.parse_routine
        monkeypatch.setattr(loader, "parse_routine", self)

    def __call__(self, text: str, path: Path) -> object:
        self.texts.append(text)
        self.threads.append(threading.current_thread())
        assert self.gate.wait(10)
        return self.real(text, path)


def test_opening_and_typing_never_run_the_loader_on_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = RecordingParser(monkeypatch)
    path = tmp_path / "r.yaml"
    path.write_text(SMALL, encoding="utf-8")
    editor = RoutineEditor(path, check_delay_ms=10)
    qtbot.addWidget(editor, before_close_func=lambda e: e.code.document().setModified(False))
    assert editor.preview_total_seconds is None  # not checked while opening
    with qtbot.waitSignal(editor.checked, timeout=5000):
        pass
    assert editor.preview_total_seconds == 40
    editor.show()
    editor.code.moveCursor(QTextCursor.MoveOperation.End)
    before = len(parser.texts)
    with qtbot.waitSignal(editor.checked, timeout=5000):
        qtbot.keyClicks(editor.code, "# note")
        assert len(parser.texts) == before  # the keystrokes themselves never check
    assert parser.texts[-1].endswith("# note")
    assert threading.main_thread() not in parser.threads


def test_a_result_for_older_text_is_dropped(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    parser = RecordingParser(monkeypatch)
    parser.gate.clear()  # the next check waits until told
    totals: list[float | None] = []
    editor.checked.connect(lambda: totals.append(editor.preview_total_seconds))
    good, broken = SMALL.replace("30s", "1m"), SMALL.replace("30s", "30S")
    editor.set_text(good)
    editor.check_later()  # held at the gate, with the text that totals 70 s
    qtbot.waitUntil(lambda: len(parser.texts) == 1)
    editor.set_text(broken)  # typed meanwhile: that result is stale now
    parser.gate.set()
    with qtbot.waitSignal(editor.checked, timeout=5000):
        pass
    assert parser.texts == [good, broken]  # one more check, for the newest text
    assert totals == [None]  # 70 s was never shown
    assert len(editor.diagnostics) == 1 and "'30S'" in editor.diagnostics[0].message


def test_a_check_that_ends_after_the_editor_is_gone_is_dropped(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SMALL, encoding="utf-8")
    parser = RecordingParser(monkeypatch)
    parser.gate.clear()
    editor = RoutineEditor(path)  # not handed to qtbot: it is deleted here
    qtbot.waitUntil(lambda: len(parser.threads) == 1)
    shiboken6.delete(editor)
    parser.gate.set()
    parser.threads[0].join(10)
    assert not parser.threads[0].is_alive()
    QApplication.processEvents()  # nothing is delivered, and nothing is raised


def test_an_unexpected_failure_is_shown_and_logged(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(routine: object) -> object:
        raise ZeroDivisionError

    monkeypatch.setattr(editor_context, "build_timeline", broken)
    editor = make_editor(qtbot, tmp_path / "r.yaml", SMALL)
    assert [d.message for d in editor.diagnostics] == [
        "cannot check the file (internal error: ZeroDivisionError)"
    ]
    assert "ZeroDivisionError" in caplog.text


def test_a_file_full_of_mistakes_lists_the_first_ones(qtbot: QtBot, tmp_path: Path) -> None:
    text = SMALL + "".join(f"  - name: E{n}\n    tiem: 5\n" for n in range(600))
    editor = make_editor(qtbot, tmp_path / "r.yaml", text)
    assert editor.problems.count() == MAX_SHOWN_PROBLEMS
    assert len(editor.underlines()) == MAX_SHOWN_PROBLEMS
    assert editor._problems_label.text().startswith("600 problems; the first 500 are listed")


def test_a_file_over_the_size_limit_opens_read_only_and_plain(qtbot: QtBot, tmp_path: Path) -> None:
    filler = "# " + "x" * 78 + "\n"
    text = SMALL + filler * (loader.MAX_FILE_BYTES // len(filler) + 1)
    editor = make_editor(qtbot, tmp_path / "big.yaml", text)
    assert editor.read_only and editor.code.isReadOnly() and not editor.save_action.isEnabled()
    assert editor.text() == text  # all of it is shown
    status = editor.findChild(type(editor._status), "status").text()
    assert "at most 1 MiB" in status and "read-only" in status
    assert editor.diagnostics[0].message.startswith("the file is too large")
    assert coloured(editor.code.document(), 0) == []  # not coloured line by line
    assert coloured(editor.code.document(), 5) == []


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
        editor.follow_disk()
    assert editor.text() == SMALL and not editor.disk_message
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


def test_format_2_keys_are_known_keys(qapp: QApplication) -> None:
    document = highlighted(
        "blocks:\n  - rounds: 2\n    exercises:\n      - figure: x\n        say:\n"
        "          - left: 5s\n"
    )
    for line, start, end in ((0, 0, 6), (1, 4, 10), (3, 8, 14), (5, 12, 16)):
        assert (start, end, LIGHT.key) in coloured(document, line), line
