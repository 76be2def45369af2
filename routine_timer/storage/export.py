"""The history as JSON, CSV or a plain table: shared by the command line and the window.

Times are written in ISO 8601 with the local offset (``2026-03-02T08:30:00+01:00``),
so they are exact and read as the user's own clock.

CSV is made for spreadsheets: UTF-8 *with* a byte-order mark (without it,
Excel reads UTF-8 as the legacy code page and mangles accented names;
LibreOffice, Numbers, Google Sheets and Python's ``utf-8-sig`` all accept
it), CRLF line ends and a header row. Every cell goes through
:func:`csv_cell`, which puts a ``'`` before any text a spreadsheet could take
for a formula, so a note or a routine name can never run as one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from routine_timer.core.durations import format_clock
from routine_timer.core.stats import completion
from routine_timer.storage.records import SessionRecord, StepRecord

BOM = "\ufeff"

SESSION_FIELDS = (
    "id",
    "routine_id",
    "routine_name",
    "routine_sha256",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "planned_steps",
    "steps_done",
    "steps_skipped",
    "completion",
    "pain_before",
    "pain_after",
    "rpe",
    "note",
)
STEP_FIELDS = (
    "index",
    "kind",
    "exercise",
    "set",
    "side",
    "planned_seconds",
    "actual_seconds",
    "skipped",
    "stopped_for_pain",
    "ended_at",
)
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
"""What starts a formula: = + - @, and their full-width forms, which some
spreadsheets read as the same (typed with an East Asian input method)."""

StepsBySession = Mapping[int, Sequence[StepRecord]]


def group_steps(steps: Iterable[StepRecord]) -> dict[int, list[StepRecord]]:
    """Steps keyed by their session id, in order."""
    grouped: dict[int, list[StepRecord]] = {}
    for step in steps:
        grouped.setdefault(step.session_id, []).append(step)
    return grouped


def _time(moment: datetime | None, tz: tzinfo | None) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def session_dict(
    session: SessionRecord, steps: Sequence[StepRecord] | None = None, tz: tzinfo | None = None
) -> dict[str, Any]:
    """One session as plain JSON-ready values; with ``steps``, a "steps" list too."""
    values: dict[str, Any] = {
        "id": session.id,
        "routine_id": session.routine_id,
        "routine_name": session.routine_name,
        "routine_sha256": session.routine_sha256,
        "started_at": _time(session.started_at, tz),
        "ended_at": _time(session.ended_at, tz),
        "status": session.status,
        "planned_seconds": session.planned_seconds,
        "active_seconds": session.active_seconds,
        "paused_seconds": session.paused_seconds,
        "planned_steps": session.planned_steps,
        "steps_done": session.steps_done,
        "steps_skipped": session.steps_skipped,
        "completion": round(completion(session), 4) if session.status != "running" else None,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "rpe": session.rpe,
        "note": session.note,
    }
    if steps is not None:
        values["steps"] = [step_dict(step, tz) for step in steps]
    return values


def step_dict(step: StepRecord, tz: tzinfo | None = None) -> dict[str, Any]:
    """One recorded step as plain JSON-ready values."""
    return {
        "index": step.index,
        "kind": step.kind,
        "exercise": step.exercise,
        "set": step.set,
        "side": step.side,
        "planned_seconds": step.planned_seconds,
        "actual_seconds": step.actual_seconds,
        "skipped": step.skipped,
        "stopped_for_pain": step.stopped_for_pain,
        "ended_at": _time(step.ended_at, tz),
    }


def to_json(
    sessions: Iterable[SessionRecord], steps: StepsBySession | None = None, tz: tzinfo | None = None
) -> str:
    """The sessions as a JSON list (with their steps when ``steps`` is given)."""
    data = [session_dict(s, None if steps is None else steps.get(s.id, []), tz) for s in sessions]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: Any) -> Any:
    """One value as a CSV cell that a spreadsheet shows as it is and never runs.

    Text gets a leading ``'`` when it starts with a formula character
    (``=``, ``+``, ``-``, ``@``), with a character that is not printable
    (tab, carriage return, line feed, NUL and every other control or format
    character), or with any run of those and spaces before a formula
    character: spreadsheets drop some of them (a NUL, a zero-width space)
    and would then read a NUL followed by ``=cmd`` as ``=cmd``. None is an
    empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value:
        shown = 0
        while shown < len(value) and (value[shown] == " " or not value[shown].isprintable()):
            shown += 1
        if not value[0].isprintable() or value[shown : shown + 1] in _FORMULA_STARTS:
            return "'" + value
    return value


def _csv_row(cells: Iterable[Any]) -> list[Any]:
    return [csv_cell(cell) for cell in cells]


def to_csv(
    sessions: Iterable[SessionRecord], steps: StepsBySession | None = None, tz: tzinfo | None = None
) -> str:
    """The sessions as CSV text, starting with a byte-order mark.

    One row per session; with ``steps``, one row per step instead, repeating
    the session's columns (a session without steps keeps one row with the
    step columns empty). A ``date`` column (local ``YYYY-MM-DD``) is added
    for sorting and filtering in a spreadsheet.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, quotes only where needed
    header = ["date", *SESSION_FIELDS]
    if steps is not None:
        header += [f"step_{name}" for name in STEP_FIELDS]
    writer.writerow(_csv_row(header))
    for session in sessions:
        values = session_dict(session, tz=tz)
        row = [session.started_at.astimezone(tz).date().isoformat()]
        row += [values[name] for name in SESSION_FIELDS]
        if steps is None:
            writer.writerow(_csv_row(row))
            continue
        session_steps = steps.get(session.id, [])
        if not session_steps:
            writer.writerow(_csv_row(row + [""] * len(STEP_FIELDS)))
        for step in session_steps:
            step_values = step_dict(step, tz)
            writer.writerow(_csv_row(row + [step_values[name] for name in STEP_FIELDS]))
    return BOM + buffer.getvalue()


def _pain(session: SessionRecord) -> str:
    if session.pain_before is None and session.pain_after is None:
        return ""
    before = "-" if session.pain_before is None else str(session.pain_before)
    after = "-" if session.pain_after is None else str(session.pain_after)
    return f"{before} -> {after}"


def _duration(seconds: float | None) -> str:
    return "" if seconds is None else format_clock(round(seconds))


def to_table(
    sessions: Sequence[SessionRecord], steps: StepsBySession | None = None, tz: tzinfo | None = None
) -> str:
    """A plain-text table for a terminal, one line per session (and per step)."""
    header = ("Id", "Started", "Routine", "Status", "Time", "Done", "Skipped", "Pain", "RPE")
    rows = [
        (
            str(s.id),
            s.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            s.routine_name,
            s.status,
            _duration(s.active_seconds),
            str(s.steps_done),
            str(s.steps_skipped),
            _pain(s),
            "" if s.rpe is None else str(s.rpe),
        )
        for s in sessions
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [line(header).rstrip(), line(["-" * width for width in widths])]
    for session, row in zip(sessions, rows, strict=True):
        lines.append(line(row).rstrip())
        if session.note:
            lines.append(f"    Note: {session.note}")
        for step in (steps or {}).get(session.id, []):
            lines.append("    " + _step_line(step))
    return "\n".join(lines) + "\n"


def _step_line(step: StepRecord) -> str:
    what = step.exercise or step.kind.capitalize()
    if step.set is not None:
        what += f", set {step.set}"
    if step.side:
        what += f", {step.side}"
    timing = _duration(step.actual_seconds)
    if step.planned_seconds:
        timing += f" of {_duration(step.planned_seconds)}"
    flags = [flag for flag, on in (("skipped", step.skipped),
                                   ("stopped: pain", step.stopped_for_pain)) if on]  # fmt: skip
    return "  ".join([f"{step.kind:<8}", what, timing, *flags])
