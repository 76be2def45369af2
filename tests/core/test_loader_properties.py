"""Properties of the loader over random input.

- Nothing but :class:`RoutineFileError` ever escapes, whatever the input:
  random YAML documents, routine-shaped documents with random values, soups
  of YAML punctuation, random bytes.
- libyaml and the pure-Python parser give the same result for well-formed
  YAML (the same routine, or the same errors at the same places); for random
  punctuation and bytes, malformed YAML only has to be refused by both. The
  guards against hostile files agree to the position: tests/core/test_hostile_files.py.
- Valid routines read back exactly what was written.
- The cheap nesting bound that decides whether libyaml may compose a text
  directly is never below the real nesting.
"""

from __future__ import annotations

import string
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from routine_timer.core import yaml_nodes
from routine_timer.core.loader import RoutineFileError, parse_routine
from routine_timer.core.model import Routine

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Texts that survive a YAML round trip unchanged (PyYAML's emitter folds long
# lines at unusual spaces and line breaks such as U+00A0 or U+0085).
plain_text = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), st.just(" ")),
    max_size=80,
)

Outcome = Routine | tuple[tuple[int, int, str], ...]


def outcome(data: bytes | str, backend: str, path: str = "prop.yaml") -> Outcome:
    saved = yaml_nodes.DEFAULT_BACKEND
    yaml_nodes.DEFAULT_BACKEND = yaml_nodes.BACKENDS[backend]
    try:
        return parse_routine(data, path)
    except RoutineFileError as error:
        found = tuple((e.line, e.col, e.message) for e in error.errors)
        assert found, "an error without errors"
        for _, _, message in found:
            assert "internal error" not in message, message
        return found
    finally:
        yaml_nodes.DEFAULT_BACKEND = saved


def check(data: bytes | str, *, malformed_may_differ: bool = False) -> Outcome:
    """The outcome with every parser, which must agree.

    With ``malformed_may_differ``, a text that either parser finds malformed
    need not agree: libyaml and PyYAML disagree about some YAML itself (a tab
    after ``key:``, ``[Ready?]``, odd tags) and word and place syntax errors
    differently, and random punctuation finds all of that (a lone ``!`` is
    text to libyaml, null to PyYAML). Such a text only has to be refused by
    both, or be a syntax error for one of them.
    """
    results = {name: outcome(data, name) for name in sorted(yaml_nodes.BACKENDS)}
    first = next(iter(results.values()))
    for name, result in results.items():
        if malformed_may_differ and (
            _syntax_error(result)
            or _syntax_error(first)
            or (isinstance(result, tuple) and isinstance(first, tuple))
        ):
            continue
        assert result == first, (name, result, first)
    return first


def _syntax_error(result: Outcome) -> bool:
    return isinstance(result, tuple) and len(result) == 1 and "invalid YAML" in result[0][2]


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["30s", "1:30", "1m30s", "both", "alternate", "", "~", "<<", "yes"]),
)
keys = st.one_of(
    st.sampled_from(
        [
            "name", "id", "format", "tags", "prepare", "rest", "rounds", "round_rest",
            "exercises", "time", "reps", "hold", "release", "rep_time", "sets", "sides",
            "switch", "rest_after", "cues", "say", "at", "text", "easier", "harder", "image",
        ]
    ),
    st.text(max_size=8),
)  # fmt: skip
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)
dump_styles = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([None, True, False]),
        "indent": st.integers(2, 9),
        "width": st.sampled_from([20, 80, 10_000]),
        "allow_unicode": st.booleans(),
    }
)


@SETTINGS
@given(documents, dump_styles)
def test_random_documents_only_ever_raise_routine_file_error(
    document: Any, style: dict[str, Any]
) -> None:
    check(yaml.safe_dump(document, **style))


durations = st.one_of(
    st.integers(-5, 200),
    st.floats(-1, 100, allow_nan=False),
    st.sampled_from(["30s", "1:30", "0:45", "1m30s", "90 s", "1.5m", "2h", "1:5", "24h", "x"]),
)
exercise_values = st.fixed_dictionaries(
    {"name": st.one_of(st.text(min_size=1, max_size=12), st.integers())},
    optional={
        "time": durations,
        "reps": st.one_of(st.integers(-1, 12), st.floats(0, 5)),
        "hold": durations,
        "release": durations,
        "rep_time": durations,
        "sets": st.integers(0, 4),
        "sides": st.sampled_from(["both", "alternate", "left", None]),
        "switch": durations,
        "rest": durations,
        "rest_after": durations,
        "cues": st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3),
        "say": st.lists(
            st.fixed_dictionaries(
                {"at": durations, "text": st.text(max_size=8)},
                optional={"txt": st.just("typo")},
            ),
            max_size=3,
        ),
        "easier": st.text(max_size=8),
        "image": st.sampled_from(["a.png", "../b.png", "/c.png", "d.bmp"]),
        "hodl": durations,
    },
)
routine_values = st.fixed_dictionaries(
    {"exercises": st.lists(exercise_values, max_size=4)},
    optional={
        "name": st.one_of(st.text(max_size=90), st.integers(), st.none()),
        "format": st.sampled_from([1, 2, "1", 1.0]),
        "id": st.sampled_from(["core-7", "Core 7", ""]),
        "tags": st.lists(st.text(max_size=5), max_size=3),
        "prepare": durations,
        "rest": durations,
        "rounds": st.integers(0, 3),
        "round_rest": durations,
    },
)


@SETTINGS
@given(routine_values, dump_styles)
def test_routine_shaped_documents_agree_across_parsers(
    values: dict[str, Any], style: dict[str, Any]
) -> None:
    check(yaml.safe_dump(values, sort_keys=False, **style))


YAML_SOUP = string.ascii_letters[:6] + string.digits[:3] + ":-[]{},'\"#&*!|>?%@ \n\n\n  \t"


@SETTINGS
@given(st.text(alphabet=YAML_SOUP, max_size=200))
@example("a: &x [*x]")
@example("- - - - [[[{]]]")
@example(": : :")
@example("cues: [Ready?, Go]")
@example("d: >#-\n  x\n")
@example("![")
@example("a:\tb")
@example("!%")
@example("!%0")
@example("!:!")
def test_punctuation_soups(text: str) -> None:
    check(text, malformed_may_differ=True)


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xff\xfe\x00n\x00a")
@example(b"name: \xc3")
@example(b"!")
@example(b'"\\')
@example(b"name: !\nexercises: [{name: ! , time: 1}]")
def test_byte_soups(data: bytes) -> None:
    check(data, malformed_may_differ=True)


def exercise(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["time", "hold", "rep_time", "untimed"]))
    exercise: dict[str, Any] = {"name": draw(plain_text.filter(bool))}
    if kind == "time":
        exercise["time"] = draw(st.integers(1, 600))
        exercise["sides"] = draw(st.sampled_from([None, "both"]))
    else:
        exercise["reps"] = draw(st.integers(1, 20))
        exercise["sides"] = draw(st.sampled_from([None, "both", "alternate"]))
        if kind == "hold":
            exercise["hold"] = draw(st.sampled_from([2, "5s", "0:10", 2.5]))
        elif kind == "rep_time":
            exercise["rep_time"] = draw(st.sampled_from([1, "2s", 3.5]))
    if exercise["sides"] is None:
        del exercise["sides"]
    exercise["sets"] = draw(st.integers(1, 5))
    if kind != "untimed":
        exercise["say"] = [{"at": 0, "text": draw(st.text(max_size=10))}]
    return exercise


@st.composite
def valid_routines(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": draw(plain_text.filter(bool)),
        "tags": draw(st.lists(plain_text, max_size=3)),
        "rest": draw(st.integers(0, 120)),
        "rounds": draw(st.integers(1, 3)),
        "exercises": [exercise(draw) for _ in range(draw(st.integers(1, 5)))],
    }


@SETTINGS
@given(valid_routines(), dump_styles)
def test_valid_routines_read_back_what_was_written(
    values: dict[str, Any], style: dict[str, Any]
) -> None:
    # PyYAML's emitter can fold a long escaped string so that it reads back
    # differently; keep lines whole here (folding is exercised above).
    style["width"] = 10_000
    routine = check(yaml.safe_dump(values, sort_keys=False, **style))
    assert isinstance(routine, Routine), routine
    assert routine.name == values["name"]
    assert routine.tags == tuple(values["tags"])
    assert (routine.rest, routine.rounds) == (values["rest"], values["rounds"])
    assert len(routine.exercises) == len(values["exercises"])
    for read, written in zip(routine.exercises, values["exercises"], strict=True):
        assert read.name == written["name"]
        assert (read.sets, read.reps, read.rest) == (
            written["sets"],
            written.get("reps"),
            values["rest"],
        )
        assert (read.sides.value if read.sides else None) == written.get("sides")


def nesting(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


@SETTINGS
@given(documents, dump_styles, st.sampled_from(["", "\r\n", "\r"]))
@example(
    [[[[[[[["x"]]]]]]]],
    {"default_flow_style": False, "indent": 2, "width": 80, "allow_unicode": True},
    "",
)
def test_the_cheap_nesting_bound_is_never_too_low(
    document: Any, style: dict[str, Any], newline: str
) -> None:
    text = yaml.safe_dump(document, **style)
    if newline:
        text = text.replace("\n", newline)
    depth = nesting(text)
    assert depth == 0 or yaml_nodes.may_nest_deeper(text, depth - 1)


@pytest.mark.parametrize(
    "text",
    ["- - - - - x\n", "a:\n- b:\n  - c: [d]\n", "? - a\n: - b\n", "--- !!seq\n- - x\n"],
)
def test_the_cheap_nesting_bound_on_compact_forms(text: str) -> None:
    depth = nesting(text)
    assert yaml_nodes.may_nest_deeper(text, depth - 1)


@SETTINGS
@given(
    st.one_of(
        st.text(max_size=12),
        st.from_regex(r"[-+]?[0-9_.:eE]{1,8}", fullmatch=True),
        st.sampled_from(["~", "null", "yes", "On", "2024-01-02", ".inf", "<<", "=", "0x1F"]),
    ),
    st.tuples(st.booleans(), st.booleans()),
)
def test_remembered_value_types_are_pyyaml_s(value: str, implicit: tuple[bool, bool]) -> None:
    """The loaders type scalars faster (at once, or from memory); the answer stays PyYAML's own."""
    from yaml.nodes import ScalarNode

    theirs = yaml.SafeLoader("").resolve(ScalarNode, value, implicit)
    for backend in yaml_nodes.BACKENDS.values():
        loader = backend.loader("")
        try:
            # Twice: the second answer comes from memory.
            assert loader.resolve(ScalarNode, value, implicit) == theirs
            assert loader.resolve(ScalarNode, value, implicit) == theirs
        finally:
            loader.dispose()


@pytest.mark.parametrize("implicit", [True, False])
def test_collection_types_are_pyyaml_s(implicit: bool) -> None:
    from yaml.nodes import MappingNode, SequenceNode

    reference = yaml.SafeLoader("")
    for backend in yaml_nodes.BACKENDS.values():
        loader = backend.loader("")
        try:
            for kind in (MappingNode, SequenceNode):
                theirs = reference.resolve(kind, None, implicit)
                assert loader.resolve(kind, None, implicit) == theirs
        finally:
            loader.dispose()
