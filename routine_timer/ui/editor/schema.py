"""What the routine format's JSON Schema says about a place in a file (no Qt here).

Completion in the editor offers the keys of the mapping the cursor is in and
the values a key takes, each with the schema's description, so the words and
their explanations are written once, in ``routines/routine.schema.json``, and
read from it when the editor first needs them.

A place is given as the keys leading to it from the top level, list items
left out: ``("exercises", "say")`` is an entry of an exercise's ``say``. The
schema is walked as written, following local ``$ref`` (``#/$defs/...``) and
every branch of ``allOf``/``anyOf``/``oneOf`` and ``if``'s ``then``/``else``:
a key any branch allows is offered, and a value is offered when a branch pins
it with ``enum`` or ``const`` (with that branch's description, as in
``oneOf: [{const: both, description: ...}, ...]``).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from routine_timer.paths import schema_path

_log = logging.getLogger(__name__)

MAX_REF_DEPTH: Final = 32
"""``$ref`` followed in a row at most; a schema that loops is read no further."""
_BRANCHES: Final = ("allOf", "anyOf", "oneOf", "then", "else")
_CONTAINERS: Final = frozenset({"object", "array"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

Schema = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Choice:
    """A word to offer, and what the schema says about it."""

    word: str
    summary: str = ""
    """One line: the first sentence of the description (or the title)."""
    detail: str = ""
    """The whole description."""


class SchemaError(Exception):
    """The schema cannot be read; the message says why."""


class SchemaHints:
    """Keys and values of the routine format, as a JSON Schema describes them."""

    def __init__(self, schema: Schema) -> None:
        if not isinstance(schema, Mapping):
            raise SchemaError("the schema is not a JSON object")
        self._root = schema

    @classmethod
    def from_file(cls, path: Path) -> SchemaHints:
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise SchemaError(f"cannot read {path}: {error}") from None

    # -- questions ---------------------------------------------------------------

    def keys(self, place: Sequence[str]) -> tuple[Choice, ...]:
        """The keys of the mapping at ``place``, in the schema's order."""
        found: dict[str, Choice] = {}
        for mapping in self._mappings(place):
            properties = mapping.get("properties")
            if not isinstance(properties, Mapping):
                continue
            for word, node in properties.items():
                if word not in found and isinstance(node, Mapping):
                    found[word] = self._choice(str(word), node)
        return tuple(found.values())

    def values(self, place: Sequence[str], key: str) -> tuple[Choice, ...]:
        """The values ``key`` may take in the mapping at ``place``, when the schema lists them."""
        found: dict[str, Choice] = {}
        for node in self._properties(place, key):
            # A value without a description of its own is explained by the key's (on hover).
            about_key = self._choice(key, node).detail
            for branch in self._branches(node):
                words = list(branch.get("enum") or ())
                if "const" in branch:
                    words.append(branch["const"])
                for value in words:
                    word = str(value)
                    if not _plain(value) or word in found:
                        continue
                    if branch is not node and "const" in branch and _described(branch):
                        found[word] = self._choice(word, branch)
                    else:
                        found[word] = Choice(word, "", about_key)
        return tuple(found.values())

    def opens_block(self, place: Sequence[str], key: str) -> bool:
        """Whether ``key``'s value is always a list or a mapping (written on the lines below)."""
        kinds: set[str] = set()
        for node in self._properties(place, key):
            for branch in self._branches(node):
                kind = branch.get("type")
                if isinstance(kind, str):
                    kinds.add(kind)
                elif isinstance(kind, list):
                    kinds.update(str(k) for k in kind)
                elif "const" in branch or "enum" in branch:
                    kinds.add("scalar")
        return bool(kinds) and kinds <= _CONTAINERS

    # -- walking the schema --------------------------------------------------------

    def _properties(self, place: Sequence[str], key: str) -> Iterator[Schema]:
        for mapping in self._mappings(place):
            properties = mapping.get("properties")
            node = properties.get(key) if isinstance(properties, Mapping) else None
            if isinstance(node, Mapping):
                yield node

    def _mappings(self, place: Sequence[str]) -> list[Schema]:
        """The object schemas that describe the mapping at ``place``."""
        nodes: list[Schema] = [self._root]
        for key in place:
            nodes = [
                node
                for mapping in self._objects(nodes)
                for node in [(mapping.get("properties") or {}).get(key)]
                if isinstance(node, Mapping)
            ]
        return self._objects(nodes)

    def _objects(self, nodes: list[Schema]) -> list[Schema]:
        """The branches of ``nodes`` with properties; a list is looked through to its items."""
        found: list[Schema] = []
        for node in nodes:
            for branch in self._branches(node):
                if isinstance(branch.get("properties"), Mapping):
                    found.append(branch)
                items = branch.get("items")
                if isinstance(items, Mapping):
                    found += self._objects([items])
        return found

    def _branches(self, node: Schema, depth: int = 0) -> Iterator[Schema]:
        """``node`` and every schema it refers to or combines, depth first."""
        if depth > MAX_REF_DEPTH:
            return
        yield node
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._resolve(ref)
            if target is not None:
                yield from self._branches(target, depth + 1)
        for keyword in _BRANCHES:
            value = node.get(keyword)
            parts = value if isinstance(value, list) else [value]
            for part in parts:
                if isinstance(part, Mapping):
                    yield from self._branches(part, depth + 1)

    def _resolve(self, ref: str) -> Schema | None:
        """A local reference (``#/$defs/name``, a JSON pointer); None for any other."""
        if not ref.startswith("#"):
            return None
        node: Any = self._root
        for escaped in ref[1:].split("/")[1:]:
            part = escaped.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node if isinstance(node, Mapping) else None

    def _choice(self, word: str, node: Schema) -> Choice:
        """``word`` with the first description (or title) on ``node`` or what it refers to."""
        description = title = ""
        for branch in self._branches(node):
            if not description and isinstance(branch.get("description"), str):
                description = branch["description"].strip()
            if not title and isinstance(branch.get("title"), str):
                title = branch["title"].strip()
            if description:
                break
        first = description.split("\n\n", 1)[0]
        summary = _SENTENCE_END.split(first, 1)[0] if first else title
        return Choice(word, " ".join(summary.split()), description)


def _plain(value: object) -> bool:
    """A value completion can write as it is: a string or a number."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _described(node: Schema) -> bool:
    return any(isinstance(node.get(key), str) for key in ("description", "title"))


@functools.cache
def shipped_hints() -> SchemaHints | None:
    """The hints of the schema shipped with the app, read once; None when it cannot be read."""
    try:
        return SchemaHints.from_file(schema_path())
    except SchemaError as error:
        _log.warning("no completion from the schema: %s", error)
        return None


__all__ = ["Choice", "SchemaError", "SchemaHints", "shipped_hints"]
