"""Offline geocoding: a place's postal code and town -> a commune and its position.

The gazetteer (`data/communes.csv.gz`, see `data/SOURCES.md` and `tools/refresh_geodata.py`)
holds every commune and municipal arrondissement with its postal codes and a position. We
cope with what addresses really contain: CEDEX codes (`34965 Montpellier Cedex 2`: found by
name in the département), localities that are not communes (`06560 Sophia Antipolis`: found
by postal code), arrondissements (`75008 Paris`, `Lyon 6e`), accents and case. Coordinates
written in the fiche always win.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .nomenclature import code_departement
from ..slugs import normalise

# Boxes (lon_min, lat_min, lon_max, lat_max) of the territories the maps can draw.
TERRITOIRES = {
    "metropole": (-5.5, 41.0, 10.0, 51.5),
    "guadeloupe": (-62.0, 15.8, -60.9, 16.6),
    "martinique": (-61.3, 14.3, -60.7, 15.0),
    "guyane": (-54.7, 2.0, -51.5, 6.0),
    "reunion": (55.1, -21.5, 56.0, -20.8),
    "mayotte": (44.9, -13.1, 45.4, -12.5),
    "nouvelle-caledonie": (163.5, -23.0, 168.5, -19.5),
    "polynesie": (-152.0, -18.0, -148.8, -16.3),
}
# The whole of France's lands, for checking coordinates (French Polynesia, Wallis and
# Futuna, Saint-Pierre-et-Miquelon and the Antilles are wider than what the maps draw).
FRANCE = [*TERRITOIRES.values(), (-155.0, -28.0, -134.0, -7.0), (-178.5, -14.5, -176.0, -13.0),
          (-56.5, 46.7, -56.1, 47.2), (-63.2, 17.8, -62.7, 18.2)]


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    departement: str
    codes_postaux: tuple[str, ...]
    lat: float
    lon: float
    precision: str  # commune, code_postal (mean of its neighbours), departement
    population: int = 0  # INSEE's legal population (0: none known, a few uninhabited territories)


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    commune: Commune | None  # None when the fiche gives coordinates for an unknown place
    source: str  # "coordonnees" (from the fiche), or the commune's precision

    @property
    def territoire(self) -> str | None:
        return territoire(self.lat, self.lon)


@dataclass(frozen=True)
class Localisation:
    position: Position | None
    probleme: str | None = None  # a warning for the editor, or None


_CEDEX = re.compile(r"\bcedex\b.*$")
_ARRONDISSEMENT = re.compile(r"\s\d{1,2}\s?(e|er|eme|ieme)?(\sarrondissement)?$")
_SAINT = re.compile(r"\bst\b")
_SAINTE = re.compile(r"\bste\b")


def cle(nom: str) -> str:
    """A town name as written in addresses -> a matching key: `Montpellier Cedex 2` ->
    `montpellier`, `Paris 8e` / `Paris 8e Arrondissement` -> `paris`, `St-Denis` -> `saint denis`."""
    text = _ARRONDISSEMENT.sub("", _CEDEX.sub("", normalise(nom)).strip())
    return " ".join(_SAINTE.sub("sainte", _SAINT.sub("saint", text)).split())


class Gazetteer:
    def __init__(self, communes: list[Commune]):
        self.communes = communes
        self.par_code: dict[str, list[Commune]] = defaultdict(list)
        self.par_nom: dict[tuple[str, str], list[Commune]] = defaultdict(list)
        self.cles: dict[str, str] = {}  # INSEE code -> name key, computed once
        for commune in communes:
            key = self.cles[commune.insee] = cle(commune.nom)
            for code in commune.codes_postaux:
                self.par_code[code].append(commune)
            self.par_nom[commune.departement, key].append(commune)
        self.noms = set(self.cles.values())
        self.par_insee = {commune.insee: commune for commune in communes}

    def localiser(self, code_postal: str | None, nom: str | None) -> Localisation:
        name = cle(nom) if nom else ""
        candidates = self.par_code.get(code_postal or "", [])
        same = sorted((c for c in candidates if self.cles[c.insee] == name), key=lambda c: len(c.codes_postaux))
        if same:  # the most specific first: `75008 Paris` is the 8th arrondissement
            return Localisation(_at(same[0]))
        departement = code_departement(code_postal)
        if name and (found := self.par_nom.get((departement, name))):
            return Localisation(_at(found[0]))  # CEDEX and other special codes
        if candidates:
            communes = ", ".join(sorted({c.nom for c in candidates}))
            if name and name in self.noms:  # a real commune, elsewhere: a contradiction
                return Localisation(_at(candidates[0]), (
                    f"postal code {code_postal} is that of {communes}, not of {nom}; correct the postal code "
                    f"or the town (the place is shown at {candidates[0].nom})"))
            return Localisation(_at(candidates[0]))  # a locality within the commune(s) of this code
        where = f"{code_postal or ''} {nom or ''}".strip()
        return Localisation(None, (
            f'cannot locate "{where}": no commune has this postal code or this name in its département; '
            "correct the postal code, or add `lat:` and `lon:` (for instance from openstreetmap.org)"))


def _at(commune: Commune) -> Position:
    return Position(commune.lat, commune.lon, commune, commune.precision)


@cache
def gazetteer() -> Gazetteer:
    raw = resources.files("builder").joinpath("data/communes.csv.gz").read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    return Gazetteer([
        Commune(r["insee"], r["nom"], r["departement"], tuple(r["codes_postaux"].split()),
                float(r["lat"]), float(r["lon"]), r["precision"], int(r["population"]))
        for r in rows
    ])


@cache
def contours() -> dict[str, list[list[list[float]]]]:
    return json.loads(resources.files("builder").joinpath("data/contours.json").read_text(encoding="utf-8"))


def territoire(lat: float, lon: float) -> str | None:
    for name, (x0, y0, x1, y1) in TERRITOIRES.items():
        if x0 <= lon <= x1 and y0 <= lat <= y1:
            return name
    return None


def en_france(lat: float, lon: float) -> bool:
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for x0, y0, x1, y1 in FRANCE)


@cache
def localiser(code_postal: str | None, commune: str | None, lat: float | None, lon: float | None,
              insee: str | None = None) -> Localisation:
    """Where a place is: its own coordinates if given, else its commune's (by its INSEE code
    when known: the national training offer gives it)."""
    known = gazetteer().par_insee.get(insee or "")
    if known is not None:
        found = Localisation(_at(known))
    else:
        found = gazetteer().localiser(code_postal, commune) if (code_postal or commune) else Localisation(None)
    if lat is not None and lon is not None:
        matched = found.position.commune if found.position else None
        problem = None if en_france(lat, lon) else (
            f"coordinates {lat}, {lon} are outside France and its overseas territories; "
            "check them (latitude first, then longitude, in decimal degrees)")
        return Localisation(Position(lat, lon, matched, "coordonnees"), problem)
    return found
