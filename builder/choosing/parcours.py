"""A bloc's path (its page's section "Obtenir ce bloc"): the blocs of other fiches that are
equivalent to it, from the equivalences its fiche declares and those other fiches declare with
it, each linked to its page; and what a bloc page thereby shows of other fiches (a dependency
of its own, `("blocs équivalents", numero)`, so that a bloc page is made again when the title
of an equivalent bloc changes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..content.catalogue import Catalogue
from ..content.model import Bloc, Fiche
from ..content.settings import Site
from ..pages.plan import resumee
from ..pages.urls import Urls

KEY = "blocs équivalents"


@dataclass(frozen=True)
class BlocEquivalent:
    """A bloc of another fiche (or the other certification whole, `code` None)."""

    code: str | None
    libelle: str | None  # None when the other fiche is not in the catalogue, or has no such bloc
    lien: str | None  # the address of its page (a summary's bloc: its heading on the fiche's page)


@dataclass(frozen=True)
class Equivalence:
    """One equivalence concerning a bloc: with which blocs (or certification) of which fiche."""

    numero: str
    intitule: str | None  # None when the other fiche is not in the catalogue
    lien_fiche: str | None
    blocs: tuple[BlocEquivalent, ...]  # empty: the other certification whole
    avec: tuple[str, ...]  # the other blocs of this fiche that go with this one in the equivalence
    declaree_par: str  # "cette" (this fiche), "les deux" (both), or the other fiche's number


def _bloc(catalogue: Catalogue, site: Site, urls: Urls, other: Fiche | None, code: str) -> BlocEquivalent:
    if other is None:
        return BlocEquivalent(code, None, None)
    found: Bloc | None = next((b for b in other.blocs if b.code == code), None)
    if found is None:
        return BlocEquivalent(code, None, None)
    if resumee(site, catalogue, other):  # a summary's blocs have no pages: their heading on it
        return BlocEquivalent(code, found.libelle, urls.href(urls.fiche(other)) + "#" + code.lower())
    return BlocEquivalent(code, found.libelle, urls.href(urls.bloc(other, found)))


def blocs_equivalents(catalogue: Catalogue, site: Site, urls: Urls, fiche: Fiche, bloc: Bloc) -> list[Equivalence]:
    """The equivalences that concern this bloc: those its fiche declares, then those other fiches
    of the catalogue declare (unless its fiche declares them too: then "les deux")."""
    found = []
    for c in fiche.correspondances:
        if bloc.code not in c.bloc:
            continue
        other = catalogue.fiche(c.numero)
        found.append(Equivalence(
            c.numero, other.intitule if other else None, urls.href(urls.fiche(other)) if other else None,
            tuple(_bloc(catalogue, site, urls, other, code) for code in c.bloc_correspondant),
            tuple(code for code in c.bloc if code != bloc.code),
            "les deux" if catalogue.reciproque(fiche, c) else "cette"))
    for declarante, c in catalogue.declarations_vers(fiche):
        if bloc.code not in c.bloc_correspondant:
            continue
        found.append(Equivalence(
            declarante.numero, declarante.intitule, urls.href(urls.fiche(declarante)),
            tuple(_bloc(catalogue, site, urls, declarante, code) for code in c.bloc),
            tuple(code for code in c.bloc_correspondant if code != bloc.code), declarante.numero))
    return found


def digest(catalogue: Catalogue, numero: str) -> Any:
    """What a fiche's bloc pages show of other fiches: the titles of the fiches and blocs
    equivalent to theirs, and whether those blocs have pages (a summary's have none)."""
    fiche = catalogue.by_numero[numero]
    autres = {c.numero for c in fiche.correspondances} | {f.numero for f, _ in catalogue.declarations_vers(fiche, toutes=True)}
    seen = []
    for n in sorted(autres):
        other = catalogue.fiche(n)
        if other is not None:
            seen.append((n, other.intitule, catalogue.est_active(other), [(b.code, b.libelle) for b in other.blocs]))
        else:
            seen.append((n, None))
    return seen


def affected(catalogue: Catalogue, numeros: list[str]) -> list[tuple[str, str]]:
    """The bloc pages that show these fiches' blocs: those of the fiches they are equivalent to,
    either way (for `catalogue serve`'s quick path)."""
    wanted = set(numeros)
    keys = [(KEY, fiche.numero) for fiche in catalogue.fiches if wanted.intersection(c.numero for c in fiche.correspondances)]
    for n in numeros:
        keys += [(KEY, c.numero) for c in catalogue.by_numero[n].correspondances if c.numero in catalogue.by_numero]
    return keys


def bloc_page_deps(fiche: Fiche) -> list[tuple[str, str]]:
    """Every bloc page: other fiches can declare equivalences with its bloc."""
    return [(KEY, fiche.numero)]
