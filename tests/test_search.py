"""Search: a real Pagefind index of the example site, queried in Chromium under /catalogue/."""

from __future__ import annotations

import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from builder.errors import BuildError

from .conftest import BASE_PATH, ROOT, build_site
from .test_quality import WCAG


def search(page, origin: str, query: str) -> list[dict]:
    """Open the search page with `?q=`, wait for the answer, return the results shown."""
    page.goto(f"{origin}{BASE_PATH}recherche/?q={query}")
    page.wait_for_function("/résultat/.test(document.getElementById('recherche-etat').textContent)")
    return results(page)


def results(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('#recherche-resultats > li')].map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        title: li.querySelector('h2 a').textContent,
        meta: [...li.querySelectorAll('.resultat-meta span')].map(s => s.textContent),
        fiche: li.querySelector('.resultat-fiche')?.textContent ?? null,
        blocs: [...li.querySelectorAll('.resultat-blocs li')].map(b => [b.querySelector('.numero').textContent.trim(),
                                                                     b.querySelector('a').getAttribute('href')]),
        excerpt: li.querySelector('.resultat-extrait').textContent,
    }))""")


def hrefs(found: list[dict]) -> list[str]:
    return [r["href"].removeprefix(BASE_PATH) for r in found]


def status(page) -> str:
    return page.inner_text("#recherche-etat")


def test_one_index_entry_per_fiche_with_its_blocs_as_sections(example_site):
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == len(list((example_site / "fiches").glob("*/index.html"))) == 2
    fiche = (example_site / "fiches" / "rncp26224" / "index.html").read_text()
    assert '<h3 id="rncp26224bc03" class="bloc-titre">' in fiche  # each bloc a section Pagefind can return


def test_a_skill_word_of_both_seeds_finds_both(page, example_url):
    found = search(page, example_url, "marketing")
    assert sorted(hrefs(found)) == ["fiches/rncp16959/", "fiches/rncp26224/"]
    assert status(page) == "2 résultats pour « marketing »."
    assert page.console_errors == []


def test_results_show_kind_number_level_status_and_matching_blocs(page, example_url):
    # a word of a bloc's title (a fiche page names its blocs by code and title; their
    # competences are on the blocs' own pages, not indexed)
    found = search(page, example_url, "piloter")
    fiche = next(r for r in found if r["href"].endswith("/fiches/rncp16959/"))
    assert fiche["meta"] == ["Fiche", "RNCP16959", "Niveau 7 — équivalent Bac+5", "Inactive"]
    assert fiche["title"] == "Expert(e) en stratégie digitale"
    assert fiche["blocs"] == [["RNCP16959BC01", f"{BASE_PATH}fiches/rncp16959/blocs/rncp16959bc01/"]]
    assert fiche["fiche"] == "Bloc de compétences correspondant :"


def test_an_exact_bloc_code_shows_that_bloc_first(page, example_url):
    found = search(page, example_url, "RNCP16959BC02")
    assert found[0]["meta"] == ["Bloc de compétences", "RNCP16959BC02", "Niveau 7 — équivalent Bac+5", "Inactive"]
    assert found[0]["href"] == f"{BASE_PATH}fiches/rncp16959/blocs/rncp16959bc02/"
    assert found[0]["title"] == "Définir les solutions techniques d’un projet digital"
    assert found[0]["fiche"] == "Bloc de la certification « Expert(e) en stratégie digitale » (RNCP16959)"
    assert hrefs(found)[1] == "fiches/rncp16959/"


@pytest.mark.parametrize("query, first", [
    ("RNCP26224", ["fiches/rncp26224/"]),
    ("rncp16959", ["fiches/rncp16959/"]),
    ("RNCP26224BC03", ["fiches/rncp26224/blocs/rncp26224bc03/"]),
    ("rncp16959bc02", ["fiches/rncp16959/blocs/rncp16959bc02/"]),
    ("M1705", ["fiches/rncp16959/", "fiches/rncp26224/"]),  # both fiches name this ROME code
    ("M1802", ["fiches/rncp16959/"]),
])
def test_exact_codes_come_first(page, example_url, query, first):
    found = hrefs(search(page, example_url, query))
    assert sorted(found[: len(first)]) == first


@pytest.mark.parametrize("query, expected", [
    ("strategie", "stratégie"),  # accents are optional
    ("projets", "projet"),  # plurals find the singular
    ("développe", "développer"),  # and conjugated forms their stem
    ("evaluation", "évalu"),  # "Évaluer les ressources humaines"
])
def test_french_words_match_their_forms(page, example_url, query, expected):
    found = search(page, example_url, query)
    assert found, query
    assert any(expected in (r["excerpt"] + r["title"]).lower() for r in found), (query, found[:3])


def open_filters(page) -> None:
    page.click("#recherche-filtrer")
    page.wait_for_selector("#recherche-filtres summary")


def test_a_level_filter_narrows_to_the_right_fiche(page, example_url):
    found = search(page, example_url, "marketing")
    open_filters(page)
    assert {r["meta"][2] for r in found} == {"Niveau 6 — équivalent Bac+3", "Niveau 7 — équivalent Bac+5"}
    page.click("summary:has-text('Niveau')")
    box = page.get_by_label(re.compile(r"Niveau 7 — équivalent Bac\+5 \(\d+\)"))
    box.check()
    page.wait_for_function("document.getElementById('recherche-etat').textContent.includes('filtres choisis')")
    narrowed = results(page)
    assert hrefs(narrowed) == ["fiches/rncp16959/"]
    assert status(page) == "1 résultat pour « marketing » avec les filtres choisis."
    assert page.get_by_label(re.compile(r"Niveau 7 — équivalent Bac\+5")).is_checked()
    assert page.evaluate("document.activeElement.type") == "checkbox"  # focus stays on the filter


def test_filters_list_their_values_with_counts(page, example_url):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    search(page, example_url, "marketing")
    assert not [url for url in requested if "/filter/" in url]  # loaded only when asked for
    assert page.get_attribute("#recherche-filtrer", "aria-expanded") == "false"
    open_filters(page)
    assert page.get_attribute("#recherche-filtrer", "aria-expanded") == "true"
    groups = page.eval_on_selector_all("#recherche-filtres summary", "s => s.map(e => e.textContent)")
    assert groups[:3] == ["Niveau", "Statut", "Voie d’accès"]
    assert {"Région de préparation", "Département de préparation", "Domaine (NSF)", "Métier (ROME)", "Certificateur"} <= set(groups)
    labels = page.eval_on_selector_all("#recherche-filtres label", "ls => ls.map(l => l.textContent.trim())")
    assert "Apprentissage (" in " ".join(labels)
    assert any(re.fullmatch(r"Bretagne \(\d+\)", label) for label in labels)
    assert any(re.fullmatch(r"Finistère \(29\) \(\d+\)", label) for label in labels)
    assert any(re.fullmatch(r"M1705 — Marketing \(\d+\)", label) for label in labels)


def test_the_header_search_box_leads_to_the_search_page(page, example_url):
    page.goto(f"{example_url}{BASE_PATH}fiches/rncp26224/")
    page.get_by_label("Rechercher une certification").fill("stratégie digitale")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/catalogue/recherche/\?q=strat"))
    page.wait_for_function("/résultat/.test(document.getElementById('recherche-etat').textContent)")
    assert page.input_value("#recherche-q") == "stratégie digitale"
    first = results(page)[0]
    assert first["href"] == f"{BASE_PATH}fiches/rncp16959/"
    assert ["RNCP16959BC03", f"{BASE_PATH}fiches/rncp16959/blocs/rncp16959bc03/"] in first["blocs"]


def test_typing_searches_and_keeps_the_query_in_the_address(page, example_url):
    page.goto(f"{example_url}{BASE_PATH}recherche/")
    assert "Tapez un métier" in status(page)
    page.get_by_label("Métier, compétence, code RNCP ou ROME").type("veille")
    page.wait_for_function("/résultat/.test(document.getElementById('recherche-etat').textContent)")
    assert page.url.endswith("/recherche/?q=veille")
    assert results(page)


def test_works_without_web_workers(browser, example_url):
    context = browser.new_context()
    context.add_init_script("delete window.Worker;")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        assert page.evaluate("typeof Worker") == "undefined"
        found = search(page, example_url, "RNCP26224")
        assert hrefs(found)[0] == "fiches/rncp26224/"
        assert errors == []
    finally:
        context.close()


def test_no_query_downloads_no_index_and_offers_browsing(page, example_url):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{example_url}{BASE_PATH}recherche/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url]  # nothing loads until a word is typed
    links = page.eval_on_selector_all("#parcourir-titre + ul a", "as => as.map(a => a.getAttribute('href'))")
    assert links == [BASE_PATH, *(f"{BASE_PATH}{name}/" for name in ("niveaux", "nsf", "certificateurs", "rome", "regions", "departements"))]


def test_search_page_with_results_and_filters_is_accessible(page, example_url):
    search(page, example_url, "marketing")
    open_filters(page)
    page.click("summary:has-text('Niveau')")
    results_ = Axe().run(page, options=WCAG)
    assert results_.violations_count == 0, results_.generate_report()
    assert page.get_attribute("#recherche-etat", "role") == "status"
    assert page.console_errors == []


def test_without_javascript_the_search_page_explains_and_links(browser, example_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{example_url}{BASE_PATH}recherche/?q=marketing")
        assert "La recherche a besoin de JavaScript" in page.inner_text("main")
        assert page.locator("#recherche-interface").is_hidden()
        assert page.get_by_role("link", name="Toutes les certifications").is_visible()
    finally:
        context.close()


def test_a_failing_index_fails_the_build_and_keeps_the_site(tmp_path, monkeypatch):
    out = build_site(ROOT / "content", tmp_path / "site")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr("pagefind_bin.get_executable", lambda: fake)
    with pytest.raises(BuildError, match=r"search index: Pagefind failed \(exit code 3\): Error: something broke"):
        build_site(ROOT / "content", out, use_cache=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind", "site"]
