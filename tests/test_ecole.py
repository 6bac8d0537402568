"""A bloc's path (its page's "Obtenir ce bloc" section) and a site a school can vouch for: the
school's name and logo in every header, the legal notice and the accessibility statement from
site.yaml, linked from every footer and in the sitemap, and a print header on every page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from builder.build import build
from builder.cli import main
from builder.serve.session import Session

from .conftest import BASE_PATH, FIXTURES, ROOT, _serve
from .test_incremental import config, files
from .test_quality import VNU, WCAG

SITE_YAML = """\
nom: Catalogue de test
description: Un petit catalogue qui couvre les cas particuliers.
url: https://ecole.github.io/catalogue/
organisation:
  nom: Lycée des métiers de Test
  url: https://lycee.example.org/
contact:
  email: contact@ecole.test
  telephone: 01 23 45 67 89
  adresse: 1 rue de l'École, 35000 Rennes
logo: gabarits/logo.svg
fiches_par_page: 5
mentions_legales:
  directeur_publication: Camille Martin, proviseure
  hebergeur:
    nom: Hébergeur Exemple SAS
    adresse: 2 rue des Serveurs, 59100 Roubaix
    telephone: 03 00 00 00 00
    url: https://hebergeur.example.org/
  texte: "SIRET de l'établissement : 123 456 789 00012."
accessibilite:
  audit:
    date: 2026-10-15
    taux: 87.5
    organisme: Cabinet Accès
  date_declaration: 2026-10-20
  contact: accessibilite@ecole.test
"""

# Three fiches around one equivalence: 50002 declares its bloc BC02 equivalent to 50001's BC01;
# 50003, inactive, is replaced by 50002.
FICHES = {
    "rncp50001.yaml": """\
numero: RNCP50001
intitule: Gestionnaire de paie
niveau: 5
certificateurs:
  - nom: Institut Alpha
    site_internet: https://alpha.example.org/
blocs:
  - code: RNCP50001BC01
    libelle: Établir les bulletins de paie
  - code: RNCP50001BC02
    libelle: Déclarer les cotisations
voies_acces:
  VAE: {actif: false}
validation_partielle: false
date_fin_enregistrement: 2030-12-31
""",
    "rncp50002.yaml": """\
numero: RNCP50002
intitule: Assistant paie et administration du personnel
niveau: 5
certificateurs:
  - nom: Institut Beta
    site_internet: https://beta.example.org/
  - nom: Institut Gamma
blocs:
  - code: RNCP50002BC01
    libelle: Administrer le personnel
  - code: RNCP50002BC02
    libelle: Produire la paie
voies_acces:
  VAE: {actif: true}
validation_partielle: true
validation_partielle_perimetre: Chaque bloc validé donne lieu à une attestation.
validite_composantes: 5 ans
date_fin_enregistrement: 2030-12-31
correspondances:
  - bloc: RNCP50002BC02
    numero: RNCP50001
    bloc_correspondant: RNCP50001BC01
""",
    "rncp50003.yaml": """\
numero: RNCP50003
intitule: Ancien titre de paie
niveau: 5
certificateurs:
  - nom: Institut Alpha
blocs:
  - code: RNCP50003BC01
    libelle: Paie
voies_acces:
  VAE: {actif: false}
date_fin_enregistrement: 2020-01-01
nouvelles_certifications:
  - numero: RNCP50002
""",
}


def _project(folder: Path, site_yaml: str = SITE_YAML) -> Path:
    """The fixture catalogue, with the fiches above, a logo and this site.yaml."""
    shutil.copytree(FIXTURES / "site" / "content", folder / "content")
    (folder / "content" / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for name, body in FICHES.items():
        (folder / "content" / "fiches" / name).write_text(body, encoding="utf-8")
    (folder / "gabarits").mkdir()
    shutil.copy(ROOT / "templates" / "static" / "favicon.svg", folder / "gabarits" / "logo.svg")
    return folder


@pytest.fixture(scope="module")
def ecole(tmp_path_factory) -> Path:
    project = _project(tmp_path_factory.mktemp("ecole"))
    build(config(project, project / "site"))
    return project / "site"


@pytest.fixture(scope="module")
def ecole_url(ecole):
    yield from _serve(ecole)


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def path_of(site: Path, path: str) -> dict[str, str]:
    """The bloc page's path section, by its terms."""
    section = soup(site, path).select_one("section#obtenir")
    assert section is not None and section.h2.get_text() == "Obtenir ce bloc, notamment par la VAE"
    return {text(div.dt): text(div.dd) for div in section.select("dl > div")}


# -- a bloc's path -------------------------------------------------------------------------------------

def test_an_example_bloc_says_how_to_obtain_it(example_site):
    page = soup(example_site, "fiches/rncp26224/blocs/rncp26224bc01")
    path = path_of(example_site, "fiches/rncp26224/blocs/rncp26224bc01")
    # inactive fiche whose VAE route was open: past tense
    assert path["La VAE (validation des acquis de l’expérience)"].startswith(
        "Elle était ouverte, mais cette certification n’est plus enregistrée")
    assert path["Obtenir la certification bloc par bloc"] == (
        "La fiche ne dit pas si la certification peut s’obtenir bloc par bloc : demandez-le au certificateur.")
    assert path["Durée de validité d’un bloc validé"] == "5 ans"
    assert "Carrel formation continue : site internet de Carrel formation continue" in path["Qui contacter"]
    section = page.select_one("#obtenir")
    assert section.select_one('a[href="http://www.carrel.fr"]')
    assert section.select_one('a[href="https://www.francecompetences.fr/recherche/rncp/26224/"]')
    assert section.select_one('a[href="https://vae.gouv.fr/"]')
    assert "Non renseigné" not in text(section)
    assert path_of(example_site, "fiches/rncp16959/blocs/rncp16959bc01")["Durée de validité d’un bloc validé"] == "illimitée"


def test_a_bloc_says_whether_vae_is_open_and_whether_it_counts_alone(ecole):
    ouverte = path_of(ecole, "fiches/rncp50002/blocs/rncp50002bc02")
    assert ouverte["La VAE (validation des acquis de l’expérience)"] == (
        "Ouverte : la VAE peut se faire bloc par bloc ; votre expérience peut faire valider les compétences de ce bloc.")
    assert ouverte["Obtenir la certification bloc par bloc"] == (
        "Oui : ce bloc peut être validé seul, puis complété par les autres blocs pour obtenir la certification. "
        "Chaque bloc validé donne lieu à une attestation.")
    assert ouverte["Durée de validité d’un bloc validé"] == "5 ans"
    contacts = soup(ecole, "fiches/rncp50002/blocs/rncp50002bc02").select("#obtenir dl li")
    assert [text(li) for li in contacts][:2] == ["Institut Beta : site internet de Institut Beta", "Institut Gamma"]
    assert contacts[0].a["href"] == "https://beta.example.org/"
    assert "met en relation avec un accompagnateur" in text(contacts[-1])

    fermee = path_of(ecole, "fiches/rncp50001/blocs/rncp50001bc01")
    assert fermee["La VAE (validation des acquis de l’expérience)"] == "Fermée : cette certification ne s’obtient pas par la VAE."
    assert fermee["Obtenir la certification bloc par bloc"] == "Non, selon la fiche : la certification ne s’obtient pas en partie."
    assert fermee["Durée de validité d’un bloc validé"] == "La fiche ne le précise pas : demandez-le au certificateur."
    assert "aide à trouver une certification ouverte à la VAE" in fermee["Qui contacter"]

    ancienne = path_of(ecole, "fiches/rncp50003/blocs/rncp50003bc01")
    assert ancienne["La VAE (validation des acquis de l’expérience)"] == (
        "Elle n’était pas ouverte pour cette certification, qui n’est plus enregistrée. La certification active qui la "
        "remplace : Assistant paie et administration du personnel (RNCP50002).")
    assert soup(ecole, "fiches/rncp50003/blocs/rncp50003bc01").select_one('#obtenir a[href="/catalogue/fiches/rncp50002/"]')

    inconnue = path_of(ecole, "fiches/rncp20001/blocs/rncp20001bc01")  # inactive, VAE not given
    assert inconnue["La VAE (validation des acquis de l’expérience)"].startswith(
        "La fiche ne dit pas si la VAE est possible pour cette certification : demandez-le au certificateur. "
        "La certification peut encore être délivrée aux candidats déjà engagés jusqu’au 31 décembre 2022.")


def test_equivalent_blocs_of_other_fiches_are_linked_to_their_pages_from_both_sides(ecole):
    def equivalents(path):
        return [(" ".join(li.get_text().split()), [a["href"] for a in li.select("a")])
                for li in soup(ecole, path).select("#obtenir > ul > li")]

    assert equivalents("fiches/rncp50002/blocs/rncp50002bc02") == [(
        "Établir les bulletins de paie (RNCP50001BC01), de Gestionnaire de paie (RNCP50001) "
        "— équivalence déclarée par cette certification",
        ["/catalogue/fiches/rncp50001/blocs/rncp50001bc01/", "/catalogue/fiches/rncp50001/"])]
    assert equivalents("fiches/rncp50001/blocs/rncp50001bc01") == [(
        "Produire la paie (RNCP50002BC02), de Assistant paie et administration du personnel (RNCP50002) "
        "— équivalence déclarée par l’autre certification",
        ["/catalogue/fiches/rncp50002/blocs/rncp50002bc02/", "/catalogue/fiches/rncp50002/"])]
    assert equivalents("fiches/rncp50001/blocs/rncp50001bc02") == []  # none for this bloc: no heading either
    assert not soup(ecole, "fiches/rncp50001/blocs/rncp50001bc02").select_one("#obtenir h3")
    # a fiche outside the catalogue: named, linked to France compétences
    hors = equivalents("fiches/rncp30001/blocs/rncp30001bc02")
    assert hors == [("La certification entière, de la certification RNCP99999 sur le site de France compétences, hors de ce "
                     "catalogue — équivalence déclarée par cette certification",
                     ["https://www.francecompetences.fr/recherche/rncp/99999/"])]


def test_an_equivalent_blocs_new_title_remakes_the_bloc_page_that_shows_it(tmp_path):
    """The title of 50001's bloc is shown on 50002's bloc page: an edit to it alone remakes that
    page, in a plain incremental build and in `catalogue serve`'s quick path, as a clean build would."""
    project = _project(tmp_path / "p")
    session = Session()
    build(config(project, tmp_path / "warm"), session=session)
    build(config(project, tmp_path / "incremental"))
    file = project / "content" / "fiches" / "rncp50001.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("Établir les bulletins de paie", "Éditer les bulletins"), encoding="utf-8")
    assert build(config(project, tmp_path / "warm"), session=session).quick
    build(config(project, tmp_path / "incremental"))
    build(config(project, tmp_path / "clean", use_cache=False))
    assert files(tmp_path / "warm") == files(tmp_path / "clean") == files(tmp_path / "incremental")
    assert "Éditer les bulletins (RNCP50001BC01)" in text(soup(tmp_path / "clean", "fiches/rncp50002/blocs/rncp50002bc02"))


# -- the school in every header, its pages in every footer ---------------------------------------------

def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_shows_the_school_and_its_logo_and_links_its_pages(ecole):
    pages = _html_pages(ecole)
    kinds = {p.relative_to(ecole).parts[0] for p in pages}
    assert {"index.html", "fiches", "niveaux", "nsf", "rome", "certificateurs", "recherche", "carte", "regions",
            "comparer", "donnees", "mentions-legales", "accessibilite", "404.html"} <= kinds
    for file in pages:
        html = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        nom = html.select_one("header.entete a.nom-site")
        assert text(nom.select_one("span > span")) == "Lycée des métiers de Test", file
        assert text(nom) == "Lycée des métiers de Test Catalogue de test", file
        assert nom.img["src"] == "/catalogue/assets/logo.svg" and nom.img["alt"] == "", file
        pied = html.select_one("footer.pied")
        assert pied.select_one('a[href="/catalogue/mentions-legales/"]').get_text() == "Mentions légales", file
        assert pied.select_one('a[href="/catalogue/accessibilite/"]').get_text() == "Accessibilité : partiellement conforme", file


def test_the_example_shows_its_school_without_a_logo(example_site):
    html = soup(example_site, "")
    assert text(html.select_one("a.nom-site")) == "École exemple Catalogue des certifications"
    assert html.select_one("a.nom-site img") is None
    assert html.select_one('footer a[href="/catalogue/accessibilite/"]').get_text() == "Accessibilité : non conforme"


def test_the_legal_notice_says_who_publishes_hosts_and_what_data_is_kept(ecole, example_site):
    page = soup(ecole, "mentions-legales")
    sections = {s.h2.get_text(): text(s) for s in page.select("main section")}
    assert "Ce site est publié par Lycée des métiers de Test" in sections["Éditeur du site"]
    assert "Adresse : 1 rue de l'École, 35000 Rennes" in sections["Éditeur du site"]
    assert "Direction de la publication Camille Martin, proviseure" in sections["Éditeur du site"]
    assert sections["Hébergeur"] == "Hébergeur Hébergeur Exemple SAS 2 rue des Serveurs, 59100 Roubaix Téléphone : 03 00 00 00 00"
    assert page.select_one('section a[href="https://hebergeur.example.org/"]')
    assert "Licence Ouverte 2.0" in sections["Sources des données et licences"]
    assert "GeoNames" in sections["Sources des données et licences"] and "Natural Earth" in sections["Sources des données et licences"]
    assert "ne dépose aucun cookie" in sections["Données personnelles et cookies"]
    assert "localStorage" in sections["Données personnelles et cookies"]
    assert sections["Informations complémentaires"].endswith("SIRET de l'établissement : 123 456 789 00012.")
    # the example's defaults: GitHub Pages, the school's direction
    example = {s.h2.get_text(): text(s) for s in soup(example_site, "mentions-legales").select("main section")}
    assert example["Hébergeur"] == ("Hébergeur GitHub, Inc. (service GitHub Pages) 88 Colin P. Kelly Jr. Street, "
                                    "San Francisco, CA 94107, États-Unis")  # no telephone that could not be checked
    assert "Informations complémentaires" not in example


def test_the_accessibility_statement_follows_the_rgaa_model(ecole, example_site):
    page = soup(ecole, "accessibilite")
    sections = {s.h2.get_text(): text(s) for s in page.select("main section")}
    assert ("Catalogue de test est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité "
            "(RGAA), version 4.1.2.") in sections["État de conformité"]
    assert ("L’audit de conformité réalisé le 15 octobre 2026 par Cabinet Accès révèle que 87,5 % des critères du RGAA "
            "version 4.1.2 sont respectés.") in sections["État de conformité"]
    for tool in ("Nu Html Checker (vnu)", "axe-core", "Lighthouse", "320 pixels", "390 et à 1 280 pixels", "24 × 24 pixels",
                 "Clavier", "Impression"):
        assert tool in sections["État de conformité"], tool
    assert "Cette déclaration a été établie le 20 octobre 2026." in sections["Établissement de cette déclaration"]
    assert page.select_one('a[href="mailto:accessibilite@ecole.test"]')
    recours = sections["Voies de recours"]
    assert "Libre réponse 71120 75342 Paris CEDEX 07" in recours
    assert page.select_one('a[href="https://formulaire.defenseurdesdroits.fr/"]')
    assert page.select_one('a[href="https://www.defenseurdesdroits.fr/saisir/delegues"]')
    # without an audit: "non conforme", said why; the statement dated as set in site.yaml
    example = {s.h2.get_text(): text(s) for s in soup(example_site, "accessibilite").select("main section")}
    assert "Catalogue des certifications est non conforme" in example["État de conformité"]
    assert "Aucun audit de conformité au RGAA n’a encore été réalisé" in example["État de conformité"]
    assert "Cette déclaration a été établie le 4 décembre 2026." in example["Établissement de cette déclaration"]
    assert soup(example_site, "accessibilite").select_one('a[href="mailto:contact@exemple.fr"]')


def test_both_pages_are_in_the_sitemap(ecole, example_site):
    for site, origin in ((ecole, "https://ecole.github.io"), (example_site, "https://exemple.github.io")):
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
        for path in ("mentions-legales/", "accessibilite/"):
            assert f"<loc>{origin}/catalogue/{path}</loc>" in sitemap


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("accessibilite:\n  etat: partiellement\n",
     'content/site.yaml:{line}:3: accessibilite: etat "partiellement" needs an audit (RGAA): give `audit` with its '
     'date and rate (taux), or remove `etat`: without an audit the RGAA has the site declared "non conforme"'),
    ("accessibilite:\n  etat: conforme\n  audit: {date: 2026-10-15, taux: 87.5}\n",
     'content/site.yaml:{line}:3: accessibilite: etat "conforme" does not match the audit\'s rate of 87.5 %, which '
     'makes it "partiellement" (conforme: 100 %, partiellement: 50 % or more, non: less); correct one of them, or remove `etat`'),
    ("accessibilite:\n  audit: {date: 2026-10-15, taux: 120}\n", "accessibilite.audit.taux"),
    ("mentions_legales:\n  hebergeur: {nom: Mon hébergeur}\n", "mentions_legales.hebergeur.adresse"),
])
def test_a_mistake_in_the_school_settings_is_explained(tmp_path, capsys, yaml_text, message):
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "site" / "content", project / "content")
    site_yaml = project / "content" / "site.yaml"
    before = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(before + yaml_text, encoding="utf-8")
    assert main(["check", "--root", str(project), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert message.format(line=before.count("\n") + 2) in err, err
    assert "Traceback" not in err


# A school's site away from GitHub Pages, with neither a host nor the statement's date, a footer link
# the site already gives, and two more fiches whose VAE is open: certification taken whole, or unknown.
SITE_AILLEURS = SITE_YAML.replace("https://ecole.github.io/catalogue/", "https://catalogue.lycee.example.org/catalogue/") \
    .replace("""  hebergeur:
    nom: Hébergeur Exemple SAS
    adresse: 2 rue des Serveurs, 59100 Roubaix
    telephone: 03 00 00 00 00
    url: https://hebergeur.example.org/
""", "").replace("  date_declaration: 2026-10-20\n", "") + """\
liens_pied:
  - libelle: Plan d'accès
    url: https://lycee.example.org/plan/
  - libelle: Mentions légales du lycée
    url: https://lycee.example.org/mentions/
"""
VAE_ENTIERE = """\
numero: RNCP50004
intitule: Comptable
niveau: 5
certificateurs:
  - nom: Institut Alpha
blocs:
  - code: RNCP50004BC01
    libelle: Tenir les comptes
voies_acces:
  VAE: {actif: true}
validation_partielle: %s
date_fin_enregistrement: 2030-12-31
"""


@pytest.fixture(scope="module")
def ailleurs(tmp_path_factory) -> Path:
    project = _project(tmp_path_factory.mktemp("ailleurs"), SITE_AILLEURS)
    fiches = project / "content" / "fiches"
    (fiches / "rncp50004.yaml").write_text(VAE_ENTIERE % "false", encoding="utf-8")
    (fiches / "rncp50005.yaml").write_text(VAE_ENTIERE.replace("50004", "50005") % "null", encoding="utf-8")
    build(config(project, project / "site"))
    return project


def test_the_vae_of_a_bloc_is_worded_by_whether_the_certification_is_obtained_in_parts(ailleurs):
    site = ailleurs / "site"
    entiere = path_of(site, "fiches/rncp50004/blocs/rncp50004bc01")
    assert entiere["La VAE (validation des acquis de l’expérience)"] == (
        "Ouverte : votre expérience peut faire valider la certification entière, dont ce bloc fait partie.")
    assert entiere["Obtenir la certification bloc par bloc"] == "Non, selon la fiche : la certification ne s’obtient pas en partie."
    inconnue = path_of(site, "fiches/rncp50005/blocs/rncp50005bc01")
    assert inconnue["La VAE (validation des acquis de l’expérience)"] == (
        "Ouverte : votre expérience peut faire valider cette certification ; demandez au certificateur si ce bloc "
        "peut être validé seul.")
    par_blocs = path_of(site, "fiches/rncp50002/blocs/rncp50002bc02")
    assert par_blocs["La VAE (validation des acquis de l’expérience)"] == (
        "Ouverte : la VAE peut se faire bloc par bloc ; votre expérience peut faire valider les compétences de ce bloc.")


def test_without_host_or_date_the_pages_claim_neither_and_check_says_so(ailleurs, capsys):
    site = ailleurs / "site"
    legal = soup(site, "mentions-legales")
    assert "Hébergeur" not in [s.h2.get_text() for s in legal.select("main section")]  # no false host
    assert "GitHub" not in text(legal.select_one("main")) and "877" not in text(legal)
    a11y = {s.h2.get_text(): text(s) for s in soup(site, "accessibilite").select("main section")}
    assert "établie le" not in a11y["Établissement de cette déclaration"]
    assert ("Cette déclaration est produite avec le site, à partir des tests que son logiciel exécute ; elle a été mise "
            "à jour le 23 novembre 2026.") in a11y["Établissement de cette déclaration"]
    capsys.readouterr()
    assert main(["check", "--root", str(ailleurs), "--today", "2026-11-23"]) == 0  # warnings, not errors
    out, err = capsys.readouterr()
    lines = SITE_AILLEURS.splitlines()
    at = {key: lines.index(key) + 1 for key in ("accessibilite:", "mentions_legales:", "  - libelle: Mentions légales du lycée")}
    assert (f"content/site.yaml:{at['accessibilite:']}:1: warning: accessibilite.date_declaration: the accessibility statement has "
            "no date: set `date_declaration`") in err, err
    assert f"content/site.yaml:{at['mentions_legales:']}:1: warning: mentions_legales.hebergeur: the legal notice must name the site's host" in err
    assert (f'content/site.yaml:{at["  - libelle: Mentions légales du lycée"]}:5: warning: liens_pied[1]: every page\'s footer already '
            'links "Mentions légales": remove the link "Mentions légales du lycée" from liens_pied') in err
    assert "Plan d" not in err
    assert "3 warning(s)" in out
    assert main(["check", "--strict", "--root", str(ailleurs), "--today", "2026-11-23"]) == 1


# -- quality: vnu, axe, print, 390 and 1280 px ---------------------------------------------------------

PAGES = ["mentions-legales/", "accessibilite/", "fiches/rncp50002/blocs/rncp50002bc02/", "fiches/rncp50003/blocs/rncp50003bc01/", ""]


def test_vnu_finds_no_error_on_the_new_pages(ecole):
    pages = [str(ecole / path / "index.html") for path in PAGES]
    result = subprocess.run([shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_read_well_at_390_and_1280_px_and_axe_finds_nothing(browser, ecole_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(ecole_url + BASE_PATH + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            ecole = page.locator("header.entete .nom-site > span > span")
            assert ecole.is_visible() and ecole.inner_text() == "Lycée des métiers de Test"
            logo, nom = page.locator("header.entete img.logo").bounding_box(), ecole.bounding_box()
            assert logo["height"] >= 32 and logo["x"] + logo["width"] <= nom["x"]  # the logo, then the names
            # compact: the school's line and the site's name take less than 5 rem of header
            assert page.locator("header.entete a.nom-site").bounding_box()["height"] <= 80
            results = Axe().run(page, options=WCAG)
            assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_the_header_holds_at_320_px(browser, ecole_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(ecole_url + BASE_PATH + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            box = page.locator("header.entete a.nom-site").bounding_box()
            assert box["x"] + box["width"] <= 320, path
    finally:
        context.close()


def pdf_text(pdf: bytes) -> str:
    """The text a PDF made by Chromium shows, in drawing order (Type0 fonts with a ToUnicode map),
    ligatures undone: enough to read a printout's header without a PDF library."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}

    def stream(body: bytes) -> bytes:
        data = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S).group(1)
        return zlib.decompress(data) if b"FlateDecode" in body.split(b"stream", 1)[0] else data

    def cmap(number: int) -> dict[int, str]:
        found, source = {}, stream(objects[number])
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", source, re.S):
            for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                found[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", source, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    found[code] = chr(int(dst, 16) + i)
        return found

    fonts = {n: cmap(int(m.group(1))) for n, body in objects.items() if (m := re.search(rb"/ToUnicode (\d+) 0 R", body))}
    out = []
    for body in objects.values():
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        if b"/Type /Page" not in body or not contents:
            continue
        resources = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        names = dict(re.findall(rb"/(\S+) (\d+) 0 R", resources.group(1))) if resources else {}
        font: dict[int, str] = {}
        for token in re.finditer(rb"/(\S+) [\d.]+ Tf|<([0-9a-fA-F]*)>|\bET\b", stream(objects[int(contents.group(1))])):
            if token.group(1):
                font = fonts.get(int(names.get(token.group(1), b"0")), {})
            elif token.group(2) is not None:
                hexa = token.group(2).decode()
                out.append("".join(font.get(int(hexa[i:i + 4], 16), "") for i in range(0, len(hexa), 4)))
            else:
                out.append("\n")
    return unicodedata.normalize("NFKC", "".join(out))


@pytest.mark.parametrize("path", ["fiches/rncp26224/blocs/rncp26224bc01/", "", "accessibilite/", "fiches/rncp16959/"])
def test_a_printout_gives_the_sites_name_and_the_date(page, example_url, path):
    page.goto(example_url + BASE_PATH + path)
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('header.entete'), '::after').content") in ("none", "normal")  # print only
    page.emulate_media(media="print")
    printed = "".join(pdf_text(page.pdf(format="A4")).split())
    expected = "École exemple Catalogue des certifications Page publiée le 23 novembre 2026"  # the address: the browser's footer
    assert "".join(expected.split()) in printed
    assert printed.index("".join(expected.split())) < 5  # at the top of the first page: the header's name, then the line


def test_the_print_header_costs_a_few_bytes(example_site):
    html = (example_site / "fiches" / "rncp26224" / "index.html").read_text(encoding="utf-8")
    attribute = re.search(r' data-imprime="[^"]*"', html).group(0)
    assert len(attribute.encode()) < 60  # 50 here: the date (the site's name is the header's)
    assert html.count("Page publiée le") == 1
