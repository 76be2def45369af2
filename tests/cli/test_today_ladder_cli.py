"""``routine-timer today`` names a ladder's item by the rung reached, with its level."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from routine_timer.cli import main
from routine_timer.core.progression import Level, Outcome, Suggestion
from routine_timer.paths import resolve_paths
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore

MONDAY = date(2026, 3, 2)


def test_today_shows_the_rung_reached_and_its_level(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Settings(resolve_paths(str(data_dir)).settings_file).choose_plan("runners-back-care", MONDAY)
    args = ["--data-dir", str(data_dir), "today", "--date", "2026-03-03"]
    assert main(args) == 0
    assert "due       Runner's daily core (every day; 0 of 7 this week; level 3 of 5)" in (
        capsys.readouterr().out
    )
    with HistoryStore(data_dir / "history.sqlite3") as store:
        noon = datetime(2026, 3, 2, 12).astimezone()
        number = store.start_session("runners-daily-core", "Runner's daily core", "", 60.0,
                                     started_at=noon)  # fmt: skip
        store.finish_session(number, "completed", 60.0, 0.0, ended_at=noon)
        shown = Suggestion(
            number, "runners-daily-core", Outcome.STEP_BACK, "stopped-for-pain",
            "you stopped for pain", Level("runners-daily-core", name="Runner's daily core"),
            target=Level("core-planks-20", name="Core: 20 s planks"),
        )  # fmt: skip
        store.show_suggestion(shown, number)
        store.answer_suggestion(number, accepted=True)
    assert main(args) == 0
    assert "due       Core: 20 s planks (every day; 1 of 7 this week; level 2 of 5)" in (
        capsys.readouterr().out
    )
    assert main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["next"] == "core-planks-20"
    [core, *_] = document["routines"]
    assert core["routine"] == "runners-daily-core"
    assert core["level"] == {
        "routine": "core-planks-20",
        "variations": None,
        "name": "Core: 20 s planks",
        "number": 2,
        "of": 5,
    }
