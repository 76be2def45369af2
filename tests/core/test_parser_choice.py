"""Which files need the strict pure-Python parser because libyaml reads them more leniently.

A "?" inside a flow collection is one such case. Questions in coaching cues are
common, and so are one-line flow lists of tags: those files stay on libyaml.
"""

from __future__ import annotations

import pytest

from routine_timer.core.yaml_nodes import _libyaml_may_differ
from routine_timer.paths import bundled_routines_dir


@pytest.mark.parametrize(
    ("text", "strict"),
    [
        ("tags: [a, b]\ncues:\n  - Sore? Go easier\n", False),
        ("tags: {a: 1}\nnote: Ready?\n", False),
        ("tags: [Ready?, Go]\n", True),
        ("tags: [\n  Ready?, Go]\n", True),
        ('tags: [ "]",\n  Ready?]\n', True),
        ("tags: [a, b]  # trailing comment\nnote: Ready?\n", True),
        ("tags: {a: [1,\n 2]}\nnote: fine?\n", True),
        ("note: Ready?\n", False),
        ("tags: [a, b]\n", False),
    ],
)
def test_a_question_mark_sends_only_possible_flow_use_to_the_strict_parser(
    text: str, strict: bool
) -> None:
    assert _libyaml_may_differ(text) is strict


def test_every_bundled_routine_stays_on_the_fast_parser() -> None:
    for path in bundled_routines_dir().glob("*.yaml"):
        assert not _libyaml_may_differ(path.read_text(encoding="utf-8")), path.name
