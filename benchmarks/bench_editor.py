"""The routine editor: opening a file and typing in it, against a bare Qt text box.

    python benchmarks/bench_editor.py [--repeat N] [--keys N]

Three files, written to a temporary folder:

* a 4 MB routine (the bundled daily-core routine's exercises repeated), four
  times the loader's 1 MiB limit;
* the daily-core routine with one line of 30,000 characters (the first
  exercise's name, with 30,000 spaces in it);
* the bundled daily-core routine as it ships.

For each, in the same process and interleaved, it times

* ours: ``RoutineEditor`` opening the file, shown and painted (offscreen), and
  separately until its first check is back (problems and timeline shown);
* bare: a ``QPlainTextEdit`` with the same font, no wrapping and the size of
  our text pane (so the same lines and scroll bars show), given the file's
  text, shown and painted;

then a keystroke at the end of the longest line in each: a key press and
release and every event it causes, until the event loop is idle (ours
colours the line and updates the completion there). Medians; the keystroke
figure is the median of N keys in a row, each followed by the check the
pause after it starts (its result applied on the GUI thread is counted in the
longest stall, below).

The longest stall: while N keys are typed with a 400 ms pause after each
(longer than the editor's 250 ms check delay, so every pause checks the text),
a 2 ms heartbeat timer notes the longest gap between its ticks, the longest
time the window could not react.

Targets: open <= 2x bare + 20 ms; keystroke <= 2x bare + 2 ms. The 20 ms
are what building and painting the rest of the editor window costs (problem
list, timeline, buttons, splitters; 17 ms for a routine of 2 KB, where the
text itself costs the bare box 6 ms). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QSize, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QFontDatabase, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget  # noqa: E402

from routine_timer.paths import bundled_routines_dir  # noqa: E402
from routine_timer.ui.editor.window import RoutineEditor  # noqa: E402

OPEN_RATIO = 2.0
OPEN_SLACK_MS = 20.0
KEY_RATIO = 2.0
KEY_SLACK_MS = 2.0
SIZE = (1100, 700)


def write_files(folder: Path) -> dict[str, Path]:
    core = (bundled_routines_dir() / "runners-daily-core.yaml").read_text(encoding="utf-8")
    exercises = core.split("exercises:\n", 1)[1]
    big = core
    while len(big) < 4_000_000:
        big += exercises
    long_line = core.replace("name: Front plank", "name: Front" + " " * 30_000 + "plank", 1)
    files = {"4 MB file": big, "30,000-character line": long_line, "bundled routine": core}
    paths = {}
    for number, (label, text) in enumerate(files.items()):
        path = folder / f"file{number}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[label] = path
    return paths


def settle(app: QApplication) -> None:
    app.processEvents()
    app.processEvents()


def open_ours(app: QApplication, path: Path) -> tuple[float, float, RoutineEditor]:
    """Seconds until painted, and until the first check is shown; the editor."""
    done: list[float] = []
    start = time.perf_counter()
    editor = RoutineEditor(path)
    editor.checked.connect(lambda: done.append(time.perf_counter()))
    editor.resize(*SIZE)
    editor.show()
    settle(app)
    editor.repaint()
    painted = time.perf_counter() - start
    while not done:
        app.processEvents()
        time.sleep(0.0005)
    return painted, done[0] - start, editor


def open_bare(app: QApplication, path: Path, size: QSize) -> tuple[float, QPlainTextEdit]:
    start = time.perf_counter()
    box = QPlainTextEdit()
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    box.setPlainText(path.read_text(encoding="utf-8"))
    box.resize(size)
    box.show()
    settle(app)
    box.repaint()
    return time.perf_counter() - start, box


def to_end_of_longest_line(box: QPlainTextEdit) -> None:
    document = box.document()
    block, longest = document.begin(), document.begin()
    while block.isValid():
        if block.length() > longest.length():
            longest = block
        block = block.next()
    cursor = QTextCursor(longest)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    box.setTextCursor(cursor)
    box.setFocus()


def keystrokes(app: QApplication, box: QPlainTextEdit, keys: int) -> list[float]:
    to_end_of_longest_line(box)
    times = []
    for number in range(keys):
        start = time.perf_counter()
        QTest.keyClick(box, "abcdefghij"[number % 10])
        settle(app)
        times.append(time.perf_counter() - start)
    return times


def longest_stall(app: QApplication, box: QPlainTextEdit, keys: int) -> float:
    """Longest gap between 2 ms heartbeats while typing with pauses (seconds)."""
    to_end_of_longest_line(box)
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    worst = [0]

    def beat() -> None:
        now = clock.nsecsElapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    for number in range(keys):
        QTest.keyClick(box, "abcdefghij"[number % 10])
        end = time.perf_counter() + 0.4
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)
    heartbeat.stop()
    return worst[0] / 1e9


def close(widget: QWidget) -> None:
    if isinstance(widget, RoutineEditor):
        widget.code.document().setModified(False)
    widget.close()
    widget.deleteLater()


def median_of(repeat: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="opens of each file (median)")
    parser.add_argument("--keys", type=int, default=20, help="keystrokes in each file")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    missed = []
    with tempfile.TemporaryDirectory() as folder:
        for label, path in write_files(Path(folder)).items():
            ours_open, ours_checked, bare_open = [], [], []
            for _ in range(args.repeat):
                painted, checked, editor = open_ours(app, path)
                ours_open.append(painted)
                ours_checked.append(checked)
                pane = editor.code.size()
                close(editor)
                seconds, box = open_bare(app, path, pane)
                bare_open.append(seconds)
                close(box)
                settle(app)
            _, _, editor = open_ours(app, path)
            ours_keys = keystrokes(app, editor.code, args.keys)
            ours_stall = longest_stall(app, editor.code, args.keys // 2)
            close(editor)
            _, box = open_bare(app, path, pane)
            bare_keys = keystrokes(app, box, args.keys)
            bare_stall = longest_stall(app, box, args.keys // 2)
            close(box)
            settle(app)

            o_open, b_open = statistics.median(ours_open), statistics.median(bare_open)
            o_key, b_key = statistics.median(ours_keys) * 1e3, statistics.median(bare_keys) * 1e3
            key_limit = KEY_RATIO * b_key + KEY_SLACK_MS
            open_limit = OPEN_RATIO * b_open * 1e3 + OPEN_SLACK_MS
            print(f"{label} ({path.stat().st_size:,} bytes):")
            print(
                f"  open, painted: ours {o_open * 1e3:,.0f} ms, bare {b_open * 1e3:,.0f} ms, "
                f"ratio {o_open / b_open:.2f} (target <= {OPEN_RATIO} x bare + "
                f"{OPEN_SLACK_MS:.0f} ms = {open_limit:,.0f} ms)"
            )
            checked_ms = statistics.median(ours_checked) * 1e3
            print(f"  open, first check shown: ours {checked_ms:,.0f} ms")
            print(
                f"  keystroke, median of {args.keys}: ours {o_key:.2f} ms "
                f"(max {max(ours_keys) * 1e3:.2f}), bare {b_key:.2f} ms "
                f"(max {max(bare_keys) * 1e3:.2f}), "
                f"ratio {o_key / b_key:.2f} (target <= {KEY_RATIO} x bare + {KEY_SLACK_MS} ms "
                f"= {key_limit:.2f} ms)"
            )
            print(
                f"  longest stall while typing with pauses: ours {ours_stall * 1e3:.1f} ms, "
                f"bare {bare_stall * 1e3:.1f} ms"
            )
            if o_open * 1e3 > open_limit:
                missed.append(f"open ({label})")
            if o_key > key_limit:
                missed.append(f"keystroke ({label})")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    print("targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
