"""Page budgets (issue 25, benchmarks/budgets.py): each page kind's median size, as served, within
its budget, on the example site and on a generated catalogue with a national catalogue's settings;
the chrome (outside <main>) on every page; and list pages without the fiches' structured data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from benchmarks import budgets
from benchmarks.catalogue import generate
from benchmarks.national import national_settings
from builder.content.catalogue import read_catalogue

from .conftest import TODAY, build_site

FICHES = 160  # enough for list pages cut into pages, places pages and bodies pages; built in a few seconds

# A page's own title is in its head twice (<title>, og:title), with its description and its
# address: for a long fiche title that is some 300 B more than for a short one. The median holds
# the budget; this cap catches one page's chrome running away (a school's long names included).
CHROME_MARGIN = 1024


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated catalogue (its places included) with the national settings, as benchmarks/national.py
    measures it: (project, site)."""
    tmp = tmp_path_factory.mktemp("budgets")
    project = generate(tmp / "project", FICHES)
    national_settings(project)
    return project, build_site(project / "content", tmp / "site")


def misses(measured: dict[str, tuple[int, int, int]]) -> list[str]:
    return [f"{kind}: median {median:,} B > {budgets.budget(kind):,} B ({count} pages)"
            for kind, (count, median, _) in measured.items() if median > budgets.budget(kind)]


def test_every_page_kind_of_the_example_site_within_its_budget(example_site):
    measured = budgets.measure(example_site)
    assert {"bloc", "home", "term", "taxonomy", "map", "search", "chrome"} <= set(measured), budgets.table(measured)
    assert misses(measured) == [], budgets.table(measured)


def test_every_page_kind_of_a_national_catalogue_within_its_budget(national):
    measured = budgets.measure(national[1])
    # every kind the issue names is there to be measured (at this size the home page is cut by page, not by letter)
    assert {"home", "term", "places", "bodies", "active fiche", "inactive summary", "bloc", "chrome"} <= set(measured), budgets.table(measured)
    assert misses(measured) == [], budgets.table(measured)


@pytest.mark.parametrize("which", ["example_site", "national"])
def test_chrome_of_every_page_within_its_budget_and_a_margin(request, which):
    site = request.getfixturevalue(which)
    site = site[1] if isinstance(site, tuple) else site
    over = [(size, chrome, kind) for kind, size, chrome in budgets.pages(site) if chrome > budgets.BUDGETS["chrome"] + CHROME_MARGIN]
    assert over == []


def test_pages_are_sorted_by_kind_as_the_catalogue_says(national):
    """The measure's kinds match the catalogue: one page per fiche, by status; one per bloc of a
    fiche with a whole page (a summary's blocs have none)."""
    project, site = national
    catalogue, problems = read_catalogue(project / "content", project, TODAY)
    assert catalogue is not None, problems
    active = [f for f in catalogue.fiches if catalogue.est_active(f)]
    measured = budgets.measure(site)
    assert measured["active fiche"][0] == len(active)
    assert measured["inactive summary"][0] == len(catalogue.fiches) - len(active) > 0
    assert "inactive fiche" not in measured  # every inactive fiche is a summary with these settings
    assert measured["bloc"][0] == sum(len(catalogue.blocs(f)) for f in active)
    assert measured["places"][0] == len(list(site.glob("fiches/*/lieux/**/index.html")))
    assert measured["chrome"][0] == sum(count for kind, (count, _, _) in measured.items() if kind != "chrome")


def test_list_pages_carry_no_structured_data_of_the_fiches(national):
    """A list page's only schema.org data is its breadcrumb trail: the fiches, their places and
    their bodies are described on the fiche pages (and in the open data), not again on each list."""
    site = national[1]
    checked = 0
    for file in site.rglob("index.html"):
        parts = file.relative_to(site).parts[:-1]
        if parts[:1] == ("pagefind",) or budgets.classify(parts, b"") not in budgets.LISTS:
            continue
        page = BeautifulSoup(file.read_bytes(), "html.parser")
        types = [json.loads(s.string)["@type"] for s in page.find_all("script", type="application/ld+json")]
        assert types in ([], ["BreadcrumbList"]), file
        assert page.select("[itemscope], [itemprop], [itemtype]") == [], file
        checked += 1
    assert checked > 50


def test_artifact_sizes_count_the_tar_and_its_gzip(tmp_path):
    """The Pages artifact as a tar, and as uploaded (gzip level 6), streamed."""
    import gzip
    import io
    import tarfile

    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "index.html").write_text("<main>bonjour</main>\n" * 2000, encoding="utf-8")
    (folder / "b.txt").write_bytes(bytes(range(256)) * 64)
    size, compressed, files = budgets.artifact_sizes(folder)
    assert files == 2
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(folder, arcname=".")
    assert abs(size - len(buffer.getvalue())) <= 10240  # tar's own padding aside
    assert len(gzip.compress(buffer.getvalue(), 6)) * 0.8 < compressed < size
