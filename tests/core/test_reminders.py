"""The reminder rules over a week of days, moved minute by minute on a fake wall clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest

from routine_timer.core.plan_file import parse_plan
from routine_timer.core.programme import Completions, TrainingPlan, block_of, day_plan
from routine_timer.core.reminders import (
    SNOOZE,
    Reminder,
    ReminderLog,
    ReminderTime,
    clock_text,
    decide,
    parse_clock_time,
    reminder_text,
    reminder_times,
    snooze,
)

MONDAY = date(2026, 3, 2)
PLAN_TEXT = """
name: Back care
start: 2026-03-02
weeks: 2
runs: [tue, thu, sat]
remind: "18:30"
routines:
  - routine: core
    when: daily
  - routine: strength
    when: [mon, fri]
  - routine: warm-up
    when: before-run
    remind: "07:00"
  - routine: glutes
    per_week: 2
"""


@pytest.fixture(scope="module")
def plan() -> TrainingPlan:
    return parse_plan(PLAN_TEXT, "back.plan.yaml")


@dataclass
class Day:
    """One day of the simulation: what is done, what the log holds, what was shown."""

    plan: TrainingPlan
    day: date
    own: time | None = None
    done: set[str] = field(default_factory=set)
    log_text: str = ""
    shown: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    last: Reminder | None = None
    next_look: datetime | None = None

    def look(self, at: str) -> None:
        now = datetime.combine(self.day, _t(at))
        today = day_plan(
            self.plan,
            block_of(self.plan, None, self.day),
            Completions((self.day, routine) for routine in self.done),
            self.day,
        )
        decision = decide(
            now, reminder_times(self.plan, self.own), today, ReminderLog.from_text(self.log_text)
        )
        # Kept as text between looks, as the app keeps it in its settings: a restart
        # at any look loses nothing.
        self.log_text = decision.log.to_text()
        self.next_look = decision.next_look
        if decision.reminder is not None:
            self.last = decision.reminder
            self.shown.append((at, tuple(entry.routine_id for entry in decision.reminder.due)))

    def later(self, at: str) -> None:
        assert self.last is not None
        now = datetime.combine(self.day, _t(at))
        self.log_text = snooze(ReminderLog.from_text(self.log_text), self.last, now).to_text()

    def run(self, script: str) -> list[tuple[str, tuple[str, ...]]]:
        """``08:00 look; 09:00 done core; 18:31 later`` - each step at its time."""
        for step in filter(None, (part.strip() for part in script.split(";"))):
            at, action, *rest = step.split()
            if action == "look":
                self.look(at)
            elif action == "done":
                self.done.add(rest[0])
            elif action == "later":
                self.later(at)
            elif action == "restart":
                pass  # nothing kept but the log text, which survives as it is
            else:
                raise AssertionError(step)
        return self.shown


def _t(text: str) -> time:
    moment = parse_clock_time(text)
    assert moment is not None, text
    return moment


def _every_minute(start: str, end: str) -> str:
    first = datetime.combine(MONDAY, _t(start))
    last = datetime.combine(MONDAY, _t(end))
    steps = []
    while first <= last:
        steps.append(f"{first:%H:%M} look")
        first += timedelta(minutes=1)
    return "; ".join(steps)


WEEK = [
    # (day offset from Monday, script, what is shown: (time, routines))
    pytest.param(
        0,
        _every_minute("06:00", "23:59"),
        [("18:30", ("core", "strength"))],
        id="mon-nothing-done-once-at-18:30",
    ),
    pytest.param(
        1,
        _every_minute("06:00", "23:59"),
        [("07:00", ("warm-up",)), ("18:30", ("core",))],
        id="tue-run-day-warm-up-at-its-own-time",
    ),
    pytest.param(
        2,
        "08:00 look; 09:00 done core; 18:30 look; 18:31 look; 22:00 look",
        [],
        id="wed-done-before-the-time",
    ),
    pytest.param(
        3,
        "06:59 look; 07:00 look; 07:20 done warm-up; 07:40 done warm-up; 18:30 look; "
        "19:00 done core; 19:30 done core; 20:00 look",
        [("07:00", ("warm-up",)), ("18:30", ("core",))],
        id="thu-done-twice-counts-once",
    ),
    pytest.param(
        4,
        "17:00 look; 18:30 look; 18:31 restart; 18:32 look; 23:00 look",
        [("18:30", ("core", "strength"))],
        id="fri-restart-after-the-time-not-twice",
    ),
    pytest.param(
        4,
        "17:00 look; 17:05 restart; 20:15 look; 20:16 look",
        [("20:15", ("core", "strength"))],
        id="fri-restart-before-the-time-reminds-at-the-first-look-after",
    ),
    pytest.param(
        5,
        "07:30 look; 18:30 look; 18:31 later; 18:45 look; 19:00 look; 19:01 look; 19:31 look",
        [("07:30", ("warm-up",)), ("18:30", ("core", "glutes")), ("19:01", ("core", "glutes"))],
        id="sat-later-asks-again-30-minutes-on",
    ),
    pytest.param(
        5,
        "18:30 look; 18:31 later; 18:50 done core; 19:01 look; 19:02 look",
        [("18:30", ("core", "warm-up", "glutes")), ("19:01", ("warm-up", "glutes"))],
        id="sat-later-then-done-asks-only-of-the-rest",
    ),
    pytest.param(
        5,
        "23:50 look; 23:51 later; 23:59 look",
        [("23:50", ("core", "warm-up", "glutes"))],
        id="sat-later-never-carries-past-midnight",
    ),
    pytest.param(
        6,
        "10:00 look; 18:29 look; 18:30 look",
        [("18:30", ("core", "glutes"))],
        id="sun-a-per-week-routine-due-on-the-last-day-counts",
    ),
]


@pytest.mark.parametrize(("offset", "script", "expected"), WEEK)
def test_a_week_of_reminders(
    plan: TrainingPlan, offset: int, script: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    day = Day(plan, MONDAY + timedelta(days=offset))
    assert day.run(script) == expected


def test_a_missed_day_does_not_remind_the_next_day(plan: TrainingPlan) -> None:
    monday = Day(plan, MONDAY)
    monday.run("18:30 look")
    # Tuesday is not looked at at all (the computer was off). Wednesday starts clean:
    # the old log is Monday's, and Wednesday's own time reminds once.
    wednesday = Day(plan, MONDAY + timedelta(days=2), log_text=monday.log_text)
    assert wednesday.run("06:00 look; 18:30 look; 18:40 look") == [("18:30", ("core",))]


def test_a_late_start_covers_every_time_passed_in_one_reminder(plan: TrainingPlan) -> None:
    tuesday = Day(plan, MONDAY + timedelta(days=1))
    assert tuesday.run("21:00 look; 21:01 look") == [("21:00", ("core", "warm-up"))]


def test_the_runners_own_time_replaces_the_plans(plan: TrainingPlan) -> None:
    tuesday = Day(plan, MONDAY + timedelta(days=1), own=time(12, 15))
    assert tuesday.run(_every_minute("06:00", "23:59")) == [("12:15", ("core", "warm-up"))]


def test_next_look_is_the_next_time_that_can_remind(plan: TrainingPlan) -> None:
    tuesday = Day(plan, MONDAY + timedelta(days=1))
    tuesday.look("06:00")
    assert tuesday.next_look == datetime(2026, 3, 3, 7, 0)
    tuesday.look("07:00")
    assert tuesday.next_look == datetime(2026, 3, 3, 18, 30)
    tuesday.later("07:05")
    assert tuesday.next_look == datetime(2026, 3, 3, 18, 30)
    tuesday.look("07:06")
    assert tuesday.next_look == datetime(2026, 3, 3, 7, 5) + SNOOZE
    tuesday.done |= {"core", "warm-up"}
    tuesday.look("19:00")
    # Nothing left today: tomorrow's first time.
    assert tuesday.next_look == datetime(2026, 3, 4, 7, 0)


def test_a_plan_without_times_never_reminds(plan: TrainingPlan) -> None:
    bare = parse_plan(
        "name: Bare\nweeks: 1\nroutines:\n  - routine: core\n    when: daily\n", "b.plan.yaml"
    )
    assert reminder_times(bare) == ()
    day = Day(bare, MONDAY)
    assert day.run("18:30 look; 23:59 look") == []
    assert day.next_look is None


def test_wall_clock_jumps_forward_and_back(plan: TrainingPlan) -> None:
    # Summer time, or a clock set by hand: minutes that never came still remind,
    # and an hour lived twice does not remind twice.
    monday = Day(plan, MONDAY)
    assert monday.run("18:10 look; 19:10 look; 18:10 look; 18:40 look; 19:10 look") == [
        ("19:10", ("core", "strength"))
    ]


def test_the_log_reads_back_what_it_wrote() -> None:
    log = ReminderLog(
        MONDAY,
        frozenset({time(7), time(18, 30)}),
        ((time(18, 30), datetime(2026, 3, 2, 19, 0, 5)),),
    )
    assert log.to_text() == "2026-03-02 shown=07:00,18:30 later=18:30@19:00:05"
    assert ReminderLog.from_text(log.to_text()) == log


@pytest.mark.parametrize(
    "text",
    ["", "garbage", "2026-13-01 shown=07:00", "2026-03-02 shown=99:00 later=x@y,18:30@zz"],
)
def test_a_damaged_log_reads_as_what_can_be_read(text: str) -> None:
    log = ReminderLog.from_text(text)
    assert log.shown == frozenset()
    assert log.snoozed == ()


def test_a_day_plan_of_another_day_is_refused(plan: TrainingPlan) -> None:
    today = day_plan(plan, block_of(plan, None, MONDAY), Completions(), MONDAY)
    with pytest.raises(ValueError, match="not for today"):
        decide(datetime(2026, 3, 3, 9), reminder_times(plan), today, ReminderLog())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18:30", time(18, 30)), ("7:05", time(7, 5)), (" 00:00 ", time(0)), ("23:59", time(23, 59))],
)
def test_clock_times_read(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected
    assert parse_clock_time(clock_text(expected)) == expected


@pytest.mark.parametrize("text", ["24:00", "18:60", "1830", "6:30pm", "18:30:00", "", "-1:00"])
def test_other_clock_texts_are_not_times(text: str) -> None:
    assert parse_clock_time(text) is None


def test_the_words_of_a_reminder(plan: TrainingPlan) -> None:
    today = day_plan(plan, block_of(plan, None, MONDAY), Completions(), MONDAY)
    decision = decide(datetime(2026, 3, 2, 18, 30), reminder_times(plan), today, ReminderLog())
    assert decision.reminder is not None
    summary, body = reminder_text(decision.reminder, {"core": "Daily core"})
    assert summary == "Time for Daily core"
    assert body == "Still to do today: Daily core, strength."


def test_times_group_the_routines_they_are_for(plan: TrainingPlan) -> None:
    assert reminder_times(plan) == (
        ReminderTime(time(7), frozenset({"warm-up"})),
        ReminderTime(time(18, 30), frozenset({"core", "strength", "glutes"})),
    )
    assert reminder_times(plan, time(9)) == (ReminderTime(time(9)),)
