"""Broken and hostile files: each is refused with exactly one clear error, never a crash.

Deep nesting matters most: libyaml's composer recurses on the C stack, so
half a million ``[`` would kill the process if they reached it. These tests
run in this process on purpose; a crash fails the whole run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from routine_timer.core import yaml_nodes
from routine_timer.core.loader import RoutineError, RoutineFileError, load_routine, parse_routine


@pytest.fixture(autouse=True, params=sorted(yaml_nodes.BACKENDS))
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(yaml_nodes, "DEFAULT_BACKEND", yaml_nodes.BACKENDS[request.param])
    yield request.param


def only_error(data: bytes | str, path: str = "hostile.yaml") -> RoutineError:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(data, path)
    errors = caught.value.errors
    assert len(errors) == 1, errors
    assert "internal error" not in errors[0].message
    return errors[0]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_counted_not_expanded() -> None:
    error = only_error(billion_laughs())
    assert "100,000" in error.message
    # a4 is the first key whose expansion goes past the limit (111,111 values).
    assert (error.line, error.col) == (5, 1)


def test_alias_bomb_inside_a_routine() -> None:
    text = "name: Bomb\nexercises: [{name: A, time: 1}]\n" + billion_laughs()
    error = only_error(text)
    assert "100,000" in error.message


def test_aliases_within_the_limit_are_fine() -> None:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(billion_laughs(levels=4), "ok.yaml")
    # Only the unknown keys and the missing ones: the 11,111 values are allowed.
    assert all("100,000" not in error.message for error in caught.value.errors)


def test_recursive_alias() -> None:
    error = only_error("name: Loop\nexercises: &a [*a]\n")
    assert "repeat forever" in error.message
    assert (error.line, error.col) == (2, 12)


@pytest.mark.parametrize("levels", [10_000, 500_000])
def test_deep_flow_nesting(levels: int, tmp_path: Path, backend: str) -> None:
    if backend == "python" and levels < 500_000:
        pytest.skip("PyYAML's scanner needs half a second to look ahead; once is enough")
    path = tmp_path / "deep.yaml"
    path.write_text("name: Deep\nexercises: " + "[" * levels + "]" * levels + "\n")
    with pytest.raises(RoutineFileError) as caught:
        load_routine(path)
    (error,) = caught.value.errors
    assert "64 levels" in error.message
    # The top-level mapping is level 1, so the 64th '[' is level 65.
    assert (error.line, error.col) == (2, 12 + 63)


def test_half_a_million_open_brackets_alone(backend: str) -> None:
    if backend == "python":
        pytest.skip("PyYAML's scanner needs half a second to look ahead; once is enough")
    error = only_error("[" * 500_000)
    assert "64 levels" in error.message
    assert (error.line, error.col) == (1, 65)


def test_deep_block_nesting() -> None:
    compact = "- " * 10_000 + "x\n"
    assert "64 levels" in only_error(compact).message
    indented = "".join(" " * level + "a:\n" for level in range(1_000)) + " " * 1_000 + "b\n"
    error = only_error(indented)
    assert "64 levels" in error.message
    assert (error.line, error.col) == (65, 65)


def test_sixty_four_levels_are_allowed_and_sixty_five_are_not() -> None:
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
    assert "64 levels" in only_error(nested(65)).message


def test_nesting_through_aliases_counts_too() -> None:
    inner = "[" * 40 + "]" * 40
    text = f"a: &inner {inner}\nb: {'[' * 30}*inner{']' * 30}\n"
    error = only_error(text)
    assert "64 levels" in error.message
    assert error.line == 1  # the deep part is the anchored one


def test_many_nodes_without_aliases(backend: str) -> None:
    if backend == "python":
        pytest.skip("the pure-Python parser needs seconds for 200,000 values")
    error = only_error("x: [" + "1," * 200_000 + "1]\n")
    assert "100,000" in error.message
    assert (error.line, error.col) == (1, 1)


@pytest.mark.parametrize(
    ("text", "where", "tag"),
    [
        ('!!python/object/apply:os.system ["echo pwned"]\n', (1, 1), "!!python/object/apply"),
        (
            "name: !!python/object/apply:os.system [echo]\nexercises: [{name: A, time: 1}]\n",
            (1, 7),
            "!!python/object/apply:os.system",
        ),
        ("name: !!python/name:os.system\nexercises: []\n", (1, 7), "!!python/name"),
        ("name: X\nexercises: [!custom {name: A, time: 1}]\n", (2, 13), "'!custom'"),
        ("name: X\nexercises: [{name: !!foo A, time: 1}]\n", (2, 20), "'!!foo'"),
    ],
)
def test_foreign_tags(text: str, where: tuple[int, int], tag: str) -> None:
    error = only_error(text)
    assert "unsupported YAML tag" in error.message and tag in error.message
    assert (error.line, error.col) == where


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.truncate(20 * 1024 * 1024)  # sparse: 20 MB of NULs without writing them
    with pytest.raises(RoutineFileError) as caught:
        load_routine(path)
    (error,) = caught.value.errors
    assert (error.line, error.col) == (1, 1)
    assert "20,971,520 bytes" in error.message and "1 MiB" in error.message


def test_a_huge_text_in_memory() -> None:
    error = only_error("name: " + "x" * (1024 * 1024))
    assert "1 MiB" in error.message


def test_binary_junk() -> None:
    junk = random.Random(7).randbytes(64 * 1024)
    error = only_error(junk)
    assert "UTF-8" in error.message or "control character" in error.message


def test_invalid_utf8_points_at_the_byte() -> None:
    error = only_error(b"name: Plank\ndescription: caf\xe9 au lait\n")
    assert (error.line, error.col) == (2, 17)
    assert "not valid UTF-8" in error.message and "0xe9" in error.message


def test_utf16_is_not_utf8() -> None:
    error = only_error("name: X\n".encode("utf-16"))
    assert "UTF-8" in error.message


def test_control_characters() -> None:
    error = only_error("name: Plank\nrest: 1\x00\n")
    assert (error.line, error.col) == (2, 8)
    assert "U+0000" in error.message


@pytest.mark.parametrize(
    ("data", "gist"),
    [
        (b"", "is empty"),
        (b"  \n\n\t\n", "is empty"),
        (b"# only a comment\n# and another\n", "only comments"),
        (b"---\n", "only comments"),
    ],
)
def test_empty_files(data: bytes, gist: str) -> None:
    error = only_error(data)
    assert gist in error.message
    assert (error.line, error.col) == (1, 1)


@pytest.mark.parametrize(
    ("text", "gist", "where"),
    [
        ("- name: Plank\n  time: 30\n", "holds a list", (1, 1)),
        ("# routine\nJust some text\n", "holds 'Just some text' (text)", (2, 1)),
        ("42\n", "holds 42", (1, 1)),
    ],
)
def test_a_document_that_is_not_a_mapping(text: str, gist: str, where: tuple[int, int]) -> None:
    error = only_error(text)
    assert "must be a mapping" in error.message and gist in error.message
    assert (error.line, error.col) == where


def test_two_documents() -> None:
    text = "name: One\nexercises: [{name: A, time: 1}]\n---\nname: Two\n"
    error = only_error(text)
    assert "exactly one YAML document" in error.message
    assert (error.line, error.col) == (3, 1)


@pytest.mark.parametrize(
    ("text", "where", "gist"),
    [
        ("name: [Plank\nexercises: []\n", (2, 10), "invalid YAML"),
        ("name: Plank\n\texercises: []\n", (2, 1), "tabs"),
        ("name: 'Plank\n", (2, 1), "invalid YAML"),
        ("name: Plank\n  time: 1\n", (2, 7), "':' is not allowed here"),
        ("name: *nowhere\n", (1, 7), "not defined"),
        ("a: &x 1\nb: &x 2\n", (2, 4), "already defined"),
    ],
)
def test_yaml_syntax_errors(text: str, where: tuple[int, int], gist: str) -> None:
    error = only_error(text)
    assert gist in error.message
    assert (error.line, error.col) == where
