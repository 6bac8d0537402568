"""What a build is made from: the site settings, its address, its templates, and a hash of all
of them with every fiche file, so that a build can tell at once that nothing changed, and what
every page depends on (the global key)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .config import Config
from .content.cache import file_hash
from .content.catalogue import fiche_files
from .content.settings import Site, read_site
from .errors import BuildError
from .files import builder_version
from .pages.urls import Urls, normalise_base_path


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
