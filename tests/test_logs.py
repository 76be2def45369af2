"""The app's log: where it goes, what level, rotation, and error reports."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer import __version__
from routine_timer.logs import (
    ExcInfo,
    LogSetup,
    error_key,
    error_report,
    error_summary,
    setup_logging,
)
from routine_timer.paths import AppPaths

_log = logging.getLogger("routine_timer.tests")


@pytest.fixture
def setups() -> Iterator[list[LogSetup]]:
    """Set-ups made by a test, undone afterwards (the root logger is the whole process's)."""
    root = logging.getLogger()
    level = root.level
    made: list[LogSetup] = []
    yield made
    for setup in made:
        setup.close()
    root.setLevel(level)


def caught(error: BaseException) -> ExcInfo:
    try:
        raise error
    except BaseException as raised:
        return (type(raised), raised, raised.__traceback__)


def test_the_log_file_is_in_the_data_folder(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data")
    assert paths.logs_dir == tmp_path / "data" / "logs"
    assert paths.log_file == tmp_path / "data" / "logs" / "routine-timer.log"


def test_info_and_up_go_to_the_file_debug_does_not(
    tmp_path: Path, setups: list[LogSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = AppPaths(tmp_path / "data").log_file
    setup = setup_logging(log_file)
    setups.append(setup)
    assert setup.log_file == log_file
    assert setup.problem is None
    _log.debug("a detail")
    _log.info("a session started")
    _log.warning("the history is busy")
    text = log_file.read_text(encoding="utf-8")
    assert "INFO routine_timer.tests: a session started" in text
    assert "WARNING routine_timer.tests: the history is busy" in text
    assert "a detail" not in text
    assert capsys.readouterr().err == ""


def test_verbose_adds_debug_and_copies_to_stderr(
    tmp_path: Path, setups: list[LogSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "app.log"
    setups.append(setup_logging(log_file, verbose=True))
    _log.debug("a detail")
    assert "DEBUG routine_timer.tests: a detail" in capsys.readouterr().err
    assert "a detail" in log_file.read_text(encoding="utf-8")


def test_setting_up_twice_writes_each_record_once(tmp_path: Path, setups: list[LogSetup]) -> None:
    log_file = tmp_path / "app.log"
    setups.append(setup_logging(log_file))
    setups.append(setup_logging(log_file))
    _log.info("once")
    assert log_file.read_text(encoding="utf-8").count("once") == 1


def test_no_file_and_not_verbose_leaves_logging_alone(setups: list[LogSetup]) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    setups.append(setup_logging(None))
    assert root.handlers == handlers
    assert root.level == level


def test_a_full_file_is_moved_aside_and_the_oldest_dropped(
    tmp_path: Path, setups: list[LogSetup]
) -> None:
    log_file = tmp_path / "app.log"
    setups.append(setup_logging(log_file, max_bytes=1000, backups=2))
    for number in range(100):
        _log.info("record %03d %s", number, "x" * 40)
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["app.log", "app.log.1", "app.log.2"]
    assert all(path.stat().st_size <= 1000 for path in tmp_path.iterdir())
    # The newest records are in the file being written, the ones before in .1.
    assert "record 099" in log_file.read_text(encoding="utf-8")
    newest = log_file.read_text(encoding="utf-8").splitlines()[0]
    older = (tmp_path / "app.log.1").read_text(encoding="utf-8").splitlines()[-1]
    assert int(older.split("record ")[1][:3]) + 1 == int(newest.split("record ")[1][:3])


def test_a_log_file_that_cannot_be_written_says_why_and_starts_anyway(
    tmp_path: Path, setups: list[LogSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "logs"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    setup = setup_logging(blocked / "routine-timer.log")
    setups.append(setup)
    assert setup.log_file is None
    assert setup.problem is not None
    assert setup.problem.startswith(f"cannot write the log file {blocked / 'routine-timer.log'}")
    err = capsys.readouterr().err
    assert "cannot write the log file" in err
    assert "Traceback" not in err
    _log.warning("still heard")
    assert "still heard" in capsys.readouterr().err


def test_an_error_report_has_versions_platform_and_traceback() -> None:
    exc_info = caught(ValueError("the clock went backwards"))
    report = error_report(exc_info, about=["Qt 6.x"])
    lines = report.splitlines()
    assert lines[0] == f"routine-timer {__version__}"
    assert lines[1] == "Qt 6.x"
    assert lines[2].startswith("Python 3.")
    assert "Traceback (most recent call last):" in report
    assert report.endswith("ValueError: the clock went backwards")
    assert error_summary(exc_info) == "ValueError: the clock went backwards"
    assert error_summary(caught(KeyError())) == "KeyError"


def test_the_same_error_has_the_same_key_whatever_its_message() -> None:
    def fail(value: int) -> None:
        raise ValueError(f"bad value {value}")

    def key(value: int) -> tuple[str, ...]:
        try:
            fail(value)
        except ValueError as error:
            return error_key((ValueError, error, error.__traceback__))
        raise AssertionError("did not fail")

    assert key(1) == key(2)
    assert key(1) != error_key(caught(ValueError("bad value 1")))
    assert key(1) != error_key(caught(TypeError("bad value 1")))


@pytest.mark.slow
def test_setting_up_the_log_loads_neither_qt_nor_logging_handlers(tmp_path: Path) -> None:
    # logging.handlers imports socket, pickle and queue: time the first paint waits for.
    script = (
        "import sys; from pathlib import Path; from routine_timer.logs import setup_logging;"
        f"setup_logging(Path({str(tmp_path / 'app.log')!r}));"
        "print(sorted(m for m in ('PySide6', 'logging.handlers', 'socket') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
