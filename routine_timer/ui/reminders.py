"""The reminder scheduler: one timer, armed for the next moment a reminder could be due.

The rules are :mod:`routine_timer.core.reminders`'; this object feeds them the
wall clock, the chosen plan's day (from the window, through ``source``) and
the log kept in the settings, shows what they say through a
:class:`~routine_timer.desktop.notifications.Notifier`, and answers its
buttons: "Start now" asks the window to start the next routine, "Later"
snoozes.

It never polls: the timer is armed for the next reminder time (or snooze),
and at most :data:`MAX_WAIT` ahead, so that a wall clock set differently,
or a computer that slept, is noticed within minutes. It looks again whenever
the reminder settings or the plan change, and when the window says the
history changed (:meth:`ReminderScheduler.check`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal

from routine_timer.core.programme import DayPlan, TrainingPlan
from routine_timer.core.reminders import (
    Reminder,
    ReminderLog,
    decide,
    reminder_text,
    reminder_times,
    snooze,
)
from routine_timer.desktop.notifications import ACTION_LATER, ACTION_OPEN, ACTION_START, Notifier
from routine_timer.settings import REMIND_OFF, REMIND_OWN, Settings

_log = logging.getLogger(__name__)

MAX_WAIT: Final = timedelta(minutes=5)
"""The longest the timer sleeps before looking at the wall clock again."""
MIN_WAIT: Final = timedelta(seconds=1)
_WATCHED: Final = frozenset({"remind", "reminder_time", "plan"})
"""The settings whose change makes the scheduler look again."""


@dataclass(frozen=True, slots=True)
class ReminderDay:
    """What the window knows of a day: the chosen plan, what it asks that day, routine names."""

    plan: TrainingPlan
    today: DayPlan
    names: dict[str, str]


DaySource = Callable[[date], "ReminderDay | None"]
"""The chosen plan's day ``date``; None when no plan is chosen or it cannot be read."""


class ReminderScheduler(QObject):
    """Reminds of the chosen plan's routines at their times (see the module's notes)."""

    startRequested = Signal(str)
    """The runner chose "Start now": show the window and start this routine (its id)."""
    showRequested = Signal()
    """The runner clicked the reminder: show the window."""
    reminded = Signal(object)
    """A :class:`~routine_timer.core.reminders.Reminder` was just shown."""

    def __init__(
        self,
        settings: Settings,
        notifier: Notifier,
        source: DaySource,
        *,
        now: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.notifier = notifier
        self._source = source
        self._now = now
        self.current: Reminder | None = None
        """The reminder on screen (what "Later" puts off)."""
        self.next_look: datetime | None = None
        """When the timer is armed to look again (None: not armed)."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        notifier.actionInvoked.connect(self._chosen)
        self._unsubscribe = unsubscribe = settings.subscribe(self._setting_changed)
        self.destroyed.connect(lambda *_: unsubscribe())  # not through self: it is going

    def stop(self) -> None:
        """No more reminders from this scheduler (the app is quitting)."""
        self._unsubscribe()
        self.timer.stop()
        self.next_look = None

    def check(self) -> Reminder | None:
        """Look now: show a reminder if one is due, and arm the timer for the next look."""
        now = self._now()
        day = None if self._settings.remind == REMIND_OFF else self._source(now.date())
        if day is None:
            self._arm(now, None)
            return None
        own = self._settings.reminder_time if self._settings.remind == REMIND_OWN else None
        decision = decide(
            now,
            reminder_times(day.plan, own),
            day.today,
            ReminderLog.from_text(self._settings.reminder_log),
        )
        self._settings.reminder_log = decision.log.to_text()
        reminder = decision.reminder
        if reminder is not None:
            self.current = reminder
            summary, body = reminder_text(reminder, day.names)
            _log.info("reminder: %s (%s)", summary, body)
            self.notifier.notify(summary, body)
            self.reminded.emit(reminder)
        elif self.current is not None and not day.today.anything_due:
            # Done another way since: the reminder on screen has nothing left to say.
            self.withdraw()
        self._arm(now, decision.next_look)
        return reminder

    def withdraw(self) -> None:
        """Take the reminder on screen away (a routine was started from the window)."""
        if self.current is not None:
            self.current = None
            self.notifier.withdraw()

    def _arm(self, now: datetime, when: datetime | None) -> None:
        self.next_look = when
        if when is None:
            self.timer.stop()
            return
        wait = min(max(when - now, MIN_WAIT), MAX_WAIT)
        self.timer.start(int(wait.total_seconds() * 1000))

    def _chosen(self, action: str) -> None:
        if action == ACTION_START:
            reminder, self.current = self.current, None
            self.startRequested.emit(reminder.first.routine_id if reminder is not None else "")
        elif action == ACTION_LATER:
            if self.current is not None:
                log = ReminderLog.from_text(self._settings.reminder_log)
                now = self._now()
                self._settings.reminder_log = snooze(log, self.current, now).to_text()
                self.current = None
                self.check()
        elif action == ACTION_OPEN:
            self.showRequested.emit()

    def _setting_changed(self, name: str) -> None:
        if name in _WATCHED:
            # After the change is complete (a plan is chosen in two steps).
            QTimer.singleShot(0, self, self.check)
