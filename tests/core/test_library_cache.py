"""The cache of checked routines gives exactly what a fresh check gives, or nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from routine_timer.core import library
from routine_timer.core.library import LibraryEntry, scan_library
from routine_timer.core.library_cache import RoutineCache, file_stamp
from routine_timer.core.loader import load_routine
from routine_timer.paths import AppPaths, bundled_routines_dir
from tests.conftest import write_file
from tests.core.conftest import PLANK

EVERY_FIELD = """\
name: Every field
id: every-field
description: |
  Two lines
  of text.
tags: [core, back]
prepare: 5s
rest: 20s
rounds: 2
round_rest: 1:00
exercises:
  - name: Bird dog
    reps: 5
    hold: 5s
    release: 3s
    sides: alternate
    sets: 2
    rest: 30s
    rest_after: 45s
    cues: [Long spine, Slow]
    say:
      - at: 10s
        text: Halfway
    easier: Arms only
    harder: Add a band
    image: pictures/bird-dog.png
  - name: Side plank
    time: 20s
    sides: both
    switch: 8s
  - name: Squats
    reps: 10
"""


def scan(paths: AppPaths, bundled: Path) -> list[LibraryEntry]:
    return scan_library(paths, bundled, cache=paths.library_cache)


def fresh(paths: AppPaths, bundled: Path) -> list[LibraryEntry]:
    return scan_library(paths, bundled)


@pytest.fixture
def no_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every file the scan reads and checks instead of taking from the cache."""
    checked: list[Path] = []
    real = library.load_entry

    def recording(path: Path, *, bundled: bool = False) -> LibraryEntry:
        checked.append(path)
        return real(path, bundled=bundled)

    monkeypatch.setattr(library, "load_entry", recording)
    return checked


def test_every_field_survives_the_cache(paths: AppPaths, tmp_path: Path) -> None:
    write_file(paths.routines_dir / "pictures" / "bird-dog.png", "png")
    write_file(paths.routines_dir / "every.yaml", EVERY_FIELD)
    files = [paths.routines_dir / "every.yaml", *sorted(bundled_routines_dir().glob("*.yaml"))]
    cache = RoutineCache(paths.library_cache)
    for path in files:
        cache.put(path, file_stamp(path), load_routine(path))
    cache.save()

    reread = RoutineCache(paths.library_cache)
    for path in files:
        cached = reread.get(path, file_stamp(path))
        checked = load_routine(path)
        assert cached == checked
        assert cached is not None
        assert (cached.sha256, cached.source) == (checked.sha256, checked.source)
        assert [type(item.sides) for item in cached.exercises] == [
            type(item.sides) for item in checked.exercises
        ]


def test_an_unchanged_library_is_not_checked_again(
    paths: AppPaths, bundled: Path, no_checks: list[Path]
) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    first = scan(paths, bundled)
    assert len(no_checks) == 2
    no_checks.clear()
    second = scan(paths, bundled)
    assert no_checks == []
    assert second == first == fresh(paths, bundled)


def test_a_changed_file_is_checked_again(
    paths: AppPaths, bundled: Path, no_checks: list[Path]
) -> None:
    plank = paths.routines_dir / "plank.yaml"
    write_file(plank, PLANK)
    scan(paths, bundled)
    no_checks.clear()
    before = os.stat(plank)
    write_file(plank, PLANK.replace("name: Plank", "name: Front plank", 1))
    # Same modification time as before: the size and change time still tell.
    os.utime(plank, ns=(before.st_atime_ns, before.st_mtime_ns))
    entries = scan(paths, bundled)
    assert no_checks == [plank]
    assert [entry.name for entry in entries] == ["Core", "Front plank"]


def test_invalid_files_are_always_checked_afresh(
    paths: AppPaths, bundled: Path, no_checks: list[Path]
) -> None:
    broken = paths.routines_dir / "broken.yaml"
    write_file(broken, "name: [unclosed\n")
    first = scan(paths, bundled)
    no_checks.clear()
    second = scan(paths, bundled)
    assert no_checks == [broken]
    assert second == first == fresh(paths, bundled)
    assert str(second[1].errors[0]).startswith(f"{broken}:2:1: error: invalid YAML")


def test_a_missing_image_makes_the_file_checked_again(paths: AppPaths, bundled: Path) -> None:
    picture = paths.routines_dir / "pictures" / "bird-dog.png"
    write_file(picture, "png")
    write_file(paths.routines_dir / "every.yaml", EVERY_FIELD)
    assert all(entry.valid for entry in scan(paths, bundled))
    picture.unlink()
    entries = scan(paths, bundled)
    assert entries == fresh(paths, bundled)
    assert "image 'pictures/bird-dog.png' not found" in str(entries[1].errors[0])


def test_removed_files_leave_the_cache(paths: AppPaths, bundled: Path) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    scan(paths, bundled)
    (paths.routines_dir / "plank.yaml").unlink()
    scan(paths, bundled)
    saved = json.loads(paths.library_cache.read_text(encoding="utf-8"))
    assert list(saved["files"]) == [str(bundled / "core.yaml")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "{not json",
        lambda text: "[]",
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"name":"Plank"', '"name":"Plank","unknown":1'),
        lambda text: text.replace('"exercises":[{', '"exercises":[{"extra":1,'),
        lambda text: text.replace('"files":{', '"files":{"x":[],'),
        lambda text: text.replace("[1,", "[99,", 1),
    ],
    ids=["garbage", "shape", "cut short", "unknown field", "extra field", "bad record", "old"],
)
def test_a_damaged_cache_is_ignored_and_rewritten(
    paths: AppPaths, bundled: Path, damage: object
) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    expected = scan(paths, bundled)
    text = paths.library_cache.read_text(encoding="utf-8")
    paths.library_cache.write_text(damage(text), encoding="utf-8")  # type: ignore[operator]
    assert scan(paths, bundled) == expected
    assert scan(paths, bundled) == expected


def test_a_cache_from_other_checking_code_is_ignored(
    paths: AppPaths, bundled: Path, no_checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    scan(paths, bundled)
    no_checks.clear()
    monkeypatch.setattr("routine_timer.core.library_cache.__version__", "99.0")
    scan(paths, bundled)
    assert no_checks == [bundled / "core.yaml"]


def test_a_cache_that_cannot_be_written_costs_only_speed(
    paths: AppPaths, bundled: Path, no_checks: list[Path]
) -> None:
    write_file(paths.data_dir / "cache", "a file where the cache folder should be")
    assert scan(paths, bundled) == fresh(paths, bundled)
    assert not list(paths.data_dir.glob("cache*/*"))
    assert not list(paths.data_dir.glob("**/*.tmp"))
