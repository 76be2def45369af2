"""The routine loader: every rule of the format, with the exact place of each error.

Every test runs twice, once with libyaml's parser and once with PyYAML's
pure-Python one (when libyaml is installed), because the format promises the
same results with either.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.core import loader, yaml_nodes
from routine_timer.core.announce import CueKind, step_cues
from routine_timer.core.loader import (
    MAX_FILE_BYTES,
    RoutineError,
    RoutineFileError,
    load_routine,
    parse_routine,
)
from routine_timer.core.model import Routine, Say, Sides
from routine_timer.core.plan import StepKind, build_timeline


@pytest.fixture(autouse=True, params=sorted(yaml_nodes.BACKENDS))
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with each available YAML parser."""
    monkeypatch.setattr(yaml_nodes, "DEFAULT_BACKEND", yaml_nodes.BACKENDS[request.param])
    yield request.param


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def load(text: str, path: str = "core-7.yaml") -> Routine:
    return parse_routine(doc(text), path)


def errors(text: str, path: str = "core-7.yaml") -> list[tuple[int, int, str]]:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(doc(text), path)
    return [(error.line, error.col, error.message) for error in caught.value.errors]


def assert_errors(text: str, expected: list[tuple[int, int, str]]) -> None:
    """Exactly the expected errors, each at its line and column, its message containing a text."""
    found = errors(text)
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected], (
        found
    )
    for (_, _, message), (_, _, part) in zip(found, expected, strict=True):
        assert part in message, (message, part)


# --------------------------------------------------------------------------
# Valid files


def test_the_235_second_example_of_the_format() -> None:
    routine = load(
        """
        name: Side planks
        prepare: 10s
        rest: 15s
        exercises:
          - name: Side plank
            time: 30s
            sets: 3
            sides: both
        """
    )
    timeline = build_timeline(routine)
    assert timeline.total_seconds == 235
    assert timeline.manual_steps == 0
    kinds = [step.kind for step in timeline.steps]
    assert kinds[:4] == [StepKind.PREPARE, StepKind.WORK, StepKind.SWITCH, StepKind.WORK]


def test_defaults_are_applied() -> None:
    routine = load(
        """
        name: Defaults
        exercises:
          - name: Plank
            time: 30
        """
    )
    assert routine.id == "core-7"
    assert routine.format == 1
    assert (routine.prepare, routine.rest, routine.round_rest, routine.rounds) == (10, 15, 15, 1)
    assert routine.description == ""
    assert routine.tags == ()
    exercise = routine.exercises[0]
    assert (exercise.sets, exercise.rest, exercise.rest_after) == (1, 15, 15)
    assert (exercise.release, exercise.switch, exercise.sides) == (2, 5, None)
    assert exercise.cues == () and exercise.say == ()
    assert exercise.easier is None and exercise.harder is None and exercise.image is None


def test_every_key_is_read() -> None:
    routine = load(
        """
        format: 1
        name: Everything
        id: every-key-2
        description: All keys at once.
        tags: [core, mobility]
        prepare: "0:05"
        rest: 20
        rounds: 2
        round_rest: 1m
        exercises:
          - name: Bird dog
            reps: 10
            hold: 10s
            release: 2.5
            sets: 2
            sides: alternate
            rest: 30s
            rest_after: 45s
            cues: [Slow, Breathe]
            say:
              - at: 1m
                text: Halfway
            easier: Arms only
            harder: Add a band
          - name: Side plank
            time: "1m30s"
            sides: both
            switch: 8s
          - name: Twist
            reps: 12
            rep_time: 2s
        """
    )
    assert (routine.id, routine.name, routine.description) == (
        "every-key-2",
        "Everything",
        "All keys at once.",
    )
    assert routine.tags == ("core", "mobility")
    assert (routine.prepare, routine.rest, routine.rounds, routine.round_rest) == (5, 20, 2, 60)
    bird, side, twist = routine.exercises
    assert (bird.reps, bird.hold, bird.release, bird.sets, bird.sides) == (
        10,
        10,
        2.5,
        2,
        Sides.ALTERNATE,
    )
    assert (bird.rest, bird.rest_after) == (30, 45)
    assert bird.cues == ("Slow", "Breathe")
    assert bird.say == (Say(at=60, text="Halfway"),)
    assert (bird.easier, bird.harder) == ("Arms only", "Add a band")
    assert (side.time, side.sides, side.switch, side.rest, side.rest_after) == (
        90,
        Sides.BOTH,
        8,
        20,
        20,
    )
    assert (twist.reps, twist.rep_time, twist.time) == (12, 2, None)
    assert [exercise.line for exercise in routine.exercises] == [11, 25, 29]
    assert all(isinstance(value, float) for value in (bird.hold, side.time, routine.prepare))


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("30", 30),
        ("2.5", 2.5),
        ('"30"', 30),
        ("45s", 45),
        ('"90 s"', 90),
        ("2m", 120),
        ("1m30s", 90),
        ("1.5m", 90),
        ("1h", 3600),
        ('"1:30"', 90),
        ('"0:45"', 45),
        ('"1:02:03"', 3723),
        # YAML 1.1 reads these unquoted as sexagesimal numbers, with either parser.
        ("1:30", 90),
        ("1:02:03", 3723),
        ("1:5", 65),
    ],
)
def test_duration_forms(written: str, seconds: float) -> None:
    routine = load(
        f"""
        name: Durations
        exercises:
          - name: Plank
            time: {written}
        """
    )
    assert routine.exercises[0].time == seconds


def test_the_id_is_the_file_name_unless_given() -> None:
    text = "name: A\nexercises: [{name: B, time: 1}]\n"
    assert parse_routine(text, "routines/core-7.yaml").id == "core-7"
    assert parse_routine(text, Path("x") / "Morning Stretch.yml").id == "Morning Stretch"
    assert parse_routine("id: mine-2\n" + text, "routines/core-7.yaml").id == "mine-2"


def test_source_hash_and_lines(tmp_path: Path) -> None:
    data = (
        b"# a comment\nname: Hash\nexercises:\n  - name: A\n    time: 1\n  - {name: B, time: 2}\n"
    )
    path = tmp_path / "hash.yaml"
    path.write_bytes(data)
    routine = load_routine(path)
    assert routine.source == path
    assert routine.sha256 == hashlib.sha256(data).hexdigest()
    assert [exercise.line for exercise in routine.exercises] == [4, 6]
    assert parse_routine(data.decode(), path).sha256 == routine.sha256


def test_a_byte_order_mark_is_accepted() -> None:
    routine = parse_routine(b"\xef\xbb\xbfname: BOM\nexercises: [{name: A, time: 1}]\n", "b.yaml")
    assert routine.name == "BOM"


def test_texts_are_kept_as_written() -> None:
    routine = load(
        """
        name: "  Spaced  "
        tags: ["", core]
        exercises:
          - name: !!str 123
            time: 30
            cues: ["", " Breathe "]
            easier: ""
        """
    )
    assert routine.name == "  Spaced  "
    assert routine.tags == ("", "core")
    exercise = routine.exercises[0]
    assert (exercise.name, exercise.cues, exercise.easier) == ("123", ("", " Breathe "), "")


def test_release_and_switch_without_effect_are_accepted() -> None:
    routine = load(
        """
        name: Shared
        exercises:
          - name: A
            time: 30
            release: 3s
            switch: 8s
        """
    )
    assert routine.exercises[0].switch == 8


def test_anchors_aliases_and_merges() -> None:
    routine = load(
        """
        name: Merges
        exercises:
          - &stretch
            name: Hamstring stretch
            time: &long 40s
            sides: both
            switch: 8s
          - <<: *stretch
            name: Calf stretch
          - <<: [{name: First wins, time: 1}, {name: Second, time: 2, sets: 3}]
            rest: *long
        """
    )
    first, second, third = routine.exercises
    assert (second.name, second.time, second.sides, second.switch) == (
        "Calf stretch",
        40,
        Sides.BOTH,
        8,
    )
    assert (third.name, third.time, third.sets, third.rest) == ("First wins", 1, 3, 40)
    assert first.name == "Hamstring stretch"


def test_say_offsets_are_measured_in_one_work_period() -> None:
    routine = load(
        """
        name: Say
        exercises:
          - name: Both sides
            time: 30
            sides: both
            say: [{at: 0, text: Go}, {at: 29.5, text: Nearly}]
          - name: Alternate holds
            reps: 3
            hold: 5
            release: 2
            sides: alternate
            say: [{at: 39, text: Last}]
          - name: Paced
            reps: 4
            rep_time: 2
            say: [{at: 7, text: Last}]
        """
    )
    assert [len(exercise.say) for exercise in routine.exercises] == [2, 1, 1]


def test_image_is_resolved_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "plank.PNG").write_bytes(b"png")
    text = "name: Pic\nexercises:\n  - name: Plank\n    time: 30\n    image: pictures/plank.PNG\n"
    routine = parse_routine(text, tmp_path / "pic.yaml")
    assert routine.exercises[0].image == tmp_path.resolve() / "pictures" / "plank.PNG"


# --------------------------------------------------------------------------
# One rule at a time: the exact place and the gist of each error

BASE = """
name: Core
exercises:
  - name: Plank
    time: 30
"""

CASES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    "name is a number": (
        "name: 123\nexercises: [{name: A, time: 1}]\n",
        [(1, 7, "'name' must be text, got 123")],
    ),
    "name is a boolean": ("name: yes\nexercises: [{name: A, time: 1}]\n", [(1, 7, "quotes")]),
    "name is empty": ('name: ""\nexercises: [{name: A, time: 1}]\n', [(1, 7, "empty")]),
    "name is too long": (
        f"name: {'x' * 81}\nexercises: [{{name: A, time: 1}}]\n",
        [(1, 7, "81 characters")],
    ),
    "name is missing": ("exercises: [{name: A, time: 1}]\n", [(1, 1, "missing key 'name'")]),
    "exercises are missing": ("name: A\n", [(1, 1, "missing key 'exercises'")]),
    "exercises are empty": ("name: A\nexercises: []\n", [(2, 12, "at least one")]),
    "exercises are a mapping": (
        "name: A\nexercises:\n  name: B\n  time: 1\n",
        [(3, 3, "must be a list of exercises, got a mapping")],
    ),
    "an exercise is text": (
        "name: A\nexercises:\n  - Plank\n",
        [(3, 5, "each exercise must be a mapping")],
    ),
    "format as text": (
        'format: "1"\n' + BASE,
        [(1, 9, "'format' must be the number 1")],
    ),
    "format 3": (
        "format: 3\n" + BASE,
        [(1, 9, "unsupported format 3; this app reads formats 1 and 2")],
    ),
    "format 1.0": ("format: 1.0\n" + BASE, [(1, 9, "got 1.0")]),
    "id with capitals": ("id: Core 7\n" + BASE, [(1, 5, "lowercase letters, digits and '-'")]),
    "id as a number": ("id: 7\n" + BASE, [(1, 5, "got 7")]),
    "tags as text": ("tags: core\n" + BASE, [(1, 7, "'tags' must be a list")]),
    "a tag is a number": ("tags: [core, 7]\n" + BASE, [(1, 14, "each item of 'tags'")]),
    "description as a date": (
        "description: 2024-01-01\n" + BASE,
        [(1, 14, "'description' must be text, got 2024-01-01 (a date)")],
    ),
    "rounds zero": (
        "rounds: 0\n" + BASE,
        [(1, 9, "'rounds' must be a whole number from 1 to 1,000")],
    ),
    "rounds true": ("rounds: true\n" + BASE, [(1, 9, "got true")]),
    "prepare negative": ("prepare: -5\n" + BASE, [(1, 10, "negative")]),
    "rest is null": ("rest:\n" + BASE, [(1, 1, "'rest' is null; leave the key out")]),
    "rest is an explicit null": ("rest: null\n" + BASE, [(1, 1, "'rest' is null")]),
    "round_rest is a list": ("round_rest: [1]\n" + BASE, [(1, 13, "must be a duration")]),
    "unknown top-level key": (
        "nmae: Core\nexercises: [{name: A, time: 1}]\n",
        [(1, 1, "unknown key 'nmae' at the top level (did you mean 'name'?)")],
    ),
    "an exercise key at the top level": (
        "time: 30\n" + BASE,
        [(1, 1, "'time' belongs in an exercise")],
    ),
    "a top-level key in an exercise": (
        BASE + "    prepare: 10\n",
        [(5, 5, "'prepare' is a top-level key")],
    ),
    "duplicate key": (
        "name: Core\nname: Again\nexercises: [{name: A, time: 1}]\n",
        [(2, 1, "duplicate key 'name' (first given on line 1")],
    ),
    "time and reps": (BASE + "    reps: 10\n", [(5, 5, "give either 'time' or 'reps', not both")]),
    "neither time nor reps": (
        "name: Core\nexercises:\n  - name: Plank\n    sets: 2\n",
        [(3, 5, "an exercise needs 'time'")],
    ),
    "time zero": (
        "name: Core\nexercises:\n  - name: Plank\n    time: 0s\n",
        [(4, 11, "'time' must be more than zero")],
    ),
    "time badly written": (
        'name: Core\nexercises:\n  - name: Plank\n    time: "1:5"\n',
        [(4, 11, "after a colon")],
    ),
    "time in capitals": (
        "name: Core\nexercises:\n  - name: Plank\n    time: 30S\n",
        [(4, 11, "lowercase")],
    ),
    "time a day long": (
        "name: Core\nexercises:\n  - name: Plank\n    time: 24h\n",
        [(4, 11, "shorter than 24 hours")],
    ),
    "time is true": (
        "name: Core\nexercises:\n  - name: Plank\n    time: true\n",
        [(4, 11, "must be a duration")],
    ),
    "sets 2.0": (
        BASE + "    sets: 2.0\n",
        [(5, 11, "'sets' must be a whole number from 1 to 1,000, got 2.0")],
    ),
    "sets true": (BASE + "    sets: true\n", [(5, 11, "got true")]),
    "sets as text": (BASE + '    sets: "2"\n', [(5, 11, "got '2' (text)")]),
    "sets with a bad explicit tag": (BASE + "    sets: !!int abc\n", [(5, 11, "!!int")]),
    "reps zero": (
        "name: Core\nexercises:\n  - name: Squat\n    reps: 0\n",
        [(4, 11, "'reps' must be a whole number from 1 to 1,000")],
    ),
    "hold without reps": (BASE + "    hold: 5\n", [(5, 5, "'hold' needs 'reps'")]),
    "rep_time without reps": (BASE + "    rep_time: 2\n", [(5, 5, "'rep_time' needs 'reps'")]),
    "hold and rep_time": (
        "name: Core\nexercises:\n  - name: Squat\n    reps: 5\n    hold: 2\n    rep_time: 2\n",
        [(6, 5, "'hold' and 'rep_time' exclude each other")],
    ),
    "hold zero": (
        "name: Core\nexercises:\n  - name: Squat\n    reps: 5\n    hold: 0\n",
        [(5, 11, "'hold' must be more than zero")],
    ),
    "alternate with time": (
        BASE + "    sides: alternate\n",
        [(5, 12, "'sides: alternate' needs 'reps'")],
    ),
    "sides left": (BASE + "    sides: left\n", [(5, 5, "'sides: left' needs 'format: 2'")]),
    "sides up": (BASE + "    sides: up\n", [(5, 12, "'sides' must be 'both' or 'alternate'")]),
    "sides Both": (BASE + "    sides: Both\n", [(5, 12, "did you mean 'both'?")]),
    "unknown exercise key": (BASE + "    hodl: 10s\n", [(5, 5, "(did you mean 'hold'?)")]),
    "cues as text": (BASE + "    cues: Breathe\n", [(5, 11, "'cues' must be a list")]),
    "a cue is a mapping": (BASE + "    cues: [{a: 1}]\n", [(5, 12, "each item of 'cues'")]),
    "easier is a list": (BASE + "    easier: [a]\n", [(5, 13, "'easier' must be text")]),
    "say at the end of the work": (
        BASE + "    say: [{at: 30s, text: Done}]\n",
        [(5, 16, "'at' (30 seconds) must be shorter than the work period (30 seconds)")],
    ),
    "say on one side of both": (
        BASE + "    sides: both\n    say: [{at: 31, text: Other side}]\n",
        [(6, 16, "(30 seconds)")],
    ),
    "say beyond the interleaved period": (
        "name: Core\nexercises:\n  - name: Bird dog\n    reps: 3\n    hold: 5\n"
        "    sides: alternate\n    say: [{at: 40, text: Late}]\n",
        [(7, 16, "(40 seconds)")],
    ),
    "say on an untimed set": (
        "name: Core\nexercises:\n  - name: Squat\n    reps: 5\n    say: [{at: 1, text: Hi}]\n",
        [(5, 5, "untimed")],
    ),
    "say entry with a typo": (
        BASE + "    say:\n      - at: 5\n        txt: Hi\n",
        [(7, 9, "(did you mean 'text'?)")],
    ),
    "say entry as text": (BASE + "    say: [Hello]\n", [(5, 11, "each 'say' entry")]),
    "say as a mapping": (BASE + "    say: {at: 1, text: Hi}\n", [(5, 10, "'say' must be a list")]),
    "say text is null": (
        BASE + "    say: [{at: 1, text: ~}]\n",
        [(5, 19, "'text' is null; it needs a value")],
    ),
    "merge of a scalar": (BASE + "    <<: 5\n", [(5, 9, "'<<' merges a mapping")]),
    "a list as a key": ("? [a]\n: 1\n" + BASE, [(1, 3, "a key must be a plain name")]),
    "image absolute": (BASE + "    image: /etc/passwd.png\n", [(5, 12, "relative")]),
    "image leaves the folder": (
        BASE + "    image: ../x.png\n",
        [(5, 12, "inside the routine's folder")],
    ),
    "image of the wrong type": (BASE + "    image: plank.bmp\n", [(5, 12, ".png, .jpg")]),
    "image missing": (BASE + "    image: plank.png\n", [(5, 12, "image 'plank.png' not found")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_reports_its_place(case: str) -> None:
    text, expected = CASES[case]
    assert_errors(text, expected)


def test_every_problem_is_reported_in_file_order() -> None:
    found = errors(
        """
        name: 123
        rounds: 0
        exercises:
          - name: Plank
            time: 30
            reps: 5
            hodl: 1
          - name: Squat
          - time: 0
        unknwn: 1
        """
    )
    assert [(line, col) for line, col, _ in found] == [
        (1, 7),
        (2, 9),
        (6, 5),
        (7, 5),
        (8, 5),
        (9, 5),
        (9, 11),
        (10, 1),
    ]


def test_a_shared_anchor_with_a_mistake_is_reported_once() -> None:
    found = errors(
        """
        name: Shared
        exercises:
          - &base {name: A, time: 30, sets: 2.0}
          - <<: *base
          - <<: *base
        """
    )
    assert [(line, col) for line, col, _ in found] == [(3, 37)]


def test_image_may_not_escape_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"png")
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "link.png").symlink_to(outside)
    (folder / "pictures.png").mkdir()
    text = (
        "name: Pic\nexercises:\n  - name: A\n    time: 1\n    image: link.png\n"
        "  - name: B\n    time: 1\n    image: pictures.png\n"
    )
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(text, folder / "pic.yaml")
    assert [(e.line, e.col) for e in caught.value.errors] == [(5, 12), (8, 12)]
    assert "inside the routine's folder" in caught.value.errors[0].message
    assert "not found" in caught.value.errors[1].message


def test_too_many_steps_is_refused() -> None:
    assert_errors(
        "name: Long\nrounds: 1000\nexercises: [{name: A, time: 1, sets: 1000}]\n",
        [(2, 1, "too long")],
    )


@pytest.mark.parametrize(
    ("value", "gist"),
    [
        ("reps: !!int \u0663", "'\u0663' is not a valid !!int value (digits are 0 to 9)"),
        ("reps: !!int \uff11\uff10", "is not a valid !!int value (digits are 0 to 9)"),
        ("time: !!float \u0661.\u0665", "is not a valid !!float value (digits are 0 to 9)"),
        ("time: !!int \u0663\u0660", "is not a valid !!int value (digits are 0 to 9)"),
        ("reps: 1" + "0" * 5000, "a number of 5,001 characters is too long to read (at most 100)"),
        ("time: 1" + "0" * 5000, "a number of 5,001 characters is too long to read"),
        ("time: 1" + "0" * 5000 + ".5", "a number of 5,003 characters is too long to read"),
        ("time: " + ":".join(["1"] * 2000), "a number of 3,999 characters is too long to read"),
        ("reps: !!int 1" + "x" * 60, "'1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a valid"),
    ],
    ids=["arabic", "fullwidth", "float", "duration", "digits", "seconds", "float digits",
         "sexagesimal", "junk"],
)  # fmt: skip
def test_numbers_are_ascii_and_short(value: str, gist: str) -> None:
    found = errors(f"name: N\nexercises:\n  - name: A\n    {value}\n")
    assert [(line, col) for line, col, _ in found] == [(4, 11)]
    message = found[0][2]
    assert gist in message
    assert "internal error" not in message
    assert len(message) < 200


@pytest.mark.parametrize(
    ("lines", "where", "gist"),
    [
        ("rounds: 1001\n", (1, 9), "'rounds' must be a whole number from 1 to 1,000, got 1001"),
        ("exercises: [{name: A, time: 1, sets: 1001}]\n", (1, 38), "'sets' must be a whole"),
        ("exercises: [{name: A, reps: 1001, rep_time: 2s}]\n", (1, 29), "from 1 to 1,000"),
        ("exercises: [{name: A, reps: 1" + "0" * 99 + "}]\n", (1, 29), "got 10000000000000"),
        ("exercises: [{name: A, reps: 1000000000, rep_time: 2s}]\n", (1, 29), "1,000, got"),
    ],
    ids=["rounds", "sets", "reps", "100 digits", "a billion"],
)
def test_counts_have_an_upper_limit(lines: str, where: tuple[int, int], gist: str) -> None:
    text = lines + ("" if "exercises" in lines else "exercises: [{name: A, time: 1}]\n")
    found = errors(text + "name: N\n")
    assert [(line, col) for line, col, _ in found] == [where]
    assert gist in found[0][2]


def test_long_duration_texts_are_not_remembered() -> None:
    long_text = "1" * 100_000 + "x"
    for text in (long_text, long_text[1:]):
        found = errors(f'name: N\nexercises:\n  - name: A\n    time: "{text}"\n')
        assert "at most 64 characters" in found[0][2]
    assert not [key for key in loader._DURATIONS if len(key[1]) > 64]


def test_the_largest_counts_plan_and_cue_in_bounded_work() -> None:
    routine = load(
        """
        name: Most
        rounds: 1000
        exercises:
          - {name: A, reps: 1000, rep_time: 1s, sides: alternate, sets: 20}
        """
    )
    timeline = build_timeline(routine)
    assert len(timeline.steps) == 1 + 1000 * (20 + 19) + 999
    cues = step_cues(timeline.steps[1], timeline.steps[2])
    assert sum(cue.kind is CueKind.REP for cue in cues) == 2000
    assert timeline.total_seconds == 10 + 1000 * (20 * 2000 + 19 * 15) + 999 * 15


# --------------------------------------------------------------------------
# Errors as the app prints them


def test_error_lines_name_the_file_as_given() -> None:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine("name: [\n", os.path.join("some", "dir", "r.yaml"))
    (error,) = caught.value.errors
    assert isinstance(error, RoutineError)
    assert str(error).startswith(f"{os.path.join('some', 'dir', 'r.yaml')}:{error.line}:")
    assert ": error: invalid YAML" in str(error)
    assert str(caught.value) == str(error)


def test_missing_file_folder_and_pipe(tmp_path: Path) -> None:
    for path, gist in (
        (tmp_path / "nope.yaml", "cannot read the file"),
        (tmp_path, "folder"),
    ):
        with pytest.raises(RoutineFileError) as caught:
            load_routine(path)
        (error,) = caught.value.errors
        assert (error.line, error.col) == (1, 1)
        assert gist in error.message
        assert error.path == str(path)
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.yaml"
        os.mkfifo(pipe)
        with pytest.raises(RoutineFileError, match="not a regular file"):
            load_routine(pipe)


def test_size_limit_is_exact(tmp_path: Path, backend: str) -> None:
    filler = b"# " + b"x" * 100 + b"\n"
    body = b"name: Big\nexercises: [{name: A, time: 1}]\n"
    data = body + filler * ((MAX_FILE_BYTES - len(body)) // len(filler))
    data += b"#" * (MAX_FILE_BYTES - len(data))
    assert len(data) == MAX_FILE_BYTES
    if backend == "c":  # the pure-Python parser takes seconds over a whole MiB
        assert parse_routine(data, "big.yaml").name == "Big"
    path = tmp_path / "big.yaml"
    path.write_bytes(data + b"\n")
    with pytest.raises(RoutineFileError, match="at most 1 MiB"):
        load_routine(path)
    with pytest.raises(RoutineFileError, match="at most 1 MiB"):
        parse_routine(data + b"\n", "big.yaml")
