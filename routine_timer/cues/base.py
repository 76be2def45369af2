"""The cue player interface and which sound or words each cue gets.

Kept free of QtMultimedia and QtTextToSpeech so the rules can be read and
tested without loading either.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Protocol

from routine_timer.core.engine import Cue, CueKind


class CuePlayer(Protocol):
    """Turns the engine's cues into something the user hears."""

    def play(self, cue: Cue) -> None:
        """Play or say ``cue`` now."""

    def silence(self) -> None:
        """Stop anything playing (on pause, stop or skip)."""


class CueSettings(Protocol):
    """What the cue player reads from the user's settings (see ``routine_timer.settings``)."""

    @property
    def voice(self) -> bool:
        """Speak the spoken cues."""

    @property
    def sounds(self) -> bool:
        """Play the cue sounds."""

    @property
    def volume(self) -> float:
        """Loudness of both, 0 to 1."""

    @property
    def muted(self) -> bool:
        """Silence every cue for now."""

    def subscribe(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call ``listener`` with a setting's name when it changes; returns the way to stop."""


class Sound(StrEnum):
    """The cue sounds shipped in ``assets/sounds/``, by file name."""

    BEEP = "beep.wav"
    """Each number of the 3-2-1 countdown."""
    START = "start.wav"
    """A work or untimed set begins."""
    END = "end.wav"
    """A timed work period ran out."""
    TICK = "tick.wav"
    """A rep begins, or the hold of a held rep is released."""
    FINISH = "finish.wav"
    """The routine is complete."""


SPOKEN_KINDS = frozenset(
    {
        CueKind.STEP_START,
        CueKind.COACH,
        CueKind.HALFWAY,
        CueKind.SAY,
        CueKind.SWITCH_SIDES,
        CueKind.REP,
        CueKind.RELEASE,
        CueKind.FINISHED,
        CueKind.VARIATION,
    }
)
"""Cues that are spoken. Countdown numbers are not: a beep lands exactly on the
second, speech would not, and the digits are on screen."""

INTERRUPTING_KINDS = frozenset(
    {CueKind.STEP_START, CueKind.SWITCH_SIDES, CueKind.FINISHED, CueKind.VARIATION}
)
"""Cues that start something new: whatever is still being said about the
previous step is stale, so these cut it off. Other spoken cues (coaching,
halfway, ``say`` entries) queue behind what is being said instead of cutting
it off mid-word."""

WHEN_QUIET_KINDS = frozenset({CueKind.REP, CueKind.RELEASE})
"""Spoken only when nothing else is being said: a rep call is worth hearing
("Rep 3, left" tells the side, which a tick cannot), but one that waited
behind other speech would come late and muddle the count. Its tick still
marks the moment."""


def sound_for(cue: Cue) -> Sound | None:
    """The sound to play for ``cue``, or None.

    A step's end only sounds when the user was working: after a rest, prepare
    or switch the start sound of the next set marks the change, and two sounds
    on top of each other would blur it.
    """
    kind = cue.kind
    if kind is CueKind.COUNTDOWN:
        return Sound.BEEP
    if kind is CueKind.STEP_START:
        return Sound.START if cue.step.kind.is_exercise else None
    if kind is CueKind.STEP_END:
        return Sound.END if cue.step.kind.is_exercise else None
    if kind in (CueKind.REP, CueKind.RELEASE):
        return Sound.TICK
    if kind is CueKind.FINISHED:
        return Sound.FINISH
    return None


def words_for(cue: Cue) -> str | None:
    """What to say for ``cue``, or None when it is not spoken."""
    text = cue.text.strip()
    if cue.kind in SPOKEN_KINDS and text:
        return text
    return None
