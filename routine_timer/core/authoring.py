"""Creating routine files for the user: a new one, a copy of a bundled one, an import.

Everything here writes into the user's routines folder only, never into the
bundled routines, and writes files atomically (:func:`atomic_write_text`), so
a crash or a full disk never leaves a half-written routine behind.

At the top of the routines folder it keeps ``routine.schema.json``, the JSON
Schema of the format (:mod:`routine_timer.core.schema_file`), because the
template and the bundled routines start with a
``# yaml-language-server: $schema=...`` line: editors with the YAML language
server then offer completion and checks. The line is set for where each new
file is written, so a routine in a sub-folder names ``../routine.schema.json``.

Files the user points at are read with :func:`read_user_file`, which never
waits on a named pipe or a device; names made here (new files, copies,
temporary files) always fit the file system's limit on a name's length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from routine_timer.core import yaml_nodes
from routine_timer.core.files import FileTooLargeError, NotAFileError, read_user_file
from routine_timer.core.library import ROUTINE_SUFFIXES, load_entry, routine_files
from routine_timer.core.loader import (
    MAX_NAME_CHARS,
    RoutineError,
    RoutineFileError,
    load_routine,
    parse_routine,
)
from routine_timer.core.model import Routine
from routine_timer.core.rules import MAX_FILE_BYTES, find_picture, is_routine_id
from routine_timer.core.safe_write import NAME_MAX, WriteHook, atomic_write_bytes, fit_name
from routine_timer.core.schema_file import (
    SCHEMA_FILE_NAME,
    ensure_schema,
    schema_modeline,
    with_schema_modeline,
)
from routine_timer.paths import assets_dir, bundled_routines_dir, os_reason

COPY_SUFFIX: Final = " (my copy)"
DEFAULT_NAME: Final = "My routine"


class AuthoringError(Exception):
    """A routine file could not be created; the message is meant for people."""


class ImportRefusedError(AuthoringError):
    """The file cannot be imported (unreadable, or its id belongs to a bundled routine)."""

    def __init__(self, check: ImportCheck) -> None:
        self.check = check
        super().__init__(check.message)


class ImportClashError(AuthoringError):
    """Importing would replace existing files; ask the user, then pass ``replace=True``."""

    def __init__(self, check: ImportCheck) -> None:
        self.check = check
        super().__init__(check.message)


def template_path() -> Path:
    """The commented template new routines start from."""
    return assets_dir() / "templates" / "new-routine.yaml"


# --------------------------------------------------------------------------
# Reading and writing files safely


def atomic_write_text(path: Path, text: str, *, before_replace: WriteHook | None = None) -> None:
    """Write ``text`` to ``path`` (UTF-8, line endings exactly as given) atomically.

    The text goes to a temporary file in the same folder, which is flushed to
    disk and then renamed over ``path``. If anything fails (including an
    exception raised by ``before_replace``), the old file is left exactly as
    it was, the temporary file is removed and the exception propagates.
    An existing file keeps its permissions.
    """
    atomic_write_bytes(path, text.encode("utf-8"), before_replace=before_replace)


# --------------------------------------------------------------------------
# Ids and file names


def _id_room(routine_id: str) -> str:
    """``routine_id`` short enough that ``<id>-copy-NNN.yaml`` and its temporary name fit."""
    # Ids are ASCII, so a character is a byte: room for "-copy-999.yaml" and ".{}.xxxxxxxx.tmp".
    return routine_id[: NAME_MAX - 40].rstrip("-") or "routine"


def slugify(name: str) -> str:
    """A routine id made from a display name: ``"Hip openers!"`` -> ``"hip-openers"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "routine"


def taken_ids(user_dir: Path, bundled_dir: Path | None = None) -> set[str]:
    """Ids used by bundled routines and the user's files (a broken file reserves its stem)."""
    bundled = bundled_routines_dir() if bundled_dir is None else bundled_dir
    ids: set[str] = set()
    for folder in (bundled, user_dir):
        for path in routine_files(folder):
            entry = load_entry(path)
            ids.add(entry.id)
            ids.add(path.stem)
    return ids


def _fresh_id(base: str, user_dir: Path, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ...: unused as an id and as a file name."""
    used = set(taken)
    existing = {path.name.lower() for path in user_dir.iterdir()} if user_dir.is_dir() else set()
    candidate, number = base, 1
    while candidate in used or any(
        f"{candidate}{suffix}" in existing for suffix in ROUTINE_SUFFIXES
    ):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# --------------------------------------------------------------------------
# Editing top-level values in the text, keeping everything else


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}\n") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and text == text.strip():
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [match.end() for match in yaml_nodes._BREAK.finditer(text)]
    return starts


def _offset(starts: list[int], node: Node, end: bool = False) -> int:
    mark = node.end_mark if end else node.start_mark
    return int(starts[mark.line] + mark.column)


def _top_level(text: str) -> tuple[bool, dict[str, tuple[Node, Node]]]:
    """Whether the top level is a flow mapping (``{...}``), and its keys and values."""
    root = yaml_nodes.compose(text)
    if type(root) is not MappingNode:
        raise AuthoringError("the routine file's top level is not a mapping")
    pairs: dict[str, tuple[Node, Node]] = {}
    for key, value in root.value:
        if type(key) is ScalarNode:
            pairs.setdefault(str(key.value), (key, value))
    return bool(root.flow_style), pairs


def set_top_level_value(text: str, key: str, value: str, *, before: str = "name") -> str:
    """``text`` with the top-level ``key`` set to the text ``value``, all else unchanged.

    An existing value is replaced where it stands (comments after it stay); a
    missing key is added on its own line just above the ``before`` key.
    """
    flow, pairs = _top_level(text)
    starts = _line_starts(text)
    scalar = _yaml_scalar(value)
    if key in pairs:
        node = pairs[key][1]
        start, end = _offset(starts, node), _offset(starts, node, end=True)
        # A block scalar (">-") ends at the start of the next line: keep the break.
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        if start == end:  # an empty value: "key:" followed by nothing
            return f"{text[:start]} {scalar}{text[start:]}"
        return f"{text[:start]}{scalar}{text[end:]}"
    if before not in pairs:
        raise AuthoringError(f"the routine file has no top-level '{before}'")
    anchor = pairs[before][0]
    at = _offset(starts, anchor)
    if flow:  # {name: x, ...}
        return f"{text[:at]}{key}: {scalar}, {text[at:]}"
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = " " * anchor.start_mark.column
    return f"{text[:at]}{key}: {scalar}{newline}{indent}{text[at:]}"


def _text_of(path: Path) -> str:
    data = read_user_file(path)
    return data.decode("utf-8").removeprefix("\ufeff")


def _cannot_read(path: Path, error: OSError | UnicodeDecodeError) -> AuthoringError:
    reason = os_reason(error) if isinstance(error, OSError) else "it is not UTF-8 text"
    return AuthoringError(f"cannot read {path}: {reason}")


def _write_new(path: Path, text: str) -> Path:
    """Validate ``text`` as the file ``path``, then write it; AuthoringError if invalid."""
    try:
        parse_routine(text, path)
    except RoutineFileError as error:
        raise AuthoringError(f"the new routine would not be valid:\n{error}") from None
    atomic_write_text(path, text)
    return path


# --------------------------------------------------------------------------
# New routine, duplicate


def new_routine_file(
    user_dir: Path,
    name: str = DEFAULT_NAME,
    *,
    bundled_dir: Path | None = None,
    folder: Path | None = None,
) -> Path:
    """Create a routine file from the template, named ``name``, with a fresh id.

    The file is ``<id>.yaml`` in ``folder`` (``user_dir`` itself unless given:
    a sub-folder of it), created if needed, where the id is made from the name
    and is used by no other routine or file. The schema is written at the top
    of ``user_dir``, and the file's first line points at it from ``folder``.
    Returns the new file's path.
    """
    target_dir = _inside(user_dir, folder)
    name = name.strip() or DEFAULT_NAME
    name = name[:MAX_NAME_CHARS]
    target_dir.mkdir(parents=True, exist_ok=True)
    routine_id = _fresh_id(slugify(name), target_dir, taken_ids(user_dir, bundled_dir))
    text = template_path().read_text(encoding="utf-8")
    text = with_schema_modeline(text, schema_modeline(target_dir, user_dir))
    text = set_top_level_value(text, "name", name)
    text = set_top_level_value(text, "id", routine_id)
    ensure_schema(user_dir)
    return _write_new(target_dir / f"{routine_id}.yaml", text)


def _inside(user_dir: Path, folder: Path | None) -> Path:
    """``folder`` (default ``user_dir``), which must be ``user_dir`` or below it."""
    if folder is None:
        return user_dir
    if not folder.resolve().is_relative_to(user_dir.resolve()):
        raise AuthoringError(f"{folder} is not inside your routines folder {user_dir}")
    return folder


def duplicate_routine(
    source: Path,
    user_dir: Path,
    *,
    bundled_dir: Path | None = None,
    folder: Path | None = None,
) -> Path:
    """Copy the routine file ``source`` into ``folder`` (default ``user_dir``) under a fresh id.

    The text is copied as written, comments and layout included; only the
    ``id:`` (set, or added above ``name:``), the name (``"... (my copy)"``)
    and a first line naming our schema (set for where the copy is) change.
    ``source`` itself is only read. Raises :class:`AuthoringError` if the
    source cannot be read or is not a valid routine.
    """
    try:
        routine = load_routine(source)
        text = _text_of(source)
    except RoutineFileError as error:
        raise AuthoringError(f"cannot copy an invalid routine:\n{error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _cannot_read(source, error) from None
    target_dir = _inside(user_dir, folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    base = f"{_id_room(routine.id)}-copy"
    routine_id = _fresh_id(base, target_dir, taken_ids(user_dir, bundled_dir))
    name = routine.name[: MAX_NAME_CHARS - len(COPY_SUFFIX)] + COPY_SUFFIX
    text = with_schema_modeline(text, schema_modeline(target_dir, user_dir))
    text = set_top_level_value(text, "name", name)
    text = set_top_level_value(text, "id", routine_id)
    for picture, copy in _pictures(routine, source, target_dir):
        if not copy.exists():  # pictures are shared between copies, never overwritten
            _copy_picture(picture, copy)
    ensure_schema(user_dir)
    return _write_new(target_dir / f"{routine_id}{source.suffix.lower()}", text)


# --------------------------------------------------------------------------
# Import


@dataclass(frozen=True, slots=True)
class ImportCheck:
    """What importing ``source`` into the user's folder would do."""

    source: Path
    target: Path
    """Where the file would be copied: the user folder, same file name."""
    routine: Routine | None
    errors: tuple[RoutineError, ...] = ()
    """Problems in the file (``path:line:col: error: ...``).

    Such a file is imported all the same, to be fixed in the editor: the
    library lists it with these errors and it cannot be started until then."""
    refusal: str | None = None
    """Why the file cannot be imported at all, beyond its own errors."""
    replaces: tuple[Path, ...] = ()
    """User files that importing would replace: the target, or another file with the same id."""
    pictures: tuple[tuple[Path, Path], ...] = ()
    """(source, target) of each picture the routine shows, copied along with it."""

    @property
    def valid(self) -> bool:
        """A routine without problems (it can be started once imported)."""
        return self.routine is not None and not self.errors

    @property
    def importable(self) -> bool:
        """Whether the file can be imported (valid or not; see :attr:`errors`)."""
        return self.refusal is None

    @property
    def clashes(self) -> bool:
        return bool(self.replaces)

    @property
    def message(self) -> str:
        """A paragraph for people: why it is refused, what would be replaced, what it holds."""
        if self.refusal is not None:
            return f"{self.source.name} was not imported: {self.refusal}"
        if self.replaces:
            listed = ", ".join(path.name for path in self.replaces)
            return f"Importing {self.source.name} would replace {listed} in your routines."
        if self.errors:
            count = len(self.errors)
            problems = "a problem" if count == 1 else f"{count} problems"
            return (
                f"{self.source.name} has {problems}; it can be imported as "
                f"{self.target.name} to fix them in the editor, and started once fixed."
            )
        return f"{self.source.name} can be imported as {self.target.name}."


def check_import(source: Path, user_dir: Path, *, bundled_dir: Path | None = None) -> ImportCheck:
    """Check ``source`` and find what importing it into ``user_dir`` would clash with.

    An invalid routine can be imported (to be fixed in the editor) under the
    same rules as a valid one: its id is its ``id:`` when that can be read,
    else its file name, and its pictures are those its ``image:`` keys name.
    Only a file that cannot be read as a routine's text at all is refused.
    """
    target = user_dir / source.name
    if source.suffix.lower() not in ROUTINE_SUFFIXES:
        return ImportCheck(source, target, None, refusal="only .yaml and .yml files hold routines")
    errors: tuple[RoutineError, ...] = ()
    try:
        routine: Routine | None = load_routine(source)
    except RoutineFileError as error:
        routine, errors = None, error.errors
    text, unreadable = _import_text(source)
    if unreadable is not None:
        return ImportCheck(source, target, routine, errors, refusal=unreadable)
    if _same_file(source, target):
        return ImportCheck(
            source, target, routine, errors, refusal="it is already in your routines"
        )
    routine_id = routine.id if routine is not None else _declared_id(text, source.stem)
    bundled = bundled_routines_dir() if bundled_dir is None else bundled_dir
    for path in routine_files(bundled):
        if load_entry(path).id == routine_id:
            return ImportCheck(
                source,
                target,
                routine,
                errors,
                refusal=f"its id '{routine_id}' belongs to the bundled routine {path.name}; "
                "give it a different 'id:' first",
            )
    replaces: list[Path] = []
    if target.exists():
        replaces.append(target)
    for path in routine_files(user_dir):
        if not _same_file(path, target) and load_entry(path).id == routine_id:
            replaces.append(path)
    if routine is not None:
        pictures = _pictures(routine, source, user_dir)
    else:
        pictures = _pictures_named(text, source, user_dir)
    for picture, copy in pictures:
        try:
            content = read_user_file(picture)
        except OSError as error:
            return ImportCheck(
                source,
                target,
                routine,
                errors,
                refusal=f"its picture {picture.name} cannot be read ({os_reason(error)})",
            )
        if copy.is_file() and _differs(copy, content):
            replaces.append(copy)
    return ImportCheck(
        source, target, routine, errors, replaces=tuple(replaces), pictures=tuple(pictures)
    )


def _import_text(source: Path) -> tuple[str, str | None]:
    """The text of ``source``, or why it cannot be imported even to be fixed."""
    try:
        data = read_user_file(source, max_bytes=MAX_FILE_BYTES)
    except FileTooLargeError:
        return "", "it is larger than a routine file may be (1 MiB)"
    except OSError as error:
        return "", f"it cannot be read ({os_reason(error)})"
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError:
        return "", "it is not UTF-8 text"


def _declared_id(text: str, stem: str) -> str:
    """The ``id:`` an invalid routine gives, when it can be read; else its file name's stem."""
    try:
        _flow, pairs = _top_level(text)
    except (AuthoringError, yaml_nodes.UnreadableYamlError):
        return stem
    value = pairs.get("id", (None, None))[1]
    if type(value) is ScalarNode and is_routine_id(str(value.value)):
        return str(value.value)
    return stem


def _pictures_named(text: str, source: Path, user_dir: Path) -> list[tuple[Path, Path]]:
    """(picture, copy) for every ``image:`` in the text of an invalid routine that names one.

    The routine's own check cannot be relied on here, so the nodes are
    searched: any mapping's ``image`` whose value is a picture inside the
    routine's folder, as the loader would accept it.
    """
    try:
        root = yaml_nodes.compose(text)
    except yaml_nodes.UnreadableYamlError:
        return []
    folder = source.parent.resolve()
    found: dict[Path, Path] = {}
    pending: list[Node] = [] if root is None else [root]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue  # an alias: the same node again
        seen.add(id(node))
        if type(node) is MappingNode:
            for key, value in node.value:
                if type(key) is ScalarNode and key.value == "image" and type(value) is ScalarNode:
                    picture = find_picture(str(value.value), lambda: folder)
                    if isinstance(picture, Path):
                        found[picture] = user_dir / picture.relative_to(folder)
                pending.append(value)
        elif type(node) is SequenceNode:
            pending.extend(node.value)
    return list(found.items())


def _differs(path: Path, content: bytes) -> bool:
    try:
        return read_user_file(path) != content
    except OSError:  # cannot be read: replacing it is the only way to have the picture
        return True


def _copy_picture(picture: Path, copy: Path) -> None:
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        data = read_user_file(picture)
        atomic_write_bytes(copy, data)
    except OSError as error:
        reason = os_reason(error)
        raise AuthoringError(f"cannot copy the picture {picture.name}: {reason}") from None


def _pictures(routine: Routine, source: Path, user_dir: Path) -> list[tuple[Path, Path]]:
    folder = source.parent.resolve()
    found: dict[Path, Path] = {}
    for exercise in routine.exercises:
        if exercise.image is not None:
            found[exercise.image] = user_dir / exercise.image.relative_to(folder)
    return list(found.items())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def import_routine(
    source: Path, user_dir: Path, *, replace: bool = False, bundled_dir: Path | None = None
) -> Path:
    """Copy the routine file ``source`` (and its pictures) into ``user_dir``.

    An invalid routine is copied too, to be fixed in the editor (see
    :func:`check_import`). Raises :class:`ImportRefusedError` for a file that
    cannot be imported (nothing is copied) and :class:`ImportClashError` when
    it would replace files, unless ``replace`` is true: then the target is
    overwritten and another user file with the same id is removed, so the id
    stays unique. Returns the new path.
    """
    check = check_import(source, user_dir, bundled_dir=bundled_dir)
    if not check.importable:
        raise ImportRefusedError(check)
    if check.clashes and not replace:
        raise ImportClashError(check)
    try:
        text = read_user_file(source).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:  # changed since it was checked
        raise _cannot_read(source, error) from None
    user_dir.mkdir(parents=True, exist_ok=True)
    for picture, target in check.pictures:
        _copy_picture(picture, target)
    atomic_write_text(check.target, text)
    for path in check.replaces:
        if path.suffix.lower() in ROUTINE_SUFFIXES and not _same_file(path, check.target):
            path.unlink(missing_ok=True)
    ensure_schema(user_dir)
    return check.target


__all__ = [
    "COPY_SUFFIX",
    "SCHEMA_FILE_NAME",
    "AuthoringError",
    "ImportCheck",
    "ImportClashError",
    "ImportRefusedError",
    "NotAFileError",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_import",
    "duplicate_routine",
    "ensure_schema",
    "fit_name",
    "import_routine",
    "new_routine_file",
    "read_user_file",
    "set_top_level_value",
    "slugify",
    "taken_ids",
    "template_path",
]
