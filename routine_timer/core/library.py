"""The routine library: bundled routines plus the user's own, errors kept per file.

An invalid file never hides the valid ones: it is listed with its errors and
cannot be started. Ids must be unique across the library because history is
kept by id; a file that reuses an id already taken is listed as invalid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from routine_timer.core.errors import RoutineError, RoutineFileError
from routine_timer.core.library_cache import RoutineCache
from routine_timer.core.model import Routine
from routine_timer.paths import AppPaths, bundled_routines_dir

ROUTINE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One routine file: its routine when valid, its errors otherwise."""

    path: Path
    bundled: bool
    routine: Routine | None
    errors: tuple[RoutineError, ...] = ()

    @property
    def valid(self) -> bool:
        return self.routine is not None and not self.errors

    @property
    def id(self) -> str:
        return self.routine.id if self.routine is not None else self.path.stem

    @property
    def name(self) -> str:
        return self.routine.name if self.routine is not None else self.path.name


def routine_files(folder: Path) -> Iterator[Path]:
    """Every routine file below ``folder``, recursively, in a stable order."""
    if not folder.is_dir():
        return
    found = (
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in ROUTINE_SUFFIXES and path.is_file()
    )
    yield from sorted(found)


def load_entry(path: Path, *, bundled: bool = False) -> LibraryEntry:
    """Load one file into a library entry, keeping its errors instead of raising."""
    # PyYAML and the checks load on the first file that needs them: a library
    # read wholly from the cache never does (see "Start-up" in BENCHMARKS.md).
    from routine_timer.core.loader import load_routine  # noqa: PLC0415

    try:
        return LibraryEntry(path, bundled, load_routine(path))
    except RoutineFileError as error:
        return LibraryEntry(path, bundled, None, error.errors)


def scan_library(
    paths: AppPaths, bundled_dir: Path | None = None, *, cache: Path | None = None
) -> list[LibraryEntry]:
    """Bundled routines first, then the user's, each folder in path order.

    With ``cache`` (a file), routines unchanged since the last scan come from it
    instead of being read and checked again (:mod:`routine_timer.core.library_cache`).
    """
    bundled = bundled_routines_dir() if bundled_dir is None else bundled_dir
    files = [(path, True) for path in routine_files(bundled)]
    files += [(path, False) for path in routine_files(paths.routines_dir)]
    if cache is None:
        entries = [load_entry(path, bundled=is_bundled) for path, is_bundled in files]
    else:
        entries = _load_cached(files, RoutineCache(cache))
    return list(_flag_duplicate_ids(entries))


def _load_cached(files: Iterable[tuple[Path, bool]], cache: RoutineCache) -> list[LibraryEntry]:
    entries = []
    for path, bundled in files:
        routine = cache.get(path)
        if routine is not None:
            entries.append(LibraryEntry(path, bundled, routine))
            continue
        entry = load_entry(path, bundled=bundled)
        if entry.routine is not None:
            # Cached with the hash of the very bytes it was checked from.
            cache.put(path, entry.routine)
        entries.append(entry)
    cache.save()
    return entries


def _flag_duplicate_ids(entries: Iterable[LibraryEntry]) -> Iterator[LibraryEntry]:
    owners: dict[str, Path] = {}
    for entry in entries:
        if entry.routine is None:
            yield entry
            continue
        owner = owners.setdefault(entry.routine.id, entry.path)
        if owner == entry.path:
            yield entry
            continue
        clash = RoutineError(
            str(entry.path),
            1,
            1,
            f"id '{entry.routine.id}' is already used by {owner}; ids must be unique "
            "because history is kept by id (set a different 'id:' or rename the file)",
        )
        yield LibraryEntry(entry.path, entry.bundled, None, (clash,))


def find_routine(
    ref: str, paths: AppPaths, bundled_dir: Path | None = None, *, cache: Path | None = None
) -> LibraryEntry:
    """Find a routine by file path or by id (the library scanned with ``cache``).

    Raises :class:`LookupError` with a message for people when there is none.
    """
    candidate = Path(ref).expanduser()
    if candidate.suffix.lower() in ROUTINE_SUFFIXES or candidate.is_file():
        if not candidate.is_file():
            raise LookupError(f"no such routine file: {ref}")
        return load_entry(candidate)
    entries = scan_library(paths, bundled_dir, cache=cache)
    for entry in entries:
        if entry.id == ref:
            return entry
    known = ", ".join(sorted(entry.id for entry in entries if entry.valid))
    raise LookupError(f"no routine with id '{ref}' (known ids: {known or 'none'})")
