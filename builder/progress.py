"""Progress of a long build, on stderr: a bar that redraws itself on a terminal, a plain line
every few seconds elsewhere (CI logs), nothing with --quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False, every: float = 5.0):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.terminal = not quiet and self.stream.isatty()
        self.every = every  # seconds between plain lines
        self.step = ""
        self.total = 0
        self.done = 0
        self._shown = 0.0
        self._drawn = False

    def start(self, step: str, total: int) -> None:
        """A new step; with no total, a step whose length is unknown (shown on a terminal only)."""
        self.finish()
        self.step, self.total, self.done = step, total, 0
        self._shown = time.monotonic()
        if self.terminal and not total:
            self.stream.write(f"\r  {step}…\x1b[K")
            self.stream.flush()
            self._drawn = True

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet or not self.total:
            return
        now = time.monotonic()
        if self.terminal:
            if now - self._shown >= 0.1 or self.done >= self.total:
                self._draw()
                self._shown = now
        elif now - self._shown >= self.every:
            print(f"  {self.step}: {self.done:,}/{self.total:,} ({100 * self.done // self.total}%)", file=self.stream, flush=True)
            self._shown = now

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // self.total
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r  {self.step} {bar} {self.done:,}/{self.total:,}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
