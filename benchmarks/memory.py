"""Memory of a build as a machine sees it: the PSS of each process group of a process tree,
sampled while it runs, and runs under a memory cap (a 7 GB runner) where the machine allows it.

PSS (proportional set size) counts a page shared by n processes as 1/n in each, so the sum over
processes is what they take together; RSS would count the render workers' shared pages again
in each worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stream:
                    fields = stream.read().rsplit(b")", 1)[1].split()
                tree.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return tree


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as stream:
            for line in stream:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


class PssSampler:
    """Samples the PSS of a process and its descendants, grouped: `pagefind` (the index),
    `build` (the build process and its render workers). Keeps each group's peak and the peak
    of their sum."""

    def __init__(self, pid: int, every: float = 0.5):
        self.pid, self.every = pid, every
        self.peaks: dict[str, float] = {}
        self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo, groups = _children(), [self.pid], {}
            while todo:
                pid = todo.pop()
                todo += tree.get(pid, [])
                group = "pagefind" if _name(pid).startswith("pagefind") else "build"
                groups[group] = groups.get(group, 0.0) + _pss_mb(pid)
            for group, mb in groups.items():
                self.peaks[group] = max(self.peaks.get(group, 0.0), mb)
            self.total = max(self.total, sum(groups.values()))
            self._stop.wait(self.every)


CGROUP_V1 = Path("/sys/fs/cgroup/memory")


def cap_prefix(limit_bytes: int, name: str) -> tuple[list[str], Path | None, str]:
    """A command prefix that runs a command under a memory cap, the cgroup to read the peak
    from (cgroup v1), and how the cap is applied; an empty prefix when this machine cannot."""
    if (CGROUP_V1 / "memory.limit_in_bytes").exists() and os.access(CGROUP_V1, os.W_OK):
        group = CGROUP_V1 / name
        try:
            group.mkdir(exist_ok=True)
            (group / "memory.limit_in_bytes").write_text(str(limit_bytes))
            (group / "memory.max_usage_in_bytes").write_text("0")
        except OSError:
            pass
        else:
            script = f'echo $$ > {group}/cgroup.procs && exec "$@"'
            return ["sh", "-c", script, "capped"], group, f"cgroup v1, memory.limit_in_bytes={limit_bytes}"
    if shutil.which("systemd-run"):
        probe = subprocess.run(["systemd-run", "--scope", "--quiet", "-p", f"MemoryMax={limit_bytes}", "true"],
                               capture_output=True)
        if probe.returncode == 0:
            return ["systemd-run", "--scope", "--quiet", "-p", f"MemoryMax={limit_bytes}"], None, \
                f"systemd-run --scope -p MemoryMax={limit_bytes}"
    return [], None, "no memory cap possible on this machine"


def cap_report(group: Path | None) -> dict:
    """What the cgroup saw: its peak (page cache included: the kernel reclaims it under the
    cap) and how often the cap was hit."""
    if group is None:
        return {}
    read = lambda f: int((group / f).read_text())  # noqa: E731
    found = {"peak_mb": read("memory.max_usage_in_bytes") / 1e6, "hits": read("memory.failcnt")}
    try:
        group.rmdir()
    except OSError:
        pass
    return found


def sampled(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, PssSampler]:
    """Run a command, sampling its tree's PSS; returns its result and the sampler."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    with PssSampler(process.pid) as sampler:
        out, err = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, out, err), sampler
