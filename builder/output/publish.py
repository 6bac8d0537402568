"""How one build's files reach the live site, in one object: the record of the site last built
(trusted only when the site's marker names it), the pages signed against it (those whose
signature it has are kept), the files written into a staging folder (only those whose bytes
changed, with a trusted record), then put in place at once with the new record saved. Until
the commit the live site is untouched; a failure or a kill leaves it whole (see write.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import Config
from ..parallel import fork_map
from ..progress import Progress
from ..pages.dependencies import Digests
from ..pages.page import EVERYTHING, Page
from .manifest import Manifest, read_manifest, save_manifest
from .write import Output, StaleSite

__all__ = ["Publication", "StaleSite"]

# Making many pages: spread over the processor's cores, each worker writing its pages itself.
PARALLEL_FROM = 400  # fewer pages are made in-process: starting workers would cost more
CHUNK = 32


class Publication:
    """Use as a context manager: whatever happens, what was not committed is removed."""

    def __init__(self, config: Config):
        self.config = config
        self.output = self._output()
        self._scratch: Path | None = None

    def _output(self) -> Output:
        config = self.config
        return Output(config.out, protected=[config.root, config.content, config.templates])

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, *exc: object) -> None:
        self.output.abort()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def scratch(self) -> Path:
        """A folder of this build's own, beside the staging folder, removed when it ends (the
        fiches checked by a build that keeps nothing for the next, `--no-cache`)."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix=self.output.staging.name + "-scratch-", dir=self.output.staging.parent))
        return self._scratch

    def restart(self) -> None:
        """Start again from nothing (the live site changed under a delta build: StaleSite)."""
        self.output.abort()
        self.output = self._output()

    def last_build(self, known: Manifest | None) -> Manifest | None:
        """The record of the site in the output folder: `known` (this process's last build)
        when the site's marker still names it, else the one in the cache folder if it does."""
        marker = self.output.marker_id()
        if known is not None and marker == known.build_id:
            return known
        return read_manifest(self.config.cache_folder, self.config.out, marker)

    def build_on(self, previous: Manifest | None) -> None:
        """Write only what changed since `previous` (None: write everything, swap it in whole)."""
        self.output.previous = previous if previous is not None and self.output.out.is_dir() else None

    def sign(self, pages: Iterable[Page], digests: Digests, key: str, school: bool) -> list[Page]:
        """Sign every page; those the last build made with the same signature are kept, the
        others returned, to be made. A school's own templates may read anything of the
        catalogue: they make every page depend on all of it."""
        previous = self.output.previous.signatures if self.output.previous else {}
        todo = []
        for page in pages:
            page.signature = digests.signature(key, page.path, [EVERYTHING] if school else page.deps)
            if previous.get(page.path) == page.signature:
                self.output.keep(page.file)
            else:
                todo.append(page)
        return todo

    def make(self, pages: list[Page], make: Callable[[Page], str | bytes], progress: Progress) -> None:
        """Make `pages` and write those whose bytes changed into the staging folder, on all
        cores; the output records each file's hash and whether it changed."""
        progress.start("rendering", len(pages))
        output = self.output

        def task(i: int) -> tuple[str, bool]:
            return output.store(pages[i].file, make(pages[i]))

        try:
            for done in fork_map(task, len(pages), chunk=CHUNK, minimum=PARALLEL_FROM):
                for i, (sha, written) in done:
                    output.record(pages[i].file, sha, written)
                progress.advance(len(done))
        finally:
            progress.finish()

    def keep_all_but(self, made: set[str], prefix: str) -> None:
        """Keep every file of the last build but those in `made` and those under `prefix`."""
        assert self.output.previous is not None
        for path in self.output.previous.hashes:
            if path not in made and not path.startswith(prefix):
                self.output.keep(path)

    def commit(self, manifest: Manifest) -> None:
        """Put the new site in place and keep its record for the next build."""
        self.output.commit(manifest.build_id)
        save_manifest(self.config.cache_folder, self.config.out, manifest)
