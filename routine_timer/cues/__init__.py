"""Cue output: sounds and voice behind one small interface, :class:`CuePlayer`.

Importing this package loads neither QtMultimedia nor QtTextToSpeech; they
are loaded by :func:`create_cue_player`, after the window is on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from routine_timer.cues.base import CuePlayer, CueSettings, Sound, sound_for, words_for

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from routine_timer.cues.player import SoundAndVoiceCues
    from routine_timer.cues.sound import SoundFactory

__all__ = ["CuePlayer", "CueSettings", "Sound", "create_cue_player", "sound_for", "words_for"]


def create_cue_player(
    settings: CueSettings,
    assets: Path,
    parent: QObject | None = None,
    *,
    voice_engine: str | None = None,
    sound_factory: SoundFactory | None = None,
) -> SoundAndVoiceCues:
    """The app's cue player: WAVs from ``assets/sounds`` plus a voice, as ``settings`` say.

    ``voice_engine`` names a QtTextToSpeech engine to use instead of the best
    available one, and ``sound_factory`` replaces QSoundEffect (both for tests).
    """
    # Deferred: these pull in QtMultimedia and QtTextToSpeech.
    from routine_timer.cues.player import SoundAndVoiceCues  # noqa: PLC0415
    from routine_timer.cues.sound import SoundCues  # noqa: PLC0415
    from routine_timer.cues.voice import VoiceCues  # noqa: PLC0415

    sounds = SoundCues(assets / "sounds", volume=settings.volume, factory=sound_factory)

    def make_voice(owner: QObject) -> VoiceCues:
        return VoiceCues(voice_engine, volume=settings.volume, parent=owner)

    player = SoundAndVoiceCues(settings, sounds, make_voice, parent)
    sounds.setParent(player)
    return player
