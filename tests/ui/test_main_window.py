"""The main window: library to session to finish screen and back, with history written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionStatus
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings
from routine_timer.ui.editor.window import RoutineEditor
from routine_timer.ui.main_window import MainWindow
from tests.helpers.routines import write_file
from tests.helpers.window import WindowHarness

# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

TINY = """\
name: Tiny core
tags: [core, short]
prepare: 2s
rest: 3s
exercises:
  - name: Front plank
    time: 4s
    cues: [Keep a straight line]
  - name: Squat
    reps: 5
"""

STRETCH = """\
name: Evening stretch
tags: [mobility]
prepare: 0
exercises:
  - name: Hamstring stretch
    time: 5s
"""

BROKEN = """\
name: Broken
exercises:
  - name: Plank
    time: soon
"""


@pytest.fixture
def win(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> WindowHarness:
    """The main window on a fake clock, with tiny bundled routines."""
    return WindowHarness(qtbot, app_paths, tmp_path, {"tiny": TINY, "stretch": STRETCH})


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """QMessageBox.question answers Yes; warnings and information are recorded, never shown."""
    said: dict[str, list[str]] = {"question": [], "warning": [], "information": []}

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        said["question"].append(text)
        return QMessageBox.StandardButton.Yes

    def record(kind: str) -> object:
        def box(_parent: object, _title: str, text: str, *_args: object) -> object:
            said[kind].append(text)
            return QMessageBox.StandardButton.Ok

        return box

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    return said


def test_the_library_lists_bundled_and_user_routines(win: WindowHarness) -> None:
    write_file(win.paths.routines_dir / "broken.yaml", BROKEN)
    win.window.reload_library()
    library = win.window.library
    names = [library.proxy.index(row, 0).data() for row in range(library.proxy.rowCount())]
    assert names == ["⚠ broken.yaml", "Evening stretch", "Tiny core"]
    assert win.window.stack.currentWidget() is win.window.tabs
    assert library.select_path(win.paths.routines_dir / "broken.yaml")
    assert library.errors.toPlainText().startswith(
        f"{win.paths.routines_dir / 'broken.yaml'}:4:11: "
    )
    assert not library.start_button.isEnabled()


def test_start_runs_the_routine_to_the_finish_screen(win: WindowHarness, answers: dict) -> None:
    finished: list[object] = []
    win.window.sessionFinished.connect(finished.append)
    win.start("tiny")
    window = win.window
    assert window.stack.currentWidget() is window.session_view
    assert window.windowTitle() == "Tiny core - Routine timer"
    assert window.driver.status is SessionStatus.RUNNING
    assert window.session_view.heading.text() == "GET READY"
    win.clock.advance(2 + 4 + 3 + 20)
    window.driver.fire_due()
    assert window.session_view.heading.text() == "YOUR PACE"
    window.driver.mark_done()
    assert window.finish_view is not None
    assert window.stack.currentWidget() is window.finish_view
    assert window.finish_view.time_done.text() == "Time: 0:29"
    assert [event.completed for event in finished] == [True]

    [(record, steps)] = win.sessions()
    assert record.status == "completed"
    assert record.routine_id == "tiny"
    assert [(step.kind, step.exercise, step.skipped) for step in steps] == [
        ("prepare", None, False),
        ("work", "Front plank", False),
        ("rest", None, False),
        ("manual", "Squat", False),
    ]

    window.finish_view.backRequested.emit()
    assert window.stack.currentWidget() is window.tabs
    assert window.driver is None
    assert window.windowTitle() == "Routine timer"


def test_a_timed_routine_ends_by_itself(win: WindowHarness) -> None:
    win.start("stretch")
    win.run_to_end()
    assert win.window.finish_view is not None
    [(record, steps)] = win.sessions()
    assert record.status == "completed"
    assert record.active_seconds == pytest.approx(5)
    assert [step.kind for step in steps] == ["work"]


def test_enter_on_the_finish_screen_goes_back(qtbot: QtBot, win: WindowHarness) -> None:
    win.show()
    win.start("stretch")
    win.run_to_end()
    qtbot.waitUntil(win.window.finish_view.hasFocus)
    qtbot.keyClick(win.window.finish_view, Qt.Key.Key_Return)
    assert win.window.stack.currentWidget() is win.window.tabs


def test_esc_stops_and_returns_to_the_library(
    qtbot: QtBot, win: WindowHarness, answers: dict
) -> None:
    win.show()
    win.start("tiny")
    view = win.window.session_view
    qtbot.waitUntil(view.hasFocus)
    win.clock.advance(3)
    win.window.driver.fire_due()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert len(answers["question"]) == 1
    assert win.window.stack.currentWidget() is win.window.tabs
    assert win.window.driver is None
    [(record, steps)] = win.sessions()
    assert record.status == "stopped"
    assert [(step.kind, step.skipped) for step in steps] == [("prepare", False), ("work", True)]


def test_keys_reach_the_session_in_the_window(qtbot: QtBot, win: WindowHarness) -> None:
    win.show()
    win.start("tiny")
    view = win.window.session_view
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert win.window.driver.status is SessionStatus.PAUSED
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert win.window.driver.state().step.label == "Front plank"
    qtbot.keyClick(view, Qt.Key.Key_M)
    assert win.window.settings.muted


def test_mute_lasts_into_the_next_session_and_silences_the_player(
    qtbot: QtBot, win: WindowHarness, answers: dict
) -> None:
    from routine_timer.cues import create_cue_player
    from routine_timer.paths import assets_dir
    from tests.helpers.fakes import FakeSoundFactory

    sounds = FakeSoundFactory()
    settings = win.window.settings
    settings.voice = False
    player = create_cue_player(settings, assets_dir(), win.window, sound_factory=sounds)
    win.window.attach_services(player, None)
    win.start("stretch")
    assert sounds.played() == ["start.wav"]  # the first exercise begins at once
    win.window.session_view.mute_button.click()
    sounds.log.clear()
    win.window.session_view.stop_button.click()  # stopped, back to the library
    win.start("stretch")
    assert win.window.session_view.mute_button.text() == "Unmute (M)"
    win.run_to_end()
    assert sounds.played() == []


def test_reload_keeps_the_selection(win: WindowHarness) -> None:
    library = win.window.library
    library.select_id("tiny")
    write_file(
        win.paths.routines_dir / "aaa.yaml", STRETCH.replace("Evening", "Morning") + "id: aaa\n"
    )
    win.window.reload_library()
    assert library.current_entry().id == "tiny"
    assert library.title.text() == "Tiny core"
    names = [library.proxy.index(row, 0).data() for row in range(library.proxy.rowCount())]
    assert "Morning stretch" in names


def test_the_watcher_reloads_the_library(qtbot: QtBot, win: WindowHarness) -> None:
    library = win.window.library
    library.select_id("stretch")
    write_file(
        win.paths.routines_dir / "new.yaml", STRETCH.replace("Evening", "Noon") + "id: new\n"
    )
    qtbot.waitUntil(lambda: library.select_id("new") or False, timeout=5000)
    assert library.current_entry().id == "new"


def test_import_a_valid_file_and_an_invalid_one_to_fix(
    win: WindowHarness, tmp_path: Path, answers: dict, qtbot: QtBot
) -> None:
    good = write_file(
        tmp_path / "downloads" / "mine.yaml", STRETCH.replace("Evening", "My") + "id: mine\n"
    )
    bad = write_file(tmp_path / "downloads" / "bad.yaml", BROKEN)
    imported = win.window.import_files([good, bad])
    folder = win.paths.routines_dir
    assert imported == [folder / "mine.yaml", folder / "bad.yaml"]
    for source in (good, bad):
        assert (folder / source.name).read_bytes() == source.read_bytes()
    assert answers["warning"] == []
    # Listed with its problems, not startable, and open in the editor to be fixed.
    library = win.window.library
    entry = library.current_entry()
    assert entry is not None and entry.path == folder / "bad.yaml" and not entry.valid
    assert any(":4:11:" in str(error) for error in entry.errors)
    assert not library.start_button.isEnabled()
    editors = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, RoutineEditor) and widget.isVisible()
    ]
    assert [editor.path for editor in editors] == [folder / "bad.yaml"]
    qtbot.waitUntil(lambda: bool(editors[0].diagnostics), timeout=5000)  # listed under the text


def test_import_refuses_a_file_it_cannot_read_as_text(
    win: WindowHarness, tmp_path: Path, answers: dict
) -> None:
    binary = tmp_path / "downloads" / "photo.yaml"
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    assert win.window.import_files([binary]) == []
    [refusal] = answers["warning"]
    assert "photo.yaml was not imported: it is not UTF-8 text" in refusal
    assert not (win.paths.routines_dir / "photo.yaml").exists()


def test_the_history_tab_opens_empty(win: WindowHarness) -> None:
    win.window.tabs.setCurrentIndex(1)
    assert win.window.history_view is not None
    assert win.window.tabs.currentWidget() is win.window.history_view
    assert win.window.history_view.is_empty()


def test_services_arriving_after_the_start_are_used(win: WindowHarness) -> None:
    from tests.helpers.fakes import FakeInhibitor, RecordingCuePlayer

    player = RecordingCuePlayer(win.clock)
    inhibitor = FakeInhibitor()
    win.start("stretch")
    # Sound and the screensaver inhibitor load after the window is on screen.
    win.window.attach_services(player, inhibitor)
    assert inhibitor.active
    win.run_to_end()
    # The opening announcement came before the player did; everything after reached it.
    assert player.texts() == ["3", "2", "1", "", "Routine complete"]
    assert inhibitor.actions() == ["inhibit", "release"]
    # The next session gets them from the start.
    win.window.finish_view.backRequested.emit()
    win.start("stretch")
    assert inhibitor.actions() == ["inhibit", "release", "inhibit"]
    win.window.driver.toggle()
    assert not inhibitor.active


@pytest.mark.parametrize("size", [(1100, 720), (800, 600)])
def test_every_bundled_routine_name_is_shown_whole_in_the_list(
    qtbot: QtBot, app_paths: AppPaths, size: tuple[int, int]
) -> None:
    window = MainWindow(app_paths, Settings(app_paths.settings_file))
    qtbot.addWidget(window)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    table = window.library.table
    # Item views keep this much space either side of a cell's text before eliding it.
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    names = [entry.name for entry in window.library.entries()]
    widest = max(table.fontMetrics().horizontalAdvance(name) for name in names)
    assert table.columnWidth(0) >= widest + margin
    if size == (1100, 720):
        # The list gets the width of its tags too: each tag reads whole, not "c…".
        tags = [tag for entry in window.library.entries() for tag in entry.routine.tags]
        longest_tag = max(table.fontMetrics().horizontalAdvance(tag + ",") for tag in tags)
        assert table.columnWidth(2) >= longest_tag + margin
    # Every column fits, the tags wrapping to a second line: nothing scrolls sideways.
    assert not table.horizontalScrollBar().isVisible()


def test_a_routines_folder_turned_into_a_file_is_said_in_plain_words(
    win: WindowHarness, tmp_path: Path, answers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.rmtree(win.paths.routines_dir)
    win.paths.routines_dir.write_text("")  # something replaced the folder with a file
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getText", lambda *args, **kwargs: ("Mine", True)
    )
    win.window.new_routine()
    good = write_file(tmp_path / "downloads" / "mine.yaml", STRETCH)
    assert win.window.import_files([good]) == []
    assert len(answers["warning"]) == 2
    for said in answers["warning"]:
        assert f"{win.paths.routines_dir}: it is a file, not a folder" in said
        assert "Errno" not in said


def test_an_import_that_fails_on_disk_is_said_in_plain_words(
    win: WindowHarness, tmp_path: Path, answers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routine_timer.core import authoring

    def full(path: Path, data: bytes, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(authoring, "atomic_write_bytes", full)
    good = write_file(tmp_path / "downloads" / "mine.yaml", STRETCH.replace("Evening", "My"))
    assert win.window.import_files([good]) == []
    [said] = answers["warning"]
    assert said == f"{win.paths.routines_dir / 'mine.yaml'}: the disk is full"
