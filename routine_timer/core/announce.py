"""What a session says, and when, during each step of a timeline.

The engine asks :func:`step_cues` for the cues of a step, as offsets into the
step, and turns them into timed :class:`Cue` objects. The spoken texts are
built here, without Qt, so tests can read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from routine_timer.core.durations import describe
from routine_timer.core.model import Exercise, Side, Sides
from routine_timer.core.plan import Step, StepKind

HALFWAY_MIN_SECONDS = 20.0
"""Work steps at least this long get a "Halfway" cue."""

SWITCH_TEXT = "Switch sides"
HALFWAY_TEXT = "Halfway"
RELEASE_TEXT = "Release"
FINISHED_TEXT = "Routine complete"


class CueKind(StrEnum):
    """What a cue marks; the cue players choose a sound or a voice for each."""

    STEP_START = "step_start"
    """A step begins; the text announces it."""
    COACH = "coach"
    """The first coaching point of a work or manual step, right after its start."""
    HALFWAY = "halfway"
    """Halfway through a work step of 20 seconds or more."""
    SAY = "say"
    """One of the exercise's ``say`` entries."""
    COUNTDOWN = "countdown"
    """3-2-1 before a timed step ends; ``count`` is the number."""
    STEP_END = "step_end"
    """A timed step ran out (the end-of-step sound); no text."""
    SWITCH_SIDES = "switch_sides"
    """A switch step begins (instead of STEP_START)."""
    REP = "rep"
    """A rep begins in held or paced reps; ``count`` is the rep number."""
    RELEASE = "release"
    """The hold of a held rep ends and the release begins."""
    FINISHED = "finished"
    """The routine is complete."""
    VARIATION = "variation"
    """The runner switched the coming exercise to another variation; the text names it."""


@dataclass(frozen=True, slots=True)
class Cue:
    """Something to play or say at a moment of a step."""

    kind: CueKind
    step: Step
    text: str
    """Words to speak ("" when there is nothing to say)."""
    offset: float
    """Seconds into the step at which it is due."""
    due: float
    """Monotonic time it was due, so a player can drop a cue that comes far too late."""
    count: int | None = None
    """The countdown number or the rep number."""
    side: Side | None = None


@dataclass(frozen=True, slots=True)
class PlannedCue:
    """A cue of a step before it is given a time: what, and how far into the step."""

    kind: CueKind
    offset: float
    text: str = ""
    count: int | None = None
    side: Side | None = None


# Cues due at the same instant come in this order (the step's own announcement
# first, the end-of-step sound last).
_ORDER = {
    kind: rank
    for rank, kind in enumerate(
        (
            CueKind.STEP_START,
            CueKind.VARIATION,
            CueKind.SWITCH_SIDES,
            CueKind.COACH,
            CueKind.RELEASE,
            CueKind.REP,
            CueKind.SAY,
            CueKind.HALFWAY,
            CueKind.COUNTDOWN,
            CueKind.STEP_END,
            CueKind.FINISHED,
        )
    )
}


def step_cues(step: Step, next_step: Step | None, countdown: int = 3) -> list[PlannedCue]:
    """Every cue of ``step``, sorted by offset (and by kind at equal offsets).

    ``countdown`` is how many seconds are counted down before a timed step
    ends (0 for none). A manual step has no end, so it gets no countdown,
    halfway or end cue.
    """
    cues: list[PlannedCue] = []
    if step.kind is StepKind.SWITCH:
        cues.append(PlannedCue(CueKind.SWITCH_SIDES, 0.0, SWITCH_TEXT))
    else:
        cues.append(PlannedCue(CueKind.STEP_START, 0.0, announcement(step, next_step)))
    exercise = step.exercise
    if step.kind.is_exercise and exercise is not None:
        if exercise.cues:
            cues.append(PlannedCue(CueKind.COACH, 0.0, exercise.cues[0]))
        cues.extend(_say_cues(step, exercise))
        if step.kind is StepKind.WORK:
            cues.extend(_rep_cues(exercise))
            if step.duration >= HALFWAY_MIN_SECONDS:
                cues.append(PlannedCue(CueKind.HALFWAY, step.duration / 2, HALFWAY_TEXT))
    if step.is_timed:
        cues.extend(_countdown_cues(step.duration, countdown))
        cues.append(PlannedCue(CueKind.STEP_END, step.duration))
    cues.sort(key=lambda cue: (cue.offset, _ORDER[cue.kind]))
    return cues


def _say_cues(step: Step, exercise: Exercise) -> list[PlannedCue]:
    # A manual step counts up without end, so any offset lies inside it.
    offsets = ((say.offset_in(step.duration), say.text) for say in exercise.say)
    return [
        PlannedCue(CueKind.SAY, offset, text)
        for offset, text in offsets
        if offset >= 0 and (not step.is_timed or offset < step.duration)
    ]


def _rep_cues(exercise: Exercise) -> list[PlannedCue]:
    count = exercise.rep_count
    period = rep_period(exercise)
    if count is None or period is None:
        return []
    cues: list[PlannedCue] = []
    for number in range(1, count + 1):
        side = rep_side(exercise, number)
        start = (number - 1) * period
        cues.append(PlannedCue(CueKind.REP, start, rep_text(number, side), number, side))
        # No release after the last hold: the step ends there instead.
        if exercise.hold is not None and exercise.release > 0 and number < count:
            cues.append(PlannedCue(CueKind.RELEASE, start + exercise.hold, RELEASE_TEXT))
    return cues


def _countdown_cues(duration: float, countdown: int) -> list[PlannedCue]:
    # Only seconds that lie inside the step: a 2 s step gets "2, 1".
    return [
        PlannedCue(CueKind.COUNTDOWN, duration - number, str(number), number)
        for number in range(countdown, 0, -1)
        if duration - number >= 0
    ]


def rep_period(exercise: Exercise) -> float | None:
    """Seconds from one rep's start to the next: hold plus release, or the rep time.

    None when the reps are not paced (the user counts them at their own pace).
    """
    if exercise.hold is not None:
        return exercise.hold + exercise.release
    if exercise.rep_time is not None:
        return exercise.rep_time
    return None


def rep_side(exercise: Exercise, number: int) -> Side | None:
    """The side of rep ``number`` (1-based) for ``sides: alternate``: left first."""
    if exercise.sides is not Sides.ALTERNATE:
        return None
    return Side.LEFT if number % 2 == 1 else Side.RIGHT


def rep_text(number: int, side: Side | None) -> str:
    """What is said as a rep begins: "Rep 3", or "Rep 3, left" when reps alternate."""
    return f"Rep {number}" if side is None else f"Rep {number}, {side.value}"


def announcement(step: Step, next_step: Step | None) -> str:
    """What is said as ``step`` begins ("Rest 15 seconds. Next: Side plank")."""
    if step.kind is StepKind.PREPARE:
        if next_step is None or next_step.exercise is None:
            return "Get ready"
        return f"Get ready. First: {next_step.label}, {work_summary(next_step.exercise)}"
    if step.kind is StepKind.SWITCH:
        return SWITCH_TEXT
    if step.kind is StepKind.REST:
        text = f"Rest {describe(step.duration)}"
        if next_step is None:
            return text
        if next_step.block_start:
            return f"{text}. Next: {next_step.block_name}, {next_step.label}"
        return f"{text}. Next: {next_step.label}"
    text = describe_work_step(step)
    return f"{step.block_name}. {text}" if step.block_start else text


def variation_text(step: Step) -> str:
    """What is said when the runner picks a variation of ``step``'s exercise, the coming one."""
    exercise = step.exercise
    if exercise is None:
        return step.label
    kind = "As written" if exercise.variant is None else exercise.variant.value.capitalize()
    return f"{kind}: {step.label}, {work_summary(exercise)}"


def describe_work_step(step: Step) -> str:
    """A work or manual step in words: "Squat, set 1 of 3, 10 reps. Press Done when finished"."""
    parts = [step.label]
    if step.sets is not None and step.sets > 1:
        parts.append(f"set {step.set} of {step.sets}")
    if step.exercise is not None:
        parts.append(work_summary(step.exercise))
    if step.side is not None:
        parts.append(f"{step.side.value} side")
    text = ", ".join(parts)
    if step.kind is StepKind.MANUAL:
        text += ". Press Done when finished"
    return text


def work_summary(exercise: Exercise) -> str:
    """How much of the exercise one work period holds: "30 seconds", "10 reps, hold 5 seconds"."""
    if exercise.time is not None:
        return describe(exercise.time)
    reps = exercise.reps or 0
    text = f"{reps} rep" if reps == 1 else f"{reps} reps"
    if exercise.sides is Sides.ALTERNATE:
        text += " each side"
    if exercise.hold is not None:
        text += f", hold {describe(exercise.hold)}"
    return text
