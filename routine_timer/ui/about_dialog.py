"""Help > About: the version, where the app keeps things, and the routine format reference.

Everything a bug report needs to say which app and which files, in text that
can be selected and copied.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from routine_timer import __version__
from routine_timer.paths import AppPaths, format_reference
from routine_timer.ui.crash_reporter import qt_versions

FORMAT_LINK = "routine-format"


class AboutDialog(QDialog):
    """The app's version, data folder and log file, and a link to the format reference."""

    def __init__(
        self,
        paths: AppPaths,
        open_path: Callable[[Path], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Routine timer")
        self.setObjectName("about-dialog")
        self._paths = paths
        self._open_path = open_path

        name = QLabel("Routine timer")
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        name.setFont(font)
        self.version = QLabel(f"Version {__version__}")
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        purpose = QLabel("A timer for guided exercise routines, readable and audible from the mat.")
        purpose.setWordWrap(True)

        self.data_folder = _path_label(paths.data_dir)
        log_file = paths.log_file
        self.log_file = _path_label(log_file)
        if not log_file.is_file():
            self.log_file.setText(f"{log_file} (not written)")
        places = QFormLayout()
        places.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        places.addRow("Data folder:", self.data_folder)
        places.addRow("Log file:", self.log_file)

        self.format_link = QLabel(
            f'<a href="{FORMAT_LINK}">How to write a routine: the routine file format</a>'
        )
        self.format_link.setTextFormat(Qt.TextFormat.RichText)
        self.format_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.format_link.setToolTip(str(format_reference()))
        self.format_link.linkActivated.connect(self._link)

        self.versions = QLabel(f"{', '.join(qt_versions())}, Python {platform.python_version()}")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        copy = QPushButton("Copy")
        copy.setToolTip("Copy the version, the folders and the versions below, for a report")
        copy.clicked.connect(self.copy)
        self.copy_button = copy
        show_logs = QPushButton("Show log folder")
        show_logs.clicked.connect(lambda: self._open_path(paths.logs_dir))
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(copy)
        buttons.addWidget(show_logs)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(name)
        layout.addWidget(self.version)
        layout.addWidget(purpose)
        layout.addSpacing(6)
        layout.addLayout(places)
        layout.addWidget(self.format_link)
        layout.addWidget(self.versions)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        """What :meth:`copy` puts on the clipboard."""
        return "\n".join(
            [
                f"routine-timer {__version__}",
                f"Data folder: {self._paths.data_dir}",
                f"Log file: {self._paths.log_file}",
                self.versions.text(),
            ]
        )

    def copy(self) -> None:
        """The version and the folders on the clipboard, to paste into a report."""
        QGuiApplication.clipboard().setText(self.text())

    def _link(self, target: str) -> None:
        if target == FORMAT_LINK:
            self._open_path(format_reference())


def _path_label(path: Path) -> QLabel:
    label = QLabel(str(path))
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label
