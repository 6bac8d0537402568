"""The record of the site last built into an output folder: what each file was made from
(its signature) and what it holds (its hash). The next build compares against it to make
only the files whose inputs changed, and to write only those whose bytes changed.

It lives in the cache folder, not in the site (it would be published), and names the build
it describes; the site's marker file names the same build. When they disagree (the site
was rebuilt by another command, or a build was killed half-way through its commit), the
record is not trusted and the next build makes everything.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..files import builder_version, write_atomically
from ..errors import Problem


@dataclass
class Manifest:
    inputs: str  # hash of every input file and option: equal inputs, nothing to do
    signatures: dict[str, str] = field(default_factory=dict)  # planned file -> signature
    hashes: dict[str, str] = field(default_factory=dict)  # every file of the site -> hash of its bytes
    problems: list[Problem] = field(default_factory=list)  # warnings, shown again when nothing changed
    pages: int = 0
    index: object = None  # search.Index of the last indexing
    index_stale: bool = False  # the search index predates some fiche pages (indexing was put off)
    stats: dict = field(default_factory=dict)  # fiche file -> (its stat, hash): unchanged files are not read again

    @cached_property  # a record is not changed once made
    def build_id(self) -> str:
        h = hashlib.blake2b(digest_size=12)
        h.update(self.inputs.encode())
        for path in sorted(self.hashes):
            h.update(f"{path}\0{self.hashes[path]}\n".encode())
        return h.hexdigest()


def manifest_file(cache_folder: Path, out: Path) -> Path:
    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return cache_folder / f"site-{name}.pickle"


def read_manifest(cache_folder: Path | None, out: Path, marker_id: str | None) -> Manifest | None:
    """The record of the site in `out`, if there is one and it matches the site's marker."""
    if cache_folder is None or marker_id is None:
        return None
    try:
        with manifest_file(cache_folder, out).open("rb") as stream:
            version, manifest = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    if version != builder_version() or not isinstance(manifest, Manifest) or manifest.build_id != marker_id:
        return None
    return manifest


def save_manifest(cache_folder: Path | None, out: Path, manifest: Manifest) -> None:
    if cache_folder is None:
        return
    try:
        cache_folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps((builder_version(), manifest), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(manifest_file(cache_folder, out), data)
    except OSError:
        pass
