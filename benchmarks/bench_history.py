"""History at scale: 100,000 sessions and 2,000,000 steps.

    python benchmarks/bench_history.py [--repeat N] [--rebuild]

Measures, against baselines taken in the same run on the same file:

* opening the history view: open the store, load the session list a table
  view needs, and compute every progress figure (heat map, streaks, weekly
  minutes, pain trend, per-routine summaries). Target <= 150 ms. Baseline:
  a bare ``sqlite3`` connect and ``SELECT * FROM sessions``.
* recording one step, committed: p99 <= 10 ms. Baseline: a bare one-row
  ``INSERT`` committed on a plain connection with the same settings.

The history also holds back care, as bench_export.py writes it: a next-morning
check a day, a suggestion on every third finished session, a red-flag check
every 500 sessions and a step stopped for pain in one session in a hundred.
The generated file is cached in ``benchmarks/out/`` (git-ignored), so only
the first run pays for writing 2 million rows. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from routine_timer.core import stats  # noqa: E402
from routine_timer.storage import db  # noqa: E402
from routine_timer.storage.history import HistoryStore  # noqa: E402
from routine_timer.storage.reading import to_text  # noqa: E402

SESSIONS = 100_000
STEPS_PER_SESSION = 20
VIEW_TARGET_MS = 150.0
STEP_TARGET_P99_MS = 10.0
OUT = Path(__file__).resolve().parent / "out"
ROUTINES = [(f"routine-{n}", f"Routine number {n}") for n in range(12)]
KINDS = ["prepare"] + ["work", "rest"] * 9 + ["manual"]  # 20 steps, 10 exercise steps
EXERCISES = ["Side plank", "Bird dog", "Curl-up", "Glute bridge", "Dead bug"]
DATA_VERSION = 2
"""Of the history written: 2 has times as a session measures them (any digits), several
exercises, sides and sets; 1 had every step take exactly 30.0 s, one exercise, which
let an export that remembered text by the time taken look faster than it is."""


def database_path() -> Path:
    return OUT / f"history-{SESSIONS}-v{db.SCHEMA_VERSION}-d{DATA_VERSION}.sqlite3"


def build(path: Path) -> None:
    """Write the sessions and steps with executemany in one transaction."""
    OUT.mkdir(exist_ok=True)
    for leftover in OUT.glob(path.name + "*"):
        leftover.unlink()
    partial = path.with_name(path.name + ".partial")
    connection = db.open_database(partial).connection
    rng = random.Random(4)
    start = datetime(2021, 1, 1, 6, tzinfo=UTC)
    sessions = []
    steps = []
    suggestions = []
    red_flags = []
    days: dict[str, str] = {}
    step_id = 0
    for session_id in range(1, SESSIONS + 1):
        # About 55 sessions a day for five years: dense enough for every figure.
        started = start + timedelta(seconds=session_id * 1577 + rng.randrange(600))
        routine_id, name = ROUTINES[session_id % len(ROUTINES)]
        status = rng.choices(["completed", "stopped", "abandoned"], [90, 8, 2])[0]
        done = 10 if status == "completed" else rng.randrange(10)
        skipped = 0 if status == "completed" else rng.randrange(10 - done + 1)
        # Measured on the clock, as a session does: never a round number.
        active = 600.0 * done / 10 + rng.random()
        sessions.append((
            session_id, routine_id, name, "0" * 64, to_text(started),
            started.astimezone().date().isoformat(),
            to_text(started + timedelta(seconds=active + 30)), status, 600.0, active,
            rng.random() * 40 if status != "abandoned" else None,
            rng.randrange(11) if session_id % 3 else None,
            rng.randrange(11) if session_id % 3 else None,
            rng.randrange(1, 11) if session_id % 4 else None,
            "felt fine" if session_id % 10 == 0 else None,
            10, done, skipped,
        ))  # fmt: skip
        for index, kind in enumerate(KINDS):
            step_id += 1
            exercise = kind in ("work", "manual")
            steps.append((
                step_id, session_id, index, kind,
                EXERCISES[index // 4] if exercise else None,
                index // 2 % 2 + 1 if exercise else None,
                ("left", "right", None)[index % 3] if exercise else None,
                30.0, 30.0 + rng.random() / 10, 0,
                # One session in a hundred stopped a step for pain.
                1 if session_id % 100 == 7 and index == 5 else 0,
                to_text(started + timedelta(seconds=30 * (index + 1) + rng.random())),
            ))  # fmt: skip
        # Back care (schema v7): a next-morning check for each day, a suggestion on every
        # third finished session (answered or not), a red-flag check every 500 sessions.
        ended = started + timedelta(seconds=active + 30)
        days.setdefault(sessions[-1][5], to_text(started + timedelta(days=1)))
        if status != "abandoned" and session_id % 3 == 0:
            suggestions.append((
                session_id, routine_id, to_text(ended), "hold", "pain-steady",
                "Keep this level next time: pain stayed low and the effort was moderate.",
                "as written", "", routine_id, None,
                ("accepted", "declined", None)[session_id % 9 // 3],
                None if session_id % 9 >= 6 else to_text(ended + timedelta(seconds=20)),
            ))  # fmt: skip
        if session_id % 500 == 0:
            asked = session_id % 1000 == 0  # from the menu, an hour later: no session id
            when = ended + timedelta(hours=1 if asked else 0, seconds=40)
            red_flags.append((
                to_text(when), when.astimezone().date().isoformat(),
                None if asked else session_id, "asked" if asked else "pain-high",
                0, 0, None if asked else 0, 1 if session_id % 1500 == 0 else 0,
            ))  # fmt: skip
    with db.write_transaction(connection):
        connection.executemany(
            "INSERT INTO sessions (id, routine_id, routine_name, routine_sha256, started_at,"
            " local_day, ended_at, status, planned_seconds, active_seconds, paused_seconds,"
            " pain_before, pain_after, rpe, note, planned_steps, steps_done, steps_skipped)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        connection.executemany(
            "INSERT INTO steps (id, session_id, step_index, kind, exercise, set_number, side,"
            " planned_seconds, actual_seconds, skipped, stopped_for_pain, ended_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            steps,
        )
        connection.executemany(
            "INSERT INTO suggestions (session_id, routine_id, shown_at, outcome, rule, text,"
            " level, change, target_routine, target_variant, answer, answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            suggestions,
        )
        connection.executemany(
            "INSERT INTO red_flag_checks (answered_at, local_day, session_id, why, saddle,"
            " bladder_bowel, legs, leg_pain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            red_flags,
        )
        connection.executemany(
            "INSERT INTO morning_checks (day, answer, answered_at) VALUES (?, ?, ?)",
            [
                (day, ("better", "same", "worse")[n % 3], at)
                for n, (day, at) in enumerate(days.items())
            ],
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("ANALYZE")
    connection.close()
    partial.rename(path)


def timed(action: Callable[[], object]) -> float:
    begin = time.perf_counter()
    action()
    return (time.perf_counter() - begin) * 1000


def open_history_view(path: Path) -> None:
    """Everything the history window needs before it can paint.

    The newest sessions first (a screenful of the table, which reads a page
    at a time), and every progress figure.
    """
    store = HistoryStore(path)
    table = store.session_table(descending=True)
    [table[row] for row in range(min(len(table), 40))]
    stats.progress(store.day_summaries(), store.routine_summaries(), date.today())
    store.close()


def open_history_window(path: Path) -> None:
    """The real History view: built, laid out and painted once (offscreen Qt)."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - only this measure needs Qt

    from routine_timer.ui.history.window import HistoryView  # noqa: PLC0415

    _app = QApplication.instance() or QApplication([])
    store = HistoryStore(path)
    view = HistoryView(store)
    view.resize(1280, 900)
    view.grab()  # layout and the first paint of every chart and the table
    view.deleteLater()
    store.close()


def sort_history_view(path: Path) -> None:
    """Clicking a column header: the table in another order, first screenful."""
    store = HistoryStore(path)
    table = store.session_table().sorted("routine_name")
    [table[row] for row in range(min(len(table), 40))]
    store.close()


def bare_select(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("SELECT * FROM sessions").fetchall()
    connection.close()


def record_steps(path: Path, count: int) -> list[float]:
    store = HistoryStore(path)
    session = store.start_session("bench", "Benchmark", "", 600.0, planned_steps=count)
    samples = []
    for index in range(count):
        begin = time.perf_counter()
        store.record_step(
            session,
            index=index,
            kind="work",
            exercise="Side plank",
            set=1,
            side="left",
            planned_seconds=30.0,
            actual_seconds=30.0,
            skipped=False,
        )
        samples.append((time.perf_counter() - begin) * 1000)
    store.finish_session(session, "completed", 600.0, 0.0)
    # Leave the cached file as it was (steps go with their session).
    with db.write_transaction(store.connection) as connection:
        connection.execute("DELETE FROM sessions WHERE id = ?", (session,))
    store.close()
    return samples


def bare_inserts(count: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "bare.sqlite3", isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c)")
        samples = []
        for index in range(count):
            begin = time.perf_counter()
            connection.execute("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", (index, "x", 1.0))
            samples.append((time.perf_counter() - begin) * 1000)
        connection.close()
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each measurement")
    parser.add_argument("--steps", type=int, default=2000, help="steps recorded for the p99")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached file")
    options = parser.parse_args()

    path = database_path()
    if options.rebuild or not path.exists():
        print(f"writing {SESSIONS:,} sessions and {SESSIONS * STEPS_PER_SESSION:,} steps ...")
        print(f"  done in {timed(lambda: build(path)) / 1000:.1f} s -> {path}")
    open_history_view(path)  # warm the OS cache, as a second window opening would be

    def median_of(action: Callable[[], object]) -> float:
        return statistics.median(timed(action) for _ in range(options.repeat))

    baseline = median_of(lambda: bare_select(path))
    view = median_of(lambda: open_history_view(path))
    open_history_window(path)  # Qt's own first-use costs (fonts, styles) are not the view's
    window = median_of(lambda: open_history_window(path))
    resort = median_of(lambda: sort_history_view(path))
    bare = bare_inserts(options.steps)
    steps = record_steps(path, options.steps)
    bare_p99, step_p99 = percentile(bare, 0.99), percentile(steps, 0.99)

    print(f"history of {SESSIONS:,} sessions / {SESSIONS * STEPS_PER_SESSION:,} steps,"
          f" median of {options.repeat} runs")  # fmt: skip
    print(f"  baseline: bare SELECT * FROM sessions    {baseline:8.1f} ms")
    print(f"  open history view + every figure         {view:8.1f} ms"
          f"  ({view / baseline:.2f}x baseline, target <= {VIEW_TARGET_MS:.0f} ms)")  # fmt: skip
    print(f"  the real History view, built and painted {window:8.1f} ms"
          f"  ({window / baseline:.2f}x baseline, target <= {VIEW_TARGET_MS:.0f} ms)")  # fmt: skip
    print(f"  re-sort by routine name (header click)   {resort:8.1f} ms"
          f"  ({resort / baseline:.2f}x baseline)")  # fmt: skip
    print(f"recording one step, committed, {options.steps} steps")
    print(f"  baseline: bare INSERT, p50 / p99         {percentile(bare, 0.5):8.3f} /"
          f" {bare_p99:.3f} ms")  # fmt: skip
    print(f"  record_step, p50 / p99 / max             {percentile(steps, 0.5):8.3f} /"
          f" {step_p99:.3f} / {max(steps):.3f} ms  ({step_p99 / bare_p99:.2f}x baseline p99,"
          f" target p99 <= {STEP_TARGET_P99_MS:.0f} ms)")  # fmt: skip
    missed = max(view, window) > VIEW_TARGET_MS or step_p99 > STEP_TARGET_P99_MS
    print("missed a target" if missed else "targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
