"""The figures' data file: one owner of the names, read without PyYAML, and used by every
bundled exercise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from routine_timer.core.figures import DATA_FILE, FIGURE_NAMES, FIGURES, read_figures
from routine_timer.core.library_cache import checker_fingerprint
from routine_timer.core.loader import RoutineFileError, load_routine, parse_routine
from routine_timer.paths import bundled_routines_dir


def test_the_names_are_the_data_files_own_in_its_order() -> None:
    written = [entry["name"] for entry in json.loads(DATA_FILE.read_text())["figures"]]
    assert list(FIGURE_NAMES) == written
    assert list(FIGURES) == written
    assert len(FIGURE_NAMES) >= 25


def test_every_description_is_one_short_line() -> None:
    for figure in FIGURES.values():
        assert figure.description and "\n" not in figure.description
        assert len(figure.description) <= 120, figure.name


def test_every_bundled_exercise_shows_a_figure() -> None:
    missing = []
    for path in sorted(bundled_routines_dir().glob("*.yaml")):
        routine = load_routine(path)
        assert routine.format == 2, path.name
        missing += [f"{path.name}: {ex.name}" for ex in routine.exercises if ex.figure is None]
        # A variation keeps its exercise's figure (it cannot name one of its own).
        for exercise in routine.exercises:
            for variation in (exercise.easier_variation, exercise.harder_variation):
                if variation is not None:
                    assert variation.figure == exercise.figure
    assert not missing


def test_the_loader_takes_a_figure_and_suggests_a_near_name() -> None:
    text = "format: 2\nname: P\nexercises:\n  - name: Plank\n    time: 30\n    figure: {}\n"
    assert parse_routine(text.format("bird-dog"), "p.yaml").exercises[0].figure == "bird-dog"
    with pytest.raises(RoutineFileError, match="did you mean 'bird-dog'"):
        parse_routine(text.format("bird-dgo"), "p.yaml")


def test_the_names_are_read_without_pyyaml() -> None:
    probe = (
        "import sys; import routine_timer.core.figures as f; "
        "print(len(f.FIGURE_NAMES), 'yaml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    count, yaml_loaded = result.stdout.split()
    assert int(count) == len(FIGURE_NAMES) and yaml_loaded == "False"


def test_the_cache_of_checked_routines_depends_on_the_figure_names() -> None:
    # A name added to (or taken from) the data changes which files are valid.
    watched = [entry[0] for entry in checker_fingerprint()[3]]
    assert str(DATA_FILE) in watched


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "keyframes": [{"hip": 3}, {}]}, "unknown joint angle"),
        ({"name": "x", "keyframes": [{}]}, "at least two keyframes"),
        ({"name": "x", "keyframes": [{}, {}], "anchor": "nose"}, "unknown anchor"),
        ({"name": "x", "keyframes": [{}, {}], "speed": 2}, "unknown key"),
        ({"name": "x", "keyframes": [{}, {}], "still": 5}, "no keyframe 5"),
        ({"name": "x", "keyframes": [{}, {}], "tempo": 0}, "tempo must be > 0"),
    ],
)
def test_a_malformed_data_file_is_refused_with_a_reason(
    tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    figure = {"description": "d", "view": "side", "motion": "hold", **entry}
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"figures": [figure]}))
    with pytest.raises(ValueError, match=message):
        read_figures(path)


def test_a_name_given_twice_is_refused(tmp_path: Path) -> None:
    figure = {"name": "x", "description": "d", "view": "side", "motion": "hold"}
    figure["keyframes"] = [{}, {}]
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"figures": [figure, figure]}))
    with pytest.raises(ValueError, match="given twice"):
        read_figures(path)
