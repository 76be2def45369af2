"""Start-up: process start to the main window painted, against a bare PySide6 window.

    python benchmarks/bench_startup.py [--repeat N]

Each run launches a fresh Python process and measures, from just before the
launch to the moment the child reports the first paint of its main window:

* ours: the real ``routine-timer`` command (``routine_timer.cli.main`` with a
  temporary data folder), the library scanned and listed in the window, its
  checked routines read from the library cache as on every start but the first;
* ours, first start: the same with the cache deleted before each run, so every
  routine file is read and checked (reported, no target);
* bare: a script that makes a ``QApplication`` and a ``QMainWindow`` of the
  same size and shows it;
* for comparison only: the same window with menu titles, a toolbar, tabs, a
  list of ten routines and a line of text, none of the app's work.

The child reports from an event filter on the window (the first ``Paint``
event), and says then whether ``PySide6.QtMultimedia`` or
``PySide6.QtTextToSpeech`` has been imported: both must load only after the
window is on screen. Runs alternate (ours, bare, the window with text, ours
on a first start) after one warm-up run of ours and of bare; the medians are
compared.

Target: ours / bare <= 1.6, and neither module loaded at the first paint.
Exits 1 when either is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.6
LAZY_MODULES = ("PySide6.QtMultimedia", "PySide6.QtTextToSpeech")

# Prints one JSON line at the window's first paint, then ends the process at once.
PROBE = f"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject

LAZY = {LAZY_MODULES!r}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            loaded = [name for name in LAZY if name in sys.modules]
            entries = None
            library = getattr(watched, "library", None)
            if library is not None:
                entries = len(library.entries())
            sys.stdout.write(json.dumps({{"loaded": loaded, "entries": entries}}) + "\\n")
            sys.stdout.flush()
            os._exit(0)
        return False

PROBE = FirstPaint()
"""

OURS = (
    PROBE
    + """
from routine_timer.ui import main_window

_init = main_window.MainWindow.__init__

def _init_with_probe(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.installEventFilter(PROBE)

main_window.MainWindow.__init__ = _init_with_probe

from routine_timer.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""
)

BARE = (
    PROBE
    + """
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare window")
window.resize(1100, 720)
window.installEventFilter(PROBE)
window.show()
sys.exit(app.exec())
"""
)

SHOWN = (
    PROBE
    + """
from PySide6.QtWidgets import (QApplication, QLabel, QListWidget, QMainWindow, QSplitter,
                               QTabWidget, QToolBar)

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Window with text")
window.resize(1100, 720)
for title in ("&File", "&Edit", "&View", "&Plan", "&Help"):
    window.menuBar().addMenu(title)
tools = QToolBar("Session")
for text in ("Start", "Edit", "New", "Open folder", "Plan"):
    tools.addAction(text)
window.addToolBar(tools)
routines = QListWidget()
routines.addItems([f"Routine {number}: planks, side planks and bird dogs" for number in range(10)])
detail = QLabel("Planks, side planks, bird dogs: 3 sets each, 30 s holds, 20 min.")
split = QSplitter()
split.addWidget(routines)
split.addWidget(detail)
tabs = QTabWidget()
tabs.addTab(split, "Routines")
tabs.addTab(QLabel(), "History")
window.setCentralWidget(tabs)
window.installEventFilter(PROBE)
window.show()
sys.exit(app.exec())
"""
)
"""For comparison only (no target): a window with what ours shows at its first paint, in
kind (menu titles, a toolbar, tabs, a list of ten routines, a line of text), none of its
work. The bare window draws no text, so the font set-up that any text costs is ours alone."""


def launch(script: str, data_dir: str, cache_dir: str) -> tuple[float, dict[str, object]]:
    """Seconds from launching ``script`` to its first-paint line, and what it reported."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app runs from compiled bytecode (pip writes it at install time); a
    # source checkout with bytecode writing turned off would compile every module at
    # every start. The warm-up runs fill a private bytecode cache, used by both sides.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache_dir
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", script, data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=30)
    if not line:
        raise RuntimeError("the child never painted its window")
    return elapsed, json.loads(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs of each (median)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    ours: list[float] = []
    bare: list[float] = []
    shown: list[float] = []
    reports: list[dict[str, object]] = []
    first: list[float] = []
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as cache:
        library_cache = Path(data_dir) / "cache" / "library.json"
        # Warm-up: fills the disk and bytecode caches, creates the app's data folder.
        launch(OURS, data_dir, cache)
        launch(BARE, data_dir, cache)
        for _ in range(args.repeat):
            seconds, report = launch(OURS, data_dir, cache)
            ours.append(seconds)
            reports.append(report)
            bare.append(launch(BARE, data_dir, cache)[0])
            shown.append(launch(SHOWN, data_dir, cache)[0])
            library_cache.unlink()
            seconds, report = launch(OURS, data_dir, cache)
            first.append(seconds)
            reports.append(report)
    load_after = os.getloadavg()
    ours_ms = statistics.median(ours) * 1000
    bare_ms = statistics.median(bare) * 1000
    ratio = ours_ms / bare_ms
    loaded = sorted({name for report in reports for name in report["loaded"]})  # type: ignore[attr-defined]
    entries = {report["entries"] for report in reports}
    print(f"process start to first paint of the main window, median of {args.repeat}:")
    print(
        f"  ours (routine-timer, library of {', '.join(map(str, entries))} routines):"
        f" {ours_ms:.0f} ms"
        f"  (min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})"
    )
    print(
        f"  ours, first start (no library cache): {statistics.median(first) * 1000:.0f} ms"
        f"  (min {min(first) * 1000:.0f}, max {max(first) * 1000:.0f}),"
        f" ratio {statistics.median(first) * 1000 / bare_ms:.2f} (no target)"
    )
    print(
        f"  bare PySide6 QMainWindow: {bare_ms:.0f} ms"
        f"  (min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})"
    )
    shown_ms = statistics.median(shown) * 1000
    print(
        f"  a window with text, menus, toolbar and list, for comparison: {shown_ms:.0f} ms"
        f"  (min {min(shown) * 1000:.0f}, max {max(shown) * 1000:.0f}),"
        f" ours {ours_ms / shown_ms:.2f}x that (no target)"
    )
    print(f"  ratio ours / bare: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(
        "  loaded at first paint: "
        + (", ".join(loaded) if loaded else f"neither {' nor '.join(LAZY_MODULES)} (target)")
    )
    print(f"load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    missed = []
    if ratio > TARGET_RATIO:
        missed.append("ratio")
    if loaded:
        missed.append("lazy multimedia and speech")
    print("target met" if not missed else f"target missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
