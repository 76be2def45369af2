"""The red-flag questions as a small dialog: four yes/no taps, then what to do about a yes.

Every question is optional (a question left alone is recorded as not
answered). After "Done", the dialog says where to get help, as clearly as
the answers warrant (:func:`routine_timer.core.redflags.advice`), or that
there is nothing to worry about in them. The caller records the answers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core.redflags import QUESTIONS, STOPPED_NOTE, advice

INTRO = (
    "A few questions about warning signs that are for a doctor rather than for a routine. "
    "Answer the ones you can; leave any you would rather not."
)


class RedFlagDialog(QDialog):
    """The questions; :meth:`answers` gives each question id True, False or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Warning signs")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        grid = QGridLayout()
        self._groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, bool], QPushButton] = {}
        for row, question in enumerate(QUESTIONS):
            label = QLabel(question.text)
            label.setWordWrap(True)
            grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            group.setExclusive(False)
            for column, (text, yes) in enumerate((("Yes", True), ("No", False)), start=1):
                button = QPushButton(text)
                button.setCheckable(True)
                button.setAccessibleName(f"{text}: {question.text}")
                button.toggled.connect(lambda on, q=question.id, y=yes: self._toggled(q, y, on))
                grid.addWidget(button, row, column)
                group.addButton(button)
                self.buttons[(question.id, yes)] = button
            self._groups[question.id] = group
        grid.setColumnStretch(0, 1)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)
        self.advice.setObjectName("advice")
        self.advice.hide()
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.done_button = self.box.button(QDialogButtonBox.StandardButton.Ok)
        self.done_button.setText("Done")
        self.done_button.clicked.connect(self._done)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.advice)
        layout.addWidget(self.box)
        self._answered = False
        self.resize(640, 360)

    def _toggled(self, question: str, yes: bool, on: bool) -> None:
        # One of yes and no at a time, and a second tap clears the answer.
        if on:
            self.buttons[(question, not yes)].setChecked(False)

    def answers(self) -> dict[str, bool | None]:
        found: dict[str, bool | None] = {}
        for question in QUESTIONS:
            yes = self.buttons[(question.id, True)].isChecked()
            no = self.buttons[(question.id, False)].isChecked()
            found[question.id] = True if yes else False if no else None
        return found

    def yes(self) -> set[str]:
        return {question for question, answer in self.answers().items() if answer}

    def _done(self) -> None:
        """First Done shows the advice; the second closes (straight away when all is well)."""
        if self._answered:
            self.accept()
            return
        self._answered = True
        said = advice(self.yes())
        if said is None:
            self.accept()
            return
        self.advice.setText(f"{said}\n\n{STOPPED_NOTE}")
        self.advice.show()
        for button in self.buttons.values():
            button.setEnabled(False)
        self.done_button.setText("Close")
