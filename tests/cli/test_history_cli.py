"""``routine-timer history``: table, JSON and CSV, through a parser built here."""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from routine_timer import console
from routine_timer.cli import history as history_cli
from routine_timer.paths import resolve_paths
from routine_timer.storage import export as export_module
from routine_timer.storage.db import SCHEMA_VERSION
from routine_timer.storage.history import HistoryStore

T0 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
REQUIRED = {
    "id", "routine_id", "routine_name", "started_at", "ended_at", "status", "planned_seconds",
    "active_seconds", "paused_seconds", "steps_done", "steps_skipped", "pain_before",
    "pain_after", "rpe", "note",
}  # fmt: skip
STEP_KEYS = {
    "exercise", "set", "side", "kind", "planned_seconds", "actual_seconds", "skipped",
    "stopped_for_pain", "variant",
}  # fmt: skip


@pytest.fixture(autouse=True)
def local_time_is_utc_plus_one(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "CET-1")  # POSIX sign: one hour east of UTC, no DST
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS)
    top = argparse.ArgumentParser(prog="routine-timer", parents=[common])
    history_cli.add_arguments(
        top.add_subparsers(dest="command").add_parser("history", parents=[common])
    )
    return top


def history(data_dir: Path, *options: str) -> tuple[int, str, str]:
    args = parser().parse_args(["history", "--data-dir", str(data_dir), *options])
    out, err = io.StringIO(), io.StringIO()
    code = history_cli.run(args, resolve_paths(args.data_dir), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def record(data_dir: Path) -> None:
    with HistoryStore(data_dir / "history.sqlite3") as store:
        first = store.start_session("back", "Back care", "aa", 300.0, started_at=T0,
                                    pain_before=4, planned_steps=2)  # fmt: skip
        for index, side in enumerate(("left", "right")):
            store.record_step(
                first,
                index=index,
                kind="work",
                exercise="Side plank",
                set=1,
                side=side,
                planned_seconds=30.0,
                actual_seconds=30.0 if side == "left" else 12.5,
                skipped=side == "right",
                stopped_for_pain=side == "right",
                ended_at=T0 + timedelta(seconds=30 * (index + 1)),
                variant="easier" if side == "right" else None,  # picked on the mat
            )
        store.finish_session(first, "stopped", 42.5, 3.0, ended_at=T0 + timedelta(minutes=1))
        store.set_checkin(first, pain_after=5, rpe=4, note='=HYPERLINK("x") hip, "tight"')
        later = T0 + timedelta(days=2)
        second = store.start_session("café", "Café stretch", "bb", 60.0, started_at=later)
        store.finish_session(second, "completed", 60.0, 0.0, ended_at=later + timedelta(minutes=1))
        store.start_session(
            "café", "Café stretch", "bb", 60.0, started_at=later + timedelta(hours=1)
        )
        store.close()  # the last one was never finished: abandoned


def test_no_history_yet_creates_nothing(tmp_path: Path) -> None:
    code, out, _ = history(tmp_path / "data")
    assert code == 0
    assert "No sessions recorded yet" in out
    assert not (tmp_path / "data").exists()
    code, out, _ = history(tmp_path / "data", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_the_table_shows_each_session_in_local_time(tmp_path: Path) -> None:
    record(tmp_path)
    code, out, err = history(tmp_path, "--steps")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Id", "Started", "Routine", "Status", "Time", "Done",
                                "Skipped", "Pain", "RPE"]  # fmt: skip
    assert "2026-03-02 08:30" in lines[2] and "stopped" in lines[2] and "4 -> 5" in lines[2]
    shown = "Side plank (easier), set 1, right"
    assert any(shown in line and "stopped: pain" in line for line in lines)
    assert "abandoned" in out and "completed" in out


def test_json_lists_sessions_with_the_agreed_fields(tmp_path: Path) -> None:
    record(tmp_path)
    code, out, _ = history(tmp_path, "--json")
    sessions = json.loads(out)
    assert code == 0
    assert [s["status"] for s in sessions] == ["stopped", "completed", "abandoned"]
    first = sessions[0]
    assert set(first) >= REQUIRED
    assert "steps" not in first
    assert first["started_at"] == "2026-03-02T08:30:00+01:00"
    assert datetime.fromisoformat(first["ended_at"]) == T0 + timedelta(minutes=1)
    assert (first["steps_done"], first["steps_skipped"], first["pain_before"],
            first["pain_after"], first["rpe"]) == (1, 1, 4, 5, 4)  # fmt: skip
    assert (first["active_seconds"], first["paused_seconds"]) == (42.5, 3.0)
    assert sessions[1]["routine_name"] == "Café stretch"
    assert sessions[2]["paused_seconds"] is None


def test_json_with_steps(tmp_path: Path) -> None:
    record(tmp_path)
    sessions = json.loads(history(tmp_path, "--json", "--steps")[1])
    steps = sessions[0]["steps"]
    assert all(set(step) >= STEP_KEYS for step in steps)
    assert [(s["side"], s["skipped"], s["stopped_for_pain"], s["variant"]) for s in steps] == [
        ("left", False, False, None),
        ("right", True, True, "easier"),
    ]
    assert sessions[1]["steps"] == []


def test_running_sessions_show_as_running(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as live:
        live.start_session("back", "Back care", "", 300.0, started_at=T0)
        sessions = json.loads(history(tmp_path, "--json")[1])
    assert [s["status"] for s in sessions] == ["running"]


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_opens_cleanly_in_a_spreadsheet(tmp_path: Path) -> None:
    record(tmp_path)
    code, out, _ = history(tmp_path, "--csv")
    assert code == 0
    assert "\r\n" in out
    rows = read_csv(out)
    assert len(rows) == 3
    assert set(rows[0]) >= REQUIRED
    assert rows[0]["date"] == "2026-03-02"
    assert rows[0]["started_at"] == "2026-03-02T08:30:00+01:00"
    # A note that looks like a formula is shown as text, never run.
    assert rows[0]["note"] == '\'=HYPERLINK("x") hip, "tight"'
    assert rows[1]["routine_name"] == "Café stretch"
    assert rows[2]["paused_seconds"] == ""


def test_csv_with_steps_has_a_row_per_step(tmp_path: Path) -> None:
    record(tmp_path)
    rows = read_csv(history(tmp_path, "--csv", "--steps")[1])
    found = [
        (row["id"], row["step_side"], row["step_skipped"], row["step_variant"]) for row in rows
    ]
    assert found == [
        ("1", "left", "false", ""),
        ("1", "right", "true", "easier"),
        ("2", "", "", ""),  # no steps: the session keeps its row
        ("3", "", "", ""),
    ]


def test_since_is_a_local_date(tmp_path: Path) -> None:
    record(tmp_path)
    # Session 2 starts 2026-03-04 08:30 local; the 4th begins at 23:00 UTC on the 3rd.
    sessions = json.loads(history(tmp_path, "--json", "--since", "2026-03-04")[1])
    assert [s["id"] for s in sessions] == [2, 3]
    code, out, _ = history(tmp_path, "--since", "2027-01-01")
    assert (code, "No sessions recorded since 2027-01-01T00:00+01:00" in out) == (0, True)


@pytest.mark.parametrize(
    ("since", "ids"),
    [
        ("0001-01-01", [1, 2, 3]),  # local midnight, one hour east: year 0 in UTC
        ("0001-01-01T00:30", [1, 2, 3]),
        ("0001-01-01T00:00+05:00", [1, 2, 3]),
        ("9999-12-31T23:00-05:00", []),  # year 10000 in UTC
        ("9999-12-31T23:59:59.999999-00:01", []),
        ("9999-12-31", []),  # fits: 23:00 UTC the day before
    ],
)
def test_a_since_at_the_ends_of_the_calendar_selects_all_or_nothing(
    tmp_path: Path, since: str, ids: list[int]
) -> None:
    record(tmp_path)
    code, out, err = history(tmp_path, "--json", "--since", since)
    assert (code, err) == (0, "")
    assert [s["id"] for s in json.loads(out)] == ids
    code, out, err = history(tmp_path, "--since", since)
    assert (code, err) == (0, "")
    assert ("No sessions recorded since" in out) == (not ids)


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-02-30", "03/02/2026"])
def test_a_bad_since_is_a_usage_error(
    tmp_path: Path, since: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["history", "--since", since])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"'{since}' is not a date: use YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_a_bad_since_given_as_text_is_a_usage_error(tmp_path: Path) -> None:
    args = argparse.Namespace(since="last week", json=False, csv=False, steps=False)
    err = io.StringIO()
    code = history_cli.run(args, resolve_paths(tmp_path), stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "'last week' is not a date" in err.getvalue()


def test_json_and_csv_together_are_refused() -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["history", "--json", "--csv"])
    assert exit_.value.code == 2


def test_a_damaged_history_is_moved_aside_and_the_user_told(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = history(tmp_path)
    assert code == 0
    assert "moved to" in err and "history.sqlite3.corrupt-" in err
    assert "No sessions recorded yet" in out


def test_an_unreadable_history_is_a_message_and_exit_1(tmp_path: Path) -> None:
    HistoryStore(tmp_path / "history.sqlite3").close()
    newer = sqlite3.connect(tmp_path / "history.sqlite3")
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    code, out, err = history(tmp_path)
    assert (code, out) == (1, "")
    assert "newer version of routine-timer" in err
    assert "Traceback" not in err


def test_exports_go_out_as_utf8_bytes_whatever_the_terminal(tmp_path: Path) -> None:
    record(tmp_path)
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="ascii", newline="")
    args = parser().parse_args(["history", "--csv"])
    assert history_cli.run(args, resolve_paths(tmp_path), stdout=terminal) == 0
    terminal.flush()
    assert raw.getvalue().startswith(b"\xef\xbb\xbf")
    assert "Café stretch".encode() in raw.getvalue()


class _ClosedPipe(io.BytesIO):
    def write(self, data: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("form", ["--json", "--csv"])
def test_a_reader_gone_mid_export_leaves_nothing_behind(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `history --json | head`: the export stops at its first write, a row in, and
    # its unfinished read is put away without a word (warnings fail the test).
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 1)
    record(tmp_path)

    def export() -> str:
        args = parser().parse_args(["history", form, "--steps"])
        try:
            history_cli.run(args, resolve_paths(tmp_path), stdout=io.TextIOWrapper(_ClosedPipe()))
        except console.OutputError as error:
            return str(error)
        return "written"

    assert export() == "broken pipe"
    gc.collect()  # what was left of the export is gone now


HOSTILE = "Back\x1b]0;pwned\x07\x1b[2J\x9b2J\u202e care"


def record_hostile(data_dir: Path) -> None:
    with HistoryStore(data_dir / "history.sqlite3") as store:
        session = store.start_session("back", HOSTILE, "aa", 60.0, started_at=T0)
        store.finish_session(session, "completed", 60.0, 0.0, ended_at=T0 + timedelta(minutes=1))
        store.set_checkin(session, note="sore\x1b]52;c;aGVsbG8=\x07\nthen fine")


def test_names_and_notes_reach_the_terminal_escaped(tmp_path: Path) -> None:
    record_hostile(tmp_path)
    code, out, _err = history(tmp_path)
    assert code == 0
    assert all(line.isprintable() for line in out.splitlines())
    assert "Back\\x1b]0;pwned\\x07" in out
    assert "Note: sore\\x1b]52;c;" in out


def test_json_escapes_what_a_terminal_would_obey_and_keeps_the_values(tmp_path: Path) -> None:
    record_hostile(tmp_path)
    code, out, _err = history(tmp_path, "--json")
    assert code == 0
    assert all(char.isprintable() or char == "\n" for char in out)
    (session,) = json.loads(out)
    assert session["routine_name"] == HOSTILE


def test_csv_shown_on_a_terminal_is_escaped_but_exact_in_a_file(tmp_path: Path) -> None:
    record_hostile(tmp_path)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    args = parser().parse_args(["history", "--csv"])
    shown = Terminal()
    assert history_cli.run(args, resolve_paths(tmp_path), stdout=shown) == 0
    lines = shown.getvalue().removeprefix("\ufeff").split("\n")
    assert all(line.isprintable() for line in lines)
    assert "Back\\x1b]0;pwned" in lines[1]
    code, exported, _err = history(tmp_path, "--csv")
    assert code == 0
    assert HOSTILE in exported
