"""What choosing adds to the site: the compare page and the small file of each fiche it reads;
the templates' helpers that draw a fiche's results, walk its lineage, list related
certifications and sum a fiche up ("En bref"), and what a fiche page depends on for the related ones."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.catalogue import Catalogue
from ..content.lignee import lignee, remplacantes_actives
from ..content.model import Fiche
from ..content.settings import Site
from ..pages.page import Page
from ..pages.plan import resumee
from ..pages.urls import Urls
from ..reference.nomenclature import VOIES_COURTES
from . import comparaison, parcours
from .en_bref import en_bref
from .graphique import graphique_resultats
from .voisines import affected, digest, proches, voisines

GLOBALS: dict[str, Any] = {"graphique_resultats": graphique_resultats, "lignee": lignee,
                           "remplacantes_actives": remplacantes_actives, "proches": proches, "en_bref": en_bref,
                           "blocs_equivalents": parcours.blocs_equivalents}

# A fiche page shows its related certifications (voisines.py): their titles, levels, statuses;
# a bloc page, the blocs of other fiches equivalent to it (parcours.py).
DIGESTS: dict[str, Any] = {"voisines de": digest, parcours.KEY: parcours.digest}


def AFFECTED(catalogue: Any, numeros: list[str]) -> list[Any]:  # the name the features give it
    return affected(catalogue, numeros) + parcours.affected(catalogue, numeros)


bloc_page_deps = parcours.bloc_page_deps


def relate(catalogue: Any) -> None:
    voisines(catalogue)  # computed once, in the build process, before the pages are planned


def fiche_page_deps(fiche: Fiche) -> list[tuple[str, str]]:
    return [("voisines de", fiche.numero)]


def fiche_pages(catalogue: Catalogue, urls: Urls, site: Site, fiche: Fiche) -> list[Page]:
    """What the compare page reads of a fiche (always, whatever the open-data settings), and the
    positions of its places when it has some."""
    deps = [("fiche", fiche.numero), ("liens", fiche.numero)]  # itself; its successors and equivalences
    pages = [Page(urls.comparaison(fiche), [], in_sitemap=False, deps=deps,
                  produce=partial(comparaison.donnees, catalogue, urls, resumee(site, catalogue, fiche)))]
    if comparaison.a_des_positions(fiche):
        pages.append(Page(urls.comparaison_lieux(fiche), [], in_sitemap=False, deps=[("lieux de", fiche.numero)],
                          produce=comparaison.fichier_positions))
    return pages


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    return [Page(urls.comparer(), ["comparer.html"], {"voies": [[code, libelle] for code, libelle in VOIES_COURTES.items()]})]
