"""The loader holds the garbage collector off while it parses, and always turns it back on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.core import loader
from routine_timer.core.loader import RoutineFileError, parse_routine
from routine_timer.core.plan_file import parse_plan

VALID = "name: Core\nexercises:\n  - name: Plank\n    time: 30\n"


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on, and leaves it on whatever happens."""
    gc.enable()
    yield
    gc.enable()


@pytest.fixture
def seen_while_parsing(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was on, for every file hashed (which every parse does)."""
    seen: list[bool] = []
    real = loader.digest

    def digest(data: bytes) -> str:
        seen.append(gc.isenabled())
        return real(data)

    monkeypatch.setattr(loader, "digest", digest)
    return seen


def test_the_collector_is_off_while_a_routine_is_parsed_and_on_after(
    seen_while_parsing: list[bool], tmp_path: Path
) -> None:
    parse_routine(VALID, tmp_path / "core.yaml")
    assert seen_while_parsing == [False]
    assert gc.isenabled()


def test_and_for_a_plan(seen_while_parsing: list[bool], tmp_path: Path) -> None:
    plan = "name: Plan\nweeks: 2\nroutines:\n  - routine: core\n    when: daily\n"
    parse_plan(plan, tmp_path / "a.plan.yaml", {"core"})
    assert seen_while_parsing == [False]
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_file_with_errors(
    seen_while_parsing: list[bool], tmp_path: Path
) -> None:
    with pytest.raises(RoutineFileError):
        parse_routine("name: Core\nexercises: 3\n", tmp_path / "core.yaml")
    assert seen_while_parsing == [False]
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*_: object) -> None:
        assert not gc.isenabled()
        raise ValueError

    monkeypatch.setattr(loader, "digest", broken)
    with pytest.raises(RoutineFileError, match="internal error: ValueError"):
        parse_routine(VALID, tmp_path / "core.yaml")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(
    seen_while_parsing: list[bool], tmp_path: Path
) -> None:
    gc.disable()
    parse_routine(VALID, tmp_path / "core.yaml")
    assert seen_while_parsing == [False]
    assert not gc.isenabled()


def test_parses_in_two_threads_share_the_pause(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The first parse to end leaves the collector off for the other; the last turns it on."""
    both_parsing = threading.Barrier(2, timeout=30)
    first_ended = threading.Event()
    seen: dict[str, bool] = {}
    failures: list[BaseException] = []
    real = loader.digest

    def digest(data: bytes) -> str:
        both_parsing.wait()
        if threading.current_thread().name == "second":
            assert first_ended.wait(timeout=30)
            seen["second, after the first ended"] = gc.isenabled()
        return real(data)

    def parse() -> None:
        try:
            parse_routine(VALID, tmp_path / "core.yaml")
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)

    monkeypatch.setattr(loader, "digest", digest)
    first = threading.Thread(target=parse, name="first")
    second = threading.Thread(target=parse, name="second")
    second.start()
    first.start()
    first.join(timeout=30)
    first_ended.set()
    second.join(timeout=30)
    assert not failures
    assert seen == {"second, after the first ended": False}
    assert gc.isenabled()
