"""Search near me: the static files the search page fetches only when a visitor looks for the
certifications prepared near a town, each small, fetched only for the départements in reach.

- `geo/departements.json`: each département's name, région and box (that of its communes);
- `geo/cp/<département>.json`: the postal codes of a département, each with its communes;
- `geo/noms/<clé>.json`: the communes whose name starts alike (`re`: Rennes, Reims…; `s-ma`:
  Saint-Malo…), for a town typed by name, the most populous first: a name several communes
  share (Montreuil) means the biggest one, and suggestions while typing come biggest first. The
  order carries the population: no number is added;
- `pagefind/proximite/`: the catalogue's places by département, and what a result shows of
  their fiches, each piece fetched only when needed (see `place_files`); written with the
  search index, which gives the fiches' Pagefind ids, so that a text search can be crossed
  with the places without loading a page of results.

The page computes distances itself (haversine): no server, no third party.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from ..content.places import departement, places
from ..content.catalogue import Catalogue, fiche_order
from ..reference.geo import cle, gazetteer
from ..content.model import Fiche
from ..reference.nomenclature import departements
from ..places.lieux import pages_des_lieux
from .filtres import filtres, niveau_libelle, statut_libelle

_ARTICLES = ("saint ", "sainte ", "le ", "la ", "les ", "l ")
_ARRONDISSEMENT = re.compile(r"\s+\d+(er|e)\s+Arrondissement$")


def bucket(key: str) -> str:
    """The file a town's name is in: its first two letters; after an article or "Saint", the
    article's initial and the next two (`s-ma` for Saint-Malo, `l-ro` for La Rochelle). The
    search page computes the same."""
    for article in _ARTICLES:
        if key.startswith(article) and len(key) > len(article):
            return f"{article[0]}-{key[len(article):][:2].strip()}"
    return key[:2].strip() or "_"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@cache
def town_files() -> dict[str, str]:
    """The files of the gazetteer: départements, postal codes, names (paths from the site root)."""
    communes = gazetteer().communes
    boxes: dict[str, list[float]] = {}
    by_code: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    by_name: dict[str, list[tuple[tuple, list]]] = defaultdict(list)
    for c in communes:
        box = boxes.setdefault(c.departement, [c.lat, c.lon, c.lat, c.lon])
        box[:] = [min(box[0], c.lat), min(box[1], c.lon), max(box[2], c.lat), max(box[3], c.lon)]
        name = _ARRONDISSEMENT.sub("", c.nom)
        arrondissement = name != c.nom
        for code in c.codes_postaux:
            # Paris, Lyon, Marseille: a postal code's arrondissement (more precise) rather than the city
            towns = by_code[c.departement][code]
            if arrondissement or name not in towns:
                towns[name] = [name, round(c.lat, 4), round(c.lon, 4)]
        if not arrondissement:  # the city itself is in the names, with all its postal codes
            by_name[bucket(cle(c.nom))].append(((-c.population, name, c.departement), [
                name, c.departement, c.codes_postaux[0] if c.codes_postaux else "", round(c.lat, 4), round(c.lon, 4)]))
    known = departements()
    files = {"geo/departements.json": _json({
        code: [known[code].nom if code in known else code, known[code].region if code in known else "",
               *[round(x, 3) for x in box]] for code, box in sorted(boxes.items())})}
    for code, codes in sorted(by_code.items()):
        files[f"geo/cp/{code.lower()}.json"] = _json({cp: list(towns.values()) for cp, towns in sorted(codes.items())})
    for key, towns in sorted(by_name.items()):
        files[f"geo/noms/{key.replace(' ', '_')}.json"] = _json([town for _, town in sorted(towns)])
    return files


def fragment_address(file: Path) -> str:
    """The page address (from the site root) a Pagefind fragment file is about."""
    raw = gzip.decompress(file.read_bytes())
    return json.loads(raw[len(b"pagefind_dcd"):])["url"].strip("/") + "/"


FOLDER = "proximite/"  # inside the search bundle
FICHES_PAR_LOT = 64  # fiches per file of what a result shows
ORGANISMES_PAR_LOT = 128  # names per file of a département's bodies


def place_files(catalogue: Catalogue, urls, ids: dict[str, str]) -> dict[str, bytes]:
    """The search-near-me files (paths inside the search bundle). Every fiche with a place has
    a number, in the order of titles, so that results at one distance are next to each other
    in the lots of what they show:

    - `index.json`: the départements that have places (with how many), the sizes of the lots;
    - `<département>.json`: its places grouped by position (`[lat, lon, commune, fiches,
      bodies]`: the fiches' numbers as differences from the previous one, and for each the
      number of its body among the département's);
    - `lieux/<département>.json`: for the same rows and fiches, the place a result links to:
      its number in the fiche's list (`3` for `#lieu-3` on the fiche page), or `[page, number]`
      when the fiche lists its places on pages of their own (fetched for the results shown
      only, so the first query near a town reads no more than it did);
    - `organismes/<département>-<lot>.json`: the names of the département's bodies;
    - `fiches/<lot>.json`: what a result shows of a fiche (Pagefind id, number, title, level,
      status);
    - `ids.json`: the Pagefind id of each fiche (to cross a text search with the places);
    - `filtres/<filtre>.json`: each filter's values and each fiche's values, fetched for the
      filters in use;
    - `distance.json`: the fiches that can be prepared at a distance.
    """
    located: list[tuple[Fiche, list, bool]] = []  # each fiche with its places on site, and whether at a distance
    for fiche in catalogue.fiches:
        preparation = places(fiche)[0]
        sur_place = [p for p in preparation if p.position and not p.lieu.a_distance]
        a_distance = any(p.lieu.a_distance for p in preparation)
        if sur_place or a_distance:
            located.append((fiche, sur_place, a_distance))
    located.sort(key=lambda item: fiche_order(item[0]))
    numero = {fiche.numero: i for i, (fiche, _, _) in enumerate(located)}
    # département -> position -> fiche -> (body, the place a result links to)
    groups: dict[str, dict[tuple, dict[int, tuple[str, Any]]]] = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for fiche, sur_place, _ in located:
        pages = pages_des_lieux(fiche)
        for place in sur_place:
            if where := departement(place):
                counts[where.code.lower()] += 1
                key = (round(place.position.lat, 3), round(place.position.lon, 3), place.lieu.commune or "")
                groups[where.code.lower()].setdefault(key, {}).setdefault(
                    numero[fiche.numero], (place.lieu.organisme, _lien(place, pages)))
    files: dict[str, bytes] = {}
    for code, positions in sorted(groups.items()):
        bodies = sorted({body for found in positions.values() for body, _ in found.values()})
        body_number = {body: i for i, body in enumerate(bodies)}
        rows, links = [], []
        for (lat, lon, commune), found in sorted(positions.items()):
            fiches = sorted(found)
            rows.append([lat, lon, commune, [b - a for a, b in zip([0, *fiches], fiches)],
                         [body_number[found[i][0]] for i in fiches]])
            links.append([found[i][1] for i in fiches])
        files[f"{FOLDER}{code}.json"] = _json(rows).encode()
        files[f"{FOLDER}lieux/{code}.json"] = _json(links).encode()
        for lot in range(0, len(bodies), ORGANISMES_PAR_LOT):
            files[f"{FOLDER}organismes/{code}-{lot // ORGANISMES_PAR_LOT}.json"] = _json(bodies[lot:lot + ORGANISMES_PAR_LOT]).encode()
    for lot in range(0, len(located), FICHES_PAR_LOT):
        files[f"{FOLDER}fiches/{lot // FICHES_PAR_LOT}.json"] = _json([
            [ids.get(urls.fiche(fiche), ""), fiche.numero, fiche.intitule, niveau_libelle(fiche), statut_libelle(catalogue, fiche)]
            for fiche, _, _ in located[lot:lot + FICHES_PAR_LOT]]).encode()
    files[FOLDER + "ids.json"] = _json([ids.get(urls.fiche(fiche), "") for fiche, _, _ in located]).encode()
    for key, found in _values(catalogue, [fiche for fiche, _, _ in located]).items():
        files[f"{FOLDER}filtres/{key}.json"] = _json(found).encode()
    files[FOLDER + "distance.json"] = _json([i for i, (_, _, a_distance) in enumerate(located) if a_distance]).encode()
    files[FOLDER + "index.json"] = _json({
        "departements": {code: counts[code] for code in sorted(groups)},
        "fiches": len(located), "lot": FICHES_PAR_LOT, "lot_organismes": ORGANISMES_PAR_LOT}).encode()
    return files


def _lien(place, pages: dict[str, int]) -> Any:
    """Where a result near a town leads: the place's line on the fiche page (its number), or on
    the page of the fiche's places list it is on (`[page, number]`)."""
    return [pages[place.ancre], place.numero] if pages else place.numero


def _values(catalogue: Catalogue, fiches: list[Fiche]) -> dict[str, dict[str, list]]:
    """For each filter: its values (`v`, in order of appearance) and the values of each fiche
    (`f`, numbers into `v`)."""
    found: dict[str, dict[str, list]] = {}
    numbers: dict[str, dict[str, int]] = defaultdict(dict)
    for i, fiche in enumerate(fiches):
        for key, values in filtres(catalogue, fiche).items():
            if key not in found:
                found[key] = {"v": [], "f": [[] for _ in fiches]}
            table = found[key]
            for value in values:
                if value not in numbers[key]:
                    numbers[key][value] = len(table["v"])
                    table["v"].append(value)
                table["f"][i].append(numbers[key][value])
    return found

