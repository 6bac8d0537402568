"""Read every fiche, validate it, check the catalogue as a whole, and gather it."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BuildError, Problem, display_path, field_path
from .fieldtypes import NUMERO_PATTERN
from ..reference.geo import gazetteer
from .lint import lint
from ..parallel import fork_map
from ..files import digest
from .cache import ContentCache, file_hash
from .legere import allegee, partager
from .lignee import boucles
from .load import Document, read_bytes, read_document, read_text
from . import memo
from .places import Place, places
from .model import Bloc, Correspondance, Fiche
from .provenance import mark_official
from .rules import check_fiche
from ..slugs import normalise, sort_key
from .taxonomy import Taxonomy, Term, build_taxonomies
from .validate import validate


_LAST: list = []  # (number, entry) and the full fiche last asked of `Catalogue.complete`


@dataclass
class Catalogue:
    fiches: list[Fiche]  # sorted by title, then number
    taxonomies: dict[str, Taxonomy]
    today: dt.date
    digests: dict[str, str] = field(default_factory=dict)  # numero -> hash of its file: what a page built from it depends on
    entries: dict[str, str] = field(default_factory=dict)  # numero -> its entry in the cache (its full fiche)
    source: ContentCache | None = None  # where the full fiches are
    by_numero: dict[str, Fiche] = field(init=False)
    _successeurs: dict[str, list[Fiche]] = field(init=False)  # number -> fiches naming it as predecessor
    _predecesseurs: dict[str, list[Fiche]] = field(init=False)  # number -> fiches naming it as successor
    _declarations: dict[str, list[tuple[Fiche, Correspondance]]] = field(init=False)  # number -> equivalences naming it
    _terms: dict[tuple[str, str], Term] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.by_numero = {f.numero: f for f in self.fiches}
        self._successeurs, self._predecesseurs, self._declarations = {}, {}, {}
        for fiche in self.fiches:
            for ancienne in fiche.anciennes_certifications:
                self._successeurs.setdefault(ancienne.numero, []).append(fiche)
            for nouvelle in fiche.nouvelles_certifications:
                self._predecesseurs.setdefault(nouvelle.numero, []).append(fiche)
            for correspondance in fiche.correspondances:
                if correspondance.numero != fiche.numero:
                    self._declarations.setdefault(correspondance.numero, []).append((fiche, correspondance))

    def est_active(self, fiche: Fiche) -> bool:
        """Active unless marked inactive or past the end of its registration (on the build date)."""
        if fiche.actif is False:
            return False
        return fiche.date_fin_enregistrement is None or fiche.date_fin_enregistrement >= self.today

    def complete(self, numero: str) -> Fiche:
        """A fiche whole (the catalogue holds light fiches, see legere.py), read again from the
        cache: the process that makes its pages asks for it, then lets it go. The last one asked
        is kept, for its next page."""
        if _LAST and _LAST[0] == (numero, self.entries.get(numero)):
            return _LAST[1]
        checked = self.source.full(self.entries[numero]) if self.source is not None and numero in self.entries else None
        if checked is None or checked.fiche is None:  # removed meanwhile (by a build of another version)
            raise BuildError(f"{numero}: its checked fiche is no longer in the cache folder (another build, of another "
                             "version of the builder, replaced it): build again")
        if _LAST:
            memo.forget(_LAST[1])
        _LAST[:] = [(numero, self.entries.get(numero)), checked.fiche]
        return checked.fiche

    def term_index(self) -> dict[tuple[str, str], Term]:
        """Every taxonomy term by (taxonomy name, slug)."""
        if self._terms is None:
            self._terms = {(t.name, term.slug): term for t in self.taxonomies.values() for term in t.terms}
        return self._terms

    def fiche(self, numero: str) -> Fiche | None:
        return self.by_numero.get(numero)

    @staticmethod
    def blocs(fiche: Fiche) -> list[Bloc]:
        """A fiche's blocs in code order (the official export lists them in any order)."""
        return sorted(fiche.blocs, key=lambda b: b.code)

    @staticmethod
    def jurys_communs(fiche: Fiche) -> list[tuple[str, list[str]]]:
        """Jury compositions written alike for several access routes (the official export
        repeats one text for all six, often): each once, with its routes, in route order."""
        routes: dict[str, list[str]] = {}
        for code, voie in fiche.voies_acces:
            if voie.composition_jury:
                routes.setdefault(voie.composition_jury, []).append(code)
        return [(text, codes) for text, codes in routes.items() if len(codes) > 1]

    @staticmethod
    def lieux_sur_place(fiche: Fiche) -> list[tuple[str | None, list[Place]]]:
        """Places with an address, located, grouped by the certifier that declared them
        (undeclared last)."""
        names = {normalise(c.nom): c.nom for c in fiche.certificateurs}  # as the fiche spells them
        groups: dict[str | None, tuple[str | None, list[Place]]] = {}
        for place in places(fiche)[0]:
            lieu = place.lieu
            if not lieu.a_distance:
                key = normalise(lieu.declare_par) if lieu.declare_par else None
                groups.setdefault(key, (names.get(key or "", lieu.declare_par), []))[1].append(place)
        return [groups[key] for key in sorted(groups, key=lambda k: (k is None, k or ""))]

    def successeurs(self, fiche: Fiche) -> list[Fiche]:
        """Fiches of the catalogue that name this one as their predecessor."""
        return self._successeurs.get(fiche.numero, [])

    def successeurs_par_numero(self, numero: str) -> list[Fiche]:
        return self._successeurs.get(numero, [])

    def predecesseurs_par_numero(self, numero: str) -> list[Fiche]:
        """Fiches of the catalogue that name this number as their successor."""
        return self._predecesseurs.get(numero, [])

    def declarations_vers(self, fiche: Fiche, toutes: bool = False) -> list[tuple[Fiche, Correspondance]]:
        """The equivalences other fiches of the catalogue declare with this one: each with the
        fiche that declares it, in the catalogue's order; without those this fiche declares too
        (see `reciproque`), unless `toutes`."""
        found = self._declarations.get(fiche.numero, [])
        if toutes:
            return found
        own = {_sens(fiche.numero, c) for c in fiche.correspondances}
        return [(other, c) for other, c in found if _inverse(other.numero, c) not in own]

    def reciproque(self, fiche: Fiche, c: Correspondance) -> bool:
        """Whether the other fiche declares this equivalence too (the same blocs, seen from its side)."""
        other = self.by_numero.get(c.numero)
        return other is not None and _inverse(fiche.numero, c) in {_sens(other.numero, d) for d in other.correspondances}


def _sens(numero: str, c: Correspondance) -> tuple:
    """An equivalence as declared by fiche `numero`: (its blocs, the other fiche, their blocs)."""
    return (numero, tuple(sorted(c.bloc)), c.numero, tuple(sorted(c.bloc_correspondant)))


def _inverse(numero: str, c: Correspondance) -> tuple:
    """The same equivalence, as the other fiche would declare it."""
    return (c.numero, tuple(sorted(c.bloc_correspondant)), numero, tuple(sorted(c.bloc)))


def fiche_order(fiche: Fiche) -> tuple[str, str, int]:
    prefix = "RS" if fiche.est_rs else "RNCP"
    return (sort_key(fiche.intitule), prefix, int(fiche.numero_court))


def numero_order(fiche: Fiche) -> tuple[bool, int]:
    """By number, as numbers: RNCP9 before RNCP10, RS fiches after the RNCP ones."""
    return (fiche.est_rs, int(fiche.numero_court))


def fiche_files(content: Path) -> list[Path]:
    """The fiche files, `.yaml` then `.yml`, each by name."""
    folder = content / "fiches"
    try:
        names = sorted(entry.name for entry in os.scandir(folder))  # by name: 25,000 paths sort slowly
    except OSError:  # no folder (the check says so)
        return []
    return [folder / name for suffix in (".yaml", ".yml") for name in names if name.endswith(suffix)]


def read_catalogue(
    content: Path, root: Path, today: dt.date, cache: ContentCache | None = None
) -> tuple[Catalogue | None, list[Problem]]:
    """Every error of every file, then the catalogue if there was none. With a cache, a file
    whose bytes were already checked is not parsed or validated again."""
    files = fiche_files(content)
    if not files:
        folder = content / "fiches"
        return None, [Problem(display_path(folder, root), 0, 0, "", "no fiche found; add files named like rncp26224.yaml")]
    cache = cache or ContentCache(None)
    checked = check_files(files, [display_path(file, root) for file in files], cache)
    cache.save()
    problems = [p for c, _ in checked for p in c.problems] + _duplicates([c.numero for c, _ in checked if c.numero])
    if any(p.severity == "error" for p in problems):
        return None, problems
    ordered = sorted((c.fiche for c, _ in checked if c.fiche), key=fiche_order)
    partager(ordered)
    memo.forget_all_but(ordered)
    digests = {c.fiche.numero: sha for c, sha in checked if c.fiche}
    shown = {file: display_path(file, root) for file in files}
    entries = {c.fiche.numero: cache.name(shown[file], sha) for file, (c, sha) in zip(files, checked) if c.fiche}
    catalogue = Catalogue(ordered, build_taxonomies(ordered), today, digests, entries, cache)
    files_of = {c.fiche.numero: file for file, (c, _) in zip(files, checked) if c.fiche}
    return catalogue, problems + _boucles(catalogue, files_of, shown)


def _boucles(catalogue: Catalogue, files_of: dict[str, Path], shown: dict[Path, str]) -> list[Problem]:
    """A warning for each loop in the lineages (A replaced by B, B replaced by A), on the link
    of its first fiche that closes it: read again with positions, as such files are rare."""
    problems = []
    for loop in boucles(catalogue):
        first, following = loop[0], loop[1 % len(loop)]  # `following` replaces `first`
        declared = [(first, "nouvelles_certifications", following), (following, "anciennes_certifications", first)]
        where, loc = first, ()
        for numero, name, other in declared:  # the link, on whichever side it is written
            found = [i for i, liee in enumerate(getattr(catalogue.by_numero[numero], name)) if liee.numero == other]
            if found:
                where, loc = numero, (name, found[0], "numero")
                break
        document, _ = read_document(files_of[where], shown[files_of[where]])
        line, column = document.position(loc) if loc else (0, 0)
        chain = " → ".join([*loop, loop[0]])
        problems += mark_official(catalogue.complete(where), [Problem(
            shown[files_of[where]], line, column, field_path(loc),
            f"the lineage loops: {chain} (each replaced by the next); pages show it up to where it comes back. "
            "Check `anciennes_certifications` and `nouvelles_certifications`: a certification cannot replace one "
            "that replaces it", severity="warning")])
    return problems


CHECK_IN_PARALLEL_FROM = 200  # files to check; fewer are checked in this process


def check_files(files: list[Path], shown: list[str], cache: ContentCache) -> list[tuple[Checked, str]]:
    """Each file checked, or taken from the cache if its bytes were already checked; the check
    holds the light fiche (see legere.py), the cache the full one too. Files to check are
    spread over the processor's cores when there are many: each worker writes what it checked
    into the cache, and sends back the light check only."""
    results: list[tuple[Checked, str] | None] = [None] * len(files)
    todo: list[tuple[int, bytes, str]] = []
    for i, (file, shown_as) in enumerate(zip(files, shown)):
        sha = file_hash(file)
        known = cache.get(shown_as, sha) if sha else None
        if known is not None:  # already checked: the file need not even be read again
            results[i] = (known, sha)
            continue
        raw, unreadable = read_bytes(file, shown_as)
        if raw is None:
            results[i] = (Checked(None, unreadable), "")
        else:
            todo.append((i, raw, digest(raw)))

    def task(j: int) -> tuple[bytes, bytes | None]:  # pickled: the light check, and the full one if not written
        i, raw, sha = todo[j]
        checked = check_document(*read_text(raw, shown[i]), files[i].name)
        full = pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
        light = pickle.dumps(replace(checked, fiche=allegee(checked.fiche)) if checked.fiche else checked,
                             protocol=pickle.HIGHEST_PROTOCOL)
        return (light, None) if cache.write(cache.name(shown[i], sha), full, light) else (light, full)

    if len(todo) >= CHECK_IN_PARALLEL_FROM:
        gazetteer()  # loaded once, before the workers are forked: they share it
    for done in fork_map(task, len(todo), chunk=16, minimum=CHECK_IN_PARALLEL_FROM):
        for j, (light, full) in done:
            i, _, sha = todo[j]
            results[i] = (cache.put(shown[i], sha, light, full), sha)
    return results  # type: ignore[return-value]


@dataclass
class Checked:
    """One file, checked alone: its fiche if valid, its problems, and its number if readable."""

    fiche: Fiche | None
    problems: list[Problem]
    # (not named after its number, number, where it is written): for the duplicate check
    numero: tuple[bool, str, Problem] | None = None


def check_document(document: Document, unreadable: list[Problem], file_name: str) -> Checked:
    """Validate one read document and apply the rules that need only this file."""
    if not isinstance(document.data, dict):
        return Checked(None, unreadable)
    problems = list(unreadable)
    numero = document.data.get("numero")
    numero = numero if isinstance(numero, str) and re.fullmatch(NUMERO_PATTERN, numero) else None
    numbered = None
    if numero:
        numbered = (file_name != f"{numero.lower()}.yaml", numero, _at(document, ("numero",), ""))
        problems += _file_name(document, file_name, numero)
    fiche, found = validate(document, Fiche, {"numero": numero})
    said = {p.field for p in unreadable if p.field}
    problems += [p for p in found if p.field not in said]  # a value the reader refused is reported once
    if fiche is not None:
        problems += [_at(document, loc, message, severity) for loc, message, severity in check_fiche(fiche)]
        problems += lint(document)
        problems = mark_official(fiche, problems)
    return Checked(fiche, problems, numbered)


def _at(document: Document, loc: tuple, message: str, severity: str = "error") -> Problem:
    line, column = document.position(loc)
    return Problem(document.path, line, column, field_path(loc), message, severity)  # type: ignore[arg-type]


def _file_name(document: Document, file_name: str, numero: str) -> list[Problem]:
    expected = f"{numero.lower()}.yaml"
    if file_name == expected:
        return []
    return [_at(document, ("numero",), f"the file name should match the number: rename {file_name} to {expected}, or correct `numero`")]


def _duplicates(numbered: list[tuple[bool, str, Problem]]) -> list[Problem]:
    """`numbered`: each file's number, with a problem located on it and no message yet.
    Files named after their number come first, so that the copy is the one reported."""
    first: dict[str, str] = {}
    problems = []
    for _, numero, place in sorted(numbered, key=lambda entry: entry[0]):
        if numero in first:
            message = f"{numero} is already the number of {first[numero]}; each fiche has its own number"
            problems.append(replace(place, message=message))
        first.setdefault(numero, place.path)
    return problems
