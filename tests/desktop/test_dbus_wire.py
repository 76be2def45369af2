"""The app's own D-Bus connection (jeepney's protocol on a QLocalSocket), on real buses.

The protocol itself (login, marshalling, parsing) is jeepney's and tested
there; these tests check the transport: a private dbus-daemon for what a
real bus does, and a bus faked here on a QLocalServer for what a real one
would not send (a refused login, big-endian messages, too long or broken ones).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.auth import BEGIN
from jeepney.low_level import Endianness, Parser
from jeepney.wrappers import new_method_return, new_signal
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from pytestqt.qtbot import QtBot

from routine_timer.desktop.dbus_wire import (
    MAX_MESSAGE,
    WireConnection,
    field,
    is_error,
    socket_of,
)
from tests.helpers.dbus import PrivateBus

ECHO = DBusAddress("/echo", "org.example.Echo", "org.example.Echo")


@pytest.mark.parametrize(
    ("address", "socket"),
    [
        ("unix:path=/run/user/1000/bus", ("/run/user/1000/bus", False)),
        ("unix:abstract=/tmp/dbus-x,guid=ab", ("/tmp/dbus-x", True)),
        ("tcp:host=x,port=1;unix:path=/a%20b", ("/a b", False)),
        ("tcp:host=x,port=1", None),
        ("", None),
    ],
)
def test_the_socket_of_an_address(address: str, socket: tuple[str, bool] | None) -> None:
    assert socket_of(address) == socket


@ClassInfo({"D-Bus Interface": "org.example.Echo"})
class Echo(QObject):
    @Slot("uint", str, result="uint")
    def Twice(self, number: int, text: str) -> int:
        return number * 2 if text == "twice" else number

    @Slot(QDBusMessage)
    def Tell(self, message: QDBusMessage) -> None:
        pass


def _echo(bus: PrivateBus) -> tuple[QDBusConnection, Echo]:
    """The echo object, exported on a connection of its own (keep both while it is used)."""
    connection = bus.connect()
    echo = Echo()
    assert connection.registerService("org.example.Echo")
    assert connection.registerObject("/echo", echo, QDBusConnection.RegisterOption.ExportAllSlots)
    return connection, echo


def _open(qtbot: QtBot, address: str) -> WireConnection:
    wire = WireConnection(address)
    with qtbot.waitSignal(wire.ready, timeout=5000):
        wire.open()
    assert wire.unique_name is not None and wire.unique_name.startswith(":")
    return wire


# The call with the wrong signature on purpose: the server's QtDBus says it matched no slot.
@pytest.mark.qt_log_ignore(
    "^QDBusConnection: couldn't handle call to Twice, no slot matched$",
    "^Could not find slot Echo::Twice$",
)
def test_a_call_with_a_uint32_reaches_a_qtdbus_object(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    server, _echo_object = _echo(session_bus)
    wire = _open(qtbot, session_bus.address)
    replies: list[Message] = []
    # More than an int32 holds.
    wire.send(new_method_call(ECHO, "Twice", "us", (3_000_000_000, "once")), replies.append)
    qtbot.waitUntil(lambda: replies != [], timeout=5000)
    assert not is_error(replies[0])
    assert field(replies[0], HeaderFields.signature) == "u"
    assert replies[0].body == (3_000_000_000,)
    # The wrong signature is an error reply, not silence.
    wire.send(new_method_call(ECHO, "Twice", "is", (1, "x")), replies.append)
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=5000)
    assert is_error(replies[1])
    assert server.isConnected()


def test_a_signal_sent_to_this_connection_alone_is_heard(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    # As dunst sends ActionInvoked: to the connection that asked, to no other.
    sender = session_bus.connect()
    wire = _open(qtbot, session_bus.address)
    assert wire.unique_name is not None
    signal = QDBusMessage.createTargetedSignal(wire.unique_name, "/x", "org.example.Echo", "Said")
    signal.setArguments(["hello"])
    # The bus's own NameAcquired may come in first: wait for this signal.
    with qtbot.waitSignal(
        wire.signalReceived,
        timeout=5000,
        check_params_cb=lambda m: field(m, HeaderFields.member) == "Said",
    ) as heard:
        assert sender.send(signal)
    message = heard.args[0]
    assert (field(message, HeaderFields.member), message.body) == ("Said", ("hello",))
    assert field(message, HeaderFields.sender) == sender.baseService()


def test_calls_made_before_the_bus_answered_go_out_after(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    _server, _echo_object = _echo(session_bus)
    wire = WireConnection(session_bus.address)
    replies: list[Message] = []
    wire.open()
    wire.send(new_method_call(ECHO, "Twice", "us", (4, "once")), replies.append)
    qtbot.waitUntil(lambda: replies != [], timeout=5000)
    assert replies[0].body == (4,)


def test_an_abstract_socket_bus(qtbot: QtBot, tmp_path: Path) -> None:
    daemon = shutil.which("dbus-daemon")
    assert daemon is not None
    process = subprocess.Popen(
        [
            daemon,
            "--session",
            "--nofork",
            "--nopidfile",
            "--print-address=1",
            f"--address=unix:abstract={tmp_path}/bus",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        assert "abstract=" in address
        _open(qtbot, address)
    finally:
        process.terminate()
        process.wait(timeout=5)
        assert process.stdout is not None
        process.stdout.close()


def test_no_bus_there_fails_in_words(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    wire = WireConnection(f"unix:path={tmp_path}/nothing")
    replies: list[Message] = []
    wire.send(new_method_call(ECHO, "Twice"), replies.append)
    with qtbot.waitSignal(wire.failed, timeout=5000) as failed:
        wire.open()
    assert failed.args[0]
    assert wire.broken
    assert len(_wire_log(caplog)) == 1  # one line, however the socket reports it
    # A call waiting for the connection is answered with the failure.
    errors = [field(reply, HeaderFields.error_name) for reply in replies]
    assert errors == ["org.freedesktop.DBus.Error.Disconnected"]
    wire.send(new_method_call(ECHO, "Twice"), replies.append)  # after: nothing is sent
    assert len(replies) == 1
    assert WireConnection("tcp:host=x").broken is None


class FakeBus(QObject):
    """A bus faked on a QLocalServer: answers the login with ``login`` and the Hello in
    ``order``, then sends ``after``: what no dbus-daemon sends when asked."""

    def __init__(
        self,
        path: Path,
        *,
        login: bytes = b"OK 0123456789abcdef0123456789abcdef\r\n",
        order: Endianness = Endianness.little,
        after: bytes = b"",
    ) -> None:
        super().__init__()
        self.address = f"unix:path={path}"
        self._login, self._order, self._after = login, order, after
        self._server = QLocalServer(self)
        assert self._server.listen(str(path)), self._server.errorString()
        self._server.newConnection.connect(self._connected)
        self._client: QLocalSocket | None = None
        self._parser = Parser()
        self._begun = False

    def _connected(self) -> None:
        self._client = self._server.nextPendingConnection()
        self._client.readyRead.connect(self._read)

    def _read(self) -> None:
        assert self._client is not None
        data = bytes(self._client.readAll().data())
        if not self._begun:
            if b"AUTH EXTERNAL" in data:
                self._client.write(self._login)
            if BEGIN not in data:
                return
            self._begun = True
            data = data.split(BEGIN, 1)[1]
        self._parser.add_data(data)
        while (message := self._parser.get_next_message()) is not None:
            if field(message, HeaderFields.member) == "Hello":
                named = new_method_return(message, "s", (":1.7",))
                named.header.endianness = self._order
                self._client.write(named.serialise(serial=1) + self._after)


def _wire_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.endswith("dbus_wire")]


def test_a_big_endian_bus_is_understood(qtbot: QtBot, tmp_path: Path) -> None:
    # A big-endian machine's bus writes its own byte order; the reader follows the mark.
    said = new_signal(DBusAddress("/p", interface="org.example.Echo"), "Said", "su", ("hi", 7))
    said.header.endianness = Endianness.big
    data = said.serialise(serial=2)
    assert data[:1] == b"B"
    bus = FakeBus(tmp_path / "bus", order=Endianness.big, after=data)
    wire = WireConnection(bus.address)
    with qtbot.waitSignal(wire.signalReceived, timeout=5000) as heard:
        wire.open()
    assert wire.unique_name == ":1.7"
    message = heard.args[0]
    assert message.header.message_type is MessageType.signal
    assert (field(message, HeaderFields.member), message.body) == ("Said", ("hi", 7))


@pytest.mark.parametrize(
    ("login", "after", "why"),
    [
        (b"REJECTED EXTERNAL\r\n", b"", "refused the login"),
        # A fixed header that announces a body longer than the cap.
        (None, b"l\x04\x00\x01" + MAX_MESSAGE.to_bytes(4, "little") + bytes(8), "too long"),
        (None, b"not a D-Bus message at all", "cannot read"),
    ],
)
def test_what_a_bus_should_not_send_fails_in_one_line(
    *,
    qtbot: QtBot,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    login: bytes | None,
    after: bytes,
    why: str,
) -> None:
    caplog.set_level(logging.INFO)
    kwargs = {"login": login} if login is not None else {}
    bus = FakeBus(tmp_path / "bus", after=after, **kwargs)
    wire = WireConnection(bus.address)
    replies: list[Message] = []
    wire.send(new_method_call(ECHO, "Twice"), replies.append)
    with qtbot.waitSignal(wire.failed, timeout=5000) as failed:
        wire.open()
    assert why in failed.args[0]
    assert wire.broken == failed.args[0]
    assert len(_wire_log(caplog)) == 1
    assert [field(reply, HeaderFields.error_name) for reply in replies] == [
        "org.freedesktop.DBus.Error.Disconnected"
    ]
