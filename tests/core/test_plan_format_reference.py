"""Every YAML example in the plan format reference (docs/plan-format.md) is checked.

Markers as in the routine format reference: a block is a whole plan unless the
line before says ``<!-- fragment -->`` (well-formed YAML) or ``<!-- invalid -->``
(a plan the app must reject). Whole plans must pass the app's checks against
the bundled routines, and the JSON Schema; the messages the page shows are the
app's, word for word.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from routine_timer.core.errors import RoutineFileError
from routine_timer.core.library import scan_folder, scan_library
from routine_timer.core.plan_file import parse_plan
from routine_timer.paths import AppPaths, bundled_routines_dir, plan_schema_path
from tests.core.test_format_reference import Example, yaml_examples

REFERENCE = Path(__file__).parents[2] / "docs" / "plan-format.md"
TEXT = REFERENCE.read_text(encoding="utf-8")
EXAMPLES = yaml_examples(TEXT)


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    paths = AppPaths(tmp_path_factory.mktemp("data"))
    return {entry.id for entry in scan_library(paths) if entry.valid}


def _problems(text: str, known: set[str], name: str = "example.plan.yaml") -> list[str]:
    try:
        parse_plan(text, name, known)
    except RoutineFileError as error:
        return [str(problem) for problem in error.errors]
    return []


def _schema_errors(document: object) -> list[str]:
    schema = json.loads(plan_schema_path().read_text(encoding="utf-8"))
    # As check-jsonschema reads YAML: a date is its text.
    plain = json.loads(json.dumps(document, default=lambda value: value.isoformat()))
    return [error.message for error in Draft202012Validator(schema).iter_errors(plain)]


def test_the_reference_has_examples_of_every_kind() -> None:
    markers = [example.marker for example in EXAMPLES]
    assert markers.count(None) >= 2 and "fragment" in markers and markers.count("invalid") >= 2


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker is None], ids=lambda example: example.id
)
def test_whole_examples_are_valid_plans(example: Example, known: set[str]) -> None:
    assert _problems(example.text, known) == []
    assert _schema_errors(yaml.safe_load(example.text)) == []


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker == "invalid"], ids=lambda example: example.id
)
def test_invalid_examples_are_rejected(example: Example, known: set[str]) -> None:
    assert _problems(example.text, known) != []


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.marker == "fragment"], ids=lambda example: example.id
)
def test_fragments_are_well_formed_yaml(example: Example) -> None:
    yaml.safe_load(example.text)


def test_the_messages_shown_are_the_apps(known: set[str]) -> None:
    first_invalid = next(e for e in EXAMPLES if e.marker == "invalid" and "wekks" in e.text)
    shown = [line for line in TEXT.splitlines() if line.startswith("back.plan.yaml:")]
    assert shown == _problems(first_invalid.text, known, "back.plan.yaml")


def test_the_ladder_messages_shown_are_the_apps(known: set[str]) -> None:
    ladder = next(e for e in EXAMPLES if e.marker == "invalid" and "ladder:" in e.text)
    shown = [line for line in TEXT.splitlines() if line.startswith("core.plan.yaml:")]
    assert shown == _problems(ladder.text, known, "core.plan.yaml")


def test_the_bundled_plan_passes_the_schema() -> None:
    (path,) = scan_folder(bundled_routines_dir()).plans
    assert _schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_schema_refuses_what_the_app_refuses() -> None:
    good = {"name": "P", "weeks": 3, "routines": [{"routine": "x", "when": "mon"}]}
    assert _schema_errors(good) == []
    assert _schema_errors({**good, "start": date(2026, 3, 2)}) == []
    for bad in (
        {**good, "wekks": 3},
        {**good, "weeks": 0},
        {**good, "runs": ["thursday"]},
        {**good, "routines": [{"routine": "x", "when": "mon", "per_week": 2}]},
        {**good, "routines": [{"routine": "x"}]},
        {**good, "routines": [{"routine": "x", "when": ["someday"]}]},
        {**good, "routines": [{"routine": "x", "when": "mon", "ladder": ["x"]}]},
        {**good, "routines": [{"routine": "x", "when": "mon", "ladder": ["y", "y"]}]},
        {
            **good,
            "routines": [
                {
                    "routine": "x",
                    "when": "mon",
                    "ladder": ["y", {"routine": "x", "variations": "hard"}],
                }
            ],
        },
        {**good, "routines": [{"routine": "x", "when": "mon", "levels": ["y", "x"]}]},
    ):
        assert _schema_errors(bad) != [], bad


def test_the_reminder_message_shown_is_the_apps(known: set[str]) -> None:
    example = next(e for e in EXAMPLES if e.marker == "invalid" and "remind: 18:30" in e.text)
    shown = [line for line in TEXT.splitlines() if line.startswith("evenings.plan.yaml:")]
    assert shown == _problems(example.text, known, "evenings.plan.yaml")
