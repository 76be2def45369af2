"""routine-timer: a desktop timer for guided exercise routines."""

__version__ = "0.1.0"
