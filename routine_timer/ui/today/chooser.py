"""The plan chooser: every plan found, with its description or its errors, and "no plan".

It returns what was picked and changes nothing itself: the window keeps the
choice in the settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from routine_timer.core.plan_file import PlanEntry


def entry_text(entry: PlanEntry, names: Mapping[str, str] | None = None) -> str:
    """What the chooser says of a plan: its description and routines, or its problems.

    A routine is named as the library names it (``names``: id to name), its id
    where the library has no such routine.
    """
    if entry.plan is None or not entry.valid:
        return "This plan file cannot be used:\n" + "\n".join(str(p) for p in entry.problems)
    plan = entry.plan
    lines = [plan.description, ""] if plan.description else []
    lines.append(f"{plan.weeks} weeks" + (f", from {plan.start}" if plan.start else ""))
    names = names or {}
    lines += [
        f"- {names.get(item.routine_id, item.routine_id)}: {item.when_text}" for item in plan.items
    ]
    where = "bundled with the app" if entry.bundled else str(entry.path)
    lines += ["", f"File: {where}"]
    return "\n".join(lines)


class PlanChooser(QDialog):
    """Pick a plan to follow (``chosen``), or none (``chosen`` None after "Follow no plan")."""

    def __init__(
        self,
        entries: Sequence[PlanEntry],
        current: str | None,
        parent: QWidget | None = None,
        *,
        names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._names = dict(names or {})
        self.setWindowTitle("Choose a plan")
        self.resize(640, 460)
        self.entries = list(entries)
        self.chosen: str | None = current
        intro = QLabel(
            "A plan spreads routines over weeks: what is due each day, and how the weeks "
            "add up. Plans are files ending in .plan.yaml in your routines folder; see the "
            "plan format reference to write one."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for entry in self.entries:
            mark = "" if entry.valid else "⚠ "
            item = QListWidgetItem(f"{mark}{entry.name}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.follow_button = QPushButton("Follow this plan")
        self.follow_button.setDefault(True)
        self.none_button = QPushButton("Follow no plan")
        self.none_button.setEnabled(current is not None)
        self.buttons.addButton(self.follow_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.none_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.follow_button.clicked.connect(self._follow)
        self.none_button.clicked.connect(self._none)
        self.buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        ids = [entry.id for entry in self.entries]
        self.list.setCurrentRow(ids.index(current) if current in ids else 0)
        self._show(self.list.currentRow())

    def select(self, plan_id: str) -> bool:
        for row, entry in enumerate(self.entries):
            if entry.id == plan_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def _current(self) -> PlanEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _show(self, _row: int) -> None:
        entry = self._current()
        self.details.setPlainText(
            entry_text(entry, self._names) if entry is not None else "No plans found."
        )
        self.follow_button.setEnabled(entry is not None and entry.valid)

    def _follow(self) -> None:
        entry = self._current()
        if entry is not None and entry.valid:
            self.chosen = entry.id
            self.accept()

    def _none(self) -> None:
        self.chosen = None
        self.accept()
