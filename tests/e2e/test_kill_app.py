"""Kill the real app with SIGKILL in the middle of a session; the history survives.

Each case starts ``python -m routine_timer start ROUTINE`` (offscreen, its own
data folder) on a routine of half-second steps, waits until the history file
shows a given number of finished steps, kills the process outright, and opens
the file again: it must pass ``PRAGMA integrity_check`` and hold the session
as abandoned with every step that was committed before the kill.

The wait is a bounded poll of a real process's file, not a sleep that lets
time pass: the app's own clock runs the session.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from routine_timer.storage.history import HistoryStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")

ROUTINE = """\
name: Kill test
prepare: 0
rest: 0.5s
exercises:
  - name: Plank
    time: 0.5s
    sets: 30
"""
"""About 30 s of steps: the kill always comes long before the end."""

DEADLINE_SECONDS = 20.0
POLL_SECONDS = 0.02


def _committed(database: Path) -> tuple[int | None, list[int]] | None:
    """The session id and the step row ids committed so far; None before the file is ready."""
    if not database.exists():
        return None
    try:
        # Read-only: the test must not take part in the writing it checks.
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        sessions = connection.execute("SELECT id FROM sessions").fetchall()
        steps = connection.execute("SELECT id FROM steps ORDER BY id").fetchall()
    except sqlite3.Error:  # the schema is not there yet
        return None
    finally:
        connection.close()
    return (sessions[0][0] if sessions else None), [row[0] for row in steps]


def _wait_for_steps(process: subprocess.Popen[bytes], database: Path, count: int) -> list[int]:
    """Poll until ``count`` steps (0: just the session row) are committed; their row ids."""
    give_up = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < give_up:
        if process.poll() is not None:
            pytest.fail(f"the app exited early with status {process.returncode}")
        seen = _committed(database)
        if seen is not None and seen[0] is not None and len(seen[1]) >= count:
            return seen[1]
        time.sleep(POLL_SECONDS)  # between polls of another process's file
    pytest.fail(f"no {count} finished steps in the history after {DEADLINE_SECONDS:.0f} s")


@pytest.mark.parametrize("finished_steps", [0, 2, 5])
def test_sigkill_mid_session_leaves_an_abandoned_session_with_its_steps(
    tmp_path: Path, finished_steps: int
) -> None:
    home = tmp_path / "home"
    routine = tmp_path / "kill-test.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    database = home / "history.sqlite3"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ROUTINE_TIMER_HOME": str(home),
    }
    with (tmp_path / "app-output.txt").open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "routine_timer", "start", str(routine)],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            seen = _wait_for_steps(process, database, finished_steps)
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=10) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    with HistoryStore(database) as store:
        [(check,)] = store.connection.execute("PRAGMA integrity_check").fetchall()
        assert check == "ok"
        [session] = store.sessions()
        assert session.status == "abandoned"
        assert session.routine_name == "Kill test"
        steps = store.steps(session.id)
        # Every step committed before the kill is still there, in order.
        assert [step.id for step in steps][: len(seen)] == seen
        assert len(steps) >= finished_steps
        assert [step.kind for step in steps] == ["work", "rest"] * (len(steps) // 2) + ["work"] * (
            len(steps) % 2
        )
        assert all(not step.skipped for step in steps)
        assert session.steps_done == sum(step.kind == "work" for step in steps)
        # An abandoned session ends with its last recorded step.
        assert session.active_seconds == pytest.approx(sum(s.actual_seconds for s in steps))
        assert session.ended_at == (steps[-1].ended_at if steps else session.started_at)
