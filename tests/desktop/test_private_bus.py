"""The private session bus the D-Bus tests run on works, and is really private."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication

from tests.helpers.dbus import PrivateBus


def test_a_connection_is_seen_by_another_process(session_bus: PrivateBus) -> None:
    QCoreApplication.instance() or QCoreApplication([])
    connection = session_bus.connect()
    assert connection.registerService("org.example.RoutineTimerTest")

    listed = session_bus.send(
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.ListNames",
    )

    assert listed.returncode == 0, listed.stderr
    assert "org.example.RoutineTimerTest" in listed.stdout


def test_each_test_gets_an_empty_bus_of_its_own(session_bus: PrivateBus) -> None:
    assert session_bus.address != os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    listed = session_bus.send(
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus.ListNames",
    )
    assert "org.example.RoutineTimerTest" not in listed.stdout
