"""Stand-ins for the parts of the app that make noise or talk to the system.

Cue players, sounds, the screensaver bus and the screen-lock inhibitor: each
records what it was asked instead of doing it, so a test reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import QObject

from routine_timer.core.engine import Cue, CueKind
from routine_timer.desktop.notifications import Notifier


class PlayedCue(NamedTuple):
    """One cue as the recording player received it."""

    kind: CueKind
    text: str
    count: int | None
    at: float
    """The clock's time when the cue was played."""


class RecordingCuePlayer:
    """A cue player that records what it was asked to play, and when, instead of playing it."""

    def __init__(self, clock: Callable[[], float] = lambda: 0.0) -> None:
        self._clock = clock
        self.played: list[PlayedCue] = []
        self.cues: list[Cue] = []
        self.silenced: list[float] = []
        """Clock times at which :meth:`silence` was called."""

    def play(self, cue: Cue) -> None:
        self.cues.append(cue)
        self.played.append(PlayedCue(cue.kind, cue.text, cue.count, self._clock()))

    def silence(self) -> None:
        self.silenced.append(self._clock())

    def kinds(self) -> list[CueKind]:
        return [played.kind for played in self.played]

    def texts(self, kind: CueKind | None = None) -> list[str]:
        """The texts played, optionally of one kind only."""
        return [p.text for p in self.played if kind is None or p.kind is kind]

    def clear(self) -> None:
        self.played.clear()
        self.cues.clear()
        self.silenced.clear()


class FakeSoundEffect:
    """Records what happens to one sound instead of playing it."""

    def __init__(self, path: Path, log: list[tuple[str, str]]) -> None:
        self.path = path
        self.volume = 1.0
        self.plays = 0
        self._log = log

    def play(self) -> None:
        self.plays += 1
        self._log.append(("play", self.path.name))

    def stop(self) -> None:
        self._log.append(("stop", self.path.name))

    def setVolume(self, volume: float) -> None:
        self.volume = volume


class FakeSoundFactory:
    """A sound factory for SoundCues that hands out :class:`FakeSoundEffect` objects."""

    def __init__(self) -> None:
        self.effects: dict[str, FakeSoundEffect] = {}
        self.log: list[tuple[str, str]] = []

    def __call__(self, path: Path, parent: QObject) -> FakeSoundEffect:
        effect = FakeSoundEffect(path, self.log)
        self.effects[path.name] = effect
        return effect

    def played(self) -> list[str]:
        """File names of the sounds played, in order."""
        return [name for action, name in self.log if action == "play"]


class FakeInhibitor:
    """A screen-lock inhibitor that always works and records what it was asked.

    :attr:`calls` keeps each request with its reason (``"inhibit: <reason>"``,
    ``"release"``), for tests of what the driver says; :meth:`actions` gives
    the same requests without the reasons, for tests of when they come.
    """

    def __init__(self) -> None:
        self.active = False
        self.calls: list[str] = []

    def inhibit(self, reason: str) -> None:
        self.calls.append(f"inhibit: {reason}")
        self.active = True

    def release(self) -> None:
        self.calls.append("release")
        self.active = False

    def actions(self) -> list[str]:
        """The requests in order, ``"inhibit"`` or ``"release"``, without their reasons."""
        return [call.split(":", 1)[0] for call in self.calls]


class FakeScreenSaverBus:
    """Answers like org.freedesktop.ScreenSaver on the session bus, and records the calls."""

    def __init__(self, *, fail: bool = False, cookie: int = 42) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.fail = fail
        self.cookie = cookie

    def inhibit(self, application: str, reason: str) -> int:
        self.calls.append(("Inhibit", (application, reason)))
        if self.fail:
            raise OSError("org.freedesktop.DBus.Error.ServiceUnknown")
        return self.cookie

    def uninhibit(self, cookie: int) -> None:
        self.calls.append(("UnInhibit", (cookie,)))
        if self.fail:
            raise OSError("org.freedesktop.DBus.Error.ServiceUnknown")


class RecordingNotifier(Notifier):
    """A notification service that records what it was asked to show; buttons by :meth:`press`."""

    name = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []
        self.withdrawn = 0

    def notify(self, summary: str, body: str) -> None:
        self.shown.append((summary, body))

    def withdraw(self) -> None:
        self.withdrawn += 1

    def press(self, action: str) -> None:
        """The runner chose ``action`` on the notification."""
        self.actionInvoked.emit(action)


def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make ``QMessageBox.question`` answer Yes without showing; returns the questions asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked
