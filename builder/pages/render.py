"""The Jinja environment: autoescape, StrictUndefined, a school's templates before ours."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, pass_context, select_autoescape
from jinja2.bccache import Bucket

from ..files import write_atomically
from ..errors import BuildError

if TYPE_CHECKING:
    from .page import Page
from ..reference.nomenclature import HABILITATIONS, NIVEAUX, VOIES, VOIES_COURTES, departement_of, rome_domaine, rome_existe
from .plan import resumee
from .text import date_fr, date_partielle_fr, markdown, nombre_fr, plier


class CompiledTemplates(BytecodeCache):
    """Templates compiled once: kept in memory for this process (and the workers it forks), and
    in the cache folder for the next process. An entry is keyed by the template's name and
    file, and checked against a hash of its source: an edited template is compiled again."""

    memory: dict[str, bytes] = {}

    def __init__(self, folder: Path | None):
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if data is not None:
            bucket.bytecode_from_string(data)  # a stale entry (other source) leaves the bucket empty

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomically(self.folder / bucket.key, data)
            except OSError:
                pass


def make_environment(template_dirs: list[Path], cache_folder: Path | None = None,
                     extra: dict[str, Any] | None = None) -> Environment:
    """The environment, with the pages' own filters and helpers, and `extra` ones (the
    features', see builder/site.py)."""
    env = Environment(
        loader=FileSystemLoader([str(d) for d in template_dirs]),
        bytecode_cache=CompiledTemplates(cache_folder / "gabarits" if cache_folder else None),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown, date_fr=date_fr, nombre_fr=nombre_fr, date_partielle_fr=date_partielle_fr)
    env.tests["contains"] = lambda sequence, item: item in sequence
    env.globals.update(NIVEAUX=NIVEAUX, VOIES=VOIES, VOIES_COURTES=VOIES_COURTES, HABILITATIONS=HABILITATIONS, departement_of=departement_of,
                       rome_domaine=rome_domaine, rome_existe=rome_existe, plier=plier)
    env.globals.update(resumee=pass_context(lambda context, fiche: resumee(context["site"], context["catalogue"], fiche)))
    env.globals.update(extra or {})
    return env


_COMPILED: dict[tuple[tuple[Path, ...], str], Environment] = {}


def environment(template_dirs: list[Path], key: str, cache_folder: Path | None = None,
                extra: dict[str, Any] | None = None) -> Environment:
    """One environment per process for the same templates (`key` hashes their files), so that
    each template is compiled once, including across the rebuilds of `catalogue serve`, and
    across processes through the cache folder."""
    wanted = (tuple(template_dirs), key)
    if wanted not in _COMPILED:
        _COMPILED.clear()
        _COMPILED[wanted] = make_environment(template_dirs, cache_folder, extra)
    return _COMPILED[wanted]


def render(env: Environment, names: list[str], context: dict[str, Any]) -> str:
    """Render the first template of `names` that exists; template mistakes become BuildError."""
    try:
        return env.select_template(names).render(context)
    except (TemplateError, TypeError, ValueError, LookupError, AttributeError, ArithmeticError) as exc:
        # a school's template can fail in any of these ways: say where, never a traceback
        raise BuildError(f"{_where(exc)}: {type(exc).__name__}: {exc}") from exc


def _where(exc: Exception) -> str:
    """The template file and line where the error happened."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not name:
        for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
            if frame.filename.endswith((".html", ".xml", ".txt")):
                name, line = frame.filename, frame.lineno
                break
    return f"{name or 'template'}:{line or 0}"


def make(env: Environment, common: dict[str, Any], page: Page) -> str | bytes:
    """A page's bytes: its template rendered with what every page sees and its own context, or
    its data made. A fiche's own page is made from the fiche whole."""
    context = page.context
    if page.fiche is not None:
        fiche = common["catalogue"].complete(page.fiche)
        if page.produce is not None:
            return page.produce(fiche)
        context = page.fill(fiche) if page.fill is not None else {"fiche": fiche}
    elif page.produce is not None:
        return page.produce()
    return render(env, page.templates, {**common, **context, "page": page})
