"""The media keys' player (MPRIS) on a real, private session bus.

Every call reaches the service from another process (``dbus-send``), as a
desktop's media-key daemon or ``playerctl`` would. While it runs, the test's
event loop keeps turning: the service answers from this process.
"""

from __future__ import annotations

import logging
import os
import re
import select
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import SLOT, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionStatus
from routine_timer.core.model import Exercise, Routine
from routine_timer.desktop.mpris import (
    BUS_NAME,
    OBJECT_PATH,
    PLAYER_INTERFACE,
    PROPERTIES_INTERFACE,
    ROOT_INTERFACE,
    MediaPlayer,
    MprisPlayer,
    NowPlaying,
    PlaybackStatus,
    create_media_player,
)
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings
from routine_timer.ui.session.controller import SessionController
from tests.helpers.clocks import FakeClock
from tests.helpers.dbus import PrivateBus
from tests.helpers.fakes import answer_yes
from tests.helpers.window import WindowHarness

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


class Bus:
    """The private bus, called from another process while this one's event loop runs."""

    def __init__(self, bus: PrivateBus, qtbot: QtBot) -> None:
        self.bus = bus
        self.qtbot = qtbot
        self._pool = ThreadPoolExecutor(max_workers=1)

    def send(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """``dbus-send ARGUMENTS``, answered by this process (hence the loop keeps turning)."""
        future: Future[subprocess.CompletedProcess[str]] = self._pool.submit(
            self.bus.send, *arguments
        )
        self.qtbot.waitUntil(future.done, timeout=15000)
        return future.result()

    def call(self, member: str, *arguments: str, dest: str = BUS_NAME) -> str:
        """Call ``member`` (interface.Method) on the player; its reply as dbus-send prints it."""
        done = self.send("--print-reply", f"--dest={dest}", OBJECT_PATH, member, *arguments)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def get(self, interface: str, name: str, dest: str = BUS_NAME) -> str:
        """A property's value as dbus-send prints it (without the reply's header line)."""
        reply = self.call(
            f"{PROPERTIES_INTERFACE}.Get", f"string:{interface}", f"string:{name}", dest=dest
        )
        return reply.split("\n", 1)[1]

    def names(self) -> list[str]:
        listed = self.bus.send(
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        )
        assert listed.returncode == 0, listed.stderr
        return re.findall(r'string "([^"]+)"', listed.stdout)

    def close(self) -> None:
        self._pool.shutdown()


@pytest.fixture
def bus(session_bus: PrivateBus, qtbot: QtBot) -> Iterator[Bus]:
    caller = Bus(session_bus, qtbot)
    yield caller
    caller.close()


class Controls:
    """A session as the player sees it: what it says, and the calls it received."""

    def __init__(self) -> None:
        self.playing = NowPlaying(PlaybackStatus.PLAYING, "Front plank", 1, "Core", 12.5)
        self.calls: list[str] = []

    def now_playing(self) -> NowPlaying:
        return self.playing

    def play_pause(self) -> None:
        self.calls.append("play_pause")

    def play(self) -> None:
        self.calls.append("play")

    def pause(self) -> None:
        self.calls.append("pause")

    def next(self) -> None:
        self.calls.append("next")

    def previous(self) -> None:
        self.calls.append("previous")

    def stop(self) -> None:
        self.calls.append("stop")

    def raise_window(self) -> None:
        self.calls.append("raise")


class Listener(QObject):
    """Hears PropertiesChanged on a connection of its own, as a desktop's media widget does."""

    def __init__(self, connection: QDBusConnection) -> None:
        super().__init__()
        self.heard: list[tuple[str, str]] = []
        assert connection.connect(
            "",
            OBJECT_PATH,
            PROPERTIES_INTERFACE,
            "PropertiesChanged",
            self,
            SLOT("changed(QDBusMessage)"),
        )

    @Slot(QDBusMessage)
    def changed(self, message: QDBusMessage) -> None:
        self.heard.append((message.signature(), message.arguments()[0]))


@pytest.fixture
def player(session_bus: PrivateBus) -> Iterator[MprisPlayer]:
    service = MprisPlayer(session_bus.connect(), pid=4242)
    yield service
    service.stop()


# --- who it is, what it offers ---------------------------------------------------------


def test_the_player_appears_while_a_session_runs_and_goes_at_its_end(
    bus: Bus, player: MprisPlayer
) -> None:
    assert BUS_NAME not in bus.names()
    player.start(Controls())
    assert player.active
    assert player.bus_name == BUS_NAME
    assert BUS_NAME in bus.names()
    player.stop()
    assert not player.active
    assert BUS_NAME not in bus.names()
    # The next session takes it again.
    player.start(Controls())
    assert BUS_NAME in bus.names()


def test_a_second_copy_of_the_app_gets_a_name_of_its_own(
    bus: Bus, session_bus: PrivateBus, player: MprisPlayer
) -> None:
    other = session_bus.connect()
    assert other.registerService(BUS_NAME)
    player.start(Controls())
    assert player.bus_name == f"{BUS_NAME}.instance4242"
    assert f"{BUS_NAME}.instance4242" in bus.names()
    own = f"{BUS_NAME}.instance4242"
    assert 'string "Front plank"' in bus.get(PLAYER_INTERFACE, "Metadata", dest=own)
    player.stop()
    assert f"{BUS_NAME}.instance4242" not in bus.names()


def test_introspection_lists_both_mpris_interfaces_with_their_types(
    bus: Bus, player: MprisPlayer
) -> None:
    player.start(Controls())
    reply = bus.call("org.freedesktop.DBus.Introspectable.Introspect")
    xml = reply[reply.index('string "') + len('string "') : reply.rindex('"')]
    node = ET.fromstring(xml)  # well-formed, or this raises
    interfaces = {item.get("name"): item for item in node.findall("interface")}
    assert {ROOT_INTERFACE, PLAYER_INTERFACE, PROPERTIES_INTERFACE} <= set(interfaces)

    def members(interface: str, kind: str) -> dict[str, str | None]:
        return {
            item.get("name", ""): item.get("type") for item in interfaces[interface].findall(kind)
        }

    assert set(members(ROOT_INTERFACE, "method")) == {"Raise", "Quit"}
    assert members(ROOT_INTERFACE, "property") == {
        "CanQuit": "b",
        "CanRaise": "b",
        "HasTrackList": "b",
        "Identity": "s",
        "DesktopEntry": "s",
        "SupportedUriSchemes": "as",
        "SupportedMimeTypes": "as",
    }
    assert {"PlayPause", "Play", "Pause", "Next", "Previous", "Stop", "Seek"} <= set(
        members(PLAYER_INTERFACE, "method")
    )
    player_properties = members(PLAYER_INTERFACE, "property")
    assert player_properties["PlaybackStatus"] == "s"
    assert player_properties["Metadata"] == "a{sv}"
    assert player_properties["Position"] == "x"
    assert player_properties["Rate"] == "d"
    for flag in ("CanGoNext", "CanGoPrevious", "CanPlay", "CanPause", "CanSeek", "CanControl"):
        assert player_properties[flag] == "b"


def test_get_all_says_who_the_player_is(bus: Bus, player: MprisPlayer) -> None:
    player.start(Controls())
    reply = bus.call(f"{PROPERTIES_INTERFACE}.GetAll", f"string:{ROOT_INTERFACE}")
    flat = " ".join(reply.split())
    assert 'string "Identity" variant string "Routine Timer"' in flat
    assert 'string "DesktopEntry" variant string "routine-timer"' in flat
    assert 'string "CanQuit" variant boolean false' in flat
    assert 'string "CanRaise" variant boolean true' in flat
    assert 'string "HasTrackList" variant boolean false' in flat
    assert 'string "SupportedUriSchemes" variant array [ ]' in flat


def test_the_status_and_the_step_read_back(bus: Bus, player: MprisPlayer) -> None:
    controls = Controls()
    player.start(controls)
    assert bus.get(PLAYER_INTERFACE, "PlaybackStatus").split() == ["variant", "string", '"Playing"']
    metadata = " ".join(bus.get(PLAYER_INTERFACE, "Metadata").split())
    assert 'string "mpris:trackid" variant object path "/org/routine_timer/step/1"' in metadata
    assert 'string "xesam:title" variant string "Front plank"' in metadata
    assert 'string "xesam:artist" variant array [ string "Core" ]' in metadata
    assert bus.get(PLAYER_INTERFACE, "Position").split() == ["variant", "int64", "12500000"]
    assert bus.get(PLAYER_INTERFACE, "Rate").split() == ["variant", "double", "1"]
    assert bus.get(PLAYER_INTERFACE, "CanSeek").split() == ["variant", "boolean", "false"]
    assert bus.get(PLAYER_INTERFACE, "CanControl").split() == ["variant", "boolean", "true"]
    controls.playing = NowPlaying(PlaybackStatus.PAUSED, "Rest", 2, "Core")
    assert bus.get(PLAYER_INTERFACE, "PlaybackStatus").split()[-1] == '"Paused"'
    assert 'string "Rest"' in bus.get(PLAYER_INTERFACE, "Metadata")


def test_set_takes_the_one_rate_and_refuses_the_read_only(bus: Bus, player: MprisPlayer) -> None:
    player.start(Controls())
    rate = bus.call(
        f"{PROPERTIES_INTERFACE}.Set",
        f"string:{PLAYER_INTERFACE}",
        "string:Rate",
        "variant:double:2.0",
    )
    assert "method return" in rate
    assert bus.get(PLAYER_INTERFACE, "Rate").split()[-1] == "1"  # one pace: the session's
    refused = bus.send(
        "--print-reply",
        f"--dest={BUS_NAME}",
        OBJECT_PATH,
        f"{PROPERTIES_INTERFACE}.Set",
        f"string:{PLAYER_INTERFACE}",
        "string:PlaybackStatus",
        "variant:string:Stopped",
    )
    assert refused.returncode != 0
    assert "PropertyReadOnly" in refused.stderr or "read-only" in refused.stderr.lower()


# --- what it does ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "call"),
    [
        (f"{PLAYER_INTERFACE}.PlayPause", "play_pause"),
        (f"{PLAYER_INTERFACE}.Play", "play"),
        (f"{PLAYER_INTERFACE}.Pause", "pause"),
        (f"{PLAYER_INTERFACE}.Next", "next"),
        (f"{PLAYER_INTERFACE}.Previous", "previous"),
        (f"{PLAYER_INTERFACE}.Stop", "stop"),
        (f"{ROOT_INTERFACE}.Raise", "raise"),
    ],
)
def test_each_method_reaches_the_session(
    qtbot: QtBot, bus: Bus, player: MprisPlayer, method: str, call: str
) -> None:
    controls = Controls()
    player.start(controls)
    bus.call(method)
    qtbot.waitUntil(lambda: bool(controls.calls))
    assert controls.calls == [call]


def test_quit_and_seek_do_nothing(qtbot: QtBot, bus: Bus, player: MprisPlayer) -> None:
    controls = Controls()
    player.start(controls)
    bus.call(f"{ROOT_INTERFACE}.Quit")
    bus.call(f"{PLAYER_INTERFACE}.Seek", "int64:5000000")
    bus.call(f"{PLAYER_INTERFACE}.PlayPause")  # the one that does something, after them
    qtbot.waitUntil(lambda: bool(controls.calls))
    assert controls.calls == ["play_pause"]


def test_a_change_of_status_or_step_is_signalled_and_nothing_else(
    qtbot: QtBot, session_bus: PrivateBus, player: MprisPlayer
) -> None:
    listener = Listener(session_bus.connect())
    monitor = _monitor(session_bus)
    try:
        controls = Controls()
        player.start(controls)
        controls.playing = NowPlaying(PlaybackStatus.PLAYING, "Front plank", 1, "Core", 13.5)
        player.changed()  # only the position moved: nothing to say
        controls.playing = NowPlaying(PlaybackStatus.PAUSED, "Front plank", 1, "Core", 13.5)
        player.changed()
        qtbot.waitUntil(lambda: len(listener.heard) == 1)
        controls.playing = NowPlaying(PlaybackStatus.PAUSED, "Rest", 2, "Core")
        player.changed()
        qtbot.waitUntil(lambda: len(listener.heard) == 2)
        player.stop()  # "Stopped", before the name goes
        qtbot.waitUntil(lambda: len(listener.heard) == 3)
    finally:
        seen = _monitor_output(monitor)
    assert listener.heard == [("sa{sv}as", PLAYER_INTERFACE)] * 3
    changes = seen.split(f"path={OBJECT_PATH}; interface={PROPERTIES_INTERFACE}")[1:]
    assert len(changes) == 3
    assert '"PlaybackStatus"' in changes[0] and '"Paused"' in changes[0]
    assert '"Metadata"' not in changes[0]
    assert '"Metadata"' in changes[1] and 'string "Rest"' in changes[1]
    assert "/org/routine_timer/step/2" in changes[1]
    assert '"PlaybackStatus"' not in changes[1]
    assert '"Stopped"' in changes[2]


def _monitor(session_bus: PrivateBus) -> subprocess.Popen[str]:
    """``dbus-monitor`` printing every PropertiesChanged on the bus, from when this returns."""
    tool = shutil.which("dbus-monitor")
    if tool is None:
        pytest.fail("dbus-monitor is not installed (on Debian/Ubuntu: apt-get install dbus)")
    monitor = subprocess.Popen(
        [tool, "--address", session_bus.address, "type='signal',member='PropertiesChanged'"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert monitor.stdout is not None
    # A signal of the test's own, sent until the monitor prints it: from then on it hears
    # everything. (Read from the pipe itself: the text wrapper would keep lines back.)
    pipe, printed = monitor.stdout.fileno(), ""
    while "/test/marker" not in printed:
        assert monitor.poll() is None, "dbus-monitor stopped"
        sent = session_bus.send(
            "--type=signal", "/test/marker", f"{PROPERTIES_INTERFACE}.PropertiesChanged"
        )
        assert sent.returncode == 0, sent.stderr
        if select.select([pipe], [], [], 0.5)[0]:
            printed += os.read(pipe, 65536).decode()
    return monitor


def _monitor_output(monitor: subprocess.Popen[str]) -> str:
    monitor.terminate()
    output, _ = monitor.communicate(timeout=10)
    return output


# --- failing quietly -------------------------------------------------------------------------


def test_no_bus_is_one_line_in_the_log_and_nothing_else(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "no-bus-here")
    assert not nowhere.isConnected()
    player = MprisPlayer(nowhere)
    controls = Controls()
    with caplog.at_level(logging.INFO, logger="routine_timer.desktop.mpris"):
        player.start(controls)
        player.changed()
        player.stop()
    assert not player.active
    assert player.bus_name is None
    assert [record.getMessage() for record in caplog.records] == [
        "media keys unavailable (MPRIS): no D-Bus session bus"
    ]
    QDBusConnection.disconnectFromBus("no-bus-here")


def test_an_error_of_the_session_reaches_the_crash_reporter_and_the_service_goes_on(
    qtbot: QtBot, bus: Bus, player: MprisPlayer
) -> None:
    controls = Controls()

    def broken() -> None:
        raise RuntimeError("the screen went away")

    controls.next = broken  # type: ignore[method-assign]
    player.start(controls)
    # Not swallowed: like an error from a key, it goes to the app's excepthook (its crash
    # reporter logs and shows it); the bus call itself has been answered.
    with qtbot.captureExceptions() as raised:
        bus.call(f"{PLAYER_INTERFACE}.Next")
        qtbot.waitUntil(lambda: bool(raised))
    assert "the screen went away" in str(raised[0][1])
    bus.call(f"{PLAYER_INTERFACE}.PlayPause")
    qtbot.waitUntil(lambda: controls.calls == ["play_pause"])


def test_a_bus_that_fails_later_is_logged_once(
    qtbot: QtBot, session_bus: PrivateBus, caplog: pytest.LogCaptureFixture
) -> None:
    connection = session_bus.connect()
    player = MprisPlayer(connection)
    controls = Controls()
    player.start(controls)
    assert player.active
    session_bus.close()  # the bus went away mid-session
    qtbot.waitUntil(lambda: not connection.isConnected())
    with caplog.at_level(logging.INFO, logger="routine_timer.desktop.mpris"):
        for second in range(5):
            controls.playing = NowPlaying(PlaybackStatus.PLAYING, f"Step {second}", second)
            player.changed()
        player.stop()
    assert not player.active
    # One line, not one a second (nor another when the session ends).
    assert [record.getMessage() for record in caplog.records] == [
        "media keys: could not say what changed (MPRIS): the session bus went away"
    ]


def test_other_systems_get_a_player_that_offers_nothing() -> None:
    for platform in ("win32", "darwin"):
        player = create_media_player(platform)
        assert type(player) is MediaPlayer
        player.start(Controls())
        player.changed()
        player.stop()
    assert isinstance(create_media_player("linux"), MprisPlayer)


# --- a real session, driven from the bus ---------------------------------------------------


def _routine() -> Routine:
    return Routine(
        id="core",
        name="Core",
        prepare=5.0,
        exercises=(
            Exercise(name="Front plank", sets=2, time=30.0, rest=15.0, rest_after=15.0),
            Exercise(name="Glute bridge", sets=1, time=30.0, rest=15.0, rest_after=15.0),
        ),
    )


@pytest.fixture
def session(player: MprisPlayer, qtbot: QtBot) -> Iterator[SessionController]:
    controller = SessionController(
        _routine(), settings=Settings(None), store=None, clock=FakeClock(), media_player=player
    )
    controller.driver.timer.timeout.disconnect(controller.driver.fire_due)
    yield controller
    controller.close()


def test_the_media_keys_drive_a_real_session(
    qtbot: QtBot,
    bus: Bus,
    player: MprisPlayer,
    session: SessionController,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert BUS_NAME not in bus.names()  # not before the session starts
    view = session.start()
    qtbot.addWidget(view)
    driver = session.driver
    assert BUS_NAME in bus.names()
    assert bus.get(PLAYER_INTERFACE, "PlaybackStatus").split()[-1] == '"Playing"'
    assert 'string "Get ready"' in bus.get(PLAYER_INTERFACE, "Metadata")

    bus.call(f"{PLAYER_INTERFACE}.PlayPause")
    qtbot.waitUntil(lambda: driver.status is SessionStatus.PAUSED)
    assert bus.get(PLAYER_INTERFACE, "PlaybackStatus").split()[-1] == '"Paused"'
    bus.call(f"{PLAYER_INTERFACE}.Play")
    qtbot.waitUntil(lambda: driver.status is SessionStatus.RUNNING)

    bus.call(f"{PLAYER_INTERFACE}.Next")
    qtbot.waitUntil(lambda: driver.state().step.label == "Front plank")
    assert 'string "Front plank"' in bus.get(PLAYER_INTERFACE, "Metadata")
    bus.call(f"{PLAYER_INTERFACE}.Next")
    qtbot.waitUntil(lambda: driver.state().step.label == "Rest")
    bus.call(f"{PLAYER_INTERFACE}.Previous")  # within 3 s of the rest: the set just done
    qtbot.waitUntil(lambda: driver.state().step.label == "Front plank")

    asked = answer_yes(monkeypatch)
    bus.call(f"{PLAYER_INTERFACE}.Stop")  # as Esc: it asks first
    qtbot.waitUntil(lambda: driver.status is SessionStatus.STOPPED)
    assert len(asked) == 1
    assert not player.active
    assert BUS_NAME not in bus.names()


def test_the_name_is_let_go_when_the_routine_completes(
    bus: Bus, player: MprisPlayer, session: SessionController, qtbot: QtBot
) -> None:
    qtbot.addWidget(session.start())
    for _ in range(len(session.driver.timeline.steps)):
        session.driver.skip()
    assert session.driver.status is SessionStatus.FINISHED
    assert not player.active
    assert BUS_NAME not in bus.names()


def test_closing_the_session_lets_the_name_go(
    bus: Bus, player: MprisPlayer, session: SessionController, qtbot: QtBot
) -> None:
    qtbot.addWidget(session.start())
    assert BUS_NAME in bus.names()
    session.close()
    assert not player.active
    assert BUS_NAME not in bus.names()


STRETCH = """\
name: Evening stretch
prepare: 5s
exercises:
  - name: Hamstring stretch
    time: 30s
"""


# The offscreen platform cannot raise a window; showing it again is what is checked here.
@pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)")
def test_the_window_offers_each_session_it_runs(
    qtbot: QtBot, bus: Bus, player: MprisPlayer, app_paths: AppPaths, tmp_path: Path
) -> None:
    win = WindowHarness(qtbot, app_paths, tmp_path, {"stretch": STRETCH})
    win.window.attach_services(None, None, player)
    assert BUS_NAME not in bus.names()  # the library is not a player
    win.start("stretch")
    assert BUS_NAME in bus.names()
    win.window.showMinimized()
    bus.call(f"{ROOT_INTERFACE}.Raise")
    qtbot.waitUntil(lambda: not win.window.isMinimized())
    bus.call(f"{PLAYER_INTERFACE}.Next")
    qtbot.waitUntil(lambda: win.window.driver.state().step.label == "Hamstring stretch")
    win.window.session_view.pain_stop_button.click()  # stopped, back to the library
    assert win.window.session is None
    assert BUS_NAME not in bus.names()
    win.start("stretch")  # the next session is offered too
    assert BUS_NAME in bus.names()
    win.window.driver.stop()
    assert BUS_NAME not in bus.names()
