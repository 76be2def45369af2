"""Cue timing: the session driver on the real clock against a naive 1-second countdown.

    python benchmarks/bench_cue_timing.py [--seconds N] [--no-screen] [--busy N]

Runs a routine of one 60-second work step with a ``say`` entry at every
second (so a cue is due every second: the start, 59 says, the halfway call,
3-2-1, the end and "Routine complete") through the real ``SessionDriver``
with ``time.monotonic``, its session screen shown (offscreen), and a cue
player that only notes ``time.monotonic()`` as each cue reaches it. Lateness
is that moment minus the cue's due time.

In the same event loop and the same run, offset by half a second so the two
never wake at the same instant, a naive countdown: a repeating 1000 ms
``QTimer`` that decrements a counter and "fires" a cue at each tick, measured
against the ideal schedule (its start + n seconds).

``--busy N`` runs N processes spinning on the CPU meanwhile, to see how both
hold up on a machine that is busy with something else.

Targets (the driver): p99 lateness <= 10 ms, max <= 25 ms, drift at the end
(the last cue's lateness, and the session's end against its planned end)
<= 2 ms. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from routine_timer.core.engine import SessionFinished, StepStarted  # noqa: E402
from routine_timer.core.model import Exercise, Routine, Say  # noqa: E402
from routine_timer.core.plan import build_timeline  # noqa: E402
from routine_timer.ui.session.driver import SessionDriver  # noqa: E402
from tests.helpers.fakes import RecordingCuePlayer  # noqa: E402

TARGET_P99_MS = 10.0
TARGET_MAX_MS = 25.0
TARGET_DRIFT_MS = 2.0
NAIVE_OFFSET = 0.5
"""The naive countdown starts this long after the driver, so their wake-ups never collide."""


def cue_routine(seconds: int) -> Routine:
    """One work step of ``seconds`` with a ``say`` entry at every whole second."""
    says = tuple(Say(float(at), f"{at} seconds") for at in range(1, seconds))
    plank = Exercise(name="Plank", sets=1, rest=0.0, rest_after=0.0, time=float(seconds), say=says)
    return Routine(id="cue-timing", name="Cue timing", exercises=(plank,), prepare=0.0)


class NaiveCountdown:
    """What a first attempt looks like: a repeating 1 s QTimer and a counter."""

    def __init__(self, seconds: int) -> None:
        self.remaining = seconds
        self.start = 0.0
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    def begin(self) -> None:
        self.start = time.monotonic()
        self.timer.start()

    def _tick(self) -> None:
        self.ticks.append(time.monotonic())
        self.remaining -= 1
        if self.remaining <= 0:
            self.timer.stop()

    def lateness_ms(self) -> list[float]:
        return [(at - (self.start + n)) * 1000 for n, at in enumerate(self.ticks, start=1)]


def percentile(values: list[float], share: float) -> float:
    """Linear-interpolated percentile (``share`` in 0..1)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(values),
        "p99": percentile(values, 0.99),
        "max": max(values),
        "min": min(values),
        "last": values[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the routine")
    parser.add_argument(
        "--no-screen", action="store_true", help="run the driver without its session screen"
    )
    parser.add_argument(
        "--busy", type=int, default=0, help="processes that keep the CPU busy meanwhile"
    )
    args = parser.parse_args()
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)
    ]
    try:
        return run(args)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])

    timeline = build_timeline(cue_routine(args.seconds))
    player = RecordingCuePlayer(time.monotonic)
    driver = SessionDriver(timeline, cue_player=player)
    view = None
    if not args.no_screen:
        from routine_timer.ui.session.view import SessionView  # noqa: PLC0415

        view = SessionView(driver)
        view.resize(1100, 720)
        view.show()
    started: list[float] = []
    ended: list[tuple[SessionFinished, float]] = []
    driver.stepStarted.connect(
        lambda event: started.append(event.at) if isinstance(event, StepStarted) else None
    )
    driver.sessionFinished.connect(lambda event: ended.append((event, time.monotonic())))
    naive = NaiveCountdown(args.seconds)

    load_before = os.getloadavg()
    # Let the screen settle first, as it would after the window opens.
    QTimer.singleShot(200, driver.start)
    QTimer.singleShot(200 + int(NAIVE_OFFSET * 1000), naive.begin)
    quit_timer = QTimer()
    quit_timer.timeout.connect(lambda: app.quit() if ended and naive.remaining <= 0 else None)
    quit_timer.start(250)
    guard = QTimer.singleShot((args.seconds + 10) * 1000, app.quit)
    del guard
    app.exec()
    load_after = os.getloadavg()

    if not ended or naive.remaining > 0:
        print("the session or the naive countdown did not finish in time")
        return 1
    session_start = started[0]
    planned_end = session_start + timeline.total_seconds
    _finished, end_seen = ended[0]
    # The player notes each cue and the monotonic time it arrived, side by side.
    lateness = zip(player.cues, player.played, strict=True)
    ours = [(played.at - cue.due) * 1000 for cue, played in lateness]
    ours_stats = summary(ours)
    end_drift = (end_seen - planned_end) * 1000
    naive_ms = naive.lateness_ms()
    naive_stats = summary(naive_ms)

    print(
        f"{len(ours)} cues over {timeline.total_seconds:.0f} s through SessionDriver"
        f" ({'with' if view else 'without'} the session screen);"
        f" naive countdown: {len(naive_ms)} ticks of a 1000 ms QTimer"
    )
    print(f"{'lateness, ms':<28}{'driver':>10}{'naive QTimer':>14}")
    for key, label in (
        ("p50", "p50"),
        ("p99", "p99"),
        ("max", "max"),
        ("min", "min (negative = early)"),
        ("last", "last cue (drift at end)"),
    ):
        print(f"{label:<28}{ours_stats[key]:>10.2f}{naive_stats[key]:>14.2f}")
    print(f"{'session end - planned end':<28}{end_drift:>10.2f}{naive_ms[-1]:>14.2f}")
    print(
        f"load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}"
        f" ({args.busy} busy processes, {os.cpu_count()} CPUs)"
    )
    print(
        f"targets (driver): p99 <= {TARGET_P99_MS:g} ms, max <= {TARGET_MAX_MS:g} ms,"
        f" drift at end <= {TARGET_DRIFT_MS:g} ms"
    )
    missed = []
    if ours_stats["p99"] > TARGET_P99_MS:
        missed.append("p99")
    if ours_stats["max"] > TARGET_MAX_MS:
        missed.append("max")
    if abs(ours_stats["last"]) > TARGET_DRIFT_MS or abs(end_drift) > TARGET_DRIFT_MS:
        missed.append("drift at end")
    print("target met" if not missed else f"target missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
