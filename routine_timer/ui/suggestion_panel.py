"""A suggestion of the back-care rules, with its reason, and one tap to answer it.

The finish screen shows the one its session made; the Today view shows
those still unanswered. Shown only when a rule of ``docs/back-care.md``
fits a session (see :mod:`routine_timer.core.progression`); the runner
accepts or declines it, or leaves it be. Nothing is applied here: whoever
shows the panel records the answer, in the one place the history keeps it
(``HistoryStore.answer_suggestion``). The buttons never take keyboard focus,
so Enter still leaves the finish screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from routine_timer.core.progression import Outcome, Suggestion

_ACCEPT = {
    Outcome.PROGRESS: "Yes, next time",
    Outcome.STEP_BACK: "Yes, next time",
    Outcome.HOLD: "Yes, hold",
    Outcome.STOP: "Understood",
}
_ANSWERED = {
    True: "Accepted, and noted in your history.",
    False: "Declined, and noted in your history: the level stays as it is.",
}


class SuggestionPanel(QWidget):
    """The suggestion's line, and Accept / Decline; ``answered(bool)`` sends True for accept."""

    answered = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion: Suggestion | None = None
        self.text = QLabel()
        self.text.setObjectName("advice")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setAccessibleName("Suggestion for next time")
        self.accept_button = QPushButton()
        self.decline_button = QPushButton("No, thanks")
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        for button, accepted in ((self.accept_button, True), (self.decline_button, False)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, yes=accepted: self._answer(yes))
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.hide()

    def show_suggestion(self, suggestion: Suggestion | None) -> None:
        """Show ``suggestion`` unanswered (a new one after new ratings), or hide for None."""
        if suggestion == self.suggestion:
            return
        self.suggestion = suggestion
        self.setVisible(suggestion is not None)
        if suggestion is not None:
            self.show_text(suggestion.text, suggestion.outcome)

    def show_text(self, text: str, outcome: Outcome) -> None:
        """Show a suggestion by its words and outcome (one read back from the history)."""
        self.setVisible(True)
        self.text.setText(text)
        self.accept_button.setText(_ACCEPT[outcome])
        stop = outcome is Outcome.STOP
        self.decline_button.setVisible(not stop)
        for button in (self.accept_button, self.decline_button):
            button.setEnabled(True)
        self.status.setText("")
        self.status.hide()

    def _answer(self, accepted: bool) -> None:
        for button in (self.accept_button, self.decline_button):
            button.setEnabled(False)
        self.status.setText(_ANSWERED[accepted])
        self.status.show()
        self.answered.emit(accepted)
