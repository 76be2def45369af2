"""Start at login: the XDG autostart entry, written and removed by the setting."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from routine_timer.desktop.autostart import (
    FILE_NAME,
    autostart_dir,
    entry_text,
    exec_value,
    launch_command,
    remove_autostart,
    unavailable_reason,
    write_autostart,
)


def _exec_words(value: str) -> list[str]:
    """An Exec value read back as the desktop entry specification says."""
    text = value.replace("\\\\", "\\")  # the string's own escape first
    words: list[str] = []
    word, quoted, index = "", False, 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and text[index + 1 : index + 2] in ('"', "`", "$", "\\"):
            word += text[index + 1]
            index += 1
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            words.append(word)
            word = ""
        else:
            word += char
        index += 1
    words.append(word)
    return [each.replace("%%", "%") for each in words]


def test_the_folder_honours_xdg_config_home(tmp_path: Path) -> None:
    assert autostart_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "autostart"
    assert autostart_dir({}) == Path.home() / ".config" / "autostart"
    # A relative XDG_CONFIG_HOME is invalid (the specification): the default is used.
    assert autostart_dir({"XDG_CONFIG_HOME": "relative"}) == Path.home() / ".config" / "autostart"


def test_the_entry_starts_the_app_in_the_tray(tmp_path: Path) -> None:
    command = ["/opt/routine timer/bin/routine-timer", "--data-dir", "/data/it's $HOME", "--tray"]
    path = write_autostart(command, tmp_path)
    assert path == tmp_path / FILE_NAME
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_text(encoding="utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].endswith("--tray")
    # Unescaped as the specification says (the string's backslashes, then the quoting),
    # the Exec line gives back the command, word for word.
    assert _exec_words(entry["Exec"]) == command
    assert write_autostart(command, tmp_path) == path  # the same again: left as it is


@pytest.mark.parametrize(
    ("command", "value"),
    [
        (["routine-timer", "--tray"], "routine-timer --tray"),
        (["/a b/rt", "--tray"], '"/a b/rt" --tray'),
        (["rt", '50%"'], 'rt "50%%\\\\""'),
        (["rt", "$x`y`"], 'rt "\\\\$x\\\\`y\\\\`"'),
    ],
)
def test_exec_values_are_quoted_and_escaped(command: list[str], value: str) -> None:
    assert exec_value(command) == value


def test_remove_takes_away_only_the_apps_own_entry(tmp_path: Path) -> None:
    assert not remove_autostart(tmp_path)  # none there
    theirs = tmp_path / FILE_NAME
    theirs.write_text("[Desktop Entry]\nType=Application\nExec=something-else\n", encoding="utf-8")
    assert not remove_autostart(tmp_path)
    assert theirs.exists()
    write_autostart(["routine-timer", "--tray"], tmp_path)
    assert remove_autostart(tmp_path)
    assert not theirs.exists()


def test_the_command_names_the_data_folder_only_when_it_is_not_the_default(
    tmp_path: Path,
) -> None:
    assert launch_command()[-1] == "--tray"
    assert "--data-dir" not in launch_command()
    assert launch_command(tmp_path)[-3:] == ["--data-dir", str(tmp_path), "--tray"]


def test_elsewhere_than_linux_the_setting_says_why_not() -> None:
    assert unavailable_reason("linux") is None
    assert unavailable_reason("win32") is not None
    assert "Linux" in (unavailable_reason("darwin") or "")


def test_the_entry_is_marked_as_the_apps() -> None:
    assert "X-Routine-Timer-Autostart=true" in entry_text(["routine-timer", "--tray"])


def test_written_and_removed_in_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = write_autostart(["routine-timer", "--tray"])
    assert path == tmp_path / "config" / "autostart" / FILE_NAME
    assert path.read_text(encoding="utf-8").startswith("[Desktop Entry]\n")
    assert not list(path.parent.glob(".*"))  # no temporary file left beside it
    assert remove_autostart()
    assert not path.exists()
