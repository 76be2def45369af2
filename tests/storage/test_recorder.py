"""Engine events become history rows as they happen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from routine_timer.core.engine import Session, StepFinished
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.storage.recorder import SessionRecorder
from tests.helpers.clocks import FakeClock
from tests.helpers.routines import RECORDED as TIMELINE
from tests.helpers.routines import end_current_step

WALL = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        yield opened


def recorder_for(store: HistoryStore, clock: FakeClock) -> SessionRecorder:
    return SessionRecorder(store, TIMELINE, routine_sha256="f00d", clock=clock, wall=lambda: WALL)


def test_a_whole_session_is_recorded_step_by_step(store: HistoryStore) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    recorder = recorder_for(store, clock)
    session_id = recorder.start(pain_before=3)
    recorder.handle(session.start())

    for done in range(1, len(TIMELINE.steps) + 1):
        recorder.handle(end_current_step(session, clock))
        assert len(store.steps(session_id)) == done  # committed as each step ends

    record = store.session(session_id)
    assert record is not None
    assert (record.status, record.planned_seconds, record.planned_steps) == (
        "completed",
        TIMELINE.total_seconds,
        5,
    )
    assert (record.steps_done, record.steps_skipped, record.pain_before) == (5, 0, 3)
    assert record.ended_at == WALL + timedelta(seconds=TIMELINE.total_seconds)
    assert [r.average_completion for r in store.routine_summaries()] == [1.0]
    steps = store.steps(session_id)
    assert [(s.kind, s.exercise, s.set, s.side) for s in steps[:4]] == [
        ("prepare", None, None, None),
        ("work", "Side plank", 1, "left"),
        ("switch", "Side plank", 1, None),
        ("work", "Side plank", 1, "right"),
    ]
    assert steps[1].ended_at == WALL + timedelta(seconds=7)
    assert (steps[-1].kind, steps[-1].planned_seconds) == ("manual", 0.0)


def test_a_stopped_session_keeps_the_skipped_step(store: HistoryStore) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    recorder = recorder_for(store, clock)
    session_id = recorder.start()
    recorder.handle(session.start())
    recorder.handle(end_current_step(session, clock))  # prepare
    clock.now += 2
    recorder.handle(session.skip())  # left side, skipped after 2 s
    clock.now += 0.5
    events = session.stop()
    assert any(isinstance(event, StepFinished) for event in events)
    recorder.handle(events)

    record = store.session(session_id)
    assert record is not None
    assert (record.status, record.steps_done, record.steps_skipped) == ("stopped", 0, 1)
    assert recorder.finished
    assert [(s.kind, s.skipped) for s in store.steps(session_id)] == [
        ("prepare", False),
        ("work", True),
        ("switch", True),
    ]
    assert [r.average_completion for r in store.routine_summaries()] == [0.0]


def test_the_first_event_writes_the_session_row(store: HistoryStore) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    recorder = recorder_for(store, clock)
    for event in session.start():  # as the driver passes them, one by one
        recorder.on_event(event)
    assert recorder.session_id is not None
    for event in end_current_step(session, clock):
        recorder.on_event(event)
    [record] = store.sessions()
    assert (record.id, record.status, record.started_at) == (recorder.session_id, "running", WALL)
    assert [step.kind for step in store.steps(record.id)] == ["prepare"]


def test_a_history_that_cannot_be_written_does_not_stop_the_session(
    store: HistoryStore,
) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    errors: list[HistoryError] = []
    recorder = SessionRecorder(
        store, TIMELINE, routine_sha256="", clock=clock, wall=lambda: WALL,
        on_error=errors.append,
    )  # fmt: skip
    recorder.handle(session.start())
    store.connection.execute("PRAGMA query_only = ON")  # the disk became read-only
    recorder.handle(end_current_step(session, clock))
    recorder.handle(end_current_step(session, clock))
    assert len(errors) == 2
    assert "read-only" in str(errors[0])
    store.connection.execute("PRAGMA query_only = OFF")
    recorder.handle(end_current_step(session, clock))
    assert [step.index for step in store.steps(recorder.session_id or 0)] == [2]


def test_without_an_error_handler_failures_are_raised(store: HistoryStore) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    recorder = recorder_for(store, clock)
    store.connection.execute("PRAGMA query_only = ON")
    with pytest.raises(HistoryError, match="read-only"):
        recorder.handle(session.start())
    assert recorder.session_id is None
