"""The names of the app's drawn figures, read without drawing anything.

The loader and the library cache need only the names (to check ``figure:``),
and the cache is read before the window's first paint; building every
figure's poses (:mod:`routine_timer.core.figures`) took about 20 ms there.
Both read the same ``figures.json``, its one owner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

DATA_FILE: Final = Path(__file__).resolve().parent / "figures.json"
"""The keyframes of every figure, and so their names."""


def read_names(path: Path = DATA_FILE) -> tuple[str, ...]:
    """Every figure name in the data file, in its order."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return tuple(entry["name"] for entry in document["figures"])


FIGURE_NAMES: Final[tuple[str, ...]] = read_names()
"""Every figure name, in the order ``routine-timer figures`` lists them."""
