"""Synthesise the cue sounds in ``assets/sounds/``.

Run ``python assets/make_sounds.py [OUTPUT_DIR]`` to rebuild them. The output
is deterministic (pure arithmetic, no randomness), so the committed files can
be checked against a fresh run byte for byte.

Every sound is 16-bit PCM mono at 44.1 kHz, normalised to a peak of -1 dBFS so
it carries across a room without clipping (the rep tick is kept softer, at
-6 dBFS, as it repeats often), with short fades at both ends so the speaker
does not click.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 44_100
PEAK_DBFS = -1.0
SOFT_PEAK_DBFS = -6.0
FADE_IN = 0.004  # seconds; long enough to avoid a click, short enough to keep the attack crisp
FADE_OUT = 0.012

Wave = Callable[[float], float]
"""A sound as a function of time in seconds, returning roughly -1..1."""


def _tone(freq: float, decay: float = 0.0, harmonics: Sequence[tuple[float, float]] = ()) -> Wave:
    """A sine at ``freq`` plus optional (multiple, level) partials, with an exponential decay."""

    def sample(t: float) -> float:
        value = math.sin(2 * math.pi * freq * t)
        for multiple, level in harmonics:
            value += level * math.sin(2 * math.pi * freq * multiple * t)
        return value * (math.exp(-t / decay) if decay else 1.0)

    return sample


def _render(length: float, voices: Sequence[tuple[float, float, Wave]]) -> list[float]:
    """Mix ``voices`` (start time, duration, wave) into ``length`` seconds of samples."""
    count = round(length * RATE)
    mix = [0.0] * count
    for start, duration, voice in voices:
        first = round(start * RATE)
        frames = min(round(duration * RATE), count - first)
        for i in range(frames):
            t = i / RATE
            # Each note gets its own tiny fades so notes joining mid-sound do not click either.
            envelope = min(1.0, t / FADE_IN, (duration - t) / FADE_OUT)
            mix[first + i] += voice(t) * max(envelope, 0.0)
    return mix


def _to_pcm(samples: Sequence[float], peak_dbfs: float) -> bytes:
    """Normalise to ``peak_dbfs``, apply the outer fades and pack as 16-bit little-endian."""
    peak = max(abs(s) for s in samples) or 1.0
    gain = 10 ** (peak_dbfs / 20) / peak
    count = len(samples)
    frames = bytearray()
    for i, value in enumerate(samples):
        t = i / RATE
        envelope = min(1.0, t / FADE_IN, (count - 1 - i) / RATE / FADE_OUT)
        frames += struct.pack("<h", round(value * gain * max(envelope, 0.0) * 32767))
    return bytes(frames)


def beep() -> list[float]:
    """The 3-2-1 countdown: a short, bright 880 Hz beep."""
    return _render(0.12, [(0.0, 0.12, _tone(880.0, harmonics=[(2, 0.15)]))])


def start() -> list[float]:
    """The start of a set: two rising tones (A5 then E6)."""
    return _render(
        0.34,
        [
            (0.0, 0.14, _tone(880.0, harmonics=[(2, 0.2)])),
            (0.15, 0.19, _tone(1318.5, decay=0.25, harmonics=[(2, 0.2)])),
        ],
    )


def end() -> list[float]:
    """The end of a step: a soft gong-like falling pair with inharmonic partials."""
    bell = [(2.76, 0.35), (5.4, 0.12)]
    return _render(
        0.5,
        [
            (0.0, 0.25, _tone(784.0, decay=0.12, harmonics=bell)),
            (0.15, 0.35, _tone(523.25, decay=0.15, harmonics=bell)),
        ],
    )


def tick() -> list[float]:
    """A rep or a release: a very short, soft woody tick."""
    return _render(0.04, [(0.0, 0.04, _tone(1500.0, decay=0.01, harmonics=[(1.5, 0.3)]))])


def finish() -> list[float]:
    """The end of the routine: a quick rising major arpeggio (C6 E6 G6 C7)."""
    notes = [1046.5, 1318.5, 1568.0, 2093.0]
    voices = [
        (0.08 * n, 0.7 - 0.08 * n, _tone(freq, decay=0.22, harmonics=[(2, 0.1)]))
        for n, freq in enumerate(notes)
    ]
    return _render(0.7, voices)


SOUNDS: dict[str, tuple[Callable[[], list[float]], float]] = {
    "beep.wav": (beep, PEAK_DBFS),
    "start.wav": (start, PEAK_DBFS),
    "end.wav": (end, PEAK_DBFS),
    "tick.wav": (tick, SOFT_PEAK_DBFS),
    "finish.wav": (finish, PEAK_DBFS),
}


def write_sounds(folder: Path) -> list[Path]:
    """Write every cue sound into ``folder`` and return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (make, peak_dbfs) in SOUNDS.items():
        path = folder / name
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(_to_pcm(make(), peak_dbfs))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    folder = Path(args[0]) if args else Path(__file__).resolve().parent / "sounds"
    for path in write_sounds(folder):
        print(f"{path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
