"""Composition root of the desktop app: paths, settings, window, then sound and voice.

Only this module decides which real services the window gets; everything it
builds can be given fakes in tests.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from routine_timer import __version__, console
from routine_timer.core.library import LibraryEntry, find_routine
from routine_timer.exit_codes import EXIT_CRASHED, EXIT_INVALID
from routine_timer.paths import APP_NAME, AppPaths, assets_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from routine_timer.settings import Settings
    from routine_timer.ui.main_window import MainWindow


_log = logging.getLogger(__name__)


def _resolve_start(ref: str, paths: AppPaths) -> LibraryEntry | None:
    """The routine ``routine-timer start REF`` asks for, or None after saying why not."""
    try:
        entry = find_routine(ref, paths, cache=paths.library_cache)
    except LookupError as error:
        console.say(f"routine-timer: error: {error}", sys.stderr)
        return None
    if not entry.valid:
        for problem in entry.errors:
            console.say(problem, sys.stderr)
        return None
    return entry


def run_gui(
    paths: AppPaths,
    start: str | None = None,
    *,
    quit_when_done: bool = False,
    qt_args: Sequence[str] | None = None,
    log_file: Path | None = None,
) -> int:
    """Open the main window (or go straight into ``start``) and run until it closes.

    ``log_file`` is where the log is written (see ``routine_timer.logs``), for the
    crash dialog and the About box to point to.
    """
    entry = None
    if start is not None:
        entry = _resolve_start(start, paths)
        if entry is None:
            return EXIT_INVALID

    from PySide6.QtCore import QTimer  # noqa: PLC0415 - Qt only for the GUI

    from routine_timer.settings import Settings  # noqa: PLC0415
    from routine_timer.ui.crash_reporter import CrashReporter, qt_versions  # noqa: PLC0415
    from routine_timer.ui.first_paint import after_first_paint  # noqa: PLC0415
    from routine_timer.ui.main_window import MainWindow  # noqa: PLC0415

    app = _qt_application(qt_args)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Routine timer")
    app.setDesktopFileName(APP_NAME)
    # From here on an unexpected error is logged and shown, and the app carries on.
    reporter = CrashReporter(log_file, app)
    reporter.install()
    _log.info(
        "routine-timer %s starting; %s, Python %s on %s; data folder %s",
        __version__,
        qt_versions()[0],
        # Not platform.python_version(): importing platform costs 3 ms before the paint.
        ".".join(map(str, sys.version_info[:3])),
        sys.platform,
        paths.data_dir,
    )

    try:
        settings = Settings(paths.settings_file)
        window = MainWindow(paths, settings)
        reporter.set_dialog_parent(window)
        if quit_when_done:
            window.sessionFinished.connect(lambda _event: QTimer.singleShot(0, window.close))
        window.show()
        if entry is not None:
            window.start_routine(entry)
    except Exception as error:
        # No window to carry on with: say so (logged, and in the dialog), then stop.
        reporter.report((type(error), error, error.__traceback__))
        if reporter.dialog is not None:
            reporter.dialog.exec()
        logging.shutdown()
        return EXIT_CRASHED

    # The icon, sound, voice, the screensaver inhibitor and the media keys load once the
    # window is on screen (QIcon alone is ~10 ms: PySide6 builds its 100-odd ThemeIcon names).
    # The schema for editors is kept up to date here too (written only when missing or
    # changed), so routines the user writes by hand get completion from the start.
    def when_shown() -> None:
        _log.debug("window painted; loading the icon, sound, voice, screen lock and media keys")
        set_app_icon(app)
        _attach_services(window, settings)
        window.back_care_checks()  # the next-morning check; the first start's warning signs
        from routine_timer.core.schema_file import ensure_schema  # noqa: PLC0415

        ensure_schema(paths.routines_dir)
        ensure_schema(paths.routines_dir, plan=True)

    after_first_paint(window, when_shown)
    code = int(app.exec())
    _log.info("routine-timer exiting with status %d", code)
    # Everything worth keeping is written by now (the history commits each step and
    # the window closed the store). A speech engine stuck talking to its service
    # must not hang the exit, nor abort it as Python tears its thread down.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def show_startup_problem(message: str, qt_args: Sequence[str] | None = None) -> None:
    """Say in a dialog why the app cannot start (a data folder it cannot use, say)."""
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    app = _qt_application(qt_args)
    app.setApplicationDisplayName("Routine timer")
    QMessageBox.critical(None, "Routine timer cannot start", message)


def _qt_application(qt_args: Sequence[str] | None) -> QApplication:
    """The process's ``QApplication``: the one already made (by the tests), or a new one.

    ``QApplication.instance()`` is typed as the ``QCoreApplication`` base; a bare
    ``QCoreApplication`` cannot show windows, so it is refused in words.
    """
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - Qt only for the GUI

    existing = QApplication.instance()
    if existing is None:
        return QApplication([sys.argv[0], *(qt_args or ())])
    if not isinstance(existing, QApplication):
        raise RuntimeError("the window needs a QApplication, but a QCoreApplication exists")
    return existing


def set_app_icon(app: QApplication) -> None:
    """The app's icon on every window (the title bar, the task switcher)."""
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    icon = assets_dir() / "icons" / "routine-timer.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def _attach_services(window: MainWindow, settings: Settings) -> None:
    from routine_timer.cues import create_cue_player  # noqa: PLC0415
    from routine_timer.desktop.inhibit import create_inhibitor  # noqa: PLC0415
    from routine_timer.desktop.mpris import create_media_player  # noqa: PLC0415

    player = create_cue_player(settings, assets_dir(), window)
    window.attach_services(player, create_inhibitor(), create_media_player())
