"""What the real app has loaded when its window first paints, and what comes after.

Start-up time itself is measured in benchmarks/bench_startup.py, never here;
these tests keep the things that make it quick from quietly coming undone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from routine_timer.paths import bundled_routines_dir, schema_path

# Runs the real command (routine_timer.cli.main) and reports at the window's first
# paint, then once more when the work after the first paint is done.
PROBE = """
import json, sys
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

WATCHED = (
    "yaml",
    "routine_timer.core.loader",
    "PySide6.QtMultimedia",
    "PySide6.QtTextToSpeech",
    # Each costs 10 ms or more before the first paint, which needs neither (without a plan).
    "routine_timer.core.programme",
    "routine_timer.core.figures",
    # With no other app there, the one-app socket is claimed after the paint (~25 ms).
    "PySide6.QtNetwork",
    # Loads OpenSSL (about 3 ms); a routine's or the socket's SHA-256 needs only CPython's own.
    "hashlib",
)

def report(window, moment):
    library = window.library
    print(json.dumps({
        "moment": moment,
        "qt_namespace": "Qt" in vars(QtCore),
        "loaded": [name for name in WATCHED if name in sys.modules],
        "entries": len(library.entries()),
        "sorting": library.table.isSortingEnabled(),
        "icon": not QApplication.windowIcon().isNull(),
    }), flush=True)

class FirstPaint(QObject):
    def eventFilter(self, window, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            report(window, "first paint")
            QTimer.singleShot(200, lambda: (report(window, "later"), window.close()))
        return False

PROBE = FirstPaint()
from routine_timer.ui import main_window
_init = main_window.MainWindow.__init__
def _init_with_probe(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.installEventFilter(PROBE)
main_window.MainWindow.__init__ = _init_with_probe

from routine_timer.cli import main
main(["--data-dir", sys.argv[1]])
"""


def start_app(data_dir: Path) -> list[dict[str, object]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [report["moment"] for report in reports] == ["first paint", "later"], result.stderr
    return reports


def test_the_first_paint_waits_for_nothing_it_does_not_show(tmp_path: Path) -> None:
    count = len(list(bundled_routines_dir().glob("*.yaml")))
    first_start = start_app(tmp_path / "data")
    second_start = start_app(tmp_path / "data")

    # The library is listed at the first paint, every time.
    assert [start[0]["entries"] for start in (first_start, second_start)] == [count, count]
    # The first start reads and checks the files; the second takes them from the cache.
    # Neither loads sound or voice before the paint.
    assert first_start[0]["loaded"] == ["yaml", "routine_timer.core.loader"]
    assert second_start[0]["loaded"] == []
    # After the first paint: the cue players, the reminders' rules (which read plans), and
    # the figures the library's thumbnails draw.
    # (hashlib may come after the paint too, with whatever needs it.)
    assert [name for name in second_start[1]["loaded"] if name != "hashlib"] == [
        "PySide6.QtMultimedia",
        "PySide6.QtTextToSpeech",
        "routine_timer.core.programme",
        "routine_timer.core.figures",
        "PySide6.QtNetwork",
    ]
    for painted, later in (first_start, second_start):
        # Neither the app icon, header sorting nor PySide6's Qt namespace held it up ...
        assert painted["qt_namespace"] is False
        assert painted["icon"] is False
        assert painted["sorting"] is False
        # ... and all of them arrived right after it.
        assert later["qt_namespace"] is True
        assert later["icon"] is True
        assert later["sorting"] is True


def test_the_schema_for_editors_is_written_after_the_first_paint(tmp_path: Path) -> None:
    data = tmp_path / "data"
    schema = data / "routines" / "routine.schema.json"
    start_app(data)
    assert schema.read_bytes() == schema_path().read_bytes()
    # An outdated copy (from an older version of the app) is replaced at the next start.
    schema.write_text("{}", encoding="utf-8")
    start_app(data)
    assert schema.read_bytes() == schema_path().read_bytes()
