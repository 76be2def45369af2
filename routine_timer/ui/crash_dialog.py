"""The window that says an unexpected error happened; see ``routine_timer.ui.crash_reporter``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from routine_timer.ui.crash_reporter import ErrorReport


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
