"""The main window: the routine library, the history, and the session screen in between.

It composes the pieces and routes between them; the rules live in ``core``
(format, timeline, engine), ``storage`` (history) and the driver (timing).
What happens when a routine starts is the session controller's
(``routine_timer.ui.session.controller``): the window only shows the screens
it is handed. Sound, voice, the screensaver inhibitor and the media keys arrive after the
window is shown (:meth:`MainWindow.attach_services`), so start-up stays quick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStackedWidget, QTabWidget, QWidget

from routine_timer.core.library import ROUTINE_SUFFIXES, LibraryEntry, id_owners, scan_library
from routine_timer.core.redflags import Why
from routine_timer.paths import (
    AppPaths,
    DataDirError,
    bundled_routines_dir,
    format_reference,
    os_reason,
)
from routine_timer.settings import Settings
from routine_timer.ui.first_paint import after_first_paint
from routine_timer.ui.library.view import LibraryView
from routine_timer.ui.library.watcher import RoutineFolderWatcher
from routine_timer.ui.notice_bar import Notice, NoticeBar
from routine_timer.ui.windows import bring_to_front

# Dialogs and desktop services are reached through their modules when first
# used: PySide6 builds a class (and its enums) on first access, and the window's
# first paint should not wait for classes it does not show.
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent

    # The session, history and authoring modules load when first used, not at start-up
    # (see "Start-up" in BENCHMARKS.md).
    from routine_timer.core.model import Routine
    from routine_timer.core.programme import Progress, TrainingPlan
    from routine_timer.core.progression import Morning, Suggestion
    from routine_timer.cues.player import SoundAndVoiceCues
    from routine_timer.desktop.mpris import MediaPlayer
    from routine_timer.desktop.notifications import Notifier
    from routine_timer.storage.db import HistoryError
    from routine_timer.storage.history import HistoryStore
    from routine_timer.ui.editor.window import RoutineEditor
    from routine_timer.ui.history.window import HistoryView
    from routine_timer.ui.reminders import ReminderDay, ReminderScheduler
    from routine_timer.ui.session.controller import SessionController
    from routine_timer.ui.session.driver import Inhibitor, SessionDriver
    from routine_timer.ui.session.view import FinishView, SessionView
    from routine_timer.ui.today.view import TodayView
    from routine_timer.ui.tray import AppTray

Clock = Callable[[], float]
_log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Library and history tabs; a routine runs full-window on top of them."""

    sessionFinished = Signal(object)
    """:class:`SessionFinished` of any session, completed or stopped."""
    closedForGood = Signal()
    """The window closed and the app should end (not just hidden in the tray)."""

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        *,
        clock: Clock = time.monotonic,
        bundled_dir: Path | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.settings = settings
        self._clock = clock
        self._today = today
        self._now = now
        self._bundled_dir = bundled_dir
        self.reminders: ReminderScheduler | None = None
        """Reminds of the chosen plan's routines, once :meth:`attach_reminders` gave a notifier."""
        self.tray: AppTray | None = None
        """The tray icon, where the desktop has a tray: closing the window then keeps the app."""
        self._quitting = False
        self._plan_cache: tuple[str, TrainingPlan | None] | None = None
        """The chosen plan as last read: its id and the plan (None: not usable)."""
        self._cue_player: SoundAndVoiceCues | None = None
        self._inhibitor: Inhibitor | None = None
        self._media_player: MediaPlayer | None = None
        self._store: HistoryStore | None = None
        self._store_failed = False
        self.session: SessionController | None = None
        """The session on screen, from its start to the way back to the library."""
        self._editors: dict[Path, RoutineEditor] = {}
        self.history_view: HistoryView | None = None
        self.today_view: TodayView | None = None
        """The Today tab, there while a plan is chosen."""
        self.plan_progress: Progress | None = None
        """How the chosen plan stands, as last read (None: no plan, or not readable)."""
        self.plan_chooser: QWidget | None = None
        self.about_dialog: QWidget | None = None
        self.settings_dialog: QWidget | None = None
        """The settings dialog while it is open."""
        self.setWindowTitle("Routine timer")
        self.setAcceptDrops(True)
        self.resize(1100, 720)

        # Set up in two steps so the Qt namespace waits for the paint (ui/library/view.py).
        self.library = LibraryView(finish_later=True)
        after_first_paint(self, self.library.finish_setup)
        self.library.startRequested.connect(self.start_routine)
        self.library.editRequested.connect(
            lambda entry: self.open_editor(entry.path, entry.bundled)
        )
        self.library.duplicateRequested.connect(lambda entry: self.duplicate(entry.path))
        self.library.openExternallyRequested.connect(lambda entry: self._open_url(entry.path))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.library, "Routines")
        self._history_tab = QWidget()
        self.tabs.addTab(self._history_tab, "History")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.stack = QStackedWidget()
        self.notices = NoticeBar()
        """The next-morning check, the first start's warning signs, a suggestion after a stop."""
        self.stack.addWidget(self.tabs)
        central = QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.notices)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()

        self.watcher = RoutineFolderWatcher(paths.routines_dir, self)
        self.watcher.changed.connect(self.reload_library)
        self.reload_library()
        if settings.plan is not None:
            # The app opens on Today; the plan (YAML) and the history are read
            # once the window is up, so the first paint does not wait for them.
            self._show_today_tab()
            after_first_paint(self, self.refresh_today)

    # --- menus ----------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new = self._action(
            file_menu, "&New routine…", self.new_routine, QKeySequence.StandardKey.New
        )
        import_files = self._action(
            file_menu, "&Import routine files…", self.import_dialog, "Ctrl+I"
        )
        choose_plan = self._action(file_menu, "Choose a &plan…", self.choose_plan, "Ctrl+P")
        show_folder = self._action(
            file_menu, "Show routines &folder", lambda: self._open_url(self.paths.routines_dir)
        )
        file_menu.addSeparator()
        settings = self._action(
            file_menu, "&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.quit_app, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "&Today", self._go_today, "Ctrl+0")
        self._action(
            view_menu, "&Routines", lambda: self.tabs.setCurrentWidget(self.library), "Ctrl+1"
        )
        self._action(
            view_menu, "&History", lambda: self.tabs.setCurrentWidget(self._history_tab), "Ctrl+2"
        )
        self._action(view_menu, "&Warning signs…", self.ask_red_flags)
        self.full_screen_action = self._action(
            view_menu, "&Full screen", self.toggle_full_screen, "F11"
        )
        help_menu = self.menuBar().addMenu("&Help")
        self._action(
            help_menu,
            "Routine file &format",
            lambda: self._open_url(format_reference()),
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(help_menu, "&About Routine timer", self.show_about)
        # The library's everyday actions, one click away (hidden during a session).
        self.toolbar = self.addToolBar("Library")
        self.toolbar.setObjectName("library-toolbar")
        self.toolbar.setMovable(False)
        for action in (new, import_files, show_folder, choose_plan, settings):
            self.toolbar.addAction(action)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        key: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        # setShortcuts, not setShortcut: a standard key gets every binding the platform
        # has for it, and neither overload builds PySide6's Qt namespace: part of the ~20 ms
        # saved at start-up (bench_startup; see ui/library/view.py).
        if isinstance(key, QKeySequence.StandardKey):
            action.setShortcuts(key)
        elif key is not None:
            action.setShortcuts([QKeySequence(key)])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def show_about(self) -> QWidget:
        """Help > About: the version, the data folder and the log file (one window)."""
        from routine_timer.ui.about_dialog import AboutDialog  # noqa: PLC0415 - on demand

        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.paths, self._open_url, self)
        elif self.about_dialog.isVisible():
            # Already open, perhaps behind the window: bring it to the front.
            self.about_dialog.raise_()
            self.about_dialog.activateWindow()
        self.about_dialog.show()
        return self.about_dialog

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # --- services that arrive after the window is shown -------------------------

    def attach_services(
        self,
        cue_player: SoundAndVoiceCues | None,
        inhibitor: Inhibitor | None,
        media_player: MediaPlayer | None = None,
    ) -> None:
        """Sound/voice, the screensaver inhibitor and the media keys (MPRIS), created once
        the window is up."""
        self._cue_player = cue_player
        self._inhibitor = inhibitor
        self._media_player = media_player
        if self.session is not None:
            self.session.attach_services(cue_player, inhibitor, media_player)

    def attach_reminders(self, notifier: Notifier, tray: AppTray | None = None) -> None:
        """Reminders through ``notifier``; with ``tray``, closing the window keeps the app there."""
        from routine_timer.ui.reminders import ReminderScheduler  # noqa: PLC0415 - after the paint

        self.tray = tray
        self.reminders = ReminderScheduler(
            self.settings, notifier, self.reminder_day, now=self._now, parent=self
        )
        self.reminders.startRequested.connect(self.start_next)
        self.reminders.showRequested.connect(self.bring_to_front)
        # The tray's "Start next" follows the day too (the timer looks at least every 5 min).
        self.reminders.timer.timeout.connect(self._update_tray)
        self.reminders.check()
        self._update_tray()

    def reminder_day(self, day: date) -> ReminderDay | None:
        """The chosen plan's ``day`` for the reminders; None without a usable plan."""
        from routine_timer.core.programme import read_progress  # noqa: PLC0415
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415
        from routine_timer.ui.reminders import ReminderDay  # noqa: PLC0415

        plan = self._chosen_plan()
        if plan is None:
            return None
        store = self.history_store() if self.paths.history_db.exists() else None
        try:
            progress = read_progress(
                plan,
                day,
                store.completed_days if store is not None else None,
                chosen=self.settings.plan_chosen,
            )
        except HistoryError as error:
            _log.warning("reminders: the history cannot be read: %s", error)
            return None
        return ReminderDay(plan, progress.today, self._routine_names())

    def _chosen_plan(self) -> TrainingPlan | None:
        plan_id = self.settings.plan
        if plan_id is None:
            return None
        if self._plan_cache is None or self._plan_cache[0] != plan_id:
            from routine_timer.core.plan_file import find_plan, scan_plans  # noqa: PLC0415

            names = self._routine_names()
            entry = find_plan(plan_id, scan_plans(self.paths, set(names), self._bundled_dir))
            usable = entry is not None and entry.valid
            self._plan_cache = (plan_id, entry.plan if entry is not None and usable else None)
        return self._plan_cache[1]

    def start_next(self, routine_id: str = "") -> SessionView | None:
        """Show the window and start ``routine_id`` if it is still due, else today's next
        routine (a reminder's "Start now", the tray's "Start next")."""
        self.bring_to_front()
        if self.session is not None:
            return None  # a routine is on screen already
        if self.today_view is not None:
            self.tabs.setCurrentWidget(self.today_view)
            self.refresh_today()
        day = self.reminder_day(self._now().date())
        if day is None:
            return None
        from routine_timer.core.programme import Status  # noqa: PLC0415

        due = [entry.routine_id for entry in day.today.items if entry.status is Status.DUE]
        if routine_id in due:
            return self.start_routine_id(routine_id)
        entry = day.today.next_up
        return self.start_routine_id(entry.routine_id) if entry is not None else None

    def bring_to_front(self) -> None:
        """Show the window, from the tray or from behind others."""
        self.show()
        bring_to_front(self)

    def quit_app(self) -> None:
        """File > Quit, and the tray's Quit: close the window and end the app."""
        self._quitting = True
        try:
            self.close()
        finally:
            self._quitting = False  # closed by now, or the runner chose to stay

    def _update_tray(self) -> None:
        if self.tray is None:
            return
        day = self.reminder_day(self._now().date()) if self.settings.plan is not None else None
        entry = day.today.next_up if day is not None else None
        if day is None or entry is None:
            self.tray.set_next(None)
        else:
            self.tray.set_next(day.names.get(entry.routine_id, entry.routine_id))

    def history_store(self) -> HistoryStore | None:
        """The history database, opened on first use; None (said once) when it cannot be."""
        if self._store is None and not self._store_failed:
            from routine_timer.storage.history import HistoryError, HistoryStore  # noqa: PLC0415

            try:
                self._store = HistoryStore(self.paths.history_db)
            except HistoryError as error:
                self._store_failed = True
                QtWidgets.QMessageBox.warning(
                    self, "History unavailable", f"{error}\n\nSessions will not be recorded."
                )
                return None
            if self._store.moved_aside is not None:
                QtWidgets.QMessageBox.information(
                    self, "History file replaced", self._store.moved_aside.message
                )
        return self._store

    # --- back care (docs/back-care.md) -------------------------------------------

    def back_care_checks(self, today: date | None = None) -> None:
        """At a start: the next-morning check after yesterday's session, and at the very
        first start the warning-sign questions; each a notice, one tap or skipped."""
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415

        day = today or date.today()
        store = self.history_store()
        if store is None:
            return
        try:
            first_start = not store.red_flag_checks()
            yesterday = store.last_session_day(day) == day - timedelta(days=1)
            asked = store.morning(day) is not None
        except HistoryError as error:
            self.statusBar().showMessage(f"History not read: {error}", 15000)
            return
        if first_start:
            self.notices.post(
                Notice(
                    "red-flags",
                    "Before you start: four quick questions about warning signs in the back "
                    "that are for a doctor rather than for a routine.",
                    (
                        ("Answer", lambda: self.ask_red_flags(Why.FIRST_START)),
                        ("Not now", lambda: self._record_red_flags(Why.FIRST_START, {})),
                    ),
                )
            )
        if yesterday and not asked:
            answers = [
                (answer.value.capitalize(), lambda a=answer: self._record_morning(day, a))
                for answer in _mornings()
            ]
            self.notices.post(
                Notice(
                    "morning",
                    "Your back this morning, compared with yesterday:",
                    (*answers, ("Skip", lambda: None)),
                )
            )

    def _record_morning(self, day: date, answer: Morning) -> None:
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415

        store = self.history_store()
        if store is None:
            return
        try:
            store.record_morning(day, answer)
        except HistoryError as error:
            self.statusBar().showMessage(f"History not saved: {error}", 15000)

    def ask_red_flags(self, why: Why = Why.ASKED) -> QWidget:
        """The warning-sign questions (the first start's notice, or View > Warning signs)."""
        from routine_timer.ui.redflag_dialog import RedFlagDialog  # noqa: PLC0415

        dialog = RedFlagDialog(self)
        dialog.accepted.connect(lambda: self._record_red_flags(why, dialog.answers()))
        dialog.open()
        return dialog

    def _record_red_flags(self, why: Why, answers: dict[str, bool | None]) -> None:
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415

        store = self.history_store()
        if store is None:
            return
        try:
            store.record_red_flags(why, answers)
        except HistoryError as error:
            self.statusBar().showMessage(f"History not saved: {error}", 15000)

    def _suggested(self, suggestion: Suggestion | None) -> None:
        # A session stopped for pain has no finish screen: its suggestion comes here.
        session = self.session
        if suggestion is None or session is None or session.finish_view is not None:
            return
        self.notices.post(
            Notice(
                "suggestion",
                suggestion.text,
                (
                    ("Yes, next time", lambda: self._answer(suggestion, True)),
                    ("No, thanks", lambda: self._answer(suggestion, False)),
                ),
            )
        )

    def _answer(self, suggestion: Suggestion, accepted: bool) -> None:
        self._answer_pending(suggestion.session_id, accepted)

    def _answer_pending(self, session_id: int, accepted: bool) -> None:
        """Record an answer given outside the finish screen (Today, or a notice)."""
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415

        store = self.history_store()
        if store is None:
            return
        try:
            store.answer_suggestion(session_id, accepted)
        except HistoryError as error:
            self.statusBar().showMessage(f"History not saved: {error}", 15000)
            return
        self.statusBar().showMessage(
            "Accepted, and noted in your history."
            if accepted
            else "Declined, and noted in your history: the level stays as it is.",
            10000,
        )
        self.notices.withdraw("suggestion")
        if self.today_view is not None and self.session is None:
            self.refresh_today()

    # --- library --------------------------------------------------------------

    def reload_library(self) -> None:
        """Scan bundled and user routines again, keeping the selection."""
        self.library.set_entries(
            scan_library(self.paths, self._bundled_dir, cache=self.paths.library_cache)
        )
        self._plan_cache = None  # plans live in the same folder, and name these routines
        if self.today_view is not None:
            self.refresh_today()

    def new_routine(self) -> None:
        from routine_timer.core import authoring  # noqa: PLC0415

        name, ok = QtWidgets.QInputDialog.getText(
            self, "New routine", "Name of the routine:", text="My routine"
        )
        if not ok or not name.strip() or not self._routines_folder_usable("Not created"):
            return
        try:
            path = authoring.new_routine_file(self.paths.routines_dir, name.strip())
        except (authoring.AuthoringError, OSError) as error:
            QtWidgets.QMessageBox.warning(self, "Not created", _failure(error))
            return
        self.reload_library()
        self.library.select_path(path)
        self.open_editor(path, bundled=False)

    def duplicate(self, source: Path) -> None:
        from routine_timer.core import authoring  # noqa: PLC0415

        if not self._routines_folder_usable("Not duplicated"):
            return
        try:
            path = authoring.duplicate_routine(
                source, self.paths.routines_dir, bundled_dir=self._bundled_dir
            )
        except (authoring.AuthoringError, OSError) as error:
            QtWidgets.QMessageBox.warning(self, "Not duplicated", _failure(error))
            return
        self.reload_library()
        self.library.select_path(path)
        self.open_editor(path, bundled=False)

    def import_dialog(self) -> None:
        files, _filter = QtWidgets.QFileDialog.getOpenFileNames(
            self, "Import routine files", str(Path.home()), "Routines (*.yaml *.yml)"
        )
        self.import_files([Path(name) for name in files])

    def import_files(self, sources: list[Path]) -> list[Path]:
        """Copy routine files into the user's folder; returns what was imported.

        A file with problems is imported too, and opened in the editor to be
        fixed; the library lists it with its problems until then.
        """
        from routine_timer.core import authoring  # noqa: PLC0415

        imported: list[Path] = []
        to_fix: list[Path] = []
        if sources and not self._routines_folder_usable("Not imported"):
            return imported
        for source in sources:
            try:
                check = authoring.check_import(
                    source, self.paths.routines_dir, bundled_dir=self._bundled_dir
                )
            except OSError as error:  # a path too long to look at, say
                QtWidgets.QMessageBox.warning(self, "Not imported", _failure(error))
                continue
            if not check.importable:
                QtWidgets.QMessageBox.warning(self, "Not imported", check.message)
                continue
            replace = f"{check.message}\n\nReplace it?"
            if check.clashes and not self._confirm("Replace routine?", replace):
                continue
            try:
                target = authoring.import_routine(
                    source,
                    self.paths.routines_dir,
                    replace=check.clashes,
                    bundled_dir=self._bundled_dir,
                )
            except (authoring.AuthoringError, OSError) as error:
                QtWidgets.QMessageBox.warning(self, "Not imported", _failure(error))
                continue
            imported.append(target)
            if not check.valid:
                to_fix.append(target)
        if imported:
            self.reload_library()
            self.library.select_path(imported[-1])
        for path in to_fix:
            self.open_editor(path, bundled=False)
        return imported

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _routine_paths(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _routine_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _routine_paths(event)
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def open_editor(self, path: Path, bundled: bool) -> None:
        """The built-in editor for ``path``, one window per file."""
        from PySide6.QtCore import Qt  # noqa: PLC0415

        from routine_timer.ui.editor.window import RoutineEditor  # noqa: PLC0415 - only when editing

        existing = self._editors.get(path)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        folder = self.paths.routines_dir
        if bundled:
            folder = bundled_routines_dir() if self._bundled_dir is None else self._bundled_dir
        editor = RoutineEditor(
            path,
            read_only=bundled,
            routines_dir=folder,
            id_owners=lambda: id_owners(self.library.entries()),
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.resize(1100, 700)
        editor.duplicate_requested.connect(self.duplicate)
        editor.saved.connect(lambda _path: self.reload_library())
        self.watcher.changed.connect(editor.follow_disk)
        editor.destroyed.connect(lambda *_: self._editors.pop(path, None))
        self._editors[path] = editor
        editor.show()

    def _confirm(self, title: str, question: str) -> bool:
        """Ask Yes or No, No being the default; True for Yes."""
        buttons = QtWidgets.QMessageBox.StandardButton
        answer = QtWidgets.QMessageBox.question(
            self, title, question, buttons.Yes | buttons.No, buttons.No
        )
        return answer == buttons.Yes

    def _routines_folder_usable(self, title: str) -> bool:
        """Whether the routines folder is there (made if missing); if not, say why."""
        try:
            self.paths.ensure()
        except DataDirError as error:
            QtWidgets.QMessageBox.warning(self, title, str(error))
            return False
        return True

    def _open_url(self, path: Path) -> None:
        if path == self.paths.routines_dir and not self._routines_folder_usable("Cannot open"):
            return
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))

    def open_settings(self) -> None:
        from routine_timer.desktop.autostart import unavailable_reason  # noqa: PLC0415
        from routine_timer.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        self.settings_dialog = SettingsDialog(
            self.settings,
            self,
            cues=self._cue_player,
            plan_times=self._plan_times_text(),
            login_unavailable=unavailable_reason(),
        )
        self.settings_dialog.exec()
        self.settings_dialog = None

    def _plan_times_text(self) -> str | None:
        """When the chosen plan reminds, in words, for the settings dialog (None: no plan)."""
        if self.settings.plan is None:
            return None
        plan = self._chosen_plan()
        if plan is None:
            return "The chosen plan cannot be read just now."
        from routine_timer.core.reminders import plan_times_text  # noqa: PLC0415

        return plan_times_text(plan, self._routine_names())

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._history_tab:
            self._show_history()

    def _show_history(self) -> None:
        from routine_timer.ui.history.window import HistoryView  # noqa: PLC0415 - on demand

        if self.history_view is None:
            store = self.history_store() if self.paths.history_db.exists() else None
            self.history_view = HistoryView(store, today=self._today)
            self.history_view.set_plan(self.plan_progress, self._routine_names())
            index = self.tabs.indexOf(self._history_tab)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.history_view, "History")
            self._history_tab = self.history_view
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
        else:
            if self._store is not None:
                self.history_view.set_store(self._store)
            self.history_view.set_plan(self.plan_progress, self._routine_names())
            self.history_view.refresh()

    # --- the plan and Today -------------------------------------------------------

    def _routine_names(self) -> dict[str, str]:
        return {entry.id: entry.name for entry in self.library.entries()}

    def _routines(self) -> dict[str, Routine]:
        """The library's valid routines by id: what a plan's ladders are made of."""
        return {
            entry.id: entry.routine
            for entry in self.library.entries()
            if entry.valid and entry.routine is not None
        }

    def _show_today_tab(self) -> TodayView:
        from routine_timer.ui.today.view import TodayView  # noqa: PLC0415 - with a plan only

        if self.today_view is None:
            self.today_view = TodayView()
            self.today_view.startRequested.connect(self.start_routine_id)
            self.today_view.choosePlanRequested.connect(self.choose_plan)
            self.today_view.suggestionAnswered.connect(self._answer_pending)
            self.tabs.blockSignals(True)
            self.tabs.insertTab(0, self.today_view, "Today")
            self.tabs.setCurrentIndex(0)
            self.tabs.blockSignals(False)
        return self.today_view

    def _go_today(self) -> None:
        if self.today_view is None:
            self.choose_plan()
        else:
            self.tabs.setCurrentWidget(self.today_view)

    def refresh_today(self) -> None:
        """Read the chosen plan and the history again, and show how the plan stands."""
        plan_id = self.settings.plan
        if plan_id is None or self.today_view is None:
            self.plan_progress = None
            return
        from routine_timer.core.plan_file import find_plan, scan_plans  # noqa: PLC0415
        from routine_timer.core.programme import read_progress  # noqa: PLC0415
        from routine_timer.core.progression import plan_standings  # noqa: PLC0415
        from routine_timer.storage.db import HistoryError  # noqa: PLC0415

        names = self._routine_names()
        entry = find_plan(plan_id, scan_plans(self.paths, set(names), self._bundled_dir))
        usable = entry is not None and entry.valid
        self._plan_cache = (plan_id, entry.plan if entry is not None and usable else None)
        self.plan_progress = None
        if entry is None or entry.plan is None or not entry.valid:
            problems = "" if entry is None else "\n" + "\n".join(map(str, entry.errors))
            self.today_view.show_problem(
                f"The plan '{plan_id}' cannot be used: "
                + ("no plan has that id any more." if entry is None else "its file has errors.")
                + problems
                + "\n\nFix it, or choose another plan."
            )
        else:
            store = self.history_store() if self.paths.history_db.exists() else None
            try:
                self.plan_progress = read_progress(
                    entry.plan,
                    self._today(),
                    store.completed_days if store is not None else None,
                    chosen=self.settings.plan_chosen,
                )
                accepted = store.accepted_targets() if store is not None else []
                pending = store.pending_suggestions() if store is not None else []
            except HistoryError as error:
                self.today_view.show_problem(f"The history cannot be read: {error}")
            else:
                startable = {entry.id for entry in self.library.entries() if entry.valid}
                standings = plan_standings(entry.plan, self._routines(), accepted)
                self.today_view.show_progress(self.plan_progress, names, startable, standings)
                self.today_view.show_suggestions(pending)
        if self.history_view is not None:
            self.history_view.set_plan(self.plan_progress, names)
            self.history_view.refresh()

    def choose_plan(self) -> str | None:
        """The plan chooser; the plan picked is followed from today. Returns the plan's id."""
        from routine_timer.core.plan_file import scan_plans  # noqa: PLC0415
        from routine_timer.ui.today.chooser import PlanChooser  # noqa: PLC0415

        names = self._routine_names()
        entries = scan_plans(self.paths, set(names), self._bundled_dir)
        chooser = PlanChooser(entries, self.settings.plan, self, names=names)
        self.plan_chooser = chooser
        if chooser.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.follow_plan(chooser.chosen)
        return self.settings.plan

    def follow_plan(self, plan_id: str | None) -> None:
        """Follow the plan ``plan_id`` from today (None: none; the library is home again)."""
        self._plan_cache = None
        self.settings.choose_plan(plan_id, self._today())
        if plan_id is None:
            if self.today_view is not None:
                self.tabs.removeTab(self.tabs.indexOf(self.today_view))
                self.today_view.deleteLater()
                self.today_view = None
            self.tabs.setCurrentWidget(self.library)
            self.refresh_today()
            if self.history_view is not None:
                self.history_view.set_plan(None, {})
            return
        self.tabs.setCurrentWidget(self._show_today_tab())
        self.refresh_today()

    def start_routine_id(self, routine_id: str) -> SessionView | None:
        """Start the library's routine of id ``routine_id`` (from Today)."""
        for entry in self.library.entries():
            if entry.id == routine_id and entry.valid:
                return self.start_routine(entry)
        return None

    # --- sessions ---------------------------------------------------------------

    @property
    def driver(self) -> SessionDriver | None:
        """The driver of the session on screen, if any."""
        return self.session.driver if self.session is not None else None

    @property
    def session_view(self) -> SessionView | None:
        return self.session.session_view if self.session is not None else None

    @property
    def finish_view(self) -> FinishView | None:
        return self.session.finish_view if self.session is not None else None

    def start_routine(self, entry: LibraryEntry) -> SessionView | None:
        """Open the session screen for ``entry`` and start it (see :class:`SessionController`)."""
        if entry.routine is None or not entry.valid or self.session is not None:
            return None
        from routine_timer.core.progression import plan_ladders  # noqa: PLC0415
        from routine_timer.ui.session.controller import SessionController  # noqa: PLC0415

        if self.reminders is not None:
            self.reminders.withdraw()  # started: the reminder on screen has done its work
        plan = self._chosen_plan()  # its ladders give the levels of the finish screen's suggestion
        session = SessionController(
            entry.routine,
            settings=self.settings,
            store=self.history_store(),
            clock=self._clock,
            cue_player=self._cue_player,
            inhibitor=self._inhibitor,
            media_player=self._media_player,
            ladders=plan_ladders(plan, self._routines()) if plan is not None else None,
            parent=self,
        )
        session.screenChanged.connect(self._show_screen)
        session.leaveRequested.connect(self.back_to_library)
        session.fullScreenRequested.connect(self.toggle_full_screen)
        session.finished.connect(self.sessionFinished.emit)
        session.historyFailed.connect(self._history_failed)
        session.stoppedForPain.connect(self._stopped_for_pain)
        session.suggested.connect(self._suggested)
        self.session = session
        self.toolbar.hide()
        self.setWindowTitle(f"{session.routine_name} - Routine timer")
        return session.start()

    def _show_screen(self, screen: QWidget) -> None:
        self.notices.hold(True)  # nothing above the session screen but the session
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        screen.setFocus()

    def _history_failed(self, error: HistoryError) -> None:
        if self.session is not None:
            self.statusBar().showMessage(f"History not saved: {error}", 15000)

    def _stopped_for_pain(self, _flagged: int | None) -> None:
        self.statusBar().showMessage(
            "Stopped for pain, and noted in your history. Go easy on your back; if the pain "
            "persists or spreads down a leg, please see a doctor or physiotherapist.",
            30000,
        )

    def back_to_library(self) -> None:
        """Leave the session (or finish) screen for the library."""
        session, self.session = self.session, None
        if session is not None:
            for screen in session.screens():
                self.stack.removeWidget(screen)
            session.close()
            session.deleteLater()
        self.stack.setCurrentWidget(self.tabs)
        self.notices.hold(False)
        self.toolbar.show()
        self.setWindowTitle("Routine timer")
        if self.today_view is not None:
            self.refresh_today()
        if self.history_view is not None and self.tabs.currentWidget() is self.history_view:
            self._show_history()
        if self.reminders is not None:
            self.reminders.check()  # the history changed: perhaps nothing is left due
        self._update_tray()

    def _keeps_running_in_tray(self) -> bool:
        from routine_timer.settings import REMIND_OFF  # noqa: PLC0415

        running = self.driver is not None and self.driver.status.in_progress
        return (
            self.tray is not None
            and not self._quitting
            and not running
            and self.settings.remind != REMIND_OFF
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._keeps_running_in_tray():
            assert self.tray is not None
            event.ignore()
            self.hide()
            if not self.settings.told_tray:
                from routine_timer.ui.tray import KEPT_IN_TRAY, KEPT_IN_TRAY_TITLE  # noqa: PLC0415

                self.tray.say(KEPT_IN_TRAY_TITLE, KEPT_IN_TRAY)
                self.settings.told_tray = True
            return
        running = self.driver is not None and self.driver.status.in_progress
        if running and not self._confirm(
            "Quit during a routine?", "A routine is running. Stop it and quit?"
        ):
            event.ignore()
            return
        for editor in list(self._editors.values()):
            if not editor.maybe_close():
                event.ignore()
                return
            editor.close()
        if self.session is not None:
            self.session.close()  # a note still being typed is saved before the history closes
        if self._inhibitor is not None and self._inhibitor.active:
            self._inhibitor.release()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self.reminders is not None:
            self.reminders.stop()
        if self.tray is not None:
            self.tray.hide()
        event.accept()
        self.closedForGood.emit()


def _mornings() -> tuple[Morning, ...]:
    from routine_timer.core.progression import Morning  # noqa: PLC0415

    return tuple(Morning)


def _failure(error: Exception) -> str:
    """Why creating or importing a file failed, in plain words."""
    if isinstance(error, OSError):
        reason = os_reason(error)
        return f"{error.filename}: {reason}" if error.filename else reason.capitalize()
    return str(error)


def _routine_paths(event: QDropEvent) -> list[Path]:
    # QDragEnterEvent and QDragMoveEvent are QDropEvents too.
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in ROUTINE_SUFFIXES
    ]
