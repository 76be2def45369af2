"""The wheel carries the bundled routines, the schema and the assets, and works installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from routine_timer import __version__

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("routine_timer-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.name for p in (ROOT / "routines").glob("*.yaml")}
    assert len(bundled) >= 5
    assert {f"routine_timer/routines/{name}" for name in bundled} <= names
    assert "routine_timer/routines/routine.schema.json" in names
    assets = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.is_file()}
    assert assets, "no assets to ship"
    assert {f"routine_timer/{name}" for name in assets} <= names
    assert "routine_timer/cli/__init__.py" in names
    assert "routine_timer/ui/session/controller.py" in names
    # The keyframes of the drawn figures, and with them the names the loader accepts.
    assert "routine_timer/core/figures.json" in names
    # Help opens the format reference from inside the package.
    assert "routine_timer/docs/routine-format.md" in names
    # One version: the wheel's metadata is read from routine_timer/__init__.py.
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert f"\nVersion: {__version__}\n" in zipfile.ZipFile(wheel).read(metadata).decode()
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[gui_scripts]" in text
    assert "routine-timer = routine_timer.cli:main" in text


def test_installed_wheel_finds_its_routines(wheel: Path, tmp_path: Path) -> None:
    """`pip install` of the wheel, not the source tree, gives a working command."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Install our wheel alone; its dependencies come from the test environment so
    # the test does not download Qt again.
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True
    )
    (target / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["ROUTINE_TIMER_HOME"] = str(tmp_path / "data")
    command = env_dir / "bin" / "routine-timer"
    listing = subprocess.run(
        [str(command), "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    entries = json.loads(listing.stdout)
    bundled = [entry for entry in entries if entry["bundled"]]
    assert len(bundled) >= 5
    assert all(entry["valid"] for entry in bundled)
    assert all(str(target) in entry["source"] for entry in bundled)
    schema = subprocess.run(
        [str(command), "schema"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert json.loads(schema.stdout)["$schema"] == "http://json-schema.org/draft-07/schema#"
    assets = subprocess.run(
        [str(python), "-c", "from routine_timer.paths import assets_dir; print(assets_dir())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert Path(assets.stdout.strip()).is_relative_to(target)
    reference = subprocess.run(
        [str(python), "-c", "from routine_timer.paths import format_reference as f; print(f())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert Path(reference.stdout.strip()).is_relative_to(target)
    assert Path(reference.stdout.strip()).is_file()
    version = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, env=env, check=True
    )
    assert version.stdout == f"routine-timer {__version__}\n"
