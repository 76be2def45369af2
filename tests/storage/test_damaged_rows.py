"""Rows changed behind the app's back: left out with a message, never a crash.

Every column of a session and of a step gets every kind of wrong value (see
``tampering.HOSTILE_VALUES``). Whatever is stored, the store, the progress
figures and ``routine-timer history`` in each of its forms carry on: a row
that cannot be read is left out and named, every other row comes out whole.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from routine_timer.cli import history as history_cli
from routine_timer.core import stats
from routine_timer.paths import resolve_paths
from routine_timer.storage.history import DamagedRow, HistoryError, HistoryStore, OnDamage
from tests.storage.tampering import (
    SESSION_IDS,
    TAMPERED,
    TAMPERED_STEPS,
    every_tampering,
    tamper,
    write_history,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "history.sqlite3"
    write_history(path)
    return path


@pytest.fixture
def history(tmp_path: Path, template: Path) -> Path:
    """A fresh copy of the three-session history, in its own data folder."""
    path = tmp_path / "history.sqlite3"
    shutil.copyfile(template, path)
    return path


def run_cli(data_dir: Path, *options: str) -> tuple[int, str, str]:
    args = argparse.Namespace(
        json="--json" in options, csv="--csv" in options, steps="--steps" in options, since=None
    )
    out, err = io.StringIO(), io.StringIO()
    code = history_cli.run(args, resolve_paths(data_dir), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def exported_ids(form: list[str], out: str) -> list[int]:
    """The session ids in one form of the command's output."""
    if "--json" in form:
        return [session["id"] for session in json.loads(out)]
    if "--csv" in form:
        rows = csv.DictReader(io.StringIO(out.removeprefix("\ufeff"), newline=""))
        return list(dict.fromkeys(int(row["id"]) for row in rows))
    lines = out.splitlines()[2:]  # the header and its rule
    return [int(line.split()[0]) for line in lines if line[:1].isdigit()]


def figures_of(store: HistoryStore, today: date, on_damage: OnDamage) -> stats.Progress:
    """Every figure of the progress view, read as the window reads them."""
    days = store.day_summaries(on_damage=on_damage)
    return stats.progress(days, store.routine_summaries(on_damage=on_damage), today)


def read_everything(path: Path) -> tuple[list[int], list[int], list[DamagedRow]]:
    """Session ids and step ids the store hands out, and the damaged rows it met."""
    damaged: list[DamagedRow] = []
    with HistoryStore(path) as store:
        sessions = [s.id for s in store.sessions(on_damage=damaged.append)]
        steps = [s.id for s in store.iter_steps(on_damage=damaged.append)]
        figures_of(store, date(2026, 3, 10), damaged.append)
        table = store.session_table(descending=True)
        assert len(table) == len(SESSION_IDS)
        assert sorted(row.id for row in table) == list(SESSION_IDS)  # type: ignore[union-attr]
    return sessions, steps, damaged


@pytest.mark.parametrize("statement", every_tampering())
def test_no_stored_value_stops_the_history_being_read(history: Path, statement: str) -> None:
    tamper(history, statement)
    sessions, _steps, damaged = read_everything(history)
    left_out = {row.id for row in damaged if row.label.startswith("session")}
    # Every session is either handed out or named as damaged, never both.
    assert set(sessions) | left_out == set(SESSION_IDS)
    assert not set(sessions) & left_out
    assert left_out <= {TAMPERED}
    assert {row.id for row in damaged if row.label.startswith("step")} <= {TAMPERED_STEPS[0]}
    # With --steps every form also writes every session: the table, JSON and CSV.
    for form in (["--steps"], ["--json", "--steps"], ["--csv", "--steps"]):
        code, out, err = run_cli(history.parent, *form)
        assert code == 0, (form, err)
        assert exported_ids(form, out) == sessions
        for row in damaged:
            if not row.label.startswith("the totals"):  # the command shows no figures
                assert row.label in err, (form, err)


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("started_at = 'garbage'", "its start time is 'garbage', not a date and time"),
        ("started_at = '2026-03-03T07:30:00'", "its start time is '2026-03-03T07:30:00', not"),
        ("started_at = '0001-01-01T00:00:00+00:00'", "its start time is '0001-01-01T00:00"),
        ("ended_at = x'00ff'", "its end time is binary data (2 bytes), not a date and time"),
        ("planned_seconds = 'abc'", "its planned time is 'abc', not a number of seconds"),
        ("active_seconds = 9e999", "its active time is inf, not a number of seconds"),
        ("paused_seconds = -3", "its paused time is -3.0, not a number of seconds"),
        ("steps_done = 9223372036854775807", "its number of steps done is 9223372036854775807"),
        ("steps_skipped = -1", "its number of steps skipped is -1, not a whole number of at"),
        ("pain_before = 11", "its pain before is 11, not a whole number from 0 to 10"),
        ("pain_after = 2.5", "its pain after is 2.5, not a whole number from 0 to 10"),
        ("rpe = 0", "its effort is 0, not a whole number from 1 to 10"),
        ("status = 'exploded'", "its result is 'exploded', not one of running, completed"),
        ("routine_name = x'01'", "its routine name is binary data (1 byte), not text"),
        ("note = CAST(x'ff' AS TEXT)", "its note is bytes that are not text (1 byte), not text"),
    ],
)
def test_a_damaged_session_is_left_out_and_named_with_what_is_wrong(
    history: Path, statement: str, problem: str
) -> None:
    assert tamper(history, f"UPDATE sessions SET {statement} WHERE id = {TAMPERED}")
    sessions, _steps, damaged = read_everything(history)
    assert sessions == [1, 3]
    [session] = [row for row in damaged if row.label == f"session {TAMPERED}"]
    assert any(p.startswith(problem) for p in session.problems), session.problems
    with HistoryStore(history) as store, pytest.raises(HistoryError, match="is damaged"):
        store.session(TAMPERED)
    code, out, err = run_cli(history.parent, "--csv")
    assert code == 0
    assert f"session {TAMPERED}" in err and problem in err
    assert "everything else is included" in err
    assert exported_ids(["--csv"], out) == [1, 3]


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("ended_at = 'garbage'", "its end time is 'garbage', not a date and time"),
        ("actual_seconds = 'abc'", "its time taken is 'abc', not a number of seconds"),
        ("skipped = 2", "its skipped mark is 2, not 0 or 1"),
        ("kind = CAST(x'ff' AS TEXT)", "its kind is bytes that are not text"),
        ("set_number = -2", "its set number is -2, not a whole number of at least 0"),
    ],
)
def test_a_damaged_step_is_left_out_and_its_session_kept(
    history: Path, statement: str, problem: str
) -> None:
    assert tamper(history, f"UPDATE steps SET {statement} WHERE id = {TAMPERED_STEPS[0]}")
    sessions, steps, damaged = read_everything(history)
    assert sessions == list(SESSION_IDS)
    assert steps == [1, 2, 4, 5, 6]
    assert [row.label for row in damaged] == [f"step {TAMPERED_STEPS[0]} of session {TAMPERED}"]
    with HistoryStore(history) as store:
        assert [s.id for s in store.steps(TAMPERED)] == [TAMPERED_STEPS[1]]
    code, out, err = run_cli(history.parent, "--json", "--steps")
    assert code == 0 and problem in err
    assert [len(s["steps"]) for s in json.loads(out)] == [2, 1, 2]
    assert run_cli(history.parent, "--json")[2] == ""  # without steps nothing is left out


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("UPDATE daily_totals SET day = 'garbage' WHERE day = '2026-03-03'", "day 'garbage'"),
        ("UPDATE daily_totals SET active_seconds = 'abc'", "day '2026-03-02'"),
        ("UPDATE daily_totals SET pain_before_sum = 1000", "day '2026-03-02'"),
        ("UPDATE routine_totals SET last_started = 'garbage'", "routine 'back'"),
        ("UPDATE routine_totals SET sessions = 0", "routine 'back'"),
        # Through the app's own triggers: a garbage start becomes the routine's latest.
        (f"UPDATE sessions SET started_at = 'garbage' WHERE id = {TAMPERED}", "routine 'back'"),
    ],
)
def test_damaged_totals_are_left_out_of_the_figures(
    history: Path, statement: str, label: str
) -> None:
    assert tamper(history, statement)
    damaged: list[DamagedRow] = []
    with HistoryStore(history) as store:
        figures = figures_of(store, date(2026, 3, 10), damaged.append)
    labels = [row.label for row in damaged]
    assert f"the totals of {label}" in labels
    # The figures come from the rows that are left.
    assert len(figures.active_days) == 3 - sum(s.startswith("the totals of day") for s in labels)
    assert len(figures.routines) == 1 - sum(s.startswith("the totals of routine") for s in labels)


def test_nul_and_formula_text_is_shown_and_exported_as_text(history: Path) -> None:
    hostile = "char(0) || '=HYPERLINK(\"http://x\")'"
    assert tamper(history, f"UPDATE sessions SET routine_name = {hostile}, note = {hostile}")
    sessions, _steps, damaged = read_everything(history)
    assert (sessions, damaged) == (list(SESSION_IDS), [])
    code, out, err = run_cli(history.parent, "--csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    assert {(row["routine_name"], row["note"]) for row in rows} == {
        ('\'\x00=HYPERLINK("http://x")',) * 2
    }


def test_a_running_session_with_an_owner_that_is_not_text_is_abandoned(history: Path) -> None:
    assert tamper(history, "UPDATE sessions SET status = 'running', owner = x'2f00' WHERE id = 2")
    with HistoryStore(history) as store:
        assert [s.status for s in store.sessions()] == ["completed", "abandoned", "completed"]


def test_a_day_without_sessions_says_what_it_should_have(history: Path) -> None:
    assert tamper(history, "UPDATE daily_totals SET sessions = 0 WHERE day = '2026-03-02'")
    damaged: list[DamagedRow] = []
    with HistoryStore(history) as store:
        assert len(store.day_summaries(on_damage=damaged.append)) == 2
    assert [row.description for row in damaged] == [
        "the totals of day '2026-03-02' (its number of sessions is 0, not a whole number of"
        " at least 1)"
    ]
