"""What happens when the user presses Start: one session, from its first screen to its last.

:class:`SessionController` builds everything a session needs - the timeline,
the history recorder, the driver with the cue player and the screen
inhibitor, the session screen and, once the routine is complete, the finish
screen - and owns every check-in write (pain before and after, effort, the
note, and the "stopped: pain" flag). The main window only shows the screen
it is handed and goes back to the library when asked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypedDict, Unpack

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from routine_timer.core.engine import SessionFinished
from routine_timer.core.model import Routine, Variant
from routine_timer.core.plan import Step, build_timeline
from routine_timer.core.variations import choose, offer
from routine_timer.cues.base import CuePlayer
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.storage.recorder import SessionRecorder
from routine_timer.storage.records import EXERCISE_KINDS
from routine_timer.ui.session.driver import Inhibitor, SessionDriver
from routine_timer.ui.session.view import FinishView, SessionView

_log = logging.getLogger(__name__)

Clock = Callable[[], float]


class CheckinFields(TypedDict, total=False):
    """The check-in answers :meth:`HistoryStore.set_checkin` takes; None clears one."""

    pain_before: int | None
    pain_after: int | None
    rpe: int | None
    note: str | None


class SessionController(QObject):
    """Runs one routine: builds the session, shows its screens, saves its check-in.

    Without a history store the session runs all the same and nothing is
    written. A history that cannot be written is said through
    ``historyFailed``; the session and its screens carry on.
    """

    screenChanged = Signal(object)
    """The screen to show now: the session screen, then the finish screen."""
    leaveRequested = Signal()
    """The user is done with the session: back to the library."""
    fullScreenRequested = Signal()
    finished = Signal(object)
    """:class:`SessionFinished`, completed or stopped."""
    stoppedForPain = Signal(object)
    """"Stop: pain" ended the session; sends the step index flagged in the history, or None."""
    historyFailed = Signal(object)
    """:class:`HistoryError`: this session's history could not be written."""

    def __init__(
        self,
        routine: Routine,
        *,
        settings: Settings,
        store: HistoryStore | None,
        clock: Clock,
        cue_player: CuePlayer | None = None,
        inhibitor: Inhibitor | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self._routine = routine
        self._choices: dict[tuple[int, int], Variant] = {}
        """The variations the runner picked, by (exercise index, round)."""
        timeline = build_timeline(routine)
        self._recorder: SessionRecorder | None = None
        if store is not None:
            self._recorder = SessionRecorder(
                store,
                timeline,
                routine_sha256=routine.sha256,
                clock=clock,
                on_error=self._history_failed,
            )
        self.driver = SessionDriver(
            timeline,
            clock=clock,
            countdown=settings.countdown,
            cue_player=cue_player,
            recorder=self._recorder,
            inhibitor=inhibitor,
            parent=self,
        )
        self.driver.sessionFinished.connect(self._session_finished)
        self._pain_before: int | None = None
        view = SessionView(self.driver, settings=settings, routine=routine)
        view.variationRequested.connect(self.choose_variation)
        view.leaveRequested.connect(self.leaveRequested.emit)
        view.fullScreenRequested.connect(self.fullScreenRequested.emit)
        view.painBeforeChanged.connect(self._pain_before_changed)
        view.stoppedForPain.connect(self._stopped_for_pain)
        self.session_view: SessionView | None = view
        self.finish_view: FinishView | None = None

    @property
    def routine_name(self) -> str:
        return self.driver.timeline.routine_name

    def start(self) -> SessionView:
        """Show the session screen and start the session (the prepare countdown first)."""
        assert self.session_view is not None
        self.screenChanged.emit(self.session_view)
        self.driver.start()
        return self.session_view

    def attach_services(self, cue_player: CuePlayer | None, inhibitor: Inhibitor | None) -> None:
        """Sound/voice and the screensaver inhibitor, when they arrive after the start."""
        self.driver.set_cue_player(cue_player)
        self.driver.set_inhibitor(inhibitor)

    def close(self) -> None:
        """End the session (stopped, if it is still going) and let go of its screens."""
        if self.finish_view is not None:
            self.finish_view.note.flush()  # a note still being typed, before the history closes
        self.driver.stop()
        for view in (self.session_view, self.finish_view):
            if view is not None:
                view.deleteLater()
        self.session_view = self.finish_view = None

    def screens(self) -> list[QWidget]:
        """The screens this session has shown and still holds."""
        return [view for view in (self.session_view, self.finish_view) if view is not None]

    # --- the session's course ----------------------------------------------------

    def choose_variation(self, variant: Variant) -> bool:
        """E / H: switch the coming exercise to ``variant`` (again: back to as written).

        Only in the get-ready countdown or the rest before the exercise's first
        set; returns whether the plan changed.
        """
        offered = offer(self._routine, self.driver.state())
        if offered is None or offered.name_of(variant) is None:
            return False
        choices = choose(self._choices, offered.coming, offered.target(variant))
        timeline = build_timeline(self._routine, choices)
        self._choices = choices
        self.driver.replan(timeline)
        if self._recorder is not None:
            self._recorder.replan(timeline)
        return True

    def _session_finished(self, event: SessionFinished) -> None:
        self.finished.emit(event)
        if not event.completed:
            return
        finish = FinishView(self.routine_name, event, pain_before=self._pain_before)
        finish.backRequested.connect(self.leaveRequested.emit)
        finish.painAfterChanged.connect(lambda value: self._save_checkin(pain_after=value))
        finish.rpeChanged.connect(lambda value: self._save_checkin(rpe=value))
        finish.noteChanged.connect(lambda text: self._save_checkin(note=text))
        self.finish_view = finish
        self.screenChanged.emit(finish)

    # --- the check-in ----------------------------------------------------------------

    def _history_failed(self, error: HistoryError) -> None:
        _log.warning("history: %s", error)
        self.historyFailed.emit(error)

    def _session_id(self) -> int | None:
        # The recorder writes the session row with the first event.
        return self._recorder.session_id if self._recorder is not None else None

    def _pain_before_changed(self, value: int | None) -> None:
        self._pain_before = value
        self._save_checkin(pain_before=value)

    def _save_checkin(self, **fields: Unpack[CheckinFields]) -> bool:
        """Store the check-in ``fields`` given (see :meth:`HistoryStore.set_checkin`)."""
        session_id = self._session_id()
        if self._store is None or session_id is None:
            return False
        try:
            self._store.set_checkin(session_id, **fields)
        except HistoryError as error:
            self._history_failed(error)
            return False
        return True

    def _stopped_for_pain(self, step: Step | None) -> None:
        self.stoppedForPain.emit(self._flag_pain(step))

    def _flag_pain(self, step: Step | None) -> int | None:
        """Mark the step the runner stopped in as "stopped: pain"; return its index.

        Pain is about the exercise: stopped in a rest or a switch, the flag
        goes on the exercise step recorded just before it, if there is one.
        Returns None when nothing could be flagged.
        """
        session_id = self._session_id()
        if self._store is None or session_id is None or step is None:
            return None
        index = step.index
        try:
            if not step.kind.is_exercise:
                earlier = [
                    recorded.index
                    for recorded in self._store.steps(session_id)
                    if recorded.kind in EXERCISE_KINDS and recorded.index < step.index
                ]
                if earlier:
                    index = earlier[-1]
            flagged = self._store.flag_step_pain(session_id, index)
        except HistoryError as error:
            self._history_failed(error)
            return None
        return index if flagged else None
