"""What places, bodies and maps add to the site: a fiche's lists of places and of bodies, the
national map and its shared outlines, the GeoJSON of every place; the templates' helpers that
draw maps and list places and bodies."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.catalogue import Catalogue
from ..content.model import Fiche
from ..content.places import a_un_lieu, places
from ..content.settings import Site
from ..pages.page import Page, Pagination, paginate
from ..pages.plan import resumee
from ..pages.urls import Urls
from . import partenaires
from .carte import (
    CIBLE,
    carte_departement,
    carte_fiche,
    carte_nationale,
    carte_region,
    fond_de_carte,
    geojson_catalogue,
    position_approximative,
)
from .lieux import ancre_page, lieux
from .partenaires import PAR_PAGE, en_ordre, lettres, nombre_de_pages


def fiche_pages(catalogue: Catalogue, urls: Urls, site: Site, fiche: Fiche) -> list[Page]:
    """A fiche's places past ten, about 100 a page; its bodies past ten, 100 a page (none for a
    summary: they are counted on it)."""
    pages = []
    for n in range(1, lieux(fiche).pages + 1):
        pages.append(Page(urls.lieux(fiche, n), ["lieux.html"], {"fiche": fiche}, deps=[("lieux de", fiche.numero)],
                          fill=partial(lieux_context, urls, n)))
    if not resumee(site, catalogue, fiche):
        for n in range(1, nombre_de_pages(fiche) + 1):
            pages.append(Page(urls.organismes(fiche, n), ["organismes.html"], {"fiche": fiche},
                              deps=[("organismes", fiche.numero)], fill=partial(organismes_context, urls, n)))
    return pages


def lieux_context(urls: Urls, n: int, fiche: Fiche) -> dict[str, Any]:
    """The context of page `n` of a fiche's places, from the fiche whole."""
    grouped = lieux(fiche)
    return {"fiche": fiche, "pagination": Pagination(grouped.page(n), n, grouped.pages, len(grouped.sur_place),
                                                     partial(urls.lieux, fiche))}


def organismes_context(urls: Urls, n: int, fiche: Fiche) -> dict[str, Any]:
    """The context of page `n` of a fiche's bodies, from the fiche whole."""
    ordered = en_ordre(fiche)
    return {"fiche": fiche, "pagination": paginate(ordered, PAR_PAGE, partial(urls.organismes, fiche))[n - 1],
            "lettres": lettres(ordered)}


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    """The national map; the outlines every national map shares; the GeoJSON of every place."""
    return [
        Page(urls.carte(), ["carte.html"], deps=[("carte",)]),
        Page(urls.fond_de_carte(), [], in_sitemap=False, produce=fond_de_carte),
        Page(urls.carte_geojson(), [], in_sitemap=False, deps=[("lieux par numero",)],
             produce=partial(geojson_catalogue, catalogue.fiches)),
    ]


GLOBALS: dict[str, Any] = {
    "carte_fiche": carte_fiche, "carte_nationale": carte_nationale, "carte_region": carte_region,
    "carte_departement": carte_departement, "places": places, "lieux": lieux, "a_un_lieu": a_un_lieu,
    "ancre_page": ancre_page, "resume_partenaires": partenaires.resume, "habilitation": partenaires.habilitation,
    "initiale": partenaires.initiale, "CIBLE": CIBLE, "position_approximative": position_approximative,
}
