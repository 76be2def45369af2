"""Help > About and Help > Routine file format, from the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from routine_timer import __version__
from routine_timer.paths import AppPaths, format_reference
from routine_timer.settings import Settings
from routine_timer.ui.about_dialog import FORMAT_LINK, AboutDialog
from routine_timer.ui.main_window import MainWindow

# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Local files and folders the app asked the desktop to open (nothing is opened)."""
    urls: list[Path] = []

    def open_url(url: QUrl) -> bool:
        assert url.isLocalFile()
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QtGui.QDesktopServices, "openUrl", open_url)
    return urls


@pytest.fixture
def window(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> MainWindow:
    window = MainWindow(app_paths, Settings(tmp_path / "settings.ini"), bundled_dir=tmp_path)
    qtbot.addWidget(window)
    return window


def help_action(window: MainWindow, text: str) -> QAction:
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    [action] = [a for a in help_menu.actions() if a.text() == text]
    return action


def test_the_format_reference_ships_with_the_app() -> None:
    reference = format_reference()
    assert reference.is_file()
    assert reference.read_text(encoding="utf-8").startswith("# Writing routines")


def test_help_opens_the_format_reference_locally(window: MainWindow, opened: list[Path]) -> None:
    help_action(window, "Routine file &format").trigger()
    assert opened == [format_reference()]


# Asked for again, About comes to the front, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore(
    "^This plugin does not support propagateSizeHints", "^This plugin does not support raise"
)
def test_about_shows_version_data_folder_and_log_file(
    qtbot: QtBot, window: MainWindow, app_paths: AppPaths, opened: list[Path]
) -> None:
    app_paths.log_file.parent.mkdir(parents=True)
    app_paths.log_file.write_text("started\n", encoding="utf-8")
    help_action(window, "&About Routine timer").trigger()
    about = window.about_dialog
    assert isinstance(about, AboutDialog)
    qtbot.waitExposed(about)
    assert about.version.text() == f"Version {__version__}"
    assert about.data_folder.text() == str(app_paths.data_dir)
    assert about.log_file.text() == str(app_paths.log_file)
    assert "Qt 6." in about.versions.text()

    about.format_link.linkActivated.emit(FORMAT_LINK)
    assert opened == [format_reference()]

    about.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.splitlines()[:3] == [
        f"routine-timer {__version__}",
        f"Data folder: {app_paths.data_dir}",
        f"Log file: {app_paths.log_file}",
    ]
    # Asked again, the same window comes to the front.
    assert window.show_about() is about


def test_about_says_when_there_is_no_log_file_yet(window: MainWindow, app_paths: AppPaths) -> None:
    about = window.show_about()
    assert isinstance(about, AboutDialog)
    assert about.log_file.text() == f"{app_paths.log_file} (not written)"
