"""The compare page and its buttons (issue 23), in Chromium under /catalogue/: putting fiches
aside with the keyboard, the tray from page to page, a shared address, its refusals, the rows
(equivalent blocs, shared jobs, the nearest place), small screens and print; and the wide-screen
layouts (search filters beside the results, the fiche's sticky contents) without layout shift."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.reference.geo import gazetteer

from .conftest import BASE_PATH, ROOT, _serve, build_site
from .test_choosing import PATHWAYS

MAX = 4


@pytest.fixture(scope="module")
def pathways_url(tmp_path_factory):
    project = tmp_path_factory.mktemp("compare-pathways")
    (project / "content" / "fiches").mkdir(parents=True)
    (project / "content" / "site.yaml").write_text((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, body in PATHWAYS.items():
        (project / "content" / "fiches" / name).write_text(body, encoding="utf-8")
    yield from _serve(build_site(project / "content", project / "site"))


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    yield context
    context.close()


def _table(page) -> dict[str, list[str]]:
    """The comparison as shown: each visible row's label and cells."""
    rows = {}
    for tr in page.locator("#comparer-table tbody tr:visible").all():
        cells = [c.strip() for c in tr.locator("th, td").all_inner_texts()]
        rows[cells[0]] = cells[1:]
    return rows


def _wait_table(page, columns: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('#comparer-table thead th').length === {columns}")


# -- adding, the tray ------------------------------------------------------------------------------

def test_fiches_are_put_aside_with_the_keyboard_and_the_tray_follows_from_page_to_page(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH)
    buttons = page.locator("li.carte button.ajout-comparaison")
    assert buttons.count() >= 5 and buttons.first.is_visible()
    first = buttons.nth(0)
    numero = first.get_attribute("data-f")
    assert first.get_attribute("aria-pressed") == "false"
    first.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-pressed") == "true"
    page.wait_for_function("document.querySelector('[role=status].visuellement-cache').textContent.includes('ajoutée')")
    status = page.locator("p.visuellement-cache[role=status]").inner_text()
    assert "ajoutée à la comparaison (1 sur 4)" in status
    buttons.nth(1).focus()
    page.keyboard.press("Space")
    tray = page.locator("aside.plateau")
    assert tray.locator(".plateau-lien").inner_text() == "Comparer (2)"
    second = buttons.nth(1).get_attribute("data-f")
    assert tray.locator(".plateau-lien").get_attribute("href") == f"{BASE_PATH}comparer/?f={numero},{second}"

    # another page: the same choice, its buttons pressed, the tray there
    page.goto(fixture_url + BASE_PATH + f"fiches/{numero.lower()}/")
    own = page.locator(".fiche-comparer button.ajout-comparaison")
    assert own.get_attribute("aria-pressed") == "true"
    assert page.locator("aside.plateau .plateau-lien").inner_text() == "Comparer (2)"

    # removing with the keyboard from the tray; the last one removes the tray
    details = page.locator("aside.plateau details")
    assert details.evaluate("d => d.open")  # open at first on a wide screen (1,024 px)
    page.locator("aside.plateau summary").focus()
    page.keyboard.press("Enter")  # folded with the keyboard, and opened again
    assert not details.evaluate("d => d.open")
    page.keyboard.press("Enter")
    titles = page.locator("aside.plateau .plateau-titre").all_inner_texts()
    assert len(titles) == 2
    page.locator("aside.plateau .plateau-retirer").first.focus()
    page.keyboard.press("Enter")
    # focus goes to the remove button now in its place, and the tray stays open
    assert page.evaluate("document.activeElement.className") == "plateau-retirer"
    assert page.locator("aside.plateau .plateau-titre").all_inner_texts() == titles[1:]
    page.keyboard.press("Enter")
    assert page.locator("aside.plateau").count() == 0
    assert own.get_attribute("aria-pressed") == "false"
    assert page.evaluate("document.activeElement.id") == "contenu"  # focus not lost on a removed button


def test_a_fifth_fiche_is_refused_with_a_message(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH)
    buttons = page.locator("li.carte button.ajout-comparaison")
    for i in range(MAX + 1):
        buttons.nth(i).click()
    assert [buttons.nth(i).get_attribute("aria-pressed") for i in range(MAX + 1)] == ["true"] * MAX + ["false"]
    assert "4 certifications au plus" in page.locator("aside.plateau .plateau-message").inner_text()
    page.wait_for_function("document.querySelector('[role=status].visuellement-cache').textContent.includes('déjà 4')")
    assert page.locator("aside.plateau .plateau-lien").inner_text() == "Comparer (4)"


def test_search_results_and_related_lists_have_the_button(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "recherche/?q=technicien")
    page.wait_for_function("document.querySelectorAll('#recherche-resultats > li').length > 0")
    card = page.locator("#recherche-resultats > li").first
    button = card.locator("button.ajout-comparaison")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    numero = button.get_attribute("data-f")
    assert numero in card.inner_text()
    assert page.locator("aside.plateau .plateau-lien").inner_text() == "Comparer (1)"
    page.goto(fixture_url + BASE_PATH + "fiches/rncp30001/")
    related = page.locator("#proches li")
    assert related.count() >= 1
    for i in range(related.count()):  # each related fiche gets its button, for its own number
        href = related.nth(i).locator("a").first.get_attribute("href")
        button = related.nth(i).locator("button.ajout-comparaison")
        assert button.is_visible() and href == f"{BASE_PATH}fiches/{button.get_attribute('data-f').lower()}/"


# -- the compare page --------------------------------------------------------------------------------

def test_a_shared_address_compares_without_any_stored_choice(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005")
    _wait_table(page, 2)
    table = page.locator("#comparer-table")
    assert table.locator("caption").inner_text() == "Comparaison de 2 certifications"
    headers = table.locator("thead th[scope=col]")
    assert headers.nth(0).locator("a").get_attribute("href") == f"{BASE_PATH}fiches/rncp30001/"
    assert headers.nth(1).locator("a").get_attribute("href") == f"{BASE_PATH}fiches/rncp40005/"
    assert table.locator("tbody th[scope=row]").count() == table.locator("tbody tr").count()
    rows = _table(page)
    assert rows["Niveau"] == ["Niveau 5 — équivalent Bac+2"] * 2
    assert rows["Type de diplôme"] == ["BTS", "Non renseigné"]
    assert rows["Formation continue"] == ["Non", "Oui"]
    assert rows["Apprentissage"] == ["Oui", "Oui"]
    assert list(rows)[4] == "Apprentissage" and list(rows)[5].startswith("VAE")  # what students ask first, first
    assert rows["Derniers résultats"][0].replace("\u202f", " ").startswith("Promotion 2024 : 1 234 certifiés (dont 12 par la VAE)")
    assert rows["Liens"][0].splitlines() == ["La fiche du catalogue", "La fiche officielle (France compétences)"]
    # each fiche's chart, small, its ids unique on the page
    charts = table.locator(".comparer-graphique svg[role=img]")
    assert charts.count() == 2
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert page.evaluate("localStorage.length") == 0  # the address alone made it


def test_identical_rows_fold_and_unfold(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005")
    _wait_table(page, 2)
    before = _table(page)
    # the same words in every column (charts and links are compared by what they draw and where
    # they lead: they differ here)
    same = [label for label, cells in before.items() if len(set(cells)) == 1 and label not in ("Liens", "Résultats des dernières promotions")]
    assert "Niveau" in same and "Apprentissage" in same
    button = page.locator("#comparer-identiques")
    assert button.inner_text() == f"Masquer les lignes identiques ({len(same)})"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text() == f"Masquer les lignes identiques ({len(same)})"  # a toggle keeps its name
    after = _table(page)
    assert sorted(after) == sorted(label for label in before if label not in same)
    page.emulate_media(media="print")
    assert _table(page) == before  # folded rows print all the same
    page.emulate_media(media="screen")
    button.click()
    assert _table(page) == before


def test_unknown_numbers_are_named_and_more_than_four_refused(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP99999,<img/src=x/onerror=alert(1)>")
    _wait_table(page, 1)
    messages = page.locator("#comparer-messages").inner_text()
    assert "RNCP99999" in messages and "<IMG/SRC=X/ONERROR=ALERT(1)>" in messages
    assert page.locator("#comparer-messages img").count() == 0
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40001,RNCP40002,RNCP40003,RNCP40004,RS1234")
    page.wait_for_function("document.getElementById('comparer-messages').textContent.length > 0")
    assert "demande 6 certifications : on en compare 4 au plus" in page.locator("#comparer-messages").inner_text()
    assert page.locator("#comparer-boite").is_hidden()
    page.locator("#comparer-messages a").click()
    _wait_table(page, 4)
    assert urlsplit(page.url).query == "f=RNCP30001,RNCP40001,RNCP40002,RNCP40003"
    # what is not a number is named, and does not count towards the four
    page.goto(fixture_url + BASE_PATH + "comparer/?f=rncp30001,<img src=x onerror=alert(1)>,RNCP40001,RNCP40002,RNCP40003")
    _wait_table(page, 4)
    assert "Ce code n’est pas un numéro de fiche : <IMG SRC=X ONERROR=ALERT(1)>" in page.locator("#comparer-messages").inner_text()
    assert page.locator("#comparer-messages").get_attribute("aria-live") == "polite"


def test_without_storage_the_choice_works_on_the_page_and_says_so(browser, fixture_url):
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('refusé', 'SecurityError'); } });")
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH)
    button = page.locator("li.carte button.ajout-comparaison").first
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert "ne garde pas ce choix" in page.locator("aside.plateau .plateau-message").inner_text()
    page.wait_for_function("document.querySelector('[role=status].visuellement-cache').textContent.includes('ne garde pas')")
    assert page.locator("aside.plateau .plateau-lien").inner_text() == "Comparer (1)"
    context.close()


def test_the_tray_never_covers_what_has_focus(browser, fixture_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH)
    buttons = page.locator("li.carte button.ajout-comparaison")
    for i in range(MAX + 1):  # the fifth: the tray's message makes it taller
        buttons.nth(i).click()
    page.locator("aside.plateau summary").click()  # a phone: the tray opens on request
    assert page.locator("aside.plateau details").evaluate("d => d.open")
    tray = page.locator("aside.plateau").bounding_box()
    last = page.locator("footer a").last
    last.focus()
    box = last.bounding_box()
    assert box["y"] + box["height"] <= tray["y"] + 1, (box, tray)
    page.keyboard.press("End")
    page.wait_for_timeout(100)
    box = last.bounding_box()
    assert box["y"] + box["height"] <= page.locator("aside.plateau").bounding_box()["y"] + 1  # scrolled fully: above the tray
    context.close()


def test_a_summary_s_blocs_link_to_their_headings(tmp_path, browser):
    """With `fiches_inactives: resumees`, an inactive fiche's blocs have no pages: the compare page
    links to their headings on the summary."""
    content = tmp_path / "content"
    import shutil

    shutil.copytree(ROOT / "content", content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "\nfiches_inactives: resumees\n", encoding="utf-8")
    site = build_site(content, tmp_path / "site")
    data = json.loads((site / "comparer" / "rncp26224.json").read_text(encoding="utf-8"))
    assert data["statut"] == "Inactive"
    assert not (site / "fiches" / "rncp26224" / "blocs").exists()
    page = (site / "fiches" / "rncp26224" / "index.html").read_text(encoding="utf-8")
    for code, _, url in data["blocs"]:
        assert url == f"{BASE_PATH}fiches/rncp26224/#{code.lower()}" and f'id="{code.lower()}"' in page


def test_an_empty_comparison_says_how_to_fill_it(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/")
    page.wait_for_function("document.getElementById('comparer-etat').textContent.length > 0")
    assert "Ajouter à la comparaison" in page.locator("#comparer-messages").inner_text()
    assert page.locator("#comparer-boite").is_hidden()


def test_the_tray_fills_the_compare_page_and_removing_updates_the_address(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH)
    buttons = page.locator("li.carte button.ajout-comparaison")
    picked = [buttons.nth(i).get_attribute("data-f") for i in range(3)]
    for i in range(3):
        buttons.nth(i).click()
    page.locator("aside.plateau .plateau-lien").click()
    _wait_table(page, 3)
    assert page.locator("aside.plateau").count() == 0  # the page is where the tray leads
    assert page.locator("#comparer-table thead th button").count() == 0  # a column's header is its title alone
    page.locator("#comparer-table tfoot button.comparer-retirer").nth(1).click()
    _wait_table(page, 2)
    assert urlsplit(page.url).query == f"f={picked[0]},{picked[2]}"
    assert page.evaluate("document.activeElement.className") == "comparer-retirer"
    stored = page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")
    assert [n for n, _ in stored] == [picked[0], picked[2]]  # the choice follows


def test_equivalent_blocs_between_the_compared_fiches_on_one_line(context, pathways_url):
    page = context.new_page()
    page.goto(pathways_url + BASE_PATH + "comparer/?f=RNCP1007,RNCP1008,RNCP1010")
    _wait_table(page, 3)
    rows = _table(page)
    lines = rows["Blocs équivalents entre ces certifications"][0].splitlines()
    assert lines == [
        "La certification « Golf » entière équivaut à la certification « Hôtel » entière (équivalence déclarée par Hôtel).",
        "« Bloc 2 de Golf » (RNCP1007BC02) de « Golf » équivaut à « Bloc 1 de Hôtel » (RNCP1008BC01) de « Hôtel » "
        "(équivalence déclarée par Hôtel).",
    ]  # Juliett's equivalence is with Kilo, not compared: not shown
    blocs = rows["Blocs de compétences"]
    assert "équivalent dans RNCP1008" in blocs[0] and "équivalent dans RNCP1007" in blocs[1]
    assert "équivalent" not in blocs[2]
    # declared by both sides: said once, with both
    page.goto(pathways_url + BASE_PATH + "comparer/?f=RNCP1010,RNCP1011")
    _wait_table(page, 2)
    assert _table(page)["Blocs équivalents entre ces certifications"][0].endswith("(équivalence déclarée par Juliett et Kilo).")


def test_an_inactive_fiche_names_its_active_successor(context, pathways_url):
    page = context.new_page()
    page.goto(pathways_url + BASE_PATH + "comparer/?f=RNCP1001,RNCP1004")
    _wait_table(page, 2)
    statut = _table(page)["Statut"]
    assert statut[0].startswith("Inactive") and "Remplacée aujourd’hui par : Delta (RNCP1004)" in statut[0]
    assert statut[1].startswith("Active — enregistrée jusqu’au")


def test_shared_jobs_come_first_and_are_marked(context, example_url):
    page = context.new_page()
    page.goto(example_url + BASE_PATH + "comparer/?f=RNCP26224,RNCP16959")
    _wait_table(page, 2)
    for cell in _table(page)["Métiers (ROME)"]:
        lines = cell.splitlines()
        assert lines[0] == "Marketing (M1705) en commun"
        assert sum("en commun" in line for line in lines) == 1


def _nearest(site_file: Path, lat: float, lon: float) -> tuple[str, float]:
    def km(a, b, c, d):
        rad = math.pi / 180
        h = math.sin((c - a) * rad / 2) ** 2 + math.cos(a * rad) * math.cos(c * rad) * math.sin((d - b) * rad / 2) ** 2
        return 12742 * math.asin(math.sqrt(h))
    return min(((f"{commune} ({dep})", km(lat, lon, plat, plon)) for plat, plon, commune, dep, *_ in json.loads(site_file.read_text())),
               key=lambda x: x[1])


def _check_nearest(page, site: Path, town: str, lat: float, lon: float, km: int) -> list[bool]:
    """The row of the nearest places against the places' positions, computed here: whether each is beyond `km`."""
    cells = next(v for k, v in _table(page).items() if k.startswith(f"Le plus proche de {town}"))
    beyond = []
    for numero, cell in zip(["rncp26224", "rncp16959"], cells):
        name, distance = _nearest(site / "comparer" / f"{numero}-lieux.json", lat, lon)
        shown = "moins de 1 km" if distance < 1 else f"{round(distance)} km"
        assert cell.startswith(f"{name}, à {shown}"), cell
        assert cell.endswith(f"aucun dans un rayon de {km} km") == (distance > km), cell
        beyond.append(distance > km)
    return beyond


def test_the_nearest_place_of_each_fiche_with_pres(context, example_url, example_site):
    communes = gazetteer().communes
    rennes = next(c for c in communes if c.nom == "Rennes")
    page = context.new_page()
    page.goto(example_url + BASE_PATH + "comparer/?f=RNCP26224,RNCP16959&pres=Rennes&km=30")
    _wait_table(page, 2)
    assert _check_nearest(page, example_site, "Rennes (35)", rennes.lat, rennes.lon, 30) == [True, False]
    # typed in the page: the address follows
    brest = next(c for c in communes if c.nom == "Brest")
    page.fill("#comparer-ville", "Brest")
    page.select_option("#comparer-km", "200")
    page.click("#comparer-pres button[type=submit]")
    page.wait_for_function("document.getElementById('comparer-etat').textContent.includes('Brest')")
    assert "pres=Brest" in page.url and "km=200" in page.url and "f=RNCP26224,RNCP16959" in page.url
    _check_nearest(page, example_site, "Brest (29)", brest.lat, brest.lon, 200)


def test_without_javascript_the_page_says_so_and_no_button_shows(browser, fixture_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005")
    assert "La comparaison a besoin de JavaScript" in page.locator("main").inner_text()
    assert page.locator("#comparer-boite").is_hidden()
    page.goto(fixture_url + BASE_PATH)
    assert page.locator("li.carte").count() > 0 and page.locator("button.ajout-comparaison").count() == 0  # lists: given by the script
    page.goto(fixture_url + BASE_PATH + "fiches/rncp30001/")
    assert page.locator("button.ajout-comparaison").count() == 1
    assert not page.locator("button.ajout-comparaison").is_visible()  # no dead button
    context.close()


def test_at_320_px_the_table_scrolls_in_its_own_box_with_its_first_column_kept(browser, fixture_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005,RNCP20001")
    _wait_table(page, 3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator("#comparer-boite")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    label = page.locator("#comparer-table tbody th[scope=row]").first
    left = label.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 400; }")
    page.wait_for_timeout(50)
    assert abs(label.bounding_box()["x"] - left) < 1  # the row labels stay in view
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    context.close()


def test_it_prints_on_a4_landscape_with_every_row(context, fixture_url):
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005,RNCP20001,RS1234")
    _wait_table(page, 4)
    rows = page.locator("#comparer-table tbody tr").count()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 700})  # A4 landscape less 1 cm margins, at 96 dpi
    assert page.locator("#comparer-table tbody tr:visible").count() == rows
    assert page.locator("#comparer-pres").is_hidden() and page.locator(".comparer-retirer").first.is_hidden()
    assert page.evaluate("document.getElementById('comparer-table').getBoundingClientRect().right") <= 1047
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert width > height and abs(width - 841.9) < 2  # A4 landscape, in points


def test_three_fiches_cost_less_than_60_kb_on_a_cold_cache(browser, fixture_url, fixture_site):
    context = browser.new_context()
    fetched: list[str] = []
    context.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path))
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005,RNCP20001")
    _wait_table(page, 3)
    page.wait_for_load_state("networkidle")
    context.close()
    total = 0
    for path in fetched:
        local = fixture_site / path.removeprefix(BASE_PATH)
        local = local / "index.html" if local.is_dir() else local
        total += len(gzip.compress(local.read_bytes(), compresslevel=6))  # as GitHub Pages serves them
    assert {p.rsplit("/", 1)[-1] for p in fetched} >= {"comparer.js", "comparaison.js", "rncp30001.json", "rncp40005.json", "rncp20001.json"}
    assert not any(p.endswith("-lieux.json") for p in fetched)  # places only for a town
    assert total < 60 * 1024, total


def test_axe_finds_nothing_on_the_compare_page_the_tray_and_a_wide_fiche(page, fixture_url, example_url):
    from axe_playwright_python.sync_playwright import Axe

    from .test_quality import WCAG

    page.goto(example_url + BASE_PATH + "comparer/?f=RNCP26224,RNCP16959&pres=Rennes")
    page.wait_for_function("document.querySelectorAll('#comparer-table tbody tr').length > 20")
    page.click("#comparer-identiques")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005,RNCP99999")
    _wait_table(page, 2)
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.goto(fixture_url + BASE_PATH)
    page.locator("li.carte button.ajout-comparaison").first.click()
    page.locator("aside.plateau summary").click()
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(fixture_url + BASE_PATH + "fiches/rncp30001/")
    page.evaluate("window.scrollBy(0, 3000)")
    page.wait_for_function("document.querySelector('.sommaire a[aria-current]') !== null")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    # the unknown number's file, not found: the only error
    assert set(page.console_errors) <= {"Failed to load resource: the server responded with a status of 404 (Not Found)"}


def test_vnu_finds_no_error_in_the_drawn_comparison_and_tray(page, fixture_url, tmp_path):
    """vnu reads the pages as built (test_quality.py); here, the compare page and the tray as the
    scripts draw them."""
    import shutil
    import subprocess

    from .test_quality import VNU

    page.goto(fixture_url + BASE_PATH + "comparer/?f=RNCP30001,RNCP40005,RNCP99999&pres=Nantes")
    _wait_table(page, 2)
    page.wait_for_function("document.getElementById('comparer-etat').textContent.includes('Nantes')")
    (tmp_path / "comparer.html").write_text("<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
    page.goto(fixture_url + BASE_PATH)
    page.locator("li.carte button.ajout-comparaison").first.click()
    (tmp_path / "plateau.html").write_text("<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
    result = subprocess.run([shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json",
                             str(tmp_path / "comparer.html"), str(tmp_path / "plateau.html")], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)


# -- wide screens ------------------------------------------------------------------------------------

LAYOUT_SHIFT = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 800);
})"""


def test_wide_search_shows_its_filters_beside_the_results_without_a_button(browser, fixture_url):
    for width, beside in ((1280, True), (1023, False)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        fetched: list[str] = []
        context.on("requestfinished", lambda r: fetched.append(r.url))
        page = context.new_page()
        page.goto(fixture_url + BASE_PATH + "recherche/?q=technicien")
        page.wait_for_function("document.querySelectorAll('#recherche-resultats > li').length > 0")
        if beside:
            page.wait_for_function("document.querySelectorAll('#recherche-filtres details').length > 0")
            filters, results = page.locator("#recherche-filtres").bounding_box(), page.locator("#recherche-resultats").bounding_box()
            assert filters["x"] + filters["width"] <= results["x"] and filters["y"] < results["y"] + results["height"]
            assert page.locator("#recherche-filtrer").is_hidden()
            assert not [u for u in fetched if "/filter/" in u]  # the first query as light as on a phone
            page.locator("#recherche-filtres summary[data-groupe='niveau']").click()  # a group loads when opened
            page.wait_for_selector("#recherche-filtres input[data-filtre^='niveau']")
            assert [u for u in fetched if "/filter/" in u]
            assert page.locator("#recherche-filtres details:has(summary[data-groupe='niveau'])").evaluate("d => d.open")
            page.locator("#recherche-filtres input[data-filtre^='niveau']").first.check()
            page.wait_for_function("new URL(location.href).searchParams.getAll('filtre').length === 1")
            from axe_playwright_python.sync_playwright import Axe

            from .test_quality import WCAG
            results = Axe().run(page, options=WCAG)
            assert results.violations_count == 0, results.generate_report()
        else:
            assert page.locator("#recherche-filtrer").is_visible() and page.locator("#recherche-filtres").is_hidden()
        assert page.evaluate(LAYOUT_SHIFT) == 0
        context.close()


def test_wide_fiche_keeps_its_contents_in_view_and_marks_the_section_read(browser, fixture_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "fiches/rncp30001/")
    assert page.evaluate(LAYOUT_SHIFT) == 0
    contents, main = page.locator("nav.sommaire").bounding_box(), page.locator("#essentiel").bounding_box()
    assert contents["x"] + contents["width"] <= main["x"]  # a column beside the text
    page.locator("#statistiques").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('statistiques').scrollIntoView({block: 'start'})")
    page.wait_for_function("document.querySelector('.sommaire a[aria-current]')?.hash === '#statistiques'")
    top = page.locator("nav.sommaire").bounding_box()["y"]
    assert 0 <= top < 50  # still in view, at the top of the window
    assert page.locator(".sommaire a[aria-current]").count() == 1
    context.close()
    # narrower: unchanged (the contents above the text, nothing marked)
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "fiches/rncp30001/")
    contents, main = page.locator("nav.sommaire").bounding_box(), page.locator("#essentiel").bounding_box()
    assert contents["y"] + contents["height"] <= main["y"]
    page.evaluate("document.getElementById('statistiques').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(200)
    assert page.locator(".sommaire a[aria-current]").count() == 0
    context.close()


@pytest.mark.parametrize("path", ["", "fiches/rncp30001/", "comparer/?f=RNCP30001,RNCP40005"])
def test_buttons_and_columns_cause_no_layout_shift_on_a_phone(browser, fixture_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + path)
    assert page.evaluate(LAYOUT_SHIFT) == 0
    context.close()
