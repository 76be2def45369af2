"""Completion words and their descriptions come from the JSON Schema, however it is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from routine_timer.paths import schema_path
from routine_timer.ui.editor import context as editor_context
from routine_timer.ui.editor.context import completion_at
from routine_timer.ui.editor.schema import SchemaError, SchemaHints, shipped_hints
from tests.helpers.editor import open_editor, type_at_end

pytestmark = pytest.mark.qt_log_ignore(
    "^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

# Written the way a format-2 schema may be: $defs and $ref, oneOf/anyOf, and
# values described one by one as oneOf [{const, description}].
DURATION = {"anyOf": [{"type": "number"}, {"type": "string"}]}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "format": {
            "description": "Format version.",
            "oneOf": [
                {"const": 1, "description": "The first format."},
                {"const": 2, "description": "Adds blocks. And more."},
            ],
        },
        "name": {"$ref": "#/$defs/name", "description": "Shown in the library."},
        "exercises": {"type": "array", "items": {"$ref": "#/$defs/exercise"}},
        "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
    },
    "$defs": {
        "name": {"type": "string", "minLength": 1},
        "duration": DURATION,
        "block": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "rounds": {"type": "integer"},
                "exercises": {"type": "array", "items": {"$ref": "#/$defs/exercise"}},
            },
        },
        "exercise": {
            "allOf": [
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "title": "Exercise name"},
                        "time": {
                            "description": "Work time.\n\nA duration.",
                            "anyOf": [
                                {"$ref": "#/$defs/duration"},
                                {"type": "array", "items": {"$ref": "#/$defs/duration"}},
                            ],
                        },
                        "sides": {"$ref": "#/$defs/sides"},
                        "figure": {"$ref": "#/$defs/figure"},
                        "easier": {"$ref": "#/$defs/variation"},
                        "cues": {"type": "array", "items": {"type": "string"}},
                    },
                }
            ]
        },
        "sides": {
            "description": "Which side.",
            "oneOf": [
                {"const": "both", "description": "Left, then right."},
                {"const": "alternate", "description": "Reps go left, right, left."},
                {"const": "left", "title": "Left only"},
                {"const": "right"},
            ],
        },
        "figure": {"type": "string", "enum": ["plank", "side-plank", "bird-dog"]},
        "variation": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "sides": {"$ref": "#/$defs/sides"}},
                },
            ]
        },
        "loop": {"$ref": "#/$defs/loop"},
    },
}
HINTS = SchemaHints(SCHEMA)

V2 = """format: 2
name: X
blocks:
  - name: Warm-up
    exercises:
      - name: A
        time: [30s, 40s]
        easier:
          name: B
          si
      - name: C
        fi
  - ro
"""


def words(choices: tuple[Any, ...]) -> list[str]:
    return [choice.word for choice in choices]


def test_keys_follow_refs_and_combinations() -> None:
    assert words(HINTS.keys(())) == ["format", "name", "exercises", "blocks"]
    assert words(HINTS.keys(("blocks",))) == ["name", "rounds", "exercises"]
    exercise = ["name", "time", "sides", "figure", "easier", "cues"]
    assert words(HINTS.keys(("blocks", "exercises"))) == exercise
    assert words(HINTS.keys(("exercises", "easier"))) == ["name", "sides"]
    assert HINTS.keys(("exercises", "time")) == ()  # a duration or a list of them: no keys
    assert HINTS.keys(("nowhere",)) == ()


def test_descriptions_of_keys_and_values() -> None:
    top = {choice.word: choice for choice in HINTS.keys(())}
    assert top["name"].summary == "Shown in the library."  # its own, beside the $ref
    time = {choice.word: choice for choice in HINTS.keys(("exercises",))}["time"]
    assert (time.summary, time.detail) == ("Work time.", "Work time.\n\nA duration.")
    name = {choice.word: choice for choice in HINTS.keys(("exercises",))}["name"]
    assert name.summary == "Exercise name"  # no description: the title
    sides = HINTS.values(("exercises",), "sides")
    assert [(c.word, c.summary) for c in sides] == [
        ("both", "Left, then right."),
        ("alternate", "Reps go left, right, left."),
        ("left", "Left only"),
        ("right", ""),
    ]
    assert sides[3].detail == "Which side."  # a value without words of its own: the key's
    assert [(c.word, c.summary) for c in HINTS.values((), "format")] == [
        ("1", "The first format."),
        ("2", "Adds blocks."),
    ]
    assert words(HINTS.values(("blocks", "exercises"), "figure")) == [
        "plank",
        "side-plank",
        "bird-dog",
    ]
    assert words(HINTS.values(("exercises", "easier"), "sides"))[:2] == ["both", "alternate"]
    assert HINTS.values(("exercises",), "time") == ()  # no fixed values


def test_keys_whose_value_is_written_below() -> None:
    assert HINTS.opens_block((), "blocks") and HINTS.opens_block(("exercises",), "cues")
    assert not HINTS.opens_block(("exercises",), "easier")  # a text, or a mapping
    assert not HINTS.opens_block(("exercises",), "time")
    assert not HINTS.opens_block((), "format")


def test_a_looping_or_broken_schema_is_read_without_error(tmp_path: Path) -> None:
    looping = SchemaHints({"properties": {"a": {"$ref": "#/$defs/loop"}}, "$defs": SCHEMA["$defs"]})
    assert looping.values((), "a") == () and looping.keys(("a",)) == ()
    outside = SchemaHints({"properties": {"a": {"$ref": "other.json#/x"}, "b": {"$ref": "#/no"}}})
    assert outside.keys(("a",)) == () and outside.keys(("b",)) == ()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.json"):
        SchemaHints.from_file(bad)
    with pytest.raises(SchemaError):
        SchemaHints([])  # type: ignore[arg-type]


def test_the_shipped_schema_is_read_at_run_time() -> None:
    hints = shipped_hints()
    assert hints is not None
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert words(hints.keys(())) == list(schema["properties"])


@pytest.mark.parametrize(
    ("line", "column", "kind", "expected"),
    [
        (9, 12, "key", ["sides"]),  # inside a variation, inside a block's exercise
        (11, 10, "key", ["figure"]),
        (12, 6, "key", ["rounds"]),  # the next key of the block
        (0, 9, "value", ["2"]),
    ],
)
def test_completion_finds_the_place_by_indentation(
    line: int, column: int, kind: str, expected: list[str]
) -> None:
    lines = V2.split("\n")
    completion = completion_at(lines, line, column, HINTS)
    assert completion is not None and completion.kind == kind
    assert list(completion.matching) == expected


def test_completion_of_values_after_a_nested_key() -> None:
    lines = ["blocks:", "  - exercises:", "      - name: A", "        figure: s"]
    completion = completion_at(lines, 3, len(lines[3]), HINTS)
    assert completion is not None and completion.matching == ("side-plank",)
    assert completion_at(["name: X", "  exercises:", "    - na"], 2, 8, HINTS) is None


def test_completion_without_a_schema_offers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor_context, "shipped_hints", lambda: None)
    assert completion_at(["name: X", "re"], 1, 2) is None


def test_the_popup_shows_the_descriptions(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor_context, "shipped_hints", lambda: HINTS)
    text = "format: 2\nname: X\nexercises:\n  - name: A\n"
    editor = open_editor(qtbot, tmp_path / "r.yaml", text)
    type_at_end(editor)
    qtbot.keyClicks(editor.code, "    sides: ")
    popup = editor.code.completer.popup()
    assert popup.isVisible()
    model = popup.model()
    rows = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]
    assert rows[:2] == [("both", "Left, then right."), ("alternate", "Reps go left, right, left.")]
    assert model.index(3, 0).data(Qt.ItemDataRole.ToolTipRole) == "Which side."
    qtbot.keyClicks(editor.code, "l")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text().endswith("    sides: left")
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "cu")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text().endswith("    cues:")  # a list follows on the next lines
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "ea")
    assert not popup.isVisible()  # a list of texts: nothing to offer
    qtbot.keyClick(editor.code, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.code, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.code, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor.code, "ea")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text().endswith("    cues:\n    easier: ")  # a text or a mapping
