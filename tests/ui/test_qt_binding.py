"""The installed Qt binding survives a long session of widget updates.

PySide6 6.12.0 under Python < 3.12 drops a reference to None on every call of
a Qt method that returns nothing; after a few thousand label updates the
interpreter aborts. A session updates labels every second, so this would
kill the app minutes into a routine. pyproject.toml excludes those versions;
this test fails if a broken binding gets installed anyway.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for number in range(20_000):
    label.setText(str(number))
    label.setVisible(False)
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # A few references come and go with the interpreter; a leak is one per call.
    assert abs(int(result.stdout.strip())) < 1_000
