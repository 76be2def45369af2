"""Spoken cues through QtTextToSpeech, with a quiet fallback when no engine works.

Voice engines start asynchronously and may fail (on Linux, ``speechd`` needs
speech-dispatcher). :class:`VoiceCues` never waits for one: it holds what it
was asked to say until the engine is ready, and when the engine fails it
drops speech for good and says why in ``unavailable_reason``.
QtTextToSpeech is imported only when a :class:`VoiceCues` is made.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from routine_timer.core.engine import Cue
from routine_timer.cues.base import INTERRUPTING_KINDS, WHEN_QUIET_KINDS, words_for
from routine_timer.cues.speech_thread import use_english

NO_VOICE_REASON = "No voice engine found; cues use sounds only."
NO_VOICE_REASON_LINUX = (
    "No voice engine found; cues use sounds only. Install speech-dispatcher to hear spoken cues."
)

PREFERRED_ENGINES = ("speechd", "flite", "winrt", "sapi", "darwin", "avfoundation", "android")
"""Engines worth trying, best first. The ``mock`` engine (for tests) is never picked."""

THREADED_ENGINES = frozenset({"speechd"})
"""Engines that take seconds to start (speechd lists every voice it has), so
they are started in a thread of their own rather than freezing the window."""

START_TIMEOUT_MS = 10_000
"""An engine not ready after this long counts as unavailable (it may still recover)."""

# Plug-ins whose shared library is missing fail to load with a Qt critical
# message; check the library first so a machine without it stays quiet.
_ENGINE_LIBRARIES = {"speechd": "libspeechd.so.2"}


def no_voice_reason(platform: str = sys.platform) -> str:
    """The message the settings dialog shows when spoken cues are off for want of an engine."""
    return NO_VOICE_REASON_LINUX if platform.startswith("linux") else NO_VOICE_REASON


def library_loads(name: str) -> bool:
    """Whether the shared library ``name`` can be loaded."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def pick_engine(
    available: Sequence[str], library_loads: Callable[[str], bool] = library_loads
) -> str | None:
    """The best usable engine among ``available``, or None."""
    usable = [
        name
        for name in available
        if name != "mock"
        and (name not in _ENGINE_LIBRARIES or library_loads(_ENGINE_LIBRARIES[name]))
    ]
    ranked = sorted(
        usable,
        key=lambda name: (
            PREFERRED_ENGINES.index(name) if name in PREFERRED_ENGINES else len(PREFERRED_ENGINES)
        ),
    )
    return ranked[0] if ranked else None


class VoiceCues(QObject):
    """Speaks the spoken cues (see :func:`routine_timer.cues.base.words_for`).

    A new step's announcement (and "Switch sides", "Routine complete")
    interrupts whatever is still being said, since that speech is about a step
    that is over. Coaching, halfway and ``say`` entries queue behind the
    current speech rather than cutting it off mid-word. Rep calls and
    "Release" are said only when the voice is otherwise quiet.

    ``engine`` names the QtTextToSpeech engine (default: the best one
    available); ``tts`` hands over a ready-made QTextToSpeech or a stand-in
    with its API instead.
    """

    available_changed = Signal(bool)
    """The engine became ready (True) or failed (False)."""

    def __init__(
        self,
        engine: str | None = None,
        *,
        tts: Any = None,
        volume: float = 1.0,
        start_timeout_ms: int = START_TIMEOUT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - heavy, load late

        self._tts: Any = None
        self._ready = False
        self._failed = False
        self._pending: list[str] = []
        self._volume = min(max(volume, 0.0), 1.0)
        self._reason: str | None = None
        self._engine: str | None = None
        if tts is not None:
            self._engine = str(tts.engine())
            self._attach(tts, start_timeout_ms)
            return
        engines = QTextToSpeech.availableEngines()
        name = pick_engine(engines) if engine is None else engine
        if name is None or name not in engines:
            # Asking Qt for an engine it does not have logs a critical message; don't.
            self._fail()
            return
        self._engine = name
        if name in THREADED_ENGINES:
            from routine_timer.cues.speech_thread import ThreadedSpeech  # noqa: PLC0415

            self._attach(ThreadedSpeech(name, self), start_timeout_ms)
        else:
            self._attach(QTextToSpeech(name, self), start_timeout_ms)

    def _attach(self, tts: Any, start_timeout_ms: int) -> None:
        self._tts = tts
        tts.stateChanged.connect(self._state_changed)
        self._state_changed(tts.state())
        if not (self._ready or self._failed):
            QTimer.singleShot(start_timeout_ms, self, self._give_up_waiting)

    @property
    def available(self) -> bool:
        """Whether the engine is ready to speak."""
        return self._ready

    @property
    def starting(self) -> bool:
        """Whether the engine has neither become ready nor failed yet."""
        return not (self._ready or self._failed)

    @property
    def unavailable_reason(self) -> str | None:
        """Why there is no voice, or None while it works or is still starting."""
        return self._reason

    @property
    def engine(self) -> str | None:
        """The name of the engine in use, if any."""
        return self._engine

    @property
    def speech(self) -> Any:
        """The QTextToSpeech in use (None when there is no engine at all)."""
        return self._tts

    def play(self, cue: Cue) -> None:
        """Say the words of ``cue``, if it is spoken."""
        text = words_for(cue)
        if text is None:
            return
        if cue.kind in WHEN_QUIET_KINDS:
            if self.quiet:
                self.say(text)
            return
        self.say(text, interrupt=cue.kind in INTERRUPTING_KINDS)

    @property
    def quiet(self) -> bool:
        """Whether the engine is ready and saying nothing."""
        if not self._ready:
            return False
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

        return bool(self._tts.state() == QTextToSpeech.State.Ready)

    def say(self, text: str, *, interrupt: bool = False) -> None:
        """Say ``text``, cutting off current speech when ``interrupt`` is set, else after it."""
        if self._failed or self._tts is None:
            return
        if not self._ready:
            if interrupt:
                self._pending.clear()
            self._pending.append(text)
            return
        if interrupt:
            self._tts.say(text)  # stops the current speech and clears the queue
        else:
            self._tts.enqueue(text)

    def silence(self) -> None:
        """Stop speaking now and forget what was queued."""
        self._pending.clear()
        if self._ready:
            from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    def set_volume(self, volume: float) -> None:
        """Set the loudness of the voice, 0 to 1."""
        self._volume = min(max(volume, 0.0), 1.0)
        if self._tts is not None and not self._failed:
            self._tts.setVolume(self._volume)

    def _state_changed(self, state: object) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

        if state == QTextToSpeech.State.Error:
            # Error with no reason is how some engines say "not initialised yet".
            if self._tts.errorReason() != QTextToSpeech.ErrorReason.NoError:
                self._fail()
            return
        if not self._ready:
            self._ready = True
            self._failed = False
            self._reason = None
            if isinstance(self._tts, QTextToSpeech):
                use_english(self._tts)
            self._tts.setVolume(self._volume)
            pending, self._pending = self._pending, []
            for text in pending:
                self._tts.enqueue(text)
            self.available_changed.emit(True)

    def _give_up_waiting(self) -> None:
        if self.starting:
            self._fail()

    def _fail(self) -> None:
        changed = not self._failed
        self._ready = False
        self._failed = True
        self._pending.clear()
        self._reason = no_voice_reason()
        if changed:
            self.available_changed.emit(False)
