"""What the history hands out: one session, one recorded step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Status = Literal["running", "completed", "stopped", "abandoned"]
"""How a session ended; "running" while its recorder is alive."""

FinishStatus = Literal["completed", "stopped"]

STATUSES: tuple[Status, ...] = ("running", "completed", "stopped", "abandoned")

EXERCISE_KINDS = ("work", "manual")
"""Step kinds that count as exercise steps in ``steps_done``/``steps_skipped``."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session as stored. Times are aware datetimes in UTC."""

    id: int
    routine_id: str
    routine_name: str
    routine_sha256: str
    started_at: datetime
    ended_at: datetime | None
    status: Status
    planned_seconds: float
    active_seconds: float | None
    """Time spent in the routine, pauses excluded; None while running."""
    paused_seconds: float | None
    """None while running, and for abandoned sessions (unknown)."""
    planned_steps: int | None
    """Exercise steps (work and manual) in the plan, when the recorder gave it."""
    steps_done: int
    """Exercise steps finished and not skipped."""
    steps_skipped: int
    pain_before: int | None
    pain_after: int | None
    rpe: int | None
    note: str | None


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One step that ended (done or skipped). ``index`` is its timeline index."""

    id: int
    session_id: int
    index: int
    kind: str
    exercise: str | None
    set: int | None
    side: str | None
    planned_seconds: float
    actual_seconds: float
    skipped: bool
    stopped_for_pain: bool
    ended_at: datetime
