"""Found, shared, reused (issue 16): canonical addresses, social previews, schema.org data,
the Atom feed of changes, and the fiches as open data (JSON beside each page, one CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from builder.opendata.donnees import COLONNES
from builder.content.model import Fiche

from .conftest import FIXTURES, ROOT, build_site

ORIGIN = "https://exemple.github.io"
BASE = ORIGIN + "/catalogue/"
ATOM = "{http://www.w3.org/2005/Atom}"
EXAMPLE_FICHES = ROOT / "content" / "fiches"
FIXTURE_FICHES = FIXTURES / "site" / "content" / "fiches"


def base_of(which: str) -> str:
    """The public address of a test site (its site.yaml `url`)."""
    content = ROOT / "content" if which == "example_site" else FIXTURES / "site" / "content"
    return yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))["url"]


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def address(site: Path, file: Path, base: str = BASE) -> str:
    """The public address of a page file."""
    relative = file.relative_to(site).as_posix()
    return base + relative.removesuffix("index.html")


def soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def jsonld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]


def of_type(blocks: list[dict], kind: str) -> list[dict]:
    found = []
    for block in blocks:
        for item in block.get("@graph", [block]):
            if item.get("@type") == kind:
                found.append(item)
    return found


def yaml_fiche(folder: Path, numero: str) -> dict:
    return yaml.safe_load((folder / f"{numero.lower()}.yaml").read_text(encoding="utf-8"))


# -- canonical addresses --------------------------------------------------------------------

@pytest.mark.parametrize("which", ["example_site", "fixture_site"])
def test_every_page_has_its_absolute_canonical_address(request, which):
    site: Path = request.getfixturevalue(which)
    base = base_of(which)
    sitemap = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = [p for p in html_pages(site) if p.name != "404.html"]
    assert len(pages) > 40
    for file in pages:
        page = soup(file)
        canonical = [link["href"] for link in page.find_all("link", rel="canonical")]
        assert canonical == [address(site, file, base)], file
        assert canonical[0] in sitemap
    # paginated lists: each page is its own canonical address (it lists other fiches)
    second = site / "page" / "2" / "index.html"
    if second.exists():
        assert soup(second).find("link", rel="canonical")["href"] == base + "page/2/"
    assert soup(site / "404.html").find("link", rel="canonical") is None  # not a page of its own


def example_with(tmp_path: Path, old: str, new: str, base_path: str = "/catalogue/") -> Path:
    """The example site built with one change to its settings."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = (content / "site.yaml").read_text(encoding="utf-8")
    assert old in settings
    (content / "site.yaml").write_text(settings.replace(old, new), encoding="utf-8")
    return build_site(content, tmp_path / "site", base_path=base_path)


def test_canonical_address_under_a_custom_domain(tmp_path):
    site = example_with(tmp_path, "https://exemple.github.io/catalogue/", "https://certifications.ecole.fr/", base_path="/")
    fiche = soup(site / "fiches" / "rncp26224" / "index.html")
    assert fiche.find("link", rel="canonical")["href"] == "https://certifications.ecole.fr/fiches/rncp26224/"
    crumbs = of_type(jsonld(fiche), "BreadcrumbList")[0]["itemListElement"]
    assert [c["item"] for c in crumbs] == ["https://certifications.ecole.fr/", "https://certifications.ecole.fr/fiches/rncp26224/"]
    feed = feedparser.parse((site / "flux.xml").read_bytes())
    assert all(e.link.startswith("https://certifications.ecole.fr/fiches/") for e in feed.entries)
    assert fiche.find("a", href="/fiches/rncp26224/rncp26224.json")


# -- previews -------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["example_site", "fixture_site"])
def test_every_page_kind_has_open_graph_and_twitter_tags(request, which):
    site: Path = request.getfixturevalue(which)
    nom = soup(site / "index.html").find("meta", property="og:title")["content"]  # the home page's title: the site's name
    for file in html_pages(site):
        page = soup(file)
        title, description = page.title.string, page.find("meta", attrs={"name": "description"})["content"]
        assert meta(page, "og:title") == (title.removesuffix(" — " + nom) or title), file  # a preview shows the domain
        assert len(description) > 30, file
        # issue 25: nothing said twice in every page's head. The site's name ends every title and
        # <html lang> gives the language (no og:site_name, og:locale); previews read the description
        # and the canonical address (no og:description, og:url); "website" is the default og:type;
        # Twitter reads og:title past its card
        assert page.find("meta", property=re.compile("^og:(?!title$)")) is None, file
        assert page.find("meta", attrs={"name": re.compile("^twitter:(?!card$)")}) is None, file
        assert page.html["lang"] == "fr"
        assert meta(page, "twitter:card") == "summary"
        if file.name != "404.html":
            assert page.find("link", rel="canonical")["href"] == address(site, file, base_of(which))


def test_fiche_descriptions_are_written_for_a_person(example_site, fixture_site):
    def description(site: Path, numero: str) -> str:
        return soup(site / "fiches" / numero / "index.html").find("meta", attrs={"name": "description"})["content"]

    assert description(example_site, "rncp26224") == (
        "Certification de niveau 6 (Bac+3) délivrée par Carrel formation continue, 4 blocs de compétences, "
        "inactive depuis le 7 juin 2019.")
    assert description(fixture_site, "rncp30001") == (
        "Certification de niveau 5 (Bac+2) délivrée par Ministère de l'Éducation nationale, 3 blocs de compétences, "
        "préparée à Lyon, Nantes et 1 autre ville, ou à distance.")


# -- schema.org -----------------------------------------------------------------------------

@pytest.mark.parametrize("which,folder", [("example_site", EXAMPLE_FICHES), ("fixture_site", FIXTURE_FICHES)])
def test_fiche_pages_carry_their_credential_matching_the_yaml(request, which, folder):
    site: Path = request.getfixturevalue(which)
    checked = 0
    for file in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        fiche = Fiche.model_validate(data)
        page_file = site / "fiches" / fiche.slug / "index.html"
        blocks = jsonld(soup(page_file))
        assert all(block["@context"] == "https://schema.org" for block in blocks)
        [credential] = of_type(blocks, "EducationalOccupationalCredential")
        url = base_of(which) + f"fiches/{fiche.slug}/"
        assert credential["name"] == fiche.intitule
        assert credential["identifier"] == fiche.numero
        assert credential["url"] == url
        assert credential["credentialCategory"]
        if fiche.niveau:
            level = credential["educationalLevel"]
            assert level["@type"] == "DefinedTerm" and level["termCode"] == str(fiche.niveau)
            assert re.search(rf"Niveau {fiche.niveau}\b", level["name"])
            if fiche.niveau >= 4:
                assert "Bac" in level["name"]
        else:
            assert "educationalLevel" not in credential
        competencies = credential.get("competencyRequired", [])
        assert [c["termCode"] for c in competencies] == sorted(b.code for b in fiche.blocs)
        for term, bloc in zip(competencies, sorted(fiche.blocs, key=lambda b: b.code)):
            assert term["@type"] == "DefinedTerm" and term["name"] == bloc.libelle
            assert term["url"] == url + f"blocs/{bloc.code.lower()}/"
            assert (site / "fiches" / fiche.slug / "blocs" / bloc.code.lower() / "index.html").is_file()
        assert credential["recognizedBy"]["name"] == "France compétences"
        assert [c["codeValue"] for c in credential.get("occupationalCategory", [])] == [r.code for r in fiche.rome]
        if fiche.date_fin_enregistrement:
            assert credential["validUntil"] == fiche.date_fin_enregistrement.isoformat()
        providers = credential.get("provider", [])
        assert [p["name"] for p in providers] == [c.nom for c in fiche.certificateurs]
        assert all(p["@type"] == "EducationalOrganization" for p in providers)
        for p, c in zip(providers, fiche.certificateurs):
            assert p.get("taxID") == c.siret
        checked += 1
    assert checked == len(list(folder.glob("*.yaml")))


def test_places_of_preparation_are_organizations_with_address_and_position(fixture_site):
    data = yaml_fiche(FIXTURE_FICHES, "rncp30001")
    blocks = jsonld(soup(fixture_site / "fiches" / "rncp30001" / "index.html"))
    [course] = of_type(blocks, "Course")
    assert course["educationalCredentialAwarded"]["@id"].endswith("/fiches/rncp30001/#certification")
    instances = course["hasCourseInstance"]
    organizers = {i["organizer"]["name"]: i for i in instances}
    assert set(organizers) == {p["organisme"] for p in data["lieux_preparation"]}
    for place in data["lieux_preparation"]:
        instance = organizers[place["organisme"]]
        organisation = instance["organizer"]
        assert organisation["@type"] == "EducationalOrganization"
        if place.get("a_distance"):
            assert instance["courseMode"] == "online" and "geo" not in organisation
            continue
        assert instance["courseMode"] == "onsite"
        assert organisation["address"]["postalCode"] == place["code_postal"]
        assert organisation["address"]["addressLocality"] == place["commune"]
        assert organisation["address"]["addressCountry"] == "FR"
        geo = organisation["geo"]
        assert geo["@type"] == "GeoCoordinates" and -90 <= geo["latitude"] <= 90 and -180 <= geo["longitude"] <= 180
    # Saint-Denis (La Réunion) is placed there, not in Seine-Saint-Denis
    assert organizers["Lycée Exemple"]["organizer"]["geo"]["latitude"] < -20


def test_places_pages_list_their_own_places(tmp_path):
    """Past ten places, a fiche's places have pages of their own, listing them; the fiche page's Course
    keeps as data only the places it shows itself (online ones)."""
    from benchmarks.catalogue import generate

    project = generate(tmp_path / "project", 40)
    site = build_site(project / "content", tmp_path / "site")
    pages = sorted(site.glob("fiches/*/lieux/index.html"))
    assert pages
    for file in pages:
        page = soup(file)
        # the places are the page's text; its only data is its trail (issue 25: a list page carries no
        # structured data of the fiche's, whose Course is on the fiche page)
        assert [block["@type"] for block in jsonld(page)] == ["BreadcrumbList"], file
        assert len(page.select("ul.lieux > li")) > 0
        fiche_page = soup(file.parent.parent / "index.html")
        [on_fiche] = of_type(jsonld(fiche_page), "Course") or [{"hasCourseInstance": []}]
        assert all(i["courseMode"] == "online" for i in on_fiche["hasCourseInstance"])  # only those not listed elsewhere
        # the map is on the places' first page, not on the fiche page, which links to it; its
        # markers lead to the places of this page by their anchors, or to another page of the list
        assert fiche_page.select_one("#preparation figure.carte") is None
        assert "sur une carte" in fiche_page.select_one("#preparation .lien-suite a").get_text(" ", strip=True)
        markers = page.select("figure.carte svg a")
        assert markers, file
        for marker in markers:
            href = marker["href"]
            assert page.find(id=href[1:]) if href.startswith("#") else "/lieux/page/" in href, (file, href)
            assert "de préparation" not in marker["aria-label"]  # every marker here is one


def test_bloc_pages_carry_their_defined_term(example_site):
    data = yaml_fiche(EXAMPLE_FICHES, "rncp16959")
    for bloc in data["blocs"]:
        page = soup(example_site / "fiches" / "rncp16959" / "blocs" / bloc["code"].lower() / "index.html")
        [term] = of_type(jsonld(page), "DefinedTerm")
        assert term["termCode"] == bloc["code"] and term["name"] == bloc["libelle"]
        assert term["url"] == BASE + f"fiches/rncp16959/blocs/{bloc['code'].lower()}/"
        assert term["inDefinedTermSet"]["identifier"] == "RNCP16959"


@pytest.mark.parametrize("which", ["example_site", "fixture_site"])
def test_breadcrumbs_carry_a_breadcrumb_list_matching_the_visible_trail(request, which):
    site: Path = request.getfixturevalue(which)
    seen = 0
    for file in html_pages(site):
        page = soup(file)
        trail = page.find("nav", class_="fil")
        lists = of_type(jsonld(page), "BreadcrumbList")
        if trail is None:
            assert lists == []
            continue
        [crumbs] = lists
        names = [li.get_text(strip=True) for li in trail.find_all("li")]
        items = crumbs["itemListElement"]
        assert [i["name"] for i in items] == names
        assert [i["position"] for i in items] == list(range(1, len(names) + 1))
        base = base_of(which)
        assert items[-1]["item"] == address(site, file, base)
        links = [base.removesuffix("/catalogue/") + a["href"] for a in trail.find_all("a")]
        assert [i["item"] for i in items[:-1]] == links
        seen += 1
    assert seen > 20


def test_json_ld_cannot_be_closed_by_a_fiche_text(fixture_site):
    """The title `Technicien <supérieur> & "réseaux"` stays inside its script element."""
    text = (fixture_site / "fiches" / "rncp30001" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert scripts and all("<" not in s and ">" not in s and "&" not in s for s in scripts)
    assert any("Technicien \\u003csupérieur\\u003e \\u0026 \\\"réseaux\\\"" in s for s in scripts)


# -- the feed -------------------------------------------------------------------------------

def test_feed_is_valid_atom_with_rfc_4287_elements(example_site):
    raw = (example_site / "flux.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{required}")) == 1, required
    assert root.find(f"{ATOM}author/{ATOM}name").text == "École exemple"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "flux.xml"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = []
    rfc3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")
    assert rfc3339.fullmatch(root.find(f"{ATOM}updated").text)
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        assert rfc3339.fullmatch(entry.find(f"{ATOM}updated").text)
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith(BASE + "fiches/") and (example_site / link.removeprefix(BASE) / "index.html").is_file()
        ids.append(entry.find(f"{ATOM}id").text)
    assert len(set(ids)) == len(ids)
    # newest first, and the feed's date is its newest entry's
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True) and root.find(f"{ATOM}updated").text == dates[0]


def test_feed_entries_are_dated_from_the_fiches_own_dates(example_site):
    feed = feedparser.parse((example_site / "flux.xml").read_bytes())
    kinds = set()
    for entry in feed.entries:
        numero = re.search(r"/fiches/([a-z0-9]+)/$", entry.link).group(1)
        data = yaml_fiche(EXAMPLE_FICHES, numero)
        fiche = Fiche.model_validate(data)
        kind = entry.tags[0].term
        kinds.add(kind)
        date = dt.date(*entry.updated_parsed[:3])
        expected = {"nouvelle": fiche.date_effet or fiche.date_decision, "modifiee": fiche.date_dernier_jo,
                    "inactive": fiche.date_fin_enregistrement}[kind]
        assert date == expected, entry.title
        assert fiche.intitule in entry.title
    assert kinds == {"nouvelle", "modifiee", "inactive"}


def test_feed_does_not_depend_on_the_build_clock(tmp_path):
    """Two builds on different days (no fiche date between them) give the same feed."""
    one = build_site(ROOT / "content", tmp_path / "one", today=dt.date(2026, 11, 23))
    two = build_site(ROOT / "content", tmp_path / "two", today=dt.date(2027, 2, 1))
    assert (one / "flux.xml").read_bytes() == (two / "flux.xml").read_bytes()


def test_the_home_page_announces_the_feed(example_site):
    """Where one subscribes to a site: its home page (issue 25: not on every page, whose head is on 80,000 pages)."""
    for file in html_pages(example_site):
        links = soup(file).find_all("link", rel="alternate", type="application/atom+xml")
        home = file == example_site / "index.html" or file.parent.parent == example_site / "page"
        assert [link["href"] for link in links] == ([BASE + "flux.xml"] if home else []), file


# -- open data ------------------------------------------------------------------------------

@pytest.mark.parametrize("which,folder", [("example_site", EXAMPLE_FICHES), ("fixture_site", FIXTURE_FICHES)])
def test_each_fiche_as_json_beside_its_page_valid_against_the_schema(request, which, folder):
    site: Path = request.getfixturevalue(which)
    schema = json.loads((ROOT / "schema" / "fiche.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    published = json.loads((site / "donnees" / "fiche.schema.json").read_text(encoding="utf-8"))
    assert published == schema  # reusers get the schema the files follow
    for file in sorted(folder.glob("*.yaml")):
        expected = Fiche.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
        data = json.loads((site / "fiches" / expected.slug / f"{expected.slug}.json").read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert errors == [], f"{file.name}: {errors[0].message if errors else ''}"
        assert Fiche.model_validate(data) == expected  # the same fiche, in the model's vocabulary
        page = soup(site / "fiches" / expected.slug / "index.html")
        assert page.find("link", rel="alternate", type="application/json")["href"] == f"/catalogue/fiches/{expected.slug}/{expected.slug}.json"


def test_catalogue_csv_has_the_stated_columns_and_a_row_per_fiche(example_site):
    raw = (example_site / "donnees" / "catalogue.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets read the accents right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert list(rows[0]) == list(COLONNES)
    assert [r["numero"] for r in rows] == ["RNCP16959", "RNCP26224"]
    row = rows[1]
    data = yaml_fiche(EXAMPLE_FICHES, "rncp26224")
    assert row["intitule"] == data["intitule"]
    assert row["niveau"] == str(data["niveau"]) and row["niveau_libelle"] == "Niveau 6 — équivalent Bac+3"
    assert row["statut"] == "inactive"
    assert row["certificateurs"] == " | ".join(c["nom"] for c in data["certificateurs"])
    assert row["rome"].split(" | ") == [r["code"] for r in data["rome"]]
    assert row["blocs"].split(" | ") == sorted(b["code"] for b in data["blocs"])
    assert row["voies_acces"].split(" | ") == [k for k, v in data["voies_acces"].items() if v.get("actif")]
    assert row["url"] == BASE + "fiches/rncp26224/" and row["url_json"] == BASE + "fiches/rncp26224/rncp26224.json"
    assert row["url_france_competences"] == "https://www.francecompetences.fr/recherche/rncp/26224/"
    assert int(row["lieux_preparation"]) == sum(1 for p in data.get("lieux_preparation", []) if not p.get("a_distance"))


def test_open_data_page_lists_every_file_and_the_licences(example_site):
    page = soup(example_site / "donnees" / "index.html")
    links = {a["href"] for a in page.select("main a")}
    for path in ("donnees/catalogue.csv", "donnees/fiche.schema.json", "carte/lieux.geojson", "flux.xml", "sitemap.xml",
                 "fiches/rncp16959/rncp16959.json"):
        assert "/catalogue/" + path in links, path
        assert (example_site / path).is_file(), path
    text = page.get_text(" ", strip=True)
    assert "Licence Ouverte 2.0" in text and "France compétences" in text
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in links  # the school's licence, from site.yaml
    assert [row.th.get_text(strip=True) for row in page.select("tbody tr")] == list(COLONNES)
    home = soup(example_site / "index.html").find("main")  # the home page links both (not every page's footer: issue 25)
    assert home.find("a", href="/catalogue/donnees/") and home.find("a", href="/catalogue/flux.xml")


def test_open_data_files_are_optional(tmp_path):
    site = example_with(tmp_path, "donnees_ouvertes:\n", "donnees_ouvertes:\n  fiches_json: false\n  csv: false\n")
    assert not list(site.rglob("fiches/*/*.json"))
    assert not (site / "donnees" / "catalogue.csv").exists()
    page = soup(site / "donnees" / "index.html")
    assert page.find("a", href=re.compile(r"(\.csv|rncp\d+\.json)$")) is None
    assert "Les colonnes du fichier CSV" not in page.get_text()
    fiche = soup(site / "fiches" / "rncp26224" / "index.html")
    assert fiche.find("link", type="application/json") is None and fiche.find("a", href=re.compile(r"\.json$")) is None
    # the compare page's own small files stay: comparing is not open data
    assert sorted(p.name for p in (site / "comparer").glob("*.json")) == [
        "rncp16959-lieux.json", "rncp16959.json", "rncp26224-lieux.json", "rncp26224.json"]


def test_csv_cells_never_start_a_formula(tmp_path):
    """A title or certifier written as a spreadsheet formula stays text (CSV injection)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    fiche_file = content / "fiches" / "rncp26224.yaml"
    text = fiche_file.read_text(encoding="utf-8")
    text = text.replace("intitule: Chef de projet numérique", "intitule: '=HYPERLINK(\"https://exemple.fr\";\"Chef\")'", 1)
    text = text.replace("certificateurs:\n", "certificateurs:\n  - nom: '@SUM(1+1)*cmd|'' /C calc''!A0'\n", 1)
    fiche_file.write_text(text, encoding="utf-8")
    site = build_site(content, tmp_path / "site")
    rows = list(csv.DictReader(io.StringIO((site / "donnees" / "catalogue.csv").read_text(encoding="utf-8-sig"), newline=""),
                               delimiter=";"))
    row = next(r for r in rows if r["numero"] == "RNCP26224")
    assert row["intitule"] == "'=HYPERLINK(\"https://exemple.fr\";\"Chef\")"
    assert row["certificateurs"] == "'@SUM(1+1)*cmd|' /C calc'!A0 | Carrel formation continue"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())
    # the JSON keeps the value as the fiche has it
    data = json.loads((site / "fiches" / "rncp26224" / "rncp26224.json").read_text(encoding="utf-8"))
    assert data["intitule"] == '=HYPERLINK("https://exemple.fr";"Chef")'
