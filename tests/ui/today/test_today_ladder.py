"""Today over the bundled plan's daily core ladder: the rung reached, its level, and the
pending suggestion with one tap to answer it, recorded where the finish screen records it."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.progression import Level, Outcome, Suggestion
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore
from routine_timer.ui.main_window import MainWindow
from tests.ui.screen_reading import clipped_texts, take

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


def session(store: HistoryStore, day: date, routine_id: str) -> int:
    noon = datetime(day.year, day.month, day.day, 12).astimezone()
    number = store.start_session(routine_id, routine_id, "", 60.0, started_at=noon)
    store.finish_session(number, "completed", 60.0, 0.0, ended_at=noon)
    return number


def step_up(number: int) -> Suggestion:
    return Suggestion(
        number,
        "runners-daily-core",
        Outcome.PROGRESS,
        "steady",
        "3 sessions completed, back no worse",
        Level("runners-daily-core", name="Runner's daily core"),
        target=Level("core-planks-40", name="Core: 40 s planks"),
    )


@pytest.fixture
def window(qtbot: QtBot, app_paths: AppPaths) -> MainWindow:
    settings = Settings(app_paths.settings_file)
    settings.choose_plan("runners-back-care", MONDAY)
    with HistoryStore(app_paths.history_db) as store:
        session(store, MONDAY, "runners-daily-core")
        last = session(store, MONDAY, "runners-daily-core")
        store.show_suggestion(step_up(last), last)
    shown = MainWindow(app_paths, settings, today=lambda: TUESDAY)

    def stop(_window: object) -> None:
        if shown.driver is not None:
            shown.driver.stop()

    qtbot.addWidget(shown, before_close_func=stop)
    shown.resize(1100, 720)
    shown.show()
    assert shown.today_view is not None
    qtbot.waitUntil(lambda: shown.today_view is not None and shown.today_view.progress is not None)
    return shown


def test_today_offers_the_pending_suggestion_and_accepting_moves_up_the_ladder(
    qtbot: QtBot, window: MainWindow
) -> None:
    today = window.today_view
    assert today is not None
    [panel] = today.suggestion_panels.values()
    assert panel.text.text() == (
        "After your last session: 3 sessions completed, back no worse: try Core: 40 s planks?"
    )
    assert panel.accept_button.text() == "Yes, next time"
    # Before: the plan's start rung, level 3 of 5, and Start does it.
    assert today.start_button.text() == "Start  Runner's daily core"
    shot = take(qtbot, window, (1100, 720))
    assert clipped_texts(shot) == []
    folder = os.environ.get("ROUTINE_TIMER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shot.image.save(str(Path(folder) / "today-suggestion.png"))

    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    store = window.history_store()
    assert store is not None
    [shown] = store.suggestions()
    assert shown.answer == "accepted" and store.pending_suggestions() == []
    # Today reads the rung reached from the answer: no panel, the next rung to start.
    assert today.suggestion_panels == {}
    assert today.start_button.text() == "Start  Core: 40 s planks"
    assert today.next_routine == "core-planks-40"
    today.start_button.click()
    assert window.session is not None and window.session.routine_name == "Core: 40 s planks"


def test_declining_on_today_keeps_the_level_and_is_recorded(
    qtbot: QtBot, window: MainWindow
) -> None:
    today = window.today_view
    assert today is not None
    [panel] = today.suggestion_panels.values()
    qtbot.mouseClick(panel.decline_button, Qt.MouseButton.LeftButton)
    store = window.history_store()
    assert store is not None
    assert [record.answer for record in store.suggestions()] == ["declined"]
    assert today.suggestion_panels == {}
    assert today.start_button.text() == "Start  Runner's daily core"


def test_a_session_of_a_lower_rung_counts_for_the_day(qtbot: QtBot, app_paths: AppPaths) -> None:
    settings = Settings(app_paths.settings_file)
    settings.choose_plan("runners-back-care", MONDAY)
    with HistoryStore(app_paths.history_db) as store:
        session(store, TUESDAY, "core-knee-planks")
    window = MainWindow(app_paths, settings, today=lambda: TUESDAY)
    qtbot.addWidget(window)
    window.show()
    today = window.today_view
    assert today is not None
    qtbot.waitUntil(lambda: today.progress is not None)
    assert today.row_buttons["runners-daily-core"].text() == "Again"
