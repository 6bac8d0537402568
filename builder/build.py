"""The build, step by step: compare the inputs with the last build, read and check the
content, plan the pages, make those whose inputs changed, index them for search, and put the
new site in place.

    inputs ──> content/ ──> site.py + pages/ ──> pages/render ──> search/index ──> output/publish
    (hashes)   (read,      (plan every page,     (the pages whose   (the parts      (staging folder
               check)       sign it)              signature changed) that changed)   put in place)
"""

from __future__ import annotations

from functools import partial

from . import heap
from .config import Config
from .content.cache import ContentCache, forget_checked, known_hashes, trust_hashes
from .content.catalogue import Catalogue, read_catalogue
from .content.settings import Site, read_site, site_advice
from .errors import BuildError, ContentError, Problem
from .inputs import find_template_dirs, global_key, make_urls, read_inputs
from .output.manifest import Manifest
from .output.publish import Publication, StaleSite
from .pages.dependencies import Digests
from .pages.render import environment, make
from .pages.urls import Urls
from .progress import Progress
from .report import Report, Steps
from .search import pages as search_pages, proximite
from .search.index import index_site
from .serve.session import Last, Session, remake_edited
from .site import relate, digests, plan_site, template_globals


def check(config: Config, cache: ContentCache | None = None) -> tuple[Site, Catalogue, list[Problem]]:
    """Read and validate everything; raise ContentError with every problem found."""
    site, site_problems = read_site(config.content, config.root)
    catalogue, problems = read_catalogue(config.content, config.root, config.today, cache)
    problems = site_problems + problems
    _raise_if_failing(config, problems)
    if site is None or catalogue is None:
        raise ContentError(problems)
    problems += site_advice(config.content, config.root, site)  # once the settings are valid
    _raise_if_failing(config, problems)
    return site, catalogue, sorted(problems)


def _raise_if_failing(config: Config, problems: list[Problem]) -> None:
    if any(p.fails(config.strict) for p in problems):
        raise ContentError(problems)


def build(config: Config, progress: Progress | None = None, index_later: bool = False,
          session: Session | None = None, steps: Steps | None = None) -> Report:
    """Read, check, plan, render what changed, index, and put the site in place.

    For `catalogue serve`: `index_later` keeps the previous search index when fiche pages
    changed, and says so (the next build, even with nothing changed, updates it); `session`
    keeps the catalogue and the plan between builds, for a quick rebuild after text edits."""
    progress = progress or Progress(quiet=True)
    session = session or Session()
    steps = steps or Steps()
    with Publication(config) as publication:
        last = session.last if config.use_cache else None
        previous = publication.last_build(last.manifest if last is not None else None)
        if last is not None and previous is not last.manifest:
            last = None  # the site moved on since this process built it
        if previous is not None:
            trust_hashes(previous.stats)  # fiche files whose stat is unchanged are not read again
        site, inputs, key, files = read_inputs(config)
        if not inputs:
            previous = None
        if previous is not None and previous.inputs == inputs and not previous.index_stale:
            _raise_if_failing(config, previous.problems)
            steps.done("compare with the last build")
            return Report(previous.problems, make_urls(config, site).base_path, previous.pages, steps.total, steps.seconds,
                          previous.index, files_kept=len(previous.hashes), nothing_changed=True)
        publication.build_on(previous)
        try:
            try:
                if last is not None and previous is not None:
                    quick = remake_edited(config, inputs, key, files, last, publication, steps, progress, index_later)
                    if quick is not None:
                        return quick
                return _build(config, inputs, key, files, publication, steps, progress, index_later, session)
            except StaleSite:  # another build committed meanwhile: build again, whole
                publication.restart()
                return _build(config, inputs, key, files, publication, steps, progress, index_later, session)
        except BuildError:  # the next build of this process starts afresh: the whole way, fiches read again
            session.last = None
            forget_checked(config.cache_folder)
            raise


def _build(config: Config, inputs: str, key: str, files: dict[str, str], publication: Publication, steps: Steps,
           progress: Progress, index_later: bool, session: Session) -> Report:
    """The whole way: every fiche (from the cache when unchanged), the whole plan. `key` and
    `files` are as `read_inputs` found them."""
    # where the full fiches wait for their pages (in a folder of this build's own with --no-cache)
    cache = ContentCache(config.cache_folder) if config.cache_folder else ContentCache(publication.scratch(), remember=False)
    heap.replaced()
    with heap.reading():
        site, catalogue, problems = check(config, cache)
    steps.done("load and validate")
    relate(catalogue)
    steps.done("relate fiches")
    urls = make_urls(config, site)
    template_dirs = find_template_dirs(config, site)
    key = key or global_key(config, site, urls, template_dirs)  # empty if a file vanished since
    school = len(template_dirs) > 1
    env = environment(template_dirs, key, config.cache_folder, template_globals())
    pages = plan_site(catalogue, urls, site)
    todo = publication.sign(pages, Digests(catalogue, digests()), key, school)
    steps.done("plan pages")
    publication.make(todo, partial(make, env, {"site": site, "catalogue": catalogue, "urls": urls}), progress)
    steps.done("render and write")
    output = publication.output
    copy_assets(publication, config, site, urls, template_dirs)
    steps.done("copy assets")
    index, stale = index_site(output, progress, index_later, partial(proximite.place_files, catalogue, urls),
                               *search_pages.inactives(catalogue, urls, site))
    steps.done("index for search")
    kept, new = output.keep_unchanged()
    steps.done("keep unchanged files")
    count = sum(1 for page in pages if page.produce is None)
    manifest = Manifest(inputs, {page.path: page.signature for page in pages}, dict(output.hashes), problems, count,
                        index, stale, known_hashes(list(files)))
    publication.commit(manifest)
    steps.done("swap" if not output.delta else "move changes in")
    session.last = Last(config, key, files, site, urls, env, catalogue, pages, manifest, school=school)
    heap.settled()
    return Report(problems, urls.base_path, count, steps.total, steps.seconds, index, kept, new,
                  len(output.removed()), len(todo), len(cache.seen) - cache.hits, index_put_off=stale)


def copy_assets(publication: Publication, config: Config, site: Site, urls: Urls, template_dirs: list) -> None:
    """The logo, the templates' static files, and the towns search near me looks up (the
    gazetteer's: the builder's own data, the same for every catalogue)."""
    output = publication.output
    for path, text in proximite.town_files().items():
        output.write(path, text)
    if site.logo:  # checked to be an image inside the project
        logo = config.root / site.logo
        output.write(urls.output_file(urls.logo(site.logo_suffix)), logo.read_bytes())
    for folder in template_dirs:
        if (folder / "static").is_dir():
            output.copy_tree(folder / "static", "assets")
