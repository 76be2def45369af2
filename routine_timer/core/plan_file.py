"""Read plan files (``*.plan.yaml``): YAML text in, a validated :class:`TrainingPlan` out.

The rules are those of ``docs/plan-format.md``. Plans are read like routine
files - the same guards against hostile YAML, the same checks of keys and
values, every problem reported as ``path:line:col: error: message`` - by
the loader's own :class:`~routine_timer.core.loader.ValueChecker`, with the
plan's keys on top.

Routines are named by id. Given the ids the library holds, an id it does not
hold is an error, with "did you mean" when one is close.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from routine_timer.core import hints, yaml_nodes
from routine_timer.core.errors import RoutineError, RoutineFileError, in_file_order
from routine_timer.core.files import is_plan_file
from routine_timer.core.levels import Rung
from routine_timer.core.library import scan_folder
from routine_timer.core.loader import Pair, ValueChecker, guarded, read_bytes, read_mapping
from routine_timer.core.model import Variant
from routine_timer.core.programme import (
    MAX_WEEKS,
    WEEKDAYS,
    Day,
    Kind,
    PlanItem,
    TrainingPlan,
    plan_id_of,
    weekdays_of,
)
from routine_timer.core.reminders import parse_clock_time
from routine_timer.core.rules import MAX_NAME_CHARS, is_routine_id
from routine_timer.core.yaml_nodes import INT, STR, TIMESTAMP, at
from routine_timer.paths import AppPaths, bundled_routines_dir

PLAN_FORMAT: Final = 1
"""The plan format this app reads."""
_TOP_KEYS: Final = (
    "format",
    "name",
    "id",
    "description",
    "start",
    "weeks",
    "runs",
    "routines",
    "retest",
    "remind",
)
_ITEM_KEYS: Final = ("routine", "when", "per_week", "ladder", "remind")
_RUNG_KEYS: Final = ("routine", "variations")
_VARIATION_WORDS: Final = tuple(variant.value for variant in Variant)
_VARIATION_SYNONYMS: Final = {
    "easy": "easier",
    "easiest": "easier",
    "hard": "harder",
    "hardest": "harder",
    "regression": "easier",
    "progression": "harder",
}
MAX_RUNGS: Final = 12
"""Most rungs a ladder may have."""
_DAY_WORDS: Final = tuple(day.value for day in Day)
_DAY_SYNONYMS: Final = {
    "every day": "daily",
    "everyday": "daily",
    "every-day": "daily",
    "run": "before-run",
    "runs": "before-run",
    "run-day": "before-run",
    "before-runs": "before-run",
    "after-runs": "after-run",
    "rest": "rest-day",
    "rest-days": "rest-day",
    "rest days": "rest-day",
    **{name: name[:3] for name in ("monday", "tuesday", "wednesday", "thursday", "friday")},
    **{name: name[:3] for name in ("saturday", "sunday", "tues", "thur", "thurs")},
}


def load_plan(
    path: str | os.PathLike[str], known_ids: Collection[str] | None = None
) -> TrainingPlan:
    """Read and validate the plan file at ``path``.

    With ``known_ids`` (the routine ids of the library), every routine the
    plan names must be one of them. Raises :class:`RoutineFileError` listing
    every problem, also when the file cannot be read at all.
    """
    return parse_plan(read_bytes(path), path, known_ids)


def parse_plan(
    data: bytes | str,
    path: str | os.PathLike[str],
    known_ids: Collection[str] | None = None,
) -> TrainingPlan:
    """Validate plan text held in memory, as if it were the file at ``path``."""
    return guarded(lambda text, shown: _parse(text, shown, known_ids), data, os.fspath(path))


def _parse(data: bytes | str, shown: str, known_ids: Collection[str] | None) -> TrainingPlan:
    root, text, _ = read_mapping(
        data,
        shown,
        needs="a plan needs at least 'name', 'weeks' and 'routines'",
        holds="a plan file must be a mapping of keys such as 'name:', 'weeks:' and 'routines:'",
    )
    checker = _PlanChecker(Path(shown), text, known_ids)
    plan = checker.plan(root, shown)
    warnings = checker.outcome(shown, failed=plan is None)
    assert plan is not None
    return dataclasses.replace(plan, warnings=warnings)


class _PlanChecker(ValueChecker):
    def __init__(self, source: Path, raw: str, known_ids: Collection[str] | None) -> None:
        super().__init__(source, raw)
        self.known_ids = known_ids

    def plan(self, root: MappingNode, shown: str) -> TrainingPlan | None:
        keys = self.entries(root, _TOP_KEYS, "in a plan")
        for key in ("name", "weeks", "routines"):
            if key not in keys and not self.meant(root, key):
                self.add(root, f"missing key '{key}': {_MISSING[key]}")
        values: dict[str, object] = {}
        for key, check in _PLAN_CHECKS.items():
            if key in keys:
                value = check(self, key, keys[key])
                if value is not None:
                    values[key] = value
        runs = values.get("runs", None if "runs" in keys else frozenset())
        assert runs is None or isinstance(runs, frozenset)
        items = self.items(keys["routines"], runs) if "routines" in keys else None
        retest = values.get("retest")
        start = values.get("start")
        weeks = values.get("weeks")
        if isinstance(start, date) and isinstance(weeks, int):
            self.block_fits(keys["start"][1], start, weeks)
        if self.problems or items is None:
            return None
        if isinstance(retest, str):
            items.append(PlanItem(retest, Kind.RETEST))
        plan_id = values.get("id", plan_id_of(Path(shown)))
        assert isinstance(weeks, int)
        return TrainingPlan(
            id=str(plan_id),
            name=str(values["name"]),
            weeks=weeks,
            items=tuple(items),
            description=str(values.get("description", "")),
            start=start if isinstance(start, date) else None,
            runs=runs or frozenset(),
            remind=remind if isinstance(remind := values.get("remind"), time) else None,
            source=self.source,
        )

    # -- values ----------------------------------------------------------

    def plan_format(self, name: str, pair: Pair) -> int | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is ScalarNode and value.tag == INT and value.value == str(PLAN_FORMAT):
            return PLAN_FORMAT
        self.add(
            value,
            f"'format' of a plan must be {PLAN_FORMAT} (this app reads plan format "
            f"{PLAN_FORMAT}), got {yaml_nodes.describe(value)}",
        )
        return None

    def start(self, name: str, pair: Pair) -> date | None:
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is ScalarNode and value.tag == TIMESTAMP:
            moment = self.scalar(name, value)
            if isinstance(moment, datetime):
                self.add(value, f"'start' is a day, without a time: write {moment.date()}")
                return None
            if isinstance(moment, date):
                return moment
            return None
        hint = ""
        if type(value) is ScalarNode and value.tag == STR and _is_iso_day(value.value):
            hint = f" (write it without quotes: start: {value.value.strip()})"
        self.add(
            value,
            "'start' must be a date written YYYY-MM-DD, such as 2026-03-02, "
            f"got {yaml_nodes.describe(value)}{hint}",
        )
        return None

    def remind(self, name: str, pair: Pair) -> time | None:
        """A time of day in quotes, ``"18:30"``: when to remind of what is due."""
        if self.is_null(name, pair):
            return None
        value = pair[1]
        if type(value) is ScalarNode and value.tag == STR:
            moment = parse_clock_time(value.value)
            if moment is not None:
                return moment
        hint = ""
        if type(value) is ScalarNode and value.tag != STR and ":" in value.value:
            # YAML 1.1 reads 18:30 unquoted as a number in base 60 (1110).
            hint = f' (write it in quotes: {name}: "{value.value}")'
        self.add(
            value,
            f"'{name}' must be a time of day in quotes, 24-hour HH:MM such as \"18:30\", "
            f"got {yaml_nodes.describe(value)}{hint}",
        )
        return None

    def weeks(self, name: str, pair: Pair) -> int | None:
        return self.count(name, pair, MAX_WEEKS, "a block of 12 weeks is usual")

    def count(self, name: str, pair: Pair, maximum: int, example: str) -> int | None:
        if self.is_null(name, pair, required=True):
            return None
        value = pair[1]
        if type(value) is ScalarNode and value.tag == INT and value.value.isdecimal():
            number = int(value.value)
            if 1 <= number <= maximum:
                return number
        self.add(
            value,
            f"'{name}' must be a whole number from 1 to {maximum} ({example}), "
            f"got {yaml_nodes.describe(value)}{hints.quoted_number_hint(value)}",
        )
        return None

    def block_fits(self, node: Node, start: date, weeks: int) -> None:
        try:
            start + timedelta(days=7 * weeks)
        except OverflowError:
            self.add(node, "'start' is too far in the future: the block would end after 9999")

    def runs(self, name: str, pair: Pair) -> frozenset[int] | None:
        days = self.day_list(name, pair, WEEKDAYS, _WEEKDAY_EXAMPLE)
        if days is None:
            return None
        return frozenset(WEEKDAYS.index(day) for day, _ in days)

    def routine_ref(self, name: str, pair: Pair) -> str | None:
        """A routine id; with ``known_ids``, one the library holds."""
        text = self.text(name, pair, required=True, max_chars=MAX_NAME_CHARS * 2)
        if text is None:
            return None
        if self.known_ids is not None and text not in self.known_ids:
            close = difflib.get_close_matches(text, sorted(self.known_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else _known(self.known_ids)
            self.add(pair[1], f"no routine with id '{text}' in the library{hint}")
            return None
        return text

    def day_list(
        self, name: str, pair: Pair, words: tuple[str, ...], example: str
    ) -> list[tuple[str, Node]] | None:
        """A word or a list of words out of ``words``, each once: each with its node."""
        if self.is_null(name, pair, required=True):
            return None
        value = pair[1]
        nodes = value.value if type(value) is SequenceNode else [value]
        if type(value) is SequenceNode and not nodes:
            self.add(value, f"'{name}' needs at least one day, such as {example}")
            return None
        found: list[tuple[str, Node]] = []
        seen: set[str] = set()
        ok = True
        for node in nodes:
            word = self.day_word(name, node, words, example)
            if word is None:
                ok = False
                continue
            if word in seen:
                self.add(node, f"'{word}' is given twice in '{name}'")
                ok = False
                continue
            seen.add(word)
            found.append((word, node))
        return found if ok else None

    def day_word(self, name: str, node: Node, words: tuple[str, ...], example: str) -> str | None:
        if type(node) is ScalarNode and node.tag == STR and node.value in words:
            word: str = node.value
            return word
        if type(node) is ScalarNode and node.tag == STR:
            written = node.value.strip().lower()
            guess = _DAY_SYNONYMS.get(written, written)
            if guess not in words:
                close = difflib.get_close_matches(written, words, n=1)
                guess = close[0] if close else ""
            hint = f" (did you mean '{guess}'?)" if guess else ""
            self.add(node, f"unknown day {node.value!r} in '{name}'{hint}; use {example}")
            return None
        self.add(
            node,
            f"'{name}' takes {example}, got {yaml_nodes.describe(node)}"
            + (" (YAML reads on/off/yes/no as true/false)" if node.tag == yaml_nodes.BOOL else ""),
        )
        return None

    # -- the routines ----------------------------------------------------

    def items(self, pair: Pair, runs: frozenset[int] | None) -> list[PlanItem] | None:
        """The plan's routines; ``runs`` is None when the plan's 'runs' is wrong."""
        if self.is_null("routines", pair, required=True):
            return None
        value = pair[1]
        if type(value) is not SequenceNode or not value.value:
            self.add(
                value,
                "'routines' must be a list of at least one routine, each as "
                f"'- routine: ID' with its 'when' or 'per_week', got {yaml_nodes.describe(value)}",
            )
            return None
        items: list[PlanItem] = []
        first_line: dict[str, int] = {}
        on_ladders: set[str] = set()
        ok = True
        for node in value.value:
            if type(node) is not MappingNode:
                self.add(
                    node,
                    "each routine of a plan must be a mapping such as '{routine: "
                    f"runners-daily-core, when: daily}}', got {yaml_nodes.describe(node)}",
                )
                ok = False
                continue
            item = self.item(node, runs)
            if item is None:
                ok = False
                continue
            clash = next(
                (
                    (routine_id, first_line[routine_id])
                    for routine_id in item.counted_ids
                    if first_line.get(routine_id, at(node)[0]) != at(node)[0]
                ),
                None,
            )
            if clash is not None:
                routine_id, line = clash
                self.add(
                    node,
                    f"routine '{routine_id}' is already planned on line {line}"
                    + (
                        "; give each routine once, with all its days in one 'when'"
                        if routine_id == item.routine_id and routine_id not in on_ladders
                        else "; a routine may be on one item's ladder only, where its sessions "
                        "count for that item"
                    ),
                )
                ok = False
                continue
            for routine_id in item.counted_ids:
                first_line[routine_id] = at(node)[0]
            on_ladders.update(rung.routine_id for rung in item.ladder)
            items.append(item)
        return items if ok else None

    def item(self, mapping: MappingNode, runs: frozenset[int] | None) -> PlanItem | None:
        keys = self.entries(mapping, _ITEM_KEYS, "in a plan's routine")
        before = len(self.problems)
        routine_id = None
        if "routine" in keys:
            routine_id = self.routine_ref("routine", keys["routine"])
        elif not self.meant(mapping, "routine"):
            self.add(mapping, "missing key 'routine': the id of the routine to do")
        per_week = None
        if "per_week" in keys:
            per_week = self.count("per_week", keys["per_week"], 7, "days a week")
        when = self.when(keys["when"], runs) if "when" in keys else None
        ladder: tuple[Rung, ...] = ()
        if "ladder" in keys:
            checked = self.ladder(keys["ladder"], routine_id)
            if checked is None:
                return None
            ladder = checked
        remind = self.remind("remind", keys["remind"]) if "remind" in keys else None
        if "when" in keys and "per_week" in keys:
            self.add(
                keys["per_week"][0],
                "give either 'when' (the days) or 'per_week' (how many times a week), not both",
            )
            return None
        if "per_week" in keys:
            if routine_id is None or per_week is None or len(self.problems) > before:
                return None
            return PlanItem(
                routine_id, Kind.PER_WEEK, per_week=per_week, ladder=ladder, remind=remind
            )
        if "when" not in keys:
            if not self.meant(mapping, "when") and not self.meant(mapping, "per_week"):
                self.add(
                    mapping,
                    "missing key 'when' (such as daily, [mon, thu] or before-run) "
                    "or 'per_week' (such as 2)",
                )
            return None
        if routine_id is None or when is None or len(self.problems) > before:
            return None
        return PlanItem(
            routine_id,
            Kind.DAYS,
            when=when,
            weekdays=weekdays_of(when, runs or frozenset()),
            ladder=ladder,
            remind=remind,
        )

    def ladder(self, pair: Pair, routine_id: str | None) -> tuple[Rung, ...] | None:
        """The item's levels, easiest first; ``routine_id`` (the item's) must be one of them."""
        if self.is_null("ladder", pair, required=True):
            return None
        value = pair[1]
        if type(value) is not SequenceNode or len(value.value) < 2:
            self.add(
                value,
                "'ladder' must be a list of at least two rungs, easiest first, each a routine "
                "id or '{routine: ID, variations: easier}', such as "
                f"[core-knee-planks, {routine_id or 'runners-daily-core'}], "
                "got "
                + (
                    "a list of one rung"
                    if type(value) is SequenceNode and value.value
                    else yaml_nodes.describe(value)
                ),
            )
            return None
        if len(value.value) > MAX_RUNGS:
            self.add(value, f"a ladder has at most {MAX_RUNGS} rungs, got {len(value.value)}")
            return None
        rungs: list[Rung] = []
        lines: dict[Rung, int] = {}
        ok = True
        for node in value.value:
            rung = self.rung(node)
            if rung is None:
                ok = False
                continue
            line = lines.setdefault(rung, at(node)[0])
            if line != at(node)[0]:
                self.add(node, f"{_rung_text(rung)} is already on this ladder, on line {line}")
                ok = False
                continue
            rungs.append(rung)
        if not ok:
            return None
        if routine_id is not None and all(rung.routine_id != routine_id for rung in rungs):
            self.add(
                value,
                f"the item's routine '{routine_id}' is not on its ladder: it is the rung the "
                f"runner starts on, so list it too, such as '- {routine_id}' in its place "
                "from easiest to hardest",
            )
            return None
        return tuple(rungs)

    def rung(self, node: Node) -> Rung | None:
        """One rung: a routine id, or a mapping of 'routine' and 'variations'."""
        if type(node) is ScalarNode:
            routine_id = self.routine_ref("routine", (node, node))
            return None if routine_id is None else Rung(routine_id)
        if type(node) is not MappingNode:
            self.add(
                node,
                "each rung of a ladder is a routine id, or a mapping such as "
                "'{routine: runners-daily-core, variations: harder}', "
                f"got {yaml_nodes.describe(node)}",
            )
            return None
        keys = self.entries(node, _RUNG_KEYS, "in a rung of a ladder")
        before = len(self.problems)
        routine_id = None
        if "routine" in keys:
            routine_id = self.routine_ref("routine", keys["routine"])
        elif not self.meant(node, "routine"):
            self.add(node, "missing key 'routine': the id of the routine of this rung")
        variant = None
        if "variations" in keys:
            variant = self.variations(keys["variations"])
        if routine_id is None or len(self.problems) > before:
            return None
        return Rung(routine_id, variant)

    def variations(self, pair: Pair) -> Variant | None:
        if self.is_null("variations", pair):
            return None
        node = pair[1]
        if type(node) is ScalarNode and node.tag == STR and node.value in _VARIATION_WORDS:
            return Variant(node.value)
        written = node.value.strip().lower() if type(node) is ScalarNode else ""
        guess = _VARIATION_SYNONYMS.get(written, written)
        if guess not in _VARIATION_WORDS:
            close = difflib.get_close_matches(written, _VARIATION_WORDS, n=1)
            guess = close[0] if close else ""
        hint = f" (did you mean '{guess}'?)" if guess else ""
        self.add(
            node,
            "'variations' is easier or harder: the routine done with its exercises' easier "
            f"or harder variations, got {yaml_nodes.describe(node)}{hint}",
        )
        return None

    def when(self, pair: Pair, runs: frozenset[int] | None) -> tuple[Day, ...] | None:
        words = self.day_list("when", pair, _DAY_WORDS, _WHEN_EXAMPLE)
        if words is None:
            return None
        days = tuple(Day(word) for word, _ in words)
        ok = True
        if Day.DAILY in days and len(days) > 1:
            self.add(pair[1], "'daily' already means every day; leave out the other days")
            ok = False
        for day, node in zip(days, (node for _, node in words), strict=True):
            if runs is None:
                continue  # 'runs' itself is wrong, and reported
            if day.needs_runs and not runs:
                self.add(
                    node,
                    f"'{day.value}' needs the plan's 'runs': the weekdays you run, "
                    "such as runs: [tue, thu, sat]",
                )
                ok = False
            elif day is Day.REST_DAY and len(runs) == 7:
                self.add(node, "'rest-day' never comes: 'runs' lists every day of the week")
                ok = False
        return days if ok else None


def _rung_text(rung: Rung) -> str:
    if rung.variant is None:
        return f"routine '{rung.routine_id}'"
    return f"routine '{rung.routine_id}' with {rung.variant.value} variations"


def _is_iso_day(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _known(ids: Collection[str]) -> str:
    shown = sorted(ids)
    if not shown:
        return " (the library holds no routines)"
    more = f" and {len(shown) - 8} more" if len(shown) > 8 else ""
    return f" (known ids: {', '.join(shown[:8])}{more})"


_WEEKDAY_EXAMPLE: Final = "weekdays mon, tue, wed, thu, fri, sat, sun"
_WHEN_EXAMPLE: Final = "daily, before-run, after-run, rest-day or weekdays mon ... sun"
_MISSING: Final = {
    "name": "give the plan a name",
    "weeks": "how many weeks the block lasts, such as 12",
    "routines": "list the routines of the plan, each with its 'when' or 'per_week'",
}
_PLAN_CHECKS: Final[dict[str, Callable[[_PlanChecker, str, Pair], object]]] = {
    "format": _PlanChecker.plan_format,
    "name": _PlanChecker.name,
    "id": _PlanChecker.routine_id,  # a plan id is a slug, as a routine's
    "description": _PlanChecker.optional_text,
    "start": _PlanChecker.start,
    "weeks": _PlanChecker.weeks,
    "runs": _PlanChecker.runs,
    "retest": _PlanChecker.routine_ref,
    "remind": _PlanChecker.remind,
    # 'routines' is checked on its own: its items need the run days.
}


# --------------------------------------------------------------------------
# Finding plans


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One plan file: its plan when valid, its errors otherwise."""

    path: Path
    bundled: bool
    plan: TrainingPlan | None
    errors: tuple[RoutineError, ...] = ()
    warnings: tuple[RoutineError, ...] = ()
    declared_id: str | None = None
    """The ``id:`` a plan with errors gives, when that much of it can be read."""

    @property
    def problems(self) -> tuple[RoutineError, ...]:
        return in_file_order(self.errors + self.warnings)

    @property
    def valid(self) -> bool:
        return self.plan is not None and not self.errors

    @property
    def id(self) -> str:
        # A chosen plan that a hand edit broke is still found by its id, so that
        # its errors are shown rather than "no plan has that id".
        if self.plan is not None:
            return self.plan.id
        return self.declared_id or plan_id_of(self.path)

    @property
    def name(self) -> str:
        return self.plan.name if self.plan is not None else self.path.name


def load_plan_entry(
    path: Path, known_ids: Collection[str] | None = None, *, bundled: bool = False
) -> PlanEntry:
    """Load one plan file into an entry, keeping its errors instead of raising."""
    try:
        data = read_bytes(path)
    except RoutineFileError as error:
        return PlanEntry(path, bundled, None, error.errors, error.warnings)
    try:
        plan = parse_plan(data, path, known_ids)
    except RoutineFileError as error:
        declared = _declared_id(data, path)
        return PlanEntry(path, bundled, None, error.errors, error.warnings, declared)
    return PlanEntry(path, bundled, plan, warnings=plan.warnings)


def _declared_id(data: bytes, path: Path) -> str | None:
    """The top-level ``id:`` of a plan file that has errors, if it is a valid id."""

    def top_id(text: bytes | str, shown: str) -> str | None:
        root, _, _ = read_mapping(text, shown, needs="", holds="")
        for key, value in root.value:
            if type(key) is ScalarNode and key.tag == STR and key.value == "id":
                if type(value) is ScalarNode and value.tag == STR and is_routine_id(value.value):
                    return str(value.value)
                return None
        return None

    try:
        return guarded(top_id, data, os.fspath(path))
    except RoutineFileError:
        return None  # not even that much of the file can be read


def plan_files(folder: Path) -> list[Path]:
    """Every plan file below ``folder``, recursively, in path order."""
    return scan_folder(folder).plans


def scan_plans(
    paths: AppPaths, known_ids: Collection[str] | None, bundled_dir: Path | None = None
) -> list[PlanEntry]:
    """The bundled plans, then the user's (in the routines folder); a reused id is an error."""
    bundled = bundled_routines_dir() if bundled_dir is None else bundled_dir
    entries = [load_plan_entry(path, known_ids, bundled=True) for path in plan_files(bundled)]
    entries += [load_plan_entry(path, known_ids) for path in plan_files(paths.routines_dir)]
    return list(_unique_ids(entries))


def _unique_ids(entries: Iterable[PlanEntry]) -> Iterable[PlanEntry]:
    owners: dict[str, Path] = {}
    for entry in entries:
        if entry.plan is None:
            yield entry
            continue
        owner = owners.setdefault(entry.plan.id, entry.path)
        if owner == entry.path:
            yield entry
            continue
        clash = RoutineError(
            str(entry.path),
            1,
            1,
            f"plan id '{entry.plan.id}' is already used by {owner}; plan ids must be unique "
            "(set a different 'id:' or rename the file)",
        )
        yield PlanEntry(entry.path, entry.bundled, None, (clash,), entry.warnings)


def find_plan(ref: str, entries: Iterable[PlanEntry]) -> PlanEntry | None:
    """The plan of id ``ref`` among ``entries``, or None.

    A valid one first: a broken copy of a plan that keeps its ``id:`` must not
    hide the plan itself.
    """
    found = [entry for entry in entries if entry.id == ref]
    return next((entry for entry in found if entry.valid), found[0] if found else None)


__all__ = [
    "PLAN_FORMAT",
    "PlanEntry",
    "find_plan",
    "is_plan_file",
    "load_plan",
    "load_plan_entry",
    "parse_plan",
    "plan_files",
    "scan_plans",
]
