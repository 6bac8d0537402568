"""What choosing adds to the site: the templates' helpers that draw a fiche's results and walk
its lineage."""

from __future__ import annotations

from typing import Any

from ..content.lignee import lignee, remplacantes_actives
from .graphique import graphique_resultats

GLOBALS: dict[str, Any] = {"graphique_resultats": graphique_resultats, "lignee": lignee,
                           "remplacantes_actives": remplacantes_actives}


def site_pages(catalogue: Any, urls: Any, site: Any) -> list:
    return []  # the comparison page comes with the next step of issue 23
