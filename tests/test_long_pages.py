"""Pages that survive real fiches: hundreds of habilitated bodies, long texts, many years,
codes and legal texts. A fiche page stays a page a student reads (at most 20,000 px tall at
1,280 px wide), and everything stays reachable from it, without JavaScript."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from builder.cli import main

from .conftest import BASE_PATH, ROOT, _serve, foreign_scripts

MAX_HEIGHT = 20_000
SAMPLE = Path(__file__).parent / "fixtures" / "export" / "export_fiches_RNCP_V4_1_sample.xml"
PARTNERS = 347


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def heights(browser, url: str, paths: list[str]) -> dict[str, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    found = {}
    for path in paths:
        page.goto(url + BASE_PATH + path)
        found[path] = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    return found


@pytest.fixture(scope="module")
def titre_professionnel(tmp_path_factory) -> Path:
    """A real fiche of the sample given 347 habilitated bodies (as a titre professionnel of the
    ministry of labour has), imported and built: the real path, from the export to the pages."""
    project = tmp_path_factory.mktemp("tp")
    (project / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", project / "content")
    root = ElementTree.parse(SAMPLE).getroot()
    fiche = root.findall("FICHE")[1]
    partenaires = fiche.find("PARTENAIRES")
    partenaires.clear()
    rng = random.Random(347)
    words = ("AFPA", "GRETA", "CFA", "LYCEE", "INSTITUT", "ECOLE", "CENTRE", "ACADEMIE", "CAMPUS", "ASSOCIATION",
             "FORMATION", "NUMERIQUE", "METIERS", "SUD", "OUEST", "EST", "NORD", "1er", "École", "Îlot")
    for i in range(PARTNERS):
        p = ElementTree.SubElement(partenaires, "PARTENAIRE")
        ElementTree.SubElement(p, "NOM_PARTENAIRE").text = " ".join(rng.sample(words, 3))
        ElementTree.SubElement(p, "SIRET_PARTENAIRE").text = f"{20000000000000 + i * 7919:014d}"
        ElementTree.SubElement(p, "HABILITATION_PARTENAIRE").text = rng.choice(
            ["HABILITATION_ORGA_FORM"] * 8 + ["HABILITATION_FORMER", "HABILITATION_ORGANISER"])
        ElementTree.SubElement(p, "ETAT_HABILITATION").text = rng.choice(["Actif"] * 9 + ["Supprimé"])
    blocs = fiche.find("BLOCS_COMPETENCES")  # and 60 more blocs, each with a long list of competences
    for i in range(20, 80):
        bloc = ElementTree.SubElement(blocs, "BLOC_COMPETENCES")
        ElementTree.SubElement(bloc, "CODE").text = f"RNCP39568BC{i:02d}"
        ElementTree.SubElement(bloc, "LIBELLE").text = f"Bloc optionnel {i} : conduire un projet de transformation"
        ElementTree.SubElement(bloc, "LISTE_COMPETENCES").text = "  ".join(
            f"- Compétence {j} du bloc {i} : analyser une situation et proposer une solution argumentée" for j in range(15))
    export = project / "export_fiches_RNCP_V4_1_2026-08-16.xml"
    ElementTree.ElementTree(root).write(export, encoding="utf-8", xml_declaration=True)
    assert main(["import", str(export), "RNCP39568", "--root", str(project)]) == 0
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--today", "2026-11-23",
                 "--quiet"]) == 0
    return project / "site"


def test_the_fiche_page_counts_the_bodies_shows_a_few_and_links_to_all(titre_professionnel):
    page = soup(titre_professionnel, "fiches/rncp39568")
    section = page.select_one("#preparation")
    assert re.search(r"\b347 organismes habilités ; l’habilitation de \d+ d’entre eux n’est plus active\.", text(section))
    kinds = [text(li) for li in section.select("ul.liste-simple li")]
    assert len(kinds) == 3 and all(re.fullmatch(r"\d+ à (préparer|organiser).*", k) for k in kinds)
    assert sum(int(k.split()[0]) for k in kinds) == PARTNERS
    named = section.select("ul.lieux li")
    assert len(named) == 10
    assert all("(actif)" in text(li) and "préparer" in text(li) for li in named)  # active, and able to prepare
    link = section.select_one(".lien-suite a")
    assert link["href"] == "/catalogue/fiches/rncp39568/organismes/" and "347 organismes" in text(link)


def test_every_body_is_on_a_page_of_its_own_list_in_name_order(titre_professionnel):
    pages = sorted((titre_professionnel / "fiches" / "rncp39568" / "organismes").rglob("index.html"))
    assert [p.relative_to(titre_professionnel).as_posix() for p in pages] == ["fiches/rncp39568/organismes/index.html"] + [
        f"fiches/rncp39568/organismes/page/{n}/index.html" for n in range(2, 6)]  # 80 a page (PAR_PAGE)
    rows, anchors, letters = [], set(), []
    for file in pages:
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        assert not foreign_scripts(page)  # no JavaScript needed (data only)
        body = page.select("table.table-organismes tbody tr")
        assert len(body) == (27 if file == pages[-1] else 80)
        rows += [(text(tr.th), text(tr.select("td")[0])) for tr in body]
        anchors |= {(file.parent.relative_to(titre_professionnel).as_posix() + "/", tr["id"]) for tr in body if tr.get("id")}
        letters = [(a["href"], text(a)) for a in page.select("nav.lettres a")]
    official = ElementTree.parse(titre_professionnel.parent / "export_fiches_RNCP_V4_1_2026-08-16.xml").getroot()
    sirets = {p.findtext("SIRET_PARTENAIRE") for p in official.iter("PARTENAIRE")}
    assert {siret for _, siret in rows} == sirets and len(rows) == PARTNERS  # every body, once
    from builder.slugs import normalise

    assert [normalise(name) for name, _ in rows] == sorted(normalise(name) for name, _ in rows)
    for href, letter in letters:  # the A–Z index leads to the first name of each letter
        path, anchor = href.removeprefix(BASE_PATH).split("#")
        assert (path, anchor) in anchors, href
    assert [letter for _, letter in letters] == sorted({letter for _, letter in letters}, key=lambda x: (x != "Autres", x))  # digits sort first


def test_a_fiche_page_with_hundreds_of_bodies_stays_readable(browser, titre_professionnel):
    for url in _serve(titre_professionnel):
        found = heights(browser, url, ["fiches/rncp39568/", "fiches/rncp39568/organismes/"])
    assert found["fiches/rncp39568/"] <= MAX_HEIGHT, found
    page = soup(titre_professionnel, "fiches/rncp39568")
    assert len(page.select("h3.bloc-titre")) == 66  # the 6 real blocs and 60 more: all on the page, competences one click away
    last = page.select("#blocs ol.liste-blocs > li")[-1]
    assert "Compétence 14 du bloc 79" not in text(last)  # not repeated here: the bloc's page shows them
    assert [a["href"] for a in last.select("a")] == [BASE_PATH + "fiches/rncp39568/blocs/rncp39568bc79/"]  # its title, to its page
    assert "Compétence 14 du bloc 79" in text(soup(titre_professionnel, "fiches/rncp39568/blocs/rncp39568bc79"))
    print(f"\nheights with 347 bodies and 66 blocs at 1,280 px: {found}")


def test_every_fiche_page_of_both_sites_is_within_the_height(browser, example_site, example_url, fixture_site, fixture_url, capsys):
    tallest = {}
    for site, url in ((example_site, example_url), (fixture_site, fixture_url)):
        paths = [p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "fiches").glob("*/index.html"))]
        found = heights(browser, url, paths)
        tallest[site.parent.name] = max(found.items(), key=lambda kv: kv[1])
        assert all(h <= MAX_HEIGHT for h in found.values()), found
    with capsys.disabled():
        print(f"\ntallest fiche pages at 1,280 px: {tallest}")


def test_long_content_is_folded_not_lost(fixture_site):
    page = soup(fixture_site, "fiches/rncp40005")
    summaries = [text(s) for s in page.select("details.suite > summary")]
    assert any(re.fullmatch(r"Lire la suite : Activités visées \(\d[\d\u202f ]* mots\)", s) for s in summaries), summaries
    assert any(s.startswith("Lire la suite : Compétences attestées") for s in summaries)
    assert "Autres métiers proches : 5 de plus" in summaries
    assert "Années précédentes : 7 de plus" in summaries and "Autres textes : 4 de plus" in summaries
    # nothing is lost: every competence, year and text is on the page
    yaml = (ROOT / "tests" / "fixtures" / "site" / "content" / "fiches" / "rncp40005.yaml").read_text(encoding="utf-8")
    whole = text(page)
    assert all(f"Compétence attestée numéro {i} :" in whole for i in range(1, 46))
    assert all(str(year) in text(page.select_one("#statistiques")) for year in range(2013, 2025))
    assert yaml.count("- titre:") == len(page.select("ul.publications li")) == 9
    # a jury written alike for the six routes is shown once
    assert text(page.select_one("#acces")).count("Le jury est composé de professionnels") == 1
    assert "Composition du jury (toutes les voies)" in text(page.select_one("#acces"))


def test_a_few_bodies_are_all_named_on_the_fiche_and_listed_on_their_page(fixture_site):
    page = soup(fixture_site, "fiches/rncp40005")
    assert len(page.select("#preparation ul.lieux li")) == 10
    liste = soup(fixture_site, "fiches/rncp40005/organismes")
    assert len(liste.select("tbody tr")) == 29 and liste.select_one(".pagination") is None
    assert liste.select_one(".fil [aria-current]").get_text() == "Organismes habilités"
    small = soup(fixture_site, "fiches/rncp30001")
    assert not (fixture_site / "fiches" / "rncp30001" / "organismes").exists()  # one body: named on the fiche page
    assert "1 organisme habilité à préparer et organiser" in text(small.select_one("#preparation"))


def test_bodies_are_indexed_under_the_letter_they_are_ordered_by(fixture_site):
    """Regression: the order folded names one way and the A–Z letters another, so
    "(AFPA) Centre" stood under "Autres" between two A's, and `lettre-a` was given twice."""
    liste = soup(fixture_site, "fiches/rncp40005/organismes")
    names = [text(th) for th in liste.select("tbody th")]
    assert names[:2] == ["123 Formation", "AB Formation"]
    assert names.index("(AFPA) Centre") + 1 == names.index("AFPA NORD 1")
    letters = [text(a) for a in liste.select("nav.lettres a")]
    assert letters == sorted(set(letters), key=letters.index) and letters[:2] == ["Autres", "A"]
    anchors = [a["href"].split("#")[1] for a in liste.select("nav.lettres a")]
    rows = [tr["id"] for tr in liste.select("tbody tr[id]")]
    assert rows == anchors  # each letter's first row, once, in the order of the index
    assert liste.select_one("#lettre-a th").get_text() == "AB Formation"


def test_folded_content_prints_open(page, fixture_url):
    page.goto(fixture_url + BASE_PATH + "fiches/rncp40005/")
    hidden = page.locator("details.suite").first.locator("li, p").last
    assert not hidden.is_visible()
    page.emulate_media(media="print")
    assert hidden.is_visible()
    assert page.locator("details.suite > summary").first.is_hidden()
