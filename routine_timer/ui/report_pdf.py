"""The report for a physiotherapist as a PDF, with Qt's own QPdfWriter and QTextDocument.

One or two A4 pages: the weeks in a table, pain as a chart (each day's pain
and its 7-day rolling mean), then the next-morning answers, the stops for
pain, the suggestions with their answers, the notes and the warning-sign
answers. The content is :class:`routine_timer.storage.report.BackReport`;
this module only lays it out. Needs a QGuiApplication (fonts).
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from routine_timer.core.progression import Morning
from routine_timer.core.redflags import QUESTIONS, advice
from routine_timer.storage.backcare import SuggestionRecord
from routine_timer.storage.report import BackReport

CHART_URL = QUrl("chart:pain")
_CHART_SIZE = (1600, 480)
_WHY = {
    "first-start": "at the first start",
    "pain-high": "after pain of 7 or more",
    "pain-rose": "after pain rose by 3 or more",
    "asked": "asked for",
}
_ANSWER = {"accepted": "accepted", "declined": "declined", None: "not answered"}


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def suggestion_rows(
    suggestions: Sequence[SuggestionRecord],
) -> list[tuple[str, str, str, str]]:
    """The suggestions' rows: one for a run of sessions that showed the same one with the
    same answer ("12 Nov-20 Nov (8)": from, to, sessions), as a warning sign's does until
    it is cleared."""
    runs: list[list[SuggestionRecord]] = []
    for record in suggestions:
        last = runs[-1][-1] if runs else None
        same = last is not None and (last.level, last.text, last.answer) == (
            record.level, record.text, record.answer
        )  # fmt: skip
        if same:
            runs[-1].append(record)
        else:
            runs.append([record])
    rows = []
    for run in runs:
        first, last = run[0], run[-1]
        day = _short(first.day)
        if len(run) > 1:
            day = f"{day}-{_short(last.day)} ({len(run)})"
        rows.append((day, first.level, first.text, _ANSWER.get(first.answer, str(first.answer))))
    return rows


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def _section(title: str, body: str, empty: str) -> str:
    return f"<h3>{html.escape(title)}</h3>" + (body or f"<p>{html.escape(empty)}</p>")


def report_html(report: BackReport) -> str:
    """The report as the HTML QTextDocument lays out (the chart is :data:`CHART_URL`)."""
    parts = [
        "<h2>Back-care report</h2>",
        f"<p>{_day(report.first)} to {_day(report.last)} ({len(report.weeks)} weeks):"
        f" {report.session_count} sessions. This is a record the runner keeps with"
        " routine-timer; it makes no diagnosis. Pain is rated 0-10, effort 1-10.</p>"
        "<p>Weeks: sessions done (completed, stopped or abandoned), those completed, the"
        " share of their exercise steps done, mean pain before and after, and the 7-day"
        " rolling mean of pain at the week's end.</p>",
    ]
    if report.plan is None:
        routines = ", ".join(f"{name} ({count})" for name, count in report.routines)
        plan = (
            "<p>No training plan was followed: adherence is counted as sessions done and"
            f" completed each week. Routines done: {html.escape(routines or 'none')}.</p>"
        )
    else:
        plan = (
            f"<p>Plan: {html.escape(report.plan.name)}. Days done of days planned in these"
            f" weeks: {report.plan.done} of {report.plan.planned}.</p>"
        )
        for ladder in report.plan.ladders:
            plan += (
                f"<p>Levels: {html.escape(' < '.join(ladder.rungs))}. Now at "
                f"{html.escape(ladder.text)}.</p>"
            )
    parts.append(_section("Plan and adherence", plan, ""))
    weeks = _table(
        ("week", "from", "done", "complete", "share", "pain before",
         "pain after", "7-day mean", "mornings better/same/worse"),
        (
            (
                str(week.number), _short(week.first), str(week.sessions), str(week.completed),
                "-" if week.completion is None else f"{week.completion * 100:.0f}%",
                _number(week.pain_before), _number(week.pain_after),
                _number(week.rolling_mean),
                " / ".join(str(week.mornings[answer]) for answer in Morning),
            )
            for week in report.weeks
        ),
    )  # fmt: skip
    parts.append(_section("Weeks", weeks, ""))
    parts.append(
        "<h3>Pain</h3>"
        f"<p><img src='{CHART_URL.toString()}' width='640' height='192'></p>"
        "<p>Dots: each day's pain (0-10, the mean of its ratings before and after)."
        " Line: the 7-day rolling mean.</p>"
    )
    mornings = ", ".join(f"{_day(day)}: {answer.value}" for day, answer in report.mornings.items())
    parts.append(
        _section(
            "Next-morning checks",
            f"<p>{html.escape(mornings)}</p>" if mornings else "",
            "No next-morning answers.",
        )
    )
    questions = {question.id: question.text for question in QUESTIONS}
    listed = (
        ("Stops for pain", ("day", "routine", "stopped in"), "No stops for pain.",
         [(_short(stop.day), stop.routine_name, stop.step) for stop in report.stops]),
        ("Levels and suggestions", ("day", "level", "suggestion", "answer"),
         "No suggestions were shown.",
         suggestion_rows(report.suggestions)),
        ("Notes", ("day", "routine", "note"), "No notes.",
         [(_short(note.day), note.routine_name, note.text) for note in report.notes]),
        ("Warning signs", ("day", "when", "answered yes", "advice given"),
         "The warning-sign questions were not answered in these weeks.",
         [(_short(check.day), _WHY.get(check.why.value, check.why.value),
           "; ".join(questions[q] for q in sorted(check.yes)) or "none (all no)",
           (advice(check.yes) or "-").split(".")[0])
          for check in report.red_flags]),
    )  # fmt: skip
    for title, headers, empty, rows in listed:
        parts.append(_section(title, _table(headers, rows) if rows else "", empty))
    return "".join(parts)


def pain_chart(report: BackReport) -> QImage:
    """Each day's pain as dots and the 7-day rolling mean as a line, 0-10 over the period."""
    width, height = _CHART_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    left, top, right, bottom = 70.0, 20.0, width - 20.0, height - 50.0
    days = max(1, (report.last - report.first).days)
    font = QFont()
    font.setPixelSize(22)
    painter.setFont(font)

    def x(day: date) -> float:
        return left + (right - left) * (day - report.first).days / days

    def y(pain: float) -> float:
        return bottom - (bottom - top) * pain / 10

    painter.setPen(QPen(QColor("#bbbbbb"), 1))
    for level in range(0, 11, 2):
        painter.drawLine(QPointF(left, y(level)), QPointF(right, y(level)))
        painter.drawText(
            QRectF(0, y(level) - 14, left - 10, 28), Qt.AlignmentFlag.AlignRight, str(level)
        )
    painter.setPen(QPen(QColor("#333333"), 2))
    for number in range(len(report.weeks)):
        start = date.fromordinal(report.first.toordinal() + 7 * number)
        painter.drawText(
            QRectF(x(start), bottom + 8, 160, 30), Qt.AlignmentFlag.AlignLeft, f"week {number + 1}"
        )
    painter.setPen(QPen(QColor("#1f5fa8"), 4))
    rolling = sorted(report.rolling.items())
    for (day, mean), (later, later_mean) in itertools.pairwise(rolling):
        painter.drawLine(QPointF(x(day), y(mean)), QPointF(x(later), y(later_mean)))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#c0392b"))
    for rated, pain in report.pain_by_day.items():
        painter.drawEllipse(QPointF(x(rated), y(pain)), 7, 7)
    painter.end()
    return image


def write_report_pdf(report: BackReport, path: Path) -> None:
    """Write the report to ``path`` as a PDF (A4). Raises OSError when it cannot be written."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    writer.setTitle("Back-care report")
    writer.setCreator("routine-timer")
    document = QTextDocument()
    font = QFont()
    font.setPointSizeF(8.5)
    document.setDefaultFont(font)
    document.addResource(QTextDocument.ResourceType.ImageResource, CHART_URL, pain_chart(report))
    document.setHtml(report_html(report))
    document.print_(writer)
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"the PDF could not be written to {path}")
