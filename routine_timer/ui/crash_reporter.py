"""What the app does with an error nobody expected: log it, show it, keep going.

:class:`CrashReporter` takes over ``sys.excepthook`` (PySide6 reports an
exception raised in a slot or an event handler there, then carries on) and
``threading.excepthook``, and installs a Qt message handler that sends Qt's
own warnings to the log. Each error is written to the log with its traceback
and shown in one ``CrashDialog`` (``routine_timer.ui.crash_dialog``, loaded with
the first error), which blocks nothing: a session keeps timing (and its history
keeps being written) while the dialog is open.

Nothing here happens at import time; ``routine_timer.app`` installs the
reporter when the app starts, so tests (and pytest-qt's own handlers) are left
alone unless a test asks for it.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, QtMsgType, Signal

from routine_timer.logs import ExcInfo, error_key, error_report, error_summary

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from routine_timer.ui.crash_dialog import CrashDialog

_log = logging.getLogger(__name__)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_PROBES = frozenset({"qt.multimedia.symbolsresolver"})
"""Qt categories whose warnings are expected at every start: QtMultimedia probing for
optional libraries (PipeWire, VA-API). Logged as INFO, so a real warning stands out."""

QtMessageHandler = Callable[[QtMsgType, QtCore.QMessageLogContext, str], Any]


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """One unexpected error, as the dialog shows it."""

    key: tuple[str, ...]
    """The same error (type and place) has the same key; see :func:`error_key`."""
    summary: str
    details: str
    """Versions, platform and traceback: what "Copy details" copies."""
    count: int
    """How many times this error has happened so far."""


def qt_versions() -> list[str]:
    """PySide6's and Qt's versions, for reports and the About box."""
    import PySide6  # noqa: PLC0415

    return [f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}"]


class CrashReporter(QObject):
    """Logs every unexpected error and Qt warning, and shows errors in a :class:`CrashDialog`."""

    errorReported = Signal(object)
    """:class:`ErrorReport`, delivered in the thread this object lives in (the GUI's)."""

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: CrashDialog | None = None
        self._dialog_parent: QWidget | None = None
        self._counts: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()
        self._installed = False
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._previous_qt_handler: QtMessageHandler | None = None
        # Queued by Qt when an error comes from another thread: widgets live in this one.
        self.errorReported.connect(self._show)

    def set_dialog_parent(self, window: QWidget | None) -> None:
        """The window the dialog stays on top of (the main window, once there is one)."""
        self._dialog_parent = window

    # --- hooks ------------------------------------------------------------------

    def install(self) -> None:
        """Take over the exception hooks and Qt's message handler (the app's start-up)."""
        if self._installed:
            return
        self._installed = True
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_excepthook
        # Whatever handled Qt's messages before still gets them (pytest-qt captures
        # them this way); without one, Qt would have printed them on stderr, and the
        # log (with --verbose, stderr too) has them now.
        self._previous_qt_handler = QtCore.qInstallMessageHandler(self.qt_message)

    def uninstall(self) -> None:
        """Put back the hooks and handler found by :meth:`install`."""
        if not self._installed:
            return
        self._installed = False
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        QtCore.qInstallMessageHandler(self._previous_qt_handler)
        self._previous_qt_handler = None

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """``sys.excepthook``: log the error with its traceback and show the dialog."""
        if not issubclass(exc_type, Exception):
            # Ctrl+C in the terminal, SystemExit: not a fault of the app.
            self._previous_hook(exc_type, exc, tb)
            return
        try:
            self.report((exc_type, exc, tb))
        except Exception:
            # Reporting must never raise from inside the hook: fall back to printing.
            self._previous_hook(exc_type, exc, tb)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            self._previous_thread_hook(args)
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def report(self, exc_info: ExcInfo) -> ErrorReport:
        """Log ``exc_info`` and have the dialog show it; safe from any thread."""
        key = error_key(exc_info)
        with self._lock:
            count = self._counts[key] = self._counts.get(key, 0) + 1
        thread = threading.current_thread()
        where = "" if thread is threading.main_thread() else f" in thread {thread.name}"
        if count == 1:
            _log.error("unexpected error%s", where, exc_info=exc_info)
        elif count & (count - 1) == 0:
            # An error in a timer's slot repeats every tick: its traceback is in the
            # log once, then a line at the 2nd, 4th, 8th ... time keeps the log small.
            _log.error("the same error again%s (%d times now): %s", where, count, exc_info[1])
        report = ErrorReport(
            key=key,
            summary=error_summary(exc_info),
            details=error_report(exc_info, about=qt_versions()),
            count=count,
        )
        self.errorReported.emit(report)
        return report

    def qt_message(self, kind: QtMsgType, context: QtCore.QMessageLogContext, text: str) -> None:
        """Qt's message handler: Qt's messages go to the log, under their category."""
        category = context.category or "default"
        if category == "default":
            category = "qt"
        elif not category.startswith("qt."):
            category = f"qt.{category}"
        level = _QT_LEVELS.get(kind, logging.WARNING)
        if category in _PROBES:
            level = min(level, logging.INFO)
        logging.getLogger(category).log(level, "%s", text)
        if self._previous_qt_handler is not None:
            self._previous_qt_handler(kind, context, text)

    # --- the dialog --------------------------------------------------------------

    def _show(self, report: ErrorReport) -> None:
        if self.dialog is None:
            # The dialog's module loads with the first error, not at every start-up.
            from routine_timer.ui.crash_dialog import CrashDialog  # noqa: PLC0415

            self.dialog = CrashDialog(self.log_file, self._dialog_parent)
        self.dialog.add(report)
