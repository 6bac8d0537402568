"""Read every fiche, validate it, check the catalogue as a whole, and gather it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Problem, display_path, field_path
from .fieldtypes import NUMERO_PATTERN
from .load import Document, read_document
from .model import Bloc, Fiche
from .rules import check_fiche
from .slugs import sort_key
from .taxonomy import Taxonomy, build_taxonomies
from .validate import validate


@dataclass
class Catalogue:
    fiches: list[Fiche]  # sorted by title, then number
    taxonomies: dict[str, Taxonomy]
    today: dt.date
    by_numero: dict[str, Fiche] = field(init=False)
    _successeurs: dict[str, list[Fiche]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_numero = {f.numero: f for f in self.fiches}
        self._successeurs = {}
        for fiche in self.fiches:
            for ancienne in fiche.anciennes_certifications:
                self._successeurs.setdefault(ancienne.numero, []).append(fiche)

    def est_active(self, fiche: Fiche) -> bool:
        """Active unless marked inactive or past the end of its registration (on the build date)."""
        if fiche.actif is False:
            return False
        return fiche.date_fin_enregistrement is None or fiche.date_fin_enregistrement >= self.today

    def fiche(self, numero: str) -> Fiche | None:
        return self.by_numero.get(numero)

    @staticmethod
    def blocs(fiche: Fiche) -> list[Bloc]:
        """A fiche's blocs in code order (the official export lists them in any order)."""
        return sorted(fiche.blocs, key=lambda b: b.code)

    def successeurs(self, fiche: Fiche) -> list[Fiche]:
        """Fiches of the catalogue that name this one as their predecessor."""
        return self._successeurs.get(fiche.numero, [])


def fiche_order(fiche: Fiche) -> tuple[str, str, int]:
    prefix = "RS" if fiche.est_rs else "RNCP"
    return (sort_key(fiche.intitule), prefix, int(fiche.numero_court))


def read_catalogue(content: Path, root: Path, today: dt.date) -> tuple[Catalogue | None, list[Problem]]:
    """Every error of every file, then the catalogue if there was none."""
    problems: list[Problem] = []
    fiches: list[Fiche] = []
    numbered: list[tuple[str, Problem]] = []  # each well-formed number and where it is written, valid fiche or not
    folder = content / "fiches"
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        problems.append(Problem(display_path(folder, root), 0, 0, "", "no fiche found; add files named like rncp26224.yaml"))
    for file in files:
        document, found = read_document(file, display_path(file, root))
        problems += found
        if not isinstance(document.data, dict):
            continue
        numero = document.data.get("numero")
        numero = numero if isinstance(numero, str) and re.fullmatch(NUMERO_PATTERN, numero) else None
        if numero:
            numbered.append((numero, _at(document, ("numero",), "")))
            problems += _file_name(document, file, numero)
        fiche, found = validate(document, Fiche, {"numero": numero})
        problems += found
        if fiche is not None:
            problems += [_at(document, loc, message, severity) for loc, message, severity in check_fiche(fiche)]
            fiches.append(fiche)
    problems += _duplicates(numbered)
    if any(p.severity == "error" for p in problems):
        return None, problems
    ordered = sorted(fiches, key=fiche_order)
    return Catalogue(ordered, build_taxonomies(ordered), today), problems


def _at(document: Document, loc: tuple, message: str, severity: str = "error") -> Problem:
    line, column = document.position(loc)
    return Problem(document.path, line, column, field_path(loc), message, severity)  # type: ignore[arg-type]


def _file_name(document: Document, file: Path, numero: str) -> list[Problem]:
    expected = f"{numero.lower()}.yaml"
    if file.name == expected:
        return []
    return [_at(document, ("numero",), f"the file name should match the number: rename {file.name} to {expected}, or correct `numero`")]


def _duplicates(numbered: list[tuple[str, Problem]]) -> list[Problem]:
    """`numbered`: each file's number, with a problem located on it and no message yet."""
    first: dict[str, str] = {}
    problems = []
    for numero, place in numbered:
        if numero in first:
            message = f"{numero} is already the number of {first[numero]}; each fiche has its own number"
            problems.append(replace(place, message=message))
        first.setdefault(numero, place.path)
    return problems
