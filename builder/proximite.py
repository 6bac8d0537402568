"""Search near me: the static files the search page fetches only when a visitor looks for the
certifications prepared near a town, each small, fetched only for the départements in reach.

- `geo/departements.json`: each département's name, région and box (that of its communes);
- `geo/cp/<département>.json`: the postal codes of a département, each with its communes;
- `geo/noms/<clé>.json`: the communes whose name starts alike (`re`: Rennes, Reims…; `s-ma`:
  Saint-Malo…), for a town typed by name;
- `pagefind/proximite/index.json`: the départements that have places, and
  `pagefind/proximite/<département>.json`: the catalogue's places in that département and
  their fiches, with each fiche's Pagefind id so that a text search can be crossed with the
  places without loading a page of results; written with the search index, which gives those
  ids, and `pagefind/proximite/distance.json`, the fiches prepared at a distance.

The page computes distances itself (haversine): no server, no third party.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .carte import departement, places
from .catalogue import Catalogue
from .geo import cle, gazetteer
from .model import Fiche
from .nomenclature import departements
from .search import filtres, niveau_libelle, statut_libelle

_ARTICLES = ("saint ", "sainte ", "le ", "la ", "les ", "l ")


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
    by_code: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    by_name: dict[str, list] = defaultdict(list)
    for c in communes:
        box = boxes.setdefault(c.departement, [c.lat, c.lon, c.lat, c.lon])
        box[:] = [min(box[0], c.lat), min(box[1], c.lon), max(box[2], c.lat), max(box[3], c.lon)]
        name = re.sub(r"\s+\d+(er|e)\s+Arrondissement$", "", c.nom)
        for code in c.codes_postaux:
            by_code[c.departement][code].append([name, round(c.lat, 4), round(c.lon, 4)])
        by_name[bucket(cle(c.nom))].append([name, c.departement, c.codes_postaux[0] if c.codes_postaux else "",
                                            round(c.lat, 4), round(c.lon, 4), len(c.codes_postaux)])
    known = departements()
    files = {"geo/departements.json": _json({
        code: [known[code].nom if code in known else code, known[code].region if code in known else "",
               *[round(x, 3) for x in box]] for code, box in sorted(boxes.items())})}
    for code, codes in sorted(by_code.items()):
        files[f"geo/cp/{code.lower()}.json"] = _json({cp: towns for cp, towns in sorted(codes.items())})
    for key, towns in sorted(by_name.items()):
        files[f"geo/noms/{key.replace(' ', '_')}.json"] = _json(sorted(towns))
    return files


def fragment_ids(bundle: Path) -> dict[str, str]:
    """Page address (from the site root) -> its Pagefind id, read from the index's fragments."""
    found = {}
    for file in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(file.read_bytes())
        data = json.loads(raw[len(b"pagefind_dcd"):])
        found[data["url"].strip("/") + "/"] = file.name.removesuffix(".pf_fragment")
    return found


def place_files(catalogue: Catalogue, urls, ids: dict[str, str]) -> dict[str, bytes]:
    """The places of the catalogue by département, and the fiches prepared at a distance, each
    fiche with what a result shows (number, title, level, status, Pagefind id) and its filter
    values, for a search with filters but no text (paths inside the search bundle)."""
    by_departement: dict[str, list[tuple[Fiche, object]]] = defaultdict(list)
    distance: list[Fiche] = []
    for fiche in catalogue.fiches:
        preparation = places(fiche)[0]
        if any(p.lieu.a_distance for p in preparation):
            distance.append(fiche)
        for place in preparation:
            if place.position and not place.lieu.a_distance and (where := departement(place)):
                by_departement[where.code].append((fiche, place))
    files = {}
    for code, found in sorted(by_departement.items()):
        table = _Table(catalogue, urls, ids)
        lieux = [[table.index(fiche), round(place.position.lat, 4), round(place.position.lon, 4),
                  place.lieu.commune or "", place.lieu.organisme] for fiche, place in found]
        files[f"proximite/{code.lower()}.json"] = _json({"v": table.values, "f": table.fiches, "l": lieux}).encode()
    table = _Table(catalogue, urls, ids)
    for fiche in distance:
        table.index(fiche)
    files["proximite/distance.json"] = _json({"v": table.values, "f": table.fiches}).encode()
    # which départements have places (the page fetches no file that does not exist)
    files["proximite/index.json"] = _json({code.lower(): len(found) for code, found in sorted(by_departement.items())}).encode()
    return files


class _Table:
    """The fiches of one file, and the filter values they share (written once per file)."""

    def __init__(self, catalogue: Catalogue, urls, ids: dict[str, str]):
        self.catalogue, self.urls, self.ids = catalogue, urls, ids
        self.fiches: list[list] = []
        self.values: list[list[str]] = []
        self._fiche: dict[str, int] = {}
        self._value: dict[tuple[str, str], int] = {}

    def index(self, fiche: Fiche) -> int:
        if fiche.numero not in self._fiche:
            self._fiche[fiche.numero] = len(self.fiches)
            values = [self._value_index(key, value) for key, found in filtres(self.catalogue, fiche).items() for value in found]
            self.fiches.append([self.ids.get(self.urls.fiche(fiche), ""), fiche.numero, fiche.intitule,
                                niveau_libelle(fiche), statut_libelle(self.catalogue, fiche), values])
        return self._fiche[fiche.numero]

    def _value_index(self, key: str, value: str) -> int:
        if (key, value) not in self._value:
            self._value[key, value] = len(self.values)
            self.values.append([key, value])
        return self._value[key, value]


def writer(catalogue: Catalogue, urls) -> Callable[[Path], dict[str, bytes]]:
    """What the index step calls once Pagefind has written its bundle: the files to add to it."""
    def write(bundle: Path) -> dict[str, bytes]:
        return place_files(catalogue, urls, fragment_ids(bundle))
    return write
