"""Files and hashes: the digest of some bytes, an atomic write, and the version of the builder
itself (a hash of its code and data), which stamps everything kept from one build to the next."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@cache
def builder_version() -> str:
    """A hash of the builder's own code and data files, and of the Python running it."""
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for file in sorted(PACKAGE.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".csv", ".gz", ".json", ".txt", ".md", ".yaml") and "__pycache__" not in file.parts:
            h.update(file.relative_to(PACKAGE).as_posix().encode())
            h.update(file.read_bytes())
    return h.hexdigest()


def write_atomically(file: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
