"""The ``routine-timer`` command: the app by default, plus tools for routine authors.

Sub-commands print messages for people and exit 0 (fine), 1 (a routine file
has errors) or 2 (usage error: unknown option, missing path or routine).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from routine_timer import __version__, history_cli
from routine_timer.core.durations import format_clock
from routine_timer.core.library import (
    LibraryEntry,
    find_routine,
    load_entry,
    routine_files,
    scan_library,
)
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.logs import LogSetup, setup_logging
from routine_timer.paths import HOME_VARIABLE, AppPaths, resolve_paths, schema_path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A mistake in how the command was called; exits with status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every sub-command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"keep user routines, history and settings in DIR (also ${HOME_VARIABLE})",
    )
    common.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log debugging details, on stderr too",
    )
    parser = argparse.ArgumentParser(
        prog="routine-timer",
        description="A timer for guided exercise routines. With no command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    start = commands.add_parser(
        "start", parents=[common], help="open the app straight into a routine and start it"
    )
    start.add_argument("routine", metavar="ROUTINE", help="a routine file or id")
    start.add_argument(
        "--quit-when-done",
        action="store_true",
        help="close the app when the routine ends (for scripts and launchers)",
    )

    validate = commands.add_parser(
        "validate", parents=[common], help="check routine files and folders for mistakes"
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")

    plan = commands.add_parser("plan", parents=[common], help="show the timeline of a routine")
    plan.add_argument("routine", metavar="ROUTINE", help="a routine file or id")
    plan.add_argument("--json", action="store_true", help="print JSON")

    listing = commands.add_parser("list", parents=[common], help="list every routine found")
    listing.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the routine format"
    )
    history_cli.add_parser(commands, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``routine-timer`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    paths = resolve_paths(getattr(args, "data_dir", None))
    command = args.command
    # The app keeps a log file; the author tools print their problems instead.
    gui = command in (None, "start")
    log = setup_logging(paths.log_file if gui else None, verbose=getattr(args, "verbose", False))
    if command == "validate":
        return _validate(args.paths)
    if command == "plan":
        return _plan(_entry(args.routine, paths), as_json=args.json)
    if command == "list":
        entries = scan_library(paths.ensure(), cache=paths.library_cache)
        return _list(entries, as_json=args.json)
    if command == "schema":
        sys.stdout.write(schema_path().read_text(encoding="utf-8"))
        return EXIT_OK
    if command == "history":
        return history_cli.run(args, paths)
    return _gui(paths, getattr(args, "routine", None), getattr(args, "quit_when_done", False), log)


def _gui(paths: AppPaths, start: str | None, quit_when_done: bool, log: LogSetup) -> int:
    # Qt is imported only here, so the author tools start fast and run without a display.
    from routine_timer.app import run_gui  # noqa: PLC0415

    return run_gui(
        paths.ensure(), start=start, quit_when_done=quit_when_done, log_file=log.log_file
    )


def _error(message: str) -> None:
    print(f"routine-timer: error: {message}", file=sys.stderr)


def _entry(ref: str, paths: AppPaths) -> LibraryEntry:
    try:
        return find_routine(ref, paths, cache=paths.library_cache)
    except LookupError as error:
        raise UsageError(str(error)) from None


# --- validate ---------------------------------------------------------------


def _validate(targets: Sequence[str]) -> int:
    missing = False
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = list(routine_files(path))
            if not found:
                print(f"{target}: no .yaml or .yml files found")
            files += found
        elif path.exists():
            files.append(path)
        else:
            _error(f"no such file or folder: {target}")
            missing = True
    invalid = 0
    for file in files:
        entry = load_entry(file)
        for problem in entry.errors:
            print(problem, file=sys.stderr)
        invalid += not entry.valid
    if files:
        summary = "all valid" if not invalid else f"{invalid} invalid"
        print(f"checked {_count(len(files), 'file')}: {summary}")
    if missing:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _count(amount: int, noun: str) -> str:
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


# --- plan -------------------------------------------------------------------


def _number(seconds: float) -> int | float:
    """Whole seconds as an int in JSON (235, not 235.0); fractions kept."""
    return int(seconds) if float(seconds).is_integer() else seconds


def _print_errors(entry: LibraryEntry) -> int:
    for problem in entry.errors:
        print(problem, file=sys.stderr)
    return EXIT_INVALID


def _plan(entry: LibraryEntry, *, as_json: bool) -> int:
    if entry.routine is None or not entry.valid:
        return _print_errors(entry)
    timeline = build_timeline(entry.routine)
    if as_json:
        print(json.dumps(plan_json(timeline), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{timeline.routine_name} ({timeline.routine_id})")
    print(f"{'start':>8}  {'kind':<8}{'length':>8}  step")
    for step in timeline.steps:
        length = format_clock(step.duration) if step.is_timed else "done"
        print(f"{format_clock(step.start):>8}  {step.kind.value:<8}{length:>8}  {step.title}")
    print(_total_line(timeline))
    return EXIT_OK


def _total_line(timeline: Timeline) -> str:
    line = f"total {format_clock(timeline.total_seconds)} ({_number(timeline.total_seconds)} s)"
    if timeline.manual_steps:
        line += f" + {_count(timeline.manual_steps, 'untimed set')} at your own pace"
    return line


def plan_json(timeline: Timeline) -> dict[str, Any]:
    """The ``plan --json`` document."""
    return {
        "id": timeline.routine_id,
        "name": timeline.routine_name,
        "total_seconds": _number(timeline.total_seconds),
        "manual_steps": timeline.manual_steps,
        "steps": [
            {
                "index": step.index,
                "start": _number(step.start),
                "kind": step.kind.value,
                "seconds": _number(step.duration),
                "label": step.label,
                "title": step.title,
                "exercise": step.exercise.name if step.exercise else None,
                "set": step.set,
                "sets": step.sets,
                "side": step.side.value if step.side else None,
                "round": step.round,
            }
            for step in timeline.steps
        ],
    }


# --- list -------------------------------------------------------------------


def _list(entries: Sequence[LibraryEntry], *, as_json: bool) -> int:
    if as_json:
        print(json.dumps([_entry_json(entry) for entry in entries], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print("no routines found")
    for entry in entries:
        source = f"{entry.path}{' (bundled)' if entry.bundled else ''}"
        if entry.routine is None or not entry.valid:
            print(f"{entry.id}  INVALID  {source}")
            for problem in entry.errors:
                print(f"    {problem}")
            continue
        timeline = build_timeline(entry.routine)
        tags = ", ".join(entry.routine.tags) or "-"
        print(
            f"{entry.id:<24} {format_clock(timeline.total_seconds):>7}  {entry.name}  "
            f"[{tags}]  {source}"
        )
    return EXIT_OK


def _entry_json(entry: LibraryEntry) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "valid": entry.valid,
        "bundled": entry.bundled,
        "source": str(entry.path),
        "errors": [str(problem) for problem in entry.errors],
    }
    if entry.routine is not None and entry.valid:
        timeline = build_timeline(entry.routine)
        document |= {
            "total_seconds": _number(timeline.total_seconds),
            "manual_steps": timeline.manual_steps,
            "tags": list(entry.routine.tags),
            "description": entry.routine.description,
        }
    return document


if __name__ == "__main__":
    sys.exit(main())
