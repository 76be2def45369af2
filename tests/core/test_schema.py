"""The JSON Schema that editors use: valid, strict, and in step with the app.

The schema is checked three ways: against the draft-07 meta-schema (the
newest draft the YAML language server reads), by the independent
``check-jsonschema`` tool on every bundled routine, and against a
table of documents that the format rejects. Its duration pattern is compared
with the app's own parser, in both Python and ECMAScript (editor) regex dialects.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regress
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from routine_timer.core.durations import DurationError, parse_duration
from routine_timer.core.figures import FIGURES
from routine_timer.core.loader import RoutineFileError, load_routine
from routine_timer.paths import bundled_routines_dir, schema_path


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator(schema)


def duration_pattern() -> str:
    data = json.loads(schema_path().read_text(encoding="utf-8"))
    pattern: str = data["definitions"]["durationText"]["pattern"]
    return pattern


def test_schema_ships_beside_the_bundled_routines() -> None:
    assert schema_path() == bundled_routines_dir() / "routine.schema.json"
    assert schema_path().is_file()


def test_schema_is_valid_draft_7(schema: dict[str, Any]) -> None:
    # Draft 7: the YAML language server (VS Code and others) reads no later draft.
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def _check_jsonschema_command() -> list[str]:
    if importlib.util.find_spec("check_jsonschema") is not None:
        return [sys.executable, "-m", "check_jsonschema"]
    script = Path(sys.executable).with_name("check-jsonschema")
    if not script.exists():
        pytest.fail("check-jsonschema is not installed (it is in the test extra)")
    return [str(script)]


def _run_check_jsonschema(files: list[Path], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # Keep the tool's cache (if it wants one) out of the real home.
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.run(
        [*_check_jsonschema_command(), "--schemafile", str(schema_path()), *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_every_bundled_routine_passes_check_jsonschema(tmp_path: Path) -> None:
    files = sorted(bundled_routines_dir().glob("*.yaml"))
    assert files
    result = _run_check_jsonschema(files, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_check_jsonschema_rejects_a_broken_routine(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Broken\nexercises:\n  - name: Plank\n    hodl: 30s\n")
    result = _run_check_jsonschema([broken], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hodl" in result.stdout + result.stderr


def test_every_bundled_routine_validates(validator: Draft7Validator) -> None:
    for path in sorted(bundled_routines_dir().glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], path.name


BASE = "name: Test\nexercises:\n  - name: Plank\n    time: 30s\n"


def exercise(body: str) -> str:
    """A routine whose single exercise is ``body`` (YAML lines, 4-space indented)."""
    return "name: Test\nexercises:\n  - name: Move\n" + body


def v2_exercise(body: str) -> str:
    """As :func:`exercise`, in a file that says ``format: 2``."""
    return "format: 2\n" + exercise(body)


VALID = {
    "minimal": BASE,
    "every top-level key": (
        "format: 1\nname: Full\nid: full-1\ndescription: All of it\ntags: [core, mat]\n"
        "prepare: 0\nrest: '1:30'\nrounds: 3\nround_rest: 1m\n"
        "exercises:\n  - name: Plank\n    time: 30\n"
    ),
    "timed holds both sides": exercise(
        "    time: 30s\n    sets: 3\n    sides: both\n    switch: 3s\n    rest: 20s\n"
        "    rest_after: 0\n"
    ),
    "bird dogs": exercise("    reps: 10\n    hold: 10s\n    release: 1.5\n    sides: alternate\n"),
    "paced reps": exercise("    reps: 10\n    rep_time: '2 s'\n    sets: 3\n"),
    "untimed reps": exercise("    reps: 12\n    sets: 3\n    sides: both\n"),
    "untimed alternate": exercise("    reps: 8\n    sides: alternate\n"),
    "cues say hints image": exercise(
        "    time: 1m\n    cues: [Long spine, Breathe]\n"
        "    say:\n      - {at: 30s, text: Halfway}\n      - {at: 0, text: Go}\n"
        "    easier: Knees down\n    harder: One leg\n    image: pics/Plank.PNG\n"
    ),
    "anchors and merges": (
        "name: Merged\nexercises:\n"
        "  - &plank {name: Plank, time: 30s, cues: [Tall]}\n"
        "  - <<: *plank\n    name: Plank again\n"
    ),
    "clock duration": exercise("    time: '1:02:03'\n"),
    "unquoted 1:30 is YAML's 90": exercise("    time: 1:30\n"),
    "just under a day": exercise("    time: 86399.5\n"),
    "format 2 with version-1 content": BASE + "format: 2\n",
    "blocks": (
        "format: 2\nname: Sections\nblocks:\n"
        "  - name: Warm-up\n    rest: 5s\n    rest_after: 30s\n"
        "    exercises:\n      - {name: March, time: 1m}\n"
        "  - rounds: 2\n    round_rest: 20s\n"
        "    exercises:\n      - {name: Plank, time: 30s}\n"
    ),
    "per-set lists": v2_exercise("    reps: [6, 4, 2]\n    hold: 8s\n    sides: alternate\n"),
    "per-set lists with sets": v2_exercise("    time: [30s, 40s, '0:50']\n    sets: 3\n"),
    "a list of one": v2_exercise("    reps: [10]\n    rep_time: [2s]\n"),
    "one side only": v2_exercise("    time: 30s\n    sides: left\n")
    + "  - name: Other\n    reps: 5\n    sides: right\n",
    "say counted from the end": v2_exercise(
        "    time: 30s\n    say:\n      - {left: 10s, text: Ten seconds to go}\n"
        "      - {at: 5s, text: Breathe}\n"
    ),
    "variations as mappings": v2_exercise(
        "    time: 30s\n    easier:\n      name: Knee plank\n      time: 20s\n"
        "    harder:\n      name: Plank with a leg lift\n      reps: 6\n      hold: 5s\n"
        "      sides: alternate\n"
    ),
    "variation as text in format 2": v2_exercise("    time: 30s\n    easier: Knee plank\n"),
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_valid_documents_pass(validator: Draft7Validator, text: str) -> None:
    errors = [error.message for error in validator.iter_errors(yaml.safe_load(text))]
    assert errors == []


INVALID = {
    "unknown top-level key": BASE + "hodl: 3\n",
    "unknown exercise key": exercise("    time: 30s\n    hodl: 5s\n"),
    "missing name": "exercises:\n  - name: Plank\n    time: 30s\n",
    "missing exercises": "name: Empty\n",
    "no exercises": "name: Empty\nexercises: []\n",
    "name is a number": BASE.replace("name: Test", "name: 123"),
    "empty name": BASE.replace("name: Test", "name: ''"),
    "name too long": BASE.replace("name: Test", "name: " + "x" * 81),
    "exercise name too long": exercise("    time: 30s\n").replace("Move", "y" * 81),
    "format 3": BASE + "format: 3\n",
    "format 0": BASE + "format: 0\n",
    "format as a string": BASE + "format: '1'\n",
    "id with capitals": BASE + "id: Core-7\n",
    "id with underscore": BASE + "id: core_7\n",
    "null optional key": BASE + "description: null\n",
    "tags not a list": BASE + "tags: core\n",
    "tag not a string": BASE + "tags: [1]\n",
    "negative prepare": BASE + "prepare: -1\n",
    "negative prepare text": BASE + "prepare: '-5s'\n",
    "null prepare": BASE + "prepare:\n",
    "boolean rest": BASE + "rest: true\n",
    "a whole day": BASE + "rest: 86400\n",
    "24h": BASE + "rest: 24h\n",
    "1440 minutes": BASE + "rest: 1440m\n",
    "24:00:00": BASE + "rest: '24:00:00'\n",
    "seconds above 59": BASE + "rest: '1:60'\n",
    "one-digit seconds": BASE + "rest: '1:5'\n",
    "capital unit": BASE + "rest: 30S\n",
    "units out of order": BASE + "rest: 1m1h\n",
    "repeated unit": BASE + "rest: 1m2m\n",
    "unit spelled out": BASE + "rest: 5 sec\n",
    "bare decimal point": BASE + "rest: '.5'\n",
    "zero rounds": BASE + "rounds: 0\n",
    "rounds over the limit": BASE + "rounds: 1001\n",
    "duration text over 64 characters": BASE + "rest: '" + "0" * 62 + "30s'\n",
    "fractional rounds": BASE + "rounds: 1.5\n",
    "rounds as text": BASE + "rounds: '2'\n",
    "time and reps": exercise("    time: 30s\n    reps: 10\n"),
    "neither time nor reps": exercise("    sets: 2\n"),
    "zero time": exercise("    time: 0\n"),
    "zero time text": exercise("    time: 0s\n"),
    "zero clock time": exercise("    time: '0:00'\n"),
    "zero decimal time": exercise("    time: 0.0m\n"),
    "zero reps": exercise("    reps: 0\n"),
    "fractional reps": exercise("    reps: 2.5\n"),
    "zero sets": exercise("    time: 30s\n    sets: 0\n"),
    "sets over the limit": exercise("    time: 30s\n    sets: 1001\n"),
    "reps over the limit": exercise("    reps: 1001\n"),
    "hold without reps": exercise("    time: 30s\n    hold: 5s\n"),
    "rep_time without reps": exercise("    time: 30s\n    rep_time: 2s\n"),
    "hold and rep_time": exercise("    reps: 5\n    hold: 5s\n    rep_time: 2s\n"),
    "zero hold": exercise("    reps: 5\n    hold: 0\n"),
    "zero rep_time": exercise("    reps: 5\n    rep_time: '0 s'\n"),
    "negative release": exercise("    reps: 5\n    hold: 5s\n    release: -1\n"),
    "unknown side": exercise("    time: 30s\n    sides: top\n"),
    "alternate timed work": exercise("    time: 30s\n    sides: alternate\n"),
    "cues not a list": exercise("    time: 30s\n    cues: Breathe\n"),
    "say without text": exercise("    time: 30s\n    say:\n      - at: 10s\n"),
    "say with extra key": exercise(
        "    time: 30s\n    say:\n      - {at: 1s, text: Go, when: now}\n"
    ),
    "say at negative": exercise("    time: 30s\n    say:\n      - {at: -1, text: Go}\n"),
    "say on an untimed set": exercise("    reps: 10\n    say:\n      - {at: 0, text: Go}\n"),
    "absolute image": exercise("    time: 30s\n    image: /pictures/plank.png\n"),
    "image of another type": exercise("    time: 30s\n    image: plank.bmp\n"),
    "image in the home folder": exercise("    time: 30s\n    image: ~/plank.png\n"),
    "image on a drive": exercise("    time: 30s\n    image: 'C:/plank.png'\n"),
    "image up a folder": exercise("    time: 30s\n    image: ../plank.png\n"),
    "image through a parent": exercise("    time: 30s\n    image: pics/../pics/Plank.PNG\n"),
    "easier not text": exercise("    time: 30s\n    easier: [Knees]\n"),
    "not a mapping": "- name: Plank\n",
    # Version-2 keys in a version-1 file.
    "blocks in format 1": "name: Test\nblocks:\n  - exercises:\n      - {name: Plank, time: 30s}\n",
    "per-set list in format 1": exercise("    reps: [6, 4, 2]\n"),
    "per-set time list in format 1": exercise("    time: [30s, 40s]\n"),
    "per-set hold list in format 1": exercise("    reps: 3\n    hold: [5s, 5s, 5s]\n"),
    "one side in format 1": exercise("    time: 30s\n    sides: right\n"),
    "say left in format 1": exercise("    time: 30s\n    say:\n      - {left: 10s, text: Go}\n"),
    "variation mapping in format 1": exercise(
        "    time: 30s\n    easier:\n      name: Knee plank\n      time: 20s\n"
    ),
    "figure in format 1": exercise("    time: 30s\n    figure: plank\n"),
    # Invalid version-2 files.
    "exercises and blocks": (
        "format: 2\nname: Test\nexercises:\n  - {name: Plank, time: 30s}\n"
        "blocks:\n  - exercises:\n      - {name: Plank, time: 30s}\n"
    ),
    "neither exercises nor blocks": "format: 2\nname: Test\n",
    "no blocks": "format: 2\nname: Test\nblocks: []\n",
    "blocks with top-level rounds": (
        "format: 2\nname: Test\nrounds: 2\nblocks:\n  - exercises:\n      - {name: P, time: 30s}\n"
    ),
    "blocks with top-level round_rest": (
        "format: 2\nname: Test\nround_rest: 1m\n"
        "blocks:\n  - exercises:\n      - {name: P, time: 30s}\n"
    ),
    "block without exercises": "format: 2\nname: Test\nblocks:\n  - name: Warm-up\n",
    "block with no exercises": "format: 2\nname: Test\nblocks:\n  - exercises: []\n",
    "unknown block key": (
        "format: 2\nname: Test\nblocks:\n  - roundz: 2\n"
        "    exercises:\n      - {name: P, time: 3}\n"
    ),
    "block name too long": (
        "format: 2\nname: Test\nblocks:\n  - name: " + "b" * 81 + "\n"
        "    exercises:\n      - {name: P, time: 3}\n"
    ),
    "zero block rounds": (
        "format: 2\nname: Test\nblocks:\n  - rounds: 0\n"
        "    exercises:\n      - {name: P, time: 3}\n"
    ),
    "negative block rest_after": (
        "format: 2\nname: Test\nblocks:\n  - rest_after: -1\n"
        "    exercises:\n      - {name: P, time: 3}\n"
    ),
    "an exercise in a block with time and reps": (
        "format: 2\nname: Test\nblocks:\n  - exercises:\n      - {name: P, time: 3, reps: 2}\n"
    ),
    "time and reps in format 2": v2_exercise("    time: 30s\n    reps: 10\n"),
    "empty per-set list": v2_exercise("    reps: []\n"),
    "zero in a per-set list": v2_exercise("    reps: [6, 0, 2]\n"),
    "zero time in a per-set list": v2_exercise("    time: [30s, 0s]\n"),
    "bad duration in a per-set list": v2_exercise("    time: [30s, 30S]\n"),
    "hold list without reps": v2_exercise("    time: 30s\n    hold: [5s, 5s]\n"),
    "hold and rep_time lists": v2_exercise(
        "    reps: [2, 2]\n    hold: [5s, 5s]\n    rep_time: 2s\n"
    ),
    "nested per-set list": v2_exercise("    reps: [[6, 4]]\n"),
    "alternate timed work in format 2": v2_exercise("    time: [30s]\n    sides: alternate\n"),
    "unknown side in format 2": v2_exercise("    time: 30s\n    sides: top\n"),
    "say with at and left": v2_exercise(
        "    time: 30s\n    say:\n      - {at: 5s, left: 10s, text: Go}\n"
    ),
    "say with neither at nor left": v2_exercise("    time: 30s\n    say:\n      - {text: Go}\n"),
    "say left zero": v2_exercise("    time: 30s\n    say:\n      - {left: 0, text: Go}\n"),
    "variation without a name": v2_exercise("    time: 30s\n    easier:\n      time: 20s\n"),
    "variation with sets": v2_exercise(
        "    time: 30s\n    easier:\n      name: Knee plank\n      sets: 2\n"
    ),
    "variation with a figure": v2_exercise(
        "    time: 30s\n    easier:\n      name: Knee plank\n      figure: plank\n"
    ),
    "variation with a variation": v2_exercise(
        "    time: 30s\n    easier:\n      name: Knee plank\n      easier: Lie down\n"
    ),
    "variation with time and reps": v2_exercise(
        "    time: 30s\n    harder:\n      name: Hard\n      time: 40s\n      reps: 5\n"
    ),
    "variation with time and hold": v2_exercise(
        "    reps: 5\n    hold: 5s\n    harder:\n      name: Hard\n"
        "      time: 40s\n      hold: 8s\n"
    ),
    "variation with hold and rep_time": v2_exercise(
        "    reps: 5\n    harder:\n      name: Hard\n      hold: 8s\n      rep_time: 2s\n"
    ),
    "variation alternating timed work": v2_exercise(
        "    reps: 5\n    harder:\n      name: Hard\n      time: 40s\n      sides: alternate\n"
    ),
    "variation as a list": v2_exercise("    time: 30s\n    easier: [Knee plank]\n"),
    "figure and image": v2_exercise(
        "    time: 30s\n    figure: front-plank\n    image: pics/Plank.PNG\n"
    ),
    "figure not text": v2_exercise("    time: 30s\n    figure: 3\n"),
}


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_invalid_documents_are_rejected(validator: Draft7Validator, text: str) -> None:
    assert not validator.is_valid(yaml.safe_load(text))


def _loader_problems(text: str, folder: Path) -> list[str]:
    (folder / "pics").mkdir()
    (folder / "pics" / "Plank.PNG").write_bytes(b"")
    path = folder / "routine.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_routine(path)
    except RoutineFileError as error:
        return [str(problem) for problem in error.errors]
    return []


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_the_app_accepts_what_the_schema_accepts(text: str, tmp_path: Path) -> None:
    assert _loader_problems(text, tmp_path) == []


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_the_app_rejects_what_the_schema_rejects(text: str, tmp_path: Path) -> None:
    assert _loader_problems(text, tmp_path) != []


# (text, seconds or None for an error) - what the app's parser says.
DURATION_STRINGS = [
    ("30", 30.0),
    ("2.5", 2.5),
    ("0", 0.0),
    ("45s", 45.0),
    ("90 s", 90.0),
    ("2m", 120.0),
    ("1.5m", 90.0),
    ("1m30s", 90.0),
    ("1m 30s", 90.0),
    ("1 h 2 m 3 s", 3723.0),
    ("1h", 3600.0),
    ("1h30s", 3630.0),
    ("23.5h", 84600.0),
    ("1:30", 90.0),
    ("0:45", 45.0),
    ("01:02:03", 3723.0),
    ("1:02:03", 3723.0),
    ("23:59:59", 86399.0),
    ("1439:59", 86399.0),
    ("86399.99", 86399.99),
    ("0023h", 82800.0),
    (" 30s ", 30.0),
    ("", None),
    ("   ", None),
    ("s", None),
    ("h", None),
    ("-5", None),
    ("-5s", None),
    ("+5", None),
    (".5", None),
    ("5.", None),
    ("1,5m", None),
    ("30S", None),
    ("1M", None),
    ("30 sec", None),
    ("1m1h", None),
    ("1s1m", None),
    ("1m2m", None),
    ("1h30", None),
    ("1:5", None),
    ("1:60", None),
    ("1:02:60", None),
    ("1:2:03", None),
    ("1:30.5", None),
    (":30", None),
    ("1::30", None),
    ("24h", None),
    ("1440m", None),
    ("86400s", None),
    ("86400", None),
    ("24:00:00", None),
    ("1440:00", None),
    ("1e3", None),
    ("nan", None),
    ("inf", None),
    ("0x10", None),
]


def _parse(text: str) -> float | None:
    try:
        return parse_duration(text)
    except DurationError:
        return None


@pytest.mark.parametrize(("text", "seconds"), DURATION_STRINGS)
def test_duration_table_matches_the_parser(text: str, seconds: float | None) -> None:
    # The table itself is checked against the parser, so it cannot drift.
    assert _parse(text) == seconds
    expected = seconds is not None
    pattern = duration_pattern()
    assert bool(re.search(pattern, text)) is expected
    assert (regress.Regex(pattern).find(text) is not None) is expected


def _units_used(text: str) -> int:
    return sum(text.count(unit) for unit in "hms")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789hms:. \t", max_size=12))
def test_duration_pattern_agrees_with_the_parser(text: str) -> None:
    pattern = duration_pattern()
    python_match = re.search(pattern, text) is not None
    ecma_match = regress.Regex(pattern).find(text) is not None
    assert python_match == ecma_match
    parsed = _parse(text)
    if parsed is not None:
        assert python_match
    elif python_match:
        # The one thing a regex cannot do: add several units up (23h 60m is a day).
        assert _units_used(text) >= 2
        with pytest.raises(DurationError, match="24 hours"):
            parse_duration(text)


@pytest.mark.parametrize(("text", "seconds"), [row for row in DURATION_STRINGS if row[1]])
def test_positive_durations_accept_any_non_zero_value(
    validator: Draft7Validator, text: str, seconds: float
) -> None:
    assert validator.is_valid(yaml.safe_load(exercise(f"    time: {json.dumps(text)}\n")))


# Keywords whose "properties" only constrain (if/then ...), not declare, keys.
_NOT_DECLARING = {"examples", "if", "then", "else", "not", "allOf", "anyOf", "oneOf"}


def _annotated(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            if key not in _NOT_DECLARING:
                yield from _annotated(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _annotated(value, f"{where}/{index}")


def test_every_property_has_hover_docs(schema: dict[str, Any]) -> None:
    properties = list(_annotated(schema))
    assert len(properties) > 25
    for where, sub in properties:
        for key in ("title", "description", "markdownDescription", "examples"):
            assert sub.get(key), f"{where} lacks {key}"


def test_examples_in_the_schema_are_themselves_valid(
    schema: dict[str, Any], validator: Draft7Validator
) -> None:
    def with_examples(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if "examples" in node:
                yield node
            for key, value in node.items():
                if key != "examples":
                    yield from with_examples(value)
        elif isinstance(node, list):
            for value in node:
                yield from with_examples(value)

    checked = 0
    for sub in with_examples(schema):
        sub_validator = validator.evolve(schema=sub)
        for example in sub["examples"]:
            assert sub_validator.is_valid(example), example
            checked += 1
    assert checked > 50


def test_the_format_reference_documents_every_key(schema: dict[str, Any]) -> None:
    reference = Path(__file__).parents[2] / "docs" / "routine-format.md"
    text = reference.read_text(encoding="utf-8")
    keys = {name for where, _ in _annotated(schema) for name in [where.rsplit("/", 1)[1]]}
    missing = sorted(key for key in keys if f"| `{key}` |" not in text)
    assert missing == []


def _schema_messages(validator: Draft7Validator, text: str) -> tuple[set[str], set[str]]:
    """The ``errorMessage`` texts of every failing (sub)schema, and the keywords that failed."""
    messages: set[str] = set()
    keywords: set[str] = set()
    pending = list(validator.iter_errors(yaml.safe_load(text)))
    while pending:
        error = pending.pop()
        keywords.add(str(error.validator))
        if isinstance(error.schema, dict) and "errorMessage" in error.schema:
            messages.add(error.schema["errorMessage"])
        pending.extend(error.context)
    return messages, keywords


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("time and reps", "either 'time' or 'reps', not both"),
        ("hold and rep_time", "either 'hold' or 'rep_time', not both"),
        ("exercises and blocks", "either 'exercises' or 'blocks', not both"),
        ("say with at and left", "either 'at' or 'left'"),
        ("figure and image", "either 'figure' or 'image', not both"),
        ("blocks with top-level rounds", "go on a block"),
        ("capital unit", "not a duration"),
        ("zero time", "more than zero"),
        ("blocks in format 1", "'blocks' needs 'format: 2'"),
        ("per-set list in format 1", "needs 'format: 2'"),
        ("one side in format 1", "needs 'format: 2'"),
        ("say left in format 1", "needs 'format: 2'"),
        ("variation mapping in format 1", "needs 'format: 2'"),
        ("figure in format 1", "'figure' needs 'format: 2'"),
        ("format 3", "formats 1 and 2"),
    ],
)
def test_errors_carry_a_readable_message(validator: Draft7Validator, name: str, words: str) -> None:
    # errorMessage is what the YAML language server shows instead of its generic text.
    messages, _ = _schema_messages(validator, INVALID[name])
    assert any(words in message for message in messages), messages


@pytest.mark.parametrize(
    "name", ["time and reps", "exercises and blocks", "say with at and left", "figure and image"]
)
def test_giving_both_of_two_keys_is_not_a_double_match(
    validator: Draft7Validator, name: str
) -> None:
    # A oneOf of two "required" would say "matches more than one schema": not helpful.
    _, keywords = _schema_messages(validator, INVALID[name])
    assert "oneOf" not in keywords


def test_each_value_of_sides_is_described(schema: dict[str, Any]) -> None:
    sides = schema["definitions"]["exercise"]["properties"]["sides"]
    values = {choice["const"]: choice for choice in sides["oneOf"]}
    assert set(values) == {"both", "alternate", "left", "right"}
    for choice in values.values():
        assert choice["description"] and choice["markdownDescription"]


def test_every_duration_has_a_readable_message(schema: dict[str, Any]) -> None:
    for name in ("duration", "positiveDuration", "durationText", "positiveDurationPerSet"):
        assert "under 24 hours" in schema["definitions"][name]["errorMessage"], name


def test_the_schema_offers_every_figure_with_its_description(schema: dict[str, Any]) -> None:
    for owner in ("exercise", "variation"):
        figure = schema["definitions"][owner]["properties"]["figure"]
        offered = {branch["const"]: branch["description"] for branch in figure["oneOf"]}
        assert offered == {name: one.description for name, one in FIGURES.items()}, owner
