"""The tables of mistakes in docs/routine-format.md say what the app really says.

Each row of the "Errors" and "Warnings and fix-its" tables names a mistake and
quotes the first line the app prints for it. The files below make each
mistake; the test loads them as ``core.yaml`` and compares, so the reference
cannot drift from the loader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routine_timer.core.loader import RoutineFileError, load_routine

DOC = Path(__file__).parents[2] / "docs" / "routine-format.md"
ROW = re.compile(r"^\| (?P<wrote>.+?) \| `(?P<said>core\.yaml:[^`]+)`", re.MULTILINE)

P = "name: Core\nexercises:\n  - name: Plank\n"
"""The start of a file whose first exercise is on line 3; its keys start at column 5."""

FILES = {
    "`hodl: 10s` in an exercise": P + "    time: 30s\n    hodl: 10s\n",
    "`time: 30s` and `reps: 10` in one exercise": P + "    time: 30s\n    reps: 10\n",
    "an exercise with neither": P + "    sets: 2\n",
    "`hold: 5s` without `reps`": P + "    time: 30s\n    hold: 5s\n",
    "`sides: alternate` with `time`": P + "    time: 30s\n    sides: alternate\n",
    '`rest: "1:5"`': 'name: Core\nrest: "1:5"\nexercises:\n  - name: Plank\n    time: 30s\n',
    "`time: 30S`": P + "    time: 30S\n",
    "`prepare: -5`": "name: Core\nprepare: -5\nexercises:\n  - name: Plank\n    time: 30s\n",
    "`time: 23h 60m`": P + "    time: 23h 60m\n",
    "`time: 0`": P + "    time: 0\n",
    "`sets: 2.0`": P + "    time: 30s\n    sets: 2.0\n",
    "`name: 123`": "name: 123\nexercises:\n  - name: Plank\n    time: 30s\n",
    "`sides: left` in a format-1 file": P + "    time: 30s\n    sides: left\n",
    "`description:` with no value": "name: Core\ndescription:\nexercises:\n  - name: P\n"
    "    time: 30s\n",
    "`format: 3`": "format: 3\n" + P + "    time: 30s\n",
    "`say` with `at: 40s` on `time: 30s`": P + "    time: 30s\n    say:\n      - at: 40s\n"
    "        text: Breathe\n",
    "`say` on untimed reps": P + "    reps: 10\n    say:\n      - at: 5s\n        text: Breathe\n",
    "`image: plank.png` that is not there": P + "    time: 30s\n    image: plank.png\n",
    "`image: ../plank.png`": P + "    time: 30s\n    image: ../plank.png\n",
    "`rest:` written twice": "name: Core\nrest: 10s\nrest: 20s\nexercises:\n  - name: P\n"
    "    time: 30s\n",
    "a second document after `---`": P + "    time: 30s\n---\nname: Other\n",
    "a list at the top instead of `name:` ...": "- name: Plank\n  time: 30s\n",
    "an empty file": "",
    "a tab used to indent": "name: Core\nexercises:\n\t- name: Plank\n",
    "`time: 1.30`": P + "    time: 1.30\n",
    "`name: Plank #2 wide`": "name: Core\nexercises:\n  - name: Plank #2 wide\n    time: 30s\n",
    "`sets: 010`": P + "    time: 30s\n    sets: 010\n",
    "`time 30s` (no `:`)": P + "    sets: 2\n    time 30s\n",
    '`name: "Core` (no closing quote)': 'name: "Core\nexercises:\n  - name: Plank\n    time: 30s\n',
    "`cues: [Keep hips level`": P + "    time: 30s\n    cues: [Keep hips level\n",
    "a key indented further than the one above": "name: Core\nexercises:\n  - name: Plank\n"
    "     time: 30s\n",
    "`-name: Plank`": "name: Core\nexercises:\n  -name: Plank\n    time: 30s\n",
    "`time: 30 sec`, `rest: 10 seconds`": P + "    time: 30 sec\n    rest: 10 seconds\n",
    '`sets: "3"`': P + '    time: 30s\n    sets: "3"\n',
    "`easier: no` (also `yes`, `on`, `off`)": P + "    time: 30s\n    easier: no\n",
    "`- Hips: level` in `cues`": P + "    time: 30s\n    cues:\n      - Hips: level\n",
    "`image: plank.png` when the file is `Plank.PNG`": P + "    time: 30s\n    image: plank.png\n",
    "`duration: 30s`": P + "    duration: 30s\n",
    "`Time: 30s`": P + "    Time: 30s\n",
    '`say: ["10s: Keep hips level"]` or `say: [{10s: Keep hips level}]`': P
    + '    time: 30s\n    say: ["10s: Keep hips level"]\n',
    "a second `name:` in one exercise (its `- ` forgotten)": P + "    time: 30s\n"
    "    name: Side plank\n    time: 20s\n",
}
V2 = "format: 2\n" + P
FILES |= {
    "`reps: [6, 4, 2]` in a format-1 file": P + "    reps: [6, 4, 2]\n    hold: 8s\n",
    "`reps: [6, 4]` and `hold: [8s, 8s, 8s]` (format 2)": V2 + "    reps: [6, 4]\n"
    "    hold: [8s, 8s, 8s]\n",
    "an easier variation shorter than a `say` it keeps (format 2)": V2 + "    time: 30s\n"
    "    say:\n      - at: 20s\n        text: Breathe\n    easier:\n      name: Knee plank\n"
    "      time: 15s\n",
    "`blocks:` beside `rounds:` (format 2)": "format: 2\nname: Core\nrounds: 2\nblocks:\n"
    "  - exercises:\n      - name: Plank\n        time: 30s\n",
}
PICTURES = {"`image: plank.png` when the file is `Plank.PNG`": "Plank.PNG"}


def rows() -> list[tuple[str, str]]:
    return [(match["wrote"], match["said"]) for match in ROW.finditer(DOC.read_text("utf-8"))]


def test_every_row_has_its_file() -> None:
    assert sorted(wrote for wrote, _ in rows()) == sorted(FILES)


@pytest.mark.parametrize(("wrote", "said"), rows(), ids=[wrote for wrote, _ in rows()])
def test_the_table_quotes_the_app(wrote: str, said: str, tmp_path: Path) -> None:
    path = tmp_path / "core.yaml"
    path.write_text(FILES[wrote], encoding="utf-8")
    if wrote in PICTURES:
        (tmp_path / PICTURES[wrote]).write_bytes(b"")
    try:
        routine = load_routine(path)
    except RoutineFileError as error:
        lines = [*error.errors, *error.warnings]
    else:
        lines = list(routine.warnings)
    shown = sorted(lines, key=lambda problem: (problem.line, problem.col))
    assert str(shown[0]).replace(str(tmp_path) + "/", "") == said
