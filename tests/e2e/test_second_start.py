"""A second start of the app hands over to the first and ends: no second app, no double reminders.

Real processes: the first app starts as at login (``--tray``; the offscreen
platform has no tray, so it shows its window and says why), the second is
started by hand for the same data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from routine_timer.paths import HOME_VARIABLE, AppPaths

pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env[HOME_VARIABLE] = str(home)
    return env


def _wait_for(path: Path, text: str, process: subprocess.Popen[str], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        log = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if text in log:
            return log
        assert process.poll() is None, "the first app ended early"
        time.sleep(0.1)  # waiting on another process, not on a timer of the app
    raise AssertionError(f"{text!r} never appeared in {path}")


def test_a_second_start_hands_over_to_the_first(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log_file = AppPaths(home).log_file
    first = subprocess.Popen(
        [sys.executable, "-m", "routine_timer", "--tray"],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(log_file, "a second start hands over to it", first, 60)
        second = subprocess.run(
            [sys.executable, "-m", "routine_timer"],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        assert "Traceback" not in second.stderr
        log = _wait_for(log_file, "a second start asked: show", first, 10)
        assert "no system tray here" in log
        assert first.poll() is None  # the first one runs on
    finally:
        first.terminate()
        _out, err = first.communicate(timeout=30)
    assert "Traceback" not in err
