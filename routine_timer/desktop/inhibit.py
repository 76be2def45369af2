"""Keep the screen awake while a session runs.

One small backend per platform, each with the system call injected so all of
them can be tested anywhere:

- Linux and other freedesktop systems: ``org.freedesktop.ScreenSaver.Inhibit``
  on the session bus (QtDBus);
- Windows: ``SetThreadExecutionState``;
- macOS: a ``caffeinate -d -i -w <pid>`` child process.

Keeping the screen on is a courtesy, not a requirement: every failure is
logged and otherwise ignored, and :func:`create_inhibitor` falls back to a
backend that does nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from itertools import count
from typing import Protocol

from routine_timer.paths import APP_NAME

_log = logging.getLogger(__name__)


class ScreenSaverInhibitor:
    """Asks the system not to blank the screen; this base class asks nobody.

    ``active`` is True from :meth:`inhibit` to :meth:`release`, whether or
    not the system honoured the request (a refusal is not retried: the caller
    need not care, and a broken bus is not asked again and again).
    """

    name = "none"

    def __init__(self) -> None:
        self._active = False

    @property
    def active(self) -> bool:
        """Whether the screen is being kept awake (as far as we asked)."""
        return self._active

    def inhibit(self, reason: str) -> None:
        """Keep the screen awake, saying ``reason`` to whoever asks; no-op if already active."""
        if self._active:
            return
        self._active = True
        try:
            self._take(reason)
        except Exception as error:  # any failure here must not stop a session
            _log.info("could not keep the screen awake (%s): %s", self.name, error)

    def release(self) -> None:
        """Let the screen blank again; no-op if not active."""
        if not self._active:
            return
        self._active = False
        try:
            self._give_back()
        except Exception as error:  # as above
            _log.info("could not release the screen (%s): %s", self.name, error)

    def _take(self, reason: str) -> None:
        """Ask the system; raise on failure."""

    def _give_back(self) -> None:
        """Undo :meth:`_take`, if it succeeded; raise on failure."""


# --- Linux -----------------------------------------------------------------


class ScreenSaverBus(Protocol):
    """The org.freedesktop.ScreenSaver calls the Linux backend makes."""

    def inhibit(self, application: str, reason: str) -> int:
        """``Inhibit(application, reason)``; returns the cookie; raises OSError on failure."""
        ...

    def uninhibit(self, cookie: int) -> None:
        """``UnInhibit(cookie)``; raises OSError on failure."""
        ...


class FreedesktopInhibitor(ScreenSaverInhibitor):
    """Inhibits through org.freedesktop.ScreenSaver (GNOME, KDE, Xfce, ...)."""

    name = "org.freedesktop.ScreenSaver"

    def __init__(self, bus: ScreenSaverBus, application: str = APP_NAME) -> None:
        super().__init__()
        self._bus = bus
        self._application = application
        self._cookie: int | None = None

    def _take(self, reason: str) -> None:
        self._cookie = self._bus.inhibit(self._application, reason)

    def _give_back(self) -> None:
        cookie, self._cookie = self._cookie, None
        if cookie is not None:
            self._bus.uninhibit(cookie)


_SERVICE = "org.freedesktop.ScreenSaver"
_PATH = "/org/freedesktop/ScreenSaver"


class QtScreenSaverBus:
    """The real session bus, through QtDBus.

    Each inhibition gets a private bus connection, and releasing it closes
    that connection. Screen savers drop an inhibition when the connection
    that took it goes away (that is how they survive crashed apps), and this
    avoids ``UnInhibit``, whose unsigned cookie PySide cannot send: Python
    ints go out as signed D-Bus integers, which the services reject.
    """

    _names = count(1)

    def __init__(self) -> None:
        self._connections: dict[int, str] = {}

    @staticmethod
    def session_bus_present() -> bool:
        """Whether a session bus is reachable at all."""
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415 - only on Linux, only when used

        return QDBusConnection.sessionBus().isConnected()

    def inhibit(self, application: str, reason: str) -> int:
        from PySide6.QtDBus import QDBusConnection, QDBusMessage  # noqa: PLC0415 - as above

        name = f"{APP_NAME}-inhibit-{os.getpid()}-{next(self._names)}"
        connection = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, name)
        if not connection.isConnected():
            del connection
            QDBusConnection.disconnectFromBus(name)
            raise OSError("no D-Bus session bus")
        message = QDBusMessage.createMethodCall(_SERVICE, _PATH, _SERVICE, "Inhibit")
        message.setArguments([application, reason])
        reply = connection.call(message, timeout=2000)
        del connection
        arguments = reply.arguments()
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not arguments:
            QDBusConnection.disconnectFromBus(name)
            raise OSError(reply.errorMessage() or "no reply from the screen saver")
        cookie = int(arguments[0])
        self._connections[cookie] = name
        return cookie

    def uninhibit(self, cookie: int) -> None:
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415 - as above

        name = self._connections.pop(cookie, None)
        if name is not None:
            QDBusConnection.disconnectFromBus(name)


# --- Windows ---------------------------------------------------------------

ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002


class WindowsInhibitor(ScreenSaverInhibitor):
    """Keeps the display and system on with ``SetThreadExecutionState``.

    The state belongs to the calling thread, so inhibit and release must be
    called from the same (GUI) thread.
    """

    name = "SetThreadExecutionState"

    def __init__(self, set_thread_execution_state: Callable[[int], int]) -> None:
        super().__init__()
        self._set_state = set_thread_execution_state

    def _take(self, reason: str) -> None:
        if not self._set_state(ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED):
            raise OSError("SetThreadExecutionState failed")

    def _give_back(self) -> None:
        if not self._set_state(ES_CONTINUOUS):
            raise OSError("SetThreadExecutionState failed")


def _windows_function() -> Callable[[int], int]:
    import ctypes  # noqa: PLC0415 - Windows only

    # The type checker runs on Linux, where typeshed has no ctypes.windll; the
    # function it gives is untyped, hence the second ignore.
    function = ctypes.windll.kernel32.SetThreadExecutionState  # type: ignore[attr-defined]
    function.argtypes = [ctypes.c_uint32]
    function.restype = ctypes.c_uint32
    return function  # type: ignore[no-any-return]


# --- macOS -----------------------------------------------------------------


class Process(Protocol):
    """The part of subprocess.Popen the macOS backend uses."""

    def terminate(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


def _start(command: Sequence[str]) -> Process:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class CaffeinateInhibitor(ScreenSaverInhibitor):
    """Runs ``caffeinate`` (display and idle sleep prevented) until released.

    ``-w`` ties it to this process, so it ends even if the app crashes.
    """

    name = "caffeinate"

    def __init__(
        self,
        executable: str = "caffeinate",
        start: Callable[[Sequence[str]], Process] = _start,
        pid: int | None = None,
    ) -> None:
        super().__init__()
        self._executable = executable
        self._start = start
        self._pid = os.getpid() if pid is None else pid
        self._process: Process | None = None

    def _take(self, reason: str) -> None:
        self._process = self._start([self._executable, "-d", "-i", "-w", str(self._pid)])

    def _give_back(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            process.wait(timeout=2)


# --- choosing --------------------------------------------------------------


def create_inhibitor(
    platform: str | None = None,
    *,
    which: Callable[[str], str | None] = shutil.which,
    session_bus_present: Callable[[], bool] = QtScreenSaverBus.session_bus_present,
) -> ScreenSaverInhibitor:
    """The inhibitor for this system, or one that does nothing when none can work."""
    platform = sys.platform if platform is None else platform
    try:
        if platform == "win32":
            return WindowsInhibitor(_windows_function())
        if platform == "darwin":
            executable = which("caffeinate")
            return CaffeinateInhibitor(executable) if executable else ScreenSaverInhibitor()
        if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and session_bus_present():
            return FreedesktopInhibitor(QtScreenSaverBus())
    except Exception as error:  # never fail start-up over this
        _log.info("no way to keep the screen awake: %s", error)
    return ScreenSaverInhibitor()
