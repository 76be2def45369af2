"""Which pose a figure shows at a moment of a session, and whether it is moving.

Motion follows the step, from the session's own state (never from a clock of
its own), so a paused session shows a still figure and a resumed one carries on
where it was:

- timed work (``time``): a held figure moves into its position and stays; a
  moving one (walking, swings) goes round at its own pace;
- paced reps (``rep_time``): one movement per rep;
- held reps (``hold``): in at the start of each hold, out in the release;
- untimed reps: one movement every ``tempo`` seconds of the figure;
- ``sides``: the figure is drawn for the right side and mirrored for the left,
  rep by rep with ``alternate``.

Rests, switches and the get-ready countdown show a still figure (the coming
exercise's, with the get-ready and rest screens).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from routine_timer.core.announce import rep_side
from routine_timer.core.engine import SessionState, SessionStatus
from routine_timer.core.figures import FIGURES, Figure, Motion
from routine_timer.core.model import Exercise, Side
from routine_timer.core.plan import Step, StepKind, Timeline
from routine_timer.core.pose import Pose

MOVE_IN = 1.5
"""Seconds a held figure takes to move into its position (less in a short hold)."""
MOVE_OUT = 1.0
"""Seconds it takes to come out of a held rep (less in a short release)."""
TOP_SHARE = 0.2
"""The share of a paced rep spent still at the top of the movement."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One moment of a figure: its pose, the side it is drawn for, and what comes next."""

    figure: Figure
    pose: Pose
    mirrored: bool = False
    moving: bool = False
    """Whether the pose changes from one moment to the next."""
    still_until: float | None = None
    """When the figure stands still: the step's elapsed seconds at which it moves
    again, or None when it does not move again within the step."""


@dataclass(frozen=True, slots=True)
class Picture:
    """What the session screen shows beside the digits."""

    exercise: Exercise
    frame: Frame | None
    """The drawn figure; None when the exercise has a picture file (``image``)."""
    large: bool
    """The exercise being worked (large), or the coming one on a rest or the get-ready
    countdown (small)."""


def shows_pictures(timeline: Timeline) -> bool:
    """Whether any exercise of ``timeline`` has a figure or a picture to show."""
    return any(
        step.exercise is not None
        and (step.exercise.figure is not None or step.exercise.image is not None)
        for step in timeline.steps
    )


def figure_of(exercise: Exercise | None) -> Figure | None:
    """The drawn figure an exercise asks for, if any."""
    if exercise is None or exercise.figure is None:
        return None
    return FIGURES.get(exercise.figure)


def still_frame(figure: Figure, *, mirrored: bool = False) -> Frame:
    """The figure's still picture (a thumbnail, the coming exercise)."""
    return Frame(figure, figure.still_pose, mirrored)


def session_picture(state: SessionState) -> Picture | None:
    """What to show for ``state``: None when there is no exercise with a picture to show."""
    step = state.step
    if step is None or state.status is SessionStatus.FINISHED:
        return None
    if step.kind.is_exercise:
        return _picture(step, state, large=True)
    if step.kind is StepKind.SWITCH:
        # Changing sides: the coming side's starting position, still.
        return _picture(step, None, large=True)
    following = state.next_step
    if following is None or not following.kind.is_exercise:
        return None
    return _picture(following, None, large=False)


def _picture(step: Step, state: SessionState | None, *, large: bool) -> Picture | None:
    exercise = step.exercise
    if exercise is None or (exercise.figure is None and exercise.image is None):
        return None
    figure = figure_of(exercise)
    if figure is None:
        return Picture(exercise, None, large)
    if state is None:
        side = step.side or rep_side(exercise, 1)
        pose = figure.start_pose if step.kind is StepKind.SWITCH else figure.still_pose
        return Picture(exercise, Frame(figure, pose, side is Side.LEFT), large)
    frame = work_frame(figure, exercise, step, state.elapsed_in_step)
    if state.status is not SessionStatus.RUNNING:
        frame = Frame(figure, frame.pose, frame.mirrored)  # paused: still where it is
    return Picture(exercise, frame, large)


def work_frame(figure: Figure, exercise: Exercise, step: Step, elapsed: float) -> Frame:
    """The figure ``elapsed`` seconds into a work (or untimed) step of ``exercise``."""
    elapsed = max(0.0, elapsed)
    if step.kind is StepKind.WORK and exercise.time is not None:
        return _timed(figure, step, elapsed)
    if step.kind is StepKind.WORK and exercise.hold is not None:
        return _held_reps(figure, exercise, step, elapsed)
    period = exercise.rep_time if step.kind is StepKind.WORK else None
    return _paced_reps(figure, exercise, step, elapsed, period or figure.tempo)


def _mirrored(figure: Figure, exercise: Exercise, step: Step, rep: int) -> bool:
    """Whether rep ``rep`` (0-based) is drawn for the left side."""
    side = step.side or rep_side(exercise, rep + 1)
    left = side is Side.LEFT
    if figure.alternates:
        left = left != (rep % 2 == 1)
    return left


def _ease(share: float) -> float:
    share = min(1.0, max(0.0, share))
    return 0.5 - 0.5 * math.cos(math.pi * share)


def along(figure: Figure, share: float) -> Pose:
    """The pose ``share`` (0 to 1) of the way along the figure's movement.

    A held figure goes from its first keyframe to its last; a moving one goes
    round all its keyframes and back to the first.
    """
    frames = figure.keyframes
    legs = len(frames) if figure.motion is Motion.CYCLE else len(frames) - 1
    if figure.motion is Motion.CYCLE:
        share %= 1.0
    position = min(1.0, max(0.0, share)) * legs
    index = min(int(position), legs - 1)
    first = frames[index]
    second = frames[(index + 1) % len(frames)]
    return first.blend(second, _ease(position - index))


def _timed(figure: Figure, step: Step, elapsed: float) -> Frame:
    mirrored = step.side is Side.LEFT
    if figure.motion is Motion.CYCLE:
        return Frame(figure, along(figure, elapsed / figure.tempo), mirrored, moving=True)
    move_in = min(MOVE_IN, step.duration * 0.4) if step.duration > 0 else 0.0
    if elapsed >= move_in:
        return Frame(figure, figure.keyframes[-1], mirrored)
    return Frame(figure, along(figure, elapsed / move_in), mirrored, moving=True)


def _held_reps(figure: Figure, exercise: Exercise, step: Step, elapsed: float) -> Frame:
    hold = exercise.hold or 0.0
    release = exercise.release
    period = hold + release
    reps = exercise.rep_count or 1
    rep = min(int(elapsed // period), reps - 1) if period > 0 else 0
    into = elapsed - rep * period
    start = rep * period
    mirrored = _mirrored(figure, exercise, step, rep)
    last = rep == reps - 1
    move_in = min(MOVE_IN, hold * 0.4)
    move_out = min(MOVE_OUT, release * 0.6)

    def frame(share: float, moving: bool, until: float | None = None) -> Frame:
        return Frame(figure, _held_pose(figure, share), mirrored, moving, until)

    if into < move_in:
        return frame(into / move_in, True)
    if into < hold or last or move_out <= 0:
        return frame(1.0, False, None if last or move_out <= 0 else start + hold)
    if into < hold + move_out:
        return frame(1.0 - (into - hold) / move_out, True)
    return frame(0.0, False, start + period)


def _held_pose(figure: Figure, share: float) -> Pose:
    if figure.motion is Motion.CYCLE:
        # A moving figure held: from its first keyframe to the one halfway round.
        return along(figure, 0.5 * _ease(share) if share < 1.0 else 0.5)
    return along(figure, share)


def _paced_reps(
    figure: Figure, exercise: Exercise, step: Step, elapsed: float, period: float
) -> Frame:
    rep = int(elapsed // period)
    if exercise.rep_count is not None and step.kind is StepKind.WORK:
        rep = min(rep, exercise.rep_count - 1)
    into = (elapsed - rep * period) / period
    mirrored = _mirrored(figure, exercise, step, rep)
    if figure.motion is Motion.CYCLE:
        return Frame(figure, along(figure, into), mirrored, moving=True)
    rising = (1.0 - TOP_SHARE) / 2
    if into < rising:
        return Frame(figure, along(figure, into / rising), mirrored, moving=True)
    if into < rising + TOP_SHARE:
        until = (rep + rising + TOP_SHARE) * period
        return Frame(figure, figure.keyframes[-1], mirrored, still_until=until)
    share = 1.0 - (into - rising - TOP_SHARE) / rising
    return Frame(figure, along(figure, share), mirrored, moving=True)
