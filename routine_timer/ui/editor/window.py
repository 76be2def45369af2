"""The built-in routine editor: YAML text on the left, the live timeline on the right.

Working on a routine should feel like working with a good compiler: every
problem the app would report is underlined where it is, explained on hover
and listed below the text (click to jump there), and the timeline with its
total time follows the text as it is typed.

Typing never waits for checking. A keystroke only restarts a short timer;
when typing pauses, a copy of the text is checked on a worker thread
(parsing, the timeline, the underlines' positions and the preview's rows,
see ``ui.editor.context.check_text``) and the result comes back by a queued
signal. A result for text that has changed since is dropped, and at most one
check runs per editor: a pause during a check queues one more, for the
newest text.

Saving writes the file atomically and keeps the text exactly as written:
comments, layout, line endings and a byte-order mark included.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final, overload

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolTip,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core.authoring import atomic_write_text
from routine_timer.core.errors import RoutineError
from routine_timer.core.files import read_user_file
from routine_timer.core.loader import MAX_FILE_BYTES
from routine_timer.core.plan import Timeline
from routine_timer.paths import os_reason
from routine_timer.ui.editor.context import (
    INDENT,
    CheckResult,
    Completion,
    check_text,
    completion_at,
    dedent_width,
    new_line_indent,
    unified_diff,
)
from routine_timer.ui.editor.highlighter import YamlHighlighter
from routine_timer.ui.editor.schema import Choice
from routine_timer.ui.theme import readable_hint

CHECK_DELAY_MS: Final = 250
"""How long typing must pause before the text is checked and the preview redrawn."""
MAX_PREVIEW_ROWS: Final = 2000
"""Steps listed in the preview; a longer timeline ends with a "... more" row (totals stay exact)."""
MAX_SHOWN_PROBLEMS: Final = 500
"""Problems listed and underlined; the count above the list stays exact.

Each one is a list row and two underline ranges that Qt re-lays out, so a
file with tens of thousands of mistakes would otherwise stall the window
every time it is checked."""
MAX_POPUP_WIDTH: Final = 640
"""Widest the completion list grows (pixels); a longer description is cut with "…"."""
_ERROR_COLOUR: Final = QColor("#D32F2F")
_ERROR_LINE: Final = QColor(211, 47, 47, 28)
_WARNING_COLOUR: Final = QColor("#B26A00")
"""Amber, apart from the red of errors: the routine can still be started."""
_WARNING_LINE: Final = QColor(237, 160, 0, 28)


class Diagnostic:
    """One problem as the editor shows it: the loader's error and where it sits in the text."""

    __slots__ = ("end", "error", "start")

    def __init__(self, error: RoutineError, start: int, end: int) -> None:
        self.error = error
        self.start = start
        """Document position (UTF-16) of the first underlined character."""
        self.end = end

    @property
    def message(self) -> str:
        return self.error.message

    @property
    def line(self) -> int:
        return self.error.line

    @property
    def col(self) -> int:
        return self.error.col

    @property
    def colour(self) -> QColor:
        """Red for an error, amber for a warning."""
        return _WARNING_COLOUR if self.error.is_warning else _ERROR_COLOUR

    def covers(self, position: int) -> bool:
        return self.start <= position <= max(self.end, self.start + 1)


class _Mailbox(QObject):
    """Carries check results from worker threads to the editor, until the editor is gone.

    The editor closes it as it is destroyed; a worker that finishes later
    finds it closed and drops its result instead of signalling a deleted object.
    """

    arrived = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._open = True

    def check(
        self, text: str, path: Path, generation: int, owners: Mapping[str, Path] | None = None
    ) -> None:
        """Check ``text`` (on the calling thread, normally a worker) and post the result."""
        result = check_text(text, path, generation, max_rows=MAX_PREVIEW_ROWS, owners=owners)
        with self._lock:
            if self._open:
                # Across threads, so queued: the editor's slot runs on the GUI thread.
                self.arrived.emit(result)

    def close(self) -> None:
        with self._lock:
            self._open = False


class _DocumentLines(Sequence[str]):
    """The lines of a text document, each read when asked for (Qt finds a line in log time)."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document

    def __len__(self) -> int:
        return self._document.blockCount()

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._document.findBlockByNumber(index).text()


def _relative_name(path: Path, folder: Path | None) -> str:
    """``path`` inside ``folder`` (``core.yaml``, ``physio/core.yaml``), else its file name."""
    if folder is not None:
        for inside, base in ((path, folder), (path.absolute(), folder.absolute())):
            if inside.is_relative_to(base):
                return inside.relative_to(base).as_posix()
    return path.name


def popup_of(completer: QCompleter) -> QAbstractItemView:
    """The completer's list; Qt makes one on first use, so there always is one."""
    popup = completer.popup()
    assert popup is not None
    return popup


class _DiffColours(QSyntaxHighlighter):
    """Lines taken out in red, lines added in green, the ``@@`` headers in blue."""

    _COLOURS: Final = (
        ("+++", None),
        ("---", None),
        ("@@", "#1F4E9E"),
        ("+", "#1C7A32"),
        ("-", "#B3261E"),
    )

    def highlightBlock(self, text: str) -> None:
        for start, colour in self._COLOURS:
            if text.startswith(start):
                if colour is not None:
                    line = QTextCharFormat()
                    line.setForeground(QColor(colour))
                    self.setFormat(0, len(text), line)
                return


class _DiffDialog(QDialog):
    """The file on disk against the text in the editor, read-only, with the two ways out."""

    def __init__(self, editor: RoutineEditor, diff: str) -> None:
        super().__init__(editor)
        self.setWindowTitle(f"{editor.display_name}: on disk and here")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("diff")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setPlainText(diff)
        _DiffColours(self.view.document())
        note = QLabel(
            "Lines starting with - are only in the file on disk, lines starting with + "
            "only in your text here.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.reload_button = buttons.addButton(
            "&Reload from disk", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_button = buttons.addButton("&Keep mine", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)  # Enter only looks; it never replaces either text
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)


class CodeEdit(QPlainTextEdit):
    """The text pane: tooltips for the diagnostics under the mouse, and key completion."""

    def __init__(self, owner: RoutineEditor) -> None:
        super().__init__(owner)
        self._owner = owner
        self.completer = QCompleter(self)
        # Each word beside what the schema says about it; the whole description on hover.
        self.completer.setModel(QStandardItemModel(0, 2, self.completer))
        popup = QTreeView()
        popup.setHeaderHidden(True)
        popup.setRootIsDecorated(False)
        popup.setUniformRowHeights(True)
        popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.completer.setPopup(popup)  # the completer takes it over
        self.completer.setCompletionColumn(0)
        self.completer.setWidget(self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        self.completer.activated.connect(self._owner.insert_completion)  # the text, not the index

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            position = self.cursorForPosition(event.pos()).position()
            text = self._owner.tooltip_at(position)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = popup_of(self.completer)
        if popup.isVisible() and event.key() in (
            Qt.Key.Key_Enter,
            Qt.Key.Key_Return,
            Qt.Key.Key_Escape,
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            event.ignore()  # the completer's popup takes these
            return
        if not self.isReadOnly() and self._edit_indentation(event):
            return
        forced = (
            event.key() == Qt.Key.Key_Space
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if not forced:
            super().keyPressEvent(event)
        if self.isReadOnly():
            return
        typed = event.text()
        if forced or (typed and (typed.isalnum() or typed in "_ ")):
            self._owner.update_completion(forced=bool(forced))
        elif popup.isVisible() and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._owner.update_completion(forced=False)
        elif popup.isVisible():
            popup.hide()

    # -- indentation: spaces only, two per level ---------------------------------

    def text_before_cursor(self) -> str:
        """The cursor's line up to the cursor (Qt counts UTF-16 units, Python characters)."""
        cursor = self.textCursor()
        units = cursor.block().text().encode("utf-16-le")[: cursor.positionInBlock() * 2]
        return units.decode("utf-16-le", errors="ignore")

    def _edit_indentation(self, event: QKeyEvent) -> bool:
        """Enter, Tab, Shift+Tab and Backspace as YAML wants them; True when handled."""
        key = event.key()
        others = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if others & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Ctrl+Enter, Ctrl+Tab (focus) ... keep their usual meaning
        cursor = self.textCursor()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._new_line(cursor)
        elif key == Qt.Key.Key_Backtab:
            self._shift_lines(cursor, dedent=True)
        elif key == Qt.Key.Key_Tab:
            if self._spans_lines(cursor):
                self._shift_lines(cursor, dedent=False)
            else:
                column = len(self.text_before_cursor())
                cursor.insertText(" " * (INDENT - column % INDENT))
        elif key == Qt.Key.Key_Backspace and not cursor.hasSelection():
            before = self.text_before_cursor()
            if not before or before.strip(" "):
                return False
            cursor.movePosition(
                QTextCursor.MoveOperation.Left,
                QTextCursor.MoveMode.KeepAnchor,
                dedent_width(len(before)),
            )
            cursor.removeSelectedText()
        else:
            return False
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True

    def _new_line(self, cursor: QTextCursor) -> None:
        indent = new_line_indent(self.text_before_cursor())
        cursor.beginEditBlock()
        if not cursor.hasSelection():
            # Spaces after the cursor would push the rest of the line past the indentation.
            rest = cursor.block().text()[cursor.positionInBlock() :]
            cursor.movePosition(
                QTextCursor.MoveOperation.Right,
                QTextCursor.MoveMode.KeepAnchor,
                len(rest) - len(rest.lstrip(" ")),
            )
        cursor.insertText("\n" + " " * indent)
        cursor.endEditBlock()

    @staticmethod
    def _spans_lines(cursor: QTextCursor) -> bool:
        document = cursor.document()
        return document.findBlock(cursor.selectionStart()) != document.findBlock(
            cursor.selectionEnd()
        )

    def _shift_lines(self, cursor: QTextCursor, *, dedent: bool) -> None:
        """Indent (or dedent) by one level every line the selection touches, or the cursor's."""
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        if last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line's start leaves that line alone
        edit = QTextCursor(document)
        edit.beginEditBlock()
        block = first
        while block.isValid():
            text = block.text()
            edit.setPosition(block.position())
            if dedent:
                edit.movePosition(
                    QTextCursor.MoveOperation.Right,
                    QTextCursor.MoveMode.KeepAnchor,
                    dedent_width(len(text) - len(text.lstrip(" "))),
                )
                edit.removeSelectedText()
            elif text.strip() or first == last:
                edit.insertText(" " * INDENT)
            if block == last:
                break
            block = block.next()
        edit.endEditBlock()


class RoutineEditor(QWidget):
    """Edit one routine file, with diagnostics and a live timeline.

    Use it as a window of its own (closing asks about unsaved changes) or
    embed it; then call :meth:`maybe_close` before taking it away.
    """

    saved = Signal(Path)
    """The file was written (its path)."""
    modified_changed = Signal(bool)
    duplicate_requested = Signal(Path)
    """The user asked for an editable copy of this read-only (bundled) routine."""
    checked = Signal()
    """The text was checked: diagnostics and preview are up to date."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
        check_delay_ms: int = CHECK_DELAY_MS,
        routines_dir: Path | None = None,
        id_owners: Callable[[], Mapping[str, Path]] | None = None,
    ) -> None:
        """``routines_dir``: the folder the file is shown relative to (else by its name)."""
        super().__init__(parent)
        self._path = path
        self.display_name = _relative_name(path, routines_dir)
        """The file as the editor names it: its path inside the routines folder."""
        self._id_owners = id_owners
        """The library's ids and their files, asked at each check (ids must be unique)."""
        self._read_only = read_only
        self._diagnostics: list[Diagnostic] = []
        self._problem_count = 0
        self._timeline: Timeline | None = None
        self._last_good: CheckResult | None = None
        self._generation = 0
        """Counts changes of the text; a check result for an older count is stale."""
        self._shown_generation = -1
        self._checking = False
        self._check_again = False
        self._mailbox = _Mailbox(self)
        self._mailbox.arrived.connect(self._on_checked)
        mailbox = self._mailbox
        self.destroyed.connect(lambda *_: mailbox.close())
        self._newline = "\n"
        self._bom = ""
        self._disk: bytes | None = None
        self._completion: Completion | None = None
        self._offered: tuple[Choice, ...] = ()
        """The words in the completer's model, as last filled."""

        self._code = CodeEdit(self)
        self._code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._code.setFont(font)
        self._code.setTabStopDistance(self._code.fontMetrics().horizontalAdvance(" ") * 2)
        self._highlighter = YamlHighlighter(self._code.document(), self._code.palette())

        self.problems = QListWidget(self)
        self.problems.setObjectName("problems")
        # A long message wraps onto more lines instead of running out of sight.
        self.problems.setWordWrap(True)
        self.problems.setResizeMode(QListView.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.itemActivated.connect(self._jump_to_item)
        self.problems.itemClicked.connect(self._jump_to_item)
        self._problems_label = QLabel(self)

        self.preview = QTreeWidget(self)
        self.preview.setObjectName("preview")
        self.preview.setRootIsDecorated(False)
        self.preview.setUniformRowHeights(True)
        self.preview.setHeaderLabels(["Start", "Kind", "Length", "Step"])
        header = self.preview.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._total = QLabel(self)
        self._total.setObjectName("total")
        self._total.setWordWrap(True)
        total_font = QFont(self._total.font())
        total_font.setBold(True)
        self._total.setFont(total_font)
        self._preview_note = QLabel(self)
        self._preview_note.setWordWrap(True)

        self._save_button = QPushButton("&Save", self)
        self._save_button.clicked.connect(self.save)
        self._status = QLabel(self)
        self._position = QLabel(self)
        self._position.setObjectName("position")
        self._status.setObjectName("status")
        self._duplicate_button = QPushButton("&Duplicate to edit", self)
        self._duplicate_button.clicked.connect(lambda: self.duplicate_requested.emit(self._path))
        self.save_action = QAction("Save", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)

        self._kept: bytes | None = None
        """The file on disk the user chose to keep this text over (Keep mine)."""
        self.disk_bar = QFrame(self)
        self.disk_bar.setObjectName("disk_bar")
        self.disk_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.disk_bar.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.disk_bar.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.disk_bar.setAutoFillBackground(True)
        self._disk_label = QLabel(self.disk_bar)
        self._disk_label.setWordWrap(True)
        self._disk_label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.reload_button = QPushButton("&Reload", self.disk_bar)
        self.reload_button.setToolTip("Show the file as it is on disk (Undo brings your text back)")
        self.reload_button.clicked.connect(self.reload_from_disk)
        self.keep_button = QPushButton("&Keep mine", self.disk_bar)
        self.keep_button.setToolTip("Keep your text; saving replaces the file on disk")
        self.keep_button.clicked.connect(self.keep_mine)
        self.compare_button = QPushButton("Com&pare\u2026", self.disk_bar)
        self.compare_button.clicked.connect(self.compare_with_disk)
        disk_layout = QHBoxLayout(self.disk_bar)
        disk_layout.addWidget(self._disk_label, 1)
        for button in (self.reload_button, self.keep_button, self.compare_button):
            disk_layout.addWidget(button)
        self.disk_bar.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(check_delay_ms)
        self._timer.timeout.connect(self.check_later)

        self._build_layout()
        self._load()
        document = self._code.document()
        document.contentsChanged.connect(self._on_text_changed)
        document.modificationChanged.connect(self._on_modification_changed)
        self._code.cursorPositionChanged.connect(self._show_position)
        self._show_position()
        self._code.setReadOnly(self._read_only)
        self._save_button.setVisible(not self._read_only)
        self.save_action.setEnabled(not self._read_only)
        self._duplicate_button.setVisible(read_only)
        self._on_modification_changed(False)
        self._problems_label.setText("Checking\u2026")
        self.check_later()

    # -- layout ----------------------------------------------------------------

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self._save_button)
        bar.addWidget(self._duplicate_button)
        bar.addWidget(self._status, 1)
        bar.addWidget(self._position)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_split = QSplitter(Qt.Orientation.Vertical, left)
        left_split.addWidget(self._code)
        problems = QWidget(left_split)
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(self._problems_label)
        problems_layout.addWidget(self.problems)
        left_split.addWidget(problems)
        left_split.setStretchFactor(0, 1)
        left_split.setStretchFactor(1, 0)
        left_split.setSizes([600, 110])
        left_layout.addWidget(left_split)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Timeline", right)
        title_font = QFont(title.font())
        title_font.setBold(True)
        title.setFont(title_font)
        right_layout.addWidget(title)
        right_layout.addWidget(self._preview_note)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self._total)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.disk_bar)
        layout.addWidget(split, 1)

    # -- the file --------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def code(self) -> CodeEdit:
        """The text pane."""
        return self._code

    def _show_position(self) -> None:
        # Line and column as the problem list counts them.
        cursor = self._code.textCursor()
        self._position.setText(
            f"Line {cursor.blockNumber() + 1}, column {cursor.positionInBlock() + 1}"
        )

    # -- the file on disk ---------------------------------------------------------

    def follow_disk(self) -> None:
        """Take in what another program did to the file since it was read or saved here.

        Connect it to the routines folder watcher. A file changed on disk is
        reloaded when nothing here is unsaved (the cursor stays where it was);
        with unsaved edits, the bar above the text offers to reload it, keep
        this version or compare the two. A file deleted on disk is said to
        be; the text stays, and Save writes it again.
        """
        if self._read_only:
            return
        try:
            # Never a plain read: a file replaced by a named pipe would hang the window.
            data: bytes | None = read_user_file(self._path)
        except FileNotFoundError:
            data = None
        except OSError:
            return  # cannot tell now; the next change is another chance
        if data == self._disk:
            self._show_disk_bar("")
        elif data is None:
            self._code.document().setModified(True)  # the text is only here now
            self._show_disk_bar(
                f"{self.display_name} was deleted by another program. Your text is kept "
                "here; Save writes the file again.",
                choices=False,
            )
        elif not self.is_modified:
            self._reload(data)
        elif data != self._kept:
            self._show_disk_bar(
                f"{self.display_name} was changed by another program, and you have changes "
                "here that are not saved."
            )

    def reload_from_disk(self) -> None:
        """Show the file as it is on disk now (Undo brings the text back)."""
        try:
            data = read_user_file(self._path)
        except OSError as error:
            self._show_disk_bar(
                f"{self.display_name} cannot be read: {os_reason(error)}.", choices=False
            )
            return
        self._reload(data)

    def _reload(self, data: bytes) -> None:
        """Show ``data`` as the file's text, keeping the cursor's line and column."""
        cursor = self._code.textCursor()
        line, column = cursor.blockNumber(), cursor.positionInBlock()
        scrolled = self._code.verticalScrollBar().value()
        self._load(data, undoable=True)
        block = self._code.document().findBlockByNumber(line)
        if not block.isValid():
            block = self._code.document().lastBlock()
        cursor.setPosition(block.position() + min(column, block.length() - 1))
        self._code.setTextCursor(cursor)
        self._code.verticalScrollBar().setValue(scrolled)
        self._kept = None
        self._show_disk_bar("")
        self._on_modification_changed(False)  # a file that became unreadable says so
        self.check_later()

    def keep_mine(self) -> None:
        """Keep the text here over the file changed on disk; saving replaces it without asking."""
        self._kept = self._disk_now()
        self._show_disk_bar("")

    def compare_with_disk(self) -> QDialog:
        """Show how the file on disk differs from the text here, as a unified diff."""
        data = self._disk_now() or b""
        disk = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        diff = unified_diff(disk.replace("\r\n", "\n"), self.text(), self.display_name)
        dialog = _DiffDialog(self, diff or "The file on disk and the text here are the same.")
        dialog.reload_button.clicked.connect(self.reload_from_disk)
        dialog.keep_button.clicked.connect(self.keep_mine)
        dialog.open()
        return dialog

    def _disk_now(self) -> bytes | None:
        try:
            return read_user_file(self._path)
        except OSError:
            return None

    def _show_disk_bar(self, message: str, *, choices: bool = True) -> None:
        """Say what happened to the file on disk, or hide the bar (``""``)."""
        self._disk_label.setText(message)
        for button in (self.reload_button, self.keep_button, self.compare_button):
            button.setVisible(choices)
        self.disk_bar.setVisible(bool(message))

    @property
    def disk_message(self) -> str:
        """What the bar above the text says about the file on disk ("" when hidden)."""
        return self._disk_label.text() if not self.disk_bar.isHidden() else ""

    def _load(self, data: bytes | None = None, *, undoable: bool = False) -> None:
        if data is None:
            try:
                data = read_user_file(self._path)
            except OSError as error:
                data = b""
                self._read_only = True
                self._status_error = f"Cannot read the file: {os_reason(error)}."
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Shown, but never saved back: that would change bytes the user cannot see.
            text = data.decode("utf-8", errors="replace")
            self._read_only = True
            self._status_error = "This file is not UTF-8 text; fix it in another editor."
        self._limit_large_file(len(data))
        self._disk = data
        self._bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text.removeprefix("\ufeff")
        self._newline = "\r\n" if "\r\n" in text else "\n"
        # Not under a signal blocker: the highlighter listens to the document too.
        if undoable:
            self.set_text(text.replace("\r\n", "\n"))
        else:
            self._code.setPlainText(text.replace("\r\n", "\n"))
        self._code.setReadOnly(self._read_only)
        self._code.document().setModified(False)

    def _limit_large_file(self, size: int) -> None:
        # The loader refuses a file this large anyway; colouring it line by line
        # in Python would freeze the window for seconds (4 MB: 6 s), so it is
        # shown as plain, read-only text, as a bare text box would show it.
        if size <= MAX_FILE_BYTES:
            return
        self._highlighter.setDocument(None)
        self._read_only = True
        self._status_error = (
            f"This file is {size / 2**20:.1f} MiB; a routine file may be at most 1 MiB, "
            "so it is shown read-only and without colours. Shorten it in another editor."
        )

    def text(self) -> str:
        """The text as the user sees it (lines end in ``\\n``)."""
        raw = self._code.document().toRawText()
        # toPlainText() would turn no-break spaces into spaces; the raw text
        # keeps them, with the paragraph separator Qt puts between lines.
        return raw.replace("\u2029", "\n")

    def set_text(self, text: str) -> None:
        """Replace the whole text, as typing would (undoable, marks the file modified)."""
        cursor = QTextCursor(self._code.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)

    def file_text(self) -> str:
        """The text exactly as it will be written: original line endings and BOM."""
        return self._bom + self.text().replace("\n", self._newline)

    @property
    def is_modified(self) -> bool:
        return self._code.document().isModified()

    def save(self) -> bool:
        """Write the file atomically; True when saved (or nothing to save)."""
        if self._read_only:
            return False
        try:
            on_disk: bytes | None = read_user_file(self._path)
        except FileNotFoundError:
            on_disk = None
        except OSError:
            on_disk = self._disk
        if on_disk not in (None, self._disk, self._kept) and self._disk is not None:
            answer = QMessageBox.question(
                self,
                "File changed on disk",
                f"{self.display_name} was changed by another program since it was opened "
                "here. Save anyway and replace those changes?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Save:
                return False
        data = self.file_text()
        try:
            atomic_write_text(self._path, data)
        except OSError as error:
            QMessageBox.warning(
                self,
                "Not saved",
                f"{self.display_name} could not be saved: {os_reason(error)}. "
                "The file on disk is unchanged.",
            )
            return False
        self._disk = data.encode("utf-8")
        self._kept = None
        self._show_disk_bar("")
        self._code.document().setModified(False)
        self.saved.emit(self._path)
        return True

    def maybe_close(self) -> bool:
        """Ask about unsaved changes; True when the editor may close."""
        if not self.is_modified or self._read_only:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{self.display_name} has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_close():
            event.accept()
        else:
            event.ignore()

    def _on_modification_changed(self, modified: bool) -> None:
        self.setWindowTitle(f"{self.display_name}[*] - routine editor")
        self.setWindowModified(modified)
        error = getattr(self, "_status_error", None)
        if error:
            self._status.setText(error)
        elif self._read_only:
            self._status.setText(
                "This routine ships with the app and cannot be changed here. "
                "Duplicate it to make your own version."
            )
        else:
            self._status.setText(
                f"{self.display_name} \u2022 unsaved changes"
                if modified
                else f"{self.display_name}"
            )
        self.modified_changed.emit(modified)

    # -- checking --------------------------------------------------------------

    def _on_text_changed(self) -> None:
        # All a keystroke costs: results for the text before it are now stale.
        self._generation += 1
        self._timer.start()

    def check_later(self) -> None:
        """Check the current text on a worker thread; :attr:`checked` is emitted with the result."""
        self._timer.stop()
        if self._checking:
            self._check_again = True  # once the running check is back, for the newest text
            return
        self._checking = True
        worker = threading.Thread(
            target=self._mailbox.check,
            args=(self.text(), self._path, self._generation, self._owners()),
            name="routine-check",
            daemon=True,  # a check left running never holds up quitting
        )
        worker.start()

    def check_now(self) -> None:
        """Check the text on this thread, now, and redraw (normally done by :meth:`check_later`)."""
        self._timer.stop()
        self._show_result(
            check_text(
                self.text(),
                self._path,
                self._generation,
                max_rows=MAX_PREVIEW_ROWS,
                owners=self._owners(),
            )
        )

    def _owners(self) -> Mapping[str, Path] | None:
        return None if self._id_owners is None else dict(self._id_owners())

    def _on_checked(self, result: CheckResult) -> None:
        self._checking = False
        if self._check_again:
            self._check_again = False
            self.check_later()
        self._show_result(result)

    def _show_result(self, result: CheckResult) -> None:
        if result.generation != self._generation or result.generation == self._shown_generation:
            return  # the text has changed since (a newer check follows), or it is shown already
        self._shown_generation = result.generation
        self._timeline = result.timeline
        if result.timeline is not None:
            self._last_good = result
        self._set_diagnostics(result)
        self._show_preview(result)
        self.checked.emit()

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(self._diagnostics)

    @property
    def timeline(self) -> Timeline | None:
        """The timeline of the text as last checked; None while it has errors."""
        return self._timeline

    @property
    def preview_total_seconds(self) -> float | None:
        return None if self._timeline is None else self._timeline.total_seconds

    def _set_diagnostics(self, result: CheckResult) -> None:
        last = self._code.document().characterCount() - 1
        diagnostics: list[Diagnostic] = []
        for error, (start, span_end) in zip(
            result.errors[:MAX_SHOWN_PROBLEMS], result.spans, strict=False
        ):
            end = min(span_end, last)
            diagnostics.append(Diagnostic(error, min(start, end), end))
        self._diagnostics = diagnostics
        self._problem_count = len(result.errors)
        self._code.setExtraSelections(self._selections())
        self._show_problems()

    def _selections(self) -> list[QTextEdit.ExtraSelection]:
        selections: list[QTextEdit.ExtraSelection] = []
        document = self._code.document()
        lines_done: set[int] = set()
        for diagnostic in self._diagnostics:
            block = document.findBlock(diagnostic.start)
            if block.blockNumber() not in lines_done:
                lines_done.add(block.blockNumber())
                line = QTextEdit.ExtraSelection()
                line.cursor = QTextCursor(block)
                line_format = QTextCharFormat()
                line_format.setBackground(
                    _WARNING_LINE if diagnostic.error.is_warning else _ERROR_LINE
                )
                line_format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                line.format = line_format
                selections.append(line)
            if diagnostic.end > diagnostic.start:
                underline = QTextEdit.ExtraSelection()
                cursor = QTextCursor(document)
                cursor.setPosition(diagnostic.start)
                cursor.setPosition(diagnostic.end, QTextCursor.MoveMode.KeepAnchor)
                underline.cursor = cursor
                char_format = QTextCharFormat()
                char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                char_format.setUnderlineColor(diagnostic.colour)
                char_format.setToolTip(diagnostic.message)
                underline.format = char_format
                selections.append(underline)
        return selections

    def underlines(self) -> list[tuple[int, int, str]]:
        """(start, end, message) of every wavy underline in the text pane."""
        found = []
        for selection in self._code.extraSelections():
            style = selection.format.underlineStyle()
            if style == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                cursor = selection.cursor
                found.append(
                    (cursor.selectionStart(), cursor.selectionEnd(), selection.format.toolTip())
                )
        return found

    def tooltip_at(self, position: int) -> str:
        """The messages of the problems at a document position, one per line ("" if none)."""
        block = self._code.document().findBlock(position)
        messages = []
        for diagnostic in self._diagnostics:
            if diagnostic.covers(position) or (
                diagnostic.end == diagnostic.start
                and self._code.document().findBlock(diagnostic.start) == block
            ):
                messages.append(diagnostic.message)
        return "\n".join(dict.fromkeys(messages))

    def _show_problems(self) -> None:
        self.problems.clear()
        for diagnostic in self._diagnostics:
            item = QListWidgetItem(
                f"Line {diagnostic.line}, column {diagnostic.col}: "
                f"{'warning: ' if diagnostic.error.is_warning else ''}{diagnostic.message}"
            )
            item.setData(Qt.ItemDataRole.UserRole, diagnostic.start)
            item.setToolTip(str(replace(diagnostic.error, path=self.display_name)))
            item.setForeground(diagnostic.colour)
            self.problems.addItem(item)
        count = self._problem_count
        if count == 0:
            self._problems_label.setText("No problems found.")
        elif count > len(self._diagnostics):
            self._problems_label.setText(
                f"{count:,} problems; the first {len(self._diagnostics):,} are listed and "
                "underlined (click one to go there):"
            )
        else:
            noun = "problem" if count == 1 else "problems"
            self._problems_label.setText(f"{count} {noun} (click one to go there):")

    def _jump_to_item(self, item: QListWidgetItem) -> None:
        self.jump_to(int(item.data(Qt.ItemDataRole.UserRole)))

    def jump_to(self, position: int) -> None:
        """Put the cursor at a document position, scroll there and focus the text."""
        cursor = self._code.textCursor()
        cursor.setPosition(min(position, self._code.document().characterCount() - 1))
        self._code.setTextCursor(cursor)
        self._code.centerCursor()
        self._code.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- preview ---------------------------------------------------------------

    def _show_preview(self, result: CheckResult) -> None:
        shown = result if result.timeline is not None else self._last_good
        stale = result.timeline is None
        self.preview.setUpdatesEnabled(False)
        try:
            self.preview.clear()
            if shown is not None and shown.timeline is not None:
                items = [QTreeWidgetItem(list(row)) for row in shown.rows]
                hidden = len(shown.timeline.steps) - len(shown.rows)
                if hidden > 0:
                    items.append(QTreeWidgetItem(["", "", "", f"... and {hidden:,} more steps"]))
                for item in items:
                    item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight)
                    item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
                self.preview.addTopLevelItems(items)
        finally:
            self.preview.setUpdatesEnabled(True)
        self.preview.setEnabled(not stale)
        if shown is None or shown.timeline is None:
            self._total.setText("")
            self._preview_note.setText("The timeline appears once the routine has no problems.")
        elif stale:
            self._total.setText(shown.total)
            self._preview_note.setText(
                "Showing the last version without problems; fix the problems to update it."
            )
        else:
            self._total.setText(shown.total)
            timeline = shown.timeline
            self._preview_note.setText(f"{timeline.routine_name} ({timeline.routine_id})")
        self._preview_note.setVisible(bool(self._preview_note.text()))

    # -- completion ------------------------------------------------------------

    def completion_at_cursor(self) -> Completion | None:
        """What the format allows at the text cursor (see :mod:`.context`)."""
        block = self._code.textCursor().block()
        column = len(self._code.text_before_cursor())
        # Lines are read from the document as completion asks for them: copying
        # the whole text on every keystroke cost 30 ms in a 4 MB file.
        return completion_at(_DocumentLines(self._code.document()), block.blockNumber(), column)

    def update_completion(self, *, forced: bool = False) -> None:
        """Show, narrow or hide the completion popup for the text at the cursor."""
        completer = self._code.completer
        completion = self.completion_at_cursor()
        self._completion = completion
        show = completion is not None and (
            forced or completion.prefix or completion.kind == "value"
        )
        matching = completion.matching if completion is not None else ()
        if (
            completion is None
            or not show
            or not matching
            or (len(matching) == 1 and matching[0] == completion.prefix)
        ):
            popup_of(completer).hide()
            return
        if completion.choices != self._offered:
            self._offer(completion)
        completer.setCompletionPrefix(completion.prefix)
        popup = popup_of(completer)
        popup.setCurrentIndex(completer.completionModel().index(0, 0))
        assert isinstance(popup, QTreeView)
        words = popup.sizeHintForColumn(0) + 12
        popup.setColumnWidth(0, words)
        width = words + max(popup.sizeHintForColumn(1), 0)
        rect = self._code.cursorRect()
        rect.setWidth(
            min(width, MAX_POPUP_WIDTH) + popup.verticalScrollBar().sizeHint().width() + 8
        )
        completer.complete(rect)

    def _offer(self, completion: Completion) -> None:
        """Fill the completer with ``completion``'s words and their descriptions."""
        model = self._code.completer.model()
        assert isinstance(model, QStandardItemModel)
        model.removeRows(0, model.rowCount())
        palette = popup_of(self._code.completer).palette()
        # Fainter than the word, yet AA on the list (the style's own grey for hints is not).
        hint = QColor(
            readable_hint(
                palette.color(QPalette.ColorRole.Text).name(),
                palette.color(QPalette.ColorRole.Base).name(),
            )
        )
        for choice in completion.choices:
            word = QStandardItem(choice.word)
            summary = QStandardItem(choice.summary)
            summary.setForeground(hint)
            for item in (word, summary):
                item.setEditable(False)
                if choice.detail:
                    item.setToolTip(choice.detail)
            model.appendRow([word, summary])
        self._offered = completion.choices

    def insert_completion(self, word: str) -> None:
        """Replace the word being typed with ``word`` (and ``": "`` after a key)."""
        completion = self._completion or self.completion_at_cursor()
        if completion is None:
            return
        cursor = self._code.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left,
            QTextCursor.MoveMode.KeepAnchor,
            len(completion.prefix.encode("utf-16-le")) // 2,
        )
        suffix = ""
        if completion.kind == "key":
            suffix = ":" if word in completion.blocks else ": "
        cursor.insertText(word + suffix)
        self._code.setTextCursor(cursor)
        popup_of(self._code.completer).hide()
        self._completion = None


__all__ = ["CHECK_DELAY_MS", "MAX_SHOWN_PROBLEMS", "CodeEdit", "Diagnostic", "RoutineEditor"]
