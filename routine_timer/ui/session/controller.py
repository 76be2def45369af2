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
from routine_timer.core.plan import Choices, Step, build_timeline
from routine_timer.core.progression import LadderSource, Suggestion, assess, ladder_for
from routine_timer.core.redflags import Why, offer_reason
from routine_timer.core.variations import choose, offer
from routine_timer.cues.base import CuePlayer
from routine_timer.desktop.mpris import MediaPlayer
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.storage.recorder import SessionRecorder
from routine_timer.storage.records import EXERCISE_KINDS
from routine_timer.ui.redflag_dialog import RedFlagDialog
from routine_timer.ui.session.driver import Inhibitor, SessionDriver
from routine_timer.ui.session.media import SessionMediaControls
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
    suggested = Signal(object)
    """The :class:`Suggestion` the rules make after this session, each time it changes."""

    def __init__(
        self,
        routine: Routine,
        *,
        settings: Settings,
        store: HistoryStore | None,
        clock: Clock,
        cue_player: CuePlayer | None = None,
        inhibitor: Inhibitor | None = None,
        media_player: MediaPlayer | None = None,
        ladders: LadderSource | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._media_player = media_player
        """Offers the session to the desktop's media keys while it runs (MPRIS on Linux)."""
        self._media_controls: SessionMediaControls | None = None
        self._settings = settings
        self._store = store
        self._routine = routine
        self._ladders = ladders
        """Where a training plan's ladders will come from; None: the routine's own variations."""
        self.suggestion: Suggestion | None = None
        self._choices: dict[tuple[int, int], Variant] = self._accepted_level()
        """The variations the runner picked, by (exercise index, round): from the start,
        those of the level last accepted from a suggestion."""
        timeline = build_timeline(routine, self._choices)
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
        self._media_controls = SessionMediaControls(self.driver, view)
        self.driver.stateChanged.connect(self._media_changed)

    @property
    def routine_name(self) -> str:
        return self.driver.timeline.routine_name

    def start(self) -> SessionView:
        """Show the session screen and start the session (the prepare countdown first)."""
        assert self.session_view is not None
        self.screenChanged.emit(self.session_view)
        self.driver.start()
        self._offer_media()
        return self.session_view

    def attach_services(
        self,
        cue_player: CuePlayer | None,
        inhibitor: Inhibitor | None,
        media_player: MediaPlayer | None = None,
    ) -> None:
        """Sound/voice, the screensaver inhibitor and the media keys, arriving after the start."""
        self.driver.set_cue_player(cue_player)
        self.driver.set_inhibitor(inhibitor)
        if media_player is not self._media_player:
            self._withdraw_media()
            self._media_player = media_player
            self._offer_media()

    # --- the media keys (routine_timer.desktop.mpris) ------------------------------------

    @property
    def media_player(self) -> MediaPlayer | None:
        return self._media_player

    def _offer_media(self) -> None:
        """From the start to the end of the session, the desktop's media keys reach it."""
        player, controls = self._media_player, self._media_controls
        if player is None or controls is None or not self.driver.status.in_progress:
            return
        if player.controls is not controls:
            player.start(controls)

    def _media_changed(self, _state: object) -> None:
        player = self._media_player
        if player is not None and player.controls is self._media_controls:
            player.changed()

    def _withdraw_media(self) -> None:
        player = self._media_player
        if player is not None and player.controls is self._media_controls:
            player.stop()

    def close(self) -> None:
        """End the session (stopped, if it is still going) and let go of its screens."""
        if self.finish_view is not None:
            self.finish_view.note.flush()  # a note still being typed, before the history closes
        self.driver.stop()
        self._withdraw_media()
        self._media_controls = None
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

    def _accepted_level(self) -> dict[tuple[int, int], Variant]:
        """The choices that do the routine at the variations of the level last accepted."""
        if self._store is None:
            return {}
        try:
            variant = self._store.accepted_level(self._routine.id)
        except HistoryError as error:
            self._history_failed(error)
            return {}
        if variant is None:
            return {}
        return {
            (step.exercise_index, step.round): variant
            for step in build_timeline(self._routine).steps
            if step.exercise_index is not None
            and self._routine.exercises[step.exercise_index].variation(variant) is not None
        }

    @property
    def choices(self) -> Choices:
        """The variations the session is planned with, by (exercise index, round)."""
        return dict(self._choices)

    def _session_finished(self, event: SessionFinished) -> None:
        self._withdraw_media()
        self.finished.emit(event)
        if not event.completed:
            return
        finish = FinishView(self.routine_name, event, pain_before=self._pain_before)
        finish.backRequested.connect(self.leaveRequested.emit)
        finish.painAfterChanged.connect(self._pain_after_changed)
        finish.rpeChanged.connect(self._rpe_changed)
        finish.noteChanged.connect(lambda text: self._save_checkin(note=text))
        finish.suggestionAnswered.connect(self.answer_suggestion)
        finish.redFlagsRequested.connect(self.ask_red_flags)
        self.finish_view = finish
        self.screenChanged.emit(finish)
        self.update_suggestion()

    # --- the suggestion for next time (docs/back-care.md) ------------------------------

    def update_suggestion(self) -> Suggestion | None:
        """Ask the rules about this session as recorded now; show and record what they say."""
        session_id = self._session_id()
        if self._store is None or session_id is None:
            return None
        try:
            history = self._store.back_history()
            made = assess(
                history,
                self._routine,
                ladder=ladder_for(self._routine, self._ladders),
                session_id=session_id,
            )
            if made != self.suggestion:
                self._store.show_suggestion(made, session_id)
        except HistoryError as error:
            self._history_failed(error)
            return None
        if made != self.suggestion:
            self.suggestion = made
            if self.finish_view is not None:
                self.finish_view.show_suggestion(made)
            self.suggested.emit(made)
        return made

    def answer_suggestion(self, accepted: bool) -> bool:
        """Record the runner's answer to the suggestion shown; False when it could not be."""
        session_id = self._session_id()
        if self._store is None or session_id is None or self.suggestion is None:
            return False
        try:
            self._store.answer_suggestion(session_id, accepted)
        except HistoryError as error:
            self._history_failed(error)
            return False
        return True

    def ask_red_flags(self) -> RedFlagDialog:
        """The warning-sign questions, offered after high or rising pain; answers recorded."""
        finish = self.finish_view
        pain_after = finish.pain_after.value() if finish is not None else None
        why = offer_reason(self._pain_before, pain_after) or Why.ASKED
        dialog = RedFlagDialog(finish)
        dialog.accepted.connect(lambda: self._record_red_flags(why, dialog.answers()))
        dialog.open()
        return dialog

    def _record_red_flags(self, why: Why, answers: dict[str, bool | None]) -> None:
        if self._store is None:
            return
        try:
            self._store.record_red_flags(why, answers, session_id=self._session_id())
        except HistoryError as error:
            self._history_failed(error)
            return
        self.update_suggestion()

    def _pain_after_changed(self, value: int | None) -> None:
        if self._save_checkin(pain_after=value):
            self.update_suggestion()

    def _rpe_changed(self, value: int | None) -> None:
        if self._save_checkin(rpe=value):
            self.update_suggestion()

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
        flagged = self._flag_pain(step)
        self.stoppedForPain.emit(flagged)
        if flagged is not None:
            self.update_suggestion()  # the rules step back after a stop for pain

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
