"""Search benchmark: build generated catalogues, then measure the Pagefind index and, in
Chromium, the bytes a student downloads for the search page and the first queries, and for a
comparison of three fiches (the compare page on a cold cache).

    make bench-search                 # 1,000 and 10,000 fiches
    python -m benchmarks.search 2000  # other sizes

Bytes are counted per response in Chromium (the Web Worker's requests included): headers
plus body, with HTML, CSS, JavaScript and JSON counted gzipped as GitHub Pages serves
them (Pagefind's data files are gzipped already).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from builder.build import build
from builder.config import Config
from builder.serve.server import make_server

from .catalogue import generate

QUERIES = ["projet", "stratégie digitale", "RNCP30042"]
NEAR = [("35000", "30"), ("75011", "30"), ("Lyon", "50")]  # a town, Paris (eight départements in reach), a name
COMPRESSED = {".html", ".css", ".js", ".json", ".svg"}  # GitHub Pages gzips these; Pagefind's data is gzipped already


def measure(site: Path) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import chromium_path

    server = make_server(site, "/catalogue/", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    figures: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path())
            context = browser.new_context()
            transferred: list[int] = []  # every response, the Web Worker's included

            def finished(request) -> None:
                sizes = request.sizes()
                body = sizes["responseBodySize"]
                local = site / urlsplit(request.url).path.removeprefix("/catalogue/")
                if local.is_dir():
                    local = local / "index.html"
                if local.suffix in COMPRESSED and local.is_file():  # as GitHub Pages sends it
                    body = len(gzip.compress(local.read_bytes(), compresslevel=6))
                transferred.append(body + sizes["responseHeadersSize"])

            context.on("requestfinished", finished)

            def settle() -> None:
                # "networkidle" is a load state, reached once per navigation: after a query,
                # wait instead until no request has finished for half a second
                while True:
                    count = len(transferred)
                    page.wait_for_timeout(500)
                    if len(transferred) == count:
                        return

            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/catalogue/recherche/")
            page.wait_for_load_state("networkidle")
            figures["page"], figures["page requests"] = sum(transferred), len(transferred)
            seen = len(transferred)
            for i, query in enumerate(QUERIES, 1):
                page.fill("#recherche-q", query)
                page.press("#recherche-q", "Enter")
                page.wait_for_function(f"document.getElementById('recherche-etat').textContent.includes({query!r})")
                settle()
                figures[f"query {i}"], figures[f"query {i} requests"] = sum(transferred[seen:]), len(transferred) - seen
                figures[f"query {i} results"] = page.locator("#recherche-resultats > li").count()
                seen = len(transferred)
            for town, km in NEAR:  # each from a fresh search page, as a visitor arriving
                page.goto(f"http://127.0.0.1:{server.server_port}/catalogue/recherche/")
                page.wait_for_load_state("networkidle")
                seen = len(transferred)
                page.select_option("#recherche-km", km)
                page.fill("#recherche-pres", town)
                page.wait_for_function("""() => / km d/.test(document.getElementById('recherche-etat').textContent)
                    && document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'""")
                settle()
                figures[f"near {town}"], figures[f"near {town} requests"] = sum(transferred[seen:]), len(transferred) - seen
                figures[f"near {town} results"] = page.inner_text("#recherche-etat")
            for name, numeros in comparisons(site).items():  # each in a fresh context: a cold cache
                cold = browser.new_context()
                before = len(transferred)
                cold.on("requestfinished", finished)
                tab = cold.new_page()
                tab.goto(f"http://127.0.0.1:{server.server_port}/catalogue/comparer/?f={','.join(numeros)}")
                tab.wait_for_function("document.querySelectorAll('#comparer-table thead th').length === 3")
                tab.wait_for_load_state("networkidle")
                figures[name], figures[f"{name} requests"] = sum(transferred[before:]), len(transferred) - before
                figures[f"{name} fiches"] = ", ".join(numeros)
                cold.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


def comparisons(site: Path) -> dict[str, list[str]]:
    """Three fiches to compare: the first three numbers, and the three whose files for the
    compare page are the largest (the heaviest comparison of the catalogue)."""
    files = sorted((site / "comparer").glob("*.json"))
    fiches = [f for f in files if not f.stem.endswith("-lieux")]
    numero = lambda f: f.stem.upper()  # noqa: E731
    largest = sorted(fiches, key=lambda f: (-f.stat().st_size, f.name))[:3]
    return {"compare, first three": [numero(f) for f in fiches[:3]],
            "compare, heaviest three": [numero(f) for f in largest]}


def run(fiches: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-search-{fiches}-") as tmp:
        started = time.perf_counter()
        project = generate(Path(tmp) / "project", fiches)
        generated = time.perf_counter() - started
        config = Config(root=project, out=Path(tmp) / "site", base_path="/catalogue/", today=dt.date(2026, 11, 23),
                        templates_dir=Path(__file__).resolve().parent.parent / "templates")
        report = build(config)
        index = report.index
        assert index is not None
        figures = measure(Path(tmp) / "site")
        proximite = Path(tmp) / "site" / "pagefind" / "proximite"
        per_departement = json.loads((proximite / "index.json").read_text())["departements"]
        largest = sorted(((path.stat().st_size, path.name) for path in proximite.glob("*.json") if path.stem[:2].isalnum() and path.stem not in ("ids", "index")), reverse=True)[:3]
    kb = lambda n: f"{n / 1024:,.0f} KB"  # noqa: E731
    print(f"\n{fiches:,} fiches (generated in {generated:.1f} s): {report.pages:,} pages built in {report.seconds:.1f} s")
    print(f"  index: {index.pages:,} pages, {index.words:,} words, in {report.steps['index for search']:.1f} s; "
          f"bundle {index.files:,} files, {kb(index.bytes)}")
    print(f"  places with coordinates: {sum(per_departement.values()):,} in {len(per_departement)} départements; "
          f"largest files: " + ", ".join(f"{name} {kb(size)}" for size, name in largest) + " (uncompressed)")
    print(f"  search page first load: {kb(figures['page'])} in {figures['page requests']} requests")
    for i, query in enumerate(QUERIES, 1):
        print(f"  query {i} «{query}»: {kb(figures[f'query {i}'])} in {figures[f'query {i} requests']} requests, "
              f"{figures[f'query {i} results']} results shown")
    for town, km in NEAR:
        print(f"  near «{town}», {km} km: {kb(figures[f'near {town}'])} in {figures[f'near {town} requests']} requests: "
              f"{figures[f'near {town} results']}")
    for name in [k for k in figures if k.startswith("compare, ") and not k.endswith((" requests", " fiches"))]:
        print(f"  {name} ({figures[name + ' fiches']}), cold cache: {kb(figures[name])} in "
              f"{figures[name + ' requests']} requests (goal < 60 KB)")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        run(size)
