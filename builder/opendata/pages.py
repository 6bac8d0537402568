"""What open data and sharing add to the site: each fiche as JSON, the catalogue as CSV, the
schema of the JSON, the feed of changes and the page that lists them all; the templates'
helpers for previews (descriptions) and schema.org data."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.catalogue import Catalogue, numero_order
from ..content.model import Fiche
from ..content.settings import Site
from ..pages.page import EVERYTHING, Page
from ..pages.urls import Urls
from . import schemaorg
from .apercus import description_fiche
from .donnees import COLONNES, catalogue_csv, fiche_json, schema_json
from .flux import empreinte, entrees, mise_a_jour


def fiche_pages(catalogue: Catalogue, urls: Urls, site: Site, fiche: Fiche) -> list[Page]:
    if not site.donnees_ouvertes.fiches_json:
        return []
    return [Page(urls.fiche_json(fiche), [], in_sitemap=False, deps=[("fiche", fiche.numero)], produce=fiche_json)]


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    donnees = site.donnees_ouvertes
    exemple = min(catalogue.fiches, key=numero_order, default=None)
    pages = [
        Page(urls.donnees(), ["donnees.html"], {"exemple": exemple}, deps=[("resume",), ("=", exemple and exemple.numero)]),
        Page(urls.flux(), ["flux.xml"], in_sitemap=False, deps=[("flux",)]),
        Page(urls.schema_fiche(), [], in_sitemap=False, produce=schema_json),
    ]
    if donnees.csv:
        pages.append(Page(urls.catalogue_csv(), [], in_sitemap=False, deps=[EVERYTHING],
                          produce=partial(catalogue_csv, catalogue, urls, donnees.fiches_json)))
    return pages


GLOBALS: dict[str, Any] = {"jsonld": schemaorg.jsonld, "schemaorg": schemaorg, "description_fiche": description_fiche,
                           "COLONNES": COLONNES, "entrees_flux": entrees, "mise_a_jour_flux": mise_a_jour}

# What the feed of changes shows of every fiche: a dependency of its own (see pages/dependencies.py).
DIGESTS = {"flux": empreinte}
