"""National-scale benchmark (work in progress for issue 8): for each catalogue size, a cold full
build, Pagefind's share, a rebuild with nothing changed, a rebuild after editing one fiche, peak
memory, pages and output size. Each build runs in its own process, so memory is its own.

    python -m benchmarks.national 1000 10000 25638
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .catalogue import generate

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import datetime as dt, json, resource, sys
from pathlib import Path
from builder.build import build
from builder.config import Config
report = build(Config(root=Path(sys.argv[1]), out=Path(sys.argv[2]), base_path="/catalogue/",
                      today=dt.date(2026, 11, 23), templates_dir=Path(sys.argv[3])))
print(json.dumps({"seconds": report.seconds, "steps": report.steps, "pages": report.pages,
                  "kept": report.files_kept, "new": report.files_new,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_once(project: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(project), str(out), str(ROOT / "templates")],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(fiches: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-national-{fiches}-") as tmp:
        started = time.perf_counter()
        project = generate(Path(tmp) / "project", fiches)
        generated = time.perf_counter() - started
        out = Path(tmp) / "site"
        cold = build_once(project, out)
        same = build_once(project, out)
        fiche = next((project / "content" / "fiches").glob("*.yaml"))
        fiche.write_text(fiche.read_text(encoding="utf-8").replace("intitule: ", "intitule: Révisé ", 1), encoding="utf-8")
        edited = build_once(project, out)
        output = size_of(out)
    index = cold["steps"].get("index for search", 0)
    print(f"\n{fiches:,} fiches (generated in {generated:.0f} s): {cold['pages']:,} pages, {output / 1e6:,.0f} MB")
    print(f"  cold build {cold['seconds']:.1f} s (without Pagefind {cold['seconds'] - index:.1f} s; Pagefind {index:.1f} s), "
          f"peak memory {cold['rss_mb']:,.0f} MB")
    print(f"  rebuild, nothing changed: {same['seconds']:.1f} s ({same['kept']:,} files kept, {same['new']:,} new)")
    print(f"  rebuild after editing one fiche: {edited['seconds']:.1f} s ({edited['new']:,} files changed)")
    print("  steps (cold): " + ", ".join(f"{k} {v:.1f} s" for k, v in cold["steps"].items()))


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10000, 25638]:
        run(size)
