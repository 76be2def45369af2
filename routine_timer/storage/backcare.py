"""Back care in the history: next-morning checks, red-flag answers and suggestions shown.

Written through :class:`~routine_timer.storage.history.HistoryStore` (schema
v7, see ``storage.db``) and read back as the plain facts the progression
rules take (:class:`~routine_timer.core.progression.BackHistory`) and the
records the report prints. A row that cannot be read as what the app writes
is left out and logged, as everywhere in the history.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from routine_timer.core.levels import Rung
from routine_timer.core.model import Variant
from routine_timer.core.progression import (
    BackHistory,
    Morning,
    Outcome,
    RedFlagCheck,
    SessionFacts,
    Suggestion,
    session_variant,
)
from routine_timer.core.redflags import QUESTION_IDS, Why, check_answers
from routine_timer.storage.reading import HistoryReader, to_text
from routine_timer.storage.rows import stored_time

log = logging.getLogger(__name__)

RED_FLAG_COLUMNS = tuple(question.replace("-", "_") for question in QUESTION_IDS)
"""The red_flag_checks column of each question, in :data:`QUESTION_IDS` order."""


@dataclass(frozen=True, slots=True)
class RedFlagRecord:
    """One answering of the red-flag questions."""

    id: int
    day: date
    why: Why
    answers: Mapping[str, bool | None]
    """Every question id: True (yes), False (no) or None (not answered)."""
    session_id: int | None

    @property
    def yes(self) -> frozenset[str]:
        return frozenset(question for question, answer in self.answers.items() if answer)

    @property
    def answered(self) -> bool:
        return any(answer is not None for answer in self.answers.values())


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    """A suggestion a finish screen showed, and what the runner said to it."""

    session_id: int
    routine_id: str
    day: date
    outcome: Outcome
    rule: str
    text: str
    level: str
    change: str
    target_routine: str | None
    target_variant: Variant | None
    answer: str | None
    """"accepted", "declined", or None (not answered)."""


@dataclass(frozen=True, slots=True)
class PainStop:
    """A step stopped with "stopped: pain"."""

    session_id: int
    day: date
    routine_name: str
    step: str
    """The exercise, with its set and side when it has them: "Side plank, set 2, left"."""


def _day(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a day")
    return date.fromisoformat(value)


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _readable(kind: str, row: tuple[Any, ...], error: Exception) -> None:
    log.warning("damaged history row: %s %r (%s)", kind, row[0] if row else None, error)


# -- writing (inside the store's write transaction) ------------------------------------


def write_morning(db: sqlite3.Connection, day: date, answer: Morning, now: datetime) -> None:
    db.execute(
        "INSERT INTO morning_checks (day, answer, answered_at) VALUES (?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET answer = excluded.answer,"
        " answered_at = excluded.answered_at",
        (day.isoformat(), Morning(answer).value, to_text(now)),
    )


def write_red_flags(
    db: sqlite3.Connection,
    why: Why,
    answers: Mapping[str, bool | None],
    now: datetime,
    session_id: int | None,
) -> int:
    check_answers(answers)
    values = [None if answers.get(q) is None else int(bool(answers[q])) for q in QUESTION_IDS]
    cursor = db.execute(
        f"INSERT INTO red_flag_checks (answered_at, local_day, session_id, why,"
        f" {', '.join(RED_FLAG_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (to_text(now), now.astimezone().date().isoformat(), session_id, Why(why).value, *values),
    )
    return int(cursor.lastrowid or 0)


def write_suggestion(db: sqlite3.Connection, suggestion: Suggestion, now: datetime) -> None:
    """Store what the session's finish screen shows; a changed suggestion loses its answer."""
    target = suggestion.target
    values = (
        suggestion.routine_id,
        to_text(now),
        suggestion.outcome.value,
        suggestion.rule,
        suggestion.text,
        suggestion.current.name,
        suggestion.change_text,
        None if target is None else target.routine_id,
        None if target is None or target.variant is None else target.variant.value,
    )
    db.execute(
        "INSERT INTO suggestions (session_id, routine_id, shown_at, outcome, rule, text, level,"
        " change, target_routine, target_variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session_id) DO UPDATE SET"
        " answer = CASE WHEN text = excluded.text THEN answer END,"
        " answered_at = CASE WHEN text = excluded.text THEN answered_at END,"
        " routine_id = excluded.routine_id, shown_at = excluded.shown_at,"
        " outcome = excluded.outcome, rule = excluded.rule, text = excluded.text,"
        " level = excluded.level, change = excluded.change,"
        " target_routine = excluded.target_routine, target_variant = excluded.target_variant",
        (suggestion.session_id, *values),
    )


def clear_suggestion(db: sqlite3.Connection, session_id: int) -> None:
    db.execute("DELETE FROM suggestions WHERE session_id = ?", (session_id,))


def write_answer(db: sqlite3.Connection, session_id: int, accepted: bool, now: datetime) -> bool:
    cursor = db.execute(
        "UPDATE suggestions SET answer = ?, answered_at = ? WHERE session_id = ?",
        ("accepted" if accepted else "declined", to_text(now), session_id),
    )
    return cursor.rowcount == 1


# -- reading ------------------------------------------------------------------------------


def _since(column: str, since: date | None) -> tuple[str, tuple[str, ...]]:
    return ("", ()) if since is None else (f" WHERE {column} >= ?", (since.isoformat(),))


def mornings(reader: HistoryReader, since: date | None = None) -> dict[date, Morning]:
    where, parameters = _since("day", since)
    found: dict[date, Morning] = {}
    query = f"SELECT day, answer FROM morning_checks{where} ORDER BY day"
    for row in reader.rows(query, parameters):
        try:
            found[_day(row[0])] = Morning(row[1])
        except ValueError as error:
            _readable("morning check", row, error)
    return found


def red_flag_checks(reader: HistoryReader, since: date | None = None) -> list[RedFlagRecord]:
    where, parameters = _since("local_day", since)
    rows = reader.rows(
        f"SELECT id, local_day, why, session_id, {', '.join(RED_FLAG_COLUMNS)}"
        f" FROM red_flag_checks{where} ORDER BY answered_at, id",
        parameters,
    )
    found = []
    for row in rows:
        try:
            answers = {}
            for question, value in zip(QUESTION_IDS, row[4:], strict=True):
                answer = _optional_int(value)
                answers[question] = None if answer is None else bool(answer)
            found.append(
                RedFlagRecord(row[0], _day(row[1]), Why(row[2]), answers, _optional_int(row[3]))
            )
        except ValueError as error:
            _readable("red-flag check", row, error)
    return found


def suggestions(reader: HistoryReader, since: date | None = None) -> list[SuggestionRecord]:
    where, parameters = _since("sessions.local_day", since)
    rows = reader.rows(
        "SELECT suggestions.session_id, suggestions.routine_id, sessions.local_day, outcome,"
        " rule, text, level, change, target_routine, target_variant, answer"
        f" FROM suggestions JOIN sessions ON sessions.id = suggestions.session_id{where}"
        " ORDER BY sessions.started_at, sessions.id",
        parameters,
    )
    found = []
    for row in rows:
        try:
            found.append(
                SuggestionRecord(
                    *(row[0], str(row[1]), _day(row[2]), Outcome(row[3])),
                    *(str(row[4]), str(row[5]), str(row[6]), str(row[7]), row[8]),
                    None if row[9] is None else Variant(row[9]),
                    row[10],
                )
            )
        except ValueError as error:
            _readable("suggestion", row, error)
    return found


def accepted_level(reader: HistoryReader, routine_id: str) -> Variant | None:
    """The variations of the last level change the runner accepted for ``routine_id``.

    None when the last accepted step up or back was to the routine as written,
    to another routine or to other numbers, or when none was accepted.
    """
    rows = reader.rows(
        "SELECT target_routine, target_variant FROM suggestions"
        " WHERE routine_id = ? AND answer = 'accepted' AND outcome IN ('progress', 'step-back')"
        " ORDER BY shown_at DESC, id DESC LIMIT 1",
        (routine_id,),
    )
    if not rows or rows[0][0] != routine_id or rows[0][1] not in ("easier", "harder"):
        return None
    return Variant(rows[0][1])


def accepted_targets(reader: HistoryReader) -> list[Rung]:
    """The levels of every step up or back the runner accepted, in the order answered.

    What a plan's ladder reads its current rung from (``core.progression.current_level``):
    the plan file is the physiotherapist's and is never rewritten, so the level reached
    lives in the history, as the answers given.
    """
    rows = reader.rows(
        "SELECT target_routine, target_variant FROM suggestions"
        " WHERE answer = 'accepted' AND outcome IN ('progress', 'step-back')"
        " AND target_routine IS NOT NULL ORDER BY answered_at, id"
    )
    found = []
    for row in rows:
        try:
            variant = None if row[1] is None else Variant(row[1])
            found.append(Rung(str(row[0]), variant))
        except ValueError as error:
            _readable("suggestion", row, error)
    return found


def pending_suggestions(reader: HistoryReader) -> list[SuggestionRecord]:
    """Each routine's latest suggestion when it is still unanswered, oldest first.

    What the Today view offers again: one per routine, and only the newest, since a
    later session's suggestion replaces an earlier one.
    """
    rows = reader.rows(
        "SELECT suggestions.session_id FROM suggestions"
        " JOIN sessions ON sessions.id = suggestions.session_id"
        " WHERE suggestions.answer IS NULL AND NOT EXISTS (SELECT 1 FROM suggestions AS later"
        "  JOIN sessions AS s2 ON s2.id = later.session_id"
        "  WHERE later.routine_id = suggestions.routine_id"
        "  AND (s2.started_at, s2.id) > (sessions.started_at, sessions.id))"
    )
    wanted = {row[0] for row in rows}
    if not wanted:
        return []
    return [record for record in suggestions(reader) if record.session_id in wanted]


def pain_stops(reader: HistoryReader, since: date | None = None) -> list[PainStop]:
    where, parameters = _since("sessions.local_day", since)
    clause = where.replace(" WHERE", " AND") if where else ""
    rows = reader.rows(
        "SELECT sessions.id, sessions.local_day, sessions.routine_name, steps.exercise,"
        " steps.set_number, steps.side FROM steps JOIN sessions ON sessions.id = steps.session_id"
        f" WHERE steps.stopped_for_pain = 1{clause} ORDER BY sessions.started_at, steps.id",
        parameters,
    )
    found = []
    for row in rows:
        try:
            parts = [str(row[3] or "a step")]
            if row[4] is not None:
                parts.append(f"set {row[4]}")
            if row[5] is not None:
                parts.append(str(row[5]))
            found.append(PainStop(row[0], _day(row[1]), str(row[2]), ", ".join(parts)))
        except ValueError as error:
            _readable("step", row, error)
    return found


@dataclass(frozen=True, slots=True)
class ExportedRedFlags:
    """One answered red-flag check, as ``history --json`` writes it under a session."""

    answered_at: str | datetime
    """As the app wrote it (UTC text), or another time with an offset found in its
    place (see ``rows.stored_time``); the export writes it in local time."""
    why: Why
    answers: Mapping[str, bool | None]


def red_flags_by_session(reader: HistoryReader) -> dict[int, list[ExportedRedFlags]]:
    """Every answered red-flag check, under the session it belongs with in an export.

    A check answered after a session's pain (``session_id``) is that session's;
    one answered from the menu goes with the last session started before it, and
    one from before any session (the first start) with the first session. Checks
    are few, so they are read at once; sessions are not.
    """
    rows = reader.rows(
        "SELECT answered_at, why, session_id, (SELECT id FROM sessions"
        "   WHERE sessions.started_at <= red_flag_checks.answered_at"
        "   ORDER BY started_at DESC, id DESC LIMIT 1),"
        " (SELECT id FROM sessions ORDER BY started_at, id LIMIT 1),"
        f" {', '.join(RED_FLAG_COLUMNS)} FROM red_flag_checks ORDER BY answered_at, id"
    )
    found: dict[int, list[ExportedRedFlags]] = {}
    for row in rows:
        try:
            answers = {}
            for question, value in zip(QUESTION_IDS, row[5:], strict=True):
                answer = _optional_int(value)
                answers[question] = None if answer is None else bool(answer)
            if all(answer is None for answer in answers.values()):
                continue  # offered and skipped
            owner = row[2] if row[2] is not None else row[3] if row[3] is not None else row[4]
            if owner is None:
                continue  # no session at all yet: nothing to put it under
            answered = stored_time(row[0])
            if answered is None:
                raise ValueError(f"{row[0]!r} is not a date and time")
            found.setdefault(owner, []).append(ExportedRedFlags(answered, Why(row[1]), answers))
        except ValueError as error:
            _readable("red-flag check", row, error)
    return found


def back_history(reader: HistoryReader, since: date | None = None) -> BackHistory:
    """Every finished session's facts, oldest first, with the checks and suggestions shown."""
    where, parameters = _since("local_day", since)
    condition = f"{where} AND" if where else " WHERE"
    rows = reader.rows(
        "SELECT id, routine_id, local_day, status, pain_before, pain_after, rpe,"
        # By the partial index of the steps stopped for pain (v8), not every step read.
        " EXISTS (SELECT 1 FROM steps WHERE session_id = sessions.id AND stopped_for_pain = 1),"
        " (SELECT group_concat(coalesce(variant, '-')) FROM steps"
        "  WHERE session_id = sessions.id AND kind IN ('work', 'manual')),"
        # Every exercise set done (a set skipped, then done again after Back, counts done);
        # sessions from before the count was kept (no planned_steps) go by their status.
        " coalesce(planned_steps <= 0 OR steps_done >= planned_steps, 1)"
        f" FROM sessions{condition} status != 'running' ORDER BY started_at, id",
        parameters,
    )
    facts = []
    for row in rows:
        try:
            variants = [None if v == "-" else Variant(v) for v in str(row[8] or "").split(",") if v]
            facts.append(
                SessionFacts(
                    session_id=row[0],
                    routine_id=str(row[1]),
                    day=_day(row[2]),
                    completed=row[3] == "completed" and bool(row[9]),
                    pain_before=_optional_int(row[4]),
                    pain_after=_optional_int(row[5]),
                    rpe=_optional_int(row[6]),
                    stopped_for_pain=bool(row[7]),
                    variant=session_variant(variants),
                )
            )
        except ValueError as error:
            _readable("session", row, error)
    checks = tuple(
        RedFlagCheck(check.day, check.yes, check.session_id)
        for check in red_flag_checks(reader, since)
        if check.answered
    )
    shown = frozenset(record.session_id for record in suggestions(reader, since))
    return BackHistory(tuple(facts), mornings(reader, since), checks, shown)


def last_session_day(reader: HistoryReader, before: date) -> date | None:
    """The last local day before ``before`` with a finished session."""
    rows = reader.rows(
        "SELECT max(local_day) FROM sessions WHERE status != 'running' AND local_day < ?",
        (before.isoformat(),),
    )
    try:
        return None if not rows or rows[0][0] is None else _day(rows[0][0])
    except ValueError:
        return None
