"""The pose model: forward kinematics, the floor, mirroring, and the safe form of the figures."""

from __future__ import annotations

import math

import pytest

from routine_timer.core.figures import FIGURES
from routine_timer.core.pose import (
    FOREARM,
    HEAD_ON_FLOOR,
    SHIN,
    THIGH,
    UPPER_ARM,
    Layout,
    Pose,
    View,
    body_points,
    layout,
)


def held(name: str) -> Layout:
    """The position a figure holds (its last keyframe), on the floor."""
    figure = FIGURES[name]
    return figure.layout(figure.keyframes[-1])


def height_of(laid: Layout, point: str) -> float:
    return laid.points[point][1]


def test_standing_tall_stacks_the_segments_straight_up() -> None:
    laid = layout(Pose(), View.SIDE)
    pelvis = laid.points["pelvis"]
    knee = laid.points["knee_r"]
    ankle = laid.points["ankle_r"]
    assert knee == pytest.approx((pelvis[0], pelvis[1] - THIGH))
    assert ankle == pytest.approx((pelvis[0], pelvis[1] - THIGH - SHIN))
    assert laid.points["hand_l"][1] == pytest.approx(laid.points["chest"][1] - UPPER_ARM - FOREARM)
    # On the floor: the lowest point (the heels) at y = 0, nothing below it.
    assert laid.bounds()[1] == pytest.approx(0.0)


def test_joint_angles_turn_the_segment_below_them() -> None:
    # A hip flexed 90 degrees puts the thigh straight forward; a knee bent 90
    # from there hangs the shin straight down (sitting).
    points = body_points(Pose(hip_r=90, knee_r=90), View.SIDE)
    hip, knee, ankle = points["hip_r"], points["knee_r"], points["ankle_r"]
    assert knee == pytest.approx((hip[0] + THIGH, hip[1]))
    assert ankle == pytest.approx((knee[0], knee[1] - SHIN))
    # The shoulder raises the arm forward, the elbow bends the forearm up.
    points = body_points(Pose(shoulder_l=90, elbow_l=90), View.SIDE)
    shoulder, elbow, hand = points["shoulder_l"], points["elbow_l"], points["hand_l"]
    assert elbow == pytest.approx((shoulder[0] + UPPER_ARM, shoulder[1]))
    assert hand == pytest.approx((elbow[0], elbow[1] + FOREARM))


def test_the_front_view_spreads_the_sides_and_abducts_outward() -> None:
    points = body_points(Pose(shoulder_l=90, shoulder_r=90), View.FRONT)
    # The figure faces the viewer: its left on the viewer's right.
    assert points["shoulder_l"][0] > 0 > points["shoulder_r"][0]
    assert points["hand_l"][0] > points["shoulder_l"][0] + 50
    assert points["hand_r"][0] < points["shoulder_r"][0] - 50
    assert points["hand_l"][1] == pytest.approx(points["shoulder_l"][1])


def test_the_anchor_stays_put_and_the_lowest_point_is_on_the_floor() -> None:
    squat = FIGURES["squat"]
    for pose in squat.keyframes:
        laid = squat.layout(pose)
        assert laid.points["ankle_r"][0] == pytest.approx(0.0)
        assert min(y for _, y in laid.points.values()) >= 0
    down = squat.layout(squat.keyframes[-1])
    up = squat.layout(squat.keyframes[0])
    assert height_of(down, "pelvis") < height_of(up, "pelvis") - 30


def test_an_unknown_angle_or_anchor_is_refused() -> None:
    with pytest.raises(ValueError, match="hip_x"):
        Pose.from_angles({"hip_x": 3})
    with pytest.raises(ValueError, match="nose"):
        layout(Pose(), View.SIDE, "nose")


def heading(laid: Layout, start: str, end: str) -> float:
    (x0, y0), (x1, y1) = laid.points[start], laid.points[end]
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def straightness(laid: Layout, first: str, middle: str, last: str) -> float:
    """How far from a straight line the three points are, in degrees."""
    return 180 - laid.angle_at(first, middle, last)


def test_the_front_plank_is_one_straight_line_from_shoulders_to_ankles() -> None:
    plank = held("front-plank")
    assert straightness(plank, "chest", "pelvis", "ankle_r") < 3
    assert straightness(plank, "chest", "waist", "pelvis") < 1  # neutral spine
    # Forearms on the floor, elbows under the shoulders.
    assert plank.points["elbow_r"][0] == pytest.approx(plank.points["chest"][0], abs=2)
    assert height_of(plank, "pelvis") > 15  # the hips are up, not sagging to the floor


def test_the_knee_plank_and_the_side_planks_keep_the_body_in_line() -> None:
    assert straightness(held("knee-plank"), "chest", "pelvis", "knee_r") < 3
    # Seen from the front, the legs hang from the hips beside the middle line: the
    # trunk and the legs point the same way.
    for name, end in (("side-plank", "ankle"), ("knee-side-plank", "knee")):
        side = held(name)
        trunk = heading(side, "pelvis", "chest")
        for leg in ("l", "r"):
            assert abs(heading(side, f"{end}_{leg}", f"hip_{leg}") - trunk) < 3, name
        assert height_of(side, "pelvis") > 10, name


def test_the_glute_bridge_lifts_the_hips_level_with_shoulders_and_knees() -> None:
    bridge = held("glute-bridge")
    assert straightness(bridge, "chest", "pelvis", "knee_r") < 3
    assert straightness(bridge, "chest", "waist", "pelvis") < 1  # no arching
    start = FIGURES["glute-bridge"].layout(FIGURES["glute-bridge"].keyframes[0])
    assert height_of(bridge, "pelvis") > height_of(start, "pelvis") + 15
    # The feet stay flat on the floor.
    assert height_of(bridge, "heel_r") == pytest.approx(height_of(bridge, "toe_r"), abs=1)


def test_the_bird_dog_raises_the_opposite_arm_and_leg() -> None:
    dog = held("bird-dog")
    shoulder = height_of(dog, "chest")
    hip = height_of(dog, "pelvis")
    # The right arm reaches forward at shoulder height, the left leg back at hip height.
    assert height_of(dog, "hand_r") == pytest.approx(shoulder, abs=8)
    assert dog.points["hand_r"][0] > dog.points["chest"][0] + 40
    assert height_of(dog, "ankle_l") == pytest.approx(hip, abs=8)
    assert dog.points["ankle_l"][0] < dog.points["pelvis"][0] - 60
    # The other hand and knee stay on the floor.
    assert height_of(dog, "hand_l") < 6
    assert height_of(dog, "knee_r") < 6
    # The back stays flat: shoulders and hips near the same height.
    assert abs(shoulder - hip) < 12


def test_a_mirrored_figure_is_the_same_movement_on_the_other_side() -> None:
    figure = FIGURES["bird-dog"]
    pose = figure.keyframes[-1]
    right = figure.placed(pose)
    left = figure.placed(pose, mirrored=True)
    centre = figure.mirror_centre()
    # The picture flips about the middle of the figure's box, so it stays in the box.
    assert left.points["hand_l"] == pytest.approx(
        (2 * centre - right.points["hand_r"][0], right.points["hand_r"][1])
    )
    # The left arm and the right leg are the ones raised now.
    assert height_of(left, "hand_l") > 30 and height_of(left, "hand_r") < 6
    assert height_of(left, "ankle_r") > 30 and height_of(left, "knee_l") < 6
    box_left, _, box_right, _ = figure.frame_box()
    for laid in (right, left):
        xs = [x for x, _ in laid.points.values()]
        assert box_left <= min(xs) and max(xs) <= box_right


def test_pose_mirroring_swaps_the_sides_angles() -> None:
    pose = Pose(hip_l=10, hip_r=20, elbow_l=30, trunk=5)
    assert pose.mirrored() == Pose(hip_l=20, hip_r=10, elbow_r=30, trunk=5)


def test_blending_goes_the_straight_way_between_two_poses() -> None:
    first, second = Pose(knee_r=0, trunk=10), Pose(knee_r=90, trunk=30)
    assert first.blend(second, 0.5) == Pose(knee_r=45, trunk=20)
    assert first.blend(second, 0.0) is first
    assert first.blend(second, 1.0) is second


def test_no_figure_goes_through_the_floor_or_leaves_its_box() -> None:
    for figure in FIGURES.values():
        left, _bottom, right, top = figure.frame_box()
        for pose in figure.keyframes:
            for mirrored in (False, True):
                laid = figure.placed(pose, mirrored=mirrored)
                b_left, b_bottom, b_right, b_top = laid.bounds()
                # A head resting on the floor sinks into the mat, nothing else does.
                assert b_bottom >= -HEAD_ON_FLOOR - 0.01, figure.name
                assert left - 0.01 <= b_left and b_right <= right + 0.01, figure.name
                assert b_top <= top + 0.01, figure.name
        assert math.isfinite(right - left)
