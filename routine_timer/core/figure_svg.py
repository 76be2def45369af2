"""A figure as an SVG picture: the same strokes the window paints, written as text.

Used by ``routine-timer figures --svg DIR`` and for the pictures of the format
reference. No Qt: the strokes come from :meth:`Layout.strokes`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from routine_timer.core.figures import Figure, Motion
from routine_timer.core.pose import HEAD_RADIUS, LIMB_WIDTH, Layout, Point, Pose, Stroke

Place = Callable[[Point], str]

INK: Final = "#111418"
PAPER: Final = "#FFFFFF"
GHOST: Final = "#9AA1AA"
"""The other end of the movement, drawn faintly behind the figure."""
FLOOR: Final = "#5A6270"
MARGIN: Final = 12.0
SCALE: Final = 1.5
"""Pixels per unit of the figure (a standing figure is about 255 px tall)."""


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def figure_svg(figure: Figure) -> str:
    """The figure's still picture, with the start of its movement in grey behind it."""
    left, bottom, right, top = figure.frame_box()
    width = (right - left) + 2 * MARGIN
    height = (top - bottom) + 2 * MARGIN

    def place(point: Point) -> str:
        x, y = point
        return f"{_number(x - left + MARGIN)},{_number(top - y + MARGIN)}"

    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_number(width * SCALE)}" height="{_number(height * SCALE)}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" role="img">',
        f"<title>{figure.name}: {_escape(figure.description)}</title>",
        f'<rect width="{_number(width)}" height="{_number(height)}" rx="6" fill="{PAPER}"/>',
    ]
    floor_y = _number(top + MARGIN)
    lines.append(
        f'<line x1="{_number(MARGIN / 2)}" y1="{floor_y}" x2="{_number(width - MARGIN / 2)}" '
        f'y2="{floor_y}" stroke="{FLOOR}" stroke-width="3" stroke-linecap="round"/>'
    )
    if figure.wall is not None:
        x = _number(figure.wall - left + MARGIN)
        lines.append(
            f'<line x1="{x}" y1="{_number(MARGIN / 2)}" x2="{x}" y2="{floor_y}" '
            f'stroke="{FLOOR}" stroke-width="3"/>'
        )
    ghost = _ghost_pose(figure)
    if ghost is not None:
        lines += _drawing(figure.layout(ghost), place, GHOST, PAPER)
    lines += _drawing(figure.layout(figure.still_pose), place, INK, PAPER)
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def _ghost_pose(figure: Figure) -> Pose | None:
    if figure.motion is Motion.HOLD:
        start = figure.start_pose
    else:
        frames = figure.keyframes
        start = frames[(figure.still + len(frames) // 2) % len(frames)]
    return None if start == figure.still_pose else start


def _drawing(laid: Layout, place: Place, ink: str, paper: str) -> list[str]:
    out = []
    for stroke in laid.strokes():
        out.append(_polyline(stroke, place, ink))
        if stroke.far:
            # A far limb is hollow: the ink's outline with the paper inside.
            inner = Stroke(stroke.points, stroke.width - LIMB_WIDTH * 0.55)
            out.append(_polyline(inner, place, paper))
    x, y = place(laid.head).split(",")
    out.append(f'<circle cx="{x}" cy="{y}" r="{_number(HEAD_RADIUS)}" fill="{ink}"/>')
    return out


def _polyline(stroke: Stroke, place: Place, colour: str) -> str:
    points = " ".join(place(point) for point in stroke.points)
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" '
        f'stroke-width="{_number(stroke.width)}" stroke-linecap="round" '
        'stroke-linejoin="round"/>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
