"""Loading routine files: our checked loader against a bare YAML load.

    python benchmarks/bench_loader.py [--files N] [--repeat N] [--seed N]

Writes N (default 1,000) varied, valid routine files to a temporary folder:
block and flow style, every kind of exercise, durations in every spelling,
comments, anchors with ``<<`` merges, pictures; half of them in format 2,
with blocks, values per set, one-sided exercises, announcements counted
from the end, variations as mappings and drawn figures. Then, in the same run and
interleaved, it times

* ``load_routine`` on every file (read, hash, parse, check every rule, build
  the model), and
* the baseline: ``yaml.load(f, Loader=yaml.CSafeLoader)`` of the same files,
  which reads and builds plain Python objects and checks nothing,

and prints the best of the repeats of each and their ratio. Target: ours /
bare <= 1.5. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from routine_timer.core import yaml_nodes  # noqa: E402
from routine_timer.core.figure_names import FIGURE_NAMES  # noqa: E402
from routine_timer.core.loader import load_routine  # noqa: E402

TARGET_RATIO = 1.5
WORDS = [
    "plank",
    "squat",
    "lunge",
    "bridge",
    "bird",
    "dog",
    "dead",
    "bug",
    "crunch",
    "twist",
    "hollow",
    "hold",
    "push",
    "pull",
    "row",
    "press",
    "raise",
    "reach",
    "stretch",
    "calf",
    "hamstring",
    "hip",
    "flexor",
    "glute",
    "side",
    "arm",
    "leg",
    "back",
    "core",
    "slow",
    "steady",
    "breathe",
    "knees",
    "shoulders",
    "spine",
    "neutral",
    "brace",
    "squeeze",
]


def words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def duration(rng: random.Random, low: int, high: int) -> str:
    seconds = rng.randint(low, high)
    spelling = rng.choice(["number", "s", "ms", "clock", "text", "decimal"])
    if spelling == "number":
        return str(seconds)
    if spelling == "s":
        return f"{seconds}s"
    if spelling == "ms":
        return f'"{seconds // 60}m{seconds % 60}s"' if seconds >= 60 else f"{seconds} s"
    if spelling == "clock":
        return f'"{seconds // 60}:{seconds % 60:02d}"'
    if spelling == "decimal":
        return f"{seconds}.5"
    return f'"{seconds}"'


def per_set(rng: random.Random, sets: int, value: Callable[[], str]) -> str:
    """A format-2 list of one value per set, or, half the time, one value for all."""
    if rng.random() < 0.5:
        return value()
    return "[" + ", ".join(value() for _ in range(sets)) + "]"


def variation(rng: random.Random, kind: str, flow: bool) -> str:
    """A format-2 variation: a name, and some of cues, a figure, other work."""
    parts = [f'name: "{words(rng, 2, 4).capitalize()}"']
    if rng.random() < 0.5:
        parts.append(f'cues: ["{words(rng, 3, 6).capitalize()}"]')
    if rng.random() < 0.3:
        parts.append(f"figure: {rng.choice(FIGURE_NAMES)}")
    if kind == "time" and rng.random() < 0.3:
        parts.append(f"time: {duration(rng, 20, 40)}")
    elif kind == "hold" and rng.random() < 0.3:
        parts.append(f"hold: {duration(rng, 2, 5)}")
    if flow or rng.random() < 0.5:
        return "{" + ", ".join(parts) + "}"
    return "\n" + "\n".join(f"      {part}" for part in parts)


def exercise_lines(rng: random.Random, flow: bool, version: int = 1) -> list[str]:
    name = words(rng, 1, 3).title()
    kind = rng.choice(["time", "time", "hold", "rep_time", "untimed"])
    sides = rng.choice([None, None, "both", "alternate"])
    if kind == "time" and sides == "alternate":
        sides = "both"
    if version == 2 and sides is None and rng.random() < 0.3:
        sides = rng.choice(["left", "right"])
    # Format 2: a value per set (a pyramid) on some exercises, the sets then its length.
    sets = rng.randint(2, 4) if version == 2 and rng.random() < 0.4 else None
    fields: list[tuple[str, str]] = [("name", name)]
    if kind == "time":
        if sets:
            fields.append(("time", per_set(rng, sets, lambda: duration(rng, 20, 90))))
        else:
            fields.append(("time", duration(rng, 20, 90)))
        work = 20.0
    else:
        if sets:
            fields.append(("reps", per_set(rng, sets, lambda: str(rng.randint(3, 15)))))
            count = 3 * (2 if sides == "alternate" else 1)
        else:
            reps = rng.randint(3, 15)
            fields.append(("reps", str(reps)))
            count = reps * (2 if sides == "alternate" else 1)
        work = 0.0
        if kind == "hold":
            fields.append(("hold", duration(rng, 2, 10)))
            if rng.random() < 0.5:
                fields.append(("release", duration(rng, 1, 4)))
            work = count * 2.0
        elif kind == "rep_time":
            fields.append(("rep_time", str(rng.randint(2, 5))))
            work = count * 2.0
    if sets is None and rng.random() < 0.6:
        fields.append(("sets", str(rng.randint(1, 4))))
    if sides:
        fields.append(("sides", sides))
        if sides == "both" and rng.random() < 0.5:
            fields.append(("switch", duration(rng, 3, 8)))
    if rng.random() < 0.4:
        fields.append(("rest", duration(rng, 5, 40)))
    if rng.random() < 0.3:
        fields.append(("rest_after", duration(rng, 5, 40)))
    for key in ("easier", "harder"):
        if rng.random() < 0.3:
            if version == 2 and rng.random() < 0.6:
                fields.append((key, variation(rng, kind, flow)))
            else:
                fields.append((key, f'"{words(rng, 2, 4).capitalize()}"'))
    if rng.random() < 0.15:
        fields.append(("image", "pictures/plank.png"))
    elif version == 2 and rng.random() < 0.4:
        fields.append(("figure", rng.choice(FIGURE_NAMES)))
    cues = [words(rng, 3, 8).capitalize() for _ in range(rng.randint(0, 3))]
    says: list[tuple[str, int, str]] = []
    if work > 1 and rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            # Format 2 may count an announcement from the end of the work period.
            key = "left" if version == 2 and rng.random() < 0.4 else "at"
            low = 1 if key == "left" else 0
            says.append((key, rng.randint(low, int(work) - 1), words(rng, 2, 5)))
    if flow:
        parts = [f"{key}: {value}" for key, value in fields]
        if cues:
            parts.append("cues: [" + ", ".join(f'"{cue}"' for cue in cues) + "]")
        if says:
            parts.append(
                "say: ["
                + ", ".join(f"{{{key}: {at}, text: {text}}}" for key, at, text in says)
                + "]"
            )
        return ["  - {" + ", ".join(parts) + "}"]
    lines = [f"  - {fields[0][0]}: {fields[0][1]}"]
    lines += [f"    {key}: {value}" for key, value in fields[1:]]
    if cues:
        lines.append("    cues:")
        lines += [f"      - {cue}" for cue in cues]
    if says:
        lines.append("    say:")
        for key, at, text in says:
            lines += [f"      - {key}: {at}", f"        text: {text}"]
    return lines


def exercise_list(
    rng: random.Random, version: int, indent: str = "", anchor: str = "stretch"
) -> list[str]:
    lines = []
    if rng.random() < 0.15:  # shared settings through an anchor and merges
        lines += [
            f"  - &{anchor}",
            f"    name: {words(rng, 1, 2).title()} stretch",
            "    time: 40s",
            "    sides: both",
            "    switch: 8s",
            f"  - <<: *{anchor}",
            f"    name: {words(rng, 1, 2).title()} stretch",
        ]
    flow = rng.random() < 0.2
    for _ in range(rng.randint(3, 12)):
        if rng.random() < 0.1:
            lines.append(f"  # {words(rng, 2, 6)}")
        lines += exercise_lines(rng, flow, version)
    return [indent + line for line in "\n".join(lines).split("\n")]


def routine_text(rng: random.Random) -> str:
    version = rng.choice([1, 2])
    lines = ["# yaml-language-server: $schema=routine.schema.json", f"format: {version}"]
    lines.append(f"name: {words(rng, 1, 4).title()}")
    if rng.random() < 0.3:
        lines.append(f"id: {'-'.join(words(rng, 1, 3).split())}-{rng.randint(1, 99)}")
    if rng.random() < 0.7:
        lines.append(f"description: >-\n  {words(rng, 6, 14)}\n  {words(rng, 4, 12)}")
    if rng.random() < 0.8:
        tags = rng.sample(["core", "warm-up", "mobility", "strength", "runners"], 2)
        lines.append(f"tags: [{', '.join(tags)}]")
    for key, low, high in (("prepare", 0, 20), ("rest", 5, 60)):
        if rng.random() < 0.5:
            lines.append(f"{key}: {duration(rng, low, high)}")
    if version == 2 and rng.random() < 0.5:  # the routine in sections
        lines.append("blocks:")
        for block in range(rng.randint(2, 3)):
            lines.append(f"  - name: {words(rng, 1, 2).title()}")
            if rng.random() < 0.3:
                lines += [
                    f"    rounds: {rng.randint(2, 3)}",
                    f"    round_rest: {duration(rng, 10, 60)}",
                ]
            for key in ("rest", "rest_after"):
                if rng.random() < 0.3:
                    lines.append(f"    {key}: {duration(rng, 5, 40)}")
            lines.append("    exercises:")
            lines += exercise_list(rng, version, indent="    ", anchor=f"stretch-{block}")
        return "\n".join(lines) + "\n"
    if rng.random() < 0.3:
        lines += [f"rounds: {rng.randint(2, 4)}", f"round_rest: {duration(rng, 10, 120)}"]
    lines.append("exercises:")
    lines += exercise_list(rng, version)
    return "\n".join(lines) + "\n"


def write_files(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    (folder / "pictures").mkdir()
    (folder / "pictures" / "plank.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    paths = []
    for number in range(count):
        path = folder / f"routine-{number:04d}.yaml"
        path.write_text(routine_text(rng), encoding="utf-8")
        paths.append(path)
    return paths


def best_of(repeat: int, runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    """Best time of each run, the runs interleaved so that load changes hit them alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args()
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None or yaml_nodes.DEFAULT_BACKEND.name != "c":
        print("PyYAML was built without libyaml: the baseline needs yaml.CSafeLoader")
        return 1

    with tempfile.TemporaryDirectory() as temp:
        paths = write_files(Path(temp), options.files, options.seed)
        size = sum(path.stat().st_size for path in paths)
        exercises = sum(len(load_routine(path).exercises) for path in paths)  # all valid

        def ours() -> None:
            for path in paths:
                load_routine(path)

        def bare() -> None:
            for path in paths:
                with path.open("rb") as file:
                    yaml.load(file, Loader=c_loader)

        best = best_of(options.repeat, {"bare": bare, "ours": ours})

    ratio = best["ours"] / best["bare"]
    print(
        f"{options.files:,} routine files, {size / 1024:,.0f} KiB, {exercises:,} exercises; "
        f"best of {options.repeat}"
    )
    print(f"bare yaml.load(CSafeLoader): {best['bare'] * 1000:8.1f} ms")
    print(f"load_routine:                {best['ours'] * 1000:8.1f} ms")
    met = ratio <= TARGET_RATIO
    print(f"ratio ours/bare: {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if met else 'MISSED'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
