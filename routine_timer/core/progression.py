"""Safe progression: after a session, whether to progress, hold, step back or stop.

The rules are those of ``docs/back-care.md``, as a table (:data:`RULES`)
read from the top: the first rule that fits a session decides, and nothing
fitting means "carry on at this level". Everything here is pure: the
history comes in as :class:`BackHistory` (read by ``storage.backcare``),
and what comes out is a :class:`Suggestion` for the runner to accept or
decline. Nothing is ever applied by these functions.

A *level* is a rung of a :class:`Ladder`. A training plan can give a routine
its ladder (a list of routines, or of a routine's variations); without one,
:func:`variation_ladder` makes it from the routine's own format-2 easier and
harder variations. Past the ends of a ladder the suggestion is a change of
the numbers (:func:`dose_changes`): seconds for a timed hold, reps or sets
for short holds (McGill's advice: more of them, not longer ones, up to 10 s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from routine_timer.core.levels import Rung
from routine_timer.core.model import Exercise, Routine, Variant

if TYPE_CHECKING:
    from routine_timer.core.programme import PlanItem, TrainingPlan


class Morning(StrEnum):
    """The next-morning check: the back this morning, compared with yesterday."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Outcome(StrEnum):
    """What a suggestion proposes."""

    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step-back"
    STOP = "stop"
    """A red flag was answered yes: no progression until a later check says no."""


# -- the numbers of the rules (each has its reason in docs/back-care.md) -------------

STEADY_SESSIONS = 3
"""Consecutive steady sessions at one level before a step up is suggested."""
STEADY_RISE = 1
"""A steady session's pain after is at most this many points above pain before."""
STEADY_EFFORT = 6
"""A steady session's effort (RPE) is at most this (or not given)."""
HARD_EFFORT = 8
"""Effort from which the level is held."""
MEANINGFUL_RISE = 2
"""Points of pain on the 0-10 scale that make a meaningful change."""
PAIN_TO_STEP_BACK = 5
"""Pain after above this steps back."""
TREND_DAYS = 7
"""Days in the rolling mean of pain."""
HOLD_CAP_SECONDS = 10.0
"""Short holds (``reps`` with ``hold``) never grow past this."""
MAX_REPS_BEFORE_SETS = 10
"""Short holds grow by reps up to this many, then by a set."""
MAX_SETS = 3
"""... and by sets up to this many, then by hold time up to the cap."""
SHORT_TIME_SECONDS = 30.0
"""Timed work under this grows by 5 s a step, from it by 10 s."""
SHORTEST_TIME_SECONDS = 10.0
"""A step back never takes timed work under this."""


# -- levels ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One rung of a ladder: a routine, done as written or with one kind of variation."""

    routine_id: str
    variant: Variant | None = None
    name: str = field(default="", compare=False)
    """How it reads: "Runner's daily core, easier variations"."""

    @property
    def rung(self) -> Rung:
        return Rung(self.routine_id, self.variant)


@dataclass(frozen=True, slots=True)
class Ladder:
    """Levels from the easiest to the hardest; a routine's sessions climb it one rung at a time."""

    rungs: tuple[Level, ...]
    start: Level | None = None
    """Where the runner starts when no step was accepted yet (a plan's item: its routine)."""
    from_plan: bool = False
    """Whether a training plan gave it (else: the routine's own variations)."""

    def has_routine(self, routine_id: str) -> bool:
        return any(rung.routine_id == routine_id for rung in self.rungs)

    def index(self, level: Level) -> int | None:
        for number, rung in enumerate(self.rungs):
            if (rung.routine_id, rung.variant) == (level.routine_id, level.variant):
                return number
        return None

    def above(self, level: Level) -> Level | None:
        number = self.index(level)
        if number is None or number + 1 >= len(self.rungs):
            return None
        return self.rungs[number + 1]

    def below(self, level: Level) -> Level | None:
        number = self.index(level)
        if number is None or number == 0:
            return None
        return self.rungs[number - 1]


LadderSource = Callable[[Routine], "Ladder | None"]
"""Where a training plan hands in its ladder for a routine (None: the plan has none)."""


def level_name(routine: Routine, variant: Variant | None) -> str:
    if variant is None:
        return routine.name
    return f"{routine.name}, {variant.value} variations"


def variation_ladder(routine: Routine) -> Ladder:
    """The routine's own ladder: its easier variations, as written, its harder variations.

    A rung is there only when at least one exercise has such a variation.
    """
    rungs = []
    for variant in (Variant.EASIER, None, Variant.HARDER):
        if variant is None or any(exercise.variation(variant) for exercise in routine.exercises):
            rungs.append(Level(routine.id, variant, level_name(routine, variant)))
    return Ladder(tuple(rungs))


def ladder_for(routine: Routine, plan: LadderSource | None = None) -> Ladder:
    """The plan's ladder for ``routine`` when it gives one, else the routine's own."""
    given = plan(routine) if plan is not None else None
    if given is not None and given.has_routine(routine.id):
        return given
    return variation_ladder(routine)


def item_ladder(item: PlanItem, routines: Mapping[str, Routine]) -> Ladder | None:
    """The ladder a plan's item gives, its rungs named; None when it gives none.

    A rung whose routine is not in ``routines`` (the library's valid ones) is
    left out, and so is one asking for variations its routine does not have:
    a session could never be at it.
    """
    if not item.ladder:
        return None
    rungs = []
    for rung in item.ladder:
        routine = routines.get(rung.routine_id)
        if routine is None:
            continue
        if rung.variant is not None and not any(
            exercise.variation(rung.variant) for exercise in routine.exercises
        ):
            continue
        rungs.append(Level(rung.routine_id, rung.variant, level_name(routine, rung.variant)))
    if not rungs:
        return None
    start = item.start_rung
    first = next((r for r in rungs if r.rung == start), rungs[0])
    return Ladder(tuple(rungs), start=first, from_plan=True)


def plan_ladders(plan: TrainingPlan | None, routines: Mapping[str, Routine]) -> LadderSource:
    """The :data:`LadderSource` of a training plan: each routine's item's ladder, if any."""
    ladders: dict[str, Ladder] = {}
    for item in () if plan is None else plan.items:
        ladder = item_ladder(item, routines)
        if ladder is not None:
            for rung in ladder.rungs:
                ladders.setdefault(rung.routine_id, ladder)

    def source(routine: Routine) -> Ladder | None:
        return ladders.get(routine.id)

    return source


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the runner stands on a plan item's ladder: what Today starts and shows."""

    level: Level
    ladder: Ladder

    @property
    def number(self) -> int:
        """1 for the easiest rung."""
        index = self.ladder.index(self.level)
        return 1 if index is None else index + 1

    @property
    def text(self) -> str:
        return f"level {self.number} of {len(self.ladder.rungs)}"


def plan_standings(
    plan: TrainingPlan, routines: Mapping[str, Routine], accepted: Sequence[Rung]
) -> dict[str, Standing]:
    """Each laddered item's standing, by the item's routine id (the plan's slot)."""
    found = {}
    for item in plan.items:
        ladder = item_ladder(item, routines)
        if ladder is not None:
            found[item.routine_id] = Standing(current_level(ladder, accepted), ladder)
    return found


def current_level(ladder: Ladder, accepted: Iterable[Rung]) -> Level:
    """The rung the runner is on: the last accepted step (``accepted``, oldest first: the
    targets of the level changes accepted) that is on ``ladder``, else where it starts."""
    found = ladder.start or ladder.rungs[0]
    for target in accepted:
        for rung in ladder.rungs:
            if rung.rung == target:
                found = rung
    return found


# -- changes of the numbers -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DoseChange:
    """One number of one exercise, changed: "Front plank: 30 s to 40 s"."""

    exercise: str
    what: str
    """"time", "reps", "sets" or "hold"."""
    before: float
    after: float

    @property
    def text(self) -> str:
        before, after = _amount(self.what, self.before), _amount(self.what, self.after)
        return f"{self.exercise}: {before} to {after}"

    @property
    def short(self) -> str:
        """ "40 s front plank", "12 reps of bird dog"."""
        name = self.exercise[:1].lower() + self.exercise[1:]
        if self.what == "time":
            return f"{_amount('time', self.after)} {name}"
        return f"{_amount(self.what, self.after)} of {name}"


def _amount(what: str, value: float) -> str:
    if what in ("time", "hold"):
        return f"{value:g} s" + (" holds" if what == "hold" else "")
    return f"{int(value)} {what}"


def dose_change(exercise: Exercise, up: bool) -> DoseChange | None:
    """One notch more (``up``) or less of ``exercise``'s work, or None when there is none.

    Timed work: 5 s a notch under 30 s, 10 s from 30 s. Short holds (reps
    with a hold): reps by 2 up to 10, then a set up to 3, then the hold by
    2 s up to 10 s, never past it; going down, reps by 2 down to 2. Reps
    alone: 2 more or fewer. A pyramid (one value per set) changes by its
    first set, which the other sets follow when it is edited.
    """
    name = exercise.name
    if exercise.time is not None:
        time = exercise.time
        if not up and time <= SHORTEST_TIME_SECONDS:
            return None
        small = time < SHORT_TIME_SECONDS if up else time <= SHORT_TIME_SECONDS
        notch = 5.0 if small else 10.0
        after = time + notch if up else max(SHORTEST_TIME_SECONDS, time - notch)
        return None if after == time else DoseChange(name, "time", time, after)
    reps = exercise.reps
    if reps is None:
        return None
    if not up:
        return None if reps <= 2 else DoseChange(name, "reps", reps, max(2, reps - 2))
    if exercise.hold is None or reps < MAX_REPS_BEFORE_SETS:
        return DoseChange(name, "reps", reps, reps + 2)
    if exercise.sets < MAX_SETS:
        return DoseChange(name, "sets", exercise.sets, exercise.sets + 1)
    if exercise.hold < HOLD_CAP_SECONDS:
        return DoseChange(name, "hold", exercise.hold, min(HOLD_CAP_SECONDS, exercise.hold + 2))
    return None


def dose_changes(routine: Routine, variant: Variant | None, up: bool) -> tuple[DoseChange, ...]:
    """A notch for every exercise of the routine as done at ``variant`` that has one."""
    done = routine if variant is None else routine.with_variant(variant)
    changes = (dose_change(exercise, up) for exercise in done.exercises)
    return tuple(change for change in changes if change is not None)


# -- the history the rules read -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What the rules need of one finished session."""

    session_id: int
    routine_id: str
    day: date
    """The local day it was done."""
    completed: bool
    """It reached the routine's end with every exercise set done: a session with
    sets skipped is not one the back was seen to tolerate."""
    pain_before: int | None = None
    pain_after: int | None = None
    rpe: int | None = None
    stopped_for_pain: bool = False
    variant: Variant | None = None
    """The variations it was done with: easier or harder when every switched exercise was so."""

    @property
    def rise(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    def level(self) -> Level:
        return Level(self.routine_id, self.variant)


@dataclass(frozen=True, slots=True)
class RedFlagCheck:
    """One answering of the red-flag questions: the ids of those answered yes."""

    day: date
    yes: frozenset[str]
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class BackHistory:
    """Sessions (oldest first), next-morning answers by day, red-flag checks (oldest first)
    and the ids of the sessions whose finish showed a suggestion."""

    sessions: tuple[SessionFacts, ...]
    mornings: Mapping[date, Morning] = field(default_factory=dict)
    red_flags: tuple[RedFlagCheck, ...] = ()
    suggested: frozenset[int] = frozenset()

    def morning_after(self, session: SessionFacts) -> Morning | None:
        return self.mornings.get(session.day + timedelta(days=1))

    def red_flag_open(self) -> RedFlagCheck | None:
        """The last red-flag check, when it had a yes (no later check cleared it)."""
        if self.red_flags and self.red_flags[-1].yes:
            return self.red_flags[-1]
        return None


# -- pain by its trend ---------------------------------------------------------------------


def daily_pain(sessions: Iterable[SessionFacts]) -> dict[date, float]:
    """Each day's pain: the mean of every rating given that day, before and after."""
    ratings: dict[date, list[int]] = {}
    for session in sessions:
        for value in (session.pain_before, session.pain_after):
            if value is not None:
                ratings.setdefault(session.day, []).append(value)
    return {day: sum(values) / len(values) for day, values in sorted(ratings.items())}


def rolling_mean(daily: Mapping[date, float], day: date, days: int = TREND_DAYS) -> float | None:
    """The mean of the daily pain of ``days`` days ending on ``day``; None without any."""
    values = [daily[d] for d in (day - timedelta(days=n) for n in range(days)) if d in daily]
    return sum(values) / len(values) if values else None


# -- the rules --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule looks at: the session just done and the history up to it."""

    session: SessionFacts
    earlier: tuple[SessionFacts, ...]
    """The same routine's earlier sessions, oldest first."""
    history: BackHistory

    @property
    def previous(self) -> SessionFacts | None:
        return self.earlier[-1] if self.earlier else None


Check = Callable[[Context], str | None]
"""A rule's test: the reason in words when it fits, None when not."""


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    outcome: Outcome
    check: Check


def _red_flag(context: Context) -> str | None:
    if context.history.red_flag_open() is None:
        return None
    return "you answered yes to a warning-sign question"


def _stopped(context: Context) -> str | None:
    return "you stopped for pain" if context.session.stopped_for_pain else None


def _pain_high(context: Context) -> str | None:
    after = context.session.pain_after
    if after is None or after <= PAIN_TO_STEP_BACK:
        return None
    return f"pain after was {after} of 10"


def _rose_twice(context: Context) -> str | None:
    now = context.session.rise
    previous = None if context.previous is None else context.previous.rise
    if now is None or previous is None or min(now, previous) < MEANINGFUL_RISE:
        return None
    return f"pain rose by {previous} and then {now} points in two sessions in a row"


def _rose(context: Context) -> str | None:
    rise = context.session.rise
    if rise is None or rise < MEANINGFUL_RISE:
        return None
    return f"pain rose by {rise} points today"


def _hard(context: Context) -> str | None:
    rpe = context.session.rpe
    return None if rpe is None or rpe < HARD_EFFORT else f"effort was {rpe} of 10"


def _morning_worse(context: Context) -> str | None:
    previous = context.previous
    if previous is None or context.history.morning_after(previous) is not Morning.WORSE:
        return None
    return "the morning after your last session, your back felt worse"


def _trend(context: Context) -> str | None:
    daily = daily_pain((*context.earlier, context.session))
    day = context.session.day
    now = rolling_mean(daily, day)
    before = rolling_mean(daily, day - timedelta(days=TREND_DAYS))
    if now is None or before is None or now - before < MEANINGFUL_RISE:
        return None
    return f"pain over the last 7 days averages {now:.1f}, up from {before:.1f} the week before"


def steady(session: SessionFacts, history: BackHistory) -> bool:
    """A session that counts towards a step up (see :data:`STEADY_SESSIONS`)."""
    rise = session.rise
    return (
        session.completed
        and not session.stopped_for_pain
        and (rise is None or rise <= STEADY_RISE)
        and (session.rpe is None or session.rpe <= STEADY_EFFORT)
        and history.morning_after(session) is not Morning.WORSE
    )


def steady_run(context: Context) -> int:
    """Steady sessions in a row at the session's level, since the last suggestion shown.

    Any suggestion ends a run: a step up or back starts a new level, a hold
    or a stop says this session was not one to build on.
    """
    count = 0
    level = context.session.level()
    for number, session in enumerate((context.session, *reversed(context.earlier))):
        if number and session.session_id in context.history.suggested:
            break
        if session.level() != level or not steady(session, context.history):
            break
        count += 1
        if count >= STEADY_SESSIONS:
            break
    return count


def _steady(context: Context) -> str | None:
    if steady_run(context) < STEADY_SESSIONS:
        return None
    return f"{STEADY_SESSIONS} sessions completed, back no worse"


RULES: tuple[Rule, ...] = (
    Rule("red-flag", Outcome.STOP, _red_flag),
    Rule("stopped-for-pain", Outcome.STEP_BACK, _stopped),
    Rule("pain-above-5", Outcome.STEP_BACK, _pain_high),
    Rule("rose-twice", Outcome.STEP_BACK, _rose_twice),
    Rule("pain-rose", Outcome.HOLD, _rose),
    Rule("hard-effort", Outcome.HOLD, _hard),
    Rule("morning-worse", Outcome.HOLD, _morning_worse),
    Rule("pain-trend", Outcome.HOLD, _trend),
    Rule("steady", Outcome.PROGRESS, _steady),
)
"""Read from the top; the first that fits decides."""


# -- the suggestion ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the finish screen offers, with its reason; the runner accepts or declines it."""

    session_id: int
    routine_id: str
    outcome: Outcome
    rule: str
    reason: str
    current: Level
    target: Level | None = None
    """The rung to move to, when the ladder has one that way."""
    doses: tuple[DoseChange, ...] = ()
    """The numbers to change, when the ladder has no rung that way."""

    @property
    def changes_level(self) -> bool:
        return self.target is not None or bool(self.doses)

    @property
    def change_text(self) -> str:
        """The change in words, for the history and the report ("" when none)."""
        if self.target is not None:
            return self.target.name
        return "; ".join(change.text for change in self.doses)

    @property
    def text(self) -> str:
        """One line: the reason, then what to try, as a question."""
        reason = self.reason[:1].upper() + self.reason[1:]
        if self.outcome is Outcome.STOP:
            return (
                f"{reason}: the app suggests no harder work until a professional has "
                "had a look and the warning-sign questions are all answered no."
            )
        if self.outcome is Outcome.HOLD:
            return f"{reason}: stay at this level for now?"
        if self.target is not None:
            return f"{reason}: try {self.target.name}?"
        if self.doses:
            shown = [change.short for change in self.doses[:2]]
            more = len(self.doses) - len(shown)
            extra = f" (and {more} more change{'s' if more > 1 else ''})" if more else ""
            verb = "try" if self.outcome is Outcome.PROGRESS else "ease off to"
            return f"{reason}: {verb} {' and '.join(shown)}{extra}?"
        if self.outcome is Outcome.STEP_BACK:
            return f"{reason}: ease off - fewer sets or a shorter session - until it settles?"
        return f"{reason}: this is the top of the ladder - keep it up at this level?"


def assess(
    history: BackHistory,
    routine: Routine,
    *,
    ladder: Ladder | None = None,
    session_id: int | None = None,
) -> Suggestion | None:
    """The suggestion after ``routine``'s session ``session_id`` (default: its latest), or None.

    None means no rule fits: carry on at this level.
    """
    mine = [session for session in history.sessions if session.routine_id == routine.id]
    if session_id is not None:
        mine = mine[: next(i for i, s in enumerate(mine) if s.session_id == session_id) + 1]
    if not mine:
        return None
    session = mine[-1]
    context = Context(session, tuple(mine[:-1]), history)
    for rule in RULES:
        reason = rule.check(context)
        if reason is not None:
            return _suggestion(rule, reason, context, routine, ladder or variation_ladder(routine))
    return None


def _suggestion(
    rule: Rule, reason: str, context: Context, routine: Routine, ladder: Ladder
) -> Suggestion:
    session = context.session
    level = replace(session.level(), name=level_name(routine, session.variant))
    made = Suggestion(session.session_id, routine.id, rule.outcome, rule.name, reason, level)
    if rule.outcome not in (Outcome.PROGRESS, Outcome.STEP_BACK):
        return made
    up = rule.outcome is Outcome.PROGRESS
    target = ladder.above(level) if up else ladder.below(level)
    if target is not None:
        return replace(made, target=target)
    return replace(made, doses=dose_changes(routine, session.variant, up))


def simulate(
    history: BackHistory, routine: Routine, ladder: Ladder | None = None
) -> list[Suggestion]:
    """The suggestion after each of ``routine``'s sessions in turn, as the finish screens gave them.

    Each suggestion shown starts the count of steady sessions afresh.
    """
    suggestions: list[Suggestion] = []
    suggested: set[int] = set(history.suggested)
    for number, session in enumerate(history.sessions):
        if session.routine_id != routine.id:
            continue
        so_far = BackHistory(
            history.sessions[: number + 1],
            {day: answer for day, answer in history.mornings.items() if day <= session.day},
            tuple(check for check in history.red_flags if check.day <= session.day),
            frozenset(suggested),
        )
        made = assess(so_far, routine, ladder=ladder, session_id=session.session_id)
        if made is not None:
            suggestions.append(made)
            suggested.add(session.session_id)
    return suggestions


def session_variant(variants: Sequence[Variant | None]) -> Variant | None:
    """A session's level from its exercise steps' variations: one kind throughout, or as written."""
    kinds = {variant for variant in variants if variant is not None}
    return kinds.pop() if len(kinds) == 1 else None
