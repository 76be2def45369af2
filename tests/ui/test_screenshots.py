"""One picture per screen, saved as PNG under the test's tmp folder.

They are checked for being real pictures (not empty, not one flat colour);
people look at them to judge the layout (run with ``--basetemp DIR`` to keep
them somewhere handy).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionFinished
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import Timeline, build_timeline
from routine_timer.paths import AppPaths
from routine_timer.ui.driver import SessionDriver
from routine_timer.ui.main_window import MainWindow
from routine_timer.ui.session_view import FinishView, SessionView
from routine_timer.ui.settings import Settings
from routine_timer.ui.theme import Scheme
from tests.conftest import FakeClock

# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

SIZE = (1100, 700)
START = 1000.0
_REST = {"rest": 15.0, "rest_after": 15.0}

ROUTINE = """\
name: Runner's core
description: Planks, bird dogs and squats for a stronger run.
tags: [core, runners]
prepare: 10s
exercises:
  - name: Front plank
    time: 30s
    sets: 2
    cues: [Keep a straight line from head to heels]
    easier: Knee plank
"""


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


def save(qtbot: QtBot, widget: QWidget, path: Path) -> Path:
    """Show ``widget`` at the screenshot size, let it lay out, and save a grab of it."""
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    # The screen restyles itself for its new size; let the layout catch up before the grab.
    for _ in range(3):
        QApplication.processEvents()
    assert widget.grab().save(str(path))
    return path


def assert_real_picture(path: Path, *, min_bytes: int = 8_000) -> None:
    assert path.is_file()
    assert path.stat().st_size > min_bytes
    image = QImage(str(path))
    # At least the size asked for (a screen may be a few pixels wider than asked, at its minimum).
    assert image.width() >= SIZE[0]
    assert image.height() >= SIZE[1]
    # Not one flat colour: sample a grid and want a handful of distinct colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 8


def session_at(qtbot: QtBot, offset: float, *, pause: bool = False) -> SessionView:
    clock = FakeClock(START)
    driver = SessionDriver(timeline(), clock=clock)
    driver.timer.timeout.disconnect(driver.fire_due)
    driver.start()
    while (deadline := driver.session.next_deadline()) is not None and deadline <= START + offset:
        clock.now = deadline
        driver.fire_due()
    clock.now = START + offset
    driver.fire_due()
    if pause:
        driver.toggle()
    view = SessionView(driver, scheme=Scheme.LIGHT)
    qtbot.addWidget(view)
    return view


@pytest.mark.parametrize(
    ("name", "offset", "heading"),
    [
        ("prepare", 3.2, "GET READY"),
        ("work", 10 + 12.4, "WORK"),
        ("held-reps", 135 + 7.0, "WORK"),
        ("switch", 85 + 1.5, "SWITCH SIDES"),
        ("rest", 40 + 4.0, "REST"),
        ("manual", 172 + 47.0, "YOUR PACE"),
    ],
)
def test_session_screens(
    qtbot: QtBot, tmp_path: Path, name: str, offset: float, heading: str
) -> None:
    view = session_at(qtbot, offset)
    assert view.heading.text() == heading
    assert_real_picture(save(qtbot, view, tmp_path / f"{name}.png"))


def test_paused_screen(qtbot: QtBot, tmp_path: Path) -> None:
    view = session_at(qtbot, 10 + 12.4, pause=True)
    assert view.heading.text() == "PAUSED · WORK"
    assert_real_picture(save(qtbot, view, tmp_path / "paused.png"))


def test_dark_work_screen(qtbot: QtBot, tmp_path: Path) -> None:
    view = session_at(qtbot, 10 + 12.4)
    view._scheme = Scheme.DARK
    view._restyle()
    assert_real_picture(save(qtbot, view, tmp_path / "work-dark.png"))


def test_finished_screen(qtbot: QtBot, tmp_path: Path) -> None:
    view = FinishView(
        "Runner's core", SessionFinished(True, 287.0, 42.0, START + 330), scheme=Scheme.LIGHT
    )
    qtbot.addWidget(view)
    assert_real_picture(save(qtbot, view, tmp_path / "finished.png"), min_bytes=4_000)


@pytest.fixture
def window(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> MainWindow:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "core.yaml").write_text(ROUTINE, encoding="utf-8")
    (bundled / "stretch.yaml").write_text(
        "name: Evening stretch\ntags: [mobility]\nexercises:\n"
        "  - name: Hamstring stretch\n    time: 1m\n    sides: both\n",
        encoding="utf-8",
    )
    app_paths.routines_dir.mkdir(parents=True, exist_ok=True)
    (app_paths.routines_dir / "broken.yaml").write_text(
        "name: Broken\nexercises:\n  - name: Plank\n    time: soon\n", encoding="utf-8"
    )
    window = MainWindow(
        app_paths, Settings(tmp_path / "settings.ini"), clock=FakeClock(), bundled_dir=bundled
    )
    qtbot.addWidget(window)
    window.reload_library()
    return window


def test_library_screen(qtbot: QtBot, tmp_path: Path, window: MainWindow) -> None:
    assert window.library.select_id("core")
    assert_real_picture(save(qtbot, window, tmp_path / "library.png"))


def test_history_tab_empty(qtbot: QtBot, tmp_path: Path, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(1)
    assert window.history_view is not None
    assert window.history_view.is_empty()
    assert_real_picture(save(qtbot, window, tmp_path / "history-empty.png"), min_bytes=4_000)
