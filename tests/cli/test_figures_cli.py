"""``routine-timer figures``: the names with a line each, and every figure as SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from routine_timer.cli import main
from routine_timer.core.figures import FIGURE_NAMES, FIGURES
from routine_timer.exit_codes import EXIT_OUTPUT

SVG = "{http://www.w3.org/2000/svg}"


def test_figures_lists_every_name_with_its_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["figures"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(FIGURE_NAMES)
    for line, figure in zip(lines, FIGURES.values(), strict=True):
        assert line.endswith(figure.description)


def test_figures_svg_writes_one_picture_per_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new" / "pictures"
    assert main(["figures", "--svg", str(folder)]) == 0
    assert f"wrote {len(FIGURE_NAMES)} figures" in capsys.readouterr().out
    assert sorted(path.stem for path in folder.iterdir()) == sorted(FIGURE_NAMES)
    root = ET.parse(folder / "bird-dog.svg").getroot()
    assert root.tag == f"{SVG}svg"
    assert "bird-dog" in (root.findtext(f"{SVG}title") or "")
    # The figure itself: a head and the lines of the body, not an empty frame.
    assert root.findall(f"{SVG}circle") and len(root.findall(f"{SVG}polyline")) >= 5


def test_figures_svg_into_a_file_says_why_it_cannot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("")
    assert main(["figures", "--svg", str(blocker)]) == EXIT_OUTPUT
    error = capsys.readouterr().err
    assert error.startswith("routine-timer: error: cannot write the figures to")
    assert "Traceback" not in error
