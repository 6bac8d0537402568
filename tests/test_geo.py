"""Where to prepare it: offline geocoding, maps drawn at build time, region pages, GeoJSON."""

from __future__ import annotations

import datetime as dt
import json
import math
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from geojson_pydantic import FeatureCollection

from builder.content.places import places
from builder.content.catalogue import read_catalogue
from builder.reference.geo import localiser

from .conftest import BASE_PATH, ROOT, foreign_scripts

# Where the towns of the seeds really are (town hall or centre), in decimal degrees.
REAL = {
    "Lyon": (45.7640, 4.8357), "Brest": (48.3904, -4.4861), "Sophia Antipolis": (43.6163, 7.0552),
    "Paris": (48.8566, 2.3522), "Vincennes": (48.8474, 2.4390), "Montreuil": (48.8638, 2.4485),
    "Bordeaux": (44.8378, -0.5792), "Labège": (43.5333, 1.5333), "Rennes": (48.1173, -1.6778),
    "Montpellier Cedex 2": (43.6108, 3.8767),
}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, a)), (map(math.radians, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_every_seed_place_is_within_10_km_of_its_town():
    catalogue, _ = read_catalogue(ROOT / "content", ROOT, dt.date(2026, 11, 23))
    located = [p for fiche in catalogue.fiches for kind in places(fiche) for p in kind]
    assert len(located) == 21
    far = {(p.lieu.code_postal, p.lieu.commune): round(km((p.position.lat, p.position.lon), REAL[p.lieu.commune]), 1)
           for p in located if km((p.position.lat, p.position.lon), REAL[p.lieu.commune]) > 10}
    assert far == {}


@pytest.mark.parametrize("code_postal, commune, town, real", [
    ("34965", "Montpellier Cedex 2", "Montpellier", (43.6108, 3.8767)),  # CEDEX: not a postal code of the commune
    ("06560", "Sophia Antipolis", "Valbonne", (43.6163, 7.0552)),  # a locality, not a commune
    ("75008", "Paris", "Paris 8e Arrondissement", (48.8727, 2.3125)),  # an arrondissement
    ("69006", "LYON 6E", "Lyon 6e Arrondissement", (45.7700, 4.8500)),  # case and arrondissement in the name
    ("31670", "LABEGE", "Labège", (43.5333, 1.5333)),  # accents dropped
    ("13001", "Marseille 1er", "Marseille 1er Arrondissement", (43.2999, 5.3837)),
    ("97400", "Saint-Denis", "Saint-Denis", (-20.8823, 55.4504)),  # La Réunion
    ("97600", "Mamoudzou", "Mamoudzou", (-12.7806, 45.2278)),  # Mayotte
    ("97110", "Pointe-à-Pitre", "Pointe-à-Pitre", (16.2411, -61.5331)),  # Guadeloupe
    ("97300", "Cayenne", "Cayenne", (4.9372, -52.3260)),  # Guyane
    ("20000", "Ajaccio", "Ajaccio", (41.9192, 8.7386)),  # Corse-du-Sud
])
def test_addresses_as_they_are_written_are_located(code_postal, commune, town, real):
    found = localiser(code_postal, commune, None, None)
    assert found.probleme is None
    assert found.position.commune.nom == town
    assert km((found.position.lat, found.position.lon), real) < 10


def test_coordinates_in_the_fiche_win():
    found = localiser("69002", "Lyon", 45.7579, 4.8320)
    assert (found.position.lat, found.position.lon, found.position.source) == (45.7579, 4.8320, "coordonnees")
    assert found.position.commune.nom == "Lyon 2e Arrondissement"


def test_doubtful_places_give_warnings_with_the_fix():
    assert localiser("99999", "Nulle Part", None, None).probleme == (
        'cannot locate "99999 Nulle Part": no commune has this postal code or this name in its département; '
        "correct the postal code, or add `lat:` and `lon:` (for instance from openstreetmap.org)")
    contradiction = localiser("69002", "Marseille", None, None)
    assert contradiction.probleme.startswith("postal code 69002 is that of Lyon, Lyon 2e Arrondissement, not of Marseille")
    assert localiser("69002", "Lyon", 4.8, 45.7, ).probleme.startswith("coordinates 4.8, 45.7 are outside France")


def test_warnings_name_file_line_and_field(tmp_path, capsys):
    import shutil

    from builder.cli import main

    (tmp_path / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", tmp_path / "content")
    (tmp_path / "content" / "fiches" / "rncp1.yaml").write_text(
        "numero: RNCP1\nintitule: X\ncertificateurs: [{nom: A}]\nlieux_preparation:\n"
        "  - organisme: Centre inconnu\n    code_postal: '99999'\n    commune: Nulle Part\n"
        "  - organisme: Centre mal placé\n    code_postal: '69002'\n    commune: Lyon\n    lat: 4.8\n    lon: 45.7\n"
        "  - organisme: À distance\n    a_distance: true\n", encoding="utf-8")
    assert main(["check", "--root", str(tmp_path), "--today", "2026-11-23"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith('content/fiches/rncp1.yaml:6:18: warning: lieux_preparation[0].code_postal: cannot locate "99999 Nulle Part"')
    assert lines[1].startswith("content/fiches/rncp1.yaml:11:10: warning: lieux_preparation[1].lat: coordinates 4.8, 45.7 are outside France")
    assert main(["check", "--root", str(tmp_path), "--today", "2026-11-23", "--strict"]) == 1


def test_fiche_page_has_a_map_and_a_list_with_openstreetmap_links(example_site):
    page = BeautifulSoup((example_site / "fiches" / "rncp16959" / "index.html").read_text(), "html.parser")
    figure = page.select_one("#preparation figure.carte")
    markers = figure.select("svg a")
    labels = [a["aria-label"] for a in markers]
    # a certification town within a finger's width of a preparation one is part of its marker
    assert "Paris : 3 lieux de préparation ; Montreuil : 1 lieu de préparation ; Paris : 1 lieu de certification" in labels
    assert "Bordeaux : 1 lieu de préparation ; Bordeaux : 1 lieu de certification" in labels
    assert "Montpellier : 1 lieu de préparation" in labels and len(figure.select("circle.marqueur")) == 6
    assert len(figure.select("rect.marqueur-certification")) == 2 and len(markers) == 6
    for a in markers:  # each marker leads to a place of the list
        assert page.select_one(f"#preparation li{a['href']}") is not None
    assert [t.text for t in figure.select("text")] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    montpellier = page.select_one("#lieu-9")
    assert "34965 Montpellier Cedex 2" in montpellier.text
    osm = montpellier.select_one("a.osm")
    assert osm["href"] == "https://www.openstreetmap.org/?mlat=43.61090&mlon=3.87630#map=16/43.61090/3.87630"
    assert osm.text == "Voir sur OpenStreetMap : Digital Campus Montpellier — position approximative (centre de la commune)"
    assert page.select_one("#certification-2 a.osm")  # certification places are listed with their link too
    assert not foreign_scripts(page) and not page.select("img, iframe") and "tile" not in str(figure)


def test_national_map_region_and_departement_pages(example_site):
    carte = BeautifulSoup((example_site / "carte" / "index.html").read_text(), "html.parser")
    markers = carte.select("figure.carte svg a")
    assert len(markers) == 8  # Paris and its neighbours share one
    assert {a["href"] for a in markers} >= {f"{BASE_PATH}regions/auvergne-rhone-alpes/", f"{BASE_PATH}regions/occitanie/"}
    regions = [a.text for a in carte.select("#regions-titre ~ ul a")]
    assert regions == ["Auvergne-Rhône-Alpes", "Bretagne", "Île-de-France", "Nouvelle-Aquitaine", "Occitanie",
                       "Provence-Alpes-Côte d'Azur"]
    bretagne = BeautifulSoup((example_site / "regions" / "bretagne" / "index.html").read_text(), "html.parser")
    assert {a["href"] for a in bretagne.select("li.carte > :is(h2, h3) a")} == {f"{BASE_PATH}fiches/rncp26224/", f"{BASE_PATH}fiches/rncp16959/"}
    herault = BeautifulSoup((example_site / "departements" / "34-herault" / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in herault.select("li.carte > :is(h2, h3) a")] == [f"{BASE_PATH}fiches/rncp16959/"]


def test_distance_learning_is_listed_apart_not_mapped(fixture_site):
    carte = BeautifulSoup((fixture_site / "carte" / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in carte.select("#distance-titre ~ ul a")] == [f"{BASE_PATH}fiches/rncp30001/"]
    fiche = BeautifulSoup((fixture_site / "fiches" / "rncp30001" / "index.html").read_text(), "html.parser")
    labels = [a["aria-label"] for a in fiche.select("figure.carte svg a")]
    assert not any("Campus en ligne" in label for label in labels)
    assert any(label.startswith("Saint-Denis : ") for label in labels)  # La Réunion, in its inset
    assert fiche.select_one(".territoire-reunion circle") is not None


def test_the_catalogue_geojson_validates_and_names_each_place_s_fiches(example_site):
    assert not list(example_site.glob("fiches/*/lieux.geojson"))  # one file for all: each place names its fiches
    catalogue = json.loads((example_site / "carte" / "lieux.geojson").read_text())
    fiche = [f for f in catalogue["features"] if "RNCP16959" in f["properties"]["fiches"]]
    assert len(fiche) == 9  # its preparation places on the map
    montpellier = next(f for f in fiche if f["properties"]["commune"] == "Montpellier Cedex 2")
    assert montpellier["geometry"]["coordinates"] == [3.8763, 43.6109]
    assert montpellier["properties"] == {
        "nom": "Digital Campus Montpellier", "type": "preparation",
        "adresse": "ZAC Port Marianne Hippocrate, 349, rue de la Cavalade, CS 90781",
        "code_postal": "34965", "commune": "Montpellier Cedex 2", "code_insee": "34172",
        "precision": "commune", "fiches": ["RNCP16959"],
    }
    FeatureCollection.model_validate(catalogue)
    assert len(catalogue["features"]) == 18 and all(f["properties"]["type"] == "preparation" for f in catalogue["features"])


def _pixel(png: bytes) -> tuple[int, int, int]:
    """The colour of a 1×1 PNG screenshot (RGB or RGBA, 8 bits)."""
    chunks, at = {}, 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += png[at + 8:at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(chunks[b"IDAT"])
    return tuple(raw[1:4])  # filter byte, then R, G, B


@pytest.mark.parametrize("path", ["fiches/rncp16959/", "fiches/rncp26224/", "carte/"])
def test_markers_fall_on_the_drawing_of_france(browser, example_url, path):
    page = browser.new_page(viewport={"width": 800, "height": 1200}, device_scale_factor=1)
    try:
        page.goto(f"{example_url}{BASE_PATH}{path}")
        figure = page.locator("figure.carte").first
        figure.scroll_into_view_if_needed()
        centres = figure.locator("circle.marqueur, rect.marqueur-certification").evaluate_all(
            "cs => cs.map(c => { const r = c.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })")
        assert len(centres) >= 4
        # the browser's own hit test: under each marker's centre lies the land of France
        for x, y in centres:
            under = page.evaluate("([x, y]) => document.elementsFromPoint(x, y).map(e => e.getAttribute('class'))", [x, y])
            assert "terre" in under, (path, x, y, under)
        # and the screenshot: hide the markers, the pixel at each centre has the land's colour
        page.add_style_tag(content=".carte .marqueur, .carte .marqueur-certification { visibility: hidden; } .carte .terre { stroke: none; }")
        for x, y in centres:
            # the pixel that holds the centre (round() took the next one when it was past .5: on a coast, the sea)
            png = page.screenshot(clip={"x": math.floor(x), "y": math.floor(y), "width": 1, "height": 1})
            assert _pixel(png) == (0xDF, 0xE7, 0xF1), (path, x, y)
    finally:
        page.close()


def test_insets_for_new_caledonia_and_polynesia_when_a_fiche_is_accessible_there():
    from builder.places.carte import Point, dessiner

    plain = dessiner([Point(45.76, 4.84, "Lyon", "#lieu-1")])
    assert [p.nom for p in plain.panneaux] == ["metropole", "guadeloupe", "martinique", "guyane", "reunion", "mayotte"]
    both = dessiner([Point(-22.27, 166.44, "Nouméa", "#lieu-2")], encarts=["polynesie"])
    assert [p.nom for p in both.panneaux][-2:] == ["nouvelle-caledonie", "polynesie"]
    noumea = next(p for p in both.panneaux if p.nom == "nouvelle-caledonie").marqueurs
    assert [m.libelle for m in noumea] == ["Nouméa"]


def test_maps_print_and_pass_at_320_px(browser, example_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{example_url}{BASE_PATH}carte/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.emulate_media(media="print")
    assert page.locator("figure.carte svg").is_visible()
    context.close()


def test_gazetteer_ships_with_its_sources():
    sources = (ROOT / "builder" / "data" / "SOURCES.md").read_text()
    assert "communes.csv.gz" in sources and "GeoNames" in sources and "CC BY 4.0" in sources
    assert "contours.json" in sources and "Natural Earth" in sources
    assert Path(ROOT / "tools" / "refresh_geodata.py").is_file()
