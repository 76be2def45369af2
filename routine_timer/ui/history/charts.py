"""The progress charts, painted by hand (QtCharts is deprecated): a glance should be enough.

* :class:`ActivityHeatMap` - a calendar of active days, a column per week, darker for
  more minutes, with a tooltip per day.
* :class:`WeeklyMinutesChart` - active minutes per week as bars on a labelled axis.
* :class:`PainChart` - back pain before and after routines over time, two lines.
* :class:`AdherenceChart` - the chosen plan's block, week by week: planned against
  done per routine.

Each widget computes its geometry in plain methods (:meth:`ActivityHeatMap.cells`,
:meth:`WeeklyMinutesChart.bars`, :meth:`PainChart.segments`, ...) that paint code and
tests share. Colours come from the widget's palette, blended with one accent per
chart, so they read in light and dark schemes alike; the two pain lines differ in
shape too (hollow and dashed before, filled and solid after), not only in colour.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from routine_timer.core.calendar_text import DAY_NAMES, long_day, month_name, short_day
from routine_timer.core.programme import Kind, WeekAdherence
from routine_timer.core.stats import PainPoint, WeekMinutes


def minutes_text(minutes: float) -> str:
    """``45 min``, ``1 h 05 min``."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"


def blend(first: QColor, second: QColor, share: float) -> QColor:
    """``first`` mixed with ``share`` (0..1) of ``second``."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * share,
        first.greenF() + (second.greenF() - first.greenF()) * share,
        first.blueF() + (second.blueF() - first.blueF()) * share,
    )


def is_dark(palette: QPalette) -> bool:
    """True for a dark scheme (light text on a dark window)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to at least ``top``: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 10.0, 20.0, 30.0]
    rough = top / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    steps = math.ceil(top / step - 1e-9)
    return [step * n for n in range(steps + 1)]


class _Chart(QWidget):
    """What the charts share: palette colours, a message when empty, tooltips."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def _text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _faint(self, share: float) -> QColor:
        """The text colour faded into the background (grid lines, empty cells)."""
        return blend(self.palette().color(QPalette.ColorRole.Window), self._text_colour(), share)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def tooltip_at(self, pos: QPointF) -> str | None:
        """The tooltip for a point of the widget (None: none there)."""
        raise NotImplementedError

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _draw_message(self, painter: QPainter, text: str) -> None:
        painter.setPen(self._faint(0.7))
        painter.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), text)


# -- heat map ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayCell:
    """One day of the heat map: its minutes, its shade (0 none .. 4 most) and where it is."""

    day: date
    minutes: float
    level: int
    rect: QRectF


HEAT_LEVELS = 4


def heat_level(minutes: float, most: float) -> int:
    """The shade of a day: 0 without exercise, else 1-4 in quarters of the busiest day."""
    if minutes <= 0 or most <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * minutes / most - 1e-9)))


class ActivityHeatMap(_Chart):
    """A calendar of the last weeks, GitHub-style: a column per week, Monday on top.

    ``ActivityHeatMap(parent=None, *, weeks=None)``: ``weeks`` fixes the number of
    columns; by default it is as many as fit the width, from 26 to 52.
    :meth:`set_data` takes active minutes per day (``stats.active_days``) and today.
    Hovering a day shows its date and minutes.
    """

    MIN_WEEKS, MAX_WEEKS = 26, 52
    MAX_CELL = 22.0
    GAP = 0.18
    """Space between cells, as a share of a cell."""

    def __init__(self, parent: QWidget | None = None, *, weeks: int | None = None) -> None:
        super().__init__(parent)
        self._fixed_weeks = weeks
        self._minutes: dict[date, float] = {}
        self._today = date.today()

    def sizeHint(self) -> QSize:
        line = self._metrics().height()
        return QSize(900, int(7 * 18 + 3 * line + 16))

    def minimumSizeHint(self) -> QSize:
        line = self._metrics().height()
        return QSize(300, int(7 * 9 + 3 * line + 16))

    def set_data(self, active_days: Mapping[date, float], today: date) -> None:
        """Show ``active_days`` (minutes per day, days without exercise absent) up to ``today``."""
        self._minutes = dict(active_days)
        self._today = today
        self.update()

    # -- geometry --------------------------------------------------------

    def _label_width(self) -> float:
        return self._metrics().horizontalAdvance("Wed") + 8

    def weeks(self) -> int:
        """How many week columns are shown."""
        if self._fixed_weeks is not None:
            return self._fixed_weeks
        fits = int((self.width() - self._label_width()) // 17)
        return max(self.MIN_WEEKS, min(self.MAX_WEEKS, fits))

    def first_day(self) -> date:
        """The Monday at the top of the first column."""
        this_monday = self._today - timedelta(days=self._today.weekday())
        return this_monday - timedelta(weeks=self.weeks() - 1)

    def _cell_size(self) -> float:
        line = self._metrics().height()
        width = (self.width() - self._label_width() - 4) / self.weeks()
        height = (self.height() - 2 * line - 12) / 7
        return max(4.0, min(self.MAX_CELL, width, height))

    def _origin(self) -> QPointF:
        return QPointF(self._label_width(), self._metrics().height() + 4)

    def most_minutes(self) -> float:
        """The busiest shown day's minutes (the top shade)."""
        first = self.first_day()
        return max(
            (m for day, m in self._minutes.items() if first <= day <= self._today), default=0.0
        )

    def cells(self) -> list[DayCell]:
        """Every shown day from :meth:`first_day` to today, oldest first."""
        size = self._cell_size()
        inner = size * (1 - self.GAP)
        origin = self._origin()
        most = self.most_minutes()
        first = self.first_day()
        cells = []
        for offset in range((self._today - first).days + 1):
            day = first + timedelta(days=offset)
            column, row = divmod(offset, 7)
            rect = QRectF(origin.x() + column * size, origin.y() + row * size, inner, inner)
            minutes = self._minutes.get(day, 0.0)
            cells.append(DayCell(day, minutes, heat_level(minutes, most), rect))
        return cells

    def cell_at(self, pos: QPointF) -> DayCell | None:
        """The day under ``pos``, if any."""
        for cell in self.cells():
            if cell.rect.adjusted(-1, -1, 1, 1).contains(pos):
                return cell
        return None

    def active_day_count(self) -> int:
        """Days with exercise among those shown."""
        return sum(1 for cell in self.cells() if cell.level > 0)

    def summary(self) -> str:
        """The line under the grid: "3 active days in the last 26 weeks"."""
        active = self.active_day_count()
        return f"{active} active day{'' if active == 1 else 's'} in the last {self.weeks()} weeks"

    def tooltip_at(self, pos: QPointF) -> str | None:
        cell = self.cell_at(pos)
        if cell is None:
            return None
        if cell.minutes <= 0:
            return f"{long_day(cell.day)}: no exercise"
        return f"{long_day(cell.day)}: {minutes_text(cell.minutes)}"

    def shade(self, level: int) -> QColor:
        """The colour of a cell of ``level`` in the current palette."""
        if level <= 0:
            return self._faint(0.10)
        accent = QColor("#39D353" if is_dark(self.palette()) else "#1A7F37")
        return blend(self._faint(0.10), accent, 0.25 + 0.75 * level / HEAT_LEVELS)

    # -- painting --------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cells = self.cells()
        size = self._cell_size()
        metrics = self._metrics()
        origin = self._origin()
        painter.setPen(Qt.PenStyle.NoPen)
        shades = [self.shade(level) for level in range(HEAT_LEVELS + 1)]
        for cell in cells:
            painter.setBrush(shades[cell.level])
            painter.drawRoundedRect(cell.rect, size * 0.15, size * 0.15)
        today = cells[-1].rect
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self._text_colour(), 1.5))
        painter.drawRoundedRect(today.adjusted(-1, -1, 1, 1), size * 0.2, size * 0.2)

        painter.setPen(self._faint(0.75))
        for row in (0, 2, 4):  # Mon, Wed, Fri, as calendars label them
            box = QRectF(0, origin.y() + row * size, self._label_width() - 6, size * (1 - self.GAP))
            painter.drawText(
                box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                DAY_NAMES[row],
            )
        last_label = -10.0
        for cell in cells:
            if (cell.day.day <= 7 and cell.day.weekday() == 0) or cell is cells[0]:
                x = cell.rect.left()
                label = month_name(cell.day)
                if x - last_label >= metrics.horizontalAdvance(label) + 6:
                    painter.drawText(QPointF(x, metrics.ascent()), label)
                    last_label = x

        bottom = origin.y() + 7 * size + 4
        line = metrics.height()
        painter.setPen(self._faint(0.85))
        painter.drawText(QPointF(origin.x(), bottom + metrics.ascent()), self.summary())
        # Legend: Less [] [] [] [] [] More, right-aligned under the grid.
        swatch = min(size * (1 - self.GAP), line * 0.8)
        right = origin.x() + self.weeks() * size
        more_width = metrics.horizontalAdvance("More")
        x = right - more_width
        painter.drawText(QPointF(x, bottom + metrics.ascent()), "More")
        x -= 4 + (HEAT_LEVELS + 1) * (swatch + 3)
        painter.drawText(
            QPointF(x - 4 - metrics.horizontalAdvance("Less"), bottom + metrics.ascent()), "Less"
        )
        painter.setPen(Qt.PenStyle.NoPen)
        for level in range(HEAT_LEVELS + 1):
            painter.setBrush(shades[level])
            top = bottom + (line - swatch) / 2
            painter.drawRoundedRect(QRectF(x, top, swatch, swatch), 2, 2)
            x += swatch + 3


# -- minutes per week ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One week's bar: its Monday, minutes and rectangle; ``current`` for this week."""

    monday: date
    minutes: float
    rect: QRectF
    current: bool


class WeeklyMinutesChart(_Chart):
    """Active minutes per week as bars, oldest on the left, with a minutes axis.

    ``WeeklyMinutesChart(parent=None)``; :meth:`set_data` takes
    ``stats.weekly_minutes(...)`` (the last 12 weeks, this week last). This
    week's bar is lighter: it is not over yet.
    """

    BAR_SHARE = 0.62

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[WeekMinutes] = []

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 140)

    def set_data(self, weeks: Sequence[WeekMinutes]) -> None:
        """Show ``weeks``, oldest first; the last is the current week."""
        self._weeks = list(weeks)
        self.update()

    def ticks(self) -> list[float]:
        """The values marked on the minutes axis, from 0 to the top of the axis."""
        return nice_ticks(max((w.minutes for w in self._weeks), default=0.0))

    def plot_rect(self) -> QRectF:
        """The area the bars stand in (the axis at its bottom edge)."""
        metrics = self._metrics()
        left = max(metrics.horizontalAdvance(f"{tick:g}") for tick in self.ticks()) + 10
        top = metrics.height() * 1.6
        bottom = metrics.height() + 8
        return QRectF(
            left, top, max(1.0, self.width() - left - 6), max(1.0, self.height() - top - bottom)
        )

    def _y(self, minutes: float, plot: QRectF) -> float:
        return plot.bottom() - plot.height() * minutes / self.ticks()[-1]

    def bars(self) -> list[Bar]:
        """A bar per week; height proportional to minutes (the top tick = full height)."""
        if not self._weeks:
            return []
        plot = self.plot_rect()
        slot = plot.width() / len(self._weeks)
        width = slot * self.BAR_SHARE
        bars = []
        for number, week in enumerate(self._weeks):
            top = self._y(week.minutes, plot)
            left = plot.left() + number * slot + (slot - width) / 2
            rect = QRectF(left, top, width, plot.bottom() - top)
            bars.append(Bar(week.monday, week.minutes, rect, number == len(self._weeks) - 1))
        return bars

    def label_every(self) -> int:
        """Label every n-th week so the dates do not overlap."""
        if not self._weeks:
            return 1
        slot = self.plot_rect().width() / len(self._weeks)
        widest = self._metrics().horizontalAdvance("30 Sep") + 6
        return max(1, math.ceil(widest / slot))

    def tooltip_at(self, pos: QPointF) -> str | None:
        for bar in self.bars():
            column = QRectF(
                bar.rect.left() - 4,
                self.plot_rect().top(),
                bar.rect.width() + 8,
                self.plot_rect().height(),
            )
            if column.contains(pos):
                so_far = " so far" if bar.current else ""
                return f"Week of {long_day(bar.monday)}: {minutes_text(bar.minutes)}{so_far}"
        return None

    def bar_colour(self, current: bool) -> QColor:
        """Past weeks in the accent colour; this week paler."""
        accent = QColor("#58A6FF" if is_dark(self.palette()) else "#0969DA")
        return blend(self._faint(0.1), accent, 0.55 if current else 1.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self._metrics()
        plot = self.plot_rect()
        for tick in self.ticks():
            y = self._y(tick, plot)
            painter.setPen(QPen(self._faint(0.18 if tick else 0.5), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self._faint(0.75))
            label = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            painter.drawText(
                label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{tick:g}"
            )
        painter.drawText(QPointF(0, metrics.ascent()), "min")
        every = self.label_every()
        bars = self.bars()
        for number, bar in enumerate(bars):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.bar_colour(bar.current))
            painter.drawRoundedRect(bar.rect.adjusted(0, 0, 0, 0.5), 2, 2)
            painter.setPen(self._faint(0.85))
            if bar.minutes > 0 and metrics.horizontalAdvance("999") < bar.rect.width() + 10:
                value = QRectF(
                    bar.rect.left() - 10,
                    bar.rect.top() - metrics.height() - 2,
                    bar.rect.width() + 20,
                    metrics.height(),
                )
                painter.drawText(value, int(Qt.AlignmentFlag.AlignCenter), f"{round(bar.minutes)}")
            # Label from the newest week back, so this week always has its date.
            if (len(bars) - 1 - number) % every == 0:
                painter.setPen(self._faint(0.75))
                text = "This week" if bar.current and every == 1 else short_day(bar.monday)
                centre = bar.rect.center().x()
                box = QRectF(centre - 40, plot.bottom() + 4, 80, metrics.height())
                painter.drawText(
                    box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), text
                )
        if not any(bar.minutes > 0 for bar in bars):
            self._draw_message(painter, "No exercise in these weeks yet")


# -- pain before and after -------------------------------------------------------

BEFORE, AFTER = "before", "after"


@dataclass(frozen=True, slots=True)
class PainMark:
    """One rating on the chart: the day, the (daily mean) pain and where it is drawn."""

    day: date
    pain: float
    point: QPointF


class PainChart(_Chart):
    """Back pain before and after routines, a point per day, over the last ``days`` days.

    ``PainChart(parent=None, *, days=91)``; :meth:`set_data` takes
    ``stats.pain_trend(...)`` and today. "Before" is a dashed line with hollow
    points, "after" a solid line with filled points. A line breaks where a day
    has a rating for the other line only, and across more than
    :data:`GAP_DAYS` days without any rating, so nothing is drawn where
    nothing was said.
    """

    GAP_DAYS = 7
    LOWEST, HIGHEST = 0, 10

    def __init__(self, parent: QWidget | None = None, *, days: int = 91) -> None:
        super().__init__(parent)
        self.days = days
        self._points: list[PainPoint] = []
        self._today = date.today()

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 140)

    def set_data(self, points: Sequence[PainPoint], today: date) -> None:
        """Show ``points`` (a mean per day, oldest first) of the ``days`` days up to ``today``."""
        self._points = sorted(points, key=lambda point: point.day)
        self._today = today
        self.update()

    def first_day(self) -> date:
        return self._today - timedelta(days=self.days - 1)

    def shown(self) -> list[PainPoint]:
        """The points within the shown days."""
        first = self.first_day()
        return [point for point in self._points if first <= point.day <= self._today]

    def plot_rect(self) -> QRectF:
        metrics = self._metrics()
        left = metrics.horizontalAdvance("10") + 10
        top = metrics.height() * 1.8  # the legend
        bottom = metrics.height() + 8
        return QRectF(
            left, top, max(1.0, self.width() - left - 10), max(1.0, self.height() - top - bottom)
        )

    def x_of(self, day: date) -> float:
        plot = self.plot_rect()
        return plot.left() + plot.width() * (day - self.first_day()).days / max(1, self.days - 1)

    def y_of(self, pain: float) -> float:
        plot = self.plot_rect()
        return plot.bottom() - plot.height() * (pain - self.LOWEST) / (self.HIGHEST - self.LOWEST)

    def _mark(self, day: date, pain: float) -> PainMark:
        return PainMark(day, pain, QPointF(self.x_of(day), self.y_of(pain)))

    def marks(self, series: str) -> list[PainMark]:
        """The points of ``series`` (:data:`BEFORE` or :data:`AFTER`)."""
        marks = []
        for point in self.shown():
            pain = point.before if series == BEFORE else point.after
            if pain is not None:
                marks.append(
                    PainMark(point.day, pain, QPointF(self.x_of(point.day), self.y_of(pain)))
                )
        return marks

    def segments(self, series: str) -> list[list[PainMark]]:
        """The connected runs of ``series``: each run is drawn as one line."""
        runs: list[list[PainMark]] = []
        current: list[PainMark] = []
        previous_day: date | None = None
        for point in self.shown():
            pain = point.before if series == BEFORE else point.after
            too_far = previous_day is not None and (point.day - previous_day).days > self.GAP_DAYS
            if pain is None or too_far:
                if current:
                    runs.append(current)
                current = []
            if pain is not None:
                current.append(
                    PainMark(point.day, pain, QPointF(self.x_of(point.day), self.y_of(pain)))
                )
            previous_day = point.day
        if current:
            runs.append(current)
        return runs

    def series_colour(self, series: str) -> QColor:
        dark = is_dark(self.palette())
        if series == BEFORE:
            return QColor("#79C0FF" if dark else "#0969DA")
        return QColor("#FFA657" if dark else "#BC4C00")

    def tooltip_at(self, pos: QPointF) -> str | None:
        nearest = min(self.shown(), key=lambda p: abs(self.x_of(p.day) - pos.x()), default=None)
        if nearest is None or abs(self.x_of(nearest.day) - pos.x()) > 8:
            return None

        def rated(value: float | None) -> str:
            return "-" if value is None else f"{value:.1f}".removesuffix(".0")

        return (
            f"{long_day(nearest.day)}\nPain before: {rated(nearest.before)}"
            f"\nPain after: {rated(nearest.after)}"
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self._metrics()
        plot = self.plot_rect()
        for pain in range(self.LOWEST, self.HIGHEST + 1, 2):
            y = self.y_of(pain)
            painter.setPen(QPen(self._faint(0.18 if pain else 0.5), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self._faint(0.75))
            label = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            painter.drawText(
                label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(pain)
            )
        # Month names under the first of each month.
        day = self.first_day()
        while day <= self._today:
            if day.day == 1 or day == self.first_day():
                x = self.x_of(day)
                painter.setPen(QPen(self._faint(0.5), 1))
                painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
                painter.setPen(self._faint(0.75))
                painter.drawText(
                    QPointF(x + 2, plot.bottom() + 4 + metrics.ascent()),
                    short_day(day) if day.day != 1 else month_name(day),
                )
            day += timedelta(days=1)
        self._draw_legend(painter)
        if not self.shown():
            self._draw_message(painter, "No pain ratings in these weeks")
            return
        radius = max(2.5, min(4.0, plot.width() / self.days / 1.5))
        for series in (BEFORE, AFTER):
            colour = self.series_colour(series)
            line = QPen(colour, 2)
            line.setStyle(Qt.PenStyle.DashLine if series == BEFORE else Qt.PenStyle.SolidLine)
            for run in self.segments(series):
                painter.setPen(line)
                for first, second in itertools.pairwise(run):
                    painter.drawLine(first.point, second.point)
                painter.setPen(QPen(colour, 1.5))
                painter.setBrush(
                    self.palette().color(QPalette.ColorRole.Window) if series == BEFORE else colour
                )
                for mark in run:
                    painter.drawEllipse(mark.point, radius, radius)

    def _draw_legend(self, painter: QPainter) -> None:
        metrics = self._metrics()
        y = metrics.height() * 0.7
        x = self._metrics().horizontalAdvance("10") + 10
        painter.setPen(self._faint(0.75))
        painter.drawText(QPointF(0, y + metrics.ascent() / 2 - 1), "pain")
        x += metrics.horizontalAdvance("pain")
        for series, label in ((BEFORE, "Before the routine"), (AFTER, "After")):
            colour = self.series_colour(series)
            pen = QPen(colour, 2)
            pen.setStyle(Qt.PenStyle.DashLine if series == BEFORE else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 22, y))
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(
                self.palette().color(QPalette.ColorRole.Window) if series == BEFORE else colour
            )
            painter.drawEllipse(QPointF(x + 11, y), 3.5, 3.5)
            painter.setPen(self._text_colour())
            painter.drawText(QPointF(x + 28, y + metrics.ascent() / 2 - 1), label)
            x += 28 + metrics.horizontalAdvance(label) + 18


# -- a plan's weeks: planned against done per routine ------------------------------


@dataclass(frozen=True, slots=True)
class AdherenceCell:
    """One routine in one week of the block: its cell, and how full it is."""

    week: int
    row: int
    rect: QRectF
    planned: int
    done: int
    future: bool
    current: bool

    @property
    def share(self) -> float:
        return self.done / self.planned if self.planned else 0.0


class AdherenceChart(_Chart):
    """A plan's block, week by week: a row per routine, a column per week.

    ``AdherenceChart(parent=None)``; :meth:`set_data` takes
    ``programme.Progress.weeks`` and the routines' names. Each cell fills from
    the left with the share of its planned days that were done, and says
    ``done/planned`` where it fits; a week not begun yet is an empty outline,
    this week is outlined in the accent colour, a week in which the routine is
    not planned (the re-test before the last week) is left blank.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[WeekAdherence] = []
        self._labels: list[str] = []
        self._keys: list[tuple[str, str]] = []
        self._current: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(560, 40 + 30 * max(3, len(self._labels)))

    def minimumSizeHint(self) -> QSize:
        return QSize(280, 28 + 18 * max(3, len(self._labels)))

    def set_data(
        self,
        weeks: Sequence[WeekAdherence],
        names: Mapping[str, str],
        current: int | None = None,
    ) -> None:
        """Show ``weeks``; ``current`` is this week's number (None: outside the block)."""
        self._weeks = list(weeks)
        self._current = current
        keys: dict[tuple[str, str], str] = {}
        for week in self._weeks:
            for row in week.rows:
                key = (row.item.routine_id, row.item.kind.value)
                name = names.get(row.item.routine_id, row.item.routine_id)
                keys.setdefault(key, f"{name} (re-test)" if row.item.kind is Kind.RETEST else name)
        self._keys = list(keys)
        self._labels = list(keys.values())
        self.updateGeometry()
        self.update()

    @property
    def labels(self) -> list[str]:
        """The routines' names, a row each, top to bottom."""
        return list(self._labels)

    def plot_rect(self) -> QRectF:
        metrics = self._metrics()
        widest = max((metrics.horizontalAdvance(label) for label in self._labels), default=0)
        left = min(widest + 12, self.width() * 0.4)
        top = metrics.height() + 6
        return QRectF(
            left, top, max(1.0, self.width() - left - 4), max(1.0, self.height() - top - 4)
        )

    def cells(self) -> list[AdherenceCell]:
        """Every planned routine-week, in week order."""
        if not self._weeks or not self._keys:
            return []
        plot = self.plot_rect()
        column = plot.width() / len(self._weeks)
        line = plot.height() / len(self._keys)
        found = []
        for number, week in enumerate(self._weeks):
            for row in week.rows:
                index = self._keys.index((row.item.routine_id, row.item.kind.value))
                rect = QRectF(
                    plot.left() + number * column + 1.5,
                    plot.top() + index * line + 1.5,
                    max(1.0, column - 3),
                    max(1.0, line - 3),
                )
                found.append(
                    AdherenceCell(
                        week.week, index, rect, row.planned, row.done, week.future,
                        week.week == self._current,
                    )
                )  # fmt: skip
        return found

    def tooltip_at(self, pos: QPointF) -> str | None:
        for cell in self.cells():
            if cell.rect.contains(pos):
                week = self._weeks[cell.week - 1]
                name = self._labels[cell.row]
                when = "not begun" if cell.future else f"{cell.done} of {cell.planned} days done"
                return f"Week {cell.week} (from {short_day(week.start)}), {name}: {when}"
        return None

    def accent(self) -> QColor:
        return QColor("#3FB950" if is_dark(self.palette()) else "#1A7F37")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._weeks:
            self._draw_message(painter, "Choose a plan to see its weeks here")
            return
        metrics = self._metrics()
        plot = self.plot_rect()
        column = plot.width() / len(self._weeks)
        every = max(1, math.ceil((metrics.horizontalAdvance("W12") + 6) / column))
        painter.setPen(self._faint(0.75))
        for number, week in enumerate(self._weeks):
            if number % every == 0 or week.week == self._current:
                box = QRectF(plot.left() + number * column, 0, column, metrics.height())
                painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), f"W{week.week}")
        line = plot.height() / max(1, len(self._labels))
        for index, label in enumerate(self._labels):
            box = QRectF(0, plot.top() + index * line, plot.left() - 8, line)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, box.width())
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown
            )
        accent = self.accent()
        for cell in self.cells():
            painter.setPen(QPen(self._faint(0.35), 1))
            painter.setBrush(self._faint(0.06))
            painter.drawRoundedRect(cell.rect, 3, 3)
            if not cell.future and cell.done:
                # Filled from the left like a progress bar: rows are short, weeks are wide.
                filled = QRectF(
                    cell.rect.left(), cell.rect.top(), cell.rect.width() * cell.share,
                    cell.rect.height(),
                )  # fmt: skip
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(blend(self._faint(0.1), accent, 0.35 + 0.65 * cell.share))
                painter.drawRoundedRect(filled, 3, 3)
            if cell.current:
                painter.setPen(QPen(accent, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(cell.rect, 3, 3)
            text = f"{cell.done}/{cell.planned}"
            if not cell.future and metrics.horizontalAdvance(text) + 4 < cell.rect.width():
                painter.setPen(self._text_colour())
                painter.drawText(cell.rect, int(Qt.AlignmentFlag.AlignCenter), text)
