"""The countdown flash (a setting) and the high-contrast setting on the session screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from routine_timer.core.announce import CueKind
from routine_timer.core.model import Exercise, Routine
from routine_timer.core.plan import build_timeline
from routine_timer.settings import Settings
from routine_timer.ui.session.driver import LATE_CUE_LIMIT, SessionDriver
from routine_timer.ui.session.flash import CountdownFlash
from routine_timer.ui.session.view import SessionView
from routine_timer.ui.theme import Look, Scheme, colours
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver
from tests.helpers.fakes import RecordingCuePlayer

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

START = 1000.0


class Screen:
    """Plank 10 s, rest 5 s, plank 10 s; no get-ready."""

    def __init__(self, qtbot: QtBot, settings: Settings) -> None:
        routine = Routine(
            id="flash",
            name="Flash",
            prepare=0.0,
            exercises=(Exercise(name="Plank", sets=2, time=10.0, rest=5.0, rest_after=0.0),),
        )
        self.clock = FakeClock(START)
        self.player = RecordingCuePlayer(self.clock)
        self.driver = SessionDriver(
            build_timeline(routine), clock=self.clock, cue_player=self.player
        )
        self.driver.timer.timeout.disconnect(self.driver.fire_due)
        self.settings = settings
        self.view = SessionView(self.driver, settings=settings, scheme=Scheme.LIGHT)
        qtbot.addWidget(self.view)
        self.view.resize(1000, 640)
        self.view.show()
        self.flashes: list[tuple[float, str]] = []
        flash = self.view.flash
        original = flash.flash

        def record(colour: object) -> None:
            original(colour)  # type: ignore[arg-type]
            self.flashes.append((self.clock.now - START, flash.colour().name().upper()))

        flash.flash = record  # type: ignore[method-assign]

    def run_to(self, offset: float) -> None:
        run_driver(self.driver, self.clock, START + offset)


@pytest.fixture
def screen(qtbot: QtBot) -> Iterator[Screen]:
    screen = Screen(qtbot, Settings(None))
    yield screen
    screen.driver.timer.stop()
    screen.view.flash.timer.stop()


def test_no_flash_by_default(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(11.5)
    assert screen.flashes == []
    assert screen.view.flash.isHidden()
    # The beeps were due all the same.
    assert [cue.count for cue in screen.player.cues if cue.kind is CueKind.COUNTDOWN] == [3, 2, 1]


def test_flash_on_each_of_3_2_1_exactly_with_the_beeps(screen: Screen) -> None:
    screen.settings.flash = True
    screen.driver.start()
    screen.run_to(11.5)
    work = colours(Look.WORK, Scheme.LIGHT).text.upper()
    rest = colours(Look.REST, Scheme.LIGHT).text.upper()
    # Plank 0-10 s: 3, 2, 1 at 7, 8, 9 s; the rest's own countdown comes later (12-14 s).
    assert screen.flashes == [(7.0, work), (8.0, work), (9.0, work)]
    beeps = [
        played.at - START for played in screen.player.played if played.kind is CueKind.COUNTDOWN
    ]
    assert beeps == [7.0, 8.0, 9.0]
    screen.run_to(15.0)
    assert screen.flashes[3:] == [(12.0, rest), (13.0, rest), (14.0, rest)]


def test_a_flash_covers_the_screen_and_ends_by_itself(screen: Screen) -> None:
    screen.settings.flash = True
    screen.driver.start()
    screen.run_to(7.0)
    flash = screen.view.flash
    assert flash.isVisible()
    assert flash.geometry() == screen.view.rect()
    assert flash.timer.isActive() and flash.timer.isSingleShot()
    # Its timer ends it (fired here by hand: tests never wait for real time).
    flash.timer.timeout.emit()
    assert flash.isHidden()
    assert flash.flashes == 1


def test_muted_still_flashes_and_late_cues_do_not(screen: Screen) -> None:
    screen.settings.flash = True
    screen.settings.muted = True
    screen.driver.start()
    screen.run_to(7.0)
    assert [at for at, _ in screen.flashes] == [7.0]
    # The machine slept through the rest of the countdown: no burst of stale flashes.
    screen.clock.now = START + 9.0 + LATE_CUE_LIMIT + 0.9
    screen.driver.fire_due()
    assert [at for at, _ in screen.flashes] == [7.0]


def test_a_flash_lets_clicks_through(screen: Screen) -> None:
    from PySide6.QtCore import Qt

    assert screen.view.flash.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert isinstance(screen.view.flash, CountdownFlash)


def test_high_contrast_setting_repaints_the_screen_at_once(screen: Screen) -> None:
    screen.driver.start()
    view = screen.view
    light = colours(Look.WORK, Scheme.LIGHT)
    assert view.palette().color(QPalette.ColorRole.Window).name().upper() == light.background
    screen.settings.high_contrast = True
    high = colours(Look.WORK, Scheme.HIGH_CONTRAST)
    assert view.scheme() is Scheme.HIGH_CONTRAST
    assert view.palette().color(QPalette.ColorRole.Window).name().upper() == high.background
    assert view.palette().color(QPalette.ColorRole.WindowText).name().upper() == high.text
    screen.run_to(10.5)  # the rest: its high-contrast colours
    rest = colours(Look.REST, Scheme.HIGH_CONTRAST)
    assert view.palette().color(QPalette.ColorRole.Window).name().upper() == rest.background
    screen.settings.high_contrast = False
    assert view.palette().color(QPalette.ColorRole.Window).name().upper() == (
        colours(Look.REST, Scheme.LIGHT).background
    )
