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

Every call on the bus is asynchronous, on one connection that also hears the
server's ``ActionInvoked`` and ``NotificationClosed`` (some servers send those
to the connection that asked, and to no other). ``Notify`` takes a D-Bus
``uint32``, which PySide6's QtDBus cannot put in a method call, so that
connection is :mod:`routine_timer.desktop.dbus_wire` (jeepney's protocol on a Qt socket).
Without a session bus or a server, reminders fall back to the tray.
"""

from __future__ import annotations

import logging
from typing import Final

from jeepney import DBusAddress, HeaderFields, Message, new_method_call
from jeepney.bus_messages import MatchRule, message_bus
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from routine_timer.desktop.dbus_wire import WireConnection, field, is_error, session_bus_address
from routine_timer.paths import APP_NAME

_log = logging.getLogger(__name__)

ACTION_START: Final = "start"
"""The runner chose "Start now": start the routine the reminder is about."""
ACTION_LATER: Final = "later"
"""The runner chose "Later": ask again in a while."""
ACTION_OPEN: Final = "open"
"""The runner clicked the notification itself: show the app."""

SERVICE: Final = "org.freedesktop.Notifications"
PATH: Final = "/org/freedesktop/Notifications"
INTERFACE: Final = SERVICE
SERVER: Final = DBusAddress(PATH, SERVICE, INTERFACE)
NOTIFY_SIGNATURE: Final = "susssasa{sv}i"
OPEN_THE_APP: Final = "Open the app to start."
"""Added to the body where a notification cannot carry buttons."""


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
        # A method, not a lambda holding self: the tray would keep this object alive in a
        # cycle, collected later at any moment.
        tray.messageClicked.connect(self._clicked)

    def _clicked(self) -> None:
        self.actionInvoked.emit(ACTION_OPEN)

    def notify(self, summary: str, body: str) -> None:
        self._tray.showMessage(
            summary, f"{body} {OPEN_THE_APP}", QSystemTrayIcon.MessageIcon.Information, 0
        )


class FreedesktopNotifier(Notifier):
    """``org.freedesktop.Notifications`` on the bus at ``address``, else ``fallback``.

    ``address`` is a D-Bus address (default: the session bus). The calls go out
    on a :class:`~routine_timer.desktop.dbus_wire.WireConnection` (see there
    why not QtDBus), which also hears the server's answers and signals.
    """

    name = SERVICE

    def __init__(
        self,
        fallback: Notifier,
        address: str | None = None,
        *,
        icon: str = APP_NAME,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fallback = fallback
        fallback.setParent(self)  # one owner: both go together
        fallback.actionInvoked.connect(self._relay)
        self._icon = icon
        self._id: int | None = None
        """The id of our notification on screen, as the server numbered it."""
        self._server: str | None = None
        """The server's unique name on the bus (its signals are the only ones heard)."""
        self._actions: bool | None = None
        """Whether the server shows buttons (None: not known yet)."""
        self._sent: dict[int, tuple[str, str]] = {}
        """Each Notify call awaiting its answer: its serial, and what it said."""
        address = session_bus_address() if address is None else address
        self._broken = not address
        if self._broken:
            _log.info("reminders: no session bus; using the %s instead", fallback)
            return
        self._bus = WireConnection(address, self)
        self._bus.failed.connect(self._bus_failed)
        self._bus.signalReceived.connect(self._signal)
        self._bus.open()
        self._bus.send(
            message_bus.AddMatch(MatchRule(type="signal", sender=SERVICE, interface=INTERFACE))
        )
        self._bus.send(new_method_call(SERVER, "GetCapabilities"), self._got_capabilities)

    def _relay(self, action: str) -> None:
        self.actionInvoked.emit(action)

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
        actions: list[str] = ["default", "Open"]
        if self._actions is False:
            body = f"{body} {OPEN_THE_APP}"
        else:
            actions += [ACTION_START, "Start now", ACTION_LATER, "Later"]
        hints = {
            "desktop-entry": ("s", APP_NAME),
            "category": ("s", "x-routine-timer.reminder"),
            "urgency": ("y", 1),
        }
        arguments = (APP_NAME, self._id or 0, self._icon, summary, body, actions, hints, -1)
        serial = self._bus.send(
            new_method_call(SERVER, "Notify", NOTIFY_SIGNATURE, arguments), self._shown
        )
        self._sent[serial] = (summary, body)

    def withdraw(self) -> None:
        if self._broken or self._id is None:
            return
        notification, self._id = self._id, None
        self._bus.send(new_method_call(SERVER, "CloseNotification", "u", (notification,)))

    # -- the bus ----------------------------------------------------------

    def _shown(self, reply: Message) -> None:
        summary, body = self._sent.pop(field(reply, HeaderFields.reply_serial) or 0, ("", ""))
        if is_error(reply) or not reply.body:
            # No server (or it refused): the fallback says it instead, now and from now on.
            _log.info(
                "reminders: no notification server answered (%s); using the %s",
                field(reply, HeaderFields.error_name),
                self._fallback,
            )
            self._broken = True
            if summary:
                self._fallback.notify(summary, body)
            return
        self._id = int(reply.body[0])
        self._server = field(reply, HeaderFields.sender)

    def _got_capabilities(self, reply: Message) -> None:
        if is_error(reply) or not reply.body:
            # Not broken yet: a server may start on demand; Notify will tell.
            _log.info(
                "reminders: %s did not answer (%s)", SERVICE, field(reply, HeaderFields.error_name)
            )
            return
        self._actions = "actions" in reply.body[0]

    def _signal(self, message: Message) -> None:
        if (
            field(message, HeaderFields.interface) != INTERFACE
            or field(message, HeaderFields.sender) != self._server
        ):
            return  # not the server that shows ours
        member = field(message, HeaderFields.member)
        signature = field(message, HeaderFields.signature)
        if member == "ActionInvoked" and signature == "us":
            notification, key = message.body
            if self._id is None or notification != self._id:
                return  # another app's, or an old one of ours
            key = ACTION_OPEN if key == "default" else key
            if key in (ACTION_START, ACTION_LATER, ACTION_OPEN):
                self.actionInvoked.emit(key)
        elif member == "NotificationClosed" and signature == "uu" and message.body[0] == self._id:
            self._id = None

    def _bus_failed(self, why: str) -> None:
        if not self._broken:
            _log.info("reminders: the session bus failed (%s); using the %s", why, self._fallback)
        self._broken = True


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
