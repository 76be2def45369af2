"""The routines that ship with the app: well formed, and the length we designed.

The totals below were worked out by hand from the timeline rules of the
routine format and are asserted exactly, so a change to a bundled routine (or
to how time is counted) shows up here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from routine_timer.core.durations import parse_duration
from routine_timer.core.loader import RoutineFileError, load_routine
from routine_timer.core.model import Exercise, Routine, Say, Sides
from routine_timer.core.plan import StepKind, build_timeline
from routine_timer.paths import bundled_routines_dir

SCHEMA_COMMENT = "# yaml-language-server: $schema=routine.schema.json"

# id -> (total_seconds, manual_steps), worked out from the format's rules.
EXPECTED = {
    # 10 prepare + plank 30 + side plank 30+5+30 + twists 3*20 + 2*10
    # + bird dog 20*10 + 19*2 + marching 60 + four 10 s rests between exercises
    "runners-daily-core": (523.0, 0),
    # 10 prepare + 2 sets of (9*4 + 8*3 = 60) + 30 rest
    "glute-bridges": (160.0, 0),
    # 10 prepare + 2 rounds of (60 + 45 + 45 + 40 + 36 + 20 + 20 + five 5 s rests)
    # + 15 between rounds
    "runners-warm-up": (607.0, 0),
    # 15 prepare + squats 3*36 + 2*45 + 60, lunges 2*45 + 60, deadlifts 2*45 + 45,
    # bridges 2*(10*3 + 9*2) + 30; six untimed sets
    "lower-body-strength": (684.0, 6),
    # 10 prepare + hip flexors 40+8+40 + hamstrings 40+5+40 + open book 37+5+37
    # + ankles 30+5+30 + child's pose 60 + four 10 s rests
    "mobility-stretch": (427.0, 0),
}


def bundled_files() -> list[Path]:
    return sorted(bundled_routines_dir().glob("*.yaml"))


def _duration(value: Any, default: float) -> float:
    return default if value is None else parse_duration(value)


def routine_from_file(path: Path) -> Routine:
    """Build the model straight from the format's defaults.

    Independent of the app's loader on purpose: it pins the totals to the
    format's rules rather than to whatever the loader happens to do.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rest = _duration(data.get("rest"), 15.0)
    exercises = []
    for item in data["exercises"]:
        exercises.append(
            Exercise(
                name=item["name"],
                sets=item.get("sets", 1),
                rest=_duration(item.get("rest"), rest),
                rest_after=_duration(item.get("rest_after"), rest),
                time=_duration(item.get("time"), 0.0) if "time" in item else None,
                reps=item.get("reps"),
                hold=_duration(item.get("hold"), 0.0) if "hold" in item else None,
                release=_duration(item.get("release"), 2.0),
                rep_time=_duration(item.get("rep_time"), 0.0) if "rep_time" in item else None,
                sides=Sides(item["sides"]) if "sides" in item else None,
                switch=_duration(item.get("switch"), 5.0),
                cues=tuple(item.get("cues", ())),
                say=tuple(
                    Say(parse_duration(entry["at"]), entry["text"]) for entry in item.get("say", ())
                ),
                easier=item.get("easier"),
                harder=item.get("harder"),
            )
        )
    return Routine(
        id=data.get("id", path.stem),
        name=data["name"],
        exercises=tuple(exercises),
        description=data.get("description", ""),
        tags=tuple(data.get("tags", ())),
        prepare=_duration(data.get("prepare"), 10.0),
        rest=rest,
        rounds=data.get("rounds", 1),
        round_rest=_duration(data.get("round_rest"), rest),
    )


def test_the_designed_routines_all_ship() -> None:
    assert {path.stem for path in bundled_files()} == set(EXPECTED)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda path: path.stem)
def test_first_line_points_editors_at_the_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == SCHEMA_COMMENT
    # The comment is relative, so the schema must sit right beside the routine.
    assert (path.parent / "routine.schema.json").is_file()


@pytest.mark.parametrize("path", bundled_files(), ids=lambda path: path.stem)
def test_total_time_is_what_we_designed(path: Path) -> None:
    timeline = build_timeline(routine_from_file(path))
    assert (timeline.total_seconds, timeline.manual_steps) == EXPECTED[path.stem]


@pytest.mark.parametrize(
    ("routine_id", "low", "high"),
    [
        # The source article calls the daily core "about seven minutes" of work;
        # with rests it must stay a short daily habit.
        ("runners-daily-core", 7 * 60, 10 * 60),
        ("glute-bridges", 2 * 60, 4 * 60),
        # A warm-up of about ten minutes.
        ("runners-warm-up", 9 * 60, 11 * 60),
        ("lower-body-strength", 8 * 60, 20 * 60),
        ("mobility-stretch", 5 * 60, 12 * 60),
    ],
)
def test_total_time_looks_right_to_a_runner(routine_id: str, low: int, high: int) -> None:
    path = bundled_routines_dir() / f"{routine_id}.yaml"
    assert low <= build_timeline(routine_from_file(path)).total_seconds <= high


def test_ids_are_unique() -> None:
    ids = [routine_from_file(path).id for path in bundled_files()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", bundled_files(), ids=lambda path: path.stem)
def test_every_exercise_coaches_from_the_mat(path: Path) -> None:
    for exercise in routine_from_file(path).exercises:
        assert exercise.cues, f"{exercise.name} has no cues"
        # The first cue is spoken at the start: it must be short enough to say quickly.
        assert len(exercise.cues[0].split()) <= 10, exercise.cues[0]
        assert exercise.easier or exercise.harder, f"{exercise.name} has no hint"


@pytest.mark.parametrize("path", bundled_files(), ids=lambda path: path.stem)
def test_announcements_fall_inside_their_work_period(path: Path) -> None:
    for exercise in routine_from_file(path).exercises:
        for entry in exercise.say:
            assert entry.at < exercise.work_seconds, (exercise.name, entry.text)


def test_the_bundle_shows_every_feature() -> None:
    routines = [routine_from_file(path) for path in bundled_files()]
    exercises = [exercise for routine in routines for exercise in routine.exercises]
    assert any(routine.rounds > 1 for routine in routines)
    assert any(exercise.sides is Sides.BOTH for exercise in exercises)
    assert any(exercise.sides is Sides.ALTERNATE and exercise.hold for exercise in exercises)
    assert any(exercise.rep_time for exercise in exercises)
    assert any(exercise.say for exercise in exercises)
    steps = [step for routine in routines for step in build_timeline(routine).steps]
    assert {step.kind for step in steps} == set(StepKind)


def test_daily_core_matches_the_source_article() -> None:
    routine = routine_from_file(bundled_routines_dir() / "runners-daily-core.yaml")
    by_name = {exercise.name: exercise for exercise in routine.exercises}
    twists = by_name["Russian twist"]
    assert (twists.sets, twists.reps) == (3, 10)
    bird_dog = by_name["Bird dog"]
    assert (bird_dog.reps, bird_dog.hold, bird_dog.sides) == (10, 10.0, Sides.ALTERNATE)
    assert by_name["Side plank"].sides is Sides.BOTH
    assert by_name["Bridge marching"].time == 60.0
    assert "knee" in (by_name["Front plank"].easier or "").lower()


@pytest.mark.parametrize("path", bundled_files(), ids=lambda path: path.stem)
def test_the_app_loads_every_bundled_routine_without_errors(path: Path) -> None:
    try:
        routine = load_routine(path)
    except RoutineFileError as error:
        pytest.fail("\n".join(str(problem) for problem in error.errors))
    assert routine.id == path.stem
    # The app's loader and the format's rules agree on every value and default.
    assert _comparable(routine) == _comparable(routine_from_file(path))
    timeline = build_timeline(routine)
    assert (timeline.total_seconds, timeline.manual_steps) == EXPECTED[path.stem]


def _comparable(routine: Routine) -> Routine:
    """The routine without where it came from (file, line numbers)."""
    exercises = tuple(dataclasses.replace(exercise, line=0) for exercise in routine.exercises)
    return dataclasses.replace(routine, source=None, exercises=exercises)
