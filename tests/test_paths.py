"""The data folder: a place that cannot be used is said in plain words, never a traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from routine_timer.paths import AppPaths, DataDirError, os_reason

TOO_LONG = "/".join(["x" * 200] * 25)  # 5,000 characters: more than PATH_MAX (4,096)


def problem(paths: AppPaths, *, create: bool = False) -> str:
    with pytest.raises(DataDirError) as caught:
        paths.ensure() if create else paths.check()
    return str(caught.value)


def test_a_missing_folder_is_fine_and_checking_creates_nothing(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "new")
    assert paths.check() is paths
    assert not paths.data_dir.exists()
    assert paths.ensure().routines_dir.is_dir()


@pytest.mark.parametrize("create", [False, True])
def test_a_data_folder_that_is_a_file(tmp_path: Path, create: bool) -> None:
    (tmp_path / "data").write_text("not a folder")
    message = problem(AppPaths(tmp_path / "data"), create=create)
    assert f"the data folder {tmp_path / 'data'}: it is a file, not a folder" in message
    assert "--data-dir" in message


def test_a_routines_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "routines").write_text("not a folder")
    message = problem(AppPaths(tmp_path), create=True)
    assert f"{tmp_path / 'routines'}: it is a file, not a folder" in message


def test_a_data_folder_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    message = problem(AppPaths(tmp_path / "file" / "data"), create=True)
    assert "part of the path is a file, not a folder" in message


def test_a_path_longer_than_the_system_takes(tmp_path: Path) -> None:
    for create in (False, True):
        message = problem(AppPaths(tmp_path / TOO_LONG), create=create)
        assert "too long for the system" in message


def test_a_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root reads any folder, so the refusal is staged: it works the same for everyone.
    (tmp_path / "routines").mkdir()
    real_scandir = os.scandir

    def refuse(path: object = ".") -> object:
        if Path(os.fsdecode(path)) == tmp_path / "routines":  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    assert "routines: permission denied" in problem(AppPaths(tmp_path))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_read_permission(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir(mode=0o000)
    try:
        assert "routines: permission denied" in problem(AppPaths(tmp_path))
    finally:
        (tmp_path / "routines").chmod(0o755)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "is a file, not a folder"),
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "too long"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(12345, "Something Odd"), "something odd"),
    ],
)
def test_os_reason_is_plain_words(error: OSError, words: str) -> None:
    assert words in os_reason(error)
