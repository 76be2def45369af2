"""Colours for routine files in the editor: keys, text, numbers, durations, comments.

Line by line and forgiving: the text being edited is often not valid YAML,
and highlighting must never get in the way of typing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from routine_timer.ui.editor.context import KNOWN_KEYS

# The key groups are greedy and take the spaces before the colon with them
# (trimmed in Python): a lazy group followed by ``\s*:`` backtracks over every
# space for every character, seconds on one line of 30,000 spaces.
_KEY: Final = re.compile(r"^\s*(?:-\s+)*([^\s#'\"{}\[\],&*!|>%@`-][^#:{}\[\],]*):(?=\s|$)")
_FLOW_KEY: Final = re.compile(r"(?<=[{,])\s*([^\s#'\"{}\[\],&*!|>%@`-][^#:{}\[\],]*):(?=\s|$)")
_BLOCK_SCALAR: Final = re.compile(r":\s+[|>][-+0-9]*\s*$")
_OUTSIDE: Final = -1
"""Block state of a line that is not inside a ``|`` or ``>`` text."""
_DASH: Final = re.compile(r"^\s*(-)(?=\s|$)")
_QUOTED: Final = re.compile(r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^']|'')*'?")
_NUMBER: Final = re.compile(r"-?\d+(?:\.\d+)?|\.(?:nan|inf)|-?\.inf", re.I)
_DURATION: Final = re.compile(
    r"\d+(?:\.\d+)?\s*[hms](?:\s*\d+(?:\.\d+)?\s*[hms]){0,2}|\d+:[0-5]\d(?::[0-5]\d)?"
)
_CONSTANT: Final = re.compile(r"true|false|null|yes|no|on|off|~", re.I)
_VALUE_START: Final = re.compile(
    r"^\s*(?:-\s+)*(?:[^\s#'\"{}\[\],&*!|>%@`-][^#:{}\[\],]*:(?:\s|$))?"
)
_FLOW_PIECE: Final = re.compile(r"[^,\[\]{}]+")
_FLOW_PIECE_KEY: Final = re.compile(r"\s*[^\s#'\"][^:]*:(?:\s|$)")
_COMMENT_OR_QUOTE: Final = re.compile(r"(?:^|(?<=[ \t]))#|(?:^|(?<=[ \t:\[{,-]))[\"']")
"""Where :func:`_comment_start` stops: a ``#`` starting a comment, a quote opening a string."""
_DOUBLE_QUOTED_BODY: Final = re.compile(r'(?:[^"\\]|\\.)*')
LONG_LINE: Final = 1000
"""Characters of a line that are coloured; the rest of a longer line stays plain.

Qt lays out and paints every coloured range, and a keystroke re-colours the
whole line, so colouring stops here to keep typing in a very long line as
quick as in a plain text box. Routine lines are rarely a tenth of this."""
_ANCHOR: Final = re.compile(r"[&*][^\s,\[\]{}]+|<<|!!?[\w/]*|\|[-+]?|>[-+]?(?=\s*$)")


@dataclass(frozen=True, slots=True)
class Palette:
    """Foreground colours, one set for light and one for dark backgrounds."""

    key: str
    unknown_key: str
    string: str
    number: str
    duration: str
    constant: str
    comment: str
    punctuation: str


LIGHT: Final = Palette(
    key="#1F4E9E",
    unknown_key="#8A4B00",
    string="#1C7A32",
    number="#8E2F9F",
    duration="#B4480D",
    constant="#8E2F9F",
    comment="#6A737D",
    punctuation="#555B63",
)
DARK: Final = Palette(
    key="#7FB2FF",
    unknown_key="#F2B366",
    string="#8BD49C",
    number="#D9A0F0",
    duration="#FFB38A",
    constant="#D9A0F0",
    comment="#9AA3AD",
    punctuation="#B8BEC6",
)


def _format(colour: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.DemiBold)
    if italic:
        fmt.setFontItalic(True)
    return fmt


class YamlHighlighter(QSyntaxHighlighter):
    """Highlights routine YAML; colours follow the editor's palette (light or dark)."""

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        dark = palette is not None and palette.color(QPalette.ColorRole.Base).lightness() < 128
        self.set_colours(DARK if dark else LIGHT)

    def set_colours(self, colours: Palette) -> None:
        self._key = _format(colours.key, bold=True)
        self._unknown_key = _format(colours.unknown_key, bold=True)
        self._string = _format(colours.string)
        self._number = _format(colours.number)
        self._duration = _format(colours.duration)
        self._constant = _format(colours.constant)
        self._comment = _format(colours.comment, italic=True)
        self._punctuation = _format(colours.punctuation, bold=True)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        # Inside a "|" or ">" text: every line indented deeper than its key is text.
        # The block state carries that key's indentation from line to line.
        parent = self.previousBlockState()
        indent = len(text) - len(text.lstrip(" "))
        shown = text[:LONG_LINE]
        # Qt measures in UTF-16 units; Python in characters. They differ only
        # for characters beyond the BMP (emoji), so map when there are any.
        units = _utf16_offsets(shown)
        if parent != _OUTSIDE and (not text.strip() or indent > parent):
            self.setCurrentBlockState(parent)
            self.setFormat(0, units[-1], self._string)
            return
        self.setCurrentBlockState(_OUTSIDE)
        # The structure (comment, block text) is read from the whole line, in
        # linear time; only the colouring stops at LONG_LINE.
        comment = _comment_start(text)
        if _BLOCK_SCALAR.search(text, 0, comment):
            dash = re.match(r"\s*(?:-\s+)*", text)
            self.setCurrentBlockState(dash.end() if dash else indent)
        code = shown[:comment]

        def paint(start: int, end: int, fmt: QTextCharFormat) -> None:
            if end > start:
                self.setFormat(units[start], units[end] - units[start], fmt)

        for start, end in _values(code):
            value = code[start:end]
            if value[0] in "'\"":
                quoted = _QUOTED.match(value)
                stop = start + (quoted.end() if quoted else len(value))
                inner = value[1 : stop - start - 1].strip()
                paint(start, stop, self._duration if _DURATION.fullmatch(inner) else self._string)
            elif _DURATION.fullmatch(value):
                paint(start, end, self._duration)
            elif _NUMBER.fullmatch(value):
                paint(start, end, self._number)
            elif _CONSTANT.fullmatch(value):
                paint(start, end, self._constant)
        for match in _ANCHOR.finditer(code):
            paint(match.start(), match.end(), self._punctuation)
        for match in _DASH.finditer(code):
            paint(match.start(1), match.end(1), self._punctuation)
        keys = list(_KEY.finditer(code))
        if "{" in code:
            keys += _FLOW_KEY.finditer(code)
        for match in keys:
            name = match.group(1).rstrip()
            fmt = self._key if name in KNOWN_KEYS else self._unknown_key
            paint(match.start(1), match.start(1) + len(name), fmt)
        if comment < len(shown):
            paint(comment, len(shown), self._comment)


def _values(code: str) -> list[tuple[int, int]]:
    """(start, end) of each plain value on the line: after ``key:`` or ``-``, or in ``[...]``.

    Lines that only continue a multi-line text hold no such values.
    """
    match = _VALUE_START.match(code)
    if match is None or match.end() == 0:
        return []
    found: list[tuple[int, int]] = []
    region_start = match.end()
    region = code[region_start:]
    flow = region.lstrip()[:1] in ("[", "{")
    pieces = (
        [(m.start(), m.group()) for m in _FLOW_PIECE.finditer(region)] if flow else [(0, region)]
    )
    for offset, piece in pieces:
        inner = _FLOW_PIECE_KEY.match(piece) if flow else None
        skip = inner.end() if inner is not None else 0
        value = piece[skip:]
        stripped = value.strip()
        if stripped:
            start = region_start + offset + skip + (len(value) - len(value.lstrip()))
            found.append((start, start + len(stripped)))
    return found


def _comment_start(text: str) -> int:
    """Where a ``#`` comment starts on the line (outside quotes), or the line's length.

    A ``#`` starts a comment after a space or tab; a quote opens a string at
    the start of a value. The search jumps from one of those to the next, so
    the cost is the regular-expression scan, not a Python step per character.
    """
    position = 0
    while (found := _COMMENT_OR_QUOTE.search(text, position)) is not None:
        index = found.start()
        char = text[index]
        if char == "#":
            return index
        if char == "'":
            close = text.find("'", index + 1)
        else:
            body = _DOUBLE_QUOTED_BODY.match(text, index + 1)
            assert body is not None  # the pattern also matches nothing
            close = body.end() if text.startswith('"', body.end()) else -1
        if close < 0:
            return len(text)  # an open string runs to the end of the line
        position = close + 1
    return len(text)


def _utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of each character index (and of the end)."""
    if text.isascii() or all(ord(char) <= 0xFFFF for char in text):
        return list(range(len(text) + 1))
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets
