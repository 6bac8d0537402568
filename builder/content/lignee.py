"""A certification's lineage: the fiches it replaced and those that replace it, over several
hops and in both directions, whichever fiche declared the link (a new fiche names its
predecessors in `anciennes_certifications`, an old one its successors in
`nouvelles_certifications`; the official export often gives only one side).

A number outside the catalogue is a link of the chain too, but the walk cannot go past it: its
own links are unknown here. Data with a loop (A replaced by B, B replaced by A) ends the walk
where it comes back; `boucles` finds such loops for `catalogue check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .model import Fiche

PROFONDEUR_MAX = 30  # hops walked each way: far beyond any real lineage, a bound on hostile data


@dataclass(frozen=True)
class Maillon:
    """One certification of a lineage: its number, its fiche when the catalogue has it, how many
    hops from the fiche whose lineage it is (negative: before it), and its title as declared
    when the catalogue does not have it."""

    numero: str
    fiche: Fiche | None
    rang: int
    intitule: str | None = None


def suivantes(catalogue: Catalogue, numero: str) -> list[str]:
    """The numbers of the certifications that replace this one, declared on either side."""
    return [n for n, _ in _liens(catalogue, numero, "nouvelles_certifications", catalogue.successeurs_par_numero)]


def precedentes(catalogue: Catalogue, numero: str) -> list[str]:
    """The numbers of the certifications this one replaces, declared on either side."""
    return [n for n, _ in _liens(catalogue, numero, "anciennes_certifications", catalogue.predecesseurs_par_numero)]


def _liens(catalogue: Catalogue, numero: str, champ: str, autres: Any) -> list[tuple[str, str | None]]:
    """Linked numbers, each with the title this fiche gives it (for one outside the catalogue),
    its own declarations first, then the fiches naming it, without itself or repeats."""
    fiche = catalogue.by_numero.get(numero)
    found: dict[str, str | None] = {}
    for liee in getattr(fiche, champ) if fiche is not None else ():
        found.setdefault(liee.numero, liee.intitule)
    for other in autres(numero):
        found.setdefault(other.numero, None)
    found.pop(numero, None)
    return list(found.items())


def lignee(catalogue: Catalogue, fiche: Fiche) -> list[Maillon]:
    """The lineage of a fiche, oldest first, the fiche itself included (rank 0); empty when it
    has no link. Each way is walked on its own, each certification met once in it, at the rank
    where it was first met (with a loop, one may then be both before and after). A number
    outside the catalogue carries the title the fiche that names it gives it."""
    chain = [Maillon(fiche.numero, fiche, 0)]
    for step, champ, autres in ((-1, "anciennes_certifications", catalogue.predecesseurs_par_numero),
                                (1, "nouvelles_certifications", catalogue.successeurs_par_numero)):
        seen = {fiche.numero}
        front = [fiche.numero]
        for depth in range(1, PROFONDEUR_MAX + 1):
            following = []
            for numero in front:
                if numero not in catalogue.by_numero:
                    continue  # outside the catalogue: its own links are unknown
                for other, intitule in _liens(catalogue, numero, champ, autres):
                    if other not in seen:
                        seen.add(other)
                        following.append(other)
                        known = catalogue.by_numero.get(other)
                        chain.append(Maillon(other, known, step * depth, None if known is not None else intitule))
            front = following
            if not front:
                break
    if len(chain) == 1:
        return []
    return sorted(chain, key=lambda m: m.rang)


def remplacantes_actives(catalogue: Catalogue, fiche: Fiche) -> list[tuple[Fiche, list[str]]]:
    """The active certifications that replace an inactive fiche today, however many hops away,
    each with the numbers it was reached through (none when it replaces the fiche directly).
    The walk stops at an active fiche, and cannot go past a number outside the catalogue."""
    found: list[tuple[Fiche, list[str]]] = []
    seen = {fiche.numero}
    front: list[tuple[str, list[str]]] = [(fiche.numero, [])]
    for _ in range(PROFONDEUR_MAX):
        following = []
        for numero, via in front:
            for other in suivantes(catalogue, numero):
                if other in seen:
                    continue
                seen.add(other)
                candidate = catalogue.by_numero.get(other)
                if candidate is None:
                    continue
                if catalogue.est_active(candidate):
                    found.append((candidate, via))
                else:
                    following.append((other, via + [other]))
        front = following
        if not front:
            break
    return found


def sur_une_boucle(catalogue: Catalogue, numero: str) -> bool:
    """Whether this fiche is on a loop of `boucles`: walking what replaces it comes back to it."""
    seen, front = set(), [numero]
    while front:
        following = []
        for current in front:
            for other in suivantes(catalogue, current):
                if other == numero:
                    return True
                if other not in seen and other in catalogue.by_numero:
                    seen.add(other)
                    following.append(other)
        front = following
    return False


def boucles(catalogue: Catalogue) -> list[list[str]]:
    """Loops in the lineages of the catalogue (A replaced by B, B replaced by A), each once:
    the numbers on it, from the smallest."""
    from .catalogue import numero_order  # the catalogue module reads this one

    def _ordre(numero: str) -> tuple[bool, int]:
        return numero_order(catalogue.by_numero[numero])

    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1: being walked, 2: done
    for start in sorted(catalogue.by_numero):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, list[str]]] = [(start, suivantes(catalogue, start))]
        state[start] = 1
        path.append(start)
        while stack:
            numero, rest = stack[-1]
            if not rest:
                stack.pop()
                path.pop()
                state[numero] = 2
                continue
            other = rest.pop(0)
            if other not in catalogue.by_numero:
                continue
            if state.get(other) == 1:
                loop = path[path.index(other):]
                k = loop.index(min(loop, key=_ordre))
                found.add(tuple(loop[k:] + loop[:k]))
            elif other not in state:
                state[other] = 1
                path.append(other)
                stack.append((other, suivantes(catalogue, other)))
    return sorted((list(loop) for loop in found), key=lambda loop: [_ordre(n) for n in loop])
