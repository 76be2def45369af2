"""Every text of the session screen is big enough to read from the mat, and the side marker.

Measured as painted: each label's own font (``QFontMetricsF.capHeight`` of the
font it chose for its box) on a 1366 x 768 window, the screen of a 13-inch
laptop, against the least sizes of :class:`TextTier` (``docs/accessibility.md``).
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionFinished
from routine_timer.core.loader import load_routine
from routine_timer.core.model import Exercise, Routine, Side, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from routine_timer.paths import bundled_routines_dir
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.text import screen_text, side_marker
from routine_timer.ui.session.view import FinishView, SessionView
from routine_timer.ui.theme import Look, Scheme, TextTier, colours, minimum_cap_px, window_scale
from routine_timer.ui.widgets import FittedLabel, SideMarker
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

LAPTOP = (1366, 768)
SMALL = (800, 600)
START = 1000.0
_REST = {"rest": 15.0, "rest_after": 15.0}


def timeline() -> Timeline:
    """Prepare 10; side plank 30 s a side first (left 10, switch 40, right 45); rest 75; plank 90.

    A sided exercise comes first, so the get-ready countdown shows the marker too.
    """
    return build_timeline(
        Routine(
            id="sizes",
            name="Runner's core",
            prepare=10.0,
            exercises=(
                Exercise(
                    name="Side plank",
                    sets=1,
                    time=30.0,
                    sides=Sides.BOTH,
                    cues=("Hips high, a straight line from head to heels",),
                    easier="Knee side plank",
                    harder="Star side plank",
                    **_REST,
                ),
                Exercise(
                    name="Front plank",
                    sets=2,
                    time=30.0,
                    cues=("Keep a straight line from head to heels",),
                    easier="Knee plank",
                    harder="Plank with a leg lift",
                    **_REST,
                ),
            ),
        )
    )


MOMENTS = {
    "get-ready": (4.0, StepKind.PREPARE, Side.LEFT),
    "sided-left": (10 + 12.0, StepKind.WORK, Side.LEFT),
    "switch": (40 + 2.0, StepKind.SWITCH, Side.RIGHT),
    "sided-right": (45 + 3.0, StepKind.WORK, Side.RIGHT),
    "rest": (75 + 5.0, StepKind.REST, None),
    "work": (90 + 7.0, StepKind.WORK, None),
}


def session_at(qtbot: QtBot, offset: float, size: tuple[int, int]) -> SessionView:
    clock = FakeClock(START)
    driver = SessionDriver(timeline(), clock=clock)
    driver.timer.timeout.disconnect(driver.fire_due)
    driver.start()
    run_driver(driver, clock, START + offset)
    driver.timer.stop()
    view = SessionView(driver, scheme=Scheme.LIGHT)
    qtbot.addWidget(view)
    shown(qtbot, view, size)
    return view


def shown(qtbot: QtBot, view: QWidget, size: tuple[int, int]) -> None:
    view.resize(*size)
    with qtbot.waitExposed(view):
        view.show()
    # The layout settles on the real size before anything is measured.
    view.layout().activate()
    assert (view.width(), view.height()) == size


def cap(font_owner: QWidget) -> float:
    return QFontMetricsF(font_owner.font()).capHeight()


def too_small(view: QWidget) -> list[str]:
    """Every visible text whose cap height is under its least size, with both numbers."""
    scale = window_scale(view.width(), view.height())
    problems = []
    for label in view.findChildren(FittedLabel):
        if not label.isVisible() or not label.text():
            continue
        fit = label.text_fit()
        least = label.tier().value * scale
        if fit.cap_height < least - 0.01:
            problems.append(f"{label.text()!r}: {fit.cap_height:.1f} < {least:.1f}")
    # Controls are used within reach; the buttons and the check-in's captions.
    for widget in (*view.findChildren(QAbstractButton), *view.findChildren(QLabel)):
        text = widget.text()
        if widget.isVisible() and text and cap(widget) < TextTier.CONTROL.value * scale - 0.01:
            problems.append(f"control {text!r}: {cap(widget):.1f}")
    return problems


def elided(view: QWidget) -> list[str]:
    return [
        label.text()
        for label in view.findChildren(FittedLabel)
        if label.isVisible() and label.text() and label.text_fit().elided
    ]


@pytest.mark.parametrize("name", list(MOMENTS))
def test_every_text_has_its_least_size_on_a_laptop(qtbot: QtBot, name: str) -> None:
    offset, kind, side = MOMENTS[name]
    view = session_at(qtbot, offset, LAPTOP)
    state = view.driver.state()
    assert state.step is not None and state.step.kind is kind
    assert too_small(view) == []
    # On a laptop's screen every text is whole: wrapped if it must, never cut short.
    assert elided(view) == []
    # What the runner follows is primary: the step, its name, what comes next, the side.
    for label in (view.heading, view.title, view.next_up, view.side_marker):
        assert label.tier() is TextTier.PRIMARY
    assert view.title.text_fit().cap_height >= 45
    assert view.next_up.text_fit().cap_height >= 45
    # The countdown dwarfs everything.
    digits = QFontMetricsF(view.ring.digits_font()).capHeight()
    assert digits >= 2 * TextTier.PRIMARY.value
    if view.ring.caption():
        assert view.ring.caption_fit().cap_height >= TextTier.SECONDARY.value
    assert view.side_marker.isVisible() == (side is not None)
    if side is not None:
        assert view.side_marker.side() is side
        assert view.side_marker.text_fit().cap_height >= TextTier.PRIMARY.value


def test_the_easier_and_harder_hint_is_readable_from_the_mat(qtbot: QtBot) -> None:
    view = session_at(qtbot, MOMENTS["work"][0], LAPTOP)
    assert view.hints.text() == "Easier: Knee plank · Harder: Plank with a leg lift"
    fit = view.hints.text_fit()
    # It was painted 9 px tall, shrunk to fit one line; now it wraps at its least size.
    assert view.hints.tier() is TextTier.REFERENCE
    assert fit.cap_height >= TextTier.REFERENCE.value
    assert not fit.elided
    assert " ".join(fit.lines) == view.hints.text()


def test_held_reps_caption_is_secondary_at_least(qtbot: QtBot) -> None:
    routine = Routine(
        id="held",
        name="Held",
        prepare=0.0,
        exercises=(
            Exercise(name="Bird dog", sets=1, reps=2, hold=4.0, release=2.0, rest=0, rest_after=0),
        ),
    )
    clock = FakeClock(START)
    driver = SessionDriver(build_timeline(routine), clock=clock)
    driver.timer.timeout.disconnect(driver.fire_due)
    driver.start()
    clock.now = START + 1.0
    driver.fire_due()
    driver.timer.stop()
    view = SessionView(driver, scheme=Scheme.LIGHT)
    qtbot.addWidget(view)
    shown(qtbot, view, LAPTOP)
    assert view.ring.caption() == "hold"
    assert view.ring.caption_fit().cap_height >= TextTier.SECONDARY.value
    assert too_small(view) == []


@pytest.mark.parametrize("name", ["get-ready", "sided-left", "work"])
def test_a_small_window_scales_the_least_sizes_and_still_fits(qtbot: QtBot, name: str) -> None:
    view = session_at(qtbot, MOMENTS[name][0], SMALL)
    scale = window_scale(*SMALL)
    assert scale == pytest.approx(800 / 1366)
    assert too_small(view) == []
    # Nothing is drawn outside its box: each label's lines fit its height.
    for label in view.findChildren(FittedLabel):
        if label.isVisible() and label.text():
            fit = label.text_fit()
            box = label.text_box().height()
            if isinstance(label, SideMarker):  # capitals only: no room for descenders needed
                assert fit.cap_height <= box * 0.8, label.text()
            else:
                assert len(fit.lines) * fit.line_height <= box + 1, label.text()


def test_the_finish_screen(qtbot: QtBot) -> None:
    event = SessionFinished(completed=True, active_seconds=754.0, paused_seconds=65.0, at=START)
    view = FinishView("Runner's core", event, scheme=Scheme.LIGHT)
    qtbot.addWidget(view)
    shown(qtbot, view, LAPTOP)
    assert too_small(view) == []
    assert elided(view) == []
    assert view.heading.tier() is TextTier.PRIMARY
    assert view.time_done.tier() is TextTier.PRIMARY


def test_least_sizes_scale_with_the_window() -> None:
    assert minimum_cap_px(TextTier.PRIMARY, *LAPTOP) == 45
    assert minimum_cap_px(TextTier.SECONDARY, *LAPTOP) == 30
    assert minimum_cap_px(TextTier.PRIMARY, 1920, 1080) == pytest.approx(45 * 1920 / 1366)
    # The narrower share rules: a portrait window scales by its width.
    assert minimum_cap_px(TextTier.PRIMARY, 683, 1000) == pytest.approx(22.5)


def test_a_new_label_is_secondary_unless_it_asks() -> None:
    assert FittedLabel().tier() is TextTier.SECONDARY
    assert SideMarker().tier() is TextTier.PRIMARY


@pytest.mark.parametrize(
    ("kind", "side", "words"),
    [
        (StepKind.WORK, Side.LEFT, "LEFT"),
        (StepKind.MANUAL, Side.RIGHT, "RIGHT"),
        (StepKind.SWITCH, Side.RIGHT, "NOW: RIGHT"),
        (StepKind.PREPARE, Side.LEFT, "FIRST: LEFT"),
        (StepKind.WORK, None, ""),
    ],
)
def test_side_marker_words(kind: StepKind, side: Side | None, words: str) -> None:
    assert side_marker(kind, side) == words


def test_the_marker_points_to_each_side_of_the_screen(qtbot: QtBot) -> None:
    left = session_at(qtbot, MOMENTS["sided-left"][0], LAPTOP)
    right = session_at(qtbot, MOMENTS["sided-right"][0], LAPTOP)
    for view, side, edge in ((left, Side.LEFT, "left"), (right, Side.RIGHT, "right")):
        text = screen_text(view.driver.state(), view.driver.timeline)
        assert (text.side, text.side_text) == (side, side.value.upper())
        marker = view.side_marker
        image = marker.grab().toImage()
        ink = marker.palette().color(marker.foregroundRole()).rgb()
        columns = [
            x
            for x in range(image.width())
            if (image.pixel(x, image.height() // 2) & 0xFFFFFF) == (ink & 0xFFFFFF)
        ]
        assert columns, "the tab is not painted"
        # The tab hugs the edge of its side and leaves the other half of the row empty.
        if edge == "left":
            assert columns[0] <= 2 and columns[-1] < image.width() / 2
        else:
            assert columns[-1] >= image.width() - 3 and columns[0] > image.width() / 2
        assert marker.accessibleName() == f"{side.value.capitalize()} side"
        # The words are cut out of the tab in the screen's own background colour.
        paper = QColor(colours(Look.WORK, Scheme.LIGHT).background).rgb() & 0xFFFFFF
        inside = [
            x
            for x in range(columns[0], columns[-1])
            if (image.pixel(x, image.height() // 2) & 0xFFFFFF) == paper
        ]
        assert len(inside) > 20, "the words are not in the screen's background colour"


CHROME_PX = 68
"""The main window's menu bar and a notice bar above the session screen (measured under Xvfb)."""


@pytest.mark.parametrize(
    "name", sorted(path.stem for path in bundled_routines_dir().glob("*.yaml"))
)
def test_every_step_of_the_bundled_routines_keeps_its_main_texts_whole_on_a_laptop(
    qtbot: QtBot, name: str
) -> None:
    """Each step of each bundled routine, figures and variations included, in a laptop's window.

    Every text keeps its least size; the step, its name, what comes next and the
    side are never cut short. When the rest do not fit, the least needed give way
    in their order (``SessionView._settle_words``) and only then end in an ellipsis.
    """
    routine = load_routine(bundled_routines_dir() / f"{name}.yaml")
    clock = FakeClock(START)
    driver = SessionDriver(build_timeline(routine), clock=clock)
    driver.timer.timeout.disconnect(driver.fire_due)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    chrome = QWidget()
    chrome.setFixedHeight(CHROME_PX)
    layout.addWidget(chrome)
    view = SessionView(driver, routine=routine, scheme=Scheme.LIGHT)
    layout.addWidget(view)
    shown(qtbot, window, LAPTOP)
    driver.start()
    problems: dict[str, list[str]] = {}
    cut_short: list[str] = []
    for step in driver.timeline.steps:
        clock.now += 1.5
        driver.fire_due()
        QApplication.processEvents()  # the layout follows the new texts' heights
        key = f"{step.index} {step.kind.value} {step.label}"
        # Only the texts that give way may be cut short, and only once they are at one line.
        kept = {view.heading, view.title, view.next_up, view.side_marker}
        cut = [
            label
            for label in view.findChildren(FittedLabel)
            if label.isVisible() and label.text() and label.text_fit().elided
        ]
        found = too_small(window) + [
            f"cut short: {label.text()!r}"
            for label in cut
            if label in kept or label.line_limit() != 1
        ]
        if found:
            problems[key] = found
        cut_short.extend(label.text() for label in cut)
        driver.skip()
    driver.timer.stop()
    assert problems == {}
    if os.environ.get("ROUTINE_TIMER_CUT_SHORT"):
        print(f"{name}: {len(cut_short)} cut short: {sorted(set(cut_short))}")
