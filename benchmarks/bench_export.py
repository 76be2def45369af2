"""Exports of a long history, beside the ``sqlite3`` command line writing the same rows.

    python benchmarks/bench_export.py [--repeat N] [--rebuild]

On the history bench_history.py builds (100,000 sessions, 2,000,000 steps),
runs the real ``routine-timer history`` in a subprocess for each export
(``--json``, ``--csv``, each with and without ``--steps``), output to
/dev/null, from compiled bytecode as an installed app, and takes its wall
time, its processor time and peak memory (the child's user and system time
and maximum resident set size, from ``getrusage``). Beside each, in the same
run and alternating with it, the ``sqlite3`` command line writes the same
rows in the same form (``-json`` or ``-csv``): the sessions, each
with its back care as the JSON export has it (a step stopped for pain, the
next morning's check, the suggestion shown with its answer, the red-flag
checks that go with it), then the steps in the export's order (JSON); the
sessions, or one row per step with its session's columns (CSV, which has no
back care). Targets: time at most 2x the ``sqlite3``
one, peak memory at most 100 MB. Without ``sqlite3`` on the PATH the
comparison is skipped, and said so. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_history  # noqa: E402

TIME_RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 100.0
SESSION_SELECT = "SELECT * FROM sessions ORDER BY started_at, id"
_ANSWER = "CASE {0} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END"
BACK_CARE_SELECT = (
    # What history --json writes under each session's "back_care", by the same rules
    # (storage/reading.py BACK_CARE_COLUMNS, storage/backcare.py red_flags_by_session):
    # a step stopped for pain, the next morning's check, the suggestion with its
    # answer, and the answered red-flag checks, each under the session it goes with.
    # The checks are gathered first, by session, into a temporary table with a key
    # (as the export gathers them in a dict): joined as a subquery, SQLite would scan
    # them all for each session.
    "CREATE TEMP TABLE flags (owner INTEGER PRIMARY KEY, checks TEXT);"
    " INSERT INTO flags SELECT owner, json_group_array(json_object("
    "  'answered_at', answered_at, 'why', why, 'answers', json_object("
    f"  'saddle', {_ANSWER.format('saddle')},"
    f"  'bladder-bowel', {_ANSWER.format('bladder_bowel')},"
    f"  'legs', {_ANSWER.format('legs')}, 'leg-pain', {_ANSWER.format('leg_pain')})))"
    "  FROM (SELECT *, coalesce(session_id, (SELECT id FROM sessions"
    "    WHERE sessions.started_at <= red_flag_checks.answered_at"
    "    ORDER BY started_at DESC, id DESC LIMIT 1),"
    "   (SELECT id FROM sessions ORDER BY started_at, id LIMIT 1)) AS owner"
    "   FROM red_flag_checks"
    "   WHERE coalesce(saddle, bladder_bowel, legs, leg_pain) IS NOT NULL"
    "   ORDER BY answered_at, id)"
    "  GROUP BY owner;"
    " SELECT sessions.*,"
    " EXISTS (SELECT 1 FROM steps WHERE steps.session_id = sessions.id"
    "  AND steps.stopped_for_pain = 1) AS stopped_for_pain,"
    " (SELECT answer FROM morning_checks"
    "  WHERE morning_checks.day = date(sessions.local_day, '+1 day')) AS morning_after,"
    " (SELECT json_object('outcome', outcome, 'rule', rule, 'text', text, 'level', level,"
    "  'change', change, 'target_routine', target_routine, 'target_variant', target_variant,"
    "  'answer', answer, 'answered_at', answered_at)"
    "  FROM suggestions WHERE suggestions.session_id = sessions.id) AS suggestion,"
    " coalesce((SELECT checks FROM flags WHERE owner = sessions.id), json_array()) AS red_flags"
    " FROM sessions ORDER BY started_at, id"
)
STEPS_SELECT = (
    "SELECT steps.* FROM sessions JOIN steps ON steps.session_id = sessions.id"
    " ORDER BY sessions.started_at, sessions.id, steps.id"
)
JOINED_SELECT = (
    "SELECT sessions.*, steps.* FROM sessions LEFT JOIN steps ON steps.session_id = sessions.id"
    " ORDER BY sessions.started_at, sessions.id, steps.id"
)
EXPORTS = {
    "--json": ("-json", BACK_CARE_SELECT),
    "--json --steps": ("-json", f"{BACK_CARE_SELECT}; {STEPS_SELECT}"),
    "--csv": ("-csv", SESSION_SELECT),
    "--csv --steps": ("-csv", JOINED_SELECT),
}
FLOOR = """
import csv, json, sqlite3, sys
mode, path, query = sys.argv[1:]
*before, last = query.split(";")
db = sqlite3.connect(path)
db.executescript(";".join(before))
rows = db.execute(last)
if mode == "-csv":
    csv.writer(sys.stdout).writerows(rows)
else:
    sys.stdout.writelines(json.dumps(row) + "\\n" for row in rows)
"""
"""The least any Python program does to write the same rows: fetch them from the
``sqlite3`` module and hand them to its C CSV writer or JSON encoder, nothing checked,
no local times, no formula guard. Shown beside the session-only exports (``FLOORED``)."""
FLOORED = ("--json", "--csv")
_MEASURE = """
import resource, subprocess, sys, time
begin = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
seconds = time.perf_counter() - begin
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def app_environment(cache_dir: Path) -> dict[str, str]:
    """The app's environment: this checkout, run from compiled bytecode.

    An installed app runs from bytecode (pip writes it at install time); a source
    checkout with bytecode writing turned off would compile every module at every
    run. The warm-up run fills a private bytecode cache (as bench_startup.py does).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Run(NamedTuple):
    seconds: float
    """Wall time."""
    cpu: float
    """Processor time, user and system: less moved than wall time by other work."""
    megabytes: float
    """Peak resident memory."""


def measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall and processor seconds and peak memory (MB) of ``command``, run by a parent of its own.

    RUSAGE_CHILDREN keeps the largest child so far, so each run gets a fresh parent.
    """
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    seconds, cpu, kilobytes = result.stdout.split()
    return Run(float(seconds), float(cpu), int(kilobytes) / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached file")
    options = parser.parse_args()

    source = bench_history.database_path()
    if options.rebuild or not source.exists():
        print(f"writing {bench_history.SESSIONS:,} sessions ...")
        bench_history.build(source)
    sqlite = shutil.which("sqlite3")
    missed = False
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        # A copy: opening the history marks sessions and checkpoints; the cache stays as built.
        shutil.copyfile(source, data / "history.sqlite3")
        app = [sys.executable, "-m", "routine_timer", "--data-dir", str(data), "history"]
        env = app_environment(data / "bytecode")
        measured([*app, "--json"], env)  # warm the OS cache for both, and the bytecode
        print(
            f"exports of {bench_history.SESSIONS:,} sessions /"
            f" {bench_history.SESSIONS * bench_history.STEPS_PER_SESSION:,} steps,"
            f" median of {options.repeat} runs, output to /dev/null"
        )
        if sqlite is None:
            print("  sqlite3 command line not found: the comparison with it is skipped")
        for export, (mode, query) in EXPORTS.items():
            runs: list[Run] = []
            base: list[Run] = []
            floor: list[Run] = []
            for _ in range(options.repeat):  # alternated, so that other work weighs on both
                runs.append(measured([*app, *export.split()], env))
                if sqlite is not None:
                    base.append(measured([sqlite, mode, str(data / "history.sqlite3"), query]))
                if export in FLOORED:
                    history = str(data / "history.sqlite3")
                    floor.append(measured([sys.executable, "-c", FLOOR, mode, history, query]))
            seconds = statistics.median(run.seconds for run in runs)
            cpu = statistics.median(run.cpu for run in runs)
            memory = max(run.megabytes for run in runs)
            line = f"  history {export:<15} {seconds:6.2f} s (cpu {cpu:5.2f}) peak {memory:5.1f} MB"
            if memory > MEMORY_TARGET_MB:
                missed = True
            if base:
                base_seconds = statistics.median(run.seconds for run in base)
                base_cpu = statistics.median(run.cpu for run in base)
                base_memory = max(run.megabytes for run in base)
                ratio = seconds / base_seconds
                missed = missed or ratio > TIME_RATIO_TARGET
                line += (
                    f"   sqlite3 {mode:<5} {base_seconds:5.2f} s (cpu {base_cpu:5.2f})"
                    f"  peak {base_memory:4.1f} MB   {ratio:.2f}x (cpu {cpu / base_cpu:.2f}x)"
                )
            print(line)
            if floor:
                floor_seconds = statistics.median(run.seconds for run in floor)
                against = f", {floor_seconds / base_seconds:.2f}x sqlite3" if base else ""
                print(
                    f"  {'':<23}the least a Python program does: {floor_seconds:5.2f} s"
                    f"{against}; ours {seconds / floor_seconds:.2f}x that"
                )
    print(
        f"targets: time <= {TIME_RATIO_TARGET:g}x sqlite3, peak <= {MEMORY_TARGET_MB:.0f} MB:"
        f" {'missed' if missed else 'met'}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
