"""One app per data folder: a second start hands over to the first."""

from __future__ import annotations

from pathlib import Path

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
