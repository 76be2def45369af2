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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO, cast

from routine_timer import __version__, console
from routine_timer.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from routine_timer.logs import setup_logging
from routine_timer.paths import HOME_VARIABLE, AppPaths, DataDirError, resolve_paths

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


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


Options = Callable[[argparse.ArgumentParser], None]


def _start_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", metavar="ROUTINE", help="a routine file or id")
    parser.add_argument(
        "--quit-when-done",
        action="store_true",
        help="close the app when the routine ends (for scripts and launchers)",
    )


def _options_in(module: str, function: str) -> Options:
    """The options ``routine_timer.cli.<module>.<function>`` adds, that module loaded then."""

    def add(parser: argparse.ArgumentParser) -> None:
        from importlib import import_module  # noqa: PLC0415 - see _Commands

        options: Options = getattr(import_module(f"routine_timer.cli.{module}"), function)
        options(parser)

    return add


COMMANDS: Final[dict[str, tuple[str, Options]]] = {
    # Each sub-command: its line in --help, and what adds its options.
    "start": ("open the app straight into a routine and start it", _start_options),
    "validate": (
        "check routine and plan files (*.plan.yaml) and folders for mistakes",
        _options_in("authoring", "validate_arguments"),
    ),
    "plan": ("show the timeline of a routine", _options_in("authoring", "plan_arguments")),
    "list": ("list every routine found", _options_in("authoring", "list_arguments")),
    "schema": (
        "print the JSON Schema of the routine format",
        _options_in("authoring", "schema_arguments"),
    ),
    "figures": (
        "list the built-in figures an exercise can show",
        _options_in("authoring", "figures_arguments"),
    ),
    "history": (
        "print or export the sessions done so far",
        _options_in("history", "add_arguments"),
    ),
    "report": (
        "write the back-care report for a physiotherapist (PDF)",
        _options_in("report", "add_arguments"),
    ),
    "today": ("print what the chosen plan asks of today", _options_in("today", "add_arguments")),
}
"""The sub-commands, in the order ``--help`` lists them."""


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The sub-commands, each given its options only when it is the one used.

    Most starts open the window and use none of them, and each command needs
    only its own module: the options, and the modules that define and run
    them, are loaded for the command named. Measured in process (Dec 2026):
    the window's start spends 5.4 ms instead of 6.1 ms on the command line, and
    ``history --json`` on an empty history takes 61 ms of processor time
    instead of 66 ms.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._options: dict[str, Options] = {}

    def add_command(
        self, name: str, summary: str, options: Options, parents: Sequence[argparse.ArgumentParser]
    ) -> None:
        self.add_parser(name, parents=list(parents), help=summary)
        self._options[name] = options

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        options = self._options.pop(values[0], None)
        if options is not None:
            options(self.choices[values[0]])
        super().__call__(parser, namespace, values, option_string)


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
    commands = cast(
        "_Commands", parser.add_subparsers(dest="command", metavar="COMMAND", action=_Commands)
    )
    for name, (summary, options) in COMMANDS.items():
        commands.add_command(name, summary, options, [common])
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
        print_error(str(error))
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
        print_error(f"cannot write the output: {error}")
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
    if command in ("validate", "schema", "figures"):
        from routine_timer.cli import authoring  # noqa: PLC0415 - see _Commands

        run_tool: Callable[[argparse.Namespace], int] = getattr(authoring, f"run_{command}")
        return run_tool(args)
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
    if command in ("plan", "list"):
        from routine_timer.cli import authoring  # noqa: PLC0415

        run_with_paths: Callable[[argparse.Namespace, AppPaths], int] = getattr(
            authoring, f"run_{command}"
        )
        return run_with_paths(args, paths)
    if command == "report":
        from routine_timer.cli import report  # noqa: PLC0415

        return report.run(args, paths)
    if command == "today":
        from routine_timer.cli import today  # noqa: PLC0415

        try:
            return today.run(args, paths)
        except LookupError as error:
            raise UsageError(str(error)) from None
    from routine_timer.cli import history  # noqa: PLC0415

    return history.run(args, paths)


def _gui(
    paths: AppPaths, start: str | None, quit_when_done: bool, *, verbose: bool, tray: bool = False
) -> int:
    # Qt is imported only here, so the author tools start fast and run without a display.
    from routine_timer.app import run_gui, show_startup_problem  # noqa: PLC0415

    try:
        paths.ensure()
    except DataDirError as error:
        # Started from a menu, nobody sees standard error: the window says it too.
        print_error(str(error))
        show_startup_problem(str(error))
        return EXIT_USAGE
    log = setup_logging(paths.log_file, verbose=verbose)
    return run_gui(
        paths, start=start, quit_when_done=quit_when_done, tray=tray, log_file=log.log_file
    )


def print_error(message: str) -> None:
    """``routine-timer: error: message`` on standard error."""
    console.say(f"routine-timer: error: {message}", sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
