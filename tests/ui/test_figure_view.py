"""The figure panel: it paints the figure where it belongs, moves only while the figure
moves, and shows a placeholder for a picture it cannot read."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import build_timeline
from routine_timer.ui.figure_view import FigurePanel
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.view import SessionView
from routine_timer.ui.theme import Look, Scheme, colours
from tests.helpers.clocks import FakeClock

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

WORK = colours(Look.WORK, Scheme.LIGHT)


def ex(**fields: Any) -> Exercise:
    fields.setdefault("name", "E")
    fields.setdefault("sets", 1)
    fields.setdefault("rest", 10.0)
    fields.setdefault("rest_after", 10.0)
    if "reps" not in fields:
        fields.setdefault("time", 30.0)
    return Exercise(**fields)


def ink_pixels(image: QImage, ink: str = WORK.text) -> list[tuple[int, int]]:
    """Where ``image`` is painted in (nearly) the ink colour."""
    target = QColor(ink)
    found = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            close = (
                abs(colour.red() - target.red())
                + abs(colour.green() - target.green())
                + abs(colour.blue() - target.blue())
            )
            if close < 40:
                found.append((x, y))
    return found


def panel(qtbot: QtBot, size: tuple[int, int] = (300, 200)) -> FigurePanel:
    shown = FigurePanel()
    qtbot.addWidget(shown)
    shown.set_colours(WORK)
    shown.resize(*size)
    return shown


def test_a_still_figure_paints_the_pose_where_it_belongs(qtbot: QtBot) -> None:
    view = panel(qtbot)
    view.show_exercise(ex(figure="front-plank"))
    painted = ink_pixels(view.grab().toImage())
    assert len(painted) > 300
    xs = [x for x, _ in painted]
    ys = [y for _, y in painted]
    # A plank is long and low: it spans most of the width, and the head (the highest
    # ink) is at the front, on the right.
    assert max(xs) - min(xs) > 0.7 * 300
    assert max(ys) - min(ys) < 0.5 * 200
    top = min(ys)
    head_x = sum(x for x, y in painted if y <= top + 6) / len(
        [1 for _, y in painted if y <= top + 6]
    )
    assert head_x > 0.7 * 300
    view.show_exercise(ex(figure="front-plank"), mirrored=True)
    painted = ink_pixels(view.grab().toImage())
    top = min(y for _, y in painted)
    head = [x for x, y in painted if y <= top + 6]
    assert sum(head) / len(head) < 0.3 * 300


def test_it_scales_to_any_size(qtbot: QtBot) -> None:
    small = panel(qtbot, (80, 60))
    large = panel(qtbot, (800, 600))
    for view in (small, large):
        view.show_exercise(ex(figure="squat"))
    little = ink_pixels(small.grab().toImage())
    big = ink_pixels(large.grab().toImage())
    assert little and len(big) > 50 * len(little) / 2


def test_it_paints_nothing_for_an_exercise_without_a_picture(qtbot: QtBot) -> None:
    view = panel(qtbot)
    view.show_exercise(ex())
    assert not ink_pixels(view.grab().toImage())


class Session:
    """A session screen on a driver whose clock only the test moves."""

    def __init__(self, qtbot: QtBot, *exercises: Exercise, prepare: float = 0.0) -> None:
        self.clock = FakeClock()
        routine = Routine(id="t", name="T", exercises=exercises, prepare=prepare, format=2)
        self.driver = SessionDriver(build_timeline(routine), clock=self.clock, countdown=0)
        self.driver.timer.timeout.disconnect(self.driver.fire_due)
        self.view = SessionView(self.driver, scheme=Scheme.LIGHT)
        qtbot.addWidget(self.view)
        self.view.resize(1100, 700)
        self.driver.start()

    def at(self, seconds: float) -> None:
        self.clock.now = self.clock.start + seconds
        self.driver.fire_due()
        self.view.figure.refresh()


def test_no_timer_runs_while_a_hold_stays_still(qtbot: QtBot) -> None:
    run = Session(qtbot, ex(figure="front-plank", time=30.0))
    figure = run.view.figure
    run.at(0.5)
    assert figure.animating()  # moving into the plank
    run.at(5.0)
    assert not figure.animating() and not figure.waiting()
    frame = figure.frame()
    assert frame is not None and frame.pose == frame.figure.keyframes[-1]


def test_held_reps_sleep_through_each_hold_and_wake_for_the_release(qtbot: QtBot) -> None:
    run = Session(qtbot, ex(figure="glute-bridge", reps=3, hold=5.0, release=3.0))
    figure = run.view.figure
    run.at(3.0)
    assert not figure.animating() and figure.waiting()
    run.at(5.5)
    assert figure.animating()


def test_a_paused_session_stops_the_figure(qtbot: QtBot) -> None:
    run = Session(qtbot, ex(figure="walk", time=60.0))
    run.at(2.0)
    assert run.view.figure.animating()
    run.driver.pause()
    assert not run.view.figure.animating() and not run.view.figure.waiting()


def test_the_rest_shows_the_coming_exercise_small(qtbot: QtBot) -> None:
    run = Session(
        qtbot, ex(figure="front-plank", time=10.0), ex(figure="bird-dog", reps=2, hold=3.0)
    )
    run.at(12.0)  # resting before the bird dog
    figure = run.view.figure
    assert not figure.is_large()
    exercise = figure.exercise()
    assert exercise is not None and exercise.figure == "bird-dog"
    assert not figure.animating()


def test_the_screen_keeps_its_layout_for_a_routine_without_pictures(qtbot: QtBot) -> None:
    plain = Session(qtbot, ex(time=10.0))
    assert plain.view.figure.isHidden()
    drawn = Session(qtbot, ex(time=10.0), ex(figure="squat", reps=3, rep_time=3.0))
    assert not drawn.view.figure.isHidden()


def test_the_left_side_is_mirrored_in_the_session(qtbot: QtBot) -> None:
    run = Session(qtbot, ex(figure="side-plank", time=20.0, sides=Sides.BOTH))
    run.at(5.0)
    frame = run.view.figure.frame()
    assert frame is not None and frame.mirrored  # left first
    run.at(27.0)  # right side (after 20 s and a 5 s switch)
    frame = run.view.figure.frame()
    assert frame is not None and not frame.mirrored


def write_png(path: Path, colour: str) -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def test_a_routines_picture_is_shown_scaled(qtbot: QtBot, tmp_path: Path) -> None:
    picture = write_png(tmp_path / "plank.png", "#C03030")
    view = panel(qtbot)
    view.show_exercise(ex(image=picture))
    qtbot.waitUntil(lambda: len(ink_pixels(view.grab().toImage(), "#C03030")) > 1000)
    assert not view.shows_placeholder()


@pytest.mark.parametrize("name", ["broken.png", "broken.gif", "gone.jpg"])
def test_a_broken_or_missing_picture_shows_a_placeholder_and_a_log_line(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    path = tmp_path / name
    if not name.startswith("gone"):
        path.write_bytes(b"not a picture at all")
    view = panel(qtbot)
    with caplog.at_level(logging.WARNING, logger="routine_timer.ui.figure_view"):
        view.show_exercise(ex(image=path))
        qtbot.waitUntil(view.shows_placeholder)
    assert any(str(path) in record.getMessage() for record in caplog.records)
    # The placeholder is drawn in the floor's (secondary) colour, not left blank.
    assert ink_pixels(view.grab().toImage(), WORK.secondary)
