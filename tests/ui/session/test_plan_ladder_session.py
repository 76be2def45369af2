"""Real sessions on the fake clock, started from Today, up and down a plan's ladder: the
finish screen suggests the plan's next rung, the answer is recorded, and Today then
shows and starts the rung reached (another routine, or the same with its variations)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.model import Variant
from routine_timer.paths import AppPaths
from routine_timer.ui.session.view import FinishView
from tests.helpers.routines import write_file
from tests.helpers.window import WindowHarness
from tests.ui.screen_reading import clipped_texts, take

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


def plank(name: str, seconds: int, easier: bool = False) -> str:
    variation = "    easier:\n      name: Knee plank\n" if easier else ""
    return (
        f"format: 2\nname: {name}\nprepare: 3s\nexercises:\n"
        f"  - name: Front plank\n    time: {seconds}s\n{variation}"
    )


ROUTINES = {
    "knees": plank("Knees", 20),
    "core": plank("Core", 30, easier=True),
    "core-plus": plank("Core plus", 40),
}
PLAN = """\
name: Ladder plan
weeks: 6
routines:
  - routine: core
    when: daily
    ladder:
      - knees
      - {routine: core, variations: easier}
      - core
      - core-plus
"""


@pytest.fixture
def win(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> WindowHarness:
    harness = WindowHarness(qtbot, app_paths, tmp_path, ROUTINES)
    write_file(tmp_path / "bundled" / "ladder.plan.yaml", PLAN)
    harness.window.resize(1100, 720)
    harness.window.follow_plan("ladder")
    assert harness.window.today_view is not None
    return harness


def from_today(qtbot: QtBot, win: WindowHarness, before: int, after: int) -> FinishView:
    """Press the Start (or Again) of Today's ladder row; rate pain; the finish screen."""
    today = win.window.today_view
    assert today is not None
    today.row_buttons["core"].click()
    driver = win.window.driver
    view = win.window.session_view
    assert driver is not None and view is not None
    driver.timer.timeout.disconnect(driver.fire_due)
    qtbot.mouseClick(view.pain_before.button(before), Qt.MouseButton.LeftButton)
    finish = win.finish()
    qtbot.mouseClick(finish.pain_after.button(after), Qt.MouseButton.LeftButton)
    return finish


def accept_and_leave(qtbot: QtBot, win: WindowHarness, finish: FinishView) -> None:
    qtbot.mouseClick(finish.suggestion.accept_button, Qt.MouseButton.LeftButton)
    finish.leave()
    assert win.window.session is None


def test_up_and_down_the_plans_ladder_from_today(qtbot: QtBot, win: WindowHarness) -> None:
    today = win.window.today_view
    assert today is not None
    assert today.row_titles["core"] == "Core"
    assert today.row_titles == {"core": "Core"}
    for _ in range(2):
        finish = from_today(qtbot, win, 2, 2)
        assert not finish.suggestion.isVisibleTo(finish)
        finish.leave()
    finish = from_today(qtbot, win, 2, 2)
    assert finish.suggestion.text.text() == "3 sessions completed, back no worse: try Core plus?"
    shot = take(qtbot, win.window, (1100, 720))
    assert clipped_texts(shot) == []
    folder = os.environ.get("ROUTINE_TIMER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shot.image.save(str(Path(folder) / "finish-plan-ladder.png"))
    accept_and_leave(qtbot, win, finish)
    [shown] = win.store().suggestions()
    assert (shown.target_routine, shown.answer) == ("core-plus", "accepted")
    assert today.row_titles["core"] == "Core plus"

    # Too much: pain after above 5 steps back to the rung below, the routine as written.
    finish = from_today(qtbot, win, 2, 6)
    assert win.window.session is not None and win.window.session.routine_name == "Core plus"
    assert finish.suggestion.text.text() == "Pain after was 6 of 10: try Core?"
    accept_and_leave(qtbot, win, finish)
    assert today.row_titles["core"] == "Core"

    # Again: the rung below is the same routine with its easier variations.
    finish = from_today(qtbot, win, 2, 6)
    assert finish.suggestion.text.text() == "Pain after was 6 of 10: try Core, easier variations?"
    accept_and_leave(qtbot, win, finish)
    assert today.row_titles["core"] == "Core, easier variations"
    finish = from_today(qtbot, win, 2, 2)
    assert win.window.session is not None
    assert set(win.window.session.choices.values()) == {Variant.EASIER}
    [*_, (_record, steps)] = win.sessions()
    assert {step.exercise for step in steps if step.kind == "work"} == {"Knee plank"}
    # Declined: the level stays.
    finish.leave()
    finish = from_today(qtbot, win, 2, 6)
    assert finish.suggestion.text.text() == "Pain after was 6 of 10: try Knees?"
    qtbot.mouseClick(finish.suggestion.decline_button, Qt.MouseButton.LeftButton)
    finish.leave()
    assert today.row_titles["core"] == "Core, easier variations"
    assert [s.answer for s in win.store().suggestions()] == [
        "accepted",
        "accepted",
        "accepted",
        "declined",
    ]
