"""Where the settings model used to live; it is :mod:`routine_timer.settings` now.

The model is not a widget and sits below ``ui`` and ``cues``. This name is
kept only until the last importer of the old one has moved.
"""

from routine_timer.settings import (
    DEFAULT_COUNTDOWN,
    DEFAULT_SOUNDS,
    DEFAULT_VOICE,
    DEFAULT_VOLUME,
    MAX_COUNTDOWN,
    Settings,
)

__all__ = [
    "DEFAULT_COUNTDOWN",
    "DEFAULT_SOUNDS",
    "DEFAULT_VOICE",
    "DEFAULT_VOLUME",
    "MAX_COUNTDOWN",
    "Settings",
]
