"""What choosing adds to the site: the templates' helpers that draw a fiche's results, walk
its lineage and list related certifications, and what a fiche page depends on for the latter."""

from __future__ import annotations

from typing import Any

from ..content.lignee import lignee, remplacantes_actives
from ..content.model import Fiche
from .graphique import graphique_resultats
from .voisines import affected, digest, proches, voisines

GLOBALS: dict[str, Any] = {"graphique_resultats": graphique_resultats, "lignee": lignee,
                           "remplacantes_actives": remplacantes_actives, "proches": proches}

# A fiche page shows its related certifications (voisines.py): their titles, levels, statuses.
DIGESTS: dict[str, Any] = {"voisines de": digest}
AFFECTED = affected


def relate(catalogue: Any) -> None:
    voisines(catalogue)  # computed once, in the build process, before the pages are planned


def fiche_page_deps(fiche: Fiche) -> list[tuple[str, str]]:
    return [("voisines de", fiche.numero)]
