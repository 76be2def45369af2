"""Days and months in words, whatever the system locale."""

from __future__ import annotations

from datetime import date, datetime

from routine_timer.core.calendar_text import day_text, long_day, month_name, short_day


def test_days_read_the_same_on_every_screen() -> None:
    day = date(2026, 3, 18)
    assert (short_day(day), day_text(day), long_day(day)) == (
        "18 Mar",
        "18 Mar 2026",
        "Wed 18 Mar 2026",
    )
    assert [month_name(date(2026, month, 1)) for month in (1, 12)] == ["Jan", "Dec"]
    assert long_day(datetime(2026, 12, 6, 23, 59)) == "Sun 6 Dec 2026"
