"""What each screen must show, checked on a grab of the real widgets.

A runner follows the session screen from a mat two metres away. Each test
here builds a screen with the fakes (a clock moved by hand, no sound), grabs
it offscreen and reads the picture (:mod:`tests.ui.screen_reading`): the
texts it must show, how tall the digits are painted, the contrast of every
text against what is painted behind it, that nothing is cut off or covers
something else, and that what is meant to be tapped is big enough to hit.

To look at the screens, set ``ROUTINE_TIMER_SCREENSHOTS`` to a folder: every
grab is then also written there as a PNG (off by default)::

    ROUTINE_TIMER_SCREENSHOTS=shots pytest tests/ui/test_screenshots.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionFinished
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.paths import AppPaths, bundled_routines_dir
from routine_timer.settings import Settings
from routine_timer.ui.main_window import MainWindow
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.view import FinishView, SessionView
from routine_timer.ui.theme import AA_NORMAL_TEXT, AAA_NORMAL_TEXT, Look, Scheme, colours
from routine_timer.ui.widgets import FittedLabel
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver
from tests.ui.history.history_data import realistic_history, utc_local_time
from tests.ui.screen_reading import (
    Ink,
    Shot,
    clipped_texts,
    elided_cells,
    hex_of,
    overlapping_texts,
    shown_texts,
    take,
    text_contrasts,
)

__all__ = ["utc_local_time"]
# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

SCREENSHOTS = "ROUTINE_TIMER_SCREENSHOTS"
"""Environment variable: a folder to write every grab to, as PNG."""

SIZE = (1100, 700)
"""A laptop window; the main window's own size is 1100 x 720."""
START = 1000.0
_REST = {"rest": 15.0, "rest_after": 15.0}

DIGITS_CONTRAST = 7.0
"""The countdown aims at WCAG AAA (7:1), above the AA that every other text meets."""
DIGITS_SHARE = 0.15
"""A countdown's digits are painted at least this share of the window's shorter side tall.

Measured with DejaVu Sans, two digits: 0.21 of 1100 x 700, 0.22 of 800 x 480, 0.23 of
1920 x 1080, 0.16 of a portrait 700 x 1000. 0.15 of 700 px is 105 px, about 1.7 cm on a
laptop screen: read at a glance from the mat.
"""
CLOCK_SHARE = 0.11
"""The same for a minutes-and-seconds clock ("0:47", 0.12 measured): wider, so less tall."""
TAP_PX = 40
"""The least width and height of a button that is meant to be tapped from the mat."""

KNOWN_LOW_CONTRAST: dict[str, str] = {
    # Text allowed under AA, each with its reason; each entry is checked to still
    # be low, so the list cannot outlive a fix. Empty: every hint is readable.
}


def keep(shot: Shot, name: str) -> None:
    """Write the grab as ``name``.png when asked to (see the module's doc)."""
    folder = os.environ.get(SCREENSHOTS)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shot.save(str(Path(folder) / f"{name}.png"))


def assert_readable(shot: Shot) -> None:
    """Every text shown has room to be read whole and AA contrast, and none covers another."""
    assert clipped_texts(shot) == []
    assert overlapping_texts(shot.top) == []
    low = {
        text: round(ratio, 2)
        for text, ratio in text_contrasts(shot)
        if ratio < AA_NORMAL_TEXT and text not in KNOWN_LOW_CONTRAST
    }
    assert low == {}
    for text, ratio in text_contrasts(shot):
        if text in KNOWN_LOW_CONTRAST:
            assert ratio < AA_NORMAL_TEXT, f"{text!r} is readable now: drop it from the list"


def assert_tappable(buttons: list[QAbstractButton]) -> None:
    small = [
        (button.text(), button.width(), button.height())
        for button in buttons
        if min(button.width(), button.height()) < TAP_PX
    ]
    assert small == []


def size_of(shot: Shot) -> tuple[int, int]:
    return shot.image.width(), shot.image.height()


def showing(top: QWidget, text: str) -> QWidget:
    """The widget of ``top`` that shows ``text``."""
    return next(widget for shown, widget in shown_texts(top) if shown == text)


def painted_texts(shot: Shot) -> set[str]:
    """The texts shown that left ink on the grab (a text in its background's colour leaves none)."""
    return {
        text
        for text, widget in shown_texts(shot.top)
        if shot.ink(widget).box is not None and shot.ink(widget).contrast > 1.5
    }


# --- the session screen -----------------------------------------------------------


def timeline() -> Timeline:
    """Prepare 10 s, plank 30 s, side plank both sides (switch), bird dog held reps, squats.

    Offsets: prepare 0, plank 10, rest 40, side left 55, switch 85, right 90,
    rest 120, bird dog 135 (4 holds of 4 s, release 2 s: 22 s), rest 157, squat 172.
    """
    return build_timeline(
        Routine(
            id="core",
            name="Runner's core",
            prepare=10.0,
            exercises=(
                Exercise(
                    name="Front plank",
                    sets=1,
                    time=30.0,
                    cues=("Keep a straight line from head to heels",),
                    easier="Knee plank",
                    harder="Plank with a leg lift",
                    **_REST,
                ),
                Exercise(name="Side plank", sets=1, time=30.0, sides=Sides.BOTH, **_REST),
                Exercise(
                    name="Bird dog",
                    sets=1,
                    reps=2,
                    hold=4.0,
                    release=2.0,
                    sides=Sides.ALTERNATE,
                    cues=("Reach long, hips level",),
                    **_REST,
                ),
                Exercise(
                    name="Squat", sets=3, reps=12, cues=("Knees track over the toes",), **_REST
                ),
            ),
        )
    )


def session_at(
    qtbot: QtBot, offset: float, *, pause: bool = False, scheme: Scheme = Scheme.LIGHT
) -> SessionView:
    clock = FakeClock(START)
    driver = SessionDriver(timeline(), clock=clock)
    driver.timer.timeout.disconnect(driver.fire_due)
    driver.start()
    run_driver(driver, clock, START + offset)
    if pause:
        driver.toggle()
    view = SessionView(driver, scheme=scheme)
    qtbot.addWidget(view)
    return view


class Moment(NamedTuple):
    """One moment of the session and what its screen must say (worked out by hand)."""

    name: str
    offset: float
    look: Look
    heading: str
    title: str
    digits: str
    lines: tuple[str, ...]
    """Other lines the runner needs: details, the coaching cue, what comes next."""
    caption: str = ""
    """The small word under the digits."""


MOMENTS = [
    Moment(
        "prepare",
        3.2,
        Look.PREPARE,
        "GET READY",
        "First: Front plank",
        "7",
        ("30 seconds", "Keep a straight line from head to heels", "Then: Rest 15 s"),
    ),
    Moment(
        "work",
        10 + 12.4,
        Look.WORK,
        "WORK",
        "Front plank",
        "18",
        ("30 seconds", "Keep a straight line from head to heels", "Next: Rest 15 s"),
    ),
    Moment(
        "held-reps",
        135 + 7.0,
        Look.WORK,
        "WORK",
        "Bird dog",
        "15",
        ("Right side · Rep 2 of 4 · Hold 4 s", "Reach long, hips level", "Next: Rest 15 s"),
        caption="hold",
    ),
    Moment(
        "switch",
        85 + 1.5,
        Look.SWITCH,
        "SWITCH SIDES",
        "Switch sides",
        "4",
        ("Now the right side", "Next: Side plank · right side · 30 s"),
    ),
    Moment(
        "rest",
        40 + 4.0,
        Look.REST,
        "REST",
        "Rest",
        "11",
        ("Next: Side plank · left side · 30 s",),
    ),
    Moment(
        "manual",
        172 + 47.0,
        Look.MANUAL,
        "YOUR PACE",
        "Squat",
        "0:47",
        ("Set 1 of 3 · 12 reps", "Knees track over the toes", "Next: Rest 15 s", "Done (Enter)"),
        caption="time spent",
    ),
]


def digits_ink(shot: Shot, view: SessionView) -> Ink:
    """What is painted inside the progress ring (the digits and their caption), not the ring."""
    ring = view.ring.ring_rect()
    centre = shot.rect_of(view.ring).topLeft() + ring.center().toPoint()
    # 0.9 of the ring's radius clears its stroke (6% of the ring's side) on every size.
    return shot.ink(view.ring, disc=(centre, ring.width() / 2 * 0.9))


def assert_session_screen(shot: Shot, view: SessionView, moment: Moment, scheme: Scheme) -> None:
    """The session screen shows ``moment`` from across the room."""
    texts = painted_texts(shot)
    for text in (moment.heading, moment.title, *moment.lines):
        assert text in texts
    assert view.ring.digits() == moment.digits
    digits = digits_ink(shot, view)
    assert digits.box is not None, "nothing is painted inside the ring"
    # The screen is painted in the colours of its step, the digits in its text colour.
    expected = colours(moment.look, scheme)
    assert hex_of(digits.background) == expected.background.lower()
    assert hex_of(digits.colour) == expected.text.lower()
    assert digits.contrast >= AA_NORMAL_TEXT
    # The tallest line of ink in the ring is the digits; a caption is a smaller one.
    bands = digits.bands()
    height = bands[0][1]
    assert view.ring.caption() == moment.caption
    assert len(bands) == (2 if moment.caption else 1), f"lines of ink in the ring: {bands}"
    countdown = ":" not in moment.digits
    wanted = (DIGITS_SHARE if countdown else CLOCK_SHARE) * min(size_of(shot))
    assert height >= wanted, f"the digits are {height} px tall, want {wanted:.0f}"
    if countdown:
        # Nothing else on the screen is painted as big as the time left.
        others = {
            label.text(): box.height()
            for label in view.findChildren(FittedLabel)
            if label.isVisible() and (box := shot.ink(label).box) is not None
        }
        assert max(others.values()) < height, f"digits {height} px tall; others: {others}"
    assert_readable(shot)


@pytest.mark.parametrize("moment", MOMENTS, ids=[moment.name for moment in MOMENTS])
@pytest.mark.parametrize("scheme", list(Scheme))
def test_session_screens(qtbot: QtBot, moment: Moment, scheme: Scheme) -> None:
    view = session_at(qtbot, moment.offset, scheme=scheme)
    shot = take(qtbot, view, SIZE)
    keep(shot, f"{moment.name}-{scheme.value}")
    assert_session_screen(shot, view, moment, scheme)
    # The back check-in belongs to the get-ready screen, and the Done button to untimed sets.
    assert view.checkin_row.isVisible() == (moment.look is Look.PREPARE)
    assert view.done_button.isVisible() == (moment.look is Look.MANUAL)
    if moment.look is Look.PREPARE:
        assert "Back pain now (0-10)" in painted_texts(shot)
        assert [button.text() for button in view.pain_before.buttons()] == [
            str(number) for number in range(11)
        ]
        assert_tappable(view.pain_before.buttons())
    if moment.look is Look.MANUAL:
        assert_tappable([view.done_button])


def _countdowns() -> list[object]:
    """Every countdown screen in both schemes."""
    cases = []
    for moment in MOMENTS:
        if moment.look is Look.MANUAL:  # the time spent, not a countdown
            continue
        for scheme in Scheme:
            cases.append(pytest.param(moment, scheme, id=f"{moment.name}-{scheme}"))
    return cases


@pytest.mark.parametrize(("moment", "scheme"), _countdowns())
def test_the_countdown_has_the_contrast_of_aaa(
    qtbot: QtBot, moment: Moment, scheme: Scheme
) -> None:
    view = session_at(qtbot, moment.offset, scheme=scheme)
    shot = take(qtbot, view, SIZE)
    assert digits_ink(shot, view).contrast >= DIGITS_CONTRAST


@pytest.mark.parametrize(
    "size",
    [(800, 480), (700, 1000), (1920, 1080)],
    ids=["small-window", "portrait", "full-hd"],
)
def test_the_work_screen_at_other_window_sizes(qtbot: QtBot, size: tuple[int, int]) -> None:
    view = session_at(qtbot, MOMENTS[1].offset)
    shot = take(qtbot, view, size)
    keep(shot, f"work-{size[0]}x{size[1]}")
    assert_session_screen(shot, view, MOMENTS[1], Scheme.LIGHT)


def test_paused_screen(qtbot: QtBot) -> None:
    view = session_at(qtbot, MOMENTS[1].offset, pause=True)
    shot = take(qtbot, view, SIZE)
    keep(shot, "paused")
    paused = MOMENTS[1]._replace(look=Look.PAUSED, heading="PAUSED · WORK")
    assert_session_screen(shot, view, paused, Scheme.LIGHT)
    assert "Resume (Space)" in painted_texts(shot)


# --- the finish screen --------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, (700, 900)], ids=["wide", "narrow"])
@pytest.mark.parametrize("scheme", list(Scheme))
def test_finished_screen(qtbot: QtBot, size: tuple[int, int], scheme: Scheme) -> None:
    view = FinishView(
        "Runner's core", SessionFinished(True, 287.0, 42.0, START + 330), scheme=scheme
    )
    qtbot.addWidget(view)
    shot = take(qtbot, view, size)
    keep(shot, f"finished-{size[0]}x{size[1]}-{scheme.value}")
    texts = painted_texts(shot)
    # The summary ...
    for text in ("Routine complete", "Runner's core", "Time: 4:47", "plus 0:42 paused"):
        assert text in texts
    # ... and the check-in, each number big enough to tap.
    for text in (
        "Back pain now (0-10)",
        "Effort (RPE 1-10)",
        "Add a note (optional): how did your back feel?",
        "Done (Enter)",
    ):
        assert text in texts
    assert [button.text() for button in view.pain_after.buttons()] == [str(n) for n in range(11)]
    assert [button.text() for button in view.rpe.buttons()] == [str(n) for n in range(1, 11)]
    assert_tappable(view.pain_after.buttons() + view.rpe.buttons() + [view.back_button])
    background = colours(Look.FINISHED, scheme).background.lower()
    assert hex_of(shot.ink(view.heading).background) == background
    # The summary reads before the check-in: it is above it and in bigger letters.
    heading = shot.ink(view.heading).box
    caption = shot.ink(showing(view, "Back pain now (0-10)")).box
    assert heading is not None and caption is not None
    assert heading.bottom() < caption.top()
    assert heading.height() > 2 * caption.height()
    assert_readable(shot)


# --- the main window: library and history --------------------------------------------

BROKEN = "name: Broken\nexercises:\n  - name: Plank\n    time: soon\n"


@pytest.fixture
def window(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> MainWindow:
    """The main window over the routines the app ships, and one broken file of the user's."""
    app_paths.routines_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.routines_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    window = MainWindow(
        app_paths,
        Settings(tmp_path / "settings.ini"),
        clock=FakeClock(),
        bundled_dir=bundled_routines_dir(),
    )
    qtbot.addWidget(window)
    window.reload_library()
    return window


def bundled_names() -> list[str]:
    """The names of the routines the app ships, read from their files."""
    names = []
    for path in sorted(bundled_routines_dir().glob("*.yaml")):
        names.append(yaml.safe_load(path.read_text(encoding="utf-8"))["name"])
    return names


def show_tab(window: MainWindow, index: int) -> None:
    """Click a tab of a shown window, as a person would."""
    window.tabs.setCurrentIndex(index)
    for _ in range(3):
        QApplication.processEvents()


def test_library_screen(qtbot: QtBot, window: MainWindow) -> None:
    names = bundled_names()
    assert len(names) >= 5
    library = window.library
    assert library.select_path(sorted(bundled_routines_dir().glob("*.yaml"))[0])
    shot = take(qtbot, window, SIZE)
    keep(shot, "library")
    table = library.table
    listed = [library.proxy.index(row, 0).data() for row in range(library.proxy.rowCount())]
    # Every bundled routine, and the broken file marked as such, each row in view ...
    assert sorted(listed) == sorted([*names, "⚠ broken.yaml"])
    viewport = table.viewport().rect()
    for row in range(library.proxy.rowCount()):
        assert viewport.contains(table.visualRect(library.proxy.index(row, 0)))
    # ... with its name, time and source whole (the tags may be cut short).
    for column in (0, 1, 3):
        assert elided_cells(table, column) == []
    # The selected routine's details, and Start big enough to hit.
    texts = painted_texts(shot)
    assert names[0] in texts
    assert "Start (Enter)" in texts
    assert library.start_button.isEnabled()
    assert library.start_button.height() >= TAP_PX
    assert_readable(shot)


@pytest.fixture
def three_months(app_paths: AppPaths, utc_local_time: None) -> None:
    """Three months of sessions in the window's history, ending today."""
    realistic_history(app_paths.history_db, today=date.today()).close()


@pytest.mark.usefixtures("three_months")
def test_history_screen(qtbot: QtBot, window: MainWindow) -> None:
    take(qtbot, window, SIZE)
    show_tab(window, 1)
    shot = take(qtbot, window, SIZE)
    keep(shot, "history")
    view = window.history_view
    assert view is not None and not view.is_empty()  # type: ignore[attr-defined]
    texts = painted_texts(shot)
    for text in (
        "Your progress",
        "Current streak",
        "Longest streak",
        "Sessions this week",
        "Minutes this week",
        "Active days",
        "Minutes per week",
        "Back pain, 0 to 10",
        "Sessions",
    ):
        assert text in texts
    # The three charts are on screen, each with room and something drawn in it.
    window_rect = shot.rect_of(window)
    for chart in (view.heat_map, view.weekly_chart, view.pain_chart):  # type: ignore[attr-defined]
        rect = shot.rect_of(chart)
        assert chart.isVisible() and window_rect.contains(rect)
        needed = chart.minimumSizeHint().height()
        assert rect.height() >= needed, f"{type(chart).__name__} has {rect.height()} px of {needed}"
        assert len(_colours_in(shot, chart)) > 8, f"{type(chart).__name__} is blank"
    # The session list below them shows several sessions, newest first, whole.
    table = view.sessions_table  # type: ignore[attr-defined]
    assert table.isVisible()
    rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows >= 6, f"the session list has room for {rows:.1f} rows"
    for column in range(table.model().columnCount()):
        assert elided_cells(table, column) == []
    assert_readable(shot)


def _colours_in(shot: Shot, widget: QWidget) -> set[int]:
    rect = shot.rect_of(widget)
    found: set[int] = set()
    for _y, _x, values in shot.rows(rect):
        found.update(values)
    return found


def test_history_tab_empty(qtbot: QtBot, window: MainWindow) -> None:
    take(qtbot, window, SIZE)
    show_tab(window, 1)
    shot = take(qtbot, window, SIZE)
    keep(shot, "history-empty")
    assert window.history_view is not None
    assert window.history_view.is_empty()  # type: ignore[attr-defined]
    texts = painted_texts(shot)
    assert "No sessions yet" in " ".join(texts)
    assert_readable(shot)


@pytest.mark.parametrize("moment", MOMENTS, ids=[moment.name for moment in MOMENTS])
def test_high_contrast_paints_every_text_at_aaa(qtbot: QtBot, moment: Moment) -> None:
    view = session_at(qtbot, moment.offset, scheme=Scheme.HIGH_CONTRAST)
    shot = take(qtbot, view, SIZE)
    low = {text: round(ratio, 2) for text, ratio in text_contrasts(shot) if ratio < AAA_NORMAL_TEXT}
    assert low == {}


def test_high_contrast_finish_screen_paints_every_text_at_aaa(qtbot: QtBot) -> None:
    view = FinishView(
        "Runner's core",
        SessionFinished(True, 287.0, 42.0, START + 330),
        scheme=Scheme.HIGH_CONTRAST,
    )
    qtbot.addWidget(view)
    shot = take(qtbot, view, SIZE)
    low = {text: round(ratio, 2) for text, ratio in text_contrasts(shot) if ratio < AAA_NORMAL_TEXT}
    assert low == {}
