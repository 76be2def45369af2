"""Inputs found by an adversarial pass over the command line: each gets a clear message."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from routine_timer.cli import main
from routine_timer.core.plan_file import find_plan, load_plan_entry
from routine_timer.core.programme import block_of
from routine_timer.paths import bundled_routines_dir

BUNDLED_PLAN = bundled_routines_dir() / "plans" / "runners-back-care.plan.yaml"


def user_plan(data_dir: Path, change: tuple[str, str]) -> Path:
    """The bundled plan under the id 'mine' in a file of another name, with one change."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8").replace("name:", "id: mine\nname:", 1)
    assert change[0] in text
    path = data_dir / "routines" / "back.plan.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    return path


def choose(data_dir: Path, plan_id: str, chosen: str = "2026-11-01") -> None:
    (data_dir / "settings.ini").write_text(f"[plan]\nactive = {plan_id}\nchosen = {chosen}\n")


BROKEN = [
    (("weeks: 12", 'weeks: "12"'), "remove the quotes to make it a number"),
    (("when: daily", "when: dialy"), "'when'"),
    (('remind: "18:30"', 'remind: "25:00"'), "remind"),
]


@pytest.mark.parametrize(("change", "said"), BROKEN)
def test_a_chosen_plan_with_a_mistake_shows_its_errors_not_an_unknown_id(
    tmp_path: Path, change: tuple[str, str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = user_plan(tmp_path, change)
    choose(tmp_path, "mine")
    assert main(["today", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no plan with id" not in err
    assert f"{path}:" in err
    assert ": error: " in err
    assert said in err
    entry = find_plan("mine", [load_plan_entry(path)])
    assert entry is not None
    assert not entry.valid


def test_a_plan_file_that_is_not_yaml_keeps_its_file_name_as_id(tmp_path: Path) -> None:
    path = tmp_path / "back.plan.yaml"
    path.write_text("id: mine\nname: [unclosed\n", encoding="utf-8")
    assert load_plan_entry(path).id == "back"


@pytest.mark.parametrize("day", ["0001-01-01", "1900-06-01", "9999-12-31"])
def test_today_for_a_day_out_of_the_calendar_is_a_usage_error(
    tmp_path: Path, day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    choose(tmp_path, "runners-back-care")
    with pytest.raises(SystemExit) as stopped:
        main(["today", "--data-dir", str(tmp_path), "--date", day])
    assert stopped.value.code == 2
    assert "give a day from 1971-01-01 to 9000-12-31" in capsys.readouterr().err


@pytest.mark.parametrize("chosen", ["9999-12-31", "0001-01-01"])
def test_a_chosen_day_out_of_the_calendar_is_as_none(
    tmp_path: Path, chosen: str, capsys: pytest.CaptureFixture[str]
) -> None:
    choose(tmp_path, "runners-back-care", chosen)
    (tmp_path / "routines").mkdir()
    assert main(["today", "--json", "--data-dir", str(tmp_path), "--date", "2026-03-02"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["plan"]["id"] == "runners-back-care"
    entry = load_plan_entry(BUNDLED_PLAN)
    assert entry.plan is not None
    assert block_of(entry.plan, date.fromisoformat(chosen), date(2026, 3, 2)).start == date(
        2026, 3, 2
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_report_onto_a_pipe_or_device_never_replaces_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A rename over /dev/null, as root, would make it a plain file for the whole machine;
    # a named pipe stands for every such file here.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "data" / "routines").mkdir(parents=True)
    code = main(["report", "--data-dir", str(tmp_path / "data"), "-o", str(pipe)])
    assert code == 2
    assert "it is a device or a pipe, not a file" in capsys.readouterr().err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "pipe"]


def test_a_broken_copy_that_keeps_the_id_does_not_hide_the_plan(tmp_path: Path) -> None:
    good = tmp_path / "b.plan.yaml"
    good.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace("name:", "id: mine\nname:", 1))
    broken = tmp_path / "a.plan.yaml"  # first in path order
    broken.write_text("id: mine\nname: Mine\nweeks: 0\nroutines: []\n", encoding="utf-8")
    entries = [load_plan_entry(broken), load_plan_entry(good)]
    assert [entry.id for entry in entries] == ["mine", "mine"]
    found = find_plan("mine", entries)
    assert found is not None and found.path == good
