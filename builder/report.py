"""What a build did: every file written, kept or removed, pages made, fiches read, warnings,
and the time of each step (with `--profile`, the functions that took it)."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import dataclass, field

from .errors import Problem
from .search.index import Index


@dataclass
class Report:
    problems: list[Problem]
    base_path: str = "/"
    pages: int = 0  # files the site is made of (pages and data files)
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    index: Index | None = None
    files_kept: int = 0  # identical to the previous build's: not rewritten, timestamps kept
    files_new: int = 0  # new or changed: written
    files_removed: int = 0  # no longer made: removed
    rendered: int = 0  # pages and data files made (the others' inputs had not changed)
    fiches_read: int = 0  # fiche files parsed and validated (the others came from the cache)
    nothing_changed: bool = False  # same inputs as the site's last build: nothing was done
    index_put_off: bool = False  # fiche pages changed but the search index was not updated (yet)
    quick: bool = False  # only the text of a few fiches changed: their pages were remade from the last plan


class Steps:
    """Time spent in each step of a build, in order. With `profile`, each step also runs under
    Python's profiler, and `profiles` keeps, per step, its functions that took the most time
    (the build then runs on one core, so that the profiler sees everything)."""

    def __init__(self, profile: bool = False) -> None:
        self.started = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.profiles: dict[str, str] = {}
        self._profiler = cProfile.Profile() if profile else None
        if self._profiler is not None:
            self._profiler.enable()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now
        if self._profiler is not None:
            self._profiler.disable()
            text = io.StringIO()
            stats = pstats.Stats(self._profiler, stream=text)
            stats.sort_stats("tottime").print_stats(PROFILED)
            self.profiles[name] = self.profiles.get(name, "") + _table(text.getvalue())
            self._profiler = cProfile.Profile()
            self._profiler.enable()

    def stop(self) -> None:
        if self._profiler is not None:
            self._profiler.disable()
            self._profiler = None

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


PROFILED = 15  # functions shown per step


def _table(printed: str) -> str:
    """The lines of pstats' table (its header and rows), without the lines around them."""
    lines = printed.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), len(lines))
    return "\n".join(line for line in lines[start:] if line.strip()) + "\n"
