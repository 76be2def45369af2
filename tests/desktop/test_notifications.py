"""Reminders as desktop notifications: on a real (private) session bus, and the fallbacks.

The notification server here is a QObject exported on one connection of a
private bus; the app's notifier talks to it on another. QtDBus delivers a
call to an exported slot only when the call's signature is the slot's, so
``Notify`` arriving at all proves it went out as ``susssasa{sv}i``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import ClassInfo, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from routine_timer.desktop.notifications import (
    ACTION_LATER,
    ACTION_OPEN,
    ACTION_START,
    OPEN_THE_APP,
    PATH,
    SERVICE,
    FreedesktopNotifier,
    LogNotifier,
    Notifier,
    TrayNotifier,
    create_notifier,
)
from tests.helpers.dbus import PrivateBus


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class FakeNotificationServer(QObject):
    """The parts of a notification server the app uses, recording every call."""

    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")

    def __init__(self, capabilities: list[str]) -> None:
        super().__init__()
        self.capabilities = capabilities
        self.notified: list[dict[str, object]] = []
        self.closed: list[int] = []

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        return self.capabilities

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(  # noqa: PLR0917 - the D-Bus method's arguments
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, object],
        expire_timeout: int,
    ) -> int:
        self.notified.append(
            {
                "app_name": app_name,
                "replaces_id": replaces_id,
                "app_icon": app_icon,
                "summary": summary,
                "body": body,
                "actions": list(actions),
                "hints": dict(hints),
                "expire_timeout": expire_timeout,
            }
        )
        return 40 + len(self.notified)

    @Slot("uint")
    def CloseNotification(self, notification: int) -> None:
        self.closed.append(notification)
        self.NotificationClosed.emit(notification, 3)


def _serve(bus: PrivateBus, capabilities: list[str]) -> tuple[FakeNotificationServer, object]:
    connection = bus.connect()
    server = FakeNotificationServer(capabilities)
    assert connection.registerService(SERVICE)
    assert connection.registerObject(
        PATH,
        server,
        QDBusConnection.RegisterOption.ExportAllSlots
        | QDBusConnection.RegisterOption.ExportAllSignals,
    )
    return server, connection


def _notifier(bus: PrivateBus, fallback: Notifier | None = None) -> FreedesktopNotifier:
    return FreedesktopNotifier(fallback or LogNotifier(), bus.address)


def test_notify_reaches_the_server_with_buttons_and_start_comes_back(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    server, _connection = _serve(session_bus, ["actions", "body"])
    notifier = _notifier(session_bus)
    qtbot.waitUntil(lambda: notifier.shows_actions is not None, timeout=5000)
    notifier.notify("Time for Daily core", "Still to do today: Daily core, it's 12 min.")
    qtbot.waitUntil(lambda: len(server.notified) == 1, timeout=10000)
    call = server.notified[0]
    assert call["app_name"] == "routine-timer"
    assert call["replaces_id"] == 0
    assert call["summary"] == "Time for Daily core"
    assert call["body"] == "Still to do today: Daily core, it's 12 min."
    assert call["actions"] == ["default", "Open", "start", "Start now", "later", "Later"]
    hints = call["hints"]
    assert isinstance(hints, dict)
    assert hints["desktop-entry"] == "routine-timer"
    assert call["expire_timeout"] == -1

    # The server's answer numbers the notification: its buttons reach the app,
    # another notification's do not.
    qtbot.waitUntil(lambda: notifier._id == 41, timeout=5000)
    chosen: list[str] = []
    notifier.actionInvoked.connect(chosen.append)
    server.ActionInvoked.emit(7, ACTION_START)  # someone else's
    server.ActionInvoked.emit(41, ACTION_START)
    qtbot.waitUntil(lambda: chosen == [ACTION_START], timeout=5000)
    # Only the server's own signals count: the same sent by anyone else is not heard.
    sent = session_bus.send(
        "--type=signal", PATH, f"{SERVICE}.ActionInvoked", "uint32:41", "string:later"
    )
    assert sent.returncode == 0, sent.stderr
    server.ActionInvoked.emit(41, "default")  # a click on the notification itself
    qtbot.waitUntil(lambda: chosen == [ACTION_START, ACTION_OPEN], timeout=5000)

    # A second reminder replaces the first; withdrawing closes it.
    notifier.notify("Time for Daily core", "Still to do today: Daily core.")
    qtbot.waitUntil(lambda: len(server.notified) == 2, timeout=10000)
    assert server.notified[1]["replaces_id"] == 41
    qtbot.waitUntil(lambda: notifier._id == 42, timeout=5000)
    notifier.withdraw()
    qtbot.waitUntil(lambda: server.closed == [42], timeout=10000)
    server.ActionInvoked.emit(42, ACTION_LATER)  # closed: no longer ours
    qtbot.wait(50)
    assert chosen == [ACTION_START, ACTION_OPEN]


def test_a_server_without_buttons_is_told_to_say_open_the_app(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    server, _connection = _serve(session_bus, ["body"])
    notifier = _notifier(session_bus)
    qtbot.waitUntil(lambda: notifier.shows_actions is False, timeout=5000)
    notifier.notify("Time for Daily core", "Still to do today: Daily core.")
    qtbot.waitUntil(lambda: len(server.notified) == 1, timeout=10000)
    assert server.notified[0]["actions"] == ["default", "Open"]
    assert server.notified[0]["body"] == f"Still to do today: Daily core. {OPEN_THE_APP}"


def test_without_a_server_the_fallback_shows_it(
    qtbot: QtBot, session_bus: PrivateBus, caplog: pytest.LogCaptureFixture
) -> None:
    fallback = LogNotifier()
    notifier = _notifier(session_bus, fallback)
    with caplog.at_level(logging.INFO, logger="routine_timer.desktop.notifications"):
        notifier.notify("Time for Daily core", "Still to do today: Daily core.")
        qtbot.waitUntil(lambda: fallback.shown != [], timeout=10000)
    assert fallback.shown == [("Time for Daily core", "Still to do today: Daily core.")]
    assert notifier.using_fallback
    notifier.notify("Again", "body")  # straight to the fallback now
    assert fallback.shown[-1] == ("Again", "body")


def test_without_a_session_bus_the_fallback_shows_it(qtbot: QtBot) -> None:
    fallback = LogNotifier()
    notifier = FreedesktopNotifier(fallback, "")
    assert notifier.using_fallback
    notifier.notify("Time for Daily core", "body")
    assert fallback.shown == [("Time for Daily core", "body")]


def test_a_bus_that_is_not_there_falls_back(qtbot: QtBot, tmp_path: Path) -> None:
    fallback = LogNotifier()
    notifier = FreedesktopNotifier(fallback, f"unix:path={tmp_path}/no-bus")
    qtbot.waitUntil(lambda: notifier.using_fallback, timeout=5000)
    notifier.notify("Time for Daily core", "body")
    assert fallback.shown == [("Time for Daily core", "body")]


def test_the_tray_says_to_open_the_app_and_a_click_opens_it(qtbot: QtBot) -> None:
    shown: list[tuple[str, str]] = []

    class Tray(QSystemTrayIcon):
        def showMessage(self, title: str, message: str, *_args: object) -> None:
            shown.append((title, message))

    tray = Tray()
    notifier = TrayNotifier(tray)
    chosen: list[str] = []
    notifier.actionInvoked.connect(chosen.append)
    notifier.notify("Time for Daily core", "Still to do today: Daily core.")
    assert shown == [("Time for Daily core", f"Still to do today: Daily core. {OPEN_THE_APP}")]
    tray.messageClicked.emit()
    assert chosen == [ACTION_OPEN]


def test_other_platforms_use_the_tray(qtbot: QtBot) -> None:
    tray = QSystemTrayIcon()
    assert isinstance(create_notifier(tray, "win32"), TrayNotifier)
    assert isinstance(create_notifier(None, "darwin"), LogNotifier)


def test_linux_uses_the_desktops_notifications_with_the_tray_behind(
    qtbot: QtBot, session_bus: PrivateBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.address)
    tray = QSystemTrayIcon()
    notifier = create_notifier(tray, "linux")
    assert isinstance(notifier, FreedesktopNotifier)
    assert not notifier.using_fallback
    assert isinstance(notifier._fallback, TrayNotifier)
    qtbot.waitUntil(lambda: notifier._bus.unique_name is not None, timeout=5000)


def test_a_notifier_let_go_is_freed_at_once(qtbot: QtBot, session_bus: PrivateBus) -> None:
    # Not left to the garbage collector, which could delete its socket in the middle of
    # that socket's own event, at any later moment.
    import gc
    import weakref

    notifier = _notifier(session_bus)
    with qtbot.waitSignal(notifier._bus.ready, timeout=5000):
        pass
    notifier.notify("Time for Daily core", "body")  # a call still waiting for its answer
    held = weakref.ref(notifier)
    gc.disable()
    try:
        del notifier
        assert held() is None
    finally:
        gc.enable()
