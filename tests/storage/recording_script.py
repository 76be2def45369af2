"""A recording app instance, driven line by line from a test through stdin.

    python recording_script.py DB session   # engine + recorder; "next" ends a step
    python recording_script.py DB session hold  # the same, then waits to be killed
    python recording_script.py DB burst     # records steps as fast as it can
    python recording_script.py DB writer N  # on "go", N short sessions, then exits

It prints one line after every committed write, so a test knows exactly what
is on disk when it kills the process.
"""

from __future__ import annotations

import os
import sys

from routine_timer.core.engine import Session
from routine_timer.storage.history import HistoryStore
from routine_timer.storage.recorder import SessionRecorder
from tests.helpers.clocks import FakeClock
from tests.helpers.routines import RECORDED as TIMELINE
from tests.helpers.routines import end_current_step


def say(line: str) -> None:
    print(line, flush=True)


def run_session(store: HistoryStore, *, hold: bool = False) -> None:
    clock = FakeClock()
    session = Session(TIMELINE, clock)
    recorder = SessionRecorder(store, TIMELINE, routine_sha256="script", clock=clock)
    recorder.start()
    recorder.handle(session.start())
    say(f"started {recorder.session_id}")
    recorded = 0
    for command in sys.stdin:
        if command.strip() == "next":
            events = end_current_step(session, clock)
            recorder.handle(events)
            recorded = len(store.steps(recorder.session_id or 0))
            say(f"recorded {recorded}")
        if recorder.finished:
            say("finished")
            if hold:  # still open, as an app left running after a session
                sys.stdin.readline()
            return


def burst(store: HistoryStore) -> None:
    session = store.start_session("burst", "Burst", "", 1e6)
    say(f"started {session}")
    for index in range(1_000_000):
        store.record_step(
            session,
            index=index,
            kind="work",
            exercise="Plank",
            set=1,
            side=None,
            planned_seconds=30.0,
            actual_seconds=30.0,
            skipped=False,
        )
        say(f"recorded {index + 1}")


def writer(store: HistoryStore, sessions: int, steps: int = 5) -> None:
    say("ready")
    sys.stdin.readline()  # "go": every writer starts at the same moment
    for number in range(sessions):
        session = store.start_session(f"writer-{os.getpid()}", f"Writer {number}", "", 60.0)
        for index in range(steps):
            store.record_step(
                session,
                index=index,
                kind="work",
                exercise=f"Exercise {index}",
                set=1,
                side=None,
                planned_seconds=10.0,
                actual_seconds=10.0,
                skipped=False,
            )
        store.finish_session(session, "completed", 50.0, 0.0)
    say("done")


def main() -> None:
    path, mode, *rest = sys.argv[1:]
    store = HistoryStore(path)
    if mode == "session":
        run_session(store, hold="hold" in rest)
    elif mode == "burst":
        burst(store)
    else:
        writer(store, int(rest[0]))
    store.close()


if __name__ == "__main__":
    main()
