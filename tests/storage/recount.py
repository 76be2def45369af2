"""The history's figures counted afresh from every session record: the tests' oracle.

The app keeps its figures as totals that triggers update on every change
(see ``storage.db``); these count them again from the records, the slow and
obvious way, so a test can check that the kept totals never drift, through
inserts, check-ins after the fact, deletions and upgrades.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo

from routine_timer.core.stats import DaySummary, RoutineSummary
from routine_timer.storage.records import SessionRecord


def completion(session: SessionRecord) -> float:
    """How much of its routine a session did (``db.completion_sql``, in Python)."""
    if session.planned_steps:
        return min(1.0, session.steps_done / session.planned_steps)
    if session.planned_seconds > 0 and session.active_seconds is not None:
        return min(1.0, session.active_seconds / session.planned_seconds)
    return 1.0 if session.status == "completed" else 0.0


def day_summaries(sessions: Iterable[SessionRecord], tz: tzinfo | None = None) -> list[DaySummary]:
    """Finished sessions added up per local day."""
    days: dict[date, list[SessionRecord]] = {}
    for session in sessions:
        if session.status != "running":
            days.setdefault(session.started_at.astimezone(tz).date(), []).append(session)
    summaries = []
    for day, group in sorted(days.items()):
        before = [s.pain_before for s in group if s.pain_before is not None]
        after = [s.pain_after for s in group if s.pain_after is not None]
        summaries.append(
            DaySummary(
                day,
                len(group),
                sum(s.status == "completed" for s in group),
                sum(s.active_seconds or 0.0 for s in group),
                sum(before) / len(before) if before else None,
                sum(after) / len(after) if after else None,
            )
        )
    return summaries


def routine_summaries(sessions: Iterable[SessionRecord]) -> list[RoutineSummary]:
    """Finished sessions added up per routine, most recently done first."""
    groups: dict[str, list[SessionRecord]] = {}
    for session in sessions:
        if session.status != "running":
            groups.setdefault(session.routine_id, []).append(session)
    summaries = []
    for routine_id, group in groups.items():
        latest = max(group, key=lambda session: session.started_at)
        summaries.append(
            RoutineSummary(
                routine_id,
                latest.routine_name,
                sum(s.status == "completed" for s in group),
                len(group),
                latest.started_at,
                sum(completion(s) for s in group) / len(group),
            )
        )
    return sorted(summaries, key=lambda summary: summary.last_done, reverse=True)
