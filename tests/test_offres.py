"""The national training offer (LHEO): its places added to the fiches of the catalogue, re-imported
safely, shown by région and département with maps, and met with the habilitated bodies."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.cli import main
from builder.importers.lheo import code_rncp, date_partielle
from builder.importers.offres import source_name

from .conftest import ROOT

OFFRES = Path(__file__).parent / "fixtures" / "offres" / "offres-test-2026-11-01.xml"
SAMPLE = Path(__file__).parent / "fixtures" / "export" / "export_fiches_RNCP_V4_1_sample.xml"
TODAY = ["--today", "2026-11-23"]


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def project(tmp_path) -> Path:
    """The two real fiches of the sample, imported, and an editor's own place with its comment."""
    (tmp_path / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", tmp_path / "content")
    assert main(["import", str(SAMPLE), "--all", "--date", "2026-08-16", "--root", str(tmp_path)]) == 0
    fiche = tmp_path / "content" / "fiches" / "rncp35809.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("source_officielle:", (
        "lieux_preparation:\n"
        "  # Notre campus, ajouté à la main : aucun import n'y touche.\n"
        "  - organisme: 'Campus de l''école'\n"
        "    code_postal: \"29200\"\n"
        "    commune: Brest\n"
        "source_officielle:")), encoding="utf-8")
    return tmp_path


def places(project: Path, numero: str) -> list[dict]:
    data = yaml.safe_load((project / "content" / "fiches" / f"{numero.lower()}.yaml").read_text(encoding="utf-8"))
    return data.get("lieux_preparation") or []


def test_values_of_an_offer():
    assert [code_rncp(c) for c in ("474", "RNCP474", "rncp 0474", "RS474", "")] == ["RNCP474"] * 3 + [None, None]
    assert [date_partielle(d) for d in ("20260915", "20260900", "20260000", "00000000", "2026")] == [
        "2026-09-15", "2026-09", "2026", None, None]
    assert source_name(Path("offres-formation-bretagne-2026-11-01.xml")) == "offres-formation-bretagne"
    assert source_name(Path("export_20261101.xml")) == "export"


def test_an_offer_file_adds_its_places_to_the_fiches_of_the_catalogue(project, capsys):
    capsys.readouterr()
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "RNCP35809: offer F-1002/B-3 « Campus des métiers »: no postal code or town, and not at a distance: left out" in out
    assert f"updated {project}/content/fiches/rncp35809.yaml (7 place(s) from offres-test: 7 added)" in out
    assert "6 formation(s) and 12 action(s) read from" in out
    assert ("offers for 2 certification(s) outside the catalogue, not imported: RNCP474 (1), RNCP99999 (1); "
            "1 formation(s) without an RNCP number") in out
    found = {p["offre"]["numero"]: p for p in places(project, "RNCP35809") if "offre" in p}
    rennes = found["F-1001/A-1"]
    assert rennes == {
        "organisme": "CFA du bâtiment de Bretagne", "siret": "77899912300017", "adresse": "12 rue de l'Alma",
        "code_postal": "35000", "commune": "Rennes", "code_insee": "35238", "lat": 48.1067, "lon": -1.6767,
        "heures": 1350, "session_debut": "2026-09", "session_fin": "2028-06",  # the next session, days unknown
        "alternance": "Deux semaines en centre, deux semaines en entreprise.",  # its escaped HTML made text
        "url": "https://cfa-batiment-bretagne.example/bts-fabcr",
        "offre": {"source": "offres-test", "numero": "F-1001/A-1", "date": dt.date(2026, 11, 1), "empreinte": rennes["offre"]["empreinte"]},
    }
    assert found["F-1001/A-2"]["mixte"] is True and "lat" not in found["F-1001/A-2"]  # no coordinates: placed by its INSEE code
    assert found["F-1001/A-2"]["session_debut"] == "2027" and found["F-1001/A-2"]["heures"] == 1200
    assert found["F-1001/A-3"]["a_distance"] is True and "adresse" not in found["F-1001/A-3"]
    assert found["F-1002/B-1"]["code_insee"] == "2A004"
    assert "lat" not in found["F-1002/B-4"]  # (0, 0) is not in France: left to the gazetteer
    assert [p["organisme"] for p in places(project, "RNCP39568")] == ["Grenoble École de Management"]
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0


def test_places_are_located_given_or_geocoded_and_shown(project, capsys):
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), *TODAY, "--quiet"]) == 0
    site = project / "site"
    import json

    features = [f for f in json.loads((site / "carte" / "lieux.geojson").read_text())["features"]
                if "RNCP35809" in f["properties"]["fiches"]]
    by_town = {f["properties"]["commune"]: f for f in features}
    assert by_town["Rennes"]["properties"]["precision"] == "coordonnees"  # from the offer
    assert by_town["Rennes"]["geometry"]["coordinates"] == [-1.6767, 48.1067]
    bruz = by_town["Bruz"]  # geocoded from its INSEE code
    assert bruz["properties"]["code_insee"] == "35047" and abs(bruz["geometry"]["coordinates"][1] - 48.02) < 0.05
    assert by_town["Lyon"]["properties"]["code_insee"].startswith("6938")  # Lyon 6e, by postal code and town
    assert by_town["Ajaccio"]["properties"]["code_insee"] == "2A004"
    page = BeautifulSoup((site / "fiches" / "rncp35809" / "index.html").read_text(), "html.parser")
    section = text(page.select_one("#preparation"))
    assert "12 rue de l'Alma 35000 Rennes Ille-et-Vilaine (35), Bretagne 1 350 heures · prochaine session à partir de septembre 2026 (jusqu’à juin 2028)" in section
    assert "En partie à distance · 1 200 heures · prochaine session à partir de 2027" in section
    assert "Préparation à distance CFA du bâtiment de Bretagne Entièrement à distance · 900 heures" in section
    assert "Campus de l'école" in section and page.select_one('a[href="https://cfa-batiment-bretagne.example/bts-fabcr"]')
    markers = [a["aria-label"] for a in page.select("#preparation svg a")]
    assert any("Ajaccio" in m for m in markers) and any("Saint-Denis" in m for m in markers)
    # the body habilitated for RNCP39568 has a place in the offer: they meet by SIRET
    gem = BeautifulSoup((site / "fiches" / "rncp39568" / "index.html").read_text(), "html.parser")
    assert "1 organisme habilité à préparer et organiser l'évaluation, dont 1 avec une formation référencée" in text(gem.select_one("#preparation"))
    assert gem.select_one("#preparation .lieux .badge-niveau").get_text() == "formation référencée"
    # régions and départements have a map of their own, zoomed on them
    bretagne = BeautifulSoup((site / "regions" / "bretagne" / "index.html").read_text(), "html.parser")
    assert sorted(a["aria-label"] for a in bretagne.select("svg a")) == [
        # Bruz is 12 km from Rennes: on a région's scale they share a marker (24 px targets that do not overlap)
        "Brest : 1 lieu de préparation", "Rennes : 1 lieu de préparation ; Bruz : 1 lieu de préparation"]
    assert bretagne.select_one("svg a")["href"].startswith("/catalogue/departements/")
    isere = BeautifulSoup((site / "departements" / "38-isere" / "index.html").read_text(), "html.parser")
    assert [a["aria-label"] for a in isere.select("svg a")] == ["Grenoble : 1 lieu de préparation"]


def test_reimport_updates_removes_and_never_duplicates(project, tmp_path, capsys):
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    fiche = project / "content" / "fiches" / "rncp35809.yaml"
    first = fiche.read_text(encoding="utf-8")
    # the same file again: nothing changes
    capsys.readouterr()
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    assert "fiches: 0 updated, 2 unchanged" in capsys.readouterr().out
    assert fiche.read_text(encoding="utf-8") == first
    # a later file: one offer left, one changed, one new
    later = tmp_path / "offres-test-2026-12-01.xml"
    later.write_text(OFFRES.read_text(encoding="utf-8")
                     .replace('<action numero="A-2">', '<action numero="A-9">')  # A-2 left, A-9 is new
                     .replace("<nombre-heures-total>1350</nombre-heures-total>", "<nombre-heures-total>1400</nombre-heures-total>"),
                     encoding="utf-8")
    assert main(["import", str(later), "--root", str(project), "--dry-run"]) == 0
    assert "would update" in capsys.readouterr().out and fiche.read_text(encoding="utf-8") == first  # a dry run writes nothing
    assert main(["import", str(later), "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"updated {fiche} (7 place(s) from offres-test: 1 added, 6 updated, 1 removed)" in out
    after = fiche.read_text(encoding="utf-8")
    numbers = [p["offre"]["numero"] for p in places(project, "RNCP35809") if "offre" in p]
    assert sorted(numbers) == sorted(set(numbers)) and "F-1001/A-2" not in numbers and "F-1001/A-9" in numbers
    rennes = next(p for p in places(project, "RNCP35809") if p.get("offre", {}).get("numero") == "F-1001/A-1")
    assert rennes["heures"] == 1400 and rennes["offre"]["date"] == dt.date(2026, 12, 1)
    # the editor's place and its comment, word for word, first; one place, one block
    assert ("lieux_preparation:\n  # Notre campus, ajouté à la main : aucun import n'y touche.\n"
            "  - organisme: 'Campus de l''école'\n    code_postal: \"29200\"\n    commune: Brest\n  - organisme:") in after
    assert len(re.findall(r"^  - organisme:", after, re.M)) == 8
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0


def test_a_place_the_editor_changed_is_the_editors_for_strict(project, capsys):
    """An offer whose postal code is another town's warns. As imported, the warning is about
    official data and does not fail --strict; once the editor changes the place, it counts."""
    assert main(["import", str(OFFRES), "--root", str(project)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0
    err = capsys.readouterr().err
    assert re.search(r"warning \(official data, as imported\): lieux_preparation\[\d\]\.code_postal: postal code 69001 is that of Lyon", err)
    fiche = project / "content" / "fiches" / "rncp35809.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("3 quai Saint-Vincent", "4 quai Saint-Vincent"), encoding="utf-8")
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 1
    assert re.search(r"\d: warning: lieux_preparation\[\d\]\.code_postal: postal code 69001", capsys.readouterr().err)


def test_offers_need_fiches_and_refuse_what_they_must(project, tmp_path, capsys):
    assert main(["import", str(OFFRES), "RNCP12345", "--root", str(project)]) == 1
    assert capsys.readouterr().err == "catalogue import: not in the catalogue: RNCP12345; import their fiches first; nothing was written\n"
    broken = tmp_path / "offres.xml"
    broken.write_text(OFFRES.read_text(encoding="utf-8")[:4000], encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (project / "content" / "fiches").iterdir()}
    assert main(["import", str(broken), "--root", str(project)]) == 1
    assert "offres.xml is not well-formed XML" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (project / "content" / "fiches").iterdir()} == before


def test_the_offer_is_streamed_in_bounded_memory(project, tmp_path, capsys):
    """Memory does not grow with the offers read: 20 times more formations, about the same peak."""
    import tracemalloc

    body = OFFRES.read_text(encoding="utf-8")
    head, formations, tail = body.partition("<offres>")[0] + "<offres>", body.split("<offres>")[1].split("</offres>")[0], "</offres></lheo>"
    peaks = []
    for copies in (20, 400):
        big = tmp_path / f"offres-{copies}.xml"
        big.write_text(head + formations.replace('numero="F-', 'numero="X-') * copies + tail, encoding="utf-8")
        tracemalloc.start()
        assert main(["import", str(big), "--root", str(project), "--dry-run"]) == 0
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    capsys.readouterr()
    assert peaks[1] < peaks[0] * 2 + 2_000_000, peaks


@pytest.mark.parametrize("indent", [0, 2, 4])
def test_places_are_spliced_line_by_line_whatever_the_list_indentation(indent):
    """Editors and other tools write lists indented or not ("- " at the margin, as PyYAML does):
    the import splices its places in at the file's own indentation, and the editor's lines
    (comments included) stay word for word, without going through the round-trip writer."""
    from builder.importers.files import _splice_places, replace_places
    from builder.content.load import read_text

    pad = " " * indent
    mine = (f"{pad}# Notre campus\n{pad}- organisme: Campus\n{pad}  code_postal: \"29200\"\n{pad}  commune: Brest\n")
    text = f"numero: RNCP1\nlieux_preparation:\n{mine}source_officielle:\n  nom: x\n"
    data = read_text(text.encode(), "x")[0].data
    place = {"organisme": "CFA", "code_postal": "35000", "commune": "Rennes",
             "offre": {"source": "s", "numero": "F/A", "date": "2026-11-01"}}
    spliced = _splice_places(text, [True], [place])
    assert spliced is not None and mine in spliced
    assert replace_places(text, data, [True], [place]) == spliced  # read back as meant: no other writer
    again = read_text(spliced.encode(), "x")[0].data["lieux_preparation"]
    assert [p["organisme"] for p in again] == ["Campus", "CFA"]


def test_a_fiche_page_stays_light_however_many_places(tmp_path):
    """Past a hundred places, a fiche page shows them by région and département, with one map
    marker per département: each further hundred adds at most a few KB, and the page stops
    growing (the places themselves are on the fiche's pages of places)."""
    import random

    from builder.reference.geo import gazetteer

    rng = random.Random(14)
    communes = [c for c in gazetteer().communes if c.precision == "commune" and c.codes_postaux]
    sizes = {}
    for count in (100, 500, 2000):
        project = tmp_path / str(count)
        shutil.copytree(ROOT / "content", project / "content")
        fiche = project / "content" / "fiches" / "rncp26224.yaml"
        data = yaml.safe_load(fiche.read_text(encoding="utf-8"))
        for i in range(count):
            c = rng.choice(communes)
            data["lieux_preparation"].append({
                "organisme": f"Centre de formation {i}", "siret": f"{rng.randrange(10**13, 10**14)}", "adresse": f"{i} rue de la Gare",
                "code_postal": c.codes_postaux[0], "commune": c.nom, "code_insee": c.insee, "heures": 1200, "session_debut": "2027-09",
                "offre": {"source": "offres", "numero": f"F{i}/A1", "date": "2026-11-01"}})
        fiche.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), *TODAY, "--quiet"]) == 0
        page = project / "site" / "fiches" / "rncp26224" / "index.html"
        sizes[count] = len(page.read_bytes())
        assert len(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("#preparation svg a")) <= 101 + 5
    assert (sizes[500] - sizes[100]) / 4 < 5_000  # bytes per further hundred places (about 4 KB: the markers of more départements)
    assert sizes[2000] - sizes[500] < 4_000  # and then hardly anything
    assert sizes[2000] < 100_000
