"""A D-Bus connection of its own, for the calls PySide6's QtDBus cannot make.

PySide6 turns every Python int into a D-Bus ``int32`` (and ``QDBusArgument <<
int`` writes a ``uint16``): it cannot send the ``uint32`` that
``org.freedesktop.Notifications.Notify`` takes, and a server checks the
signature and refuses the call. Sending the call from another process
(``gdbus call``) loses the answers: servers such as dunst send
``ActionInvoked`` to the connection that asked, which would be gone.

So the notifications have a connection of their own: the D-Bus protocol
itself (the ``EXTERNAL`` login, marshalling by signature, parsing what the
bus sends, in either byte order) is jeepney's sans-I/O core, and this module
is only its transport on a ``QLocalSocket``: one connection that calls and
hears the signals sent to it, every step asynchronous (nothing waits for a
reply; replies come as callbacks). Messages are :class:`jeepney.Message`
(build them with ``jeepney.new_method_call`` or
``jeepney.bus_messages.message_bus``); a variant is ``(signature, value)``.
"""

from __future__ import annotations

import inspect
import logging
import os
import weakref
from collections.abc import Callable
from itertools import count
from typing import Any, Final

from jeepney import HeaderFields, Message, MessageFlag, MessageType, new_error
from jeepney.auth import BEGIN, AuthenticationError, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import message_bus
from jeepney.low_level import Endianness, Header, Parser
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalSocket

_log = logging.getLogger(__name__)

MAX_MESSAGE: Final = 1 << 24
"""Longest message read (16 MiB); a longer one closes the connection.

jeepney's parser buffers a message whole, whatever length its header claims
(it only limits an array to 64 MiB), so the cap is checked here."""

Reply = Callable[[Message], None]


def socket_of(address: str) -> tuple[str, bool] | None:
    """The Unix socket of a bus address: its path, and whether it is abstract; None if none."""
    try:
        where: str = next(get_connectable_addresses(address))
    except (RuntimeError, ValueError, StopIteration):
        return None  # no Unix socket there, or not an address at all
    return (where[1:], True) if where.startswith("\0") else (where, False)


def session_bus_address() -> str:
    """The session bus as libdbus finds it: the environment, else ``$XDG_RUNTIME_DIR/bus``."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    return f"unix:path={runtime}/bus" if runtime else ""


def field(message: Message, name: HeaderFields) -> Any:
    """A header field of ``message`` (``HeaderFields.sender``, ...), None where it has none."""
    return message.header.fields.get(name)


def is_error(message: Message) -> bool:
    """Whether a reply is an error (rather than a method return)."""
    return message.header.message_type is MessageType.error


def _error(serial: int, name: str, why: str) -> Message:
    """An error reply to call ``serial`` made here, for a call the bus never answered."""
    fields = {
        HeaderFields.reply_serial: serial,
        HeaderFields.error_name: name,
        HeaderFields.signature: "s",
    }
    return Message(Header(Endianness.little, MessageType.error, 0, 1, 0, 0, fields), (why,))


class WireConnection(QObject):
    """One connection to a message bus: log in, say Hello, then call and hear signals."""

    ready = Signal()
    """Logged in and named by the bus (calls made before went out already)."""
    failed = Signal(str)
    """The connection could not be made, or broke; why, in words."""
    signalReceived = Signal(object)
    """A :class:`jeepney.Message` of type signal."""

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.unique_name: str | None = None
        self._socket = QLocalSocket(self)
        self._auth: Authenticator | None = None
        self._parser = Parser()
        self._serials = count(1)
        self._replies: dict[int, Callable[[], Reply | None]] = {}
        self._waiting: list[bytes] = []
        """What is sent before the login ends (the Hello first of all)."""
        self._broken: str | None = None
        self._socket.connected.connect(self._login)
        self._socket.readyRead.connect(self._read)
        self._socket.errorOccurred.connect(self._socket_error)
        self._socket.disconnected.connect(self._disconnected)
        self.send(message_bus.Hello(), self._named)

    @property
    def broken(self) -> str | None:
        """Why the connection failed; None while it works (or is still being made)."""
        return self._broken

    def open(self) -> None:
        """Start connecting (asynchronously: :attr:`ready` or :attr:`failed` follows)."""
        where = socket_of(self.address)
        if where is None:
            self._fail(f"no Unix socket in the bus address {self.address!r}")
            return
        path, abstract = where
        if abstract:
            self._socket.setSocketOptions(QLocalSocket.SocketOption.AbstractNamespaceOption)
        self._socket.connectToServer(path)

    def send(self, message: Message, reply: Reply | None = None) -> int:
        """Send ``message``; ``reply`` gets its answer (a return or an error). Its serial.

        Messages sent before the login ends wait, and go out in order; after a
        failure (:attr:`broken`) nothing is sent, and ``reply`` is not called.
        """
        serial = next(self._serials)
        if self._broken is not None:
            return serial  # nothing goes out, nothing comes back
        data = message.serialise(serial=serial)  # a body that fits no signature raises here
        if reply is not None:
            # A method is held weakly: its object and this connection (usually its child)
            # must not keep each other alive, to be collected later at any moment.
            self._replies[serial] = (
                weakref.WeakMethod(reply) if inspect.ismethod(reply) else (lambda: reply)
            )
        if self._auth is None or not self._auth.authenticated:
            self._waiting.append(data)
        else:
            self._socket.write(data)
        return serial

    # -- the socket -------------------------------------------------------

    def _login(self) -> None:
        self._auth = Authenticator()
        self._socket.write(self._auth.data_to_send() or b"")

    def _read(self) -> None:
        data = bytes(self._socket.readAll().data())
        if self._auth is not None and not self._auth.authenticated:
            try:
                self._auth.feed(data)
            except AuthenticationError as error:
                self._fail(f"the bus refused the login: {error}")
                return
            if self._auth.authenticated:  # the Hello first, then what waited for it
                waiting, self._waiting = self._waiting, []
                self._socket.write(BEGIN + b"".join(waiting))
            return
        self._parser.add_data(data)
        while self._broken is None:
            try:
                self._parser.bytes_desired()  # reads the size, once the fixed header is in
                size = self._parser.next_msg_size
                if size is not None and size > MAX_MESSAGE:
                    raise ValueError(f"a message of {size} bytes is too long")
                message = self._parser.get_next_message()
            except Exception as error:  # jeepney raises many kinds on what it cannot read
                self._fail(f"the bus sent what this client cannot read: {error!r}")
                return
            if message is None:
                return  # the rest is still on its way
            self._dispatch(message)

    def _named(self, reply: Message) -> None:
        if is_error(reply) or not reply.body:
            self._fail(f"the bus did not name this connection: {reply.body}")
            return
        self.unique_name = str(reply.body[0])
        self.ready.emit()

    def _dispatch(self, message: Message) -> None:
        kind = message.header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            held = self._replies.pop(int(field(message, HeaderFields.reply_serial) or 0), None)
            reply = held() if held is not None else None
            if reply is not None:
                reply(message)
        elif kind is MessageType.signal:
            self.signalReceived.emit(message)
        elif kind is MessageType.method_call and not (
            message.header.flags & MessageFlag.no_reply_expected
        ):
            # Nothing is exported here: say so, as the protocol asks.
            answer = new_error(
                message,
                "org.freedesktop.DBus.Error.UnknownMethod",
                "s",
                ("nothing is exported on this connection",),
            )
            self._socket.write(answer.serialise(serial=next(self._serials)))

    def _disconnected(self) -> None:
        self._fail("the bus closed the connection")

    def _socket_error(self, _error: QLocalSocket.LocalSocketError) -> None:
        self._fail(self._socket.errorString())

    def _fail(self, why: str) -> None:
        if self._broken is not None:
            return
        self._broken = why
        _log.info("D-Bus connection to %s: %s", self.address, why)
        replies, self._replies = self._replies, {}
        self._waiting.clear()
        self._socket.abort()
        for serial, held in replies.items():
            reply = held()
            if reply is not None:
                reply(_error(serial, "org.freedesktop.DBus.Error.Disconnected", why))
        self.failed.emit(why)
