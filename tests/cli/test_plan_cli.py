"""``routine-timer validate`` and ``schema`` with plan files, and ``routine-timer today``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
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


def _record(data_dir: Path, routine: str, when: datetime) -> None:
    from routine_timer.storage.history import HistoryStore

    data_dir.mkdir(parents=True, exist_ok=True)
    with HistoryStore(data_dir / "history.sqlite3") as store:
        number = store.start_session(routine, routine, "", 60.0, started_at=when)
        store.finish_session(number, "completed", 60.0, 0.0, ended_at=when)


def test_today_without_a_plan_says_how_to_choose_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["today"]) == 0
    assert "No plan chosen" in capsys.readouterr().out
    assert main(["today", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"] is None


def test_today_follows_the_plan_chosen_in_the_app_and_the_history(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from routine_timer.settings import Settings

    Settings(data_dir / "settings.ini").choose_plan("runners-back-care", date(2026, 3, 2))
    noon = datetime(2026, 3, 3, 12).astimezone()  # Tuesday, a run day of the plan
    _record(data_dir, "runners-daily-core", noon - timedelta(days=1))
    _record(data_dir, "runners-daily-core", noon)
    _record(data_dir, "runners-warm-up", noon)
    assert main(["today", "--date", "2026-03-03"]) == 0
    out = capsys.readouterr().out
    assert "Tue 3 Mar 2026, week 1 of 12:" in out
    assert "  done      Runner's daily core (every day; 2 of 7 this week; level 3 of 5)" in out
    assert "  due       Mobility and stretch (after a run, on rest days; 0 of 7" in out
    assert out.rstrip().endswith("Reminders: Runner's back-care plan reminds at 18:30.")
    assert main(["today", "--json", "--date", "2026-03-03"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["plan"]["start"] == "2026-03-02" and document["week"] == 1
    assert {r["routine"]: r["status"] for r in document["routines"]} == {
        "runners-daily-core": "done",
        "runners-warm-up": "done",
        "mobility-stretch": "due",
    }
    assert document["anything_due"] and document["next"] == "mobility-stretch"
    assert [day["kept"] for day in document["week_so_far"]] == [False, False]
    first = document["adherence"][0]
    assert {r["routine"]: (r["planned"], r["done"]) for r in first["routines"]} == {
        "runners-daily-core": (7, 2),
        "lower-body-strength": (2, 0),
        "runners-warm-up": (3, 1),
        "mobility-stretch": (7, 0),
    }
    assert len(document["adherence"]) == 12
    assert document["adherence"][-1]["routines"][-1] == {
        "routine": "core-pyramid", "kind": "retest", "planned": 1, "done": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "said"),
    [("off", "Reminders: off (Settings)"), ("own", "Reminders: at 07:15, your own time")],
)
def test_today_says_when_the_reminders_come(
    data_dir: Path, capsys: pytest.CaptureFixture[str], mode: str, said: str
) -> None:
    from datetime import time

    from routine_timer.settings import Settings

    settings = Settings(data_dir / "settings.ini")
    settings.choose_plan("runners-back-care", date(2026, 3, 2))
    settings.remind = mode
    settings.reminder_time = time(7, 15)
    assert main(["today", "--date", "2026-03-03"]) == 0
    assert said in capsys.readouterr().out


def test_today_with_a_plan_file_and_its_mistakes(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_file(
        tmp_path / "mine.plan.yaml", PLAN.replace("weeks: 4", "start: 2026-03-02\nweeks: 4")
    )
    assert main(["today", "--plan", str(plan), "--date", "2026-03-01"]) == 1
    assert "no routine with id 'my-own'" in capsys.readouterr().err
    write_file(
        plan,
        PLAN.replace("my-own", "glute-bridges").replace("weeks: 4", "start: 2026-03-02\nweeks: 4"),
    )
    assert main(["today", "--plan", str(plan), "--date", "2026-03-01"]) == 0
    assert "It starts on Mon 2 Mar 2026" in capsys.readouterr().out
    assert main(["today", "--plan", "nothing"]) == 2
    assert "no plan with id 'nothing' (known plans: runners-back-care)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["today", "--date", "someday"])
    assert stopped.value.code == 2
    assert "'someday' is not a date: use YYYY-MM-DD" in capsys.readouterr().err
