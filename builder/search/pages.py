"""What search adds to the site: its page (which merges the parts of the index), and the
templates' helpers that give each fiche its filters and labels."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.catalogue import Catalogue
from ..content.settings import Site
from ..pages.page import Page
from ..pages.urls import Urls
from .filtres import FILTRES, filtres, niveau_libelle, statut_libelle
from . import synonymes
from .index import Part, plan_parts


def parts(catalogue: Catalogue, urls: Urls, site: Site) -> list[Part]:
    """The parts of the search index (see index.py): the fiche pages, and with
    `recherche_inactives: a_la_demande` the inactive fiches' in parts of their own."""
    fiche_files = [Urls.output_file(urls.fiche(f)).as_posix() for f in catalogue.fiches]  # the pages indexed
    return plan_parts(fiche_files, *inactives(catalogue, urls, site))


def inactives(catalogue: Catalogue, urls: Urls, site: Site) -> tuple[frozenset[str], bool]:
    """The pages indexed apart (inactive fiches' when searched on request), and whether they
    are summaries."""
    if site.recherche_inactives != "a_la_demande":
        return frozenset(), False
    return (frozenset(Urls.output_file(urls.fiche(f)).as_posix() for f in catalogue.fiches if not catalogue.est_active(f)),
            site.fiches_inactives == "resumees")


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    plan = parts(catalogue, urls, site)
    parties = [p.folder for p in plan if p.folder and p.pages and not p.inactive]  # merged with the main part
    a_la_demande = [p.folder for p in plan if p.inactive]  # merged when inactive fiches are asked for
    exemples = synonymes.exemples(catalogue)
    fichier = partial(synonymes.fichier, catalogue, site.synonymes)
    return [Page(urls.recherche(), ["recherche.html"], {"parties": parties, "parties_inactives": a_la_demande,
                                                          "exemples": exemples, "fichier_synonymes": FICHIER},
                 deps=[("resume",), ("=", tuple(parties)), ("=", tuple(a_la_demande)), ("=", tuple(exemples))]),
            Page(FICHIER, [], in_sitemap=False, deps=[("tout",)], produce=fichier)]


FICHIER = "recherche/synonymes.json"  # the search page's own (see synonymes.py)


GLOBALS: dict[str, Any] = {"FILTRES": FILTRES, "filtres": filtres, "niveau_libelle": niveau_libelle,
                           "statut_libelle": statut_libelle, "mots_caches": synonymes.mots_caches}
