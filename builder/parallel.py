"""Work spread over the processor's cores: forked workers share the parent's memory (the
catalogue, the compiled templates) and send back only small results."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from .errors import BuildError

_TASK: Callable[[int], Any] | None = None


_ONE_CORE = False


def one_core() -> None:
    """Work in this process only, from now on (to profile a build)."""
    global _ONE_CORE
    _ONE_CORE = True


def cores() -> int:
    if _ONE_CORE:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def fork_map(task: Callable[[int], Any], count: int, *, chunk: int, minimum: int) -> Iterator[list[tuple[int, Any]]]:
    """`task(i)` for every i below `count`, by chunks of consecutive indices: in forked workers
    from `minimum` items on (and with two cores or more), in this process otherwise. Yields
    each chunk's [(i, result)] as it is done. A BuildError in a worker is raised here."""
    workers = min(cores(), count // chunk + 1)
    if count < minimum or workers < 2 or multiprocessing.current_process().daemon:
        for start in range(0, count, chunk):
            yield [(i, task(i)) for i in range(start, min(start + chunk, count))]
        return
    global _TASK
    _TASK = task
    frozen = gc.get_freeze_count()  # objects the build made permanent (see heap.py) stay so
    if not frozen:  # frozen already: what came since is small, and freezing it again would keep its garbage
        gc.freeze()  # the workers' garbage collector leaves the shared objects (and their memory pages) alone
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_die_with_parent) as pool:
            for done in pool.imap_unordered(_run_chunk, [range(i, min(i + chunk, count)) for i in range(0, count, chunk)]):
                if isinstance(done, BuildError):
                    raise done
                yield done
    finally:
        _TASK = None
        if not frozen:
            gc.unfreeze()


def _run_chunk(indices: range) -> list[tuple[int, Any]] | BuildError:
    assert _TASK is not None
    try:
        return [(i, _TASK(i)) for i in indices]
    except BuildError as exc:
        return exc


def _die_with_parent() -> None:
    """A worker stops when the build is killed, instead of writing on into its staging folder."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
