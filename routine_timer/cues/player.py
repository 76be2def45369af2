"""Sound and voice together, following the user's settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from routine_timer.core.engine import Cue
from routine_timer.cues.base import CueSettings
from routine_timer.cues.sound import SoundCues
from routine_timer.cues.voice import VoiceCues

VoiceFactory = Callable[[QObject], VoiceCues]


class SoundAndVoiceCues(QObject):
    """The app's cue player: sounds and, when an engine works, a voice.

    Follows ``settings`` as they change: volume, sounds on/off, voice on/off
    and mute. The voice engine is started only while voice is on. When it
    fails, cues carry on as sounds only and :attr:`voice_unavailable_reason`
    says why, for the settings dialog.
    """

    voiceUnavailableChanged = Signal(object)  # noqa: N815 - Qt's naming, as every signal here
    """:attr:`voice_unavailable_reason` changed: the new reason, or None."""

    def __init__(
        self,
        settings: CueSettings,
        sounds: SoundCues,
        voice_factory: VoiceFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._sounds = sounds
        self._voice_factory = voice_factory
        self._voice: VoiceCues | None = None
        self._voice_unavailable_reason: str | None = None
        sounds.set_volume(settings.volume)
        unsubscribe = settings.subscribe(self._setting_changed)
        # Settings outlive a player (tests make many): stop hearing them when it goes.
        self.destroyed.connect(lambda *_: unsubscribe())
        if settings.voice:
            self._start_voice()

    @property
    def sounds(self) -> SoundCues:
        return self._sounds

    @property
    def voice(self) -> VoiceCues | None:
        """The voice, once voice has been turned on (it may be unavailable)."""
        return self._voice

    @property
    def voice_unavailable_reason(self) -> str | None:
        """Why spoken cues are off although voice was turned on, or None when they work."""
        return self._voice_unavailable_reason

    def play(self, cue: Cue) -> None:
        """Play the sound and say the words of ``cue``, as the settings allow."""
        settings = self._settings
        if settings.muted:
            return
        if settings.sounds:
            self._sounds.play(cue)
        if settings.voice and self._voice is not None:
            self._voice.play(cue)

    def silence(self) -> None:
        """Stop every sound and any speech."""
        self._sounds.silence()
        if self._voice is not None:
            self._voice.silence()

    def _start_voice(self) -> None:
        if self._voice is None:
            self._voice = self._voice_factory(self)
            self._voice.set_volume(self._settings.volume)
            self._voice.available_changed.connect(self._voice_availability_changed)
        self._voice_availability_changed()

    def _voice_availability_changed(self) -> None:
        reason = self._voice.unavailable_reason if self._voice is not None else None
        if reason != self._voice_unavailable_reason:
            self._voice_unavailable_reason = reason
            self.voiceUnavailableChanged.emit(reason)

    def _setting_changed(self, key: str) -> None:
        settings = self._settings
        if key == "volume":
            self._sounds.set_volume(settings.volume)
            if self._voice is not None:
                self._voice.set_volume(settings.volume)
        elif key == "muted" and settings.muted:
            self.silence()
        elif key == "sounds" and not settings.sounds:
            self._sounds.silence()
        elif key == "voice":
            if settings.voice:
                self._start_voice()
            elif self._voice is not None:
                self._voice.silence()
