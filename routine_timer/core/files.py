"""Reading a file the user named, whatever the path turns out to be.

A named pipe would make a plain ``open`` wait for a writer forever (and the
window with it), so every file the app reads on the user's word - routine
files, pictures, files to import - is opened without blocking and checked to
be a regular file first.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from hashlib import sha256
else:
    # CPython's own SHA-256 loads in 0.2 ms; hashlib loads OpenSSL first (4 ms at every start).
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - Python 3.12 and later name it _sha2
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256


class NotAFileError(OSError):
    """The path names a pipe, a device or a socket, not a file that can be read."""


class FileTooLargeError(OSError):
    """The file is over the size the caller allows; ``size`` is its size in bytes."""

    def __init__(self, size: int, path: str) -> None:
        super().__init__(errno.EFBIG, f"it is too large ({size:,} bytes)", path)
        self.size = size


def read_user_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file ``path``; never blocks, whatever ``path`` is.

    Raises :class:`IsADirectoryError` for a folder, :class:`NotAFileError` for
    a pipe or a device, :class:`FileTooLargeError` past ``max_bytes`` (it reads
    one byte more than that, so a file that grew since is caught too), and
    ``OSError`` for the rest (``strerror`` in plain words).
    """
    shown = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", shown)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(None, "it is not a regular file (a pipe or a device, say)", shown)
        if max_bytes is not None and info.st_size > max_bytes:
            raise FileTooLargeError(info.st_size, shown)
        with open(fd, "rb", closefd=False) as file:
            if max_bytes is None:
                return file.read()
            # As much as fstat says, and a byte more: a read of max_bytes + 1 at once
            # allocates that much every time (a 2 KB routine took 22-25 us to read, 8 us
            # this way). A file that has grown since is read on, up to that byte.
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += file.read(max_bytes + 1 - len(data))
            return data
    finally:
        os.close(fd)


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: what a routine and its cache entry are known by."""
    return sha256(data).hexdigest()


PLAN_SUFFIXES: Final = (".plan.yaml", ".plan.yml")
"""How plan files are named, beside routines (``runners-back-care.plan.yaml``)."""


def is_plan_file(path: Path) -> bool:
    """Whether ``path`` is named as a plan file (``*.plan.yaml``).

    Here, not with the plans (:mod:`routine_timer.core.programme`): the library
    scan asks it before the window's first paint, and the plan model costs
    about 10 ms to import.
    """
    return path.name.lower().endswith(PLAN_SUFFIXES)
