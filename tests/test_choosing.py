"""Choosing between certifications (issue 23): a fiche's results drawn as a chart."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from builder.choosing.graphique import graphique_resultats
from builder.content.model import StatistiquePromotion

from .conftest import BASE_PATH
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
    for t in svg.select(".g-v text"):
        column = SERIES[t["class"][0]]
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
