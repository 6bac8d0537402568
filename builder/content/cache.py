"""What one build keeps for the next: each fiche file already read and checked, keyed by its
contents, so that an unchanged fiche is neither parsed nor validated again.

Two levels: in memory for a long-lived process (`catalogue serve`), and on disk
(`.catalogue-cache/` beside `content/`) for the next `catalogue build`. Entries are keyed by
the file's path and the hash of its bytes, never by its time stamp, and the disk file is
stamped with the version of the builder (its code and data): a new version starts afresh.
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Any

from ..files import builder_version, digest, write_atomically

FOLDER_NAME = ".catalogue-cache"


Stat = tuple[int, int, int, int]  # modification and change times, size, inode
_HASHES: dict[str, tuple[Stat, str]] = {}  # path -> (its stat, hash of its bytes)


def file_hash(file: Path) -> str | None:
    """The hash of a file's bytes, read again only when its size, times or inode changed since
    this process last read it (the changes `catalogue serve` watches for). None if unreadable."""
    path = os.path.abspath(file)
    try:
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        known = _HASHES.get(path)
        if known is not None and known[0] == key:
            return known[1]
        sha = digest(file.read_bytes())
    except OSError:
        return None
    _HASHES[path] = (key, sha)
    return sha


def known_hashes(paths: list[str]) -> dict[str, tuple[Stat, str]]:
    """What this process knows of these files (stat and hash), for the next process."""
    absolute = (os.path.abspath(path) for path in paths)
    return {path: _HASHES[path] for path in absolute if path in _HASHES}


def trust_hashes(known: dict[str, tuple[Stat, str]]) -> None:
    """Take hashes recorded by an earlier build: a file whose stat (size, inode, modification
    and change times) is still the recorded one is not read again."""
    for path, entry in known.items():
        _HASHES.setdefault(path, entry)


_MEMORY: dict[str, dict[str, Any]] = {}  # per cache folder: the checked files this process holds (light)
LIGHT = ".l"  # suffix of an entry's light file


def forget_checked(folder: Path | None) -> None:
    """Drop what this process holds of the checked files of a cache folder."""
    if folder is not None:
        _MEMORY.pop(str(folder.resolve()), None)


class ContentCache:
    """Checked files by (path as shown, hash of the bytes), in `<folder>/fiches-<builder version>/`:
    for each, its check with the full fiche (`<entry>`), and with the light fiche
    (`<entry>.l`, see legere.py), which is what a build reads; the full one is read only by
    the process that makes the fiche's own pages (`full`). In memory, this process keeps the
    light ones. Without a folder, the full fiches stay in memory."""

    def __init__(self, folder: Path | None, remember: bool = True):
        """`remember`: keep the light checks in memory for the next read by this process."""
        self.folder = folder / f"fiches-{builder_version()[:16]}" if folder else None
        self.memory: dict[str, Any] = _MEMORY.setdefault(str(folder.resolve()), {}) if folder and remember else {}
        if self.memory and self.folder is not None and not self.folder.is_dir():
            self.memory.clear()  # removed by a build of another version: the full fiches went with it
        self.fulls: dict[str, bytes] = {}  # without a folder: entry -> its pickled full check
        self.seen: dict[str, str] = {}  # path as shown -> entry name, for this read
        self.hits = 0
        self._made = False  # the folder exists

    @staticmethod
    def name(shown_as: str, sha: str) -> str:
        return digest(f"{shown_as}\0{sha}".encode())

    def get(self, shown_as: str, sha: str) -> Any | None:
        """The light check of a file's bytes, if they were checked before."""
        name = self.name(shown_as, sha)
        value = self.memory.get(name)
        if value is None and self.folder is not None:
            try:
                value = pickle.loads((self.folder / (name + LIGHT)).read_bytes())
            except Exception:  # noqa: BLE001 - missing or damaged: a miss, never a failure
                return None
        if value is None:
            return None
        self.memory[name] = value
        self.seen[shown_as] = name
        self.hits += 1
        return value

    def write(self, name: str, full: bytes, light: bytes) -> bool:
        """Write an entry's two files (in a worker, or here); False if they cannot be written."""
        if self.folder is None:
            return False
        try:
            if not self._made:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            write_atomically(self.folder / name, full)
            write_atomically(self.folder / (name + LIGHT), light)
            return True
        except OSError:
            return False

    def put(self, shown_as: str, sha: str, light: bytes, full: bytes | None) -> Any:
        """Keep a file's check: its light pickle, and its full one when it was not written
        (no folder, or the worker could not write it). Returns the light check."""
        name = self.name(shown_as, sha)
        value = pickle.loads(light)
        self.memory[name] = value
        self.seen[shown_as] = name
        if full is not None and not self.write(name, full, light):
            self.fulls[name] = full
        return value

    def full(self, name: str) -> Any | None:
        """The full check of an entry (its fiche whole), read again (None if it is gone)."""
        pickled = self.fulls.get(name)
        if pickled is None and self.folder is not None:
            try:
                pickled = (self.folder / name).read_bytes()
            except OSError:
                return None
        return pickle.loads(pickled) if pickled is not None else None

    def forget(self, shown_as: str, sha: str) -> None:
        """Drop an entry from memory (its value is about to be changed in place)."""
        self.memory.pop(self.name(shown_as, sha), None)

    def save(self) -> None:
        """Keep the files of this read, and only those, for the next one."""
        keep = set(self.seen.values())
        for name in [n for n in self.memory if n not in keep]:
            del self.memory[name]
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for entry in os.scandir(self.folder):
                if entry.name.removesuffix(LIGHT) not in keep:
                    os.unlink(entry.path)
            for other in self.folder.parent.glob("fiches-*"):  # entries of other builder versions
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass
