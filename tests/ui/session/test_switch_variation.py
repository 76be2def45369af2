"""Switching the coming exercise to its easier or harder variation, from the mat.

E and H (or their buttons) work in the get-ready countdown and in the rest
before an exercise's first set; the screen, the voice, the timeline and the
history's plan follow.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import CueKind, Session
from routine_timer.core.loader import parse_routine
from routine_timer.core.model import Variant
from routine_timer.core.plan import StepKind, build_timeline
from routine_timer.core.variations import choose, offer
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore
from routine_timer.ui.session.controller import SessionController
from tests.helpers.clocks import FakeClock
from tests.helpers.fakes import RecordingCuePlayer
from tests.helpers.routines import end_current_step

ROUTINE = parse_routine(
    """
format: 2
name: Planks
prepare: 5s
rest: 10s
rounds: 2
round_rest: 20s
exercises:
  - name: Plank
    time: 30s
    sets: 2
    easier:
      name: Knee plank
      time: 20s
    harder:
      name: Side plank
      time: 15s
      sides: both
  - name: Dead bug
    reps: 6
    hold: 3s
""",
    "planks.yaml",
)


# A session screen shown as a window of its own changes its size hints as its
# texts change, which the offscreen platform of the tests cannot pass on.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        yield store


def make(qtbot: QtBot, clock: FakeClock, store: HistoryStore | None):
    player = RecordingCuePlayer(clock)
    controller = SessionController(
        ROUTINE, settings=Settings(None), store=store, clock=clock, cue_player=player
    )
    controller.driver.timer.timeout.disconnect(controller.driver.fire_due)
    view = controller.start()
    qtbot.addWidget(view)
    view.resize(1000, 640)
    with qtbot.waitActive(view):  # the E and H shortcuts need the window active
        view.show()
        view.activateWindow()
    return controller, view, player


def test_offer_only_before_the_first_set() -> None:
    clock = FakeClock()
    session = Session(build_timeline(ROUTINE), clock)
    assert offer(ROUTINE, session.state()) is None  # not started
    session.start()
    offered = offer(ROUTINE, session.state())
    assert offered is not None
    assert (offered.current, offered.easier, offered.harder) == (None, "Knee plank", "Side plank")
    assert offered.keys_text() == "E easier: Knee plank · H harder: Side plank"
    end_current_step(session, clock)  # into set 1 of the plank
    assert offer(ROUTINE, session.state()) is None
    end_current_step(session, clock)  # the rest between the plank's two sets
    assert session.state().step.kind is StepKind.REST
    assert offer(ROUTINE, session.state()) is None  # the exercise has begun
    end_current_step(session, clock)
    end_current_step(session, clock)  # the rest before the dead bug, which has no variation
    assert session.state().next_step.label == "Dead bug"
    assert offer(ROUTINE, session.state()) is None


def test_a_choice_holds_from_its_round_on() -> None:
    timeline = build_timeline(ROUTINE)
    plank_round_2 = next(s for s in timeline.steps if s.label == "Plank" and s.round == 2)
    chosen = choose({}, plank_round_2, Variant.EASIER)
    assert chosen == {(0, 2): Variant.EASIER}
    replanned = build_timeline(ROUTINE, chosen)
    labels = [(s.label, s.round) for s in replanned.steps if s.kind is StepKind.WORK]
    assert labels[:3] == [("Plank", 1), ("Plank", 1), ("Dead bug", 1)]
    assert labels[3:5] == [("Knee plank", 2), ("Knee plank", 2)]
    assert choose(chosen, plank_round_2, None) == {}


def test_e_switches_the_coming_exercise_and_e_again_switches_back(
    qtbot: QtBot, store: HistoryStore
) -> None:
    clock = FakeClock()
    controller, view, player = make(qtbot, clock, store)
    written_total = controller.driver.timeline.total_seconds
    assert view.variation_row.isVisible()
    assert view.easier_button.text() == "Easier (E)"
    qtbot.keyClick(view, Qt.Key.Key_E)
    timeline = controller.driver.timeline
    assert timeline.steps[1].label == "Knee plank"
    assert timeline.total_seconds == written_total - 2 * 2 * 10  # 2 rounds x 2 sets x 10 s
    text = view.text_on_screen()
    assert text is not None and text.title == "First: Knee plank"
    assert text.details == "Set 1 of 2 · 20 seconds · Round 1 of 2 · Easier variation"
    assert text.hints == "E back to Plank · H harder: Side plank"
    assert view.easier_button.text() == "As written (E)"
    assert player.texts()[-1] == "Easier: Knee plank, 20 seconds"
    [cue] = [cue for cue in player.played if cue.kind is CueKind.VARIATION]
    assert cue.text == "Easier: Knee plank, 20 seconds"
    [record] = store.sessions()
    assert record.planned_seconds == timeline.total_seconds
    qtbot.keyClick(view, Qt.Key.Key_E)
    assert controller.driver.timeline.steps[1].label == "Plank"
    assert controller.driver.timeline.total_seconds == written_total


def test_a_harder_variation_with_sides_changes_the_steps_after_the_rest(
    qtbot: QtBot, store: HistoryStore
) -> None:
    clock = FakeClock()
    controller, view, _ = make(qtbot, clock, store)
    view.harder_button.click()
    steps = controller.driver.timeline.steps
    assert [(s.kind, s.side and s.side.value) for s in steps[1:4]] == [
        (StepKind.WORK, "left"),
        (StepKind.SWITCH, None),
        (StepKind.WORK, "right"),
    ]
    [record] = store.sessions()
    assert record.planned_steps == sum(1 for s in steps if s.kind.is_exercise)


def test_keys_do_nothing_once_the_exercise_has_begun(qtbot: QtBot) -> None:
    clock = FakeClock()
    controller, view, _ = make(qtbot, clock, None)
    end_current_step(controller.driver.session, clock)
    controller.driver.fire_due()
    before = controller.driver.timeline
    qtbot.keyClick(view, Qt.Key.Key_E)
    assert controller.driver.timeline is before
    assert not view.variation_row.isVisible()
    assert controller.choose_variation(Variant.EASIER) is False


def test_the_engine_refuses_a_plan_that_rewrites_the_past() -> None:
    clock = FakeClock()
    session = Session(build_timeline(ROUTINE), clock)
    session.start()
    end_current_step(session, clock)
    other = build_timeline(ROUTINE, {(0, 1): Variant.EASIER})  # the plank already began
    with pytest.raises(ValueError, match="already begun"):
        session.replan(other)
    assert session.timeline.steps[1].label == "Plank"


def test_the_history_records_which_variation_each_step_was(
    qtbot: QtBot, store: HistoryStore, tmp_path: Path
) -> None:
    clock = FakeClock()
    controller, view, _ = make(qtbot, clock, store)
    qtbot.keyClick(view, Qt.Key.Key_E)
    driver = controller.driver
    while (deadline := driver.session.next_deadline()) is not None:
        clock.now = max(clock.now, deadline)
        driver.fire_due()  # through the driver, which hands every event to the recorder
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        rows = db.execute(
            "SELECT exercise, variant FROM steps WHERE kind = 'work' ORDER BY id"
        ).fetchall()
    # Round 2's plank keeps the choice made before round 1.
    assert rows == [
        ("Knee plank", "easier"),
        ("Knee plank", "easier"),
        ("Dead bug", None),
        ("Knee plank", "easier"),
        ("Knee plank", "easier"),
        ("Dead bug", None),
    ]
