"""CPU while a session runs: the real app, a routine running, 30 seconds.

    python benchmarks/bench_cpu.py [--seconds N] [--settle N] [--routine ID] [--flash]

Starts the real command, ``routine-timer start runners-warm-up`` (offscreen,
a temporary data folder, so the history is written as usual), with the real
cue player: sounds through QtMultimedia, and the voice when an engine works
(it falls back to sounds when none does). After ``--settle`` seconds, once
the window is up and sound and voice have loaded, it reads the process's CPU
time (user + system, every thread, from ``/proc/PID/stat``) and its context
switches (how often it woke up), waits ``--seconds``, and reads them again.

In the same run and over the same window, a bare PySide6 ``QMainWindow``
doing nothing is measured the same way, as the floor an idle Qt process
costs on this machine, and so is a second app running the same routine with
its ``figure:`` lines taken out (a copy in its own data folder), which shows
what the drawn figures cost: the bundled warm-up starts with a walk, whose
figure moves all the time (the most a figure ever costs).

When PulseAudio is installed and no sound server is reachable, a private one
with a null sink is started for the run, so the sounds are really played
(and then stopped again).

``--flash`` turns the countdown flash on in the measured app (and in the one
without figures): the window holds two 3-2-1 countdowns, six flashes.

Target: the app's CPU <= 3 % of one core over the window. Exits 1 when missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_PERCENT = 3.0
TICKS = os.sysconf("SC_CLK_TCK")

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 720)
window.show()
sys.exit(app.exec())
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime 14 and stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / TICKS


def wakeups(pid: int) -> int:
    """Context switches of every thread of ``pid`` (voluntary ones are wake-ups)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def speech_processes() -> list[int]:
    """Speech-dispatcher and its synthesis modules (they speak for the app, outside it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name.startswith(("speech-dispatch", "sd_")):
            found.append(int(entry.name))
    return found


def total_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):  # it may have ended meanwhile
            total += cpu_seconds(pid)
    return total


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def start_sound_server(env: dict[str, str], runtime: str) -> subprocess.Popen[bytes] | None:
    """A private PulseAudio with a null sink, when PulseAudio is there and none runs."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        return None
    if subprocess.run(["pactl", "info"], check=False, capture_output=True, env=env).returncode == 0:
        return None
    env["XDG_RUNTIME_DIR"] = runtime
    server = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-n",
            "--load=module-null-sink sink_name=bench",
            "--load=module-native-protocol-unix",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if (
            subprocess.run(["pactl", "info"], check=False, capture_output=True, env=env).returncode
            == 0
        ):
            return server
        time.sleep(0.1)
    server.terminate()
    server.wait()
    return None


def without_figures(routine: str, data_dir: Path) -> str:
    """A copy of a bundled ``routine`` without its figures, as a user routine; its id."""
    source = ROOT / "routines" / f"{routine}.yaml"
    if not source.is_file():
        source = Path(routine)
    text = source.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.strip().startswith("figure:")]
    copy = data_dir / "routines" / f"{source.stem}-without-figures.yaml"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return copy.stem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the window")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after launch")
    parser.add_argument("--routine", default="runners-warm-up", help="routine id or file")
    parser.add_argument(
        "--flash", action="store_true", help="with the countdown flash on (a setting)"
    )
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with (
        tempfile.TemporaryDirectory() as data_dir,
        tempfile.TemporaryDirectory() as plain_dir,
        tempfile.TemporaryDirectory() as runtime,
    ):
        server = start_sound_server(env, runtime)
        log = Path(data_dir) / "app.log"
        plain_routine = without_figures(args.routine, Path(plain_dir))
        if args.flash:
            for folder in (data_dir, plain_dir):
                (Path(folder) / "settings.ini").write_text("[cues]\nflash=true\n", encoding="utf-8")
        with log.open("wb") as app_log:
            app = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "routine_timer",
                    "--data-dir",
                    data_dir,
                    "start",
                    args.routine,
                ],
                env=env,
                stdout=app_log,
                stderr=subprocess.STDOUT,
            )
            plain = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "routine_timer",
                    "--data-dir",
                    plain_dir,
                    "start",
                    plain_routine,
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            bare = subprocess.Popen(
                [sys.executable, "-c", BARE],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(args.settle)
                if app.poll() is not None:
                    print(log.read_text(errors="replace"))
                    print(f"the app ended early (exit code {app.returncode})")
                    return 1
                load_before = os.getloadavg()
                start = time.monotonic()
                app_cpu, bare_cpu = cpu_seconds(app.pid), cpu_seconds(bare.pid)
                plain_cpu, plain_wake = cpu_seconds(plain.pid), wakeups(plain.pid)
                app_wake, bare_wake = wakeups(app.pid), wakeups(bare.pid)
                speech = speech_processes()
                sound = [server.pid] if server is not None else []
                speech_cpu, sound_cpu = total_cpu(speech), total_cpu(sound)
                time.sleep(args.seconds)
                speech_cpu = total_cpu(speech) - speech_cpu
                sound_cpu = total_cpu(sound) - sound_cpu
                app_cpu = cpu_seconds(app.pid) - app_cpu
                bare_cpu = cpu_seconds(bare.pid) - bare_cpu
                plain_cpu = cpu_seconds(plain.pid) - plain_cpu
                plain_wake = wakeups(plain.pid) - plain_wake
                app_wake = wakeups(app.pid) - app_wake
                bare_wake = wakeups(bare.pid) - bare_wake
                elapsed = time.monotonic() - start
                app_threads = threads(app.pid)
                load_after = os.getloadavg()
                running = app.poll() is None and plain.poll() is None
            finally:
                for child in (app, plain, bare):
                    child.terminate()
                    child.wait()
                if server is not None:
                    server.terminate()
                    server.wait()
        output = log.read_text(errors="replace").strip()

    app_percent = app_cpu / elapsed * 100
    bare_percent = bare_cpu / elapsed * 100
    plain_percent = plain_cpu / elapsed * 100
    print(
        f"CPU over {elapsed:.1f} s, from {args.settle:g} s after launch"
        f" (routine {args.routine}; sound server: {'private null sink' if server else 'as found'};"
        f" countdown flash {'on' if args.flash else 'off'}):"
    )
    print(
        f"  routine-timer, session running: {app_cpu * 1000:.0f} ms = {app_percent:.2f} % of one"
        f" core; {app_wake / elapsed:.1f} context switches/s; {app_threads} threads"
    )
    print(
        f"  the same without its figures:   {plain_cpu * 1000:.0f} ms = {plain_percent:.2f} % of"
        f" one core; {plain_wake / elapsed:.1f} context switches/s"
    )
    print(f"  the figures' cost: {app_percent - plain_percent:+.2f} % of one core")
    print(
        f"  bare PySide6 window, idle:      {bare_cpu * 1000:.0f} ms = {bare_percent:.2f} % of one"
        f" core; {bare_wake / elapsed:.1f} context switches/s"
    )
    print("  outside the app, for comparison (not counted in the target):")
    if sound:
        print(
            f"    the private sound server: {sound_cpu * 1000:.0f} ms"
            f" = {sound_cpu / elapsed * 100:.2f} %"
        )
    print(
        f"    speech-dispatcher and its voices ({len(speech)} processes, shared with any"
        f" other program speaking): {speech_cpu * 1000:.0f} ms = {speech_cpu / elapsed * 100:.2f} %"
    )
    print(f"  CPU-time resolution: {1000 / TICKS:.0f} ms")
    print(f"load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    if output:
        print("app output:", output[-2000:], sep="\n")
    if not running:
        print("the app ended before the window closed: not a valid run")
        return 1
    print(f"target: <= {TARGET_PERCENT:g} % of one core")
    met = app_percent <= TARGET_PERCENT
    print("target met" if met else "target missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
