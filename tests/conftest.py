"""Shared test set-up: Qt without a screen, a data folder per test, a clock moved by hand."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need (or get) a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.paths import HOME_VARIABLE, AppPaths
from tests.helpers.clocks import FakeClock
from tests.helpers.dbus import PrivateBus, private_bus


@pytest.fixture
def clock() -> FakeClock:
    """The fake clock (monotonic, wall and sleep), at its usual start."""
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder; the environment points at it so nothing touches the real home."""
    folder = tmp_path / "data"
    monkeypatch.setenv(HOME_VARIABLE, str(folder))
    return folder


@pytest.fixture
def app_paths(data_dir: Path) -> AppPaths:
    return AppPaths(data_dir).ensure()


@pytest.fixture
def session_bus() -> Iterator[PrivateBus]:
    """A private D-Bus session bus of this test's own (see tests/helpers/dbus.py)."""
    with private_bus() as bus:
        yield bus
