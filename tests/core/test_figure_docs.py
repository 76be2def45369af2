"""The format reference's pictures of the figures are the figures the app draws today."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from routine_timer.core.figure_svg import figure_svg
from routine_timer.core.figures import FIGURES, Figure
from routine_timer.core.loader import load_routine
from routine_timer.paths import bundled_routines_dir

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "figures.md"
REGENERATE = "make figures (routine-timer figures --svg docs/figures)"


def bundled_uses() -> dict[str, list[str]]:
    """Figure name -> "Exercise (routine id)" for every bundled exercise showing it."""
    uses: dict[str, list[str]] = defaultdict(list)
    for path in sorted(bundled_routines_dir().glob("*.yaml")):
        routine = load_routine(path)
        for exercise in routine.exercises:
            if exercise.figure is not None:
                uses[exercise.figure].append(f"{exercise.name} ({routine.id})")
    return uses


def row(figure: Figure, uses: list[str]) -> str:
    used = ", ".join(uses) if uses else "-"
    return (
        f"| ![{figure.name}](figures/{figure.name}.svg) | `{figure.name}` | "
        f"{figure.description} | {used} |"
    )


def test_every_figure_picture_is_up_to_date() -> None:
    stale = [
        name
        for name, figure in FIGURES.items()
        if not (DOCS / "figures" / f"{name}.svg").is_file()
        or (DOCS / "figures" / f"{name}.svg").read_text(encoding="utf-8") != figure_svg(figure)
    ]
    assert not stale, f"out of date: {stale}; run {REGENERATE}"
    shipped = {path.stem for path in (DOCS / "figures").glob("*.svg")}
    assert shipped == set(FIGURES), "a picture of a figure that no longer exists"


def test_the_page_shows_every_figure_and_the_exercises_using_it() -> None:
    page = PAGE.read_text(encoding="utf-8").splitlines()
    uses = bundled_uses()
    rows = [row(figure, uses.get(name, [])) for name, figure in FIGURES.items()]
    missing = [line for line in rows if line not in page]
    assert not missing, "docs/figures.md needs these rows:\n" + "\n".join(missing)


def test_the_format_reference_points_at_the_figures_page() -> None:
    reference = (DOCS / "routine-format.md").read_text(encoding="utf-8")
    assert "(figures.md)" in reference
