"""When to remind the runner of today's routines: pure rules, no Qt, no clock of their own.

A reminder is due at a time of day (a *reminder time*): the plan's
``remind`` (``docs/plan-format.md``), a routine's own ``remind``, or the
runner's own time from Settings, which replaces the plan's times. Given the
wall-clock time now, the reminder times, what the plan asks of today
(:class:`~routine_timer.core.programme.DayPlan`) and what was already shown
today (:class:`ReminderLog`), :func:`decide` says whether to remind now, of
what, and when to look again.

The rules:

- a reminder time reminds once a day, at the time or at the first look after
  it (the app started later, the computer woke up): the log keeps which
  times were shown today, so a restart after the time reminds once if the
  routine is still due, and never twice;
- only routines still *due* today count: nothing is shown once today's work
  is done, nor for a routine that can wait for a later day of the week;
- "Later" (:func:`snooze`) asks again :data:`SNOOZE` later, if still due then;
  a snooze never carries past midnight;
- times are wall-clock times, compared as the clock on the wall reads: after
  a jump forward (summer time, a clock set ahead) a time that was skipped
  reminds at once; after a jump back a time already shown is not shown again.

The log is kept between runs as a line of text (:meth:`ReminderLog.to_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Final

from routine_timer.core.programme import DayPlan, DueItem, Status, TrainingPlan

SNOOZE: Final = timedelta(minutes=30)
"""How long "Later" puts a reminder off."""

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_clock_time(text: str) -> time | None:
    """A 24-hour time of day written ``HH:MM`` (``18:30``, ``7:05``); None if it is not one."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    return time(int(match[1]), int(match[2]))


def clock_text(moment: time) -> str:
    """A time of day as the plan file and the settings write it: ``18:30``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


@dataclass(frozen=True, slots=True)
class ReminderTime:
    """One time of day to remind at, and of which routines."""

    at: time
    routines: frozenset[str] | None = None
    """The routine ids this time is for; None: every routine of the plan."""

    def covers(self, routine_id: str) -> bool:
        return self.routines is None or routine_id in self.routines


def reminder_times(plan: TrainingPlan, own: time | None = None) -> tuple[ReminderTime, ...]:
    """The plan's reminder times, earliest first; ``own`` (the runner's time) replaces them all.

    A routine with its own ``remind`` is reminded of at that time only; the
    others at the plan's ``remind``, if it has one.
    """
    if own is not None:
        return (ReminderTime(own),)
    routines: dict[time, set[str]] = {}
    for item in plan.items:
        at = item.remind or plan.remind
        if at is not None:
            routines.setdefault(at, set()).add(item.routine_id)
    return tuple(ReminderTime(at, frozenset(ids)) for at, ids in sorted(routines.items()))


def plan_times_text(plan: TrainingPlan, names: Mapping[str, str]) -> str:
    """When ``plan`` reminds, in words: "Back care reminds at 18:30; Warm-up at 07:00."."""
    own = [
        f"{names.get(item.routine_id, item.routine_id)} at {clock_text(item.remind)}"
        for item in plan.items
        if item.remind is not None and item.remind != plan.remind
    ]
    if plan.remind is None and not own:
        return f"{plan.name} sets no time of day: choose your own."
    if plan.remind is None:
        return f"{plan.name} reminds of " + "; ".join(own) + " only."
    others = "".join(f"; {each}" for each in own)
    return f"{plan.name} reminds at {clock_text(plan.remind)}{others}."


@dataclass(frozen=True, slots=True)
class ReminderLog:
    """What was shown (and put off) on one day; kept between runs."""

    day: date | None = None
    shown: frozenset[time] = frozenset()
    """The reminder times already shown that day."""
    snoozed: tuple[tuple[time, datetime], ...] = ()
    """Reminder times put off with "Later", each with when to ask again."""

    def on(self, day: date) -> ReminderLog:
        """This log if it is ``day``'s, else an empty one for ``day``."""
        return self if self.day == day else ReminderLog(day)

    def to_text(self) -> str:
        """One line, such as ``2026-03-02 shown=07:00,18:30 later=18:30@19:00``."""
        if self.day is None:
            return ""
        parts = [self.day.isoformat()]
        if self.shown:
            parts.append("shown=" + ",".join(clock_text(at) for at in sorted(self.shown)))
        if self.snoozed:
            parts.append(
                "later="
                + ",".join(
                    f"{clock_text(at)}@{until.strftime('%H:%M:%S')}" for at, until in self.snoozed
                )
            )
        return " ".join(parts)

    @classmethod
    def from_text(cls, text: str) -> ReminderLog:
        """The log :meth:`to_text` wrote; what does not read is left out (an empty log at worst)."""
        words = text.split()
        if not words:
            return cls()
        try:
            day = date.fromisoformat(words[0])
        except ValueError:
            return cls()
        shown: set[time] = set()
        snoozed: list[tuple[time, datetime]] = []
        for word in words[1:]:
            key, _, value = word.partition("=")
            for piece in value.split(","):
                if key == "shown" and (at := parse_clock_time(piece)) is not None:
                    shown.add(at)
                elif key == "later":
                    at_text, _, until_text = piece.partition("@")
                    at = parse_clock_time(at_text)
                    try:
                        until = datetime.combine(day, time.fromisoformat(until_text))
                    except ValueError:
                        continue
                    if at is not None:
                        snoozed.append((at, until))
        return cls(day, frozenset(shown), tuple(snoozed))


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder to show now."""

    times: tuple[time, ...]
    """The reminder times it answers (more than one after a long sleep or a late start)."""
    due: tuple[DueItem, ...]
    """The routines still due that it is about, in the plan's order."""

    @property
    def first(self) -> DueItem:
        return self.due[0]


@dataclass(frozen=True, slots=True)
class Decision:
    """What :func:`decide` found."""

    reminder: Reminder | None
    """What to show now, if anything."""
    log: ReminderLog
    """The log with this decision in it (the reminder's times shown, spent snoozes gone)."""
    next_look: datetime | None
    """When something could next be due (a time, a snooze, tomorrow's first time); None: never."""


def decide(
    now: datetime, times: Iterable[ReminderTime], today: DayPlan, log: ReminderLog
) -> Decision:
    """Whether to remind at ``now`` (local wall-clock time, naive), given today's plan.

    ``today`` must be the plan's day of ``now``. ``log`` may be an older
    day's: a new day starts with nothing shown.
    """
    if today.day != now.date():
        raise ValueError(f"the day plan is for {today.day}, not for today ({now.date()})")
    times = tuple(sorted(times, key=lambda each: each.at))
    log = log.on(now.date())
    clock = now.time()
    due = tuple(entry for entry in today.items if entry.status is Status.DUE)

    def due_at(moment: time) -> tuple[DueItem, ...]:
        chosen = [each for each in times if each.at == moment]
        return tuple(entry for entry in due if any(c.covers(entry.routine_id) for c in chosen))

    ringing: list[time] = [
        each.at for each in times if each.at <= clock and each.at not in log.shown
    ]
    snoozes_left: list[tuple[time, datetime]] = []
    for at, until in log.snoozed:
        if until <= now:
            ringing.append(at)
        else:
            snoozes_left.append((at, until))
    reminder = None
    ringing = sorted(set(ringing))
    about = tuple(entry for entry in due if any(entry in due_at(at) for at in ringing))
    if about:
        reminder = Reminder(tuple(ringing), about)
    # Shown or not, a time that has come is spent for today: nothing it covers can
    # become due again before midnight (done only grows).
    log = replace(log, shown=log.shown | frozenset(ringing), snoozed=tuple(snoozes_left))
    later = [
        datetime.combine(now.date(), each.at)
        for each in times
        if each.at > clock and each.at not in log.shown and due_at(each.at)
    ]
    later += [until for _, until in snoozes_left]
    if times:
        later.append(datetime.combine(now.date() + timedelta(days=1), times[0].at))
    return Decision(reminder, log, min(later) if later else None)


def snooze(log: ReminderLog, reminder: Reminder, now: datetime) -> ReminderLog:
    """The log after "Later": ask again :data:`SNOOZE` from ``now``, unless that is tomorrow."""
    log = log.on(now.date())
    until = now + SNOOZE
    if until.date() != now.date():
        return log
    kept = tuple((at, when) for at, when in log.snoozed if at not in reminder.times)
    return replace(log, snoozed=(*kept, *((at, until) for at in reminder.times)))


def reminder_text(reminder: Reminder, names: dict[str, str]) -> tuple[str, str]:
    """The notification's summary and body: ``Time for Daily core``, and what else is due."""
    first = names.get(reminder.first.routine_id, reminder.first.routine_id)
    others = [names.get(entry.routine_id, entry.routine_id) for entry in reminder.due[1:]]
    body = "Still to do today: " + ", ".join([first, *others]) + "."
    return f"Time for {first}", body
