"""Cue sounds through QtMultimedia's QSoundEffect.

QSoundEffect decodes its WAV up front and plays it with low latency, which is
what a countdown beep needs. QtMultimedia is imported only when the first
:class:`SoundCues` is made, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject

from routine_timer.core.engine import Cue
from routine_timer.cues.base import Sound, sound_for


class SoundEffect(Protocol):
    """The part of QSoundEffect the cue sounds use."""

    def play(self) -> None: ...
    def stop(self) -> None: ...
    def setVolume(self, volume: float) -> None: ...  # noqa: N802 - Qt's name


SoundFactory = Callable[[Path, QObject], SoundEffect]
"""Makes a preloaded, ready-to-play effect for a WAV file, owned by the QObject."""

# A new step's sound cuts off the end-of-step sound still ringing, so the
# two do not blur together when one step ends and the next begins.
_CUTS_OFF = {Sound.START: (Sound.END,), Sound.FINISH: (Sound.END,)}


def qt_sound_effect(path: Path, parent: QObject) -> SoundEffect:
    """A QSoundEffect for ``path`` on the default audio output (starts loading now)."""
    from PySide6.QtCore import QUrl  # noqa: PLC0415 - keeps QtMultimedia off the start-up path
    from PySide6.QtMultimedia import QSoundEffect  # noqa: PLC0415 - see above

    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))
    return effect


def audio_output_present() -> bool:
    """Whether the system has an audio output to play on at all."""
    from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - lazy, as above

    return not QMediaDevices.defaultAudioOutput().isNull()


class SoundCues(QObject):
    """Plays the sound mapped to each cue (see :func:`routine_timer.cues.base.sound_for`).

    With the default factory, nothing is loaded when the system has no audio
    output (``available`` is then False and every call does nothing); the
    sounds are loaded when an output appears.
    """

    def __init__(
        self,
        folder: Path,
        *,
        volume: float = 1.0,
        factory: SoundFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._folder = folder
        self._volume = volume
        self._effects: dict[Sound, SoundEffect] = {}
        self._factory = factory
        if factory is None:
            self._factory = qt_sound_effect
            self._watch_outputs()
            if not audio_output_present():
                return
        self._load()

    @property
    def available(self) -> bool:
        """Whether any sound is loaded and can be played."""
        return bool(self._effects)

    def play(self, cue: Cue) -> None:
        """Play the sound for ``cue``, if it has one."""
        sound = sound_for(cue)
        if sound is not None:
            self.play_sound(sound)

    def play_sound(self, sound: Sound) -> None:
        """Play one of the cue sounds from its start."""
        for other in _CUTS_OFF.get(sound, ()):
            if other in self._effects:
                self._effects[other].stop()
        effect = self._effects.get(sound)
        if effect is not None:
            # Restart rather than overlap when the same sound comes again quickly.
            effect.stop()
            effect.play()

    def silence(self) -> None:
        """Stop every sound."""
        for effect in self._effects.values():
            effect.stop()

    def set_volume(self, volume: float) -> None:
        """Set the loudness of every sound, 0 to 1."""
        self._volume = min(max(volume, 0.0), 1.0)
        for effect in self._effects.values():
            effect.setVolume(self._volume)

    def _load(self) -> None:
        assert self._factory is not None
        self._drop()
        for sound in Sound:
            path = self._folder / sound.value
            # A missing file (a broken install) costs that one sound, not the others.
            if path.is_file():
                effect = self._factory(path, self)
                effect.setVolume(self._volume)
                self._effects[sound] = effect

    def _watch_outputs(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - lazy, as above

        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._outputs_changed)

    def _outputs_changed(self) -> None:
        # Effects are bound to the output that was the default when they were
        # made: reload them on the new default (headphones plugged in, a sound
        # server started after the app), or drop them when none is left.
        if audio_output_present():
            self._load()
        else:
            self._drop()

    def _drop(self) -> None:
        for effect in self._effects.values():
            effect.stop()
            if isinstance(effect, QObject):
                effect.deleteLater()
        self._effects = {}
