"""The app's own drawn figures, which an exercise may give with ``figure:``.

Each figure is data, in ``figures.json`` beside this module: a description,
a view (side or front), how it moves, and a handful of keyframes of joint
angles (:class:`~routine_timer.core.pose.Pose`). That file is the one owner of
the figure names: :data:`FIGURE_NAMES` is read from it, so that the loader can
check a name without Qt, and without PyYAML (JSON is read with the standard
library, before the window's first paint).

Keyframes are written as changes: each one starts from the keyframe before it
(the first from standing tall) and gives only the angles that differ.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from routine_timer.core.pose import Layout, Pose, View, body_points, layout, union_bounds

DATA_FILE: Final = Path(__file__).resolve().parent / "figures.json"
"""The keyframes of every figure."""


class Motion(StrEnum):
    """How a figure moves through its keyframes."""

    HOLD = "hold"
    """From the first keyframe (the start) through the others to the last (the
    position held, or the top of a rep), and back again for a rep."""
    CYCLE = "cycle"
    """Round and round the keyframes (walking, marching, swings)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One drawn figure."""

    name: str
    description: str
    """One line: what it shows, as ``routine-timer figures`` lists it."""
    view: View
    motion: Motion
    keyframes: tuple[Pose, ...]
    anchor: str = "pelvis"
    """The point that stays put as the figure moves (see :func:`pose.layout`)."""
    tempo: float = 3.0
    """Seconds of one cycle (``cycle``) or one rep (``hold``) at the figure's own pace,
    when the step does not set it (timed work of a cycle, untimed reps)."""
    alternates: bool = False
    """Each rep is done to the other side (a Russian twist), whatever ``sides`` says."""
    still: int = -1
    """The keyframe of a still picture (a thumbnail, the figure of the coming exercise)."""
    wall: float | None = None
    """A wall this far in front of the anchor, drawn as a line (a knee-to-wall stretch)."""

    @property
    def still_pose(self) -> Pose:
        return self.keyframes[self.still]

    @property
    def start_pose(self) -> Pose:
        return self.keyframes[0]

    def layout(self, pose: Pose) -> Layout:
        """``pose`` on the floor, as this figure anchors it."""
        return layout(pose, self.view, self.anchor)

    def frame_box(self) -> tuple[float, float, float, float]:
        """A box that holds the figure through all its motion, on either side.

        Fixed per figure, so that a picture does not change scale as it moves;
        :meth:`mirror_centre` flips a figure within the same box.
        """
        return _frame_boxes()[self.name]

    def mirror_centre(self) -> float:
        left, _, right, _ = self.frame_box()
        return (left + right) / 2

    def placed(self, pose: Pose, *, mirrored: bool = False) -> Layout:
        """``pose`` laid out in the figure's box, flipped for the left side."""
        laid = self.layout(pose)
        return laid.mirrored(self.mirror_centre()) if mirrored else laid


def _sampled_poses(figure: Figure) -> list[Pose]:
    frames = figure.keyframes
    pairs = list(itertools.pairwise(frames))
    if figure.motion is Motion.CYCLE:
        pairs.append((frames[-1], frames[0]))
    poses = list(frames)
    for first, second in pairs:
        poses += [first.blend(second, share / 8) for share in range(1, 8)]
    return poses


_BOXES: dict[str, tuple[float, float, float, float]] = {}


def _frame_boxes() -> dict[str, tuple[float, float, float, float]]:
    if not _BOXES:
        for figure in FIGURES.values():
            left, bottom, right, top = union_bounds(
                figure.layout(pose) for pose in _sampled_poses(figure)
            )
            if figure.wall is not None:
                right = max(right, figure.wall + 3)
            _BOXES[figure.name] = (left, min(bottom, 0.0), right, top)
    return _BOXES


def _figure(entry: Mapping[str, Any]) -> Figure:
    name = entry["name"]
    known = {
        "name",
        "description",
        "view",
        "motion",
        "keyframes",
        "anchor",
        "tempo",
        "alternates",
        "still",
        "wall",
    }
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ValueError(f"figure {name!r}: unknown key(s) {', '.join(unknown)}")
    poses: list[Pose] = []
    for angles in entry["keyframes"]:
        poses.append(Pose.from_angles(angles, poses[-1] if poses else None))
    if len(poses) < 2:
        raise ValueError(f"figure {name!r}: needs at least two keyframes")
    anchor = entry.get("anchor", "pelvis")
    view = View(entry["view"])
    if anchor not in body_points(Pose(), view):
        raise ValueError(f"figure {name!r}: unknown anchor {anchor!r}")
    still = int(entry.get("still", -1))
    if not -len(poses) <= still < len(poses):
        raise ValueError(f"figure {name!r}: no keyframe {still}")
    tempo = float(entry.get("tempo", 3.0))
    if tempo <= 0:
        raise ValueError(f"figure {name!r}: tempo must be > 0")
    wall = entry.get("wall")
    return Figure(
        name=name,
        description=entry["description"],
        view=view,
        motion=Motion(entry["motion"]),
        keyframes=tuple(poses),
        anchor=anchor,
        tempo=tempo,
        alternates=bool(entry.get("alternates", False)),
        still=still,
        wall=None if wall is None else float(wall),
    )


def read_figures(path: Path = DATA_FILE) -> dict[str, Figure]:
    """Every figure in the data file, in its order; ``ValueError`` when it is malformed."""
    document = json.loads(path.read_text(encoding="utf-8"))
    figures: dict[str, Figure] = {}
    for entry in document["figures"]:
        figure = _figure(entry)
        if figure.name in figures:
            raise ValueError(f"figure {figure.name!r} is given twice")
        figures[figure.name] = figure
    return figures


FIGURES: Final[Mapping[str, Figure]] = read_figures()
"""Every figure by name, in the order ``routine-timer figures`` lists them."""

FIGURE_NAMES: Final[tuple[str, ...]] = tuple(FIGURES)
"""Every figure name, in the order ``routine-timer figures`` lists them."""
