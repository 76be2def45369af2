"""Mistakes routine authors make, and the exact lines the app answers with.

Each case is a small file as an author would write it (``core.yaml``, with a
picture ``Plank.PNG`` beside it) and every line the loader reports for it,
errors and warnings, in file order, as ``LINE:COL: severity: message``. A
file with only warnings is valid: it loads, and its warnings come with the
routine. Every case runs with each available YAML parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.core import yaml_nodes
from routine_timer.core.errors import RoutineError, RoutineFileError
from routine_timer.core.loader import parse_routine


@pytest.fixture(autouse=True, params=sorted(yaml_nodes.BACKENDS))
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with each available YAML parser."""
    monkeypatch.setattr(yaml_nodes, "DEFAULT_BACKEND", yaml_nodes.BACKENDS[request.param])
    yield request.param


PLANK = "name: Core\nexercises:\n  - name: Plank\n"
"""The first three lines of most cases: the exercise's own keys follow at column 5."""

MISTAKES: dict[str, tuple[str, list[str]]] = {
    # -- syntax: where a person would look, not where the parser stopped ------
    "a key without its ':'": (
        PLANK + "    sets: 2\n    time 30s\n  - name: Bridge\n    time: 30s\n",
        ["5:5: error: invalid YAML: a key is missing its ':' (did you mean 'time: 30s'?)"],
    ),
    "a quote never closed": (
        'name: "Core\nexercises:\n  - name: Plank\n    time: 30s\n',
        [
            '1:7: error: invalid YAML: this " is never closed, so the rest of the file reads '
            'as one text (add the closing ")'
        ],
    ),
    "a quote closed by the next one": (
        "name: Core\nexercises:\n  - name: 'Plank\n    time: 30s\n"
        "  - name: 'Bridge'\n    time: 30s\n",
        ["3:11: error: invalid YAML: this ' is closed only on line 5; is its closing ' missing?"],
    ),
    "a bracket never closed": (
        PLANK + "    time: 30s\n    cues: [Keep hips level\n  - name: Bridge\n    time: 30s\n",
        [
            "5:11: error: invalid YAML: this '[' is not closed with ']' "
            "(or a ',' is missing between its items)"
        ],
    ),
    "a key indented too far": (
        PLANK + "     time: 30s\n",
        [
            "4:6: error: invalid YAML: this line is indented further than 'name' on line 3, "
            "so YAML reads it as part of that value (line the keys up)"
        ],
    ),
    "no space after the dash": (
        "name: Core\nexercises:\n  -name: Plank\n    time: 30s\n",
        [
            "3:3: error: invalid YAML: a list item needs a space after its '-' (did you mean "
            "'- name:'?)"
        ],
    ),
    "text after a closing quote": (
        'name: Core\nexercises:\n  - name: "Plank" wide\n    time: 30s\n',
        ["3:19: error: invalid YAML: text after the closing quote (put the whole value in quotes)"],
    ),
    # -- silent traps: valid files, with a warning ---------------------------
    "minutes written with a dot": (
        PLANK + "    time: 1.30\n",
        ["4:11: warning: 'time' is 1.3 seconds; did you mean \"1:30\" or 1m30s?"],
    ),
    "seconds written with a dot": (
        "name: Core\nrest: 0.45\nexercises:\n  - name: Plank\n    time: 30s\n",
        ["2:7: warning: 'rest' is 0.45 seconds; did you mean \"0:45\" or 45s?"],
    ),
    "a '#' that cuts a name short": (
        "name: Core\nexercises:\n  - name: Plank #2 wide\n    time: 30s\n",
        [
            "3:17: warning: 'name' reads 'Plank': ' #' starts a comment, so '#2 wide' is left "
            "out (put the whole text in quotes to keep it)"
        ],
    ),
    "a leading zero": (
        PLANK + "    time: 30s\n    sets: 010\n",
        [
            "5:11: warning: 'sets': YAML reads 010 as 8 (a number with a leading 0 is octal); "
            "did you mean 10?"
        ],
    ),
    # -- errors that say why --------------------------------------------------
    "a cue with ': ' in it": (
        PLANK + "    time: 30s\n    cues:\n      - Hips: level\n",
        [
            "6:9: error: each item of 'cues' must be text, got a mapping: the ': ' in "
            "'Hips: level' makes it a key and a value (put the whole text in quotes)"
        ],
    ),
    "'no' meant as text": (
        PLANK + "    time: 30s\n    easier: no\n",
        [
            "5:13: error: 'easier' must be text, got no (true/false) (YAML reads no as false; "
            "put it in quotes to make it text)"
        ],
    ),
    "'on' in a list of cues": (
        PLANK + "    time: 30s\n    cues: [Breathe, on]\n",
        [
            "5:21: error: each item of 'cues' must be text, got on (true/false) (YAML reads on "
            "as true; put it in quotes to make it text)"
        ],
    ),
    # -- fix-its ---------------------------------------------------------------
    "a unit spelled out": (
        PLANK + "    time: 30 sec\n",
        [
            "4:11: error: 'time': invalid duration '30 sec': units are h, m and s (did you mean "
            "'30s'?)"
        ],
    ),
    "seconds spelled out": (
        PLANK + "    time: 30s\n    rest: 10 seconds\n",
        [
            "5:11: error: 'rest': invalid duration '10 seconds': units are h, m and s (did you "
            "mean '10s'?)"
        ],
    ),
    "a count in quotes": (
        PLANK + '    time: 30s\n    sets: "3"\n',
        [
            "5:11: error: 'sets' must be a whole number from 1 to 1,000, got '3' (text) "
            "(remove the quotes to make it a number)"
        ],
    ),
    "a picture in other capitals": (
        PLANK + "    time: 30s\n    image: plank.png\n",
        [
            "5:12: error: image 'plank.png' not found next to the routine (did you mean "
            "'Plank.PNG'?)"
        ],
    ),
    "another app's 'duration'": (
        PLANK + "    duration: 30s\n",
        ["4:5: error: unknown key 'duration' in an exercise (did you mean 'time'?)"],
    ),
    "another app's 'repetitions'": (
        PLANK + "    repetitions: 10\n",
        ["4:5: error: unknown key 'repetitions' in an exercise (did you mean 'reps'?)"],
    ),
    "another app's 'rest_time'": (
        PLANK + "    time: 30s\n    rest_time: 20s\n",
        ["5:5: error: unknown key 'rest_time' in an exercise (did you mean 'rest'?)"],
    ),
    "another app's 'title'": (
        "title: Core\nexercises:\n  - name: Plank\n    time: 30s\n",
        ["1:1: error: unknown key 'title' at the top level (did you mean 'name'?)"],
    ),
    "a capital in a key": (
        PLANK + "    Time: 30s\n",
        ["4:5: error: unknown key 'Time' in an exercise (did you mean 'time'?)"],
    ),
    "a 'say' entry as one text": (
        PLANK + '    time: 30s\n    say: ["10s: Keep hips level"]\n',
        [
            "5:11: error: each 'say' entry must be a mapping with 'at' and 'text', got "
            "'10s: Keep hips level' (text); write it as '- at: 10s' with "
            "'  text: Keep hips level' on the next line"
        ],
    ),
    "a 'say' entry keyed by its time": (
        PLANK + "    time: 30s\n    say: [{10s: Keep hips level}]\n",
        [
            "5:11: error: each 'say' entry must be a mapping with 'at' and 'text', got "
            "{10s: Keep hips level}; write it as '- at: 10s' with '  text: Keep hips level' "
            "on the next line"
        ],
    ),
    "a 'say' entry without its '- '": (
        PLANK + "    time: 30s\n    say:\n      at: 10s\n      text: Keep hips level\n",
        [
            "6:7: error: 'say' must be a list of {at: duration, text: ...} entries, got a "
            "mapping; start each entry with '- ', as in '- at: 10s' with '  text: ...' on the "
            "next line"
        ],
    ),
    "two exercises without a '- ' between them": (
        PLANK + "    time: 30s\n    name: Side plank\n    time: 20s\n    sides: both\n",
        [
            "5:5: error: duplicate key 'name' (first given on line 3; YAML allows a key once): "
            "is a '- ' missing at the start of this line? Without it, two list items run together"
        ],
    ),
}


def reported(text: str, folder: Path) -> list[str]:
    """Every line reported for ``text`` as ``core.yaml`` in ``folder``, without the path."""
    path = folder / "core.yaml"
    try:
        found: tuple[RoutineError, ...] = parse_routine(text, path).warnings
    except RoutineFileError as failure:
        found = failure.errors + failure.warnings
    found = tuple(sorted(found, key=lambda problem: (problem.line, problem.col)))
    return [str(problem).removeprefix(f"{path}:") for problem in found]


@pytest.mark.parametrize(("text", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_gets_its_exact_lines(text: str, expected: list[str], tmp_path: Path) -> None:
    (tmp_path / "Plank.PNG").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert reported(text, tmp_path) == expected


def test_a_file_with_only_warnings_is_valid(tmp_path: Path) -> None:
    routine = parse_routine(PLANK + "    time: 1.30\n    sets: 010\n", tmp_path / "core.yaml")
    assert routine.exercises[0].time == 1.3
    assert routine.exercises[0].sets == 8
    assert [(warning.line, warning.is_warning) for warning in routine.warnings] == [
        (4, True),
        (5, True),
    ]


def test_an_invalid_file_reports_its_warnings_too(tmp_path: Path) -> None:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(PLANK + "    time: 1.30\n    sets: 0\n", tmp_path / "core.yaml")
    assert [error.line for error in caught.value.errors] == [5]
    assert [warning.line for warning in caught.value.warnings] == [4]


def warning_lines(text: str, folder: Path) -> list[int]:
    return [warning.line for warning in parse_routine(text, folder / "core.yaml").warnings]


@pytest.mark.parametrize("value", ["2.5", "1.5", "30", "90", "1:30", '"1:30"', "1m30s", "0.5"])
def test_durations_that_are_meant_get_no_warning(value: str, tmp_path: Path) -> None:
    # The trap on the last line is there to show that the check ran.
    text = PLANK + f"    time: {value}\n    rest: 1.30\n"
    assert warning_lines(text, tmp_path) == [5]


@pytest.mark.parametrize(
    "line",
    [
        "name: Plank # wide grip",  # a comment with its space is a comment
        "name: Plank  #  2",
        "name: 'Plank #2 wide'",
        "name: Plank#2",  # no space before '#': part of the name
    ],
)
def test_comments_that_are_meant_get_no_warning(line: str, tmp_path: Path) -> None:
    text = f"name: Core\nexercises:\n  - {line}\n    time: 30s\n    cues:\n      - Hips #1\n"
    assert warning_lines(text, tmp_path) == [6]
