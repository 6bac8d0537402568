""""En bref" at the top of every fiche page (builder/choosing/en_bref.py, templates/_partials/en_bref.html):
level, status in plain words (and, for an inactive fiche, what replaces it first), three jobs,
four routes as yes/no (past tense when inactive), training hours over the places, where it is
prepared, latest results, and the date of the data. Checked against the YAML of the example
fiches (inactive on the tests' date), of the fixture fiches and of a crafted active fiche; in
Chromium at 390 and 1280 px, with axe and vnu, and in print."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from builder.reference.geo import gazetteer
from builder.reference.nomenclature import NIVEAUX

from .conftest import BASE_PATH, FIXTURES, ROOT, TODAY, _serve, build_site
from .test_quality import VNU, WCAG
from .test_resumees import with_summaries

EXEMPLES = ROOT / "content" / "fiches"
VOIES = {"CA": "Apprentissage", "CQ": "Contrat de professionnalisation", "VAE": "VAE", "FC": "Formation continue"}


def soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def read(numero: str, folder: Path = EXEMPLES) -> dict:
    return yaml.safe_load((folder / f"{numero.lower()}.yaml").read_text(encoding="utf-8"))


def items(html: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """The En bref's items, by their term."""
    return {div.dt.get_text(strip=True): div.dd for div in html.select("#en-bref dl > div")}


def texte(node) -> str:
    # spaces and line breaks folded, the narrow no-break spaces of numbers kept
    return re.sub(r"[ \t\n]+", " ", node.get_text(" ", strip=True)).replace(" ,", ",").replace(" .", ".")


def voies(dd) -> dict[str, str]:
    return dict(texte(li).split(" : ", 1) for li in dd.select("li"))


# -- the crafted catalogue: the fixture one with an active fiche that has hours, towns and an export date


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("en-bref")
    content = folder / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    fiche = read("RNCP30001", content / "fiches")
    heures = {"Saint-Denis": 450, "Lyon": 1200, "Nantes": 600}
    for lieu in fiche["lieux_preparation"]:
        if lieu.get("commune") in heures:
            lieu["heures"] = heures[lieu["commune"]]
    fiche["lieux_preparation"] += [
        {"organisme": "Campus Paris 8", "code_postal": "75008", "commune": "Paris"},
        {"organisme": "Campus Paris 15", "code_postal": "75015", "commune": "Paris"},
    ]
    fiche["source_officielle"] = {"nom": "France compétences (data.gouv.fr)", "date_export": "2026-11-02"}
    (content / "fiches" / "rncp30001.yaml").write_text(yaml.safe_dump(fiche, allow_unicode=True), encoding="utf-8")
    rs = read("RS1234", content / "fiches")
    rs.pop("rome", None)  # jobs from the text of the fiche, then
    rs["type_emploi_accessibles"] = ("Les emplois accessibles sont les suivants :\n- Développeur web, intégrateur\n"
                                     "- **Testeur** ;\n- [Chef de projet](https://exemple.fr)\n")  # the intro is no job
    rs["lieux_preparation"] = [{"organisme": "Campus en ligne", "a_distance": True, "heures": 35}]
    (content / "fiches" / "rs1234.yaml").write_text(yaml.safe_dump(rs, allow_unicode=True), encoding="utf-8")
    old = read("RNCP40001", content / "fiches")  # inactive, replaced by a fiche outside the catalogue
    old["nouvelles_certifications"] = [{"numero": "RNCP99998", "intitule": "Agent nouvelle formule"}]
    old["rome"] = [{"code": fiche["rome"][0]["code"]}]  # no label of its own: the site's label of the code
    (content / "fiches" / "rncp40001.yaml").write_text(yaml.safe_dump(old, allow_unicode=True), encoding="utf-8")
    return build_site(content, folder / "site")


@pytest.fixture(scope="module")
def crafted_url(crafted) -> Iterator[str]:
    yield from _serve(crafted)


# -- what it says


@pytest.mark.parametrize("numero", ["RNCP26224", "RNCP16959"])
def test_the_example_fiches_say_what_their_yaml_says(example_site, numero):
    data = read(numero)
    html = soup(example_site / "fiches" / numero.lower() / "index.html")
    section = html.select_one("#en-bref")
    assert section.h2.get_text() == "En bref"
    # after the fiche's header, before "Sur cette page"
    assert section.find_previous_sibling("header")["class"] == ["fiche-entete"]
    assert section.find_next_sibling("nav")["aria-label"] == "Sur cette page"
    found = items(html)

    # both example fiches ended before the tests' date: inactive, said so first, in the past tense
    assert data["date_fin_enregistrement"] < TODAY and not data.get("nouvelles_certifications")
    assert next(iter(found)) == "Inscriptions"
    assert re.fullmatch(r"Closes depuis le \S+ \S+ \d{4} \(enregistrement terminé\)\..*", texte(found["Inscriptions"]))
    assert "La fiche ne nomme pas de certification qui la remplace." in texte(found["Inscriptions"])

    niveau = NIVEAUX[data["niveau"]]
    ancien = f" · Ancienne nomenclature (1969) : niveau {niveau.ancien}" if niveau.ancien else ""  # issue 25: said here only
    assert texte(found["Niveau"]) == f"Niveau {data['niveau']} ({niveau.equivalent}){ancien}"
    assert found["Niveau"].a["href"] == f"{BASE_PATH}niveaux/{data['niveau']}/"

    # the first three ROME codes, linked to their pages; the rest counted
    links = found["Métiers"].select("a")
    assert [a.get_text() for a in links[:3]] == [r["libelle"] for r in data["rome"][:3]]
    assert [a["href"] for a in links[:3]] == [f"{BASE_PATH}rome/{r['code'].lower()}/" for r in data["rome"][:3]]
    assert links[3].get_text() == f"{len(data['rome']) - 3} autres" and links[3]["href"] == "#metier"

    routes = voies(found["Voies d’accès, quand elle était enregistrée"])
    expected = {libelle: {True: "était ouverte", False: "n’était pas ouverte", None: "non précisé"}[data["voies_acces"][code].get("actif")]
                for code, libelle in VOIES.items()}
    assert routes == expected

    # no place gives hours in either fiche
    assert not any(lieu.get("heures") for lieu in data["lieux_preparation"])
    assert texte(found["Durée de la formation"]) == "Selon l’organisme"

    lieux = [lieu for lieu in data["lieux_preparation"] if not lieu.get("a_distance")]
    villes = {"RNCP26224": ["Paris", "Lyon", "Brest"], "RNCP16959": ["Paris", "Lyon", "Montpellier"]}[numero]
    assert texte(found["Où elle se préparait"]) == f"{len(lieux)} lieux, dont {villes[0]}, {villes[1]} et {villes[2]}. Voir les lieux"
    assert found["Où elle se préparait"].a["href"] == "#preparation"
    assert all(any(lieu["commune"].startswith(v) for lieu in lieux) for v in villes)
    population = {c.nom: c.population for c in gazetteer().communes}
    assert [population[v] for v in villes] == sorted((population[v] for v in villes), reverse=True)  # most populous first
    others = {lieu["commune"] for lieu in lieux} - set(villes) - {"Montpellier Cedex 2"}
    assert all(population.get(v, 0) < population[villes[-1]] for v in others)

    if data.get("statistiques_organismes"):
        moyenne = sum(s["titres_par_an"] for s in data["statistiques_organismes"])
        assert texte(found["Résultats"]) == (f"Environ {moyenne} titrés par an (total des moyennes déclarées par les "
                                             "établissements). Détail")
    else:
        assert not data.get("statistiques") and texte(found["Résultats"]) == "Aucun résultat publié"

    # imported from no export: who typed it, and what is authoritative
    assert "source_officielle" not in data
    assert texte(html.select_one(".en-bref-source")) == "Données saisies par École exemple ; la fiche officielle fait foi."
    assert "Non renseigné" not in section.get_text()


@pytest.mark.parametrize("numero", ["RNCP26224", "RNCP16959"])
def test_an_inactive_fiche_speaks_of_its_routes_and_registration_in_the_past(example_site, numero):
    html = soup(example_site / "fiches" / numero.lower() / "index.html")
    acces = html.select_one("#acces").get_text(" ", strip=True)
    assert "Voie ouverte :" not in acces
    assert acces.count("Voie ouverte quand elle était enregistrée :") == 6
    cadre = html.select_one("#cadre-legal")
    assert "Durée de l’enregistrement" not in cadre.get_text()
    dt = cadre.find("dt", string="Enregistrée au répertoire pour")
    assert texte(dt.find_next_sibling("dd")) == f"{read(numero)['duree_enregistrement']} ans (durée de l’enregistrement, pas de la formation)"


def test_an_active_fiche_with_hours_towns_results_and_an_export_date(crafted):
    data = read("RNCP30001", crafted.parent / "content" / "fiches")
    html = soup(crafted / "fiches" / "rncp30001" / "index.html")
    found = items(html)
    assert list(found) == ["Inscriptions", "Niveau", "Métiers", "Voies d’accès", "Durée de la formation", "Où se préparer", "Résultats"]
    assert texte(found["Inscriptions"]) == "Ouvertes jusqu’au 31 août 2030 (fin de l’enregistrement de la certification)"
    assert data["date_fin_enregistrement"].isoformat() == "2030-08-31"
    assert texte(found["Niveau"]) == "Niveau 5 (Bac+2) · Ancienne nomenclature (1969) : niveau III"
    assert texte(found["Métiers"]) == data["rome"][0]["libelle"]
    expected = {libelle: {True: "oui", False: "non", None: "non précisé"}[data["voies_acces"][code].get("actif")] for code, libelle in VOIES.items()}
    assert voies(found["Voies d’accès"]) == expected == {"Apprentissage": "oui", "Contrat de professionnalisation": "oui", "VAE": "oui", "Formation continue": "non"}
    heures = [lieu["heures"] for lieu in data["lieux_preparation"] if lieu.get("heures")]
    assert (min(heures), max(heures)) == (450, 1200)
    assert texte(found["Durée de la formation"]) == "De 450 à 1\u202f200 heures selon le lieu"
    # five places on site (two in Paris: one town), one at a distance; the three biggest towns
    assert texte(found["Où se préparer"]) == "5 lieux, dont Paris, Lyon et Nantes ; aussi à distance. Voir les lieux"
    latest = max(data["statistiques"], key=lambda s: s["annee"])
    assert texte(found["Résultats"]) == (f"En {latest['annee']} : 1\u202f234 certifiés, {latest['taux_insertion_global_6mois']} % "
                                         "en emploi 6 mois après. Tous les résultats")
    assert found["Résultats"].a["href"] == "#statistiques"
    assert texte(html.select_one(".en-bref-source")) == "Données du répertoire national au 02/11/2026 : la fiche officielle."
    assert html.select_one(".en-bref-source a")["href"] == "https://www.francecompetences.fr/recherche/rncp/30001/"
    # an active fiche's routes stay in the present
    assert html.select_one("#acces").get_text(" ", strip=True).count("Voie ouverte :") == 6


def test_jobs_from_the_text_one_length_and_only_at_a_distance(crafted):
    found = items(soup(crafted / "fiches" / "rs1234" / "index.html"))
    assert texte(found["Niveau"]) == "Sans niveau de qualification"
    assert texte(found["Métiers"]) == "Développeur web, Intégrateur, Testeur et 1 autre"
    assert found["Métiers"].select("a")[-1]["href"] == "#metier"
    assert texte(found["Durée de la formation"]) == "35 heures"
    assert texte(found["Où se préparer"]) == "À distance. Voir les formations"
    assert texte(found["Voies d’accès"]) == "Non précisées sur cette fiche"


def test_an_inactive_fiche_leads_first_to_its_active_successor(fixture_site):
    html = soup(fixture_site / "fiches" / "rncp20001" / "index.html")
    first = html.select_one("#en-bref a")
    assert first["href"] == f"{BASE_PATH}fiches/rncp30001/"
    assert first.get_text() == read("RNCP30001", FIXTURES / "site" / "content" / "fiches")["intitule"]
    assert texte(items(html)["Inscriptions"]) == (
        "Closes depuis le 31 août 2021 (enregistrement terminé). "
        "Remplacée par : Technicien <supérieur> & \"réseaux\" (RNCP30001), ouverte aux inscriptions.")
    # every fiche of the fixture catalogue has one, without "Non renseigné"
    for page in (fixture_site / "fiches").glob("*/index.html"):
        section = soup(page).select_one("#en-bref")
        assert section is not None and "Non renseigné" not in section.get_text(), page


def test_a_successor_outside_the_catalogue_is_named_with_its_official_fiche(crafted):
    found = items(soup(crafted / "fiches" / "rncp40001" / "index.html"))
    assert texte(found["Inscriptions"]) == ("Closes depuis le 1er janvier 2025 (enregistrement terminé). "
                                            "Remplacée par : Agent nouvelle formule — RNCP99998 sur le site de France compétences.")
    assert found["Inscriptions"].a["href"] == "https://www.francecompetences.fr/recherche/rncp/99998/"
    assert "Voies d’accès, quand elle était enregistrée" in found and "Où elle se préparait" in found


def test_a_rome_code_without_a_label_shows_the_sites_label_never_the_bare_code(crafted):
    code = read("RNCP30001", crafted.parent / "content" / "fiches")["rome"][0]
    found = items(soup(crafted / "fiches" / "rncp40001" / "index.html"))
    assert texte(found["Métiers"]) == code["libelle"] != code["code"]
    assert found["Métiers"].a["href"] == f"{BASE_PATH}rome/{code['code'].lower()}/"


def test_the_jobs_of_a_text_skip_the_line_that_introduces_them():
    from builder.choosing.en_bref import _emplois

    assert _emplois("Les emplois accessibles sont les suivants :\nTechnicien, assistant\n") == ["Technicien", "Assistant"]
    assert _emplois("Emplois visés :\n\n* Comptable\n* Aide-comptable ;\nselon l'expérience") == ["Comptable", "Aide-comptable"]


def test_summaries_keep_a_small_en_bref(tmp_path):
    site = with_summaries(ROOT / "content", tmp_path)
    for numero in ("rncp26224", "rncp16959"):
        html = soup(site / "fiches" / numero / "index.html")
        section = html.select_one("#en-bref")
        assert section is not None, numero  # present first: str(None) is 4 bytes, under any budget
        assert section.h2.get_text() == "En bref" and "Inscriptions" in items(html), numero
        assert len(str(section).encode()) < 2000  # of a summary's 10 KB (issue 25)


def test_the_home_page_says_which_cards_are_no_longer_open(example_site, fixture_site):
    html = soup(example_site / "index.html")
    cards = html.select(".cartes .carte")
    assert cards and all(c.select_one(".statut-inactive") for c in cards)
    assert texte(html.select_one(".avertissement")).startswith(
        "Aucune des certifications ci-dessous n’est ouverte aux inscriptions aujourd’hui")
    said = 0
    for page in [fixture_site / "index.html", *fixture_site.glob("page/*/index.html"), *fixture_site.glob("lettre/**/index.html")]:
        html = soup(page)
        inactives = len(html.select(".cartes .carte .statut-inactive"))
        note = html.select_one(".avertissement")
        if not inactives:
            assert note is None, page
            continue
        said += 1
        if inactives == len(html.select(".cartes .carte")):
            assert "Aucune des certifications" in note.get_text()
        elif inactives == 1:
            assert note.get_text().startswith("L’une des certifications")
        else:
            assert note.get_text().startswith(f"{inactives} des certifications"), page
    assert said


# -- in Chromium


FICHES = [("example", "fiches/rncp26224/"), ("example", "fiches/rncp16959/"), ("crafted", "fiches/rncp30001/")]


@pytest.mark.parametrize("where, path", FICHES)
def test_en_bref_comes_first_on_a_phone_and_a_wide_screen(browser, example_url, crafted_url, where, path):
    url = (example_url if where == "example" else crafted_url) + BASE_PATH + path
    for width, height in ((390, 844), (1280, 720)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url)
        top, bottom = page.evaluate("(() => { const r = document.getElementById('en-bref-titre').getBoundingClientRect(); return [r.top, r.bottom]; })()")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        if width == 390:
            assert top < 1.5 * height, f"{path}: En bref at {top}px on a {height}px phone screen"
        else:
            assert bottom <= height, f"{path}: En bref at {bottom}px, below a {height}px window"
        assert scroll_width <= width


def test_en_bref_at_320_px_fits(browser, crafted_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(crafted_url + BASE_PATH + "fiches/rncp30001/")
    right = page.evaluate("document.getElementById('en-bref').getBoundingClientRect().right")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert right <= 320 and width <= 320


@pytest.mark.parametrize("where, path", FICHES + [("example", "")])
def test_axe_finds_nothing(page, example_url, crafted_url, where, path):
    page.goto((example_url if where == "example" else crafted_url) + BASE_PATH + path)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []


def test_vnu_finds_no_error(crafted, example_site):
    pages = [str(p) for p in sorted((crafted / "fiches").glob("*/index.html"))] + [str(example_site / "index.html")]
    result = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300, check=False)
    assert json.loads(result.stderr or result.stdout)["messages"] == []


@pytest.mark.parametrize("where, path", FICHES)
def test_a_fiche_prints_its_en_bref_on_its_first_page(browser, example_url, crafted_url, where, path):
    # an A4 page at 96 dpi (page.pdf prints without margins unless the page sets them)
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.goto((example_url if where == "example" else crafted_url) + BASE_PATH + path)
    page.emulate_media(media="print")
    assert page.locator("#en-bref").is_visible()
    box = page.evaluate("""(() => { const e = document.getElementById('en-bref'), s = getComputedStyle(e);
        const r = e.getBoundingClientRect(); return [r.top + scrollY, r.bottom + scrollY, s.breakBefore, s.breakInside]; })()""")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    context.close()
    assert box[2] != "page" and box[3] == "avoid"
    assert box[1] <= 1123, f"En bref ends at {box[1]}px: past the first A4 page"
    assert pages >= 2  # the rest of the fiche follows
