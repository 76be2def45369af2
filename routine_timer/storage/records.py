"""What the history hands out: one session, one recorded step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from routine_timer.core.engine import SessionFinished, SessionStatus
from routine_timer.core.plan import StepKind

Status = Literal["running", "completed", "stopped", "abandoned"]
"""How a session ended; "running" while its recorder is alive.

The engine's :class:`SessionStatus` in the words the history file has always
used (see :func:`recorded_status`), plus "abandoned": the recorder died."""

FinishStatus = Literal["completed", "stopped"]

STATUSES: tuple[Status, ...] = get_args(Status)

_FINISHED: dict[SessionStatus, FinishStatus] = {
    SessionStatus.FINISHED: "completed",
    SessionStatus.STOPPED: "stopped",
}


def recorded_status(status: SessionStatus) -> Status:
    """The history's word for a session the engine has ``status`` (READY is never recorded)."""
    if status.in_progress:
        return "running"
    if status in _FINISHED:
        return _FINISHED[status]
    raise ValueError(f"a session is not recorded while {status.value}")


def finish_status(event: SessionFinished) -> FinishStatus:
    """How the history records the end of a session: "completed" or "stopped"."""
    return _FINISHED[event.status]


EXERCISE_KINDS = tuple(kind.value for kind in StepKind if kind.is_exercise)
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
    variant: str | None = None
    """"easier" or "harder" for a variation picked in the session (format 2)."""


@dataclass(frozen=True, slots=True)
class DamagedRow:
    """A row of the history file that cannot be read as a record.

    Made by :mod:`routine_timer.storage.rows` when a value is not what the app
    ever writes (text where a number belongs, a time that is not one, bytes
    that are not text...). Views show it as damaged; exports leave it out and
    say so. Nothing in the file is changed.
    """

    label: str
    """What the row is, in words: ``session 12``, ``step 40 of session 12``."""
    problems: tuple[str, ...]
    """One plain sentence per bad value: ``its start time is 'garbage', not a date and time``."""
    id: int | None = None
    """The row's id, when it is a session or a step."""
    started_at: datetime | None = None
    """A damaged session's start, when that part could still be read."""
    name: str | None = None
    """A damaged session's routine name, when that part could still be read."""

    @property
    def description(self) -> str:
        """``session 12 (its start time is 'garbage', not a date and time)``."""
        return f"{self.label} ({'; '.join(self.problems)})"
