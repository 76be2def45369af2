"""Hands-free keys: a presentation clicker, media keys and headset buttons drive the session.

Each key is clicked with QTest through a real session screen on the fake
clock, with the focus on a child widget of the screen (the keys belong to the
whole screen, not to whichever part of it was last clicked).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from routine_timer.core.engine import SessionStatus
from routine_timer.core.model import Exercise, Routine
from routine_timer.core.plan import StepKind, build_timeline
from routine_timer.ui.session.driver import SessionDriver
from routine_timer.ui.session.text import KEY_LEGEND
from routine_timer.ui.session.view import SESSION_KEYS, Control, SessionView
from routine_timer.ui.theme import TextTier
from tests.helpers.clocks import FakeClock
from tests.helpers.driving import run_driver
from tests.helpers.fakes import answer_yes

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

START = 1000.0
MEDIA_KEYS = {
    Qt.Key.Key_MediaPlay,
    Qt.Key.Key_MediaPause,
    Qt.Key.Key_MediaTogglePlayPause,
    Qt.Key.Key_MediaNext,
    Qt.Key.Key_MediaPrevious,
    Qt.Key.Key_MediaStop,
}


def routine() -> Routine:
    """Prepare 5 s; front plank 2 x 30 s, rest 15 s; glute bridge 30 s.

    Offsets: prepare 0, plank 5, rest 35, plank 50, rest 80, bridge 95.
    """
    return Routine(
        id="clicker",
        name="Clicker",
        prepare=5.0,
        exercises=(
            Exercise(name="Front plank", sets=2, time=30.0, rest=15.0, rest_after=15.0),
            Exercise(name="Glute bridge", sets=1, time=30.0, rest=15.0, rest_after=15.0),
        ),
    )


class Mat:
    """A session screen whose clock only the test moves, the focus on one of its children."""

    def __init__(self, qtbot: QtBot) -> None:
        self.clock = FakeClock(START)
        self.driver = SessionDriver(build_timeline(routine()), clock=self.clock)
        self.driver.timer.timeout.disconnect(self.driver.fire_due)
        self.view = SessionView(self.driver, routine=routine())
        qtbot.addWidget(self.view)
        self.qtbot = qtbot
        self.view.resize(1000, 640)
        with qtbot.waitActive(self.view):
            self.view.show()
            self.view.activateWindow()
        # A child that takes the focus, as a clicked widget would.
        self.focused: QWidget = self.view.ring
        self.focused.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.focused.setFocus(Qt.FocusReason.MouseFocusReason)
        assert self.view.focusWidget() is self.focused

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        if key in MEDIA_KEYS:
            # keyClick would ask QTest for the key's character, and media keys have none
            # (it warns): press and release them with an empty text, as a keyboard does.
            for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):
                QTest.sendKeyEvent(action, self.focused, key, "", modifier)
        else:
            self.qtbot.keyClick(self.focused, key, modifier)

    def run_to(self, offset: float) -> None:
        run_driver(self.driver, self.clock, START + offset)

    @property
    def status(self) -> SessionStatus:
        return self.driver.status

    @property
    def label(self) -> str | None:
        step = self.driver.state().step
        return step.label if step is not None else None

    @property
    def kind(self) -> StepKind | None:
        step = self.driver.state().step
        return step.kind if step is not None else None


@pytest.fixture
def mat(qtbot: QtBot) -> Iterator[Mat]:
    mat = Mat(qtbot)
    yield mat
    mat.driver.timer.stop()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answers the stop question with Yes, and records each question asked."""
    return answer_yes(monkeypatch)


@pytest.mark.parametrize(
    ("forward", "backward"),
    [
        (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp),  # a presentation clicker
        (Qt.Key.Key_MediaNext, Qt.Key.Key_MediaPrevious),  # media keys, headset buttons
    ],
)
def test_next_skips_and_previous_goes_back(mat: Mat, forward: Qt.Key, backward: Qt.Key) -> None:
    mat.driver.start()
    assert mat.kind is StepKind.PREPARE
    mat.key(forward)
    assert mat.label == "Front plank"
    mat.run_to(20)
    mat.key(forward)
    assert mat.kind is StepKind.REST
    mat.key(backward)  # within 3 s of the rest: back to the set just done, from its start
    assert mat.label == "Front plank"
    assert mat.driver.state().elapsed_in_step == 0
    assert mat.status is SessionStatus.RUNNING


@pytest.mark.parametrize("key", [Qt.Key.Key_MediaTogglePlayPause, Qt.Key.Key_B, Qt.Key.Key_Period])
def test_play_pause_and_the_blank_screen_button_pause_and_resume(mat: Mat, key: Qt.Key) -> None:
    mat.driver.start()
    mat.run_to(10)
    mat.key(key)
    assert mat.status is SessionStatus.PAUSED
    remaining = mat.driver.state().remaining_in_step
    mat.run_to(70)  # a minute on the mat, paused: nothing moves
    assert mat.driver.state().remaining_in_step == remaining
    mat.key(key)
    assert mat.status is SessionStatus.RUNNING
    assert mat.label == "Front plank"


def test_play_only_starts_or_resumes_and_pause_only_pauses(mat: Mat) -> None:
    mat.key(Qt.Key.Key_MediaPause)  # nothing to pause before the start
    assert mat.status is SessionStatus.READY
    mat.key(Qt.Key.Key_MediaPlay)
    assert mat.status is SessionStatus.RUNNING
    mat.key(Qt.Key.Key_MediaPlay)  # a second Play must not pause
    assert mat.status is SessionStatus.RUNNING
    mat.key(Qt.Key.Key_MediaPause)
    assert mat.status is SessionStatus.PAUSED
    mat.key(Qt.Key.Key_MediaPause)  # nor a second Pause resume
    assert mat.status is SessionStatus.PAUSED
    mat.key(Qt.Key.Key_MediaPlay)
    assert mat.status is SessionStatus.RUNNING


def test_the_slideshow_button_never_restarts_anything(mat: Mat) -> None:
    mat.driver.start()
    mat.run_to(20)
    before = mat.driver.state()
    mat.key(Qt.Key.Key_F5)
    mat.key(Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    after = mat.driver.state()
    assert (after.status, after.step, after.elapsed_in_step) == (
        before.status,
        before.step,
        before.elapsed_in_step,
    )


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_MediaStop])
def test_esc_and_media_stop_ask_before_stopping(mat: Mat, asked: list[str], key: Qt.Key) -> None:
    mat.driver.start()
    mat.run_to(20)
    with mat.qtbot.waitSignal(mat.view.leaveRequested, timeout=1000):
        mat.key(key)
    assert len(asked) == 1
    assert mat.status is SessionStatus.STOPPED


def test_the_keys_work_with_the_focus_on_any_child(mat: Mat) -> None:
    mat.driver.start()
    for child in (mat.view.figure, mat.view.progress, mat.view.key_legend):
        child.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        child.setFocus(Qt.FocusReason.MouseFocusReason)
        mat.focused = child
        mat.key(Qt.Key.Key_MediaTogglePlayPause)
        assert mat.status is SessionStatus.PAUSED
        mat.key(Qt.Key.Key_B)
        assert mat.status is SessionStatus.RUNNING
    mat.key(Qt.Key.Key_PageDown)
    assert mat.label == "Front plank"


def test_every_control_has_keys_and_no_key_does_two_things() -> None:
    keys = [key for _control, bound in SESSION_KEYS for key in bound]
    assert len(keys) == len(set(keys))
    assert {control for control, _keys in SESSION_KEYS} == set(Control)
    assert Qt.Key.Key_F5 not in keys


def test_the_screen_shows_its_clicker_and_media_keys(mat: Mat) -> None:
    legend = mat.view.key_legend
    assert legend.isVisible()
    assert legend.text() == KEY_LEGEND
    for words in ("Pause: Space · B · Play/Pause", "Skip: → · PgDn · Next", "Back: ← · PgUp"):
        assert words in KEY_LEGEND
    # Under the buttons, inside the window, at the least size of a reference text
    # (docs/accessibility.md), in two lines at most.
    assert legend.geometry().top() >= mat.view.stop_button.geometry().bottom()
    assert legend.geometry().bottom() <= mat.view.height()
    assert legend.tier() is TextTier.REFERENCE
    fit = legend.text_fit()
    assert fit.cap_height >= legend.minimum_cap() - 0.01
    assert len(fit.lines) <= 2


def test_a_second_stop_while_the_question_is_open_asks_nothing_more(
    mat: Mat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A headset's Stop reaches the screen over the bus even while the question is up.
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        mat.view.request_stop()  # pressed again, before the first is answered
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    mat.driver.start()
    mat.key(Qt.Key.Key_MediaStop)
    assert len(asked) == 1
    assert mat.status is SessionStatus.RUNNING
