"""Python's cycle collector and a long-lived catalogue. The collector walks every object that
has survived its last runs; a national catalogue holds millions of them, none of which it will
ever free, so each full collection costs seconds (it made a title edit in `catalogue serve` at
25,638 fiches twice as slow). Objects read for the whole build are made permanent (`gc.freeze`)
once read, and made collectable again when the next whole build replaces them. Reference
counting still frees everything as usual: only cycles wait."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def reading() -> Iterator[None]:
    """While the catalogue is read: almost every object made lives as long as the build, so the
    collector is paused, and what was read is made permanent after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()


def settled() -> None:
    """After a whole build: what it keeps (the catalogue, the plan, for `catalogue serve`)
    becomes permanent too."""
    gc.freeze()


def replaced() -> None:
    """Before a whole build: what the last one kept may be collected again."""
    gc.unfreeze()
