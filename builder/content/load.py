"""Read YAML files into plain data, remembering where each value was written.

PyYAML composes the node tree (with line and column marks); we build the Python
values ourselves so that:
- duplicate keys, anchors/aliases and custom tags are reported, not silently accepted;
- scalars are resolved conservatively (a small YAML 1.2-like core schema): `06560`
  stays the text "06560", `NO` stays "NO", `07/06/2019` stays text. Only `true`,
  `false`, `null`, plain decimal numbers and nothing else change type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, describe, field_path

try:  # libyaml's C parser when available, the pure Python one otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024

Loc = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary")
}


ALIAS_MESSAGE = "anchors and aliases (& and *) are not allowed in fiches; write the value out in full"


class _Stop(Exception):
    """Stops building a document that cannot be read safely."""


@dataclass
class Document:
    """One YAML file read into plain data, with the position of every value and key."""

    path: str
    data: Any = None
    text: str = ""  # the source, for messages that quote it
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where `loc` was written; falls back to the nearest enclosing value."""
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))


class _Builder:
    def __init__(self, document: Document):
        self.document = document
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.document.path, mark.line + 1, mark.column + 1, field_path(loc), message)
        )

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        # An alias is the same node object met twice. Refusing it at once keeps memory
        # bounded against "billion laughs" files, whose aliases would multiply the data.
        if id(node) in self.seen:
            line, column = self.document.position(loc, key=True)
            self.problems.append(Problem(self.document.path, line, column, field_path(loc), ALIAS_MESSAGE))
            raise _Stop
        self.seen.add(id(node))
        self.document.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _STANDARD_TAGS:
            self.problem(node, loc, f"YAML tags such as {node.tag} are not allowed; remove the tag")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return resolve_scalar(node)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, loc, "expected a field name, found a list or group as a key")
                continue
            key = resolve_scalar(key_node)
            if not isinstance(key, str) or not key.strip():
                self.problem(
                    key_node, loc, f"expected a field name, found {describe(key)}; field names are words"
                )
                continue
            key_loc = loc + (key,)
            if key in result:
                first_line = self.document.keys[key_loc][0]
                self.problem(
                    key_node,
                    key_loc,
                    f"duplicate key: `{key}` is already set on line {first_line}; keep only one",
                )
                continue
            self.document.keys[key_loc] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, key_loc)
        return result


def resolve_scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar conservatively: quoted scalars are always text."""
    text = node.value
    if node.style:  # quoted or block scalar
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


class _Composer(_Loader):  # type: ignore[misc, valid-type]
    """Composes nodes without guessing the type of plain scalars: `resolve_scalar` does that,
    more strictly (PyYAML's guess, in Python, was a third of the reading time)."""

    _TAGS = {
        yaml.ScalarNode: "tag:yaml.org,2002:str",
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self._TAGS[kind]


def _compose(text: str) -> yaml.Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text. Accepts UTF-8 with or without BOM; names the likely encoding otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 0, 0, "", "the file is UTF-16, expected UTF-8; save it as UTF-8")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        guess = "Windows-1252 (Latin-1)"
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            guess = "an unknown encoding"
        message = (
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); it looks like {guess}; "
            "save it as UTF-8 in your editor"
        )
        return None, [Problem(path, line, column, "", message)]


MAX_DEPTH = 32  # lists and groups inside one another; a real fiche needs 5


def _maybe_deep(text: str) -> bool:
    """A cheap over-estimate: False only when the text cannot nest more than MAX_DEPTH levels.
    In block style each level takes more indentation (a list may share its key's column, so
    two levels per column at most), or a `- - ` / `? ` on one line; flow style takes brackets."""
    brackets = text.count("[") + text.count("{")
    indent = max(map(len, _INDENTS.findall(text)), default=0)
    return brackets > 8 or indent > 10 or "- - " in text or "? " in text


_INDENTS = re.compile(r"^ +", re.M)


def _too_deep(text: str, path: str) -> Problem | None:
    """Refuse values nested deeper than any fiche, before they are composed: composing them
    recursively would exhaust the stack (a segmentation fault in libyaml's composer). libyaml's
    parser keeps its own stack, so walking its events is safe at any depth."""
    if not _maybe_deep(text):
        return None
    stack: list[list[Any]] = []  # per open group: [kind, key or index, expecting a key]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            _advance(stack, None)
            if len(stack) >= MAX_DEPTH:
                loc = tuple(entry[1] for entry in stack[:4] if entry[1] is not None)
                mark = event.start_mark
                return Problem(path, mark.line + 1, mark.column + 1, field_path(loc), (
                    f"expected at most {MAX_DEPTH} levels of lists and groups inside one another "
                    f"(a fiche needs 5), found more; check the indentation and the [ ] and {{ }} brackets"))
            kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
            stack.append([kind, None if kind == "map" else -1, kind == "map"])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            _advance(stack, event.value if isinstance(event, yaml.ScalarEvent) else None)
    return None


def _advance(stack: list[list[Any]], scalar: str | None) -> None:
    """A node starts inside the innermost group: a sequence item, a mapping's key or value."""
    if not stack:
        return
    entry = stack[-1]
    if entry[0] == "seq":
        entry[1] += 1
    elif entry[2]:  # a key: remembered for the path of what follows
        entry[1], entry[2] = (scalar if scalar is not None else "?"), False
    else:
        entry[2] = True


def parse(text: str, path: str) -> tuple[Document, list[Problem]]:
    """Text -> Document, or the problems that prevent reading it."""
    document = Document(path, text=text)
    try:
        deep = _too_deep(text, path)
        if deep is not None:
            return document, [deep]
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return document, [_syntax_problem(exc, path, text)]
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        message = (
            f"the file contains the invisible control character U+{exc.character:04X}; "
            "remove it (it was probably pasted from another program)"
        )
        return document, [Problem(path, line, column, "", message)]
    except yaml.YAMLError as exc:
        return document, [Problem(path, 0, 0, "", f"invalid YAML: {exc}")]
    if node is None:
        return document, [Problem(path, 1, 1, "", "the file is empty; a fiche starts with `numero: RNCP…`")]
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        mark = node.start_mark
        return document, [
            Problem(
                path,
                mark.line + 1,
                mark.column + 1,
                "",
                f"expected fields (`key: value` lines) at the top of the file, found {kind}",
            )
        ]
    builder = _Builder(document)
    try:
        document.data = builder.build(node, ())
    except _Stop:
        document.data = None
    return document, builder.problems


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    unclosed = "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "")
    if exc.context_mark and unclosed:
        mark = exc.context_mark  # where the quote was opened, not the end of the file
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or "syntax error"
    hint = ""
    lines = text.splitlines()
    at_tab = bool(mark) and line <= len(lines) and "\t" in lines[line - 1][: column]
    if at_tab or "\t" in problem:
        hint = "; indent with spaces, not tabs"
    elif "another document" in problem or "single document" in problem:
        return Problem(path, line, column, "", "a fiche file holds one YAML document, found a second one; remove the extra `---`")
    elif unclosed or "found unexpected end of stream" in problem:
        hint = "; a quote was opened and never closed"
    elif "escape" in problem or "hexdecimal" in problem:
        return Problem(path, line, column, "", (
            "invalid YAML: inside double quotes a backslash starts a code, and this one is not valid; "
            "write \\\\ for a backslash, or put the text in single quotes instead"
        ))
    elif "flow" in (exc.context or "") and ("expected node content" in problem or "end of stream" in problem):
        hint = "; a `[` or `{` was opened and never closed (put text starting with [ or { in quotes)"
    elif "mapping values are not allowed" in problem:
        hint = "; put text containing `: ` in quotes, or check the indentation"
    elif "expected <block end>" in problem or "did not find expected" in problem:
        hint = "; check the indentation of this line and the one above"
    context = f" ({exc.context})" if exc.context else ""
    return Problem(path, line, column, "", f"invalid YAML: {problem}{context}{hint}")


def too_big(size: int, shown_as: str) -> list[Problem]:
    """A fiche file is at most MAX_BYTES: more is not a fiche (and would slow every build)."""
    if size <= MAX_BYTES:
        return []
    return [Problem(shown_as, 0, 0, "", f"the file is {size:,} bytes, more than the {MAX_BYTES:,} allowed; "
                    "is it really a fiche? split or shorten it")]


def read_bytes(file: Path, shown_as: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, unless it is too big or unreadable."""
    try:
        big = too_big(file.stat().st_size, shown_as)
        return (None, big) if big else (file.read_bytes(), [])
    except OSError as exc:
        return None, [Problem(shown_as, 0, 0, "", f"cannot read the file: {exc.strerror}")]


def read_text(raw: bytes, shown_as: str) -> tuple[Document, list[Problem]]:
    """Decode and parse one file's bytes."""
    text, problems = decode(raw, shown_as)
    if text is None:
        return Document(shown_as), problems
    return parse(text, shown_as)


def read_document(file: Path, shown_as: str) -> tuple[Document, list[Problem]]:
    """Read, decode and parse one YAML file."""
    raw, problems = read_bytes(file, shown_as)
    if raw is None:
        return Document(shown_as), problems
    return read_text(raw, shown_as)
