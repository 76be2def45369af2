"""The app's own D-Bus client: marshalling by signature, and a real bus (a private dbus-daemon)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from routine_timer.desktop.dbus_wire import (
    ERROR,
    METHOD_RETURN,
    Message,
    WireConnection,
    WireError,
    marshal,
    message_size,
    socket_of,
    split_signature,
    unmarshal,
)
from tests.helpers.dbus import PrivateBus


@pytest.mark.parametrize(
    ("signature", "values"),
    [
        ("susssasa{sv}i", ["app", 0, "", "Sum", "Body", ["start", "Start now"], {}, -1]),
        (
            "a{sv}",
            [{"urgency": ("y", 1), "desktop-entry": ("s", "routine-timer"), "n": ("i", -7)}],
        ),
        ("yqutxdb", [255, 65535, 2**32 - 1, 2**64 - 1, -(2**63), 0.25, True]),
        ("a(yv)", [[(1, ("o", "/org/x")), (8, ("g", "su"))]]),
        ("aas", [[["a", "b"], [], ["ünïcode ✓"]]]),
        ("", []),
    ],
)
def test_values_come_back_as_they_went(signature: str, values: list[object]) -> None:
    assert unmarshal(signature, marshal(signature, values)) == values


def test_a_uint32_is_written_as_one() -> None:
    # What PySide6's QtDBus cannot do: 4 bytes, unsigned, little-endian.
    assert marshal("u", [2**32 - 1]) == b"\xff\xff\xff\xff"
    assert marshal("yu", [1, 5]) == b"\x01\0\0\0\x05\0\0\0"  # aligned to 4


@pytest.mark.parametrize("signature", ["a", "(su", "a{s", "z", "su)"])
def test_a_bad_signature_is_refused(signature: str) -> None:
    with pytest.raises(WireError):
        split_signature(signature)


def test_a_message_reads_back_as_it_was_written() -> None:
    message = Message(
        1,
        7,
        path="/org/freedesktop/Notifications",
        interface="org.freedesktop.Notifications",
        member="Notify",
        destination="org.freedesktop.Notifications",
        signature="su",
        body=["x", 3],
    )
    data = message.encode()
    assert message_size(data) == len(data)
    assert Message.decode(data) == message


def test_what_cannot_be_read_is_an_error() -> None:
    data = Message(4, 1, path="/p", interface="a.b", member="C", signature="s", body=["x"]).encode()
    with pytest.raises(WireError):
        Message.decode(data[:-3])
    with pytest.raises(WireError):
        message_size(b"X" + data[1:])  # not a message at all
    assert message_size(data[:10]) is None


def test_a_big_endian_message_is_read_too() -> None:
    # The same signal as a big-endian machine writes it (by hand: this client writes only
    # little-endian): header, then the body "s" = "hi".
    fields = [(1, ("o", "/p")), (2, ("s", "a.b")), (3, ("s", "C")), (8, ("g", "s"))]
    header = bytearray(b"B\x04\x00\x01" + struct.pack(">II", 7, 9))
    array = bytearray()
    for code, (sig, value) in fields:
        array.extend(b"\0" * (-(16 + len(array)) % 8))
        array.extend(bytes([code, len(sig)]) + sig.encode() + b"\0")
        if sig in "os":
            array.extend(b"\0" * (-(16 + len(array)) % 4))
            array.extend(struct.pack(">I", len(value)) + value.encode() + b"\0")
        else:
            array.extend(bytes([len(value)]) + value.encode() + b"\0")
    header.extend(struct.pack(">I", len(array)) + array)
    header.extend(b"\0" * (-len(header) % 8))
    data = bytes(header) + struct.pack(">I", 2) + b"hi\0"
    assert message_size(data) == len(data)
    message = Message.decode(data)
    assert (message.type, message.serial, message.member, message.body) == (4, 9, "C", ["hi"])


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
    wire.call(
        "org.example.Echo",
        "/echo",
        "org.example.Echo",
        "Twice",
        signature="us",
        body=[3_000_000_000, "once"],  # more than an int32 holds
        reply=replies.append,
    )
    qtbot.waitUntil(lambda: replies != [], timeout=5000)
    assert replies[0].type == METHOD_RETURN
    assert replies[0].signature == "u"
    assert replies[0].body == [3_000_000_000]
    # The wrong signature is an error reply, not silence.
    wire.call(
        "org.example.Echo",
        "/echo",
        "org.example.Echo",
        "Twice",
        signature="is",
        body=[1, "x"],
        reply=replies.append,
    )
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=5000)
    assert replies[1].type == ERROR
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
    with qtbot.waitSignal(wire.signalReceived, timeout=5000) as heard:
        assert sender.send(signal)
    message = heard.args[0]
    assert (message.member, message.body, message.sender) == (
        "Said",
        ["hello"],
        sender.baseService(),
    )


def test_calls_made_before_the_bus_answered_go_out_after(
    qtbot: QtBot, session_bus: PrivateBus
) -> None:
    _server, _echo_object = _echo(session_bus)
    wire = WireConnection(session_bus.address)
    replies: list[Message] = []
    wire.open()
    wire.call(
        "org.example.Echo",
        "/echo",
        "org.example.Echo",
        "Twice",
        signature="us",
        body=[4, "once"],
        reply=replies.append,
    )
    qtbot.waitUntil(lambda: replies != [], timeout=5000)
    assert replies[0].body == [4]


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


def test_no_bus_there_fails_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    wire = WireConnection(f"unix:path={tmp_path}/nothing")
    replies: list[Message] = []
    wire.call("a.b", "/", "a.b", "C", reply=replies.append)
    with qtbot.waitSignal(wire.failed, timeout=5000) as failed:
        wire.open()
    assert failed.args[0]
    assert wire.broken
    # A call waiting for the connection is answered with the failure.
    assert [reply.error_name for reply in replies] == ["org.freedesktop.DBus.Error.Disconnected"]
    wire.call("a.b", "/", "a.b", "C", reply=replies.append)  # after: nothing is sent
    assert len(replies) == 1
    assert WireConnection("tcp:host=x").broken is None
