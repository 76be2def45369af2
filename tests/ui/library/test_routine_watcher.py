"""The routines folder watcher, with real files in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from routine_timer.ui.library.watcher import RoutineFolderWatcher

ROUTINE = "name: A\nexercises:\n  - name: A\n    time: 5\n"
TIMEOUT_MS = 5000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "routines"
    path.mkdir()
    return path


@pytest.fixture
def make_watcher(qtbot: QtBot) -> Iterator[Callable[[Path], RoutineFolderWatcher]]:
    made: list[RoutineFolderWatcher] = []

    def make(path: Path) -> RoutineFolderWatcher:
        watcher = RoutineFolderWatcher(path, delay_ms=20)
        made.append(watcher)
        return watcher

    yield make
    for watcher in made:
        watcher.stop()
        watcher.deleteLater()


def expect_change(qtbot: QtBot, watcher: RoutineFolderWatcher, action: Callable[[], None]) -> None:
    with qtbot.waitSignal(watcher.changed, timeout=TIMEOUT_MS):
        action()


def test_a_new_file_is_noticed(qtbot: QtBot, folder: Path, make_watcher) -> None:
    watcher = make_watcher(folder)
    expect_change(qtbot, watcher, lambda: (folder / "new.yaml").write_text(ROUTINE))
    assert folder / "new.yaml" in watcher.watched_paths()


def test_an_edit_in_place_is_noticed(qtbot: QtBot, folder: Path, make_watcher) -> None:
    path = folder / "r.yaml"
    path.write_text(ROUTINE)
    watcher = make_watcher(folder)
    assert path in watcher.watched_paths()

    def append() -> None:
        with open(path, "a", encoding="utf-8") as file:
            file.write("# more\n")

    expect_change(qtbot, watcher, append)
    # And the next edit too.
    expect_change(qtbot, watcher, append)


def test_a_deleted_file_is_noticed(qtbot: QtBot, folder: Path, make_watcher) -> None:
    path = folder / "r.yaml"
    path.write_text(ROUTINE)
    watcher = make_watcher(folder)
    expect_change(qtbot, watcher, path.unlink)
    assert path not in watcher.watched_paths()


def test_a_rename_is_noticed(qtbot: QtBot, folder: Path, make_watcher) -> None:
    path = folder / "r.yaml"
    path.write_text(ROUTINE)
    watcher = make_watcher(folder)
    expect_change(qtbot, watcher, lambda: path.rename(folder / "s.yml"))
    assert folder / "s.yml" in watcher.watched_paths()
    assert path not in watcher.watched_paths()


def test_saving_by_replace_keeps_watching_the_file(
    qtbot: QtBot, folder: Path, make_watcher
) -> None:
    """Editors that write a temporary file and rename it over the old one."""
    path = folder / "r.yaml"
    path.write_text(ROUTINE)
    watcher = make_watcher(folder)

    def save_by_rename(text: str) -> None:
        temp = folder / ".r.yaml.swp"
        temp.write_text(text)
        os.replace(temp, path)

    expect_change(qtbot, watcher, lambda: save_by_rename(ROUTINE + "# 1\n"))
    assert path in watcher.watched_paths()

    # In-place writes to the new file are still seen.
    def append() -> None:
        with open(path, "a", encoding="utf-8") as file:
            file.write("# 2\n")

    expect_change(qtbot, watcher, append)


def test_sub_folders_made_later_are_watched(qtbot: QtBot, folder: Path, make_watcher) -> None:
    watcher = make_watcher(folder)
    sub = folder / "group"
    expect_change(qtbot, watcher, sub.mkdir)
    assert sub in watcher.watched_paths()
    expect_change(qtbot, watcher, lambda: (sub / "r.yaml").write_text(ROUTINE))
    path = sub / "r.yaml"
    assert path in watcher.watched_paths()

    def append() -> None:
        with open(path, "a", encoding="utf-8") as file:
            file.write("# more\n")

    expect_change(qtbot, watcher, append)


def test_a_folder_that_does_not_exist_yet(qtbot: QtBot, tmp_path: Path, make_watcher) -> None:
    folder = tmp_path / "data" / "routines"
    watcher = make_watcher(folder)
    assert watcher.watched_paths() == {tmp_path}
    expect_change(qtbot, watcher, lambda: folder.mkdir(parents=True))
    assert folder in watcher.watched_paths()
    expect_change(qtbot, watcher, lambda: (folder / "r.yaml").write_text(ROUTINE))


def test_a_burst_of_changes_is_one_signal(qtbot: QtBot, folder: Path, make_watcher) -> None:
    watcher = make_watcher(folder)
    seen: list[int] = []
    watcher.changed.connect(lambda: seen.append(1))

    def burst() -> None:
        for index in range(5):
            (folder / f"r{index}.yaml").write_text(ROUTINE)
            # What Qt calls for each file event, straight away (no waiting on the disk).
            watcher._on_directory_changed(str(folder))

    expect_change(qtbot, watcher, burst)
    assert seen == [1]
    # The debounce timer is spent: nothing else is due, however long one waited.
    assert not watcher._timer.isActive()


def test_stopped_watcher_is_silent(folder: Path, make_watcher) -> None:
    watcher = make_watcher(folder)
    watcher.stop()
    assert watcher.watched_paths() == set()
    assert not watcher._timer.isActive()
