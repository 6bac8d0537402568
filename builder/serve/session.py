"""What a long-lived process (`catalogue serve`) keeps from one build to the next, so that an
edit to the text of a few fiches remakes their pages without reading and planning the whole
catalogue again: the catalogue, the plan, and which pages depend on what.

The shortcut applies only when nothing but fiche files changed, no fiche was added or removed,
and what other pages show of each edited fiche (`shown_elsewhere`) is the same; anything else
takes the whole way. Edited fiches are updated in place, so that every page, list and term that
holds them sees the new text.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from ..content.cache import ContentCache, known_hashes
from ..content.catalogue import check_files
from ..content import memo
from ..content.catalogue import Catalogue, fiche_order
from ..config import Config
from ..content.lignee import lignee, sur_une_boucle
from ..pages.dependencies import referenced
from ..errors import Problem, display_path
from ..output.publish import Publication
from ..pages.dependencies import Digests
from ..pages.render import make
from ..pages.urls import SEARCH_BUNDLE
from ..progress import Progress
from ..report import Report, Steps
from ..search import pages as search_pages, proximite
from ..search.index import index_site
from ..site import affected_keys, digests as site_digests, plan_fiche
from ..output.manifest import Manifest
from ..content.model import Fiche
from ..pages.page import EVERYTHING, Key, Page
from ..pages.plan import plan_home, plan_sitemaps, plan_term
from ..places.lieux import lieux
from ..places.partenaires import nombre_de_pages
from ..content.settings import Site
from ..content.taxonomy import Taxonomy, Term
from ..pages.urls import Urls

# Fields only the fiche's own pages (fiche, blocs, its GeoJSON) show. A change to any other
# field, or to the list of blocs, takes the whole way.
OWN_PAGES_ONLY = frozenset({
    "objectifs_contexte", "activites_visees", "capacites_attestees", "secteurs_activite", "type_emploi_accessibles",
    "reglementations_activites", "prerequis_entree_formation", "prerequis_validation_certification",
    "descriptif_composantes", "validite_composantes", "validation_partielle", "validation_partielle_perimetre",
    "niveau_maitrise_competences", "duree_validite", "modalites_renouvellement", "voies_acces",
    "date_decision", "date_effet", "date_dernier_jo", "date_limite_delivrance", "date_de_publication",
    "annees_promotions_niveau", "duree_enregistrement", "publication_decret_general", "publication_decret_creation",
    "publication_decret_autre", "statistiques", "statistiques_organismes", "partenaires", "lieux_certification",
    "autres_sources_information", "referentiel_url", "source_officielle", "formacodes", "ccn",
    "accessible_nouvelle_caledonie", "accessible_polynesie_francaise", "type_enregistrement", "etat_fiche", "blocs",
})


def shown_elsewhere(fiche: Fiche, titre: bool = True) -> tuple[Any, ...]:
    """What pages other than the fiche's own read of it: all but its own texts, and its blocs'
    codes (without its title: the rest)."""
    data = fiche.model_dump(exclude=set(OWN_PAGES_ONLY) | (set() if titre else {"intitule"}))
    pages = (nombre_de_pages(fiche), lieux(fiche).pages)  # its lists of bodies and places: as many pages as before
    return tuple(sorted(data.items(), key=lambda kv: kv[0])) + (tuple(b.code for b in fiche.blocs), pages)


def update_in_place(old: Fiche, new: Fiche) -> None:
    """Give `old` the content of `new` (same number, same blocs): the pages, lists and terms
    holding `old` then show the new text."""
    memo.forget(old)
    blocs = {b.code: b for b in new.blocs}
    for bloc in old.blocs:
        bloc.__dict__.update(blocs[bloc.code].__dict__)
    kept_blocs = old.blocs
    old.__dict__.update(new.__dict__)
    old.__dict__["blocs"] = kept_blocs
    object.__setattr__(old, "__pydantic_fields_set__", set(new.__pydantic_fields_set__))
    object.__setattr__(old, "__pydantic_private__", dict(new.__pydantic_private__ or {}))


@dataclass
class Last:
    """The last whole build of this process."""

    config: Config
    key: str  # global key
    files: dict[str, str]  # fiche file -> hash of its bytes
    site: Site
    urls: Urls
    env: Environment
    catalogue: Catalogue
    pages: list[Page]
    manifest: Manifest
    school: bool
    by_dep: dict[Key, list[Page]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_dep = defaultdict(list)
        self._depend(self.pages)

    def _depend(self, pages: list[Page]) -> None:
        for page in pages:
            for key in page.deps:
                self.by_dep[key].append(page)

    def _replace_pages(self, pages: list[Page]) -> None:
        """The plan is now `pages`: `by_dep` follows for the pages that left it or came in."""
        old, new = {id(page) for page in self.pages}, {id(page) for page in pages}
        dropped = old - new
        for key in {key for page in self.pages if id(page) in dropped for key in page.deps}:
            self.by_dep[key] = [page for page in self.by_dep[key] if id(page) not in dropped]
        self._depend([page for page in pages if id(page) not in old])
        self.pages = pages

    def replan(self, numeros: list[str]) -> bool:
        """The own pages of these (edited) fiches planned again: their context holds what was
        read of the fiche when it was planned (its bodies in order, its places by page, its
        blocs). False when they would not have the same addresses (then the whole way)."""
        wanted = set(numeros)
        fresh = {page.path: page for n in numeros
                 for page in plan_fiche(self.catalogue, self.urls, self.site, self.catalogue.by_numero[n])}
        old = {page.path for page in self.pages if page.fiche in wanted}
        if old != fresh.keys():
            return False
        self._replace_pages([fresh[page.path] if page.fiche in wanted else page for page in self.pages])
        return True

    def affected(self, numeros: list[str]) -> list[Page]:
        """The pages that show something of these fiches."""
        numbers = set(numeros)
        keys: list[Key] = [(kind, n) for n in numbers for kind in ("fiche", "carte de", "organismes", "lieux de")]
        for fiche in self.catalogue.fiches:  # fiches whose pages show these: they link to them...
            if numbers.intersection(referenced(fiche)):
                keys.append(("liens", fiche.numero))
        for n in numbers:  # ...or are named by them (as predecessors, successors, equivalents)...
            keys += [("liens", other) for other in referenced(self.catalogue.by_numero[n])]
            # ...or share a lineage with them (shown over several hops)
            keys += [("liens", x.numero) for x in lignee(self.catalogue, self.catalogue.by_numero[n]) if x.fiche]
        keys += affected_keys(self.catalogue, sorted(numbers))  # ...or list them (the features' own lists)
        pages = {id(page): page for key in keys for page in self.by_dep.get(key, [])}
        return list(pages.values())

    def lists_of(self, numeros: list[str]) -> list[tuple[Taxonomy, Term] | None]:
        """The lists of fiches that hold these fiches: the catalogue (None) and their terms."""
        wanted = {id(self.catalogue.by_numero[n]) for n in numeros}
        found: list[tuple[Taxonomy, Term] | None] = [None]
        for taxonomy in self.catalogue.taxonomies.values():
            found += [(taxonomy, term) for term in taxonomy.terms if any(id(f) in wanted for f in term.fiches)]
        return found

    def _list_pages(self, where: tuple[Taxonomy, Term] | None) -> list[Page]:
        per_page = self.site.fiches_par_page
        if where is None:
            return plan_home(self.catalogue, self.urls, per_page)
        return plan_term(where[0], where[1], self.urls, per_page)

    @staticmethod
    def _list_key(page: Page) -> object:
        """Which list of fiches a page is a page of: "home", a term (by identity), or None."""
        if page.templates == ["home.html"]:
            return "home"
        term = page.context.get("term")
        return id(term) if term is not None and "pagination" in page.context else None

    def relist(self, numeros: list[str]) -> tuple[list[Page], list[str]]:
        """After title edits: the lists holding these fiches put back in title order and planned
        again in place of their old pages (a list may gain or lose a page, or a letter; the
        sitemap then follows). Returns the pages to sign and the files no longer made."""
        wheres = self.lists_of(numeros)
        self.catalogue.fiches.sort(key=fiche_order)
        for where in wheres:
            if where is not None:
                where[1].fiches.sort(key=fiche_order)
        self.catalogue.__post_init__()  # successors, in title order
        fresh = [page for where in wheres for page in self._list_pages(where)]
        targets = {"home" if where is None else id(where[1]) for where in wheres}
        by_path = {page.path: page for page in fresh}
        gone = [page for page in self.pages if self._list_key(page) in targets and page.path not in by_path]
        dropped = {id(page) for page in gone}
        pages = [by_path.pop(page.path, page) for page in self.pages if id(page) not in dropped]
        pages += by_path.values()  # pages these lists did not have
        if gone or by_path:  # other addresses: a new sitemap
            sitemaps = plan_sitemaps(sorted(self.urls.absolute(p.path) for p in pages if p.in_sitemap), self.urls)
            new_paths = {page.path for page in sitemaps}
            gone += [page for page in pages if page.path.startswith("sitemap") and page.path not in new_paths]
            pages = [page for page in pages if not page.path.startswith("sitemap")] + sitemaps
            fresh += sitemaps
        self._replace_pages(pages)
        return fresh, [page.file for page in gone]

    def problems_with(self, replaced: dict[str, list[Problem]]) -> list[Problem]:
        """The last problems, with those of the files in `replaced` replaced."""
        kept = [p for p in self.manifest.problems if p.path not in replaced]
        return sorted(kept + [p for found in replaced.values() for p in found])


@dataclass
class Session:
    last: Last | None = None


QUICK_AT_MOST = 20  # edited fiches a quick rebuild takes on


def remake_edited(config: Config, inputs: str, key: str, files: dict[str, str], last: Last, publication: Publication,
                  steps: Steps, progress: Progress, index_later: bool) -> Report | None:
    """After edits to the text of a few fiches only: update them in the last catalogue and
    remake the pages that show them. None when anything else changed (then the whole way):
    the global key covers the settings, templates, address and date."""
    if config != last.config or last.school or key != last.key or files.keys() != last.files.keys():
        return None
    edited = [Path(f) for f, sha in files.items() if sha != last.files[f]]
    if not edited or len(edited) > QUICK_AT_MOST:
        return None
    cache = ContentCache(config.cache_folder)
    shown = [display_path(f, config.root) for f in edited]
    checked = check_files(edited, shown, cache)
    news: list[Fiche] = []
    retitled: dict[str, str] = {}  # fiches whose title only, of what other pages show, changed
    for found, _ in checked:
        new = found.fiche
        old = last.catalogue.by_numero.get(new.numero) if new else None
        if old is None or any(p.fails(config.strict) for p in found.problems):
            return None
        if shown_elsewhere(old) != shown_elsewhere(new):  # the number included
            if shown_elsewhere(old, titre=False) != shown_elsewhere(new, titre=False):
                return None
            retitled[new.numero] = new.intitule
        news.append(new)
    if any(sur_une_boucle(last.catalogue, f.numero) for f in news):
        return None  # its loop warning is located in its file: read again, the whole way
    steps.done("load and validate")
    for (path, (found, sha)), shown_as in zip(zip(edited, checked), shown):
        old = last.catalogue.by_numero[found.fiche.numero]
        cache.forget(shown_as, last.files[str(path)])  # the cached fiche of the old bytes is the one updated
        update_in_place(old, found.fiche)
        last.catalogue.digests[old.numero] = sha
        last.catalogue.entries[old.numero] = cache.name(shown_as, sha)  # where its full fiche is
        last.files[str(path)] = sha
    if not last.replan([f.numero for f in news]):
        return None
    candidates, gone = [], []
    if retitled:  # lists in title order, and the map page (it names the fiches prepared at a distance)
        candidates, gone = last.relist(list(retitled))
        candidates += last.by_dep.get(("carte",), [])
    candidates += [page for key in (("flux",), EVERYTHING) for page in last.by_dep.get(key, [])]  # the feed, the CSV
    candidates = list({id(page): page for page in candidates + last.affected([f.numero for f in news])}.values())
    digests = Digests(last.catalogue, site_digests())
    todo = []
    for page in candidates:
        page.signature = digests.signature(key, page.path, page.deps)
        if page.signature != last.manifest.signatures.get(page.path):  # what it shows changed
            todo.append(page)
    publication.keep_all_but({page.file for page in todo} | set(gone), SEARCH_BUNDLE)
    output = publication.output
    steps.done("plan pages")
    publication.make(todo, partial(make, last.env, {"site": last.site, "catalogue": last.catalogue, "urls": last.urls}), progress)
    steps.done("render and write")
    index, stale = index_site(output, progress, index_later, partial(proximite.place_files, last.catalogue, last.urls),
                               *search_pages.inactives(last.catalogue, last.urls, last.site))
    steps.done("index for search")
    problems = last.problems_with({s: c.problems for (c, _), s in zip(checked, shown)})
    planned = {page.path for page in last.pages}
    signatures = {path: sig for path, sig in {**last.manifest.signatures, **{page.path: page.signature for page in todo}}.items()
                  if path in planned}
    count = sum(1 for page in last.pages if page.produce is None)
    manifest = Manifest(inputs, signatures, dict(output.hashes), problems, count, index, stale,
                        known_hashes(list(files)))
    publication.commit(manifest)
    last.manifest = manifest
    steps.done("move changes in")
    return Report(problems, last.urls.base_path, manifest.pages, steps.total, steps.seconds, index,
                  len(output.hashes) - len(output.changed), len(output.changed), len(output.removed()), len(todo),
                  len(edited), index_put_off=stale, quick=True)
