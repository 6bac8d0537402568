"""A fiche's results drawn at build time: an inline SVG chart of its promotions, with no
script and no chart library in the page.

Bars give the number certified (the part by VAE inset, lighter, inside its bar), points and
lines the insertion rates (three series told apart by colour, dash and marker shape, never by
colour alone), one column per year, every value written beside what draws it. The table of
the same figures follows the chart on the page: the chart is `role="img"`, named by a short
summary that says so. Sizes are in CSS pixels and the chart is not scaled down on a phone (its
box scrolls sideways instead), so that its text stays readable at 320 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..content.model import StatistiquePromotion
from ..pages.text import nombre_fr

COLONNE = 70  # px per year
GAUCHE = 48  # px left of the first column: the rates' axis labels
HAUTEUR_BARRES = 80
HAUTEUR_TAUX = 100  # 0 to 100 %
ECART_ETIQUETTES = 12  # px between two rate labels of one year


@dataclass(frozen=True)
class Serie:
    champ: str
    libelle: str
    classe: str  # colour and dash, in style.css
    forme: str  # the marker: "rond", "carre" or "losange"


TAUX = (
    Serie("taux_insertion_global_6mois", "En emploi à 6 mois", "g-t1", "rond"),
    Serie("taux_insertion_metier_6mois", "Dans le métier à 6 mois", "g-t2", "carre"),
    Serie("taux_insertion_metier_2ans", "Dans le métier à 2 ans", "g-t3", "losange"),
)
LEGENDE_BARRES = ("Certifiés", "dont par la VAE")


def _marqueur(forme: str, x: int, y: int) -> str:
    if forme == "rond":
        return f'<circle cx="{x}" cy="{y}" r="4"/>'
    if forme == "carre":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8"/>'
    return f'<path d="M{x} {y - 5}l5 5-5 5-5-5z"/>'


def _espacer(positions: list[tuple[int, int]]) -> dict[int, int]:
    """Label heights for one year's rates (series index -> y), at least ECART_ETIQUETTES apart,
    in the order of their points, kept inside the panel."""
    placees: dict[int, int] = {}
    precedente = None
    for k, y in sorted(positions, key=lambda p: (p[1], p[0])):  # just above and right of its point
        y = y - 5 if precedente is None else max(y - 5, precedente + ECART_ETIQUETTES)
        placees[k] = y
        precedente = y
    return placees


def resume(lignes: Sequence[StatistiquePromotion], valeurs: str = "dans le tableau qui suit") -> str:
    """What the chart shows, in one sentence (its accessible name), and where its values are written."""
    annees = [s.annee for s in lignes]
    debut, fin = min(annees), max(annees)
    periode = f"en {debut}" if debut == fin else f"de {debut} à {fin}"
    return f"Graphique des résultats par promotion {periode} ; les valeurs sont {valeurs}."


def graphique_resultats(statistiques: Sequence[StatistiquePromotion], ident: str = "resultats",
                        alternative: str = "dans le tableau qui suit") -> Markup:
    """The chart of these promotions (oldest on the left), or nothing when none has a figure
    to draw. `ident` makes the element ids unique on a page that shows several charts;
    `alternative` says where the values are written out (the accessible alternative)."""
    lignes = sorted((s for s in statistiques if _a_des_valeurs(s)), key=lambda s: s.annee)
    if not lignes:
        return Markup("")
    barres = any(s.nombre_certifies is not None for s in lignes)
    vae = any(s.nombre_certifies_vae is not None for s in lignes)
    series = [serie for serie in TAUX if any(getattr(s, serie.champ) is not None for s in lignes)]
    largeur = GAUCHE + COLONNE * len(lignes) + 16
    centres = [GAUCHE + COLONNE * k + COLONNE // 2 for k in range(len(lignes))]
    parts: list[str] = []
    y = 18  # the top of what is drawn next
    if barres:
        base = y + HAUTEUR_BARRES
        plus_grand = max(s.nombre_certifies or 0 for s in lignes) or 1
        rects, etiquettes, inserts = [], [], []
        for x, s in zip(centres, lignes):
            if s.nombre_certifies is None:
                continue
            h = max(1, round(HAUTEUR_BARRES * s.nombre_certifies / plus_grand)) if s.nombre_certifies else 0
            rects.append(f'<rect x="{x - 14}" y="{base - h}" width="28" height="{h}"/>')
            etiquettes.append(f'<text x="{x}" y="{base - h - 5}">{nombre_fr(s.nombre_certifies)}</text>')
            if s.nombre_certifies_vae and h > 4:
                hv = min(h - 4, max(1, round(HAUTEUR_BARRES * s.nombre_certifies_vae / plus_grand)))
                inserts.append(f'<rect x="{x - 11}" y="{base - hv - 2}" width="22" height="{hv}"/>')
        parts.append(f'<g class="g-barres">{"".join(rects)}</g>')
        if inserts:
            parts.append(f'<g class="g-vae">{"".join(inserts)}</g>')
        parts.append(f'<g class="g-n">{"".join(etiquettes)}</g>')
        parts.append(f'<path class="g-axe" d="M{GAUCHE} {base}H{largeur - 16}"/>')
        y = base
    annees = "".join(f'<text x="{x}" y="{y + 16}">{s.annee}</text>' for x, s in zip(centres, lignes))
    parts.append(f'<g class="g-annee">{annees}</g>')
    y += 22
    if vae:
        valeurs = "".join(f'<text x="{x}" y="{y + 10}">VAE {nombre_fr(s.nombre_certifies_vae)}</text>'
                          for x, s in zip(centres, lignes) if s.nombre_certifies_vae is not None)
        parts.append(f'<g class="g-nvae">{valeurs}</g>')
        y += 16
    if series:
        haut = y + 14
        bas = haut + HAUTEUR_TAUX
        grille = "".join(f'<path d="M{GAUCHE} {bas - pct}H{largeur - 16}"/>' for pct in (0, 50, 100))
        reperes = "".join(f'<text x="{GAUCHE - 6}" y="{bas - pct + 4}">{pct} %</text>' for pct in (0, 50, 100))
        parts.append(f'<g class="g-grille">{grille}</g><g class="g-reperes">{reperes}</g>')
        par_annee: list[list[tuple[int, int]]] = [[] for _ in lignes]
        for k, serie in enumerate(series):
            trace, points = [], []
            suite = False
            for i, (x, s) in enumerate(zip(centres, lignes)):
                valeur = getattr(s, serie.champ)
                if valeur is None:
                    suite = False
                    continue
                py = bas - round(valeur)
                trace.append(f'{"L" if suite else "M"}{x} {py}')
                points.append(_marqueur(serie.forme, x, py))
                par_annee[i].append((k, py))
                suite = True
            parts.append(f'<g class="{serie.classe}"><path d="{"".join(trace)}"/>{"".join(points)}</g>')
        etiquettes: list[list[str]] = [[] for _ in series]  # per series: one group, its colour once
        plus_bas = bas  # the lowest label
        for i, (x, s) in enumerate(zip(centres, lignes)):
            for k, ly in sorted(_espacer(par_annee[i]).items()):
                valeur = getattr(s, series[k].champ)
                etiquettes[k].append(f'<text x="{x + 6}" y="{ly}">{_pourcentage(valeur)}</text>')
                plus_bas = max(plus_bas, ly)
        parts += [f'<g class="g-v {serie.classe}">{"".join(textes)}</g>' for serie, textes in zip(series, etiquettes)]
        y = plus_bas + 6
    hauteur = y + 4
    titre = f"graphique-{ident}-titre"
    legende = "".join(f'<li class="{serie.classe}">{escape(serie.libelle)}</li>' for serie in series)
    if barres:
        legende = (f'<li class="g-l-barre">{LEGENDE_BARRES[0]}</li>'
                   + (f'<li class="g-l-vae">{LEGENDE_BARRES[1]}</li>' if vae else "") + legende)
    return Markup(
        f'<figure class="graphique">'
        f'<div class="graphique-boite" tabindex="0" role="group" aria-label="Graphique, défile sur un petit écran"><svg role="img" aria-labelledby="{titre}" width="{largeur}" height="{hauteur}" '
        f'viewBox="0 0 {largeur} {hauteur}"><title id="{titre}">{escape(resume(lignes, alternative))}</title>{"".join(parts)}</svg></div>'
        f'<figcaption><ul class="legende" aria-hidden="true">{legende}</ul></figcaption></figure>'
    )


def _a_des_valeurs(s: StatistiquePromotion) -> bool:
    return any(v is not None for v in (s.nombre_certifies, s.nombre_certifies_vae, *(getattr(s, t.champ) for t in TAUX)))


def _pourcentage(valeur: int) -> str:
    return f"{nombre_fr(valeur)}\u00a0%"
