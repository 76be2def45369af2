"""Routines already checked, remembered between starts so the library opens quickly.

Reading a routine means loading PyYAML and the loader and checking every
rule; the window's first paint waited about 70 ms for that with five routines.
The cache keeps each *valid* routine of the last scan with the SHA-256 of the
file's bytes it was checked from. Invalid files are never cached: their
messages always come from a fresh check, exactly as ``validate`` prints them.

A cache may only ever save time, never change what the library holds, so
nothing in it is trusted:

* an entry is used only when the file's bytes still hash to the entry's
  ``sha256`` (the file is read to hash it: well under a millisecond for a
  routine, against tens for loading and checking it);
* the routine is rebuilt from the entry field by field, each of the type and
  within the bounds the format allows (durations through the loader's own
  :func:`~routine_timer.core.durations.parse_duration`, the counts, names and
  step limits of :mod:`routine_timer.core.rules`), and its pictures are looked
  up again with the loader's rule, so a picture replaced by a link out of the
  folder is refused as a fresh check refuses it;
* a file that cannot be read, is too large, too deeply nested, of the wrong
  shape, or written by another version of the checking code (the code's and
  PyYAML's own files' stamps are part of the cache) is not used at all.

Whatever is refused is logged and checked afresh. Failing to write the cache
only costs the next start its speed.

What the hash cannot do: someone who writes an entry on purpose can hash the
file too, and so show any routine that passes every rule in its place. Such a
person can as well write that routine into the file, which sits in the same
data folder; what matters is that no cache can make the app hold a routine the
format forbids, or crash, hang or show a file from outside a routine's folder.
One corner is left: a picture named through a link *inside* the folder is
cached as the file the link led to; if the link is pointed elsewhere later
(inside or outside), the cache keeps showing the first file until the routine
changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable
from functools import cache, partial
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Final, TypeVar

from routine_timer import __version__
from routine_timer.core.durations import DurationError, parse_duration
from routine_timer.core.errors import RoutineError, Severity
from routine_timer.core.figure_names import FIGURE_NAMES
from routine_timer.core.files import digest, read_user_file
from routine_timer.core.model import (
    FORMAT_VERSIONS,
    Block,
    Exercise,
    Routine,
    Say,
    SetWork,
    Sides,
    Variant,
)
from routine_timer.core.rules import (
    MAX_COUNTS,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    find_picture,
    is_routine_id,
    too_many_steps,
)

CACHE_FORMAT: Final = 3
MAX_CACHE_BYTES: Final = 16 * 1024 * 1024
"""Largest cache read or written; reading more would cost more than checking the files."""
MAX_ENTRY_CHARS: Final = 1024 * 1024
"""Largest routine cached, in characters of text it holds. Anchors and aliases can make a
1 MiB file hold gigabytes of text (one long cue repeated), which is no use to cache."""

Stamp = tuple[int, int, int, int]
"""Size, mtime_ns, ctime_ns and inode of a file."""

_log = logging.getLogger(__name__)

_CORE_DIR: Final = Path(__file__).resolve().parent
# The modules whose rules decide what a routine file means (figures.json holds the
# figure names the loader accepts).
_CHECKER_MODULES: Final = (
    "loader.py",
    "hints.py",
    "yaml_nodes.py",
    "durations.py",
    "model.py",
    "rules.py",
    "figure_names.py",
    "figures.json",
    "library_cache.py",
)


def file_stamp(path: Path) -> Stamp | None:
    """The identity of ``path``'s current contents, or None when it cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def checker_fingerprint() -> list[object]:
    """What the cached results depend on besides the files themselves, as JSON reads it."""
    yaml_spec = find_spec("yaml")
    checkers = [_CORE_DIR / name for name in _CHECKER_MODULES]
    if yaml_spec is not None and yaml_spec.origin:
        checkers.append(Path(yaml_spec.origin))
    return [
        CACHE_FORMAT,
        __version__,
        sys.hexversion,
        [[str(path), _as_list(file_stamp(path))] for path in checkers],
    ]


def _as_list(stamp: Stamp | None) -> list[int] | None:
    return None if stamp is None else list(stamp)


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, as the loader hashes them; None when it cannot be a routine.

    Never blocks on a named pipe and never reads more than a routine file may hold.
    """
    try:
        data = read_user_file(path, max_bytes=MAX_FILE_BYTES)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    return digest(data)


class RoutineCache:
    """The checked routines of one library scan, read from and saved to ``file``.

    Use one instance per scan: :meth:`get` each file (None: check it, then
    :meth:`put` it if valid), then :meth:`save`. Only the files looked up in
    that scan are saved, so deleted routines drop out of the cache.
    """

    def __init__(self, file: Path) -> None:
        self.file = file
        self._fingerprint = checker_fingerprint()
        self._known = self._read()
        self._seen: dict[str, object] = {}
        """Path -> the entry to save: as read for a routine taken from the cache."""
        self._changed = False

    def get(self, path: Path) -> Routine | None:
        """The cached routine of ``path`` if the file still holds the bytes it was checked from."""
        key = str(path)
        if key not in self._known:
            return None
        record = self._known[key]
        digest = record.get("sha256") if isinstance(record, dict) else None
        if isinstance(digest, str) and digest != file_digest(path):
            return None  # the file changed (or went): not the cache's fault
        try:
            routine = _routine_from_json(record, path)
        except _UntrustedError as error:
            _log.warning("library cache: checking %s again: its entry %s", path, error)
            return None
        self._seen[key] = record
        return routine

    def put(self, path: Path, routine: Routine) -> None:
        """Remember ``routine``, checked from the file at ``path``, unless it is too large."""
        if routine.source != path or not routine.sha256 or _text_size(routine) > MAX_ENTRY_CHARS:
            return
        try:
            self._seen[str(path)] = _routine_to_json(routine)
        except ValueError:  # a picture outside the routine's folder: never from the loader
            return
        self._changed = True

    def save(self) -> None:
        """Write the routines seen in this scan, if that changes the file; never raises."""
        if not self._changed and self._seen.keys() == self._known.keys():
            return
        parts: list[str] = []
        size = 0
        for key, record in self._seen.items():
            part = json.dumps(key, ensure_ascii=False) + ":" + _dumps(record)
            size += len(part) + 1
            if size > MAX_CACHE_BYTES // 4:  # characters, of up to four bytes each in UTF-8
                break  # the routines left out are checked at the next start, as now
            parts.append(part)
        text = f'{{"fingerprint":{_dumps(self._fingerprint)},"files":{{{",".join(parts)}}}}}'
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.file)
        except OSError as error:
            # Read-only or full disk: the next start checks the files again.
            _log.info("library cache: cannot write %s: %s", self.file, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self._known = dict(self._seen)
        self._changed = False

    def _read(self) -> dict[str, object]:
        """Path -> the entry as JSON read it; empty for a cache that is not to be used."""
        try:
            with self.file.open("rb") as file:
                raw = file.read(MAX_CACHE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as error:
            _log.warning(
                "library cache: cannot read %s (%s); checking every file", self.file, error
            )
            return {}
        if len(raw) > MAX_CACHE_BYTES:
            _log.warning("library cache: %s is over %d bytes; not used", self.file, MAX_CACHE_BYTES)
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as error:  # RecursionError: "[[[[..." nested deep
            _log.warning("library cache: %s is damaged (%s); not used", self.file, error)
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            _log.warning("library cache: %s is not a cache of routines; not used", self.file)
            return {}
        if data.get("fingerprint") != self._fingerprint:
            return {}  # written by other checking code: an upgrade, nothing wrong
        files: dict[str, object] = data["files"]
        return files


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------
# Routines to JSON and back, through every rule of the format


def _text_size(routine: Routine) -> int:
    """About how many characters of text the routine's JSON would hold (without building it)."""
    size = len(routine.name) + len(routine.description) + sum(len(tag) for tag in routine.tags)
    size += sum(100 + len(block.name or "") for block in routine.blocks)
    size += sum(20 + len(warning.message) for warning in routine.warnings)
    return size + sum(_exercise_size(exercise) for exercise in routine.exercises)


def _exercise_size(exercise: Exercise) -> int:
    size = 200 + len(exercise.name) + sum(len(cue) for cue in exercise.cues)
    size += sum(20 + len(say.text) for say in exercise.say) + 80 * len(exercise.per_set)
    size += len(exercise.easier or "") + len(exercise.harder or "")
    for variation in (exercise.easier_variation, exercise.harder_variation):
        size += 0 if variation is None else _exercise_size(variation)
    return size


def _routine_to_json(routine: Routine) -> dict[str, Any]:
    folder = None if routine.source is None else routine.source.parent.resolve()
    data = {field.name: getattr(routine, field.name) for field in dataclasses.fields(Routine)}
    if routine.variant is not None:
        raise ValueError("only a routine as the loader reads it is cached")
    data["source"] = str(routine.source)
    data["tags"] = list(routine.tags)
    # Position and words: the file is the entry's, the severity always a warning.
    data["warnings"] = [
        [warning.line, warning.col, warning.message] for warning in routine.warnings
    ]
    data["exercises"] = [_exercise_to_json(exercise, folder) for exercise in routine.exercises]
    data["blocks"] = [dataclasses.asdict(block) for block in routine.blocks]
    return data


def _exercise_to_json(exercise: Exercise, folder: Path | None) -> dict[str, Any]:
    data = {field.name: getattr(exercise, field.name) for field in dataclasses.fields(Exercise)}
    data["cues"] = list(exercise.cues)
    data["say"] = [dataclasses.asdict(say) for say in exercise.say]
    data["sides"] = None if exercise.sides is None else exercise.sides.value
    data["per_set"] = [dataclasses.asdict(work) for work in exercise.per_set]
    data["variant"] = None if exercise.variant is None else exercise.variant.value
    for key in ("easier_variation", "harder_variation"):
        variation = getattr(exercise, key)
        data[key] = None if variation is None else _exercise_to_json(variation, folder)
    if exercise.image is not None:
        if folder is None:
            raise ValueError("a picture without a routine file")
        # Relative to the folder, so that reading it back looks the picture up again.
        data["image"] = exercise.image.relative_to(folder).as_posix()
    return data


class _UntrustedError(Exception):
    """An entry that does not describe a valid routine; the message says what is wrong."""


_T = TypeVar("_T")


def _fields(data: object, kind: type, what: str) -> dict[str, Any]:
    """``data`` as a mapping holding exactly the fields of the dataclass ``kind``."""
    if not isinstance(data, dict):
        raise _UntrustedError(f"has {_kind(data)} for {what}")
    if data.keys() != _field_names(kind):
        raise _UntrustedError(f"does not have the fields of {what}")
    return data


@cache
def _field_names(kind: type) -> frozenset[str]:
    # Once per dataclass, not once per exercise, set and 'say' entry read.
    return frozenset(field.name for field in dataclasses.fields(kind))


def _kind(value: object) -> str:
    return type(value).__name__


def _text(value: object, what: str, *, name: bool = False) -> str:
    if not isinstance(value, str):
        raise _UntrustedError(f"has {_kind(value)} for {what}")
    if name and not 1 <= len(value) <= MAX_NAME_CHARS:
        raise _UntrustedError(f"has a {what} of {len(value)} characters")
    return value


def _texts(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _UntrustedError(f"has {_kind(value)} for {what}")
    return tuple(_text(item, what) for item in value)


def _optional(read: Callable[[object, str], _T], value: object, what: str) -> _T | None:
    return None if value is None else read(value, what)


def _duration(value: object, what: str) -> float:
    # JSON numbers only: parse_duration would also read text ("30s"), which the cache never holds.
    if type(value) not in (int, float):
        raise _UntrustedError(f"has {_kind(value)} for {what}")
    try:
        return parse_duration(value)
    except DurationError as error:
        raise _UntrustedError(f"has a bad {what}: {error}") from None


def _positive_duration(value: object, what: str) -> float:
    seconds = _duration(value, what)
    if seconds <= 0:
        raise _UntrustedError(f"has a {what} of zero")
    return seconds


def _count(value: object, what: str) -> int:
    maximum = MAX_COUNTS[what]
    if type(value) is not int or not 1 <= value <= maximum:
        shown = _kind(value) if type(value) is not int else "a number out of range"
        raise _UntrustedError(f"has {shown} for {what} (1 to {maximum:,})")
    return value


def _routine_from_json(data: object, path: Path) -> Routine:
    record = _fields(data, Routine, "a routine")
    if record["source"] != str(path):
        raise _UntrustedError("is for another file")
    version = record["format"]
    if type(version) is not int or version not in FORMAT_VERSIONS:
        raise _UntrustedError("is of another format")
    if record["variant"] is not None:
        raise _UntrustedError("holds a routine the loader does not make")
    sha256 = _text(record["sha256"], "sha256")
    routine_id = _text(record["id"], "id")
    if not (is_routine_id(routine_id) or routine_id == path.stem):
        raise _UntrustedError("has an id the file could not give")
    if not isinstance(record["exercises"], list) or not record["exercises"]:
        raise _UntrustedError("has no list of exercises")
    folder = _Folder(path)
    rest = _duration(record["rest"], "rest")
    exercises = tuple(_exercise_from_json(item, folder, version) for item in record["exercises"])
    routine = Routine(
        id=routine_id,
        name=_text(record["name"], "name", name=True),
        exercises=exercises,
        description=_text(record["description"], "description"),
        tags=_texts(record["tags"], "tags"),
        prepare=_duration(record["prepare"], "prepare"),
        rest=rest,
        rounds=_count(record["rounds"], "rounds"),
        round_rest=_duration(record["round_rest"], "round_rest"),
        format=version,
        blocks=_blocks_from_json(record["blocks"], len(exercises), version),
        source=path,
        sha256=sha256,
        warnings=_warnings_from_json(record["warnings"], path),
    )
    if routine.blocks and (routine.rounds != 1 or routine.round_rest != rest):
        raise _UntrustedError("has rounds beside blocks")
    too_long = too_many_steps(routine)
    if too_long is not None:
        raise _UntrustedError(f"holds a routine that is too long ({too_long})")
    return routine


def _warnings_from_json(data: object, path: Path) -> tuple[RoutineError, ...]:
    """The routine's warnings, each ``[line, col, message]``, as the loader gave them."""
    if not isinstance(data, list):
        raise _UntrustedError(f"has {_kind(data)} for warnings")
    warnings = []
    for item in data:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(type(number) is int and 1 <= number <= MAX_FILE_BYTES for number in item[:2])
        ):
            raise _UntrustedError("has a warning that is not [line, column, message]")
        message = _text(item[2], "warning")
        warnings.append(RoutineError(str(path), item[0], item[1], message, Severity.WARNING))
    return tuple(warnings)


class _Folder:
    """The routine's folder, resolved once and only for a routine with a picture."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._resolved: Path | None = None

    def __call__(self) -> Path:
        if self._resolved is None:
            self._resolved = self._path.parent.resolve()
        return self._resolved


def _blocks_from_json(data: object, exercises: int, version: int) -> tuple[Block, ...]:
    if not isinstance(data, list) or (data and version < 2):
        raise _UntrustedError(f"has {_kind(data)} for blocks")
    blocks: list[Block] = []
    for item in data:
        record = _fields(item, Block, "a block")
        first, count = record["first"], record["count"]
        if first != sum(block.count for block in blocks) or type(count) is not int or count < 1:
            raise _UntrustedError("has blocks that do not follow each other")
        blocks.append(
            Block(
                first=first,
                count=count,
                name=_optional(partial(_text, name=True), record["name"], "block name"),
                rounds=_count(record["rounds"], "rounds"),
                round_rest=_duration(record["round_rest"], "round_rest"),
                rest_after=_duration(record["rest_after"], "rest_after"),
            )
        )
    if blocks and sum(block.count for block in blocks) != exercises:
        raise _UntrustedError("has blocks that do not hold every exercise")
    return tuple(blocks)


def _work(record: dict[str, Any]) -> SetWork:
    work = SetWork(
        time=_optional(_positive_duration, record["time"], "time"),
        reps=_optional(_count, record["reps"], "reps"),
        hold=_optional(_positive_duration, record["hold"], "hold"),
        rep_time=_optional(_positive_duration, record["rep_time"], "rep_time"),
    )
    if (work.time is None) == (work.reps is None):
        raise _UntrustedError("has an exercise without exactly one of time and reps")
    if (work.hold is not None or work.rep_time is not None) and (
        work.reps is None or None not in (work.hold, work.rep_time)
    ):
        raise _UntrustedError("has an exercise with hold or rep_time that does not fit")
    return work


def _exercise_from_json(
    data: object, folder: _Folder, version: int, variant: Variant | None = None
) -> Exercise:
    record = _fields(data, Exercise, "an exercise")
    work = _work(record)
    per_set = record["per_set"]
    if not isinstance(per_set, list) or (per_set and version < 2):
        raise _UntrustedError(f"has {_kind(per_set)} for per_set")
    sets_work = tuple(_work(_fields(item, SetWork, "a set")) for item in per_set)
    if sets_work and (
        sets_work[0] != work
        or len(sets_work) != record["sets"]
        or len({(one.time is None, one.hold is None) for one in sets_work}) != 1
    ):
        raise _UntrustedError("has per-set work that does not fit its sets")
    sides = record["sides"]
    known = (Sides.BOTH.value, Sides.ALTERNATE.value)
    if sides is not None and sides not in (known if version < 2 else tuple(Sides)):
        raise _UntrustedError("has an unknown side")
    if sides == Sides.ALTERNATE.value and work.reps is None:
        raise _UntrustedError("has alternate sides without reps")
    figure = _optional(_text, record["figure"], "figure")
    if figure is not None and (figure not in FIGURE_NAMES or record["image"] is not None):
        raise _UntrustedError("has a figure the format does not allow")
    if record["variant"] != (None if variant is None else variant.value):
        raise _UntrustedError("has a variation where it does not belong")
    variations: dict[str, Exercise | None] = {}
    for kind in Variant:
        key = f"{kind.value}_variation"
        variations[key] = None
        if record[key] is not None:
            if variant is not None or version < 2:
                raise _UntrustedError("has a variation where it does not belong")
            variations[key] = _exercise_from_json(record[key], folder, version, kind)
    line = record["line"]
    if type(line) is not int or not 0 <= line <= MAX_FILE_BYTES:
        raise _UntrustedError("has a line number out of range")
    written = _optional(_text, record["image"], "image")
    image = None
    if written is not None:
        found = find_picture(written, folder)
        if isinstance(found, str):
            raise _UntrustedError(f"names a picture that is not usable now ({found})")
        image = found
    if not isinstance(record["say"], list):
        raise _UntrustedError(f"has {_kind(record['say'])} for say")
    exercise = Exercise(
        name=_text(record["name"], "exercise name", name=True),
        sets=_count(record["sets"], "sets"),
        rest=_duration(record["rest"], "rest"),
        rest_after=_duration(record["rest_after"], "rest_after"),
        time=work.time,
        reps=work.reps,
        hold=work.hold,
        release=_duration(record["release"], "release"),
        rep_time=work.rep_time,
        sides=None if sides is None else Sides(sides),
        switch=_duration(record["switch"], "switch"),
        cues=_texts(record["cues"], "cues"),
        say=tuple(_say_from_json(item) for item in record["say"]),
        easier=_optional(_text, record["easier"], "easier"),
        harder=_optional(_text, record["harder"], "harder"),
        image=image,
        line=line,
        per_set=sets_work,
        figure=figure,
        variant=variant,
        **variations,
    )
    if variant is not None and (exercise.easier is not None or exercise.harder is not None):
        raise _UntrustedError("has a variation with variations")
    for kind in Variant:
        variation = exercise.variation(kind)
        hint = exercise.easier if kind is Variant.EASIER else exercise.harder
        if variation is not None and (
            variation.name != hint
            or (variation.sets, variation.rest, variation.rest_after)
            != (exercise.sets, exercise.rest, exercise.rest_after)
        ):
            raise _UntrustedError("has a variation that does not fit its exercise")
    if exercise.say:
        for one in exercise.sets_work:
            period = one.work_seconds if one.is_timed else 0.0
            if any(not 0 <= say.offset_in(period) < period for say in exercise.say):
                raise _UntrustedError("has a 'say' outside its work period")
    return exercise


def _say_from_json(data: object) -> Say:
    record = _fields(data, Say, "a 'say' entry")
    at = _optional(_duration, record["at"], "say at")
    left = _optional(_positive_duration, record["left"], "say left")
    if (at is None) == (left is None):
        raise _UntrustedError("has a 'say' entry without exactly one of at and left")
    return Say(at=at, text=_text(record["text"], "say text"), left=left)


__all__ = ["MAX_CACHE_BYTES", "RoutineCache", "checker_fingerprint", "file_digest", "file_stamp"]
