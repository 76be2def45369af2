"""CSV cells a spreadsheet shows as text and never runs as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from routine_timer.storage.export import csv_cell, csv_chunks
from routine_timer.storage.records import SessionRecord, StepRecord
from routine_timer.storage.rows import session_values, step_values

T0 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)

# What spreadsheet-injection guidance lists (= + - @ tab CR), with NUL and the
# other characters a spreadsheet may drop in front of a formula.
NEUTRALISED = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\t",
    "\r=1",
    "\n=1",
    "\x00=cmd|' /C calc'!A0",
    "\x00",
    "\x01plain",
    "\x1b[31m",
    " =1+1",
    "  \x00 @x",
    "\u200b=1",  # zero-width space
    "\ufeff=1",  # a byte-order mark inside the text
    "\u3000=1",  # ideographic space
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20x",
]
KEPT = ["", " ", "  plain", "plain = fine", "a-b", 'hip, "tight"', "Café", "1e5", "'=already"]


@pytest.mark.parametrize("text", NEUTRALISED)
def test_text_a_spreadsheet_could_run_gets_a_leading_quote(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [0, 5, -5, 2.5, -0.5])
def test_numbers_stay_numbers(value: float) -> None:
    assert csv_cell(value) == value


def test_every_text_column_of_sessions_and_steps_is_neutralised() -> None:
    hostile = '\x00=HYPERLINK("http://x")'
    session = SessionRecord(
        id=1,
        routine_id=hostile,
        routine_name=hostile,
        routine_sha256=hostile,
        started_at=T0,
        ended_at=T0,
        status="completed",
        planned_seconds=60.0,
        active_seconds=60.0,
        paused_seconds=0.0,
        planned_steps=1,
        steps_done=1,
        steps_skipped=0,
        pain_before=None,
        pain_after=None,
        rpe=None,
        note=hostile,
    )
    step = StepRecord(
        id=1,
        session_id=1,
        index=0,
        kind=hostile,
        exercise=hostile,
        set=1,
        side=hostile,
        planned_seconds=30.0,
        actual_seconds=30.0,
        skipped=False,
        stopped_for_pain=False,
        ended_at=T0,
    )
    rows = [((*session_values(session), 1.0), [step_values(step)])]
    text = "".join(csv_chunks(rows, with_steps=True, tz=UTC)).removeprefix("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    columns = ["routine_id", "routine_name", "routine_sha256", "note"]
    columns += ["step_kind", "step_exercise", "step_side"]
    assert {name: row[name] for name in columns} == dict.fromkeys(columns, "'" + hostile)


def test_a_text_cell_is_quoted_exactly_as_the_csv_module_quotes_it() -> None:
    # Exports write their rows themselves; the csv module is the reference.
    from routine_timer.storage.export import _csv_text

    texts = ["", " ", "plain", *NEUTRALISED, *KEPT, "a,b", 'say "hi"', "two\nlines", "cr\r"]
    texts += [f"a{chr(code)}b" for code in range(0x110000) if not 0xD800 <= code < 0xE000]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for text in texts:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(text), "next"])
        assert _csv_text(text) + ",next\r\n" == buffer.getvalue(), repr(text)
