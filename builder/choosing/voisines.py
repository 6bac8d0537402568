"""Related certifications, shown on a fiche page so that a student sees the alternatives:

- "Pour le même métier": fiches sharing ROME codes with it, the most codes shared first, then
  active before inactive, then the nearest level, then by number;
- "Pour aller plus loin": fiches one or two levels up, those sharing a ROME code (the same job)
  before those sharing only an NSF code (the same domain), then active first, then the nearer
  level, then by number (none already in the first list).

At most LIMITE each. Computed once per catalogue from an index of codes (each fiche counts the
fiches of its own codes, never every pair of fiches), and kept on the catalogue object: a
whole build reads a new catalogue, and what the lists depend on (codes, levels, statuses) never
changes in place (`catalogue serve` takes the whole way for such an edit). A title, which the
lists show but do not rank by, can change in place: `contenant` says whose lists to remake.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..content.catalogue import Catalogue, numero_order

LIMITE = 6
_ATTRIBUT = "_voisines"  # where a catalogue keeps its lists


@dataclass
class Voisines:
    meme_metier: dict[str, list[str]] = field(default_factory=dict)  # number -> numbers
    plus_loin: dict[str, list[str]] = field(default_factory=dict)
    contenant: dict[str, set[str]] = field(default_factory=dict)  # number -> fiches whose lists name it


def voisines(catalogue: Catalogue) -> Voisines:
    found = catalogue.__dict__.get(_ATTRIBUT)
    if found is None:
        found = _calcule(catalogue)
        catalogue.__dict__[_ATTRIBUT] = found
    return found


def _calcule(catalogue: Catalogue) -> Voisines:
    """Both lists of every fiche. A fiche sharing one code (most candidates) is found by walking
    the index of its codes, split by status and level and sorted by number, in the order of
    the ranking: only the first few are read. Fiches sharing several codes are counted (in C,
    by `Counter`), and only when the fiche has several codes."""
    fiches = catalogue.fiches
    inactive = [0 if catalogue.est_active(f) else 1 for f in fiches]
    niveaux = [f.niveau for f in fiches]
    ordre = [0] * len(fiches)
    for rank, i in enumerate(sorted(range(len(fiches)), key=lambda i: numero_order(fiches[i]))):
        ordre[i] = rank
    rome: dict[str, list[int]] = {}  # ROME code -> fiches
    groupes: dict[tuple[str, int, int | None], list[tuple[int, int]]] = {}  # (code, inactive, level) -> (order, fiche)
    codes_de: list[tuple[list[str], list[str]]] = []  # per fiche: its ROME codes, its ROME and NSF codes
    for i, fiche in enumerate(fiches):
        metiers = sorted({f"rome:{r.code}" for r in fiche.rome})
        tous = sorted(set(metiers) | {f"nsf:{n.code}" for n in fiche.nsf})
        codes_de.append((metiers, tous))
        for code in metiers:
            rome.setdefault(code, []).append(i)
        for code in tous:
            groupes.setdefault((code, inactive[i], fiche.niveau), []).append((ordre[i], i))
    for liste in groupes.values():
        liste.sort()
    result = Voisines()
    sets: dict[str, frozenset[int]] = {}  # the fiches of a common code, as a set (see _classe)
    niveaux_connus = sorted({n for n in niveaux if n is not None})
    etapes_de: dict[int | None, list[tuple[int, list[int | None]]]] = {}
    for i, fiche in enumerate(fiches):
        niveau = niveaux[i]
        metiers, tous = codes_de[i]
        exclus = {i}

        if niveau not in etapes_de:  # for the same job: by levels ever farther, then those without a level
            distances = sorted({proximite_de(n, niveau) for n in niveaux_connus} | {9})
            etapes_de[niveau] = [(inact, [n for n in [*niveaux_connus, None] if proximite_de(n, niveau) == d])
                                 for inact in (0, 1) for d in distances]
        meme = _classe(metiers, rome, groupes, etapes_de[niveau], exclus,
                       lambda j, k, niveau=niveau: (-k, inactive[j], proximite_de(niveaux[j], niveau), ordre[j]), sets, LIMITE)
        loin: list[int] = []
        if niveau is not None:  # the same job a level or two up, then the same domain
            domaines = [code for code in tous if code not in metiers]
            for codes in (metiers, domaines):
                etapes = [(inact, [n]) for inact in (0, 1) for n in (niveau + 1, niveau + 2)]
                loin += _classe(codes, {}, groupes, etapes, exclus, None, sets, LIMITE - len(loin))
        if meme:
            result.meme_metier[fiche.numero] = [fiches[j].numero for j in meme]
        if loin:
            result.plus_loin[fiche.numero] = [fiches[j].numero for j in loin]
        for j in (*meme, *loin):
            result.contenant.setdefault(fiches[j].numero, set()).add(fiche.numero)
    return result


def proximite_de(n: int | None, niveau: int | None) -> int:
    return abs(n - niveau) if n is not None and niveau is not None else 9


def _classe(codes: list[str], index: dict[str, list[int]], groupes: dict, etapes: list[tuple[int, list[int | None]]],
            exclus: set[int], rang: Any, sets: dict[str, frozenset[int]], limite: int) -> list[int]:
    """The first `limite` fiches for these codes: those sharing several codes (when `index` is
    given) ranked by `rang` (given the count), then the others by the steps of (status,
    levels), each step by number. Adds them to `exclus`."""
    choisis: list[int] = []
    listes = sorted((code for code in codes if code in index), key=lambda code: len(index[code]))
    if len(listes) > 1:
        # counted over all lists but the longest, which is only looked into (as a set): a
        # common code (thousands of fiches) is then never walked for each of its fiches
        if listes[-1] not in sets:
            sets[listes[-1]] = frozenset(index[listes[-1]])
        longest = sets[listes[-1]]
        listes = [index[code] for code in listes]
        comptes: Counter[int] = Counter()
        for liste in listes[:-1]:
            comptes.update(liste)
        total = {j: k + (j in longest) for j, k in comptes.items()}
        plusieurs = [j for j, k in total.items() if k > 1 and j not in exclus]
        choisis = sorted(plusieurs, key=lambda j: rang(j, total[j]))[:limite]
        exclus.update(choisis)
    for inact, niveaux in etapes:
        if len(choisis) >= limite:
            break
        listes = [groupes[key] for code in codes for n in niveaux if (key := (code, inact, n)) in groupes]
        for _, j in (listes[0] if len(listes) == 1 else heapq.merge(*listes)):
            if j not in exclus:
                exclus.add(j)
                choisis.append(j)
                if len(choisis) >= limite:
                    break
    return choisis


def proches(catalogue: Catalogue, numero: str) -> dict[str, list[Any]]:
    """A fiche's two lists, as fiches of the catalogue (for its page)."""
    found = voisines(catalogue)
    return {"meme_metier": [catalogue.by_numero[n] for n in found.meme_metier.get(numero, [])],
            "plus_loin": [catalogue.by_numero[n] for n in found.plus_loin.get(numero, [])]}


def digest(catalogue: Catalogue, numero: str) -> list[Any]:
    """What a fiche page shows of its related fiches: each one's number, title, level, status."""
    return [[(f.numero, f.intitule, f.niveau, catalogue.est_active(f)) for f in liste]
            for liste in proches(catalogue, numero).values()]


def affected(catalogue: Catalogue, numeros: list[str]) -> list[tuple[str, str]]:
    """The keys of the pages whose lists show these fiches (a title edited in place)."""
    found = voisines(catalogue)
    return [("voisines de", other) for n in numeros for other in sorted(found.contenant.get(n, ()))]
