"""The catalogue's own pages: the lists of fiches (the catalogue, each taxonomy and term), each
fiche's page and its blocs', the error page, robots.txt and the sitemaps. The features add
theirs (see `builder/site.py`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..content.catalogue import Catalogue
from ..content.model import Fiche
from ..content.settings import Site
from ..content.taxonomy import Taxonomy, Term
from .page import Key, Page, Pagination, paginate, paginate_az
from .urls import Urls

TERMS_PER_PAGE = 100


def _listed(p: Pagination[Any]) -> list[Key]:
    """A list page depends on its place in the pagination and on what it lists."""
    keys: list[Key] = [("=", (p.page, p.pages, p.total, p.lettre, tuple(p.lettres), p.previous, p.next))]
    for item in p.items:
        keys.append(("carte de", item.numero) if isinstance(item, Fiche) else ("terme", item.taxonomy, item.slug))
    return keys


def _intitule(fiche: Fiche) -> str:
    return fiche.intitule


def plan_home(catalogue: Catalogue, urls: Urls, per_page: int) -> list[Page]:
    """The catalogue's list of fiches, by title."""
    return [
        Page(p.path_of(p.page), ["home.html"], {"pagination": p}, deps=[("resume",), *_listed(p)])
        for p in paginate_az(catalogue.fiches, per_page, lambda lettre, n: urls.home(n, lettre), _intitule)
    ]


def plan_term(taxonomy: Taxonomy, term: Term, urls: Urls, per_page: int) -> list[Page]:
    """A term's list of fiches, by title."""
    pages = []
    path_of = lambda lettre, n: urls.term(taxonomy.name, term.slug, n, lettre)  # noqa: E731
    for p in paginate_az(term.fiches, per_page, path_of, _intitule):
        templates = [f"{taxonomy.name}/term.html", "term.html"]
        context = {"taxonomy": taxonomy, "term": term, "pagination": p}
        deps = [("terme", taxonomy.name, term.slug), *_listed(p)]
        if taxonomy.name in ("regions", "departements") and p.premiere:
            deps.append(("lieux par numero",))  # its map shows the places there of every fiche
        pages.append(Page(p.path_of(p.page), templates, context, deps=deps))
    return pages


def resumee(site: Site, catalogue: Catalogue, fiche: Fiche) -> bool:
    """Whether a fiche's page is its summary (`fiches_inactives: resumees` in site.yaml, for an
    inactive fiche): its blocs are whole on it, and have no pages; its bodies are counted, not
    listed. Its places stay (an inactive fiche has few)."""
    return site.fiches_inactives == "resumees" and not catalogue.est_active(fiche)


def plan_fiche(catalogue: Catalogue, urls: Urls, site: Site, fiche: Fiche) -> list[Page]:
    """A fiche's page, and its blocs' pages (none for a summary: its blocs are whole on it)."""
    own: list[Key] = [("fiche", fiche.numero), ("liens", fiche.numero)]
    pages = [Page(urls.fiche(fiche), ["fiche.html"], {"fiche": fiche}, deps=own)]
    blocs = [] if resumee(site, catalogue, fiche) else catalogue.blocs(fiche)
    for i, bloc in enumerate(blocs):
        pages.append(Page(urls.bloc(fiche, bloc), ["bloc.html"], {"fiche": fiche, "bloc": bloc}, deps=own,
                          fill=partial(bloc_context, i)))
    return pages


def bloc_context(i: int, fiche: Fiche) -> dict[str, Any]:
    """A bloc page's context, from its fiche whole: the bloc, and the blocs before and after it."""
    blocs = Catalogue.blocs(fiche)
    return {"fiche": fiche, "bloc": blocs[i], "precedent": blocs[i - 1] if i > 0 else None,
            "suivant": blocs[i + 1] if i + 1 < len(blocs) else None}


def plan_taxonomies(catalogue: Catalogue, urls: Urls, per_page: int) -> list[Page]:
    """Each taxonomy's list of terms, and each term's list of fiches."""
    pages = []
    for taxonomy in catalogue.taxonomies.values():
        for p in paginate(taxonomy.terms, TERMS_PER_PAGE, lambda n, t=taxonomy.name: urls.taxonomy(t, n)):
            templates = [f"{taxonomy.name}/taxonomy.html", "taxonomy.html"]
            deps = [("taxonomie", taxonomy.name), *_listed(p)]
            pages.append(Page(p.path_of(p.page), templates, {"taxonomy": taxonomy, "pagination": p}, deps=deps))
        for term in taxonomy.terms:
            pages += plan_term(taxonomy, term, urls, per_page)
    return pages


def plan_errors_and_robots() -> list[Page]:
    return [Page("404.html", ["404.html"], in_sitemap=False, deps=[("resume",)]),
            Page("robots.txt", ["robots.txt"], in_sitemap=False)]


SITEMAP_SIZE = 50_000  # addresses per sitemap file: the protocol's limit


def plan_sitemaps(locations: list[str], urls: Urls) -> list[Page]:
    """One sitemap.xml; past 50,000 addresses, sitemap.xml lists sitemap-1.xml, sitemap-2.xml…"""
    if len(locations) <= SITEMAP_SIZE:
        return [Page("sitemap.xml", ["sitemap.xml"], {"locations": locations}, in_sitemap=False, deps=[("=", tuple(locations))])]
    parts = [locations[i : i + SITEMAP_SIZE] for i in range(0, len(locations), SITEMAP_SIZE)]
    files = [Page(f"sitemap-{n}.xml", ["sitemap.xml"], {"locations": part}, in_sitemap=False, deps=[("=", tuple(part))])
             for n, part in enumerate(parts, 1)]
    index = [urls.absolute(page.path) for page in files]
    return [*files, Page("sitemap.xml", ["sitemap-index.xml"], {"sitemaps": index}, in_sitemap=False, deps=[("=", tuple(index))])]
