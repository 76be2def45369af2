"""The library finds bundled and user routines and keeps errors per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from routine_timer.core.library import find_routine, routine_files, scan_library
from routine_timer.paths import AppPaths
from tests.conftest import write_file
from tests.core.conftest import PLANK


def test_routine_files_are_found_recursively_in_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "sub/c.YAML", "notes.txt", "sub/d.json"):
        write_file(tmp_path / name, PLANK)
    (tmp_path / "folder.yaml").mkdir()
    found = [path.relative_to(tmp_path).as_posix() for path in routine_files(tmp_path)]
    assert found == ["a.yml", "b.yaml", "sub/c.YAML"]
    assert list(routine_files(tmp_path / "missing")) == []


def test_scan_lists_bundled_first_and_keeps_invalid_files(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    write_file(paths.routines_dir / "broken.yaml", "name: [unclosed\n")
    entries = scan_library(paths, bundled)
    assert [(entry.id, entry.bundled, entry.valid) for entry in entries] == [
        ("core", True, True),
        ("broken", False, False),
        ("plank", False, True),
    ]
    broken = entries[1]
    assert broken.routine is None
    assert broken.name == "broken.yaml"
    assert str(broken.errors[0]).startswith(f"{paths.routines_dir / 'broken.yaml'}:")


def test_a_user_file_cannot_take_a_bundled_id(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "mine.yaml", "id: core\n" + PLANK)
    entries = scan_library(paths, bundled)
    mine = entries[-1]
    assert not mine.valid
    assert "id 'core' is already used by" in mine.errors[0].message
    assert find_routine("core", paths, bundled).bundled


def test_find_by_id_or_by_path(paths: AppPaths, bundled: Path, tmp_path: Path) -> None:
    assert find_routine("core", paths, bundled).name == "Core"
    loose = write_file(tmp_path / "elsewhere" / "loose.yaml", PLANK)
    entry = find_routine(str(loose), paths, bundled)
    assert entry.valid
    assert entry.id == "loose"
    assert not entry.bundled


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nothing", "no routine with id 'nothing' (known ids: core)"),
        ("gone.yaml", "no such routine file"),
    ],
)
def test_find_explains_what_is_missing(
    paths: AppPaths, bundled: Path, ref: str, message: str
) -> None:
    with pytest.raises(LookupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        find_routine(ref, paths, bundled)


def test_the_real_bundled_routines_all_load(paths: AppPaths) -> None:
    entries = scan_library(paths)
    assert len(entries) >= 5
    assert [str(error) for entry in entries for error in entry.errors] == []
