"""A plan's reminder times: ``remind: "HH:MM"`` at the top and per routine."""

from __future__ import annotations

from datetime import time

import pytest

from routine_timer.core.errors import RoutineFileError
from routine_timer.core.plan_file import parse_plan

BASE = """name: Back care
weeks: 4
{top}routines:
  - routine: core
    when: daily
{item}  - routine: glutes
    per_week: 2
"""


def _plan(top: str = "", item: str = ""):
    return parse_plan(BASE.format(top=top, item=item), "back.plan.yaml")


def _errors(top: str = "", item: str = "") -> list[str]:
    with pytest.raises(RoutineFileError) as raised:
        _plan(top, item)
    return [str(problem) for problem in raised.value.errors]


def test_a_plan_and_a_routine_may_each_give_a_time() -> None:
    plan = _plan('remind: "18:30"\n', '    remind: "7:05"\n')
    assert plan.remind == time(18, 30)
    assert [item.remind for item in plan.items] == [time(7, 5), None]


def test_without_remind_there_is_no_time() -> None:
    plan = _plan()
    assert plan.remind is None
    assert all(item.remind is None for item in plan.items)


@pytest.mark.parametrize(
    ("top", "item", "expected"),
    [
        (
            "remind: 18:30\n",
            "",
            "back.plan.yaml:3:9: error: 'remind' must be a time of day in quotes, 24-hour "
            'HH:MM such as "18:30", got 18:30 (write it in quotes: remind: "18:30")',
        ),
        (
            'remind: "6:30pm"\n',
            "",
            "back.plan.yaml:3:9: error: 'remind' must be a time of day in quotes, 24-hour "
            "HH:MM such as \"18:30\", got '6:30pm' (text)",
        ),
        (
            "",
            '    remind: "24:00"\n',
            "back.plan.yaml:6:13: error: 'remind' must be a time of day in quotes, 24-hour "
            "HH:MM such as \"18:30\", got '24:00' (text)",
        ),
        (
            "remind:\n",
            "",
            "back.plan.yaml:3:1: error: 'remind' is null; leave the key out to use the default",
        ),
    ],
)
def test_a_wrong_time_is_an_error_at_its_place(top: str, item: str, expected: str) -> None:
    assert _errors(top, item) == [expected]


def test_a_misspelt_key_gets_a_did_you_mean() -> None:
    assert any("did you mean 'remind'" in line for line in _errors('remnd: "18:30"\n'))
