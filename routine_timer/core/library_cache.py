"""Routines already checked, remembered between starts so the library opens quickly.

Reading a routine means loading PyYAML and the loader and checking every
rule; the window's first paint waited about 70 ms for that with five routines.
The cache keeps each *valid* routine of the last scan, keyed by its file's
identity (size, modification and change times in nanoseconds, inode). A file
is checked again when any of these differ, when an ``image:`` it names is no
longer there, or when the code or PyYAML that checked it has changed (their
files' own stamps are part of the cache). Invalid files are never cached:
their messages always come from a fresh check, exactly as ``validate`` prints them.

The cache is a JSON file the app may delete or rebuild at any time: one that
cannot be read, or was written by another version, is ignored, and failing to
write it only costs the next start its speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import asdict
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Final

from routine_timer import __version__
from routine_timer.core.model import Exercise, Routine, Say, Sides

CACHE_FORMAT: Final = 1

Stamp = tuple[int, int, int, int]
"""Size, mtime_ns, ctime_ns and inode of a file."""

_CORE_DIR: Final = Path(__file__).resolve().parent
# The modules whose rules decide what a routine file means.
_CHECKER_MODULES: Final = (
    "loader.py",
    "yaml_nodes.py",
    "durations.py",
    "model.py",
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
        self._seen: dict[str, dict[str, Any]] = {}

    def get(self, path: Path, stamp: Stamp | None) -> Routine | None:
        """The cached routine of ``path`` if the file (stamped before reading) is unchanged."""
        record = self._known.get(str(path))
        if stamp is None or record is None or record.get("stamp") != _as_list(stamp):
            return None
        try:
            routine = _routine_from_json(record["routine"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if any(exercise.image and not exercise.image.is_file() for exercise in routine.exercises):
            return None
        self._seen[str(path)] = record
        return routine

    def put(self, path: Path, stamp: Stamp | None, routine: Routine) -> None:
        """Remember ``routine``, checked from ``path`` as it was at ``stamp``."""
        if stamp is not None:
            self._seen[str(path)] = {"stamp": _as_list(stamp), "routine": _routine_to_json(routine)}

    def save(self) -> None:
        """Write the routines seen in this scan, if that changes the file; never raises."""
        if self._seen == self._known:
            return
        text = json.dumps(
            {"fingerprint": self._fingerprint, "files": self._seen},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.file)
        except OSError:
            # Read-only or full disk: the next start checks the files again.
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self._known = dict(self._seen)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("fingerprint") != self._fingerprint:
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        return {key: value for key, value in files.items() if isinstance(value, dict)}


def _routine_to_json(routine: Routine) -> dict[str, Any]:
    data = asdict(routine)
    data["source"] = None if routine.source is None else str(routine.source)
    for exercise in data["exercises"]:
        if exercise["image"] is not None:
            exercise["image"] = str(exercise["image"])
    return data


def _routine_from_json(data: dict[str, Any]) -> Routine:
    source = data["source"]
    return Routine(
        **{
            **data,
            "exercises": tuple(_exercise_from_json(item) for item in data["exercises"]),
            "tags": tuple(data["tags"]),
            "source": None if source is None else Path(source),
        }
    )


def _exercise_from_json(data: dict[str, Any]) -> Exercise:
    image, sides = data["image"], data["sides"]
    return Exercise(
        **{
            **data,
            "cues": tuple(data["cues"]),
            "say": tuple(Say(**item) for item in data["say"]),
            "sides": None if sides is None else Sides(sides),
            "image": None if image is None else Path(image),
        }
    )
