"""Days and months in words, the same on every screen and whatever the system locale.

The history list, its charts and their tooltips all name days this way; the
names are English like the rest of the app's text.
"""

from __future__ import annotations

from datetime import date
from typing import Final

DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Short weekday names, Monday first (``date.weekday()`` order)."""
MONTH_NAMES: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
"""Short month names, January first."""


def month_name(day: date) -> str:
    """``Mar``."""
    return MONTH_NAMES[day.month - 1]


def short_day(day: date) -> str:
    """``18 Mar``."""
    return f"{day.day} {month_name(day)}"


def day_text(day: date) -> str:
    """``18 Mar 2026``."""
    return f"{short_day(day)} {day.year}"


def long_day(day: date) -> str:
    """``Wed 18 Mar 2026``."""
    return f"{DAY_NAMES[day.weekday()]} {day_text(day)}"
