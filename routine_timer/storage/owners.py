"""Tell whether the app instance recording a session is still alive.

Each instance that records a session holds an exclusive OS lock on its own
small file, ``<history file>.owners/<token>.lock``, for as long as it is open,
and writes ``<token>`` on the sessions it runs. The operating system drops the
lock when the process ends in any way (quit, crash, SIGKILL, power loss), so
another instance can tell "still running" from "died" by trying the lock:
no pid reuse, clock or boot-id guesswork. Locks are per open file, so even two
stores in one process see each other as alive.

Locks are ``flock`` on POSIX and ``msvcrt.locking`` on Windows. Like SQLite's
own WAL mode, this assumes a local disk, not a network share.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO


def owners_dir(database: Path) -> Path:
    """The folder of lock files beside ``database``."""
    return database.with_name(database.name + ".owners")


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - platform-specific

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl  # noqa: PLC0415 - platform-specific

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class OwnerLock:
    """This instance's liveness token, held locked until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        folder = owners_dir(database)
        folder.mkdir(parents=True, exist_ok=True)
        import secrets  # noqa: PLC0415 - only a recorder needs it; reading starts faster

        self.token = f"{os.getpid()}-{secrets.token_hex(8)}"
        self._path = folder / f"{self.token}.lock"
        self._handle: IO[bytes] | None = open(self._path, "wb")  # noqa: SIM115 - held open
        if not _try_lock(self._handle):  # pragma: no cover - the name is fresh and random
            self._handle.close()
            raise OSError(f"cannot lock {self._path}")

    def release(self) -> None:
        """Drop the lock and remove the file (the OS drops it anyway on exit)."""
        if self._handle is None:
            return
        # Closed first: Windows cannot delete a file that is still open.
        self._handle.close()
        self._handle = None
        with contextlib.suppress(OSError):
            self._path.unlink(missing_ok=True)


def is_alive(database: Path, token: str | None) -> bool:
    """True while the instance that wrote ``token`` still holds its lock.

    A missing token (sessions written before tokens existed) or a missing
    lock file means the owner is gone. The stale file of a dead owner is
    removed.
    """
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return False
    path = owners_dir(database) / f"{token}.lock"
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return False
    except OSError:
        # Cannot even look (permissions): do not risk calling a live one dead.
        return True
    with handle:
        if not _try_lock(handle):
            return True
        with contextlib.suppress(OSError):  # a read-only folder keeps it; harmless
            path.unlink(missing_ok=True)
        return False
