"""Desktop notifications for reminders, with "Start now" and "Later" where the desktop can.

Three ways to show one, all with the same face (:class:`Notifier`):

- :class:`FreedesktopNotifier`: ``org.freedesktop.Notifications`` on the
  session bus (GNOME, KDE, Xfce, dunst, mako, ...), with the actions
  ``start`` ("Start now") and ``later`` ("Later"), or, on a server without
  the ``actions`` capability, a body that says to open the app;
- :class:`TrayNotifier`: the tray icon's balloon (``QSystemTrayIcon.showMessage``),
  the platform's way on Windows and macOS, and the fallback on Linux; a click
  on it opens the app;
- :class:`LogNotifier`: neither is there; the reminder is logged.

Every call on the bus is asynchronous. ``Notify`` and ``CloseNotification``
take a D-Bus ``uint32`` (``replaces_id``, the id), which PySide6's QtDBus cannot
put in a method call (a Python int goes out as ``int32`` and
``QDBusArgument << int`` writes a ``uint16``; servers check the signature and
refuse). Those two calls go through ``gdbus call`` in a ``QProcess`` instead,
which types its arguments from the server's own introspection; everything else
(the capabilities, the ``ActionInvoked`` and ``NotificationClosed`` signals)
stays on the app's QtDBus connection. Without ``gdbus`` (GLib's
``libglib2.0-bin``) or without a server, reminders fall back to the tray.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Sequence
from typing import Final

from PySide6.QtCore import SLOT, QObject, QProcess, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher
from PySide6.QtWidgets import QSystemTrayIcon

from routine_timer.paths import APP_NAME

_log = logging.getLogger(__name__)

ACTION_START: Final = "start"
"""The runner chose "Start now": start today's next routine."""
ACTION_LATER: Final = "later"
"""The runner chose "Later": ask again in a while."""
ACTION_OPEN: Final = "open"
"""The runner clicked the notification itself: show the app."""

SERVICE: Final = "org.freedesktop.Notifications"
PATH: Final = "/org/freedesktop/Notifications"
INTERFACE: Final = SERVICE
OPEN_THE_APP: Final = "Open the app to start."
"""Added to the body where a notification cannot carry buttons."""
_ID = re.compile(r"\(uint32 (\d+),\)")


class Notifier(QObject):
    """Shows one reminder at a time; says which action the runner chose."""

    actionInvoked = Signal(str)
    """:data:`ACTION_START`, :data:`ACTION_LATER` or :data:`ACTION_OPEN`."""

    name = "none"

    def __str__(self) -> str:
        return self.name

    def notify(self, summary: str, body: str) -> None:
        """Show the reminder (replacing the one shown before, if any)."""
        raise NotImplementedError

    def withdraw(self) -> None:
        """Take the reminder away, if it is still shown (the routine was started another way)."""


class LogNotifier(Notifier):
    """No notification service and no tray: the reminder goes to the log."""

    name = "log"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown: list[tuple[str, str]] = []

    def notify(self, summary: str, body: str) -> None:
        self.shown.append((summary, body))
        _log.info("reminder (no notification service, no tray): %s. %s", summary, body)


class TrayNotifier(Notifier):
    """The tray icon's message; a click on it opens the app (it has no buttons)."""

    name = "tray"

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray
        tray.messageClicked.connect(lambda: self.actionInvoked.emit(ACTION_OPEN))

    def notify(self, summary: str, body: str) -> None:
        self._tray.showMessage(
            summary, f"{body} {OPEN_THE_APP}", QSystemTrayIcon.MessageIcon.Information, 0
        )


def gvariant_text(text: str) -> str:
    """``text`` as a GVariant string literal for ``gdbus call``: quoted, nothing left to parse."""
    escaped = []
    for char in text:
        if char in "\\'":
            escaped.append("\\" + char)
        elif char.isprintable():
            escaped.append(char)
        else:
            escaped.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else " ")
    return "'" + "".join(escaped) + "'"


Starter = Callable[[QProcess, str, Sequence[str]], None]
"""Starts ``program`` with ``arguments`` in the given QProcess (tests may watch it)."""


def _start(process: QProcess, program: str, arguments: Sequence[str]) -> None:
    process.start(program, list(arguments))


class FreedesktopNotifier(Notifier):
    """``org.freedesktop.Notifications`` on ``connection``; ``fallback`` when it is not there.

    ``bus`` tells ``gdbus`` which bus ``connection`` is on: ``("--session",)``,
    or ``("--address", ADDRESS)`` for a bus of its own (the tests').
    """

    name = SERVICE

    def __init__(
        self,
        fallback: Notifier,
        connection: QDBusConnection | None = None,
        *,
        bus: Sequence[str] = ("--session",),
        gdbus: str | None = None,
        start: Starter = _start,
        icon: str = APP_NAME,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._connection = connection if connection is not None else QDBusConnection.sessionBus()
        self._fallback = fallback
        fallback.actionInvoked.connect(self.actionInvoked)
        self._bus = tuple(bus)
        # gdbus "" (or not found): none to use.
        self._gdbus = (shutil.which("gdbus") if gdbus is None else gdbus) or None
        self._start = start
        self._icon = icon
        self._id: int | None = None
        """The id of our notification on screen, as the server numbered it."""
        self._actions: bool | None = None
        """Whether the server shows buttons (None: not known yet)."""
        self._broken = self._gdbus is None or not self._connection.isConnected()
        self._processes: set[QProcess] = set()
        if self._gdbus is None:
            _log.info("reminders: gdbus is not installed; using the %s instead", fallback.name)
        if self._broken:
            return
        for signal, slot in (
            ("ActionInvoked", "_action_invoked(uint,QString)"),
            ("NotificationClosed", "_closed(uint,uint)"),
        ):
            # PySide6 takes the SLOT() text ("1" + signature), though its stubs say bytes.
            self._connection.connect(SERVICE, PATH, INTERFACE, signal, self, SLOT(slot))  # type: ignore[call-overload]
        message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "GetCapabilities")
        self._watcher = QDBusPendingCallWatcher(self._connection.asyncCall(message), self)
        self._watcher.finished.connect(self._got_capabilities)

    @property
    def using_fallback(self) -> bool:
        """Whether reminders go to the fallback (no server, or no way to reach it)."""
        return self._broken

    @property
    def shows_actions(self) -> bool | None:
        return self._actions

    def notify(self, summary: str, body: str) -> None:
        if self._broken:
            self._fallback.notify(summary, body)
            return
        assert self._gdbus is not None
        actions: list[str] = ["default", "Open"]
        if self._actions is False:
            body = f"{body} {OPEN_THE_APP}"
        else:
            actions += [ACTION_START, "Start now", ACTION_LATER, "Later"]
        hints = (
            f"{{'desktop-entry': <{gvariant_text(APP_NAME)}>, "
            "'category': <'x-routine-timer.reminder'>, 'urgency': <byte 1>}"
        )
        arguments = [
            gvariant_text(APP_NAME),
            str(self._id or 0),
            gvariant_text(self._icon),
            gvariant_text(summary),
            gvariant_text(body),
            "[" + ", ".join(gvariant_text(action) for action in actions) + "]",
            hints,
            "-1",
        ]
        self._call("Notify", arguments, lambda out: self._shown(out, summary, body))

    def withdraw(self) -> None:
        if self._broken or self._id is None:
            return
        notification, self._id = self._id, None
        self._call("CloseNotification", [str(notification)], lambda _out: None)

    # -- the bus ----------------------------------------------------------

    def _call(self, method: str, arguments: list[str], done: Callable[[str | None], None]) -> None:
        assert self._gdbus is not None
        process = QProcess(self)
        self._processes.add(process)

        def finished(code: int, _status: QProcess.ExitStatus) -> None:
            self._processes.discard(process)
            out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
            error = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            process.deleteLater()
            if code != 0:
                _log.info("reminders: %s failed (%s)", method, error.strip() or f"exit {code}")
                done(None)
            else:
                done(out)

        def failed(error: QProcess.ProcessError) -> None:
            if error is QProcess.ProcessError.FailedToStart:
                self._processes.discard(process)
                process.deleteLater()
                _log.info("reminders: gdbus could not be started")
                done(None)

        process.finished.connect(finished)
        process.errorOccurred.connect(failed)
        command = [
            "call",
            *self._bus,
            "--dest",
            SERVICE,
            "--object-path",
            PATH,
            "--method",
            f"{INTERFACE}.{method}",
            "--",
            *arguments,
        ]
        self._start(process, self._gdbus, command)

    def _shown(self, out: str | None, summary: str, body: str) -> None:
        match = _ID.search(out or "")
        if match is None:
            # No server (or it refused): the tray says it instead, now and from now on.
            _log.info(
                "reminders: no notification server answered; using the %s", self._fallback.name
            )
            self._broken = True
            self._fallback.notify(summary, body)
            return
        self._id = int(match[1])

    def _got_capabilities(self, watcher: QDBusPendingCallWatcher) -> None:
        reply = watcher.reply()
        watcher.deleteLater()
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            _log.info("reminders: %s is not there (%s)", SERVICE, reply.errorMessage())
            # Not broken yet: a server may start later (dunst on demand); Notify will tell.
            return
        arguments = reply.arguments()
        capabilities = arguments[0] if arguments else []
        self._actions = "actions" in capabilities

    @Slot("uint", str)
    def _action_invoked(self, notification: int, key: str) -> None:
        if self._id is None or notification != self._id:
            return  # another app's, or an old one of ours
        if key == "default":
            key = ACTION_OPEN
        if key in (ACTION_START, ACTION_LATER, ACTION_OPEN):
            self.actionInvoked.emit(key)

    @Slot("uint", "uint")
    def _closed(self, notification: int, _reason: int) -> None:
        if notification == self._id:
            self._id = None


def create_notifier(
    tray: QSystemTrayIcon | None, platform: str, parent: QObject | None = None
) -> Notifier:
    """The way reminders are shown here: the desktop's notifications on Linux, else the tray."""
    fallback: Notifier = TrayNotifier(tray, parent) if tray is not None else LogNotifier(parent)
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        try:
            return FreedesktopNotifier(fallback, parent=parent)
        except Exception as error:  # never fail start-up over this
            _log.info("reminders: no desktop notifications (%s)", error)
    return fallback
