"""`routine-timer start` end to end: a real app process runs a tiny routine to its end.

The only test that lets real time pass: the routine is two one-second steps,
so the app is done in a few seconds; the process gets a generous timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from routine_timer.paths import HOME_VARIABLE, AppPaths
from routine_timer.storage.history import HistoryStore

pytestmark = pytest.mark.slow

TINY = """\
name: Tiny stretch
id: tiny-stretch
prepare: 0
rest: 0
exercises:
  - name: Reach up
    time: 1s
  - name: Touch your toes
    time: 1s
"""


def run_app(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env[HOME_VARIABLE] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "routine_timer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_start_runs_a_routine_to_the_end_and_records_it(tmp_path: Path) -> None:
    routine = tmp_path / "tiny.yaml"
    routine.write_text(TINY, encoding="utf-8")
    home = tmp_path / "home"

    result = run_app(home, "start", str(routine), "--quit-when-done")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with HistoryStore(AppPaths(home).history_db) as store:
        [session] = store.sessions()
        steps = store.steps(session.id)
    assert session.status == "completed"
    assert session.routine_id == "tiny-stretch"
    assert session.routine_name == "Tiny stretch"
    assert session.planned_seconds == pytest.approx(2)
    assert session.active_seconds == pytest.approx(2, abs=0.01)
    assert session.steps_done == 2
    assert session.steps_skipped == 0
    assert [(step.kind, step.exercise, step.skipped) for step in steps] == [
        ("work", "Reach up", False),
        ("work", "Touch your toes", False),
    ]
    assert all(step.actual_seconds == pytest.approx(1, abs=0.01) for step in steps)


def test_start_with_an_unknown_id_says_so_and_opens_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_app(home, "start", "no-such-id")
    assert result.returncode == 1
    assert "no routine with id 'no-such-id'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert not AppPaths(home).history_db.exists()


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are always Unicode")
def test_start_runs_a_routine_whose_file_name_is_not_utf8(tmp_path: Path) -> None:
    routine = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
    with open(routine, "wb") as file:
        file.write(TINY.replace("id: tiny-stretch\n", "").encode())
    home = tmp_path / "home"

    result = run_app(home, "start", os.fsdecode(routine), "--quit-when-done")

    assert result.returncode == 0, result.stderr
    with HistoryStore(AppPaths(home).history_db) as store:
        [session] = store.sessions()
    assert (session.routine_id, session.status) == ("caf\\xe9", "completed")


def test_start_of_a_broken_file_says_why_without_raw_control_characters(tmp_path: Path) -> None:
    # Each message starts with the file's path, which can hold anything.
    routine = tmp_path / "bad\x1b]0;retitled\x07.yaml"
    routine.write_text("name: Bad\nexercises: []\n", encoding="utf-8")
    result = run_app(tmp_path / "home", "start", str(routine))
    assert result.returncode == 1
    assert "retitled" in result.stderr and "exercises" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "Traceback" not in result.stderr
