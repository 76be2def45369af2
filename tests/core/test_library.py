"""The library finds bundled and user routines and keeps errors per file."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from routine_timer.core.library import (
    check_ids,
    find_routine,
    load_entry,
    routine_files,
    scan_library,
)
from routine_timer.core.library_cache import RoutineCache
from routine_timer.paths import AppPaths
from tests.core.conftest import PLANK
from tests.helpers.routines import write_file


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


def test_a_clash_points_at_the_id_line_when_there_is_one(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "mine.yaml", "name: Mine\nid: core\n" + PLANK[12:])
    write_file(paths.routines_dir / "sub" / "core.yaml", PLANK)  # the id of its file name
    mine, by_name = scan_library(paths, bundled)[1:]
    assert [(error.line, error.col) for error in mine.errors] == [(2, 1)]
    assert [(error.line, error.col) for error in by_name.errors] == [(1, 1)]
    assert "id 'core' is already used by" in by_name.errors[0].message


def test_entries_carry_their_warnings(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK.replace("30s", "1.30"))
    write_file(paths.routines_dir / "zero.yaml", PLANK.replace("30s", "1.30\n    sets: 0"))
    plank, zero = scan_library(paths, bundled)[1:]
    assert plank.valid and [warning.line for warning in plank.warnings] == [4]
    assert not zero.valid and [warning.line for warning in zero.warnings] == [4]


def test_files_checked_on_their_own_keep_the_library_ids(
    paths: AppPaths, bundled: Path, tmp_path: Path
) -> None:
    library = scan_library(paths, bundled)
    drafts = [
        write_file(tmp_path / "drafts" / "core.yaml", PLANK),  # the bundled routine's id
        write_file(tmp_path / "drafts" / "a.yaml", "id: same\n" + PLANK),
        write_file(tmp_path / "drafts" / "b.yaml", "id: same\n" + PLANK),
        bundled / "core.yaml",  # the library's own file is no clash with itself
    ]
    checked = check_ids([load_entry(path) for path in drafts], library)
    assert [[str(error) for error in entry.errors] for entry in checked] == [
        [f"{drafts[0]}:1:1: error: id 'core' is already used by {bundled / 'core.yaml'}; ids "
         "must be unique because history is kept by id (set a different 'id:' or rename the "
         "file)"],
        [],
        [f"{drafts[2]}:1:1: error: id 'same' is already used by {drafts[1]}; ids must be unique "
         "because history is kept by id (set a different 'id:' or rename the file)"],
        [],
    ]  # fmt: skip


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


# --- folders and names that are hard to use ----------------------------------


def refuse_to_list(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` cannot be listed, as for a folder without read permission.

    Root reads any folder, so the refusal is staged: it works the same for everyone.
    """
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(os.fsdecode(path)) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_sub_folder_is_listed_as_a_problem(
    paths: AppPaths, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    hidden = paths.routines_dir / "private"
    write_file(hidden / "secret.yaml", PLANK)
    refuse_to_list(monkeypatch, hidden)
    entries = scan_library(paths, bundled)
    assert [(entry.id, entry.valid) for entry in entries] == [
        ("core", True),
        ("plank", True),
        ("private", False),
    ]
    (error,) = entries[-1].errors
    assert error.path == str(hidden)
    assert error.message == (
        "cannot read this folder (permission denied), so its routines are not listed"
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_a_sub_folder_without_read_permission(paths: AppPaths, bundled: Path) -> None:
    hidden = paths.routines_dir / "private"
    write_file(hidden / "secret.yaml", PLANK)
    hidden.chmod(0o000)
    try:
        entries = scan_library(paths, bundled)
    finally:
        hidden.chmod(0o755)
    assert "permission denied" in entries[-1].errors[0].message


def test_folders_deeper_than_the_system_takes(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    # Made a step at a time from an open folder: no path this long can be named at once.
    fd = os.open(paths.routines_dir, os.O_RDONLY)
    try:
        for _ in range(25):
            os.mkdir("x" * 200, dir_fd=fd)
            inner = os.open("x" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    entries = scan_library(paths, bundled)
    assert [entry.id for entry in entries][:2] == ["core", "plank"]
    problems = [error.message for entry in entries[2:] for error in entry.errors]
    assert problems
    assert all("too long for the system" in message for message in problems)


def test_a_routines_path_that_is_a_file_is_a_problem_not_an_empty_list(
    tmp_path: Path, bundled: Path
) -> None:
    paths = AppPaths(tmp_path / "data")
    write_file(paths.routines_dir, "")
    entries = scan_library(paths, bundled)
    assert "this is a file, not a folder" in entries[-1].errors[0].message


def non_utf8_file(folder: Path, stem: bytes, text: str) -> Path:
    """A routine file whose name is not UTF-8; skips where the file system refuses one."""
    raw = os.path.join(os.fsencode(folder), stem + b".yaml")
    try:
        with open(raw, "wb") as file:
            file.write(text.encode("utf-8"))
    except OSError as error:
        pytest.skip(f"this file system takes only UTF-8 names: {error}")
    return Path(os.fsdecode(raw))


def test_a_file_name_that_is_not_utf8_is_listed_with_the_cache(
    paths: AppPaths, bundled: Path
) -> None:
    odd = non_utf8_file(paths.routines_dir, b"caf\xe9", PLANK)
    write_file(paths.routines_dir / "plank.yaml", PLANK.replace("Plank", "Plank two", 1))
    for _ in range(2):  # filling the cache, then reading from it
        entries = scan_library(paths, bundled, cache=paths.library_cache)
        assert [(entry.path, entry.valid) for entry in entries[1:]] == [
            (odd, True),
            (paths.routines_dir / "plank.yaml", True),
        ]
    assert "plank.yaml" in paths.library_cache.read_text(encoding="utf-8")


def test_a_cache_that_cannot_be_saved_costs_only_time(
    paths: AppPaths, bundled: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def fail(_self: RoutineCache) -> None:
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(RoutineCache, "save", fail)
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    with caplog.at_level(logging.WARNING, logger="routine_timer.core.library"):
        entries = scan_library(paths, bundled, cache=paths.library_cache)
    assert [entry.valid for entry in entries] == [True, True]
    assert "RuntimeError: something unforeseen" in caplog.text
