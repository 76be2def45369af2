"""Streamed exports write exactly what the exports wrote when they built it all at once.

The reference below is the export as it was before it streamed: every record
built, every step grouped, then ``json.dumps`` / ``csv.writer`` over the lot.
The streamed one must give the same bytes on the same history, in every form,
in any time zone, with damaged rows (left out without breaking the JSON).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from routine_timer import console
from routine_timer.cli import history as history_cli
from routine_timer.paths import resolve_paths
from routine_timer.storage import export
from routine_timer.storage.db import completion_sql
from routine_timer.storage.export import (
    BOM,
    SESSION_FIELDS,
    STEP_FIELDS,
    LocalTimes,
    csv_cell,
    json_chunks,
)
from routine_timer.storage.history import DamagedRow, HistoryStore, SessionRecord, StepRecord
from routine_timer.storage.rows import ExportRows
from tests.storage.tampering import (
    TAMPERED,
    TAMPERED_STEPS,
    every_tampering,
    tamper,
    write_history,
)

ZONES = [
    "UTC0",
    "CET-1CEST,M3.5.0,M10.5.0/3",  # daylight saving, changes at 01:00 UTC
    "IST-5:30",  # half an hour off the hour
    "NPT-5:45",
    "NST3:30NDT,M3.2.0,M11.1.0",  # Newfoundland: half-hour offset and daylight saving
    "LHST-10:30LHDT-11,M10.1.0,M4.1.0",  # Lord Howe: daylight saving of half an hour
    "XXX3:14:15",  # an offset in seconds, as old local mean times were
]


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


# -- the reference: the export as it was -------------------------------------


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone().isoformat(timespec="seconds")


def _completion(session: SessionRecord) -> float:
    if session.planned_steps:
        return min(1.0, session.steps_done / session.planned_steps)
    if session.planned_seconds > 0 and session.active_seconds is not None:
        return min(1.0, session.active_seconds / session.planned_seconds)
    return 1.0 if session.status == "completed" else 0.0


def session_dict(session: SessionRecord, steps: list[StepRecord] | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": session.id,
        "routine_id": session.routine_id,
        "routine_name": session.routine_name,
        "routine_sha256": session.routine_sha256,
        "started_at": _time(session.started_at),
        "ended_at": _time(session.ended_at),
        "status": session.status,
        "planned_seconds": session.planned_seconds,
        "active_seconds": session.active_seconds,
        "paused_seconds": session.paused_seconds,
        "planned_steps": session.planned_steps,
        "steps_done": session.steps_done,
        "steps_skipped": session.steps_skipped,
        "completion": round(_completion(session), 4) if session.status != "running" else None,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "rpe": session.rpe,
        "note": session.note,
    }
    if steps is not None:
        values["steps"] = [step_dict(step) for step in steps]
    return values


def step_dict(step: StepRecord) -> dict[str, Any]:
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
        "ended_at": _time(step.ended_at),
        "variant": step.variant,
    }


def reference(path: Path, form: str, with_steps: bool) -> tuple[str, list[str]]:
    """The old export of the history at ``path``, and the damaged rows it named."""
    damaged: list[DamagedRow] = []
    with HistoryStore(path) as store:
        sessions = store.sessions(on_damage=damaged.append)
        steps: dict[int, list[StepRecord]] | None = None
        if with_steps:
            steps = {}
            for step in store.iter_steps(on_damage=damaged.append):
                steps.setdefault(step.session_id, []).append(step)
        # history --json's back care, read the slow way: steps, mornings and suggestions.
        flagged = {step.session_id for step in store.iter_steps() if step.stopped_for_pain}
        shown = {record.session_id: record for record in store.suggestions()}
        assert shown == {} and store.red_flag_checks() == []  # this history has none
        mornings = {
            s.id: store.morning(s.started_at.astimezone().date() + timedelta(days=1))
            for s in sessions
        }
    labels = [row.description for row in damaged]
    if form == "json":
        data = []
        for s in sessions:
            values = session_dict(s, None)
            morning = mornings[s.id]
            values["back_care"] = {
                "stopped_for_pain": s.id in flagged,
                "morning_after": None if morning is None else morning.value,
                "suggestion": None,
                "red_flags": [],
            }
            if steps is not None:
                values["steps"] = [step_dict(step) for step in steps.get(s.id, [])]
            data.append(values)
        # As the CLI has written it since it escapes terminal controls in JSON text.
        return console.safe_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n", labels
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["date", *SESSION_FIELDS]
    if steps is not None:
        header += [f"step_{name}" for name in STEP_FIELDS]
    writer.writerow([csv_cell(cell) for cell in header])
    for session in sessions:
        values = session_dict(session, None)
        row = [session.started_at.astimezone().date().isoformat()]
        row += [values[name] for name in SESSION_FIELDS]
        if steps is None:
            writer.writerow([csv_cell(cell) for cell in row])
            continue
        if not steps.get(session.id):
            writer.writerow([csv_cell(cell) for cell in row + [""] * len(STEP_FIELDS)])
        for step in steps.get(session.id, []):
            step_values = step_dict(step)
            cells = row + [step_values[name] for name in STEP_FIELDS]
            writer.writerow([csv_cell(cell) for cell in cells])
    return BOM + buffer.getvalue(), labels


def streamed(path: Path, form: str, with_steps: bool) -> tuple[str, list[str]]:
    """What ``routine-timer history`` writes now, and the damaged rows it names."""
    args = argparse.Namespace(json=form == "json", csv=form == "csv", steps=with_steps, since=None)
    out, err = io.StringIO(), io.StringIO()
    damaged: list[str] = []
    assert history_cli.run(args, resolve_paths(path.parent), stdout=out, stderr=err) == 0
    with HistoryStore(path) as store:
        for _ in store.exported(
            with_steps=with_steps, on_damage=lambda r: damaged.append(r.description)
        ):
            pass
    return out.getvalue(), damaged


FORMS = [("json", False), ("json", True), ("csv", False), ("csv", True)]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "history.sqlite3"
    write_history(path)
    with HistoryStore(path) as store:
        # What the three plain sessions lack: text to escape, an unfinished
        # session, a step with no exercise, odd numbers of seconds.
        session = store.start_session(
            'quote"back\\slash', "Café\n\t\u2028 \x00=1", "", 0.0,
            started_at=datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),
        )  # fmt: skip
        store.record_step(
            session, index=0, kind="rest", exercise=None, set=None, side=None,
            planned_seconds=0.1 + 0.2, actual_seconds=1e-7, skipped=True,
            ended_at=datetime(2026, 10, 25, 0, 30, 0, 500_000, tzinfo=UTC),
        )  # fmt: skip
        store.record_step(
            session, index=1, kind="work", exercise="Knee plank", set=1, side=None,
            planned_seconds=20.0, actual_seconds=20.0, skipped=False,
            ended_at=datetime(2026, 10, 25, 0, 30, 21, tzinfo=UTC), variant="easier",
        )  # fmt: skip
        store.finish_session(session, "stopped", 1 / 3, 2.0, datetime(2026, 10, 25, 1, tzinfo=UTC))
        store.set_checkin(session, note="-@\uff1d=SUM(1)", rpe=10)
    return path


@pytest.fixture
def history(tmp_path: Path, template: Path) -> Iterator[Path]:
    """A copy of the template, with a session a live recorder is still running."""
    path = tmp_path / "history.sqlite3"
    shutil.copyfile(template, path)
    with HistoryStore(path) as live:
        live.start_session(
            "running", "Running", "", 60.0, started_at=datetime(2026, 4, 1, tzinfo=UTC)
        )
        yield path


@pytest.mark.parametrize(("form", "with_steps"), FORMS)
def test_every_form_writes_what_it_wrote_before_in_any_zone(
    history: Path, zone: str, form: str, with_steps: bool
) -> None:
    assert streamed(history, form, with_steps)[0] == reference(history, form, with_steps)[0]


@pytest.mark.parametrize("statement", every_tampering())
def test_a_damaged_row_is_left_out_as_before_and_the_json_stays_valid(
    history: Path, statement: str
) -> None:
    tamper(history, statement)
    for form, with_steps in FORMS:
        text, damaged = streamed(history, form, with_steps)
        expected, expected_damaged = reference(history, form, with_steps)
        assert (text, sorted(damaged)) == (expected, sorted(expected_damaged)), (form, with_steps)
    json.loads(streamed(history, "json", True)[0])


def test_a_step_value_equal_to_a_plain_ones_but_of_another_type_is_damaged() -> None:
    # The repeated part of a step is checked once and then found by equality,
    # for which 1.0 is 1: a set number or a mark must still be a whole number.
    check = ExportRows()
    plain = (3, 2, 0, 30.5, "2026-03-03T07:30:00.000000+00:00", "work", "Plank", 1, None, 30.0,
             0, 0, None)  # fmt: skip
    assert check.steps([plain], []) == [plain]
    for position, value in ((7, 1.0), (10, 0.0), (11, 0.0)):
        row = (*plain[:position], value, *plain[position + 1 :])
        damaged: list[DamagedRow] = []
        assert check.steps([plain, row], damaged) == [plain]
        assert len(damaged) == 1
        assert damaged[0].description.startswith("step 3 of session 2 (its ")
        assert isinstance(check.step(row), DamagedRow)


def test_a_damaged_session_in_the_middle_leaves_valid_json(history: Path) -> None:
    assert tamper(history, f"UPDATE sessions SET started_at = 'garbage' WHERE id = {TAMPERED}")
    assert tamper(history, f"UPDATE steps SET kind = x'00' WHERE id = {TAMPERED_STEPS[0]}")
    text, damaged = streamed(history, "json", True)
    assert [s["id"] for s in json.loads(text)] == [1, 3, 4, 5]
    assert damaged[0].startswith(f"session {TAMPERED} ")
    assert damaged[1].startswith(f"step {TAMPERED_STEPS[0]} of session {TAMPERED} ")


def test_the_json_is_handed_out_before_the_history_is_read_to_the_end() -> None:
    written = 0

    def sessions() -> Iterator[Any]:
        nonlocal written
        for number in range(10_000):
            written += 1
            yield (
                (number, "r", "R", "", "2026-03-02T07:30:00.000000+00:00", None, "running",
                 1.0, None, None, None, 0, 0, None, None, None, None, 0.0),
                None,
            )  # fmt: skip

    chunks = json_chunks(sessions())
    first = next(chunks)
    assert first.startswith("[\n  {\n")
    assert written < 10_000
    assert json.loads(first + "".join(chunks))[-1]["id"] == 9_999


def every_minute_of(start: datetime, hours: int) -> Iterator[datetime]:
    for minute in range(hours * 60):
        yield start + timedelta(minutes=minute, seconds=minute % 60, microseconds=999_999)


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 28, 22, tzinfo=UTC),  # the spring change in Europe and Lord Howe's
        datetime(2026, 10, 24, 22, tzinfo=UTC),  # the autumn change in Europe
        datetime(2026, 11, 1, 2, tzinfo=UTC),  # the autumn change in Newfoundland
        datetime(2026, 4, 4, 13, tzinfo=UTC),  # Lord Howe's autumn change, half an hour
        datetime(1971, 1, 1, tzinfo=UTC),
        datetime(9997, 12, 31, 20, tzinfo=UTC),
    ],
)
def test_local_times_cut_from_an_hour_equal_datetimes_own(zone: str, start: datetime) -> None:
    local = LocalTimes()
    for moment in every_minute_of(start, 6):
        text = moment.isoformat(timespec="microseconds")
        assert local(text) == moment.astimezone().isoformat(timespec="seconds"), (zone, text)
        assert local(moment) == moment.astimezone().isoformat(timespec="seconds")


def test_the_completion_column_is_the_totals_own(history: Path) -> None:
    # One definition of completion: what the totals add up is what exports write.
    with HistoryStore(history) as store:
        exported = [values[17] for values, _ in store.exported()]
        sql = completion_sql("sessions")
        kept = [row[0] for row in store.connection.execute(
            f"SELECT {sql} FROM sessions ORDER BY started_at, id")]  # fmt: skip
    assert exported == kept


@pytest.mark.parametrize("hours", [0, 5.5, -3.5, 5.75, 14, -12])
def test_local_times_in_a_given_zone_equal_datetimes_own(hours: float) -> None:
    zone = timezone(timedelta(hours=hours))
    local = LocalTimes(zone)
    for moment in every_minute_of(datetime(2026, 12, 31, 20, tzinfo=UTC), 6):
        text = moment.isoformat(timespec="microseconds")
        assert local(text) == moment.astimezone(zone).isoformat(timespec="seconds"), text


SHOWN = [
    # Session, text, answer, answered_at: words repeated with other answer times, a text
    # that looks like the end of the array, a text that is not text, a time not the app's.
    (1, 'Keep "this" level, next time', "accepted", "2026-03-02T08:00:00.000000+00:00"),
    (2, 'Keep "this" level, next time', "declined", "2026-03-03T09:59:59.999999+00:00"),
    (3, 'a,"2026-03-02T08:00:00.000000+00:00"]', None, None),
    (4, 'Keep "this" level, next time', None, None),
    (5, "Rest\u2028today", "accepted", "2026-03-29T00:59:59.000000+00:00"),
]


def _show_suggestions(path: Path, shown: list[tuple[object, ...]]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.executemany(
        "INSERT INTO suggestions (session_id, routine_id, shown_at, outcome, rule, text, level,"
        " change, target_routine, target_variant, answer, answered_at)"
        " VALUES (?, 'back', '2026-03-02T07:40:00.000000+00:00', 'hold', 'steady', ?, 'Core',"
        " '', 'back', NULL, ?, ?)",
        shown,
    )
    connection.close()


def _back_care_texts(path: Path) -> str:
    return streamed(path, "json", False)[0]


@pytest.mark.parametrize(
    "damage",
    [
        None,
        "UPDATE suggestions SET answered_at = 20260302 WHERE session_id = 1",
        "UPDATE suggestions SET text = 42 WHERE session_id = 2",
        "UPDATE suggestions SET answered_at = '2026-03-02T08:00:00.000000+01:00' WHERE id = 1",
        "UPDATE suggestions SET outcome = 7, answer = 'x,null]' WHERE session_id = 4",
        "UPDATE suggestions SET answered_at = 'soon\",' WHERE session_id = 5",
        "UPDATE suggestions SET answered_at = '9999-12-31T23:59:59.000000+00:00' WHERE id = 5",
    ],
)
def test_suggestions_are_written_as_the_full_way_writes_them(
    history: Path, zone: str, damage: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _show_suggestions(history, SHOWN)
    if damage is not None:
        assert tamper(history, damage)
    text = _back_care_texts(history)
    # The full way: every suggestion read and written whole, none cut from another's text.
    monkeypatch.setattr(export, "_ANSWERED_TAIL", re.compile("(?!)"))
    assert text == _back_care_texts(history)
    shown = {s["id"]: s["back_care"]["suggestion"] for s in json.loads(text)}
    if damage is None:
        for session_id, words, answer, answered_at in SHOWN:
            moment = answered_at and datetime.fromisoformat(answered_at).astimezone()
            assert shown[session_id] == {
                "outcome": "hold", "rule": "steady", "text": words, "level": "Core",
                "change": "", "target_routine": "back", "target_variant": None,
                "answer": answer, "answered_at": moment and moment.isoformat(timespec="seconds"),
            }  # fmt: skip


def test_a_damaged_session_leaves_every_other_sessions_suggestion_in_its_place(
    history: Path,
) -> None:
    # The suggestions are read beside the sessions and merged: a session left out
    # must not shift the next session's suggestion onto another, or lose it.
    _show_suggestions(history, SHOWN)
    whole = {s["id"]: s["back_care"] for s in json.loads(_back_care_texts(history))}
    assert tamper(history, f"UPDATE sessions SET status = 'garbage' WHERE id = {TAMPERED}")
    text, damaged = streamed(history, "json", False)
    kept = {s["id"]: s["back_care"] for s in json.loads(text)}
    assert damaged[0].startswith(f"session {TAMPERED} ")
    assert kept == {key: care for key, care in whole.items() if key != TAMPERED}
    assert [kept[key]["suggestion"] is not None for key in (1, 3, 4, 5)] == [True] * 4


def test_a_red_flag_check_whose_time_is_not_one_is_left_out(history: Path) -> None:
    connection = sqlite3.connect(history, isolation_level=None)
    connection.execute(
        "INSERT INTO red_flag_checks (answered_at, local_day, session_id, why, saddle)"
        " VALUES ('after \"lunch\"', '2026-03-02', 1, 'asked', 0)"
    )
    connection.close()
    # Logged as a damaged row (tests/storage/test_damaged_back_care_rows.py); the export goes on.
    assert json.loads(_back_care_texts(history))[0]["back_care"]["red_flags"] == []
