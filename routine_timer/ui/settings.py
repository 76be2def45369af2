"""The user's cue settings, kept in an INI file in the data folder.

Values are read once when :class:`Settings` is created and written through on
every change, so a crash never loses a setting. The file may be edited by
hand: a value that does not parse falls back to its default and a number out
of range is clamped, without an error.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

DEFAULT_VOICE = True
DEFAULT_SOUNDS = True
DEFAULT_VOLUME = 0.8
DEFAULT_COUNTDOWN = 3
MAX_COUNTDOWN = 10

_GROUP = "cues"
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _as_bool(raw: object, default: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return default


def _as_float(raw: object, default: float, low: float, high: float) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        return default
    if math.isnan(value):
        return default
    return min(max(value, low), high)


def _as_int(raw: object, default: int, low: int, high: int) -> int:
    number = _as_float(raw, float(default), float(low), float(high))
    return round(number)


class Settings(QObject):
    """Voice, sounds, volume and countdown length, persisted; mute and voice status, not.

    ``muted`` (the M key) lasts for the running app only, so a muted session
    does not leave the next day's session silent. ``voice_unavailable_reason``
    is set by the cue player when no voice engine works, for the settings
    dialog to show.
    """

    changed = Signal(str)
    """Emitted with the name of the setting that changed."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = QSettings(str(path), QSettings.Format.IniFormat, self)
        self._store.beginGroup(_GROUP)
        self._voice = _as_bool(self._store.value("voice", DEFAULT_VOICE), DEFAULT_VOICE)
        self._sounds = _as_bool(self._store.value("sounds", DEFAULT_SOUNDS), DEFAULT_SOUNDS)
        self._volume = _as_float(self._store.value("volume", DEFAULT_VOLUME), DEFAULT_VOLUME, 0, 1)
        self._countdown = _as_int(
            self._store.value("countdown", DEFAULT_COUNTDOWN), DEFAULT_COUNTDOWN, 0, MAX_COUNTDOWN
        )
        self._muted = False
        self._voice_unavailable_reason: str | None = None

    @property
    def path(self) -> Path:
        """The INI file the settings live in."""
        return Path(self._store.fileName())

    @property
    def voice(self) -> bool:
        """Speak announcements when a voice engine is available."""
        return self._voice

    @voice.setter
    def voice(self, value: bool) -> None:
        if bool(value) != self._voice:
            self._voice = bool(value)
            self._save("voice", self._voice)

    @property
    def sounds(self) -> bool:
        """Play the beeps and chimes."""
        return self._sounds

    @sounds.setter
    def sounds(self, value: bool) -> None:
        if bool(value) != self._sounds:
            self._sounds = bool(value)
            self._save("sounds", self._sounds)

    @property
    def volume(self) -> float:
        """Loudness of sounds and voice, 0 to 1."""
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        clamped = _as_float(value, self._volume, 0, 1)
        if clamped != self._volume:
            self._volume = clamped
            self._save("volume", clamped)

    @property
    def countdown(self) -> int:
        """How many seconds the 3-2-1 countdown counts before a step ends (0 = off)."""
        return self._countdown

    @countdown.setter
    def countdown(self, value: int) -> None:
        clamped = _as_int(value, self._countdown, 0, MAX_COUNTDOWN)
        if clamped != self._countdown:
            self._countdown = clamped
            self._save("countdown", clamped)

    @property
    def muted(self) -> bool:
        """Silence every cue for now (not saved)."""
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        if bool(value) != self._muted:
            self._muted = bool(value)
            self.changed.emit("muted")

    @property
    def voice_unavailable_reason(self) -> str | None:
        """Why spoken cues are off although ``voice`` is on, or None when they work."""
        return self._voice_unavailable_reason

    @voice_unavailable_reason.setter
    def voice_unavailable_reason(self, value: str | None) -> None:
        if value != self._voice_unavailable_reason:
            self._voice_unavailable_reason = value
            self.changed.emit("voice_unavailable_reason")

    def _save(self, key: str, value: bool | float | int) -> None:
        self._store.setValue(key, value)
        # Write now: the app may be killed mid-session, and a second Settings
        # on the same file must see the change.
        self._store.sync()
        self.changed.emit(key)
