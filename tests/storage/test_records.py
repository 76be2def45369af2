"""The history's status words: the engine's statuses, in the words the file has always used."""

from __future__ import annotations

import pytest

from routine_timer.core.engine import SessionFinished, SessionStatus
from routine_timer.storage.records import STATUSES, finish_status, recorded_status


@pytest.mark.parametrize(
    ("status", "recorded"),
    [
        (SessionStatus.RUNNING, "running"),
        (SessionStatus.PAUSED, "running"),
        (SessionStatus.FINISHED, "completed"),
        (SessionStatus.STOPPED, "stopped"),
    ],
)
def test_the_history_names_each_engine_status_in_its_own_words(
    status: SessionStatus, recorded: str
) -> None:
    assert recorded_status(status) == recorded
    assert recorded in STATUSES


def test_a_session_not_yet_started_has_no_recorded_status() -> None:
    with pytest.raises(ValueError, match="not recorded while ready"):
        recorded_status(SessionStatus.READY)


@pytest.mark.parametrize(("completed", "recorded"), [(True, "completed"), (False, "stopped")])
def test_a_finish_is_recorded_as_completed_or_stopped(completed: bool, recorded: str) -> None:
    event = SessionFinished(completed, active_seconds=1.0, paused_seconds=0.0, at=0.0)
    assert event.status is (SessionStatus.FINISHED if completed else SessionStatus.STOPPED)
    assert finish_status(event) == recorded
