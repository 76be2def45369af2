"""The Qt side of a session: feeds the engine with time, fans its events out.

The engine never sleeps and never counts ticks; it says when the next thing is
due (:meth:`Session.next_deadline`). The driver arms one precise single-shot
timer for that moment and, when it fires, asks the engine to catch up
(:meth:`Session.update`). A late wake-up therefore delays a cue a little but
never shifts the schedule. Each event then becomes a Qt signal for the widgets,
a call on the cue player (sound and voice), and a call on the optional
recorder (history), as it happens.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from routine_timer.core.engine import (
    Cue,
    CueDue,
    CueKind,
    Event,
    SecondElapsed,
    Session,
    SessionFinished,
    SessionState,
    SessionStatus,
    StepStarted,
)
from routine_timer.core.plan import Timeline
from routine_timer.cues.base import CuePlayer

EARLY_WAKE = 0.002
"""With the real clock, the timer is armed this many seconds early and the rest is slept.

Qt's timers count whole milliseconds and the event loop wakes up to a
millisecond or two late, so a timer armed for the deadline itself delivered
cues 1-2 ms late (see "Cue timing" in BENCHMARKS.md). Sleeping the last
couple of milliseconds blocks the window for no longer than that, about once
a second, and costs no CPU."""

LATE_CUE_LIMIT = 2.0
"""Cues more than this many seconds late (the machine was suspended, say) are not played:
a burst of stale beeps and announcements helps nobody. Widgets still see them."""


class Recorder(Protocol):
    """Receives every engine event as it happens, to keep a history of sessions."""

    def on_event(self, event: Event) -> None: ...


class Inhibitor(Protocol):
    """Keeps the screen awake (see ``routine_timer.desktop.inhibit``)."""

    @property
    def active(self) -> bool: ...

    def inhibit(self, reason: str) -> None: ...

    def release(self) -> None: ...


INHIBIT_REASON = "An exercise routine is running"


class SessionDriver(QObject):
    """Runs one :class:`Session` on the Qt event loop.

    Controls (:meth:`toggle`, :meth:`skip`, :meth:`back`, :meth:`mark_done`,
    :meth:`stop`) forward to the session and re-arm the timer. Cues reach the
    cue player only from here, never from widgets.
    """

    stateChanged = Signal(object)
    """:class:`SessionState` after anything changed (an event, a control)."""
    stepStarted = Signal(object)
    """:class:`StepStarted`."""
    secondElapsed = Signal(object)
    """:class:`SecondElapsed`."""
    sessionFinished = Signal(object)
    """:class:`SessionFinished`: completed or stopped."""

    def __init__(
        self,
        timeline: Timeline,
        *,
        clock: Callable[[], float] = time.monotonic,
        countdown: int = 3,
        cue_player: CuePlayer | None = None,
        recorder: Recorder | None = None,
        inhibitor: Inhibitor | None = None,
        early_wake: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        # A fake clock does not move while the driver sleeps: no early wake with one,
        # unless a test asks for it (and passes a sleep that moves its clock).
        if early_wake is None:
            early_wake = EARLY_WAKE if clock is time.monotonic else 0.0
        self._early_wake = max(0.0, early_wake)
        self._sleep = sleep
        self._session = Session(timeline, clock, countdown=countdown)
        self._cue_player = cue_player
        self._recorder = recorder
        self._inhibitor = inhibitor
        self._status = self._session.status
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A coarse timer may fire up to 5 % early or late; cues must land on the second.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.fire_due)

    # --- what it runs --------------------------------------------------------

    @property
    def session(self) -> Session:
        return self._session

    @property
    def timeline(self) -> Timeline:
        return self._session.timeline

    @property
    def status(self) -> SessionStatus:
        return self._session.status

    @property
    def timer(self) -> QTimer:
        """The single-shot timer armed for the engine's next deadline."""
        return self._timer

    def state(self) -> SessionState:
        """A snapshot of the session for the screen."""
        return self._session.state()

    # --- services that arrive after the window is shown ----------------------

    def set_cue_player(self, player: CuePlayer | None) -> None:
        self._cue_player = player

    def set_recorder(self, recorder: Recorder | None) -> None:
        self._recorder = recorder

    def set_inhibitor(self, inhibitor: Inhibitor | None) -> None:
        self._inhibitor = inhibitor
        self._sync_inhibitor()

    # --- controls -------------------------------------------------------------

    def start(self) -> None:
        """Start the session (from READY); does nothing otherwise."""
        self._run(self._session.start())

    def toggle(self) -> None:
        """Start, pause or resume (the Space key)."""
        if self._session.status is SessionStatus.RUNNING:
            self._silence()
        self._run(self._session.toggle())

    def play(self) -> None:
        """Start or resume, never pause (the Play media key)."""
        if self._session.status is SessionStatus.READY:
            self.start()
        else:
            self.resume()

    def pause(self) -> None:
        """Pause, never resume (the Pause media key); does nothing unless running."""
        if self._session.status is not SessionStatus.RUNNING:
            return
        self._silence()
        self._run(self._session.pause())

    def resume(self) -> None:
        self._run(self._session.resume())

    def skip(self) -> None:
        """Finish the current step as skipped and go on."""
        self._silence()
        self._run(self._session.skip())

    def back(self) -> None:
        """Restart the current step, or go back to the previous one."""
        self._silence()
        self._run(self._session.back())

    def mark_done(self) -> None:
        """Finish an untimed set (does nothing in a timed step)."""
        self._run(self._session.mark_done())

    def replan(self, timeline: Timeline) -> None:
        """Go on with ``timeline`` after the current step (see :meth:`Session.replan`)."""
        self._run(self._session.replan(timeline))

    def stop(self) -> None:
        """Stop the session before its end."""
        self._silence()
        self._run(self._session.stop())

    def fire_due(self) -> None:
        """Catch the engine up to the clock; the timer's slot, and the hook tests call."""
        deadline = self._session.next_deadline()
        if deadline is not None and self._early_wake > 0:
            ahead = deadline - self._clock()
            # Woken early on purpose (see EARLY_WAKE): sleep the rest precisely.
            if 0 < ahead <= self._early_wake + 0.001:
                self._sleep(ahead)
        self._run(self._session.update())

    # --- plumbing ---------------------------------------------------------------

    def _run(self, events: Sequence[Event]) -> None:
        for event in events:
            self._dispatch(event)
        self._arm()
        status = self._session.status
        if status is not self._status:
            self._status = status
            self._sync_inhibitor()
        self.stateChanged.emit(self._session.state())

    def _dispatch(self, event: Event) -> None:
        if self._recorder is not None:
            self._recorder.on_event(event)
        if isinstance(event, CueDue):
            self._play(event.cue)
        elif isinstance(event, StepStarted):
            self.stepStarted.emit(event)
        elif isinstance(event, SecondElapsed):
            self.secondElapsed.emit(event)
        elif isinstance(event, SessionFinished):
            self.sessionFinished.emit(event)

    def _play(self, cue: Cue) -> None:
        # Mute is the settings' (the M key lasts across sessions): the player obeys it.
        if self._cue_player is None:
            return
        if cue.kind is not CueKind.FINISHED and self._clock() - cue.due > LATE_CUE_LIMIT:
            return
        self._cue_player.play(cue)

    def _silence(self) -> None:
        if self._cue_player is not None:
            self._cue_player.silence()

    def _arm(self) -> None:
        deadline = self._session.next_deadline()
        if deadline is None:
            self._timer.stop()
            return
        if self._early_wake > 0:
            # fire_due sleeps the last bit; never arm for after the deadline.
            delay = max(0, math.floor((deadline - self._early_wake - self._clock()) * 1000))
        else:
            # Round up: waking a millisecond early would find nothing due and cost a
            # second wake-up.
            delay = max(0, math.ceil((deadline - self._clock()) * 1000))
        self._timer.start(delay)

    def _sync_inhibitor(self) -> None:
        if self._inhibitor is None:
            return
        running = self._session.status is SessionStatus.RUNNING
        if running and not self._inhibitor.active:
            self._inhibitor.inhibit(INHIBIT_REASON)
        elif not running and self._inhibitor.active:
            self._inhibitor.release()
