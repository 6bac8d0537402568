"""Near me that never dead-ends (issue 24), in Chromium under /catalogue/ at 390 and 1,280 px:
nothing within the largest radius shows the nearest places anyway, with their distance; a town
name several communes share takes the most populous and offers the others; a result leads to
its place, on the fiche page or on the fiche's places pages, and the places of a fiche are
listed by distance from the town. Distances are checked against a haversine computed here
from the gazetteer."""

from __future__ import annotations

import json
import math
import re
import shutil
from urllib.parse import quote

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from builder.reference.geo import gazetteer, localiser
from builder.search.proximite import town_files

from .conftest import BASE_PATH, ROOT, _serve, build_site
from .test_quality import WCAG

WIDTHS = [390, 1280]


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def town(insee: str) -> tuple[float, float]:
    """A town as the search page knows it (its gazetteer files round to 4 decimals)."""
    commune = gazetteer().par_insee[insee]
    return round(commune.lat, 4), round(commune.lon, 4)


def place(code_postal: str, commune: str) -> tuple[float, float]:
    """A place as the build locates it (the near-me files round to 3 decimals)."""
    position = localiser(code_postal, commune, None, None).position
    return round(position.lat, 3), round(position.lon, 3)


def km(distance: float) -> str:
    return "moins de 1 km" if distance < 1 else f"{round(distance)} km"


def search(page, origin: str, query: str) -> list[dict]:
    page.goto(f"{origin}{BASE_PATH}recherche/?{query}")
    return results(page)


def results(page) -> list[dict]:
    page.wait_for_function("""() => document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'
        && !/en cours/.test(document.getElementById('recherche-etat').textContent)
        && document.getElementById('recherche-etat').textContent.trim() !== ''""")
    return page.evaluate("""() => [...document.querySelectorAll('#recherche-resultats > li')].map(li => ({
        numero: li.querySelector('.numero').textContent, lieu: li.querySelector('.resultat-lieu')?.textContent ?? '',
        href: li.querySelector('h2 a').getAttribute('href')}))""")


def state(page) -> str:
    return page.inner_text("#recherche-etat")


# -- the gazetteer's population ------------------------------------------------------------


def test_the_gazetteer_knows_each_communes_population():
    communes = {c.insee: c for c in gazetteer().communes}
    assert communes["93048"].population > 100_000  # Montreuil (Seine-Saint-Denis)
    assert communes["28267"].population < 2_000  # Montreuil (Eure-et-Loir)
    assert communes["75056"].population > 2_000_000  # Paris as a whole, beside its arrondissements
    assert sum(c.population for c in communes.values()) > 60_000_000  # France, overseas included
    assert sum(1 for c in communes.values() if c.population == 0) < 10  # uninhabited territories only


def test_town_files_list_homonyms_most_populous_first_without_a_number():
    montreuil = [t for t in json.loads(town_files()["geo/noms/mo.json"]) if t[0] == "Montreuil"]
    assert [t[1] for t in montreuil] == ["93", "85", "28"]  # 111,934, 818 and 538 inhabitants
    assert all(len(t) == 5 for t in montreuil)  # name, département, postal code, lat, lon: the order says the rest


# -- nothing within the largest radius --------------------------------------------------------


@pytest.mark.parametrize("narrow_or_wide", WIDTHS, indirect=True)
def test_nothing_within_the_largest_radius_shows_the_nearest_place_and_its_distance(narrow_or_wide, example_url):
    page = narrow_or_wide
    assert page.goto(f"{example_url}{BASE_PATH}recherche/") and page.eval_on_selector(
        "#recherche-km", "s => Math.max(...[...s.options].map(o => Number(o.value)))") == 200
    found = search(page, example_url, f"q={quote('chef de projet')}&pres=Rennes&km=200")
    brest = haversine(town("35238"), place("29200", "Brest"))
    assert 200 < brest < 220
    assert state(page).startswith(f"Aucun lieu à moins de 200 km de Rennes (35) pour « chef de projet ». "
                                  f"Le plus proche : Brest, à {km(brest)}.")
    assert "largissez" not in state(page)
    assert [r["numero"] for r in found] == ["RNCP26224"]
    assert found[0]["lieu"] == f"Au plus près : Web digital school, Brest ({km(brest)})."
    assert found[0]["href"] == f"{BASE_PATH}fiches/rncp26224/?pres=Rennes%20(35)#lieu-2"  # Brest's line
    assert page.console_errors == []


@pytest.mark.parametrize("narrow_or_wide", WIDTHS, indirect=True)
def test_far_from_every_place_the_nearest_fiches_come_by_distance(narrow_or_wide, example_url):
    page = narrow_or_wide
    found = search(page, example_url, "pres=Ajaccio&km=200")
    ajaccio = town("2A004")
    sophia = haversine(ajaccio, place("06560", "Sophia Antipolis"))
    montpellier = haversine(ajaccio, place("34965", "Montpellier Cedex 2"))
    assert [r["numero"] for r in found] == ["RNCP26224", "RNCP16959"]  # by distance
    assert state(page).startswith(f"Aucun lieu à moins de 200 km de Ajaccio (2A). Le plus proche : Sophia Antipolis, à {km(sophia)}.")
    assert found[1]["lieu"].endswith(f"({km(montpellier)}).") and sophia < montpellier
    # the filters count the fiches shown
    if page.get_attribute("#recherche-filtrer", "aria-expanded") != "true":
        page.click("#recherche-filtrer")
    group = "details.filtre:has(summary[data-groupe='niveau'])"
    page.click(f"{group} summary")
    page.wait_for_selector(f"{group} .filtre-valeur")
    assert page.eval_on_selector_all(f"{group} .filtre-valeur", "rows => rows.map(r => r.textContent.trim())") == [
        "Niveau 6 — équivalent Bac+3 (1)", "Niveau 7 — équivalent Bac+5 (1)"]
    # a filter that leaves nothing near: the nearest fiche that has it, farther
    level = quote("niveau:Niveau 6 — équivalent Bac+3")
    found = search(page, example_url, f"pres=Rennes&km=50&filtre={level}")
    assert [r["numero"] for r in found] == ["RNCP26224"] and state(page).startswith(
        "Aucun lieu à moins de 50 km de Rennes (35) avec les filtres choisis. Le plus proche : Brest")
    # nothing anywhere: said, without sending the student to a larger radius
    assert search(page, example_url, "q=zzzzzz&pres=Rennes&km=200") == []
    assert "ni plus loin" in state(page) and "rayon" not in state(page)


# -- a name several communes share -------------------------------------------------------------


@pytest.mark.parametrize("narrow_or_wide", WIDTHS, indirect=True)
def test_montreuil_is_the_most_populous_and_the_others_are_offered(narrow_or_wide, example_url):
    page = narrow_or_wide
    found = search(page, example_url, "pres=Montreuil&km=10")
    assert "à moins de 10 km de Montreuil (93)." in state(page)
    assert found[0]["numero"] == "RNCP16959" and found[0]["lieu"].startswith("Au plus près : HETIC, Montreuil")
    other = page.inner_text("#recherche-homonymes")
    assert other.startswith("Montreuil (Seine-Saint-Denis), la plus peuplée des communes de ce nom. Vouliez-vous dire :")
    buttons = page.eval_on_selector_all("#recherche-homonymes button", "b => b.map(x => x.textContent)")
    assert buttons == ["Montreuil (Vendée)", "Montreuil (Eure-et-Loir)"]
    page.click("#recherche-homonymes button:text-is('Montreuil (Eure-et-Loir)')")
    page.wait_for_function("document.getElementById('recherche-etat').textContent.includes('Montreuil (28)')")
    results(page)
    assert "pres=Montreuil+%2828%29" in page.url or "pres=Montreuil%20(28)" in page.url
    assert page.input_value("#recherche-pres") == "Montreuil (28)"
    assert page.inner_text("#recherche-homonymes").startswith("Montreuil (Eure-et-Loir). Vouliez-vous dire :")
    assert page.evaluate("document.activeElement.id") == "recherche-homonymes"  # focus not lost with the button
    # and back
    page.click("#recherche-homonymes button:text-is('Montreuil (Seine-Saint-Denis)')")
    page.wait_for_function("document.getElementById('recherche-etat').textContent.includes('Montreuil (93)')")
    assert results(page)[0]["numero"] == "RNCP16959"
    assert page.console_errors == []


def test_near_me_states_and_homonyms_are_accessible(page, example_url):
    search(page, example_url, "pres=Montreuil&km=10")
    results_axe = Axe().run(page, options=WCAG)
    assert results_axe.violations_count == 0, results_axe.generate_report()
    size = page.eval_on_selector("#recherche-homonymes button", "b => { const r = b.getBoundingClientRect(); return [r.width, r.height] }")
    assert min(size) >= 24  # WCAG 2.2, 2.5.8
    search(page, example_url, "q=chef%20de%20projet&pres=Rennes&km=200")
    results_axe = Axe().run(page, options=WCAG)
    assert results_axe.violations_count == 0, results_axe.generate_report()


# -- a result leads to its place ------------------------------------------------------------------


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); return r.top > -2 && r.top < innerHeight }")


def listed_by_distance(page, origin: str, fiche_path: str, start: tuple[float, float]) -> list[tuple[str, float, str]]:
    """The places of the page in the order shown, with their distance computed here and the one said."""
    positions = json.loads(page.evaluate(f"fetch('{BASE_PATH}comparer/{fiche_path.split('/')[1]}-lieux.json').then(r => r.text())"))
    distance = {f"lieu-{n}": haversine(start, (lat, lon)) for lat, lon, _, _, numbers, *_ in positions for n in numbers}
    rows = page.eval_on_selector_all("ul.lieux > li[id^='lieu-']", "li => li.map(l => [l.id, l.querySelector('.lieux-distance')?.textContent ?? ''])")
    return [(id_, distance[id_], said) for id_, said in rows if id_ in distance]


@pytest.mark.parametrize("narrow_or_wide", WIDTHS, indirect=True)
def test_a_result_lands_on_its_place_and_the_places_come_by_distance(narrow_or_wide, example_url):
    page = narrow_or_wide
    found = search(page, example_url, "pres=Montreuil&km=10")
    href = next(r["href"] for r in found if r["numero"] == "RNCP16959")
    assert re.fullmatch(rf"{BASE_PATH}fiches/rncp16959/\?pres=Montreuil%20\(93\)#lieu-3", href)
    page.click("#recherche-resultats > li:has-text('RNCP16959') h2 a")
    page.wait_for_url("**/fiches/rncp16959/**")
    page.wait_for_selector("#lieu-3 .lieux-distance")
    page.wait_for_timeout(100)
    assert "HETIC" in page.inner_text("#lieu-3") and "93100 Montreuil" in page.inner_text("#lieu-3")
    assert in_view(page, "#lieu-3")
    shown = listed_by_distance(page, example_url, "fiches/rncp16959/", town("93048"))
    assert len(shown) == 9 and shown[0][0] == "lieu-3"
    assert [d for _, d, _ in shown] == sorted(d for _, d, _ in shown)  # nearest first
    assert all(said == f"À {km(d)} de Montreuil (93)" for _, d, said in shown)
    # two lists ("déclarés par"), each ordered on its own: the note says so, above both
    assert page.locator("#preparation ul.lieux:has(.lieux-distance)").count() == 2
    assert page.inner_text(".lieux-ordre") == "Dans chaque liste, les lieux sont classés du plus proche au plus loin de Montreuil (93)."
    assert page.eval_on_selector(".lieux-ordre", "p => p.nextElementSibling.tagName") == "H3"
    assert page.console_errors == []


def test_a_malformed_anchor_in_the_address_is_no_error(page, example_url):
    page.goto(f"{example_url}{BASE_PATH}fiches/rncp16959/?pres=Montreuil#%E0%A4%A")
    page.wait_for_selector("#lieu-3 .lieux-distance")
    page.wait_for_timeout(200)
    assert page.locator(".lieux-ordre").count() == 1
    assert page.console_errors == []


def test_without_a_town_or_without_javascript_the_lists_stay_as_they_are(browser, example_site, example_url):
    html = (example_site / "fiches/rncp16959/index.html").read_text()
    order = re.findall(r'<li id="(lieu-\d+)"', html)
    for enabled in (True, False):
        context = browser.new_context(java_script_enabled=enabled)
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(f"{example_url}{BASE_PATH}fiches/rncp16959/" + ("" if enabled else "?pres=Rennes"))
        page.wait_for_load_state("networkidle")
        assert page.eval_on_selector_all("ul.lieux > li[id^='lieu-']", "li => li.map(l => l.id)") == order
        assert page.locator(".lieux-distance").count() == 0
        assert not any("/geo/" in url or "-lieux.json" in url or "villes.js" in url for url in fetched)  # nothing without a town
        context.close()


def test_a_fiche_page_offers_to_list_its_places_by_distance_from_a_town(browser, page, example_url):
    """"Classer par distance d'une ville": the town typed reloads the page with it in the address,
    and the places come by distance; without JavaScript, nothing would sort them: no form shown."""
    page.goto(f"{example_url}{BASE_PATH}fiches/rncp16959/")
    assert page.locator(".lieux-distance").count() == 0
    assert page.is_visible("form.lieux-classer") and page.inner_text("label[for='lieux-classer-ville']") == "Classer par distance d’une ville"
    page.fill("#lieux-classer-ville", "Montreuil")
    page.click("form.lieux-classer button")
    page.wait_for_selector("#lieu-3 .lieux-distance")
    assert "pres=Montreuil" in page.url and page.url.endswith("#preparation")
    assert page.input_value("#lieux-classer-ville") == "Montreuil"  # the town kept in the field
    shown = listed_by_distance(page, example_url, "fiches/rncp16959/", town("93048"))
    assert len(shown) == 9 and all(said == f"À {km(d)} de Montreuil (93)" for _, d, said in shown)
    results_axe = Axe().run(page, options=WCAG)
    assert results_axe.violations_count == 0, results_axe.generate_report()
    assert page.console_errors == []
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(f"{example_url}{BASE_PATH}fiches/rncp16959/")
    assert static.locator("form.lieux-classer").count() == 1 and not static.is_visible("form.lieux-classer")
    context.close()


def test_place_anchors_are_unique_and_stable(example_site, tmp_path):
    again = build_site(ROOT / "content", tmp_path / "site")
    for fiche in ("rncp16959", "rncp26224"):
        first = (example_site / f"fiches/{fiche}/index.html").read_text()
        ids = re.findall(r'\sid="([^"]+)"', first)
        assert len(ids) == len(set(ids))
        assert re.findall(r'<li id="(lieu-\d+)"', first) == re.findall(r'<li id="(lieu-\d+)"', (again / f"fiches/{fiche}/index.html").read_text())
    for name in ("pagefind/proximite/35.json", "comparer/rncp26224-lieux.json"):
        assert (example_site / name).read_bytes() == (again / name).read_bytes()


# -- a fiche whose places are on pages of their own -------------------------------------------

TOWNS = [  # (postal code, commune): twelve places in each, in six régions
    ("29000", "Quimper"), ("35000", "Rennes"), ("56100", "Lorient"), ("44000", "Nantes"), ("49000", "Angers"),
    ("69001", "Lyon"), ("38000", "Grenoble"), ("13001", "Marseille"), ("31000", "Toulouse"), ("33000", "Bordeaux"),
    ("59000", "Lille"), ("67000", "Strasbourg"),
]


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    content = tmp_path_factory.mktemp("many") / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "fiches" / "rncp26224.yaml"
    fiche = yaml.safe_load(path.read_text())
    fiche["lieux_preparation"] = [{"organisme": f"Centre {commune} {i + 1}", "adresse": f"{i + 1} rue de la Gare",
                                   "code_postal": code, "commune": commune} for code, commune in TOWNS for i in range(12)]
    path.write_text(yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False))
    site = build_site(content, tmp_path_factory.mktemp("many-site") / "site")
    for origin in _serve(site):  # the server stops when the module's tests are done
        yield site, origin


@pytest.mark.parametrize("narrow_or_wide", WIDTHS, indirect=True)
def test_a_result_lands_on_its_place_in_the_places_pages(narrow_or_wide, many):
    site, origin = many
    page = narrow_or_wide
    assert (site / "fiches/rncp26224/lieux/page/2/index.html").exists()  # 144 places: pages of their own
    found = search(page, origin, "pres=Strasbourg&km=10")
    href = next(r["href"] for r in found if r["numero"] == "RNCP26224")
    match = re.fullmatch(rf"{BASE_PATH}fiches/rncp26224/lieux/(?:page/(\d+)/)?\?pres=Strasbourg%20\(67\)#(lieu-\d+)", href)
    assert match, href
    target = match[2]
    html = (site / f"fiches/rncp26224/lieux/{'page/' + match[1] + '/' if match[1] else ''}index.html").read_text()
    assert f'<li id="{target}">' in html and "Strasbourg" in html.split(f'<li id="{target}">')[1].split("</li>")[0]
    page.click("#recherche-resultats > li:has-text('RNCP26224') h2 a")
    page.wait_for_selector(f"#{target} .lieux-distance")
    page.wait_for_timeout(100)
    assert "Strasbourg" in page.inner_text(f"#{target}") and in_view(page, f"#{target}")
    for _, distance, said in listed_by_distance(page, origin, "fiches/rncp26224/", town("67482")):
        assert said == f"À {km(distance)} de Strasbourg (67)"
    lists = page.eval_on_selector_all("ul.lieux", "uls => uls.map(u => [...u.querySelectorAll('.lieux-distance')].map(s => s.textContent))")
    for shown in lists:
        numbers = [0 if "moins de 1" in s else int(re.search(r"À (\d[\d\u202f ]*) km", s)[1].replace("\u202f", "").replace(" ", "")) for s in shown]
        assert numbers == sorted(numbers)  # each département's list, nearest first
    # the fiche page names the nearest places, with links to them
    page.goto(f"{origin}{BASE_PATH}fiches/rncp26224/?pres=Quimper")
    page.wait_for_selector("#preparation .lieux-ordre a")
    assert page.inner_text("#preparation .lieux-ordre") == (
        "Les plus proches de Quimper (29) : Centre Quimper 1, Quimper, à moins de 1 km ; "
        "Centre Quimper 2, Quimper, à moins de 1 km ; Centre Quimper 3, Quimper, à moins de 1 km.")
    texts = page.eval_on_selector_all("#preparation .lieux-ordre a", "a => a.map(x => x.textContent)")
    assert len(texts) == len(set(texts)) == 3  # three links to three places: three names (WCAG 2.4.4)
    first = page.get_attribute("#preparation .lieux-ordre a", "href")
    page.goto(f"{origin}{first}")
    anchor = first.split("#")[1]
    page.wait_for_selector(f"#{anchor} .lieux-distance")
    assert "Quimper" in page.inner_text(f"#{anchor}")
    # a list per département, each ordered on its own: said once, above the first heading
    assert page.inner_text(".lieux-ordre") == "Dans chaque liste, les lieux sont classés du plus proche au plus loin de Quimper (29)."
    assert page.eval_on_selector(".lieux-ordre", "p => p.nextElementSibling.tagName") in ("H2", "H3")
    assert page.console_errors == []
    results_axe = Axe().run(page, options=WCAG)
    assert results_axe.violations_count == 0, results_axe.generate_report()


def test_vnu_finds_no_error_in_what_near_me_draws(page, example_url, tmp_path):
    """vnu reads the pages as built (test_quality.py); here, the search state with its homonyms
    and a fiche page with its places listed by distance, as the scripts draw them."""
    import subprocess

    from .test_quality import VNU

    search(page, example_url, "pres=Montreuil&km=10")
    (tmp_path / "recherche.html").write_text("<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
    page.goto(f"{example_url}{BASE_PATH}fiches/rncp26224/?pres=Quimper#lieu-2")
    page.wait_for_selector("#lieu-2 .lieux-distance")
    (tmp_path / "fiche.html").write_text("<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
    result = subprocess.run([shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json",
                             str(tmp_path / "recherche.html"), str(tmp_path / "fiche.html")], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)
    results_axe = Axe().run(page, options=WCAG)  # the fiche page with its places by distance
    assert results_axe.violations_count == 0, results_axe.generate_report()


# -- the nearest anyway, in order ------------------------------------------------------------------


@pytest.fixture(scope="module")
def far_apart(tmp_path_factory):
    """Nothing near Rennes: one fiche at Saint-Malo (65 km; Saint-Brieuc and Lorient too, to fill
    the first départements read), the other at Brest (210 km) and Loudun (180 km), whose
    département comes after Brittany's in the order of reading."""
    content = tmp_path_factory.mktemp("far") / "content"
    shutil.copytree(ROOT / "content", content)
    for numero, towns in (("rncp26224", [("35400", "Saint-Malo"), ("22000", "Saint-Brieuc"), ("56100", "Lorient")]),
                          ("rncp16959", [("29200", "Brest"), ("86200", "Loudun")])):
        path = content / "fiches" / f"{numero}.yaml"
        fiche = yaml.safe_load(path.read_text())
        fiche["lieux_preparation"] = [{"organisme": f"Centre {commune}", "adresse": "1 rue de la Gare",
                                       "code_postal": code, "commune": commune} for code, commune in towns]
        path.write_text(yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False))
    site = build_site(content, tmp_path_factory.mktemp("far-site") / "site")
    for origin in _serve(site):
        yield origin, {"RNCP26224": [("35400", "Saint-Malo"), ("22000", "Saint-Brieuc"), ("56100", "Lorient")],
                       "RNCP16959": [("29200", "Brest"), ("86200", "Loudun")]}


def test_the_nearest_anyway_are_each_at_their_nearest_place_and_in_order(page, far_apart):
    """The départements are read nearest first and the reading stops well beyond the nearest
    place found: a fiche found farther than a département not read (Brest) may be nearer there
    (Loudun), so it is not shown at Brest, after Saint-Malo, as if in order."""
    origin, towns = far_apart
    rennes = town("35238")
    nearest = {numero: min(haversine(rennes, place(*t)) for t in found) for numero, found in towns.items()}
    assert nearest["RNCP16959"] < haversine(rennes, place("29200", "Brest"))
    found = search(page, origin, "pres=Rennes&km=10")
    assert found and state(page).startswith("Aucun lieu à moins de 10 km de Rennes (35). Le plus proche : Saint-Malo, à 65 km.")
    said = [int(re.search(r"\((\d+) km\)\.$", r["lieu"])[1]) for r in found]
    assert said == [round(nearest[r["numero"]]) for r in found]  # each at its nearest place
    assert said == sorted(said)
    last = max(nearest[r["numero"]] for r in found)
    assert all(d > last for n, d in nearest.items() if n not in {r["numero"] for r in found})  # none nearer left out
    assert page.console_errors == []
