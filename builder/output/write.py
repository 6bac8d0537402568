"""Write a build into a staging folder beside the output folder, then swap it in whole.

A failed or killed build never touches the previous site: until the swap, everything
is written into `.site.build-<pid>-XXXX`; the swap is one atomic exchange of two folders
(Linux `renameat2(RENAME_EXCHANGE)`), or three renames where that call is missing.
Builds running at once swap one after the other (a lock on the parent folder), and the
next build removes the staging folder of a build that was killed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..files import digest, write_atomically
from ..errors import BuildError
from .manifest import Manifest

MARKER = ".catalogue-build"  # marks a folder as ours, so a build never replaces anything else


class Output:
    """The files of one build. With the record of the previous build (`previous`), only the
    files whose bytes changed are written, and the commit moves them into the live site one
    by one; without it, the whole site is written and swapped in at once."""

    def __init__(self, out: Path, protected: list[Path], previous: Manifest | None = None):
        self.out = out.resolve()
        for folder in protected:
            folder = folder.resolve()
            if self.out == folder or folder.is_relative_to(self.out):
                raise BuildError(f"refusing to write the site into {out}: it would replace {folder}")
        if self.out.exists() and not (self.out / MARKER).exists() and any(self.out.iterdir()):
            raise BuildError(
                f"refusing to replace {out}: it is not empty and was not made by `catalogue build`; "
                "choose another --out folder or empty this one"
            )
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging(self.out)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.build-{os.getpid()}-", dir=self.out.parent))
        self.staging.chmod(0o755)
        self.previous = previous if previous is not None and self.out.is_dir() else None
        self.hashes: dict[str, str] = {}  # every file of the new site -> hash of its bytes
        self.changed: set[str] = set()  # files written into the staging folder
        self._folders: set[str] = set()  # folders already made in the staging folder

    @property
    def delta(self) -> bool:
        """Whether only changed files are written (there is a trusted previous build)."""
        return self.previous is not None

    def marker_id(self) -> str | None:
        """The build named by the live site's marker file."""
        try:
            text = (self.out / MARKER).read_text(encoding="utf-8")
        except OSError:
            return None
        found = re.search(r"^build ([0-9a-f]+)$", text, re.MULTILINE)
        return found[1] if found else None

    def target(self, path: PurePosixPath | str) -> str:
        target = os.path.normpath(os.path.join(self.staging, path))
        if not target.startswith(str(self.staging) + os.sep):
            raise BuildError(f"refusing to write {path} outside the output folder")
        return target

    def store(self, path: PurePosixPath | str, content: str | bytes) -> tuple[str, bool]:
        """Write a file unless the previous build has the same bytes there. Safe to call in a
        worker process: the parent records the result with `record`. Returns (hash, written)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self.target(path)
        sha = digest(data)
        if self.previous is not None and self.previous.hashes.get(str(path)) == sha:
            return sha, False
        folder = os.path.dirname(target)
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(target, "wb") as stream:
            stream.write(data)
        return sha, True

    def _refuse_twice(self, path: PurePosixPath | str) -> None:
        if str(path) in self.hashes:
            raise BuildError(f"two pages would be written to {path}; each page needs its own address")

    def record(self, path: PurePosixPath | str, sha: str, written: bool) -> None:
        self._refuse_twice(path)
        key = str(path)
        self.hashes[key] = sha
        if written:
            self.changed.add(key)

    def write(self, path: PurePosixPath | str, content: str | bytes) -> None:
        self._refuse_twice(path)  # before storing: the first file's bytes stay as they were
        self.record(path, *self.store(path, content))

    def file(self, path: str) -> Path:
        """Where a file of the new site is now: written by this build (in the staging folder),
        or kept from the live site."""
        return self.staging / path if not self.delta or path in self.changed else self.out / path

    def keep(self, path: str) -> None:
        """A file the previous build made from the same inputs: kept as it is."""
        assert self.previous is not None
        self.record(path, self.previous.hashes[path], False)

    def copy_tree(self, source: Path, prefix: str) -> None:
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            relative = file.relative_to(source).as_posix()
            path = PurePosixPath(prefix) / relative
            if path.as_posix() not in self.hashes:  # a school's file, copied first, wins over ours
                self.write(path, file.read_bytes())

    def removed(self) -> list[str]:
        """Files of the previous site that this build no longer makes."""
        if self.previous is None:
            return []
        return sorted(set(self.previous.hashes) - set(self.hashes))

    def keep_unchanged(self) -> tuple[int, int]:
        """A whole build over a site without a trusted record: files identical to the current
        site's become hard links to them, so that their timestamps (and inodes) are kept and a
        deploy uploads only what changed. Returns (kept, new)."""
        if self.delta:
            return len(self.hashes) - len(self.changed), len(self.changed)
        kept = new = 0
        if not self.out.is_dir():
            return 0, sum(1 for p in self.staging.rglob("*") if p.is_file())
        for file in sorted(p for p in self.staging.rglob("*") if p.is_file() and p.name != MARKER):
            previous = self.out / file.relative_to(self.staging)
            try:
                with previous.open("rb") as old:
                    before = os.fstat(old.fileno())
                    same = before.st_size == file.stat().st_size and old.read() == file.read_bytes()
                if same:
                    link = file.with_name(file.name + ".link")
                    os.link(previous, link)
                    after = os.stat(link)
                    if (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino):  # the very file compared
                        os.replace(link, file)
                        kept += 1
                        continue
                    link.unlink()
            except OSError:
                pass
            new += 1
        return kept, new

    def commit(self, build_id: str) -> None:
        """Put the new site in place. A whole build swaps the staging folder in (it then holds the
        previous site, for abort() to remove). A delta build moves its changed files in and
        removes the files no longer made, provided the live site is still the one it started
        from; otherwise it raises StaleSite, and the build starts again whole."""
        marker = f"Built by `catalogue build`; replaced whole by the next build.\nbuild {build_id}\n"
        with _locked(self.out.parent):  # builds running at once commit one after the other
            if self.previous is not None:
                if self.marker_id() != self.previous.build_id:
                    raise StaleSite()
                self._move_in(marker)
                return
            (self.staging / MARKER).write_text(marker)
            if self.out.exists():
                _exchange(self.staging, self.out)  # staging now holds the previous site
            else:
                os.rename(self.staging, self.out)

    def _move_in(self, marker: str) -> None:
        for path in sorted(self.changed):
            target = self.out / path
            if target.parent.is_file() or target.parent.is_symlink():
                target.parent.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(self.staging / path, target)
        for path in self.removed():
            target = self.out / path
            target.unlink(missing_ok=True)
            for folder in target.parents:
                if folder == self.out or any(folder.iterdir()):
                    break
                folder.rmdir()
        write_atomically(self.out / MARKER, marker.encode())

    def abort(self) -> None:
        """Remove the staging folder: the unfinished build, or after commit() the previous site."""
        shutil.rmtree(self.staging, ignore_errors=True)


class StaleSite(Exception):
    """The live site changed while a delta build was running (another build committed)."""


def _remove_abandoned_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for folder in out.parent.glob(f".{out.name}.build-*"):
        pid = folder.name.removeprefix(f".{out.name}.build-").split("-")[0]
        if pid.isdigit() and not running(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def running(pid: int) -> bool:
    """Whether a process is alive (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (flock on its descriptor: no lock file is left behind)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _exchange(a: Path, b: Path) -> None:
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
    old = b.with_name(b.name + ".old-" + a.name.rsplit("-", 1)[-1])
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)
