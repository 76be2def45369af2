"""Broken and hostile files: each is refused with exactly one clear error, never a crash.

The guards against nesting, size and alias bombs, compared across parsers,
are in test_guards.py.
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
        ("name: [Plank\nexercises: []\n", (1, 7), "this '[' is not closed with ']'"),
        ("name: Plank\n\texercises: []\n", (2, 1), "tabs"),
        ("name: 'Plank\n", (1, 7), "this ' is never closed"),
        ("name: Plank\n  time: 1\n", (2, 3), "indented further than 'name' on line 1"),
        ("name: Plank: wide\n", (1, 12), "':' is not allowed here"),
        ("name: *nowhere\n", (1, 7), "not defined"),
        ("a: &x 1\nb: &x 2\n", (2, 4), "already defined"),
    ],
)
def test_yaml_syntax_errors(text: str, where: tuple[int, int], gist: str) -> None:
    error = only_error(text)
    assert gist in error.message
    assert (error.line, error.col) == where
