"""Every YAML example in the format reference (docs/routine-format.md) is checked.

A block is a whole routine unless the line before it says otherwise:

- ``<!-- fragment -->``: a piece of a routine (an exercise, a few keys); it
  must still be well-formed YAML;
- ``<!-- invalid -->``: a routine shown because it is wrong; the app must
  reject it.

Whole routines must pass both the app's loader and the JSON Schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from routine_timer.core.loader import RoutineFileError, parse_routine
from routine_timer.paths import schema_path

REFERENCE = Path(__file__).parents[2] / "docs" / "routine-format.md"
MARKERS = ("fragment", "invalid")

_FENCE = re.compile(r"^(?P<indent>[ ]*)```(?P<lang>\S*)[ ]*$")
_MARKER = re.compile(r"^[ ]*<!--[ ]*(?P<marker>[a-z-]+)[ ]*-->[ ]*$")


@dataclass(frozen=True)
class Example:
    line: int
    """1-based line of the opening fence."""
    marker: str | None
    text: str

    @property
    def id(self) -> str:
        return f"line {self.line}" + (f" ({self.marker})" if self.marker else "")


def yaml_examples(markdown: str) -> list[Example]:
    """The ```yaml blocks of ``markdown``, dedented, with the marker on the line before."""
    lines = markdown.splitlines()
    found: list[Example] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        start, indent = index, len(fence["indent"])
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index][indent:])
            index += 1
        index += 1
        if fence["lang"] != "yaml":
            continue
        previous = lines[start - 1] if start else ""
        marked = _MARKER.match(previous)
        marker = marked["marker"] if marked else None
        found.append(Example(start + 1, marker, "\n".join(body) + "\n"))
    return found


EXAMPLES = yaml_examples(REFERENCE.read_text(encoding="utf-8"))


def test_the_reference_has_examples_of_every_kind() -> None:
    markers = [example.marker for example in EXAMPLES]
    assert markers.count(None) >= 8
    assert "fragment" in markers and "invalid" in markers
    assert set(markers) <= {None, *MARKERS}, "an unknown marker (a typo?)"


def test_markers_are_found_only_before_a_block() -> None:
    text = "Some text.\n\n<!-- invalid -->\n```yaml\nname: x\n```\n\n```yaml\na: 1\n```\n"
    assert [(e.line, e.marker) for e in yaml_examples(text)] == [(4, "invalid"), (8, None)]


def _problems(text: str, tmp_path: Path) -> list[str]:
    try:
        parse_routine(text, tmp_path / "example.yaml")
    except RoutineFileError as error:
        return [str(problem) for problem in error.errors]
    return []


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker is None], ids=lambda example: example.id
)
def test_whole_examples_are_valid_routines(example: Example, tmp_path: Path) -> None:
    assert _problems(example.text, tmp_path) == []
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    errors = [
        error.message for error in Draft7Validator(schema).iter_errors(yaml.safe_load(example.text))
    ]
    assert errors == []


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker == "invalid"], ids=lambda example: example.id
)
def test_invalid_examples_are_rejected(example: Example, tmp_path: Path) -> None:
    assert _problems(example.text, tmp_path) != []


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker == "fragment"], ids=lambda example: example.id
)
def test_fragments_are_well_formed_yaml(example: Example) -> None:
    yaml.safe_load(example.text)
