"""Start the app at login, in the tray, so reminders come after a restart (Linux).

The XDG autostart specification: a desktop entry in
``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart`` by default) is started
by the desktop at login. The app writes ``routine-timer.desktop`` there when
the "Start at login" setting is turned on and removes it when it is turned off;
the file is written whole or not at all. Elsewhere (Windows, macOS) there is
no such entry yet: :func:`unavailable_reason` says so for the settings dialog.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from routine_timer.core.safe_write import atomic_write_bytes
from routine_timer.paths import APP_NAME

FILE_NAME: Final = f"{APP_NAME}.desktop"
MARK: Final = "X-Routine-Timer-Autostart=true"
"""In every entry the app writes, so it only ever removes its own."""
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:+,@")


def unavailable_reason(platform: str | None = None) -> str | None:
    """Why starting at login cannot be set up here, or None where it can."""
    platform = sys.platform if platform is None else platform
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    return "Starting at login is set up by the app on Linux only, for now."


def autostart_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/autostart``, or ``~/.config/autostart``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME", "").strip()
    # The specification: a relative path is invalid, and the default is used.
    config = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return config / "autostart"


def launch_command(data_dir: Path | None = None) -> list[str]:
    """How the desktop should start the app: ``routine-timer --tray`` (and its data folder)."""
    found = shutil.which(APP_NAME)
    command = [found] if found else [sys.executable, "-m", "routine_timer"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return [*command, "--tray"]


def exec_value(command: Sequence[str]) -> str:
    """``command`` as a desktop entry's ``Exec=`` value: quoted and escaped as the spec says."""
    words = []
    for argument in command:
        word = argument.replace("%", "%%")
        if word and set(word) <= _PLAIN:
            words.append(word)
        else:
            inner = "".join("\\" + char if char in '"`$\\' else char for char in word)
            words.append(f'"{inner}"')
    # The value is a string too, whose own escape is the backslash.
    return " ".join(words).replace("\\", "\\\\")


def entry_text(command: Sequence[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Routine timer",
            "Comment=Reminds you of today's routines (in the tray)",
            f"Exec={exec_value(command)}",
            f"Icon={APP_NAME}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            MARK,
            "",
        ]
    )


def autostart_file(folder: Path | None = None) -> Path:
    return (autostart_dir() if folder is None else folder) / FILE_NAME


def is_ours(path: Path) -> bool:
    try:
        return MARK in path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False


def write_autostart(command: Sequence[str], folder: Path | None = None) -> Path:
    """Write (or bring up to date) the autostart entry; raises OSError when it cannot."""
    path = autostart_file(folder)
    text = entry_text(command)
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def remove_autostart(folder: Path | None = None) -> bool:
    """Remove the app's autostart entry (never someone else's); True if one was removed."""
    path = autostart_file(folder)
    if not is_ours(path):
        return False
    path.unlink(missing_ok=True)
    return True
