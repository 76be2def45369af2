"""The history and progress view: figures, charts, every session, and export.

From the top: four figures (current and longest streak, sessions and minutes
this week), the calendar heat map, minutes per week next to back pain before
and after, then the sessions (sortable; selecting one shows its steps and
check-in) and a line per routine. Export writes exactly what
``routine-timer history --csv`` / ``--json`` (``--steps``) print.

Opening it reads per-day and per-routine totals the database keeps, and a
page of sessions, so it opens at once on a long history. Rows of the file
that cannot be read show as damaged (sessions) or are named in the banner
(totals, steps); an export leaves them out and says which.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QItemSelection, QObject, QSortFilterProxyModel, Qt, QThread, Signal
from PySide6.QtGui import QFont, QFontInfo, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core import stats
from routine_timer.core.checkin import pain_advice
from routine_timer.core.programme import Progress
from routine_timer.core.safe_write import not_a_file
from routine_timer.storage.backcare import red_flags_by_session
from routine_timer.storage.export import ExportedSession, csv_chunks, json_chunks
from routine_timer.storage.history import (
    DamagedRow,
    HistoryError,
    HistoryReader,
    HistoryStore,
    SessionRecord,
    StepRecord,
)
from routine_timer.storage.records import EXERCISE_KINDS
from routine_timer.storage.rows import left_out_message
from routine_timer.ui.history.charts import (
    ActivityHeatMap,
    AdherenceChart,
    PainChart,
    WeeklyMinutesChart,
    minutes_text,
)
from routine_timer.ui.history.model import (
    SORT_ROLE,
    STATUS_TEXT,
    RoutineColumn,
    RoutineTableModel,
    SessionColumn,
    SessionTableModel,
    damaged_tip,
    duration_text,
    short_date,
)

log = logging.getLogger(__name__)

EXPORT_FORMATS = {"csv": "CSV for a spreadsheet (*.csv)", "json": "JSON (*.json)"}


class FigureCard(QFrame):
    """One figure at the top: a big value over a short caption."""

    def __init__(self, caption: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("-")
        font = QFont(self.font())
        font.setPixelSize(max(22, int(QFontInfo(self.font()).pixelSize() * 2.0)))
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.setToolTip(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def step_line(step: StepRecord) -> tuple[str, str, str, str]:
    """A recorded step as (what, set and side, time, flags such as "skipped")."""
    what = step.exercise or step.kind.capitalize()
    if step.variant:
        what += f" ({step.variant})"  # "Knee plank (easier)": a variation picked that day
    where = ", ".join(
        part for part in (f"set {step.set}" if step.set else "", step.side or "") if part
    )
    time = duration_text(step.actual_seconds)
    if step.planned_seconds:
        time += f" of {duration_text(step.planned_seconds)}"
    flags = [
        flag
        for flag, on in (("skipped", step.skipped), ("stopped: pain", step.stopped_for_pain))
        if on
    ]
    return what, where, time, ", ".join(flags)


class SessionDetail(QWidget):
    """The selected session: when, how it ended, its check-in, note and every step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.checkin = QLabel()
        self.checkin.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setFrameShape(QFrame.Shape.StyledPanel)
        self.advice.setMargin(6)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps = QTreeWidget()
        self.steps.setRootIsDecorated(False)
        self.steps.setHeaderLabels(["Step", "Set", "Time", ""])
        self.steps.setUniformRowHeights(True)
        header = self.steps.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        for widget in (self.heading, self.summary, self.checkin, self.advice, self.note):
            layout.addWidget(widget)
        layout.addWidget(self.steps, 1)
        self.show_session(None, [])

    def show_session(
        self, session: SessionRecord | DamagedRow | None, steps: list[StepRecord]
    ) -> None:
        """Show ``session`` and its ``steps`` (None: a hint to pick one; damaged: what is wrong)."""
        self.steps.clear()
        if session is None or isinstance(session, DamagedRow):
            if session is None:
                self.heading.setText("<b>Select a session</b> to see its steps and check-in.")
            else:
                self.heading.setText(f"<b>Damaged {_escape(session.label)}</b>")
            for label in (self.summary, self.checkin, self.advice, self.note):
                label.hide()
            if isinstance(session, DamagedRow):
                self.summary.setText(damaged_tip(session))
                self.summary.show()
            self.steps.hide()
            return
        self.heading.setText(
            f"<b>{_escape(session.routine_name)}</b><br>{short_date(session.started_at)}"
        )
        status = STATUS_TEXT.get(session.status, session.status)
        summary = f"{status} in {duration_text(session.active_seconds) or '-'}"
        if session.paused_seconds:
            summary += f", paused {duration_text(session.paused_seconds)}"
        if session.planned_steps:
            summary += f"; {session.steps_done} of {session.planned_steps} exercises done"
        if session.steps_skipped:
            summary += f", {session.steps_skipped} skipped"
        self.summary.setText(summary)
        self.summary.show()
        ratings = []
        if session.pain_before is not None or session.pain_after is not None:
            before = "-" if session.pain_before is None else session.pain_before
            after = "-" if session.pain_after is None else session.pain_after
            ratings.append(f"Back pain {before} before, {after} after")
        if session.rpe is not None:
            ratings.append(f"effort {session.rpe} of 10")
        text = "; ".join(ratings)
        self.checkin.setText(text[:1].upper() + text[1:] if ratings else "No check-in.")
        self.checkin.show()
        advice = pain_advice(session.pain_before, session.pain_after)
        self.advice.setText(advice or "")
        self.advice.setVisible(advice is not None)
        self.note.setText(f"Note: {session.note}" if session.note else "")
        self.note.setVisible(bool(session.note))
        for step in steps:
            item = QTreeWidgetItem(list(step_line(step)))
            if step.kind not in EXERCISE_KINDS:
                item.setForeground(0, self.palette().placeholderText())
            self.steps.addTopLevelItem(item)
        self.steps.setVisible(bool(steps))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HistoryView(QWidget):
    """The history window's content: progress figures, charts, sessions, routines, export.

    ``HistoryView(store, *, today=date.today, parent=None)``. ``store`` is the
    app's open :class:`HistoryStore` (or None when there is no history: the
    empty state shows); the view reads it and never closes it. Call
    :meth:`refresh` after a session was recorded, :meth:`set_store` to show
    another store. Shown on its own it is a window titled "History".

    Signals: ``exported(str)`` with the path of a file just written.
    """

    exported = Signal(str)

    def __init__(
        self,
        store: HistoryStore | None,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("History")
        self._store = store
        self._today = today
        self.sessions_model = SessionTableModel(store, self)
        self.routines_model = RoutineTableModel(parent=self)
        self.progress: stats.Progress | None = None
        self.plan_progress: Progress | None = None
        """The chosen plan, as the window last read it (None: no plan)."""
        self._names: Mapping[str, str] = {}
        self._exports: dict[ExportJob, tuple[QProgressDialog, Path, Path]] = {}
        self.destroyed.connect(functools.partial(_stop, self._exports))
        self._build()
        self._read_figures()

    # -- building ----------------------------------------------------------

    def _build(self) -> None:
        self.include_steps = QCheckBox("Include steps")
        self.include_steps.setToolTip("One row per step (CSV) or a steps list per session (JSON)")
        self.export_csv_button = QPushButton("Export CSV…")
        self.export_csv_button.clicked.connect(lambda: self.export("csv"))
        self.export_json_button = QPushButton("Export JSON…")
        self.export_json_button.clicked.connect(lambda: self.export("json"))
        self.export_report_button = QPushButton("Export report…")
        self.export_report_button.setToolTip("A PDF of the last weeks for a physiotherapist")
        self.export_report_button.clicked.connect(lambda _checked=False: self.export_report())
        title = QLabel("<b>Your progress</b>")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for widget in (
            self.include_steps,
            self.export_csv_button,
            self.export_json_button,
            self.export_report_button,
        ):
            top.addWidget(widget)
        self.banner = QLabel()
        # Plain text: messages quote values from the file, which may look like markup.
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setMargin(6)
        self.banner.hide()

        self.empty = QLabel(
            "<h2>No sessions yet</h2><p>Do a routine and it shows up here: your streak of "
            "days, minutes each week, and how your back felt before and after.</p>"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.current_streak = FigureCard(
            "Current streak", "Days in a row, up to today, with a completed routine"
        )
        self.longest_streak = FigureCard("Longest streak", "The most days in a row so far")
        self.week_sessions = FigureCard("Sessions this week", "Since Monday")
        self.week_minutes = FigureCard("Minutes this week", "Active time since Monday")
        figures = QHBoxLayout()
        for card in self.figure_cards():
            figures.addWidget(card)

        self.heat_map = ActivityHeatMap()
        self.weekly_chart = WeeklyMinutesChart()
        self.pain_chart = PainChart()
        charts_row = QHBoxLayout()
        charts_row.addWidget(_titled("Minutes per week", self.weekly_chart))
        charts_row.addWidget(_titled("Back pain, 0 to 10", self.pain_chart))
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        overview_layout.setContentsMargins(0, 0, 0, 0)
        overview_layout.addLayout(figures)
        overview_layout.addWidget(_titled("Active days", self.heat_map))
        overview_layout.addLayout(charts_row)
        self.adherence_chart = AdherenceChart()
        # Plain text: the plan's name comes from its file.
        self.adherence_title = QLabel()
        self.adherence_title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.adherence_title.font())
        bold.setBold(True)
        self.adherence_title.setFont(bold)
        self.adherence_box = QWidget()
        box_layout = QVBoxLayout(self.adherence_box)
        box_layout.setContentsMargins(0, 4, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(self.adherence_title)
        box_layout.addWidget(self.adherence_chart, 1)
        self.adherence_box.hide()
        overview_layout.addWidget(self.adherence_box)

        self.sessions_table = QTableView()
        self.sessions_table.setModel(self.sessions_model)
        self.sessions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sessions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sessions_table.verticalHeader().hide()
        self.sessions_table.setAlternatingRowColors(True)
        self.sessions_table.setWordWrap(False)
        header = self.sessions_table.horizontalHeader()
        # The model starts newest first: say so before sorting is switched on,
        # or the view would ask for a sort it does not need.
        header.setSortIndicator(SessionColumn.DATE, Qt.SortOrder.DescendingOrder)
        self.sessions_table.setSortingEnabled(True)
        # Never ResizeToContents here: it would read every session.
        width = self.fontMetrics().horizontalAdvance("Wed 30 Sep 2026, 08:30") + 24
        header.resizeSection(SessionColumn.DATE, width)
        header.setSectionResizeMode(SessionColumn.ROUTINE, QHeaderView.ResizeMode.Stretch)
        for column in (
            SessionColumn.RESULT,
            SessionColumn.TIME,
            SessionColumn.PAIN_BEFORE,
            SessionColumn.PAIN_AFTER,
            SessionColumn.EFFORT,
        ):
            label = str(self.sessions_model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(
                column, self.fontMetrics().horizontalAdvance(label + "Abandon") + 4
            )
        self.sessions_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.sessions_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = SessionDetail()
        sessions_split = QSplitter(Qt.Orientation.Horizontal)
        sessions_split.addWidget(self.sessions_table)
        sessions_split.addWidget(self.detail)
        sessions_split.setStretchFactor(0, 3)
        sessions_split.setStretchFactor(1, 2)

        self.routines_proxy = QSortFilterProxyModel(self)
        self.routines_proxy.setSourceModel(self.routines_model)
        self.routines_proxy.setSortRole(SORT_ROLE)
        self.routines_table = QTableView()
        self.routines_table.setModel(self.routines_proxy)
        self.routines_table.setSortingEnabled(True)
        self.routines_table.sortByColumn(RoutineColumn.LAST_DONE, Qt.SortOrder.DescendingOrder)
        self.routines_table.verticalHeader().hide()
        self.routines_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        routine_header = self.routines_table.horizontalHeader()
        routine_header.setSectionResizeMode(RoutineColumn.ROUTINE, QHeaderView.ResizeMode.Stretch)
        for routine_column in RoutineColumn:
            if routine_column != RoutineColumn.ROUTINE:
                label = str(
                    self.routines_model.headerData(routine_column, Qt.Orientation.Horizontal)
                )
                width = self.fontMetrics().horizontalAdvance(label + "Done")
                routine_header.resizeSection(routine_column, width)
        date_width = self.fontMetrics().horizontalAdvance("Wed 30 Sep 2026, 08:30") + 24
        routine_header.resizeSection(RoutineColumn.LAST_DONE, date_width)
        self.routines_table.setWordWrap(False)

        self.tabs = QTabWidget()
        self.tabs.addTab(sessions_split, "Sessions")
        self.tabs.addTab(self.routines_table, "Routines")

        content = QSplitter(Qt.Orientation.Vertical)
        content.addWidget(overview)
        content.addWidget(self.tabs)
        content.setStretchFactor(0, 0)
        content.setStretchFactor(1, 1)
        content.setChildrenCollapsible(False)
        self._content = content
        self._overview = overview
        self._content_sized = False

        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)

    LIST_ROWS = 6
    """Sessions the list shows at first, space allowing, before the charts get the rest."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._content_sized:
            self._content_sized = True
            self._give_the_list_its_rows()

    def _give_the_list_its_rows(self) -> None:
        # The charts ask for more height than a laptop screen leaves the list;
        # left to their size hints, the list would show two rows.
        table = self.sessions_table
        rows = self.LIST_ROWS * table.verticalHeader().defaultSectionSize()
        chrome = self.tabs.height() - table.viewport().height()
        overview, tabs = self._content.sizes()
        spare = overview - self._overview.minimumSizeHint().height()
        wanted = rows + max(chrome, 0)
        if tabs < wanted:
            moved = min(wanted - tabs, spare)
            if moved > 0:
                self._content.setSizes([overview - moved, tabs + moved])

    def figure_cards(self) -> list[FigureCard]:
        """The four figures at the top, left to right."""
        return [self.current_streak, self.longest_streak, self.week_sessions, self.week_minutes]

    # -- data ----------------------------------------------------------------

    @property
    def store(self) -> HistoryStore | None:
        return self._store

    def set_store(self, store: HistoryStore | None) -> None:
        """Show ``store`` instead (None: the empty state)."""
        self._store = store
        self.sessions_model.set_store(store)
        self._read_figures()

    def set_plan(self, progress: Progress | None, names: Mapping[str, str]) -> None:
        """Show the chosen plan's weeks beside the other charts (None: no plan, no chart)."""
        self.plan_progress = progress
        self._names = dict(names)
        self._show_plan()

    def _show_plan(self) -> None:
        progress = self.plan_progress
        self.adherence_box.setVisible(progress is not None)
        if progress is None:
            self.adherence_chart.set_data([], {})
            return
        self.adherence_title.setText(
            f"{progress.plan.name}, week by week: days done of days planned"
        )
        self.adherence_chart.set_data(progress.weeks, self._names, progress.today.week)

    def is_empty(self) -> bool:
        """True while there is no session to show."""
        return self.sessions_model.rowCount() == 0

    def refresh(self) -> None:
        """Read the history again: figures, charts, tables; the selection is cleared."""
        self.sessions_model.refresh()
        self._read_figures()

    def _read_figures(self) -> None:
        today = self._today()
        days: list[stats.DaySummary] = []
        routines: list[stats.RoutineSummary] = []
        messages: list[str] = []
        damaged: list[DamagedRow] = []
        self.banner.hide()
        if self._store is not None:
            try:
                days = self._store.day_summaries(on_damage=damaged.append)
                routines = self._store.routine_summaries(on_damage=damaged.append)
            except HistoryError as error:
                messages.append(str(error))
            if damaged:
                messages.append(left_out_message(damaged))
            if self._store.moved_aside is not None:
                messages.append(self._store.moved_aside.message)
        if messages:
            self._show_banner("\n".join(messages))
        progress = stats.progress(days, routines, today)
        self.progress = progress
        monday = today - timedelta(days=today.weekday())
        this_week = sum(day.sessions for day in days if monday <= day.day <= today)
        self.current_streak.set_value(_days(progress.streaks.current))
        self.longest_streak.set_value(_days(progress.streaks.longest))
        self.week_sessions.set_value(str(this_week))
        self.week_minutes.set_value(minutes_text(progress.weekly_minutes[-1].minutes))
        self.heat_map.set_data(progress.active_days, today)
        self.weekly_chart.set_data(progress.weekly_minutes)
        self.pain_chart.set_data(progress.pain, today)
        self.routines_model.set_summaries(progress.routines)
        self.detail.show_session(None, [])
        empty = self.is_empty()
        self.pages.setCurrentWidget(self.empty if empty else self._content)
        for button in (self.export_csv_button, self.export_json_button, self.export_report_button):
            button.setEnabled(not empty)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def selected_session(self) -> SessionRecord | DamagedRow | None:
        """The session selected in the table, if any (a damaged one as what is wrong)."""
        rows = self.sessions_table.selectionModel().selectedRows()
        return self.sessions_model.session_at(rows[0].row()) if rows else None

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        session = self.selected_session()
        steps: list[StepRecord] = []
        damaged: list[DamagedRow] = []
        if isinstance(session, SessionRecord) and self._store is not None:
            try:
                steps = self._store.steps(session.id, on_damage=damaged.append)
            except HistoryError as error:
                self._show_banner(str(error))
        if damaged:
            self._show_banner(left_out_message(damaged))
        self.detail.show_session(session, steps)

    # -- export ----------------------------------------------------------------

    def export(self, form: str) -> Path | None:
        """Ask where to save, then write the export; return the file being written.

        None when cancelled or when the file cannot be opened (a message says
        why). The rows are written on a thread of their own, a few at a time,
        so the window stays responsive on any history; a progress dialog shows
        when it takes more than a moment. :attr:`exported` says when the file is
        complete; damaged rows left out are named in a message then.
        """
        if form not in EXPORT_FORMATS:
            raise ValueError(f"cannot export as {form!r}")
        suggested = Path.home() / f"routine-timer-history-{self._today().isoformat()}.{form}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, f"Export the history as {form.upper()}", str(suggested), EXPORT_FORMATS[form]
        )
        if not chosen or self._store is None:
            return None
        path = Path(chosen)
        if (problem := not_a_file(path)) is not None:
            self._export_failed(path, problem)
            return None
        # Written beside the target and renamed when complete: a failed or
        # cancelled export never leaves half a file, nor spoils an older one.
        partial = path.with_name(path.name + ".partial")
        try:
            file = partial.open("wb")
        except OSError as error:
            self._export_failed(path, error.strerror or str(error))
            return None
        try:
            reader = self._store.open_reader()
            total = reader.session_count()
        except HistoryError as error:
            file.close()
            partial.unlink(missing_ok=True)
            self._export_failed(path, str(error))
            return None
        job = ExportJob(reader, file, form, with_steps=self.include_steps.isChecked())
        progress = QProgressDialog(f"Writing {path.name}…", "Cancel", 0, max(total, 1), self)
        progress.setWindowTitle("Export")
        progress.setMinimumDuration(500)  # only when it takes more than a moment
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        progress.setValue(0)
        # Bound to objects of this thread, so these run here, not on the job's thread.
        job.progressed.connect(progress.setValue)
        progress.canceled.connect(job.cancel)
        job.finished.connect(self._export_done)
        self._exports[job] = (progress, partial, path)
        job.start()
        return path

    def _export_done(self) -> None:
        job = self.sender()
        if not isinstance(job, ExportJob) or job not in self._exports:
            return
        progress, partial, path = self._exports.pop(job)
        # Closing the dialog says "cancel": the job is over, so nothing is cancelled now.
        progress.canceled.disconnect(job.cancel)
        progress.close()
        progress.deleteLater()
        job.deleteLater()
        error = job.error
        if error is None and not job.cancelled:
            try:
                partial.replace(path)
            except OSError as failure:
                error = failure.strerror or str(failure)
        if error is not None or job.cancelled:
            partial.unlink(missing_ok=True)
            if error is not None:
                self._export_failed(path, error)
            return
        if job.damaged:
            QMessageBox.warning(
                self, "Damaged rows left out", f"Saved {path}.\n\n{left_out_message(job.damaged)}"
            )
        self.exported.emit(str(path))

    def export_report(self, weeks: int | None = None) -> Path | None:
        """Ask for the weeks (unless given) and where to save; write the back-care report PDF."""
        from routine_timer.storage.report import MAX_WEEKS, build_report  # noqa: PLC0415
        from routine_timer.ui.report_pdf import write_report_pdf  # noqa: PLC0415

        if self._store is None:
            return None
        if weeks is None:
            weeks, ok = QInputDialog.getInt(
                self, "Export report", "Weeks to report, ending today:", 6, 1, MAX_WEEKS
            )
            if not ok:
                return None
        today = self._today()
        suggested = Path.home() / f"routine-timer-report-{today.isoformat()}.pdf"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export the back-care report", str(suggested), "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if (problem := not_a_file(path)) is not None:
            self._export_failed(path, problem)
            return None
        partial = path.with_name(path.name + ".partial")
        try:
            report = build_report(self._store, weeks, today, self.plan_progress, self._names)
            write_report_pdf(report, partial)
            partial.replace(path)
        except HistoryError as error:
            self._export_failed(path, str(error))
            return None
        except OSError as error:
            partial.unlink(missing_ok=True)
            self._export_failed(path, error.strerror or str(error))
            return None
        self.exported.emit(str(path))
        return path

    def _export_failed(self, path: Path, reason: str) -> None:
        QMessageBox.warning(self, "Export failed", f"Could not write {path}:\n{reason}.")


def _stop(jobs: Iterable[ExportJob]) -> None:
    # A thread must not outlive the view that started it; its file is left as .partial.
    for job in jobs:
        job.cancel()
        job.wait()


class ExportJob(QThread):
    """One export written to an open file on a thread of its own.

    ``ExportJob(reader, file, form, *, with_steps, parent)`` takes over the
    reader (see :meth:`HistoryStore.open_reader`) and the file, and closes
    both. ``progressed(int)`` gives the sessions written so far. When it has
    finished, :attr:`error` says why it failed (None: it did not),
    :attr:`cancelled` whether :meth:`cancel` stopped it, and :attr:`damaged`
    which rows were left out.
    """

    progressed = Signal(int)

    def __init__(
        self,
        reader: HistoryReader,
        file: BinaryIO,
        form: str,
        *,
        with_steps: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._file = file
        self._form = form
        self._with_steps = with_steps
        self._cancel = threading.Event()
        self.error: str | None = None
        self.damaged: list[DamagedRow] = []

    @property
    def cancelled(self) -> bool:
        """True when :meth:`cancel` was called before the end."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop at the next piece of the file (it is then removed)."""
        self._cancel.set()

    def run(self) -> None:
        written = 0

        def counted(
            rows: Iterator[ExportedSession],
        ) -> Iterator[ExportedSession]:
            nonlocal written
            for row in rows:
                written += 1
                yield row

        try:
            as_json = self._form != "csv"
            rows = counted(
                self._reader.exported(
                    with_steps=self._with_steps,
                    with_back_care=as_json,
                    on_damage=self.damaged.append,
                )
            )
            chunks = (
                json_chunks(rows, red_flags=red_flags_by_session(self._reader))
                if as_json
                else csv_chunks(rows, with_steps=self._with_steps)
            )
            for chunk in chunks:
                # Bytes, as the command line writes them: the CSV chose its own line ends.
                self._file.write(chunk.encode("utf-8"))
                self.progressed.emit(written)
                if self._cancel.is_set():
                    break
        except OSError as error:
            self.error = error.strerror or str(error)
        except HistoryError as error:
            self.error = str(error)
        except Exception as error:  # a thread must never die silently
            log.exception("export failed")
            self.error = f"an unexpected error ({error!r})"
        finally:
            try:
                self._file.close()
            except OSError as error:
                self.error = self.error or error.strerror or str(error)
            self._reader.close()


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(2)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box
