"""A QTextToSpeech whose engine starts and runs in a thread of its own.

Some engines do slow work when they start: ``speechd`` asks speech-dispatcher
for every voice it has, which takes seconds with espeak-ng. A Python thread
would not help, since PySide holds the interpreter lock through the call and
the app's own timers would stall with it. So the QTextToSpeech is made with
the instant ``mock`` engine, moved to a QThread, and switched to the real
engine by a queued call to its ``setEngine`` slot, which Qt runs on that
thread without entering Python. Every later call goes the same way, through
queued signal connections; the state comes back the same way and is mirrored
here, on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    Q_ARG,
    QCoreApplication,
    QLocale,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    Signal,
)

PLACEHOLDER_ENGINE = "mock"
STOP_WAIT_MS = 1500
_log = logging.getLogger(__name__)
"""Starts instantly; replaced by the real engine in the worker thread."""


def english_locale(current: QLocale, available: list[QLocale]) -> QLocale | None:
    """The English locale to switch to, or None to leave the engine as it is.

    The cue texts are English; an engine left on the system's language (or on
    the "C" locale of a bare session) would read them with the wrong voice.
    The system's country is preferred (en_GB for a British user), then US.
    """
    english = QLocale.Language.English
    if current.language() == english:
        return None
    locales = [locale for locale in available if locale.language() == english]
    if not locales:
        return None
    territory = QLocale.system().territory()
    for wanted in (territory, QLocale.Country.UnitedStates):
        for locale in locales:
            if locale.territory() == wanted:
                return locale
    return locales[0]


def use_english(tts: Any) -> None:
    """Switch ``tts`` (on this thread) to an English voice if it is not on one."""
    locale = english_locale(tts.locale(), tts.availableLocales())
    if locale is not None:
        tts.setLocale(locale)


class ThreadedSpeech(QObject):
    """Speaks through a QTextToSpeech engine that lives in a worker thread.

    Offers the part of QTextToSpeech's API that
    :class:`~routine_timer.cues.voice.VoiceCues` uses. Until the engine has
    started, :meth:`state` is ``Error`` with no error reason, which is how
    engines say "not initialised yet". The thread ends with :meth:`close`,
    when this object is deleted, or when the app quits.
    """

    stateChanged = Signal(object)  # noqa: N815 - the names QTextToSpeech uses
    sayingWord = Signal(str, int, int, int)  # noqa: N815

    _say = Signal(str)
    _enqueue = Signal(str)
    _stop = Signal()
    _set_volume = Signal(float)
    _set_locale = Signal(QLocale)

    def __init__(self, engine: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - heavy, load late

        self._engine = engine
        self._state: Any = QTextToSpeech.State.Error
        self._reason: Any = QTextToSpeech.ErrorReason.NoError
        self._volume = 1.0
        self._closed = False
        # A child, so it outlives the destroyed() signal that stops it below.
        self._thread = QThread(self)
        self._thread.setObjectName(f"speech-{engine}")
        self._tts = QTextToSpeech(PLACEHOLDER_ENGINE)
        self._tts.moveToThread(self._thread)
        self._thread.finished.connect(self._tts.deleteLater)

        tts = self._tts
        self._say.connect(tts.say)
        self._enqueue.connect(tts.enqueue)
        self._stop.connect(tts.stop)
        self._set_volume.connect(tts.setVolume)
        self._set_locale.connect(tts.setLocale)
        tts.engineChanged.connect(self._engine_started)
        tts.stateChanged.connect(self._state_changed)
        tts.sayingWord.connect(self._saying_word)

        # The thread must end before its QThread goes, however this object goes.
        thread = self._thread

        def stop_thread() -> None:
            try:
                if thread.isRunning():
                    thread.quit()
                    # A speech engine stuck talking to its service (speech-dispatcher
                    # with no sound server, say) must not keep the app from quitting.
                    if not thread.wait(STOP_WAIT_MS):
                        _log.info("the speech engine did not stop within %d ms", STOP_WAIT_MS)
            except RuntimeError:
                pass  # already gone (interpreter shutdown): nothing left to stop

        self._stop_thread = stop_thread
        self.destroyed.connect(stop_thread)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(stop_thread)

        self._thread.start()
        arguments = [Q_ARG(str, engine)]
        if engine == PLACEHOLDER_ENGINE:
            # setEngine ignores a switch to the engine already loaded unless
            # given parameters: these make it load a fresh one on the thread.
            arguments.append(Q_ARG("QVariantMap", {"thread": self._thread.objectName()}))
        QMetaObject.invokeMethod(tts, "setEngine", Qt.ConnectionType.QueuedConnection, *arguments)

    def close(self) -> None:
        """End the engine's thread (waiting for an engine that is still starting)."""
        self._closed = True
        self._stop_thread()

    def engine(self) -> str:
        return self._engine

    def state(self) -> Any:
        return self._state

    def errorReason(self) -> Any:  # noqa: N802 - QTextToSpeech's names, as above
        return self._reason

    def volume(self) -> float:
        return self._volume

    def say(self, text: str) -> None:
        self._speaking()
        self._say.emit(text)

    def enqueue(self, text: str) -> None:
        self._speaking()
        self._enqueue.emit(text)

    def stop(self, hint: object = None) -> None:
        # Stops at once: the engine's default boundary for speechd and the mock.
        self._stop.emit()

    def setVolume(self, volume: float) -> None:  # noqa: N802
        self._volume = volume
        self._set_volume.emit(volume)

    def _speaking(self) -> None:
        # The engine reports Speaking only once the queued call has reached it;
        # meanwhile, count as busy so that "is the voice quiet?" is answered right.
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

        if self._state == QTextToSpeech.State.Ready:
            self._state = QTextToSpeech.State.Speaking

    def _engine_started(self, name: str) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

        if self._closed:
            return
        # The worker is idle now (it just finished setEngine), so reading is safe.
        tts = self._tts
        self._reason = tts.errorReason()
        state = tts.state()
        if name != self._engine and self._reason == QTextToSpeech.ErrorReason.NoError:
            self._reason = QTextToSpeech.ErrorReason.Initialization
            state = QTextToSpeech.State.Error
        if state != QTextToSpeech.State.Error:
            locale = english_locale(tts.locale(), tts.availableLocales())
            if locale is not None:
                self._set_locale.emit(locale)
        self._state = state
        self.stateChanged.emit(state)

    def _state_changed(self, state: object) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: PLC0415 - already loaded

        if self._closed or self._tts.engine() != self._engine:
            return  # closed, or the placeholder's
        self._state = state
        self._reason = (
            self._tts.errorReason()
            if state == QTextToSpeech.State.Error
            else QTextToSpeech.ErrorReason.NoError
        )
        self.stateChanged.emit(state)

    def _saying_word(self, word: str, ident: int, start: int, length: int) -> None:
        self.sayingWord.emit(word, ident, start, length)
