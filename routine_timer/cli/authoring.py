"""The author tools: ``validate``, ``plan``, ``list``, ``schema`` and ``figures``.

They read routine and plan files and print what they find, with the same
``path:line:col`` messages as the app; none of them opens a window. Loaded only
when one of them is the command (see ``routine_timer.cli``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routine_timer import console
from routine_timer.cli import UsageError, print_error
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
from routine_timer.exit_codes import EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from routine_timer.paths import (
    AppPaths,
    DataDirError,
    bundled_routines_dir,
    os_reason,
    plan_schema_path,
    resolve_paths,
    schema_path,
)

if TYPE_CHECKING:
    from routine_timer.core.plan_file import PlanEntry


# --- the options of each ------------------------------------------------------


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")


def plan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", metavar="ROUTINE", help="a routine file or id")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--variant",
        choices=[variant.value for variant in Variant],
        help="plan every exercise that has one as its easier or harder variation",
    )


def list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plan", action="store_true", help="the schema of the plan format (*.plan.yaml) instead"
    )


def figures_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--svg",
        metavar="DIR",
        help="write each figure as DIR/NAME.svg (DIR is made if it is missing)",
    )


# --- running them ---------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    return _validate(args.paths, _library_for_ids(getattr(args, "data_dir", None)))


def run_schema(args: argparse.Namespace) -> int:
    return _schema(plan_schema_path() if args.plan else schema_path())


def run_figures(args: argparse.Namespace) -> int:
    return _figures(args.svg)


def run_plan(args: argparse.Namespace, paths: AppPaths) -> int:
    variant = None if args.variant is None else Variant(args.variant)
    try:
        entry = find_routine(args.routine, paths, cache=paths.library_cache)
    except LookupError as error:
        raise UsageError(str(error)) from None
    return _plan(entry, as_json=args.json, variant=variant)


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    return _list(scan_library(paths, cache=paths.library_cache), as_json=args.json)


def _schema(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else "it is not UTF-8 text"
        print_error(f"cannot read the schema shipped with the app, {path}: {reason}")
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
        print_error(f"cannot write the figures to {svg_dir}: {os_reason(error)}")
        return EXIT_OUTPUT
    console.say(f"wrote {_count(len(FIGURES), 'figure')} to {svg_dir}")
    return EXIT_OK


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
            print_error(f"no such file or folder: {target}")
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
