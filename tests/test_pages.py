"""Rendered pages, parsed and asserted: what each page kind shows, in which order, linking where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup

import pytest

from builder.build import build
from builder.config import Config
from builder.pages.page import lettre_de
from builder.slugs import normalise

from .conftest import BASE_PATH, FIXTURES, FLAG_SCRIPT, ROOT, build_site, site_scripts


def soup(site: Path, path: str) -> BeautifulSoup:
    file = site / path / "index.html" if not path.endswith((".html", ".xml")) else site / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_french_with_one_h1_and_a_title(fixture_site, example_site):
    for site in (fixture_site, example_site):
        for file in html_pages(site):
            page = BeautifulSoup(file.read_text(), "html.parser")
            assert page.html["lang"] == "fr", file
            assert len(page.find_all("h1")) == 1, file
            assert page.title.string.strip(), file
            assert page.find("main", id="contenu"), file


def test_scripts_only_add_to_pages_and_no_dead_pole_emploi_links(fixture_site, example_site):
    """Reading needs no JavaScript: every page has the comparison's buttons (shown by a one-line
    flag) and tray; the search page, the compare page and a fiche's contents add their own."""
    for site in (fixture_site, example_site):
        for file in site.rglob("*.html"):
            html = BeautifulSoup(file.read_text(), "html.parser")
            scripts = [(s.get("type"), s.get("src")) for s in html.find_all("script") if s.get("type") != "application/ld+json"]
            assert scripts == site_scripts(file), file
            assert html.find("script", src=None, type=None).string == FLAG_SCRIPT
            assert "pole-emploi" not in str(html), file


def test_home_lists_every_fiche_sorted_with_number_level_status_certifier(fixture_site):
    cards = []
    for path in ("", "page/2"):
        cards += soup(fixture_site, path).select("li.carte")
    titles = [text(c.select_one(":is(h2, h3)")) for c in cards]
    # alphabetical, ignoring case, accents and punctuation: "reseaux ancienne" < "superieur"
    assert titles == [
        "Assistant de gestion 1", "Assistant de gestion 2", "Assistant de gestion 3", "Assistant de gestion 4",
        "Habilitation électrique", "Technicien réseaux (ancienne version)", "Technicien supérieur de maintenance (fiche longue)",
        'Technicien <supérieur> & "réseaux"',
    ]
    first = text(cards[0])
    assert "RNCP40001" in first and "Niveau 3 — équivalent CAP, BEP" in first and "Inactive" in first
    assert "Certificateurs : Organisme Alpha ; ORGANISME ALPHA" in first
    rs = next(c for c in cards if "RS1234" in text(c))
    assert "Sans niveau de qualification" in text(rs) and "Active" in text(rs)


def test_home_paginates(fixture_site):
    first, second = soup(fixture_site, ""), soup(fixture_site, "page/2")
    assert len(first.select("li.carte")) == 5 and len(second.select("li.carte")) == 3
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/catalogue/page/2/"
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/catalogue/"
    assert text(second.select_one('.pagination [aria-current="page"]')) == "2"
    assert "Page 2 sur 2" in text(second.select_one(".pagination"))
    assert first.select_one("nav.lettres") is None  # two pages: numbered, not cut by letter


@pytest.fixture(scope="module")
def long_lists(tmp_path_factory) -> Path:
    """A generated catalogue of 60 fiches, 5 a page: its lists are cut by first letter."""
    import re

    from benchmarks.catalogue import generate

    project = generate(tmp_path_factory.mktemp("az") / "project", 60)
    settings = project / "content" / "site.yaml"
    settings.write_text(re.sub(r"(?m)^fiches_par_page: .*$", "fiches_par_page: 5", settings.read_text(encoding="utf-8")), encoding="utf-8")
    build(Config(root=project, out=project / "site", base_path=BASE_PATH, today=dt.date(2026, 11, 23),
                 templates_dir=ROOT / "templates", cache_dir=project / ".cache"))
    return project / "site"


def test_long_lists_are_cut_by_first_letter_with_an_index(long_lists):
    home = soup(long_lists, "")
    letters = [(text(a), a["href"], a.get("aria-current")) for a in home.select("nav.lettres a")]
    assert len(letters) > 3 and letters[0][1:] == (BASE_PATH, "true")
    assert all(href == f"{BASE_PATH}lettre/{letter.lower()}/" and current is None for letter, href, current in letters[1:])
    titles, path = [], ""
    while path is not None:  # "Page suivante" from the first page to the last, across letters
        page = soup(long_lists, path.removeprefix(BASE_PATH).rstrip("/"))
        here = [text(a) for a in page.select("nav.lettres a[aria-current]")]
        cards = [text(c.select_one(":is(h2, h3)")) for c in page.select("li.carte")]
        assert here and all(lettre_de(t) == here[0].replace("–", "-") for t in cards)
        titles += cards
        following = page.select_one('.pagination a[rel="next"]')
        path = following["href"] if following else None
    assert len(titles) == 60 and titles == sorted(titles, key=normalise)
    assert text(soup(long_lists, letters[1][1].removeprefix(BASE_PATH).rstrip("/")).select_one("title")).startswith(
        f"Catalogue des certifications — lettre {letters[1][0]}")


def test_long_lists_number_their_pages_within_a_letter_and_show_a_window_of_numbers():
    from builder.pages.page import paginate_az
    from builder.pages.urls import Urls

    titles = [f"Agent {n:03d}" for n in range(230)] + ["Bâtiment", "Électricien"] + [f"{n} degrés" for n in (2, 3)]
    pages = paginate_az(sorted(titles, key=lambda t: (t[0].isalpha(), t)), 10, lambda lettre, n: Urls.home(n, lettre), str)
    assert [p.lettre for p in pages][:2] == ["0-9", "A"] and {p.lettre for p in pages} == {"0-9", "A", "B", "E"}
    a = [p for p in pages if p.lettre == "A"]
    assert len(a) == 23 and a[0].path_of(1) == "lettre/a/" and a[4].path_of(5) == "lettre/a/page/5/"
    assert pages[0].path_of(1) == "" and pages[0].premiere and not a[0].premiere
    assert a[0].previous == "" and a[-1].next == "lettre/b/" and a[3].next == "lettre/a/page/5/"
    assert all(p.total == len(titles) for p in pages)


def test_page_numbers_are_a_window(tmp_path):
    from builder.pages.page import Pagination
    from builder.pages.render import make_environment
    from builder.pages.urls import Urls

    template = make_environment([ROOT / "templates"]).from_string(
        '{% import "_partials/macros.html" as m with context %}{{ m.pagination(p, "x") }}')
    html = BeautifulSoup(template.render(p=Pagination([], 40, 120, 6000, Urls.home), urls=Urls("/c/", "https://e.fr")), "html.parser")
    assert [text(li) for li in html.select("li")] == ["Page précédente", "1", "…", "38", "39", "40", "41", "42", "…", "120", "Page suivante"]


def test_fiche_sections_come_in_the_order_a_student_needs(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001")
    ids = [s["id"] for s in page.select("article.fiche > section")]
    # "En bref" first, above "Sur cette page" (tests/test_en_bref.py), then the sections it lists
    assert ids == ["en-bref", "essentiel", "metier", "competences", "blocs", "acces", "preparation", "statistiques", "proches", "cadre-legal"]
    assert [a["href"] for a in page.select(".sommaire a")] == [f"#{i}" for i in ids[1:]]


def test_fiche_essentials(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001")
    assert text(page.h1) == 'Technicien <supérieur> & "réseaux"'
    essentiel = text(page.select_one("#essentiel"))
    # the level in the header, and with its old name in En bref (issue 25: not a third time here)
    assert "Niveau 5 — équivalent Bac+2" in text(page.select_one(".fiche-entete .badges"))
    assert "Niveau 5 (Bac+2) · Ancienne nomenclature (1969) : niveau III" in text(page.select_one("#en-bref"))
    assert "BTS (Brevet de technicien supérieur)" in essentiel
    assert "Active — enregistrée jusqu’au 31 août 2030" in text(page.select_one(".fiche-entete .badges"))  # once, not in #essentiel too
    assert "SIRET 11004301500012" in essentiel
    assert page.select_one('#cadre-legal a[href="https://www.francecompetences.fr/recherche/rncp/30001/"]')
    assert page.select_one('#en-bref a[href="/catalogue/niveaux/5/"]')
    assert page.select_one('#essentiel a[href="/catalogue/nsf/326t/"]')
    assert page.select_one('#essentiel a[href="/catalogue/certificateurs/ministere-de-l-education-nationale/"]')


def test_rome_codes_link_to_their_page_and_to_france_travail(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001")
    links = [a["href"] for a in page.select(".liste-rome a")]
    assert links == ["/catalogue/rome/m1805/", "https://candidat.francetravail.fr/metierscope/fiche-metier/M1805"]


def test_blocs_are_listed_by_code_and_linked(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001")
    items = page.select(".liste-blocs li")
    assert [text(i.select_one(".numero")) for i in items] == ["RNCP30001BC01", "RNCP30001BC02", "RNCP30001BC03"]
    assert items[0].a["href"] == "/catalogue/fiches/rncp30001/blocs/rncp30001bc01/"
    assert "(bloc facultatif)" in text(items[2])


def test_bloc_page(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001/blocs/rncp30001bc02")
    assert text(page.h1) == "Sécuriser"
    assert "RNCP30001BC02" in text(page.select_one(".badges"))
    assert page.select_one('.essentiel a[href="/catalogue/fiches/rncp30001/"]')
    assert "Sécuriser un poste." in text(page.select_one("section"))
    assert page.select_one('a[rel="prev"]')["href"] == "/catalogue/fiches/rncp30001/blocs/rncp30001bc01/"
    assert page.select_one('a[rel="next"]')["href"] == "/catalogue/fiches/rncp30001/blocs/rncp30001bc03/"
    assert "Non renseigné." in text(page)  # no evaluation modalities given
    first = soup(fixture_site, "fiches/rncp30001/blocs/rncp30001bc01")
    assert first.select_one('a[rel="prev"]') is None
    assert "Installer (RNCP20001BC01), de Technicien réseaux (ancienne version) (RNCP20001)" in text(first)  # its path (test_ecole.py)
    assert first.select_one('#obtenir a[href="/catalogue/fiches/rncp20001/blocs/rncp20001bc01/"]')


def test_access_routes_show_yes_no_and_unknown(fixture_site, example_site):
    routes = soup(fixture_site, "fiches/rncp30001").select(".voie")
    assert [text(r.h3) for r in routes] == [
        "Après un parcours de formation sous statut d'élève ou d'étudiant", "En contrat d'apprentissage",
        "Après un parcours de formation continue", "En contrat de professionnalisation",
        "Par candidature individuelle", "Par expérience (VAE)",
    ]
    assert [text(r.strong) for r in routes] == ["Oui", "Oui", "Non", "Oui", "Oui", "Oui"]
    example = soup(example_site, "fiches/rncp26224")
    assert [text(r.strong) for r in example.select(".voie")] == ["Oui", "Oui", "Oui", "Oui", "Non renseigné", "Oui"]
    assert "Accessible en Nouvelle-Calédonie Non renseigné" in text(example.select_one("#acces"))


def test_inactive_fiche_points_to_its_successor(fixture_site):
    page = soup(fixture_site, "fiches/rncp20001")
    notice = page.select_one(".avertissement")
    assert "Inactive — enregistrement terminé le 31 août 2021" in text(page.select_one(".badges"))
    assert "jusqu’au 31 décembre 2022" in text(notice)
    assert notice.select_one('a[href="/catalogue/fiches/rncp30001/"]')
    successor = soup(fixture_site, "fiches/rncp30001")
    assert successor.select_one('#cadre-legal a[href="/catalogue/fiches/rncp20001/"]')  # predecessor, internal


def test_predecessor_outside_the_catalogue_links_to_france_competences(example_site):
    page = soup(example_site, "fiches/rncp16959")
    link = page.select_one('#cadre-legal a[href="https://www.francecompetences.fr/recherche/rncp/9052/"]')
    assert link is not None
    assert "Directeur de projets en édition et communication numériques" in text(link.parent)


def test_places_are_grouped_by_declaring_certifier_with_region(example_site, fixture_site):
    page = soup(example_site, "fiches/rncp16959")
    groups = [text(h) for h in page.select("#preparation h3")]
    assert groups == [
        "Lieux déclarés par ECAD Consultant - IESA Multimédia",
        "Lieux déclarés par ESGCV-Digital Campus",
        "Lieux de certification",
    ]
    montpellier = next(li for li in page.select("#preparation li") if "Montpellier" in text(li))
    assert "34965 Montpellier Cedex 2" in text(montpellier) and "Hérault (34), Occitanie" in text(montpellier)
    fixture = soup(fixture_site, "fiches/rncp30001")
    assert "La Réunion (974), La Réunion" in text(fixture.select_one("#preparation"))
    # a place declared with another spelling joins its certifier's group, under the fiche's
    # spelling; places declared by nobody come last
    groups = [text(h) for h in fixture.select("#preparation h3")][:3]
    assert groups == ["Lieux déclarés par Ministère de l'Éducation nationale", "Lieux de préparation", "Préparation à distance"]
    undeclared = fixture.select("#preparation ul.lieux")[1]
    assert [text(li.strong) for li in undeclared.select("li")] == ["Lycée Exemple", "Centre de Nantes"]


def test_statistics_table_and_missing_values(fixture_site, example_site):
    table = soup(fixture_site, "fiches/rncp30001").select_one("#statistiques table")
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert rows[0] == ["2024", "1 234", "12", "81 %", "indisponible", "indisponible"]
    assert rows[1][0] == "2023"
    # without figures, no empty section: En bref says that none is published
    rs = soup(fixture_site, "fiches/rs1234")
    assert rs.select_one("#statistiques") is None and not rs.select('a[href="#statistiques"]')
    assert "Aucun résultat publié" in text(rs.select_one("#en-bref"))
    assert "IESA multimédia : 70 titrés par an" in text(soup(example_site, "fiches/rncp16959").select_one("#statistiques"))


def test_rome_page_lists_every_fiche_naming_the_code(fixture_site):
    page = soup(fixture_site, "rome/m1805")
    # two fiches, two labels, one use each: the tie goes to the alphabetically first label
    assert text(page.h1) == "M1805 — Développement informatique"
    assert [text(c.select_one(".numero")) for c in page.select("li.carte")] == ["RS1234", "RNCP30001"]
    assert page.select_one('a[href="https://candidat.francetravail.fr/metierscope/fiche-metier/M1805"]')
    index = soup(fixture_site, "rome")
    hrefs = [a["href"] for a in index.select(".termes a")]
    assert "/catalogue/rome/m1805/" in hrefs and len(hrefs) == 16 and hrefs == sorted(hrefs)


def test_taxonomy_indexes_and_terms(fixture_site, example_site):
    niveaux = soup(fixture_site, "niveaux")
    assert [text(li) for li in niveaux.select(".termes li")] == [
        "Niveau 3 — équivalent CAP, BEP 1 certification",
        "Niveau 4 — équivalent Bac 1 certification",
        "Niveau 5 — équivalent Bac+2 4 certifications",
        "Niveau 6 — équivalent Bac+3 1 certification",
        "Sans niveau de qualification 1 certification",
    ]
    certificateurs = [text(li) for li in soup(fixture_site, "certificateurs").select(".termes li")]
    assert certificateurs == ["Ministère chargé de l'emploi 1 certification", "Ministère de l'Éducation nationale 2 certifications",
                              "Organisme Alpha 5 certifications"]
    level6 = soup(example_site, "niveaux/6")
    assert [text(c.select_one(":is(h2, h3)")) for c in level6.select("li.carte")] == ["Chef de projet numérique"]
    nsf = soup(example_site, "nsf")
    assert [text(a) for a in nsf.select(".termes a")] == [
        "326 — Informatique, traitement de l'information, réseaux de transmission",
        "326w — Informatique commercialisation",
    ]


def test_term_pages_paginate(fixture_site):
    alpha = soup(fixture_site, "certificateurs/organisme-alpha")
    assert len(alpha.select("li.carte")) == 5 and alpha.select_one(".pagination") is None


def test_404_links_work_from_any_depth(fixture_site):
    page = soup(fixture_site, "404.html")
    hrefs = [a["href"] for a in page.select("main a")]
    assert hrefs[0] == "/catalogue/" and all(h.startswith("/catalogue/") for h in hrefs)
    assert page.select_one('link[rel="stylesheet"]')["href"] == "/catalogue/assets/style.css"


def test_sitemap_and_robots(fixture_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(fixture_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.findall("s:url/s:loc", namespace)]
    pages = [p for p in fixture_site.rglob("index.html")]
    assert len(locs) == len(pages)
    assert all(loc.startswith("https://ecole.github.io/catalogue/") for loc in locs)
    assert "https://ecole.github.io/catalogue/fiches/rncp30001/blocs/rncp30001bc01/" in locs
    assert not any(loc.endswith("404.html") for loc in locs)
    assert "Sitemap: https://ecole.github.io/catalogue/sitemap.xml" in (fixture_site / "robots.txt").read_text()


def test_editor_text_is_shown_never_run(fixture_site):
    page = soup(fixture_site, "fiches/rncp30001")
    metier = page.select_one("#metier")
    assert "Le texte <script>alert(1)</script> reste du texte." in text(metier)
    assert metier.find("script") is None
    assert metier.find("h3", string="Un titre dans le texte")  # Markdown heading shifted under the section
    assert metier.select_one('a[href="https://exemple.fr/reseaux"]')


def test_status_follows_the_build_date(tmp_path):
    before = build_site(ROOT / "content", tmp_path / "a", today=dt.date(2019, 6, 7))
    after = build_site(ROOT / "content", tmp_path / "b", today=dt.date(2019, 6, 8))
    assert "Active — enregistrée jusqu’au 7 juin 2019" in text(soup(before, "fiches/rncp26224").select_one(".badges"))
    assert "Inactive — enregistrement terminé le 7 juin 2019" in text(soup(after, "fiches/rncp26224").select_one(".badges"))


def test_domain_root_has_no_prefix(tmp_path):
    site = build_site(ROOT / "content", tmp_path / "root", base_path="/")
    page = soup(site, "fiches/rncp26224")
    assert page.select_one('link[rel="stylesheet"]')["href"] == "/assets/style.css"
    assert page.select_one('link[rel="canonical"]')["href"] == "https://exemple.github.io/fiches/rncp26224/"


def test_past_50000_addresses_the_sitemap_becomes_an_index_of_sitemaps(fixture_site, tmp_path, monkeypatch):
    """The protocol allows 50,000 addresses per file; a national catalogue has more pages."""
    from builder.pages import plan as pages

    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    whole = ElementTree.parse(fixture_site / "sitemap.xml").getroot()
    expected = [loc.text for loc in whole.findall("s:url/s:loc", namespace)]
    monkeypatch.setattr(pages, "SITEMAP_SIZE", 10)  # as if each file could hold 10
    site = build_site(FIXTURES / "site" / "content", tmp_path / "site", use_cache=False)
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", namespace)]
    assert parts == [f"https://ecole.github.io/catalogue/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    found = []
    for part in parts:
        urls = ElementTree.parse(site / part.rsplit("/", 1)[1]).getroot().findall("s:url/s:loc", namespace)
        assert 0 < len(urls) <= 10
        found += [loc.text for loc in urls]
    assert found == expected
