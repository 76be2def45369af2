"""The log of a real app process: written to the data folder, and to stderr with --verbose.

Each test runs the real command on a routine of one one-second step.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from routine_timer import __version__
from routine_timer.paths import AppPaths

pytestmark = pytest.mark.slow

ONE_STEP = """\
name: One reach
prepare: 0
exercises:
  - name: Reach up
    time: 1s
"""


def run_app(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    routine = tmp_path / "one-reach.yaml"
    routine.write_text(ONE_STEP, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "routine_timer", *args, "start", str(routine), "--quit-when-done"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_run_is_in_the_log_file_from_start_to_exit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_app(tmp_path, "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    log = AppPaths(data).log_file.read_text(encoding="utf-8")
    lines = log.splitlines()
    assert f"INFO routine_timer.app: routine-timer {__version__} starting;" in lines[0]
    assert f"data folder {data}" in lines[0]
    assert lines[-1].endswith("INFO routine_timer.app: routine-timer exiting with status 0")
    assert "Traceback" not in log
    assert "DEBUG" not in log
    # Nothing but Qt's own chatter reaches stderr without --verbose.
    assert "routine_timer" not in result.stderr


def test_verbose_copies_the_log_to_stderr_with_debug_lines(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_app(tmp_path, "--verbose", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert f"INFO routine_timer.app: routine-timer {__version__} starting;" in result.stderr
    assert "DEBUG routine_timer.app: window painted" in result.stderr
    assert "DEBUG routine_timer.app: window painted" in AppPaths(data).log_file.read_text(
        encoding="utf-8"
    )


# The main window fails to build; the crash dialog's exec() reports instead of waiting.
BROKEN_WINDOW = """
import sys
from routine_timer.ui import crash_dialog, main_window

def broken_init(self, *args, **kwargs):
    raise OSError("the settings cannot be read")

def exec_dialog(dialog):
    print("dialog:", dialog.summary.text(), flush=True)
    return 0

main_window.MainWindow.__init__ = broken_init
crash_dialog.CrashDialog.exec = exec_dialog
from routine_timer.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_a_window_that_cannot_be_built_is_logged_shown_and_ends_the_app(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", BROKEN_WINDOW, str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout == "dialog: The error: OSError: the settings cannot be read.\n"
    assert "Traceback" not in result.stderr
    log = AppPaths(data).log_file.read_text(encoding="utf-8")
    assert "ERROR routine_timer.ui.crash_reporter: unexpected error" in log
    assert "Traceback (most recent call last):" in log
    assert ", in broken_init\nOSError: the settings cannot be read" in log
