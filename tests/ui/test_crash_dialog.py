"""Unexpected errors: logged with their traceback, shown in one dialog, nothing lost."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from routine_timer import __version__
from routine_timer.core.engine import SecondElapsed, SessionStatus
from routine_timer.logs import LogSetup, setup_logging
from routine_timer.paths import AppPaths
from routine_timer.storage.history import HistoryStore
from routine_timer.ui.crash_dialog import CrashDialog
from routine_timer.ui.crash_reporter import CrashReporter
from tests.helpers.window import WindowHarness

# The offscreen platform says this when a top-level window is shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support propagateSizeHints")


class Emitter(QObject):
    """Something that calls slots, as a timer or a button does."""

    fired = Signal(int)


def broken_slot(value: int) -> None:
    raise ValueError(f"the view cannot show {value}")


def other_broken_slot(value: int) -> None:
    raise KeyError(value)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's log, set up as at start-up, in this test's data folder."""
    root = logging.getLogger()
    level = root.level
    path = AppPaths(tmp_path / "data").log_file
    setup: LogSetup = setup_logging(path)
    yield path
    setup.close()
    root.setLevel(level)


@pytest.fixture
def reporter(qapp: QApplication, log_file: Path) -> Iterator[CrashReporter]:
    """A crash reporter installed as the app installs it, and taken off afterwards."""
    reporter = CrashReporter(log_file)
    reporter.install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()
        reporter.dialog.deleteLater()


def crash_dialogs() -> list[CrashDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, CrashDialog) and widget.isVisible()
    ]


def test_an_error_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    emitter = Emitter()
    emitter.fired.connect(broken_slot)
    emitter.fired.emit(3)

    log = log_file.read_text(encoding="utf-8")
    assert "ERROR routine_timer.ui.crash_reporter: unexpected error" in log
    assert "Traceback (most recent call last):" in log
    assert 'in broken_slot\n    raise ValueError(f"the view cannot show {value}")' in log
    assert "ValueError: the view cannot show 3" in log
    dialog = reporter.dialog
    assert dialog is not None
    assert crash_dialogs() == [dialog]
    assert not dialog.isModal()
    assert QApplication.activeModalWidget() is None
    assert dialog.summary.text() == "The error: ValueError: the view cannot show 3."
    assert str(log_file) in dialog.where.text()
    assert "Traceback" in dialog.details.toPlainText()


def test_the_same_error_every_tick_is_one_dialog_that_counts(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    emitter = Emitter()
    emitter.fired.connect(broken_slot)
    for tick in range(5):
        emitter.fired.emit(tick)

    dialog = reporter.dialog
    assert dialog is not None
    assert crash_dialogs() == [dialog]
    assert (
        dialog.summary.text()
        == "The error: ValueError: the view cannot show 4. It happened 5 times."
    )
    assert "(happened 5 times)" in dialog.details_text()
    log = log_file.read_text(encoding="utf-8")
    # The traceback once, then a line at the 2nd and 4th time: the log stays small.
    assert log.count("Traceback") == 1
    assert "the same error again (2 times now): the view cannot show 1" in log
    assert "(4 times now)" in log
    assert "(3 times now)" not in log and "(5 times now)" not in log

    # Closed, it stays closed for the same error; a new error opens it again.
    dialog.close()
    emitter.fired.emit(5)
    assert crash_dialogs() == []
    emitter.fired.disconnect(broken_slot)
    emitter.fired.connect(other_broken_slot)
    emitter.fired.emit(6)
    assert crash_dialogs() == [dialog]
    assert dialog.summary.text() == ("2 different errors, 7 times in all. The latest: KeyError: 6.")


def test_copy_details_puts_traceback_version_and_platform_on_the_clipboard(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    emitter = Emitter()
    emitter.fired.connect(broken_slot)
    emitter.fired.emit(7)
    assert reporter.dialog is not None
    QApplication.clipboard().clear()

    reporter.dialog.copy_button.click()

    copied = QApplication.clipboard().text()
    assert copied.startswith("ValueError: the view cannot show 7 (happened once)\n")
    assert f"routine-timer {__version__}" in copied
    assert f"Qt {QtCore.qVersion()}" in copied
    assert "Python 3." in copied and sys.platform.capitalize()[:3] in copied
    assert "Traceback (most recent call last):" in copied
    assert copied.endswith(f"Log file: {log_file}")


def test_an_error_in_another_thread_is_shown_by_the_gui_thread(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path
) -> None:
    worker = threading.Thread(target=broken_slot, args=(8,), name="speech")
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog is not None
    assert reporter.dialog.thread() is QApplication.instance().thread()
    log = log_file.read_text(encoding="utf-8")
    assert "unexpected error in thread speech" in log
    assert "ValueError: the view cannot show 8" in log


def test_ctrl_c_is_left_to_the_previous_hook(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _value, _tb: seen.append(kind))
    reporter = CrashReporter(log_file)
    reporter.install()
    try:
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    finally:
        reporter.uninstall()
    assert seen == [KeyboardInterrupt]
    assert reporter.dialog is None


@pytest.mark.qt_log_ignore("^a warning from the test$")
def test_qt_warnings_are_logged_and_still_reach_the_handler_before(
    qtbot: QtBot, qtlog: object, log_file: Path
) -> None:
    reporter = CrashReporter(log_file)
    reporter.install()
    try:
        QtCore.qWarning("a warning from the test")
    finally:
        reporter.uninstall()
    QtCore.qWarning("a warning from the test")

    log = log_file.read_text(encoding="utf-8")
    assert log.count("WARNING qt: a warning from the test") == 1
    # pytest-qt's handler (installed before ours) still saw both.
    messages = [record.message for record in qtlog.records]  # type: ignore[attr-defined]
    assert messages.count("a warning from the test") == 2


@pytest.mark.qt_log_ignore("^no audio output device$")
def test_qt_messages_keep_their_category_and_expected_probes_are_not_warnings(
    qtbot: QtBot, log_file: Path
) -> None:
    player = QtCore.QLoggingCategory("qt.multimedia.player")
    probes = QtCore.QLoggingCategory("qt.multimedia.symbolsresolver")
    reporter = CrashReporter(log_file)
    reporter.install()
    try:
        QtCore.qCCritical(player, "no audio output device")
        # pytest-qt ignores this one too (pyproject.toml): it comes at every start.
        QtCore.qCWarning(probes, "Couldn't load va library")
    finally:
        reporter.uninstall()
    log = log_file.read_text(encoding="utf-8")
    assert "ERROR qt.multimedia.player: no audio output device" in log
    assert "INFO qt.multimedia.symbolsresolver: Couldn't load va library" in log


def test_importing_the_app_installs_no_hook_nor_qt_handler() -> None:
    script = """
import sys, threading
from PySide6 import QtCore
import routine_timer.app, routine_timer.cli, routine_timer.ui.crash_reporter
# The dialog's widgets load with the first error, not with the reporter at start-up.
print("routine_timer.ui.crash_dialog" not in sys.modules)
import routine_timer.ui.main_window, routine_timer.ui.about_dialog, routine_timer.ui.crash_dialog
print(sys.excepthook is sys.__excepthook__, threading.excepthook is threading.__excepthook__,
      QtCore.qInstallMessageHandler(None) is None)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "True", "True"]


# --- a session with a broken slot ----------------------------------------------

THREE_STEPS = """\
name: Three stretches
prepare: 0
rest: 0
exercises:
  - name: Reach up
    time: 3s
  - name: Touch your toes
    time: 3s
  - name: Twist
    time: 3s
"""


def test_a_slot_failing_every_second_mid_session_keeps_timing_and_history(
    qtbot: QtBot, reporter: CrashReporter, log_file: Path, app_paths: AppPaths, tmp_path: Path
) -> None:
    harness = WindowHarness(qtbot, app_paths, tmp_path, {"stretches": THREE_STEPS})
    window, clock = harness.window, harness.clock
    reporter.set_dialog_parent(window)
    harness.start("stretches")  # the test's clock drives it, not the real timer
    driver = window.driver
    assert driver is not None

    def breaks_in_the_second_stretch(event: SecondElapsed) -> None:
        if event.step.index == 1:
            raise RuntimeError("the ring cannot be drawn")

    driver.secondElapsed.connect(breaks_in_the_second_stretch)
    for _second in range(5):
        clock.advance(1)
        driver.fire_due()

    # The dialog is up, the session behind it still counts and keeps its timer armed.
    dialog = reporter.dialog
    assert dialog is not None
    assert crash_dialogs() == [dialog]
    assert not dialog.isModal()
    assert dialog.parent() is window
    assert driver.status is SessionStatus.RUNNING
    assert driver.state().step.index == 1
    assert driver.timer.isActive()
    log = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in log
    assert "RuntimeError: the ring cannot be drawn" in log
    # The first stretch, finished before the error, is in the history already.
    with HistoryStore(app_paths.history_db) as store:
        [session] = store.sessions()
        assert [step.exercise for step in store.steps(session.id)] == ["Reach up"]

    for _second in range(4):
        clock.advance(1)
        driver.fire_due()
    assert driver.status is SessionStatus.FINISHED
    with HistoryStore(app_paths.history_db) as store:
        [session] = store.sessions()
        steps = store.steps(session.id)
    assert session.status == "completed"
    assert [step.exercise for step in steps] == ["Reach up", "Touch your toes", "Twist"]
    assert dialog.summary.text().endswith("It happened 2 times.")  # seconds 1 and 2 of 3
