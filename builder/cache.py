"""What one build keeps for the next: each fiche file already read and checked, keyed by its
contents, so that an unchanged fiche is neither parsed nor validated again.

Two levels: in memory for a long-lived process (`catalogue serve`), and on disk
(`.catalogue-cache/` beside `content/`) for the next `catalogue build`. Entries are keyed by
the file's path and the hash of its bytes, never by its time stamp, and the disk file is
stamped with the version of the builder (its code and data): a new version starts afresh.
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
FOLDER_NAME = ".catalogue-cache"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@cache
def builder_version() -> str:
    """A hash of the builder's own code and data files, and of the Python running it."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for file in sorted(PACKAGE.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".csv", ".gz", ".json", ".txt", ".md") and "__pycache__" not in file.parts:
            h.update(file.relative_to(PACKAGE).as_posix().encode())
            h.update(file.read_bytes())
    return h.hexdigest()


@dataclass
class Entry:
    """One file as last checked: its hash, and the pickled result of checking it."""

    sha: str
    checked: bytes  # pickle of catalogue.Checked, unpickled only when needed
    _value: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> tuple[str, bytes]:
        return self.sha, self.checked  # never the unpickled value: it is loaded when needed

    def __setstate__(self, state: tuple[str, bytes]) -> None:
        self.sha, self.checked = state
        self._value = None

    def value(self) -> Any:
        if self._value is None:
            self._value = pickle.loads(self.checked)
        return self._value


_MEMORY: dict[str, dict[str, Entry]] = {}  # per cache folder: what this process already holds


class ContentCache:
    """Checked fiches by (path as shown, hash of the bytes)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.file = folder / "fiches.pickle" if folder else None
        key = str(folder.resolve()) if folder else ""
        self.entries: dict[str, Entry] = _MEMORY.get(key) or self._load()
        self.seen: dict[str, Entry] = {}
        self.hits = 0
        self._key = key

    def _load(self) -> dict[str, Entry]:
        if self.file is None:
            return {}
        try:
            with self.file.open("rb") as stream:
                version, entries = pickle.load(stream)
            return entries if version == builder_version() else {}
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return {}

    def get(self, shown_as: str, sha: str) -> Any | None:
        entry = self.entries.get(shown_as)
        if entry is None or entry.sha != sha:
            return None
        try:
            value = entry.value()
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, never a failure
            return None
        self.seen[shown_as] = entry
        self.hits += 1
        return value

    def put(self, shown_as: str, sha: str, checked: Any) -> None:
        entry = Entry(sha, pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL), checked)
        self.seen[shown_as] = entry

    def save(self) -> None:
        """Keep the files of this read (and only those) for the next one."""
        if self.seen == self.entries:
            return
        self.entries = self.seen
        if self._key:
            _MEMORY[self._key] = self.seen
        if self.file is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
            write_atomically(self.file, pickle.dumps((builder_version(), self.seen), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


def write_atomically(file: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
