"""The back-care tables (morning checks, red-flag checks, suggestions) changed behind the
app's back: ``history --json`` and ``--csv`` still write every session, and say nothing
false about the damaged row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from routine_timer.cli import main
from routine_timer.core.progression import Level, Morning, Outcome, Suggestion
from routine_timer.core.redflags import Why
from routine_timer.storage.history import HistoryStore
from tests.storage.tampering import HOSTILE_VALUES, columns, tamper, write_history

WHERE = {
    "morning_checks": "day = '2026-03-03'",
    "red_flag_checks": "id = 1",
    "suggestions": "session_id = 1",
}
"""The row each case changes: the morning after session 1, the check after session 2's
pain, and session 1's answered suggestion."""


def every_back_care_tampering() -> list[str]:
    statements = []
    for table, where in WHERE.items():
        keys = ["day"] if table == "morning_checks" else []  # WITHOUT ROWID: its key is a column
        for column in keys + columns(table):
            statements += [
                f"UPDATE {table} SET {column} = {value} WHERE {where}" for value in HOSTILE_VALUES
            ]
    return statements


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "routines").mkdir(parents=True)
    history = data / "history.sqlite3"
    write_history(history)
    core = Level("core", None, "Core")
    with HistoryStore(history) as store:
        store.record_morning(date(2026, 3, 3), Morning.WORSE)
        answers = {"saddle": False, "bladder-bowel": None, "legs": True, "leg-pain": False}
        store.record_red_flags(Why.PAIN_HIGH, answers, session_id=2)
        for session in (1, 2):
            store.show_suggestion(
                Suggestion(session, "core", Outcome.PROGRESS, "steady", "3 sessions", core),
                session,
            )
        store.answer_suggestion(1, True)
    return data


@pytest.mark.parametrize("statement", every_back_care_tampering())
def test_a_damaged_back_care_row_leaves_the_history_readable(
    data_dir: Path, statement: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(data_dir / "history.sqlite3", statement)
    assert main(["history", "--json", "--steps", "--data-dir", str(data_dir)]) == 0
    assert [session["id"] for session in json.loads(capsys.readouterr().out)] == [1, 2, 3]
    assert main(["history", "--csv", "--data-dir", str(data_dir)]) == 0


@pytest.mark.parametrize(
    ("statement", "left_out"),
    [
        ("UPDATE red_flag_checks SET answered_at = 'garbage' WHERE id = 1", "red-flag check"),
        ("UPDATE red_flag_checks SET answered_at = '2026-03-03' WHERE id = 1", "red-flag check"),
        ("UPDATE suggestions SET answered_at = 42 WHERE session_id = 1", "suggestion"),
        ("UPDATE suggestions SET rule = x'00ff' WHERE session_id = 1", "suggestion"),
    ],
)
def test_a_time_that_is_no_time_is_left_out_and_logged(
    data_dir: Path,
    statement: str,
    left_out: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert tamper(data_dir / "history.sqlite3", statement)
    assert main(["history", "--json", "--data-dir", str(data_dir)]) == 0
    captured = capsys.readouterr()
    sessions = {session["id"]: session["back_care"] for session in json.loads(captured.out)}
    assert f"damaged history row: {left_out}" in caplog.text
    if "rule" in statement:
        assert sessions[1]["suggestion"] is None
    elif left_out == "suggestion":
        assert sessions[1]["suggestion"]["answer"] == "accepted"  # the answer is kept
        assert sessions[1]["suggestion"]["answered_at"] is None
    else:
        assert sessions[2]["red_flags"] == []


def test_a_time_with_another_offset_is_written_in_local_time(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC0")
    statement = "UPDATE red_flag_checks SET answered_at = '2026-03-03T09:30:00+02:00' WHERE id = 1"
    assert tamper(data_dir / "history.sqlite3", statement)
    assert main(["history", "--json", "--data-dir", str(data_dir)]) == 0
    sessions = {
        session["id"]: session["back_care"] for session in json.loads(capsys.readouterr().out)
    }
    assert sessions[2]["red_flags"][0]["answered_at"] == "2026-03-03T07:30:00+00:00"
