"""A real session on the fake clock: the finish screen's suggestion, and its answer recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.model import Variant
from routine_timer.core.progression import Outcome
from routine_timer.core.redflags import Why
from routine_timer.paths import AppPaths
from routine_timer.ui.session.view import FinishView
from tests.helpers.window import WindowHarness

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

ROUTINE = """\
format: 2
name: Plank days
prepare: 3s
exercises:
  - name: Front plank
    time: 20s
    easier:
      name: Knee plank
"""


@pytest.fixture
def win(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> WindowHarness:
    harness = WindowHarness(qtbot, app_paths, tmp_path, {"plank-days": ROUTINE})
    harness.window.resize(1100, 720)
    return harness


def session(qtbot: QtBot, win: WindowHarness, before: int, after: int) -> FinishView:
    view = win.start("plank-days")
    qtbot.mouseClick(view.pain_before.button(before), Qt.MouseButton.LeftButton)
    finish = win.finish()
    qtbot.mouseClick(finish.pain_after.button(after), Qt.MouseButton.LeftButton)
    return finish


def leave(win: WindowHarness, finish: FinishView) -> None:
    finish.leave()
    assert win.window.session is None


def test_three_steady_sessions_suggest_a_step_up_and_the_tap_is_recorded(
    qtbot: QtBot, win: WindowHarness
) -> None:
    for _ in range(2):
        finish = session(qtbot, win, 2, 2)
        assert not finish.suggestion.isVisibleTo(finish)
        leave(win, finish)
    finish = session(qtbot, win, 2, 3)
    panel = finish.suggestion
    assert panel.isVisibleTo(finish)
    assert panel.text.text() == "3 sessions completed, back no worse: try 25 s front plank?"
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    [shown] = win.store().suggestions()
    third = win.store().sessions()[-1].id
    assert (shown.session_id, shown.outcome, shown.answer) == (third, Outcome.PROGRESS, "accepted")
    assert shown.change == "Front plank: 20 s to 25 s"
    assert not panel.accept_button.isEnabled() and "Accepted" in panel.status.text()


def test_pain_after_above_5_steps_back_and_the_next_session_starts_easier(
    qtbot: QtBot, win: WindowHarness
) -> None:
    finish = session(qtbot, win, 3, 4)
    assert not finish.suggestion.isVisibleTo(finish)
    qtbot.mouseClick(finish.pain_after.button(6), Qt.MouseButton.LeftButton)  # changed mind
    panel = finish.suggestion
    assert panel.text.text() == ("Pain after was 6 of 10: try Plank days, easier variations?")
    qtbot.mouseClick(panel.decline_button, Qt.MouseButton.LeftButton)
    assert win.store().suggestions()[0].answer == "declined"
    qtbot.mouseClick(finish.pain_after.button(6), Qt.MouseButton.LeftButton)  # cleared
    assert not panel.isVisibleTo(finish) and win.store().suggestions() == []
    qtbot.mouseClick(finish.pain_after.button(6), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    leave(win, finish)

    win.start("plank-days")
    assert win.window.session is not None
    assert set(win.window.session.choices.values()) == {Variant.EASIER}
    win.finish()
    [*_, (_record, steps)] = win.sessions()
    assert {step.exercise for step in steps if step.kind == "work"} == {"Knee plank"}


def test_high_pain_offers_the_warning_signs_and_a_yes_stops_progression(
    qtbot: QtBot, win: WindowHarness
) -> None:
    finish = session(qtbot, win, 2, 4)
    assert not finish.red_flags_button.isVisibleTo(finish)
    qtbot.mouseClick(finish.pain_after.button(7), Qt.MouseButton.LeftButton)
    assert finish.red_flags_button.isVisibleTo(finish)
    assert win.window.session is not None
    dialog = win.window.session.ask_red_flags()
    qtbot.mouseClick(dialog.buttons[("legs", True)], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons[("saddle", False)], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert "NHS 111" in dialog.advice.text() and dialog.isVisible()
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    [check] = win.store().red_flag_checks()
    assert (check.why, check.yes, check.answers["saddle"]) == (
        Why.PAIN_HIGH,
        frozenset({"legs"}),
        False,
    )
    assert finish.suggestion.suggestion is not None
    assert finish.suggestion.suggestion.outcome is Outcome.STOP
    assert "professional" in finish.suggestion.text.text()
