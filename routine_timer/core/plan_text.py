"""How a timeline reads in words, wherever it is listed.

``routine-timer plan``, the library's timeline pane and the editor's live
preview show the same rows and the same totals, from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, NamedTuple

from routine_timer.core.announce import CueKind, step_cues
from routine_timer.core.durations import format_clock
from routine_timer.core.plan import Step, Timeline

UNTIMED: Final = "your pace"
"""The length shown for an untimed set: it lasts until the runner says it is done."""


class TimelineRow(NamedTuple):
    """One step as a row: when it starts, its kind, how long it lasts, and what it is."""

    start: str
    kind: str
    length: str
    step: str


def timeline_rows(timeline: Timeline, limit: int | None = None) -> Iterator[TimelineRow]:
    """The rows of the first ``limit`` steps (all of them by default)."""
    steps = timeline.steps if limit is None else timeline.steps[:limit]
    for step in steps:
        length = format_clock(step.duration) if step.is_timed else UNTIMED
        # A named block (format 2) is shown where it starts.
        title = f"{step.block_name}: {step.title}" if step.block_start else step.title
        yield TimelineRow(format_clock(step.start), step.kind.value, length, title)


class SpokenLine(NamedTuple):
    """Words spoken during a step, and how far into the step."""

    at: str
    text: str


_COACHING: Final = frozenset({CueKind.COACH, CueKind.SAY})


def spoken_lines(step: Step, next_step: Step | None = None) -> list[SpokenLine]:
    """When the step's first cue and its ``say`` entries are spoken, as the session says them.

    ``at 0:10  "Keep hips level"`` under a work step in ``routine-timer plan``:
    the same cues, at the same offsets, as :func:`announce.step_cues` gives the
    session (the step's own announcement, reps and countdown are left out).
    """
    if not step.kind.is_exercise:
        return []
    return [
        SpokenLine(format_clock(cue.offset), cue.text)
        for cue in step_cues(step, next_step)
        if cue.kind in _COACHING
    ]


def plain_seconds(seconds: float) -> int | float:
    """Whole seconds as an int (235, not 235.0), fractions kept: for text and JSON."""
    return int(seconds) if float(seconds).is_integer() else seconds


def total_line(timeline: Timeline) -> str:
    """``3:55 (235 s) + 1 untimed set at your own pace``: the whole routine's length."""
    total = timeline.total_seconds
    text = f"{format_clock(total)} ({plain_seconds(total)} s)"
    manual = timeline.manual_steps
    if manual:
        text += f" + {manual} untimed {'set' if manual == 1 else 'sets'} at your own pace"
    return text


def short_total(timeline: Timeline) -> str:
    """``8:43`` or ``11:24 + 6 at your pace``: the length in a list of routines."""
    text = format_clock(timeline.total_seconds)
    if timeline.manual_steps:
        text += f" + {timeline.manual_steps} at {UNTIMED}"
    return text
