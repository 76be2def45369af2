"""Where the app finds its bundled files and keeps the user's.

Everything the app stores (user routines, history, settings, a cache, its log) lives under one
data folder: ``--data-dir`` if given, else ``$ROUTINE_TIMER_HOME``, else the
platform's user data folder (``~/.local/share/routine-timer`` on Linux).
"""

from __future__ import annotations

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

    def ensure(self) -> AppPaths:
        """Create the data and user-routines folders if they are missing."""
        self.routines_dir.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Pick the data folder: the argument, then the environment, then platformdirs."""
    if data_dir:
        return AppPaths(Path(data_dir).expanduser().resolve())
    from_env = os.environ.get(HOME_VARIABLE)
    if from_env:
        return AppPaths(Path(from_env).expanduser().resolve())
    import platformdirs  # noqa: PLC0415 - only needed when nothing overrides it

    return AppPaths(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))
