"""Format 2: blocks, per-set lists, one side, "ten seconds to go" and variations.

Each rule of the "Format version 2" section of the format reference, with
both YAML parsers, and the promise that a version-1 file keeps its meaning:
a version-2 key in a version-1 file is an error that names ``format: 2``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.cli.authoring import plan_json
from routine_timer.core import yaml_nodes
from routine_timer.core.announce import CueKind, step_cues
from routine_timer.core.library_cache import RoutineCache
from routine_timer.core.loader import RoutineFileError, load_routine, parse_routine
from routine_timer.core.model import Routine, Side, Sides, Variant
from routine_timer.core.plan import StepKind, Timeline, build_timeline
from routine_timer.core.plan_text import timeline_rows
from routine_timer.core.rules import step_count


@pytest.fixture(autouse=True, params=sorted(yaml_nodes.BACKENDS))
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(yaml_nodes, "DEFAULT_BACKEND", yaml_nodes.BACKENDS[request.param])
    yield request.param


def load(text: str) -> Routine:
    return parse_routine(textwrap.dedent(text).lstrip("\n"), "v2.yaml")


def plan(text: str) -> Timeline:
    return build_timeline(load(text))


def errors(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(RoutineFileError) as caught:
        load(text)
    return [(error.line, error.col, error.message) for error in caught.value.errors]


def shape(timeline: Timeline) -> list[tuple[str, float, str]]:
    return [(step.kind.value, step.duration, step.label) for step in timeline.steps]


BLOCKS = """
format: 2
name: Three parts
prepare: 10s
rest: 15s
blocks:
  - name: Warm-up
    rest: 5s
    rest_after: 20s
    exercises:
      - name: Cat-cow
        time: 30s
      - name: Bridge
        time: 20s
  - name: Circuit
    rounds: 2
    round_rest: 40s
    exercises:
      - name: Bird dog
        time: 10s
        sets: 2
      - name: Plank
        time: 30s
        rest_after: 25s
  - exercises:
      - name: Child's pose
        time: 45s
"""


def test_blocks_lay_out_rounds_and_rests_as_the_format_says() -> None:
    timeline = plan(BLOCKS)
    assert shape(timeline) == [
        ("prepare", 10, "Get ready"),
        ("work", 30, "Cat-cow"),
        ("rest", 5, "Rest"),  # the block's rest is its exercises' rest_after
        ("work", 20, "Bridge"),
        ("rest", 20, "Rest"),  # the block's rest_after, not the exercise's
        ("work", 10, "Bird dog"),
        ("rest", 15, "Rest"),
        ("work", 10, "Bird dog"),
        ("rest", 15, "Rest"),
        ("work", 30, "Plank"),
        ("rest", 40, "Rest"),  # round_rest, instead of the last rest_after
        ("work", 10, "Bird dog"),
        ("rest", 15, "Rest"),
        ("work", 10, "Bird dog"),
        ("rest", 15, "Rest"),
        ("work", 30, "Plank"),
        ("rest", 15, "Rest"),  # the block's rest_after defaults to the routine's rest
        ("work", 45, "Child's pose"),
    ]
    assert (
        timeline.total_seconds
        == 10 + 30 + 5 + 20 + 20 + 2 * (10 + 15 + 10 + 15 + 30) + 40 + 15 + 45
    )


def test_plan_json_names_each_steps_block_and_round() -> None:
    steps = plan_json(plan(BLOCKS))["steps"]
    found = [(step["kind"], step["block"], step["round"]) for step in steps]
    assert found[0] == ("prepare", None, None)
    assert found[1:5] == [("work", "Warm-up", None), ("rest", "Warm-up", None)] * 2
    assert found[5] == ("work", "Circuit", 1)
    assert found[10] == ("rest", "Circuit", 1)  # the rest between rounds ends round 1
    assert found[11] == ("work", "Circuit", 2)
    assert found[16] == ("rest", "Circuit", 2)  # between blocks: the earlier block's
    assert found[17] == ("work", None, None)


def test_version_1_plan_json_keeps_its_keys() -> None:
    timeline = plan("name: One\nrounds: 2\nexercises:\n  - name: Plank\n    time: 30s\n")
    steps = plan_json(timeline)["steps"]
    assert "block" not in steps[0]
    assert [step["round"] for step in steps] == [1, 1, 1, 2]
    assert "variant" not in plan_json(timeline)


def test_a_named_block_is_announced_as_it_starts() -> None:
    timeline = plan(BLOCKS)
    starts = [step.index for step in timeline.steps if step.block_start]
    assert starts == [1, 5]  # the last block has no name
    first = step_cues(timeline.steps[1], timeline.steps[2])[0]
    assert first.kind is CueKind.STEP_START
    assert first.text.startswith("Warm-up. Cat-cow")
    rest_before = timeline.steps[4]
    spoken = step_cues(rest_before, timeline.steps[5])[0].text
    assert spoken == "Rest 20 seconds. Next: Circuit, Bird dog"


def test_a_reverse_pyramid_uses_one_value_per_set() -> None:
    routine = load(
        """
        format: 2
        name: McGill
        prepare: 0
        rest: 10s
        exercises:
          - name: Bird dog
            reps: [6, 4, 2]
            hold: 8s
            release: 2s
        """
    )
    exercise = routine.exercises[0]
    assert exercise.sets == 3
    assert [one.reps for one in exercise.sets_work] == [6, 4, 2]
    timeline = build_timeline(routine)
    assert [step.duration for step in timeline.steps] == [58, 10, 38, 10, 18]
    assert [step.exercise.reps for step in timeline.steps if step.exercise] == [6, 4, 2]
    reps = [cue for cue in step_cues(timeline.steps[4], None) if cue.kind is CueKind.REP]
    assert [cue.count for cue in reps] == [1, 2]


def test_several_lists_go_set_by_set_and_a_list_of_one_is_one_set() -> None:
    routine = load(
        """
        format: 2
        name: Ladder
        exercises:
          - name: Curl-up
            reps: [3, 5]
            hold: [10s, 6s]
          - name: Plank
            time: [30s]
        """
    )
    curl, plank = routine.exercises
    assert [(one.reps, one.hold) for one in curl.sets_work] == [(3, 10), (5, 6)]
    assert plank.sets == 1 and plank.time == 30 and not plank.per_set


def test_one_side_only_is_labelled_and_has_no_switch() -> None:
    timeline = plan(
        """
        format: 2
        name: Rehab
        prepare: 0
        exercises:
          - name: Side plank
            time: 20s
            sides: left
            sets: 2
            rest: 10s
          - name: Clam
            reps: 10
            sides: right
        """
    )
    assert [(step.kind, step.side) for step in timeline.steps] == [
        (StepKind.WORK, Side.LEFT),
        (StepKind.REST, None),
        (StepKind.WORK, Side.LEFT),
        (StepKind.REST, None),
        (StepKind.MANUAL, Side.RIGHT),
    ]
    assert timeline.steps[0].title == "Side plank - set 1 of 2 - left"


def test_say_left_is_counted_from_the_end_of_each_period() -> None:
    timeline = plan(
        """
        format: 2
        name: Holds
        prepare: 0
        exercises:
          - name: Glute bridge hold
            time: [30s, 45s]
            say:
              - left: 10s
                text: Ten seconds to go
              - at: 5s
                text: Squeeze
        """
    )
    first, _, second = timeline.steps
    for step, offset in ((first, 20.0), (second, 35.0)):
        said = [cue for cue in step_cues(step, None) if cue.kind is CueKind.SAY]
        assert [(cue.offset, cue.text) for cue in said] == [
            (5.0, "Squeeze"),
            (offset, "Ten seconds to go"),
        ]


def test_a_variation_replaces_keys_and_keeps_sets_and_rests() -> None:
    routine = load(
        """
        format: 2
        name: Planks
        exercises:
          - name: Plank
            time: 40s
            sets: 3
            rest: 20s
            cues: [Long spine]
            easier:
              name: Knee plank
              time: 30s
            harder:
              name: Plank with reach
              reps: 8
              hold: 3s
        """
    )
    plank = routine.exercises[0]
    assert plank.easier == "Knee plank" and plank.harder == "Plank with reach"
    easier = plank.variation(Variant.EASIER)
    harder = plank.variation(Variant.HARDER)
    assert easier is not None and harder is not None
    assert (easier.name, easier.time, easier.sets, easier.rest, easier.cues) == (
        "Knee plank",
        30,
        3,
        20,
        ("Long spine",),
    )
    assert easier.variant is Variant.EASIER
    assert (harder.time, harder.reps, harder.hold) == (None, 8, 3)  # time is replaced
    planned = build_timeline(routine.with_variant(Variant.HARDER))
    assert planned.variant is Variant.HARDER
    assert {step.label for step in planned.steps if step.kind is StepKind.WORK} == {
        "Plank with reach"
    }
    document = plan_json(planned)
    assert document["variant"] == "harder"
    assert document["total_seconds"] == 10 + 3 * (8 * 3 + 7 * 2) + 2 * 20


def test_a_hint_is_still_a_hint_in_format_2() -> None:
    routine = load(
        "format: 2\nname: H\nexercises:\n  - name: Plank\n    time: 30s\n    easier: Knee plank\n"
    )
    plank = routine.exercises[0]
    assert plank.easier == "Knee plank" and plank.variation(Variant.EASIER) is None
    assert routine.with_variant(Variant.EASIER).exercises == routine.exercises


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: V1\nblocks:\n  - exercises:\n      - name: P\n        time: 1\n",
            [(2, 1, "'blocks' needs 'format: 2'")],
        ),
        (
            "name: V1\nexercises:\n  - name: P\n    time: [1, 2]\n",
            [(4, 5, "a list of per-set values for 'time' needs 'format: 2'")],
        ),
        (
            "name: V1\nexercises:\n  - name: P\n    time: 1\n    sides: right\n",
            [(5, 5, "'sides: right' needs 'format: 2'")],
        ),
        (
            "format: 1\nname: V1\nexercises:\n  - name: P\n    time: 20\n"
            "    say:\n      - left: 5\n        text: x\n",
            [(7, 9, "'left' in a 'say' entry needs 'format: 2'")],
        ),
        (
            "name: V1\nexercises:\n  - name: P\n    time: 1\n    easier:\n      name: K\n",
            [(5, 5, "'easier' as a mapping (a variation) needs 'format: 2'")],
        ),
        (
            "name: V1\nexercises:\n  - name: P\n    time: 1\n    figure: plank\n",
            [(5, 5, "'figure' needs 'format: 2'")],
        ),
        (
            "format: 3\nname: V\nexercises:\n  - name: P\n    time: 1\n",
            [(1, 9, "unsupported format 3; this app reads formats 1 and 2")],
        ),
    ],
)
def test_version_2_keys_in_a_version_1_file_name_format_2(
    text: str, expected: list[tuple[int, int, str]]
) -> None:
    found = errors(text)
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected]
    for (_, _, message), (_, _, part) in zip(found, expected, strict=True):
        assert part in message


HEAD = "format: 2\nname: Bad\n"
MISTAKES = {
    "exercises and blocks": (
        HEAD + "exercises:\n  - name: P\n    time: 1\nblocks:\n  - exercises:\n"
        "      - name: P\n        time: 1\n",
        [(6, 1, "give either 'exercises' or 'blocks', not both")],
    ),
    "neither": (HEAD, [(1, 1, "missing key 'exercises' (or 'blocks')")]),
    "rounds beside blocks": (
        HEAD + "round_rest: 5\nblocks:\n  - exercises:\n      - name: P\n        time: 1\n",
        [(3, 1, "'round_rest' cannot be used with 'blocks'")],
    ),
    "empty blocks": (HEAD + "blocks: []\n", [(3, 9, "'blocks' needs at least one block")]),
    "a block as text": (HEAD + "blocks:\n  - Warm-up\n", [(4, 5, "each block must be a mapping")]),
    "block without exercises": (
        HEAD + "blocks:\n  - name: Warm-up\n",
        [(4, 5, "missing key 'exercises' in a block")],
    ),
    "unknown block key": (
        HEAD + "blocks:\n  - rouns: 2\n    exercises:\n      - name: P\n        time: 1\n",
        [(4, 5, "unknown key 'rouns' in a block (did you mean 'rounds'?)")],
    ),
    "lists of two lengths": (
        HEAD + "exercises:\n  - name: P\n    reps: [6, 4]\n    hold: [8, 8, 8]\n",
        [(6, 11, "'hold' has 3 values but 'reps' has 2")],
    ),
    "list against sets": (
        HEAD + "exercises:\n  - name: P\n    reps: [6, 4]\n    sets: 3\n",
        [(5, 11, "'reps' has 2 values, one per set, but 'sets' is 3")],
    ),
    "empty list": (
        HEAD + "exercises:\n  - name: P\n    time: []\n",
        [(5, 11, "'time' needs at least one value")],
    ),
    "bad item": (
        HEAD + "exercises:\n  - name: P\n    reps: [6, 0]\n",
        [(5, 15, "'reps' must be a whole number from 1")],
    ),
    "say fits every set": (
        HEAD + "exercises:\n  - name: P\n    time: [30, 10]\n    say:\n"
        "      - at: 15s\n        text: x\n",
        [(7, 13, "must be shorter than the shortest work period (10 seconds)")],
    ),
    "at and left": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    say:\n"
        "      - at: 1\n        left: 2\n        text: x\n",
        [(8, 9, "give either 'at'")],
    ),
    "neither at nor left": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    say:\n      - text: x\n",
        [(7, 9, "needs 'at' (time from the start) or 'left'")],
    ),
    "left of zero": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    say:\n"
        "      - left: 0\n        text: x\n",
        [(7, 15, "'left' must be more than zero")],
    ),
    "left too long": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    say:\n"
        "      - left: 30\n        text: x\n",
        [(7, 15, "'left' (30 seconds) must be shorter than the work period")],
    ),
    "variation without a name": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    easier:\n      time: 10\n",
        [(7, 7, "missing key 'name' in the easier variation")],
    ),
    "variation with sets": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    harder:\n      name: H\n      sets: 2\n",
        [(8, 7, "'sets' is not part of a variation")],
    ),
    "variation against a kept say": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    say:\n      - at: 20\n"
        "        text: x\n    easier:\n      name: Short\n      time: 10\n",
        [(10, 7, "the easier variation 'Short': 'at' (20 seconds) must be shorter")],
    ),
    "variation list against the sets": (
        HEAD + "exercises:\n  - name: P\n    reps: [5, 5]\n    easier:\n      name: E\n"
        "      reps: [3, 3, 3]\n",
        [(8, 13, "'reps' has 3 values but the exercise has 2 sets")],
    ),
    "variation with a wrong side": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    easier:\n      name: E\n"
        "      sides: alternate\n",
        [(8, 14, "'sides: alternate' needs 'reps'")],
    ),
    "unknown figure": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    figure: planck\n",
        [(6, 13, "unknown figure 'planck'")],
    ),
    "an empty item in a list": (
        HEAD + "exercises:\n  - name: P\n    time: [30, ~]\n",
        [(5, 16, "an empty value in the list of 'time'")],
    ),
    "more values than sets allowed": (
        HEAD + "exercises:\n  - name: P\n    time: [" + ", ".join(["1"] * 1001) + "]\n",
        [(5, 11, "'time' has 1,001 values, one per set; at most 1,000 sets are allowed")],
    ),
    "a variation's clashing keys beside a broken exercise": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    cues: 5\n"
        "    easier: {name: E, time: 10, reps: 3}\n",
        [(6, 11, "'cues' must be a list of texts"), (7, 33, "give either 'time' or 'reps'")],
    ),
    "a say that does not fit, beside another problem": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    cues: 5\n"
        "    say: [{left: 40, text: x}]\n",
        [(6, 11, "'cues' must be a list"), (7, 18, "'left' (40 seconds) must be shorter")],
    ),
    "a list for a hint": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    easier: [a, b]\n",
        [(6, 13, "must be text (a hint) or a mapping (a variation")],
    ),
    "rounds in an exercise": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    rounds: 2\n",
        [(6, 5, "'rounds' belongs to the routine, or to a block, not to an exercise")],
    ),
    "exercise for exercises in a block": (
        HEAD + "blocks:\n  - exercise:\n      - name: P\n        time: 30\n",
        [(4, 5, "unknown key 'exercise' in a block (did you mean 'exercises'?)")],
    ),
    "sides up in format 2": (
        HEAD + "exercises:\n  - name: P\n    time: 30\n    sides: up\n",
        [(6, 12, "'sides' must be 'both', 'alternate', 'left' or 'right'")],
    ),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_each_format_2_rule_reports_its_place(case: str) -> None:
    text, expected = MISTAKES[case]
    found = errors(text)
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected], (
        found
    )
    for (_, _, message), (_, _, part) in zip(found, expected, strict=True):
        assert part in message, (message, part)


def test_a_format_2_routine_survives_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "v2.yaml"
    extra = [
        "  - name: Extras",
        "    exercises:",
        "      - name: Dead bug",
        "        reps: [6, 4]",
        "        hold: 5s",
        "        sides: right",
        "        say:",
        "          - left: 2s",
        "            text: Nearly",
        "        easier:",
        "          name: Slow dead bug",
        "          rep_time: 4s",
        "        harder: Weighted dead bug",
    ]
    path.write_text(textwrap.dedent(BLOCKS).lstrip() + "\n".join(extra) + "\n", encoding="utf-8")
    checked = load_routine(path)
    assert len(checked.blocks) == 4
    cache = RoutineCache(tmp_path / "cache.json")
    cache.put(path, checked)
    cache.save()
    cached = RoutineCache(tmp_path / "cache.json").get(path)
    assert cached == checked
    assert cached is not None and cached.exercises[-1].sides is Sides.RIGHT


def test_a_variation_that_would_make_the_routine_too_long_is_refused() -> None:
    # As written 99,999 steps (the most is 100,000); the harder plank adds 2,000.
    sided = "".join(
        f"  - name: Side {n}\n    time: 1\n    sets: 1000\n    sides: both\n" for n in range(24)
    )
    text = (
        "format: 2\nname: Long\nexercises:\n  - name: Plank\n    time: 1\n    sets: 1000\n"
        "    harder:\n      name: Side plank\n      sides: both\n"
        + sided
        + "  - name: End\n    time: 1\n    sets: 999\n"
    )
    written = text.replace("    harder:\n      name: Side plank\n      sides: both\n", "")
    assert len(load(written).exercises) == 26
    [(line, col, message)] = errors(text)
    assert (line, col) == (3, 1)
    assert "the routine is too long: it would run 101,999 steps" in message


def test_the_timeline_rows_show_where_each_named_block_starts() -> None:
    rows = [row.step for row in timeline_rows(plan(BLOCKS))]
    assert rows[:3] == ["Get ready", "Warm-up: Cat-cow", "Rest"]
    assert rows[5] == "Circuit: Bird dog - set 1 of 2 - round 1 of 2"
    assert rows[11] == "Bird dog - set 1 of 2 - round 2 of 2"
    assert rows[-1] == "Child's pose"  # a block without a name


def test_a_format_1_file_is_not_pointed_at_format_2_keys() -> None:
    found = errors(
        "name: V1\nexercises:\n  - name: P\n    time: 30\n    sides: Left\n    figur: x\n"
    )
    assert [(line, col) for line, col, _ in found] == [(5, 12), (6, 5)]
    assert "did you mean" not in found[0][2]  # 'left' is format 2 only
    assert "'figure'" not in found[1][2]


def test_a_variation_may_show_a_figure_of_its_own() -> None:
    routine = load(
        """
        format: 2
        name: Planks
        exercises:
          - name: Plank
            time: 30s
            figure: front-plank
            easier:
              name: Knee plank
              figure: knee-plank
            harder:
              name: Plank with reach
        """
    )
    plank = routine.exercises[0]
    easier, harder = plank.easier_variation, plank.harder_variation
    assert easier is not None and easier.figure == "knee-plank"
    assert harder is not None and harder.figure == "front-plank"  # kept from the exercise


def test_steps_counted_with_a_variant_are_those_of_the_routine_with_it() -> None:
    routine = load(
        "format: 2\nname: Choices\nblocks:\n  - rounds: 2\n    exercises:\n"
        "      - name: Plank\n        time: 30\n        sets: 3\n"
        "        easier:\n          name: Knee plank\n"
        "        harder:\n          name: Side plank\n          sides: both\n"
        "      - name: Bridge\n        reps: [10, 8]\n        hold: 3s\n"
        "        easier:\n          name: Short bridge\n          hold: 2s\n"
    )
    counts = {variant: step_count(routine, variant) for variant in Variant}
    assert counts == {variant: step_count(routine.with_variant(variant)) for variant in Variant}
    assert counts[Variant.HARDER] > counts[Variant.EASIER] == step_count(routine)
