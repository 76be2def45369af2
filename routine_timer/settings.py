"""The user's cue and screen settings and chosen plan, kept in an INI file in the data folder.

Plain Python, no Qt: the cue player, the settings dialog and the session
screen all read the same :class:`Settings`, and each learns of a change
through :meth:`Settings.subscribe`.

Values are read once when :class:`Settings` is created and written through on
every change, so a crash never loses a setting. The file may be edited by
hand: a value that does not parse falls back to its default and a number out
of range is clamped, without an error. The file is the one QSettings wrote
in earlier versions (a ``[cues]`` section of ``key=value`` lines); keys and
sections this module does not know are kept as they are.
"""

from __future__ import annotations

import configparser
import contextlib
import logging
import math
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date, time
from pathlib import Path

DEFAULT_VOICE = True
DEFAULT_SOUNDS = True
DEFAULT_VOLUME = 0.8
DEFAULT_COUNTDOWN = 3
MAX_COUNTDOWN = 10
DEFAULT_FLASH = False
DEFAULT_HIGH_CONTRAST = False

REMIND_PLAN = "plan"
"""Remind at the plan's times (its ``remind:`` keys)."""
REMIND_OWN = "own"
"""Remind at the runner's own time, :attr:`Settings.reminder_time`, instead."""
REMIND_OFF = "off"
"""No reminders."""
REMIND_MODES = (REMIND_PLAN, REMIND_OWN, REMIND_OFF)
DEFAULT_REMIND = REMIND_PLAN
DEFAULT_REMINDER_TIME = time(18, 0)
DEFAULT_START_AT_LOGIN = False

_GROUP = "cues"
_PLAN_GROUP = "plan"
_REMIND_GROUP = "reminders"
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}

_log = logging.getLogger(__name__)

Listener = Callable[[str], None]
"""Called with the name of the setting that changed."""


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


def _as_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _as_time(raw: str, default: time) -> time:
    hours, colon, minutes = raw.strip().partition(":")
    if not colon or not hours.isdecimal() or not minutes.isdecimal() or len(minutes) != 2:
        return default
    if int(hours) > 23 or int(minutes) > 59:
        return default
    return time(int(hours), int(minutes))


def _as_text(value: bool | float | int) -> str:
    """A value as the INI file has always spelled it: ``true``, ``0.35``, ``1``, ``5``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text.removesuffix(".0")


class _CaseKeepingParser(configparser.ConfigParser):
    def optionxform(self, optionstr: str) -> str:
        # Keys keep their case (ConfigParser lowers them by default).
        return optionstr


def _parser() -> configparser.ConfigParser:
    # No interpolation: a "%" typed by hand is text. Not strict: a key given twice
    # keeps the last value.
    return _CaseKeepingParser(interpolation=None, strict=False)


def _read(path: Path) -> configparser.ConfigParser:
    """What the file holds; nothing when it is missing or not an INI file at all."""
    parser = _parser()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return parser
    except OSError as error:
        _log.warning("settings: cannot read %s (%s); using the defaults", path, error)
        return parser
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError:
        _log.warning("settings: %s is not a settings file; using the defaults", path)
        return _parser()
    except configparser.Error as error:
        # Lines that do not parse are left out; everything read before and after stays.
        _log.warning("settings: some lines of %s were not understood: %s", path, error)
    return parser


class Settings:
    """Voice, sounds, volume, countdown length, flash and high contrast, persisted; mute, not.

    ``muted`` (the M key) is the one switch that silences every cue. It
    lasts for the running app only, so a muted session does not leave the
    next day's session silent.

    ``path`` None keeps the settings in memory only (nothing is written).
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._listeners: list[Listener] = []
        values = _read(path) if path is not None else _parser()
        stored: Mapping[str, str] = values[_GROUP] if values.has_section(_GROUP) else {}
        self._voice = _as_bool(stored.get("voice", DEFAULT_VOICE), DEFAULT_VOICE)
        self._sounds = _as_bool(stored.get("sounds", DEFAULT_SOUNDS), DEFAULT_SOUNDS)
        self._volume = _as_float(stored.get("volume", DEFAULT_VOLUME), DEFAULT_VOLUME, 0, 1)
        self._countdown = _as_int(
            stored.get("countdown", DEFAULT_COUNTDOWN), DEFAULT_COUNTDOWN, 0, MAX_COUNTDOWN
        )
        self._flash = _as_bool(stored.get("flash", DEFAULT_FLASH), DEFAULT_FLASH)
        self._high_contrast = _as_bool(
            stored.get("high_contrast", DEFAULT_HIGH_CONTRAST), DEFAULT_HIGH_CONTRAST
        )
        self._muted = False
        plan: Mapping[str, str] = values[_PLAN_GROUP] if values.has_section(_PLAN_GROUP) else {}
        self._plan = plan.get("active", "").strip() or None
        self._plan_chosen = _as_date(plan.get("chosen", ""))
        remind: Mapping[str, str] = (
            values[_REMIND_GROUP] if values.has_section(_REMIND_GROUP) else {}
        )
        mode = remind.get("remind", DEFAULT_REMIND).strip().lower()
        self._remind = mode if mode in REMIND_MODES else DEFAULT_REMIND
        self._reminder_time = _as_time(remind.get("at", ""), DEFAULT_REMINDER_TIME)
        self._start_at_login = _as_bool(
            remind.get("login", DEFAULT_START_AT_LOGIN), DEFAULT_START_AT_LOGIN
        )
        self._reminder_log = remind.get("log", "").strip()
        self._told_tray = _as_bool(remind.get("told-tray", False), False)

    @property
    def path(self) -> Path | None:
        """The INI file the settings live in (None: kept in memory only)."""
        return self._path

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with a setting's name after it changed; returns the way to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):  # already stopped
                self._listeners.remove(listener)

        return unsubscribe

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
    def flash(self) -> bool:
        """Flash the session screen on each number of the 3-2-1 countdown (noisy rooms)."""
        return self._flash

    @flash.setter
    def flash(self, value: bool) -> None:
        if bool(value) != self._flash:
            self._flash = bool(value)
            self._save("flash", self._flash)

    @property
    def high_contrast(self) -> bool:
        """Show the session in black, white and yellow (every text at 7:1 or more)."""
        return self._high_contrast

    @high_contrast.setter
    def high_contrast(self, value: bool) -> None:
        if bool(value) != self._high_contrast:
            self._high_contrast = bool(value)
            self._save("high_contrast", self._high_contrast)

    @property
    def muted(self) -> bool:
        """Silence every cue for now (not saved)."""
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        if bool(value) != self._muted:
            self._muted = bool(value)
            self._changed("muted")

    @property
    def plan(self) -> str | None:
        """The id of the plan the Today view follows; None: no plan (the library is home)."""
        return self._plan

    @property
    def plan_chosen(self) -> date | None:
        """The day the plan was chosen: its block starts then when the plan gives no start."""
        return self._plan_chosen

    def choose_plan(self, plan_id: str | None, today: date) -> None:
        """Follow the plan ``plan_id`` from ``today`` (None: follow no plan)."""
        plan_id = plan_id.strip() if plan_id else None
        if plan_id == self._plan:
            return
        self._plan = plan_id or None
        self._plan_chosen = today if self._plan else None
        if self._path is not None:
            self._write(self._path, "active", self._plan or "", _PLAN_GROUP)
            self._write(self._path, "chosen", today.isoformat() if self._plan else "", _PLAN_GROUP)
        self._changed("plan")

    @property
    def remind(self) -> str:
        """When to remind of the plan's routines: :data:`REMIND_PLAN`, ``OWN`` or ``OFF``."""
        return self._remind

    @remind.setter
    def remind(self, value: str) -> None:
        if value not in REMIND_MODES:
            raise ValueError(f"reminders are one of {', '.join(REMIND_MODES)}, not {value!r}")
        if value != self._remind:
            self._remind = value
            self._save_text("remind", value, _REMIND_GROUP)

    @property
    def reminder_time(self) -> time:
        """The runner's own reminder time (used with :data:`REMIND_OWN`), to the minute."""
        return self._reminder_time

    @reminder_time.setter
    def reminder_time(self, value: time) -> None:
        value = time(value.hour, value.minute)
        if value != self._reminder_time:
            self._reminder_time = value
            self._save_text("reminder_time", f"{value.hour:02d}:{value.minute:02d}", _REMIND_GROUP)

    @property
    def start_at_login(self) -> bool:
        """Start in the tray at login (the XDG autostart entry), for reminders after a restart."""
        return self._start_at_login

    @start_at_login.setter
    def start_at_login(self, value: bool) -> None:
        if bool(value) != self._start_at_login:
            self._start_at_login = bool(value)
            self._save_text("start_at_login", _as_text(self._start_at_login), _REMIND_GROUP)

    @property
    def reminder_log(self) -> str:
        """What was reminded of today, as ``core.reminders.ReminderLog`` writes it."""
        return self._reminder_log

    @reminder_log.setter
    def reminder_log(self, value: str) -> None:
        value = " ".join(value.split())  # one line, whatever it was given
        if value != self._reminder_log:
            self._reminder_log = value
            self._save_text("reminder_log", value, _REMIND_GROUP)

    @property
    def told_tray(self) -> bool:
        """Whether the runner was told once that closing the window keeps the app in the tray."""
        return self._told_tray

    @told_tray.setter
    def told_tray(self, value: bool) -> None:
        if bool(value) != self._told_tray:
            self._told_tray = bool(value)
            self._save_text("told_tray", _as_text(self._told_tray), _REMIND_GROUP)

    def toggle_muted(self) -> None:
        """Mute, or unmute (the M key)."""
        self.muted = not self._muted

    def _save(self, key: str, value: bool | float | int) -> None:
        if self._path is not None:
            self._write(self._path, key, _as_text(value))
        self._changed(key)

    _FILE_KEYS = {  # noqa: RUF012 - a constant table
        "reminder_time": "at",
        "start_at_login": "login",
        "reminder_log": "log",
        "told_tray": "told-tray",
    }

    def _save_text(self, name: str, text: str, group: str) -> None:
        """Write ``name`` (the property's name; its key in the file may be shorter) and tell."""
        if self._path is not None:
            self._write(self._path, self._FILE_KEYS.get(name, name), text, group)
        self._changed(name)

    def _write(self, path: Path, key: str, text: str, group: str = _GROUP) -> None:
        # Write now: the app may be killed mid-session, and a second Settings on the
        # same file must see the change. Read the file again first, so that what
        # another Settings (or a hand edit) wrote meanwhile is kept.
        values = _read(path)
        if not values.has_section(group):
            values.add_section(group)
        values[group][key] = text
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                with temporary.open("w", encoding="utf-8", newline="\n") as file:
                    values.write(file, space_around_delimiters=False)
                # Whole or not at all: a crash mid-write must not leave half a file.
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as error:
            # The setting still holds for this run; say why it will not be kept.
            _log.warning("settings: cannot save %s to %s (%s)", key, path, error)

    def _changed(self, key: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(key)
            except Exception as error:
                # One broken listener must not stop the rest. As Qt does for a failing
                # slot, hand it to the excepthook (the app's logs it and shows it).
                sys.excepthook(type(error), error, error.__traceback__)
