"""The Today view: what the chosen plan asks of today, readable from the mat.

The routines of the day (done, to do, or can wait), one big Start for the
next one, the days in a row the plan has been kept and the week so far. An
item with a ladder shows the rung the runner is on (its routine is the one
started) and its level. Above them, the suggestions of the back-care rules
still unanswered, each with its reason and one tap to accept or decline.
The window hands it a :class:`~routine_timer.core.programme.Progress`, the
routines' names, the standings on the ladders and the pending suggestions;
it asks for a routine to start (``startRequested``), for the plan chooser
(``choosePlanRequested``) and to record an answer (``suggestionAnswered``),
and knows nothing of the library or the history.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core.calendar_text import DAY_NAMES, long_day
from routine_timer.core.programme import DayPlan, PlanState, Progress, Status
from routine_timer.core.progression import Outcome, Standing
from routine_timer.ui.suggestion_panel import SuggestionPanel

STATUS_TEXT = {Status.DONE: "Done", Status.DUE: "To do", Status.OPEN: "Can wait"}
STATUS_MARK = {Status.DONE: "✓", Status.DUE: "●", Status.OPEN: "○"}


def _plain(text: str = "") -> QLabel:
    """A label that shows text as written: names come from files and may look like markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _scaled(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(14, round(QFontInfo(widget.font()).pixelSize() * factor)))
    font.setBold(bold)
    widget.setFont(font)


class Pending(Protocol):
    """A suggestion shown after a session and not answered yet (a history record)."""

    @property
    def session_id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def outcome(self) -> Outcome: ...


def day_mark(day: DayPlan, today: date) -> str:
    """How a day of the week so far reads: ``kept``, ``missed``, ``to do`` (today)."""
    if day.day == today and day.anything_due:
        return "to do"
    return "kept" if day.kept else "missed"


class TodayView(QWidget):
    """The plan's day: :meth:`show_progress` fills it, :meth:`show_problem` says why not."""

    startRequested = Signal(str)
    """The id of a routine to start."""
    choosePlanRequested = Signal()
    suggestionAnswered = Signal(int, bool)
    """The session whose suggestion was answered, and True for accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: Progress | None = None
        self.title = _plain("Today")
        _scaled(self.title, 1.8, bold=True)
        self.subtitle = _plain()
        self.subtitle.setWordWrap(True)
        _scaled(self.subtitle, 1.2)
        self.change_button = QPushButton("Change plan…")
        self.change_button.clicked.connect(self.choosePlanRequested.emit)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignTop)

        self.start_button = QPushButton("Start")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.setMinimumHeight(72)
        _scaled(self.start_button, 1.7, bold=True)
        self.start_button.clicked.connect(self._start_next)
        self.streak_value = _plain("0")
        _scaled(self.streak_value, 2.6, bold=True)
        self.streak_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.streak_caption = _plain("days in a row")
        self.streak_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        streak = QFrame()
        streak.setFrameShape(QFrame.Shape.StyledPanel)
        streak.setToolTip("Days in a row on which nothing the plan asked was left undone")
        streak_layout = QVBoxLayout(streak)
        streak_layout.setSpacing(0)
        streak_layout.addWidget(self.streak_value)
        streak_layout.addWidget(self.streak_caption)
        action = QHBoxLayout()
        action.addWidget(self.start_button, 1)
        action.addWidget(streak)

        self.message = _plain()
        self.message.setWordWrap(True)
        _scaled(self.message, 1.2)
        self.routines = QGridLayout()
        self.routines.setHorizontalSpacing(16)
        self.routines.setColumnStretch(1, 1)
        self.week = QHBoxLayout()
        self.week_title = _plain("This week")
        _scaled(self.week_title, 1.2, bold=True)
        self.today_title = _plain("Today")
        _scaled(self.today_title, 1.2, bold=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        self.suggestions = QVBoxLayout()
        layout.addLayout(header)
        layout.addLayout(self.suggestions)
        layout.addLayout(action)
        layout.addWidget(self.message)
        layout.addWidget(self.today_title)
        layout.addLayout(self.routines)
        layout.addWidget(self.week_title)
        layout.addLayout(self.week)
        layout.addStretch(1)
        self.row_buttons: dict[str, QPushButton] = {}
        self.row_titles: dict[str, str] = {}
        """What each row (by its item's routine id) is called: the rung reached, on a ladder."""
        self.day_labels: list[QLabel] = []
        self.suggestion_panels: dict[int, SuggestionPanel] = {}
        self._next: str | None = None
        self.show_problem("Reading your plan…")

    # -- filling -----------------------------------------------------------

    def show_problem(self, text: str) -> None:
        """No plan to show: ``text`` says why, and the way to choose one stays open."""
        self.progress = None
        self.title.setText("Today")
        self.subtitle.setText("")
        self.message.setText(text)
        self.message.show()
        self._clear()
        self.start_button.setEnabled(False)
        self.start_button.setText("Start")
        self.streak_value.setText("-")
        for widget in (self.today_title, self.week_title):
            widget.hide()

    def show_suggestions(self, pending: Sequence[Pending]) -> None:
        """The suggestions still unanswered, newest last; each one tap to accept or decline."""
        _empty(self.suggestions)
        self.suggestion_panels = {}
        for record in pending:
            panel = SuggestionPanel()
            panel.setObjectName("pendingSuggestion")
            panel.text.setAlignment(Qt.AlignmentFlag.AlignLeft)
            _scaled(panel.text, 1.2)
            panel.show_text(f"After your last session: {record.text}", record.outcome)
            panel.answered.connect(
                lambda accepted, sid=record.session_id: self.suggestionAnswered.emit(sid, accepted)
            )
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            inner.addWidget(panel)
            self.suggestions.addWidget(frame)
            self.suggestion_panels[record.session_id] = panel

    def show_progress(
        self,
        progress: Progress,
        names: Mapping[str, str],
        startable: Collection[str],
        standings: Mapping[str, Standing] | None = None,
    ) -> None:
        """Show ``progress``; ``names`` names the routines, ``startable`` can be started,
        ``standings`` says where the runner is on each laddered item (by its routine id)."""
        standings = standings or {}
        self.progress = progress
        plan, block, day = progress.plan, progress.block, progress.today
        self._clear()
        self.title.setText(plan.name)
        self.streak_value.setText(str(progress.days_in_a_row))
        self.streak_caption.setText(
            "day in a row" if progress.days_in_a_row == 1 else "days in a row"
        )
        if progress.state is not PlanState.RUNNING:
            ended = progress.state is PlanState.FINISHED
            self.subtitle.setText(
                f"{plan.weeks} weeks, {long_day(block.start)} to {long_day(block.end)}"
            )
            self.message.setText(
                f"The {plan.weeks}-week block ended on {long_day(block.end)}. Well done for "
                "sticking with it. You could start it again, or choose another plan."
                if ended
                else f"The plan starts on {long_day(block.start)}. Nothing is due before then."
            )
            self.message.show()
            self.start_button.setEnabled(False)
            self.start_button.setText("Start")
            for widget in (self.today_title, self.week_title):
                widget.hide()
            return
        self.subtitle.setText(f"Week {day.week} of {plan.weeks} · {long_day(day.day)}")
        for widget in (self.today_title, self.week_title):
            widget.show()
        if not day.items:
            self.message.setText("Nothing planned today: a rest day.")
        elif not day.anything_due and day.next_up is None:
            self.message.setText("All done for today.")
        else:
            self.message.setText("")
        self.message.setVisible(bool(self.message.text()))
        for row, entry in enumerate(day.items):
            standing = standings.get(entry.routine_id)
            rid = entry.routine_id if standing is None else standing.level.routine_id
            name = names.get(rid, rid) if standing is None else standing.level.name
            mark = _plain(STATUS_MARK[entry.status])
            _scaled(mark, 1.4, bold=True)
            title = _plain(name)
            _scaled(title, 1.3, bold=entry.status is Status.DUE)
            week = f"{entry.done_this_week} of {entry.planned_this_week} this week"
            level = "" if standing is None else f" · {standing.text}"
            detail = _plain(f"{entry.item.when_text} · {week}{level}")
            status = _plain(STATUS_TEXT[entry.status])
            _scaled(status, 1.2)
            button = QPushButton("Again" if entry.status is Status.DONE else "Start")
            button.setEnabled(rid in startable)
            if rid not in startable:
                button.setToolTip("This routine is not in the library, or its file has errors")
            button.clicked.connect(lambda _checked=False, rid=rid: self.startRequested.emit(rid))
            self.row_buttons[entry.routine_id] = button
            self.row_titles[entry.routine_id] = name
            texts = QVBoxLayout()
            texts.setSpacing(0)
            texts.addWidget(title)
            texts.addWidget(detail)
            self.routines.addWidget(mark, row, 0)
            self.routines.addLayout(texts, row, 1)
            self.routines.addWidget(status, row, 2)
            self.routines.addWidget(button, row, 3)
        next_up = day.next_up
        next_id: str | None = None
        label_text = ""
        if next_up is not None:
            standing = standings.get(next_up.routine_id)
            next_id = next_up.routine_id if standing is None else standing.level.routine_id
            label_text = names.get(next_id, next_id) if standing is None else standing.level.name
        if next_id is not None and next_id in startable:
            self._next = next_id
            self.start_button.setText(f"Start  {label_text}")
            self.start_button.setEnabled(True)
        else:
            self.start_button.setText("Start")
            self.start_button.setEnabled(False)
        first = progress.week_so_far[0].day if progress.week_so_far else day.day
        for offset in range(7):
            shown = progress.week_so_far[offset] if offset < len(progress.week_so_far) else None
            weekday = DAY_NAMES[(first.weekday() + offset) % 7]
            label = _plain(f"{weekday}\n{day_mark(shown, day.day) if shown else ''}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setMinimumWidth(72)
            label.setEnabled(shown is not None)
            if shown is not None and shown.day == day.day:
                _scaled(label, 1.0, bold=True)
            self.day_labels.append(label)
            self.week.addWidget(label)
        self.week.addStretch(1)

    @property
    def next_routine(self) -> str | None:
        """The routine the big Start starts."""
        return self._next if self.progress is not None else None

    def _start_next(self) -> None:
        if self.next_routine is not None:
            self.startRequested.emit(self.next_routine)

    def _clear(self) -> None:
        self._next = None
        for layout in (self.routines, self.week):
            _empty(layout)
        self.row_buttons = {}
        self.row_titles = {}
        self.day_labels = []


def _empty(layout: QLayout) -> None:
    """Take every widget and layout out of ``layout``, the widgets to be deleted."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        inner = item.layout()
        if inner is not None:
            _empty(inner)
