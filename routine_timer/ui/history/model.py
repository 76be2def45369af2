"""Table models of the history: every session, and a line per routine.

:class:`SessionTableModel` shows a :class:`~routine_timer.storage.history.SessionTable`,
which reads 200 sessions at a time as rows are looked at, so a history of
100,000 sessions opens at once. Sorting asks the database for the new order
(:meth:`SessionTable.sorted`) instead of loading every row into a
``QSortFilterProxyModel``; ``data()`` never runs SQL of its own beyond the
page a row lives on.

Use it with a ``QTableView`` that has ``setSortingEnabled(True)`` and fixed
or interactive column widths: ``ResizeToContents`` would read every row.

A session row the file holds but that cannot be read (see
:mod:`routine_timer.storage.rows`) keeps its place as a
:class:`~routine_timer.storage.records.DamagedRow`: shown as "Damaged", in
italics, with what is wrong in its tooltip.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from routine_timer.core.calendar_text import long_day
from routine_timer.core.checkin import pain_rose
from routine_timer.core.durations import format_clock
from routine_timer.core.stats import RoutineSummary
from routine_timer.storage.history import DamagedRow, HistoryStore, SessionRecord, SessionTable

SESSION_ROLE = Qt.ItemDataRole.UserRole
"""The :class:`SessionRecord` (or :class:`DamagedRow`, :class:`RoutineSummary`) behind a row."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A plain value to sort on (used by the routine table's proxy)."""

_Index = QModelIndex | QPersistentModelIndex

STATUS_TEXT = {
    "completed": "Completed",
    "stopped": "Stopped",
    "abandoned": "Abandoned",
    "running": "Running",
}
DAMAGED_TEXT = "Damaged"
"""The result shown for a session whose row cannot be read."""


def result_text(session: SessionRecord) -> str:
    """``Completed``, or ``Completed, 5 of 7 sets`` when some of its sets were skipped."""
    text = STATUS_TEXT.get(session.status, session.status)
    planned = session.planned_steps
    if session.status == "completed" and planned and session.steps_done < planned:
        text += f", {session.steps_done} of {planned} sets"
    return text


def short_date(moment: datetime) -> str:
    """``Mon 2 Mar 2026, 08:30`` in local time, whatever the system locale."""
    local = moment.astimezone()
    return f"{long_day(local)}, {local:%H:%M}"


def duration_text(seconds: float | None) -> str:
    """``12:05`` (or ``1:02:03``); empty when unknown."""
    return "" if seconds is None else format_clock(round(seconds))


class SessionColumn(IntEnum):
    """The columns of the session table, in order."""

    DATE = 0
    ROUTINE = 1
    RESULT = 2
    TIME = 3
    PAIN_BEFORE = 4
    PAIN_AFTER = 5
    EFFORT = 6


_HEADERS = {
    SessionColumn.DATE: "Date",
    SessionColumn.ROUTINE: "Routine",
    SessionColumn.RESULT: "Result",
    SessionColumn.TIME: "Time",
    SessionColumn.PAIN_BEFORE: "Pain before",
    SessionColumn.PAIN_AFTER: "Pain after",
    SessionColumn.EFFORT: "Effort",
}
_HEADER_TIPS = {
    SessionColumn.TIME: "Time spent in the routine, pauses left out",
    SessionColumn.PAIN_BEFORE: "Back pain before the routine, 0 (none) to 10 (worst)",
    SessionColumn.PAIN_AFTER: "Back pain after the routine, 0 (none) to 10 (worst)",
    SessionColumn.EFFORT: "How hard it felt (RPE), 1 (very easy) to 10 (maximal)",
}
SORT_KEYS = {
    SessionColumn.DATE: "started_at",
    SessionColumn.ROUTINE: "routine_name",
    SessionColumn.RESULT: "status",
    SessionColumn.TIME: "active_seconds",
    SessionColumn.PAIN_BEFORE: "pain_before",
    SessionColumn.PAIN_AFTER: "pain_after",
    SessionColumn.EFFORT: "rpe",
}
"""The store's sort key for each column."""

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_ALIGNMENTS = (None, None, None, _RIGHT, _CENTRE, _CENTRE, _CENTRE)
"""Text alignment by column: numbers lined up, names and dates as text."""


class SessionTableModel(QAbstractTableModel):
    """Every session of a :class:`HistoryStore`, newest first, sortable by any column.

    ``SessionTableModel(store, parent=None)``; ``store`` may be None (no
    history yet: no rows). Call :meth:`refresh` after the store was written
    (a session finished), :meth:`set_store` to show another one.
    :meth:`session_at` (or ``index.data(SESSION_ROLE)``) gives a row's record,
    or the :class:`DamagedRow` in its place.
    """

    def __init__(self, store: HistoryStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._column = SessionColumn.DATE
        self._order = Qt.SortOrder.DescendingOrder
        self._table: SessionTable | None = self._open()
        # Display texts per row: a view asks for each cell many times while painting.
        self._texts: dict[int, tuple[str, ...]] = {}

    # -- the data behind it ------------------------------------------------

    def _open(self) -> SessionTable | None:
        if self._store is None:
            return None
        return self._store.session_table(
            order_by=SORT_KEYS[self._column],
            descending=self._order == Qt.SortOrder.DescendingOrder,
        )

    def set_store(self, store: HistoryStore | None) -> None:
        """Show the sessions of ``store`` (None: none)."""
        self._store = store
        self.refresh()

    def refresh(self) -> None:
        """Read the sessions again (after a write), keeping the sort order."""
        self.beginResetModel()
        self._table = self._open()
        self._texts.clear()
        self.endResetModel()

    def sort_key(self) -> tuple[SessionColumn, Qt.SortOrder]:
        """The column and order the rows are in."""
        return self._column, self._order

    def session_at(self, row: int) -> SessionRecord | DamagedRow:
        """The session shown on ``row`` (a damaged one as what is wrong with it)."""
        if self._table is None:
            raise IndexError(f"session row {row} out of range")
        return self._table[row]

    # -- QAbstractTableModel -----------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SessionColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SessionColumn):
            return None
        column = SessionColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(column)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._table is None:
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(row)
            if texts is None:
                if len(self._texts) > 2000:
                    self._texts.clear()
                session = self._table[row]
                texts = self._texts[row] = tuple(_session_text(session, c) for c in SessionColumn)
            return texts[index.column()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENTS[column]
        if role == SESSION_ROLE:
            return self._table[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _session_tip(self._table[row])
        if role == Qt.ItemDataRole.FontRole:
            session = self._table[row]
            if isinstance(session, DamagedRow):
                font = QFont()
                font.setItalic(True)
                return font
            if column == SessionColumn.PAIN_AFTER and pain_rose(
                session.pain_before, session.pain_after
            ):
                font = QFont()
                font.setBold(True)
                return font
        # Other roles (colours, check state...) are asked for every cell: answer fast.
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SessionColumn):
            return
        self.layoutAboutToBeChanged.emit()
        self._column = SessionColumn(column)
        self._order = order
        self._table = self._open()
        self._texts.clear()
        # Rows are new records in a new order: no persistent index survives.
        self.changePersistentIndexList(
            self.persistentIndexList(), [QModelIndex()] * len(self.persistentIndexList())
        )
        self.layoutChanged.emit()


def _rating(value: int | None) -> str:
    return "" if value is None else str(value)


def _session_text(session: SessionRecord | DamagedRow, column: SessionColumn) -> str:
    if isinstance(session, DamagedRow):
        return _damaged_text(session, column)
    match column:
        case SessionColumn.DATE:
            return short_date(session.started_at)
        case SessionColumn.ROUTINE:
            return session.routine_name
        case SessionColumn.RESULT:
            return result_text(session)
        case SessionColumn.TIME:
            return duration_text(session.active_seconds)
        case SessionColumn.PAIN_BEFORE:
            return _rating(session.pain_before)
        case SessionColumn.PAIN_AFTER:
            return _rating(session.pain_after)
        case SessionColumn.EFFORT:
            return _rating(session.rpe)


def _damaged_text(damaged: DamagedRow, column: SessionColumn) -> str:
    # What could still be read says which session it was; the rest stays empty.
    if column == SessionColumn.DATE:
        return short_date(damaged.started_at) if damaged.started_at else "Unknown date"
    if column == SessionColumn.ROUTINE:
        return damaged.name if damaged.name is not None else damaged.label.capitalize()
    if column == SessionColumn.RESULT:
        return DAMAGED_TEXT
    return ""


def damaged_tip(damaged: DamagedRow) -> str:
    """What is wrong with a damaged session, for a tooltip or the detail pane."""
    lines = [
        f"The history file's row for {damaged.label} is damaged, so it is left out of "
        "exports. The file itself was not changed:"
    ]
    lines += [f"- {problem}" for problem in damaged.problems]
    return "\n".join(lines)


def _session_tip(session: SessionRecord | DamagedRow) -> str:
    if isinstance(session, DamagedRow):
        return damaged_tip(session)
    lines = [f"{session.routine_name}, {short_date(session.started_at)}"]
    done = f"{session.steps_done} exercise steps done"
    if session.planned_steps:
        done = f"{session.steps_done} of {session.planned_steps} exercise steps done"
    if session.steps_skipped:
        done += f", {session.steps_skipped} skipped"
    lines.append(done)
    if session.paused_seconds:
        lines.append(f"Paused {duration_text(session.paused_seconds)}")
    if session.note:
        lines.append(f"Note: {session.note}")
    return "\n".join(lines)


class RoutineColumn(IntEnum):
    """The columns of the per-routine table."""

    ROUTINE = 0
    TIMES_DONE = 1
    ATTEMPTS = 2
    LAST_DONE = 3
    COMPLETION = 4


_ROUTINE_HEADERS = {
    RoutineColumn.ROUTINE: "Routine",
    RoutineColumn.TIMES_DONE: "Times done",
    RoutineColumn.ATTEMPTS: "Sessions",
    RoutineColumn.LAST_DONE: "Last done",
    RoutineColumn.COMPLETION: "Average completion",
}
_ROUTINE_TIPS = {
    RoutineColumn.TIMES_DONE: "Sessions finished to the end",
    RoutineColumn.ATTEMPTS: "Every finished session: completed, stopped or abandoned",
    RoutineColumn.COMPLETION: "Share of the exercise steps done, averaged over the sessions",
}


class RoutineTableModel(QAbstractTableModel):
    """One row per routine: times done, sessions, last done, average completion.

    ``RoutineTableModel(summaries=(), parent=None)``; :meth:`set_summaries`
    replaces the rows. A routine has one row however long the history, so
    sorting goes through a ``QSortFilterProxyModel`` with ``SORT_ROLE``.
    """

    def __init__(
        self, summaries: list[RoutineSummary] | tuple[()] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._rows = list(summaries)

    def set_summaries(self, summaries: list[RoutineSummary]) -> None:
        """Show ``summaries`` (from ``HistoryStore.routine_summaries``)."""
        self.beginResetModel()
        self._rows = list(summaries)
        self.endResetModel()

    def summary_at(self, row: int) -> RoutineSummary:
        """The routine shown on ``row`` (unsorted order)."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RoutineColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(RoutineColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _ROUTINE_HEADERS[RoutineColumn(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _ROUTINE_TIPS.get(RoutineColumn(section))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        column = RoutineColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case RoutineColumn.ROUTINE:
                    return summary.routine_name
                case RoutineColumn.TIMES_DONE:
                    return str(summary.times_done)
                case RoutineColumn.ATTEMPTS:
                    return str(summary.attempts)
                case RoutineColumn.LAST_DONE:
                    return short_date(summary.last_done)
                case RoutineColumn.COMPLETION:
                    return f"{round(summary.average_completion * 100)}%"
        if role == SORT_ROLE:
            match column:
                case RoutineColumn.ROUTINE:
                    return summary.routine_name.casefold()
                case RoutineColumn.TIMES_DONE:
                    return summary.times_done
                case RoutineColumn.ATTEMPTS:
                    return summary.attempts
                case RoutineColumn.LAST_DONE:
                    return summary.last_done.timestamp()
                case RoutineColumn.COMPLETION:
                    return summary.average_completion
        if role == SESSION_ROLE:
            return summary
        if role == Qt.ItemDataRole.TextAlignmentRole and column != RoutineColumn.ROUTINE:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == RoutineColumn.ROUTINE:
            return f"{summary.routine_name} ({summary.routine_id})"
        return None
