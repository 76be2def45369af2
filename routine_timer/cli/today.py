"""``routine-timer today``: what the chosen plan asks of today.

    routine-timer today [--json] [--plan ID_OR_FILE] [--date YYYY-MM-DD]

Prints each routine of the day (done, due, or can wait), the days in a row the
plan has been kept and, with ``--json``, the week so far and planned against
done per routine for every week of the block (``docs/plan-format.md``). A
reminder can ask ``anything_due``. With no plan chosen (in the app) and no
``--plan``, it says so and exits 0. Exit codes: 0 fine, 1 the plan has errors
or the history cannot be read, 2 a usage mistake (an unknown plan, a bad date).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routine_timer import console
from routine_timer.core.calendar_text import long_day
from routine_timer.core.files import is_plan_file
from routine_timer.core.library import scan_library
from routine_timer.exit_codes import EXIT_INVALID, EXIT_OK
from routine_timer.paths import AppPaths
from routine_timer.settings import Settings

if TYPE_CHECKING:
    from routine_timer.core.programme import DayPlan, Progress, TrainingPlan
    from routine_timer.core.progression import Standing

# The plan model is imported when the command runs: the parser is built at every
# start of the app, and the model costs about 10 ms to import.
STATUS_WORDS = {"done": "done", "due": "due", "open": "can wait"}
"""What each :class:`~routine_timer.core.programme.Status` is called in ``today``."""


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD (for example 2026-03-02)"
        ) from None
    from routine_timer.core.programme import FIRST_DAY, LAST_DAY, in_calendar  # noqa: PLC0415

    if not in_calendar(day):
        raise argparse.ArgumentTypeError(f"give a day from {FIRST_DAY} to {LAST_DAY}, not {day}")
    return day


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Give the ``today`` sub-command's parser its description and options."""
    parser.description = (
        "Print what the plan chosen in the app asks of today: each routine done, "
        "due or that can wait, and the days in a row the plan has been kept."
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON, with the week so far and every week's planned and done",
    )
    parser.add_argument(
        "--plan", metavar="PLAN", help="a plan id or a .plan.yaml file instead of the chosen one"
    )
    parser.add_argument(
        "--date", metavar="DATE", type=_day, help="another day than today (YYYY-MM-DD)"
    )


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    """Carry out ``routine-timer today`` with parsed ``args``; return the exit code."""
    from routine_timer.core.plan_file import (  # noqa: PLC0415 - loads PyYAML
        find_plan,
        load_plan_entry,
        scan_plans,
    )
    from routine_timer.core.programme import read_progress  # noqa: PLC0415 - see STATUS_WORDS
    from routine_timer.storage.history import HistoryError, HistoryStore  # noqa: PLC0415

    today: date = args.date or date.today()
    settings = Settings(paths.settings_file)
    library = scan_library(paths, cache=paths.library_cache)
    names = {entry.id: entry.name for entry in library}
    ref = args.plan or settings.plan
    if ref is None:
        if args.json:
            _print_json({"plan": None, "date": today.isoformat(), "anything_due": False})
        else:
            console.say("No plan chosen: choose one in the app (Today), or give --plan.")
        return EXIT_OK
    candidate = Path(ref).expanduser()
    if is_plan_file(candidate) or candidate.is_file():
        if not candidate.is_file():
            raise LookupError(f"no such plan file: {ref}")
        entry = load_plan_entry(candidate, set(names))
    else:
        plans = scan_plans(paths, set(names))
        found = find_plan(ref, plans)
        if found is None:
            known = ", ".join(sorted(plan.id for plan in plans if plan.valid)) or "none"
            raise LookupError(f"no plan with id '{ref}' (known plans: {known})")
        entry = found
    if entry.plan is None or not entry.valid:
        for problem in entry.errors:
            console.say(problem, sys.stderr)
        return EXIT_INVALID
    chosen = settings.plan_chosen if entry.id == settings.plan else None
    from routine_timer.core.progression import plan_standings  # noqa: PLC0415

    accepted = []
    try:
        if paths.history_db.exists():
            with HistoryStore(paths.history_db) as store:
                now = read_progress(entry.plan, today, store.completed_days, chosen=chosen)
                accepted = store.accepted_targets()
        else:
            now = read_progress(entry.plan, today, None, chosen=chosen)
    except HistoryError as error:
        console.say(f"routine-timer: error: {error}", sys.stderr)
        return EXIT_INVALID
    routines = {e.id: e.routine for e in library if e.valid and e.routine is not None}
    standings = plan_standings(entry.plan, routines, accepted)
    reminders = reminders_text(entry.plan, names, settings) if entry.id == settings.plan else None
    if args.json:
        _print_json(today_json(now, names, standings))
    else:
        lines = today_lines(now, names, standings)
        if reminders is not None:
            lines.append(f"Reminders: {reminders}")
        console.say_lines("\n".join(lines) + "\n")
    return EXIT_OK


def reminders_text(plan: TrainingPlan, names: Mapping[str, str], settings: Settings) -> str:
    """When the app reminds of the chosen plan, as the settings say."""
    from routine_timer.core.reminders import clock_text, plan_times_text  # noqa: PLC0415
    from routine_timer.settings import REMIND_OFF, REMIND_OWN  # noqa: PLC0415

    if settings.remind == REMIND_OFF:
        return "off (Settings)"
    if settings.remind == REMIND_OWN:
        return f"at {clock_text(settings.reminder_time)}, your own time (Settings)"
    return plan_times_text(plan, names)


def _print_json(document: object) -> None:
    encoding = console.stream_encoding(sys.stdout)
    console.write(console.json_text(document, encoding=encoding) + "\n")


def today_lines(
    now: Progress, names: Mapping[str, str], standings: Mapping[str, Standing] | None = None
) -> list[str]:
    """``today`` for people; an item on a ladder is named by the rung reached."""
    standings = standings or {}
    plan, block = now.plan, now.block
    span = f"{long_day(block.start)} to {long_day(block.end)}"
    lines = [f"{plan.name} ({plan.id}), {plan.weeks} weeks: {span}"]
    from routine_timer.core.programme import PlanState  # noqa: PLC0415 - see STATUS_WORDS

    if now.state is PlanState.NOT_STARTED:
        return [*lines, f"It starts on {long_day(block.start)}; nothing is due before."]
    if now.state is PlanState.FINISHED:
        lines.append(f"The block ended on {long_day(block.end)}.")
        return [*lines, f"Days in a row at the end: {now.days_in_a_row}"]
    lines.append(f"{long_day(now.today.day)}, week {now.today.week} of {plan.weeks}:")
    if not now.today.items:
        lines.append("  nothing planned today")
    for entry in now.today.items:
        standing = standings.get(entry.routine_id)
        name = names.get(entry.routine_id, entry.routine_id)
        week = f"{entry.done_this_week} of {entry.planned_this_week} this week"
        if standing is not None:
            name = standing.level.name
            week += f"; {standing.text}"
        lines.append(
            f"  {STATUS_WORDS[entry.status.value]:<9} {name} ({entry.item.when_text}; {week})"
        )
    lines.append(f"Days in a row: {now.days_in_a_row}")
    return lines


def _next_id(routine_id: str, standings: Mapping[str, Standing] | None) -> str:
    """The routine to start for an item: the rung reached, on a ladder."""
    standing = (standings or {}).get(routine_id)
    return routine_id if standing is None else standing.level.routine_id


def _level_json(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    level = standing.level
    return {
        "routine": level.routine_id,
        "variations": None if level.variant is None else level.variant.value,
        "name": level.name,
        "number": standing.number,
        "of": len(standing.ladder.rungs),
    }


def _day_json(
    day: DayPlan, names: Mapping[str, str], standings: Mapping[str, Standing] | None = None
) -> dict[str, Any]:
    standings = standings or {}
    return {
        "date": day.day.isoformat(),
        "week": day.week,
        "anything_due": day.anything_due,
        "kept": day.kept,
        "routines": [
            {
                "routine": entry.routine_id,
                "name": names.get(entry.routine_id, entry.routine_id),
                "status": entry.status.value,
                "when": entry.item.when_text,
                "kind": entry.item.kind.value,
                "done_this_week": entry.done_this_week,
                "planned_this_week": entry.planned_this_week,
                "level": _level_json(standings.get(entry.routine_id)),
            }
            for entry in day.items
        ],
    }


def today_json(
    now: Progress, names: Mapping[str, str], standings: Mapping[str, Standing] | None = None
) -> dict[str, Any]:
    """The ``today --json`` document; ``level`` is the rung reached of an item's ladder."""
    plan, block = now.plan, now.block
    today = _day_json(now.today, names, standings)
    next_up = now.today.next_up
    return {
        "plan": {
            "id": plan.id,
            "name": plan.name,
            "source": str(plan.source) if plan.source is not None else None,
            "start": block.start.isoformat(),
            "end": block.end.isoformat(),
            "weeks": plan.weeks,
        },
        "state": now.state.value,
        "date": today["date"],
        "week": today["week"],
        "anything_due": today["anything_due"],
        "next": _next_id(next_up.routine_id, standings) if next_up is not None else None,
        "routines": today["routines"],
        "days_in_a_row": now.days_in_a_row,
        "week_so_far": [_day_json(day, names, standings) for day in now.week_so_far],
        "adherence": [
            {
                "week": week.week,
                "start": week.start.isoformat(),
                "future": week.future,
                "planned": week.planned,
                "done": week.done,
                "routines": [
                    {
                        "routine": row.item.routine_id,
                        "kind": row.item.kind.value,
                        "planned": row.planned,
                        "done": row.done,
                    }
                    for row in week.rows
                ],
            }
            for week in now.weeks
        ],
    }
