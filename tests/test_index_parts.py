"""The search index in parts (builder/search.py): in Chromium, the same answers as one index,
filters and search near me included; an edit re-indexes only its part."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import builder.search.index
from benchmarks.catalogue import generate
from builder.build import build
from builder.serve.server import make_server

from .conftest import BASE_PATH
from .test_incremental import config, files
from .test_recherche_pres import shown

FICHES = 60
PER_PART = 25  # 3 parts


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("parts") / "project", FICHES)


def _build(project: Path, out: Path, per_part: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder.search.index, "PAGES_PER_PART", per_part)
        build(config(project, out))


@pytest.fixture(scope="module")
def sites(project, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parts-sites")
    _build(project, folder / "whole", 10_000)
    _build(project, folder / "parts", PER_PART)
    return {"whole": folder / "whole", "parts": folder / "parts"}


@pytest.fixture(scope="module")
def origins(sites) -> Iterator[dict[str, str]]:
    servers = {name: make_server(site, BASE_PATH, 0, quiet=True) for name, site in sites.items()}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {name: f"http://127.0.0.1:{server.server_port}" for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def bundle(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in files(site).items() if path.startswith("pagefind/")}


def test_the_index_is_cut_into_parts_holding_only_their_data(sites):
    parts = bundle(sites["parts"])
    entries = {path: json.loads(data) for path, data in parts.items() if path.endswith("pagefind-entry.json")}
    assert sorted(entries) == ["pagefind/pagefind-entry.json", "pagefind/parties/1/pagefind-entry.json",
                               "pagefind/parties/2/pagefind-entry.json"]
    counts = [entry["languages"]["fr"]["page_count"] for entry in entries.values()]
    assert sum(counts) == FICHES and min(counts) > 0
    scripts = [p for p in parts if p.endswith((".js", ".pagefind", ".css"))]
    assert sorted(scripts) == ["pagefind/pagefind-worker.js", "pagefind/pagefind.js", "pagefind/wasm.fr.pagefind",
                               "pagefind/wasm.unknown.pagefind"]  # one script; no ready-made interface
    whole = bundle(sites["whole"])
    assert not any("/parties/" in p for p in whole)
    page = (sites["parts"] / "recherche" / "index.html").read_text()
    assert 'data-parties="parties/1/ parties/2/" data-inactives=""' in page


def _answers(page, origin: str, query: str) -> tuple[str, list]:
    page.goto(f"{origin}{BASE_PATH}recherche/?{query}")
    found = shown(page)
    return page.inner_text("#recherche-etat"), found


@pytest.mark.parametrize("query", [
    "q=projet", "q=strat%C3%A9gie+digitale", "q=RNCP30012", "q=zythologie+projet", "q=projet&niveau=Niveau+6+%E2%80%94+%C3%A9quivalent+Bac%2B3", "q=RNCP30012BC01",
    "q=gestion&voie=Apprentissage", "pres=35000&km=50", "pres=Lyon&km=100&q=projet", "pres=75011&km=100&distance=1",
])
def test_parts_answer_as_one_index(page, origins, query):
    (status, whole), (status_parts, parts) = _answers(page, origins["whole"], query), _answers(page, origins["parts"], query)
    assert (status_parts, len(parts)) == (status, len(whole)) and (whole or "zythologie" in query), status
    if "zythologie" in query:  # a word in no part: nothing, in parts as in one index, and said so
        assert "« zythologie » ne figure dans aucune certification" in status
    if "q=" in query:  # words weigh by each part's own counts: the order of close scores may differ
        assert len(parts) == len(whole)
        if len(whole) < 10:
            assert sorted(parts) == sorted(whole)
    else:  # nearest first, or in title order
        assert parts == whole
    assert page.console_errors == []


def test_the_filters_count_across_parts(page, origins):
    counts = {}
    for name, origin in origins.items():
        page.goto(f"{origin}{BASE_PATH}recherche/?q=projet")
        shown(page)
        page.click("#recherche-filtrer")
        page.wait_for_selector("#recherche-filtres input[type=checkbox]", state="attached")
        counts[name] = page.evaluate("() => document.getElementById('recherche-filtres').textContent")
    assert counts["parts"] == counts["whole"] and "Niveau" in counts["whole"]


def test_an_edit_re_indexes_its_part_only(project, sites, tmp_path, page):
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    out = tmp_path / "site"
    _build(copy, out, PER_PART)
    before = bundle(out)
    fiche = sorted((copy / "content" / "fiches").glob("*.yaml"))[7]
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(text.replace("intitule: ", "intitule: Zythologie ", 1), encoding="utf-8")
    _build(copy, out, PER_PART)
    after = bundle(out)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    slug = "fiches/" + fiche.stem + "/index.html"
    part = builder.search.index.part_of(slug, 3)
    own = "pagefind/" + builder.search.index.part_folder(part)
    others = [p for p in changed if not p.startswith("pagefind/proximite/")
              and (not p.startswith(own) or (part == 0 and p.startswith("pagefind/parties/")))]
    assert changed and others == []  # its part, and the places' files, which carry the ids
    server = make_server(out, BASE_PATH, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, found = _answers(page, f"http://127.0.0.1:{server.server_port}", "q=zythologie")
    finally:
        server.shutdown()
        server.server_close()
    assert [numero for numero, _ in found] == [fiche.stem.upper()]


def test_two_builds_in_parts_are_byte_identical(project, sites, tmp_path):
    again = tmp_path / "again"
    _build(project, again, PER_PART)
    assert files(again) == files(sites["parts"])


def test_a_part_the_hash_leaves_empty_has_no_bundle_and_the_first_is_never_empty(project, tmp_path):
    """Regression (found by the differential test, with four pages a part): a part could get no
    page, and Pagefind failed on it, failing the build."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder.search.index, "PAGES_PER_PART", 1)
        paths = [f"fiches/rncp{n}/index.html" for n in range(10)]
        parts = builder.search.index.assign(paths)
        assert parts[0] and sorted(sum(parts, [])) == sorted(paths)
        assert [] in parts  # ten pages in ten parts: the hash leaves some empty
    small = tmp_path / "project"
    shutil.copytree(project, small)
    for fiche in sorted((small / "content" / "fiches").glob("*.yaml"))[8:]:
        fiche.unlink()
    _build(small, tmp_path / "site", 1)
    folders = {p.split("/")[2] for p in bundle(tmp_path / "site") if p.startswith("pagefind/parties/")}
    page = (tmp_path / "site" / "recherche" / "index.html").read_text(encoding="utf-8")
    listed = page.split('data-parties="', 1)[1].split('"', 1)[0].split()
    assert sorted(listed) == sorted(f"parties/{n}/" for n in folders) and len(folders) < 7
