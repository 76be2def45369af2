"""The format's JSON Schema in the user's routines folder, and the line that names it.

Routine files start with ``# yaml-language-server: $schema=PATH``: editors
with the YAML language server then offer completion and checks. PATH is
relative to the routine file, so a routine in a sub-folder of the routines
folder names ``../routine.schema.json``; :func:`schema_modeline` works it out
when the file is written. The schema itself is kept once, at the top of the
routines folder, by :func:`ensure_schema`, which the app also calls at every
start (it writes only when the file is missing or differs).

This module loads neither PyYAML nor the loader, so the start-up can use it.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Final

from routine_timer.core.files import read_user_file
from routine_timer.core.safe_write import atomic_write_bytes
from routine_timer.paths import os_reason, plan_schema_path, schema_path

SCHEMA_FILE_NAME: Final = "routine.schema.json"
"""The schema's file name in the user's routines folder (what the modeline names)."""
PLAN_SCHEMA_FILE_NAME: Final = "plan.schema.json"
"""The plan format's schema, beside it."""
MODELINE_PREFIX: Final = "# yaml-language-server: $schema="

_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S*)\s*")

_log = logging.getLogger(__name__)


def ensure_schema(user_dir: Path, *, plan: bool = False) -> Path | None:
    """Write the format's JSON Schema at the top of ``user_dir``, if missing or outdated.

    With ``plan``, the plan format's (``plan.schema.json``), which plan files
    in the routines folder name in their modeline.

    The schema only helps other editors, so failing to write it (a folder of
    that name, a pipe, a read-only disk) never fails what the user asked for:
    it is logged and None returned.
    """
    target = user_dir / (PLAN_SCHEMA_FILE_NAME if plan else SCHEMA_FILE_NAME)
    try:
        shipped = (plan_schema_path() if plan else schema_path()).read_bytes()
        try:
            current: bytes | None = read_user_file(target)
        except FileNotFoundError:
            current = None
        if current != shipped:
            user_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, shipped)
    except OSError as error:
        _log.warning("%s not written: %s", target, os_reason(error))
        return None
    return target


def schema_reference(folder: Path, user_dir: Path) -> str:
    """The schema at the top of ``user_dir`` as seen from a routine file in ``folder``.

    ``routine.schema.json`` at the top, ``../routine.schema.json`` one folder
    down, and so on; always with ``/``, which editors read on every platform.
    """
    relative = os.path.relpath(user_dir / SCHEMA_FILE_NAME, folder)
    return Path(relative).as_posix()


def schema_modeline(folder: Path, user_dir: Path) -> str:
    """The first line for a routine file written in ``folder`` (see :func:`schema_reference`)."""
    return MODELINE_PREFIX + schema_reference(folder, user_dir)


def with_schema_modeline(text: str, modeline: str) -> str:
    """``text`` with its first line set to ``modeline`` when that line names our schema.

    A first line naming another schema (or no modeline at all) is the author's
    choice and stays as it is.
    """
    first, newline, rest = text.partition("\n")
    match = _MODELINE.fullmatch(first.rstrip("\r"))
    if match is None or not match.group(1).endswith(SCHEMA_FILE_NAME):
        return text
    ending = "\r" if first.endswith("\r") else ""
    return f"{modeline}{ending}{newline}{rest}"


__all__ = [
    "MODELINE_PREFIX",
    "SCHEMA_FILE_NAME",
    "ensure_schema",
    "schema_modeline",
    "schema_reference",
    "with_schema_modeline",
]
