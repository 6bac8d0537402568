"""The list of pages of the site: which address, which template, which data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from math import ceil
from typing import Any, Generic, TypeVar

from .carte import fond_de_carte, geojson_catalogue
from .donnees import catalogue_csv, fiche_json, schema_json
from .search import assign
from .catalogue import Catalogue, numero_order
from .taxonomy import Taxonomy, Term
from .lieux import lieux
from .model import Fiche
from .partenaires import PAR_PAGE, en_ordre, lettres, nombre_de_pages
from .settings import DonneesOuvertes, Site
from .slugs import initiale
from .urls import Urls

Key = tuple[Any, ...]  # a dependency: see dependencies.py
EVERYTHING: Key = ("tout",)

T = TypeVar("T")

TERMS_PER_PAGE = 100


@dataclass
class Page:
    path: str  # relative to the site root, e.g. `fiches/rncp26224/`
    templates: list[str]  # the first that exists is used (a school's specific one first)
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    deps: list[Key] = field(default_factory=list)  # what it shows of the catalogue (see dependencies.py)
    produce: Callable[[], str | bytes] | None = None  # a data file, made without a template
    signature: str = ""  # set when the build is planned: equal signatures, equal file
    fiche: str | None = None  # the number of the fiche whose own page it is (see plan_fiche)

    @cached_property
    def file(self) -> str:
        """The file it is written to, inside the output folder."""
        return Urls.output_file(self.path).as_posix()


@dataclass
class Pagination(Generic[T]):
    items: Sequence[T]
    page: int
    pages: int
    total: int
    path_of: Callable[[int], str]
    # A list cut by first letter (see paginate_az): this page's letter, its pages numbered
    # within it; every letter with the path of its first page; the pages before and after it
    # in the whole list, across letters.
    lettre: str | None = None
    lettres: list[tuple[str, str]] = field(default_factory=list)
    avant: str | None = None
    apres: str | None = None

    @property
    def previous(self) -> str | None:
        if self.lettre is not None:
            return self.avant
        return self.path_of(self.page - 1) if self.page > 1 else None

    @property
    def next(self) -> str | None:
        if self.lettre is not None:
            return self.apres
        return self.path_of(self.page + 1) if self.page < self.pages else None

    @property
    def premiere(self) -> bool:
        """Whether it is the first page of the whole list."""
        return self.page == 1 and (self.lettre is None or self.lettre == self.lettres[0][0])


def paginate(items: Sequence[T], size: int, path_of: Callable[[int], str]) -> list[Pagination[T]]:
    pages = max(1, ceil(len(items) / size))
    return [Pagination(items[(n - 1) * size : n * size], n, pages, len(items), path_of) for n in range(1, pages + 1)]


LETTRES_DES = 8  # pages: a list longer than this is cut by first letter


def lettre_de(titre: str) -> str:
    """The letter a title is listed under: `École…` -> `E`; digits and signs under `0-9`."""
    return initiale(titre) or "0-9"


def paginate_az(items: Sequence[T], size: int, path_of: Callable[[str | None, int], str],
                titre: Callable[[T], str]) -> list[Pagination[T]]:
    """A list in title order, cut by first letter when it takes more than LETTRES_DES pages:
    each letter has its pages (`path_of(letter, n)`; the first letter's first page is the
    list's own address, `path_of(None, 1)`). An edit to a title then moves only the pages of
    its letter, and readers get an A–Z index. Shorter lists are numbered pages: cut by letter,
    they would make many pages of a few fiches."""
    if len(items) <= size * LETTRES_DES:
        return paginate(items, size, lambda n: path_of(None, n))
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(lettre_de(titre(item)), []).append(item)
    first = next(iter(groups))

    def where(letter: str, n: int) -> str:
        return path_of(None, 1) if letter == first and n == 1 else path_of(letter, n)

    letters = [(letter, where(letter, 1)) for letter in groups]
    pages: list[Pagination[T]] = []
    for letter, members in groups.items():
        for p in paginate(members, size, partial(where, letter)):
            p.lettre, p.lettres, p.total = letter, letters, len(items)
            pages.append(p)
    for before, after in zip(pages, pages[1:]):
        after.avant, before.apres = before.path_of(before.page), after.path_of(after.page)
    return pages


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
    """A fiche's own pages: its page, its JSON, its blocs, its places and its bodies."""
    own: list[Key] = [("fiche", fiche.numero), ("liens", fiche.numero)]
    pages = [Page(urls.fiche(fiche), ["fiche.html"], {"fiche": fiche}, deps=own)]
    if site.donnees_ouvertes.fiches_json:
        pages.append(Page(urls.fiche_json(fiche), [], in_sitemap=False, deps=[("fiche", fiche.numero)],
                          produce=partial(fiche_json, fiche)))
    summary = resumee(site, catalogue, fiche)  # then no pages for its blocs nor for its bodies
    blocs = [] if summary else catalogue.blocs(fiche)
    for i, bloc in enumerate(blocs):
        context = {
            "fiche": fiche,
            "bloc": bloc,
            "precedent": blocs[i - 1] if i > 0 else None,
            "suivant": blocs[i + 1] if i + 1 < len(blocs) else None,
        }
        pages.append(Page(urls.bloc(fiche, bloc), ["bloc.html"], context, deps=own))
    places = lieux(fiche)
    for n in range(1, places.pages + 1):
        context = {"fiche": fiche, "pagination": Pagination(places.page(n), n, places.pages, len(places.sur_place),
                                                            partial(urls.lieux, fiche))}
        pages.append(Page(urls.lieux(fiche, n), ["lieux.html"], context, deps=[("lieux de", fiche.numero)]))
    if nombre_de_pages(fiche) and not summary:
        ordered = en_ordre(fiche)
        index = lettres(ordered)
        for p in paginate(ordered, PAR_PAGE, partial(urls.organismes, fiche)):
            context = {"fiche": fiche, "pagination": p, "lettres": index}
            pages.append(Page(p.path_of(p.page), ["organismes.html"], context, deps=[("organismes", fiche.numero)]))
    for page in pages:
        page.fiche = fiche.numero
    return pages


def plan_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    per_page, donnees = site.fiches_par_page, site.donnees_ouvertes
    pages = plan_home(catalogue, urls, per_page)
    for fiche in catalogue.fiches:
        pages += plan_fiche(catalogue, urls, site, fiche)
    for taxonomy in catalogue.taxonomies.values():
        for p in paginate(taxonomy.terms, TERMS_PER_PAGE, lambda n, t=taxonomy.name: urls.taxonomy(t, n)):
            templates = [f"{taxonomy.name}/taxonomy.html", "taxonomy.html"]
            deps = [("taxonomie", taxonomy.name), *_listed(p)]
            pages.append(Page(p.path_of(p.page), templates, {"taxonomy": taxonomy, "pagination": p}, deps=deps))
        for term in taxonomy.terms:
            pages += plan_term(taxonomy, term, urls, per_page)
    fiche_files = [Urls.output_file(urls.fiche(f)).as_posix() for f in catalogue.fiches]  # the pages indexed
    parties = [k for k, part in enumerate(assign(fiche_files)) if part and k]  # the parts the search page merges
    pages.append(Page(urls.recherche(), ["recherche.html"], {"parties": parties}, deps=[("resume",), ("=", tuple(parties))]))
    pages.append(Page(urls.carte(), ["carte.html"], deps=[("carte",)]))
    exemple = min(catalogue.fiches, key=numero_order, default=None)
    pages.append(Page(urls.donnees(), ["donnees.html"], {"exemple": exemple}, deps=[("resume",), ("=", exemple and exemple.numero)]))
    pages.append(Page(urls.flux(), ["flux.xml"], in_sitemap=False, deps=[("flux",)]))
    pages.append(Page("404.html", ["404.html"], in_sitemap=False, deps=[("resume",)]))
    pages += plan_sitemaps(sorted(urls.absolute(p.path) for p in pages if p.in_sitemap), urls)
    pages.append(Page("robots.txt", ["robots.txt"], in_sitemap=False))
    return pages + plan_open_data(catalogue, urls, donnees)


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


def plan_open_data(catalogue: Catalogue, urls: Urls, donnees: DonneesOuvertes) -> list[Page]:
    """GeoJSON of every place of the catalogue (with the numbers of its fiches), the shared
    outlines of the maps, the catalogue as CSV and the schema of the fiches' JSON. (The towns
    of search near me are the builder's own data: they are copied with the assets.)"""
    files = [Page(urls.fond_de_carte(), [], in_sitemap=False, produce=fond_de_carte)]
    files.append(Page(urls.schema_fiche(), [], in_sitemap=False, produce=schema_json))
    if donnees.csv:
        files.append(Page(urls.catalogue_csv(), [], in_sitemap=False, deps=[EVERYTHING],
                          produce=partial(catalogue_csv, catalogue, urls, donnees.fiches_json)))
    files.append(Page(urls.carte_geojson(), [], in_sitemap=False, deps=[("lieux par numero",)],
                      produce=partial(geojson_catalogue, catalogue.fiches)))
    return files
