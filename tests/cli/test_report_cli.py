"""``routine-timer report``: the PDF rendered, read back with pdftotext, its figures those
of ``history --json``."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from routine_timer.cli import build_parser, main
from routine_timer.cli import history as history_cli
from routine_timer.core.progression import Level, Morning, Outcome, Suggestion
from routine_timer.core.redflags import Why
from routine_timer.paths import resolve_paths
from routine_timer.settings import Settings
from routine_timer.storage.history import HistoryStore
from routine_timer.storage.report import build_report

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) reads the PDF back"
)

TODAY = date.today()
FIRST = TODAY - timedelta(days=41)
SECTIONS = (
    "Back-care report",
    "Plan and adherence",
    "Weeks",
    "Pain",
    "Next-morning checks",
    "Stops for pain",
    "Levels and suggestions",
    "Notes",
    "Warning signs",
)


def six_weeks(data_dir: Path) -> None:
    """Three sessions a week for six weeks; a stop for pain, notes, mornings and a red flag."""
    clock = {"now": datetime.combine(FIRST, time(7, 30)).astimezone()}
    with HistoryStore(data_dir / "history.sqlite3", now=lambda: clock["now"]) as store:
        for week in range(6):
            for weekday in (0, 2, 4):
                day = FIRST + timedelta(days=7 * week + weekday)
                clock["now"] = datetime.combine(day, time(7, 30)).astimezone()
                before, after = 3 + (week == 3), 3 + (week == 3) * 3 - (week >= 4)
                number = store.start_session(
                    "runners-daily-core", "Runner's daily core", "", 60.0,
                    pain_before=before, planned_steps=2,
                )  # fmt: skip
                stop = week == 3 and weekday == 2
                for index, exercise in enumerate(("Front plank", "Side plank")):
                    if stop and index == 1:
                        break
                    store.record_step(
                        number, index=index, kind="work", exercise=exercise, set=1,
                        side=None, planned_seconds=30.0, actual_seconds=30.0, skipped=False,
                    )  # fmt: skip
                if stop:
                    store.flag_step_pain(number, 0)
                store.finish_session(number, "stopped" if stop else "completed", 30.0, 0.0)
                store.set_checkin(number, pain_after=after, rpe=5)
                if weekday == 4 and week == 1:
                    store.set_checkin(number, note="Tight after a long run")
                if weekday == 0:
                    store.record_morning(day + timedelta(days=1), Morning.SAME)
                if week == 3 and weekday == 2:
                    level = Level("runners-daily-core", None, "Runner's daily core")
                    easier = Level("runners-daily-core", None, "Runner's daily core, easier")
                    shown = Suggestion(
                        number, "runners-daily-core", Outcome.STEP_BACK, "stopped-for-pain",
                        "you stopped for pain", level, easier,
                    )  # fmt: skip
                    store.show_suggestion(shown, number)
                    store.answer_suggestion(number, accepted=True)
                    store.record_red_flags(
                        Why.PAIN_HIGH, {"leg-pain": True, "saddle": False}, session_id=number
                    )


def history_json(data_dir: Path) -> list[dict[str, object]]:
    top = build_parser()
    args = top.parse_args(["history", "--json", "--data-dir", str(data_dir)])
    out = io.StringIO()
    assert history_cli.run(args, resolve_paths(args.data_dir), stdout=out) == 0
    sessions: list[dict[str, object]] = json.loads(out.getvalue())
    return sessions


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    [line] = [line for line in info.stdout.splitlines() if line.startswith("Pages:")]
    return int(line.split()[1])


def mean(values: list[int]) -> str:
    return "-" if not values else f"{sum(values) / len(values):.1f}"


def test_the_report_has_every_section_and_the_figures_of_history_json(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    six_weeks(data_dir)
    pdf = tmp_path / "report.pdf"
    code = main(["--data-dir", str(data_dir), "report", "--weeks", "6", "-o", str(pdf)])
    assert code == 0, capsys.readouterr().err
    assert "18 sessions in 6 weeks" in capsys.readouterr().out
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    for heading in SECTIONS:
        assert heading in text
    assert pages(pdf) <= 2

    exported = history_json(data_dir)
    assert len(exported) == 18
    rows = [line.split() for line in text.splitlines()]
    for week in range(6):
        start = FIRST + timedelta(days=7 * week)
        days = {start + timedelta(days=n) for n in range(7)}
        mine = [s for s in exported if datetime.fromisoformat(str(s["started_at"])).date() in days]
        completion = [float(str(s["completion"])) for s in mine]
        expected = [
            str(week + 1), str(start.day), f"{start:%b}",
            str(len(mine)), str(sum(s["status"] == "completed" for s in mine)),
            f"{sum(completion) / len(completion) * 100:.0f}%",
            mean([int(str(s["pain_before"])) for s in mine]),
            mean([int(str(s["pain_after"])) for s in mine]),
        ]  # fmt: skip
        assert expected in [row[: len(expected)] for row in rows], (expected, text)
    assert "Tight after a long run" in flat
    assert "Front plank, set 1" in flat  # the step of the stop for pain
    assert "You stopped for pain" in flat and "accepted" in flat
    assert "Pain spreading or shooting" in flat  # the red flag answered yes
    assert "same" in flat


def test_no_history_yet_writes_a_report_that_says_so(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "empty.pdf"
    assert main(["--data-dir", str(data_dir), "report", "--weeks", "2", "-o", str(pdf)]) == 0
    assert not (data_dir / "history.sqlite3").exists()
    text = pdf_text(pdf)
    assert "0 sessions" in text and "No stops for pain." in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--weeks", "0"], "a report covers 1 to 52 weeks, not 0"),
        (["--weeks", "six"], "'six' is not a whole number of weeks"),
    ],
)
def test_bad_weeks_are_a_usage_error(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--data-dir", str(data_dir), "report", *options, "-o", str(tmp_path / "r.pdf")])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_a_folder_that_is_not_there_is_said(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "r.pdf"
    assert main(["--data-dir", str(data_dir), "report", "-o", str(target)]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_the_chosen_plan_gives_the_adherence_of_today_json(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    six_weeks(data_dir)
    Settings(resolve_paths(str(data_dir)).settings_file).choose_plan("runners-back-care", FIRST)
    assert main(["--data-dir", str(data_dir), "today", "--json"]) == 0
    weeks = json.loads(capsys.readouterr().out)["adherence"]
    started = [week for week in weeks if not week["future"]]
    assert len(started) == 6
    done, planned = sum(w["done"] for w in started), sum(w["planned"] for w in started)
    pdf = tmp_path / "plan.pdf"
    assert main(["--data-dir", str(data_dir), "report", "-o", str(pdf)]) == 0
    flat = " ".join(pdf_text(pdf).split())
    assert (
        f"Plan: Runner's back-care plan. Days done of days planned in these weeks: "
        f"{done} of {planned}." in flat
    )
    assert 0 < done < planned
    # The plan's ladder, and the rung reached (the step back accepted in week 4).
    assert (
        "Levels: Core: knee planks < Core: 20 s planks < Runner's daily core < Core: 40 s "
        "planks < Core: leg-lift planks. Now at level 3 of 5: Runner's daily core." in flat
    )


def test_a_run_of_the_same_suggestion_is_one_row() -> None:
    from routine_timer.storage.backcare import SuggestionRecord
    from routine_timer.ui.report_pdf import suggestion_rows

    def shown(day: int, text: str, answer: str | None) -> SuggestionRecord:
        return SuggestionRecord(
            day, "core", date(2026, 3, day), Outcome.STOP, "red-flag", text, "Core", "",
            None, None, answer,
        )  # fmt: skip

    rows = suggestion_rows(
        [shown(2, "a", "accepted"), shown(3, "b", None), shown(4, "b", None), shown(5, "b", "x")]
    )
    assert [row[0] for row in rows] == ["2 Mar", "3 Mar-4 Mar (2)", "5 Mar"]


def test_history_json_has_the_back_care_data_and_it_gives_the_reports_figures(
    data_dir: Path,
) -> None:
    six_weeks(data_dir)
    exported = history_json(data_dir)
    with HistoryStore(data_dir / "history.sqlite3") as store:
        report = build_report(store, 6, TODAY)
    back = [session["back_care"] for session in exported]
    assert all(isinstance(care, dict) for care in back)
    day_of = [datetime.fromisoformat(str(s["started_at"])).date() for s in exported]

    # Pain before and after by week, and the 7-day rolling mean at each week's end.
    ratings: dict[date, list[int]] = {}
    for session, day in zip(exported, day_of, strict=True):
        for key in ("pain_before", "pain_after"):
            if session[key] is not None:
                ratings.setdefault(day, []).append(int(str(session[key])))
    daily = {day: sum(values) / len(values) for day, values in ratings.items()}
    for week in report.weeks:
        mine = [s for s, d in zip(exported, day_of, strict=True) if week.first <= d <= week.last]
        assert week.sessions == len(mine)
        assert week.completed == sum(s["status"] == "completed" for s in mine)
        befores = [int(str(s["pain_before"])) for s in mine]
        assert week.pain_before == pytest.approx(sum(befores) / len(befores))
        window = [daily[d] for d in daily if week.last - timedelta(days=6) <= d <= week.last]
        assert week.rolling_mean == pytest.approx(sum(window) / len(window))
    # Stops for pain, next-morning answers, suggestions with answers, red flags.
    assert len(report.stops) == sum(bool(care["stopped_for_pain"]) for care in back) == 1
    mornings = {
        day + timedelta(days=1): care["morning_after"]
        for care, day in zip(back, day_of, strict=True)
        if care["morning_after"] is not None
    }
    assert {day: answer.value for day, answer in report.mornings.items()} == mornings
    assert len(mornings) == 6
    suggestions = [care["suggestion"] for care in back if care["suggestion"] is not None]
    assert [(s.outcome.value, s.text, s.answer) for s in report.suggestions] == [
        (s["outcome"], s["text"], s["answer"]) for s in suggestions
    ]
    assert suggestions[0]["answer"] == "accepted" and suggestions[0]["answered_at"]
    flags = [check for care in back for check in care["red_flags"]]
    assert len(report.red_flags) == len(flags) == 1
    assert flags[0]["why"] == "pain-high" and flags[0]["answers"]["leg-pain"] is True
    assert [q for q, yes in flags[0]["answers"].items() if yes] == sorted(report.red_flags[0].yes)


def test_history_json_with_back_care_is_what_json_dumps_writes(data_dir: Path) -> None:
    six_weeks(data_dir)
    top = build_parser()
    args = top.parse_args(["history", "--json", "--steps", "--data-dir", str(data_dir)])
    out = io.StringIO()
    assert history_cli.run(args, resolve_paths(args.data_dir), stdout=out) == 0
    text = out.getvalue()
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
