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
from routine_timer.exit_codes import EXIT_CRASHED, EXIT_INVALID, EXIT_OK
from routine_timer.paths import APP_NAME, AppPaths, assets_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from routine_timer.desktop.single_instance import SingleInstance
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
    tray: bool = False,
    qt_args: Sequence[str] | None = None,
    log_file: Path | None = None,
) -> int:
    """Open the main window (or go straight into ``start``) and run until it closes.

    With ``tray``, start in the tray without the window (at login), where the
    desktop has a tray. A second start for the same data folder hands over to
    the app already running (it shows its window, or starts ``start``) and ends.

    ``log_file`` is where the log is written (see ``routine_timer.logs``), for the
    crash dialog and the About box to point to.
    """
    entry = None
    if start is not None:
        entry = _resolve_start(start, paths)
        if entry is None:
            return EXIT_INVALID

    from PySide6.QtCore import QTimer  # noqa: PLC0415 - Qt only for the GUI

    from routine_timer.desktop.single_instance import (  # noqa: PLC0415
        SHOW,
        START,
        SingleInstance,
        may_be_running,
        server_name,
    )
    from routine_timer.settings import Settings  # noqa: PLC0415
    from routine_timer.ui.crash_reporter import CrashReporter, qt_versions  # noqa: PLC0415
    from routine_timer.ui.first_paint import after_first_paint  # noqa: PLC0415
    from routine_timer.ui.main_window import MainWindow  # noqa: PLC0415

    app = _qt_application(qt_args)
    name = server_name(paths.data_dir)
    instance = SingleInstance(name, app)
    wish = f"{START} {entry.id}" if entry is not None else SHOW
    handed = listening = False
    # Asked before any window only when a socket is there; else after the first paint.
    claimed = may_be_running(name)
    if claimed:
        handed = instance.hand_over(wish)
        if not handed:
            listening = instance.listen()
            # Not listening: another app started at the same moment and got there first.
            handed = not listening and instance.hand_over(wish)
    if handed:
        _log.info("routine-timer is already running for %s; handed over to it", paths.data_dir)
        if not tray:
            console.say("routine-timer is already running: it was brought to the front.")
        return EXIT_OK
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
    if listening:
        _log.info("this is the app for %s; a second start hands over to it", paths.data_dir)

    try:
        settings = Settings(paths.settings_file)
        window = MainWindow(paths, settings)
        reporter.set_dialog_parent(window)
        if quit_when_done:
            window.sessionFinished.connect(lambda _event: QTimer.singleShot(0, window.quit_app))
        instance.messageReceived.connect(lambda line: _handed_over(window, line, paths))
        # Hidden in the tray, closing is not the end: the window says when it is.
        window.closedForGood.connect(app.quit)
        app.setQuitOnLastWindowClosed(False)
        in_tray = tray and entry is None and _tray_available()
        if tray and not in_tray:
            _log.info("no system tray here (or a routine to start): showing the window")
        if not in_tray:
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
        if not claimed and not _claim_after_paint(instance, wish, paths):
            QTimer.singleShot(0, window.quit_app)  # the other app has the window raised
            return
        _log.debug("window painted; loading the icon, sound, voice, screen lock and media keys")
        set_app_icon(app)
        _attach_services(window, settings)
        _attach_reminders(window, settings, paths)
        window.back_care_checks()  # the next-morning check; the first start's warning signs
        from routine_timer.core.schema_file import ensure_schema  # noqa: PLC0415

        ensure_schema(paths.routines_dir)
        ensure_schema(paths.routines_dir, plan=True)

    after_first_paint(window, when_shown)
    code = int(app.exec())
    instance.close()
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


def _claim_after_paint(instance: SingleInstance, wish: str, paths: AppPaths) -> bool:
    """Be the one app for ``paths`` (True), or hand ``wish`` over to one that started at the
    same moment and got there first (False: this one ends)."""
    if instance.listen():
        _log.info("this is the app for %s; a second start hands over to it", paths.data_dir)
        return True
    if instance.hand_over(wish):
        _log.info("routine-timer is already running for %s; handed over to it", paths.data_dir)
        return False
    return True  # no socket to be had (logged): carry on unguarded


def _tray_available() -> bool:
    from routine_timer.ui.tray import tray_available  # noqa: PLC0415

    return tray_available()


def _handed_over(window: MainWindow, line: str, paths: AppPaths) -> None:
    """What a second start asked of this app: show the window, or start a routine."""
    from routine_timer.desktop.single_instance import START  # noqa: PLC0415

    _log.info("a second start asked: %s", line)
    window.bring_to_front()
    command, _, ref = line.partition(" ")
    if command == START and ref:
        for entry in window.library.entries():
            if entry.id == ref and entry.valid:
                window.start_routine(entry)
                return


def _attach_reminders(window: MainWindow, settings: Settings, paths: AppPaths) -> None:
    """The tray icon (where there is a tray), the notifier and the start-at-login entry."""
    from routine_timer.desktop.notifications import create_notifier  # noqa: PLC0415
    from routine_timer.ui.tray import AppTray, tray_available  # noqa: PLC0415

    tray = None
    if tray_available():
        tray = AppTray(
            window.windowIcon(),
            show=window.bring_to_front,
            start_next=window.start_next,
            quit_app=window.quit_app,
            parent=window,
        )
        tray.show()
    window.attach_reminders(
        create_notifier(tray.icon if tray else None, sys.platform, window), tray
    )
    _tell_autostart(window, sync_autostart(settings, paths))

    def changed(name: str) -> None:
        if name == "start_at_login":
            _tell_autostart(window, sync_autostart(settings, paths, turned_off=True))

    settings.subscribe(changed)


def _tell_autostart(window: MainWindow, problem: str | None) -> None:
    from routine_timer.ui.notice_bar import Notice  # noqa: PLC0415

    if problem is not None:
        window.notices.post(Notice("autostart", problem, (("OK", lambda: None),)))


def sync_autostart(
    settings: Settings, paths: AppPaths, folder: Path | None = None, *, turned_off: bool = False
) -> str | None:
    """Write the start-at-login entry while the setting is on (bringing its command up to
    date); remove it when the setting is turned off. A failure is logged, not raised, and
    returned in words for the window to show (None: done)."""
    from routine_timer.desktop import autostart  # noqa: PLC0415
    from routine_timer.paths import default_data_dir, os_reason  # noqa: PLC0415

    if autostart.unavailable_reason() is not None:
        return None
    try:
        if settings.start_at_login:
            data_dir = None if paths.data_dir == default_data_dir() else paths.data_dir
            autostart.write_autostart(autostart.launch_command(data_dir), folder)
        elif turned_off:
            autostart.remove_autostart(folder)
    except OSError as error:
        doing = "write" if settings.start_at_login else "remove"
        _log.warning("cannot %s the start-at-login entry: %s", doing, error)
        where = error.filename or autostart.autostart_file(folder)
        return f"Start at login: cannot {doing} {where}: {os_reason(error)}."
    return None
