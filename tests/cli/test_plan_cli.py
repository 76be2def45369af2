"""``routine-timer validate`` and ``schema`` with plan files, and ``routine-timer today``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routine_timer.cli import main
from routine_timer.paths import plan_schema_path
from tests.helpers.routines import write_file

PLAN = """\
name: Back care
weeks: 4
routines:
  - routine: runners-daily-core
    when: daily
  - routine: my-own
    per_week: 2
"""
MY_OWN = "name: My own\nexercises:\n  - name: Plank\n    time: 30s\n"


def test_validate_checks_plans_against_the_library_and_the_files_beside(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_file(tmp_path / "back.plan.yaml", PLAN)
    assert main(["validate", str(plan)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{plan}:6:14: error: no routine with id 'my-own' in the library")
    write_file(tmp_path / "my-own.yaml", MY_OWN)
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "checked 2 files: all valid\n"


def test_validate_reports_a_broken_plan_in_a_folder(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(tmp_path / "plans" / "b.plan.yml", "name: B\nweeks: 0\nroutines: []\n")
    assert main(["validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert [line.split(": error: ")[0] for line in captured.err.splitlines()] == [
        f"{tmp_path / 'plans' / 'b.plan.yml'}:2:8",
        f"{tmp_path / 'plans' / 'b.plan.yml'}:3:11",
    ]
    assert captured.out == "checked 1 file: 1 invalid\n"


def test_schema_prints_the_plan_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--plan"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(plan_schema_path().read_text())
