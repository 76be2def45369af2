"""The routine library: every routine with its length and tags, a filter, and the details.

Invalid files are listed too, with the same ``path:line:col`` messages as
``routine-timer validate``, and cannot be started; every valid routine stays
usable beside them.

This is the screen the app opens on, so what runs before its first paint does
without PySide6's ``Qt`` namespace: the first use of any ``Qt.*`` enum makes
PySide6 build all 134 of them. Any one of the tricks below undone builds it, so
they stand or fall together: the plain idioms (``Qt.ItemDataRole`` roles,
``setFilterFixedString`` with ``Qt.CaseInsensitive``, sorting and plain text set
up in ``__init__``, ``setShortcut``) cost ~20 ms at start-up (bench_startup,
three alternated runs of 11: 282-297 ms against 302-341 ms) and pushed the
ratio over its 1.6x target (1.42-1.53x against 1.70-1.82x), Dec 2026. Roles
are numbers, the filter is a case-insensitive pattern, rows are sorted by the
proxy's default order, and :meth:`LibraryView.finish_setup` adds the rest
(clickable sorting, plain-text labels) once the window is up.
``tests/ui/test_startup.py`` keeps it that way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QPalette,
    QShortcut,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core import plan_text
from routine_timer.core.durations import describe, format_clock
from routine_timer.core.library import LibraryEntry
from routine_timer.core.model import Routine
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.ui.theme import readable_hint

# A number, not Qt.ItemDataRole.UserRole: part of the ~20 ms saved (see the module's doc).
USER_ROLE = 0x0100
"""``Qt.ItemDataRole.UserRole``, the first role free for applications."""
PATH_ROLE = USER_ROLE + 1
SORT_ROLE = USER_ROLE + 2
COLUMNS = ("Routine", "Time", "Tags", "Source")
THUMBNAIL_HEIGHT = 72
"""Pixels: an exercise's figure in the routine's details."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(text: object) -> str:
    """``text`` for a label: the bytes of a non-UTF-8 file name shown as "\ufffd".

    Qt silently drops the surrogates Python keeps such bytes as, so ``café``
    in Latin-1 would read ``caf.yaml``: misleading, and never the real name.
    """
    return _SURROGATE.sub("\ufffd", str(text))


def path_key(path: Path) -> str:
    """``path`` as text Qt keeps exactly, to find the entry of a row again.

    A name that is not UTF-8 cannot pass through Qt unchanged; its bytes in hex
    after a NUL (which no real path holds) can, and cannot clash with another.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "\0" + os.fsencode(path).hex()
    return text


class LibraryView(QWidget):
    """The list of routines on the left, the selected one's details and Start on the right."""

    startRequested = Signal(object)
    """:class:`LibraryEntry` to run."""
    editRequested = Signal(object)
    """:class:`LibraryEntry` to open in the built-in editor."""
    duplicateRequested = Signal(object)
    """:class:`LibraryEntry` (bundled) to copy into the user's folder."""
    openExternallyRequested = Signal(object)
    """:class:`LibraryEntry` to open in the system's editor."""

    def __init__(self, parent: QWidget | None = None, *, finish_later: bool = False) -> None:
        """A view ready to use; with ``finish_later``, the owner calls :meth:`finish_setup`."""
        super().__init__(parent)
        self._entries: dict[Path, LibraryEntry] = {}
        self._by_key: dict[str, LibraryEntry] = {}
        self._timelines: dict[Path, Timeline] = {}
        self._finished = False
        self._divider_moved = False
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)  # name, tags and source alike
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.sort(0)  # by name, A to Z (Qt's default order), kept as rows come
        self._build()
        if not finish_later:
            self.finish_setup()

    def finish_setup(self) -> None:
        """Clickable column sorting, and titles and descriptions shown as plain text.

        The parts that need the ``Qt`` namespace (see the module's doc); the main
        window calls this once its first paint is on screen.
        """
        if self._finished:
            return
        self._finished = True
        from PySide6.QtCore import Qt  # noqa: PLC0415 - after the first paint

        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # A routine's name or description is shown as written, even if it looks like HTML.
        for label in (self.title, self.summary, self.description):
            label.setTextFormat(Qt.TextFormat.PlainText)
        # The exercises' figures are painted with the Qt namespace too: shown from now on.
        self._show_entry(self.current_entry())

    # --- layout ---------------------------------------------------------------

    def _build(self) -> None:
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name or tag (Ctrl+F)")
        # The style's default grey for hints is under AA (4.0:1 on white).
        palette = self.filter.palette()
        hint = readable_hint(
            palette.color(QPalette.ColorRole.Text).name(),
            palette.color(QPalette.ColorRole.Base).name(),
        )
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(hint))
        self.filter.setPalette(palette)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.filter.setFocus)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # Names, times and sources are always shown whole; the tags take what is left
        # (cut short with "…" in a narrow window; the details repeat them in full).
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # The list asks for the width of its columns, so the splitter gives it that first.
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.table.activated.connect(lambda _index: self._start_current())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.table)

        self.title = QLabel()
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.description = QLabel()
        self.description.setWordWrap(True)
        # A thumbnail of each exercise's figure or picture, in the routine's order.
        self.exercise_strip = QScrollArea()
        self.exercise_strip.setWidgetResizable(True)
        self.exercise_strip.setFixedHeight(THUMBNAIL_HEIGHT + 48)
        self.exercise_strip.hide()

        self.timeline = QTreeWidget()
        self.timeline.setHeaderLabels(["Start", "Kind", "Length", "Step"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setAlternatingRowColors(True)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.errors.setFont(QFont("monospace"))
        self.details_stack = QStackedWidget()
        self.details_stack.addWidget(self.timeline)
        self.details_stack.addWidget(self.errors)

        self.start_button = QPushButton("Start (Enter)")
        start_font = QFont(self.font())
        start_font.setPointSizeF(start_font.pointSizeF() * 1.6)
        start_font.setBold(True)
        self.start_button.setFont(start_font)
        self.start_button.setMinimumHeight(56)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self._start_current)
        self.edit_button = QPushButton("Edit")
        self.edit_button.clicked.connect(lambda: self._emit_current(self.editRequested))
        self.duplicate_button = QPushButton("Duplicate to edit")
        self.duplicate_button.clicked.connect(lambda: self._emit_current(self.duplicateRequested))
        self.open_button = QPushButton("Open in editor")
        self.open_button.clicked.connect(lambda: self._emit_current(self.openExternallyRequested))
        actions = QHBoxLayout()
        for button in (self.edit_button, self.duplicate_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.description)
        right_layout.addWidget(self.exercise_strip)
        right_layout.addWidget(self.details_stack, 1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.start_button)

        self.splitter = splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        # Once the runner moves the divider, it stays where they put it.
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_divider_moved", True))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_entry(None)

    def _filter_changed(self, text: str) -> None:
        pattern = QRegularExpression(
            QRegularExpression.escape(text),
            QRegularExpression.PatternOption.CaseInsensitiveOption,
        )
        self.proxy.setFilterRegularExpression(pattern)

    # --- content --------------------------------------------------------------

    def set_entries(self, entries: Sequence[LibraryEntry]) -> None:
        """Show ``entries``, keeping the selected routine selected when it is still there."""
        selected = self.current_entry()
        self._entries = {entry.path: entry for entry in entries}
        self._by_key = {path_key(entry.path): entry for entry in entries}
        self._timelines = {
            entry.path: build_timeline(entry.routine)
            for entry in entries
            if entry.routine is not None and entry.valid
        }
        self.model.removeRows(0, self.model.rowCount())
        for entry in entries:
            self.model.appendRow(self._row(entry))
        if not self.select_path(selected.path if selected else None) and self.proxy.rowCount():
            self.table.selectRow(0)
        if not self.proxy.rowCount():
            self._show_entry(None)
        self.fit_list()

    def fit_list(self) -> None:
        """Give the list the width of all its columns, tags too, up to half the view.

        The details on the right need less than they ask for (the figures scroll,
        the timeline's steps elide), and tags cut down to "c…" tell nothing.
        """
        total = self.splitter.width()
        if self._divider_moved or not total or not self.isVisible():
            return
        table = self.table
        wanted = sum(table.sizeHintForColumn(column) for column in range(len(COLUMNS)))
        wanted += table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + 4
        left = min(max(wanted, self.filter.minimumSizeHint().width()), total // 2)
        self.splitter.setSizes([left, total - self.splitter.handleWidth() - left])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_list()

    def _row(self, entry: LibraryEntry) -> list[QStandardItem]:
        timeline = self._timelines.get(entry.path)
        if timeline is not None and entry.routine is not None:
            time_text = plan_text.short_total(timeline)
            time_key: float = timeline.total_seconds
            tags = ", ".join(entry.routine.tags)
        else:
            time_text, time_key, tags = "invalid", -1.0, ""
        # The file name, not the whole path: a long path would squeeze the names out of
        # view. The full path is in the tooltip.
        source = "bundled" if entry.bundled else shown(entry.path.name)
        name = shown(entry.name)
        cells = [
            (name, name.casefold()),
            (time_text, time_key),
            (tags, tags),
            (source, source),
        ]
        row = []
        for text, key in cells:
            item = QStandardItem(text)
            item.setData(path_key(entry.path), PATH_ROLE)
            item.setData(key, SORT_ROLE)
            if not entry.valid:
                item.setToolTip("\n".join(shown(error) for error in entry.problems))
            else:
                item.setToolTip("\n".join([shown(entry.path), *map(shown, entry.warnings)]))
            row.append(item)
        if not entry.valid:
            row[0].setText(f"⚠ {name}")
        return row

    def entries(self) -> list[LibraryEntry]:
        return list(self._entries.values())

    def current_entry(self) -> LibraryEntry | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self._by_key.get(index.data(PATH_ROLE))

    def select_path(self, path: Path | None) -> bool:
        """Select the routine of ``path``; False when it is not listed (or filtered out)."""
        if path is None:
            return False
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(PATH_ROLE) == path_key(path):
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                return True
        return False

    def select_id(self, routine_id: str) -> bool:
        for entry in self._entries.values():
            if entry.id == routine_id:
                return self.select_path(entry.path)
        return False

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self._by_key.get(current.data(PATH_ROLE)) if current.isValid() else None
        self._show_entry(entry)

    def _show_entry(self, entry: LibraryEntry | None) -> None:
        valid = entry is not None and entry.valid
        self.start_button.setEnabled(valid)
        self.edit_button.setEnabled(entry is not None and not entry.bundled)
        self.duplicate_button.setEnabled(valid and entry is not None and entry.bundled)
        self.open_button.setEnabled(entry is not None and not entry.bundled)
        self._fill_thumbnails(entry.routine if entry is not None and entry.valid else None)
        if entry is None:
            self.title.setText("No routine selected")
            self.summary.setText("")
            self.description.setText("")
            self.timeline.clear()
            self.details_stack.setCurrentWidget(self.timeline)
            return
        self.title.setText(shown(entry.name))
        if entry.routine is None or not entry.valid:
            count = len(entry.errors)
            self.summary.setText(
                f"This file has {count} problem{'s' if count != 1 else ''} and cannot be "
                f"started until they are fixed.\n{shown(entry.path)}"
            )
            self.description.setText("")
            self.errors.setPlainText("\n".join(shown(error) for error in entry.problems))
            self.details_stack.setCurrentWidget(self.errors)
            return
        routine = entry.routine
        timeline = self._timelines[entry.path]
        summary = f"{describe(timeline.total_seconds)}"
        if timeline.manual_steps:
            sets = "set" if timeline.manual_steps == 1 else "sets"
            summary += f" + {timeline.manual_steps} untimed {sets} at your own pace"
        count = len(routine.exercises)
        summary += f" · {count} exercise{'s' if count != 1 else ''}"
        if routine.rounds > 1:
            summary += f" · {routine.rounds} rounds"
        if routine.tags:
            summary += " · " + ", ".join(routine.tags)
        if entry.warnings:
            # It can be started; a likely mistake (time: 1.30 is 1.3 s) is still worth a look.
            summary += "\n" + "\n".join(f"⚠ {shown(warning)}" for warning in entry.warnings)
        self.summary.setText(summary)
        self.description.setText(routine.description)
        self._fill_timeline(timeline)
        self.details_stack.setCurrentWidget(self.timeline)

    def _fill_thumbnails(self, routine: Routine | None) -> None:
        pictured = (
            []
            if routine is None
            else [
                exercise
                for exercise in routine.exercises
                if exercise.figure is not None or exercise.image is not None
            ]
        )
        if not pictured or not self._finished:
            self.exercise_strip.hide()
            self.exercise_strip.takeWidget()
            return
        from routine_timer.ui.figure_view import FigurePanel  # noqa: PLC0415 - after the first paint

        strip = QWidget()
        row = QHBoxLayout(strip)
        row.setContentsMargins(0, 0, 0, 0)
        for exercise in pictured:
            cell = QVBoxLayout()
            thumbnail = FigurePanel()
            thumbnail.setFixedSize(THUMBNAIL_HEIGHT * 4 // 3, THUMBNAIL_HEIGHT)
            thumbnail.show_exercise(exercise)
            thumbnail.setToolTip(shown(exercise.name))
            name = QLabel(shown(exercise.name))
            name.setWordWrap(True)
            name.setMaximumWidth(THUMBNAIL_HEIGHT * 4 // 3)
            cell.addWidget(thumbnail)
            cell.addWidget(name)
            row.addLayout(cell)
        row.addStretch(1)
        self.exercise_strip.setWidget(strip)
        self.exercise_strip.show()

    def thumbnails(self) -> list[str]:
        """The exercises shown as thumbnails, by name (for tests and accessibility)."""
        strip = self.exercise_strip.widget()
        if strip is None or self.exercise_strip.isHidden():
            return []
        return [label.text() for label in strip.findChildren(QLabel)]

    def _fill_timeline(self, timeline: Timeline) -> None:
        self.timeline.clear()
        items = [QTreeWidgetItem(list(row)) for row in plan_text.timeline_rows(timeline)]
        total = QTreeWidgetItem(["", "", format_clock(timeline.total_seconds), "Total"])
        bold = QFont(self.font())
        bold.setBold(True)
        for column in range(4):
            total.setFont(column, bold)
        items.append(total)
        self.timeline.addTopLevelItems(items)
        for column in range(3):
            self.timeline.resizeColumnToContents(column)

    def timeline_rows(self) -> list[tuple[str, str, str, str]]:
        """What the timeline pane lists (for tests and accessibility)."""
        rows = []
        for index in range(self.timeline.topLevelItemCount()):
            item = self.timeline.topLevelItem(index)
            assert item is not None  # index < topLevelItemCount()
            rows.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return rows

    # --- actions --------------------------------------------------------------

    def _start_current(self) -> None:
        entry = self.current_entry()
        if entry is not None and entry.valid:
            self.startRequested.emit(entry)

    def _emit_current(self, signal: SignalInstance) -> None:
        entry = self.current_entry()
        if entry is not None:
            signal.emit(entry)
