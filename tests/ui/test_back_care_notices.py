"""At a start: the warning-sign questions the very first time, the next-morning check after
a day with a session, and the step back after a stop for pain - each one tap, or skipped."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.plan import StepKind
from routine_timer.core.progression import Morning, Outcome
from routine_timer.core.redflags import Why
from routine_timer.paths import AppPaths
from tests.helpers.window import WindowHarness

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

ROUTINE = "format: 2\nname: Planks\nprepare: 3s\nexercises:\n  - name: Plank\n    time: 5s\n"


@pytest.fixture
def win(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> WindowHarness:
    return WindowHarness(qtbot, app_paths, tmp_path, {"planks": ROUTINE})


def done_today(win: WindowHarness) -> None:
    win.start("planks")
    win.finish().leave()


def test_the_first_start_offers_the_warning_signs_once(qtbot: QtBot, win: WindowHarness) -> None:
    notices = win.window.notices
    win.window.back_care_checks()
    assert notices.current is not None and notices.current.key == "red-flags"
    qtbot.mouseClick(notices.button("Not now"), Qt.MouseButton.LeftButton)
    [skipped] = win.store().red_flag_checks()
    assert (skipped.why, skipped.answered) == (Why.FIRST_START, False)
    assert notices.isHidden()
    win.window.back_care_checks()
    assert notices.current is None  # offered once, never again at each start


def test_a_notice_posted_during_a_session_waits_for_its_end(
    qtbot: QtBot, win: WindowHarness
) -> None:
    # `routine-timer start ID` opens on the session; the checks after the first paint
    # must not put the warning-sign questions over the session screen.
    win.show()
    win.start("planks")
    notices = win.window.notices
    win.window.back_care_checks()
    assert notices.current is not None and notices.current.key == "red-flags"
    assert not notices.isVisible()
    win.finish().leave()
    assert notices.isVisible() and notices.current.key == "red-flags"


def test_the_morning_after_a_session_asks_how_the_back_is(qtbot: QtBot, win: WindowHarness) -> None:
    win.store().record_red_flags(Why.FIRST_START, {"legs": False})
    done_today(win)
    today = win.only_session().started_at.astimezone().date()
    notices = win.window.notices
    win.window.back_care_checks(today)
    assert notices.current is None  # no session yesterday
    tomorrow = today + timedelta(days=1)
    win.window.back_care_checks(tomorrow)
    assert notices.current is not None
    assert notices.text.text() == "Your back this morning, compared with yesterday:"
    assert [button.text() for button in notices.buttons] == ["Better", "Same", "Worse", "Skip"]
    qtbot.mouseClick(notices.button("Worse"), Qt.MouseButton.LeftButton)
    assert win.store().morning(tomorrow) is Morning.WORSE
    win.window.back_care_checks(tomorrow)
    assert notices.current is None  # answered: asked once a day
    win.window.back_care_checks(tomorrow + timedelta(days=1))
    assert notices.current is None  # the day after the day after: no session yesterday


def test_a_skipped_morning_records_nothing(qtbot: QtBot, win: WindowHarness) -> None:
    win.store().record_red_flags(Why.FIRST_START, {})
    done_today(win)
    tomorrow = win.only_session().started_at.astimezone().date() + timedelta(days=1)
    win.window.back_care_checks(tomorrow)
    qtbot.mouseClick(win.window.notices.button("Skip"), Qt.MouseButton.LeftButton)
    assert win.store().morning(tomorrow) is None and win.window.notices.isHidden()


def test_a_stop_for_pain_suggests_a_step_back_in_the_bar(qtbot: QtBot, win: WindowHarness) -> None:
    view = win.start("planks")
    win.run_until(StepKind.WORK)
    view.stop_for_pain()
    notices = win.window.notices
    assert notices.current is not None and notices.current.key == "suggestion"
    assert notices.text.text().startswith("You stopped for pain: ease off")
    qtbot.mouseClick(notices.button("Yes, next time"), Qt.MouseButton.LeftButton)
    [shown] = win.store().suggestions()
    assert (shown.outcome, shown.rule, shown.answer) == (
        Outcome.STEP_BACK,
        "stopped-for-pain",
        "accepted",
    )
