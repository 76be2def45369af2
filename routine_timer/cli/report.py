"""``routine-timer report``: the back-care report for a physiotherapist, as a PDF.

    routine-timer report [--weeks N] -o report.pdf

The weeks end today. Reading the history never creates it: with no history
file yet, the report says there are no sessions. Exit codes: 0 written, 1 the
history cannot be read, 2 a usage mistake, 74 the file cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from routine_timer import console
from routine_timer.exit_codes import EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from routine_timer.paths import AppPaths, os_reason
from routine_timer.settings import Settings

if TYPE_CHECKING:
    from routine_timer.core.programme import Progress
    from routine_timer.storage.history import HistoryStore

MAX_WEEKS = 52
"""As ``storage.report.MAX_WEEKS``, without importing the history for the parser."""


def _weeks(text: str) -> int:
    try:
        weeks = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of weeks") from None
    if not 1 <= weeks <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"a report covers 1 to {MAX_WEEKS} weeks, not {weeks}")
    return weeks


def _plan(
    paths: AppPaths, store: HistoryStore, today: date, err: TextIO
) -> tuple[Progress | None, dict[str, str]]:
    """How the plan chosen in the app stands today (None without one, or one that has
    errors), and the library's routine names."""
    from routine_timer.core.library import scan_library  # noqa: PLC0415
    from routine_timer.core.plan_file import find_plan, scan_plans  # noqa: PLC0415
    from routine_timer.core.programme import read_progress  # noqa: PLC0415

    settings = Settings(paths.settings_file)
    if settings.plan is None:
        return None, {}
    names = {entry.id: entry.name for entry in scan_library(paths, cache=paths.library_cache)}
    entry = find_plan(settings.plan, scan_plans(paths, set(names)))
    if entry is None or entry.plan is None or not entry.valid:
        console.say(f"routine-timer report: the plan '{settings.plan}' cannot be read;"
                    " the report leaves it out", err)  # fmt: skip
        return None, names
    progress = read_progress(entry.plan, today, store.completed_days, chosen=settings.plan_chosen)
    return progress, names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Give the ``report`` sub-command's parser its description and options."""
    parser.description = (
        "Write a PDF of the last weeks for a physiotherapist or coach: sessions "
        "and completion, pain before and after with its 7-day mean, next-morning answers, "
        "stops for pain, suggestions and their answers, notes and warning-sign answers."
    )
    parser.add_argument(
        "--weeks", type=_weeks, default=6, metavar="N", help="weeks ending today (default 6)"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the PDF file to write"
    )


def run(
    args: argparse.Namespace,
    paths: AppPaths,
    *,
    today: date | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Carry out ``routine-timer report``; return the exit code."""
    err = stderr if stderr is not None else sys.stderr
    target = Path(args.output)
    if target.is_dir():
        console.say(f"routine-timer report: error: {target} is a folder, not a file", err)
        return EXIT_USAGE
    from routine_timer.core.safe_write import not_a_file  # noqa: PLC0415

    if (problem := not_a_file(target)) is not None:
        console.say(f"routine-timer report: error: {target}: {problem}", err)
        return EXIT_USAGE
    if not target.parent.is_dir():
        console.say(f"routine-timer report: error: no such folder: {target.parent}", err)
        return EXIT_USAGE
    # Imported here so that every other command skips the history and Qt.
    from routine_timer.storage.history import HistoryError, HistoryStore  # noqa: PLC0415
    from routine_timer.storage.report import build_report, empty_report  # noqa: PLC0415

    day = today or date.today()
    try:
        if paths.history_db.exists():
            with HistoryStore(paths.history_db) as store:
                if store.moved_aside is not None:
                    console.say(f"routine-timer: {store.moved_aside.message}", err)
                plan, names = _plan(paths, store, day, err)
                report = build_report(store, args.weeks, day, plan, names)
        else:
            report = empty_report(args.weeks, day)
    except HistoryError as error:
        console.say(f"routine-timer: error: {error}", err)
        return EXIT_INVALID
    # A PDF needs fonts, and fonts need a Qt application; no window is shown.
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication rather than a bare QGuiApplication: one per process, and a caller
    # that shows widgets later (the tests, a script) needs that kind.
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from routine_timer.ui.report_pdf import write_report_pdf  # noqa: PLC0415

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    partial = target.with_name(f".{target.name}.partial")
    try:
        write_report_pdf(report, partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        console.say(f"routine-timer report: error: cannot write {target}: {os_reason(error)}", err)
        return EXIT_OUTPUT
    console.say(f"wrote {target} ({report.session_count} sessions in {args.weeks} weeks)")
    return EXIT_OK
