"""A user data folder and a bundled folder of one routine, for the library tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from routine_timer.paths import AppPaths
from tests.helpers.routines import write_file

PLANK = "name: Plank\nexercises:\n  - name: Plank\n    time: 30s\n"


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data").ensure()


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "bundled"
    write_file(folder / "core.yaml", PLANK.replace("Plank", "Core", 1))
    return folder
