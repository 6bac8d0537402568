"""Choosing between certifications (issue 23): a fiche's results drawn as a chart, pathways both
ways (lineage over several hops, equivalences seen from the other side), related certifications."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.choosing.graphique import graphique_resultats
from builder.cli import main
from builder.content.model import StatistiquePromotion

from .conftest import BASE_PATH, ROOT
from .test_pages import soup, text

SERIES = {"g-t1": 3, "g-t2": 4, "g-t3": 5}  # rate series -> column of the table


def _nombre(label: str) -> str:
    return label.replace("\u00a0", " ").replace("VAE ", "").strip()


def chart_values(figure) -> dict[str, list[str]]:
    """What the chart writes, by year, in the table's column order (None where it writes nothing)."""
    svg = figure.select_one("svg")
    years = {round(float(t["x"])): text(t) for t in svg.select(".g-annee text")}
    found = {year: [year, None, None, None, None, None] for year in years.values()}
    for t in svg.select(".g-n text"):
        found[years[round(float(t["x"]))]][1] = _nombre(text(t))
    for t in svg.select(".g-nvae text"):
        found[years[round(float(t["x"]))]][2] = _nombre(text(t))
    for group in svg.select("g.g-v"):
        column = SERIES[next(c for c in group["class"] if c != "g-v")]
        for t in group.select("text"):
            found[years[round(float(t["x"])) - 6]][column] = _nombre(text(t))
    return found


@pytest.mark.parametrize("numero", ["rncp30001", "rncp40005"])
def test_the_chart_writes_the_values_of_the_table_beside_it(fixture_site, numero):
    section = soup(fixture_site, f"fiches/{numero}").select_one("#statistiques")
    figure = section.select_one("figure.graphique")
    table = figure.find_next("table")  # the chart comes first, then its table
    rows = {cells[0]: cells for cells in ([text(c).replace(" %", "") for c in tr.find_all(["th", "td"])]
                                          for tr in table.select("tbody tr"))}
    drawn = chart_values(figure)
    assert sorted(drawn) == sorted(rows)
    for year, cells in rows.items():
        expected = [None if cell == "indisponible" else cell.replace("\u202f", " ") for cell in cells]
        got = [None if v is None else v.replace(" %", "").replace("\u202f", " ") for v in drawn[year]]
        assert got == expected, year
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg.select_one("title")["id"] == svg["aria-labelledby"]
    assert "dans le tableau qui suit" in text(svg.select_one("title"))


def _rows(*values):
    return [StatistiquePromotion(annee=2018 + i, nombre_certifies=n, nombre_certifies_vae=v, taux_insertion_global_6mois=a,
                                 taux_insertion_metier_6mois=b, taux_insertion_metier_2ans=c)
            for i, (n, v, a, b, c) in enumerate(values)]


def test_a_chart_of_seven_full_years_weighs_less_than_4_kb():
    rows = _rows(*[(98765 - i, 54321 - i, 100 - i, 99 - i, 98 - i) for i in range(7)])
    svg = re.search(r"<svg.*</svg>", str(graphique_resultats(rows)), re.S)[0]
    assert len(svg.encode()) < 4096
    assert svg.count("98\u202f765") == 1 and svg.count("54\u202f321") == 1


def test_no_figure_no_chart_and_each_rate_told_apart_without_colour():
    assert graphique_resultats([]) == ""
    assert graphique_resultats([StatistiquePromotion(annee=2020)]) == ""  # a year with no figure
    html = BeautifulSoup(str(graphique_resultats(_rows((10, None, 0, 50, 100), (None, None, None, 60, None)))), "html.parser")
    assert [t.get_text() for t in html.select(".g-n text")] == ["10"]  # the year without a count: no bar
    assert not html.select(".g-nvae")  # no VAE figure: no VAE row, no VAE in the legend
    assert [li.get_text() for li in html.select(".legende li")] == [
        "Certifiés", "En emploi à 6 mois", "Dans le métier à 6 mois", "Dans le métier à 2 ans"]
    shapes = {serie: html.select_one(f"svg g.{serie}").contents[1].name for serie in SERIES}  # after its line
    assert len(set(shapes.values())) == 3  # a circle, a square, a diamond
    assert html.select_one("svg g.g-t2 path")["d"].count("M") == 1  # 50 then 60: one line
    assert html.select_one("svg g.g-t1 path")["d"] == "M83 " + str(int(html.select_one("svg g.g-t1 circle")["cy"]))


def test_hostile_statistics_still_make_one_chart_with_unique_ids():
    rows = _rows((0, 0, 0, 0, 0), (0, 0, 0, 0, 0)) + _rows((5, 5, None, None, None))  # two 2018s, zeros
    html = BeautifulSoup(str(graphique_resultats(rows, ident="rncp1")), "html.parser")
    assert [t.get_text() for t in html.select(".g-annee text")] == ["2018", "2018", "2019"]
    assert html.select_one("svg")["aria-labelledby"] == "graphique-rncp1-titre"
    columns: dict[str, list[int]] = {}
    for t in html.select(".g-v text"):
        columns.setdefault(t["x"], []).append(int(t["y"]))
    assert len(columns) == 2 and all(len(ys) == 3 for ys in columns.values())  # three rates of 0 in each 2018
    for ys in columns.values():  # one year's labels do not overlap
        ys.sort()
        assert all(b - a >= 12 for a, b in zip(ys, ys[1:]))


def test_the_chart_prints_and_scrolls_in_its_own_box_at_320_px(browser, fixture_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(fixture_url + BASE_PATH + "fiches/rncp40005/")
    box = page.locator(".graphique-boite")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # wider than the screen: scrolls inside
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    page.emulate_media(media="print")
    assert page.locator("figure.graphique svg").is_visible()
    context.close()


# Pathways both ways (issue 23): a crafted catalogue whose lineages and equivalences are known.
def _fiche(numero: str, intitule: str, *, actif: bool = True, blocs: int = 2, extra: str = "") -> str:
    fin = "2030-12-31" if actif else "2020-12-31"
    codes = "".join(f"  - code: {numero}BC0{k}\n    libelle: Bloc {k} de {intitule}\n" for k in range(1, blocs + 1))
    return (f"numero: {numero}\nintitule: {intitule}\nniveau: 5\ncertificateurs:\n  - nom: Certificateur\n"
            f"date_fin_enregistrement: {fin}\nblocs:\n{codes}{extra}")


PATHWAYS = {
    # a lineage of three hops and one more outside the catalogue: X(out) -> A -> B -> C -> D (active)
    "rncp1001.yaml": _fiche("RNCP1001", "Alpha", actif=False, extra=(
        "anciennes_certifications:\n  - numero: RNCP999\n    intitule: Ancêtre hors catalogue\n"
        "nouvelles_certifications:\n  - numero: RNCP1002\n")),
    "rncp1002.yaml": _fiche("RNCP1002", "Bravo", actif=False),  # declares nothing: C names it
    "rncp1003.yaml": _fiche("RNCP1003", "Charlie", actif=False, extra="anciennes_certifications:\n  - numero: RNCP1002\n"),
    "rncp1004.yaml": _fiche("RNCP1004", "Delta", extra="anciennes_certifications:\n  - numero: RNCP1003\n"),
    # a loop: E replaced by F, F replaced by E
    "rncp1005.yaml": _fiche("RNCP1005", "Écho", actif=False, extra="nouvelles_certifications:\n  - numero: RNCP1006\n"),
    "rncp1006.yaml": _fiche("RNCP1006", "Foxtrot", extra="nouvelles_certifications:\n  - numero: RNCP1005\n"),
    # equivalences declared by H only: its bloc 1 with G's bloc 2, and H whole with G whole
    "rncp1007.yaml": _fiche("RNCP1007", "Golf"),
    "rncp1008.yaml": _fiche("RNCP1008", "Hôtel", extra=(
        "correspondances:\n  - bloc: RNCP1008BC01\n    numero: RNCP1007\n    bloc_correspondant: RNCP1007BC02\n"
        "  - numero: RNCP1007\n")),
    # the whole of I equivalent to a bloc of G (feminine wording)
    "rncp1009.yaml": _fiche("RNCP1009", "India", extra="correspondances:\n  - numero: RNCP1007\n    bloc_correspondant: RNCP1007BC01\n"),
    # one equivalence declared by both sides
    "rncp1010.yaml": _fiche("RNCP1010", "Juliett", extra=(
        "correspondances:\n  - bloc: RNCP1010BC01\n    numero: RNCP1011\n    bloc_correspondant: RNCP1011BC01\n")),
    "rncp1011.yaml": _fiche("RNCP1011", "Kilo", extra=(
        "correspondances:\n  - bloc: RNCP1011BC01\n    numero: RNCP1010\n    bloc_correspondant: RNCP1010BC01\n")),
    # one number outside the catalogue, named differently by two fiches
    "rncp1012.yaml": _fiche("RNCP1012", "Lima", extra="anciennes_certifications:\n  - numero: RNCP888\n    intitule: Titre selon Lima\n"),
    "rncp1013.yaml": _fiche("RNCP1013", "Mike", extra="anciennes_certifications:\n  - numero: RNCP888\n    intitule: Titre selon Mike\n"),
}


@pytest.fixture(scope="module")
def pathways(tmp_path_factory) -> Path:
    from .conftest import build_site

    project = tmp_path_factory.mktemp("pathways")
    (project / "content" / "fiches").mkdir(parents=True)
    (project / "content" / "site.yaml").write_text((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, body in PATHWAYS.items():
        (project / "content" / "fiches" / name).write_text(body, encoding="utf-8")
    return build_site(project / "content", project / "site")


def test_an_inactive_fiche_names_the_active_one_that_replaces_it_three_hops_away(pathways):
    page = soup(pathways, "fiches/rncp1001")
    notice = text(page.select_one(".avertissement"))
    assert "Elle est remplacée par : Bravo (RNCP1002)" in notice
    assert "La certification active qui lui succède aujourd’hui : Delta (RNCP1004), après RNCP1002 et RNCP1003." in notice
    assert page.select_one('.avertissement a[href="/catalogue/fiches/rncp1004/"]')
    chain = [text(li) for li in page.select("#cadre-legal ol.lignee > li")]
    assert [c.split(" : ")[0] for c in chain] == [
        "Ancêtre hors catalogue — RNCP999 sur le site de France compétences (hors de ce catalogue)",
        "Cette certification (RNCP1001)", "Bravo (RNCP1002)", "Charlie (RNCP1003)", "Delta (RNCP1004)"]
    assert "Active — enregistrée jusqu’au 31 décembre 2030" in chain[-1]
    assert "Inactive — enregistrement terminé le 31 décembre 2020" in chain[2]
    assert page.select_one("#cadre-legal ol.lignee > li[aria-current]") is page.select("#cadre-legal ol.lignee > li")[1]
    # seen from the middle, both ways, whoever declared the links
    middle = [text(li).split(" : ")[0] for li in soup(pathways, "fiches/rncp1003").select("#cadre-legal ol.lignee > li")]
    assert middle[1:] == ["Alpha (RNCP1001)", "Bravo (RNCP1002)", "Cette certification (RNCP1003)", "Delta (RNCP1004)"]
    # an active fiche has no notice; one replaced directly by an active one names it once
    assert soup(pathways, "fiches/rncp1004").select_one(".avertissement") is None
    assert "lui succède aujourd’hui" not in text(soup(pathways, "fiches/rncp1003").select_one(".avertissement"))


def test_a_loop_in_the_lineage_ends_the_walk_and_is_a_warning(pathways, tmp_path, capsys):
    chain = [text(li).split(" : ")[0] for li in soup(pathways, "fiches/rncp1005").select("#cadre-legal ol.lignee > li")]
    assert chain == ["Foxtrot (RNCP1006)", "Cette certification (RNCP1005)", "Foxtrot (RNCP1006)"]  # before and after, as written
    project = tmp_path / "p"
    shutil.copytree(pathways.parent / "content", project / "content")
    code = main(["check", "--root", str(project), "--today", "2026-11-23"])
    lines = capsys.readouterr().err.splitlines()
    assert code == 0
    assert lines == ["content/fiches/rncp1005.yaml:13:13: warning: nouvelles_certifications[0].numero: the lineage loops: "
                     "RNCP1005 → RNCP1006 → RNCP1005 (each replaced by the next); pages show it up to where it comes "
                     "back. Check `anciennes_certifications` and `nouvelles_certifications`: a certification cannot "
                     "replace one that replaces it"]


def test_equivalences_are_seen_from_the_other_side_with_who_declared_them(pathways):
    # a bloc page: in its path (issue 24), the equivalent blocs linked to their pages (tests/test_ecole.py)
    bloc = soup(pathways, "fiches/rncp1007/blocs/rncp1007bc02")
    items = [text(li) for li in bloc.select("#obtenir > ul > li")]
    assert items == ["Bloc 1 de Hôtel (RNCP1008BC01), de Hôtel (RNCP1008) — équivalence déclarée par l’autre certification"]
    assert bloc.select_one('#obtenir > ul a[href="/catalogue/fiches/rncp1008/blocs/rncp1008bc01/"]')
    assert bloc.select_one('#obtenir > ul a[href="/catalogue/fiches/rncp1008/"]')
    first = [text(li) for li in soup(pathways, "fiches/rncp1007/blocs/rncp1007bc01").select("#obtenir > ul > li")]
    assert first == ["La certification entière, de India (RNCP1009) — équivalence déclarée par l’autre certification"]
    fiche = [text(li) for li in soup(pathways, "fiches/rncp1007").select("#cadre-legal .liste-simple li") if "déclare" in text(li)]
    assert fiche == ["Hôtel (RNCP1008) déclare son bloc RNCP1008BC01 équivalent au bloc RNCP1007BC02 de cette certification",
                     "Hôtel (RNCP1008) déclare la certification entière équivalente à cette certification",
                     "India (RNCP1009) déclare la certification entière équivalente au bloc RNCP1007BC01 de cette certification"]
    # declared by both sides: said once, as such, on each side
    for numero in ("rncp1010", "rncp1011"):
        items = [text(li) for li in soup(pathways, f"fiches/{numero}").select("#cadre-legal .liste-simple li") if "quivalent" in text(li)]
        assert len(items) == 1 and items[0].endswith("(déclarée par les deux certifications)"), items
    own = [text(li) for li in soup(pathways, "fiches/rncp1008").select("#cadre-legal .liste-simple li") if "Golf" in text(li)]
    assert own and all(item.endswith("(déclarée par cette certification)") for item in own)


def test_a_title_edited_three_hops_away_is_remade_by_the_quick_path_as_by_a_clean_build(tmp_path):
    from builder.build import build
    from builder.serve.session import Session

    from .test_incremental import config, files

    project = _project(tmp_path, PATHWAYS)
    session = Session()
    build(config(project, tmp_path / "warm"), session=session)
    for numero, old, new in (("rncp1004", "Delta", "Delta renouvelée"), ("rncp1008", "Hôtel", "Hôtel et tourisme")):
        file = project / "content" / "fiches" / f"{numero}.yaml"
        file.write_text(file.read_text(encoding="utf-8").replace(f"intitule: {old}\n", f"intitule: {new}\n"), encoding="utf-8")
        report = build(config(project, tmp_path / "warm"), session=session)
        assert report.quick
        build(config(project, tmp_path / "clean", use_cache=False))
        assert files(tmp_path / "warm") == files(tmp_path / "clean")
    assert "Delta renouvelée (RNCP1004), après RNCP1002" in text(soup(tmp_path / "warm", "fiches/rncp1001").select_one(".avertissement"))
    assert "de Hôtel et tourisme (RNCP1008)" in text(soup(tmp_path / "warm", "fiches/rncp1007/blocs/rncp1007bc02"))


# Related certifications (issue 23): a catalogue whose answer is known.
def _codes(rome: list[str], nsf: list[str] = ()) -> str:
    text = "rome:\n" + "".join(f"  - code: {c}\n    libelle: Métier {c}\n" for c in rome) if rome else ""
    return text + ("nsf:\n" + "".join(f"  - code: {c}\n    libelle: Domaine {c}\n" for c in nsf) if nsf else "")


def _niveau(body: str, niveau: int | None) -> str:
    return body.replace("niveau: 5\n", f"niveau: {niveau}\n" if niveau else "")


RELATED = {
    "rncp2001.yaml": _niveau(_fiche("RNCP2001", "Alpha", extra=_codes(["M1805", "M1806"], ["326t"])), 5),
    "rncp2002.yaml": _niveau(_fiche("RNCP2002", "Bravo", actif=False, extra=_codes(["M1805", "M1806"])), 5),  # 2 shared, inactive
    "rncp2003.yaml": _niveau(_fiche("RNCP2003", "Charlie", extra=_codes(["M1805"])), 5),  # 1 shared, same level
    "rncp2004.yaml": _niveau(_fiche("RNCP2004", "Delta", extra=_codes(["M1805"])), 7),  # 1 shared, two levels up
    "rncp2005.yaml": _niveau(_fiche("RNCP2005", "Écho", actif=False, extra=_codes(["M1805"])), 5),  # 1 shared, inactive
    "rncp2006.yaml": _niveau(_fiche("RNCP2006", "Foxtrot", extra=_codes(["M1806", "M1805"])), 6),  # 2 shared, active
    "rncp2007.yaml": _niveau(_fiche("RNCP2007", "Golf", extra=_codes([], ["326t"])), 6),  # the domain, one level up
    "rncp2008.yaml": _niveau(_fiche("RNCP2008", "Hôtel", extra=_codes(["M1805"])), 4),  # 1 shared, a level down
    "rncp2009.yaml": _niveau(_fiche("RNCP2009", "India", extra=_codes(["M1805"])), 5),  # 1 shared, after Charlie by number
    "rncp2010.yaml": _niveau(_fiche("RNCP2010", "Juliett", extra=_codes(["K2111"])), 5),  # nothing shared
    "rs2011.yaml": _niveau(_fiche("RS2011", "Kilo", blocs=0, extra=_codes(["M1805"])).replace("blocs:\n", ""), None),
}


def _project(tmp_path: Path, fiches: dict[str, str]) -> Path:
    project = tmp_path / "p"
    (project / "content" / "fiches").mkdir(parents=True)
    (project / "content" / "site.yaml").write_text((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, body in fiches.items():
        (project / "content" / "fiches" / name).write_text(body, encoding="utf-8")
    return project


def _proches(site: Path, numero: str) -> dict[str, list[str]]:
    section = soup(site, f"fiches/{numero}").select_one("#proches")
    if section is None:
        return {}
    return {text(h3): [re.search(r"\((R\w+)\)", text(li))[1] for li in h3.find_next("ul").select("li")] for h3 in section.select("h3")}


def test_related_certifications_share_jobs_first_then_go_further_up(tmp_path):
    from .conftest import build_site

    project = _project(tmp_path, RELATED)
    site = build_site(project / "content", tmp_path / "site")
    found = _proches(site, "rncp2001")
    # most codes shared, then active first, then the nearest level, then by number; six at most,
    # of which the page shows three (issue 25) and sends to the ROME codes' pages for the others
    from builder.choosing.voisines import proches
    from builder.content.catalogue import read_catalogue

    from .conftest import TODAY

    catalogue, _ = read_catalogue(project / "content", project, TODAY)
    ranked = [f.numero for f in proches(catalogue, "RNCP2001")["meme_metier"]]
    assert ranked == ["RNCP2006", "RNCP2002", "RNCP2003", "RNCP2009", "RNCP2008", "RNCP2004"]
    assert found["Pour le même métier"] == ranked[:3]
    section = soup(site, "fiches/rncp2001").select_one("#proches")
    assert section.select_one('p a[href="#metier"]') and "autres certifications des mêmes métiers" in text(section)
    # one or two levels up, by ROME or NSF, none already above
    assert found["Pour aller plus loin"] == ["RNCP2007"]
    assert _proches(site, "rncp2010") == {}  # nothing shared: no section, no entry in the contents
    assert not soup(site, "fiches/rncp2010").select_one('.sommaire a[href="#proches"]')
    assert "Pour aller plus loin" not in _proches(site, "rs2011")  # no level: nothing above
    item = soup(site, "fiches/rncp2001").select_one("#proches li")
    assert text(item) == "Foxtrot (RNCP2006) · Niveau 6 — équivalent Bac+3 · Active"
    assert soup(site, "fiches/rncp2001").select_one("#proches")["data-pagefind-ignore"] is not None


def test_a_related_title_edited_is_remade_by_the_quick_path_as_by_a_clean_build(tmp_path):
    from builder.build import build
    from builder.serve.session import Session

    from .test_incremental import config, files

    project = _project(tmp_path, RELATED)
    session = Session()
    build(config(project, tmp_path / "warm"), session=session)
    file = project / "content" / "fiches" / "rncp2007.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("intitule: Golf\n", "intitule: Golf avancé\n"), encoding="utf-8")
    assert build(config(project, tmp_path / "warm"), session=session).quick
    build(config(project, tmp_path / "clean", use_cache=False))
    assert files(tmp_path / "warm") == files(tmp_path / "clean")
    assert "Golf avancé (RNCP2007)" in text(soup(tmp_path / "warm", "fiches/rncp2001").select_one("#proches"))


def test_a_number_outside_the_catalogue_keeps_the_title_each_fiche_gives_it(pathways):
    for numero, titre in (("rncp1012", "Titre selon Lima"), ("rncp1013", "Titre selon Mike")):
        chain = [text(li) for li in soup(pathways, f"fiches/{numero}").select("#cadre-legal ol.lignee > li")]
        assert chain[0].startswith(f"{titre} — RNCP888 sur le site de France compétences"), chain


def test_a_loop_stays_a_warning_through_quick_edits_and_fails_strict(tmp_path, capsys):
    from builder.build import build
    from builder.serve.session import Session

    from .test_incremental import config, files

    project = _project(tmp_path, PATHWAYS)
    session = Session()
    first = build(config(project, tmp_path / "warm"), session=session)
    assert [p.path for p in first.problems if "lineage loops" in p.message] == ["content/fiches/rncp1005.yaml"]
    # a text edit elsewhere: quick, the warning kept; a line added above the loop's link: the whole way, moved
    for numero, old, new in (("rncp1007", "Bloc 1 de Golf", "Bloc 1 de Golf, revu"),
                             ("rncp1005", "intitule: Écho\n", "intitule: Écho\n# une note\n")):
        file = project / "content" / "fiches" / f"{numero}.yaml"
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        report = build(config(project, tmp_path / "warm"), session=session)
        assert report.quick == (numero == "rncp1007")
        clean = build(config(project, tmp_path / "clean", use_cache=False))
        assert report.problems == clean.problems
        assert files(tmp_path / "warm") == files(tmp_path / "clean")
    assert [(p.line, p.column) for p in clean.problems if "lineage loops" in p.message] == [(14, 13)]
    capsys.readouterr()
    assert main(["check", "--root", str(project), "--strict", "--today", "2026-11-23"]) == 1  # written by the school
