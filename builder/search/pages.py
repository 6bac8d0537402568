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
from .index import assign


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    fiche_files = [Urls.output_file(urls.fiche(f)).as_posix() for f in catalogue.fiches]  # the pages indexed
    parties = [k for k, part in enumerate(assign(fiche_files)) if part and k]  # the parts the search page merges
    exemples = synonymes.exemples(catalogue)
    fichier = partial(synonymes.fichier, catalogue, site.synonymes)
    return [Page(urls.recherche(), ["recherche.html"], {"parties": parties, "exemples": exemples, "fichier_synonymes": FICHIER},
                 deps=[("resume",), ("=", tuple(parties)), ("=", tuple(exemples))]),
            Page(FICHIER, [], in_sitemap=False, deps=[("tout",)], produce=fichier)]


FICHIER = "recherche/synonymes.json"  # the search page's own (see synonymes.py)


GLOBALS: dict[str, Any] = {"FILTRES": FILTRES, "filtres": filtres, "niveau_libelle": niveau_libelle,
                           "statut_libelle": statut_libelle, "mots_caches": synonymes.mots_caches}
