"""``python -m routine_timer`` runs the same command as ``routine-timer``."""

import sys

from routine_timer.cli import main

sys.exit(main())
