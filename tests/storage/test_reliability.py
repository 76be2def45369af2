"""Real processes against a real file: killed recorders, live ones, two writers."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from routine_timer.storage.db import SCHEMA_VERSION
from routine_timer.storage.history import HistoryStore
from tests.helpers.routines import RECORDED as TIMELINE

SCRIPT = Path(__file__).with_name("recording_script.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]


class Recorder:
    """The recording script in a child process, driven through its stdin."""

    def __init__(self, path: Path, *args: str) -> None:
        # The script imports the tests' helpers from the repository root.
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(path), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"the script ended early (exit code {self.process.wait()})"
        return line.strip()

    def send(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def kill(self) -> None:
        """SIGKILL (a no-op once it has exited) and close the pipes."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def spawn():
    """Start recording scripts; any left running are killed at the end."""
    children: list[Recorder] = []

    def start(path: Path, *args: str) -> Recorder:
        children.append(Recorder(path, *args))
        return children[-1]

    yield start
    for child in children:
        child.kill()


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.parametrize("steps_before_kill", [0, 1, 4, 9])
def test_a_killed_session_is_abandoned_with_its_finished_steps(
    tmp_path: Path, spawn, steps_before_kill: int
) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "session")
    session_id = int(child.read().split()[1])
    for done in range(1, steps_before_kill + 1):
        assert child.send("next") == f"recorded {done}"
    child.kill()

    assert integrity(path) == "ok"
    with HistoryStore(path) as store:
        [record] = store.sessions()
        assert (record.id, record.status) == (session_id, "abandoned")
        steps = store.steps(session_id)
        assert [step.index for step in steps] == list(range(steps_before_kill))
        assert record.active_seconds == sum(step.actual_seconds for step in steps)
        # What the history shows as done: the exercise steps among them.
        assert record.steps_done == sum(step.kind in ("work", "manual") for step in steps)


def test_a_kill_in_the_middle_of_fast_writes_loses_nothing_committed(tmp_path: Path, spawn) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "burst")
    session_id = int(child.read().split()[1])
    committed = 0
    while committed < 150:
        committed = int(child.read().split()[1])
    child.kill()  # most likely inside a later write

    assert integrity(path) == "ok"
    with HistoryStore(path) as store:
        [record] = store.sessions()
        assert record.status == "abandoned"
        indexes = [step.index for step in store.steps(session_id)]
        # Every write reported as committed is there; at most the ones after it too.
        assert indexes == list(range(len(indexes)))
        assert len(indexes) >= committed
        assert record.steps_done == len(indexes)


def test_a_live_instances_session_is_never_marked_abandoned(tmp_path: Path, spawn) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "session")
    session_id = int(child.read().split()[1])
    assert child.send("next") == "recorded 1"

    for _ in range(2):  # opening, and reading again, both leave it alone
        with HistoryStore(path) as store:
            assert store.mark_abandoned() == 0
            assert store.session(session_id).status == "running"  # type: ignore[union-attr]

    while (line := child.send("next")) != "finished":
        assert line.startswith("recorded")
    assert child.process.wait() == 0
    with HistoryStore(path) as store:
        assert store.session(session_id).status == "completed"  # type: ignore[union-attr]


def test_two_processes_write_at_once_without_losing_rows(tmp_path: Path, spawn) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()  # both then open an existing file
    children = [spawn(path, "writer", "100") for _ in range(2)]
    for child in children:  # both have opened the file ...
        assert child.read() == "ready"
    for child in children:  # ... and start writing together
        assert child.process.stdin is not None
        child.process.stdin.write("go\n")
        child.process.stdin.flush()
    for child in children:
        assert child.read() == "done"
        assert child.process.wait() == 0

    with HistoryStore(path) as store:
        sessions = store.sessions()
        assert len(sessions) == 200
        assert {s.status for s in sessions} == {"completed"}
        assert all(s.steps_done == 5 for s in sessions)
        count = store.connection.execute("SELECT count(*) FROM steps").fetchone()[0]
        assert count == 1000
        # Both were released together; whether their rows interleave is up to the
        # scheduler (on a loaded two-core machine one may run to the end first), so
        # it is not asserted: what must hold is that no row of either is lost.
        writers = {s.routine_id for s in sessions}
        assert writers == {f"writer-{child.process.pid}" for child in children}
        assert all(sum(s.routine_id == w for s in sessions) == 100 for w in writers)


def test_two_processes_create_a_new_file_at_once(tmp_path: Path, spawn) -> None:
    path = tmp_path / "new" / "history.sqlite3"
    children = [spawn(path, "writer", "10") for _ in range(2)]
    for child in children:
        assert child.read() == "ready"
    for child in children:
        assert child.send("go") == "done"
    with HistoryStore(path) as store:
        assert len(store.sessions()) == 20


def test_two_threads_with_their_own_stores_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            with HistoryStore(path) as store:
                for number in range(40):
                    session = store.start_session(name, name, "", 60.0)
                    for index in range(4):
                        store.record_step(
                            session,
                            index=index,
                            kind="manual",
                            exercise="Squat",
                            set=index + 1,
                            side=None,
                            planned_seconds=0.0,
                            actual_seconds=float(number),
                            skipped=False,
                        )
                    store.finish_session(session, "completed", 1.0, 0.0)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with HistoryStore(path) as store:
        sessions = store.sessions()
        assert len(sessions) == 120
        assert all((s.status, s.steps_done) == ("completed", 4) for s in sessions)


def backup_of_the_file_alone(path: Path, folder: Path) -> sqlite3.Connection:
    """What a backup or sync of ``history.sqlite3`` alone holds: no ``-wal``, no ``-shm``."""
    folder.mkdir()
    copy = folder / path.name
    shutil.copyfile(path, copy)
    # immutable: read the file as it is, without looking for (or making) companions.
    return sqlite3.connect(f"file:{copy}?immutable=1", uri=True)


def test_a_killed_apps_file_alone_has_the_tables_from_the_start(tmp_path: Path, spawn) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "session")  # a new file: created, then a session started
    child.read()
    child.kill()

    backup = backup_of_the_file_alone(path, tmp_path / "backup")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
    assert {"sessions", "steps", "day_totals", "daily_totals", "routine_totals"} <= tables
    backup.close()


def test_a_killed_apps_file_alone_has_every_session_that_ended(tmp_path: Path, spawn) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "session", "hold")
    session_id = int(child.read().split()[1])
    while child.send("next") != "finished":
        pass
    child.kill()  # the app was left open after the session, then killed

    backup = backup_of_the_file_alone(path, tmp_path / "backup")
    assert backup.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchall() == [
        ("completed",)
    ]
    steps = backup.execute("SELECT step_index FROM steps WHERE session_id = ?", (session_id,))
    assert [row[0] for row in steps] == list(range(len(TIMELINE.steps)))
    backup.close()


def test_after_a_kill_the_next_start_puts_the_finished_steps_in_the_file(
    tmp_path: Path, spawn
) -> None:
    path = tmp_path / "history.sqlite3"
    child = spawn(path, "session")
    session_id = int(child.read().split()[1])
    for done in range(1, 4):
        assert child.send("next") == f"recorded {done}"
    child.kill()
    again = spawn(path, "writer", "0")  # the app started again, then killed too
    assert again.read() == "ready"
    again.kill()

    backup = backup_of_the_file_alone(path, tmp_path / "backup")
    [(status,)] = backup.execute("SELECT status FROM sessions WHERE id = ?", (session_id,))
    assert status == "abandoned"
    steps = backup.execute("SELECT step_index FROM steps WHERE session_id = ?", (session_id,))
    assert [row[0] for row in steps] == [0, 1, 2]
    backup.close()
