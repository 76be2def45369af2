"""What the app does with an error nobody expected: log it, show it, keep going.

:class:`CrashReporter` takes over ``sys.excepthook`` (PySide6 reports an
exception raised in a slot or an event handler there, then carries on) and
``threading.excepthook``, and installs a Qt message handler that sends Qt's
own warnings to the log. Each error is written to the log with its traceback
and shown in one :class:`CrashDialog`, which blocks nothing: a session keeps
timing (and its history keeps being written) while the dialog is open.

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
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from routine_timer.logs import ExcInfo, error_key, error_report, error_summary

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

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
            self.dialog = CrashDialog(self.log_file, self._dialog_parent)
        self.dialog.add(report)


class CrashDialog(QDialog):
    """Says an error happened, that the app carries on, and where the details are.

    Not modal, and shown without taking the keyboard: the session behind it keeps
    timing and its keys keep working. One dialog for every error: the same error
    again only counts up, and once the dialog is closed only a new error reopens it.
    """

    def __init__(self, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong - Routine timer")
        self.setObjectName("crash-dialog")
        self.log_file = log_file
        self._reports: dict[tuple[str, ...], ErrorReport] = {}
        # The Qt namespace is built here, not when the app imports this module at
        # start-up (see "Start-up" in BENCHMARKS.md).
        from PySide6.QtCore import Qt  # noqa: PLC0415

        # Shown without activating: the session behind keeps the keyboard.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)

        heading = QLabel("Something went wrong inside Routine timer")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(
            "The app is still running, and every finished step is saved in your history. "
            "If something looks wrong, restart the routine or the app."
        )
        explanation.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("crash-summary")
        self.where = QLabel(self._where_text())
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(self.details.fontMetrics().lineSpacing() * 10)

        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Copy the versions and the error's traceback, for a report")
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        # Neither button reacts to Enter: the dialog must not swallow a key press
        # meant for the session behind it.
        for button in (self.copy_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (heading, explanation, self.summary, self.where, self.details):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.resize(640, 420)

    def _where_text(self) -> str:
        if self.log_file is None:
            return "The log could not be written; use Copy details to keep what happened."
        return (
            f"When you report this, please include Copy details or the log file:\n{self.log_file}"
        )

    def add(self, report: ErrorReport) -> None:
        """Show ``report`` (a new error, or the same one again with its new count)."""
        new = report.key not in self._reports
        self._reports[report.key] = report
        self._refresh()
        # Once closed, the same error again (every tick, say) only counts up.
        if new and not self.isVisible():
            self.show()

    def reports(self) -> list[ErrorReport]:
        """Every error shown so far, oldest first, with its latest count."""
        return list(self._reports.values())

    def _refresh(self) -> None:
        reports = self.reports()
        total = sum(report.count for report in reports)
        if len(reports) == 1:
            (report,) = reports
            times = "" if report.count == 1 else f" It happened {report.count} times."
            self.summary.setText(f"The error: {report.summary}.{times}")
        else:
            self.summary.setText(
                f"{len(reports)} different errors, {total} times in all. "
                f"The latest: {reports[-1].summary}."
            )
        self.details.setPlainText(self.details_text())

    def details_text(self) -> str:
        """What "Copy details" copies: each error's report and how often it happened."""
        parts = []
        for report in self.reports():
            times = "once" if report.count == 1 else f"{report.count} times"
            parts.append(f"{report.summary} (happened {times})\n{report.details}")
        if self.log_file is not None:
            parts.append(f"Log file: {self.log_file}")
        return "\n\n".join(parts)

    def copy_details(self) -> None:
        """Put the details on the clipboard, for a bug report or an e-mail."""
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText("Copied")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.copy_button.setText("Copy details")
        super().closeEvent(event)
