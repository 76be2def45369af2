"""The hand-painted charts: which days are filled, bar heights, pain lines and their gaps."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from routine_timer.core.stats import PainPoint, WeekMinutes
from routine_timer.ui.history.charts import (
    AFTER,
    BEFORE,
    ActivityHeatMap,
    PainChart,
    WeeklyMinutesChart,
    heat_level,
    nice_ticks,
)

TODAY = date(2026, 3, 18)  # a Wednesday


def test_heat_levels_are_quarters_of_the_busiest_day() -> None:
    assert [heat_level(m, 40) for m in (0, 1, 10, 10.5, 20, 30, 40)] == [0, 1, 1, 2, 2, 3, 4]
    assert heat_level(5, 0) == 0


def test_heat_map_fills_the_active_days(qtbot: QtBot) -> None:
    chart = ActivityHeatMap(weeks=26)
    qtbot.addWidget(chart)
    chart.resize(700, 220)
    active = {TODAY: 40.0, TODAY - timedelta(days=1): 10.0, date(2026, 1, 5): 25.0}
    active[date(2025, 1, 1)] = 500.0  # before the shown weeks: ignored, even for the scale
    chart.set_data(active, TODAY)
    cells = chart.cells()
    assert chart.first_day() == date(2025, 9, 22)  # a Monday, 26 columns back
    assert cells[0].day == chart.first_day() and cells[-1].day == TODAY
    assert len(cells) == 25 * 7 + 3  # this week up to Wednesday
    filled = {cell.day: cell.level for cell in cells if cell.level}
    assert filled == {TODAY: 4, TODAY - timedelta(days=1): 1, date(2026, 1, 5): 3}
    assert chart.active_day_count() == 3
    assert chart.summary() == "3 active days in the last 26 weeks"
    chart.set_data({TODAY: 5.0}, TODAY)
    assert chart.summary() == "1 active day in the last 26 weeks"
    chart.set_data(active, TODAY)
    # Monday on top of each column, a column per week.
    last = cells[-1].rect
    assert cells[-3].rect.left() == last.left() and cells[-3].rect.top() < last.top()
    assert cells[-8].rect.left() < last.left()
    assert chart.cell_at(last.center()) == cells[-1]
    assert chart.tooltip_at(last.center()) == "Wed 18 Mar 2026: 40 min"
    assert chart.tooltip_at(cells[-4].rect.center()) == "Sun 15 Mar 2026: no exercise"


def test_heat_map_shows_more_weeks_when_wide(qtbot: QtBot) -> None:
    chart = ActivityHeatMap()
    qtbot.addWidget(chart)
    chart.set_data({}, TODAY)
    chart.resize(300, 200)
    assert chart.weeks() == 26
    chart.resize(2000, 200)
    assert chart.weeks() == 52


def test_nice_ticks() -> None:
    assert nice_ticks(0) == [0, 10, 20, 30]
    assert nice_ticks(55) == [0, 20, 40, 60]
    assert nice_ticks(100) == [0, 25.0, 50.0, 75.0, 100.0] or nice_ticks(100)[-1] >= 100
    assert nice_ticks(7)[-1] >= 7


def weeks(minutes: list[float]) -> list[WeekMinutes]:
    monday = TODAY - timedelta(days=TODAY.weekday())
    count = len(minutes)
    return [
        WeekMinutes(2026, 1, monday - timedelta(weeks=count - 1 - n), value)
        for n, value in enumerate(minutes)
    ]


def test_bar_heights_are_proportional_to_minutes(qtbot: QtBot) -> None:
    chart = WeeklyMinutesChart()
    qtbot.addWidget(chart)
    chart.resize(600, 240)
    chart.set_data(weeks([0, 30, 60, 15]))
    bars = chart.bars()
    assert chart.ticks()[-1] == 60
    plot = chart.plot_rect()
    assert [bar.rect.height() for bar in bars] == pytest.approx(
        [0, plot.height() / 2, plot.height(), plot.height() / 4]
    )
    assert all(bar.rect.bottom() == pytest.approx(plot.bottom()) for bar in bars)
    assert [bar.current for bar in bars] == [False, False, False, True]
    lefts = [bar.rect.left() for bar in bars]
    assert lefts == sorted(lefts)
    assert chart.tooltip_at(bars[2].rect.center()) == "Week of Mon 9 Mar 2026: 1 h 00 min"
    assert chart.tooltip_at(bars[3].rect.center()).endswith("15 min so far")


def test_pain_lines_break_where_there_is_no_rating(qtbot: QtBot) -> None:
    chart = PainChart(days=30)
    qtbot.addWidget(chart)
    chart.resize(600, 240)
    day = TODAY - timedelta(days=20)
    points = [
        PainPoint(day, 5, 3),
        PainPoint(day + timedelta(days=1), 4, None),  # no rating after: the after line breaks
        PainPoint(day + timedelta(days=2), 4, 2),
        PainPoint(day + timedelta(days=12), 3, 2),  # ten days without a rating: both break
        PainPoint(day + timedelta(days=13), None, 1),
        PainPoint(TODAY - timedelta(days=40), 9, 9),  # outside the window
    ]
    chart.set_data(points, TODAY)
    runs = {
        series: [[m.day for m in run] for run in chart.segments(series)]
        for series in (BEFORE, AFTER)
    }
    d = [day + timedelta(days=n) for n in (0, 1, 2, 12, 13)]
    assert runs[BEFORE] == [[d[0], d[1], d[2]], [d[3]]]
    assert runs[AFTER] == [[d[0]], [d[2]], [d[3], d[4]]]
    marks = chart.marks(BEFORE)
    plot = chart.plot_rect()
    assert marks[0].point.y() == pytest.approx(plot.bottom() - plot.height() * 0.5)
    assert marks[0].point.x() < marks[1].point.x()
    assert chart.x_of(TODAY) == pytest.approx(plot.right())
    assert "Pain after: -" in chart.tooltip_at(marks[1].point)


def test_screenshots_of_every_chart(qtbot: QtBot, tmp_path: Path) -> None:
    charts = [ActivityHeatMap(), WeeklyMinutesChart(), PainChart()]
    charts[0].set_data({TODAY - timedelta(days=n): 10.0 + n for n in range(0, 60, 2)}, TODAY)
    charts[1].set_data(weeks([20, 0, 45, 60, 30, 15, 50, 55, 40, 35, 25, 10]))
    charts[2].set_data(
        [PainPoint(TODAY - timedelta(days=n), 5 - n / 20, 4) for n in range(60)], TODAY
    )
    for number, chart in enumerate(charts):
        qtbot.addWidget(chart)
        chart.resize(700, 230)
        image = chart.grab().toImage()
        path = tmp_path / f"chart-{number}.png"
        assert image.save(str(path))
        assert path.stat().st_size > 1000
        # Something besides the background was painted.
        colours = {image.pixel(x, y) for x in range(0, 700, 7) for y in range(0, 230, 5)}
        assert len(colours) > 3


def test_empty_charts_paint_without_data(qtbot: QtBot) -> None:
    for chart in (ActivityHeatMap(), WeeklyMinutesChart(), PainChart()):
        qtbot.addWidget(chart)
        chart.resize(400, 200)
        assert not chart.grab().isNull()
