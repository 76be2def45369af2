"""The app opens on Today when a plan is chosen; the library offers the chooser otherwise.

Over the bundled routines and the bundled Runner's back-care plan, with a
fake today (Wednesday 4 March 2026, the plan chosen on Monday) and a history
written beforehand. Screenshots of Today and of the History tab's adherence
chart are kept when ``ROUTINE_TIMER_SCREENSHOTS`` names a folder.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from routine_timer.core.plan_file import scan_plans
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore
from routine_timer.ui.main_window import MainWindow
from routine_timer.ui.today.chooser import PlanChooser
from tests.helpers.routines import write_file
from tests.ui.screen_reading import clipped_texts, overlapping_texts, take

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

WEDNESDAY = date(2026, 3, 4)
MONDAY = date(2026, 3, 2)
DONE = [
    (MONDAY, "runners-daily-core"),
    (MONDAY, "lower-body-strength"),
    (MONDAY, "mobility-stretch"),
    (date(2026, 3, 3), "runners-daily-core"),
    (date(2026, 3, 3), "runners-warm-up"),
    (date(2026, 3, 3), "mobility-stretch"),
    (WEDNESDAY, "runners-daily-core"),
]


def record(paths: AppPaths, done: list[tuple[date, str]]) -> None:
    with HistoryStore(paths.history_db) as store:
        for day, routine in done:
            noon = datetime(day.year, day.month, day.day, 12).astimezone()
            number = store.start_session(routine, routine, "", 60.0, started_at=noon)
            store.finish_session(number, "completed", 60.0, 0.0, ended_at=noon)


def open_window(qtbot: QtBot, paths: AppPaths, settings: Settings) -> MainWindow:
    window = MainWindow(paths, settings, today=lambda: WEDNESDAY)

    def stop(_window: object) -> None:
        if window.driver is not None:
            window.driver.stop()

    qtbot.addWidget(window, before_close_func=stop)
    return window


def keep(window: MainWindow, qtbot: QtBot, name: str) -> None:
    shot = take(qtbot, window, (1100, 720))
    assert clipped_texts(shot) == []
    assert overlapping_texts(shot.top) == []
    folder = os.environ.get("ROUTINE_TIMER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shot.image.save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def chosen(app_paths: AppPaths) -> Settings:
    settings = Settings(app_paths.settings_file)
    settings.choose_plan("runners-back-care", MONDAY)
    record(app_paths, DONE)
    return settings


def test_the_app_opens_on_today_with_what_is_due(
    qtbot: QtBot, app_paths: AppPaths, chosen: Settings
) -> None:
    window = open_window(qtbot, app_paths, chosen)
    today = window.today_view
    assert today is not None
    assert window.tabs.currentWidget() is today and window.tabs.tabText(0) == "Today"
    window.show()
    qtbot.waitUntil(lambda: today.progress is not None)  # read after the first paint
    assert today.title.text() == "Runner's back-care plan"
    assert today.subtitle.text() == "Week 1 of 12 · Wed 4 Mar 2026"
    # Wednesday is a rest day of the plan: core (done) and mobility (to do).
    assert list(today.row_buttons) == ["runners-daily-core", "mobility-stretch"]
    assert today.row_buttons["runners-daily-core"].text() == "Again"
    assert today.start_button.text() == "Start  Mobility and stretch"
    assert today.streak_value.text() == "2"  # Monday and Tuesday; today not over
    assert [label.text() for label in today.day_labels[:3]] == [
        "Mon\nkept",
        "Tue\nkept",
        "Wed\nto do",
    ]
    keep(window, qtbot, "today")
    today.start_button.click()
    assert window.session is not None and window.session.routine_name == "Mobility and stretch"


def test_the_history_tab_shows_the_plans_weeks(
    qtbot: QtBot, app_paths: AppPaths, chosen: Settings
) -> None:
    window = open_window(qtbot, app_paths, chosen)
    window.show()
    qtbot.waitUntil(lambda: window.plan_progress is not None)
    window.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    history = window.history_view
    assert history is not None and history.adherence_box.isVisible()
    chart = history.adherence_chart
    assert chart.labels == [
        "Runner's daily core",
        "Lower-body strength",
        "Runner's warm-up",
        "Mobility and stretch",
        "Core pyramid (re-test)",
    ]
    week_1 = [(c.planned, c.done, c.current) for c in chart.cells() if c.week == 1]
    assert week_1 == [(7, 3, True), (2, 1, True), (3, 1, True), (7, 2, True)]
    assert len(chart.cells()) == 12 * 4 + 1  # the re-test in week 12 only
    assert chart.tooltip_at(chart.cells()[0].rect.center()) == (
        "Week 1 (from 2 Mar), Runner's daily core: 3 of 7 days done"
    )
    keep(window, qtbot, "history-plan")


def test_without_a_plan_the_library_is_home_and_offers_the_chooser(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    settings = Settings(app_paths.settings_file)
    window = open_window(qtbot, app_paths, settings)
    assert window.today_view is None and window.tabs.currentWidget() is window.library
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Routines", "History"]
    assert "Choose a &plan…" in [action.text() for action in window.toolbar.actions()]
    window.follow_plan("runners-back-care")
    assert window.today_view is not None and window.tabs.currentWidget() is window.today_view
    assert Settings(app_paths.settings_file).plan_chosen == WEDNESDAY
    assert window.today_view.subtitle.text() == "Week 1 of 12 · Wed 4 Mar 2026"
    window.follow_plan(None)
    assert window.today_view is None and window.tabs.currentWidget() is window.library
    assert Settings(app_paths.settings_file).plan is None


def test_the_chooser_lists_every_plan_and_refuses_a_broken_one(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    write_file(app_paths.routines_dir / "broken.plan.yaml", "name: Broken\nweeks: 0\n")
    entries = scan_plans(app_paths, {"runners-daily-core"})
    chooser = PlanChooser(entries, None)
    qtbot.addWidget(chooser)
    assert [chooser.list.item(row).text() for row in range(chooser.list.count())] == [
        "⚠ runners-back-care.plan.yaml",  # its routines are not all known here
        "⚠ broken.plan.yaml",
    ]
    assert chooser.select("broken") and not chooser.follow_button.isEnabled()
    assert "broken.plan.yaml:2:8: error:" in chooser.details.toPlainText()
    assert not chooser.none_button.isEnabled()  # no plan is followed yet


def test_the_chooser_names_the_routines_as_the_library_does(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    window = open_window(qtbot, app_paths, Settings(app_paths.settings_file))
    qtbot.waitUntil(lambda: window.library.entries() != [])
    QTimer.singleShot(0, lambda: window.plan_chooser and window.plan_chooser.reject())
    window.choose_plan()
    chooser = window.plan_chooser
    assert isinstance(chooser, PlanChooser)
    assert chooser.select("runners-back-care")
    details = chooser.details.toPlainText()
    assert "- Runner's daily core: every day" in details
    assert "- Lower-body strength: Mon, Fri" in details
    assert "runners-daily-core" not in details


def test_a_plan_that_cannot_be_used_says_why(qtbot: QtBot, app_paths: AppPaths) -> None:
    settings = Settings(app_paths.settings_file)
    settings.choose_plan("gone", MONDAY)
    window = open_window(qtbot, app_paths, settings)
    window.refresh_today()
    assert window.today_view is not None and window.today_view.progress is None
    assert "The plan 'gone' cannot be used" in window.today_view.message.text()
    assert not window.today_view.start_button.isEnabled()


def test_a_chosen_plan_broken_by_a_hand_edit_shows_its_errors(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    plan = app_paths.routines_dir / "back.plan.yaml"  # its id, 'mine', is not its file name
    write_file(
        plan, "id: mine\nname: Mine\nweeks: '12'\nroutines:\n  - routine: x\n    when: daily\n"
    )
    settings = Settings(app_paths.settings_file)
    settings.choose_plan("mine", MONDAY)
    window = open_window(qtbot, app_paths, settings)
    window.refresh_today()
    assert window.today_view is not None
    text = window.today_view.message.text()
    assert "The plan 'mine' cannot be used: its file has errors." in text
    assert f"{plan}:3:8: error: 'weeks' must be a whole number" in text
    assert "remove the quotes to make it a number" in text
    shot = take(qtbot, window, (1000, 700))
    assert clipped_texts(shot) == []
    if folder := os.environ.get("ROUTINE_TIMER_SCREENSHOTS"):
        shot.image.save(str(Path(folder) / "today-broken-plan.png"))


def test_a_chosen_day_no_calendar_reaches_is_as_none(qtbot: QtBot, app_paths: AppPaths) -> None:
    app_paths.settings_file.write_text("[plan]\nactive = runners-back-care\nchosen = 9999-12-31\n")
    window = open_window(qtbot, app_paths, Settings(app_paths.settings_file))
    window.refresh_today()
    assert window.today_view is not None and window.today_view.progress is not None
    assert window.today_view.progress.block.start == WEDNESDAY
