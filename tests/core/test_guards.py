"""The guards against hostile files are the loader's own, whatever parser runs.

Nesting, size and alias limits are counted on events and nodes; no guard may
depend on what a parser says or at which depth a parser gives up. So every
hostile file is refused for the same rule at the same place by libyaml and by
the pure-Python parser, and by a parser that stops early with words nobody
has seen before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from routine_timer.core import yaml_nodes
from routine_timer.core.loader import RoutineFileError, parse_routine


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


# (text, the rule's own words, where) - the words are the loader's, not a parser's.
HOSTILE = {
    "alias bomb": (billion_laughs(), "100,000", (5, 1)),
    "alias bomb in a routine": (
        "name: Bomb\nexercises: [{name: A, time: 1}]\n" + billion_laughs(),
        "100,000",
        (7, 1),
    ),
    "recursive alias": ("name: Loop\nexercises: &a [*a]\n", "repeat forever", (2, 12)),
    "10,000 brackets": (
        "name: Deep\nexercises: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "64 levels",
        (2, 75),
    ),
    "half a million open brackets": ("[" * 500_000, "64 levels", (1, 65)),
    "half a million open braces": ("{" * 500_000, "64 levels", (1, 65)),
    "brackets after a list": ("[a, " * 200_000, "64 levels", (1, 257)),
    "compact block lists": ("- " * 10_000 + "x\n", "64 levels", (1, 129)),
    "indented mappings": (
        "".join(" " * level + "a:\n" for level in range(1_000)) + " " * 1_000 + "b\n",
        "64 levels",
        (65, 65),
    ),
    "nesting through an alias": (
        f"a: &inner {'[' * 40}{']' * 40}\nb: {'[' * 30}*inner{']' * 30}\n",
        "64 levels",
        (1, 44),
    ),
    "python object": ('!!python/object/apply:os.system ["echo pwned"]\n', "unsupported", (1, 1)),
    "control character": ("name: Plank\nrest: 1\x00\n", "U+0000", (2, 8)),
}


def refusal(text: str, backend: yaml_nodes.Backend, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(yaml_nodes, "DEFAULT_BACKEND", backend)
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(text, "hostile.yaml")
    return [(error.line, error.col, error.message) for error in caught.value.errors]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_parser_refuses_a_hostile_file_for_the_same_rule_at_the_same_place(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, words, where = HOSTILE[case]
    results = {
        name: refusal(text, backend, monkeypatch) for name, backend in yaml_nodes.BACKENDS.items()
    }
    for name, errors in results.items():
        assert len(errors) == 1, (name, errors)
        line, col, message = errors[0]
        assert words in message and "invalid YAML" not in message, (name, message)
        assert (line, col) == where, name
    assert len({tuple(errors) for errors in results.values()}) == 1, results


class _GivesUpEarly(yaml.SafeLoader):  # type: ignore[misc]
    """A parser with a nesting limit of its own, far below 64, in words of its own.

    It stands for any parser release that stops before the loader's guard
    has seen level 64 (as libyaml 0.2.6 does at 1,000 open brackets, while
    looking ahead): the guard must still say what is wrong and where.
    """

    def get_event(self) -> Any:
        event = super().get_event()
        self.opened = getattr(self, "opened", 0)
        if isinstance(event, yaml.CollectionStartEvent):
            self.opened += 1
            if self.opened > 20:
                raise yaml.MarkedYAMLError(problem="zorp", problem_mark=event.start_mark)
        return event


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> Iterator[yaml_nodes.Backend]:
    backend = yaml_nodes.Backend("gives-up-early", _GivesUpEarly)
    monkeypatch.setitem(yaml_nodes.BACKENDS, backend.name, backend)
    yield backend


@pytest.mark.parametrize(
    "case", ["10,000 brackets", "half a million open brackets", "compact block lists"]
)
def test_a_parser_that_gives_up_early_does_not_change_the_verdict(
    case: str, early: yaml_nodes.Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, words, where = HOSTILE[case]
    ((line, col, message),) = refusal(text, early, monkeypatch)
    assert words in message and "zorp" not in message
    assert (line, col) == where


def test_after_the_guards_pass_the_parser_in_use_has_the_last_word(
    early: yaml_nodes.Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deep enough for the cheap bound to ask for the event scan, shallow
    # enough for the guard: the reference parser passes it, and the early
    # parser's own refusal (its 21st collection, the 18th '[') is reported.
    text = "name: N\nexercises: [{name: A, time: 1}]\nx: " + "[" * 62 + "]" * 62 + "\n"
    assert yaml_nodes.may_nest_deeper(text, yaml_nodes.MAX_DEPTH)
    assert refusal(text, early, monkeypatch) == [
        (3, 21, "invalid YAML: this is not valid YAML syntax")
    ]


def test_aliases_within_the_limit_are_fine() -> None:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(billion_laughs(levels=4), "ok.yaml")
    # Only the unknown keys and the missing ones: the 11,111 values are allowed.
    assert all("100,000" not in error.message for error in caught.value.errors)


def test_sixty_four_levels_are_allowed_and_sixty_five_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nested(levels: int) -> str:
        # The top-level mapping is level 1; 'x' holds the other levels.
        return (
            "name: N\nexercises: [{name: A, time: 1}]\nx: "
            + "[" * (levels - 1)
            + "]" * (levels - 1)
        )

    with pytest.raises(RoutineFileError) as caught:
        parse_routine(nested(64), "n.yaml")
    assert [error.message for error in caught.value.errors] == [
        caught.value.errors[0].message
    ] and "unknown key 'x'" in caught.value.errors[0].message
    assert "64 levels" in refusal(nested(65), yaml_nodes.DEFAULT_BACKEND, monkeypatch)[0][2]
