"""Session texts wrap between groups, then between parts, then between words."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

from routine_timer.ui.widgets import wrap_words

HINT = "Easier: Heels on the floor, hands together · Harder: Feet off the floor"


def metrics() -> QFontMetricsF:
    QApplication.instance() or QApplication([])
    font = QFont()
    font.setPixelSize(20)
    return QFontMetricsF(font)


def test_a_line_that_fits_stays_whole() -> None:
    assert wrap_words(HINT, metrics(), 10_000) == [HINT]


def test_it_breaks_between_parts_first_keeping_the_dot() -> None:
    m = metrics()
    width = m.horizontalAdvance("Easier: Heels on the floor, hands together ·") + 1
    assert wrap_words(HINT, m, width) == [
        "Easier: Heels on the floor, hands together ·",
        "Harder: Feet off the floor",
    ]


def test_the_dot_never_stands_alone_on_a_line() -> None:
    m = metrics()
    # Too narrow for the first part with its dot: the part breaks between words,
    # and its dot stays with "together".
    width = m.horizontalAdvance("Easier: Heels on the floor, hands together") + 1
    lines = wrap_words(HINT, m, width)
    assert "·" not in [line.strip() for line in lines]
    assert any(line.endswith("together ·") or line == "together ·" for line in lines)
    assert " ".join(lines).replace("  ", " ") == HINT
