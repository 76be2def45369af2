"""Media keys and headset buttons while a session runs: an MPRIS player on the session bus.

Desktops on Linux (GNOME, KDE, Xfce, ...) send the media keys of a keyboard,
a Bluetooth remote or a headset to the media player that owns a bus name
``org.mpris.MediaPlayer2.*``, whether or not its window has the focus. While a
session runs, :class:`MprisPlayer` is such a player:

- bus name ``org.mpris.MediaPlayer2.routine_timer`` (or, when another copy of
  the app holds it, ``org.mpris.MediaPlayer2.routine_timer.instance<pid>``);
- object ``/org/mpris/MediaPlayer2`` with the interfaces
  ``org.mpris.MediaPlayer2`` (Raise brings the window up) and
  ``org.mpris.MediaPlayer2.Player`` (PlayPause, Play, Pause, Next, Previous,
  Stop; the status and the step on screen as its metadata), and
  ``org.freedesktop.DBus.Properties`` with ``PropertiesChanged`` whenever the
  status or the step changes.

The session is reached through :class:`PlayerControls` only (this package
knows nothing of the window). The service is a courtesy: no bus, a name
refused or any other failure is logged in one line and the session carries on
without it. :func:`create_media_player` gives one that does nothing where
there is no MPRIS (Windows, macOS).

Every call the service makes goes to the bus daemon (claiming and releasing
the name), never to another client, so none can wait on this process.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol, TypeVar, cast

from PySide6.QtCore import ClassInfo, Property, QMetaType, QObject, QTimer, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from routine_timer.paths import APP_NAME

_log = logging.getLogger(__name__)

BUS_NAME = "org.mpris.MediaPlayer2.routine_timer"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
IDENTITY = "Routine Timer"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
"""The track id MPRIS reserves for "nothing is playing"."""
TRACK_PREFIX = "/org/routine_timer/step/"
"""Each step of the session is a "track": this, then the step's index."""


class PlaybackStatus(StrEnum):
    """MPRIS ``PlaybackStatus``: running, paused, or not (yet, any more) going."""

    PLAYING = "Playing"
    PAUSED = "Paused"
    STOPPED = "Stopped"


@dataclass(frozen=True, slots=True)
class NowPlaying:
    """What the session is doing, as a media player says it."""

    status: PlaybackStatus
    title: str
    """The step on screen: the exercise's name, "Rest", "Get ready"."""
    step: int | None = None
    """The step's index in the session; None before the start and after the end."""
    routine: str = ""
    """The routine's name (sent as the "artist")."""
    position: float = 0.0
    """Seconds into the step (paused time not counted)."""


class PlayerControls(Protocol):
    """What the media player asks of the session (the session screen implements it)."""

    def now_playing(self) -> NowPlaying: ...
    def play_pause(self) -> None: ...
    def play(self) -> None:
        """Start or resume; never pause."""
        ...

    def pause(self) -> None:
        """Pause; never resume."""
        ...

    def next(self) -> None: ...
    def previous(self) -> None: ...
    def stop(self) -> None:
        """As Esc on the session screen (asking first, if it asks)."""
        ...

    def raise_window(self) -> None: ...


class MediaPlayer:
    """Offers the session to the desktop's media keys; this base class offers it to nobody.

    :meth:`start` when a session starts, :meth:`changed` whenever it may have
    changed (cheap: only a change of status or step is sent), :meth:`stop`
    at its end. Failures are logged and otherwise ignored.
    """

    name = "none"

    def __init__(self) -> None:
        self._controls: PlayerControls | None = None
        self._broken = False
        """Saying what changed failed: not tried again (and logged again) every second."""

    @property
    def active(self) -> bool:
        """Whether a session is being offered (from :meth:`start` to :meth:`stop`)."""
        return self._controls is not None

    @property
    def controls(self) -> PlayerControls | None:
        return self._controls

    def start(self, controls: PlayerControls) -> None:
        """Offer ``controls``' session; a session already offered is let go first."""
        if self._controls is not None:
            self.stop()
        self._controls = controls
        self._broken = False
        try:
            self._take()
        except Exception as error:  # never let this stop a session
            _log.info("media keys unavailable (%s): %s", self.name, error)
            self._forget()

    def changed(self) -> None:
        """The session may have changed: tell the desktop if its status or step did."""
        if self._controls is None or self._broken:
            return
        try:
            self._publish()
        except Exception as error:  # as above
            self._broken = True
            _log.info("media keys: could not say what changed (%s): %s", self.name, error)

    def stop(self) -> None:
        """Stop offering the session; no-op if none is offered."""
        if self._controls is None:
            return
        try:
            self._give_back()
        except Exception as error:  # as above
            _log.info("media keys: could not let go (%s): %s", self.name, error)
        self._controls = None

    def _take(self) -> None:
        """Appear to the desktop; raise on failure."""

    def _publish(self) -> None:
        """Say what changed; raise on failure."""

    def _give_back(self) -> None:
        """Undo :meth:`_take`; raise on failure."""

    def _forget(self) -> None:
        """Drop whatever :meth:`_take` had done before it failed (no bus calls that can fail)."""
        self._controls = None


# --- MPRIS over QtDBus -----------------------------------------------------------------

_T = TypeVar("_T")
_class_info: Any = ClassInfo
"""PySide6's stubs know neither ClassInfo's dict form (for keys with spaces) nor its use
as a decorator; both are documented and work."""


def _dbus_interface(name: str) -> Callable[[type[_T]], type[_T]]:
    """Export a class's slots and properties as the D-Bus interface ``name``."""
    return cast(Callable[[type[_T]], type[_T]], _class_info({"D-Bus Interface": name}))


def _qt_type(name: str) -> type:
    """A Qt type by its C++ name, for a Property whose D-Bus type no Python type gives:
    ``qlonglong`` is an ``x`` (a Python int is an ``i``), ``QStringList`` an ``as``."""
    return cast(type, name)


def _string_list() -> QDBusArgument:
    """An empty D-Bus ``as`` (PySide6 sends an empty Python list as ``av``)."""
    argument = QDBusArgument()
    argument.beginArray(QMetaType(QMetaType.Type.QString))
    argument.endArray()
    return argument


def metadata(playing: NowPlaying) -> dict[str, object]:
    """MPRIS ``Metadata`` for ``playing``: the track id, the title, the routine as the artist."""
    track = NO_TRACK if playing.step is None else f"{TRACK_PREFIX}{playing.step}"
    values: dict[str, object] = {
        "mpris:trackid": QDBusObjectPath(track),
        "xesam:title": playing.title,
    }
    if playing.routine:
        values["xesam:artist"] = [playing.routine]
    return values


@_dbus_interface(ROOT_INTERFACE)
class _RootAdaptor(QDBusAbstractAdaptor):
    """``org.mpris.MediaPlayer2``: who the player is; Raise."""

    def __init__(self, player: MprisPlayer, parent: QObject) -> None:
        super().__init__(parent)
        self._player = player

    @Slot()
    def Raise(self) -> None:  # noqa: N802 - D-Bus names
        self._player.call(lambda controls: controls.raise_window())

    @Slot()
    def Quit(self) -> None:  # noqa: N802
        """CanQuit is false: the spec says Quit then does nothing (the window's own way out
        asks about the session in progress)."""

    def _false(self) -> bool:
        return False

    def _true(self) -> bool:
        return True

    def _identity(self) -> str:
        return IDENTITY

    def _desktop_entry(self) -> str:
        return APP_NAME

    def _none(self) -> list[str]:
        return []

    CanQuit = Property(bool, _false)
    CanRaise = Property(bool, _true)
    HasTrackList = Property(bool, _false)
    Identity = Property(str, _identity)
    DesktopEntry = Property(str, _desktop_entry)
    SupportedUriSchemes = Property(_qt_type("QStringList"), _none)
    SupportedMimeTypes = Property(_qt_type("QStringList"), _none)


@_dbus_interface(PLAYER_INTERFACE)
class _PlayerAdaptor(QDBusAbstractAdaptor):
    """``org.mpris.MediaPlayer2.Player``: the controls and what the session is doing."""

    def __init__(self, player: MprisPlayer, parent: QObject) -> None:
        super().__init__(parent)
        self._player = player

    @Slot()
    def PlayPause(self) -> None:  # noqa: N802 - D-Bus names
        self._player.call(lambda controls: controls.play_pause())

    @Slot()
    def Play(self) -> None:  # noqa: N802
        self._player.call(lambda controls: controls.play())

    @Slot()
    def Pause(self) -> None:  # noqa: N802
        self._player.call(lambda controls: controls.pause())

    @Slot()
    def Next(self) -> None:  # noqa: N802
        self._player.call(lambda controls: controls.next())

    @Slot()
    def Previous(self) -> None:  # noqa: N802
        self._player.call(lambda controls: controls.previous())

    @Slot()
    def Stop(self) -> None:  # noqa: N802
        self._player.call(lambda controls: controls.stop())

    # CanSeek is false and there are no URIs to open: the spec says these then do nothing.
    @Slot("qlonglong")
    def Seek(self, _offset: int) -> None:  # noqa: N802
        """No effect (CanSeek is false)."""

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, _track: QDBusObjectPath, _position: int) -> None:  # noqa: N802
        """No effect (CanSeek is false)."""

    @Slot(str)
    def OpenUri(self, _uri: str) -> None:  # noqa: N802
        """No effect (SupportedUriSchemes is empty)."""

    def _status(self) -> str:
        return str(self._player.now_playing().status)

    def _metadata(self) -> dict[str, object]:
        return metadata(self._player.now_playing())

    def _position(self) -> int:
        return int(self._player.now_playing().position * 1_000_000)

    def _rate(self) -> float:
        return 1.0

    def _set_rate(self, _rate: float) -> None:
        """A session runs at its own pace: the spec's "only 1.0" player ignores other rates."""

    def _true(self) -> bool:
        return True

    def _false(self) -> bool:
        return False

    PlaybackStatus = Property(str, _status)
    Metadata = Property(_qt_type("QVariantMap"), _metadata)
    Position = Property(_qt_type("qlonglong"), _position)
    Rate = Property(float, _rate, _set_rate)
    MinimumRate = Property(float, _rate)
    MaximumRate = Property(float, _rate)
    CanGoNext = Property(bool, _true)
    CanGoPrevious = Property(bool, _true)
    CanPlay = Property(bool, _true)
    CanPause = Property(bool, _true)
    CanSeek = Property(bool, _false)
    CanControl = Property(bool, _true)


class MprisPlayer(MediaPlayer):
    """The session as an MPRIS player on ``connection`` (the session bus unless given one)."""

    name = "MPRIS"

    def __init__(
        self, connection: QDBusConnection | None = None, *, pid: int | None = None
    ) -> None:
        super().__init__()
        self._connection_given = connection
        self._pid = os.getpid() if pid is None else pid
        self._connection: QDBusConnection | None = None
        self._object: QObject | None = None
        self._bus_name: str | None = None
        self._published: NowPlaying | None = None

    @property
    def bus_name(self) -> str | None:
        """The name owned while offering a session; None otherwise."""
        return self._bus_name

    def now_playing(self) -> NowPlaying:
        """What the session says now (stopped, with no session)."""
        controls = self._controls
        if controls is None:
            return NowPlaying(PlaybackStatus.STOPPED, "")
        try:
            return controls.now_playing()
        except Exception as error:  # a property read must never fail the bus call
            _log.info("media keys: could not read the session: %s", error)
            return NowPlaying(PlaybackStatus.STOPPED, "")

    def call(self, action: Callable[[PlayerControls], None]) -> None:
        """Do ``action`` on the session on the next turn of the event loop.

        The bus call returns at once: Stop may ask a question, and a method call
        must not wait for an answer from the runner.
        """
        controls = self._controls
        if controls is None:
            return

        def run() -> None:
            # Not if the session ended in between. An error of the session's own is not
            # caught: like one from a key, the app's crash reporter logs and shows it.
            if self._controls is controls:
                action(controls)

        QTimer.singleShot(0, run)

    def _take(self) -> None:
        connection = (
            self._connection_given
            if self._connection_given is not None
            else QDBusConnection.sessionBus()
        )
        if not connection.isConnected():
            raise OSError("no D-Bus session bus")
        root = QObject()
        _RootAdaptor(self, root)
        _PlayerAdaptor(self, root)
        if not connection.registerObject(
            OBJECT_PATH, root, QDBusConnection.RegisterOption.ExportAdaptors
        ):
            raise OSError(f"{OBJECT_PATH} is already taken on this connection")
        self._connection, self._object = connection, root
        for name in (BUS_NAME, f"{BUS_NAME}.instance{self._pid}"):
            if connection.registerService(name):
                self._bus_name = name
                break
        else:
            self._release_object()
            raise OSError(f"the bus refused {BUS_NAME}: {connection.lastError().message()}")
        self._published = self.now_playing()
        _log.debug("media keys: offered as %s", self._bus_name)

    def _publish(self, playing: NowPlaying | None = None) -> None:
        connection = self._connection
        if connection is None or self._bus_name is None:
            return
        if not connection.isConnected():
            raise OSError("the session bus went away")
        playing = self.now_playing() if playing is None else playing
        before = self._published
        changed: dict[str, object] = {}
        if before is None or playing.status is not before.status:
            changed["PlaybackStatus"] = str(playing.status)
        if before is None or metadata_key(playing) != metadata_key(before):
            changed["Metadata"] = metadata(playing)
        self._published = playing
        if not changed:
            return
        signal = QDBusMessage.createSignal(OBJECT_PATH, PROPERTIES_INTERFACE, "PropertiesChanged")
        signal.setArguments([PLAYER_INTERFACE, changed, _string_list()])
        if not connection.send(signal):
            raise OSError(connection.lastError().message() or "the signal was not sent")

    def _give_back(self) -> None:
        connection, name = self._connection, self._bus_name
        try:
            # A bus gone away has dropped the name already (and said so, once, in the log).
            if connection is not None and name is not None and connection.isConnected():
                # "Stopped", for whoever shows it, before the name goes.
                self._publish(replace(self.now_playing(), status=PlaybackStatus.STOPPED))
                if not connection.unregisterService(name):
                    raise OSError(f"could not release {name}")
        finally:
            self._release_object()

    def _forget(self) -> None:
        self._release_object()
        super()._forget()

    def _release_object(self) -> None:
        connection, root = self._connection, self._object
        self._connection = self._object = None
        self._bus_name = self._published = None
        if connection is not None and root is not None:
            connection.unregisterObject(OBJECT_PATH)
        if root is not None:
            root.deleteLater()


def metadata_key(playing: NowPlaying) -> tuple[str, int | None, str]:
    """What ``Metadata`` says (a change of it is announced; the position is not)."""
    return playing.title, playing.step, playing.routine


def create_media_player(
    platform: str | None = None, connection: QDBusConnection | None = None
) -> MediaPlayer:
    """The media player for this system: MPRIS on Linux and the BSDs, elsewhere one that
    offers nothing (the keys still work while the window has the focus)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return MprisPlayer(connection)
    return MediaPlayer()
