"""A drawn human figure as joint angles, laid out on the floor by 2-D forward kinematics.

A :class:`Pose` holds angles in degrees: the trunk's direction, and every
joint relative to the segment it hangs from. :func:`layout` walks the body
from the pelvis outward, segment by segment, and puts the lowest point of the
body on the floor. Nothing here draws: the SVG writer and the window's painter
both draw the strokes of a :class:`Layout`, so the two pictures cannot differ.

Directions are measured in degrees from straight up, clockwise: 0 points up,
90 forward (to the right of the picture), 180 down, 270 back. The picture's y
axis points up, with the floor at y = 0.

Two views:

- ``side``: the figure faces right, its right side nearer the viewer. Joint
  angles are the usual flexions: ``hip`` brings the thigh forward, ``knee``
  bends the shin back, ``ankle`` points the toes (plantar flexion, 0 = foot at
  a right angle to the shin), ``shoulder`` raises the arm forward, ``elbow``
  bends the forearm forward, ``spine`` rounds the upper back forward (a
  negative value arches it), ``neck`` bows the head.
- ``front``: the figure faces the viewer, its right side on the viewer's
  left. ``hip`` and ``shoulder`` move a limb out to its own side
  (abduction), ``knee`` and ``elbow`` bend it toward the body's midline,
  ``spine`` bends the upper body sideways toward the figure's left.
- ``end``: seen from the head end (see :attr:`View.END`).

The trunk angle is absolute (the direction from the pelvis to the middle of
the back), so a plank, a bridge or a stand are each one number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Final


class View(StrEnum):
    """Which way the figure is seen."""

    SIDE = "side"
    FRONT = "front"
    END = "end"
    """Seen from the head end, along the body: for turns of the upper back lying on a
    side. The trunk is foreshortened to a point, the shoulders and hips are lines
    across (``trunk`` turns the hips, ``spine`` the shoulders against them), and
    the limbs move as in the front view; the shins point away and are not seen."""


@dataclass(frozen=True, slots=True)
class Pose:
    """Joint angles in degrees (see the module's doc); 0 everywhere is standing tall."""

    trunk: float = 0.0
    spine: float = 0.0
    neck: float = 0.0
    hip_l: float = 0.0
    hip_r: float = 0.0
    knee_l: float = 0.0
    knee_r: float = 0.0
    ankle_l: float = 0.0
    ankle_r: float = 0.0
    shoulder_l: float = 0.0
    shoulder_r: float = 0.0
    elbow_l: float = 0.0
    elbow_r: float = 0.0

    def mirrored(self) -> Pose:
        """The same pose with the left and right angles swapped."""
        swapped = {}
        for name in ANGLE_NAMES:
            if name.endswith("_l"):
                swapped[name] = getattr(self, name[:-2] + "_r")
            elif name.endswith("_r"):
                swapped[name] = getattr(self, name[:-2] + "_l")
        return replace(self, **swapped)

    def blend(self, other: Pose, share: float) -> Pose:
        """The pose ``share`` of the way from this one to ``other`` (0 is this, 1 is other)."""
        if share <= 0.0:
            return self
        if share >= 1.0:
            return other
        return Pose(
            **{
                name: mine + (getattr(other, name) - mine) * share
                for name, mine in ((name, getattr(self, name)) for name in ANGLE_NAMES)
            }
        )

    @classmethod
    def from_angles(cls, angles: Mapping[str, float], base: Pose | None = None) -> Pose:
        """``base`` (standing) with the given angles; an unknown name is a ``ValueError``."""
        unknown = sorted(set(angles) - set(ANGLE_NAMES))
        if unknown:
            raise ValueError(f"unknown joint angle(s): {', '.join(unknown)}")
        return replace(base or cls(), **{name: float(value) for name, value in angles.items()})


ANGLE_NAMES: Final = tuple(field.name for field in fields(Pose))
"""Every angle of a pose, in the order of the dataclass."""


# Segment lengths and widths, in the units of the picture (a standing figure is about
# 170 tall). Rough human proportions; arms a little short so that hands and knees
# reach the floor together in a four-point kneel with the back level.
LOWER_TRUNK: Final = 25.0
UPPER_TRUNK: Final = 27.0
NECK: Final = 5.0
HEAD_RADIUS: Final = 10.5
THIGH: Final = 44.0
SHIN: Final = 42.0
HEEL: Final = 6.0
FOOT: Final = 17.0
UPPER_ARM: Final = 28.0
FOREARM: Final = 26.0
"""Elbow to fingertips."""
HIP_HALF_WIDTH: Final = 9.0
"""Front view: half the distance between the hip joints."""
SHOULDER_HALF_WIDTH: Final = 17.0
TRUNK_WIDTH: Final = 15.0
LIMB_WIDTH: Final = 9.0
HEAD_ON_FLOOR: Final = 4.0
"""How far a head resting on the floor sinks into the mat, so it does not lift the body."""


Point = tuple[float, float]


def direction(degrees: float) -> Point:
    """The unit vector of a direction measured clockwise from straight up."""
    radians = math.radians(degrees)
    return (math.sin(radians), math.cos(radians))


def _step(start: Point, degrees: float, length: float) -> Point:
    dx, dy = direction(degrees)
    return (start[0] + dx * length, start[1] + dy * length)


@dataclass(frozen=True, slots=True)
class Stroke:
    """One line of the drawing: a polyline of ``width``; ``far`` limbs are drawn hollow."""

    points: tuple[Point, ...]
    width: float
    far: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """Where every joint of a pose lies, with the floor at y = 0."""

    points: Mapping[str, Point]
    """Joints by name: ``pelvis``, ``waist``, ``chest``, ``head``, and per side
    ``hip``, ``knee``, ``ankle``, ``heel``, ``toe``, ``shoulder``, ``elbow``,
    ``hand`` with ``_l`` or ``_r``."""
    view: View

    @property
    def head(self) -> Point:
        return self.points["head"]

    def strokes(self) -> tuple[Stroke, ...]:
        """The lines to draw, back to front; the head is drawn after them as a disc."""
        p = self.points
        trunk = Stroke((p["pelvis"], p["waist"], p["chest"]), TRUNK_WIDTH)
        if self.view is not View.SIDE:
            # Hips and shoulders across, the limbs over the trunk.
            across = (
                Stroke((p["hip_l"], p["hip_r"]), LIMB_WIDTH),
                Stroke((p["shoulder_l"], p["shoulder_r"]), LIMB_WIDTH),
            )
            return (trunk, *across, *self._limbs("l"), *self._limbs("r"))
        # Seen from the side: the far (left) limbs behind the trunk, the near ones in front.
        return (*self._limbs("l", far=True), trunk, *self._limbs("r"))

    def _limbs(self, side: str, *, far: bool = False) -> tuple[Stroke, Stroke]:
        p = self.points
        leg = tuple(p[f"{joint}_{side}"] for joint in ("hip", "knee", "ankle", "heel", "toe"))
        arm = tuple(p[f"{joint}_{side}"] for joint in ("shoulder", "elbow", "hand"))
        return (Stroke(leg, LIMB_WIDTH, far), Stroke(arm, LIMB_WIDTH, far))

    def bounds(self) -> tuple[float, float, float, float]:
        """Left, bottom, right, top of everything drawn, strokes' widths included."""
        return _bounds([self])

    def moved(self, dx: float, dy: float) -> Layout:
        return Layout({k: (x + dx, y + dy) for k, (x, y) in self.points.items()}, self.view)

    def mirrored(self, centre: float) -> Layout:
        """Flipped left to right about x = ``centre``: the figure worked on the other side.

        A mirror image of a person is that person on the other side, so the names
        of the points swap sides too (what was ``hand_r`` is ``hand_l``).
        """
        flipped = {}
        for name, (x, y) in self.points.items():
            flipped[_other_side(name)] = (2 * centre - x, y)
        return Layout(flipped, self.view)

    def angle_at(self, first: str, middle: str, last: str) -> float:
        """The angle in degrees at ``middle`` between the lines to ``first`` and ``last``."""
        ax, ay = self.points[first]
        bx, by = self.points[middle]
        cx, cy = self.points[last]
        one = math.atan2(ay - by, ax - bx)
        two = math.atan2(cy - by, cx - bx)
        angle = abs(math.degrees(one - two)) % 360
        return 360 - angle if angle > 180 else angle


def _other_side(name: str) -> str:
    if name.endswith("_l"):
        return name[:-2] + "_r"
    if name.endswith("_r"):
        return name[:-2] + "_l"
    return name


_TRUNK_POINTS: Final = frozenset({"pelvis", "waist", "chest"})


def _reach(name: str) -> float:
    """How far the drawing reaches around a point: half its stroke, or the head's radius."""
    if name == "head":
        return HEAD_RADIUS
    return TRUNK_WIDTH / 2 if name in _TRUNK_POINTS else LIMB_WIDTH / 2


def _bounds(layouts: Iterable[Layout]) -> tuple[float, float, float, float]:
    left = bottom = math.inf
    right = top = -math.inf
    for one in layouts:
        for name, (x, y) in one.points.items():
            reach = _reach(name)
            left, right = min(left, x - reach), max(right, x + reach)
            bottom, top = min(bottom, y - reach), max(top, y + reach)
    return (left, bottom, right, top)


def union_bounds(layouts: Iterable[Layout]) -> tuple[float, float, float, float]:
    """The box that holds every one of ``layouts``, strokes' widths included."""
    return _bounds(layouts)


def body_points(pose: Pose, view: View) -> dict[str, Point]:
    """Every joint of ``pose`` with the pelvis at (0, 0), before it is put on the floor."""
    front = view is not View.SIDE
    end = view is View.END
    points: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    lower = pose.trunk
    upper = lower + pose.spine
    points["waist"] = _step(points["pelvis"], lower, 0.0 if end else LOWER_TRUNK)
    points["chest"] = _step(points["waist"], upper, 0.0 if end else UPPER_TRUNK)
    head_reach = 0.0 if end else NECK + HEAD_RADIUS
    points["head"] = _step(points["chest"], upper + pose.neck, head_reach)
    shin_length, foot_length = (0.0, 0.0) if end else (SHIN, FOOT * 0.45)
    for side, sign in (("l", 1.0), ("r", -1.0)):
        # The figure's left is on the viewer's right in the front view; seen from the
        # side, both hips and both shoulders are one point.
        if front:
            hip = _step(points["pelvis"], lower + 90 * sign, HIP_HALF_WIDTH)
            shoulder = _step(points["chest"], upper + 90 * sign, SHOULDER_HALF_WIDTH)
            out = sign
        else:
            hip, shoulder, out = points["pelvis"], points["chest"], 1.0
        hip_angle = getattr(pose, f"hip_{side}")
        knee_angle = getattr(pose, f"knee_{side}")
        ankle_angle = getattr(pose, f"ankle_{side}")
        thigh = lower + 180 - out * hip_angle
        shin = thigh + (-out if front else 1.0) * knee_angle
        knee = _step(hip, thigh, THIGH)
        ankle = _step(knee, shin, shin_length if front else SHIN)
        heel = _step(ankle, shin, 0.0 if end else HEEL)
        if front:
            # The foot points at the viewer: a short stub turned out a little.
            toe = _step(heel, shin - out * (90 - ankle_angle * 0.5), foot_length)
        else:
            toe = _step(heel, shin - 90 + ankle_angle, FOOT)
        arm = upper + 180 - out * getattr(pose, f"shoulder_{side}")
        forearm = arm + (out if front else -1.0) * getattr(pose, f"elbow_{side}")
        elbow = _step(shoulder, arm, UPPER_ARM)
        hand = _step(elbow, forearm, FOREARM)
        points |= {
            f"hip_{side}": hip,
            f"knee_{side}": knee,
            f"ankle_{side}": ankle,
            f"heel_{side}": heel,
            f"toe_{side}": toe,
            f"shoulder_{side}": shoulder,
            f"elbow_{side}": elbow,
            f"hand_{side}": hand,
        }
    return points


def layout(pose: Pose, view: View, anchor: str = "pelvis") -> Layout:
    """``pose`` on the floor: its lowest point at y = 0, the ``anchor`` joint at x = 0.

    The anchor is the point that stays put as the figure moves (the feet of a
    squat, the forearms of a plank), so a movement does not slide across the
    picture.
    """
    points = body_points(pose, view)
    if anchor not in points:
        raise ValueError(f"unknown anchor point {anchor!r}")
    # A head resting on the floor sinks into the mat a little rather than lift the body.
    lowest = min(
        y - _reach(name) + (HEAD_ON_FLOOR if name == "head" else 0.0)
        for name, (x, y) in points.items()
    )
    ax = points[anchor][0]
    return Layout(points, view).moved(-ax, -lowest)
