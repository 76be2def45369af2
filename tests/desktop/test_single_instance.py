"""One app per data folder: a second start hands over to the first."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from routine_timer.desktop.single_instance import SHOW, SingleInstance, server_name


def test_a_second_start_hands_its_wish_to_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    first = SingleInstance(name)
    assert not first.hand_over(SHOW)  # nobody there yet: this one is the first
    assert first.listen()
    heard: list[str] = []
    first.messageReceived.connect(heard.append)

    second = SingleInstance(name)
    assert second.hand_over(SHOW)
    qtbot.waitUntil(lambda: heard == [SHOW], timeout=5000)
    assert SingleInstance(name).hand_over("start runners-daily-core\nextra")
    qtbot.waitUntil(lambda: heard == [SHOW, "start runners-daily-core extra"], timeout=5000)
    first.close()
    assert not SingleInstance(name).hand_over(SHOW)


def test_each_data_folder_has_its_own_app(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_a_socket_left_by_a_crashed_app_is_taken_over(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    crashed = SingleInstance(name)
    assert crashed.listen()
    # A crash leaves the socket file behind with nobody listening on it.
    assert crashed.server is not None
    socket_file = Path(crashed.server.fullServerName())
    crashed.server.close()
    socket_file.touch()
    again = SingleInstance(name)
    assert not again.hand_over(SHOW)
    assert again.listen()
    again.close()


def test_two_starts_at_once_leave_one_app(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    first, second = SingleInstance(name), SingleInstance(name)
    # Both found nobody; the first listens, and the second must not take its place.
    assert not first.hand_over(SHOW) and not second.hand_over(SHOW)
    assert first.listen()
    assert not second.listen()
    heard: list[str] = []
    first.messageReceived.connect(heard.append)
    assert second.hand_over(SHOW)
    qtbot.waitUntil(lambda: heard == [SHOW], timeout=5000)
    first.close()


_HOSTILE_CLIENT = """
import socket, sys, time
long_start = b"start " + b"a" * 5000 + b"\\n"
for data in (b"half", b"x" * 100_000, b"\\xff\\xfe\\n", long_start, b"show\\n"):
    client = socket.socket(socket.AF_UNIX)
    client.connect(sys.argv[1])
    try:
        client.sendall(data)
    except OSError:
        pass  # the app hung up on a message too long: as it should
    client.close()
    time.sleep(0.05)  # one after another, as separate starts would be
"""


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="a local socket is a file here")
def test_garbage_half_and_huge_messages_are_dropped_or_read_as_text(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first = SingleInstance(server_name(tmp_path / "data"))
    assert first.listen()
    assert first.server is not None
    heard: list[str] = []
    first.messageReceived.connect(heard.append)
    client = subprocess.Popen(
        [sys.executable, "-c", _HOSTILE_CLIENT, first.server.fullServerName()]
    )
    try:
        qtbot.waitUntil(lambda: heard[-1:] == [SHOW], timeout=10000)
    finally:
        client.wait(timeout=10)
        first.close()
    # Half a message is nothing; one too long to be a start's is not acted on in part.
    assert heard == ["\ufffd\ufffd", SHOW]


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file to look for")
def test_no_socket_file_says_no_app_listens(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routine_timer.desktop.single_instance import may_be_running

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir()
    name = server_name(tmp_path / "data")
    assert name.startswith(str(tmp_path / "run") + "/")
    assert not may_be_running(name)  # the start that builds its window first
    first = SingleInstance(name)
    assert first.listen()
    assert may_be_running(name)  # a later start asks before any window
    assert SingleInstance(name).hand_over(SHOW)
    first.close()


def test_a_start_that_claims_after_its_paint_yields_to_one_that_got_there_first(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from routine_timer.app import _claim_after_paint
    from routine_timer.paths import AppPaths

    paths = AppPaths(tmp_path / "data")
    name = server_name(paths.data_dir)
    first = SingleInstance(name)
    heard: list[str] = []
    first.messageReceived.connect(heard.append)
    late = SingleInstance(name)
    assert _claim_after_paint(first, SHOW, paths)  # nobody there: it is the app
    assert not _claim_after_paint(late, SHOW, paths)  # the other one is: hand over, end
    qtbot.waitUntil(lambda: heard == [SHOW], timeout=5000)
    first.close()
