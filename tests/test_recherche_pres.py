"""Search near me, in Chromium under /catalogue/: the two example fiches, the two real fiches of
the sample and their places from the training offer; a postal code or a town, a radius,
combined with a text and a filter; distance learning; the facets' value search and their "or"
counts; no layout shift while results come."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from builder.cli import main
from builder.serve.server import make_server

from .conftest import BASE_PATH, ROOT
from .test_quality import WCAG

SAMPLE = Path(__file__).parent / "fixtures" / "export" / "export_fiches_RNCP_V4_1_sample.xml"
OFFRES = Path(__file__).parent / "fixtures" / "offres" / "offres-test-2026-11-01.xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("pres")
    shutil.copytree(ROOT / "content", project / "content")
    assert main(["import", str(SAMPLE), "--all", "--date", "2026-08-16", "--root", str(project)]) == 0
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--today", "2026-11-23",
                 "--base-path", BASE_PATH, "--quiet"]) == 0
    return project / "site"


@pytest.fixture(scope="module")
def origin(site) -> Iterator[str]:
    server = make_server(site, BASE_PATH, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def near(page, origin: str, query: str) -> list[tuple[str, str]]:
    page.goto(f"{origin}{BASE_PATH}recherche/?{query}")
    return shown(page)


def shown(page) -> list[tuple[str, str]]:
    page.wait_for_function("""() => document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'
        && !/en cours/.test(document.getElementById('recherche-etat').textContent)
        && document.getElementById('recherche-etat').textContent.trim() !== ''""")
    return [tuple(row) for row in page.evaluate("""() => [...document.querySelectorAll('#recherche-resultats > li')].map(li => [
        li.querySelector('.numero').textContent, li.querySelector('.resultat-lieu')?.textContent ?? ''])""")]


def test_a_postal_code_finds_the_fiches_prepared_near_it_with_the_nearest_place(page, origin):
    found = dict(near(page, origin, "pres=35000&km=30"))
    assert set(found) == {"RNCP35809", "RNCP16959"}  # the offer's CFA in Rennes; the example's campus in Rennes
    assert found["RNCP35809"] == "Au plus près : CFA du bâtiment de Bretagne, Rennes (moins de 1 km)."
    assert page.inner_text("#recherche-etat") == "2 certifications préparées à moins de 30 km de 35000 Rennes."
    assert page.console_errors == []


def test_a_town_typed_by_name_and_the_radius_are_kept_in_the_address(page, origin):
    page.goto(f"{origin}{BASE_PATH}recherche/")
    page.fill("#recherche-pres", "Grenoble")
    page.select_option("#recherche-km", "10")
    page.wait_for_function("document.getElementById('recherche-etat').textContent.includes('10 km de Grenoble')")
    found = shown(page)
    page.wait_for_function("location.search.includes('km=10')")
    assert [n for n, _ in found] == ["RNCP39568"]
    assert "pres=Grenoble" in page.url and "km=10" in page.url
    page.goto(page.url)  # the address holds the whole search: shared, it gives the same results
    assert [n for n, _ in shown(page)] == ["RNCP39568"]


def test_near_me_with_a_text_and_a_filter(page, origin):
    level = quote("niveau:Niveau 5 — équivalent Bac+2")
    assert [n for n, _ in near(page, origin, "q=finition&pres=Rennes&km=50")] == ["RNCP35809"]
    assert [n for n, _ in near(page, origin, "q=marketing&pres=Rennes&km=50")] == ["RNCP16959"]  # not RNCP26224: Lyon
    assert near(page, origin, f"pres=Rennes&km=50&filtre={level}") == [
        ("RNCP35809", "Au plus près : CFA du bâtiment de Bretagne, Rennes (moins de 1 km).")]
    assert near(page, origin, f"q=marketing&pres=Rennes&km=50&filtre={level}") == []
    assert page.inner_text("#recherche-etat").startswith(
        "Aucun résultat pour « marketing » avec les filtres choisis, ni à moins de 50 km de Rennes (35), ni plus loin. Retirez un filtre")


def test_distance_learning_is_not_a_place_but_can_be_added(page, origin):
    # no place within 10 km: the nearest anyway (tests/test_pres_impasse.py); the one at a distance, last
    assert near(page, origin, "pres=Quimper&km=10")[0] == ("RNCP26224", "Au plus près : Web digital school, Brest (52 km).")
    assert "RNCP35809" in [n for n, _ in near(page, origin, "pres=Quimper&km=10")]  # its place in Rennes
    found = near(page, origin, "pres=Quimper&km=10&distance=1")
    assert found[-1] == ("RNCP35809", "Se prépare à distance.") and "RNCP35809" not in [n for n, _ in found[:-1]]
    assert page.inner_text("#recherche-etat").endswith("Puis 1 certification à distance.")
    page.goto(f"{origin}{BASE_PATH}recherche/?q=bâtiments")
    shown(page)
    page.click("#recherche-filtrer")
    page.wait_for_selector("#recherche-filtres details")
    groups = page.eval_on_selector_all("#recherche-filtres summary", "s => s.map(x => x.textContent)")
    assert "À distance" in groups and not any("distance" in g for g in groups if g.startswith("Région"))


def test_an_unknown_town_and_homonyms_are_said(page, origin):
    assert near(page, origin, "pres=Xyzzy") == []
    assert "Aucune commune ne s’appelle « Xyzzy »" in page.inner_text("#recherche-etat")
    # the most populous Saint-Denis (La Réunion's, 150,000 inhabitants), the others named
    assert near(page, origin, "pres=Saint-Denis&km=10") == [
        ("RNCP35809", "Au plus près : Campus des métiers, Saint-Denis (moins de 1 km).")]
    assert "Vouliez-vous dire : Saint-Denis (Seine-Saint-Denis)" in page.inner_text("#recherche-homonymes")
    assert near(page, origin, "pres=Saint-Denis%20(974)&km=10") == [
        ("RNCP35809", "Au plus près : Campus des métiers, Saint-Denis (moins de 1 km).")]
    near(page, origin, "pres=Saint-Denis%20(93)&km=10")
    assert "à moins de 10 km de Saint-Denis (93)" in page.inner_text("#recherche-etat")


def test_cities_with_arrondissements_are_one_town(page, origin):
    """Paris, Lyon and Marseille are one town by name, and their postal codes name it once."""
    near(page, origin, "pres=Lyon&km=10")
    state = page.inner_text("#recherche-etat")
    assert "à moins de 10 km de Lyon (69)." in state and "D’autres communes" not in state
    near(page, origin, "pres=69006&km=10")
    assert "à moins de 10 km de 69006 Lyon." in page.inner_text("#recherche-etat")


def test_a_near_me_search_downloads_little_and_only_when_used(browser, origin):
    context = browser.new_context()
    sizes: list[tuple[str, int]] = []
    context.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])))
    page = context.new_page()
    page.goto(f"{origin}{BASE_PATH}recherche/")
    page.wait_for_load_state("networkidle")
    assert not any("/geo/" in url or "/proximite/" in url for url, _ in sizes)  # nothing before a town is given
    before = len(sizes)
    page.fill("#recherche-pres", "35000")
    page.wait_for_function("document.getElementById('recherche-etat').textContent.includes('35000 Rennes')")
    for _ in range(100):  # finished requests are reported a little later
        if any("/proximite/organismes/35-" in url for url, _ in sizes[before:]):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    fetched = sizes[before:]
    assert any("/geo/cp/35.json" in url for url, _ in fetched) and any("/proximite/35.json" in url for url, _ in fetched)
    assert not any("pagefind.js" in url for url, _ in fetched)  # no text: the index is not even loaded
    assert sum(size for _, size in fetched) < 150 * 1024
    context.close()


def test_near_me_results_are_accessible(page, origin):
    near(page, origin, "pres=35000&km=30")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    assert page.get_attribute("#recherche-etat", "role") == "status"
    assert page.eval_on_selector("#recherche-pres", "e => e.labels[0].textContent") == "Ville ou code postal"
    assert page.eval_on_selector("#recherche-km", "e => e.labels[0].textContent") == "Dans un rayon de"


def test_without_javascript_a_form_leads_to_the_departement_pages(browser, origin):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{origin}{BASE_PATH}recherche/")
    page.click("noscript form button")
    page.wait_for_url(f"{origin}{BASE_PATH}departements/**")
    page.wait_for_load_state("load")  # a click returns once the navigation is committed, not loaded
    assert page.url.split("?")[0] == f"{origin}{BASE_PATH}departements/"
    assert page.locator("a[href$='/departements/35-ille-et-vilaine/']").count() == 1
    context.close()


def test_a_long_filter_group_can_be_searched_and_or_counts_stay(page, fixture_url):
    """The fixture site's long fiche has 15 ROME codes: past 12, the group gets a field."""
    page.goto(f"{fixture_url}{BASE_PATH}recherche/?q=technicien")
    shown(page)
    page.click("#recherche-filtrer")
    page.wait_for_selector("#filtre-cherche-rome", state="attached")
    page.click("details.filtre:has(#filtre-cherche-rome) summary")
    visible = lambda: page.eval_on_selector_all(  # noqa: E731
        "details.filtre:has(#filtre-cherche-rome) .filtre-valeur", "rows => rows.filter(r => !r.hidden).map(r => r.textContent.trim())")
    assert len(visible()) == 12
    page.fill("#filtre-cherche-rome", "maintenance")
    page.wait_for_function("document.querySelector('details.filtre:has(#filtre-cherche-rome) .filtre-etat').textContent.includes('maintenance')")
    assert visible() and all("aintenance" in row for row in visible())
    # a level chosen: the other levels keep their counts ("or" within a group)
    page.goto(f"{fixture_url}{BASE_PATH}recherche/?q=gestion")
    shown(page)
    page.click("#recherche-filtrer")
    page.wait_for_selector("#recherche-filtres details")
    levels = "details.filtre:has(legend:text-is('Niveau')) .filtre-valeur"
    page.click("details.filtre:has(legend:text-is('Niveau')) summary")
    before = page.eval_on_selector_all(levels, "rows => rows.map(r => r.textContent.trim())")
    page.locator(levels + " input").first.check()
    page.wait_for_function("!/en cours/.test(document.getElementById('recherche-etat').textContent)")
    page.wait_for_timeout(300)
    after = page.eval_on_selector_all(levels, "rows => rows.map(r => r.textContent.trim())")
    assert len(before) > 1 and after == before


def test_the_search_page_does_not_shift_while_results_come(page, origin):
    page.add_init_script("""window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    for query in ("q=marketing", "pres=35000&km=30", "q=finition&pres=Rennes"):
        near(page, origin, query)
        page.wait_for_timeout(200)
        assert page.evaluate("window.__shift") < 0.01, query


def test_near_me_filters_load_their_values_when_opened_and_count_the_fiches_near(browser, origin):
    context = browser.new_context(viewport={"width": 1000, "height": 720})  # the filters behind their button
    fetched: list[str] = []
    context.on("requestfinished", lambda r: fetched.append(r.url))
    page = context.new_page()
    assert len(near(page, origin, "pres=Rennes&km=50")) == 2
    page.click("#recherche-filtrer")
    page.wait_for_selector("#recherche-filtres summary[data-groupe='niveau']")
    assert not [url for url in fetched if "/proximite/filtres/" in url]  # nothing before a group is opened
    group = "details.filtre:has(summary[data-groupe='niveau'])"
    page.click(f"{group} summary")
    page.wait_for_selector(f"{group} .filtre-valeur")
    assert [url.rsplit("/", 1)[1] for url in fetched if "/proximite/filtres/" in url] == ["niveau.json"]
    values = lambda: page.eval_on_selector_all(f"{group} .filtre-valeur", "rows => rows.map(r => r.textContent.trim())")  # noqa: E731
    before = values()
    assert len(before) == 2 and all(row.endswith("(1)") for row in before)  # the two fiches near Rennes, one level each
    page.locator(f"{group} input").first.check()
    page.wait_for_function("document.querySelectorAll('#recherche-resultats > li').length === 1")
    assert values() == before  # "or" within a group: the other level keeps its count
    assert page.is_visible(f"{group} .filtre-valeur")  # the group stays open
    assert "filtre=niveau" in page.url
    statut = "details.filtre:has(summary[data-groupe='statut'])"
    page.click(f"{statut} summary")
    page.wait_for_selector(f"{statut} .filtre-valeur")
    page.select_option("#recherche-km", "100")  # a new search draws the panel again: opened groups stay open
    page.wait_for_function("location.search.includes('km=100')")
    shown(page)
    assert page.is_visible(f"{statut} .filtre-valeur")
    context.close()
