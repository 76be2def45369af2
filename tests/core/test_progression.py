"""The progression rules over simulated six-week histories, and their pieces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from routine_timer.core.loader import load_routine, parse_routine
from routine_timer.core.model import Variant
from routine_timer.core.progression import (
    BackHistory,
    DoseChange,
    Ladder,
    Level,
    Morning,
    Outcome,
    RedFlagCheck,
    SessionFacts,
    assess,
    daily_pain,
    dose_change,
    ladder_for,
    rolling_mean,
    session_variant,
    simulate,
    variation_ladder,
)
from routine_timer.paths import bundled_routines_dir

DAILY_CORE = load_routine(bundled_routines_dir() / "runners-daily-core.yaml")
MONDAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Day:
    """One session of the simulation: week 1-6, weekday 0 (Monday) to 6."""

    week: int
    weekday: int
    before: int | None = 2
    after: int | None = 2
    rpe: int | None = 5
    completed: bool = True
    stopped: bool = False
    variant: Variant | None = None

    @property
    def day(self) -> date:
        return MONDAY + timedelta(weeks=self.week - 1, days=self.weekday)


def three_a_week(**overrides: object) -> list[Day]:
    """Monday, Wednesday and Friday for six weeks, all alike."""
    return [Day(week, weekday, **overrides) for week in range(1, 7) for weekday in (0, 2, 4)]  # type: ignore[arg-type]


def changed(days: list[Day], changes: dict[tuple[int, int], dict[str, object]]) -> list[Day]:
    """``days`` with the sessions at (week, weekday) changed."""
    out = []
    for day in days:
        change = changes.get((day.week, day.weekday))
        out.append(Day(**{**day.__dict__, **change}) if change else day)  # type: ignore[arg-type]
    return out


def history_of(
    days: list[Day],
    mornings: dict[tuple[int, int], Morning] | None = None,
    red_flags: list[tuple[int, int, frozenset[str]]] = (),  # type: ignore[assignment]
) -> BackHistory:
    sessions = tuple(
        SessionFacts(
            session_id=number,
            routine_id=DAILY_CORE.id,
            day=day.day,
            completed=day.completed,
            pain_before=day.before,
            pain_after=day.after,
            rpe=day.rpe,
            stopped_for_pain=day.stopped,
            variant=day.variant,
        )
        for number, day in enumerate(days, start=1)
    )
    return BackHistory(
        sessions,
        {Day(w, d).day: answer for (w, d), answer in (mornings or {}).items()},
        tuple(RedFlagCheck(Day(w, d).day, yes) for w, d, yes in red_flags),
    )


def outcomes(history: BackHistory) -> list[tuple[int, Outcome, str]]:
    return [(s.session_id, s.outcome, s.rule) for s in simulate(history, DAILY_CORE)]


STEADY = three_a_week()
IMPROVING = [
    Day(week, weekday, before=max(0, 5 - week), after=max(0, 5 - week),
        variant=Variant.EASIER if week == 1 else None)
    for week in range(1, 7) for weekday in (0, 2, 4)
]  # fmt: skip
FLARE_UP = changed(
    STEADY,
    {(3, 0): {"before": 2, "after": 4}, (3, 2): {"before": 3, "after": 5}},
)
STOP_FOR_PAIN = changed(STEADY, {(2, 2): {"completed": False, "stopped": True, "after": 4}})
RED_FLAG = STEADY
BAD_DAY = changed(STEADY, {(2, 0): {"before": 2, "after": 5}})
HIGH_PAIN = changed(STEADY, {(4, 4): {"before": 5, "after": 6}})
HARD = changed(STEADY, {(1, 2): {"rpe": 8}})
SLOW_RISE = [
    Day(week, weekday, before=pain, after=pain)
    for week, pain in zip(range(1, 7), (1, 1, 3, 3, 5, 5), strict=True) for weekday in (0, 2, 4)
]  # fmt: skip


SCENARIOS = {
    # Every third steady session, a step up: as written is the top rung, so more seconds.
    "steady": (history_of(STEADY), [(n, Outcome.PROGRESS, "steady") for n in range(3, 19, 3)]),
    # Easier variations for a week, then up a rung, then the count starts again at that level.
    "improving": (
        history_of(IMPROVING),
        [(3, Outcome.PROGRESS, "steady")]
        + [(n, Outcome.PROGRESS, "steady") for n in range(6, 19, 3)],
    ),
    # A rise of 2 holds; a second in a row steps back; steady again after.
    "flare-up": (
        history_of(FLARE_UP),
        [
            (3, Outcome.PROGRESS, "steady"),
            (6, Outcome.PROGRESS, "steady"),
            (7, Outcome.HOLD, "pain-rose"),
            (8, Outcome.STEP_BACK, "rose-twice"),
            (11, Outcome.PROGRESS, "steady"),
            (14, Outcome.PROGRESS, "steady"),
            (17, Outcome.PROGRESS, "steady"),
        ],
    ),
    # Stopped for pain: one step back, and the count starts after it.
    "stop for pain": (
        history_of(STOP_FOR_PAIN),
        [
            (3, Outcome.PROGRESS, "steady"),
            (5, Outcome.STEP_BACK, "stopped-for-pain"),
            (8, Outcome.PROGRESS, "steady"),
            (11, Outcome.PROGRESS, "steady"),
            (14, Outcome.PROGRESS, "steady"),
            (17, Outcome.PROGRESS, "steady"),
        ],
    ),
    # A yes on Tuesday of week 3 makes every suggestion "stop" until the no of week 5;
    # the count of steady sessions starts after it.
    "red flag": (
        history_of(RED_FLAG, red_flags=[(3, 1, frozenset({"legs"})), (5, 1, frozenset())]),
        [(3, Outcome.PROGRESS, "steady"), (6, Outcome.PROGRESS, "steady")]
        + [(n, Outcome.STOP, "red-flag") for n in range(8, 14)]
        + [(16, Outcome.PROGRESS, "steady")],
    ),
    # One bad day holds, never steps back.
    "single bad day": (
        history_of(BAD_DAY),
        [(3, Outcome.PROGRESS, "steady"), (4, Outcome.HOLD, "pain-rose")]
        + [(n, Outcome.PROGRESS, "steady") for n in range(7, 19, 3)],
    ),
    # Pain after above 5 steps back even without a rise.
    "high pain": (
        history_of(HIGH_PAIN),
        [(n, Outcome.PROGRESS, "steady") for n in (3, 6, 9)]
        + [
            (12, Outcome.STEP_BACK, "pain-above-5"),
            (15, Outcome.PROGRESS, "steady"),
            (18, Outcome.PROGRESS, "steady"),
        ],
    ),
    "hard effort": (
        history_of(HARD),
        [(2, Outcome.HOLD, "hard-effort")]
        + [(n, Outcome.PROGRESS, "steady") for n in range(5, 19, 3)],
    ),
    # A worse morning after Monday's session: Wednesday holds, and Monday does not count.
    "worse morning": (
        history_of(STEADY, mornings={(2, 1): Morning.WORSE}),
        [(3, Outcome.PROGRESS, "steady"), (5, Outcome.HOLD, "morning-worse")]
        + [(n, Outcome.PROGRESS, "steady") for n in range(8, 19, 3)],
    ),
    # No session raises pain, but every other week starts 2 points higher: judged by
    # its trend, the 7-day mean reaches 2 above the week before on the third session.
    "slow rise": (
        history_of(SLOW_RISE),
        [
            (3, Outcome.PROGRESS, "steady"),
            (6, Outcome.PROGRESS, "steady"),
            (9, Outcome.HOLD, "pain-trend"),
            (12, Outcome.PROGRESS, "steady"),
            (15, Outcome.HOLD, "pain-trend"),
            (18, Outcome.PROGRESS, "steady"),
        ],
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_six_weeks_give_exactly_the_suggestions_of_the_rules(name: str) -> None:
    history, expected = SCENARIOS[name]
    assert outcomes(history) == sorted(expected)


def test_a_step_up_from_the_top_rung_is_more_seconds_in_words() -> None:
    [first, *_] = simulate(history_of(STEADY), DAILY_CORE)
    assert first.target is None
    assert first.doses[:2] == (
        DoseChange("Front plank", "time", 30, 40),
        DoseChange("Side plank", "time", 30, 40),
    )
    assert first.text == (
        "3 sessions completed, back no worse: try 40 s front plank and 40 s side plank"
        " (and 3 more changes)?"
    )


def test_a_step_up_from_the_easier_variations_is_the_routine_as_written() -> None:
    [first, second, *_] = simulate(history_of(IMPROVING), DAILY_CORE)
    assert first.current.variant is Variant.EASIER
    assert first.target == Level(DAILY_CORE.id, None, "Runner's daily core")
    assert first.text == "3 sessions completed, back no worse: try Runner's daily core?"
    assert second.current.variant is None and second.doses


def test_a_step_back_goes_to_the_easier_variations_then_to_fewer_seconds() -> None:
    history = history_of(STOP_FOR_PAIN)
    back = assess(history, DAILY_CORE, session_id=5)
    assert back is not None and back.target is not None
    assert back.target.variant is Variant.EASIER
    assert back.text == "You stopped for pain: try Runner's daily core, easier variations?"
    easier = history_of(changed(STOP_FOR_PAIN, {(2, 2): {"variant": Variant.EASIER}}))
    lower = assess(easier, DAILY_CORE, session_id=5)
    assert lower is not None and lower.target is None
    assert DoseChange("Knee plank", "time", 30, 25) in lower.doses


def test_holds_and_stops_say_why_and_change_nothing() -> None:
    hold = assess(history_of(BAD_DAY), DAILY_CORE, session_id=4)
    assert hold is not None and not hold.changes_level
    assert hold.text == "Pain rose by 3 points today: stay at this level for now?"
    stop = simulate(history_of(RED_FLAG, red_flags=[(1, 1, frozenset({"saddle"}))]), DAILY_CORE)
    assert {s.outcome for s in stop[1:]} == {Outcome.STOP}
    assert "a professional" in stop[-1].text and not stop[-1].changes_level


def test_nothing_is_suggested_before_three_steady_sessions() -> None:
    assert assess(history_of(STEADY[:2]), DAILY_CORE) is None
    assert assess(BackHistory(()), DAILY_CORE) is None


@pytest.mark.parametrize(
    ("work", "up", "change"),
    [
        ("time: 20s", True, ("time", 20, 25)),
        ("time: 30s", True, ("time", 30, 40)),
        ("time: 30s", False, ("time", 30, 25)),
        ("time: 40s", False, ("time", 40, 30)),
        ("time: 10s", False, None),
        ("time: 5s", False, None),
        ("time: 12s", False, ("time", 12, 10)),
        ("reps: 8\n    hold: 8s", True, ("reps", 8, 10)),
        ("reps: 10\n    hold: 8s", True, ("sets", 1, 2)),
        ("reps: 10\n    hold: 8s\n    sets: 3", True, ("hold", 8, 10)),
        ("reps: 10\n    hold: 10s\n    sets: 3", True, None),
        ("reps: 10\n    hold: 15s\n    sets: 3", True, None),
        ("reps: 10\n    hold: 8s", False, ("reps", 10, 8)),
        ("reps: 2\n    hold: 8s", False, None),
        ("reps: 12", True, ("reps", 12, 14)),
        ("reps: [6, 4, 2]\n    hold: 8s", True, ("reps", 6, 8)),
    ],
)
def test_the_numbers_grow_by_seconds_for_planks_and_by_reps_for_short_holds(
    work: str, up: bool, change: tuple[str, float, float] | None
) -> None:
    routine = parse_routine(
        f"format: 2\nname: R\nexercises:\n  - name: Hold\n    {work}\n", "r.yaml"
    )
    expected = None if change is None else DoseChange("Hold", *change)
    assert dose_change(routine.exercises[0], up) == expected


def test_the_ladder_has_a_rung_only_for_the_variations_there_are() -> None:
    ladder = variation_ladder(DAILY_CORE)
    assert [rung.variant for rung in ladder.rungs] == [Variant.EASIER, None]
    pyramid = load_routine(bundled_routines_dir() / "core-pyramid.yaml")
    assert [rung.variant for rung in variation_ladder(pyramid).rungs] == [
        Variant.EASIER, None, Variant.HARDER,
    ]  # fmt: skip


def test_a_plan_ladder_that_holds_the_routine_comes_first() -> None:
    plan = Ladder((Level("knee-planks", None, "Knee planks"), Level(DAILY_CORE.id, None, "Core")))
    assert ladder_for(DAILY_CORE, lambda routine: plan) is plan
    stranger = Ladder((Level("other"),))
    assert ladder_for(DAILY_CORE, lambda routine: stranger) == variation_ladder(DAILY_CORE)
    back = assess(history_of(STOP_FOR_PAIN), DAILY_CORE, ladder=plan, session_id=5)
    assert back is not None and back.target == plan.rungs[0]


def test_pain_is_judged_by_its_seven_day_mean() -> None:
    sessions = [
        SessionFacts(1, "r", MONDAY, True, pain_before=2, pain_after=4),
        SessionFacts(2, "r", MONDAY, True, pain_before=3),
        SessionFacts(3, "r", MONDAY + timedelta(days=6), True, pain_after=6),
    ]
    daily = daily_pain(sessions)
    assert daily == {MONDAY: 3.0, MONDAY + timedelta(days=6): 6.0}
    assert rolling_mean(daily, MONDAY + timedelta(days=6)) == 4.5
    assert rolling_mean(daily, MONDAY + timedelta(days=7)) == 6.0
    assert rolling_mean(daily, MONDAY - timedelta(days=1)) is None


def test_a_session_is_at_a_level_when_its_switched_exercises_agree() -> None:
    assert session_variant([None, Variant.EASIER, Variant.EASIER]) is Variant.EASIER
    assert session_variant([Variant.EASIER, Variant.HARDER]) is None
    assert session_variant([None, None]) is None
