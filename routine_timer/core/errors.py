"""What is wrong with a routine file: each problem at its line and column.

Kept apart from the loader so that code which only reports or passes errors on
(the library, a cached scan) does not load YAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RoutineError:
    """One problem in a routine file, at a 1-based line and column."""

    path: str
    """The file as the caller named it."""
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


class RoutineFileError(Exception):
    """A routine file that cannot be used; ``errors`` lists every problem, in file order."""

    def __init__(self, errors: Iterable[RoutineError]) -> None:
        unique = dict.fromkeys(errors)
        self.errors: tuple[RoutineError, ...] = tuple(
            sorted(unique, key=lambda error: (error.line, error.col))
        )
        super().__init__("\n".join(str(error) for error in self.errors))
