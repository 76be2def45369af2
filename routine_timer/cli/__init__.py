"""The ``routine-timer`` command: the app by default, plus tools for routine authors.

Sub-commands print messages for people and exit with a status from
:mod:`routine_timer.exit_codes`: 0 (fine), 1 (a routine file has errors),
2 (usage error: unknown option, missing path or routine, or a data folder
that cannot be used), 3 (the window could not be built) or 74 (the output
could not be written, say to a full disk). Everything printed goes through
:mod:`routine_timer.console`, so names and file names from routine files
never send the terminal control sequences, and no output, however broken,
ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from routine_timer import __version__, console
from routine_timer.cli import history as history_cli
from routine_timer.cli import report as report_cli
from routine_timer.cli import today as today_cli
from routine_timer.core.files import is_plan_file
from routine_timer.core.library import (
    LibraryEntry,
    check_ids,
    find_routine,
    load_entry,
    routine_files,
    scan_folder,
    scan_library,
)
from routine_timer.core.model import Variant
from routine_timer.core.plan import Step, Timeline, build_timeline
from routine_timer.core.plan_text import (
    plain_seconds,
    short_total,
    spoken_lines,
    timeline_rows,
    total_line,
)
from routine_timer.exit_codes import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
)
from routine_timer.logs import setup_logging

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from routine_timer.core.plan_file import PlanEntry
from routine_timer.paths import (
    HOME_VARIABLE,
    AppPaths,
    DataDirError,
    bundled_routines_dir,
    os_reason,
    plan_schema_path,
    resolve_paths,
    schema_path,
)


class UsageError(Exception):
    """A mistake in how the command was called; exits with status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but help and usage messages that cannot be written are reported.

    argparse itself drops them without a word (``--help > /dev/full`` exits 0).
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            # argparse only ever passes sys.stdout or sys.stderr.
            console.write(message, cast("TextIO", file) if file is not None else sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every sub-command."""
    common = _Parser(add_help=False)
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
    parser = _Parser(
        prog="routine-timer",
        description="A timer for guided exercise routines. With no command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start in the tray, without the window, to remind you of today's routines "
        "(how the app starts at login)",
    )
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
        "validate",
        parents=[common],
        help="check routine and plan files (*.plan.yaml) and folders for mistakes",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")

    plan = commands.add_parser("plan", parents=[common], help="show the timeline of a routine")
    plan.add_argument("routine", metavar="ROUTINE", help="a routine file or id")
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.add_argument(
        "--variant",
        choices=[variant.value for variant in Variant],
        help="plan every exercise that has one as its easier or harder variation",
    )

    listing = commands.add_parser("list", parents=[common], help="list every routine found")
    listing.add_argument("--json", action="store_true", help="print JSON")

    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the routine format"
    )
    schema.add_argument(
        "--plan", action="store_true", help="the schema of the plan format (*.plan.yaml) instead"
    )
    figures = commands.add_parser(
        "figures", parents=[common], help="list the built-in figures an exercise can show"
    )
    figures.add_argument(
        "--svg",
        metavar="DIR",
        help="write each figure as DIR/NAME.svg (DIR is made if it is missing)",
    )
    history_cli.add_parser(commands, parents=[common])
    report_cli.add_parser(commands, parents=[common])
    today_cli.add_parser(commands, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``routine-timer`` command."""
    console.setup_streams()
    try:
        try:
            return _main(argv)
        finally:
            # What is still buffered goes out now, while a failure can be reported.
            console.flush(sys.stdout)
            console.flush(sys.stderr)
    except console.OutputError as error:
        return _output_failed(error)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _output_failed(error: console.OutputError) -> int:
    # Output piped into `head` and the like: not an error worth a word. Anything
    # else (a full disk, a closed stream) gets one line, if standard error works.
    console.silence(sys.stdout)
    if error.broken_pipe:
        return EXIT_OK
    try:
        _error(f"cannot write the output: {error}")
        console.flush(sys.stderr)
    except console.OutputError:
        console.silence(sys.stderr)
    return EXIT_OUTPUT


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    verbose = getattr(args, "verbose", False)
    if command not in (None, "start"):
        # The app keeps a log file (set up once its folder is sure to be usable);
        # the author tools print their problems instead.
        setup_logging(None, verbose=verbose)
    if command == "validate":
        return _validate(args.paths, _library_for_ids(getattr(args, "data_dir", None)))
    if command == "schema":
        return _schema(plan_schema_path() if args.plan else schema_path())
    if command == "figures":
        return _figures(args.svg)
    # Every other command uses the data folder: one check of it, before anything
    # else, says in plain words what is wrong with it.
    paths = resolve_paths(getattr(args, "data_dir", None))
    if command in (None, "start"):
        routine = getattr(args, "routine", None)
        return _gui(
            paths,
            routine,
            getattr(args, "quit_when_done", False),
            verbose=verbose,
            tray=getattr(args, "tray", False),
        )
    try:
        paths.check()
    except DataDirError as error:
        raise UsageError(str(error)) from None
    if command == "plan":
        variant = None if args.variant is None else Variant(args.variant)
        return _plan(_entry(args.routine, paths), as_json=args.json, variant=variant)
    if command == "list":
        entries = scan_library(paths, cache=paths.library_cache)
        return _list(entries, as_json=args.json)
    if command == "report":
        return report_cli.run(args, paths)
    if command == "today":
        try:
            return today_cli.run(args, paths)
        except LookupError as error:
            raise UsageError(str(error)) from None
    return history_cli.run(args, paths)


def _schema(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else "it is not UTF-8 text"
        _error(f"cannot read the schema shipped with the app, {path}: {reason}")
        return EXIT_INVALID
    console.write(text)
    return EXIT_OK


def _figures(svg_dir: str | None) -> int:
    from routine_timer.core.figure_svg import figure_svg  # noqa: PLC0415 - only for this command
    from routine_timer.core.figures import FIGURES  # noqa: PLC0415

    if svg_dir is None:
        width = max(len(name) for name in FIGURES)
        for figure in FIGURES.values():
            console.say(f"{figure.name:<{width}}  {figure.description}")
        return EXIT_OK
    folder = Path(svg_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for figure in FIGURES.values():
            (folder / f"{figure.name}.svg").write_text(figure_svg(figure), encoding="utf-8")
    except OSError as error:
        _error(f"cannot write the figures to {svg_dir}: {os_reason(error)}")
        return EXIT_OUTPUT
    console.say(f"wrote {_count(len(FIGURES), 'figure')} to {svg_dir}")
    return EXIT_OK


def _gui(
    paths: AppPaths, start: str | None, quit_when_done: bool, *, verbose: bool, tray: bool = False
) -> int:
    # Qt is imported only here, so the author tools start fast and run without a display.
    from routine_timer.app import run_gui, show_startup_problem  # noqa: PLC0415

    try:
        paths.ensure()
    except DataDirError as error:
        # Started from a menu, nobody sees standard error: the window says it too.
        _error(str(error))
        show_startup_problem(str(error))
        return EXIT_USAGE
    log = setup_logging(paths.log_file, verbose=verbose)
    return run_gui(
        paths, start=start, quit_when_done=quit_when_done, tray=tray, log_file=log.log_file
    )


def _error(message: str) -> None:
    console.say(f"routine-timer: error: {message}", sys.stderr)


def _entry(ref: str, paths: AppPaths) -> LibraryEntry:
    try:
        return find_routine(ref, paths, cache=paths.library_cache)
    except LookupError as error:
        raise UsageError(str(error)) from None


# --- validate ---------------------------------------------------------------


def _library_for_ids(data_dir: str | None) -> list[LibraryEntry]:
    """The library that the files given to ``validate`` must not take ids from.

    The bundled routines and the user's; only the bundled ones when the data
    folder cannot be used (``validate`` needs no data folder of its own).
    """
    paths = resolve_paths(data_dir)
    try:
        paths.check()
    except DataDirError:
        bundled = routine_files(bundled_routines_dir())
        return check_ids((load_entry(path, bundled=True) for path in bundled), ())
    cache = paths.library_cache if paths.data_dir.is_dir() else None
    return scan_library(paths, cache=cache)


def _validate(targets: Sequence[str], library: Sequence[LibraryEntry] = ()) -> int:
    """Check ``targets``, and their ids against ``library`` and each other."""
    missing = False
    files: list[Path] = []
    unreadable = 0
    for target in targets:
        path = Path(target)
        if path.is_dir():
            scan = scan_folder(path)
            for problem in scan.problems:  # its routines would go unchecked without a word
                console.say(problem, sys.stderr)
            unreadable += len(scan.problems)
            if not scan.files and not scan.plans and not scan.problems:
                console.say(f"{target}: no .yaml or .yml files found")
            files += scan.files + scan.plans
        elif path.exists():
            files.append(path)
        else:
            _error(f"no such file or folder: {target}")
            missing = True
    from routine_timer.core.plan_file import load_plan_entry  # noqa: PLC0415 - loads PyYAML

    plans = [file for file in files if is_plan_file(file)]
    # An id another file holds is warned, not an error: the file itself follows the format.
    routines = (load_entry(file) for file in files if not is_plan_file(file))
    entries = check_ids(routines, library, warn=True)
    # A plan may name the library's routines and those checked beside it.
    known = {entry.id for entry in (*library, *entries)}
    invalid = 0
    checked: list[LibraryEntry | PlanEntry] = [*entries]
    checked += [load_plan_entry(plan, known) for plan in plans]
    for entry in checked:
        for problem in entry.problems:
            console.say(problem, sys.stderr)
        invalid += not entry.valid
    if files:
        summary = "all valid" if not invalid else f"{invalid} invalid"
        console.say(f"checked {_count(len(files), 'file')}: {summary}")
    if unreadable:
        console.say(f"{_count(unreadable, 'folder')} could not be read")
    if missing:
        return EXIT_USAGE
    return EXIT_INVALID if invalid or unreadable else EXIT_OK


def _count(amount: int, noun: str) -> str:
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


# --- plan -------------------------------------------------------------------


def _print_errors(entry: LibraryEntry) -> int:
    for problem in entry.errors:
        console.say(problem, sys.stderr)
    return EXIT_INVALID


def _plan(entry: LibraryEntry, *, as_json: bool, variant: Variant | None = None) -> int:
    if entry.routine is None or not entry.valid:
        return _print_errors(entry)
    routine = entry.routine if variant is None else entry.routine.with_variant(variant)
    timeline = build_timeline(routine)
    if as_json:
        _print_json(plan_json(timeline))
        return EXIT_OK
    say = console.say
    shown = "" if variant is None else f", {variant.value} variations"
    say(f"{timeline.routine_name} ({timeline.routine_id}){shown}")
    say(f"{'start':>8}  {'kind':<8}{'length':>9}  step")
    steps = timeline.steps
    for index, row in enumerate(timeline_rows(timeline)):
        say(f"{row.start:>8}  {row.kind:<8}{row.length:>9}  {row.step}")
        following = steps[index + 1] if index + 1 < len(steps) else None
        for line in spoken_lines(steps[index], following):
            say(f'{"":>29}at {line.at}  "{line.text}"')
    say(f"total {total_line(timeline)}")
    return EXIT_OK


def plan_json(timeline: Timeline) -> dict[str, Any]:
    """The ``plan --json`` document.

    Format 2 adds each step's ``block`` (its name, or null) and gives ``round``
    within the block, null where there is one round (and for the prepare step).
    """
    document: dict[str, Any] = {
        "id": timeline.routine_id,
        "name": timeline.routine_name,
        "total_seconds": plain_seconds(timeline.total_seconds),
        "manual_steps": timeline.manual_steps,
        "steps": [_step_json(step, timeline.format) for step in timeline.steps],
    }
    if timeline.variant is not None:
        document["variant"] = timeline.variant.value
    return document


def _step_json(step: Step, version: int) -> dict[str, Any]:
    data = {
        "index": step.index,
        "start": plain_seconds(step.start),
        "kind": step.kind.value,
        "seconds": plain_seconds(step.duration),
        "label": step.label,
        "title": step.title,
        "exercise": step.exercise.name if step.exercise else None,
        "set": step.set,
        "sets": step.sets,
        "side": step.side.value if step.side else None,
        "round": step.round,
    }
    if version >= 2:
        one_round = step.block is None or step.rounds == 1
        data["round"] = None if one_round else step.round
        data["block"] = step.block_name
    return data


# --- list -------------------------------------------------------------------


def _list(entries: Sequence[LibraryEntry], *, as_json: bool) -> int:
    if as_json:
        _print_json([_entry_json(entry) for entry in entries])
        return EXIT_OK
    say = console.say
    if not entries:
        say("no routines found")
    safe = console.terminal_text  # before padding, so the columns line up
    for entry in entries:
        source = f"{entry.path}{' (bundled)' if entry.bundled else ''}"
        if entry.routine is None or not entry.valid:
            say(f"{entry.id}  INVALID  {source}")
            for problem in entry.errors:
                say(f"    {problem}")
            continue
        timeline = build_timeline(entry.routine)
        tags = ", ".join(entry.routine.tags) or "-"
        say(f"{safe(entry.id):<24} {short_total(timeline):>7}  {entry.name}  [{tags}]  {source}")
    return EXIT_OK


def _print_json(document: object) -> None:
    encoding = console.stream_encoding(sys.stdout)
    console.write(console.json_text(document, encoding=encoding) + "\n")


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
            "total_seconds": plain_seconds(timeline.total_seconds),
            "manual_steps": timeline.manual_steps,
            "tags": list(entry.routine.tags),
            "description": entry.routine.description,
        }
    return document


if __name__ == "__main__":
    sys.exit(main())
