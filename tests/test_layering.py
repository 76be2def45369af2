"""Dependencies point one way: ui -> cues -> settings -> core; storage -> core; core -> itself.

``core``, ``storage`` and the settings model never import Qt, so they stay
testable and usable from the command line without a display. ``cues`` may use
Qt (sound, voice) but nothing of ``ui``: it reads the settings it is given.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "routine_timer"
QT = ("PySide6", "shiboken6")

# For each layer: the modules of ours it must not import.
FORBIDDEN = {
    "core": (
        "routine_timer.storage",
        "routine_timer.ui",
        "routine_timer.cues",
        "routine_timer.app",
    ),
    "storage": ("routine_timer.ui", "routine_timer.cues", "routine_timer.app"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_no_qt_and_nothing_above_it(layer: str) -> None:
    files = layer_files(layer)
    assert files, f"no modules found in {layer}"
    offences = []
    for path in files:
        for name in imported_modules(path):
            if name.split(".")[0] in QT or name.startswith(FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []


def test_cues_import_nothing_from_the_ui() -> None:
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in layer_files("cues")
        for name in imported_modules(path)
        if name.startswith(("routine_timer.ui", "routine_timer.app"))
    ]
    assert offences == []


def test_the_settings_model_imports_no_qt_and_nothing_above_it() -> None:
    names = imported_modules(PACKAGE / "settings.py")
    above = ("routine_timer.ui", "routine_timer.cues", "routine_timer.storage", "routine_timer.app")
    assert [name for name in names if name.split(".")[0] in QT or name.startswith(above)] == []


def test_importing_core_and_storage_loads_no_qt() -> None:
    modules = [
        f"routine_timer.{path.relative_to(PACKAGE).with_suffix('').as_posix().replace('/', '.')}"
        for layer in FORBIDDEN
        for path in layer_files(layer)
        if path.name != "__init__.py"
    ] + ["routine_timer.settings"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_checker_sees_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from PySide6.QtCore import QObject\nimport shiboken6\n", encoding="utf-8")
    assert imported_modules(module) == {"PySide6.QtCore", "shiboken6"}
