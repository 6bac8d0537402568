"""Inactive fiches searched on request (`recherche_inactives: a_la_demande`, for national
catalogues): their own index, fetched only when the visitor includes them (the check box,
`inactives=1`), for a fiche's or a bloc's number, or when no active fiche answers; the same
results and counts as one index over everything. Without the setting, nothing changes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from benchmarks.catalogue import generate
from builder.build import build

from .conftest import BASE_PATH, TODAY, _serve, build_site
from .test_incremental import config, files

WORD = "Zythologie"  # in the title of one inactive fiche only


def _inactive(data: dict) -> bool:
    fin = data.get("date_fin_enregistrement")
    return data.get("actif") is False or (fin is not None and str(fin) < TODAY.isoformat())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    """A generated catalogue (one fiche in five active, places at the national offer's density),
    one inactive fiche with places titled with a word no other fiche has."""
    root = generate(tmp_path_factory.mktemp("apart") / "project", 80)
    fiches = sorted((root / "content" / "fiches").glob("*.yaml"))
    data = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in fiches}
    inactive = [n for n, d in data.items() if _inactive(d)]
    marked = next(n for n in inactive if data[n].get("lieux_preparation"))
    file = root / "content" / "fiches" / f"{marked}.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("intitule: ", f"intitule: {WORD} ", 1), encoding="utf-8")
    return {"root": root, "inactive": inactive, "active": [n for n in data if n not in inactive], "marked": marked}


def _site(project: dict, folder: Path, settings: str) -> Path:
    content = folder / "content"
    shutil.copytree(project["root"] / "content", content)
    with (content / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(settings)
    return build_site(content, folder / "site")


@pytest.fixture(scope="module")
def sites(project, tmp_path_factory) -> dict[str, Path]:
    """The same catalogue with one index (a school's default) and with inactive fiches apart."""
    return {"one": _site(project, tmp_path_factory.mktemp("one"), "fiches_inactives: resumees\n"),
            "apart": _site(project, tmp_path_factory.mktemp("apart"),
                           "fiches_inactives: resumees\nrecherche_inactives: a_la_demande\n")}


@pytest.fixture(scope="module")
def one(sites) -> Iterator[str]:
    yield from _serve(sites["one"])


@pytest.fixture(scope="module")
def apart(sites) -> Iterator[str]:
    yield from _serve(sites["apart"])


def _settled(page) -> None:
    page.wait_for_function("""() => document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'
        && !/en cours|Chargement/.test(document.getElementById('recherche-etat').textContent)
        && document.getElementById('recherche-etat').textContent.trim() !== ''""")


def _open(page, origin: str, query: str, fetched: list[str] | None = None) -> None:
    if fetched is not None:
        page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{origin}{BASE_PATH}recherche/?{query}")
    _settled(page)


def _numbers(page) -> list[str]:
    return page.eval_on_selector_all("#recherche-resultats > li .numero", "ns => ns.map(n => n.textContent.trim())")


def _count(page) -> int:
    found = re.match(r"(?:.*\. )?([\d  ]+) (?:résultat|certification)", page.inner_text("#recherche-etat"))
    assert found, page.inner_text("#recherche-etat")
    return int(re.sub(r"\D", "", found[1]))


def _filter_counts(page) -> dict[str, int]:
    """Every filter value's count in the panel (opened, its values loaded)."""
    if page.get_attribute("#recherche-filtrer", "aria-expanded") != "true":
        page.click("#recherche-filtrer")
    page.wait_for_selector("#recherche-filtres summary")
    _settled(page)
    loading = "[...document.querySelectorAll('#recherche-filtres .filtre-etat')].filter(e => e.textContent.startsWith('Chargement')).length"
    for _ in range(len(page.query_selector_all("#recherche-filtres summary"))):  # near a town, a group loads when opened
        waiting = page.evaluate(loading)
        if not waiting:
            break
        page.click("#recherche-filtres details:has(.filtre-etat:text-matches('^Chargement')) summary")
        page.wait_for_function(f"{loading} < {waiting}")
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#recherche-filtres input[data-filtre]')]
        .map(c => [c.dataset.filtre.replace('\\u0000', ':'), Number(c.labels[0].querySelector('.filtre-nombre').textContent.replace(/\\D/g, ''))]))""")


def test_inactive_fiches_have_an_index_of_their_own_and_the_default_one_index(sites, project):
    def parts(site: Path) -> set[str]:
        return {p.parent.name for p in (site / "pagefind" / "inactives").glob("*/pagefind-entry.json")}

    assert parts(sites["one"]) == set()
    assert parts(sites["apart"]) == {"0"}
    assert 'id="recherche-inactives"' not in (sites["one"] / "recherche" / "index.html").read_text(encoding="utf-8")
    page = (sites["apart"] / "recherche" / "index.html").read_text(encoding="utf-8")
    assert 'data-inactives="inactives/0/"' in page and 'id="recherche-inactives"' in page
    fragments = lambda folder: len(list(folder.glob("fragment/*.pf_fragment")))  # noqa: E731  one per fiche
    assert fragments(sites["apart"] / "pagefind" / "inactives" / "0") == len(project["inactive"])
    assert fragments(sites["apart"] / "pagefind") == len(project["active"])


def test_a_text_found_in_active_fiches_fetches_no_inactive_part(page, apart, one):
    fetched: list[str] = []
    _open(page, apart, "q=projet", fetched)
    assert _numbers(page) and not [u for u in fetched if "/inactives/" in u]
    assert "projet" in page.inner_text("#recherche-etat") and "plus enregistrée" not in page.inner_text("#recherche-etat")
    assert all(s == "Active" for s in page.eval_on_selector_all("#recherche-resultats .statut", "s => s.map(e => e.textContent)"))
    assert page.console_errors == []


def test_a_text_only_inactive_fiches_have_is_looked_for_among_them_and_said(page, apart, project):
    fetched: list[str] = []
    _open(page, apart, f"q={WORD.lower()}", fetched)
    assert _numbers(page) == [project["marked"].upper()]
    assert page.inner_text("#recherche-etat").startswith(
        "Aucune certification encore enregistrée ne correspond : voici celles qui ne le sont plus. 1 résultat")
    assert [u for u in fetched if "/inactives/0/" in u]
    assert "inactives=1" not in page.url  # the visitor did not ask: the address says what was typed


def test_the_number_of_an_inactive_fiche_or_of_its_bloc_finds_it(page, apart, sites, project):
    numero = next(n for n in project["inactive"] if (sites["apart"] / "fiches" / n / "index.html").read_text(
        encoding="utf-8").count('id="' + n + 'bc01"'))
    fetched: list[str] = []
    _open(page, apart, f"q={numero.upper()}", fetched)
    assert _numbers(page)[0] == numero.upper()
    assert "plus enregistrée" not in page.inner_text("#recherche-etat")  # a number: searched at once among all
    assert [u for u in fetched if "/inactives/" in u]
    _open(page, apart, f"q={numero.upper()}BC01")
    assert _numbers(page)[:2] == [f"{numero.upper()}BC01", numero.upper()]  # the bloc first, then its fiche


def test_an_inactive_result_leads_to_its_active_successor(page, apart, sites):
    pages = sorted((sites["apart"] / "fiches").glob("*/index.html"))
    replaced = [p for p in pages if 'data-pagefind-meta="remplacee_par"' in p.read_text(encoding="utf-8")]
    if not replaced:
        pytest.skip("the generated catalogue names no active successor")
    numero = replaced[0].parent.name
    successor = re.search(r'data-pagefind-meta="remplacee_par">(\w+) ', replaced[0].read_text(encoding="utf-8"))[1]
    _open(page, apart, f"q={numero.upper()}")
    link = page.query_selector("#recherche-resultats > li .resultat-remplacee a")
    assert link is not None and link.get_attribute("href") == f"{BASE_PATH}fiches/{successor.lower()}/"
    assert (sites["apart"] / "fiches" / successor.lower() / "index.html").is_file()
    assert "Active" in (sites["apart"] / "fiches" / successor.lower() / "index.html").read_text(encoding="utf-8")


def test_the_check_box_and_the_address_include_them_with_the_counts_of_one_index(browser, apart, one):
    """Active only: the counts of one index filtered to active fiches; included: those of one
    index, results and every filter value alike."""
    wide = browser.new_page(viewport={"width": 1000, "height": 900})
    single = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        _open(single, one, "q=projet&filtre=statut:Active")
        expected_active, counts_active = _count(single), _filter_counts(single)
        _open(single, one, "q=projet")
        expected_all, counts_all = _count(single), _filter_counts(single)

        _open(wide, apart, "q=projet")
        assert _count(wide) == expected_active
        shown = _filter_counts(wide)
        assert not [k for k in shown if k.startswith("statut:")]  # one status: no status filter
        assert shown == {k: n for k, n in counts_active.items() if not k.startswith("statut:")}

        wide.check("#recherche-inactives")
        wide.wait_for_function("location.search.includes('inactives=1')")
        _settled(wide)
        assert _count(wide) == expected_all > expected_active
        assert _filter_counts(wide) == counts_all
        wide.goto(wide.url)  # shared, the address gives the same search
        _settled(wide)
        assert wide.is_checked("#recherche-inactives") and _count(wide) == expected_all

        # with a filter chosen (a level), in the address
        level = next(k for k in counts_all if k.startswith("niveau:"))
        _open(single, one, f"q=projet&filtre={level}")
        _open(wide, apart, f"q=projet&inactives=1&filtre={level}")
        assert _count(wide) == _count(single)
        _open(single, one, f"q=projet&filtre={level}&filtre=statut:Active")
        _open(wide, apart, f"q=projet&filtre={level}")
        assert _count(wide) == _count(single)
    finally:
        wide.close()
        single.close()


def test_near_me_counts_active_fiches_or_all_when_included(browser, apart, one):
    a = browser.new_page(viewport={"width": 1000, "height": 900})
    b = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        for near in ("pres=75011&km=30", "pres=Lyon&km=50&q=projet"):
            _open(b, one, f"{near}&filtre=statut:Active")
            _open(a, apart, near)
            assert _count(a) == _count(b)
            assert sorted(_numbers(a)) == sorted(_numbers(b))
            assert {k: n for k, n in _filter_counts(a).items() if not k.startswith("statut:")} == \
                {k: n for k, n in _filter_counts(b).items() if not k.startswith("statut:")}
            _open(b, one, near)
            _open(a, apart, near + "&inactives=1")
            assert _count(a) == _count(b)
            assert _filter_counts(a) == _filter_counts(b)
    finally:
        a.close()
        b.close()


def test_a_fiche_turning_inactive_moves_to_their_index_as_a_clean_build_would(project, tmp_path):
    """An incremental build re-indexes the parts whose pages changed: here a fiche leaves the
    active index for the inactive one. The result is the clean build's, byte for byte."""
    root = tmp_path / "project"
    shutil.copytree(project["root"], root)
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("fiches_inactives: resumees\nrecherche_inactives: a_la_demande\n")
    build(config(root, tmp_path / "site"))
    fiche = root / "content" / "fiches" / f"{project['active'][0]}.yaml"
    text = fiche.read_text(encoding="utf-8")
    assert "\nactif: true\n" in text
    fiche.write_text(text.replace("\nactif: true\n", "\nactif: false\n"), encoding="utf-8")
    build(config(root, tmp_path / "site"))
    shutil.rmtree(root / ".cache")
    build(config(root, tmp_path / "clean"))
    rebuilt, clean = files(tmp_path / "site"), files(tmp_path / "clean")
    assert rebuilt.keys() == clean.keys() and [p for p in rebuilt if rebuilt[p] != clean[p]] == []
    entries = [p for p in clean if p.startswith("pagefind/inactives/") and p.endswith(".pf_fragment")]
    assert len(entries) == len(project["inactive"]) + 1


def test_the_parts_of_the_two_indexes(monkeypatch):
    import builder.search.index as index

    monkeypatch.setattr(index, "PAGES_PER_PART", 3)
    monkeypatch.setattr(index, "SUMMARIES_PER_PART", 9)
    paths = [f"fiches/rncp{n}/index.html" for n in range(20)]
    inactives = frozenset(paths[5:])
    plan = index.plan_parts(paths, inactives, summaries=True)
    active = [p for p in plan if not p.inactive]
    apart = [p for p in plan if p.inactive]
    assert active[0].folder == "" and active[0].pages and all(p.folder.startswith("parties/") for p in active[1:])
    assert sorted(sum((p.pages for p in active), [])) == sorted(paths[:5])
    assert sorted(sum((p.pages for p in apart), [])) == sorted(inactives)
    assert len(apart) == 2 and {p.folder for p in apart} <= {f"inactives/{k}/" for k in range(2)}  # 15 summaries, 9 a part
    assert all(p.pages for p in apart)  # an empty part has no bundle, and is not listed
    # whole pages: 3 a part, so 5 parts for 15 (some may be left empty by the hash, and have no bundle)
    whole = [p for p in index.plan_parts(paths, inactives) if p.inactive]
    assert 2 < len(whole) <= 5 and sorted(sum((p.pages for p in whole), [])) == sorted(inactives)
    # without an active fiche, or without an inactive one, one index as without the setting
    for only in (frozenset(paths), frozenset()):
        plan = index.plan_parts(paths, only, summaries=True)
        assert not any(p.inactive for p in plan) and plan == [index.Part(index.part_folder(k), pages)
                                                             for k, pages in enumerate(index.assign(paths))]
