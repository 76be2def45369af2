"""The screen is kept awake while a session runs, and let go afterwards, on every platform."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from routine_timer.desktop.inhibit import (
    ES_CONTINUOUS,
    ES_DISPLAY_REQUIRED,
    ES_SYSTEM_REQUIRED,
    CaffeinateInhibitor,
    FreedesktopInhibitor,
    QtScreenSaverBus,
    ScreenSaverInhibitor,
    WindowsInhibitor,
    create_inhibitor,
)
from tests.helpers.fakes import FakeScreenSaverBus

REASON = "An exercise routine is running"


# --- Linux ------------------------------------------------------------------


def test_linux_inhibits_once_and_uninhibits_with_the_cookie() -> None:
    bus = FakeScreenSaverBus(cookie=1234)
    inhibitor = FreedesktopInhibitor(bus)
    inhibitor.inhibit(REASON)
    inhibitor.inhibit(REASON)  # already held: not asked again
    assert inhibitor.active
    assert bus.calls == [("Inhibit", ("routine-timer", REASON))]
    inhibitor.release()
    assert not inhibitor.active
    assert bus.calls[1:] == [("UnInhibit", (1234,))]


def test_release_without_inhibit_does_nothing() -> None:
    bus = FakeScreenSaverBus()
    inhibitor = FreedesktopInhibitor(bus)
    inhibitor.release()
    assert bus.calls == []
    assert not inhibitor.active


def test_pause_and_resume_take_a_fresh_inhibition() -> None:
    bus = FakeScreenSaverBus(cookie=7)
    inhibitor = FreedesktopInhibitor(bus)
    for _ in range(2):
        inhibitor.inhibit(REASON)
        inhibitor.release()
    assert [method for method, _ in bus.calls] == ["Inhibit", "UnInhibit"] * 2


def test_a_bus_error_fails_quietly(caplog: pytest.LogCaptureFixture) -> None:
    bus = FakeScreenSaverBus(fail=True)
    inhibitor = FreedesktopInhibitor(bus)
    with caplog.at_level(logging.INFO, logger="routine_timer.desktop.inhibit"):
        inhibitor.inhibit(REASON)
    assert inhibitor.active  # as far as the caller is concerned; not retried
    assert "ServiceUnknown" in caplog.text
    inhibitor.inhibit(REASON)
    inhibitor.release()
    # No cookie came back, so there is nothing to give back.
    assert bus.calls == [("Inhibit", ("routine-timer", REASON))]
    assert not inhibitor.active


def test_an_error_on_release_fails_quietly() -> None:
    bus = FakeScreenSaverBus()
    inhibitor = FreedesktopInhibitor(bus)
    inhibitor.inhibit(REASON)
    bus.fail = True
    inhibitor.release()
    assert not inhibitor.active
    assert bus.calls[-1] == ("UnInhibit", (42,))


def test_the_real_bus_without_a_session_bus_fails_quietly(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An address nobody listens on: connecting fails at once, without a daemon.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    inhibitor = FreedesktopInhibitor(QtScreenSaverBus())
    inhibitor.inhibit(REASON)
    inhibitor.release()
    assert not inhibitor.active


# --- Windows ----------------------------------------------------------------


class FakeExecutionState:
    def __init__(self, result: int = 0x80000000) -> None:
        self.calls: list[int] = []
        self.result = result

    def __call__(self, flags: int) -> int:
        self.calls.append(flags)
        return self.result


def test_windows_keeps_display_and_system_on_then_clears() -> None:
    state = FakeExecutionState()
    inhibitor = WindowsInhibitor(state)
    inhibitor.inhibit(REASON)
    inhibitor.inhibit(REASON)
    inhibitor.release()
    inhibitor.release()
    assert state.calls == [ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED, ES_CONTINUOUS]


def test_windows_failure_is_quiet() -> None:
    inhibitor = WindowsInhibitor(FakeExecutionState(result=0))
    inhibitor.inhibit(REASON)
    inhibitor.release()
    assert not inhibitor.active


# --- macOS ------------------------------------------------------------------


class FakeProcess:
    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.terminated = False
        self.waited = False

    def terminate(self) -> None:
        self.terminated = True

    def wait(self, timeout: float | None = None) -> int:
        self.waited = True
        return 0


def test_macos_runs_caffeinate_tied_to_the_app_until_released() -> None:
    started: list[FakeProcess] = []

    def start(command: Sequence[str]) -> FakeProcess:
        started.append(FakeProcess(command))
        return started[-1]

    inhibitor = CaffeinateInhibitor("/usr/bin/caffeinate", start=start, pid=4321)
    inhibitor.inhibit(REASON)
    inhibitor.inhibit(REASON)
    assert [p.command for p in started] == [["/usr/bin/caffeinate", "-d", "-i", "-w", "4321"]]
    assert not started[0].terminated
    inhibitor.release()
    assert started[0].terminated and started[0].waited


def test_macos_without_caffeinate_running_fails_quietly() -> None:
    def start(command: Sequence[str]) -> FakeProcess:
        raise FileNotFoundError(command[0])

    inhibitor = CaffeinateInhibitor(start=start)
    inhibitor.inhibit(REASON)
    inhibitor.release()
    assert not inhibitor.active


# --- choosing ---------------------------------------------------------------


def test_linux_with_a_session_bus_uses_the_screensaver_service() -> None:
    inhibitor = create_inhibitor("linux", session_bus_present=lambda: True)
    assert isinstance(inhibitor, FreedesktopInhibitor)


@pytest.mark.parametrize(
    ("platform", "bus", "caffeinate"),
    [
        ("linux", False, None),
        ("darwin", False, None),
        ("sunos5", True, "/usr/bin/caffeinate"),
    ],
)
def test_nothing_that_works_gives_the_no_op_inhibitor(
    platform: str, bus: bool, caffeinate: str | None
) -> None:
    inhibitor = create_inhibitor(
        platform, which=lambda name: caffeinate, session_bus_present=lambda: bus
    )
    assert type(inhibitor) is ScreenSaverInhibitor
    inhibitor.inhibit(REASON)
    inhibitor.release()


def test_macos_with_caffeinate_uses_it() -> None:
    inhibitor = create_inhibitor("darwin", which=lambda name: "/usr/bin/caffeinate")
    assert isinstance(inhibitor, CaffeinateInhibitor)


def test_a_failing_probe_gives_the_no_op_inhibitor() -> None:
    def broken() -> bool:
        raise RuntimeError("no D-Bus")

    assert type(create_inhibitor("linux", session_bus_present=broken)) is ScreenSaverInhibitor


def test_windows_backend_is_chosen_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from routine_timer.desktop import inhibit

    monkeypatch.setattr(inhibit, "_windows_function", FakeExecutionState)
    assert isinstance(create_inhibitor("win32"), WindowsInhibitor)
