"""What is wrong with a routine file: each problem at its line and column.

Kept apart from the loader so that code which only reports or passes errors on
(the library, a cached scan) does not load YAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: an error makes the file unusable, a warning does not."""

    ERROR = "error"
    WARNING = "warning"
    """A likely mistake that still reads as valid YAML and a valid routine
    (``time: 1.30`` is 1.3 seconds); the routine can be started."""


@dataclass(frozen=True, slots=True)
class RoutineError:
    """One problem in a routine file, at a 1-based line and column."""

    path: str
    """The file as the caller named it."""
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"


def in_file_order(problems: Iterable[RoutineError]) -> tuple[RoutineError, ...]:
    """``problems`` without repeats, sorted by position."""
    return tuple(sorted(dict.fromkeys(problems), key=lambda error: (error.line, error.col)))


class RoutineFileError(Exception):
    """A routine file that cannot be used; ``errors`` lists every error, in file order.

    ``warnings`` are the file's warnings, also in file order: an author fixing
    the errors wants to see them too.
    """

    def __init__(
        self, errors: Iterable[RoutineError], warnings: Iterable[RoutineError] = ()
    ) -> None:
        self.errors: tuple[RoutineError, ...] = in_file_order(errors)
        self.warnings: tuple[RoutineError, ...] = in_file_order(warnings)
        super().__init__("\n".join(str(error) for error in self.errors))
