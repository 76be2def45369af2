"""Turn a running session's events into history writes, as they happen.

The session driver passes every engine event to :meth:`SessionRecorder.on_event`
(tests and scripts can pass batches to :meth:`SessionRecorder.handle`). Each
finished step is committed before the call returns, so a crash loses at most
the step in progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from routine_timer.core.engine import Event, SessionFinished, StepFinished
from routine_timer.core.plan import Timeline
from routine_timer.storage.history import HistoryError, HistoryStore
from routine_timer.storage.records import finish_status


def _exercise_steps(timeline: Timeline) -> int:
    return sum(1 for step in timeline.steps if step.kind.is_exercise)


class SessionRecorder:
    """Records one session of ``timeline`` into ``store``.

    ``clock`` is the engine's monotonic clock; event times are turned into
    wall-clock times from the moment the session row is written, so a late
    batch of events still gets each step's own end time.

    With ``on_error``, a history that cannot be written is reported there
    and the session goes on (a full disk must not stop a workout);
    without it, :class:`HistoryError` is raised.
    """

    def __init__(
        self,
        store: HistoryStore,
        timeline: Timeline,
        *,
        routine_sha256: str,
        clock: Callable[[], float],
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_error: Callable[[HistoryError], None] | None = None,
    ) -> None:
        self._store = store
        self._timeline = timeline
        self._sha256 = routine_sha256
        self._clock = clock
        self._wall = wall
        self._on_error = on_error
        self._anchor: tuple[datetime, float] | None = None
        self._start_failed = False
        self.session_id: int | None = None
        """The history id, once the session row is written."""
        self.finished = False

    def start(self, *, pain_before: int | None = None) -> int:
        """Write the session row now (else the first event writes it)."""
        started = self._wall()
        self._anchor = (started, self._clock())
        self.session_id = self._store.start_session(
            self._timeline.routine_id,
            self._timeline.routine_name,
            self._sha256,
            self._timeline.total_seconds,
            started_at=started,
            pain_before=pain_before,
            planned_steps=_exercise_steps(self._timeline),
        )
        return self.session_id

    def replan(self, timeline: Timeline) -> None:
        """The session goes on with ``timeline`` (a variation was picked): record its plan."""
        self._timeline = timeline
        if self.session_id is None or self.finished:
            return  # the session row, when written, takes the new plan
        try:
            self._store.replan_session(
                self.session_id,
                planned_seconds=timeline.total_seconds,
                planned_steps=_exercise_steps(timeline),
            )
        except HistoryError as error:
            if self._on_error is None:
                raise
            self._on_error(error)

    def _when(self, at: float) -> datetime:
        assert self._anchor is not None
        wall, monotonic = self._anchor
        return wall + timedelta(seconds=at - monotonic)

    def on_event(self, event: Event) -> None:
        """Record one event (the session driver's recorder interface)."""
        self.handle((event,))

    def handle(self, events: Iterable[Event]) -> None:
        """Record the finished steps and the finish among ``events``."""
        for event in events:
            try:
                self._record(event)
            except HistoryError as error:
                if self._on_error is None:
                    raise
                self._on_error(error)

    def _record(self, event: Event) -> None:
        if self.session_id is None:
            if self._start_failed:
                return  # already reported; steps of an unrecorded session go nowhere
            self._start_failed = True
            self.start()
            self._start_failed = False
        assert self.session_id is not None
        if isinstance(event, StepFinished):
            step = event.step
            variant = step.exercise.variant if step.exercise is not None else None
            self._store.record_step(
                self.session_id,
                index=step.index,
                kind=step.kind.value,
                exercise=step.exercise.name if step.exercise is not None else None,
                set=step.set,
                side=step.side.value if step.side is not None else None,
                planned_seconds=step.duration,
                actual_seconds=event.active_seconds,
                skipped=event.skipped,
                ended_at=self._when(event.at),
                variant=None if variant is None else variant.value,
            )
        elif isinstance(event, SessionFinished):
            self._store.finish_session(
                self.session_id,
                finish_status(event),
                active_seconds=event.active_seconds,
                paused_seconds=event.paused_seconds,
                ended_at=self._when(event.at),
            )
            self.finished = True
