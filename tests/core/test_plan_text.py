"""A timeline in words: the rows and totals that plan, the library and the editor all show."""

from __future__ import annotations

from routine_timer.core.plan_text import (
    TimelineRow,
    plain_seconds,
    short_total,
    spoken_lines,
    timeline_rows,
    total_line,
)
from tests.helpers.routines import timeline_of

MIXED = """\
name: Mixed
prepare: 5
rest: 10
exercises:
  - name: Plank
    time: 30s
  - name: Squat
    reps: 10
    sets: 2
"""


def test_rows_say_when_each_step_starts_and_how_long_it_lasts() -> None:
    timeline = timeline_of(MIXED, "mixed.yaml")
    rows = list(timeline_rows(timeline))
    assert rows[:3] == [
        TimelineRow("0:00", "prepare", "0:05", rows[0].step),
        TimelineRow("0:05", "work", "0:30", rows[1].step),
        TimelineRow("0:35", "rest", "0:10", rows[2].step),
    ]
    assert [row.length for row in rows if row.kind == "manual"] == ["your pace", "your pace"]
    assert list(timeline_rows(timeline, 2)) == rows[:2]


def test_totals_count_the_untimed_sets() -> None:
    timeline = timeline_of(MIXED, "mixed.yaml")
    assert total_line(timeline) == "0:55 (55 s) + 2 untimed sets at your own pace"
    assert short_total(timeline) == "0:55 + 2 at your pace"
    timed = timeline_of(MIXED.split("  - name: Squat", maxsplit=1)[0], "timed.yaml")
    assert total_line(timed) == "0:35 (35 s)"
    assert short_total(timed) == "0:35"


def test_plain_seconds_drop_only_a_needless_fraction() -> None:
    assert plain_seconds(235.0) == 235 and isinstance(plain_seconds(235.0), int)
    assert plain_seconds(2.5) == 2.5


def test_spoken_lines_are_the_cues_the_session_speaks() -> None:
    text = (
        MIXED.replace(
            "    time: 30s\n",
            "    time: 30s\n    cues: [Hips level, Breathe]\n"
            "    say: [{at: 10, text: Twenty to go}, {at: 25.5, text: Nearly}]\n",
        )
        + "    cues: [Knees out]\n"
    )
    timeline = timeline_of(text, "mixed.yaml")
    lines = [spoken_lines(step) for step in timeline.steps]
    assert lines[0] == []  # prepare: its announcement is not a coaching cue
    assert lines[1] == [("0:00", "Hips level"), ("0:10", "Twenty to go"), ("0:26", "Nearly")]
    assert lines[2] == []  # rest
    assert lines[3] == [("0:00", "Knees out")]  # an untimed set gets its first cue too
