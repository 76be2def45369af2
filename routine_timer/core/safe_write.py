"""Writing files atomically, under names that fit the file system.

A crash or a full disk never leaves a half-written file behind: the data goes
to a temporary file in the same folder, which is flushed to disk and then
renamed over the target. Kept apart from :mod:`routine_timer.core.authoring`
so that writing the schema at start-up does not load PyYAML and the loader.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

NAME_MAX: Final = 255
"""The longest file name, in bytes, on the usual file systems (ext4, APFS, NTFS in UTF-16)."""

WriteHook = Callable[[Path], None]
"""Called with the temporary file's path after it is written, before it replaces the target."""


def fit_name(stem: str, suffix: str = "", *, limit: int = NAME_MAX) -> str:
    """``stem + suffix``, ``stem`` cut short so that the name fits ``limit`` bytes.

    Cut between characters, never inside one, so the name stays readable.
    """
    room = limit - len(os.fsencode(suffix))
    while stem and len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return stem + suffix


def not_a_file(path: Path) -> str | None:
    """Why a new file must not be renamed over ``path``: it is a device, a pipe or a
    socket (``/dev/null``, say), which the rename would replace with a plain file.

    None when ``path`` is a plain file, a folder (the caller says so) or missing.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "it is a device or a pipe, not a file: give the name of a file to write"


def atomic_write_bytes(path: Path, data: bytes, *, before_replace: WriteHook | None = None) -> None:
    """Write ``data`` to ``path`` atomically.

    If anything fails (including an exception raised by ``before_replace``),
    the old file is left exactly as it was, the temporary file is removed and
    the exception propagates. An existing file keeps its permissions. Whatever is
    at ``path`` is replaced, a pipe too (the editor relies on it); a target the
    user names for an export is checked with :func:`not_a_file` first.
    """
    folder = path.parent
    # The temporary name is longer than the file's: a file named near the limit
    # (250 bytes, say) needs it shortened, or it could never be saved.
    temp = folder / f".{fit_name(path.name, f'.{secrets.token_hex(4)}.tmp', limit=NAME_MAX - 1)}"
    # 0o666 and O_EXCL: the umask applies as for any new file, and a stale
    # temporary file of the same name is never written through.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with open(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        if before_replace is not None:
            before_replace(temp)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    # The rename itself reaches the disk only once the folder is synced (POSIX).
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["NAME_MAX", "WriteHook", "atomic_write_bytes", "fit_name"]
