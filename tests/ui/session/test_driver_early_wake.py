"""The driver's early wake: armed a little before a deadline, the rest slept precisely.

With the real clock the driver arms its timer :data:`EARLY_WAKE` before each
deadline and sleeps the last bit, so cues are not a millisecond or two late.
Here a fake clock and a fake sleep that moves it stand in for both; nothing
waits in real time.
"""

from __future__ import annotations

import math
import time

import pytest
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import CueKind
from routine_timer.core.model import Exercise, Routine, Say
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.ui.session.driver import EARLY_WAKE, SessionDriver
from tests.helpers.clocks import FakeClock
from tests.helpers.fakes import RecordingCuePlayer


def say_routine() -> Timeline:
    """One 5 s work step with a ``say`` entry at 2 s, no prepare."""
    plank = Exercise(
        name="Plank", sets=1, rest=0.0, rest_after=0.0, time=5.0, say=(Say(2.0, "Breathe"),)
    )
    return build_timeline(Routine(id="p", name="P", exercises=(plank,), prepare=0.0))


def early_driver(qtbot: QtBot, clock: FakeClock, player: RecordingCuePlayer) -> SessionDriver:
    driver = SessionDriver(
        say_routine(), clock=clock, cue_player=player, early_wake=0.002, sleep=clock.sleep
    )
    driver.timer.timeout.disconnect(driver.fire_due)  # the test plays the timer's part
    return driver


def test_the_timer_is_armed_early_and_the_rest_is_slept(qtbot: QtBot, clock: FakeClock) -> None:
    player = RecordingCuePlayer(clock)
    driver = early_driver(qtbot, clock, player)
    start = clock.now
    driver.start()
    # The first second boundary is 1 s away; armed 2 ms before it, in whole ms.
    assert driver.timer.interval() == 998
    clock.advance(0.9985)  # the timer fires (a little late, as they do)
    driver.fire_due()
    assert clock.slept == [pytest.approx(0.0015)]
    assert clock.now == pytest.approx(start + 1.0)
    # On to the say entry at 2 s: played at its due time, not after.
    clock.advance(driver.timer.interval() / 1000)
    driver.fire_due()
    say = next(cue for cue in player.played if cue.kind is CueKind.SAY)
    assert say.at == pytest.approx(start + 2.0)


def test_a_wake_far_too_early_does_not_sleep(qtbot: QtBot, clock: FakeClock) -> None:
    player = RecordingCuePlayer(clock)
    driver = early_driver(qtbot, clock, player)
    driver.start()
    played = len(player.played)
    clock.advance(0.5)
    driver.fire_due()
    assert clock.slept == []
    assert len(player.played) == played
    assert driver.timer.interval() == math.floor((0.5 - 0.002) * 1000)


def test_a_late_wake_does_not_sleep(qtbot: QtBot, clock: FakeClock) -> None:
    driver = early_driver(qtbot, clock, RecordingCuePlayer(clock))
    driver.start()
    clock.advance(1.01)
    driver.fire_due()
    assert clock.slept == []


def test_only_the_real_clock_wakes_early_by_default(qtbot: QtBot, clock: FakeClock) -> None:
    fake = SessionDriver(say_routine(), clock=clock)
    fake.start()
    assert fake.timer.interval() == 1000  # a fake clock keeps exact, rounded-up deadlines
    real = SessionDriver(say_routine(), clock=time.monotonic)
    assert real._early_wake == EARLY_WAKE
    fake.stop()
