"""Target sizes (WCAG 2.2, 2.5.8 Target Size (Minimum)) on every page kind, in Chromium at
390 and 1,280 px; the maps' town labels and marker targets; "position approximative".

A target passes when its box is at least 24×24 CSS px, or when one of the criterion's
exceptions applies, as implemented here:
- spacing: a 24 px circle centred on the undersized target meets no other target's box and no
  other undersized target's circle;
- inline: a link that is inline in a block holding other text (a link in a sentence).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from .conftest import BASE_PATH, FIXTURES, ROOT, _serve, build_site

WIDTHS = (390, 1280)
MINIMUM = 24

# (site, path, state): one page of every kind. A path missing from the built site is skipped
# (pages another part of the work adds later): add new page kinds here.
PAGES = [
    ("example", "", None),
    ("example", "fiches/rncp26224/", None),
    ("example", "fiches/rncp16959/", None),
    ("example", "fiches/rncp16959/blocs/rncp16959bc03/", None),
    ("example", "niveaux/", None),
    ("example", "niveaux/7/", None),
    ("example", "nsf/", None),
    ("example", "nsf/326w/", None),
    ("example", "rome/", None),
    ("example", "rome/m1705/", None),
    ("example", "certificateurs/", None),
    ("example", "certificateurs/esgcv-digital-campus/", None),
    ("example", "carte/", None),
    ("example", "regions/", None),
    ("example", "regions/ile-de-france/", None),
    ("example", "departements/", None),
    ("example", "departements/35-ille-et-vilaine/", None),
    ("example", "recherche/", None),
    ("example", "recherche/", "requete"),
    ("example", "recherche/", "filtres"),
    ("example", "recherche/", "pres"),
    ("example", "recherche/?pres=Montreuil&km=10", "homonymes"),  # the buttons naming the other Montreuil
    ("example", "recherche/?q=chef%20de%20projet&pres=Rennes&km=200", "loin"),  # the nearest place anyway, beyond 200 km
    ("example", "comparer/?f=RNCP26224,RNCP16959", "comparer"),
    ("example", "donnees/", None),
    ("example", "page-qui-n-existe-pas/", None),
    ("example", "mentions-legales/", None),
    ("example", "accessibilite/", None),
    ("fixture", "", None),
    ("fixture", "page/2/", None),
    ("fixture", "fiches/rncp40005/", None),
    ("fixture", "fiches/rncp40005/organismes/", None),
    ("fixture", "fiches/rncp30001/", None),
    ("fixture", "regions/la-reunion/", None),
    ("fixture", "departements/69-rhone/", None),
    ("fixture", "mentions-legales/", None),
    ("fixture", "accessibilite/", None),
    ("cartes", "fiches/rncp40099/", None),  # the crafted catalogue below: many places, close towns
    ("cartes", "fiches/rncp40099/lieux/", None),  # a fiche's places page (past ten places: none in the fixture)
    ("cartes", "regions/bretagne/", None),
    ("cartes", "departements/35-ille-et-vilaine/", None),
    ("resumees", "fiches/rncp26224/", None),  # an inactive fiche's summary
]

VILLES_35 = [  # (postal code, town): places of a crafted fiche in Ille-et-Vilaine
    ("35000", "Rennes"), ("35000", "Rennes"), ("35510", "Cesson-Sévigné"), ("35400", "Saint-Malo"),
    ("35800", "Dinard"), ("35300", "Fougères"), ("35500", "Vitré"), ("35600", "Redon"),
    ("35160", "Montfort-sur-Meu"), ("35470", "Bain-de-Bretagne"), ("35270", "Combourg"),
    ("35150", "Janzé"), ("35220", "Châteaubourg"), ("35190", "Tinténiac"), ("35120", "Dol-de-Bretagne"),
]


@pytest.fixture(scope="module")
def map_site(tmp_path_factory) -> Path:
    """The fixture catalogue plus a fiche prepared in 15 towns of Ille-et-Vilaine (some close
    together), one place with its own coordinates and one placed at its town's centre."""
    content = tmp_path_factory.mktemp("cartes") / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    lieux = [{"organisme": f"Centre {i} de {ville}", "code_postal": code, "commune": ville}
             for i, (code, ville) in enumerate(VILLES_35, 1)]
    lieux.append({"organisme": "Centre précis", "adresse": "2 rue de Brest", "code_postal": "35000", "commune": "Rennes",
                  "lat": 48.1119, "lon": -1.6932})
    fiche = {"numero": "RNCP40099", "intitule": "Technicien des cartes", "niveau": 4,
             "certificateurs": [{"nom": "Organisme Alpha"}], "lieux_preparation": lieux}
    (content / "fiches" / "rncp40099.yaml").write_text(yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build_site(content, content.parent / "site")


@pytest.fixture(scope="module")
def map_url(map_site):
    from .conftest import _serve
    yield from _serve(map_site)


# Every visible interactive element, its box, and whether the inline exception applies.
TARGETS_JS = r"""() => {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, summary, textarea, [tabindex]:not([tabindex^="-"])';
  const all = [...document.querySelectorAll(selector)];
  const inline = el => ['inline', 'contents'].includes(getComputedStyle(el).display);
  const visibleText = (root, skip) => {
    let text = '';
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const parent = n.parentElement;
      if (skip.some(t => t.contains(n)) || !parent.getClientRects().length) continue;
      if (parent.closest('.visuellement-cache, [aria-hidden="true"], svg')) continue;
      text += n.textContent;
    }
    return text.replace(/[\s.,;:·()«»›|–—\-]+/g, '');
  };
  const describe = el => {
    const tag = el.tagName.toLowerCase();
    const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('value') || el.id || '').trim().replace(/\s+/g, ' ');
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const type = el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : '';
    return `${tag}${cls}${type} «${name.slice(0, 40)}»`;
  };
  const out = [];
  for (const el of all) {
    if (el.closest('[hidden], [inert]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const x = r.left + scrollX, y = r.top + scrollY;
    if (x + r.width <= 0 || y + r.height <= 0) continue;  // off screen until focused (skip link)
    if (el.closest('.visuellement-cache')) continue;
    let sentence = false;
    if (el.tagName.toLowerCase() === 'a' && inline(el) && !(el instanceof SVGElement)) {
      let block = el.parentElement;
      while (block && inline(block)) block = block.parentElement;
      sentence = !!block && visibleText(block, all.filter(t => block.contains(t))) !== '';
    }
    // a link broken over two lines is two boxes: the box around both would cover the text between
    const parts = inline(el) ? [...el.getClientRects()].map(p => [p.left + scrollX, p.top + scrollY, p.width, p.height]) : [];
    out.push({what: describe(el), x, y, w: r.width, h: r.height, sentence, parts, element: all.indexOf(el),
              inside: all.map((t, i) => t !== el && (t.contains(el) || el.contains(t)) ? i : -1).filter(i => i >= 0),
              control: ['input', 'select', 'button', 'textarea'].includes(el.tagName.toLowerCase())});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def summaries_site(tmp_path_factory) -> Path:
    """The example site with summaries for inactive fiches (both its fiches are inactive)."""
    from .test_resumees import with_summaries

    site = with_summaries(ROOT / "content", tmp_path_factory.mktemp("resumees"))
    assert "Cette page la résume" in (site / "fiches" / "rncp26224" / "index.html").read_text(encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def summaries_url(summaries_site):
    yield from _serve(summaries_site)


def too_small(targets: list[dict], minimum: float = MINIMUM) -> list[dict]:
    """The targets failing 2.5.8: undersized, not in a sentence, and too close to another."""
    radius = minimum / 2

    def centre(t):
        return t["x"] + t["w"] / 2, t["y"] + t["h"] / 2

    def meets_box(c, t):  # does the circle centred at c meet one of t's boxes?
        for x, y, w, h in t.get("parts") or [(t["x"], t["y"], t["w"], t["h"])]:
            nx, ny = min(max(c[0], x), x + w), min(max(c[1], y), y + h)
            if (c[0] - nx) ** 2 + (c[1] - ny) ** 2 < radius ** 2:
                return True
        return False

    small = [t for t in targets if (t["w"] < minimum - 0.01 or t["h"] < minimum - 0.01)]
    failing = []
    for t in small:
        if t["sentence"]:
            continue
        c = centre(t)
        others = [o for o in targets if o is not t and not _related(o, t)]
        close = [o for o in others if meets_box(c, o)]
        close += [o for o in small if o is not t and not _related(o, t) and o not in close
                  and (centre(o)[0] - c[0]) ** 2 + (centre(o)[1] - c[1]) ** 2 < minimum ** 2]
        if close:
            failing.append({**t, "near": close[0]["what"]})
    return failing


def _related(a: dict, b: dict) -> bool:
    """One target inside the other (a link in a scrolling box that takes the focus)."""
    return a.get("element", -1) in b.get("inside", ()) or b.get("element", -2) in a.get("inside", ())




def _open(page, origin: str, path: str, state: str | None) -> None:
    page.goto(origin + BASE_PATH + path)
    if state in ("requete", "filtres"):
        page.fill("#recherche-q", "marketing")
        page.keyboard.press("Enter")
        _answered(page)
        page.wait_for_selector("#recherche-resultats > li .ajout-comparaison")
    if state == "filtres":
        if page.is_visible("#recherche-filtrer"):
            page.click("#recherche-filtrer")
        page.wait_for_selector("#recherche-filtres summary")
        page.eval_on_selector_all("#recherche-filtres details.filtre", "ds => ds.forEach(d => { d.open = true; })")
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("#recherche-filtres input[type=checkbox]")
    if state == "pres":
        page.fill("#recherche-pres", "Rennes")
        page.keyboard.press("Enter")
        _answered(page)
    if state == "homonymes":
        _answered(page)
        page.wait_for_selector("#recherche-homonymes button.recherche-homonyme")
    if state == "loin":
        _answered(page)
        assert "Le plus proche : " in page.inner_text("#recherche-etat")
    if state == "comparer":
        page.wait_for_selector("table.comparer-table")
        page.wait_for_load_state("networkidle")


def _answered(page) -> None:
    page.wait_for_function("""() => document.getElementById('recherche-resultats').getAttribute('aria-busy') === 'false'
        && !/en cours/.test(document.getElementById('recherche-etat').textContent)
        && document.getElementById('recherche-etat').textContent.trim() !== ''""")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_target_is_at_least_24_px_or_spaced(browser, example_site, fixture_site, map_site, example_url, fixture_url,
                                                  map_url, summaries_site, summaries_url, width):
    sites = {"example": (example_site, example_url), "fixture": (fixture_site, fixture_url), "cartes": (map_site, map_url),
             "resumees": (summaries_site, summaries_url)}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    failures, seen = [], 0
    try:
        for kind, path, state in PAGES:
            folder, origin = sites[kind]
            # every page kind listed must exist: one gone missing fails, never skipped
            assert (folder / path.split("?")[0] / "index.html").is_file() or path == "page-qui-n-existe-pas/", (kind, path)
            _open(page, origin, path, state)
            targets = page.evaluate(TARGETS_JS)
            assert targets, path
            seen += 1
            failures += [f"{kind}:{path or '/'}{' (' + state + ')' if state else ''}: {t['what']} is "
                         f"{t['w']:.0f}×{t['h']:.0f} px, too close to {t['near']}" for t in too_small(targets)]
            # form controls (the radius menu, the filters' boxes) get the full size, spaced or not
            failures += [f"{kind}:{path or '/'}{' (' + state + ')' if state else ''}: {t['what']} is "
                         f"{t['w']:.0f}×{t['h']:.0f} px (a form control)" for t in targets
                         if t["control"] and (t["w"] < MINIMUM - 0.01 or t["h"] < MINIMUM - 0.01)]
    finally:
        context.close()
    assert seen == len(PAGES)
    assert not failures, f"{len(failures)} targets under 24×24 px at {width} px:\n" + "\n".join(failures)


def test_the_check_sees_small_targets_and_the_exceptions():
    """The rule itself, on made-up boxes: a small lone target passes, two small neighbours fail,
    a small target beside a big one fails, a link in a sentence passes."""
    def box(what, x, y, w, h, sentence=False):
        return {"what": what, "x": x, "y": y, "w": w, "h": h, "sentence": sentence}

    assert too_small([box("seul", 0, 0, 13, 13), box("loin", 100, 0, 30, 30)]) == []
    pair = too_small([box("a", 0, 0, 13, 13), box("b", 20, 0, 13, 13)])
    assert [t["what"] for t in pair] == ["a", "b"]
    assert [t["what"] for t in too_small([box("petit", 0, 0, 73, 19), box("grand", 0, 20, 100, 44)])] == ["petit"]
    assert too_small([box("phrase", 0, 0, 60, 18, sentence=True), box("voisin", 0, 20, 60, 18, sentence=True)]) == []


# -- maps ------------------------------------------------------------------------------

MAP_JS = r"""figure => {
  const links = [...figure.querySelectorAll('svg a')];
  return links.map(a => {
    const hit = a.querySelector('circle.cible').getBoundingClientRect();
    const label = a.querySelector('text.etiquette');
    const box = a.getBoundingClientRect();
    const cx = hit.left + hit.width / 2, cy = hit.top + hit.height / 2, r = hit.width / 2;
    // the browser's own hit test, just inside the target's edge, on four sides
    const hits = [[r - 1, 0], [-(r - 1), 0], [0, r - 1], [0, -(r - 1)]].map(([dx, dy]) =>
      document.elementFromPoint(cx + dx, cy + dy)?.closest('a') === a);
    return {name: a.getAttribute('aria-label'), w: box.width, h: box.height, cx, cy, r, hits,
            label: label ? label.textContent : null,
            labelBox: label ? (b => [b.left, b.top, b.right, b.bottom])(label.getBoundingClientRect()) : null,
            svgBox: label ? (b => [b.x, b.y, b.width, b.height])(label.getBBox()) : null};
  });
}"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "at_least", "named"), [
    # a région: towns within 30 map units (about 22 km here) share a marker, named after the biggest
    ("regions/bretagne/", 5, {"Rennes", "Saint-Malo", "Redon"}),
    ("departements/35-ille-et-vilaine/", 10, {"Rennes", "Saint-Malo", "Fougères", "Vitré", "Redon", "Combourg"}),
])
def test_zone_maps_label_their_towns_and_give_each_marker_a_24_px_target(browser, map_url, path, at_least, named, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(map_url + BASE_PATH + path)
        figure = page.locator("figure.carte").first
        figure.scroll_into_view_if_needed()
        markers = figure.evaluate(MAP_JS)
    finally:
        context.close()
    assert len(markers) >= at_least, markers  # close towns merged (Rennes and Cesson-Sévigné, Saint-Malo and Dinard)
    for m in markers:
        assert m["name"] and " : " in m["name"]  # each link is named: "Fougères : 1 lieu de préparation"
        assert m["w"] >= MINIMUM and m["h"] >= MINIMUM and 2 * m["r"] >= MINIMUM, m
        assert all(m["hits"]), m  # no other target covers any side of it
    for i, a in enumerate(markers):  # hit circles never overlap
        for b in markers[i + 1:]:
            assert ((a["cx"] - b["cx"]) ** 2 + (a["cy"] - b["cy"]) ** 2) ** 0.5 >= a["r"] + b["r"] - 0.5, (a["name"], b["name"])
    labelled = [m for m in markers if m["label"]]
    # labels name the towns with places: the biggest (Rennes, 3 places) first, the others where they fit
    assert {m["label"] for m in labelled} >= named
    assert len(labelled) >= len(markers) - 2, [m["name"] for m in markers if not m["label"]]
    for m in labelled:
        assert m["name"].startswith(m["label"] + " : ") or f"; {m['label']} : " in m["name"], m
    for i, a in enumerate(labelled):  # no label covers another, or another marker's target
        for b in labelled[i + 1:]:
            assert not _overlap(a["labelBox"], b["labelBox"]), (a["label"], b["label"])
        for other in markers:
            if other is not a:
                box = a["labelBox"]
                nx, ny = min(max(other["cx"], box[0]), box[2]), min(max(other["cy"], box[1]), box[3])
                assert (nx - other["cx"]) ** 2 + (ny - other["cy"]) ** 2 >= (other["r"] - 0.5) ** 2, (a["label"], other["name"])
        x, y, w, h = a["svgBox"]  # and every label lies inside the map
        assert x >= 0 and y >= 0 and x + w <= 400 and y + h <= 380, a


def test_zone_maps_are_valid_and_their_labels_are_deterministic(map_site, tmp_path):
    import json
    import subprocess

    from .test_quality import VNU

    pages = [map_site / "regions" / "bretagne" / "index.html", map_site / "departements" / "35-ille-et-vilaine" / "index.html"]
    java = shutil.which("java")
    assert java and VNU.is_file()
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert json.loads(result.stderr or result.stdout)["messages"] == []
    html = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    labels = [t.text for t in html.select("figure.carte text.etiquette")]
    assert labels[0] == "Rennes" and len(labels) == len(set(labels))
    assert all(t.find_parent("a") and t["aria-hidden"] == "true" for t in html.select("text.etiquette"))
    again = build_site(map_site.parent / "content", tmp_path / "site")
    assert (again / "regions" / "bretagne" / "index.html").read_bytes() == pages[0].read_bytes()


def test_axe_on_a_map_page(browser, map_url):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(map_url + BASE_PATH + "regions/bretagne/")
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, "resultTypes": ["violations"]})
            assert results.violations_count == 0, results.generate_report()
        finally:
            context.close()


def test_a_place_at_its_town_s_centre_says_its_position_is_approximate(map_site):
    # past ten places, a fiche lists them on a page of their own
    html = BeautifulSoup((map_site / "fiches" / "rncp40099" / "lieux" / "index.html").read_text(encoding="utf-8"), "html.parser")
    places = {li.strong.text: li for li in html.select("li[id]") if li.strong}
    town = places["Centre 1 de Rennes"].select_one("a.osm[href*=openstreetmap]")
    assert town.text == "Voir sur OpenStreetMap : Centre 1 de Rennes — position approximative (centre de la commune)"
    exact = places["Centre précis"].select_one("a.osm[href*=openstreetmap]")
    assert exact.text == "Voir sur OpenStreetMap : Centre précis"
    assert "approximative" not in str(places["Centre précis"])
    assert "mlat=48.11190&mlon=-1.69320" in exact["href"]
