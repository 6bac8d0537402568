"""The build, step by step: read and check the content, plan the pages, make those whose
inputs changed, index them for search, and put the new site in place."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path

from .cache import ContentCache, builder_version, digest, file_hash, known_hashes, trust_hashes
from .catalogue import Catalogue, check_files, fiche_files, read_catalogue
from .config import Config
from .dependencies import Digests
from .errors import BuildError, ContentError, Problem, display_path
from .manifest import Manifest, read_manifest, save_manifest
from .pages import EVERYTHING, Page, plan_pages
from .progress import Progress
from .render import environment, render_pages
from .model import Fiche
from .search import PARTS_FOLDER, Index, assign, index_part, part_folder
from .session import Last, Session, shown_elsewhere, update_in_place
from .settings import Site, read_site
from .urls import INDEXED_PAGES, SEARCH_BUNDLE, Urls, normalise_base_path
from . import proximite
from .proximite import fragment_address
from .write import Output, StaleSite


@dataclass
class Report:
    problems: list[Problem]
    base_path: str = "/"
    pages: int = 0  # files the site is made of (pages and data files)
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    index: Index | None = None
    files_kept: int = 0  # identical to the previous build's: not rewritten, timestamps kept
    files_new: int = 0  # new or changed: written
    files_removed: int = 0  # no longer made: removed
    rendered: int = 0  # pages and data files made (the others' inputs had not changed)
    fiches_read: int = 0  # fiche files parsed and validated (the others came from the cache)
    nothing_changed: bool = False  # same inputs as the site's last build: nothing was done
    index_put_off: bool = False  # fiche pages changed but the search index was not updated (yet)
    quick: bool = False  # only the text of a few fiches changed: their pages were remade from the last plan


class Steps:
    """Time spent in each step of a build, in order."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def check(config: Config, cache: ContentCache | None = None) -> tuple[Site, Catalogue, list[Problem]]:
    """Read and validate everything; raise ContentError with every problem found."""
    site, site_problems = read_site(config.content, config.root)
    catalogue, problems = read_catalogue(config.content, config.root, config.today, cache)
    problems = site_problems + problems
    _raise_if_failing(config, problems)
    if site is None or catalogue is None:
        raise ContentError(problems)
    return site, catalogue, sorted(problems)


def _raise_if_failing(config: Config, problems: list[Problem]) -> None:
    if any(p.fails(config.strict) for p in problems):
        raise ContentError(problems)


def build(config: Config, progress: Progress | None = None, index_later: bool = False,
          session: Session | None = None) -> Report:
    """Read, check, plan, render what changed, index, and put the site in place.

    For `catalogue serve`: `index_later` keeps the previous search index when fiche pages
    changed, and says so (the next build, even with nothing changed, updates it); `session`
    keeps the catalogue and the plan between builds, for a quick rebuild after text edits."""
    progress = progress or Progress(quiet=True)
    session = session or Session()
    steps = Steps()
    out = Output(config.out, protected=[config.root, config.content, config.templates])
    last = session.last if config.use_cache else None
    marker = out.marker_id()
    if last is not None and marker == last.manifest.build_id:
        previous: Manifest | None = last.manifest  # as this process left it: not read again
    else:
        last = None
        previous = read_manifest(config.cache_folder, config.out, marker)
    if previous is not None:
        trust_hashes(previous.stats)
    site, inputs, key, files = read_inputs(config)
    if not inputs:
        previous = None
    if previous is not None and previous.inputs == inputs and not previous.index_stale:  # nothing changed
        out.abort()
        _raise_if_failing(config, previous.problems)
        steps.done("compare with the last build")
        return Report(previous.problems, make_urls(config, site).base_path, previous.pages, steps.total, steps.seconds,
                      previous.index, files_kept=len(previous.hashes), nothing_changed=True)
    out.previous = previous
    try:
        if last is not None and previous is not None:
            quick = _remake_edited(config, inputs, key, files, last, out, steps, progress, index_later)
            if quick is not None:
                return quick
        return _build(config, inputs, key, files, out, steps, progress, index_later, session)
    except StaleSite:  # another build committed meanwhile: build again, whole
        out.abort()
        out = Output(config.out, protected=[config.root, config.content, config.templates])
        return _build(config, inputs, key, files, out, steps, progress, index_later, session)
    finally:
        out.abort()


def _build(config: Config, inputs: str, key: str, files: dict[str, str], output: Output, steps: Steps,
           progress: Progress, index_later: bool, session: Session) -> Report:
    """The whole way: every fiche (from the cache when unchanged), the whole plan. `key` and
    `files` are as `read_inputs` found them."""
    cache = ContentCache(config.cache_folder)
    site, catalogue, problems = check(config, cache)
    steps.done("load and validate")
    urls = make_urls(config, site)
    template_dirs = find_template_dirs(config, site)
    key = key or global_key(config, site, urls, template_dirs)  # empty if a file vanished since
    env = environment(template_dirs, key, config.cache_folder)
    pages = plan_pages(catalogue, urls, site)
    todo = pages_to_make(pages, catalogue, key, output, school=len(template_dirs) > 1)
    steps.done("plan pages")
    render_pages(env, todo, {"site": site, "catalogue": catalogue, "urls": urls}, output, progress)
    steps.done("render and write")
    copy_assets(output, config, site, urls, template_dirs)
    steps.done("copy assets")
    index, stale = update_index(output, progress, index_later, partial(proximite.place_files, catalogue, urls))
    steps.done("index for search")
    kept, new = output.keep_unchanged()
    steps.done("keep unchanged files")
    signatures = {page.path: page.signature for page in pages}
    count = sum(1 for page in pages if page.produce is None)
    manifest = Manifest(inputs, signatures, dict(output.hashes), problems, count, index, stale, known_hashes(list(files)))
    output.commit(manifest.build_id)
    save_manifest(config.cache_folder, config.out, manifest)
    steps.done("swap" if not output.delta else "move changes in")
    session.last = Last(config, key, files, site, urls, env, catalogue, pages, manifest, school=len(template_dirs) > 1)
    return Report(problems, urls.base_path, count, steps.total, steps.seconds, index, kept, new,
                  len(output.removed()), len(todo), len(cache.seen) - cache.hits, index_put_off=stale)


QUICK_AT_MOST = 20  # edited fiches a quick rebuild takes on


def _remake_edited(config: Config, inputs: str, key: str, files: dict[str, str], last: Last, output: Output,
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
    steps.done("load and validate")
    for (path, (found, sha)), shown_as in zip(zip(edited, checked), shown):
        old = last.catalogue.by_numero[found.fiche.numero]
        cache.forget(shown_as, last.files[str(path)])  # the cached fiche of the old bytes is the one updated
        update_in_place(old, found.fiche)
        last.catalogue.digests[old.numero] = sha
        last.files[str(path)] = sha
    if not last.replan([f.numero for f in news]):
        return None
    candidates, gone = [], []
    if retitled:  # lists in title order, and the map page (it names the fiches prepared at a distance)
        candidates, gone = last.relist(list(retitled))
        candidates += last.by_dep.get(("carte",), [])
    candidates += [page for key in (("flux",), EVERYTHING) for page in last.by_dep.get(key, [])]  # the feed, the CSV
    candidates = list({id(page): page for page in candidates + last.affected([f.numero for f in news])}.values())
    digests = Digests(last.catalogue)
    todo = []
    for page in candidates:
        page.signature = digests.signature(key, page.path, page.deps)
        if page.signature != last.manifest.signatures.get(page.path):  # what it shows changed
            todo.append(page)
    remade = {page.file for page in todo} | set(gone)
    for path in last.manifest.hashes:
        if path not in remade and not path.startswith(SEARCH_BUNDLE):
            output.keep(path)
    steps.done("plan pages")
    render_pages(last.env, todo, {"site": last.site, "catalogue": last.catalogue, "urls": last.urls}, output, progress)
    steps.done("render and write")
    index, stale = update_index(output, progress, index_later, partial(proximite.place_files, last.catalogue, last.urls))
    steps.done("index for search")
    problems = last.problems_with({s: c.problems for (c, _), s in zip(checked, shown)})
    planned = {page.path for page in last.pages}
    signatures = {path: sig for path, sig in {**last.manifest.signatures, **{page.path: page.signature for page in todo}}.items()
                  if path in planned}
    count = sum(1 for page in last.pages if page.produce is None)
    manifest = Manifest(inputs, signatures, dict(output.hashes), problems, count, index, stale,
                        known_hashes(list(files)))
    output.commit(manifest.build_id)
    save_manifest(config.cache_folder, config.out, manifest)
    last.manifest = manifest
    steps.done("move changes in")
    return Report(problems, last.urls.base_path, manifest.pages, steps.total, steps.seconds, index,
                  len(output.hashes) - len(output.changed), len(output.changed), len(output.removed()), len(todo),
                  len(edited), index_put_off=stale, quick=True)


def read_inputs(config: Config) -> tuple[Site | None, str, str, dict[str, str]]:
    """The site settings, a hash of every input of the build, the global key (see
    `global_key`), and the hash of each fiche file. The hashes are empty when the settings are
    wrong or a file cannot be read: the full check then reports it."""
    site, problems = read_site(config.content, config.root)
    if site is None or any(p.severity == "error" for p in problems):
        return site, "", "", {}
    try:
        key = global_key(config, site, make_urls(config, site), find_template_dirs(config, site))
    except BuildError:
        return site, "", "", {}
    h = hashlib.blake2b(key.encode(), digest_size=16)
    files = {}
    for file in fiche_files(config.content):
        sha = file_hash(file)
        if sha is None:
            return site, "", "", {}
        files[str(file)] = sha
        h.update(f"{file.name}\0{sha}\n".encode())
    return site, h.hexdigest(), key, files


def global_key(config: Config, site: Site, urls: Urls, template_dirs: list[Path]) -> str:
    """What every page depends on: the builder, templates, settings, address and date."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{builder_version()}\0{urls.base_path}\0{urls.origin}\0{config.today.isoformat()}\0".encode())
    h.update((config.content / "site.yaml").read_bytes())
    if site.logo:
        h.update((config.root / site.logo).read_bytes())
    for folder in template_dirs:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f"\0{folder}\0{file.relative_to(folder).as_posix()}\0".encode())
            h.update(file.read_bytes())
    return h.hexdigest()


def pages_to_make(pages: list[Page], catalogue: Catalogue, key: str, output: Output, school: bool) -> list[Page]:
    """Sign every page; those whose signature the previous build already made are kept.
    A school's own templates may read anything of the catalogue: they make every page
    depend on all of it."""
    digests = Digests(catalogue)
    previous = output.previous.signatures if output.previous else {}
    todo = []
    for page in pages:
        page.signature = digests.signature(key, page.path, [EVERYTHING] if school else page.deps)
        if previous.get(page.path) == page.signature:
            output.keep(page.file)
        else:
            todo.append(page)
    return todo


def copy_assets(output: Output, config: Config, site: Site, urls: Urls, template_dirs: list[Path]) -> None:
    """The logo, the templates' static files, and the towns search near me looks up (the
    gazetteer's: the builder's own data, the same for every catalogue)."""
    for path, text in proximite.town_files().items():
        output.write(path, text)
    if site.logo:  # checked to be an image inside the project
        logo = config.root / site.logo
        output.write(urls.output_file(urls.logo(site.logo_suffix)), logo.read_bytes())
    for folder in template_dirs:
        if (folder / "static").is_dir():
            output.copy_tree(folder / "static", "assets")


_INDEXED = re.compile(re.escape(INDEXED_PAGES).replace(r"\*", "[^/]*"))  # as Pagefind reads the glob


def update_index(output: Output, progress: Progress, later: bool = False,
                 extra: Callable[[dict[str, str]], dict[str, bytes]] | None = None) -> tuple[Index | None, bool]:
    """Index the fiche pages for search, in parts (see search.py): each part whose pages
    changed since it was last indexed is indexed again, the others are kept. `extra` gives
    files to add to the bundle once every part is in place (the places for search near me),
    from each page's Pagefind id (page address -> id): they are made again at every build,
    since they show more of the catalogue than the pages indexed. With `later`, parts whose
    pages changed are not indexed: the previous index is kept whole, and the result says it
    is stale (then `extra` waits too: it needs the new ids)."""
    indexed = sorted(path for path in output.hashes if _INDEXED.fullmatch(path))
    pages = assign(indexed)  # one fiche page per fiche, as the search page counts them
    parts = len(pages)
    made = tuple(digest("".join(f"{p}\0{output.hashes[p]}\n" for p in part).encode()) for part in pages)
    previous = output.previous
    before: Index | None = previous.index if previous is not None else None  # type: ignore[assignment]
    if previous is not None and later and (before is None or before.indexed != made):
        for path in previous.hashes:
            if path.startswith(SEARCH_BUNDLE):
                output.keep(path)
        return before, True
    same = before.indexed if before is not None and len(before.indexed) == parts else ()
    if same != made:
        progress.start("indexing for search", 0)
    words: list[int] = []  # per part
    for part, part_pages in enumerate(pages):
        if same and same[part] == made[part]:  # kept, with its count
            assert previous is not None and before is not None
            for path in previous.hashes:
                if path.startswith(SEARCH_BUNDLE) and _part_of_file(path) == part:
                    output.keep(path)
            words.append(before.part_words[part])
            continue
        if not part_pages:  # an empty part has no bundle (see search.assign)
            words.append(0)
            continue
        index, files = _index_part(output, part_pages, script=part == 0)
        words.append(index.words)
        for name, data in files.items():
            output.write(SEARCH_BUNDLE + part_folder(part) + name, data)
    known = before.fragments if before is not None else {}
    fragments = {path: known.get(path) or fragment_address(output.file(path)) for path in sorted(output.hashes)
                 if path.startswith(SEARCH_BUNDLE) and path.endswith(".pf_fragment")}  # kept parts: not read again
    if extra is not None:
        ids = {address: path.rsplit("/", 1)[1].removesuffix(".pf_fragment") for path, address in fragments.items()}
        for path, data in extra(ids).items():
            output.write(SEARCH_BUNDLE + path, data)
    files = [path for path in output.hashes if path.startswith(SEARCH_BUNDLE)]
    total = Index(len(indexed), sum(words), len(files), sum(output.file(p).stat().st_size for p in files),
                  parts, made, tuple(words), fragments)
    return total, False


def _part_of_file(path: str) -> int | None:
    """The part a file of the search bundle belongs to (None: the places for search near me)."""
    inside = path[len(SEARCH_BUNDLE):]
    if inside.startswith(PARTS_FOLDER):
        return int(inside[len(PARTS_FOLDER):].split("/", 1)[0])
    return None if inside.startswith(proximite.FOLDER) else 0


def _index_part(output: Output, indexed: list[str], script: bool) -> tuple[Index, dict[str, bytes]]:
    """Index these pages of the new site, through a view of it (links to the files)."""
    view = Path(tempfile.mkdtemp(prefix=output.staging.name + "-index-", dir=output.staging.parent))
    try:
        for path in indexed:
            (view / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(output.file(path), view / path)
        return index_part(view, view.parent / (view.name + "-bundle"), script)
    finally:
        shutil.rmtree(view, ignore_errors=True)
        shutil.rmtree(view.parent / (view.name + "-bundle"), ignore_errors=True)


def make_urls(config: Config, site: Site) -> Urls:
    base_path = config.base_path if config.base_path is not None else site.base_path
    try:
        return Urls(normalise_base_path(base_path), site.origin)
    except ValueError as exc:
        raise BuildError(f"--base-path: {exc}") from None


def find_template_dirs(config: Config, site: Site) -> list[Path]:
    """The school's own templates first (from site.yaml), then the project's."""
    dirs = []
    if site.dossier_gabarits:
        school = (config.root / site.dossier_gabarits).resolve()
        if not school.is_dir():
            raise BuildError(f"content/site.yaml: dossier_gabarits: folder {site.dossier_gabarits} not found")
        dirs.append(school)
    if not config.templates.is_dir():
        raise BuildError(f"templates folder not found: {config.templates}")
    dirs.append(config.templates)
    return dirs
