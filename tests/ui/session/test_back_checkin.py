"""The back check-in: one-tap ratings, a note, and what lands in the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from routine_timer.core.checkin import pain_advice
from routine_timer.core.engine import SessionStatus
from routine_timer.core.plan import StepKind
from routine_timer.paths import AppPaths
from routine_timer.ui.history.model import SessionColumn
from routine_timer.ui.session.checkin import (
    NoteField,
    PainAdvice,
    PainRating,
    RpeRating,
)
from routine_timer.ui.session.view import FinishView
from routine_timer.ui.theme import Look, Scheme, colours
from tests.helpers.window import WindowHarness

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")

ROUTINE = """\
name: Back check
prepare: 5s
rest: 2s
exercises:
  - name: Bird dog
    time: 3s
    sets: 2
  - name: Dead bug
    time: 3s
"""


# -- the widgets ------------------------------------------------------------------


def test_a_tap_picks_a_number_and_a_second_tap_clears_it(qtbot: QtBot) -> None:
    rating = PainRating()
    qtbot.addWidget(rating)
    sent: list[int | None] = []
    rating.valueChanged.connect(sent.append)
    assert rating.value() is None
    assert [button.text() for button in rating.buttons()] == [str(n) for n in range(11)]

    qtbot.mouseClick(rating.button(4), Qt.MouseButton.LeftButton)
    assert (rating.value(), sent) == (4, [4])
    assert [b.isChecked() for b in rating.buttons()] == [n == 4 for n in range(11)]

    qtbot.mouseClick(rating.button(7), Qt.MouseButton.LeftButton)
    assert (rating.value(), sent) == (7, [4, 7])
    assert [b.text() for b in rating.buttons() if b.isChecked()] == ["7"]

    qtbot.mouseClick(rating.button(7), Qt.MouseButton.LeftButton)  # again: cleared
    assert (rating.value(), sent) == (None, [4, 7, None])
    assert not any(b.isChecked() for b in rating.buttons())

    qtbot.mouseClick(rating.button(0), Qt.MouseButton.LeftButton)  # 0 is a rating, not "none"
    assert (rating.value(), sent[-1]) == (0, 0)


def test_effort_runs_from_1_to_10_and_buttons_never_take_the_keys(qtbot: QtBot) -> None:
    rpe = RpeRating(indent=1)
    qtbot.addWidget(rpe)
    assert [button.text() for button in rpe.buttons()] == [str(n) for n in range(1, 11)]
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in rpe.buttons())
    with pytest.raises(ValueError, match="from 1 to 10, not 0"):
        rpe.setValue(0)
    with qtbot.waitSignal(rpe.valueChanged) as signal:
        rpe.setValue(8)
    assert signal.args == [8]
    with qtbot.assertNotEmitted(rpe.valueChanged):
        rpe.setValue(8)  # no change, no signal


def test_the_note_is_sent_once_typing_pauses_and_only_when_changed(qtbot: QtBot) -> None:
    note = NoteField(delay_ms=10)
    qtbot.addWidget(note)
    sent: list[str] = []
    note.noteChanged.connect(sent.append)
    qtbot.keyClicks(note, "Tight hip")
    assert sent == []  # not letter by letter
    with qtbot.waitSignal(note.noteChanged, timeout=2000):
        pass
    assert sent == ["Tight hip"]
    note.flush()
    assert sent == ["Tight hip"]  # nothing new
    note.setText("Tight left hip")
    note.flush()  # leaving the screen sends at once
    assert sent == ["Tight hip", "Tight left hip"]
    assert not note.timer.isActive()


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [(2, 5, True), (2, 4, False), (0, 10, True), (5, 2, False), (None, 9, False), (4, None, False)],
)
def test_the_gentle_word_comes_at_three_points_more_and_not_at_two(
    qtbot: QtBot, before: int | None, after: int | None, shown: bool
) -> None:
    advice = PainAdvice()
    qtbot.addWidget(advice)
    advice.show_for(before, after)
    assert advice.isVisibleTo(None) is shown
    text = pain_advice(before, after)
    assert (text is not None) is shown
    if text is not None:
        assert advice.text() == text
        lowered = text.lower()
        assert "leg" in lowered
        assert "doctor or physiotherapist" in lowered
        assert "easy" in lowered  # ease off, kindly; no alarm words
        assert not any(word in lowered for word in ("danger", "emergency", "stop running"))


# -- in the window, with a real history -------------------------------------------


@pytest.fixture
def win(qtbot: QtBot, app_paths: AppPaths, tmp_path: Path) -> WindowHarness:
    """The main window on a fake clock, one tiny bundled routine, a real history file."""
    harness = WindowHarness(qtbot, app_paths, tmp_path, {"back-check": ROUTINE})
    harness.window.resize(1100, 720)
    return harness


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any message box would block a runner: record them and fail the test if one shows."""
    shown: list[str] = []

    def box(_parent: object, _title: str, text: str, *_args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Yes

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, box)
    return shown


def test_a_session_nobody_touches_starts_finishes_and_records_completed(
    win: WindowHarness, no_dialogs: list[str]
) -> None:
    view = win.start("back-check")
    assert view.checkin_row.isVisibleTo(view)  # offered on the get-ready screen...
    win.run_until(StepKind.WORK)
    assert not view.checkin_row.isVisibleTo(view)  # ...and gone once the work starts
    finish = win.finish()
    assert win.window.driver is not None
    assert win.window.driver.status is SessionStatus.FINISHED
    assert win.window.stack.currentWidget() is finish
    session = win.only_session()
    assert session.status == "completed"
    assert (session.pain_before, session.pain_after, session.rpe, session.note) == (None,) * 4
    assert session.steps_done == 3
    assert not any(step.stopped_for_pain for step in win.store().steps(session.id))
    assert not finish.advice.isVisibleTo(finish)
    assert no_dialogs == []


def test_pain_before_after_effort_and_note_land_in_the_history(
    qtbot: QtBot, win: WindowHarness, no_dialogs: list[str]
) -> None:
    view = win.start("back-check")
    qtbot.mouseClick(view.pain_before.button(2), Qt.MouseButton.LeftButton)
    assert win.only_session().pain_before == 2  # stored at once, mid-countdown
    qtbot.mouseClick(view.pain_before.button(3), Qt.MouseButton.LeftButton)  # changed mind
    assert win.only_session().pain_before == 3

    finish = win.finish()
    assert finish.pain_before == 3
    qtbot.mouseClick(finish.pain_after.button(5), Qt.MouseButton.LeftButton)
    assert win.only_session().pain_after == 5
    assert not finish.advice.isVisibleTo(finish)  # two points more: no word
    qtbot.mouseClick(finish.rpe.button(6), Qt.MouseButton.LeftButton)
    assert win.only_session().rpe == 6
    qtbot.keyClicks(finish.note, "Stiff after the long run")
    finish.note.flush()
    session = win.only_session()
    assert (session.pain_before, session.pain_after, session.rpe, session.note) == (
        3,
        5,
        6,
        "Stiff after the long run",
    )
    assert session.status == "completed"
    qtbot.mouseClick(finish.rpe.button(6), Qt.MouseButton.LeftButton)  # a second tap clears
    assert win.only_session().rpe is None
    assert no_dialogs == []


def test_the_gentle_word_appears_on_the_finish_screen_at_three_points(
    qtbot: QtBot, win: WindowHarness
) -> None:
    view = win.start("back-check")
    qtbot.mouseClick(view.pain_before.button(2), Qt.MouseButton.LeftButton)
    finish = win.finish()
    qtbot.mouseClick(finish.pain_after.button(4), Qt.MouseButton.LeftButton)
    assert not finish.advice.isVisibleTo(finish)
    qtbot.mouseClick(finish.pain_after.button(5), Qt.MouseButton.LeftButton)
    assert finish.advice.isVisibleTo(finish)
    assert "from 2 to 5" in finish.advice.text()
    qtbot.mouseClick(finish.pain_after.button(5), Qt.MouseButton.LeftButton)  # cleared
    assert not finish.advice.isVisibleTo(finish)


def test_a_note_still_being_typed_is_saved_when_leaving(qtbot: QtBot, win: WindowHarness) -> None:
    win.start("back-check")
    finish = win.finish()
    finish.note.setText("Felt good")
    assert win.only_session().note is None  # still waiting for typing to pause
    finish.back_button.click()
    assert win.window.finish_view is None
    assert win.only_session().note == "Felt good"


def test_stop_pain_stops_at_once_and_flags_the_step(
    qtbot: QtBot, win: WindowHarness, no_dialogs: list[str]
) -> None:
    view = win.start("back-check")
    win.run_until(StepKind.WORK, skip_first=1)  # the second set of bird dog
    win.clock.advance(1.0)
    win.window.driver.fire_due()  # type: ignore[union-attr]
    current = view.driver.state().step
    assert current is not None and (current.label, current.set) == ("Bird dog", 2)
    qtbot.mouseClick(view.pain_stop_button, Qt.MouseButton.LeftButton)
    assert no_dialogs == []  # no question asked
    assert win.window.driver is None  # back in the library
    assert win.window.stack.currentWidget() is win.window.tabs
    assert "pain" in win.window.statusBar().currentMessage()
    session = win.only_session()
    assert session.status == "stopped"
    flagged = [step for step in win.store().steps(session.id) if step.stopped_for_pain]
    assert [(s.index, s.exercise, s.set, s.skipped) for s in flagged] == [
        (current.index, "Bird dog", 2, True)
    ]


def test_stop_pain_in_a_rest_flags_the_exercise_just_done(qtbot: QtBot, win: WindowHarness) -> None:
    view = win.start("back-check")
    win.run_until(StepKind.REST)
    state = view.driver.state()
    assert state.step is not None and state.step.kind is StepKind.REST
    view.pain_stop_button.click()
    session = win.only_session()
    assert session.status == "stopped"
    steps = win.store().steps(session.id)
    flagged = [step for step in steps if step.stopped_for_pain]
    assert [(s.exercise, s.set, s.kind, s.skipped) for s in flagged] == [
        ("Bird dog", 1, "work", False)
    ]
    assert steps[-1].kind == "rest" and not steps[-1].stopped_for_pain


def test_stop_pain_does_nothing_before_the_start_or_after_the_end(win: WindowHarness) -> None:
    view = win.start("back-check")
    win.finish()
    assert not view.pain_stop_button.isEnabled()
    view.stop_for_pain()  # a stray call changes nothing
    assert win.only_session().status == "completed"


def test_the_history_tab_shows_the_check_in_just_given(qtbot: QtBot, win: WindowHarness) -> None:
    view = win.start("back-check")
    qtbot.mouseClick(view.pain_before.button(1), Qt.MouseButton.LeftButton)
    finish = win.finish()
    qtbot.mouseClick(finish.pain_after.button(4), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(finish.rpe.button(3), Qt.MouseButton.LeftButton)
    finish.back_button.click()
    win.window.tabs.setCurrentIndex(1)
    history = win.window.history_view
    assert history is not None
    model = history.sessions_model  # type: ignore[attr-defined]
    assert model.rowCount() == 1
    row = [
        model.index(0, column).data()
        for column in (SessionColumn.RESULT, SessionColumn.PAIN_BEFORE, SessionColumn.PAIN_AFTER)
    ]
    assert row == ["Completed", "1", "4"]
    assert model.index(0, SessionColumn.EFFORT).data() == "3"
    # Three points more: the history marks the rise too.
    assert model.index(0, SessionColumn.PAIN_AFTER).data(Qt.ItemDataRole.FontRole).bold()


@pytest.mark.parametrize("scheme", [Scheme.LIGHT, Scheme.DARK])
def test_screenshots_of_the_check_in_show_the_picked_number_inverted(
    qtbot: QtBot, tmp_path: Path, scheme: Scheme
) -> None:
    from routine_timer.core.engine import SessionFinished

    finish = FinishView(
        "Back care", SessionFinished(True, 95.0, 12.0, 0.0), pain_before=2, scheme=scheme
    )
    qtbot.addWidget(finish)
    finish.resize(1100, 720)
    finish.show()
    finish.pain_after.setValue(6)
    finish.rpe.setValue(4)
    image = finish.grab().toImage()
    assert image.save(str(tmp_path / f"finish-{scheme}.png"))
    look = colours(Look.FINISHED, scheme)
    for rating, picked, other in ((finish.pain_after, 6, 7), (finish.rpe, 4, 1)):
        # Inside each button, clear of its digit and its rounded border.
        inside = [rating.button(number).mapTo(finish, QPoint(8, 8)) for number in (picked, other)]
        # The picked number is filled with the text colour; the others are not.
        assert _close(image.pixelColor(inside[0]), look.text)
        assert not _close(image.pixelColor(inside[1]), look.text)
    assert finish.advice.isVisibleTo(finish)  # 2 -> 6
    # Every target is big enough to hit from the mat.
    assert min(b.height() for b in finish.pain_after.buttons() + finish.rpe.buttons()) >= 40


def _close(colour: QColor, expected: str) -> bool:
    wanted = QColor(expected)
    return all(
        abs(a - b) <= 40 for a, b in zip(colour.getRgb()[:3], wanted.getRgb()[:3], strict=True)
    )
