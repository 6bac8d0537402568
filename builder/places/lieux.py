"""The places where a fiche is prepared, as a student looks for them: by région, then
département, the ones at a distance apart. A fiche page names them all when they are few;
past that it says where they are, and lists them on pages of their own (`fiches/<n>/lieux/`),
by région and département, about 100 a page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..content.memo import once
from ..content.places import Place, departement, places
from ..content.model import Fiche
from ..reference.nomenclature import Departement
from ..slugs import sort_key

SUR_LA_FICHE = 10  # places named on the fiche page; past that, the list has pages of its own
PAR_PAGE = 100  # places per page of the list


@dataclass
class Groupe:
    """The places of one département (or, when it is unknown, of nowhere known)."""

    region: str
    departement: Departement | None
    places: list[Place]
    page: int = 1

    @property
    def ancre(self) -> str:
        return f"departement-{self.departement.code.lower()}" if self.departement else "departement-inconnu"

    @property
    def titre(self) -> str:
        return f"{self.departement.nom} ({self.departement.code})" if self.departement else "Département non précisé"


@dataclass
class Lieux:
    sur_place: list[Place]  # with an address (on site, or partly at a distance)
    a_distance: list[Place]  # entirely at a distance
    groupes: list[Groupe]  # the places on site, by région then département
    pages: int  # pages of the list: 0 when the fiche page names every place

    @cached_property
    def page_de(self) -> dict[str, int]:
        """The page of the list each place is on, by its anchor."""
        return {place.ancre: groupe.page for groupe in self.groupes for place in groupe.places}

    @property
    def regions(self) -> list[tuple[str, list[Groupe]]]:
        found: dict[str, list[Groupe]] = {}
        for groupe in self.groupes:
            found.setdefault(groupe.region, []).append(groupe)
        return list(found.items())

    def page(self, n: int) -> list[Groupe]:
        return [g for g in self.groupes if g.page == n]


def lieux(fiche: Fiche) -> Lieux:
    """A fiche's places of preparation, grouped (once per fiche object)."""
    return once(fiche, "lieux", lambda f: _group(places(f)[0]))


def nombre_de_pages(fiche: Fiche) -> int:
    return lieux(fiche).pages


def _group(preparation: list[Place]) -> Lieux:
    sur_place = [p for p in preparation if not p.lieu.a_distance]
    a_distance = [p for p in preparation if p.lieu.a_distance]
    groupes = _groupes(sur_place)
    for groupe in groupes:
        groupe.places.sort(key=lambda p: (sort_key(p.lieu.commune or ""), sort_key(p.lieu.organisme), p.ancre))
    return Lieux(sur_place, a_distance, groupes, _paginate(groupes, len(sur_place)))


def _groupes(sur_place: list[Place]) -> list[Groupe]:
    """The places by département, the départements by région (the places in them not ordered)."""
    by_departement: dict[str, Groupe] = {}
    for place in sur_place:
        where = departement(place)
        key = where.code if where else ""
        if key not in by_departement:
            by_departement[key] = Groupe(where.region if where else "Autres lieux", where, [])
        by_departement[key].places.append(place)
    return sorted(by_departement.values(), key=lambda g: (g.departement is None, sort_key(g.region),
                                                           g.departement.code if g.departement else ""))


def _paginate(groupes: list[Groupe], count: int) -> int:
    """Gives each group its page; the number of pages (0: the fiche page names every place)."""
    pages = 0
    if count > SUR_LA_FICHE:
        pages, filled = 1, 0
        for groupe in groupes:  # whole départements on a page, as long as it holds about PAR_PAGE places
            if filled and filled + len(groupe.places) > PAR_PAGE:
                pages, filled = pages + 1, 0
            groupe.page = pages
            filled += len(groupe.places)
    return pages


def pages_des_lieux(fiche: Fiche) -> dict[str, int]:
    """The page of the fiche's places list each place is on, by its anchor; empty when the fiche
    page names them all. For the files of search near me and of the compare page, which link to
    a place: the same pages as `lieux`, without ordering every place (once per fiche object)."""
    return once(fiche, "pages des lieux", _pages_des_lieux)


def _pages_des_lieux(fiche: Fiche) -> dict[str, int]:
    sur_place = [p for p in places(fiche)[0] if not p.lieu.a_distance]
    if len(sur_place) <= SUR_LA_FICHE:
        return {}
    groupes = _groupes(sur_place)
    _paginate(groupes, len(sur_place))
    return {place.ancre: groupe.page for groupe in groupes for place in groupe.places}


def ancre_page(fiche: Fiche, place: Place) -> int:
    """The page of the list where a place is (1 when the fiche page names them all)."""
    return lieux(fiche).page_de.get(place.ancre, 1)


def pages_de(count: int) -> int:
    return max(1, math.ceil(count / PAR_PAGE))
