"""What each fiche can be filtered by on the search page, in the words the page shows.

Fiche pages carry their filters and result metadata as `data-pagefind-*` attributes (see
`_partials/macros.html`); search near me reads the same values (`proximite.py`)."""

from __future__ import annotations

from ..content.catalogue import Catalogue
from ..content.model import Fiche
from ..content.places import departement, places
from ..slugs import certificateur_slug, code_slug
from ..reference.nomenclature import NIVEAUX, VOIES_COURTES

# Filter keys in the order the search page shows them, with their French labels.
FILTRES = {
    "niveau": "Niveau",
    "statut": "Statut",
    "voie": "Voie d’accès",
    "region": "Région de préparation",
    "departement": "Département de préparation",
    "nsf": "Domaine (NSF)",
    "rome": "Métier (ROME)",
    "certificateur": "Certificateur",
    "distance": "À distance",
}
A_DISTANCE = "Préparation à distance possible"


def niveau_libelle(fiche: Fiche) -> str:
    return NIVEAUX[fiche.niveau].libelle if fiche.niveau else "Sans niveau de qualification"


def statut_libelle(catalogue: Catalogue, fiche: Fiche) -> str:
    return "Active" if catalogue.est_active(fiche) else "Inactive"


def filtres(catalogue: Catalogue, fiche: Fiche) -> dict[str, list[str]]:
    """The values of each filter for a fiche (its blocs share them), without duplicates.

    NSF, ROME and certifier values are the taxonomy labels, so that two spellings of one
    certifier are one filter value, as they are one page.
    """
    terms = catalogue.term_index()
    voies = fiche.voies_acces
    sur_place = [place for place in places(fiche)[0] if not place.lieu.a_distance]
    departements = [d for d in map(departement, sur_place) if d]  # as on the région and département pages
    values = {
        "niveau": [niveau_libelle(fiche)],
        "statut": [statut_libelle(catalogue, fiche)],
        "voie": [label for key, label in VOIES_COURTES.items() if getattr(voies, key).actif],
        "region": [d.region for d in departements],
        "departement": [f"{d.nom} ({d.code})" for d in departements],
        "nsf": [terms["nsf", code_slug(n.code)].titre for n in fiche.nsf],
        "rome": [terms["rome", code_slug(r.code)].titre for r in fiche.rome],
        "certificateur": [terms["certificateurs", certificateur_slug(c.nom)].libelle for c in fiche.certificateurs],
        "distance": [A_DISTANCE] if any(lieu.a_distance or lieu.mixte for lieu in fiche.lieux_preparation) else [],
    }
    return {key: list(dict.fromkeys(found)) for key, found in values.items() if found}
