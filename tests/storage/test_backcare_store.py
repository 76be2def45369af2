"""The history's back-care records (schema v7): morning checks, red flags, suggestions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from routine_timer.core.model import Variant
from routine_timer.core.progression import (
    Level,
    Morning,
    Outcome,
    RedFlagCheck,
    SessionFacts,
    Suggestion,
)
from routine_timer.core.redflags import Why
from routine_timer.storage.history import HistoryError, HistoryStore
from tests.helpers.clocks import FakeClock

DAY = date(2026, 3, 2)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock):
    with HistoryStore(tmp_path / "history.sqlite3", now=clock.wall) as opened:
        yield opened


def session(
    store: HistoryStore, *, variant: str | None = None, stop: bool = False, skip: bool = False
) -> int:
    number = store.start_session("core", "Core", "", 60.0, pain_before=2, planned_steps=2)
    for index, (exercise, switched) in enumerate((("Plank", variant), ("Bird dog", None))):
        store.record_step(
            number, index=index, kind="work", exercise=exercise, set=1, side=None,
            planned_seconds=30.0, actual_seconds=30.0, skipped=skip and index == 1,
            variant=switched,
        )  # fmt: skip
    if stop:
        store.flag_step_pain(number, 1)
    store.finish_session(number, "stopped" if stop else "completed", 60.0, 0.0)
    store.set_checkin(number, pain_after=3, rpe=5)
    return number


def suggestion(number: int, reason: str = "3 sessions", target: Level | None = None) -> Suggestion:
    level = Level("core", None, "Core")
    return Suggestion(number, "core", Outcome.PROGRESS, "steady", reason, level, target)


def test_the_rules_read_each_finished_session_as_it_was_done(store: HistoryStore) -> None:
    first = session(store, variant="easier")
    second = session(store, stop=True)
    store.start_session("core", "Core", "", 60.0)  # still running: not finished, not read
    history = store.back_history()
    assert history.sessions == (
        SessionFacts(first, "core", DAY, True, 2, 3, 5, False, Variant.EASIER),
        SessionFacts(second, "core", DAY, False, 2, 3, 5, True, None),
    )
    [stop] = store.pain_stops()
    assert (stop.session_id, stop.step, stop.routine_name) == (second, "Bird dog, set 1", "Core")


def test_a_session_with_a_set_skipped_is_not_read_as_completed(store: HistoryStore) -> None:
    whole = session(store)
    skipped = session(store, skip=True)
    facts = {fact.session_id: fact.completed for fact in store.back_history().sessions}
    assert facts == {whole: True, skipped: False}


def test_one_morning_answer_a_day(store: HistoryStore) -> None:
    store.record_morning(DAY, Morning.SAME)
    store.record_morning(DAY, Morning.WORSE)
    store.record_morning(DAY + timedelta(days=1), Morning.BETTER)
    assert store.morning(DAY) is Morning.WORSE
    assert store.back_history().mornings == {
        DAY: Morning.WORSE,
        DAY + timedelta(days=1): Morning.BETTER,
    }


def test_red_flag_answers_are_kept_and_a_skip_is_no_answer(store: HistoryStore) -> None:
    number = session(store)
    store.record_red_flags(Why.FIRST_START, {})
    store.record_red_flags(Why.PAIN_HIGH, {"legs": True, "saddle": False}, session_id=number)
    skipped, answered = store.red_flag_checks()
    assert (skipped.why, skipped.answered) == (Why.FIRST_START, False)
    assert answered.answers == {
        "saddle": False, "bladder-bowel": None, "legs": True, "leg-pain": None,
    }  # fmt: skip
    assert (answered.yes, answered.session_id) == (frozenset({"legs"}), number)
    assert store.back_history().red_flags == (RedFlagCheck(DAY, frozenset({"legs"}), number),)
    with pytest.raises(ValueError, match="no red-flag question"):
        store.record_red_flags(Why.ASKED, {"knees": True})


def test_a_suggestion_is_recorded_shown_then_answered(store: HistoryStore) -> None:
    number = session(store)
    store.show_suggestion(suggestion(number), number)
    store.answer_suggestion(number, accepted=True)
    [shown] = store.suggestions()
    assert (shown.text, shown.outcome, shown.answer) == (
        suggestion(number).text,
        Outcome.PROGRESS,
        "accepted",
    )
    store.show_suggestion(suggestion(number), number)  # the same again keeps its answer
    assert store.suggestions()[0].answer == "accepted"
    other = suggestion(number, "4 sessions")
    store.show_suggestion(other, number)  # a new one is unanswered
    assert [(s.text, s.answer) for s in store.suggestions()] == [(other.text, None)]
    assert store.back_history().suggested == frozenset({number})
    store.show_suggestion(None, number)
    assert store.suggestions() == []
    with pytest.raises(HistoryError, match="no suggestion"):
        store.answer_suggestion(number, accepted=False)


def test_the_last_accepted_level_of_variations_is_remembered(store: HistoryStore) -> None:
    easier = Level("core", Variant.EASIER, "Core, easier variations")
    first, second = session(store), session(store)
    assert store.accepted_level("core") is None
    store.show_suggestion(suggestion(first, target=easier), first)
    store.answer_suggestion(first, accepted=True)
    assert store.accepted_level("core") is Variant.EASIER
    store.show_suggestion(suggestion(second, target=Level("core", None, "Core")), second)
    store.answer_suggestion(second, accepted=False)
    assert store.accepted_level("core") is Variant.EASIER  # declined: nothing changes
    store.answer_suggestion(second, accepted=True)
    assert store.accepted_level("core") is None


def test_the_day_before_with_a_session(store: HistoryStore) -> None:
    assert store.last_session_day(DAY + timedelta(days=1)) is None
    session(store)
    assert store.last_session_day(DAY + timedelta(days=1)) == DAY
    assert store.last_session_day(DAY) is None
