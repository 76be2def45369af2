"""The session controller: what pressing Start builds, and the check-in it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionFinished
from routine_timer.core.model import Exercise, Routine
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.ui.session.controller import SessionController
from routine_timer.ui.session.view import FinishView, SessionView
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver
from tests.helpers.fakes import RecordingCuePlayer

ROUTINE = Routine(
    id="bridge",
    name="Bridge",
    prepare=2.0,
    exercises=(Exercise(name="Glute bridge", sets=1, rest=0.0, rest_after=0.0, time=3.0),),
)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        yield store


def make(qtbot: QtBot, clock: FakeClock, store: HistoryStore | None, **kwargs: object):
    session = SessionController(
        ROUTINE, settings=Settings(None), store=store, clock=clock, **kwargs
    )
    screens: list[object] = []
    session.screenChanged.connect(screens.append)
    # Only the test moves time: the real timer must never fire the driver.
    session.driver.timer.timeout.disconnect(session.driver.fire_due)
    return session, screens


def run_to_end(session: SessionController, clock: FakeClock) -> None:
    run_driver(session.driver, clock)


def test_start_shows_the_session_screen_then_the_finish_screen(
    qtbot: QtBot, store: HistoryStore
) -> None:
    clock = FakeClock()
    player = RecordingCuePlayer(clock)
    session, screens = make(qtbot, clock, store, cue_player=player)
    finished: list[SessionFinished] = []
    session.finished.connect(finished.append)
    view = session.start()
    assert isinstance(view, SessionView) and screens == [view]
    view.pain_before.setValue(3)
    run_to_end(session, clock)
    assert [event.completed for event in finished] == [True]
    finish = session.finish_view
    assert isinstance(finish, FinishView) and screens == [view, finish]
    assert finish.pain_before == 3  # carried over by the controller, not read off a screen
    finish.pain_after.setValue(7)
    finish.rpe.setValue(6)
    finish.note.setText("Stiff")
    session.close()  # the note still being typed is saved
    [record] = store.sessions()
    assert (record.status, record.pain_before, record.pain_after, record.rpe, record.note) == (
        "completed",
        3,
        7,
        6,
        "Stiff",
    )
    assert player.texts()[-1] == "Routine complete"
    assert session.screens() == []


def test_without_a_history_the_session_runs_and_writes_nothing(qtbot: QtBot) -> None:
    clock = FakeClock()
    session, _screens = make(qtbot, clock, None)
    view = session.start()
    view.pain_before.setValue(2)
    run_to_end(session, clock)
    assert session.finish_view is not None
    session.finish_view.pain_after.setValue(4)
    session.close()


def test_a_history_that_cannot_be_written_is_said_and_the_session_goes_on(
    qtbot: QtBot, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    session, _screens = make(qtbot, clock, store)
    failures: list[HistoryError] = []
    session.historyFailed.connect(failures.append)
    view = session.start()

    def full(*_args: object, **_kwargs: object) -> None:
        raise HistoryError("the disk is full")

    monkeypatch.setattr(store, "set_checkin", full)
    view.pain_before.setValue(5)
    assert [str(error) for error in failures] == ["the disk is full"]
    run_to_end(session, clock)
    assert session.finish_view is not None
    session.close()
