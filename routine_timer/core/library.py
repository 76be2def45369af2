"""The routine library: bundled routines plus the user's own, errors kept per file.

An invalid file never hides the valid ones: it is listed with its errors and
cannot be started. Ids must be unique across the library because history is
kept by id; a file that reuses an id already taken is listed as invalid, with
the error at its ``id:`` line (``validate`` and the editor apply the same
rule, through :func:`check_ids` and :func:`id_owners`). A
folder that cannot be read is listed too, with the reason, so the routines in
it never vanish without a word.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from routine_timer.core.errors import RoutineError, RoutineFileError, Severity, in_file_order
from routine_timer.core.files import read_user_file
from routine_timer.core.library_cache import RoutineCache
from routine_timer.core.model import Routine
from routine_timer.core.programme import is_plan_file
from routine_timer.core.rules import MAX_FILE_BYTES
from routine_timer.paths import AppPaths, bundled_routines_dir, os_reason

ROUTINE_SUFFIXES = (".yaml", ".yml")

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One routine file: its routine when valid, its errors otherwise."""

    path: Path
    bundled: bool
    routine: Routine | None
    errors: tuple[RoutineError, ...] = ()
    warnings: tuple[RoutineError, ...] = ()
    """Likely mistakes (``time: 1.30``); a valid routine with warnings can be started."""

    @property
    def problems(self) -> tuple[RoutineError, ...]:
        """Errors and warnings together, in file order, as ``validate`` prints them."""
        return in_file_order(self.errors + self.warnings)

    @property
    def valid(self) -> bool:
        return self.routine is not None and not self.errors

    @property
    def id(self) -> str:
        return self.routine.id if self.routine is not None else self.path.stem

    @property
    def name(self) -> str:
        return self.routine.name if self.routine is not None else self.path.name


@dataclass(frozen=True, slots=True)
class FolderScan:
    """The routine files found below a folder, and the folders that could not be read."""

    files: list[Path] = field(default_factory=list)
    """Every routine file, in path order."""
    plans: list[Path] = field(default_factory=list)
    """Every plan file (``*.plan.yaml``), in path order: not routines, never loaded as one."""
    problems: list[RoutineError] = field(default_factory=list)
    """One per folder (or the folder itself) that could not be listed, saying why."""


def scan_folder(folder: Path) -> FolderScan:
    """Every routine file below ``folder``, recursively, and every folder that could not be read.

    Plan files (``*.plan.yaml``) are listed apart, in :attr:`FolderScan.plans`.

    A missing ``folder`` holds nothing. Links to folders are not followed (a
    link back up would never end); links to files are.
    """
    scan = FolderScan()
    try:
        if not os.path.lexists(folder):
            return scan
        if not folder.is_dir():
            scan.problems.append(_folder_problem(folder, "this is a file, not a folder"))
            return scan
    except (OSError, ValueError) as error:  # a path too long to look at, say
        scan.problems.append(_folder_problem(folder, _reason(error)))
        return scan

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        scan.problems.append(_folder_problem(where, os_reason(error)))

    for root, _folders, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root, name)
            if path.suffix.lower() in ROUTINE_SUFFIXES and _is_file(path):
                (scan.plans if is_plan_file(path) else scan.files).append(path)
    scan.files.sort()
    scan.plans.sort()
    scan.problems.sort(key=lambda problem: problem.path)
    return scan


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _reason(error: Exception) -> str:
    return os_reason(error) if isinstance(error, OSError) else str(error)


def _folder_problem(folder: Path, reason: str) -> RoutineError:
    return RoutineError(
        str(folder), 1, 1, f"cannot read this folder ({reason}), so its routines are not listed"
    )


def routine_files(folder: Path) -> Iterator[Path]:
    """Every routine file below ``folder``, recursively, in a stable order.

    Folders that cannot be read are skipped; :func:`scan_folder` says which.
    """
    yield from scan_folder(folder).files


def load_entry(path: Path, *, bundled: bool = False) -> LibraryEntry:
    """Load one file into a library entry, keeping its errors instead of raising."""
    # PyYAML and the checks load on the first file that needs them: a library
    # read wholly from the cache never does (see "Start-up" in BENCHMARKS.md).
    from routine_timer.core.loader import load_routine  # noqa: PLC0415

    try:
        routine = load_routine(path)
    except RoutineFileError as error:
        return LibraryEntry(path, bundled, None, error.errors, error.warnings)
    return LibraryEntry(path, bundled, routine, warnings=routine.warnings)


def scan_library(
    paths: AppPaths, bundled_dir: Path | None = None, *, cache: Path | None = None
) -> list[LibraryEntry]:
    """Bundled routines first, then the user's, each folder in path order.

    With ``cache`` (a file), routines unchanged since the last scan come from it
    instead of being read and checked again (:mod:`routine_timer.core.library_cache`).
    """
    bundled = bundled_routines_dir() if bundled_dir is None else bundled_dir
    files: list[tuple[Path, bool]] = []
    unreadable: list[LibraryEntry] = []
    for folder, is_bundled in ((bundled, True), (paths.routines_dir, False)):
        scan = scan_folder(folder)
        files += [(path, is_bundled) for path in scan.files]
        unreadable += [
            LibraryEntry(Path(problem.path), is_bundled, None, (problem,))
            for problem in scan.problems
        ]
    if cache is None:
        entries = [load_entry(path, bundled=is_bundled) for path, is_bundled in files]
    else:
        entries = _load_cached(files, RoutineCache(cache))
    return list(_flag_duplicate_ids(entries)) + unreadable


def _load_cached(files: Iterable[tuple[Path, bool]], cache: RoutineCache) -> list[LibraryEntry]:
    entries = []
    for path, bundled in files:
        routine = cache.get(path)
        if routine is not None:
            entries.append(LibraryEntry(path, bundled, routine, warnings=routine.warnings))
            continue
        entry = load_entry(path, bundled=bundled)
        if entry.routine is not None and _cacheable(path, entry.routine):
            # Cached with the hash of the very bytes it was checked from.
            cache.put(path, entry.routine)
        entries.append(entry)
    try:
        cache.save()
    except Exception as error:  # the cache only saves time; it must never cost the list
        _log.warning("library cache %s not saved: %s: %s", cache.file, type(error).__name__, error)
    return entries


def _cacheable(path: Path, routine: Routine) -> bool:
    """Whether the cache, a UTF-8 text file, can hold the file names of ``path``'s routine.

    A name that is not UTF-8 (kept by Python as surrogate escapes) cannot be
    written there; such a file is simply checked afresh at each scan.
    """
    names = [path, routine.source, *(exercise.image for exercise in routine.exercises)]
    try:
        for name in names:
            if name is not None:
                str(name).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _flag_duplicate_ids(
    entries: Iterable[LibraryEntry],
    owners: dict[str, Path] | None = None,
    *,
    warn: bool = False,
) -> Iterator[LibraryEntry]:
    """``entries``, each one whose id an earlier one (or ``owners``) has made invalid.

    With ``warn``, a clash is a warning instead and the entry stays valid.
    """
    owners = {} if owners is None else owners
    for entry in entries:
        if entry.routine is None:
            yield entry
            continue
        owner = owners.setdefault(entry.routine.id, entry.path)
        if _same_file(owner, entry.path):
            yield entry
            continue
        clash = id_clash(entry.path, entry.routine.id, owner)
        if warn:
            warning = replace(
                clash,
                severity=Severity.WARNING,
                message=clash.message + "; in the library, this file would not start",
            )
            yield replace(entry, warnings=in_file_order((*entry.warnings, warning)))
            continue
        yield LibraryEntry(entry.path, entry.bundled, None, (clash,), entry.warnings)


def _same_file(one: Path, other: Path) -> bool:
    if one == other:
        return True
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError, ValueError):
        return False


_ID_KEY = re.compile(r"^id[ \t]*:", re.MULTILINE)
"""A top-level ``id:``: in a block mapping, only top-level keys start at column 1."""


def id_clash(path: Path, routine_id: str, owner: Path, text: str | None = None) -> RoutineError:
    """The error for the routine at ``path`` whose id ``owner`` has already taken.

    It points at the file's ``id:`` line when there is one (``text`` is the
    file's text when the caller has it; otherwise the file is read), else at 1:1.
    """
    if text is None:
        try:
            text = read_user_file(path, max_bytes=MAX_FILE_BYTES).decode("utf-8", errors="replace")
        except (OSError, ValueError):
            text = ""
    found = _ID_KEY.search(text)
    line = 1 if found is None else text.count("\n", 0, found.start()) + 1
    return RoutineError(
        str(path),
        line,
        1,
        f"id '{routine_id}' is already used by {owner}; ids must be unique "
        "because history is kept by id (set a different 'id:' or rename the file)",
    )


def taken_elsewhere(
    owners: Mapping[str, Path], path: Path, routine: Routine, text: str | None = None
) -> RoutineError | None:
    """The error when another file of ``owners`` holds the id of the ``routine`` at ``path``."""
    owner = owners.get(routine.id)
    if owner is None or _same_file(owner, path):
        return None
    return id_clash(path, routine.id, owner, text)


def id_owners(entries: Iterable[LibraryEntry]) -> dict[str, Path]:
    """Id -> the file that holds it, for the valid routines of a scanned library."""
    owners: dict[str, Path] = {}
    for entry in entries:
        if entry.routine is not None and entry.valid:
            owners.setdefault(entry.routine.id, entry.path)
    return owners


def check_ids(
    entries: Iterable[LibraryEntry], library: Iterable[LibraryEntry], *, warn: bool = False
) -> list[LibraryEntry]:
    """``entries`` (files checked on their own) with the library's id rule applied.

    An id is taken by the library's routine that holds it (bundled first,
    then the user's, as :func:`scan_library` decides), else by the first of
    ``entries`` that gives it; any other file with that id is invalid, or,
    with ``warn`` (``validate``: the file itself follows the format), warned.
    """
    return list(_flag_duplicate_ids(entries, id_owners(library), warn=warn))


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
