"""The session as the desktop's media keys see it (``routine_timer.desktop.mpris``).

:class:`SessionMediaControls` is the :class:`PlayerControls` the media player
is given: it reads the driver's state and turns Play, Pause, Next, Previous,
Stop and Raise into what the session screen's keys do.
"""

from __future__ import annotations

from routine_timer.core.engine import SessionStatus
from routine_timer.desktop.mpris import NowPlaying, PlaybackStatus
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.view import SessionView
from routine_timer.ui.windows import bring_to_front

_STATUS = {
    SessionStatus.RUNNING: PlaybackStatus.PLAYING,
    SessionStatus.PAUSED: PlaybackStatus.PAUSED,
}


class SessionMediaControls:
    """Media keys for one session screen and its driver."""

    def __init__(self, driver: SessionDriver, view: SessionView) -> None:
        self._driver = driver
        self._view = view

    def now_playing(self) -> NowPlaying:
        state = self._driver.state()
        routine = self._driver.timeline.routine_name
        status = _STATUS.get(state.status, PlaybackStatus.STOPPED)
        step = state.step if status is not PlaybackStatus.STOPPED else None
        if step is None:
            return NowPlaying(status, routine, None, routine)
        return NowPlaying(status, step.label, step.index, routine, state.elapsed_in_step)

    def play_pause(self) -> None:
        self._driver.toggle()

    def play(self) -> None:
        self._driver.play()

    def pause(self) -> None:
        self._driver.pause()

    def next(self) -> None:
        self._driver.skip()

    def previous(self) -> None:
        self._driver.back()

    def stop(self) -> None:
        """As Esc: the question is asked on the window, brought up to be answered."""
        self.raise_window()
        self._view.request_stop()

    def raise_window(self) -> None:
        bring_to_front(self._view.window())
