"""The list of pages of the site: which address, which template, which data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import Any, Generic, TypeVar

from .catalogue import Catalogue
from .urls import Urls

T = TypeVar("T")

TERMS_PER_PAGE = 100


@dataclass
class Page:
    path: str  # relative to the site root, e.g. `fiches/rncp26224/`
    templates: list[str]  # the first that exists is used (a school's specific one first)
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True


@dataclass
class Pagination(Generic[T]):
    items: Sequence[T]
    page: int
    pages: int
    total: int
    path_of: Callable[[int], str]

    @property
    def previous(self) -> str | None:
        return self.path_of(self.page - 1) if self.page > 1 else None

    @property
    def next(self) -> str | None:
        return self.path_of(self.page + 1) if self.page < self.pages else None


def paginate(items: Sequence[T], size: int, path_of: Callable[[int], str]) -> list[Pagination[T]]:
    pages = max(1, ceil(len(items) / size))
    return [Pagination(items[(n - 1) * size : n * size], n, pages, len(items), path_of) for n in range(1, pages + 1)]


def plan_pages(catalogue: Catalogue, urls: Urls, per_page: int) -> list[Page]:
    pages = [
        Page(p.path_of(p.page), ["home.html"], {"pagination": p})
        for p in paginate(catalogue.fiches, per_page, urls.home)
    ]
    for fiche in catalogue.fiches:
        pages.append(Page(urls.fiche(fiche), ["fiche.html"], {"fiche": fiche}))
        blocs = catalogue.blocs(fiche)
        for i, bloc in enumerate(blocs):
            context = {
                "fiche": fiche,
                "bloc": bloc,
                "precedent": blocs[i - 1] if i > 0 else None,
                "suivant": blocs[i + 1] if i + 1 < len(blocs) else None,
            }
            pages.append(Page(urls.bloc(fiche, bloc), ["bloc.html"], context))
    for taxonomy in catalogue.taxonomies.values():
        for p in paginate(taxonomy.terms, TERMS_PER_PAGE, lambda n, t=taxonomy.name: urls.taxonomy(t, n)):
            templates = [f"{taxonomy.name}/taxonomy.html", "taxonomy.html"]
            pages.append(Page(p.path_of(p.page), templates, {"taxonomy": taxonomy, "pagination": p}))
        for term in taxonomy.terms:
            path_of = lambda n, t=taxonomy.name, s=term.slug: urls.term(t, s, n)  # noqa: E731
            for p in paginate(term.fiches, per_page, path_of):
                templates = [f"{taxonomy.name}/term.html", "term.html"]
                pages.append(Page(p.path_of(p.page), templates, {"taxonomy": taxonomy, "term": term, "pagination": p}))
    pages.append(Page(urls.recherche(), ["recherche.html"]))
    pages.append(Page(urls.carte(), ["carte.html"]))
    pages.append(Page("404.html", ["404.html"], in_sitemap=False))
    sitemap = sorted(urls.absolute(p.path) for p in pages if p.in_sitemap)
    pages.append(Page("sitemap.xml", ["sitemap.xml"], {"locations": sitemap}, in_sitemap=False))
    pages.append(Page("robots.txt", ["robots.txt"], in_sitemap=False))
    return pages
