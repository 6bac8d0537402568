"""The build, step by step: read and check the content, plan the pages, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .carte import geojson_catalogue, geojson_fiche
from .catalogue import Catalogue, read_catalogue
from .config import Config
from .errors import BuildError, ContentError, Problem
from .pages import plan_pages
from .render import make_environment, render
from .search import Index, index_site
from .settings import Site, read_site
from .urls import Urls, normalise_base_path
from .write import Output


@dataclass
class Report:
    problems: list[Problem]
    base_path: str = "/"
    pages: int = 0
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    index: Index | None = None
    files_kept: int = 0  # identical to the previous build's: not rewritten, timestamps kept
    files_new: int = 0


def check(config: Config) -> tuple[Site, Catalogue, list[Problem]]:
    """Read and validate everything; raise ContentError with every problem found."""
    site, site_problems = read_site(config.content, config.root)
    catalogue, problems = read_catalogue(config.content, config.root, config.today)
    problems = site_problems + problems
    failing = [p for p in problems if p.severity == "error" or config.strict]
    if failing or site is None or catalogue is None:
        raise ContentError(problems)
    return site, catalogue, sorted(problems)


def build(config: Config) -> Report:
    started = time.perf_counter()
    steps: dict[str, float] = {}

    def step(name: str, since: float) -> float:
        now = time.perf_counter()
        steps[name] = now - since
        return now

    site, catalogue, problems = check(config)
    t = step("load and validate", started)
    urls = make_urls(config, site)
    template_dirs = find_template_dirs(config, site)
    env = make_environment(template_dirs)
    pages = plan_pages(catalogue, urls, site.fiches_par_page)
    t = step("plan pages", t)
    output = Output(config.out, protected=[config.root, config.content, config.templates])
    try:
        common = {"site": site, "catalogue": catalogue, "urls": urls}
        for page in pages:
            html = render(env, page.templates, {**common, **page.context, "page": page})
            output.write(urls.output_file(page.path), html)
        t = step("render and write", t)
        write_open_data(output, catalogue, urls)
        t = step("open data", t)
        if site.logo:  # checked to be an image inside the project
            logo = config.root / site.logo
            output.write(urls.output_file(urls.logo(site.logo_suffix)), logo.read_bytes())
        for folder in template_dirs:
            if (folder / "static").is_dir():
                output.copy_tree(folder / "static", "assets")
        t = step("copy assets", t)
        index = index_site(output.staging)
        t = step("index for search", t)
        kept, new = output.keep_unchanged()
        t = step("keep unchanged files", t)
        output.commit()
    finally:
        output.abort()
    step("swap", t)
    return Report(problems, urls.base_path, len(pages), time.perf_counter() - started, steps, index, kept, new)


def write_open_data(output: Output, catalogue: Catalogue, urls: Urls) -> None:
    """GeoJSON of the places: one file per fiche, one for the whole catalogue."""
    for fiche in catalogue.fiches:
        output.write(urls.output_file(urls.lieux_geojson(fiche)), geojson_fiche(fiche))
    output.write(urls.output_file(urls.carte_geojson()), geojson_catalogue(catalogue.fiches))


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
