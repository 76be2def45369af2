"""What a screen reader learns of the session screen: names, roles, values, and announcements."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import build_timeline
from routine_timer.settings import Settings
from routine_timer.ui.accessibility import QtAnnouncer
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.view import SessionView
from routine_timer.ui.theme import Scheme
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

START = 1000.0


class RecordingAnnouncer:
    """Keeps what the screen would tell a screen reader, in order."""

    def __init__(self, view_name: str = "") -> None:
        self.said: list[tuple[str, str, bool]] = []
        self.names: list[str] = []
        self.values: list[object] = []

    def announce(self, widget: QWidget, message: str, *, assertive: bool = False) -> None:
        self.said.append((type(widget).__name__, message, assertive))

    def name_changed(self, widget: QWidget) -> None:
        self.names.append(widget.accessibleName())

    def value_changed(self, widget: QWidget, value: object) -> None:
        self.values.append(value)

    def messages(self) -> list[str]:
        return [message for _, message, _ in self.said]


def routine() -> Routine:
    """Get ready 5 s; plank 25 s (5-30); rest 5 s; side plank 10 s a side (left 35, switch 45,
    right 50); bird dog, 2 reps a side, alternating (from 60; rep 2 from 66)."""
    return Routine(
        id="reader",
        name="Reader",
        prepare=5.0,
        exercises=(
            Exercise(name="Plank", sets=1, time=25.0, rest=5.0, rest_after=5.0),
            Exercise(name="Side plank", sets=1, time=10.0, sides=Sides.BOTH, rest=0, rest_after=0),
            Exercise(
                name="Bird dog",
                sets=1,
                reps=2,
                hold=3.0,
                sides=Sides.ALTERNATE,
                rest=0,
                rest_after=0,
            ),
        ),
    )


class Screen:
    def __init__(self, qtbot: QtBot, settings: Settings) -> None:
        self.clock = FakeClock(START)
        self.driver = SessionDriver(
            build_timeline(routine()), clock=self.clock, countdown=settings.countdown
        )
        self.driver.timer.timeout.disconnect(self.driver.fire_due)
        self.announcer = RecordingAnnouncer()
        self.view = SessionView(
            self.driver, settings=settings, scheme=Scheme.LIGHT, announcer=self.announcer
        )
        qtbot.addWidget(self.view)
        self.view.resize(1000, 640)

    def run_to(self, offset: float) -> None:
        run_driver(self.driver, self.clock, START + offset)


@pytest.fixture
def settings() -> Settings:
    return Settings(None)


@pytest.fixture
def screen(qtbot: QtBot, settings: Settings) -> Iterator[Screen]:
    screen = Screen(qtbot, settings)
    yield screen
    screen.driver.timer.stop()


def interface(widget: QWidget) -> QAccessible:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None
    return found


def test_the_countdown_ring_step_and_side_have_names_and_roles(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(5 + 7.0)  # plank, 18 s left
    view = screen.view
    ring = interface(view.ring)
    assert ring.role() == QAccessible.Role.ProgressBar
    assert ring.text(QAccessible.Text.Name) == "Time left"
    assert ring.text(QAccessible.Text.Value) == "18 seconds"
    assert ring.text(QAccessible.Text.Description) == "Time left: 18 seconds"
    title = interface(view.title)
    assert title.role() == QAccessible.Role.StaticText
    assert title.text(QAccessible.Text.Name) == "Plank"
    assert interface(view.heading).text(QAccessible.Text.Name) == "WORK"
    assert interface(view.next_up).text(QAccessible.Text.Name) == "Next: Rest 5 s"
    progress = interface(view.progress)
    assert progress.role() == QAccessible.Role.ProgressBar
    assert progress.text(QAccessible.Text.Value).endswith(" %")
    screen.run_to(35 + 1.0)  # the left side
    marker = interface(view.side_marker)
    assert marker.role() == QAccessible.Role.StaticText
    assert marker.text(QAccessible.Text.Name) == "Left side"


def test_each_step_is_announced_once_as_it_starts(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(36.0)
    assert screen.announcer.messages() == [
        "Ready. Reader. 7 steps, 1:18",
        "Get ready. First: Plank. 25 seconds",
        "Work. Plank. 25 seconds",
        "Rest. Rest",
        "Work. Side plank. Left side, 10 seconds. Left side",
    ]
    assert all(assertive for _, _, assertive in screen.announcer.said)
    # The labels' names changed with each step (a screen reader reading them gets the new ones).
    assert "Side plank" in screen.announcer.names


def test_the_switch_and_alternating_reps_announce_the_side(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(35.5)
    screen.announcer.said.clear()
    screen.run_to(45.5)  # the switch
    assert screen.announcer.messages() == [
        "Switch sides. Switch sides. Now the right side. Now: right side"
    ]
    screen.announcer.said.clear()
    screen.run_to(60.5)  # bird dog: rep 1 left
    assert screen.view.side_marker.text() == "LEFT"
    screen.run_to(66.5)  # rep 2 right: the side changes within the step
    assert screen.view.side_marker.text() == "RIGHT"
    messages = screen.announcer.messages()
    assert messages[-1] == "Right side"
    assert screen.announcer.said[-1][0] == "SideMarker"


def test_the_countdown_is_not_announced_every_second(screen: Screen, settings: Settings) -> None:
    assert settings.voice  # the app's own voice says 3-2-1: the reader only gets values
    screen.driver.start()
    screen.run_to(5.0)
    screen.announcer.said.clear()
    screen.announcer.values.clear()
    screen.run_to(30.0 - 0.5)
    # Plank of 25 s: the value at 20 and 10 s left and on each of the last three.
    assert screen.announcer.values == [20, 10, 3, 2, 1]
    assert screen.announcer.messages() == []


def test_without_the_apps_voice_the_3_2_1_is_announced_in_words(
    qtbot: QtBot, settings: Settings
) -> None:
    settings.voice = False
    screen = Screen(qtbot, settings)
    screen.driver.start()
    screen.run_to(5.0)
    screen.announcer.said.clear()
    screen.run_to(30.0 - 0.5)
    assert screen.announcer.messages() == ["3", "2", "1"]
    assert [kind for kind, _, _ in screen.announcer.said] == ["ProgressRing"] * 3
    # Muted is the same as no voice; a countdown set to 2 s says only 2 and 1.
    settings.voice = True
    settings.muted = True
    settings.countdown = 2
    screen.announcer.said.clear()
    screen.run_to(35 + 10 - 0.5)
    messages = screen.announcer.messages()
    assert messages[-2:] == ["2", "1"]
    assert "3" not in messages
    screen.driver.timer.stop()


def test_pausing_is_announced(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(8.0)
    screen.announcer.said.clear()
    screen.driver.toggle()
    assert screen.announcer.messages() == ["Paused, work. Plank. 25 seconds"]
    screen.driver.toggle()
    assert screen.announcer.messages()[-1] == "Work. Plank. 25 seconds"


def test_the_real_announcer_sends_qt_events_without_error(screen: Screen) -> None:
    # Offscreen there is no screen reader to receive them; Qt must still take them.
    real = QtAnnouncer()
    real.announce(screen.view, "Work. Plank", assertive=True)
    real.announce(screen.view.ring, "3")
    real.name_changed(screen.view.title)
    real.value_changed(screen.view.ring, 3)
