"""Reminders in the app: the window's scheduler on a fake wall clock and a recording notifier.

Over the bundled routines and a plan of the user's with ``remind: "18:30"``
(the warm-up at 07:00 on run days), chosen on Monday 2 March 2026. The
scheduler's own timer never fires here: the test moves the clock and looks
(``check()``), as the timer would, and reads what the timer was armed for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from routine_timer.core.reminders import SNOOZE
from routine_timer.desktop.notifications import (
    ACTION_LATER,
    ACTION_OPEN,
    ACTION_START,
    PATH,
    SERVICE,
    FreedesktopNotifier,
    LogNotifier,
)
from routine_timer.paths import AppPaths
from routine_timer.settings import REMIND_OFF, REMIND_OWN, Settings
from routine_timer.ui.main_window import MainWindow
from routine_timer.ui.reminders import MAX_WAIT
from routine_timer.ui.tray import KEPT_IN_TRAY, AppTray
from tests.desktop.test_notifications import _serve
from tests.helpers.clocks import FakeClock
from tests.helpers.dbus import PrivateBus
from tests.helpers.fakes import RecordingNotifier
from tests.helpers.routines import write_file
from tests.ui.today.test_today_window import record

# The offscreen platform has no window manager to raise a window or hint its size to.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))"
)

MONDAY = date(2026, 3, 2)
PLAN = """name: Evenings
start: 2026-03-02
weeks: 4
runs: [tue, thu, sat]
remind: "18:30"
routines:
  - routine: runners-daily-core
    when: daily
  - routine: runners-warm-up
    when: before-run
    remind: "07:00"
"""


def wall(day: date, at: str) -> datetime:
    hours, minutes = map(int, at.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=UTC)


class App:
    """The main window with reminders on a fake wall clock; ``restart`` opens it anew."""

    def __init__(self, qtbot: QtBot, paths: AppPaths, start: datetime) -> None:
        self.qtbot = qtbot
        self.paths = paths
        self.clock = FakeClock(wall_start=start)
        write_file(paths.routines_dir / "evenings.plan.yaml", PLAN)
        settings = Settings(paths.settings_file)
        settings.choose_plan("evenings", MONDAY)
        self.open()

    def now(self) -> datetime:
        return self.clock.wall().replace(tzinfo=None)

    def open(self) -> None:
        self.settings = Settings(self.paths.settings_file)
        self.window = MainWindow(
            self.paths,
            self.settings,
            clock=self.clock,
            today=lambda: self.now().date(),
            now=self.now,
        )
        window = self.window

        def stop(_window: object) -> None:
            if window.driver is not None:
                window.driver.stop()
            window._quitting = True  # the harness closes it for good

        self.qtbot.addWidget(window, before_close_func=stop)
        self.notifier = RecordingNotifier()
        window.attach_reminders(self.notifier)

    def restart(self) -> None:
        self.window._quitting = True
        self.window.close()
        self.open()

    def at(self, moment: datetime) -> list[tuple[str, str]]:
        """Move the wall clock to ``moment`` and look, as the timer would; what was shown."""
        self.clock.now += (moment - self.clock.wall()).total_seconds()
        assert self.window.reminders is not None
        before = len(self.notifier.shown)
        self.window.reminders.check()
        return self.notifier.shown[before:]

    @property
    def armed(self) -> datetime | None:
        assert self.window.reminders is not None
        return self.window.reminders.next_look


@pytest.fixture
def app(qtbot: QtBot, app_paths: AppPaths) -> App:
    return App(qtbot, app_paths, wall(MONDAY, "08:00"))


def test_a_reminder_comes_once_at_the_time(app: App) -> None:
    assert app.notifier.shown == []  # at 08:00, nothing yet
    assert app.armed == datetime(2026, 3, 2, 18, 30)
    timer = app.window.reminders.timer  # type: ignore[union-attr]
    assert timer.isActive() and timer.interval() == MAX_WAIT.total_seconds() * 1000
    assert app.at(wall(MONDAY, "18:29")) == []
    assert app.at(wall(MONDAY, "18:30")) == [
        ("Time for Runner's daily core", "Still to do today: Runner's daily core.")
    ]
    assert app.at(wall(MONDAY, "18:31")) == []
    assert app.at(wall(MONDAY, "23:59")) == []
    # Tuesday is a run day: the warm-up at its own time, then the core in the evening.
    assert app.armed == datetime(2026, 3, 3, 7, 0)
    assert app.at(wall(MONDAY + timedelta(days=1), "07:00")) == [
        ("Time for Runner's warm-up", "Still to do today: Runner's warm-up.")
    ]
    assert app.at(wall(MONDAY + timedelta(days=1), "18:30"))[0][0] == "Time for Runner's daily core"


def test_start_now_starts_the_routine_the_reminder_was_about(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    # Tuesday 07:00: the warm-up's own time. The core comes first in the plan, but
    # "Start now" on the warm-up's reminder starts the warm-up.
    app = App(qtbot, app_paths, wall(MONDAY + timedelta(days=1), "07:00"))
    assert [summary for summary, _ in app.notifier.shown] == ["Time for Runner's warm-up"]
    app.notifier.press(ACTION_START)
    assert app.window.session is not None
    assert app.window.session.routine_name == "Runner's warm-up"
    app.window.driver.stop()  # type: ignore[union-attr]


def test_no_reminder_once_the_days_work_is_done(app: App) -> None:
    record(app.paths, [(MONDAY, "runners-daily-core")])
    assert app.at(wall(MONDAY, "18:30")) == []
    assert app.at(wall(MONDAY, "21:00")) == []


def test_a_restart_after_the_time_reminds_once_and_not_again(
    qtbot: QtBot, app_paths: AppPaths
) -> None:
    app = App(qtbot, app_paths, wall(MONDAY, "18:45"))  # started after the time
    assert app.notifier.shown == [
        ("Time for Runner's daily core", "Still to do today: Runner's daily core.")
    ]
    app.restart()
    assert app.notifier.shown == []  # the new app knows it was shown today
    assert app.at(wall(MONDAY, "20:00")) == []
    assert app.armed == datetime(2026, 3, 3, 7, 0)


def test_start_now_shows_the_window_and_starts_the_next_routine(app: App) -> None:
    app.at(wall(MONDAY, "18:30"))
    app.notifier.press(ACTION_START)
    assert app.window.isVisible()
    assert app.window.session is not None
    assert app.window.session.routine_name == "Runner's daily core"
    app.window.driver.stop()  # type: ignore[union-attr]


def test_later_asks_again_after_the_snooze(app: App) -> None:
    app.at(wall(MONDAY, "18:30"))
    app.clock.advance(60)
    app.notifier.press(ACTION_LATER)
    assert app.armed == datetime(2026, 3, 2, 18, 31) + SNOOZE
    assert app.at(wall(MONDAY, "18:50")) == []
    again = app.at(wall(MONDAY, "19:01"))
    assert [summary for summary, _ in again] == ["Time for Runner's daily core"]
    # Later survives a restart too.
    app.notifier.press(ACTION_LATER)
    app.restart()
    assert app.at(wall(MONDAY, "19:20")) == []
    assert len(app.at(wall(MONDAY, "19:31"))) == 1


def test_a_click_on_the_reminder_shows_the_window(app: App) -> None:
    app.window.hide()
    app.notifier.press(ACTION_OPEN)
    assert app.window.isVisible()
    assert app.window.session is None


def test_the_runners_own_time_and_off(app: App) -> None:
    app.settings.remind = REMIND_OWN
    app.settings.reminder_time = time(12, 0)
    assert app.at(wall(MONDAY, "12:00"))[0][0] == "Time for Runner's daily core"
    assert app.at(wall(MONDAY, "18:30")) == []  # the plan's time no longer counts
    app.settings.remind = REMIND_OFF
    assert app.at(wall(MONDAY + timedelta(days=1), "18:30")) == []
    assert app.armed is None
    assert not app.window.reminders.timer.isActive()  # type: ignore[union-attr]


def test_a_settings_change_makes_it_look_again(app: App, qtbot: QtBot) -> None:
    app.clock.now += (wall(MONDAY, "13:00") - app.clock.wall()).total_seconds()
    app.settings.remind = REMIND_OWN
    app.settings.reminder_time = time(12, 0)  # already passed today: reminds at once
    qtbot.waitUntil(lambda: app.notifier.shown != [], timeout=2000)


def test_starting_a_routine_takes_the_reminder_away(app: App) -> None:
    app.at(wall(MONDAY, "18:30"))
    app.window.start_routine_id("runners-daily-core")
    assert app.notifier.withdrawn == 1
    app.window.driver.stop()  # type: ignore[union-attr]


def test_closing_the_window_keeps_the_app_in_the_tray_until_quit(app: App) -> None:
    said: list[tuple[str, str]] = []
    tray = AppTray(
        app.window.windowIcon(),
        show=app.window.bring_to_front,
        start_next=app.window.start_next,
        quit_app=app.window.quit_app,
        parent=app.window,
    )
    tray.say = lambda title, text: said.append((title, text))  # type: ignore[method-assign]
    app.window.tray = tray
    closed: list[bool] = []
    app.window.closedForGood.connect(lambda: closed.append(True))
    app.window.show()
    app.window.close()
    assert not app.window.isVisible() and closed == []
    assert [text for _, text in said] == [KEPT_IN_TRAY]
    assert app.settings.told_tray
    tray.show_action.trigger()
    assert app.window.isVisible()
    app.window.close()
    assert said == [said[0]]  # told once only
    tray.start_action.trigger()
    assert app.window.isVisible() and app.window.session is not None
    app.window.driver.stop()  # type: ignore[union-attr]
    app.window.back_to_library()
    tray.quit_action.trigger()
    assert closed == [True]
    assert not app.window.isVisible()


def test_with_reminders_off_closing_the_window_quits(app: App) -> None:
    app.window.tray = AppTray(
        app.window.windowIcon(),
        show=app.window.bring_to_front,
        start_next=app.window.start_next,
        quit_app=app.window.quit_app,
        parent=app.window,
    )
    app.settings.remind = REMIND_OFF
    closed: list[bool] = []
    app.window.closedForGood.connect(lambda: closed.append(True))
    app.window.show()
    app.window.close()
    assert closed == [True]


def test_start_now_from_a_real_notification_server_starts_the_routine(
    qtbot: QtBot, app_paths: AppPaths, session_bus: PrivateBus
) -> None:
    app = App(qtbot, app_paths, wall(MONDAY, "18:40"))
    server, _connection = _serve(session_bus, ["actions", "body"])
    notifier = FreedesktopNotifier(LogNotifier(), session_bus.address)
    app.settings.reminder_log = ""  # not shown yet today, as far as this app knows
    app.window.attach_reminders(notifier)
    qtbot.waitUntil(lambda: len(server.notified) == 1, timeout=10000)
    assert server.notified[0]["summary"] == "Time for Runner's daily core"
    qtbot.waitUntil(lambda: notifier._id == 41, timeout=5000)
    server.ActionInvoked.emit(41, ACTION_START)
    qtbot.waitUntil(lambda: app.window.session is not None, timeout=5000)
    assert app.window.session.routine_name == "Runner's daily core"  # type: ignore[union-attr]
    app.window.driver.stop()  # type: ignore[union-attr]
    assert PATH and SERVICE  # the server really was the desktop's notification service


def test_the_settings_dialog_says_when_the_plan_reminds(app: App, qtbot: QtBot) -> None:
    from PySide6.QtCore import QTimer

    seen: list[str] = []

    def look() -> None:
        dialog = app.window.settings_dialog
        assert dialog is not None
        seen.append(dialog.remind_note.text())  # type: ignore[attr-defined]
        dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(0, look)
    app.window.open_settings()
    assert seen == ["Evenings reminds at 18:30; Runner's warm-up at 07:00."]
    QApplication.processEvents()


def test_the_autostart_entry_follows_the_setting(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routine_timer.app import sync_autostart
    from routine_timer.desktop.autostart import FILE_NAME

    folder = tmp_path / "autostart"
    app.settings.start_at_login = True
    sync_autostart(app.settings, app.paths, folder)
    text = (folder / FILE_NAME).read_text(encoding="utf-8")
    assert "--tray" in text and str(app.paths.data_dir) in text
    app.settings.start_at_login = False
    sync_autostart(app.settings, app.paths, folder)  # at start-up: left as it is
    assert (folder / FILE_NAME).exists()
    sync_autostart(app.settings, app.paths, folder, turned_off=True)
    assert not (folder / FILE_NAME).exists()


@pytest.mark.parametrize("where", ["a file", "below a file"])
def test_a_start_at_login_entry_that_cannot_be_written_is_shown(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from routine_timer.app import _attach_reminders

    config = tmp_path / "config-file"
    config.write_text("not a folder")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config if where == "a file" else config / "x"))
    monkeypatch.setattr("routine_timer.desktop.autostart.unavailable_reason", lambda: None)
    _attach_reminders(app.window, app.settings, app.paths)
    assert app.window.notices.current is None  # off: nothing to write, nothing to say
    app.settings.start_at_login = True  # what the settings dialog does
    shown = app.window.notices.current
    assert shown is not None and shown.key == "autostart"
    assert shown.text.startswith(f"Start at login: cannot write {config}")
    assert "a file, not a folder" in shown.text
