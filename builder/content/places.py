"""Where a fiche's places are: each place of preparation and of certification, located once
(offline, from the gazetteer) with the département it is in. Lists, maps, taxonomies of régions
and départements, search filters and search near me all read them from here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..reference.geo import Localisation, localiser
from ..reference.nomenclature import Departement, departement_of, departements
from .memo import once
from .model import Fiche, Lieu, Partenaire


@dataclass(frozen=True)
class Place:
    """A place of a fiche, with the anchor of its line in the fiche's list and its position."""

    lieu: Lieu
    ancre: str
    localisation: Localisation

    @property
    def position(self):
        return self.localisation.position

    @property
    def numero(self) -> int:
        """Its number in its fiche's list (`lieu-3`, `certification-3` -> 3): what search near me
        and the places' positions file name it by."""
        return int(self.ancre.rsplit("-", 1)[1])


def places(fiche: Fiche) -> tuple[list[Place], list[Place]]:
    """Preparation and certification places of a fiche, located (once per fiche object:
    the catalogue, its pages and its maps all ask)."""
    return once(fiche, "places", _places)


def par_departement(fiche: Fiche) -> dict[str, list[Place]]:
    """A fiche's located preparation places on site, by département code (once per fiche
    object: each of its région and département pages takes its own in one look-up)."""
    return once(fiche, "par departement", _par_departement)


def _par_departement(fiche: Fiche) -> dict[str, list[Place]]:
    found: dict[str, list[Place]] = {}
    for place in places(fiche)[0]:
        if place.position and not place.lieu.a_distance and (where := departement(place)):
            found.setdefault(where.code, []).append(place)
    return found


def _places(fiche: Fiche) -> tuple[list[Place], list[Place]]:
    def locate(lieux: Iterable[Lieu], prefix: str) -> list[Place]:
        return [Place(lieu, f"{prefix}-{i + 1}", _locate(lieu)) for i, lieu in enumerate(lieux)]
    return locate(fiche.lieux_preparation, "lieu"), locate(fiche.lieux_certification, "certification")


def departement(place: Place) -> Departement | None:
    """The département of a place: its commune's when located, else its postal code's."""
    commune = place.position.commune if place.position else None
    return departements().get(commune.departement if commune else "") or departement_of(place.lieu.code_postal)


def _locate(lieu: Lieu) -> Localisation:
    if lieu.a_distance and lieu.lat is None:
        return Localisation(None)
    return localiser(lieu.code_postal, lieu.commune, lieu.lat, lieu.lon, lieu.code_insee)


def avec_lieu(fiche: Fiche) -> set[str]:
    """The SIRETs, and SIRENs, of the bodies that have a place of preparation for this fiche."""
    found = set()
    for lieu in fiche.lieux_preparation:
        if lieu.siret:
            found |= {lieu.siret, lieu.siret[:9]}
    return found


def a_un_lieu(partenaire: Partenaire, sirets: set[str]) -> bool:
    """A habilitated body meets a place of the training offer by its SIRET, or by its SIREN
    (the same company, another establishment)."""
    return bool(partenaire.siret) and (partenaire.siret in sirets or partenaire.siret[:9] in sirets)
