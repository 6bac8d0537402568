"""Opening an import file safely: a zip or an XML file, recognised by what it holds, read as
a stream of elements. Whatever is wrong with the file becomes one clear `ImportFileError`.

XML is read with the standard library's expat parser, after its prolog has been checked: a
document type declaration (`<!DOCTYPE …>`), which the official files never have, is refused,
so no entity can expand (a "billion laughs" bomb) or name a local file; an undeclared entity
(`&x;`) is a parse error.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from ..errors import BuildError

# What a damaged zip raises while a member is read (a bad CRC, a cut deflate stream).
damaged = (zipfile.BadZipFile, zlib.error, EOFError)

PROLOG_LIMIT = 1024 * 1024  # the root element starts within this: a real export's prolog is one line


class ImportFileError(BuildError):
    """The import file cannot be read as an export: nothing is imported."""


@dataclass(frozen=True)
class Member:
    """An XML document to import: the file itself, or a file inside a zip."""

    path: Path
    name: str | None  # inside the zip; None for a plain file
    root: str  # local name of its root element: FICHES (RNCP/RS export), lheo (training offer)

    @property
    def shown(self) -> str:
        return f"{self.path.name}:{self.name}" if self.name else self.path.name

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.name is None:
            with self.path.open("rb") as stream:
                yield stream
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.name) as stream:
                yield stream


class _Replay:
    """A stream whose first bytes were already read (to check the prolog): served again first."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if 0 <= size < len(self.head):
            out, self.head = self.head[:size], self.head[size:]
            return out
        out, self.head = self.head, b""
        return out + self.rest.read(-1 if size < 0 else size - len(out))


_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")


def _scan_prolog(head: bytes, shown: str, complete: bool) -> str | None:
    """The root element's local name; None if more bytes are needed. Refuses what is not
    UTF-8 XML, and any document type declaration."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise ImportFileError(f"{shown} is encoded in UTF-16 or UTF-32; the official files are UTF-8")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        rest = text[i:]
        if not rest:
            if complete:
                raise ImportFileError(f"{shown} is empty or holds no XML element: it is not an export")
            return None
        if rest.startswith("<?") or rest.startswith("<!--"):
            end = rest.find("?>" if rest.startswith("<?") else "-->")
            if end < 0:
                if complete:
                    raise ImportFileError(f"{shown} is not well-formed XML: its prolog is never closed; the file may be truncated")
                return None
            i += end + (2 if rest.startswith("<?") else 3)
            continue
        if rest.startswith("<!"):
            raise ImportFileError(
                f"{shown} declares a document type (<!DOCTYPE …>), which the official files never do; refused, "
                "so that no entity can expand or read a local file")
        match = _NAME.match(rest)
        if match:
            return match[1].rsplit(":", 1)[-1]
        if rest.startswith("<") and not complete and len(rest) < 2:
            return None
        raise ImportFileError(f"{shown} is neither an XML file nor a zip; expected France compétences' export "
                              "(export_fiches_….xml, its .zip, or export-fiches-csv-….zip)")


def _open_checked(stream: IO[bytes], shown: str) -> tuple[_Replay, str]:
    head = b""
    try:
        while True:
            chunk = stream.read(64 * 1024)
            head += chunk
            root = _scan_prolog(head, shown, complete=not chunk or len(head) >= PROLOG_LIMIT)
            if root is not None:
                return _Replay(head, stream), root
    except damaged as exc:
        raise ImportFileError(f"{shown} cannot be read: the zip is damaged ({exc}); download it again") from None


def members(path: Path) -> list[Member]:
    """The XML documents of an import file (plain, or every `.xml` inside a zip), each with its
    root element; [] for a zip without XML (the CSV export)."""
    if not path.exists():
        raise ImportFileError(f"{path} not found")
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder; give the export file itself")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = sorted(n for n in archive.namelist() if n.lower().endswith(".xml") and not n.endswith("/"))
            found = []
            for name in names:
                member = Member(path, name, "")
                with member.open() as stream:
                    _, root = _open_checked(stream, member.shown)
                found.append(Member(path, name, root))
            return found
        with path.open("rb") as stream:
            if stream.read(4) == b"PK\x03\x04":  # a zip's first bytes, without its end: cut short
                raise ImportFileError(f"{path.name} is a damaged zip (its end is missing); download it again")
            stream.seek(0)
            _, root = _open_checked(stream, path.name)
        return [Member(path, None, root)]
    except damaged as exc:
        raise ImportFileError(f"{path.name} is a damaged zip ({exc}); download it again") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def elements(member: Member, tag: str) -> Iterator[ElementTree.Element]:
    """Every element named `tag` (local name) of an XML document, streamed: each is freed once
    the caller is done with it, so memory stays bounded whatever the size of the file."""
    try:
        with member.open() as raw:
            stream, _ = _open_checked(raw, member.shown)
            context = ElementTree.iterparse(stream, events=("start", "end"))  # type: ignore[arg-type]
            open_elements: list[ElementTree.Element] = []
            for event, element in context:
                if event == "start":
                    open_elements.append(element)
                    continue
                open_elements.pop()
                if element.tag.rsplit("}", 1)[-1] == tag:
                    yield element
                    element.clear()
                    if open_elements:  # done with it: its parent lets it go
                        open_elements[-1].remove(element)
    except ElementTree.ParseError as exc:
        message = str(exc)
        hint = "; the file may be truncated: download it again" if re.match(r"(no element found|unclosed token)", message) else ""
        if "undefined entity" in message:
            hint = "; the official files use no entity but the five of XML (&amp; &lt; &gt; &quot; &apos;)"
        raise ImportFileError(f"{member.shown} is not well-formed XML: {message}{hint}") from None
    except damaged as exc:
        raise ImportFileError(f"{member.path.name} is a damaged zip ({exc}); download it again") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {member.shown}: {exc.strerror or exc}") from None
