"""The ``routine-timer`` author tools, run as a person would run them."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routine_timer import __version__
from routine_timer.cli import main
from routine_timer.logs import setup_logging
from tests.conftest import write_file

ERROR_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")

SIDE_PLANKS = """\
name: Side planks
prepare: 10s
rest: 15s
exercises:
  - name: Side plank
    time: 30s
    sets: 3
    sides: both
"""

BROKEN = """\
name: Broken
exercises:
  - name: Plank
    time: 30s
    reps: 10
  - name: Bird dog
    reps: 10
    hodl: 10s
"""


def error_lines(stderr: str) -> list[re.Match[str]]:
    lines = stderr.splitlines()
    matches = [ERROR_LINE.match(line) for line in lines]
    assert all(matches), f"not all stderr lines are path:line:col errors: {lines}"
    return [match for match in matches if match]


def test_validate_a_valid_file(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "side-planks.yaml", SIDE_PLANKS)
    assert main(["validate", str(routine)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "1 file: all valid" in out


def test_validate_reports_every_problem(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "broken.yaml", BROKEN)
    assert main(["validate", str(routine)]) == 1
    matches = error_lines(capsys.readouterr().err)
    assert {match["path"] for match in matches} == {str(routine)}
    positions = {(int(m["line"]), int(m["col"])) for m in matches}
    assert (8, 5) in positions  # the misspelt key
    assert any(line in (4, 5) for line, _ in positions)  # time with reps
    assert any("did you mean 'hold'" in m["message"] for m in matches)


def test_validate_searches_folders_recursively(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(tmp_path / "lib" / "a.yaml", SIDE_PLANKS)
    bad = write_file(tmp_path / "lib" / "deeper" / "b.yml", BROKEN)
    write_file(tmp_path / "lib" / "notes.txt", "not a routine")
    assert main(["validate", str(tmp_path / "lib")]) == 1
    out, err = capsys.readouterr()
    assert {m["path"] for m in error_lines(err)} == {str(bad)}
    assert "2 files: 1 invalid" in out


def test_a_missing_path_is_a_usage_error_but_the_rest_is_checked(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_file(tmp_path / "broken.yaml", BROKEN)
    assert main(["validate", str(tmp_path / "nope.yaml"), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder" in err
    assert f"{bad}:8:5: error:" in err


def test_plan_json_follows_the_format_example(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "side-planks.yaml", SIDE_PLANKS)
    assert main(["plan", str(routine), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["id"] == "side-planks"
    assert plan["name"] == "Side planks"
    assert plan["total_seconds"] == 235
    assert plan["manual_steps"] == 0
    kinds = [step["kind"] for step in plan["steps"]]
    assert kinds[:5] == ["prepare", "work", "switch", "work", "rest"]
    assert sum(step["seconds"] for step in plan["steps"]) == 235
    assert [step["start"] for step in plan["steps"][:3]] == [0, 10, 40]
    assert plan["steps"][1]["side"] == "left"


def test_plan_text_shows_each_step_and_the_total(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "side-planks.yaml", SIDE_PLANKS)
    assert main(["plan", str(routine)]) == 0
    out = capsys.readouterr().out
    assert "Side plank - set 1 of 3 - left" in out
    assert "total 3:55 (235 s)" in out


def test_plan_finds_a_user_routine_by_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "elsewhere"
    write_file(data / "routines" / "side-planks.yaml", SIDE_PLANKS)
    assert main(["plan", "side-planks", "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["total_seconds"] == 235
    assert main(["--data-dir", str(data), "plan", "side-planks"]) == 0


def test_plan_of_an_unknown_id_or_broken_file(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "no-such-routine"]) == 2
    assert "no routine with id 'no-such-routine'" in capsys.readouterr().err
    bad = write_file(tmp_path / "broken.yaml", BROKEN)
    assert main(["plan", str(bad)]) == 1
    assert error_lines(capsys.readouterr().err)


def test_list_keeps_valid_routines_beside_invalid_ones(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(data_dir / "routines" / "side-planks.yaml", SIDE_PLANKS)
    write_file(data_dir / "routines" / "broken.yaml", BROKEN)
    assert main(["list", "--json"]) == 0
    entries = {entry["id"]: entry for entry in json.loads(capsys.readouterr().out)}
    assert entries["side-planks"]["valid"] is True
    assert entries["side-planks"]["total_seconds"] == 235
    assert entries["side-planks"]["bundled"] is False
    assert entries["broken"]["valid"] is False
    assert all(ERROR_LINE.match(line) for line in entries["broken"]["errors"])
    assert any(entry["bundled"] for entry in entries.values())


def test_list_text(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_file(data_dir / "routines" / "broken.yaml", BROKEN)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "broken  INVALID" in out
    assert "(bundled)" in out


def test_schema_is_json_schema(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_duplicate_id_is_reported_and_the_first_kept(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(
        data_dir / "routines" / "a.yaml", SIDE_PLANKS.replace("name:", "id: planks\nname:", 1)
    )
    write_file(
        data_dir / "routines" / "b.yaml", SIDE_PLANKS.replace("name:", "id: planks\nname:", 1)
    )
    assert main(["list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    mine = [entry for entry in entries if not entry["bundled"]]
    assert [entry["valid"] for entry in mine] == [True, False]
    assert "already used" in mine[1]["errors"][0]


def test_usage_errors_exit_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_the_real_command_never_shows_a_traceback(tmp_path: Path, data_dir: Path) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\xff\xfe\x00garbage: [unclosed\n\x00\x01")
    result = subprocess.run(
        [sys.executable, "-m", "routine_timer", "validate", str(junk)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(error_lines(result.stderr)) == 1


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"routine-timer {__version__}\n"


def test_verbose_is_taken_before_or_after_the_command(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "side-planks.yaml", SIDE_PLANKS)
    root = logging.getLogger()
    level = root.level
    try:
        assert main(["--verbose", "validate", str(routine)]) == 0
        assert main(["validate", "--verbose", str(routine)]) == 0
        logging.getLogger("routine_timer.tests").debug("a detail")
        assert "DEBUG routine_timer.tests: a detail" in capsys.readouterr().err
    finally:
        setup_logging(None)
        root.setLevel(level)
    # The author tools write no log file.
    assert not data_dir.exists()
