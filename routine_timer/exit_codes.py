"""What the ``routine-timer`` command's exit status means, for scripts and launchers.

One list for every entry point (the app, the author tools, ``history``), so
a status means the same thing whichever command gave it.
"""

from __future__ import annotations

from typing import Final

EXIT_OK: Final = 0
"""Done; every file checked was valid."""
EXIT_INVALID: Final = 1
"""A routine file has errors, a routine was not found, or the history cannot be read."""
EXIT_USAGE: Final = 2
"""The command was called wrongly (unknown option, missing path), or the data folder is unusable."""
EXIT_CRASHED: Final = 3
"""The window could not be built: the error is in the log, and was shown."""
EXIT_OUTPUT: Final = 74
"""The output could not be written, say to a full disk (EX_IOERR of sysexits.h)."""
EXIT_INTERRUPTED: Final = 130
"""Stopped with Ctrl+C (128 + SIGINT, as shells report it)."""
