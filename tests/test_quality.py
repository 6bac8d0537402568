"""Quality gates on generated pages: vnu (HTML), axe (WCAG 2.1 AA) in Chromium, a link crawl
of the site served under /catalogue/, 320 px wide, print."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import BASE_PATH, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        "resultTypes": ["violations"]}

# One page of every kind, in both sites.
EXAMPLE_PAGES = [
    "", "fiches/rncp26224/", "fiches/rncp16959/", "fiches/rncp16959/blocs/rncp16959bc03/",
    "niveaux/", "niveaux/7/", "nsf/", "nsf/326w/", "certificateurs/", "certificateurs/esgcv-digital-campus/",
    "rome/", "rome/m1705/", "recherche/", "carte/", "regions/", "regions/occitanie/", "departements/34-herault/",
    "donnees/", "page-qui-n-existe-pas/",
]
FIXTURE_PAGES = ["", "page/2/", "fiches/rncp30001/", "fiches/rncp20001/", "fiches/rs1234/",
                 "fiches/rncp30001/blocs/rncp30001bc01/", "niveaux/sans-niveau/",
                 "fiches/rncp40005/", "fiches/rncp40005/organismes/"]  # long content folded; a list of bodies


def test_vnu_finds_no_error_on_any_page(example_site, fixture_site):
    java = shutil.which("java")
    assert java, "Java is needed for vnu: apt-get install openjdk-17-jre-headless"
    assert VNU.is_file(), "vnu.jar missing: run `npm ci`"
    pages = [str(p) for site in (example_site, fixture_site) for p in sorted(site.rglob("*.html"))]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)
    assert len(pages) >= 89  # 53 example pages with HTML, 36 fixture pages; a vnu run that saw none would pass


def test_ids_are_unique_on_every_page(example_site, fixture_site):
    """Every page of both sites (vnu reads them all too): an id given twice breaks links to it
    and the labels that point at it."""
    pages = [p for site in (example_site, fixture_site) for p in sorted(site.rglob("*.html"))]
    twice = {}
    for page in pages:
        ids = re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            twice[str(page)] = repeated
    assert not twice, twice
    assert len(pages) >= 89


@pytest.mark.parametrize("path", EXAMPLE_PAGES)
def test_axe_example_pages(page, example_url, path):
    _axe(page, example_url + BASE_PATH + path)


@pytest.mark.parametrize("path", FIXTURE_PAGES)
def test_axe_fixture_pages(page, fixture_url, path):
    _axe(page, fixture_url + BASE_PATH + path)


def _axe(page, url: str) -> None:
    page.goto(url)
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"] if "n-existe-pas" in url else []
    assert page.console_errors == expected


@pytest.mark.parametrize("path", EXAMPLE_PAGES[:-1] + ["fiches/rncp16959/blocs/rncp16959bc01/", "fixture:fiches/rncp40005/",
                                  "fixture:fiches/rncp40005/organismes/"])
def test_usable_at_320_px(browser, example_url, fixture_url, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    origin = fixture_url if path.startswith("fixture:") else example_url
    page.goto(origin + BASE_PATH + path.removeprefix("fixture:"))
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320, f"{path} is {width}px wide at a 320px viewport"


def test_fiche_prints_without_navigation(page, example_url):
    page.goto(example_url + BASE_PATH + "fiches/rncp26224/")
    page.emulate_media(media="print")
    # the header prints the site's name only (issue 25: with the date, its print header)
    assert page.locator("header.entete .navigation").is_hidden() and page.locator(".recherche-entete").is_hidden()
    assert page.locator("header.entete .nom-site").is_visible()
    assert page.locator(".sommaire").is_hidden()
    assert page.locator("h1").is_visible()
    assert page.locator("#blocs").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_skip_link_reaches_the_content(page, example_url):
    page.goto(example_url + BASE_PATH + "fiches/rncp26224/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src", "action"):  # a search form leads to the search page
            value = attributes.get(name)
            if value and not value.startswith(("mailto:", "tel:")):
                self.links.append(value)


def crawl(origin: str) -> tuple[set[str], list[str]]:
    """Follow every internal link from the home page; return the pages seen and the problems."""
    start = origin + BASE_PATH
    todo, seen, problems, anchors = [(start, "(start)")], set(), [], []
    ids: dict[str, set[str]] = {}
    while todo:
        url, parent = todo.pop()
        url, fragment = urldefrag(url)
        if fragment:
            anchors.append((url, fragment, parent))
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind, body = response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            problems.append(f"{error.code} {url} (linked from {parent})")
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            if link.startswith("/") and not link.startswith(BASE_PATH):
                problems.append(f"root-absolute link without the base path: {link} in {url}")
            target = urljoin(url, link)
            if urlsplit(target).netloc == urlsplit(origin).netloc:
                todo.append((target, url))
            elif not target.startswith("https://") and not target.startswith("http://www."):
                problems.append(f"unexpected external link {target} in {url}")
    for url, fragment, parent in anchors:
        if url in ids and fragment not in ids[url]:
            problems.append(f"missing anchor #{fragment} on {url} (linked from {parent})")
    return seen, problems


@pytest.mark.parametrize("which", ["example", "fixture"])
def test_crawl_finds_no_broken_link(request, which):
    origin = request.getfixturevalue(f"{which}_url")
    site: Path = request.getfixturevalue(f"{which}_site")
    seen, problems = crawl(origin)
    assert problems == []
    pages = {p for p in site.rglob("index.html")}
    assert len([u for u in seen if u.endswith("/")]) == len(pages), "every page is reachable by links"


def test_missing_page_gets_the_404_page(example_url):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(example_url + BASE_PATH + "fiches/rncp99999/")
    assert error.value.code == 404
    assert "Page introuvable" in error.value.read().decode()
