"""A plan's ladders: the 'ladder' key of a plan item, the levels it gives the rules,
and six-week histories climbing the bundled back-care plan's daily core ladder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from routine_timer.core.errors import RoutineFileError
from routine_timer.core.levels import Rung
from routine_timer.core.library import scan_library
from routine_timer.core.loader import parse_routine
from routine_timer.core.model import Routine, Variant
from routine_timer.core.plan_file import parse_plan, scan_plans
from routine_timer.core.programme import Completions, TrainingPlan, progress
from routine_timer.core.progression import (
    BackHistory,
    Level,
    Outcome,
    RedFlagCheck,
    SessionFacts,
    Suggestion,
    assess,
    current_level,
    item_ladder,
    ladder_for,
    plan_ladders,
    plan_standings,
)
from routine_timer.paths import AppPaths

KNOWN = {"knees", "planks", "core", "core-plus"}


def plan_text(ladder: str, routine: str = "core") -> str:
    return (
        "name: Ladder plan\nweeks: 6\nroutines:\n"
        f"  - routine: {routine}\n    when: daily\n    ladder:\n{ladder}"
    )


def problems(text: str) -> list[str]:
    try:
        parse_plan(text, "l.plan.yaml", KNOWN)
    except RoutineFileError as error:
        return [str(problem) for problem in error.errors]
    return []


# -- the plan file ---------------------------------------------------------------------


def test_a_ladder_is_read_easiest_first_with_variation_rungs() -> None:
    text = plan_text(
        "      - knees\n      - planks\n      - core\n"
        "      - {routine: core, variations: harder}\n      - core-plus\n"
    )
    [item] = parse_plan(text, "l.plan.yaml", KNOWN).items
    assert item.ladder == (
        Rung("knees"),
        Rung("planks"),
        Rung("core"),
        Rung("core", Variant.HARDER),
        Rung("core-plus"),
    )
    assert item.start_rung == Rung("core")
    assert item.counted_ids == ("core", "knees", "planks", "core-plus")


def test_a_plan_starting_on_a_variation_rung_starts_there() -> None:
    text = plan_text("      - {routine: core, variations: easier}\n      - core-plus\n")
    [item] = parse_plan(text, "l.plan.yaml", KNOWN).items
    assert item.start_rung == Rung("core", Variant.EASIER)


@pytest.mark.parametrize(
    ("ladder", "routine", "message"),
    [
        (
            "      - knees\n      - planks\n",
            "core",
            "l.plan.yaml:7:7: error: the item's routine 'core' is not on its ladder: it is the "
            "rung the runner starts on, so list it too, such as '- core' in its place from "
            "easiest to hardest",
        ),
        (
            "      - knees\n      - core\n      - knees\n",
            "core",
            "l.plan.yaml:9:9: error: routine 'knees' is already on this ladder, on line 7",
        ),
        (
            "      - knees\n      - {routine: core, variations: hard}\n",
            "core",
            "l.plan.yaml:8:37: error: 'variations' is easier or harder: the routine done with its "
            "exercises' easier or harder variations, got 'hard' (text) (did you mean 'harder'?)",
        ),
        (
            "      - kness\n      - core\n",
            "core",
            "l.plan.yaml:7:9: error: no routine with id 'kness' in the library "
            "(did you mean 'knees'?)",
        ),
        (
            "      - core\n",
            "core",
            "l.plan.yaml:7:7: error: 'ladder' must be a list of at least two rungs, easiest first, "
            "each a routine id or '{routine: ID, variations: easier}', such as "
            "[core-knee-planks, core], got a list of one rung",
        ),
        (
            "      - knees\n      - {routine: core, variant: easier}\n",
            "core",
            "l.plan.yaml:8:25: error: unknown key 'variant' in a rung of a ladder "
            "(did you mean 'variations'?)",
        ),
        (
            "      - knees\n      - [core]\n",
            "core",
            "l.plan.yaml:8:9: error: each rung of a ladder is a routine id, or a mapping such as "
            "'{routine: runners-daily-core, variations: harder}', got a list",
        ),
    ],
)
def test_mistakes_in_a_ladder_are_said_where_they_are(
    ladder: str, routine: str, message: str
) -> None:
    assert problems(plan_text(ladder, routine)) == [message]


def test_levels_is_taken_for_ladder() -> None:
    text = plan_text("      - knees\n      - core\n").replace("ladder:", "levels:")
    assert problems(text) == [
        "l.plan.yaml:6:5: error: unknown key 'levels' in a plan's routine (did you mean 'ladder'?)"
    ]


def test_a_routine_on_a_ladder_is_not_planned_again() -> None:
    text = plan_text("      - knees\n      - core\n") + "  - routine: knees\n    when: mon\n"
    assert problems(text) == [
        "l.plan.yaml:9:5: error: routine 'knees' is already planned on line 4; a routine may be "
        "on one item's ladder only, where its sessions count for that item"
    ]


# -- what the plan counts ------------------------------------------------------------------


def test_a_session_of_any_rung_counts_for_the_item(tmp_path: object) -> None:
    plan = parse_plan(plan_text("      - knees\n      - core\n"), "l.plan.yaml", KNOWN)
    monday = date(2026, 3, 2)
    done = Completions([(monday, "knees"), (monday + timedelta(days=1), "core")])
    shown = progress(plan, done, monday + timedelta(days=1), chosen=monday)
    assert shown.days_in_a_row == 2
    assert [entry.routine_id for entry in shown.today.items] == ["core"]
    assert plan.item_of("knees") is plan.items[0]


# -- the levels the rules get ---------------------------------------------------------------


def routine(routine_id: str, seconds: int, *, easier: bool = False) -> Routine:
    variation = "    easier:\n      name: Knee plank\n" if easier else ""
    text = (
        f"format: 2\nname: {routine_id.capitalize()}\nexercises:\n"
        f"  - name: Front plank\n    time: {seconds}s\n{variation}"
    )
    return parse_routine(text, f"{routine_id}.yaml")


ROUTINES = {
    "knees": routine("knees", 20),
    "planks": routine("planks", 20),
    "core": routine("core", 30, easier=True),
    "core-plus": routine("core-plus", 40),
}


def test_the_plan_hands_its_ladder_to_the_rules_for_every_rung() -> None:
    text = plan_text(
        "      - knees\n      - {routine: core, variations: easier}\n      - core\n"
        "      - {routine: core-plus, variations: easier}\n      - core-plus\n"
    )
    plan = parse_plan(text, "l.plan.yaml", KNOWN)
    source = plan_ladders(plan, ROUTINES)
    ladder = ladder_for(ROUTINES["knees"], source)
    assert ladder.from_plan and ladder is ladder_for(ROUTINES["core"], source)
    # core-plus has no easier variations: that rung could never be reached, so it is left out.
    assert [(level.routine_id, level.variant, level.name) for level in ladder.rungs] == [
        ("knees", None, "Knees"),
        ("core", Variant.EASIER, "Core, easier variations"),
        ("core", None, "Core"),
        ("core-plus", None, "Core-plus"),
    ]
    assert ladder.start == Level("core")
    # A routine no plan ladder names keeps its own variations.
    assert not ladder_for(routine("other", 30), source).from_plan


def test_the_current_rung_is_the_last_accepted_step_on_the_ladder() -> None:
    plan = parse_plan(plan_text("      - knees\n      - planks\n      - core\n"), "l", KNOWN)
    ladder = item_ladder(plan.items[0], ROUTINES)
    assert ladder is not None
    assert current_level(ladder, []) == Level("core")
    accepted = [Rung("planks"), Rung("elsewhere"), Rung("core", Variant.EASIER)]
    assert current_level(ladder, accepted) == Level("planks")
    accepted.append(Rung("knees"))
    [standing] = plan_standings(plan, ROUTINES, accepted).values()
    assert standing.level.name == "Knees" and standing.text == "level 1 of 3"


# -- six weeks on the bundled plan's daily core ladder ------------------------------------

BUNDLED_PLAN_ID = "runners-back-care"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[TrainingPlan, dict[str, Routine]]:
    paths = AppPaths(tmp_path_factory.mktemp("data"))
    routines = {
        entry.id: entry.routine
        for entry in scan_library(paths)
        if entry.valid and entry.routine is not None
    }
    [entry] = [e for e in scan_plans(paths, set(routines)) if e.id == BUNDLED_PLAN_ID]
    assert entry.plan is not None
    return entry.plan, routines


def test_the_bundled_daily_core_ladder_runs_from_knee_planks_to_leg_lifts(
    bundled: tuple[TrainingPlan, dict[str, Routine]],
) -> None:
    plan, routines = bundled
    ladder = item_ladder(plan.items[0], routines)
    assert ladder is not None
    assert [level.routine_id for level in ladder.rungs] == [
        "core-knee-planks",
        "core-planks-20",
        "runners-daily-core",
        "core-planks-40",
        "core-plank-leg-lifts",
    ]
    assert ladder.start == Level("runners-daily-core")
    planks = [
        next(exercise.time for exercise in routines[level.routine_id].exercises)
        for level in ladder.rungs
    ]
    assert planks == [20.0, 20.0, 30.0, 40.0, 40.0]
    # The bird dog's holds stay at 10 s on every rung: it grows by reps and sets.
    for level in ladder.rungs:
        [bird_dog] = [e for e in routines[level.routine_id].exercises if e.name == "Bird dog"]
        assert bird_dog.hold == 10.0


Pain = tuple[int, int]
"""Pain before and after of one session."""


def climb(
    plan: TrainingPlan,
    routines: dict[str, Routine],
    sessions: list[tuple[Pain, bool]],
    red_flags: dict[int, frozenset[str]] | None = None,
) -> list[tuple[int, Outcome, str, str]]:
    """Daily sessions over six weeks on the plan's daily core, each suggestion accepted:
    (session, outcome, rung done, rung suggested or the change of numbers).
    ``red_flags``: the questions answered yes (none: all no) after session N."""
    source = plan_ladders(plan, routines)
    start = item_ladder(plan.items[0], routines)
    assert start is not None and start.start is not None
    level = start.start
    facts: list[SessionFacts] = []
    checks: list[RedFlagCheck] = []
    shown: set[int] = set()
    found = []
    for number, ((before, after), stopped) in enumerate(sessions, start=1):
        facts.append(
            SessionFacts(
                number,
                level.routine_id,
                date(2026, 3, 2) + timedelta(days=number - 1),
                completed=not stopped,
                pain_before=before,
                pain_after=after,
                rpe=5,
                stopped_for_pain=stopped,
                variant=level.variant,
            )
        )
        done = routines[level.routine_id]
        if red_flags is not None and number in red_flags:
            checks.append(RedFlagCheck(facts[-1].day, red_flags[number], number))
        history = BackHistory(tuple(facts), red_flags=tuple(checks), suggested=frozenset(shown))
        made: Suggestion | None = assess(history, done, ladder=ladder_for(done, source))
        if made is None:
            continue
        shown.add(number)
        change = made.target.routine_id if made.target is not None else made.change_text
        found.append((number, made.outcome, level.routine_id, change))
        if made.target is not None:
            level = made.target
    return found


STEADY = [((2, 2), False)] * 42


def test_six_steady_weeks_climb_the_ladder_then_change_the_numbers(
    bundled: tuple[TrainingPlan, dict[str, Routine]],
) -> None:
    found = climb(*bundled, STEADY)
    assert found[:3] == [
        (3, Outcome.PROGRESS, "runners-daily-core", "core-planks-40"),
        (6, Outcome.PROGRESS, "core-planks-40", "core-plank-leg-lifts"),
        (
            9,
            Outcome.PROGRESS,
            "core-plank-leg-lifts",
            "Plank with leg lifts: 40 s to 50 s; Side plank with leg lift: 40 s to 50 s; "
            "Russian twist, feet up: 10 reps to 12 reps; Bird dog: 2 sets to 3 sets; "
            "Bridge marching: 60 s to 70 s",
        ),
    ]
    # At the top, a suggestion every third steady session, always of the numbers.
    assert [row[0] for row in found] == list(range(3, 43, 3))
    assert all(row[2] == "core-plank-leg-lifts" for row in found[2:])


def test_a_stop_for_pain_steps_back_a_rung_and_a_flare_up_holds_then_steps_back(
    bundled: tuple[TrainingPlan, dict[str, Routine]],
) -> None:
    sessions = list(STEADY)
    sessions[1] = ((2, 4), True)  # day 2: stopped for pain on the daily core
    sessions[6] = ((2, 4), False)  # days 7 and 8: pain rose twice in a row
    sessions[7] = ((3, 5), False)
    found = climb(*bundled, sessions)
    assert found[:5] == [
        (2, Outcome.STEP_BACK, "runners-daily-core", "core-planks-20"),
        (5, Outcome.PROGRESS, "core-planks-20", "runners-daily-core"),
        (7, Outcome.HOLD, "runners-daily-core", ""),
        (8, Outcome.STEP_BACK, "runners-daily-core", "core-planks-20"),
        (11, Outcome.PROGRESS, "core-planks-20", "runners-daily-core"),
    ]


def test_a_step_back_from_the_bottom_rung_eases_the_numbers(
    bundled: tuple[TrainingPlan, dict[str, Routine]],
) -> None:
    sessions = [((2, 6), False)] * 3  # pain after above 5, three times
    found = climb(*bundled, sessions)
    assert found == [
        (1, Outcome.STEP_BACK, "runners-daily-core", "core-planks-20"),
        (2, Outcome.STEP_BACK, "core-planks-20", "core-knee-planks"),
        (
            3,
            Outcome.STEP_BACK,
            "core-knee-planks",
            "Knee plank: 20 s to 15 s; Side plank on the bottom knee: 20 s to 15 s; "
            "Russian twist, heels down: 10 reps to 8 reps; Bird dog: 6 reps to 4 reps; "
            "Glute bridge: 45 s to 35 s",
        ),
    ]


def test_a_red_flag_stops_every_step_until_it_is_cleared(
    bundled: tuple[TrainingPlan, dict[str, Routine]],
) -> None:
    red_flags = {4: frozenset({"leg-pain"}), 20: frozenset()}
    found = climb(*bundled, STEADY[:24], red_flags)
    assert found[0] == (3, Outcome.PROGRESS, "runners-daily-core", "core-planks-40")
    # From session 4 to 19 the warning sign is open: a stop at each, never a rung.
    assert [row[:2] for row in found[1:17]] == [(n, Outcome.STOP) for n in range(4, 20)]
    assert all(row[2] == "core-planks-40" and row[3] == "" for row in found[1:17])
    # Cleared on session 20's finish screen: it is the first of three steady ones again.
    assert found[17:] == [(22, Outcome.PROGRESS, "core-planks-40", "core-plank-leg-lifts")]
