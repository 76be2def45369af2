"""Histories for the history-view tests, written through the store's own API.

Local time is pinned to UTC by the tests that use these (see ``utc_local_time``),
so a session's local day is the day of its UTC start.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from routine_timer.storage.history import HistoryStore

TODAY = date(2026, 3, 18)  # a Wednesday
NOW = datetime(2026, 3, 18, 20, 0, tzinfo=UTC)


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's time zone is UTC for the test (local days are UTC days)."""
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass(frozen=True)
class Planned:
    """One session to write: when, which routine, how it went."""

    started_at: datetime
    routine_id: str = "back"
    routine_name: str = "Back care"
    status: str = "completed"  # completed, stopped, abandoned
    exercises: int = 4
    done: int | None = None  # exercise steps done; all of them when completed
    seconds_each: float = 60.0
    pain_before: int | None = None
    pain_after: int | None = None
    rpe: int | None = None
    note: str | None = None
    pain_flag_on: int | None = None  # exercise number flagged "stopped: pain"


def write(store: HistoryStore, plan: Planned) -> int:
    """Write one session as the recorder would: start, a step per exercise and rest, finish."""
    done = plan.exercises if plan.done is None else plan.done
    session = store.start_session(
        plan.routine_id,
        plan.routine_name,
        "0" * 64,
        plan.exercises * (plan.seconds_each + 15.0),
        started_at=plan.started_at,
        pain_before=plan.pain_before,
        planned_steps=plan.exercises,
    )
    moment = plan.started_at
    active = 0.0
    for number in range(done):
        moment += timedelta(seconds=plan.seconds_each)
        active += plan.seconds_each
        store.record_step(
            session,
            index=2 * number,
            kind="work",
            exercise=["Cat-cow", "Bird dog", "Dead bug", "Glute bridge", "Side plank"][number % 5],
            set=1,
            side="left" if number % 2 else None,
            planned_seconds=plan.seconds_each,
            actual_seconds=plan.seconds_each,
            skipped=False,
            stopped_for_pain=plan.pain_flag_on == number,
            ended_at=moment,
        )
        moment += timedelta(seconds=15)
        active += 15.0
        store.record_step(
            session,
            index=2 * number + 1,
            kind="rest",
            exercise=None,
            set=None,
            side=None,
            planned_seconds=15.0,
            actual_seconds=15.0,
            skipped=False,
            ended_at=moment,
        )
    if plan.status != "abandoned":
        store.finish_session(session, plan.status, active, 20.0, ended_at=moment)  # type: ignore[arg-type]
    if plan.pain_after is not None or plan.rpe is not None or plan.note is not None:
        store.set_checkin(session, pain_after=plan.pain_after, rpe=plan.rpe, note=plan.note)
    return session


def reopen(store: HistoryStore) -> HistoryStore:
    """Close and open again: sessions left running become abandoned."""
    path = store.path
    store.close()
    return HistoryStore(path)


def realistic_history(path: Path, *, days: int = 91, today: date = TODAY) -> HistoryStore:
    """About three months of a runner's back routines, with check-ins; the store is open."""
    rng = random.Random(7)
    store = HistoryStore(path)
    routines = [
        ("back", "Back care", 6, 60.0),
        ("core", "Core for runners", 8, 45.0),
        ("hips", "Hip mobility", 5, 50.0),
    ]
    pain = 6.0
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        # Busier in the last weeks; a rest day now and then; a two-week gap early on.
        if rng.random() < (0.35 if back > 45 else 0.15) or 60 <= back <= 70:
            continue
        for count in range(1 if rng.random() < 0.8 else 2):
            routine_id, name, exercises, seconds = routines[rng.randrange(3) if count else 0]
            started = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                hours=7 + 11 * count, minutes=rng.randrange(50)
            )
            pain = max(1.0, pain - rng.uniform(0, 0.12))
            before = round(pain + rng.uniform(-1, 1)) if rng.random() < 0.85 else None
            after = None
            if before is not None and rng.random() < 0.9:
                after = max(0, min(10, before + rng.choice([-2, -1, -1, 0, 0, 1])))
            status = rng.choices(["completed", "stopped", "abandoned"], [88, 9, 3])[0]
            write(
                store,
                Planned(
                    started,
                    routine_id,
                    name,
                    status,
                    exercises,
                    None if status == "completed" else rng.randrange(1, exercises),
                    seconds,
                    pain_before=before,
                    pain_after=after if status != "abandoned" else None,
                    rpe=rng.randrange(3, 8) if status != "abandoned" else None,
                    note="Tight after a long run" if rng.random() < 0.08 else None,
                ),
            )
    return reopen(store)
