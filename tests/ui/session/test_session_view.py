"""The session screen: what it shows, in which colours, and what its keys and buttons do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QScreen
from PySide6.QtWidgets import QBoxLayout, QMessageBox
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionStatus
from routine_timer.core.model import Exercise, Routine, Sides
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from routine_timer.settings import Settings
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.view import STOP_QUESTION, FinishView, SessionView
from routine_timer.ui.theme import Look, Scheme, colours
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver
from tests.helpers.fakes import RecordingCuePlayer

# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

START = 1000.0
_REST = {"rest": 15.0, "rest_after": 15.0}


def timeline() -> Timeline:
    """Prepare 5 s; plank 2 x 30 s; side plank 20 s a side (switch 5 s); 2 untimed sets of squats.

    Offsets: prepare 0, plank 5, rest 35, plank 50, rest 80, left 95, switch 115,
    right 120, rest 140, squat 155, rest 155, squat 170.
    """
    return build_timeline(
        Routine(
            id="core",
            name="Core",
            prepare=5.0,
            exercises=(
                Exercise(
                    name="Front plank", sets=2, time=30.0, cues=("Keep a straight line",), **_REST
                ),
                Exercise(name="Side plank", sets=1, time=20.0, sides=Sides.BOTH, **_REST),
                Exercise(name="Squat", sets=2, reps=10, **_REST),
            ),
        )
    )


class Screen:
    """A session view on a driver whose clock and timer the test moves by hand."""

    def __init__(self, qtbot: QtBot, *, scheme: Scheme = Scheme.LIGHT) -> None:
        self.clock = FakeClock(START)
        self.player = RecordingCuePlayer(self.clock)
        self.driver = SessionDriver(timeline(), clock=self.clock, cue_player=self.player)
        # Only the test moves time: the real timer must never fire the driver.
        self.driver.timer.timeout.disconnect(self.driver.fire_due)
        self.view = SessionView(self.driver, scheme=scheme)
        qtbot.addWidget(self.view)
        self.qtbot = qtbot

    def show(self) -> None:
        self.view.resize(1000, 640)
        with self.qtbot.waitActive(self.view):
            self.view.show()
            self.view.activateWindow()

    def run_to(self, offset: float) -> None:
        """Move the clock to ``offset`` s after the start, firing each deadline on the way."""
        run_driver(self.driver, self.clock, START + offset)

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.view, key)

    @property
    def step_kind(self) -> StepKind | None:
        step = self.driver.state().step
        return step.kind if step is not None else None

    def background(self) -> str:
        return self.view.palette().color(QPalette.ColorRole.Window).name().upper()

    def text_colour(self) -> str:
        return self.view.palette().color(QPalette.ColorRole.WindowText).name().upper()


@pytest.fixture
def screen(qtbot: QtBot) -> Iterator[Screen]:
    screen = Screen(qtbot)
    yield screen
    screen.driver.timer.stop()


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers Esc's question with Yes (append "no" first to answer No); records what was asked."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        if "no" in asked:
            return QMessageBox.StandardButton.No
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# --- what it shows --------------------------------------------------------------


def test_before_the_start(screen: Screen) -> None:
    view = screen.view
    assert view.heading.text() == "READY"
    assert view.title.text() == "Core"
    assert view.toggle_button.text() == "Start (Space)"
    assert view.toggle_button.isEnabled()
    assert not view.back_button.isEnabled()
    assert not view.skip_button.isEnabled()
    assert view.look() is Look.READY


def test_the_view_still_says_which_monitor_it_is_on(screen: Screen) -> None:
    # QWidget.screen() is Qt's own question; the text on screen has a name of its own.
    screen.show()
    screen.driver.start()
    screen.run_to(1.5)
    assert isinstance(screen.view.screen(), QScreen)
    text = screen.view.text_on_screen()
    assert text is not None
    assert text.heading == "GET READY"


def test_each_step_shows_its_words_and_colours(screen: Screen) -> None:
    view, light = screen.view, Scheme.LIGHT
    screen.driver.start()
    screen.run_to(1.5)
    assert view.heading.text() == "GET READY"
    assert view.title.text() == "First: Front plank"
    assert view.ring.digits() == "4"
    assert view.coach.text() == "Keep a straight line"
    assert screen.background() == colours(Look.PREPARE, light).background
    assert view.toggle_button.text() == "Pause (Space)"
    assert view.done_button.isHidden()

    screen.run_to(5 + 10)
    assert view.heading.text() == "WORK"
    assert view.title.text() == "Front plank"
    assert view.details.text() == "Set 1 of 2 · 30 seconds"
    assert view.ring.digits() == "20"
    assert view.ring.fraction() == pytest.approx(20 / 30)
    assert view.next_up.text() == "Next: Rest 15 s"
    assert view.overall.text().startswith("Step 2 of 12 · ")
    assert view.progress.fraction() == pytest.approx(15 / 170)
    assert screen.background() == colours(Look.WORK, light).background
    assert screen.text_colour() == colours(Look.WORK, light).text

    screen.run_to(35 + 1)
    assert view.heading.text() == "REST"
    assert view.next_up.text() == "Next: Front plank · set 2 of 2 · 30 s"
    assert screen.background() == colours(Look.REST, light).background

    screen.run_to(95 + 1)
    assert view.details.text() == "Left side · 20 seconds"
    screen.run_to(115 + 1)
    assert view.heading.text() == "SWITCH SIDES"
    assert view.details.text() == "Now the right side"
    assert screen.background() == colours(Look.SWITCH, light).background

    screen.run_to(155 + 61)
    assert view.heading.text() == "YOUR PACE"
    assert view.ring.digits() == "1:01"
    assert view.ring.caption() == "time spent"
    assert not view.done_button.isHidden()
    assert screen.background() == colours(Look.MANUAL, light).background


def test_paused_screen(screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(5 + 10)
    screen.driver.toggle()
    view = screen.view
    assert view.heading.text() == "PAUSED · WORK"
    assert view.toggle_button.text() == "Resume (Space)"
    assert screen.background() == colours(Look.PAUSED, Scheme.LIGHT).background
    screen.clock.advance(60)
    screen.driver.fire_due()
    assert view.ring.digits() == "20"


def test_dark_scheme_colours(qtbot: QtBot) -> None:
    screen = Screen(qtbot, scheme=Scheme.DARK)
    screen.driver.start()
    screen.run_to(6)
    dark = colours(Look.WORK, Scheme.DARK)
    assert screen.background() == dark.background
    assert screen.text_colour() == dark.text
    # Once shown (and styled), every painted line still uses the look's colours.
    screen.show()
    view = screen.view
    for widget in (view.title, view.heading, view.next_up, view.ring, view.progress):
        assert widget.palette().color(QPalette.ColorRole.WindowText).name().upper() == dark.text
    secondary = view.hints.palette().color(QPalette.ColorRole.PlaceholderText)
    assert secondary.name().upper() == dark.secondary


def test_buttons_show_their_shortcuts(screen: Screen) -> None:
    view = screen.view
    labels = {
        view.back_button: "←",
        view.toggle_button: "Space",
        view.skip_button: "→",
        view.done_button: "Enter",
        view.mute_button: "M",
        view.full_screen_button: "F11",
        view.stop_button: "Esc",
    }
    for button, key in labels.items():
        assert f"({key})" in button.text()
    # Buttons never take the focus: Space and Enter always mean the session's keys.
    assert all(button.focusPolicy() == Qt.FocusPolicy.NoFocus for button in labels)


def test_buttons_drive_the_session(screen: Screen) -> None:
    view = screen.view
    view.toggle_button.click()
    assert screen.driver.status is SessionStatus.RUNNING
    view.skip_button.click()
    assert screen.driver.state().step.label == "Front plank"
    view.back_button.click()
    assert screen.step_kind is StepKind.PREPARE
    view.mute_button.click()
    assert view.settings.muted
    assert view.mute_button.text() == "Unmute (M)"


# --- keys -------------------------------------------------------------------------


def test_space_starts_pauses_and_resumes(screen: Screen) -> None:
    screen.show()
    screen.key(Qt.Key.Key_Space)
    assert screen.driver.status is SessionStatus.RUNNING
    screen.key(Qt.Key.Key_Space)
    assert screen.driver.status is SessionStatus.PAUSED
    screen.key(Qt.Key.Key_Space)
    assert screen.driver.status is SessionStatus.RUNNING


def test_right_skips_and_left_goes_back(screen: Screen) -> None:
    screen.show()
    screen.key(Qt.Key.Key_Space)
    screen.key(Qt.Key.Key_Right)
    assert screen.driver.state().step.label == "Front plank"
    screen.run_to(20)
    screen.key(Qt.Key.Key_Right)
    assert screen.step_kind is StepKind.REST
    screen.key(Qt.Key.Key_Left)
    assert screen.driver.state().step.label == "Front plank"
    assert screen.driver.state().elapsed_in_step == 0


def test_enter_marks_an_untimed_set_done(screen: Screen) -> None:
    screen.show()
    screen.key(Qt.Key.Key_Space)
    screen.key(Qt.Key.Key_Return)  # timed: nothing
    assert screen.step_kind is StepKind.PREPARE
    screen.run_to(155 + 5)
    assert screen.step_kind is StepKind.MANUAL
    screen.key(Qt.Key.Key_Return)
    assert screen.step_kind is StepKind.REST
    screen.run_to(170 + 5)
    screen.key(Qt.Key.Key_Enter)  # the keypad's Enter too
    assert screen.driver.status is SessionStatus.FINISHED


def test_the_done_button(qtbot: QtBot, screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(155 + 5)
    with qtbot.waitSignal(screen.driver.sessionFinished, raising=False, timeout=50):
        screen.view.done_button.click()
    assert screen.step_kind is StepKind.REST


def test_m_mutes_and_unmutes(screen: Screen) -> None:
    screen.show()
    screen.key(Qt.Key.Key_Space)
    screen.key(Qt.Key.Key_M)
    # The settings hold the one mute switch; the cue player obeys it (see test_cues).
    assert screen.view.settings.muted
    assert screen.view.mute_button.text() == "Unmute (M)"
    screen.key(Qt.Key.Key_M)
    assert not screen.view.settings.muted
    assert screen.view.mute_button.text() == "Mute (M)"


def test_mute_is_shared_by_every_screen_on_the_same_settings(qtbot: QtBot, screen: Screen) -> None:
    settings = Settings(None)
    settings.muted = True
    later = SessionView(screen.driver, settings=settings)
    assert later.mute_button.text() == "Unmute (M)"  # muted in an earlier session: still muted
    settings.muted = False
    assert later.mute_button.text() == "Mute (M)"
    gone: list[object] = []
    later.destroyed.connect(lambda *_: gone.append(True))
    later.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))
    settings.muted = True  # would reach a deleted screen, and fail, if it still listened


def test_f11_asks_for_full_screen(qtbot: QtBot, screen: Screen) -> None:
    screen.show()
    with qtbot.waitSignal(screen.view.fullScreenRequested, timeout=500):
        screen.key(Qt.Key.Key_F11)
    with qtbot.waitSignal(screen.view.fullScreenRequested, timeout=500):
        screen.view.full_screen_button.click()


def test_esc_before_the_start_leaves_without_asking(
    qtbot: QtBot, screen: Screen, answer: list[str]
) -> None:
    screen.show()
    with qtbot.waitSignal(screen.view.leaveRequested, timeout=500):
        screen.key(Qt.Key.Key_Escape)
    assert answer == []


def test_esc_asks_and_yes_stops(qtbot: QtBot, screen: Screen, answer: list[str]) -> None:
    screen.show()
    screen.key(Qt.Key.Key_Space)
    screen.run_to(12)
    with qtbot.waitSignal(screen.view.leaveRequested, timeout=500):
        screen.key(Qt.Key.Key_Escape)
    assert answer == [STOP_QUESTION]
    assert screen.driver.status is SessionStatus.STOPPED


def test_esc_asks_and_no_carries_on(qtbot: QtBot, screen: Screen, answer: list[str]) -> None:
    answer.append("no")
    screen.show()
    screen.key(Qt.Key.Key_Space)
    screen.key(Qt.Key.Key_Space)  # paused sessions are asked about too
    with qtbot.assertNotEmitted(screen.view.leaveRequested):
        screen.key(Qt.Key.Key_Escape)
    assert answer[-1] == STOP_QUESTION
    assert screen.driver.status is SessionStatus.PAUSED


def test_finished_is_signalled_once_at_the_end(qtbot: QtBot, screen: Screen) -> None:
    screen.driver.start()
    screen.run_to(155)
    screen.driver.mark_done()
    screen.run_to(170)
    with qtbot.waitSignal(screen.driver.sessionFinished, timeout=500) as blocker:
        screen.driver.mark_done()
    assert blocker.args[0].completed
    assert screen.view.heading.text() == "FINISHED"
    assert not screen.view.toggle_button.isEnabled()


# --- sizes --------------------------------------------------------------------------


def test_landscape_and_portrait_layouts(qtbot: QtBot, screen: Screen) -> None:
    screen.driver.start()
    screen.show()
    body = screen.view._body
    screen.view.resize(1200, 700)
    qtbot.waitUntil(lambda: body.direction() == QBoxLayout.Direction.LeftToRight)
    screen.view.resize(500, 900)
    qtbot.waitUntil(lambda: body.direction() == QBoxLayout.Direction.TopToBottom)
    # The ring sits above the words in portrait, beside them in landscape.
    qtbot.waitUntil(lambda: screen.view.ring.geometry().bottom() <= screen.view.title.y())
    for width, height in ((320, 240), (1920, 1080), (200, 600)):
        screen.view.resize(width, height)
        screen.view.repaint()
    screen.view.resize(1200, 700)
    qtbot.waitUntil(lambda: screen.view.ring.geometry().right() <= screen.view.title.x())


def test_a_finish_with_sets_skipped_says_so(qtbot: QtBot) -> None:
    from routine_timer.core.engine import SessionFinished

    skipped = SessionFinished(True, 14.0, 0.0, START + 14, sets_done=0, sets_planned=7)
    view = FinishView("Core", skipped)
    qtbot.addWidget(view)
    assert view.heading.text() == "End of the routine"
    assert view.paused.text() == "0 of 7 sets done"
    some = SessionFinished(True, 300.0, 65.0, START + 400, sets_done=5, sets_planned=7)
    view = FinishView("Core", some)
    qtbot.addWidget(view)
    assert view.paused.text() == "5 of 7 sets done · plus 1:05 paused"
    whole = SessionFinished(True, 300.0, 0.0, START + 300, sets_done=7, sets_planned=7)
    view = FinishView("Core", whole)
    qtbot.addWidget(view)
    assert (view.heading.text(), view.paused.text()) == ("Routine complete", "")


def test_finish_view(qtbot: QtBot) -> None:
    from routine_timer.core.engine import SessionFinished

    view = FinishView("Core", SessionFinished(True, 154.2, 65.0, START + 300), scheme=Scheme.DARK)
    qtbot.addWidget(view)
    assert view.heading.text() == "Routine complete"
    assert view.time_done.text() == "Time: 2:35"
    assert view.paused.text() == "plus 1:05 paused"
    view.resize(800, 500)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    with qtbot.waitSignal(view.backRequested, timeout=500):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    with qtbot.waitSignal(view.backRequested, timeout=500):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
