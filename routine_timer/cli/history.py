"""``routine-timer history``: print or export the sessions recorded so far.

    routine-timer history [--json | --csv] [--since DATE] [--steps]

Reading the history never creates it: with no history file yet, the command
says so and exits 0. Damaged rows in the file are left out, and named on
stderr; everything else is printed. Exit codes: 0 fine, 1 the history cannot
be read, 2 a usage mistake (such as a date that is not one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from routine_timer import console
from routine_timer.exit_codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from routine_timer.paths import AppPaths

if TYPE_CHECKING:
    from datetime import datetime

    from routine_timer.storage.history import HistoryStore

# The history that cannot be read fails like an invalid routine file does.
EXIT_UNREADABLE = EXIT_INVALID


def parse_since(text: str) -> datetime:
    """A ``--since`` value as an aware datetime.

    ``YYYY-MM-DD`` means local midnight at the start of that day; an ISO 8601
    date and time without an offset is local time too. A moment within hours of
    year 1 or 9999 whose time in UTC no datetime can hold (the history compares
    in UTC) becomes the earliest or latest moment there is, which selects the same
    sessions: all of them, or none.
    """
    from datetime import UTC, date, datetime, time  # noqa: PLC0415 - only for --since

    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time())
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD (for example 2026-03-02) "
            "or an ISO 8601 date and time (2026-03-02T18:30)"
        ) from None
    try:
        aware = moment if moment.tzinfo is not None else moment.astimezone()
        aware.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        edge = datetime.min if moment.year == date.min.year else datetime.max
        return edge.replace(tzinfo=UTC)
    return aware


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Give the ``history`` sub-command's parser its description and options."""
    parser.description = (
        "Print the sessions recorded so far, or export them as JSON or CSV. "
        "Times are local, in ISO 8601 with the offset in exports."
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--json",
        action="store_true",
        help="print JSON: a list of sessions, each with its back-care data",
    )
    form.add_argument(
        "--csv", action="store_true", help="print CSV for a spreadsheet (UTF-8 with BOM)"
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        type=parse_since,
        help="only sessions started on or after DATE (YYYY-MM-DD, local time)",
    )
    parser.add_argument("--steps", action="store_true", help="include every step of each session")


def run(
    args: argparse.Namespace,
    paths: AppPaths,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Carry out ``routine-timer history`` with parsed ``args``; return the exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    since = getattr(args, "since", None)
    if isinstance(since, str):  # parsed by a parser other than ours
        try:
            since = parse_since(since)
        except argparse.ArgumentTypeError as error:
            console.say(f"routine-timer history: error: argument --since: {error}", err)
            return EXIT_USAGE
    with_steps = bool(getattr(args, "steps", False))

    # Imported here so that every other command (and the app's start-up) skips them.
    from routine_timer.storage.backcare import red_flags_by_session  # noqa: PLC0415
    from routine_timer.storage.export import (  # noqa: PLC0415
        csv_chunks,
        group_steps,
        json_chunks,
        to_table,
    )
    from routine_timer.storage.history import HistoryError  # noqa: PLC0415
    from routine_timer.storage.rows import left_out_message  # noqa: PLC0415

    as_json = bool(getattr(args, "json", False))
    as_csv = bool(getattr(args, "csv", False))
    damaged: list[Any] = []
    sessions: list[Any] = []
    steps = None
    try:
        if as_json or as_csv:
            # Written as it is read, a few rows at a time: memory stays flat.
            with _opened(paths, err) as store:
                if store is None:
                    _write(
                        out, json_chunks(()) if as_json else csv_chunks((), with_steps=with_steps)
                    )
                else:
                    with store.open_reader() as reader:
                        rows = reader.exported(
                            since,
                            with_steps=with_steps,
                            with_back_care=as_json,
                            on_damage=damaged.append,
                        )
                        if as_json:
                            # Direction and C1 controls in names as \u escapes, same meaning.
                            checks = red_flags_by_session(reader)
                            _write(
                                out,
                                json_chunks(rows, string=console.json_string, red_flags=checks),
                            )
                        else:
                            _write(out, csv_chunks(rows, with_steps=with_steps))
        else:
            with _opened(paths, err) as store:
                if store is not None:
                    sessions = store.sessions(since, on_damage=damaged.append)
                    if with_steps:
                        steps = group_steps(store.iter_steps(since, on_damage=damaged.append))
    except HistoryError as error:
        console.say(f"routine-timer: error: {error}", err)
        return EXIT_UNREADABLE
    if damaged:
        console.say(f"routine-timer: {left_out_message(damaged)}", err)
    if as_json or as_csv:
        return EXIT_OK
    if not sessions:
        when = f" since {since.isoformat(timespec='minutes')}" if since else " yet"
        console.say(f"No sessions recorded{when} (history file: {paths.history_db}).", out)
    else:
        console.say_lines(to_table(sessions, steps), out)
    return EXIT_OK


@contextmanager
def _opened(paths: AppPaths, err: TextIO) -> Iterator[HistoryStore | None]:
    """The history, or None when there is none yet (reading never creates it)."""
    from routine_timer.storage.history import HistoryStore  # noqa: PLC0415

    if not paths.history_db.exists():
        yield None
        return
    with HistoryStore(paths.history_db) as store:
        if store.moved_aside is not None:
            console.say(f"routine-timer: {store.moved_aside.message}", err)
        yield store


def _write(out: TextIO, chunks: Iterable[str]) -> None:
    """Write exports as UTF-8 whatever the terminal's encoding (names may be accented).

    Written to a terminal, each line is made safe to show (:func:`console.terminal_text`);
    to a file or a pipe, the export is exact.
    """
    if _is_terminal(out):
        _write_lines(out, chunks)
        return
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        for chunk in chunks:
            console.write(chunk, out)
        return
    try:
        out.flush()
        # newline="" in CSV already chose the line ends; write the bytes untouched.
        for chunk in chunks:
            buffer.write(chunk.encode("utf-8", "backslashreplace"))
        buffer.flush()
    except OSError as error:
        raise console.OutputError(error) from None


def _write_lines(out: TextIO, chunks: Iterable[str]) -> None:
    """Chunks as safe lines: a line cut between two chunks is made safe once it is whole."""
    pending = ""
    for chunk in chunks:
        whole, _, pending = (pending + chunk).rpartition("\n")
        if whole:
            console.say_lines(whole + "\n", out)
    if pending:
        console.say_lines(pending, out)


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (OSError, ValueError):
        return False
