"""Lighthouse on every page kind: a generated catalogue (realistic places and bodies, so that
every kind of page exists) with a national catalogue's settings (inactive fiches as summaries,
searched on request), built under /catalogue/, served locally, each page audited by
Lighthouse 12 (npm, installed by `make bench-lighthouse`) in Debian's Chromium, mobile form
factor with simulated throttling (Lighthouse's defaults). Prints the four category scores, the
cumulative layout shift, the largest contentful paint and the bytes of each page.

    make bench-lighthouse
    python -m benchmarks.lighthouse 300   # catalogue size
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from builder.build import build
from builder.config import Config
from builder.serve.server import make_server

from .catalogue import generate
from .national import national_settings

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
         "--disable-sync --no-first-run --disable-dev-shm-usage")


def pages(site: Path) -> dict[str, str]:
    """One address of each page kind (from the site root)."""
    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern), key=lambda p: (len(p.parts), str(p)))
        return str(found[0].parent.relative_to(site)) + "/"

    fiche_with_places = first("fiches/*/lieux/index.html").removesuffix("lieux/")
    summaries = sorted(p.parent.name for p in site.glob("fiches/*/index.html")
                       if 'data-pagefind-filter="statut">Inactive' in p.read_text(encoding="utf-8"))
    charted = [f.stem for f in sorted((site / "comparer").glob("rncp*.json"))
               if not f.stem.endswith("-lieux") and json.loads(f.read_text(encoding="utf-8"))["graphique"]]
    return {
        "fiche with a chart": f"fiches/{charted[0]}/",
        "compare, three fiches": "comparer/?f=" + ",".join(n.upper() for n in charted[:3]),
        "home": "",
        "home, page 2": first("page/*/index.html"),
        "search": "recherche/",
        "search, a text": "recherche/?q=projet",
        "search, inactive included": "recherche/?q=projet&inactives=1",
        "search, only inactive": f"recherche/?q={summaries[0].upper()}",
        "search, near a town": "recherche/?pres=35000&km=30",
        "search, a word found nowhere": "recherche/?q=xqzwv",
        "search, a synonym": "recherche/?q=alternance",
        "search, nothing within the radius": "recherche/?q=projet&pres=Ajaccio&km=10",
        "fiche with many places": fiche_with_places,
        "inactive fiche's summary": f"fiches/{summaries[0]}/",
        "places of a fiche": fiche_with_places + "lieux/",
        "bodies of a fiche": first("fiches/*/organismes/index.html"),
        "bloc": first("fiches/*/blocs/*/index.html"),
        "levels": "niveaux/",
        "a level": first("niveaux/*/index.html"),
        "ROME job": first("rome/*/index.html"),
        "certifier": first("certificateurs/*/index.html"),
        "région": first("regions/*/index.html"),
        "département": first("departements/*/index.html"),
        "national map": "carte/",
        "open data": "donnees/",
        "legal notice": "mentions-legales/",
        "accessibility statement": "accessibilite/",
    }


def audit(url: str, lighthouse: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(lighthouse), url, "--quiet", f"--chrome-flags={FLAGS}", "--output=json", f"--output-path={report}"],
                       check=True, env={**os.environ, "CHROME_PATH": chromium(), "TMPDIR": tmp})
        data = json.loads(report.read_text())
    audits = data["audits"]
    figures = {name: round(category["score"] * 100) for name, category in data["categories"].items()}
    figures["CLS"] = audits["cumulative-layout-shift"]["numericValue"]
    figures["LCP ms"] = audits["largest-contentful-paint"]["numericValue"]
    figures["KB"] = audits["total-byte-weight"]["numericValue"] / 1024
    return figures


def chromium() -> str:
    from tests.conftest import chromium_path

    return chromium_path()


def main(fiches: int) -> None:
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        sys.exit("Lighthouse is not installed: run `make bench-lighthouse`")
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        project = generate(Path(tmp) / "project", fiches)
        national_settings(project)  # a national catalogue's: summaries, inactive fiches searched on request
        site = Path(tmp) / "site"
        build(Config(root=project, out=site, base_path="/catalogue/", today=dt.date(2026, 11, 23),
                     templates_dir=ROOT / "templates"))
        server = make_server(site, "/catalogue/", 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print(f"\n{fiches:,} generated fiches; Lighthouse, mobile, simulated throttling")
            print(f"{'page':<26} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4} {'CLS':>6} {'LCP ms':>7} {'KB':>6}  address")
            for kind, path in pages(site).items():
                url = f"http://127.0.0.1:{server.server_port}/catalogue/{path}"
                f = audit(url, lighthouse)
                print(f"{kind:<26} {f['performance']:>4} {f['accessibility']:>4} {f['best-practices']:>4} {f['seo']:>4} "
                      f"{f['CLS']:>6.3f} {f['LCP ms']:>7,.0f} {f['KB']:>6,.0f}  /catalogue/{path}", flush=True)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
