"""Maps of preparation places, drawn at build time as SVG data, and their open-data GeoJSON.

A map is metropolitan France plus insets (the five overseas départements, and New Caledonia
or French Polynesia when needed), each in its own equirectangular projection. There is one
marker per town, grouping the places there. No tiles, no scripts, no third party.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from ..content.model import Fiche
from ..content.places import Place, departement, par_departement, places
from ..reference.geo import cle, contours
from ..reference.nomenclature import Departement, departements

LARGEUR = 400
HAUTEUR_METROPOLE = 380
HAUTEUR_ENCART = 86
MARGE = 4
TITRES = {
    "guadeloupe": "Guadeloupe", "martinique": "Martinique", "guyane": "Guyane",
    "reunion": "La Réunion", "mayotte": "Mayotte",
    "nouvelle-caledonie": "Nouvelle-Calédonie", "polynesie": "Polynésie française",
}
DROM = ["guadeloupe", "martinique", "guyane", "reunion", "mayotte"]
# Each marker's link has an invisible hit circle of this radius around its small dot: 30 units
# across are 24 CSS px once a 400-unit map is 320 px wide (a 390 px phone), WCAG 2.2's minimum
# target (2.5.8). Markers closer than two radii are merged, so that hit circles never overlap.
CIBLE = 15
ETIQUETTE = 14  # font size of the town labels of the région and département maps, in map units


@dataclass
class Etiquette:
    """A town's name written beside its marker (région and département maps)."""

    texte: str
    x: float
    y: float
    ancre: str  # text-anchor: start (right of the dot), end (left of it), middle (above or below)


@dataclass
class Marqueur:
    x: float
    y: float
    rayon: float
    libelle: str
    lien: str
    forme: str = "cercle"  # cercle: preparation; carre: certification
    ville: str = ""  # the name to write beside it (its first town's), when the map labels its towns
    poids: int = 0  # the places it counts: the biggest are labelled first
    carre: bool = False  # a preparation circle drawn over the square of a certification town merged into it
    etiquette: Etiquette | None = None


@dataclass
class Panneau:
    nom: str
    titre: str | None
    x: float
    y: float
    largeur: float
    hauteur: float
    chemin: str
    marqueurs: list[Marqueur] = field(default_factory=list)
    fond: str = ""  # the id of its outline in the shared file (FOND), when it is one of the national panels


@dataclass
class Carte:
    largeur: int
    hauteur: int
    panneaux: list[Panneau]

    @property
    def marqueurs(self) -> int:
        return sum(len(p.marqueurs) for p in self.panneaux)


@dataclass(frozen=True)
class Point:
    """One marker to draw: a town and what it stands for."""

    lat: float
    lon: float
    libelle: str  # for screen readers and as a tooltip: "Lyon : 2 lieux de préparation"
    lien: str  # where the marker leads: the place in the list, or a page
    forme: str = "cercle"
    ville: str = ""
    poids: int = 0


def dessiner(points: list[Point], encarts: Iterable[str] = ()) -> Carte:
    """A map of France with one marker per point; insets for the overseas départements,
    plus any territory of `encarts` or where a point falls (New Caledonia, Polynesia)."""
    from ..reference.geo import territoire

    wanted = list(DROM) + [t for t in ("nouvelle-caledonie", "polynesie")
                            if t in encarts or any(territoire(p.lat, p.lon) == t for p in points)]
    panels = [_panel("metropole", None, 0, 0, LARGEUR, HAUTEUR_METROPOLE)]
    width = LARGEUR / len(wanted)
    for i, name in enumerate(wanted):
        panels.append(_panel(name, TITRES[name], i * width, HAUTEUR_METROPOLE + 6, width, HAUTEUR_ENCART))
    by_name = {p.nom: p for p in panels}
    for point in points:
        panel = by_name.get(territoire(point.lat, point.lon) or "")
        if panel is not None:  # else outside what the map draws (checked and warned about before)
            _marquer(panel, _projection(panel), point)
    for panel in panels:
        _fusionner_certification(panel)
    return Carte(LARGEUR, HAUTEUR_METROPOLE + 6 + HAUTEUR_ENCART, panels)


def _marquer(panel: Panneau, project: Callable[[float, float], tuple[float, float]], point: Point) -> None:
    x, y = project(point.lon, point.lat)
    near = next((m for m in panel.marqueurs if m.forme == point.forme and math.dist((m.x, m.y), (x, y)) < 2 * CIBLE), None)
    if near:  # towns closer than a finger's width (Paris, Montreuil, Vincennes): one marker
        near.libelle += " ; " + point.libelle
        near.poids += point.poids
    else:
        size = 5.5 if point.forme == "cercle" else 7
        panel.marqueurs.append(Marqueur(round(x, 1), round(y, 1), size, point.libelle, point.lien, point.forme,
                                        point.ville, point.poids))


def _fusionner_certification(panel: Panneau) -> None:
    """A certification square within two hit radii of a preparation circle becomes part of that
    marker (drawn under its dot, named in its label): two links there could not both be hit.
    Squares first, preparation circles drawn over them."""
    circles = [m for m in panel.marqueurs if m.forme == "cercle"]
    kept = []
    for square in (m for m in panel.marqueurs if m.forme == "carre"):
        circle = min(circles, key=lambda c: math.dist((c.x, c.y), (square.x, square.y)), default=None)
        if circle is not None and math.dist((circle.x, circle.y), (square.x, square.y)) < 2 * CIBLE:
            circle.libelle += " ; " + square.libelle
            circle.carre = True
        else:
            kept.append(square)
    panel.marqueurs = kept + circles


@cache
def _boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each département's box (that of its communes), in one pass over the gazetteer."""
    from ..reference.geo import gazetteer

    boxes: dict[str, tuple[float, float, float, float]] = {}
    for c in gazetteer().communes:
        box = boxes.get(c.departement)
        boxes[c.departement] = (c.lon, c.lat, c.lon, c.lat) if box is None else (
            min(box[0], c.lon), min(box[1], c.lat), max(box[2], c.lon), max(box[3], c.lat))
    return boxes


@cache
def _zone_bounds(codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """The box of the communes of some départements, with a margin."""
    boxes = [box for code, box in _boxes().items() if code in codes]
    lon0, lat0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    lon1, lat1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    mx, my = max(0.08, (lon1 - lon0) * 0.08), max(0.06, (lat1 - lat0) * 0.08)
    return lon0 - mx, lat0 - my, lon1 + mx, lat1 + my


def dessiner_zone(points: list[Point], codes: tuple[str, ...]) -> Carte:
    """A map zoomed on some départements (a région, a département): its territory's outline,
    cut by the frame, and the markers inside."""
    from ..reference.geo import territoire

    bounds = _zone_bounds(codes)
    name = territoire((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2) or "metropole"
    panel = Panneau(name, None, 0, 0, LARGEUR, HAUTEUR_METROPOLE, "")
    project = _projection(panel, bounds)
    panel.chemin = _outline_zone(name, bounds)
    # the towns with the most places first: a marker stands, is named and leads where its biggest town does
    for point in sorted(points, key=lambda p: -p.poids):
        x, y = project(point.lon, point.lat)
        if 0 <= x <= LARGEUR and 0 <= y <= HAUTEUR_METROPOLE:
            _marquer(panel, project, point)
    _fusionner_certification(panel)
    _etiqueter(panel)
    return Carte(LARGEUR, HAUTEUR_METROPOLE, [panel])


def _largeur_texte(texte: str, taille: float = ETIQUETTE) -> float:
    """A generous estimate of a label's width (no font at build time): the widest of the common
    sans-serif fonts (DejaVu Sans), so that labels judged apart stay apart on screen."""
    def width(c: str) -> float:
        if c in "iljt.,;:'’ -|!ıI":
            return 0.36
        if c in "frJ()":
            return 0.45
        if c in "mwMW":
            return 0.98
        if c.isupper() or c in "—":
            return 0.76
        return 0.64
    return taille * sum(width(c) for c in texte)


def _boites_chevauchent(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _touche_cercle(box: tuple[float, float, float, float], x: float, y: float, r: float) -> bool:
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (x - nx) ** 2 + (y - ny) ** 2 < r * r


def _etiqueter(panel: Panneau) -> None:
    """Write each town's name beside its marker, the towns with the most places first: to the
    right of the dot, else to its left, above or below; a name that would cover another name or
    another marker's target, or leave the frame, is left out (its marker keeps its spoken label
    and tooltip). Deterministic: the same towns give the same labels."""
    placed: list[tuple[float, float, float, float]] = []
    height = ETIQUETTE * 1.2
    for marker in sorted(panel.marqueurs, key=lambda m: (-m.poids, m.ville, m.x, m.y)):
        if not marker.ville:
            continue
        width = _largeur_texte(marker.ville)
        gap = marker.rayon + 3
        baseline = ETIQUETTE * 0.36  # from the middle of the text to its baseline
        for ancre, left, top in (("start", marker.x + gap, marker.y - height / 2),
                                 ("end", marker.x - gap - width, marker.y - height / 2),
                                 ("middle", marker.x - width / 2, marker.y - gap - height),
                                 ("middle", marker.x - width / 2, marker.y + gap)):
            box = (left - 1, top, left + width + 1, top + height)
            if box[0] < 0 or box[1] < 0 or box[2] > panel.largeur or box[3] > panel.hauteur:
                continue
            if any(_boites_chevauchent(box, other) for other in placed):
                continue
            if any(_touche_cercle(box, m.x, m.y, CIBLE) for m in panel.marqueurs if m is not marker):
                continue
            x = {"start": left, "end": left + width, "middle": left + width / 2}[ancre]
            marker.etiquette = Etiquette(marker.ville, round(x, 1), round(top + height / 2 + baseline, 1), ancre)
            placed.append(box)
            break


@cache
def _outline_zone(name: str, bounds: tuple[float, float, float, float]) -> str:
    """The territory's outline in a zoomed panel, cut to the frame (a little beyond it), so that
    the path holds only what is seen."""
    project = _projection(Panneau(name, None, 0, 0, LARGEUR, HAUTEUR_METROPOLE, ""), bounds)
    rings = [_clip([project(lon, lat) for lon, lat in ring], -10, -10, LARGEUR + 10, HAUTEUR_METROPOLE + 10)
             for ring in contours()[name]]
    return " ".join("M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in ring) + " Z" for ring in rings if len(ring) > 2)


def _clip(ring: list[tuple[float, float]], x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A polygon cut to a rectangle (Sutherland–Hodgman)."""
    def cut(points, inside, cross):
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        return out

    def at_x(x):
        return lambda p, q: (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))

    def at_y(y):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)

    for inside, cross in ((lambda p: p[0] >= x0, at_x(x0)), (lambda p: p[0] <= x1, at_x(x1)),
                          (lambda p: p[1] >= y0, at_y(y0)), (lambda p: p[1] <= y1, at_y(y1))):
        if not ring:
            break
        ring = cut(ring, inside, cross)
    return ring


def _panel(name: str, title: str | None, x: float, y: float, width: float, height: float) -> Panneau:
    panel = Panneau(name, title, round(x, 1), round(y, 1), round(width, 1), round(height, 1), "")
    panel.chemin = _outline(name, title, panel.x, panel.y, panel.largeur, panel.hauteur)
    panel.fond = _fond_id(panel)
    return panel


def _fond_id(panel: Panneau) -> str:
    key = f"{panel.nom}\0{panel.titre}\0{panel.x}\0{panel.y}\0{panel.largeur}\0{panel.hauteur}"
    return f"{panel.nom}-{hashlib.blake2b(key.encode(), digest_size=4).hexdigest()}"


def fond_de_carte() -> str:
    """The shared file of the national maps' outlines (France and every inset, in each layout
    a map can have): pages draw them with `<use>`, so a page carries only its markers, and the
    browser fetches the outlines once for every map of the site."""
    layouts = [[], ["nouvelle-caledonie"], ["polynesie"], ["nouvelle-caledonie", "polynesie"]]
    panels = {}
    for extra in layouts:
        for panel in dessiner([], extra).panneaux:
            panels[panel.fond] = panel.chemin
    paths = "\n".join(f'<path id="{ident}" d="{chemin}"/>' for ident, chemin in sorted(panels.items()))
    return f'<svg xmlns="http://www.w3.org/2000/svg">\n<defs>\n{paths}\n</defs>\n</svg>\n'


@cache
def _outline(name: str, title: str | None, x: float, y: float, width: float, height: float) -> str:
    """The SVG path of a territory in a panel: the same for every map with that panel."""
    project = _projection(Panneau(name, title, x, y, width, height, ""))
    return " ".join(
        "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in (project(lon, lat) for lon, lat in ring)) + " Z"
        for ring in contours()[name]
    )


@cache
def _bounds(name: str) -> tuple[float, float, float, float]:
    points = [p for ring in contours()[name] for p in ring]
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _projection(panel: Panneau, bounds: tuple[float, float, float, float] | None = None):
    """Equirectangular, scaled by the cosine of the middle latitude, fitted and centred in the
    panel (its title, for insets, takes the top 14 units); `bounds`, a zone of the territory."""
    lon0, lat0, lon1, lat1 = bounds or _bounds(panel.nom)
    top = 14 if panel.titre else 0
    cos = math.cos(math.radians((lat0 + lat1) / 2))
    inner_w, inner_h = panel.largeur - 2 * MARGE, panel.hauteur - 2 * MARGE - top
    scale = min(inner_w / ((lon1 - lon0) * cos), inner_h / (lat1 - lat0))
    dx = panel.x + MARGE + (inner_w - (lon1 - lon0) * cos * scale) / 2
    dy = panel.y + MARGE + top + (inner_h - (lat1 - lat0) * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return dx + (lon - lon0) * cos * scale, dy + (lat1 - lat) * scale
    return project


def grouper_par_commune(located: Iterable[tuple[Place, str]]) -> list[tuple[Place, list[Place], str]]:
    """(place, link) pairs -> one group per town: (first place, all places, link of the first)."""
    groups: dict[tuple, tuple[Place, list[Place], str]] = {}
    for place, lien in located:
        position = place.position
        key = (position.commune.departement, cle(position.commune.nom)) if position.commune and position.source != "coordonnees" else (
            round(position.lat, 3), round(position.lon, 3))  # arrondissements of a city: one group
        groups.setdefault(key, (place, [], lien))[1].append(place)
    return list(groups.values())


def nom_de_commune(place: Place) -> str:
    position = place.position
    if position.commune and position.source != "coordonnees":
        return re.sub(r"\s+\d+(er|e)\s+Arrondissement$", "", position.commune.nom)  # "Paris 8e Arrondissement" -> "Paris"
    return place.lieu.commune or place.lieu.organisme


APPROXIMATIVE = {
    "commune": "centre de la commune",
    "code_postal": "près de la commune",  # the mean of the communes sharing its postal code
    "departement": "centre du département",
}


def position_approximative(place: Place) -> str:
    """What a place's map position stands for when it is not the place's own (no coordinates in
    the fiche: the town's centre): said beside its OpenStreetMap link; "" when exact."""
    position = place.position
    if position is None or position.source == "coordonnees":
        return ""
    return f"position approximative ({APPROXIMATIVE.get(position.source, 'centre de la commune')})"


def _pluriel(n: int) -> str:
    return f"{n} lieu{'x' if n > 1 else ''} de préparation"


PAR_COMMUNE_JUSQUA = 40  # markers, one per town; past that, one per département


def _par_departement(located: list[tuple[Place, str]], nature: str, forme: str,
                     lien_de: Callable[[Departement], str]) -> list[Point]:
    """One marker per département, at the mean position of its places, counting them."""
    groups: dict[str, tuple[Departement, list[Place]]] = {}
    for place, _ in located:
        where = departement(place)
        if where is not None:
            groups.setdefault(where.code, (where, []))[1].append(place)
    points = []
    for where, group in groups.values():
        lat = sum(p.position.lat for p in group) / len(group)
        lon = sum(p.position.lon for p in group) / len(group)
        n = len(group)
        points.append(Point(lat, lon, f"{where.nom} : {n} lieu{'x' if n > 1 else ''} {nature}".rstrip(), lien_de(where), forme))
    return points


def carte_fiche(fiche: Fiche, urls=None, page: int | None = None) -> Carte:
    """The map of a fiche's places: circles for preparation, squares for certification; each
    marker leads to the town's places in the lists beside the map, or on the list's own pages.
    Past 40 towns, one marker per département. `page`: the map is on that page of the places'
    own pages (lieux.html), which show the preparation places only (the fiche page lists the
    certification places, and shows no map when the places have pages: issue 25)."""
    from .lieux import ancre_page, lieux

    preparation, certification = places(fiche)
    grouped = lieux(fiche)
    de_preparation = {id(p.lieu) for p in preparation}
    if page is not None:
        certification = []

    def vers(n: int, ancre: str) -> str:
        return "#" + ancre if n == page else urls.href(urls.lieux(fiche, n)) + "#" + ancre

    def lien(place: Place) -> str:
        if urls is None or not grouped.pages or id(place.lieu) not in de_preparation:
            return "#" + place.ancre
        return vers(ancre_page(fiche, place), place.ancre)

    def lien_departement(where: Departement) -> str:
        groupe = next(g for g in grouped.groupes if g.departement is where)
        return vers(groupe.page, groupe.ancre) if urls and grouped.pages else "#preparation"

    points = []
    # on the places' pages, every marker is a preparation place: the label need not say so
    for located, forme, nature in ((certification, "carre", "de certification"), (preparation, "cercle", "" if page is not None else "de préparation")):
        pairs = [(p, lien(p)) for p in located if p.position and not p.lieu.a_distance]
        towns = grouper_par_commune(pairs)
        if forme == "cercle" and len(towns) > PAR_COMMUNE_JUSQUA:
            points += _par_departement(pairs, nature, forme, lien_departement)
            continue
        for first, group, link in towns:
            n = len(group)
            points.append(Point(first.position.lat, first.position.lon,
                                f"{nom_de_commune(first)} : {n} lieu{'x' if n > 1 else ''} {nature}".rstrip(), link, forme))
    # the fiche's insets where it is accessible: on its page (the places' pages depend on its places alone)
    encarts = [name for name, accessible in (("nouvelle-caledonie", fiche.accessible_nouvelle_caledonie),
                                             ("polynesie", fiche.accessible_polynesie_francaise)) if accessible and page is None]
    return dessiner(points, encarts)


def _par_numero(fiche: Fiche) -> str:
    return fiche.numero


def carte_nationale(fiches: Iterable[Fiche], urls) -> Carte:
    """Every preparation place of the catalogue: one marker per town leading to its région's
    page; past 40 towns, one per département, leading to its page (a national catalogue has
    thousands of towns: the map keeps about a hundred markers)."""
    located = []
    for fiche in sorted(fiches, key=_par_numero):  # not in title order: a title edit leaves it alone
        for place in places(fiche)[0]:
            if place.position and not place.lieu.a_distance and (where := departement(place)):
                located.append((place, where.region))
    towns = grouper_par_commune(located)
    if len(towns) > PAR_COMMUNE_JUSQUA:
        return dessiner(_par_departement(located, "de préparation", "cercle",
                                         lambda d: urls.href(urls.departement(d.code, d.nom))))
    points = []
    for first, group, region in towns:
        points.append(Point(first.position.lat, first.position.lon,
                            f"{nom_de_commune(first)} : {_pluriel(len(group))} ({region})", urls.href(urls.region(region))))
    return dessiner(points)


def carte_zone(fiches: Iterable[Fiche], codes: Iterable[str], urls) -> Carte:
    """The map of a région or a département page, zoomed on it: the places there of every
    fiche, one marker per town, leading to its département's page."""
    codes = tuple(sorted(codes))
    known = departements()
    links = {code: urls.href(urls.departement(code, known[code].nom)) for code in codes if code in known}
    located = []
    for fiche in sorted(fiches, key=lambda f: f.numero):  # whatever their titles: see `lieux par numero`
        by_code = par_departement(fiche)
        for code in codes:
            located += [(place, links[code]) for place in by_code.get(code, ())]
    points = [Point(first.position.lat, first.position.lon, f"{nom_de_commune(first)} : {_pluriel(len(group))}", lien,
                    ville=nom_de_commune(first), poids=len(group))
              for first, group, lien in grouper_par_commune(located)]
    return dessiner_zone(points, codes)


def carte_region(term, urls) -> Carte:
    return carte_zone(term.fiches, [d.code for d in departements().values() if d.region == term.libelle], urls)


def carte_departement(term, urls) -> Carte:
    return carte_zone(term.fiches, [term.code], urls)


# -- open data -------------------------------------------------------------------------

def feature(place: Place, nature: str, numeros: list[str]) -> dict:
    position, lieu = place.position, place.lieu
    commune = position.commune
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(position.lon, 5), round(position.lat, 5)]},
        "properties": {
            "nom": lieu.organisme,
            "type": nature,
            "adresse": lieu.adresse,
            "code_postal": lieu.code_postal,
            "commune": lieu.commune,
            "code_insee": commune.insee if commune else None,
            "precision": position.source,
            "fiches": numeros,
        },
    }


def geojson(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")) + "\n"


def geojson_catalogue(fiches: Iterable[Fiche]) -> str:
    """Every preparation place of the catalogue; a place named alike at the same address in
    several fiches is one feature listing those fiches."""
    merged: dict[tuple, tuple[Place, list[str]]] = {}
    for fiche in sorted(fiches, key=_par_numero):  # not in title order: a title edit leaves it alone
        for place in places(fiche)[0]:
            if place.position:
                lieu = place.lieu
                key = (lieu.organisme, lieu.adresse, lieu.code_postal, lieu.commune,
                       round(place.position.lat, 5), round(place.position.lon, 5))
                merged.setdefault(key, (place, []))[1].append(fiche.numero)
    return geojson([feature(place, "preparation", numeros) for place, numeros in merged.values()])
