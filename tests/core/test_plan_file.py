"""Plan files (*.plan.yaml): what they mean, and every mistake at its line and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from routine_timer.core.errors import RoutineFileError
from routine_timer.core.files import is_plan_file
from routine_timer.core.library import scan_folder, scan_library
from routine_timer.core.plan_file import find_plan, load_plan, parse_plan, scan_plans
from routine_timer.core.programme import Day, Kind, PlanItem
from routine_timer.paths import AppPaths, bundled_routines_dir
from tests.helpers.routines import write_file

ANY = "routines: [{routine: core-pyramid, per_week: 1}]\n"
KNOWN = {"runners-daily-core", "lower-body-strength", "runners-warm-up", "core-pyramid"}
LADDER = {"core-knee-planks", "core-planks-20", "core-planks-40", "core-plank-leg-lifts"}
"""The bundled plan's daily core ladder."""

GOOD = """\
name: Back care
start: 2026-03-02
weeks: 12
runs: [tue, thu, sat]
routines:
  - routine: runners-daily-core
    when: daily
  - routine: lower-body-strength
    when: [mon, fri]
  - routine: runners-warm-up
    when: before-run
retest: core-pyramid
"""


def problems(text: str, known: set[str] | None = KNOWN) -> list[str]:
    try:
        parse_plan(text, "back.plan.yaml", known)
    except RoutineFileError as error:
        return [f"{e.line}:{e.col}: {e.message}" for e in error.errors]
    return []


def test_a_plan_reads_as_written() -> None:
    plan = parse_plan(GOOD, "back.plan.yaml", KNOWN)
    assert (plan.id, plan.name, plan.weeks, plan.start) == (
        "back",
        "Back care",
        12,
        date(2026, 3, 2),
    )
    assert plan.runs == {1, 3, 5}
    assert plan.items == (
        PlanItem("runners-daily-core", Kind.DAYS, (Day.DAILY,), frozenset(range(7))),
        PlanItem("lower-body-strength", Kind.DAYS, (Day.MON, Day.FRI), frozenset({0, 4})),
        PlanItem("runners-warm-up", Kind.DAYS, (Day.BEFORE_RUN,), frozenset({1, 3, 5})),
        PlanItem("core-pyramid", Kind.RETEST),
    )


def test_rest_days_are_the_days_that_are_not_run_days() -> None:
    text = "name: R\nweeks: 2\nruns: [tue, thu, sat]\nroutines:\n"
    text += "  - {routine: core-pyramid, when: [after-run, rest-day]}\n"
    text += "  - {routine: runners-warm-up, when: rest-day}\n"
    plan = parse_plan(text, "r.plan.yaml", KNOWN)
    assert plan.items[0].weekdays == frozenset(range(7))
    assert plan.items[1].weekdays == {0, 2, 4, 6}


def test_per_week_and_the_defaults() -> None:
    plan = parse_plan(
        "name: G\nweeks: 6\nroutines:\n  - routine: core-pyramid\n    per_week: 3\n",
        "folder/glutes.plan.yml",
        KNOWN,
    )
    assert plan.id == "glutes" and plan.start is None and plan.runs == frozenset()
    assert plan.items == (PlanItem("core-pyramid", Kind.PER_WEEK, per_week=3),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: P\nwekks: 3\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["2:1: unknown key 'wekks' in a plan (did you mean 'weeks'?)"]),
        ("name: P\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["1:1: missing key 'weeks': how many weeks the block lasts, such as 12"]),
        ("name: P\nweeks: 3\nweeks: 4\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["3:1: duplicate key 'weeks' (first given on line 2; YAML allows a key once)"]),
        ("name: P\nweeks: '12'\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["2:8: 'weeks' must be a whole number from 1 to 104 (a block of 12 weeks is usual), "
          "got '12' (text) (remove the quotes to make it a number)"]),
        ("name: P\nweeks: 12.0\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["2:8: 'weeks' must be a whole number from 1 to 104 (a block of 12 weeks is usual), "
          "got 12.0"]),
        ("name: P\nweeks: 3\nstart: '2026-03-02'\n" + ANY,
         ["3:8: 'start' must be a date written YYYY-MM-DD, such as 2026-03-02, got "
          "'2026-03-02' (text) (write it without quotes: start: 2026-03-02)"]),
        ("name: P\nweeks: 3\nstart: 2026-03-02 10:00:00\n" + ANY,
         ["3:8: 'start' is a day, without a time: write 2026-03-02"]),
        ("name: P\nweeks: 12\nstart: 9999-12-01\n" + ANY,
         ["3:8: 'start' is too far in the future: the block would end after 9999"]),
        ("name: P\nweeks: 3\nruns: [tue, Thursday, on]\n" + ANY,
         ["3:13: unknown day 'Thursday' in 'runs' (did you mean 'thu'?); use weekdays mon, tue, "
          "wed, thu, fri, sat, sun",
          "3:23: 'runs' takes weekdays mon, tue, wed, thu, fri, sat, sun, got on (true/false) "
          "(YAML reads on/off/yes/no as true/false)"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: runners-core\n    when: daily\n",
         ["4:14: no routine with id 'runners-core' in the library "
          "(did you mean 'runners-daily-core'?)"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n    when: [daily, mon]\n",
         ["5:11: 'daily' already means every day; leave out the other days"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n    when: [mon, mon]\n",
         ["5:17: 'mon' is given twice in 'when'"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n    when: before-run\n",
         ["5:11: 'before-run' needs the plan's 'runs': the weekdays you run, such as "
          "runs: [tue, thu, sat]"]),
        ("name: P\nweeks: 3\nruns: [mon, tue, wed, thu, fri, sat, sun]\nroutines:\n"
         "  - routine: core-pyramid\n    when: rest-day\n",
         ["6:11: 'rest-day' never comes: 'runs' lists every day of the week"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n    when: mon\n"
         "    per_week: 2\n",
         ["6:5: give either 'when' (the days) or 'per_week' (how many times a week), not both"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n",
         ["4:5: missing key 'when' (such as daily, [mon, thu] or before-run) or 'per_week' "
          "(such as 2)"]),
        ("name: P\nweeks: 3\nroutines:\n  - routine: core-pyramid\n    per_week: 8\n",
         ["5:15: 'per_week' must be a whole number from 1 to 7 (days a week), got 8"]),
        ("name: P\nweeks: 3\nroutines:\n  - {routine: core-pyramid, when: mon}\n"
         "  - {routine: core-pyramid, when: fri}\n",
         ["5:5: routine 'core-pyramid' is already planned on line 4; give each routine once, "
          "with all its days in one 'when'"]),
        ("name: P\nweeks: 3\nroutines: [{routine: core-pyramid, when: monday}]\n",
         ["3:42: unknown day 'monday' in 'when' (did you mean 'mon'?); use daily, before-run, "
          "after-run, rest-day or weekdays mon ... sun"]),
        ("name: P\nweeks: 3\nroutines: []\n",
         ["3:11: 'routines' must be a list of at least one routine, each as '- routine: ID' "
          "with its 'when' or 'per_week', got a list"]),
        ("name: P\nweeks: 3\nroutines: [{routine: core-pyramid, per_week: 1}]\nretest: pyramid\n",
         ["4:9: no routine with id 'pyramid' in the library (did you mean 'core-pyramid'?)"]),
        ("name: P\nweeks: 3\nformat: 2\nroutines: [{routine: core-pyramid, per_week: 1}]\n",
         ["3:9: 'format' of a plan must be 1 (this app reads plan format 1), got 2"]),
        ("name: P\nweeks: 3\nroutines: [{routine: core-pyramid, per_week: 1, hwen: x}]\n",
         ["3:49: unknown key 'hwen' in a plan's routine (did you mean 'when'?)"]),
        ("- name: P\n", ["1:1: a plan file must be a mapping of keys such as 'name:', 'weeks:' "
                         "and 'routines:', but this file holds a list"]),
        ("", ["1:1: the file is empty; a plan needs at least 'name', 'weeks' and 'routines'"]),
    ],
)  # fmt: skip
def test_mistakes_are_reported_where_they_are(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = "name: 3\nweeks: 0\nruns: [xyz]\nroutines:\n  - routine: nope\n    when: mon\n"
    assert len(problems(text)) == 4


def test_ids_are_not_checked_without_a_library() -> None:
    assert problems("name: P\nweeks: 3\nroutines: [{routine: anything, when: mon}]\n", None) == []


def test_the_bundled_plan_is_valid_against_the_bundled_routines(tmp_path: Path) -> None:
    library = scan_library(AppPaths(tmp_path))
    known = {entry.id for entry in library if entry.valid}
    (path,) = scan_folder(bundled_routines_dir()).plans
    plan = load_plan(path, known)
    assert plan.id == "runners-back-care" and plan.weeks == 12 and plan.start is None
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../plan.schema.json\n"
    )
    by_id = {item.routine_id: item for item in plan.items}
    assert by_id["runners-daily-core"].weekdays == frozenset(range(7))
    strength = sorted(by_id["lower-body-strength"].weekdays)
    assert len(strength) == 2 and strength[1] - strength[0] not in (1, 6), "consecutive days"
    assert by_id["runners-warm-up"].when == (Day.BEFORE_RUN,)
    assert by_id["mobility-stretch"].when == (Day.AFTER_RUN, Day.REST_DAY)
    assert by_id["core-pyramid"].kind is Kind.RETEST


def test_the_library_lists_plans_apart_and_never_as_routines(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path).ensure()
    write_file(paths.routines_dir / "mine.plan.yaml", GOOD)
    write_file(paths.routines_dir / "sub" / "other.PLAN.yml", GOOD.replace("Back", "Other"))
    scan = scan_folder(paths.routines_dir)
    assert scan.files == [] and [p.name for p in scan.plans] == ["mine.plan.yaml", "other.PLAN.yml"]
    assert all(entry.path.parent != paths.routines_dir for entry in scan_library(paths))
    assert is_plan_file(Path("a.plan.yaml")) and not is_plan_file(Path("plan.yaml"))


def test_plans_are_found_bundled_first_and_a_reused_id_is_an_error(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path).ensure()
    write_file(paths.routines_dir / "runners-back-care.plan.yaml", GOOD)
    write_file(paths.routines_dir / "mine.plan.yaml", GOOD)
    entries = scan_plans(paths, KNOWN | LADDER | {"mobility-stretch"})
    assert [(entry.id, entry.bundled, entry.valid) for entry in entries] == [
        ("runners-back-care", True, True),
        ("mine", False, True),
        ("runners-back-care", False, False),
    ]
    assert "already used by" in entries[2].errors[0].message
    found = find_plan("mine", entries)
    assert found is not None and found.plan is not None and found.plan.name == "Back care"
    assert find_plan("nothing", entries) is None


def test_the_plan_schema_is_kept_in_the_routines_folder(tmp_path: Path) -> None:
    from routine_timer.core.schema_file import ensure_schema
    from routine_timer.paths import plan_schema_path

    written = ensure_schema(tmp_path, plan=True)
    assert written == tmp_path / "plan.schema.json"
    assert written.read_bytes() == plan_schema_path().read_bytes()
