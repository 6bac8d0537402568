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
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import BuildError

MARKER = ".catalogue-build"  # marks a folder as ours, so a build never replaces anything else


class Output:
    def __init__(self, out: Path, protected: list[Path]):
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
        self.written: set[PurePosixPath] = set()

    def write(self, path: PurePosixPath, content: str | bytes) -> None:
        if path in self.written:
            raise BuildError(f"two pages would be written to {path}; each page needs its own address")
        target = (self.staging / path).resolve()
        if not target.is_relative_to(self.staging):
            raise BuildError(f"refusing to write {path} outside the output folder")
        self.written.add(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def copy_tree(self, source: Path, prefix: str) -> None:
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            relative = file.relative_to(source).as_posix()
            path = PurePosixPath(prefix) / relative
            if path not in self.written:  # a school's file, copied first, wins over ours
                self.write(path, file.read_bytes())

    def keep_unchanged(self) -> tuple[int, int]:
        """Files identical to the current site's become hard links to them: their timestamps
        (and inodes) are kept, so a deploy uploads only what changed. Returns (kept, new)."""
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

    def commit(self) -> None:
        """Swap the staging folder in; it then holds the previous site, for abort() to remove."""
        (self.staging / MARKER).write_text("Built by `catalogue build`; replaced whole by the next build.\n")
        with _locked(self.out.parent):  # builds running at once swap one after the other
            if self.out.exists():
                _exchange(self.staging, self.out)  # staging now holds the previous site
            else:
                os.rename(self.staging, self.out)

    def abort(self) -> None:
        """Remove the staging folder: the unfinished build, or after commit() the previous site."""
        shutil.rmtree(self.staging, ignore_errors=True)


def _remove_abandoned_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for folder in out.parent.glob(f".{out.name}.build-*"):
        pid = folder.name.removeprefix(f".{out.name}.build-").split("-")[0]
        if pid.isdigit() and not _running(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
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
