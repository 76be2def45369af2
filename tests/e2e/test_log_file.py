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
