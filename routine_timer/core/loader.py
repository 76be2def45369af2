"""Read routine files: YAML text in, a validated :class:`Routine` out.

The rules are those of the routine file format (``docs/routine-format.md``).
Every problem in a file is collected, each with the line and column of the
offending key or value (for a missing key: the mapping that lacks it), and
raised together as a :class:`RoutineFileError`. No input, however hostile,
raises anything else.

YAML itself is read by :mod:`routine_timer.core.yaml_nodes`, which composes
the text into position-aware nodes; this module checks those nodes against
the format and builds the model from them.
"""

from __future__ import annotations

import dataclasses
import difflib
import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeGuard, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from routine_timer.core import hints, yaml_nodes
from routine_timer.core.durations import EXAMPLES, DurationError, describe, parse_duration
from routine_timer.core.durations import MAX_CHARS as DURATION_MAX_CHARS
from routine_timer.core.errors import RoutineError, RoutineFileError, Severity
from routine_timer.core.figure_names import FIGURE_NAMES
from routine_timer.core.files import FileTooLargeError, NotAFileError, digest, read_user_file
from routine_timer.core.model import (
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    Block,
    Exercise,
    Routine,
    Say,
    SetWork,
    Sides,
    Variant,
    work_period,
)
from routine_timer.core.rules import (
    MAX_COUNTS,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    MAX_STEPS,
    find_picture,
    is_routine_id,
    too_many_steps,
)
from routine_timer.core.yaml_nodes import (
    FLOAT,
    INT,
    MERGE,
    NULL,
    STR,
    BadScalarError,
    Problem,
    UnreadableYamlError,
    at,
    scalar_value,
)

_TOP_KEYS: Final = (
    "format",
    "name",
    "id",
    "description",
    "tags",
    "prepare",
    "rest",
    "rounds",
    "round_rest",
    "exercises",
    "blocks",
)
_BLOCK_KEYS: Final = ("name", "rounds", "round_rest", "rest", "rest_after", "exercises")
_EXERCISE_KEYS: Final = (
    "name",
    "time",
    "reps",
    "hold",
    "release",
    "rep_time",
    "sets",
    "sides",
    "switch",
    "rest",
    "rest_after",
    "cues",
    "say",
    "easier",
    "harder",
    "image",
    "figure",
)
_VARIATION_KEYS: Final = (
    "name",
    "time",
    "reps",
    "hold",
    "release",
    "rep_time",
    "sides",
    "switch",
    "cues",
    "say",
    "image",
    "figure",
)
_SAY_KEYS: Final = ("at", "left", "text")
KNOWN_KEYS: Final = frozenset(
    (*_TOP_KEYS, *_BLOCK_KEYS, *_EXERCISE_KEYS, *_VARIATION_KEYS, *_SAY_KEYS)
)
"""Every key of the format, wherever it may stand (the editor marks any other)."""
_PER_SET_KEYS: Final = ("time", "reps", "hold", "rep_time")
"""Keys that format 2 lets give one value per set, as a list."""
_REPLACES: Final = {
    "time": ("reps", "hold", "rep_time"),
    "reps": ("time",),
    "hold": ("time", "rep_time"),
    "rep_time": ("time", "hold"),
    # A variation shows itself: its picture or its figure in place of the exercise's.
    "image": ("figure",),
    "figure": ("image",),
}
"""The exercise's keys a variation's work key takes the place of."""


def load_routine(path: str | os.PathLike[str]) -> Routine:
    """Read and validate the routine file at ``path``.

    Raises :class:`RoutineFileError` listing every problem in the file, also
    when the file cannot be read at all.
    """
    return parse_routine(read_bytes(path), path)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the routine (or plan) file at ``path``, at most 1 MiB.

    Raises :class:`RoutineFileError` saying why when the file cannot be read.
    """
    shown = os.fspath(path)
    try:
        return _read_file(path)
    except _UnreadableFileError as exc:
        raise _single(shown, 1, 1, str(exc)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _single(shown, 1, 1, f"cannot read the file: {reason}") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. a NUL in the path
        raise _single(shown, 1, 1, f"cannot read the file: {exc}") from None


def parse_routine(data: bytes | str, path: str | os.PathLike[str]) -> Routine:
    """Validate routine text held in memory, as if it were the file at ``path``.

    ``path`` names the file in messages, gives the default id (the file name
    without extension) and the folder that ``image:`` paths are relative to.
    """
    return guarded(_parse, data, os.fspath(path))


def guarded(parse: Callable[[bytes | str, str], _T], data: bytes | str, shown: str) -> _T:
    """``parse(data, shown)``, any failure but a RoutineFileError made into one.

    The promise of every file the app reads: bad input never escapes as a traceback.
    The garbage collector is held off meanwhile (see :class:`_CollectorPause`).
    """
    try:
        with _COLLECTOR_PAUSE:
            return parse(data, shown)
    except RoutineFileError:
        raise
    except (RecursionError, MemoryError):
        raise _single(shown, 1, 1, "the file is too large or too complex to read") from None
    except Exception as exc:
        raise _single(
            shown, 1, 1, f"cannot read the file (internal error: {type(exc).__name__})"
        ) from None


class _CollectorPause:
    """Holds Python's cyclic garbage collector off while files are parsed.

    A parse makes thousands of small objects (nodes, pairs, values) that live
    until it ends and are then freed by reference counting (only a recursive
    alias makes a cycle, collected once the pause is over); the collections
    their number sets off on the way only walk them again. Loading the
    benchmark's 1,000 files set off 176 collections of the youngest generation
    and 16 of the next; held off, 18 and 1 remain (outside the parses), and
    the load takes 364 ms instead of 372 (medians of 10 alternated rounds).
    Parses in several threads share one pause: the last to end turns the
    collector back on, and only if it was on when the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parses = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._parses == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._parses += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._parses -= 1
            if self._parses == 0 and self._was_enabled:
                gc.enable()


_COLLECTOR_PAUSE: Final = _CollectorPause()


class _UnreadableFileError(Exception):
    pass


def _read_file(path: str | os.PathLike[str]) -> bytes:
    try:
        return read_user_file(path, max_bytes=MAX_FILE_BYTES)
    except IsADirectoryError:
        raise _UnreadableFileError("this is a folder, not a routine file") from None
    except NotAFileError:
        raise _UnreadableFileError("this is not a regular file") from None
    except FileTooLargeError as exc:
        raise _UnreadableFileError(_too_big(exc.size)) from None


def _too_big(size: int) -> str:
    return (
        f"the file is too large ({size:,} bytes); a routine file must be at most 1 MiB "
        f"({MAX_FILE_BYTES:,} bytes)"
    )


def _single(path: str, line: int, col: int, message: str) -> RoutineFileError:
    return RoutineFileError([RoutineError(path, line, col, message)])


def _parse(data: bytes | str, shown: str) -> Routine:
    root, text, sha256 = read_mapping(
        data,
        shown,
        needs="a routine needs at least 'name' and 'exercises'",
        holds="a routine file must be a mapping of keys such as 'name:' and 'exercises:'",
    )
    checker = _Checker(Path(shown), text)
    routine = checker.routine(root, shown, sha256)
    warnings = checker.outcome(shown, failed=routine is None)
    assert routine is not None
    if warnings:
        return dataclasses.replace(routine, warnings=warnings)
    return routine


def read_mapping(
    data: bytes | str, shown: str, *, needs: str, holds: str
) -> tuple[MappingNode, str, str]:
    """Decode and compose a file that must hold one mapping: its root, text and SHA-256.

    Raises :class:`RoutineFileError` for text that is too large, not UTF-8, not
    YAML, empty (``needs`` says what it lacks) or not a mapping (``holds`` says
    what it must be). Plan files are read the same way.
    """
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            line, col = yaml_nodes.line_col(data, exc.start)
            raise _single(
                shown, line, col, "the text holds a character that is not valid Unicode"
            ) from None
        if len(raw) > MAX_FILE_BYTES:
            raise _single(shown, 1, 1, _too_big(len(raw)))
    else:
        raw = bytes(data)
        if len(raw) > MAX_FILE_BYTES:
            raise _single(shown, 1, 1, _too_big(len(raw)))
    sha256 = digest(raw)
    try:
        if isinstance(data, str):
            text = data.removeprefix("\ufeff")
            yaml_nodes.check_printable(text)
        else:
            text = yaml_nodes.decode(raw)
        # Before parsing: YAML itself would object to a tab on a blank line.
        root = None if _only_space(text) else yaml_nodes.compose(text, yaml_nodes.DEFAULT_BACKEND)
    except UnreadableYamlError as exc:
        raise RoutineFileError(
            RoutineError(shown, line, col, message) for line, col, message in exc.problems
        ) from None
    if root is None or (type(root) is ScalarNode and root.tag == NULL and not root.value.strip()):
        what = "is empty" if _only_space(text) else "holds only comments"
        raise _single(shown, 1, 1, f"the file {what}; {needs}")
    if type(root) is not MappingNode:
        line, col = at(root)
        raise _single(
            shown,
            line,
            col,
            f"{holds}, but this file holds {yaml_nodes.describe(root)}",
        )
    return root, text, sha256


def _only_space(text: str) -> bool:
    return not text.strip(" \t\r\n\x85\u2028\u2029")


def default_id(path: str | os.PathLike[str]) -> str:
    """The id of a routine file that does not give ``id:``: its name without extension.

    ``core-7.yaml`` -> ``core-7``. The name is used as it is, capitals and
    spaces included; only an explicit ``id:`` must be a slug. Bytes of a file
    name that is not UTF-8 (which Python keeps as lone surrogates, and no
    text file or database can hold) are spelled ``\\xe9``, so ``caf\\xe9.yaml``
    has the id ``caf\\xe9`` on every start.
    """
    stem = Path(path).stem
    try:
        stem.encode("utf-8")
    except UnicodeEncodeError:
        raw = stem.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    return stem


# --------------------------------------------------------------------------
# Checking the nodes against the format

Pair = tuple[Node, Node]
"""A key node and its value node."""


class _Checker:
    """Walks a routine's nodes, collecting problems and building the model."""

    def __init__(self, source: Path, raw: str = "") -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        """Likely mistakes that leave the file valid (see :mod:`hints`)."""
        self.source = source
        self.raw = raw
        """The text the nodes were composed from, for what YAML leaves out (comments)."""
        self._folder: Path | None = None
        self.format = 1
        """The file's format version (an unreadable ``format`` is checked as the newest)."""
        self.lists = 0
        """How many per-set lists have been read so far (format 2)."""
        self._variation: tuple[MappingNode, str] | None = None
        """While a variation is checked: its mapping and what to call it in messages."""
        self.near_misses: dict[int, set[str]] = {}
        """id(mapping) -> known keys its unknown keys were taken for: not also 'missing'."""
        self.run_together: set[int] = set()
        """id() of mappings that look like two list items without a '- ' between them."""
        self._pictures: dict[str, Path | str] = {}
        """What each ``image:`` text names in this file, looked up once (a variation
        checks its exercise's picture again; exercises often share one)."""

    def folder(self) -> Path:
        """The routine's folder, resolved, which pictures must stay inside."""
        if self._folder is None:
            self._folder = self.source.parent.resolve()
        return self._folder

    def add(self, node: Node, message: str) -> None:
        if self._variation is not None:
            mapping, what = self._variation
            if not _inside(node, mapping):
                # A key the variation keeps from its exercise: the problem is the
                # variation's, so it is shown there.
                node, message = mapping, f"{what}: {message}"
        line, col = at(node)
        self.problems.append(Problem(line, col, message))

    def needs_format_2(self, key: Node, what: str) -> bool:
        """True in a format-2 file; otherwise reports that ``what`` needs ``format: 2``."""
        if self.format >= 2:
            return True
        self.add(key, f"{what} needs 'format: 2' at the top of the file (this file is format 1)")
        return False

    def warn(self, node: Node, message: str | None) -> None:
        """A warning at ``node`` (nothing when ``message`` is None)."""
        if message is not None:
            line, col = at(node)
            self.warnings.append(Problem(line, col, message))

    def warn_comment(self, name: str, value: ScalarNode) -> None:
        """A warning when a ' #' cut the plain text ``value`` short."""
        if value.style:
            return  # quoted or a block: a '#' in it is kept
        end = value.end_mark.index
        if self.raw[end : end + 1] not in (" ", "\t"):
            return  # the line (or the flow item) ends right there: no comment after it
        found = hints.comment_trap(name, value, self.raw)
        if found is not None:
            self.warnings.append(Problem(*found))

    def outcome(self, shown: str, *, failed: bool) -> tuple[RoutineError, ...]:
        """The file's warnings, in file order; raises RoutineFileError when it has errors.

        ``failed``: nothing could be built, even without a problem reported.
        """
        warnings = tuple(
            RoutineError(shown, line, col, message, Severity.WARNING)
            for line, col, message in self.warnings
        )
        if self.problems or failed:
            raise RoutineFileError(
                (RoutineError(shown, line, col, message) for line, col, message in self.problems),
                warnings,
            )
        return RoutineFileError((), warnings).warnings

    def meant(self, mapping: Node, key: str) -> bool:
        """Whether an unknown key of ``mapping`` was reported as a near miss of ``key``."""
        return key in self.near_misses.get(id(mapping), ())

    # -- mappings --------------------------------------------------------

    def entries(self, mapping: MappingNode, known: tuple[str, ...], where: str) -> dict[str, Pair]:
        """The mapping's keys with ``<<`` merges applied; reports unknown keys."""
        found = self.pairs(mapping)
        for name, (key, _) in found.items():
            if name not in known:
                # A format-1 file is never pointed at keys it may not use.
                offered = known
                if self.format < 2:
                    offered = tuple(k for k in known if k not in _FORMAT_2_KEYS)
                guess = hints.key_suggestion(name, offered)
                message = _unknown_key(name, offered, where, guess)
                if self.format >= 2 and where == "in an exercise" and name in _ROUND_KEYS:
                    message = (
                        f"unknown key {name!r} in an exercise ('{name}' belongs to the "
                        "routine, or to a block, not to an exercise)"
                    )
                self.add(key, message)
                if guess is not None:
                    self.near_misses.setdefault(id(mapping), set()).add(guess)
        return found

    def pairs(self, mapping: MappingNode) -> dict[str, Pair]:
        """Key -> (key node, value node), reporting duplicates; merged keys come last."""
        found: dict[str, Pair] = {}
        merges: list[Node] = []
        seen_merge: Node | None = None
        for key, value in mapping.value:
            if type(key) is not ScalarNode:
                self.add(key, f"a key must be a plain name, got {yaml_nodes.describe(key)}")
                continue
            name: str = key.value
            if key.tag == MERGE:
                if seen_merge is not None:
                    self.add(key, _duplicate(name, seen_merge))
                seen_merge = key
                merges.append(value)
                continue
            first = found.get(name)
            if first is not None:
                if id(mapping) in self.run_together:
                    continue  # the rest of the second item, reported with its first key
                if hints.starts_entry(mapping, key):
                    self.run_together.add(id(mapping))
                    self.add(key, _duplicate(name, first[0]) + hints.MISSING_DASH)
                else:
                    self.add(key, _duplicate(name, first[0]))
                continue
            found[name] = (key, value)
        for value in merges:
            for source in self.merge_sources(value):
                for name, pair in self.pairs(source).items():
                    found.setdefault(name, pair)
        return found

    def merge_sources(self, value: Node) -> list[MappingNode]:
        if type(value) is MappingNode:
            return [value]
        if type(value) is SequenceNode and all(type(item) is MappingNode for item in value.value):
            return list(value.value)
        self.add(
            value,
            "'<<' merges a mapping (such as *name for an anchored one) or a list of them, "
            f"got {yaml_nodes.describe(value)}",
        )
        return []

    # -- values ----------------------------------------------------------

    def scalar(self, name: str, value: ScalarNode) -> object | None:
        """The scalar's YAML value; None (reported) for a bad explicit tag (``!!int abc``)."""
        try:
            return scalar_value(value)
        except BadScalarError as exc:
            self.add(value, f"'{name}': {exc}")
            return None

    def is_null(self, name: str, pair: Pair, required: bool = False) -> bool:
        value = pair[1]
        if type(value) is ScalarNode and value.tag == NULL:
            # At the key: an empty value ("rest:") has no place of its own.
            if required:
                self.add(pair[0], f"'{name}' is null; it needs a value")
            else:
                self.add(pair[0], f"'{name}' is null; leave the key out to use the default")
            return True
        return False

    def text(
        self,
        name: str,
        pair: Pair,
        *,
        required: bool = False,
        max_chars: int | None = None,
    ) -> str | None:
        """A text value, kept as written (names are counted as written, too)."""
        if self.is_null(name, pair, required):
            return None
        value = pair[1]
        if type(value) is not ScalarNode or value.tag != STR:
            hint = hints.not_text_hint(value)
            self.add(value, f"'{name}' must be text, got {yaml_nodes.describe(value)}{hint}")
            return None
        text: str = value.value
        if not value.style and self.raw[value.end_mark.index : value.end_mark.index + 1] in _BLANK:
            self.warn_comment(name, value)  # plain text followed by a blank: a comment may cut it
        if max_chars is not None and not text:
            self.add(value, f"'{name}' must not be empty")
            return None
        if max_chars is not None and len(text) > max_chars:
            self.add(
                value,
                f"'{name}' is {len(text)} characters long; at most {max_chars} are allowed",
            )
            return None
        return text

    def whole_number(self, name: str, pair: Pair) -> int | None:
        """A count (``reps``, ``sets``, ``rounds``) from 1 to its limit in MAX_COUNTS."""
        if self.is_null(name, pair):
            return None
        value = pair[1]
        maximum = MAX_COUNTS[name]
        if _is_whole_number(value):
            number = self.scalar(name, value)
            if number is None:
                return None
            assert isinstance(number, int)
            if 1 <= number <= maximum:
                if value.value[:1] == "0":
                    self.warn(value, hints.octal_trap(name, value))
                return number
        if type(value) is SequenceNode and name in _PER_SET_KEYS:
            return self.per_set_value(name, pair)  # type: ignore[return-value]
        self.add(
            value,
            f"'{name}' must be a whole number from 1 to {maximum:,}, "
            f"got {yaml_nodes.describe(value)}{hints.quoted_number_hint(value)}",
        )
        return None

    def duration(self, name: str, pair: Pair, *, positive: bool = False) -> float | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is not ScalarNode or value.tag not in (INT, FLOAT, STR):
            if type(value) is SequenceNode and name in _PER_SET_KEYS:
                return self.per_set_value(name, pair)  # type: ignore[return-value]
            self.add(
                value,
                f"'{name}' must be a duration such as {EXAMPLES}, got {yaml_nodes.describe(value)}",
            )
            return None
        key = (value.tag, value.value)
        seconds = _DURATIONS.get(key)
        if seconds is None:
            seconds = _duration_of(value)
            # Only short texts: the memo lives as long as the app, and a hostile file
            # could otherwise park a megabyte of text in each of its 4,096 places.
            if len(_DURATIONS) < 4096 and len(value.value) <= DURATION_MAX_CHARS:
                _DURATIONS[key] = seconds
        if isinstance(seconds, str):
            self.add(value, f"'{name}': {seconds}")
            return None
        if positive and seconds <= 0:
            self.add(value, f"'{name}' must be more than zero, got {value.value}")
            return None
        if "." in value.value or (value.value[:1] == "0" and value.tag == INT):
            self.warn(value, hints.duration_trap(name, value, seconds))  # only these can be traps
        return seconds

    def text_list(self, name: str, pair: Pair) -> tuple[str, ...] | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is not SequenceNode:
            self.add(value, f"'{name}' must be a list of texts, got {yaml_nodes.describe(value)}")
            return None
        items: list[str] = []
        for item in value.value:
            if type(item) is not ScalarNode or item.tag != STR:
                self.add(
                    item,
                    f"each item of '{name}' must be text, got {yaml_nodes.describe(item)}"
                    f"{hints.not_text_hint(item)}",
                )
                continue
            self.warn_comment(name, item)
            items.append(item.value)
        return tuple(items) if len(items) == len(value.value) else None

    def positive_duration(self, name: str, pair: Pair) -> float | None:
        return self.duration(name, pair, positive=True)

    def name(self, name: str, pair: Pair) -> str | None:
        return self.text(name, pair, required=True, max_chars=MAX_NAME_CHARS)

    def optional_text(self, name: str, pair: Pair) -> str | None:
        return self.text(name, pair)

    def checked(
        self, keys: dict[str, Pair], checks: dict[str, _Check]
    ) -> tuple[dict[str, object], bool]:
        """Check every known key's value; the values, and whether all were valid."""
        values: dict[str, object] = {}
        ok = True
        for key, pair in keys.items():
            check = checks.get(key)
            if check is not None:
                value = check(self, key, pair)
                if value is None:
                    ok = False
                else:
                    values[key] = value
        return values, ok

    # -- the routine -----------------------------------------------------

    def routine(self, root: MappingNode, shown: str, digest: str) -> Routine | None:
        keys = self.entries(root, _TOP_KEYS, "at the top level")
        ok = True
        if "format" in keys:
            version = self.format_version("format", keys["format"])
            # An unreadable version is checked as the newest, so that its keys are
            # not also reported as needing it.
            self.format = FORMAT_VERSION if version is None else version
            ok = version is not None
        values, valid = self.checked(keys, _ROUTINE_CHECKS)
        ok = ok and valid
        if "name" not in keys and not self.meant(root, "name"):
            self.add(root, "missing key 'name': give the routine a name")
        has_blocks = "blocks" in keys
        if has_blocks and "exercises" in keys:
            a, b = keys["exercises"][0], keys["blocks"][0]
            self.add(
                b if at(b) >= at(a) else a,
                "give either 'exercises' or 'blocks', not both: with blocks, each block "
                "lists its own exercises",
            )
            ok = False
        elif (
            "exercises" not in keys
            and not has_blocks
            and not self.meant(root, "exercises")
            and not self.meant(root, "blocks")
        ):
            if self.format >= 2:
                self.add(root, "missing key 'exercises' (or 'blocks'): list its exercises")
            else:
                self.add(root, "missing key 'exercises': list its exercises")
        if has_blocks:
            for key in ("rounds", "round_rest"):
                if key in keys:
                    self.add(
                        keys[key][0],
                        f"'{key}' cannot be used with 'blocks': give it to the block that repeats",
                    )
                    ok = False
        routine_id = values.get("id", default_id(shown))
        if not routine_id and "id" not in keys:
            self.add(root, "the file name gives no id; add 'id:' (lowercase letters, digits, '-')")
        rest = _get(values, "rest", float, 15.0)
        exercises: list[Exercise] = []
        blocks: list[Block] = []
        if has_blocks and self.needs_format_2(keys["blocks"][0], "'blocks'"):
            laid_out = self.blocks(keys["blocks"], rest)
            ok = ok and laid_out is not None
            if laid_out is not None:
                blocks, exercises = laid_out
        elif "exercises" in keys:
            listed = self.exercises(keys["exercises"], rest)
            ok = ok and listed is not None
            exercises = listed or []
        if not ok or self.problems:
            return None
        routine = Routine(
            id=str(routine_id),
            name=str(values["name"]),
            exercises=tuple(exercises),
            description=str(values.get("description", "")),
            tags=_get(values, "tags", tuple, ()),
            prepare=_get(values, "prepare", float, 10.0),
            rest=rest,
            rounds=_get(values, "rounds", int, 1),
            round_rest=_get(values, "round_rest", float, rest),
            format=self.format,
            blocks=tuple(blocks),
            source=self.source,
            sha256=digest,
        )
        too_long = too_many_steps(routine)
        if too_long is not None:
            where = next(key for key in ("rounds", "blocks", "exercises") if key in keys)
            self.add(keys[where][0], too_long)
            return None
        return routine

    def format_version(self, name: str, pair: Pair) -> int | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if _is_whole_number(value):
            number = self.scalar(name, value)
            if number is None:
                return None
            if number in FORMAT_VERSIONS:
                assert isinstance(number, int)
                return number
            self.add(value, f"unsupported format {value.value}; this app reads {_READS}")
            return None
        self.add(
            value,
            f"'format' must be the number 1 or 2 (this app reads {_READS}), "
            f"got {yaml_nodes.describe(value)}{hints.quoted_number_hint(value)}",
        )
        return None

    def routine_id(self, name: str, pair: Pair) -> str | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is ScalarNode and value.tag == STR and is_routine_id(value.value):
            identifier: str = value.value
            return identifier
        self.add(
            value,
            "'id' may use only lowercase letters, digits and '-', "
            f"got {yaml_nodes.describe(value)}",
        )
        return None

    def blocks(self, pair: Pair, rest: float) -> tuple[list[Block], list[Exercise]] | None:
        """Format 2's ``blocks``: the blocks, and every exercise of them in order."""
        if self.is_null("blocks", pair, required=True):
            return None
        value = pair[1]
        if type(value) is not SequenceNode:
            self.add(
                value,
                "'blocks' must be a list of blocks, each with its 'exercises', "
                f"got {yaml_nodes.describe(value)}",
            )
            return None
        if not value.value:
            self.add(value, "'blocks' needs at least one block")
            return None
        blocks: list[Block] = []
        exercises: list[Exercise] = []
        failed = False
        for item in value.value:
            if type(item) is not MappingNode:
                self.add(
                    item,
                    "each block must be a mapping with its 'exercises' (and a 'name', "
                    f"'rounds' ...), got {yaml_nodes.describe(item)}",
                )
                failed = True
                continue
            block = self.block(item, rest, len(exercises))
            if block is None:
                failed = True
                continue
            blocks.append(block[0])
            exercises.extend(block[1])
        return None if failed else (blocks, exercises)

    def block(
        self, mapping: MappingNode, routine_rest: float, first: int
    ) -> tuple[Block, list[Exercise]] | None:
        keys = self.entries(mapping, _BLOCK_KEYS, "in a block")
        values, ok = self.checked(keys, _BLOCK_CHECKS)
        if "exercises" not in keys:
            if not self.meant(mapping, "exercises"):
                self.add(mapping, "missing key 'exercises' in a block: list the block's exercises")
            return None
        rest = _get(values, "rest", float, routine_rest)
        listed = self.exercises(keys["exercises"], rest)
        if not ok or listed is None:
            return None
        block = Block(
            first=first,
            count=len(listed),
            name=_get(values, "name", str, None),
            rounds=_get(values, "rounds", int, 1),
            round_rest=_get(values, "round_rest", float, rest),
            rest_after=_get(values, "rest_after", float, routine_rest),
        )
        return block, listed

    def exercises(self, pair: Pair, rest: float) -> list[Exercise] | None:
        if self.is_null("exercises", pair, required=True):
            return None
        value = pair[1]
        if type(value) is not SequenceNode:
            self.add(
                value,
                f"'exercises' must be a list of exercises, got {yaml_nodes.describe(value)}",
            )
            return None
        if not value.value:
            self.add(value, "'exercises' needs at least one exercise")
            return None
        exercises: list[Exercise] = []
        for item in value.value:
            if type(item) is not MappingNode:
                self.add(
                    item,
                    "each exercise must be a mapping with 'name' and 'time' or 'reps', "
                    f"got {yaml_nodes.describe(item)}",
                )
                continue
            exercise = self.exercise(item, rest)
            if exercise is not None:
                exercises.append(exercise)
        return exercises if len(exercises) == len(value.value) else None

    # -- one exercise ----------------------------------------------------

    def exercise(self, mapping: MappingNode, default_rest: float) -> Exercise | None:
        keys = self.entries(mapping, _EXERCISE_KEYS, "in an exercise")
        exercise = self.exercise_of(mapping, keys, default_rest)
        if "easier" not in keys and "harder" not in keys:
            return exercise
        variations = [
            (variant, keys[key])
            for key, variant in _VARIANTS
            if key in keys and type(keys[key][1]) is MappingNode
        ]
        if not variations:
            return exercise
        found: dict[Variant, Exercise] = {}
        for variant, pair in variations:
            if not self.needs_format_2(pair[0], f"'{variant.value}' as a mapping (a variation)"):
                continue
            variation = self.variation(variant, pair, keys, exercise, default_rest)
            if variation is not None:
                found[variant] = variation
        if exercise is None or len(found) < len(variations):
            return None
        return dataclasses.replace(
            exercise,
            easier=found[Variant.EASIER].name if Variant.EASIER in found else exercise.easier,
            harder=found[Variant.HARDER].name if Variant.HARDER in found else exercise.harder,
            easier_variation=found.get(Variant.EASIER),
            harder_variation=found.get(Variant.HARDER),
        )

    def variation(
        self,
        variant: Variant,
        pair: Pair,
        keys: dict[str, Pair],
        exercise: Exercise | None,
        default_rest: float,
    ) -> Exercise | None:
        """A format-2 variation: the exercise with the mapping's keys replaced."""
        mapping = pair[1]
        assert type(mapping) is MappingNode
        own = self.entries(mapping, _VARIATION_KEYS, f"in the {variant.value} variation")
        if "name" not in own:
            self.add(
                mapping, f"missing key 'name' in the {variant.value} variation: give it a name"
            )
        if exercise is None or "name" not in own:
            # Without its exercise (which has problems) or a name, only the
            # variation's own values, and keys of its own that clash, can be checked.
            self.checked(own, _EXERCISE_CHECKS)
            self.combinations(mapping, own, conflicts_only=True)
            if "say" in own:
                self.says(own["say"], None)
            return None
        merged = {
            key: value
            for key, value in keys.items()
            if key not in (Variant.EASIER.value, Variant.HARDER.value)
        }
        # The variation says what kind of work it is: timed, or reps (held or paced).
        for key in own.keys() & _REPLACES.keys():
            for replaced in _REPLACES[key]:
                merged.pop(replaced, None)
        merged |= own
        named = own.get("name")
        what = f"the {variant.value} variation"
        if named is not None and type(named[1]) is ScalarNode and named[1].tag == STR:
            what += f" {named[1].value!r}"
        outer = self._variation
        self._variation = (mapping, what)
        try:
            return self.exercise_of(
                mapping, merged, default_rest, sets=exercise.sets, variant=variant
            )
        finally:
            self._variation = outer

    def exercise_of(
        self,
        mapping: MappingNode,
        keys: dict[str, Pair],
        default_rest: float,
        *,
        sets: int | None = None,
        variant: Variant | None = None,
    ) -> Exercise | None:
        """The exercise the checked keys describe; ``sets`` is fixed for a variation."""
        lists = self.lists
        values, ok = self.checked(keys, _EXERCISE_CHECKS)
        if "name" not in keys:
            if not self.meant(mapping, "name"):
                self.add(mapping, "missing key 'name': give the exercise a name")
            ok = False
        # Two exercises run together: their keys are no use together.
        together = id(mapping) in self.run_together
        ok = not together and self.combinations(mapping, keys) and ok
        per_set = self.per_set(keys, values, sets) if self.lists > lists else ()
        ok = ok and per_set is not None
        say = keys.get("say")
        if not ok or per_set is None:
            if say is not None:
                # The timing too, when the keys that decide the work period are sound.
                periods = _periods_if_known(keys, values, per_set)
                shortest = None if not periods else min(periods)
                self.says(say, shortest, several=len(periods or ()) > 1)
            return None
        if per_set:
            work = per_set[0]
            time, reps, hold, rep_time = work.time, work.reps, work.hold, work.rep_time
        else:
            time = _get(values, "time", float, None)
            reps = _get(values, "reps", int, None)
            hold = _get(values, "hold", float, None)
            rep_time = _get(values, "rep_time", float, None)
        release = _get(values, "release", float, 2.0)
        sides = _get(values, "sides", Sides, None)
        says: tuple[Say, ...] = ()
        if say is not None:
            works = per_set or (SetWork(time, reps, hold, rep_time),)
            periods = {
                work_period(
                    one.time,
                    one.reps,
                    hold=one.hold,
                    release=release,
                    rep_time=one.rep_time,
                    sides=sides,
                )
                for one in works
            }
            checked_says = self.says(say, min(periods), several=len(periods) > 1)
            if checked_says is None:
                return None
            says = checked_says
        return Exercise(
            name=str(values["name"]),
            sets=sets or len(per_set) or _get(values, "sets", int, 1),
            rest=_get(values, "rest", float, default_rest),
            rest_after=_get(values, "rest_after", float, default_rest),
            time=time,
            reps=reps,
            hold=hold,
            release=release,
            rep_time=rep_time,
            sides=sides,
            switch=_get(values, "switch", float, 5.0),
            cues=_get(values, "cues", tuple, ()),
            easier=None if variant else _get(values, "easier", str, None),
            harder=None if variant else _get(values, "harder", str, None),
            image=_get(values, "image", Path, None),
            line=mapping.start_mark.line + 1,
            per_set=per_set if len(set(per_set)) > 1 else (),
            figure=_get(values, "figure", str, None),
            variant=variant,
            say=says,
        )

    def per_set(
        self, keys: dict[str, Pair], values: dict[str, object], sets: int | None
    ) -> tuple[SetWork, ...] | None:
        """Format 2's per-set lists as one :class:`SetWork` a set; () when none is a list.

        None (reported) when the lists disagree in length with each other or
        with ``sets`` (given, or fixed by the exercise a variation belongs to).
        """
        lists = {key: value for key, value in values.items() if type(value) is _PerSet}
        if not lists:
            return ()
        first, *others = lists
        length = len(lists[first])
        for key in others:
            count = len(lists[key])
            if count != length:
                self.add(
                    keys[key][1],
                    f"'{key}' has {_values(count)} but '{first}' has {length}: "
                    "give each list one value per set",
                )
                return None
        if sets is not None and sets != length:
            self.add(
                keys[first][1],
                f"'{first}' has {_values(length)} but the exercise has {_count(sets, 'set')} "
                "(a variation keeps the exercise's sets)",
            )
            return None
        given = _get(values, "sets", int, None)
        if sets is None and given is not None and given != length:
            self.add(
                keys[first][1],
                f"'{first}' has {_values(length)}, one per set, but 'sets' is {given}",
            )
            return None

        def nth(key: str, index: int) -> object:
            value = values.get(key)
            return value[index] if type(value) is _PerSet else value

        return tuple(
            SetWork(
                time=_as(nth("time", index), float),
                reps=_as(nth("reps", index), int),
                hold=_as(nth("hold", index), float),
                rep_time=_as(nth("rep_time", index), float),
            )
            for index in range(length)
        )

    def per_set_value(self, name: str, pair: Pair) -> object | None:
        """A work value, or (format 2) a non-empty list of them, one per set."""
        single = _SINGLE_CHECKS[name]
        value = pair[1]
        if type(value) is not SequenceNode:
            return single(self, name, pair)
        if not self.needs_format_2(pair[0], f"a list of per-set values for '{name}'"):
            return None
        if not value.value:
            self.add(value, f"'{name}' needs at least one value (one per set)")
            return None
        if len(value.value) > MAX_COUNTS["sets"]:
            self.add(
                value,
                f"'{name}' has {len(value.value):,} values, one per set; at most "
                f"{MAX_COUNTS['sets']:,} sets are allowed",
            )
            return None
        empty = [item for item in value.value if _is_null(item)]
        for item in empty:
            self.add(item, f"an empty value in the list of '{name}': give one value per set")
        if empty:
            return None
        items = [single(self, name, (pair[0], item)) for item in value.value]
        if any(item is None for item in items):
            return None
        self.lists += 1
        return _PerSet(items)

    def figure(self, name: str, pair: Pair) -> str | None:
        if not self.needs_format_2(pair[0], "'figure'"):
            return None
        written = self.text(name, pair)
        if written is None:
            return None
        if written in FIGURE_NAMES:
            return written
        close = difflib.get_close_matches(written[:100], FIGURE_NAMES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "'routine-timer figures' lists them"
        self.add(pair[1], f"unknown figure {written[:40]!r} ({hint})")
        return None

    def hint_or_variation(self, name: str, pair: Pair) -> str | None:
        """``easier``/``harder`` as a hint; a mapping (a variation) is checked on its own."""
        value = pair[1]
        if type(value) is MappingNode:
            return ""  # not a hint: the caller checks the variation
        if self.format >= 2 and type(value) is SequenceNode:
            self.add(
                value,
                f"'{name}' must be text (a hint) or a mapping (a variation with its own "
                f"'name'), got {yaml_nodes.describe(value)}",
            )
            return None
        return self.text(name, pair)

    def sides(self, name: str, pair: Pair) -> Sides | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        allowed = "'both' or 'alternate'" if self.format < 2 else _SIDES_2
        if type(value) is ScalarNode and value.tag == STR:
            text: str = value.value
            if text in (Sides.BOTH.value, Sides.ALTERNATE.value):
                return Sides(text)
            if text in (Sides.LEFT.value, Sides.RIGHT.value):
                if not self.needs_format_2(pair[0], f"'sides: {text}'"):
                    return None
                return Sides(text)
            values = [s.value for s in Sides if self.format >= 2 or s.only is None]
            close = difflib.get_close_matches(text.lower(), values, n=1)
            if close:
                self.add(value, f"'sides' must be {allowed}, got {text!r}: "
                         f"did you mean '{close[0]}'?")  # fmt: skip
                return None
        self.add(value, f"'sides' must be {allowed}, got {yaml_nodes.describe(value)}")
        return None

    def combinations(
        self, mapping: MappingNode, keys: dict[str, Pair], *, conflicts_only: bool = False
    ) -> bool:
        """Report keys that exclude or need each other; True when there is no such problem.

        A key given as null was reported already and counts as present, so
        that it is not also reported as missing. ``release`` without ``hold``
        and ``switch`` without ``sides: both`` are accepted and have no effect,
        so that settings shared through ``<<`` merges fit every exercise.
        With ``conflicts_only`` (a variation whose exercise has problems, so
        what it keeps is unknown), only keys that exclude each other are reported.
        """
        before = len(self.problems)
        near_miss = False
        given = {key: pair for key, pair in keys.items() if not _is_null(pair[1])}

        def later(first: str, second: str) -> Node:
            a, b = given[first][0], given[second][0]
            return b if at(b) >= at(a) else a

        if "time" in given and "reps" in given:
            self.add(
                later("time", "reps"),
                "give either 'time' or 'reps', not both: an exercise is either timed "
                "('time') or counted ('reps')",
            )
        elif "time" not in keys and "reps" not in keys and not conflicts_only:
            if self.meant(mapping, "time") or self.meant(mapping, "reps"):
                near_miss = True  # 'Time:' was reported with its suggestion: that is enough
            else:
                self.add(mapping, "an exercise needs 'time' (timed work) or 'reps' (repetitions)")
        if "hold" in given and "rep_time" in given:
            self.add(
                later("hold", "rep_time"),
                "'hold' and 'rep_time' exclude each other: reps are either held ('hold') "
                "or paced ('rep_time')",
            )
        for key in ("hold", "rep_time"):
            if key in given and "reps" not in keys and not conflicts_only:
                self.add(given[key][0], f"'{key}' needs 'reps'")
        if "figure" in given and "image" in given:
            self.add(
                later("figure", "image"),
                "give either 'figure' (one of the app's drawings) or 'image' (a picture "
                "file), not both",
            )
        sides_node = given["sides"][1] if "sides" in given else None
        sides = sides_node.value if type(sides_node) is ScalarNode else None
        if (
            sides_node is not None
            and sides == Sides.ALTERNATE.value
            and "reps" not in keys
            and not conflicts_only
        ):
            self.add(
                sides_node,
                "'sides: alternate' needs 'reps' (reps go left, right, left, right ...); "
                "use 'sides: both' for timed work",
            )
        return len(self.problems) == before and not near_miss

    def says(
        self, pair: Pair, work: float | None, *, several: bool = False
    ) -> tuple[Say, ...] | None:
        """Check 'say' entries; ``work`` is the work period (None: unknown, skip timing).

        With per-set work (``several``), ``work`` is the shortest period: an entry
        must fit every period it is said in.
        """
        if self.is_null("say", pair):
            return None
        value = pair[1]
        if type(value) is not SequenceNode:
            self.add(
                value,
                "'say' must be a list of {at: duration, text: ...} entries, "
                f"got {yaml_nodes.describe(value)}{hints.say_list_hint(value)}",
            )
            return None
        if work is not None and work <= 0 and value.value:
            self.add(
                pair[0],
                "'say' needs a timed work period to count from, but this exercise is untimed "
                "(reps without 'hold' or 'rep_time' wait until you mark the set done)",
            )
            work = None
        says: list[Say] = []
        failed = False
        for item in value.value:
            wrong_shape = hints.say_entry_problem(item)
            if wrong_shape is not None:
                self.add(item, wrong_shape)
                failed = True
                continue
            assert type(item) is MappingNode
            keys = self.entries(item, _SAY_KEYS, "in a 'say' entry")
            before = len(self.problems)
            offset = self.duration("at", keys["at"]) if "at" in keys else None
            left = None
            if "left" in keys and self.needs_format_2(keys["left"][0], "'left' in a 'say' entry"):
                left = self.duration("left", keys["left"], positive=True)
            text = self.text("text", keys["text"], required=True) if "text" in keys else None
            if "at" in keys and "left" in keys:
                a, b = keys["at"][0], keys["left"][0]
                self.add(
                    b if at(b) >= at(a) else a,
                    "give either 'at' (from the start) or 'left' (time left before the end) "
                    "in a 'say' entry, not both",
                )
            elif "at" not in keys and "left" not in keys:
                if self.meant(item, "at") or self.meant(item, "left"):
                    pass  # reported as the near miss it is
                elif self.format >= 2:
                    self.add(
                        item,
                        "a 'say' entry needs 'at' (time from the start) or 'left' (time "
                        "left before the end)",
                    )
                else:
                    self.add(item, "missing key 'at' in a 'say' entry")
            if "text" not in keys and not self.meant(item, "text"):
                self.add(item, "missing key 'text' in a 'say' entry")
            period = "the shortest work period" if several else "the work period"
            for key, seconds in (("at", offset), ("left", left)):
                if seconds is not None and work is not None and work > 0 and seconds >= work:
                    self.add(
                        keys[key][1],
                        f"'{key}' ({describe(seconds)}) must be shorter than {period} "
                        f"({describe(work)})",
                    )
            if len(self.problems) > before or (offset is None and left is None) or text is None:
                failed = True
                continue
            says.append(Say(at=offset, text=text, left=left))
        if failed or work is None:
            return None
        return tuple(says)

    def image(self, name: str, pair: Pair) -> Path | None:
        written = self.text(name, pair)
        if written is None:
            return None
        found = self._pictures.get(written)
        if found is None:
            found = self._pictures[written] = find_picture(written, self.folder)
        if isinstance(found, str):
            self.add(pair[1], found + hints.picture_hint(written, self.folder()))
            return None
        return found


def _is_whole_number(node: Node) -> TypeGuard[ScalarNode]:
    """A plain integer; YAML 1.1's sexagesimal ``1:30`` is an int tag too, but not one."""
    return type(node) is ScalarNode and node.tag == INT and ":" not in node.value


ValueChecker = _Checker
"""The checks of keys and values that other files of the app share (plan files):
unknown keys with "did you mean", duplicate keys, merges, null, text, each problem
kept at its line and column."""

# Durations repeat a lot across files ("30s", "1:00"): remember what each
# (tag, text) means, or the message explaining why it is not a duration.
_DURATIONS: Final[dict[tuple[str, str], float | str]] = {}


def _duration_of(value: ScalarNode) -> float | str:
    raw: object = value.value
    if value.tag != STR:
        # A YAML 1.1 number, including unquoted clock times (1:30 is 90).
        try:
            raw = scalar_value(value)
        except BadScalarError as exc:
            return str(exc)
    try:
        return parse_duration(raw)
    except DurationError as exc:
        return str(exc)


_T = TypeVar("_T")
_D = TypeVar("_D")
_Check = Callable[["_Checker", str, Pair], object]
_ROUTINE_CHECKS: Final[dict[str, _Check]] = {
    "format": _Checker.format_version,
    "name": _Checker.name,
    "id": _Checker.routine_id,
    "description": _Checker.optional_text,
    "tags": _Checker.text_list,
    "prepare": _Checker.duration,
    "rest": _Checker.duration,
    "rounds": _Checker.whole_number,
    "round_rest": _Checker.duration,
    # 'exercises' is checked on its own: its items need the routine's rest.
}
_SINGLE_CHECKS: Final[dict[str, _Check]] = {
    "time": _Checker.positive_duration,
    "reps": _Checker.whole_number,
    "hold": _Checker.positive_duration,
    "rep_time": _Checker.positive_duration,
}
_BLOCK_CHECKS: Final[dict[str, _Check]] = {
    "name": _Checker.name,
    "rounds": _Checker.whole_number,
    "round_rest": _Checker.duration,
    "rest": _Checker.duration,
    "rest_after": _Checker.duration,
    # 'exercises' is checked on its own: its items need the block's rest.
}
_EXERCISE_CHECKS: Final[dict[str, _Check]] = {
    "name": _Checker.name,
    # A list of values, one per set (format 2), is read by per_set_value from there.
    "time": _Checker.positive_duration,
    "reps": _Checker.whole_number,
    "hold": _Checker.positive_duration,
    "release": _Checker.duration,
    "rep_time": _Checker.positive_duration,
    "sets": _Checker.whole_number,
    "sides": _Checker.sides,
    "switch": _Checker.duration,
    "rest": _Checker.duration,
    "rest_after": _Checker.duration,
    "cues": _Checker.text_list,
    "easier": _Checker.hint_or_variation,
    "harder": _Checker.hint_or_variation,
    "image": _Checker.image,
    "figure": _Checker.figure,
    # 'say' is checked once the work period is known.
}


class _PerSet(list[object]):
    """A format-2 list of checked per-set values (a list of one value is one too)."""


def _as(value: object, kind: type[_T]) -> _T | None:
    if value is None:
        return None
    assert isinstance(value, kind)
    return value


_VARIANTS: Final = (("easier", Variant.EASIER), ("harder", Variant.HARDER))
_BLANK: Final = (" ", "\t")


def _periods_if_known(
    keys: dict[str, Pair], values: dict[str, object], per_set: tuple[SetWork, ...] | None
) -> set[float] | None:
    """An exercise's work periods, from checked values, when everything deciding them is valid.

    For an exercise with problems elsewhere, so that a 'say' that does not fit is
    reported too; None when the period cannot be known.
    """
    deciding = ("time", "reps", "hold", "release", "rep_time", "sides")
    if per_set is None or any(key in keys and key not in values for key in deciding):
        return None
    if ("time" in values) == ("reps" in values) or {"hold", "rep_time"} <= values.keys():
        return None
    sides = _get(values, "sets", int, 1) if not per_set else len(per_set)
    first = per_set[0] if per_set else None
    sample = Exercise(
        name="",
        sets=sides,
        rest=0.0,
        rest_after=0.0,
        time=first.time if first else _get(values, "time", float, None),
        reps=first.reps if first else _get(values, "reps", int, None),
        hold=first.hold if first else _get(values, "hold", float, None),
        release=_get(values, "release", float, 2.0),
        rep_time=first.rep_time if first else _get(values, "rep_time", float, None),
        sides=_get(values, "sides", Sides, None),
        per_set=per_set,
    )
    if sample.sides is Sides.ALTERNATE and sample.reps is None:
        return None
    return {one.work_seconds if one.is_timed else 0.0 for one in sample.sets_work}


def _values(count: int) -> str:
    return f"{count} value" if count == 1 else f"{count} values"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _inside(node: Node, mapping: MappingNode) -> bool:
    return mapping.start_mark.index <= node.start_mark.index < mapping.end_mark.index


_FORMAT_2_KEYS: Final = frozenset({"blocks", "figure", "left"})
"""Keys only a format-2 file may use (a format-1 file gets no suggestion of them)."""
_ROUND_KEYS: Final = ("rounds", "round_rest")
_READS: Final = "formats " + " and ".join(str(version) for version in FORMAT_VERSIONS)
_SIDES_2: Final = "'both', 'alternate', 'left' or 'right'"


def _get(values: dict[str, object], key: str, kind: type[_T], default: _D) -> _T | _D:
    """A checked value of the type its check returns, or ``default``."""
    value = values.get(key)
    if value is None:
        return default
    assert isinstance(value, kind)
    return value


def _is_null(node: Node) -> bool:
    return type(node) is ScalarNode and node.tag == NULL


def _duplicate(name: str, first: Node) -> str:
    return f"duplicate key '{name}' (first given on line {at(first)[0]}; YAML allows a key once)"


_ELSEWHERE: Final = {
    "in an exercise": (_TOP_KEYS, "is a top-level key, not an exercise key"),
    "in the easier variation": (
        _EXERCISE_KEYS,
        "is not part of a variation: a variation keeps the exercise's sets, rest and rest_after",
    ),
    "in the harder variation": (
        _EXERCISE_KEYS,
        "is not part of a variation: a variation keeps the exercise's sets, rest and rest_after",
    ),
    "at the top level": (_EXERCISE_KEYS, "belongs in an exercise, under 'exercises:'"),
}


def _unknown_key(name: str, known: tuple[str, ...], where: str, guess: str | None) -> str:
    """The message for an unknown key; ``guess`` is :func:`hints.key_suggestion`'s."""
    shown = name if len(name) <= 40 else name[:37] + "..."
    message = f"unknown key {shown!r} {where}"
    elsewhere = _ELSEWHERE.get(where)
    if elsewhere is not None and name in elsewhere[0]:
        return f"{message} ('{name}' {elsewhere[1]})"
    if guess is not None:
        return f"{message} (did you mean '{guess}'?)"
    return f"{message} (known keys: {', '.join(known)})"


__all__ = [
    "KNOWN_KEYS",
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_STEPS",
    "RoutineError",
    "RoutineFileError",
    "default_id",
    "load_routine",
    "parse_routine",
]
