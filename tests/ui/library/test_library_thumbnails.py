"""The library shows a thumbnail of each exercise's figure beside the routine."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from routine_timer.core.library import load_entry
from routine_timer.paths import bundled_routines_dir
from routine_timer.ui.figure_view import FigurePanel
from routine_timer.ui.library.view import LibraryView


def test_each_exercise_of_the_selected_routine_has_a_thumbnail(qtbot: QtBot) -> None:
    entry = load_entry(bundled_routines_dir() / "runners-daily-core.yaml", bundled=True)
    assert entry.routine is not None
    view = LibraryView()
    qtbot.addWidget(view)
    view.set_entries([entry])
    assert view.thumbnails() == [exercise.name for exercise in entry.routine.exercises]
    panels = view.exercise_strip.findChildren(FigurePanel)
    assert [panel.frame().figure.name for panel in panels if panel.frame()] == [
        "front-plank",
        "side-plank",
        "russian-twist",
        "bird-dog",
        "bridge-march",
    ]


def test_thumbnails_wait_for_the_first_paint(qtbot: QtBot) -> None:
    # They are painted with PySide6's Qt namespace, which the first paint does without.
    entry = load_entry(bundled_routines_dir() / "glute-bridges.yaml", bundled=True)
    view = LibraryView(finish_later=True)
    qtbot.addWidget(view)
    view.set_entries([entry])
    assert view.thumbnails() == []
    view.finish_setup()
    assert view.thumbnails() == ["Glute bridge"]
