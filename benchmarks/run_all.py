"""Run every benchmark in this folder, one after the other, and say which missed its target.

Each ``bench_*.py`` prints its figures and exits non-zero when it misses its
target; BENCHMARKS.md records the numbers. Run with ``make benchmarks``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    missed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            missed.append(script.name)
    print("all targets met" if not missed else f"missed targets: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
