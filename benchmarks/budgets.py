"""Page budgets (issue 25): every HTML page of a built site sorted by kind, and each kind's median
size held to a budget, in bytes as served (uncompressed); with the shared chrome (everything
outside `<main>…</main>`: doctype, head, skip link, header, footer) and the Pages artifact's size.

    python -m benchmarks.budgets SITE      # prints the table for a built site

Fast on 80,000 pages: each file is read as bytes, and `<main` and `</main>` are found by bytes.
tests/test_budgets.py holds the example site and a generated national catalogue to these budgets.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import zlib
from pathlib import Path

KB = 1024

# Median bytes per page kind. The first four are issue 25's; the others sit just above their
# median once the chrome and list pages were cut (measured on a generated national catalogue of
# 2,000 fiches), so that none grows unnoticed.
BUDGETS: dict[str, int] = {
    "chrome": 2 * KB,  # outside <main>, on every page
    "inactive summary": 10 * KB,  # fiches/<n>/ of an inactive fiche with `fiches_inactives: resumees`
    "active fiche": 30 * KB,
    "list": 25 * KB,  # each list kind below
    # kinds the issue does not name
    # an inactive fiche's whole page (`fiches_inactives: completes`, a school's default): just above the
    # example's two seeds, the only ones measured, whole real fiches (ten places, statistics, 30 bodies)
    "inactive fiche": 40 * KB,
    "bloc": 8 * KB,
    "taxonomy": 18 * KB,  # niveaux/, nsf/, rome/, certificateurs/: every term of a taxonomy
    "map": 18 * KB,  # carte/, regions/, departements/
    "search": 7_680,
    "compare": 5 * KB,
    "other": 8 * KB,  # data, legal notice, accessibility, 404
}

# The list kinds, each held to BUDGETS["list"]: the home page and its pages, a taxonomy term's
# pages (niveaux/x/, nsf/x/, rome/x/, certificateurs/x/, regions/x/, departements/x/, and a
# level's letters), the catalogue's letters, a fiche's places and its bodies.
LISTS = ("home", "term", "letter", "places", "bodies")
TAXONOMIES = {"niveaux", "nsf", "rome", "certificateurs", "regions", "departements"}


def budget(kind: str) -> int:
    return BUDGETS["list"] if kind in LISTS else BUDGETS[kind]


def classify(parts: tuple[str, ...], html: bytes) -> str:
    """The kind of the page at site-relative folder `parts` (its index.html's folder), from its
    path, and for a fiche's page from its own status badge (the first in <main>)."""
    n = len(parts)
    if n == 0 or parts[0] == "page":
        return "home"
    top = parts[0]
    if top == "fiches" and n >= 2:
        if n == 2:
            main = html.find(b"<main")
            inactive = html.find(b'class="statut statut-inactive"', main) == html.find(b'class="statut statut-', main)
            if not inactive:
                return "active fiche"
            # a summary says so to the search (its hidden data, macros.donnees_recherche)
            return "inactive summary" if html.find(b'data-pagefind-meta="resume"', main) >= 0 else "inactive fiche"
        return {"blocs": "bloc", "lieux": "places", "organismes": "bodies"}.get(parts[2], "other")
    if top == "lettre":
        return "letter"
    if top in ("carte",) or (top in ("regions", "departements") and n == 1):
        return "map"
    if top in TAXONOMIES:
        return "taxonomy" if n == 1 else "term"
    return {"recherche": "search", "comparer": "compare"}.get(top, "other")


def pages(site: Path):
    """(kind, size, chrome bytes) of every HTML page of the site (Pagefind's folder left out)."""
    for file in site.rglob("*.html"):
        parts = file.relative_to(site).parts
        if parts[0] == "pagefind":
            continue
        html = file.read_bytes()
        start, end = html.find(b"<main"), html.find(b"</main>")
        chrome = len(html) - (end + len(b"</main>") - start) if 0 <= start < end else len(html)
        folder = parts[:-1] if parts[-1] == "index.html" else parts
        yield classify(folder, html), len(html), chrome


def measure(site: Path) -> dict[str, tuple[int, int, int]]:
    """{kind: (pages, median bytes, max bytes)}, with "chrome" for the bytes outside <main> on every page."""
    sizes: dict[str, list[int]] = {}
    chrome: list[int] = []
    for kind, size, outside in pages(site):
        sizes.setdefault(kind, []).append(size)
        chrome.append(outside)
    sizes["chrome"] = chrome
    return {kind: (len(v), int(statistics.median(v)), max(v)) for kind, v in sorted(sizes.items()) if v}


def table(measured: dict[str, tuple[int, int, int]]) -> str:
    """A Markdown table: each kind's median against its budget."""
    rows = ["| page kind | pages | median | max | budget | |", "|---|---:|---:|---:|---:|---|"]
    for kind, (count, median, biggest) in measured.items():
        limit = budget(kind)
        rows.append(f"| {kind} | {count:,} | {median:,} B | {biggest:,} B | {limit:,} B | "
                    f"{'met' if median <= limit else 'MISSED'} |")
    return "\n".join(rows)


def artifact_sizes(folder: Path) -> tuple[int, int, int]:
    """The site as GitHub's upload-pages-artifact packs it (a tar of the folder, links followed):
    its bytes, its bytes as uploaded (actions/upload-artifact gzips at level 6), its number of
    files. Streamed: neither is held in memory."""
    tar = subprocess.Popen(["tar", "--dereference", "--hard-dereference", "--directory", str(folder), "-cf", "-",
                            "--exclude=.git", "--exclude=.github", "."], stdout=subprocess.PIPE)
    gzip = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip format
    size = compressed = 0
    assert tar.stdout is not None
    while chunk := tar.stdout.read(1 << 20):
        size += len(chunk)
        compressed += len(gzip.compress(chunk))
    compressed += len(gzip.flush())
    tar.stdout.close()
    if tar.wait() != 0:
        raise RuntimeError(f"tar failed on {folder}")
    return size, compressed, sum(1 for p in folder.rglob("*") if p.is_file())


if __name__ == "__main__":
    measured = measure(Path(sys.argv[1]))
    print(table(measured))
