"""The cache of checked routines gives exactly what a fresh check gives, or nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from routine_timer.core import library
from routine_timer.core.library import LibraryEntry, scan_library
from routine_timer.core.library_cache import CACHE_FORMAT, RoutineCache
from routine_timer.core.loader import load_routine
from routine_timer.paths import AppPaths, bundled_routines_dir
from tests.core.conftest import PLANK
from tests.helpers.routines import write_file

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
        cache.put(path, load_routine(path))
    cache.save()

    reread = RoutineCache(paths.library_cache)
    for path in files:
        cached = reread.get(path)
        checked = load_routine(path)
        assert cached == checked
        assert cached is not None
        assert (cached.sha256, cached.source) == (checked.sha256, checked.source)
        assert [type(item.sides) for item in cached.exercises] == [
            type(item.sides) for item in checked.exercises
        ]


def test_warnings_come_back_from_the_cache(
    paths: AppPaths, bundled: Path, no_checks: list[Path]
) -> None:
    plank = write_file(paths.routines_dir / "plank.yaml", PLANK.replace("30s", "1.30"))
    first = scan(paths, bundled)
    no_checks.clear()
    second = scan(paths, bundled)
    assert no_checks == []
    expected = [f"{plank}:4:11: warning: 'time' is 1.3 seconds; did you mean \"1:30\" or 1m30s?"]
    assert [str(warning) for warning in first[1].warnings] == expected
    assert second[1].warnings == first[1].warnings == fresh(paths, bundled)[1].warnings
    assert second[1].routine is not None and second[1].routine.warnings == first[1].warnings


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
    assert str(second[1].errors[0]).startswith(f"{broken}:1:7: error: invalid YAML")


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
        lambda text: text.replace(f'"fingerprint":[{CACHE_FORMAT},', '"fingerprint":[99,', 1),
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


# --------------------------------------------------------------------------
# A cache may only save time: whatever it says is checked, or it is not used

Entry = dict[str, Any]


def craft(paths: AppPaths, change: Callable[[dict[str, Entry]], object]) -> None:
    """Rewrite the saved cache with ``change`` applied to its entries (by path)."""
    data = json.loads(paths.library_cache.read_text(encoding="utf-8"))
    change(data["files"])
    paths.library_cache.write_text(json.dumps(data), encoding="utf-8")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def warnings_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="routine_timer.core.library_cache")
    return caplog


def test_an_entry_for_other_bytes_is_not_used(paths: AppPaths, bundled: Path) -> None:
    plank = write_file(paths.routines_dir / "plank.yaml", PLANK)
    broken = write_file(paths.routines_dir / "broken.yaml", "name: [unclosed\n")
    scan(paths, bundled)

    def plank_for_broken(files: dict[str, Entry]) -> None:
        files[str(broken)] = {**files[str(plank)], "source": str(broken), "id": "broken"}

    craft(paths, plank_for_broken)
    entries = scan(paths, bundled)
    assert entries == fresh(paths, bundled)
    assert [entry.valid for entry in entries] == [True, False, True]


def test_an_entry_is_bound_to_the_bytes_not_to_the_file_stamps(
    paths: AppPaths, bundled: Path
) -> None:
    plank = write_file(paths.routines_dir / "plank.yaml", PLANK)
    scan(paths, bundled)
    saved = paths.library_cache.read_text(encoding="utf-8")
    write_file(plank, PLANK.replace("30s", "45s"))
    paths.library_cache.write_text(saved, encoding="utf-8")  # as if nothing had changed
    entries = scan(paths, bundled)
    assert entries[1].routine is not None
    assert entries[1].routine.exercises[0].time == 45


def exercise_field(name: str, value: object) -> Callable[[Entry], None]:
    def change(entry: Entry) -> None:
        entry["exercises"][0][name] = value

    return change


def routine_field(name: str, value: object) -> Callable[[Entry], None]:
    def change(entry: Entry) -> None:
        entry[name] = value

    return change


def without(name: str) -> Callable[[Entry], None]:
    return lambda entry: entry.pop(name)


UNTRUSTED: dict[str, Callable[[Entry], None]] = {
    "time as text": exercise_field("time", "thirty"),
    "time zero": exercise_field("time", 0),
    "time a day": exercise_field("time", 86400),
    "time infinite": exercise_field("time", float("inf")),
    "time true": exercise_field("time", True),
    "sets as text": exercise_field("sets", "3"),
    "sets a float": exercise_field("sets", 3.0),
    "sets ten billion": exercise_field("sets", 10**10),
    "sets zero": exercise_field("sets", 0),
    "reps and time": exercise_field("reps", 10),
    "hold without reps": exercise_field("hold", 5),
    "a side of the wrong name": exercise_field("sides", "left"),
    "a side as a list": exercise_field("sides", ["both"]),
    "cues as text": exercise_field("cues", "Breathe"),
    "a cue that is not text": exercise_field("cues", [None]),
    "say not a list": exercise_field("say", {"at": 1, "text": "Go"}),
    "say after the work": exercise_field("say", [{"at": 30, "text": "Late"}]),
    "say with an extra key": exercise_field("say", [{"at": 1, "text": "Go", "x": 1}]),
    "an exercise field too many": exercise_field("colour", "red"),
    "line out of range": exercise_field("line", -1),
    "a picture up a folder": exercise_field("image", "../plank.png"),
    "a picture by absolute path": exercise_field("image", "/etc/passwd.png"),
    "a picture that is not there": exercise_field("image", "plank.png"),
    "an empty name": routine_field("name", ""),
    "a name of 81 characters": routine_field("name", "x" * 81),
    "a name as a number": routine_field("name", 7),
    "tags as text": routine_field("tags", "core"),
    "rounds ten billion": routine_field("rounds", 10**10),
    "rounds as a float": routine_field("rounds", 2.0),
    "too many steps": lambda entry: entry.update(
        rounds=1000, exercises=[{**entry["exercises"][0], "sets": 1000}]
    ),
    "no exercises": routine_field("exercises", []),
    "exercises as a mapping": routine_field("exercises", {"name": "Plank"}),
    "an exercise as a list": routine_field("exercises", [["Plank"]]),
    "another format": routine_field("format", 3),
    "format true": routine_field("format", True),
    "another file": routine_field("source", "/elsewhere/plank.yaml"),
    "an id the file cannot give": routine_field("id", "Not a slug"),
    "no description": without("description"),
    "a routine field too many": routine_field("colour", "red"),
    "a hash that is not text": routine_field("sha256", 7),
}


@pytest.mark.parametrize("change", UNTRUSTED.values(), ids=UNTRUSTED.keys())
def test_a_crafted_entry_is_checked_and_refused(
    paths: AppPaths,
    bundled: Path,
    no_checks: list[Path],
    warnings_logged: pytest.LogCaptureFixture,
    change: Callable[[Entry], None],
) -> None:
    plank = write_file(paths.routines_dir / "plank.yaml", PLANK)
    expected = scan(paths, bundled)

    craft(paths, lambda files: change(files[str(plank)]))
    no_checks.clear()
    assert scan(paths, bundled) == expected
    assert no_checks == [plank]  # checked afresh, and the cache mended
    assert f"checking {plank} again: its entry " in warnings_logged.text
    no_checks.clear()
    assert scan(paths, bundled) == expected
    assert no_checks == []


@pytest.mark.parametrize("entry", [["a", "list"], "text", None, 7])
def test_an_entry_that_is_not_a_mapping_is_refused(
    paths: AppPaths, bundled: Path, warnings_logged: pytest.LogCaptureFixture, entry: object
) -> None:
    plank = write_file(paths.routines_dir / "plank.yaml", PLANK)
    expected = scan(paths, bundled)
    craft(paths, lambda files: files.update({str(plank): entry}))
    assert scan(paths, bundled) == expected
    assert f"checking {plank} again: its entry " in warnings_logged.text


def test_a_picture_swapped_for_a_link_out_of_the_folder_is_refused(
    paths: AppPaths, bundled: Path, tmp_path: Path, warnings_logged: pytest.LogCaptureFixture
) -> None:
    picture = write_file(paths.routines_dir / "pictures" / "bird-dog.png", "png")
    write_file(paths.routines_dir / "every.yaml", EVERY_FIELD)
    assert all(entry.valid for entry in scan(paths, bundled))
    outside = write_file(tmp_path / "elsewhere" / "secret.png", "not for the app")
    picture.unlink()
    picture.symlink_to(outside)
    entries = scan(paths, bundled)
    assert entries == fresh(paths, bundled)
    assert "'image' must stay inside the routine's folder" in str(entries[1].errors[0])
    assert "names a picture that is not usable now" in warnings_logged.text


def test_a_picture_is_looked_up_again(paths: AppPaths, bundled: Path) -> None:
    picture = write_file(paths.routines_dir / "pictures" / "bird-dog.png", "png")
    write_file(paths.routines_dir / "every.yaml", EVERY_FIELD)
    scan(paths, bundled)
    real = write_file(paths.routines_dir / "pictures" / "real.png", "png")
    picture.unlink()
    picture.symlink_to(real)  # still inside the folder: valid, and now this file
    entries = scan(paths, bundled)
    assert entries == fresh(paths, bundled)
    assert entries[1].routine is not None
    assert entries[1].routine.exercises[0].image == real.resolve()


@pytest.mark.parametrize(
    "text",
    [
        '{"fingerprint":' + "[" * 100_000 + "]" * 100_000 + ',"files":{}}',
        '{"files":{"x":' + "{" * 100_000 + "}" * 100_000 + "}}",
        '{"fingerprint":[1' + "0" * 5000 + '],"files":{}}',
        '{"files":[]}',
        "\udcff",
    ],
    ids=["nested lists", "nested mappings", "a 5,001-digit number", "files as a list", "binary"],
)
def test_a_malformed_cache_is_dropped_with_a_log_line(
    paths: AppPaths, bundled: Path, warnings_logged: pytest.LogCaptureFixture, text: str
) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    expected = scan(paths, bundled)
    paths.library_cache.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert scan(paths, bundled) == expected
    assert f"library cache: {paths.library_cache} is " in warnings_logged.text
    assert json.loads(paths.library_cache.read_text(encoding="utf-8"))["files"]


def test_a_cache_too_large_to_be_worth_reading_is_dropped(
    paths: AppPaths,
    bundled: Path,
    warnings_logged: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_file(paths.routines_dir / "plank.yaml", PLANK)
    expected = scan(paths, bundled)
    size = paths.library_cache.stat().st_size
    monkeypatch.setattr("routine_timer.core.library_cache.MAX_CACHE_BYTES", size - 1)
    assert scan(paths, bundled) == expected
    assert f"is over {size - 1} bytes; not used" in warnings_logged.text


def test_a_routine_holding_more_text_than_its_file_is_not_cached(
    paths: AppPaths, bundled: Path
) -> None:
    # Each alias repeats the 100,000-character cue: 3 MB of text from a 100 kB file.
    cue = "x" * 100_000
    aliases = ", *cue" * 30
    write_file(
        paths.routines_dir / "echo.yaml",
        f"name: Echo\nexercises:\n  - name: A\n    time: 30s\n    cues: [&cue {cue}{aliases}]\n",
    )
    entries = scan(paths, bundled)
    assert [entry.valid for entry in entries] == [True, True]
    assert paths.library_cache.stat().st_size < 10_000
    assert scan(paths, bundled) == entries
