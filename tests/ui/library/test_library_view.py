"""The routine library: list, filter, details and errors (the view on its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.library import LibraryEntry, load_entry
from routine_timer.ui.library.view import LibraryView
from tests.helpers.routines import write_file

CORE = """\
name: Core basics
description: Two short planks.
tags: [core, short]
prepare: 5s
rest: 10s
exercises:
  - name: Front plank
    time: 30s
    sets: 2
  - name: Squat
    reps: 10
"""

STRETCH = """\
name: Evening stretch
tags: [mobility]
prepare: 0
exercises:
  - name: Hamstring stretch
    time: 1m
    sides: both
"""

BROKEN = """\
name: Broken
exercises:
  - name: Plank
    time: soon
"""


@pytest.fixture
def entries(tmp_path: Path) -> list[LibraryEntry]:
    return [
        load_entry(write_file(tmp_path / "core.yaml", CORE), bundled=True),
        load_entry(write_file(tmp_path / "stretch.yaml", STRETCH)),
        load_entry(write_file(tmp_path / "broken.yaml", BROKEN)),
    ]


@pytest.fixture
def view(qtbot: QtBot, entries: list[LibraryEntry]) -> LibraryView:
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_entries(entries)
    return view


def listed(view: LibraryView) -> list[tuple[str, ...]]:
    proxy = view.proxy
    return [
        tuple(proxy.index(row, column).data() for column in range(proxy.columnCount()))
        for row in range(proxy.rowCount())
    ]


def test_entries_are_listed_with_total_time_and_tags(view: LibraryView, tmp_path: Path) -> None:
    rows = listed(view)
    # Sorted by name; an invalid file goes by its file name.
    assert rows == [
        ("⚠ broken.yaml", "invalid", "", "broken.yaml"),
        ("Core basics", "1:25 + 1 at your pace", "core, short", "bundled"),
        ("Evening stretch", "2:05", "mobility", "stretch.yaml"),
    ]
    # The whole path is in the tooltip (the errors, for a broken file).
    assert view.proxy.index(2, 3).data(Qt.ItemDataRole.ToolTipRole) == str(
        tmp_path / "stretch.yaml"
    )


def test_warnings_are_shown_beside_a_routine_that_can_start(qtbot: QtBot, tmp_path: Path) -> None:
    slip = load_entry(write_file(tmp_path / "slip.yaml", STRETCH.replace("1m", "1.30")))
    broken = load_entry(write_file(tmp_path / "broken.yaml", BROKEN + "    rest: 0.45\n"))
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_entries([slip, broken])
    warning = f"{tmp_path / 'slip.yaml'}:6:11: warning: 'time' is 1.3 seconds; did you mean"
    assert view.select_path(slip.path)
    assert view.start_button.isEnabled()
    assert view.summary.text().splitlines()[1].startswith(f"⚠ {warning}")
    tooltip = view.proxy.index(1, 0).data(Qt.ItemDataRole.ToolTipRole).splitlines()
    assert tooltip[0] == str(slip.path)
    assert tooltip[1].startswith(warning)
    assert view.select_path(broken.path)
    assert [line.split(": ")[1] for line in view.errors.toPlainText().splitlines()] == [
        "error",
        "warning",
    ]


def test_the_filter_matches_names_and_tags(view: LibraryView) -> None:
    view.filter.setText("stretch")
    assert [row[0] for row in listed(view)] == ["Evening stretch"]
    view.filter.setText("SHORT")
    assert [row[0] for row in listed(view)] == ["Core basics"]
    view.filter.setText("nothing like this")
    assert listed(view) == []
    view.filter.clear()
    assert len(listed(view)) == 3


def test_selection_shows_the_timeline_and_total(view: LibraryView) -> None:
    assert view.select_path(view.entries()[0].path)
    assert view.title.text() == "Core basics"
    assert view.description.text() == "Two short planks."
    assert view.summary.text() == (
        "1 minute 25 seconds + 1 untimed set at your own pace · 2 exercises · core, short"
    )
    assert "core, short" in view.summary.text()
    assert view.timeline_rows() == [
        ("0:00", "prepare", "0:05", "Get ready"),
        ("0:05", "work", "0:30", "Front plank - set 1 of 2"),
        ("0:35", "rest", "0:10", "Rest"),
        ("0:45", "work", "0:30", "Front plank - set 2 of 2"),
        ("1:15", "rest", "0:10", "Rest"),
        ("1:25", "manual", "your pace", "Squat"),
        ("", "", "1:25", "Total"),
    ]
    assert view.start_button.isEnabled()
    assert not view.edit_button.isEnabled()  # bundled: duplicate first
    assert view.duplicate_button.isEnabled()


def test_invalid_files_show_their_errors_and_cannot_start(
    qtbot: QtBot, view: LibraryView, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    assert view.select_path(broken)
    assert view.details_stack.currentWidget() is view.errors
    errors = view.errors.toPlainText()
    assert errors.startswith(f"{broken}:4:11: ")
    assert "cannot be started" in view.summary.text()
    assert not view.start_button.isEnabled()
    with qtbot.assertNotEmitted(view.startRequested):
        view.start_button.click()
        view._start_current()
    # The other routines are still fine.
    assert view.select_id("stretch")
    assert view.start_button.isEnabled()


def test_start_emits_the_selected_entry(qtbot: QtBot, view: LibraryView) -> None:
    view.select_id("stretch")
    with qtbot.waitSignal(view.startRequested, timeout=500) as blocker:
        view.start_button.click()
    assert blocker.args[0].id == "stretch"


def test_reload_keeps_the_selection(view: LibraryView, entries: list[LibraryEntry]) -> None:
    view.select_id("stretch")
    view.set_entries(list(reversed(entries)))
    assert view.current_entry() is not None
    assert view.current_entry().id == "stretch"
    assert view.title.text() == "Evening stretch"


def test_an_empty_library(qtbot: QtBot) -> None:
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_entries([])
    assert view.title.text() == "No routine selected"
    assert not view.start_button.isEnabled()
    assert view.current_entry() is None


def test_the_role_numbers_are_qts_user_roles() -> None:
    from routine_timer.ui.library.view import PATH_ROLE, SORT_ROLE, USER_ROLE

    assert Qt.ItemDataRole.UserRole == USER_ROLE
    assert Qt.ItemDataRole.UserRole < PATH_ROLE < SORT_ROLE


def test_the_filter_takes_any_text_literally(view: LibraryView) -> None:
    view.filter.setText("core, SH")
    assert [row[0] for row in listed(view)] == ["Core basics"]
    view.filter.setText("[(*")
    assert listed(view) == []


def test_a_view_finished_later_lists_the_same_and_sorts_once_finished(
    qtbot: QtBot, entries: list[LibraryEntry], tmp_path: Path
) -> None:
    html = load_entry(write_file(tmp_path / "html.yaml", CORE.replace(
        "description: Two short planks.", "description: <b>Two</b> short planks."
    )))  # fmt: skip
    view = LibraryView(finish_later=True)
    qtbot.addWidget(view)
    view.set_entries([*entries, html])
    names = [row[0] for row in listed(view)]
    assert names == sorted(names, key=lambda name: name.lstrip("⚠ ").casefold())
    assert not view.table.isSortingEnabled()

    view.finish_setup()
    assert view.table.isSortingEnabled()
    assert view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert [row[0] for row in listed(view)] == names
    assert view.select_path(html.path)
    assert view.description.textFormat() == Qt.TextFormat.PlainText
    assert view.description.text() == "<b>Two</b> short planks."
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert listed(view)[0][1] == "2:05"


def test_file_names_that_are_not_utf8_are_shown_and_can_be_chosen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.core.test_library import non_utf8_file

    good = non_utf8_file(tmp_path, b"caf\xe9", CORE.replace("Core basics", "Cafe core"))
    bad = non_utf8_file(tmp_path, b"caf\xe8", BROKEN)
    view = LibraryView()
    qtbot.addWidget(view)
    entries = [load_entry(good), load_entry(bad)]
    view.set_entries(entries)
    for entry in entries:
        assert view.select_path(entry.path)
        assert view.current_entry() == entry
    assert view.title.text() == "caf\ufffd.yaml"
    assert "caf\ufffd.yaml" in view.summary.text()
    names = {view.proxy.index(row, 0).data() for row in range(view.proxy.rowCount())}
    assert names == {"Cafe core", "\u26a0 caf\ufffd.yaml"}
    with qtbot.waitSignal(view.startRequested) as started:
        view.select_path(good)
        view.start_button.click()
    assert started.args == [entries[0]]
