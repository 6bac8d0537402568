"""Search benchmark (issue 25): build generated catalogues with a national catalogue's settings
(`NATIONAL` in benchmarks/national.py: inactive fiches as summaries, searched on request, no JSON
per fiche), then measure, in Chromium, the bytes a student downloads for the search page, for a
first text query and a near-me search, and for a comparison of three fiches; and whether the
inactive fiches' index parts, merged, rank as one index over every fiche would.

    make bench-search                            # 10,000 and 25,638 fiches
    python -m benchmarks.search 2000             # other sizes
    python -m benchmarks.search --default 2000   # the example's settings: inactive fiches indexed with the others

Measured, at each size:
- the search page's first load;
- a first text query, for each of QUERIES: in a new browser context (a cold cache), `recherche/`
  loaded until the network is idle, then the query typed and Enter pressed; its bytes are those
  transferred after the page load, until the results are shown and no request has finished for
  half a second. The same from `recherche/?inactives=1` (the box "Inclure les certifications qui
  ne sont plus enregistrées" ticked);
- a near-me search from a fresh search page, for each of NEAR;
- the top 10 with inactive fiches included against one index: Pagefind run once more, over every
  fiche page, into a bundle beside the site (EVERYTHING, removed after); in Chromium, the site's
  main bundle with its active then inactive parts merged, as the search page does, and that one
  index, each searched for QUERIES as the page asks Pagefind for them (`searched`), and the
  fiche numbers of their top 10 compared;
- the compare page for three fiches, on a cold cache.
Then a markdown table of the figures against issue 25's goals.

Bytes are counted per response in Chromium (the Web Worker's requests included): headers
plus body, with HTML, CSS, JavaScript and JSON counted gzipped as GitHub Pages serves
them (Pagefind's data files are gzipped already).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from builder.build import build
from builder.config import Config
from builder.pages.urls import INDEXED_PAGES
from builder.search.index import Index, index_part
from builder.search.synonymes import mots_utiles, normaliser
from builder.serve.server import make_server

from .catalogue import generate
from .national import national_settings

QUERIES = ["projet", "stratégie digitale", "développeur web", "aide à domicile"]
NEAR = [("35000", "30"), ("75011", "30"), ("Lyon", "50")]  # a town, Paris (eight départements in reach), a name
COMPRESSED = {".html", ".css", ".js", ".json", ".svg"}  # GitHub Pages gzips these; Pagefind's data is gzipped already
EVERYTHING = "pagefind-tout/"  # one index over every fiche page, served beside the site while measured
TOP = 10
# Issue 25's goals, in KB
GOAL_QUERY, GOAL_QUERY_INACTIVES, GOAL_NEAR, GOAL_COMPARE = 250, 700, 150, 60


@contextlib.contextmanager
def served(site: Path) -> Iterator[tuple[object, str]]:
    """Chromium, and the site served at /catalogue/: (browser, the site's address)."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import chromium_path

    server = make_server(site, "/catalogue/", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path())
            try:
                yield browser, f"http://127.0.0.1:{server.server_port}/catalogue/"
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def counter(site: Path, transferred: list[int]) -> Callable:
    """A `requestfinished` handler that adds each response's bytes to `transferred`, as GitHub
    Pages sends them."""
    def finished(request) -> None:
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        local = site / urlsplit(request.url).path.removeprefix("/catalogue/")
        if local.is_dir():
            local = local / "index.html"
        if local.suffix in COMPRESSED and local.is_file():  # as GitHub Pages sends it
            body = len(gzip.compress(local.read_bytes(), compresslevel=6))
        transferred.append(body + sizes["responseHeadersSize"])
    return finished


def settle(page, transferred: list[int]) -> None:
    # "networkidle" is a load state, reached once per navigation: after a query,
    # wait instead until no request has finished for half a second
    while True:
        count = len(transferred)
        page.wait_for_timeout(500)
        if len(transferred) == count:
            return


def first_query(browser, origin: str, site: Path, query: str, address: str) -> dict:
    """A query typed in a search page just loaded (`address`) in a new context: its bytes and
    requests after the page load, the results shown and what the page says of them."""
    context = browser.new_context()
    transferred: list[int] = []
    context.on("requestfinished", counter(site, transferred))
    page = context.new_page()
    page.goto(origin + address)
    page.wait_for_load_state("networkidle")
    loaded = len(transferred)
    page.fill("#recherche-q", query)
    page.press("#recherche-q", "Enter")
    page.wait_for_function("""q => document.getElementById('recherche-etat').textContent.includes(q)
        && document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'""", arg=query)
    settle(page, transferred)
    found = {"bytes": sum(transferred[loaded:]), "requests": len(transferred) - loaded,
             "shown": page.locator("#recherche-resultats > li").count(), "etat": page.inner_text("#recherche-etat")}
    context.close()
    return found


def measure(site: Path) -> dict:
    figures: dict = {}
    with served(site) as (browser, origin):
        context = browser.new_context()
        transferred: list[int] = []  # every response, the Web Worker's included
        context.on("requestfinished", counter(site, transferred))
        page = context.new_page()
        page.goto(origin + "recherche/")
        page.wait_for_load_state("networkidle")
        figures["page"], figures["page requests"] = sum(transferred), len(transferred)
        for query in QUERIES:
            figures[f"query {query}"] = first_query(browser, origin, site, query, "recherche/")
            figures[f"query {query}, inactives"] = first_query(browser, origin, site, query, "recherche/?inactives=1")
        for town, km in NEAR:  # each from a fresh search page, as a visitor arriving
            page.goto(origin + "recherche/")
            page.wait_for_load_state("networkidle")
            seen = len(transferred)
            page.select_option("#recherche-km", km)
            page.fill("#recherche-pres", town)
            page.wait_for_function("""() => / km d/.test(document.getElementById('recherche-etat').textContent)
                && document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'""")
            settle(page, transferred)
            figures[f"near {town}"], figures[f"near {town} requests"] = sum(transferred[seen:]), len(transferred) - seen
            figures[f"near {town} results"] = page.inner_text("#recherche-etat")
        context.close()
        for name, numeros in comparisons(site).items():  # each in a fresh context: a cold cache
            cold = browser.new_context()
            transferred = []
            cold.on("requestfinished", counter(site, transferred))
            tab = cold.new_page()
            tab.goto(f"{origin}comparer/?f={','.join(numeros)}")
            tab.wait_for_function("document.querySelectorAll('#comparer-table thead th').length === 3")
            tab.wait_for_load_state("networkidle")
            figures[name], figures[f"{name} requests"] = sum(transferred), len(transferred)
            figures[f"{name} fiches"] = ", ".join(numeros)
            cold.close()
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


def index_everything(site: Path) -> Index:
    """Pagefind run once over every fiche page (through a view of them: hard links), into
    EVERYTHING beside the site, as `builder/search/index.py` runs it for a part."""
    view = Path(tempfile.mkdtemp(prefix="tout-", dir=site.parent))
    try:
        for page in site.glob(INDEXED_PAGES):
            (view / page.parent.relative_to(site)).mkdir(parents=True, exist_ok=True)
            os.link(page, view / page.relative_to(site))
        index, _ = index_part(view, site / EVERYTHING, script=True)
    finally:
        shutil.rmtree(view, ignore_errors=True)
    return index


# In Chromium: each bundle imported (distinct module URLs), with the search page's options and,
# for the site's, its parts merged (active, then inactive); each query's scores, and the fiche
# numbers of the first 20 (to place a fiche of one top 10 in the other).
TOP_TEN = """async ([bundles, queries]) => {
  const OPTIONS = {excerptLength: 24};  // as templates/static/recherche.js
  const found = [];
  for (const [bundle, merged] of bundles) {
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.options(OPTIONS);
    for (const part of merged) await pagefind.mergeIndex(part, OPTIONS);
    const answers = {};
    for (const q of queries) {
      const search = await pagefind.search(q);
      const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
      answers[q] = {scores: search.results.map((r) => r.score), numeros: data.map((d) => d.meta.numero)};
    }
    found.push(answers);
  }
  return found;
}"""


def searched(query: str) -> str:
    """The words the search page asks Pagefind for (recherche.js `analyser`, as
    builder/search/synonymes.py): accents, common words and single letters dropped
    ("aide à domicile" -> "aide domicile")."""
    return " ".join(mots_utiles(normaliser(query)))


def ties(scores: list[float]) -> tuple[int, int]:
    """How many results have the 10th score, and how many are within 1 % of it."""
    if len(scores) < TOP:
        return 0, 0
    tenth = scores[TOP - 1]
    return sum(1 for s in scores if s == tenth), sum(1 for s in scores if abs(s - tenth) <= tenth / 100)


def top_ten(site: Path) -> dict[str, dict]:
    """For each query, as the search page sends it to Pagefind, the top 10 of the site's index,
    inactive parts merged, against that of one index over every fiche (EVERYTHING): their
    overlap, the results sharing the 10th score, and the fiches in one top 10 only, with their
    rank and score in each."""
    html = (site / "recherche" / "index.html").read_text(encoding="utf-8")
    attribute = lambda name: (re.search(rf'data-{name}="([^"]*)"', html) or ["", ""])[1]  # noqa: E731
    bundle = attribute("bundle")  # as the search page reads them: folders inside the bundle
    parts = [bundle + folder for name in ("parties", "inactives") for folder in attribute(name).split()]
    groups = json.loads((site / "recherche" / "synonymes.json").read_text(encoding="utf-8"))["groupes"]
    with served(site) as (browser, origin):
        page = browser.new_page()
        page.goto(origin + "404.html")
        root = origin.removesuffix("/catalogue/")
        merged, one = page.evaluate(TOP_TEN, [[[root + bundle, [root + p for p in parts]], [origin + EVERYTHING, []]],
                                              [searched(q) for q in QUERIES]])
    tops = {}
    for query in QUERIES:
        words = searched(query)
        a, b = merged[words], one[words]
        first, second = set(a["numeros"][:TOP]), set(b["numeros"][:TOP])

        def place(numero: str, answer: dict) -> str:
            if numero not in answer["numeros"]:
                return f"not in its first {len(answer['numeros'])}"
            rank = answer["numeros"].index(numero)
            return f"#{rank + 1} ({answer['scores'][rank]:.4f})"

        tops[query] = {
            "searched": words, "results": (len(a["scores"]), len(b["scores"])), "overlap": len(first & second),
            "out of": min(TOP, max(len(a["scores"]), len(b["scores"]))), "same": first == second,
            "ties": (ties(a["scores"]), ties(b["scores"])),
            "tenth": tuple(x["scores"][TOP - 1] if len(x["scores"]) >= TOP else None for x in (a, b)),
            "differing": [(n, place(n, a), place(n, b)) for n in sorted(first ^ second)],
            # a query with synonyms is searched in several forms by the page: here, as typed only
            "synonyms": any(f" {phrase} " in f" {normaliser(query)} " for g in groups for phrase in g["mots"]),
        }
    return tops


def run(fiches: int, settings: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-search-{fiches}-") as tmp:
        started = time.perf_counter()
        project = generate(Path(tmp) / "project", fiches)
        if settings:
            national_settings(project)
        generated = time.perf_counter() - started
        site = Path(tmp) / "site"
        config = Config(root=project, out=site, base_path="/catalogue/", today=dt.date(2026, 11, 23),
                        templates_dir=Path(__file__).resolve().parent.parent / "templates")
        report = build(config)
        index = report.index
        assert index is not None
        figures = measure(site)
        started = time.perf_counter()
        everything = index_everything(site)
        everything_seconds = time.perf_counter() - started
        try:
            tops = top_ten(site)
        finally:
            shutil.rmtree(site / EVERYTHING, ignore_errors=True)
        proximite = site / "pagefind" / "proximite"
        per_departement = json.loads((proximite / "index.json").read_text())["departements"]
        largest = sorted(((path.stat().st_size, path.name) for path in proximite.glob("*.json") if path.stem[:2].isalnum() and path.stem not in ("ids", "index")), reverse=True)[:3]
    kb = lambda n: f"{n / 1024:,.0f} KB"  # noqa: E731
    inactive_parts = sum(1 for folder in index.folders if folder.startswith("inactives/"))
    print(f"\n{fiches:,} fiches, {'national settings' if settings else 'the example settings'} "
          f"(generated in {generated:.1f} s): {report.pages:,} pages built in {report.seconds:.1f} s")
    print(f"  index: {index.pages:,} pages, {index.words:,} words, in {report.steps['index for search']:.1f} s; "
          f"bundle {index.files:,} files, {kb(index.bytes)}; {index.parts} parts, {inactive_parts} of them for inactive fiches")
    print(f"  one index over every fiche, for the top 10: {everything.pages:,} pages, {everything.words:,} words, "
          f"in {everything_seconds:.1f} s, {kb(everything.bytes)}")
    print(f"  places with coordinates: {sum(per_departement.values()):,} in {len(per_departement)} départements; "
          f"largest files: " + ", ".join(f"{name} {kb(size)}" for size, name in largest) + " (uncompressed)")
    print(f"  search page first load: {kb(figures['page'])} in {figures['page requests']} requests")
    for query in QUERIES:
        for case, key in (("", f"query {query}"), (", inactive included", f"query {query}, inactives")):
            q = figures[key]
            print(f"  first query «{query}»{case}: {kb(q['bytes'])} in {q['requests']} requests, "
                  f"{q['shown']} results shown: {q['etat']}")
    for town, km in NEAR:
        print(f"  near «{town}», {km} km: {kb(figures[f'near {town}'])} in {figures[f'near {town} requests']} requests: "
              f"{figures[f'near {town} results']}")
    for query, top in tops.items():
        (same_a, near_a), (same_b, near_b) = top["ties"]
        tenth = " / ".join("-" if s is None else f"{s:.4f}" for s in top["tenth"])
        print(f"  top 10 «{query}» (searched: «{top['searched']}»{', synonyms not searched' if top['synonyms'] else ''}), "
              f"inactive included / one index: {top['overlap']}/{top['out of']} in common ({top['results'][0]:,} / "
              f"{top['results'][1]:,} results; 10th score {tenth}, shared by {same_a} / {same_b} results, "
              f"within 1 % of it {near_a} / {near_b})")
        for numero, here, there in top["differing"]:
            print(f"    {numero}: merged {here}, one index {there}")
    compares = [k for k in figures if k.startswith("compare, ") and not k.endswith((" requests", " fiches"))]
    for name in compares:
        print(f"  {name} ({figures[name + ' fiches']}), cold cache: {kb(figures[name])} in "
              f"{figures[name + ' requests']} requests (goal < {GOAL_COMPARE} KB)")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")

    met = lambda ok: "yes" if ok else "no"  # noqa: E731
    print(f"\n| measure ({fiches:,} fiches{'' if settings else ', example settings'}) | measured | goal | met? |")
    print("|---|---|---|---|")
    print(f"| search page, first load | {kb(figures['page'])}, {figures['page requests']} requests | | |")
    for query in QUERIES:
        for case, key, goal in (("", f"query {query}", GOAL_QUERY),
                                (", inactive included", f"query {query}, inactives", GOAL_QUERY_INACTIVES)):
            q = figures[key]
            print(f"| first text query «{query}»{case}, fresh search page | {kb(q['bytes'])}, {q['requests']} requests "
                  f"| < {goal} KB | {met(q['bytes'] < goal * 1024)} |")
    for town, km in NEAR:
        near = figures[f"near {town}"]
        print(f"| near {town}, {km} km | {kb(near)}, {figures[f'near {town} requests']} requests "
              f"| < {GOAL_NEAR} KB | {met(near < GOAL_NEAR * 1024)} |")
    for query, top in tops.items():
        print(f"| top 10 «{query}», inactive included, as one index over every fiche | {top['overlap']}/{top['out of']}"
              f" (10th score shared by {top['ties'][0][0]} / {top['ties'][1][0]}, within 1 % {top['ties'][0][1]} / "
              f"{top['ties'][1][1]}) | the same 10 | "
              f"{met(top['same']) if top['out of'] else 'no result in either'} |")
    for name in compares:
        print(f"| {name}, cold cache | {kb(figures[name])}, {figures[name + ' requests']} requests "
              f"| < {GOAL_COMPARE} KB | {met(figures[name] < GOAL_COMPARE * 1024)} |")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    for size in [int(a) for a in arguments if a != "--default"] or [10000, 25638]:
        run(size, settings="--default" not in arguments)
