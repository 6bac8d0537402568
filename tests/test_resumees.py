"""Inactive fiches as summaries (`fiches_inactives: resumees`, for national catalogues): the
page keeps what a holder, an employer or a VAE candidate needs (status and successor, level,
certifiers, jobs, blocs by code and title, the official link), within 10 KB (issue 25); the
rest is on the official fiche; its blocs and bodies have no pages. Active fiches are untouched."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from builder.content.model import Fiche

from .conftest import BASE_PATH, FIXTURES, ROOT, _serve, build_site
from .test_quality import VNU, WCAG
from .test_search import search


def with_summaries(source: Path, folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(source, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("fiches_inactives: resumees\n")
    return build_site(content, folder / "site")


@pytest.fixture(scope="module")
def example_summaries(tmp_path_factory) -> Path:
    """The example site (both seeds are inactive) with summaries."""
    return with_summaries(ROOT / "content", tmp_path_factory.mktemp("resumees"))


@pytest.fixture(scope="module")
def fixture_summaries(tmp_path_factory) -> Path:
    return with_summaries(FIXTURES / "site" / "content", tmp_path_factory.mktemp("resumees-fixture"))


@pytest.fixture(scope="module")
def summaries_url(example_summaries) -> Iterator[str]:
    yield from _serve(example_summaries)


def soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def fiche(numero: str, folder: Path = ROOT / "content" / "fiches") -> Fiche:
    return Fiche.model_validate(yaml.safe_load((folder / f"{numero}.yaml").read_text(encoding="utf-8")))


def test_an_inactive_fiche_is_summarised_with_its_blocs_by_code_and_title(example_summaries, example_site):
    for numero in ("rncp26224", "rncp16959"):
        f = fiche(numero)
        folder = example_summaries / "fiches" / numero
        assert sorted(p.name for p in folder.iterdir()) == ["index.html", f"{numero}.json"]  # no bloc pages
        assert (example_site / "fiches" / numero / "blocs").is_dir()  # which the complete form has
        page = soup(folder / "index.html")
        blocs = page.find("section", id="blocs")
        for bloc in f.blocs:
            heading = blocs.find("h3", id=bloc.code.lower())
            assert heading and bloc.libelle in heading.get_text() and heading.find("a") is None
            items = re.findall(r"(?m)^\s*[-*] (.+)$", bloc.liste_competences or "")
            # its competences are on the official fiche, not here
            assert items and not any(" ".join(item.split()[:6]) in " ".join(page.get_text(" ").split()) for item in items), bloc.code
        assert not page.find("a", href=re.compile(r"/blocs/"))
        for gone in ("acces", "preparation", "statistiques", "proches", "cadre-legal", "essentiel", "competences"):
            assert page.find(id=gone) is None, gone
        for code, voie in f.voies_acces:
            if voie.composition_jury:
                assert voie.composition_jury.split("\n")[0][:40] not in page.get_text()
        official = f"https://www.francecompetences.fr/recherche/rncp/{f.numero_court}/"
        assert page.find("header", class_="fiche-entete").find("a", href=official)  # the rest is there
        # one minimal schema.org object: the credential's identity, no breadcrumbs, blocs or places
        scripts = page.find_all("script", type="application/ld+json")
        assert len(scripts) == 1
        [credential] = json.loads(scripts[0].string)["@graph"]
        assert credential["@type"] == "EducationalOccupationalCredential" and credential["identifier"] == f.numero
        assert credential["sameAs"] == official and credential["url"].endswith(f"/fiches/{numero}/")
        assert not {"competencyRequired", "provider", "occupationalCategory"} & credential.keys()
        assert page.find(attrs={"data-pagefind-meta": "resume"})


def test_jobs_level_and_certifiers_stay_and_the_long_texts_go(example_summaries):
    f = fiche("rncp16959")
    page = soup(example_summaries / "fiches" / "rncp16959" / "index.html")
    text = " ".join(page.get_text(" ").split())
    metier = " ".join(page.find("section", id="metier").get_text(" ").split())
    assert f.type_emploi_accessibles and " ".join(f.type_emploi_accessibles.split()[:8]) in metier
    assert f.rome and all(page.find("section", id="metier").find("a", href=f"{BASE_PATH}rome/{r.code.lower()}/") for r in f.rome)
    for long_text in (f.activites_visees, f.secteurs_activite, f.capacites_attestees, f.objectifs_contexte):
        if long_text:
            assert " ".join(long_text.split()[:8]) not in text
    en_bref = " ".join(page.find("section", id="en-bref").get_text(" ").split())
    assert all(c.nom in en_bref for c in f.certificateurs) and "Niveau 7" in en_bref
    assert page.find("section", id="competences") is None  # its blocs say it


def test_active_fiches_keep_their_complete_pages(fixture_summaries, fixture_site):
    active = fixture_summaries / "fiches" / "rncp30001"
    assert (active / "blocs").is_dir()
    assert (active / "index.html").read_bytes() == (fixture_site / "fiches" / "rncp30001" / "index.html").read_bytes()
    inactive = fixture_summaries / "fiches" / "rncp20001"
    assert not (inactive / "blocs").exists()
    sitemap = (fixture_summaries / "sitemap.xml").read_text(encoding="utf-8")
    assert "fiches/rncp30001/blocs/" in sitemap and "fiches/rncp20001/blocs/" not in sitemap


def test_bodies_of_an_inactive_fiche_are_counted_not_listed(tmp_path):
    """The example seed with 347 bodies, made inactive: no list pages, a count and the official link."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "fiches").joinpath("rncp26224.yaml").write_text(
        (content / "fiches" / "rncp26224.yaml").read_text(encoding="utf-8") + "partenaires:\n" + "".join(
            f"  - nom: Organisme {i:03d}\n    siret: \"{10**13 + i:014d}\"\n    habilitation: HABILITATION_FORMER\n" for i in range(347)),
        encoding="utf-8")
    (content / "site.yaml").write_text((content / "site.yaml").read_text(encoding="utf-8") + "fiches_inactives: resumees\n",
                                       encoding="utf-8")
    site = build_site(content, tmp_path / "site")
    assert not (site / "fiches" / "rncp26224" / "organismes").exists()
    page = soup(site / "fiches" / "rncp26224" / "index.html")
    assert page.find("section", id="preparation") is None and not page.find(string=re.compile("Organisme 001"))
    notice = page.find("header", class_="fiche-entete").find("div", class_="avertissement")
    assert "347 organismes habilités" in " ".join(notice.get_text(" ").split())
    assert notice.find("a", href="https://www.francecompetences.fr/recherche/rncp/26224/")


def test_every_link_of_a_summarised_site_leads_somewhere(example_summaries, fixture_summaries):
    for site in (example_summaries, fixture_summaries):
        for file in site.rglob("*.html"):
            page = soup(file)
            ids = {tag["id"] for tag in page.find_all(id=True)}
            for a in page.find_all("a", href=True):
                href = a["href"]
                if not href.startswith(BASE_PATH) and not href.startswith("#"):
                    continue
                path, _, anchor = href.partition("#")
                if path:
                    target = site / urlsplit(path).path.removeprefix(BASE_PATH)
                    target = target / "index.html" if target.is_dir() or path.endswith("/") else target
                    assert target.is_file(), f"{href} in {file}"
                    if anchor and target.suffix == ".html":
                        assert soup(target).find(id=anchor), f"{href} in {file}"
                elif anchor:
                    assert anchor in ids, f"{href} in {file}"


def test_summary_pages_pass_vnu_and_axe(example_summaries, summaries_url, page):
    pages = [str(p) for p in sorted((example_summaries / "fiches").glob("*/index.html"))]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(result.stderr or result.stdout)["messages"] == []
    for numero in ("rncp26224", "rncp16959"):
        page.goto(f"{summaries_url}{BASE_PATH}fiches/{numero}/")
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, results.generate_report()


def test_search_leads_to_a_summarised_bloc_on_its_fiche_page(page, summaries_url):
    found = search(page, summaries_url, "Expert(e) en stratégie digitale")  # the fiche by its title
    assert found[0]["href"] == f"{BASE_PATH}fiches/rncp16959/"
    found = search(page, summaries_url, "RNCP16959BC02")
    assert found[0]["href"] == f"{BASE_PATH}fiches/rncp16959/#rncp16959bc02"
    page.goto(summaries_url + found[0]["href"])
    assert page.evaluate("document.getElementById('rncp16959bc02') !== null")
    assert page.console_errors == []


def test_a_summary_page_is_usable_at_320_px(browser, summaries_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{summaries_url}{BASE_PATH}fiches/rncp16959/")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320
