"""The site: its pages (the catalogue's own, and what each feature adds: places and maps, search,
open data), the helpers its templates call, and the dependencies the features define. The
build plans from here, and so does `catalogue serve` when it plans a fiche or a list again."""

from __future__ import annotations

from typing import Any

from .content.catalogue import Catalogue
from .content.model import Fiche
from .content.settings import Site
from .opendata import pages as opendata
from .pages.page import Page
from .pages.plan import plan_errors_and_robots, plan_fiche as plan_fiche_core, plan_home, plan_sitemaps, plan_taxonomies
from .pages.urls import Urls
from .choosing import pages as choosing
from .ecole import pages as ecole
from .places import pages as places
from .search import pages as search

FEATURES = (places, search, opendata, choosing, ecole)


def plan_site(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    """Every page and data file of the site, each with what it depends on."""
    pages = plan_home(catalogue, urls, site.fiches_par_page)
    for fiche in catalogue.fiches:
        pages += plan_fiche(catalogue, urls, site, fiche)
    pages += plan_taxonomies(catalogue, urls, site.fiches_par_page)
    for feature in FEATURES:
        if hasattr(feature, "site_pages"):
            pages += feature.site_pages(catalogue, urls, site)
    pages += plan_errors_and_robots()
    return pages + plan_sitemaps(sorted(urls.absolute(p.path) for p in pages if p.in_sitemap), urls)


def plan_fiche(catalogue: Catalogue, urls: Urls, site: Site, fiche: Fiche) -> list[Page]:
    """A fiche's own pages: its page, its blocs, its places and bodies, its JSON."""
    pages = plan_fiche_core(catalogue, urls, site, fiche)
    for feature in FEATURES:
        if hasattr(feature, "fiche_page_deps"):  # what the fiche page (the first) shows of the features'
            pages[0].deps = [*pages[0].deps, *feature.fiche_page_deps(fiche)]
        if hasattr(feature, "bloc_page_deps"):  # what its bloc pages (the others) show of the features'
            for page in pages[1:]:
                page.deps = [*page.deps, *feature.bloc_page_deps(fiche)]
    for feature in FEATURES:
        if hasattr(feature, "fiche_pages"):
            pages += feature.fiche_pages(catalogue, urls, site, fiche)
    for page in pages:
        page.fiche = fiche.numero
    return pages


def template_globals() -> dict[str, Any]:
    """What the features give templates to call (the pages' own are in pages/render.py)."""
    found: dict[str, Any] = {}
    for feature in FEATURES:
        found.update(getattr(feature, "GLOBALS", {}))  # a feature with nothing to give has none
    return found


def digests() -> dict[str, Any]:
    """The dependencies the features define, by kind: each a function of the catalogue."""
    return {kind: fn for feature in FEATURES for kind, fn in getattr(feature, "DIGESTS", {}).items()}


def affected_keys(catalogue: Catalogue, numeros: list[str]) -> list[Any]:
    """The dependency keys, defined by the features, of what shows these fiches elsewhere (for
    `catalogue serve`'s quick path, after their titles changed in place)."""
    return [key for feature in FEATURES if hasattr(feature, "AFFECTED") for key in feature.AFFECTED(catalogue, numeros)]


def relate(catalogue: Catalogue) -> None:
    """What the features compute once from the whole catalogue before pages are planned (the
    related certifications of each fiche), timed as a step of its own."""
    for feature in FEATURES:
        if hasattr(feature, "relate"):
            feature.relate(catalogue)
