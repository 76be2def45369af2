"""The names of the app's own drawn figures, which an exercise may give with ``figure:``.

Kept in ``core`` without any drawing, so that the loader can check a name
without Qt. The drawings live with the user interface.
"""

from __future__ import annotations

from typing import Final

FIGURE_NAMES: Final[tuple[str, ...]] = ()
"""Every figure name, in the order ``routine-timer figures`` lists them."""
