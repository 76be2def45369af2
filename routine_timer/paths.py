"""Where the app finds its bundled files and keeps the user's.

Everything the app stores (user routines, history, settings, a cache, its log) lives under one
data folder: ``--data-dir`` if given, else ``$ROUTINE_TIMER_HOME``, else the
platform's user data folder (``~/.local/share/routine-timer`` on Linux).

A place that cannot be used (a file where the folder should be, a path too
long for the system, a folder that cannot be read) is reported once, at
start-up, as a :class:`DataDirError` in plain words; :func:`os_reason` puts
any error from the file system in the same words.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "routine-timer"
HOME_VARIABLE = "ROUTINE_TIMER_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # In a wheel the folder is inside the package; in a source checkout
    # (including editable installs) it sits at the top of the repository.
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def bundled_routines_dir() -> Path:
    """The read-only folder of routines that ship with the app."""
    return _shipped("routines")


def assets_dir() -> Path:
    """Sounds, icons and the desktop file that ship with the app."""
    return _shipped("assets")


def format_reference() -> Path:
    """The routine format reference (Markdown), shipped so Help opens it without a network."""
    return _shipped("docs") / "routine-format.md"


def schema_path() -> Path:
    """The JSON Schema of the routine format, shipped beside the bundled routines."""
    return bundled_routines_dir() / "routine.schema.json"


def plan_schema_path() -> Path:
    """The JSON Schema of the plan format, shipped beside the routine format's."""
    return bundled_routines_dir() / "plan.schema.json"


_REASONS = {
    errno.ENOENT: "it does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.EEXIST: "something of that name is already there",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENAMETOOLONG: "the path or a name in it is too long for the system",
    errno.ELOOP: "it goes round a loop of symbolic links",
    errno.ENXIO: "it is a device or pipe with nothing behind it",
    errno.EIO: "the disk could not be read or written",
}


def os_reason(error: OSError) -> str:
    """What went wrong, in plain words, for an error from the file system."""
    reason = _REASONS.get(error.errno or 0)
    if reason is not None:
        return reason
    return (error.strerror or str(error) or type(error).__name__).lower()


class DataDirError(Exception):
    """The data folder, or a folder in it, cannot be used; the message is for people."""


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The user's data folder and what lives in it."""

    data_dir: Path

    @property
    def routines_dir(self) -> Path:
        return self.data_dir / "routines"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.ini"

    @property
    def library_cache(self) -> Path:
        """Routines already checked, to open the library quickly; safe to delete."""
        return self.data_dir / "cache" / "library.json"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        """What the app did and every unexpected error; the file to send with a bug report."""
        return self.logs_dir / f"{APP_NAME}.log"

    def check(self) -> AppPaths:
        """Make sure the data folder can be used, creating nothing.

        Raises :class:`DataDirError` saying what is wrong when the data or
        routines folder is not a folder, cannot be read, or its path is too
        long for the system. Folders not there yet are fine.
        """
        for folder in (self.data_dir, self.routines_dir):
            problem = _folder_problem(folder)
            if problem is not None:
                raise DataDirError(_unusable(self.data_dir, folder, problem))
        return self

    def ensure(self) -> AppPaths:
        """:meth:`check`, then create the data and user-routines folders if they are missing."""
        self.check()
        try:
            self.routines_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            problem = os_reason(error)
            raise DataDirError(_unusable(self.data_dir, self.routines_dir, problem)) from None
        return self


def _folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot serve as a folder of ours, or None (also when it is missing)."""
    try:
        os.stat(folder)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return "part of the path is a file, not a folder"
    except (OSError, ValueError) as error:
        return os_reason(error) if isinstance(error, OSError) else str(error)
    if not folder.is_dir():
        return "it is a file, not a folder"
    try:
        with os.scandir(folder):
            pass
    except OSError as error:
        return os_reason(error)
    return None


def _unusable(data_dir: Path, folder: Path, problem: str) -> str:
    which = "the data folder" if folder == data_dir else "the folder"
    return (
        f"cannot use {which} {folder}: {problem}. Choose another with --data-dir "
        f"or ${HOME_VARIABLE}, or fix it and try again."
    )


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Pick the data folder: the argument, then the environment, then platformdirs."""
    if data_dir:
        return AppPaths(Path(data_dir).expanduser().resolve())
    from_env = os.environ.get(HOME_VARIABLE)
    if from_env:
        return AppPaths(Path(from_env).expanduser().resolve())
    return AppPaths(default_data_dir())


def default_data_dir() -> Path:
    """The data folder when neither ``--data-dir`` nor the environment names one."""
    import platformdirs  # noqa: PLC0415 - only needed when nothing overrides it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
