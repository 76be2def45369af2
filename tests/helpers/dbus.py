"""A private D-Bus session bus for the tests that talk to a real bus.

The app's D-Bus services (the media-keys player, desktop notifications, the
screensaver inhibitor) take a ``QDBusConnection``; these tests give them one
to a ``dbus-daemon`` of their own, started here, so that nothing reaches the
desktop of whoever runs the suite and every test starts on an empty bus.

``make test`` installs ``dbus`` (the daemon and ``dbus-send``); a machine
without it fails these tests with a message that says so, rather than
skipping them.

Calls between two connections of the same process must be asynchronous (or
made from another thread): a blocking call waits for a reply that the same
event loop would have to send.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

import pytest

_names = count(1)


class PrivateBus:
    """A running ``dbus-daemon --session`` and its address."""

    def __init__(self) -> None:
        daemon = shutil.which("dbus-daemon")
        if daemon is None:
            pytest.fail(
                "dbus-daemon is not installed: these tests need a session bus "
                "(on Debian/Ubuntu: apt-get install dbus; `make test` does it)"
            )
        self._process = subprocess.Popen(
            [daemon, "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        self.address = self._process.stdout.readline().strip()
        if not self.address:
            self.close()
            pytest.fail("dbus-daemon started but printed no address")

    def connect(self, name: str | None = None):  # -> QDBusConnection, imported late
        """A new connection to this bus, under a connection name of its own."""
        from PySide6.QtDBus import QDBusConnection

        connection = QDBusConnection.connectToBus(self.address, name or f"test-bus-{next(_names)}")
        assert connection.isConnected(), connection.lastError().message()
        return connection

    def send(self, *arguments: str, timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
        """Run ``dbus-send`` against this bus (from another process, so a blocking call is fine)."""
        tool = shutil.which("dbus-send")
        if tool is None:
            pytest.fail("dbus-send is not installed (on Debian/Ubuntu: apt-get install dbus)")
        return subprocess.run(
            [tool, f"--bus={self.address}", *arguments],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


@contextmanager
def private_bus() -> Iterator[PrivateBus]:
    """A private session bus for the length of the ``with`` block."""
    bus = PrivateBus()
    try:
        yield bus
    finally:
        bus.close()
