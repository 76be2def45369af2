"""The one fake clock: monotonic seconds, wall-clock time and sleep, all moved by the test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = 1000.0
"""The monotonic reading a :class:`FakeClock` starts at unless told otherwise."""

WALL_START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
"""The wall-clock time a :class:`FakeClock` starts at unless told otherwise."""


class FakeClock:
    """A clock that only moves when a test moves it.

    It stands in for each of the three ways the app reads or spends time:

    * calling it gives monotonic seconds, as ``time.monotonic`` (the session
      engine, the driver, the recorder); tests move it with :meth:`advance` or
      by setting :attr:`now`;
    * :meth:`wall` gives the matching aware datetime, as ``datetime.now(UTC)``
      (the history store): ``wall_start`` plus the seconds moved since
      ``start``, so both readings move together;
    * :meth:`sleep` moves it on by the time asked and notes it in
      :attr:`slept`, as ``time.sleep`` (the driver's early wake).
    """

    def __init__(self, start: float = START, *, wall_start: datetime = WALL_START) -> None:
        self.start = start
        self.now = start
        self.wall_start = wall_start
        self.slept: list[float] = []
        """Each :meth:`sleep` asked for, in seconds, in order."""

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move the clock on by ``seconds``; returns the new reading."""
        self.now += seconds
        return self.now

    def wall(self) -> datetime:
        """The wall-clock time now: ``wall_start`` plus the seconds moved since ``start``."""
        return self.wall_start + timedelta(seconds=self.now - self.start)

    def sleep(self, seconds: float) -> None:
        """Sleep without waiting: the clock moves on by ``seconds``, and the sleep is noted."""
        self.slept.append(seconds)
        self.advance(seconds)
