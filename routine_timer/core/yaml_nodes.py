"""Safe, position-aware reading of YAML text into a node graph.

Routine files are parsed with PyYAML's safe machinery only, and never
constructed into Python objects wholesale: the text is *composed* into nodes
that remember their line and column, and the routine loader validates those
nodes itself. This module does the part that is about YAML rather than about
routines:

- decoding (strict UTF-8, with the position of a bad byte),
- guarding the parser against hostile input before it runs (deep nesting
  would overflow the C stack inside libyaml's composer, so it is measured
  first on the event stream whenever a cheap bound cannot rule it out),
- checking the composed graph (at most 100,000 nodes with aliases expanded,
  at most 64 levels deep, no recursive aliases, no unknown tags),
- turning scalars into values with exactly PyYAML's YAML 1.1 rules.

The C parser (libyaml) is used when PyYAML was built with it; the pure-Python
one is the fallback. Every rule of the routine format is checked here or in
the loader, on nodes and events, so both parsers give the same results for
it: the guards count events and never read a parser's messages. Where the
two parsers disagree about YAML itself (libyaml accepts a tab after ``key:``,
PyYAML refuses it), the file is read as the parser in use reads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any, Final, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES: Final = 100_000
"""Most nodes a file may hold once its aliases are expanded."""
MAX_DEPTH: Final = 64
"""Deepest nesting of collections; the top-level mapping is level 1."""

STR: Final = "tag:yaml.org,2002:str"
INT: Final = "tag:yaml.org,2002:int"
FLOAT: Final = "tag:yaml.org,2002:float"
BOOL: Final = "tag:yaml.org,2002:bool"
NULL: Final = "tag:yaml.org,2002:null"
TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"
BINARY: Final = "tag:yaml.org,2002:binary"
SEQ: Final = "tag:yaml.org,2002:seq"
MAP: Final = "tag:yaml.org,2002:map"
MERGE: Final = "tag:yaml.org,2002:merge"

_YAML_TAG_PREFIX: Final = "tag:yaml.org,2002:"
_KNOWN_SCALAR_TAGS: Final = frozenset(
    _YAML_TAG_PREFIX + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "binary", "merge", "value")
)
_KNOWN_COLLECTION_TAGS: Final = frozenset(
    _YAML_TAG_PREFIX + name for name in ("seq", "map", "set", "omap", "pairs")
)

# Above this size the event stream is scanned before composing, so that a
# huge file is rejected after at most MAX_NODES events instead of being
# composed whole. Real routine files are a few kilobytes.
_SCAN_CHARS: Final = 65_536


# Characters PyYAML and libyaml both accept in a stream (the YAML 1.1
# printable set); anything else is refused by either parser.
# Compiled on first use: the Unicode class takes ~12 ms to compile, and plain
# ASCII files (every bundled routine) never need it.
@functools.cache
def _non_printable() -> re.Pattern[str]:
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_ASCII_PRINTABLE: Final = bytes([9, 10, 13, *range(0x20, 0x7F)])
# Line breaks as YAML counts them when it reports positions.
_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EXOTIC_BREAK: Final = re.compile("\r\n?|[\x85\u2028\u2029]")


class Problem(NamedTuple):
    """One problem at a 1-based line and column."""

    line: int
    col: int
    message: str


class UnreadableYamlError(Exception):
    """The text cannot be read as a routine at all; ``problems`` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def _fail(line: int, col: int, message: str) -> UnreadableYamlError:
    return UnreadableYamlError([Problem(line, col, message)])


def at(node: Node | None) -> tuple[int, int]:
    """The 1-based (line, column) where ``node`` starts."""
    mark = node.start_mark if node is not None else None
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


# --------------------------------------------------------------------------
# Parsers


@dataclass(frozen=True, slots=True)
class Backend:
    """One way of parsing YAML text: libyaml (``"c"``) or pure Python."""

    name: str
    loader: type[Any]


class _RememberedTypes:
    """PyYAML's own typing of nodes, found with less work.

    The composer asks for the YAML type of every node, and PyYAML's resolver
    tries its regular expressions on each scalar. Without path resolvers
    (the safe loaders have none) its answer is the default tag for every
    collection, for every quoted scalar and for a plain one whose first
    character starts none of its implicit types ("Plank", "slow and steady"):
    those are answered at once. Any other plain scalar's type depends on the
    value alone, and is remembered for short values (keys and small numbers
    repeat a lot). The answer is PyYAML's: this only saves time. Composing
    the loader benchmark's 1,000 files took 153 ms with PyYAML's resolver,
    142 ms with the memory alone and 124 ms this way (best of 11, alternated).
    """

    _memo: Final[dict[str, str]] = {}

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if self.yaml_path_resolvers:  # type: ignore[attr-defined]
            return super().resolve(kind, value, implicit)  # type: ignore[misc, no-any-return]
        if kind is not ScalarNode:
            return SEQ if kind is SequenceNode else MAP
        resolvers = self.yaml_implicit_resolvers  # type: ignore[attr-defined]
        if not implicit[0] or (value[:1] not in resolvers and None not in resolvers):
            return STR
        tag = self._memo.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[misc]
            if len(value) <= 64 and len(self._memo) < 4096:
                self._memo[value] = tag
        return tag


class _SafeLoader(_RememberedTypes, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader."""


REFERENCE: Final = Backend("python", _SafeLoader)
"""PyYAML's pure-Python safe parser: iterative, with no limits of its own."""

BACKENDS: Final[dict[str, Backend]] = {"python": REFERENCE}
if hasattr(yaml, "CSafeLoader"):

    class _CSafeLoader(_RememberedTypes, yaml.CSafeLoader):
        """libyaml's safe loader."""

    BACKENDS["c"] = Backend("c", _CSafeLoader)

DEFAULT_BACKEND: Backend = BACKENDS.get("c", REFERENCE)
"""The parser used for routine files: libyaml when available."""


# --------------------------------------------------------------------------
# Text


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting breaks as YAML does."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, index):
        line += 1
        start = match.end()
    return line, index - start + 1


def decode(data: bytes) -> str:
    """Decode a routine file's bytes: strict UTF-8, an optional BOM, no control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8").removeprefix("\ufeff")
        line, col = line_col(prefix, len(prefix))
        raise _fail(
            line,
            col,
            f"the file is not valid UTF-8 text: byte 0x{data[exc.start]:02x} cannot appear "
            "here (is it a binary file? routine files must be saved as UTF-8)",
        ) from None
    text = text.removeprefix("\ufeff")
    check_printable(text, data)
    return text


def check_printable(text: str, encoded: bytes | None = None) -> None:
    """Refuse characters that YAML does not allow anywhere in a file.

    ``encoded`` is the UTF-8 form of ``text`` when the caller has it: for
    plain ASCII the check is then a byte translation, much faster than a search.
    """
    if encoded is not None and encoded.isascii() and not encoded.translate(None, _ASCII_PRINTABLE):
        return
    bad = _non_printable().search(text)
    if bad is not None:
        line, col = line_col(text, bad.start())
        code = ord(bad.group())
        raise _fail(
            line,
            col,
            f"the file contains the control character U+{code:04X}, which YAML does not "
            "allow (is it a binary file?)",
        )


def may_nest_deeper(text: str, limit: int) -> bool:
    """False when collections in ``text`` surely nest at most ``limit`` levels deep.

    A cheap bound, no parsing: a block collection starts at the column of its
    first key or ``-``, and everything before that column on its line is
    indentation or block indicators (``- ``, ``? ``, ``: ``, ``---``); each
    column holds at most two nested block levels (a mapping, and a list
    written at the same indentation as its keys). Every flow level needs its
    own ``[`` or ``{``. So nesting is at most 2 * (longest such prefix + 1)
    plus the number of brackets.
    """
    budget = limit - text.count("[") - text.count("{")
    if budget < 2:
        return True
    longest_allowed = budget // 2 - 1
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _EXOTIC_BREAK.sub("\n", text)
    return _prefix_longer_than(longest_allowed).search("\n" + text) is not None


@functools.cache
def _prefix_longer_than(length: int) -> re.Pattern[str]:
    return re.compile(rf"\n[ \t?:-]{{{length + 1},}}")


# --------------------------------------------------------------------------
# Composition


def compose(text: str, backend: Backend | None = None) -> Node | None:
    """Compose ``text`` (already decoded) into its root node, or None if it holds nothing.

    Raises :class:`UnreadableYamlError` for YAML syntax errors, several documents,
    nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes
    with aliases expanded, recursive aliases and unknown tags.
    """
    backend = backend or DEFAULT_BACKEND
    # libyaml's composer recurses once per level on the C stack and crashes
    # the process on very deep input, so nesting is measured first on the
    # (iterative) event stream unless the cheap bound already rules it out.
    if may_nest_deeper(text, MAX_DEPTH) or (
        len(text) > _SCAN_CHARS and not _surely_few_nodes(text, backend)
    ):
        _guard(text, backend)
    loader = backend.loader(text)
    try:
        root: Node | None = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax_problem(exc, text) from None
    finally:
        loader.dispose()
    if root is not None:
        _check_graph(root)
    return root


def _surely_few_nodes(text: str, backend: Backend) -> bool:
    """True when ``text`` surely holds at most MAX_NODES nodes before alias expansion.

    libyaml can count a stream's events in C without building anything;
    there are at least as many events as nodes. The answer only decides
    whether the slower event scan runs first, never what is reported, so
    it may differ between parsers.
    """
    loader = backend.loader(text)
    raw_parse = getattr(loader, "raw_parse", None)
    try:
        return raw_parse is not None and raw_parse() <= MAX_NODES
    except yaml.YAMLError:
        return False  # the scan reports it, as it would without libyaml
    finally:
        loader.dispose()


def _guard(text: str, backend: Backend) -> None:
    """Apply the nesting and size guards to ``text`` before it is composed.

    The guards are ours: they count events, whichever parser produces them,
    and never read a parser's messages. A parser that stops early for a
    reason of its own (libyaml 0.2.6 gives up at 1,000 open brackets while
    looking ahead, before it has produced the events at level 64) is not
    taken at its word: the reference parser, which has no such limits,
    reads the text again and decides.
    """
    try:
        _scan(text, backend)
    except yaml.YAMLError as exc:
        if backend is REFERENCE:
            raise _syntax_problem(exc, text) from None
        try:
            _scan(text, REFERENCE)
        except yaml.YAMLError:
            # The text is malformed for both: the composer below reports it
            # in the words of the parser that reads the file.
            return


def _scan(text: str, backend: Backend) -> None:
    """Walk the first document's events, stopping at the first guard it breaks.

    Raises :class:`UnreadableYamlError` for a broken guard and lets the
    parser's own :class:`yaml.YAMLError` through.
    """
    loader = backend.loader(text)
    # Per open collection: its anchor, the node count before it, its start.
    stack: list[tuple[str | None, int, Any]] = []
    sizes: dict[str, int] = {}  # anchor -> expanded size of its (complete) node
    count = 0
    top_mark: Any = None  # start of the current top-level key (or item)
    top_children = 0
    root_is_mapping = False
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind in _END_EVENTS:
                anchor, before, _ = stack.pop()
                if anchor is not None:
                    sizes[anchor] = count - before
                continue
            if kind is DocumentEndEvent:
                return
            if kind is not ScalarEvent and kind is not AliasEvent and kind not in _START_EVENTS:
                continue
            if len(stack) == 1:
                if not root_is_mapping or top_children % 2 == 0:
                    top_mark = event.start_mark
                top_children += 1
            if kind is AliasEvent:
                size = sizes.get(event.anchor)
                if size is None:
                    for anchor, _, start in stack:
                        if anchor == event.anchor:
                            raise _recursive_alias(start)
                    size = 1  # undefined: the composer reports it
                count += size
            elif kind is ScalarEvent:
                count += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            else:
                if len(stack) == MAX_DEPTH:
                    raise _too_deep(event.start_mark)
                if not stack:
                    root_is_mapping = kind is MappingStartEvent
                stack.append((event.anchor, count, event.start_mark))
                count += 1
            if count > MAX_NODES:
                raise _too_many_nodes(top_mark)
    finally:
        loader.dispose()


_START_EVENTS: Final = frozenset({MappingStartEvent, SequenceStartEvent})
_END_EVENTS: Final = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})


def _mark_position(mark: Any) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def _too_deep(mark: Any) -> UnreadableYamlError:
    return _fail(
        *_mark_position(mark),
        f"the file is nested more than {MAX_DEPTH} levels deep; a routine needs only a few",
    )


def _too_many_nodes(mark: Any) -> UnreadableYamlError:
    return _fail(
        *_mark_position(mark),
        f"the file holds more than {MAX_NODES:,} YAML values once its aliases (*name) are "
        "expanded; a routine needs far fewer",
    )


def _recursive_alias(mark: Any) -> UnreadableYamlError:
    return _fail(
        *_mark_position(mark),
        "an alias (*name) refers to a collection that contains it, which would repeat forever",
    )


_VISITING: Final = (0, 0)
"""A collection whose children are being visited: meeting it again is a recursive alias."""


def _check_graph(root: Node) -> None:
    """Check the composed graph without ever expanding it.

    Aliases make the graph a DAG (or, with a recursive alias, cyclic): the
    expanded size and depth are computed once per distinct node.
    """
    # id(collection) -> (height, expanded size), or _VISITING while its children are.
    done: dict[int, tuple[int, int]] = {}
    unknown: dict[int, Node] = {}
    scalar_tags = _KNOWN_SCALAR_TAGS
    cap = MAX_NODES + 1

    def visit(node: Node, level: int) -> tuple[int, int]:
        key = id(node)
        known = done.get(key)
        if known is not None:
            if known is _VISITING:
                raise _recursive_alias(node.start_mark)
            if level + known[0] - 1 > MAX_DEPTH:
                raise _too_deep(_first_too_deep(node, level, done).start_mark)
            return known
        if level > MAX_DEPTH:
            raise _too_deep(node.start_mark)
        if node.tag not in _KNOWN_COLLECTION_TAGS:
            unknown[key] = node
        done[key] = _VISITING
        height = 1
        size = 1
        # A mapping's value is a list of (key, value) pairs; chain() flattens it in C.
        children = chain.from_iterable(node.value) if type(node) is MappingNode else node.value
        for child in children:
            if type(child) is ScalarNode:
                size += 1
                if child.tag not in scalar_tags:
                    unknown[id(child)] = child
            else:
                child_height, child_size = visit(child, level + 1)
                size += child_size
                if child_height >= height:
                    height = child_height + 1
        result = done[key] = (height, size if size < cap else cap)
        return result

    if type(root) is ScalarNode:
        if root.tag not in scalar_tags:
            unknown[id(root)] = root
    else:
        _, size = visit(root, 1)
        if size > MAX_NODES:
            raise _too_many_nodes(_crossing_child(root, done))
    if unknown:
        raise UnreadableYamlError(
            [Problem(*at(node), _unknown_tag_message(node.tag)) for node in unknown.values()]
        )


def _first_too_deep(node: Node, level: int, done: dict[int, tuple[int, int]]) -> Node:
    """The first collection, in file order, that lies deeper than MAX_DEPTH below ``node``."""
    while level <= MAX_DEPTH:
        children = node.value
        if type(node) is MappingNode:
            children = [child for pair in children for child in pair]
        for child in children:
            if type(child) is not ScalarNode and level + done[id(child)][0] > MAX_DEPTH:
                node = child
                level += 1
                break
        else:  # pragma: no cover - the heights say some child is too deep
            break
    return node


def _crossing_child(root: Node, done: dict[int, tuple[int, int]]) -> Any:
    """Mark of the top-level key (or item) whose value takes the total past MAX_NODES."""
    total = 1
    entries = root.value if type(root) is MappingNode else [(item,) for item in root.value]
    for entry in entries:
        for child in entry:
            total += 1 if type(child) is ScalarNode else done[id(child)][1]
        if total > MAX_NODES:
            return entry[0].start_mark
    return root.start_mark  # pragma: no cover - the sizes say some entry crosses


def show_tag(tag: str) -> str:
    """A tag as authors write it: ``!!python/object`` rather than its long form."""
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag[len(_YAML_TAG_PREFIX) :]
    return tag


def _unknown_tag_message(tag: str) -> str:
    return (
        f"unsupported YAML tag '{show_tag(tag)}': routine files hold plain values "
        "(text, numbers, lists, mappings) only"
    )


# --------------------------------------------------------------------------
# Syntax errors

# libyaml and PyYAML word the same problems differently; both are mapped to
# one author-facing wording, so a file reads the same whichever parser runs.
_SYNTAX_MESSAGES: Final[list[tuple[re.Pattern[str], str]]] = [
    (re.compile(p), m)
    for p, m in [
        (
            r"directive",
            "a line starting with '%' is a YAML directive (put a value that starts with '%' "
            "in quotes)",
        ),
        (
            r"^mapping values are not allowed",
            "a ':' is not allowed here"
            " (check the indentation, or quote a value that contains ': ')",
        ),
        (r"^mapping keys are not allowed", "a '?' key is not allowed here"),
        (
            r"sequence entries are not allowed",
            "a '- ' list item is not allowed here (check the indentation)",
        ),
        (
            r"^could not find expected ':'",
            "a key is missing its ':' (or a quote or bracket is not closed)",
        ),
        (
            r"^found (a tab character|character '\\t')",
            "tabs are not allowed for indentation in YAML; use spaces",
        ),
        (
            r"^found character .*cannot start any token",
            "this character cannot start a value (put the value in quotes)",
        ),
        (
            r"(expected comment or line break|expected a comment or a line break"
            r"|expected chomping or indentation indicators)",
            "unexpected text after a value (quote the whole value, or start a comment with ' #')",
        ),
        (
            r"^found unexpected end of stream",
            "the file ends inside a quoted value (a closing quote is missing)",
        ),
        (
            r"(expected <document start>|expected '<document start>')",
            "a routine file holds exactly one YAML document; remove what follows the '...' line",
        ),
        (r"(expected node content|expected the node content)", "a value is missing here"),
        (
            r"(expected key|expected <block end>|expected '-' indicator)",
            "the indentation does not line up with the lines above",
        ),
        (r"expected ',' or '\]'", "a list in [brackets] is not closed with ']', or lacks a ','"),
        (r"expected ',' or '}'", "a mapping in {braces} is not closed with '}', or lacks a ','"),
        (
            r"^found undefined alias",
            "this alias (*name) refers to an anchor (&name) that is not defined before it",
        ),
        (r"^found duplicate anchor", "this anchor (&name) is already defined earlier in the file"),
        (r"tag handle", "this tag uses an undefined handle"),
        (r"(while scanning a tag|URI)", "this tag is not written correctly"),
        (r"escape", "invalid escape sequence in a double-quoted value"),
        (r"indentation indicator", "a block scalar's indentation indicator must be 1 to 9"),
        (r"unexpected document", "a '---' or '...' line inside a quoted value"),
        (
            r"(expected alphabetic or numeric character|expected alphabetic or numeric)",
            "an anchor or alias name must be letters, digits, '-' or '_'",
        ),
    ]
]


def _syntax_problem(exc: yaml.YAMLError, text: str) -> UnreadableYamlError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return _fail(1, 1, f"invalid YAML: {exc}")
    if exc.problem == "but found another document":
        line, col = _mark_position(exc.problem_mark)
        return _fail(
            line,
            col,
            "a routine file holds exactly one YAML document, but a second one starts here "
            "(remove the '---' line and what follows, or put it in its own file)",
        )
    slip = _common_slip(exc, text)
    if slip is not None:
        return UnreadableYamlError([slip])
    line, col = _mark_position(exc.problem_mark or exc.context_mark)
    problem = exc.problem or exc.context or "unreadable YAML"
    if "cannot start any token" in problem and _char_at(text, line, col) == "\t":
        # libyaml does not name the character; a tab is by far the likeliest.
        problem = "found a tab character"
    for pattern, message in _SYNTAX_MESSAGES:
        if pattern.search(problem) or (exc.context and pattern.search(exc.context)):
            return _fail(line, col, f"invalid YAML: {message}")
    return _fail(line, col, "invalid YAML: this is not valid YAML syntax")


def _common_slip(exc: yaml.MarkedYAMLError, text: str) -> Problem | None:
    """A common slip, reported where a person would look rather than where the parser stopped.

    The parser notices a missing ':' on the line after it, an unclosed quote
    at the end of the file and an unclosed bracket at the next key; this
    points at the key, the opening quote and the opening bracket instead.
    """
    start, stop = exc.context_mark, exc.problem_mark
    context, problem = exc.context or "", exc.problem or ""
    if stop is None:
        return None
    lines = _BREAK.split(text)
    if start is not None and "simple key" in context and "expected ':'" in problem:
        written = lines[start.line][start.column :].strip() if start.line < len(lines) else ""
        key, _, value = written.partition(" ")
        fix = f"did you mean '{key}: {value.strip()}'?" if value and ":" not in written else ""
        return Problem(
            start.line + 1,
            start.column + 1,
            "invalid YAML: a key is missing its ':' "
            + (f"({fix})" if fix else "(or a quote or bracket is not closed)"),
        )
    if start is not None and "quoted scalar" in context and "end of stream" in problem:
        quote = _char_at(text, start.line + 1, start.column + 1) or "'"
        return Problem(
            start.line + 1,
            start.column + 1,
            f"invalid YAML: this {quote} is never closed, so the rest of the file reads as "
            f"one text (add the closing {quote})",
        )
    if start is not None and "flow" in context and stop.line > start.line:
        opening = _char_at(text, start.line + 1, start.column + 1)
        closing = {"[": "]", "{": "}"}.get(opening)
        if closing is not None:
            return Problem(
                start.line + 1,
                start.column + 1,
                f"invalid YAML: this '{opening}' is not closed with '{closing}' "
                "(or a ',' is missing between its items)",
            )
    if "mapping values are not allowed" in problem:
        return _indented_too_far(lines, stop)
    if "expected <block end>" in problem or "expected key" in problem:
        return _after_a_quote(stop, text)
    return None


def _indented_too_far(lines: list[str], stop: Any) -> Problem | None:
    """``key: value`` indented further than the key above it, so it reads as part of its value."""
    if stop.line >= len(lines) or stop.line == 0:
        return None
    row = lines[stop.line]
    indent = len(row) - len(row.lstrip(" "))
    key = row[indent : stop.column]
    above = stop.line - 1
    while above > 0 and not lines[above].strip():
        above -= 1
    previous = lines[above]
    match = re.match(r"([ -]*)([^\s:#'\"][^:#]*?):\s+\S", previous)
    if not key or " " in key or match is None or indent <= len(match[1]):
        return None
    if match[1].endswith("-"):  # "-name: Plank": a key '-name', not a list item
        return Problem(
            above + 1,
            len(match[1]),
            f"invalid YAML: a list item needs a space after its '-' (did you mean "
            f"'- {match[2]}:'?)",
        )
    return Problem(
        stop.line + 1,
        indent + 1,
        f"invalid YAML: this line is indented further than '{match[2]}' on line {above + 1}, "
        "so YAML reads it as part of that value (line the keys up)",
    )


def _after_a_quote(stop: Any, text: str) -> Problem | None:
    """Text after a closing quote (``stop``): the quote closed too early, or too late."""
    quoted = None
    loader = BACKENDS.get("c", REFERENCE).loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.index >= stop.index:
                break
            quoted = token
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if type(quoted) is not yaml.ScalarToken or quoted.style not in ("'", '"'):
        return None
    if quoted.end_mark.line == stop.line:
        if quoted.start_mark.line == stop.line:
            return Problem(
                stop.line + 1,
                stop.column + 1,
                "invalid YAML: text after the closing quote (put the whole value in quotes)",
            )
        return Problem(
            quoted.start_mark.line + 1,
            quoted.start_mark.column + 1,
            f"invalid YAML: this {quoted.style} is closed only on line {stop.line + 1}; "
            f"is its closing {quoted.style} missing?",
        )
    return None


def _char_at(text: str, line: int, col: int) -> str:
    lines = _BREAK.split(text)
    if 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


# --------------------------------------------------------------------------
# Scalars

_CONSTRUCT: Final = SafeConstructor()
_SCALAR_CONSTRUCTORS: Final[dict[str, Callable[[ScalarNode], object]]] = {
    INT: _CONSTRUCT.construct_yaml_int,
    FLOAT: _CONSTRUCT.construct_yaml_float,
    BOOL: _CONSTRUCT.construct_yaml_bool,
    NULL: _CONSTRUCT.construct_yaml_null,
    TIMESTAMP: _CONSTRUCT.construct_yaml_timestamp,
    BINARY: _CONSTRUCT.construct_yaml_binary,
}


class BadScalarError(ValueError):
    """An explicitly tagged scalar whose text does not fit its tag (``!!int abc``)."""


MAX_NUMBER_CHARS: Final = 100
"""Longest text read as an int or a float; no routine needs a number this long."""


def scalar_value(node: ScalarNode) -> object:
    """The value of a scalar node under YAML 1.1 rules, as PyYAML builds it.

    Except for numbers that are not ASCII text of at most :data:`MAX_NUMBER_CHARS`
    characters, which raise :class:`BadScalarError` like any value that does not fit
    its tag: Python would read any script's digits (``!!int \u0663``), refuse
    4,300 digits with a ValueError and take quadratic time over a long ``1:2:3:...``.
    """
    tag = node.tag
    text: str = node.value
    if tag == STR:
        return text
    if tag in (INT, FLOAT):
        if not text.isascii():
            raise BadScalarError(
                f"{_quoted(text)} is not a valid {show_tag(tag)} value (digits are 0 to 9)"
            )
        if len(text) > MAX_NUMBER_CHARS:
            raise BadScalarError(
                f"a number of {len(text):,} characters is too long to read "
                f"(at most {MAX_NUMBER_CHARS})"
            )
        if tag == INT and text.isdecimal() and text[0] != "0":
            return int(text)  # what PyYAML would do, minus its checks
    construct = _SCALAR_CONSTRUCTORS.get(tag)
    if construct is None:
        return text
    try:
        return construct(node)
    except Exception:  # e.g. "!!int abc", "!!timestamp 2024-02-30"
        raise BadScalarError(f"{_quoted(text)} is not a valid {show_tag(tag)} value") from None


def _quoted(text: str) -> str:
    return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"


def describe(node: Node) -> str:
    """How a value reads in a message: ``2.0``, ``true``, ``'1' (text)``, ``a list``."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag
    value: str = node.value
    shown = value if len(value) <= 40 else value[:37] + "..."
    if tag == STR:
        return f"{shown!r} (text)"
    if tag == NULL:
        return "nothing (null)" if value in ("", "~") else f"{shown} (null)"
    if tag == BOOL:
        return f"{shown} (true/false)"
    if tag == TIMESTAMP:
        return f"{shown} (a date)"
    if tag == BINARY:
        return "binary data"
    return shown
