"""A small D-Bus client of its own, for the calls PySide6's QtDBus cannot make.

PySide6 turns every Python int into a D-Bus ``int32`` (and ``QDBusArgument <<
int`` writes a ``uint16``): it cannot send the ``uint32`` that
``org.freedesktop.Notifications.Notify`` takes, nor call ``BecomeMonitor``, and a
server checks the signature and refuses the call. Sending the call from another
process (``gdbus call``) loses the answers: servers such as dunst send
``ActionInvoked`` to the connection that asked, which would be gone.

So this module speaks the D-Bus wire protocol itself, on a ``QLocalSocket``:
one connection that calls and hears the signals sent to it, every step
asynchronous (nothing waits for a reply; replies come as callbacks). It covers
what the notifications need: the ``EXTERNAL`` login on a Unix socket, method
calls with typed arguments, their replies and errors, and signals. Values are
marshalled by signature (``marshal``/``unmarshal``), written little-endian and
read in either order; a variant is ``(signature, value)``.
"""

from __future__ import annotations

import inspect
import logging
import os
import struct
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Final
from urllib.parse import unquote

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalSocket

_log = logging.getLogger(__name__)

METHOD_CALL: Final = 1
METHOD_RETURN: Final = 2
ERROR: Final = 3
SIGNAL: Final = 4
BUS: Final = "org.freedesktop.DBus"
BUS_PATH: Final = "/org/freedesktop/DBus"
MAX_MESSAGE: Final = 1 << 24
"""Longest message read (16 MiB); a longer one closes the connection."""

_FIELDS: Final = {1: "path", 2: "interface", 3: "member", 4: "error_name", 5: "reply_serial"}
_FIELDS.update({6: "destination", 7: "sender", 8: "signature"})
_FIELD_TYPES: Final = {1: "o", 2: "s", 3: "s", 4: "s", 5: "u", 6: "s", 7: "s", 8: "g"}
_FIXED: Final = {
    "y": ("B", 1),
    "b": ("I", 4),
    "n": ("h", 2),
    "q": ("H", 2),
    "i": ("i", 4),
    "u": ("I", 4),
    "x": ("q", 8),
    "t": ("Q", 8),
    "d": ("d", 8),
    "h": ("I", 4),
}


class WireError(ValueError):
    """A message that does not follow the protocol (or this client's subset of it)."""


# --------------------------------------------------------------------------
# Signatures and values


def split_signature(signature: str) -> list[str]:
    """The complete types of a signature: ``"susa{sv}"`` -> ``["s", "u", "s", "a{sv}"]``."""
    types = []
    index = 0
    while index < len(signature):
        end = _type_end(signature, index)
        types.append(signature[index:end])
        index = end
    return types


def _type_end(signature: str, index: int) -> int:
    if index >= len(signature):
        raise WireError(f"signature {signature!r} ends too soon")
    char = signature[index]
    if char == "a":
        return _type_end(signature, index + 1)
    if char in "({":
        close = ")" if char == "(" else "}"
        index += 1
        while index < len(signature) and signature[index] != close:
            index = _type_end(signature, index)
        if index >= len(signature):
            raise WireError(f"signature {signature!r} is not closed")
        return index + 1
    if char in _FIXED or char in "sogv":
        return index + 1
    raise WireError(f"unknown type {char!r} in signature {signature!r}")


def _alignment(kind: str) -> int:
    char = kind[0]
    if char in "({":
        return 8
    if char in "asog":
        return 4 if char in "aso" else 1
    if char == "v":
        return 1
    return _FIXED[char][1]


class _Writer:
    def __init__(self) -> None:
        self.data = bytearray()

    def pad(self, alignment: int) -> None:
        self.data.extend(b"\0" * (-len(self.data) % alignment))

    def write(self, kind: str, value: Any) -> None:
        char = kind[0]
        if char in _FIXED:
            code, size = _FIXED[char]
            self.pad(size)
            self.data.extend(struct.pack("<" + code, int(value) if char != "d" else value))
        elif char in "so":
            encoded = str(value).encode("utf-8")
            self.pad(4)
            self.data.extend(struct.pack("<I", len(encoded)) + encoded + b"\0")
        elif char == "g":
            encoded = str(value).encode("ascii")
            self.data.extend(bytes([len(encoded)]) + encoded + b"\0")
        elif char == "v":
            inner, content = value
            self.write("g", inner)
            self.write(inner, content)
        elif char == "(":
            self.pad(8)
            for part, item in zip(split_signature(kind[1:-1]), value, strict=True):
                self.write(part, item)
        elif char == "a":
            self._array(kind[1:], value)
        else:
            raise WireError(f"cannot write type {kind!r}")

    def _array(self, element: str, value: Any) -> None:
        self.pad(4)
        length_at = len(self.data)
        self.data.extend(b"\0\0\0\0")
        self.pad(_alignment(element))
        start = len(self.data)
        if element.startswith("{"):
            key, item = split_signature(element[1:-1])
            for entry_key, entry_value in dict(value).items():
                self.pad(8)
                self.write(key, entry_key)
                self.write(item, entry_value)
        else:
            for item in value:
                self.write(element, item)
        struct.pack_into("<I", self.data, length_at, len(self.data) - start)


def marshal(signature: str, values: Sequence[Any]) -> bytes:
    """``values`` written by ``signature`` (little-endian, aligned from the start)."""
    writer = _Writer()
    for kind, value in zip(split_signature(signature), values, strict=True):
        writer.write(kind, value)
    return bytes(writer.data)


class _Reader:
    def __init__(self, data: bytes, offset: int = 0, order: str = "<") -> None:
        self.data = data
        self.offset = offset
        self.order = order

    def pad(self, alignment: int) -> None:
        self.offset += -self.offset % alignment

    def take(self, size: int) -> bytes:
        if self.offset + size > len(self.data):
            raise WireError("message ends too soon")
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def read(self, kind: str) -> Any:
        char = kind[0]
        if char in _FIXED:
            code, size = _FIXED[char]
            self.pad(size)
            (value,) = struct.unpack(self.order + code, self.take(size))
            return bool(value) if char == "b" else value
        if char in "so":
            self.pad(4)
            (length,) = struct.unpack(self.order + "I", self.take(4))
            text = self.take(length).decode("utf-8", "replace")
            self.take(1)
            return text
        if char == "g":
            (length,) = self.take(1)
            text = self.take(length).decode("ascii", "replace")
            self.take(1)
            return text
        if char == "v":
            inner = self.read("g")
            if len(split_signature(inner)) != 1:
                raise WireError(f"a variant holds one type, not {inner!r}")
            return (inner, self.read(inner))
        if char == "(":
            self.pad(8)
            return tuple(self.read(part) for part in split_signature(kind[1:-1]))
        if char == "a":
            return self._array(kind[1:])
        raise WireError(f"cannot read type {kind!r}")

    def _array(self, element: str) -> Any:
        self.pad(4)
        (length,) = struct.unpack(self.order + "I", self.take(4))
        if length > MAX_MESSAGE:
            raise WireError("array too long")
        self.pad(_alignment(element))
        end = self.offset + length
        if element.startswith("{"):
            key, item = split_signature(element[1:-1])
            entries = {}
            while self.offset < end:
                self.pad(8)
                entry_key = self.read(key)
                entries[entry_key] = self.read(item)
            return entries
        items = []
        while self.offset < end:
            items.append(self.read(element))
        return items


def unmarshal(signature: str, data: bytes, offset: int = 0, order: str = "<") -> list[Any]:
    """The values ``signature`` reads from ``data`` (``order``: ``<`` little-, ``>`` big-endian)."""
    reader = _Reader(data, offset, order)
    return [reader.read(kind) for kind in split_signature(signature)]


# --------------------------------------------------------------------------
# Messages


@dataclass(slots=True)
class Message:
    """One D-Bus message, header fields by name."""

    type: int
    serial: int = 0
    path: str | None = None
    interface: str | None = None
    member: str | None = None
    error_name: str | None = None
    reply_serial: int | None = None
    destination: str | None = None
    sender: str | None = None
    signature: str = ""
    body: list[Any] = field(default_factory=list)
    flags: int = 0

    def encode(self) -> bytes:
        body = marshal(self.signature, self.body) if self.signature else b""
        fields = []
        for code, name in _FIELDS.items():
            value = getattr(self, name)
            if name == "signature" and not value:
                continue
            if value is not None:
                fields.append((code, (_FIELD_TYPES[code], value)))
        fixed = [ord("l"), self.type, self.flags, 1, len(body), self.serial, fields]
        header = bytearray(marshal("yyyyuua(yv)", fixed))
        header.extend(b"\0" * (-len(header) % 8))
        return bytes(header) + body

    @classmethod
    def decode(cls, data: bytes) -> Message:
        order = _order(data)
        kind, flags, _version, _length, serial, fields = unmarshal("yyyyuua(yv)", data, 0, order)[
            1:
        ]
        message = cls(kind, serial, flags=flags)
        for code, (_sig, value) in fields:
            name = _FIELDS.get(code)
            if name is not None:
                setattr(message, name, value)
        body_at = 16 + struct.unpack_from(order + "I", data, 12)[0]
        body_at += -body_at % 8
        if message.signature:
            message.body = unmarshal(message.signature, data, body_at, order)
        return message


def _order(data: bytes | bytearray) -> str:
    """The byte order a message says it is in: ``<`` (``l``) or ``>`` (``B``)."""
    marks = {b"l": "<", b"B": ">"}
    order = marks.get(bytes(data[:1]))
    if order is None:
        raise WireError(f"not a D-Bus message (it starts with {bytes(data[:1])!r})")
    return order


def message_size(data: bytes | bytearray) -> int | None:
    """How long the message at the start of ``data`` is, once its fixed header is there."""
    if len(data) < 16:
        return None
    body, _serial, fields = struct.unpack_from(_order(data) + "III", data, 4)
    header = 16 + fields
    header += -header % 8
    size: int = header + body
    if size > MAX_MESSAGE:
        raise WireError(f"a message of {size} bytes is too long")
    return size


def socket_of(address: str) -> tuple[str, bool] | None:
    """The Unix socket of a bus address: its path, and whether it is abstract; None if none."""
    for part in address.split(";"):
        transport, _, options = part.partition(":")
        if transport != "unix":
            continue
        values = dict(option.partition("=")[::2] for option in options.split(",") if option)
        if "path" in values:
            return unquote(values["path"]), False
        if "abstract" in values:
            return unquote(values["abstract"]), True
    return None


def session_bus_address() -> str:
    """The session bus as libdbus finds it: the environment, else ``$XDG_RUNTIME_DIR/bus``."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    return f"unix:path={runtime}/bus" if runtime else ""


Reply = Callable[[Message], None]


class WireConnection(QObject):
    """One connection to a message bus: log in, say Hello, then call and hear signals."""

    ready = Signal()
    """Logged in and named by the bus: calls go out from now on (those made before, too)."""
    failed = Signal(str)
    """The connection could not be made, or broke; why, in words."""
    signalReceived = Signal(object)
    """A :class:`Message` of type :data:`SIGNAL`."""

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.unique_name: str | None = None
        self._socket = QLocalSocket(self)
        self._buffer = bytearray()
        self._authenticated = False
        self._serials = count(1)
        self._replies: dict[int, Callable[[], Reply | None]] = {}
        self._waiting: list[bytes] = []
        self._broken: str | None = None
        self._socket.connected.connect(self._login)
        self._socket.readyRead.connect(self._read)
        self._socket.errorOccurred.connect(self._socket_error)
        self._socket.disconnected.connect(self._disconnected)

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

    def close(self) -> None:
        """Hang up; nothing more is reported."""
        self._replies.clear()
        self._broken = self._broken or "closed"
        self._socket.abort()

    def call(
        self,
        destination: str,
        path: str,
        interface: str,
        member: str,
        *,
        signature: str = "",
        body: Sequence[Any] = (),
        reply: Reply | None = None,
    ) -> int:
        """Send a method call; ``reply`` gets its answer (a return or an error). The serial."""
        serial = next(self._serials)
        message = Message(
            METHOD_CALL,
            serial,
            path=path,
            interface=interface,
            member=member,
            destination=destination,
            signature=signature,
            body=list(body),
        )
        if reply is not None:
            # A method is held weakly: its object and this connection (usually its child)
            # must not keep each other alive, to be collected later at any moment.
            self._replies[serial] = (
                weakref.WeakMethod(reply) if inspect.ismethod(reply) else (lambda: reply)
            )
        self._send(message.encode(), early=member == "Hello")
        return serial

    # -- the socket -------------------------------------------------------

    def _send(self, data: bytes, *, early: bool = False) -> None:
        if self._broken is not None:
            return
        if self.unique_name is None and not (early and self._authenticated):
            self._waiting.append(data)
            return
        self._socket.write(data)

    def _login(self) -> None:
        uid = str(os.getuid()) if hasattr(os, "getuid") else ""
        self._socket.write(b"\0AUTH EXTERNAL " + uid.encode().hex().encode() + b"\r\n")

    def _read(self) -> None:
        self._buffer.extend(bytes(self._socket.readAll().data()))
        try:
            if not self._authenticated:
                self._read_login()
            while self._authenticated and (size := message_size(self._buffer)) is not None:
                if len(self._buffer) < size:
                    break
                data = bytes(self._buffer[:size])
                del self._buffer[:size]
                self._dispatch(Message.decode(data))
        except WireError as error:
            self._fail(f"the bus sent what this client cannot read: {error}")

    def _read_login(self) -> None:
        end = self._buffer.find(b"\r\n")
        if end < 0:
            if len(self._buffer) > 4096:
                raise WireError("the login answer is too long")
            return
        line = bytes(self._buffer[:end]).decode("ascii", "replace")
        del self._buffer[: end + 2]
        if not line.startswith("OK "):
            self._fail(f"the bus refused the login: {line}")
            return
        self._socket.write(b"BEGIN\r\n")
        self._authenticated = True
        self.call(BUS, BUS_PATH, BUS, "Hello", reply=self._named)

    def _named(self, reply: Message) -> None:
        if reply.type != METHOD_RETURN or not reply.body:
            self._fail(f"the bus did not name this connection: {reply.error_name}")
            return
        self.unique_name = str(reply.body[0])
        waiting, self._waiting = self._waiting, []
        for data in waiting:
            self._socket.write(data)
        self.ready.emit()

    def _dispatch(self, message: Message) -> None:
        if message.type in (METHOD_RETURN, ERROR) and message.reply_serial is not None:
            held = self._replies.pop(message.reply_serial, None)
            reply = held() if held is not None else None
            if reply is not None:
                reply(message)
        elif message.type == SIGNAL:
            self.signalReceived.emit(message)
        elif message.type == METHOD_CALL and message.serial:
            # Nothing is exported here: say so, as the protocol asks.
            self._socket.write(
                Message(
                    ERROR,
                    next(self._serials),
                    error_name="org.freedesktop.DBus.Error.UnknownMethod",
                    reply_serial=message.serial,
                    destination=message.sender,
                    signature="s",
                    body=["nothing is exported on this connection"],
                ).encode()
            )

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
        for serial, held in replies.items():
            reply = held()
            if reply is not None:
                reply(
                    Message(
                        ERROR,
                        error_name="org.freedesktop.DBus.Error.Disconnected",
                        reply_serial=serial,
                        signature="s",
                        body=[why],
                    )
                )
        self.failed.emit(why)
