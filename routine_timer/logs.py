"""The app's log: one file in the data folder, set up once at start-up, and error reports.

``setup_logging`` is called by the ``routine-timer`` command before anything
else runs. The app writes INFO and above to ``logs/routine-timer.log`` in the
data folder (a few files of at most :data:`MAX_BYTES`, the oldest dropped);
``--verbose`` adds DEBUG, and copies every record to stderr. The author tools
(``validate``, ``list``, ...) write no file: they print their problems.

No Qt here; the Qt message handler and the crash dialog live in
``routine_timer.ui.crash_reporter`` and ``routine_timer.ui.crash_dialog``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from routine_timer import __version__

MAX_BYTES = 1_000_000
"""A log file is moved aside once it would grow past this size."""
BACKUPS = 3
"""How many moved-aside files (``.1`` newest to ``.3`` oldest) are kept."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_HANDLER_NAME = "routine-timer"
"""Marks the handlers set up here, so a second set-up replaces them instead of doubling."""

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


@dataclass
class LogSetup:
    """What :func:`setup_logging` did."""

    log_file: Path | None
    """The file being written; None when none was asked for or it cannot be written."""
    problem: str | None = None
    """Why the file asked for is not written, in plain words."""
    handlers: list[logging.Handler] = field(default_factory=list)

    def close(self) -> None:
        """Take the handlers off the root logger and close them (tests, a second set-up)."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        self.handlers.clear()


class RotatingLogFile(logging.FileHandler):
    """A log file that is moved aside to ``.1`` (``.1`` to ``.2``, ...) when it is full.

    What ``logging.handlers.RotatingFileHandler`` does, on the same base class: that
    module imports socket, pickle and queue, about 10 ms before the window's first
    paint (see "Start-up" in BENCHMARKS.md).
    """

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        # Opened now, so a file that cannot be written is known at start-up.
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = max(1, backups)

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record``, moving the file aside first when it would grow too big."""
        try:
            if self._full(record):
                self._roll_over()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        # Append mode does not put the position at the end on every platform.
        self.stream.seek(0, os.SEEK_END)
        size = self.stream.tell()
        # A file holding nothing yet takes even a record larger than the limit.
        needed = len(self.format(record).encode("utf-8", "replace")) + 1
        return size > 0 and size + needed > self.max_bytes

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for number in range(self.backups - 1, 0, -1):
            older = f"{base}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{base}.{number + 1}")
        os.replace(base, f"{base}.1")


def setup_logging(
    log_file: Path | None,
    *,
    verbose: bool = False,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
) -> LogSetup:
    """Send the app's log records to ``log_file`` (INFO and up) and, if ``verbose``, stderr.

    Safe to call again: the handlers of an earlier call are replaced. With no file and
    not verbose, logging is left as Python has it (warnings reach stderr). A file that
    cannot be written is no reason not to start: the setup says why
    (:attr:`LogSetup.problem`) and warnings go to stderr instead.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.name == _HANDLER_NAME]:
        root.removeHandler(handler)
        handler.close()
    setup = LogSetup(log_file=None)
    if log_file is None and not verbose:
        return setup
    formatter = logging.Formatter(LOG_FORMAT)
    level = logging.DEBUG if verbose else logging.INFO
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            file_handler = RotatingLogFile(log_file, max_bytes=max_bytes, backups=backups)
        except OSError as error:
            setup.problem = f"cannot write the log file {log_file}: {error.strerror or error}"
        else:
            setup.log_file = log_file
            setup.handlers.append(file_handler)
    if verbose or setup.problem is not None:
        stderr = logging.StreamHandler(sys.stderr)
        stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
        setup.handlers.append(stderr)
    for handler in setup.handlers:
        handler.name = _HANDLER_NAME
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    if setup.problem is not None:
        logging.getLogger(__name__).warning("%s", setup.problem)
    return setup


def error_key(exc_info: ExcInfo) -> tuple[str, ...]:
    """What makes two errors "the same one": the exception type and where it was raised.

    The message is left out on purpose: an error repeating every second often
    carries a changing value (a time, a count) in its text.
    """
    exc_type, _exc, tb = exc_info
    where = []
    while tb is not None:
        code = tb.tb_frame.f_code
        where.append(f"{code.co_filename}:{tb.tb_lineno}:{code.co_name}")
        tb = tb.tb_next
    return (f"{exc_type.__module__}.{exc_type.__qualname__}", *where)


def error_summary(exc_info: ExcInfo) -> str:
    """One line for people: ``ValueError: the message``."""
    exc_type, exc, _tb = exc_info
    message = str(exc).strip().splitlines()
    return f"{exc_type.__name__}: {message[0]}" if message else exc_type.__name__


def error_report(exc_info: ExcInfo, *, about: Sequence[str] = ()) -> str:
    """The text to send with a bug report: versions, platform, then the traceback.

    ``about`` adds lines after the version (the Qt side adds Qt's version).
    """
    # Loaded when an error happens, not at every start-up.
    import platform  # noqa: PLC0415
    import traceback  # noqa: PLC0415

    lines = [
        f"routine-timer {__version__}",
        *about,
        f"Python {platform.python_version()} on {platform.platform()}",
        "",
        "".join(traceback.format_exception(*exc_info)).rstrip(),
    ]
    return "\n".join(lines)
