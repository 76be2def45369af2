"""What the report for a physiotherapist holds, read from the history: no layout, no Qt.

The chosen weeks end today: for each week, the sessions done and completed
(by the same completion figure as the exports, ``db.completion_sql``), mean
pain before and after and the 7-day rolling mean of pain at the week's end
(``core.progression``); then each day's pain for the chart, the next-morning
answers, the stops for pain with their step, the suggestions shown with their
answers, the notes and the red-flag answers. ``ui.report_pdf`` lays it out.

Adherence to the chosen training plan (``core.programme``) is the days it
planned in these weeks against those done (:func:`plan_adherence`); without a
plan, :attr:`BackReport.plan` is None and the report says what it counts instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from routine_timer.core.levels import Rung
from routine_timer.core.programme import Progress, TrainingPlan
from routine_timer.core.progression import (
    Ladder,
    Level,
    Morning,
    SessionFacts,
    current_level,
    daily_pain,
    rolling_mean,
)
from routine_timer.storage.backcare import PainStop, RedFlagRecord, SuggestionRecord
from routine_timer.storage.db import completion_sql
from routine_timer.storage.history import HistoryStore
from routine_timer.storage.records import SessionRecord

MAX_WEEKS = 52


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One week of the report (seven days from ``first``)."""

    number: int
    first: date
    sessions: int
    """Finished sessions (completed, stopped or abandoned)."""
    completed: int
    completion: float | None
    """Mean completion of its sessions, 0-1."""
    pain_before: float | None
    pain_after: float | None
    rolling_mean: float | None
    """The 7-day mean of daily pain on the week's last day."""
    mornings: dict[Morning, int]

    @property
    def last(self) -> date:
        return self.first + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class LadderRow:
    """One of the plan's ladders: its rungs, easiest first, and the one reached."""

    rungs: tuple[str, ...]
    current: int
    """The index of the rung reached (from the steps accepted), else the start rung's."""

    @property
    def text(self) -> str:
        return f"level {self.current + 1} of {len(self.rungs)}: {self.rungs[self.current]}"


@dataclass(frozen=True, slots=True)
class PlanAdherence:
    """Filled in by a training plan: its name, and sessions done of those planned."""

    name: str
    done: int
    planned: int
    ladders: tuple[LadderRow, ...] = ()


def plan_ladder_rows(
    plan: TrainingPlan, names: Mapping[str, str], accepted: Sequence[Rung]
) -> tuple[LadderRow, ...]:
    """Each ladder of ``plan`` as written, its rungs named, with the rung the runner is on."""
    rows = []
    for item in plan.items:
        if not item.ladder:
            continue
        levels = tuple(
            Level(
                rung.routine_id,
                rung.variant,
                names.get(rung.routine_id, rung.routine_id)
                + ("" if rung.variant is None else f", {rung.variant.value} variations"),
            )
            for rung in item.ladder
        )
        start = next(level for level in levels if level.rung == item.start_rung)
        ladder = Ladder(levels, start=start, from_plan=True)
        index = ladder.index(current_level(ladder, accepted))
        rows.append(LadderRow(tuple(level.name for level in levels), index or 0))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class Note:
    day: date
    routine_name: str
    text: str


@dataclass(frozen=True, slots=True)
class BackReport:
    first: date
    last: date
    weeks: tuple[WeekRow, ...]
    pain_by_day: dict[date, float]
    """Each day's pain (mean of the day's ratings), for the chart."""
    rolling: dict[date, float]
    """The 7-day rolling mean on every day of the period that has one."""
    mornings: dict[date, Morning]
    stops: tuple[PainStop, ...]
    suggestions: tuple[SuggestionRecord, ...]
    notes: tuple[Note, ...]
    red_flags: tuple[RedFlagRecord, ...]
    routines: tuple[tuple[str, int], ...]
    """Each routine done, with its number of finished sessions, most done first."""
    plan: PlanAdherence | None = None
    """The plan's adherence; None while no plan is followed."""

    @property
    def session_count(self) -> int:
        return sum(week.sessions for week in self.weeks)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def plan_adherence(
    progress: Progress, first: date, last: date, ladders: tuple[LadderRow, ...] = ()
) -> PlanAdherence:
    """Days the plan planned in its weeks that began from ``first`` to ``last``, and those done."""
    weeks = [
        week
        for week in progress.weeks
        if not week.future and first - timedelta(days=6) <= week.start <= last
    ]
    return PlanAdherence(
        progress.plan.name,
        sum(week.done for week in weeks),
        sum(week.planned for week in weeks),
        ladders,
    )


def build_report(
    store: HistoryStore,
    weeks: int,
    today: date,
    plan: Progress | None = None,
    names: Mapping[str, str] | None = None,
) -> BackReport:
    """The report of the ``weeks`` weeks ending ``today`` (1 to :data:`MAX_WEEKS`), with the
    adherence to ``plan`` (how the chosen plan stands today) when one is followed, and its
    ladders with the rung reached (``names``: the routines' names by id)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"a report covers 1 to {MAX_WEEKS} weeks, not {weeks}")
    first = today - timedelta(days=7 * weeks - 1)
    # A week earlier too: the rolling mean of the first days reaches back that far.
    history = store.back_history(first - timedelta(days=7))
    facts = {session.session_id: session for session in history.sessions}
    since = datetime.combine(first - timedelta(days=1), time()).astimezone()
    sessions = [
        record
        for record in store.sessions(since)
        if record.status != "running" and record.id in facts and facts[record.id].day >= first
    ]
    completion = _completions(store, first)
    daily = daily_pain(history.sessions)
    mornings = {day: answer for day, answer in history.mornings.items() if first <= day <= today}
    rows = []
    for number in range(weeks):
        start = first + timedelta(days=7 * number)
        end = start + timedelta(days=6)
        mine = [s for s in sessions if start <= facts[s.id].day <= end]
        counted = [value for s in mine if (value := completion.get(s.id)) is not None]
        week_mornings = [answer for day, answer in mornings.items() if start <= day <= end]
        rows.append(
            WeekRow(
                number=number + 1,
                first=start,
                sessions=len(mine),
                completed=sum(s.status == "completed" for s in mine),
                completion=sum(counted) / len(counted) if counted else None,
                pain_before=_mean([s.pain_before for s in mine if s.pain_before is not None]),
                pain_after=_mean([s.pain_after for s in mine if s.pain_after is not None]),
                rolling_mean=rolling_mean(daily, min(end, today)),
                mornings={answer: week_mornings.count(answer) for answer in Morning},
            )
        )
    period = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    rolling = {day: mean for day in period if (mean := rolling_mean(daily, day)) is not None}
    return BackReport(
        first=first,
        last=today,
        weeks=tuple(rows),
        pain_by_day={day: pain for day, pain in daily.items() if day >= first},
        rolling=rolling,
        mornings=mornings,
        stops=tuple(store.pain_stops(first)),
        suggestions=tuple(store.suggestions(first)),
        notes=tuple(_notes(sessions, facts)),
        red_flags=tuple(check for check in store.red_flag_checks(first) if check.answered),
        routines=_routines(sessions),
        plan=None
        if plan is None
        else plan_adherence(
            plan,
            first,
            today,
            plan_ladder_rows(plan.plan, names or {}, store.accepted_targets()),
        ),
    )


def empty_report(weeks: int, today: date) -> BackReport:
    """The report of a history with nothing in it yet."""
    first = today - timedelta(days=7 * weeks - 1)
    rows = tuple(
        WeekRow(n + 1, first + timedelta(days=7 * n), 0, 0, None, None, None, None,
                dict.fromkeys(Morning, 0))
        for n in range(weeks)
    )  # fmt: skip
    return BackReport(first, today, rows, {}, {}, {}, (), (), (), (), ())


def _completions(store: HistoryStore, first: date) -> dict[int, float | None]:
    rows = store.open_reader()
    try:
        found = rows.rows(
            f"SELECT id, {completion_sql('sessions')} FROM sessions"
            " WHERE status != 'running' AND local_day >= ?",
            (first.isoformat(),),
        )
    finally:
        rows.close()
    return {row[0]: row[1] if isinstance(row[1], float) else None for row in found}


def _notes(sessions: list[SessionRecord], facts: dict[int, SessionFacts]) -> list[Note]:
    return [
        Note(facts[session.id].day, session.routine_name, session.note)
        for session in sessions
        if session.note
    ]


def _routines(sessions: list[SessionRecord]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for session in sessions:
        counts[session.routine_name] = counts.get(session.routine_name, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
