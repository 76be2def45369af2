"""The ``routine-timer`` author tools, run as a person would run them."""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from routine_timer import __version__, cli
from routine_timer.cli import main
from routine_timer.exit_codes import EXIT_OUTPUT
from routine_timer.logs import setup_logging
from tests.helpers.routines import write_file

ERROR_LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)$"
)

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


def test_validate_prints_warnings_and_a_file_with_only_warnings_is_valid(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = write_file(tmp_path / "planks.yaml", SIDE_PLANKS.replace("30s", "1.30"))
    assert main(["validate", str(routine)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{routine}:6:11: warning: 'time' is 1.3 seconds; did you mean \"1:30\" or 1m30s?"
    ]
    assert "1 file: all valid" in out
    broken = write_file(tmp_path / "broken.yaml", BROKEN.replace("30s", "1.30"))
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:4:11: warning: 'time' is 1.3 seconds" in err.splitlines()[0]
    assert ": error: " in err.splitlines()[1]


def test_validate_warns_of_ids_the_library_or_another_file_holds(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each file follows the format, so validate passes them (exit 0), but says which
    # would not start in the library: history is kept by id.
    mine = write_file(data_dir / "routines" / "planks.yaml", SIDE_PLANKS)
    bundled = write_file(tmp_path / "drafts" / "copy.yaml", "id: runners-warm-up\n" + SIDE_PLANKS)
    user = write_file(tmp_path / "drafts" / "planks.yaml", SIDE_PLANKS)
    first = write_file(tmp_path / "drafts" / "new-a.yaml", "id: new\n" + SIDE_PLANKS)
    second = write_file(tmp_path / "drafts" / "new-b.yaml", "id: new\n" + SIDE_PLANKS)
    assert main(["validate", str(tmp_path / "drafts"), str(mine)]) == 0
    out, err = capsys.readouterr()
    lines = error_lines(err)
    assert {m["severity"] for m in lines} == {"warning"}
    found = {m["path"]: (m["line"], m["col"], m["message"]) for m in lines}
    assert sorted(found) == sorted([str(bundled), str(second), str(user)])
    assert found[str(bundled)][:2] == found[str(second)][:2] == found[str(user)][:2] == ("1", "1")
    assert found[str(bundled)][2].startswith("id 'runners-warm-up' is already used by ")
    assert found[str(user)][2].startswith(f"id 'planks' is already used by {mine};")
    assert found[str(second)][2].startswith(f"id 'new' is already used by {first};")
    assert found[str(second)][2].endswith("; in the library, this file would not start")
    assert "5 files: all valid" in out


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


def test_plan_text_shows_when_each_cue_is_spoken(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SIDE_PLANKS.replace("    sets: 3\n", "    sets: 1\n") + (
        "    cues: [Hips level, Breathe]\n    say:\n      - at: 10s\n        text: Twenty to go\n"
    )
    routine = write_file(tmp_path / "side-planks.yaml", text)
    assert main(["plan", str(routine)]) == 0
    lines = capsys.readouterr().out.splitlines()
    work = lines.index("    0:10  work         0:30  Side plank - left")
    assert lines[work + 1 : work + 3] == [
        f'{"":29}at 0:00  "Hips level"',
        f'{"":29}at 0:10  "Twenty to go"',
    ]
    assert lines[work + 3].split() == ["0:40", "switch", "0:05", "Switch", "sides"]


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


def test_list_text_counts_the_untimed_sets(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    squats = SIDE_PLANKS + "  - name: Squat\n    reps: 10\n    sets: 2\n"
    write_file(data_dir / "routines" / "legs.yaml", squats)
    assert main(["list"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("legs ")]
    assert " 4:25 + 2 at your pace  Side planks  [-]" in line


def test_schema_is_json_schema(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


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


# --- hostile names, odd consoles, outputs that fail --------------------------

HOSTILE_NAME = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;aGVsbG8=\x07\x9b2J\u202e Emoji 🙂"


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, control characters written as escapes."""
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + '"'


HOSTILE = f"""\
name: {yaml_quoted(HOSTILE_NAME)}
exercises:
  - name: {yaml_quoted("Plank " + HOSTILE_NAME)}
    time: 30s
"""


def non_utf8_file(folder: Path, stem: bytes, text: str) -> Path:
    """A routine file whose name is not UTF-8; skips where the file system refuses one."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = os.path.join(os.fsencode(folder), stem + b".yaml")
    try:
        with open(raw, "wb") as file:
            file.write(text.encode("utf-8"))
    except OSError as error:
        pytest.skip(f"this file system takes only UTF-8 names: {error}")
    return Path(os.fsdecode(raw))


def assert_shows_nothing_raw(text: str) -> None:
    for line in text.splitlines():
        assert line.isprintable(), repr(line)


def run_command(
    *args: str, env: dict[str, str] | None = None, **options: Any
) -> subprocess.CompletedProcess[bytes]:
    options.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "routine_timer", *args],
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        check=False,
        **options,
    )


def test_list_and_plan_never_send_control_sequences(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(data_dir / "routines" / "evil.yaml", HOSTILE)
    for command in (["list"], ["plan", "evil"], ["list", "--json"], ["plan", "evil", "--json"]):
        assert main(command) == 0
        out = capsys.readouterr().out
        assert_shows_nothing_raw(out)
        assert "\\x1b]0;pwned" in out or "\\u001b]0;pwned" in out
    assert main(["plan", "evil", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == HOSTILE_NAME  # JSON loses nothing


def test_errors_about_a_hostile_file_name_are_shown_escaped(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_file(tmp_path / "\x1b[2Jbroken.yaml", BROKEN)
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert_shows_nothing_raw(err)
    assert "\\x1b[2Jbroken.yaml:8:5: error:" in err


def test_a_file_name_that_is_not_utf8_is_listed(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    non_utf8_file(data_dir / "routines", b"caf\xe9", SIDE_PLANKS)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert_shows_nothing_raw(out)
    assert "caf\\xe9.yaml" in out
    assert main(["list", "--json"]) == 0
    (mine,) = [e for e in json.loads(capsys.readouterr().out) if not e["bundled"]]
    assert os.fsencode(mine["source"]).endswith(b"caf\xe9.yaml")  # the exact name, kept
    assert mine["id"] == "caf\\xe9"  # as it is listed, so it can be typed
    assert main(["plan", "caf\\xe9"]) == 0
    assert "total 3:55" in capsys.readouterr().out


@pytest.mark.slow
def test_a_console_that_is_not_utf8(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_file(data / "routines" / "evil.yaml", HOSTILE)
    non_utf8_file(data / "routines", b"caf\xe9", SIDE_PLANKS)
    env = {"PYTHONIOENCODING": "cp1252"}
    for command in (["list"], ["plan", "evil"], ["list", "--json"], ["validate", str(data)]):
        result = run_command("--data-dir", str(data), *command, env=env)
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr
        out = result.stdout.decode("cp1252")
        assert_shows_nothing_raw(out)
    result = run_command("--data-dir", str(data), "plan", "evil", env=env)
    assert "Emoji \\U0001f642" in result.stdout.decode("cp1252")
    result = run_command("--data-dir", str(data), "list", "--json", env=env)
    names = {entry["name"] for entry in json.loads(result.stdout.decode("cp1252"))}
    assert HOSTILE_NAME in names


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["schema"], ["--help"]])
def test_a_full_disk_gets_one_line_not_a_traceback(tmp_path: Path, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = run_command("--data-dir", str(tmp_path / "data"), *command, stdout=full)
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr.decode() == (
        "routine-timer: error: cannot write the output: no space left on the device\n"
    )


def test_a_closed_pipe_is_not_an_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Closed(io.StringIO):
        def write(self, _text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["list"]) == 0
    assert capsys.readouterr().err == ""


def test_standard_error_that_cannot_be_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Full(io.StringIO):
        def write(self, _text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sys, "stderr", Full())
    assert main(["plan", "no-such-routine"]) == EXIT_OUTPUT


# --- data folders that cannot be used ---------------------------------------


@pytest.mark.parametrize(
    ("layout", "words"),
    [
        ("file", "it is a file, not a folder"),
        ("routines-file", "routines: it is a file, not a folder"),
        ("below-a-file", "part of the path is a file, not a folder"),
        ("too-long", "too long for the system"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["plan", "x"], ["history"], ["list", "--json"]])
def test_a_data_folder_that_cannot_be_used_is_exit_2_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str, words: str, command: list[str]
) -> None:
    data = tmp_path / "data"
    if layout == "file":
        data.write_text("")
    elif layout == "routines-file":
        write_file(data / "routines", "")
    elif layout == "below-a-file":
        (tmp_path / "file").write_text("")
        data = tmp_path / "file" / "data"
    else:
        data = tmp_path / "/".join(["x" * 200] * 25)
    assert main(["--data-dir", str(data), *command]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("routine-timer: error: cannot use ")
    assert words in err
    assert len(err.splitlines()) == 1


def test_the_window_says_so_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from routine_timer import app

    shown: list[str] = []
    monkeypatch.setattr(app, "show_startup_problem", shown.append)
    (tmp_path / "data").write_text("")
    assert main(["--data-dir", str(tmp_path / "data")]) == 2
    assert main(["--data-dir", str(tmp_path / "data"), "start", "x"]) == 2
    assert len(shown) == 2
    assert "it is a file, not a folder" in shown[0]
    assert "it is a file, not a folder" in capsys.readouterr().err


def test_validate_and_schema_need_no_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").write_text("")
    routine = write_file(tmp_path / "side-planks.yaml", SIDE_PLANKS)
    assert main(["--data-dir", str(tmp_path / "data"), "validate", str(routine)]) == 0
    assert main(["--data-dir", str(tmp_path / "data"), "schema"]) == 0


def test_validate_says_which_folders_it_could_not_read(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from tests.core.test_library import refuse_to_list

    write_file(tmp_path / "lib" / "a.yaml", SIDE_PLANKS)
    write_file(tmp_path / "lib" / "private" / "b.yaml", BROKEN)
    refuse_to_list(monkeypatch, tmp_path / "lib" / "private")
    assert main(["validate", str(tmp_path / "lib")]) == 1
    out, err = capsys.readouterr()
    (problem,) = error_lines(err)
    assert problem["path"] == str(tmp_path / "lib" / "private")
    assert "permission denied" in problem["message"]
    assert "1 file: all valid" in out
    assert "1 folder could not be read" in out


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


def test_tray_starts_the_app_without_its_window(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.build_parser().parse_args(["--tray"]).tray is True
    assert cli.build_parser().parse_args([]).tray is False
    asked: dict[str, object] = {}

    def fake_gui(paths: object, start: object, quit_when_done: bool, **options: object) -> int:
        asked.update(options)
        return 0

    monkeypatch.setattr(cli, "_gui", fake_gui)
    assert cli.main(["--tray"]) == 0
    assert asked["tray"] is True


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_command_has_its_options_and_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each command's options are added only when it is the command used: each one's
    # --help must still show them, and the top-level --help list every command.
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    usage = " ".join(capsys.readouterr().out.split())
    common = f"usage: routine-timer {command} [-h] [--data-dir DIR] [--verbose] "
    # Every command has options or arguments of its own, after the common ones.
    assert usage.startswith(common)
    assert not usage[len(common) :].startswith("options:")
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    summary = " ".join(cli.COMMANDS[command][0].split())
    assert summary in " ".join(listing.split())
