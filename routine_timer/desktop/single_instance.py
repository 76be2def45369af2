"""One app per data folder: a second start hands its wish to the first and ends.

Starting at login and starting by hand would otherwise run two apps, and two
apps remind twice. The first start listens on a local socket named after the
user and the data folder (:class:`SingleInstance`); a later one connects,
sends one line (``show``, or ``start ROUTINE``) and ends, and the first one
acts on it (:attr:`SingleInstance.messageReceived`). The connection is local
to the machine, one process to another, so the short waits here block nobody.

Where the socket is a file (Linux, macOS), its absence says for nothing that no
app listens (:func:`may_be_running`): the usual start then builds its window
first and claims the socket after the first paint, so QtNetwork and the two
probes (about 25 ms, see "Start-up" in BENCHMARKS.md) stay off that path.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, Signal

from routine_timer.core.files import digest
from routine_timer.paths import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

_log = logging.getLogger(__name__)

SHOW: Final = "show"
START: Final = "start"
WAIT_MS: Final = 1000
_MAX_LINE: Final = 4096


_SOCKET_PATH_MAX: Final = 100
"""Longest socket path used as it is (the system's limit is 104-108 bytes)."""


def server_name(data_dir: Path) -> str:
    """The socket's name: one per user and data folder.

    Where sockets are files, the full path, in the user's runtime folder when
    there is one (else the temporary folder, where Qt would put it), so that
    :func:`may_be_running` looks where the server listens.
    """
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    # The name is worked out before the first paint: hashlib would load OpenSSL (3 ms).
    key = f"{user}\0{data_dir}".encode()
    name = f"{APP_NAME}-{digest(key)[:16]}"
    if os.name != "posix":
        return name  # a named pipe: no file to look for
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    folder = runtime if os.path.isdir(runtime) else os.environ.get("TMPDIR") or "/tmp"
    path = os.path.join(folder, name)
    return path if os.path.isabs(path) and len(path) <= _SOCKET_PATH_MAX else name


def may_be_running(name: str) -> bool:
    """Whether an app may listen on ``name``: False only when its socket file is not there."""
    if os.name != "posix" or not os.path.isabs(name):
        return True
    return os.path.exists(name)


class SingleInstance(QObject):
    """The first app's listening socket, or the way a second app reaches the first."""

    messageReceived = Signal(str)
    """A later start's line: ``show``, or ``start ROUTINE``."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None

    def hand_over(self, message: str) -> bool:
        """If another app listens, send it ``message`` and return True (this one should end)."""
        from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - see the module's notes

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(WAIT_MS):
            return False
        socket.write(message.replace("\n", " ").encode("utf-8") + b"\n")
        sent = socket.waitForBytesWritten(WAIT_MS)
        socket.disconnectFromServer()
        if not sent:
            _log.warning("the app already running did not take the message %r", message)
        return True

    def listen(self) -> bool:
        """Be the one app: listen for later starts. False when another app just did (then
        :meth:`hand_over`), or when the socket cannot be made (logged)."""
        # Asked first: with its access option, Qt's listen() replaces a socket in use.
        if self._answered():
            return False  # another app started at the same moment, and got here first
        from PySide6.QtNetwork import QLocalServer  # noqa: PLC0415 - see the module's notes

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Left behind by an app that crashed: nobody answered, so it is stale.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                _log.warning("cannot guard against a second start: %s", server.errorString())
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def _answered(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - see the module's notes

        probe = QLocalSocket()
        probe.connectToServer(self.name)
        answered = probe.waitForConnected(WAIT_MS)
        probe.abort()
        return answered

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _accept(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.setParent(self)
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if b"\n" in buffer or len(buffer) > _MAX_LINE:
                    line = bytes(buffer).split(b"\n", 1)[0]
                    buffer.clear()
                    socket.disconnectFromServer()
                    socket.deleteLater()
                    if len(line) > _MAX_LINE:
                        # No later start sends that much: acting on the first part of
                        # it (a routine id cut short, say) would do what nobody asked.
                        _log.warning("ignored a message of more than %d bytes", _MAX_LINE)
                        return
                    self.messageReceived.emit(line.decode("utf-8", "replace").strip())

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()
