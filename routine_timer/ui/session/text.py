"""What the session screen says, worked out from a session snapshot (no Qt here).

Kept apart from the widgets so that every line shown at every kind of step can
be tested as plain strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from routine_timer.core.durations import describe, format_clock
from routine_timer.core.engine import SessionFinished, SessionState, SessionStatus
from routine_timer.core.model import Exercise, Side
from routine_timer.core.plan import Step, StepKind, Timeline
from routine_timer.core.variations import VariationOffer
from routine_timer.ui.theme import Look

SIDE_WORDS = {Side.LEFT: "LEFT", Side.RIGHT: "RIGHT"}
"""The side marker's word; the marker adds an arrow and sits on that side of the screen."""
SIDE_PREFIXES = {StepKind.PREPARE: "FIRST", StepKind.SWITCH: "NOW"}
"""Before the side's work begins, the marker says when it is meant."""

HEADINGS = {
    StepKind.PREPARE: "GET READY",
    StepKind.WORK: "WORK",
    StepKind.MANUAL: "YOUR PACE",
    StepKind.SWITCH: "SWITCH SIDES",
    StepKind.REST: "REST",
}

KEY_LEGEND = (
    "Pause: Space · B · Play/Pause key    "
    "Skip: → · PgDn · Next key    "
    "Back: ← · PgUp · Previous key"
)
"""The line under the buttons: the keys of a keyboard, a presentation clicker and a
media remote or headset (the buttons themselves name Enter, Esc, M and F11)."""


@dataclass(frozen=True, slots=True)
class ScreenText:
    """Everything the session screen shows for one moment of a session."""

    look: Look
    heading: str
    """The kind of step in capitals ("WORK", "REST", "PAUSED - WORK")."""
    title: str
    """The exercise (or "Rest", or the routine before the start)."""
    details: str
    """Set x of y, side, rep x of n, hold time - whichever apply."""
    digits: str
    """Countdown (or count-up for untimed sets) in the ring."""
    ring: float
    """Part of the ring drawn: what is left of the step, 0..1."""
    caption: str
    """Small line under the digits ("hold", "release", "time spent")."""
    coach: str
    """The first coaching cue."""
    hints: str
    """Easier / harder variations, and the keys that switch to them when they can."""
    next_up: str
    overall: str
    """Where the routine stands: step x of n, time left."""
    progress: float
    done_button: bool
    """True in an untimed set: the big Done button is shown."""
    side: Side | None = None
    """The side the big marker points to: worked now, or next after a switch or get-ready."""
    side_text: str = ""
    """The marker's words ("LEFT", "NOW: RIGHT", "FIRST: LEFT"); "" without a side."""
    ring_name: str = "Time left"
    """What the ring is called for a screen reader: "Time left", "Time spent", ..."""
    time_words: str = ""
    """The ring's time as a screen reader says it: "18 seconds", "1 minute 30 seconds"."""
    seconds: int | None = None
    """Whole seconds left of a timed step (None: untimed, or not running)."""


def _spoken(text: str) -> str:
    return text.replace(" · ", ", ")


def step_announcement(text: ScreenText) -> str:
    """What a screen reader announces as a step starts: "Work. Front plank. Set 1 of 2, ..."."""
    parts = [text.heading.capitalize(), text.title, text.details]
    if text.side_text:
        parts.append(side_words(text))
    return ". ".join(_spoken(part) for part in parts if part)


def side_words(text: ScreenText) -> str:
    """The side marker read out: "Left side", "Now: right side", "First: left side"."""
    return f"{text.side_text.capitalize()} side" if text.side_text else ""


def side_marker(kind: StepKind, side: Side | None) -> str:
    """The words of the side marker for a step of ``kind`` about ``side``."""
    if side is None:
        return ""
    prefix = SIDE_PREFIXES.get(kind)
    return f"{prefix}: {SIDE_WORDS[side]}" if prefix else SIDE_WORDS[side]


def countdown_digits(seconds: float) -> str:
    """Digits for a countdown: ``"25"`` under a minute (larger on screen), else ``"1:30"``."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return str(whole) if whole < 60 else format_clock(whole)


def count_up_digits(seconds: float) -> str:
    """Digits for time spent so far: ``"0:42"``."""
    return format_clock(math.floor(max(0.0, seconds) + 1e-9))


def _seconds(value: float) -> str:
    return f"{value:g} s" if value < 60 else format_clock(value)


def step_summary(step: Step) -> str:
    """A short line about a step, as in "Next: ..." and the library's timeline."""
    if step.kind is StepKind.REST:
        return f"Rest {_seconds(step.duration)}"
    if step.kind is StepKind.SWITCH:
        return f"Switch sides {_seconds(step.duration)}"
    if step.kind is StepKind.PREPARE:
        return f"Get ready {_seconds(step.duration)}"
    parts = [step.label]
    if step.sets and step.sets > 1:
        parts.append(f"set {step.set} of {step.sets}")
    if step.side is not None:
        parts.append(f"{step.side.value} side")
    if step.kind is StepKind.MANUAL:
        reps = step.exercise.rep_count if step.exercise else None
        parts.append(f"{reps} reps" if reps else "at your pace")
    else:
        parts.append(_seconds(step.duration))
    return " · ".join(parts)


def _exercise_details(step: Step, state: SessionState | None) -> str:
    exercise = step.exercise
    parts: list[str] = []
    if step.sets and step.sets > 1:
        parts.append(f"Set {step.set} of {step.sets}")
    side = state.side if state is not None and state.side is not None else step.side
    if side is not None:
        parts.append(f"{side.value.capitalize()} side")
    if exercise is not None:
        parts += _rep_details(exercise, state)
    if step.rounds > 1:
        parts.append(f"Round {step.round} of {step.rounds}")
    if exercise is not None and exercise.variant is not None:
        parts.append(f"{exercise.variant.value.capitalize()} variation")
    return " · ".join(parts)


def _rep_details(exercise: Exercise, state: SessionState | None) -> list[str]:
    parts: list[str] = []
    if state is not None and state.rep is not None and state.reps is not None:
        parts.append(f"Rep {state.rep} of {state.reps}")
    elif exercise.reps is not None:
        per_side = " each side" if exercise.sides is not None else ""
        parts.append(f"{exercise.reps} reps{per_side}")
    elif exercise.time is not None:
        parts.append(describe(exercise.time))
    if exercise.hold is not None:
        parts.append(f"Hold {_seconds(exercise.hold)}")
    return parts


def _hints(exercise: Exercise | None) -> str:
    if exercise is None:
        return ""
    parts = []
    if exercise.easier:
        parts.append(f"Easier: {exercise.easier}")
    if exercise.harder:
        parts.append(f"Harder: {exercise.harder}")
    return " · ".join(parts)


def _coach(exercise: Exercise | None) -> str:
    return exercise.cues[0] if exercise is not None and exercise.cues else ""


def _overall(state: SessionState, timeline: Timeline, step: Step | None) -> str:
    parts = []
    if step is not None:
        parts.append(f"Step {step.index + 1} of {len(timeline.steps)}")
    parts.append(f"{format_clock(state.remaining_total)} left")
    if state.manual_steps_left:
        sets = "set" if state.manual_steps_left == 1 else "sets"
        parts.append(f"+ {state.manual_steps_left} {sets} at your pace")
    return " · ".join(parts)


def screen_text(
    state: SessionState,
    timeline: Timeline,
    *,
    routine_name: str = "",
    offer: VariationOffer | None = None,
) -> ScreenText:
    """What to show for ``state`` of a session over ``timeline``.

    ``offer`` is what the coming exercise can be switched to now, if anything.
    """
    step = state.step
    name = routine_name or timeline.routine_name
    if state.status is SessionStatus.READY or step is None:
        return _ready_text(state, timeline, name)
    paused = state.status is SessionStatus.PAUSED
    heading = HEADINGS[step.kind]
    exercise = step.exercise
    title = step.label
    details = ""
    caption = ""
    marked: Side | None = None
    if step.kind is StepKind.PREPARE:
        # The get-ready screen is about what comes first.
        first = state.next_step
        exercise = first.exercise if first is not None else None
        title = f"First: {first.label}" if first is not None else name
        details = _exercise_details(first, None) if first is not None else ""
        marked = first.side if first is not None else None
    elif step.kind.is_exercise:
        details = _exercise_details(step, state)
        marked = state.side if state.side is not None else step.side
        if state.holding is not None:
            caption = "hold" if state.holding else "release"
    elif step.kind is StepKind.SWITCH:
        upcoming = state.next_step
        side = upcoming.side if upcoming is not None and upcoming.side else None
        details = f"Now the {side.value} side" if side is not None else ""
        marked = side
    seconds: int | None = None
    if step.kind is StepKind.MANUAL:
        digits = count_up_digits(state.elapsed_in_step)
        ring = 1.0
        caption = "time spent"
        time_words = describe(math.floor(max(0.0, state.elapsed_in_step) + 1e-9))
    else:
        remaining = state.remaining_in_step if state.remaining_in_step is not None else 0.0
        digits = countdown_digits(remaining)
        ring = remaining / step.duration if step.duration > 0 else 0.0
        seconds = max(0, math.ceil(remaining - 1e-9))
        time_words = describe(seconds)
    show_coaching = step.kind is StepKind.PREPARE or step.kind.is_exercise
    next_step = state.next_step
    next_up = f"Next: {step_summary(next_step)}" if next_step is not None else "Next: finish"
    if step.kind is StepKind.PREPARE and next_step is not None:
        following = (
            timeline.steps[next_step.index + 1]
            if next_step.index + 1 < len(timeline.steps)
            else None
        )
        next_up = f"Then: {step_summary(following)}" if following is not None else "Then: finish"
    return ScreenText(
        look=Look.PAUSED if paused else Look(step.kind.value),
        heading=f"PAUSED · {heading}" if paused else heading,
        title=title,
        details=details,
        digits=digits,
        ring=ring,
        caption=caption,
        coach=_coach(exercise) if show_coaching else "",
        hints=offer.keys_text() if offer is not None else _hints(exercise) if show_coaching else "",
        next_up=next_up,
        overall=_overall(state, timeline, step),
        progress=state.progress,
        done_button=step.kind is StepKind.MANUAL,
        side=marked,
        side_text=side_marker(step.kind, marked),
        ring_name="Time spent" if step.kind is StepKind.MANUAL else "Time left",
        time_words=time_words,
        seconds=seconds,
    )


def _ready_text(state: SessionState, timeline: Timeline, name: str) -> ScreenText:
    finished = state.status in (SessionStatus.FINISHED, SessionStatus.STOPPED)
    # "First:" names the first exercise, not the get-ready countdown in front of it.
    first = next((step for step in timeline.steps if step.kind is not StepKind.PREPARE), None)
    heading = "READY"
    if state.status is SessionStatus.FINISHED:
        heading = "FINISHED"
    elif state.status is SessionStatus.STOPPED:
        heading = "STOPPED"
    return ScreenText(
        look=Look.FINISHED if finished else Look.READY,
        heading=heading,
        title=name,
        details=f"{len(timeline.steps)} steps · {format_clock(timeline.total_seconds)}",
        digits=format_clock(state.remaining_total if not finished else 0),
        ring=0.0 if finished else 1.0,
        caption="" if finished else "press Start",
        coach="",
        hints="",
        next_up=f"First: {step_summary(first)}" if first is not None and not finished else "",
        overall=_overall(state, timeline, None),
        progress=state.progress,
        done_button=False,
        ring_name="Routine length",
        time_words="" if finished else describe(state.remaining_total),
    )


def finish_heading(event: SessionFinished) -> str:
    """The finish screen's title: complete only when no set was skipped."""
    return "Routine complete" if event.sets_skipped == 0 else "End of the routine"


def finish_details(event: SessionFinished) -> str:
    """Below the time: the sets skipped, if any, and the time paused, if a second or more."""
    parts = []
    if event.sets_skipped:
        parts.append(f"{event.sets_done} of {event.sets_planned} sets done")
    if event.paused_seconds >= 1:
        parts.append(f"plus {format_clock(event.paused_seconds)} paused")
    return " · ".join(parts)
