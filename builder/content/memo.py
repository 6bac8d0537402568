"""What is computed from a fiche (its places located, grouped, by département…), once per fiche
object: the lists, maps, filters and pages that ask for it again get the same answer. A fiche
changed in place (`catalogue serve`) or let go (a full fiche, once its pages are made) is
forgotten, so that nothing keeps it alive."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .model import Fiche

T = TypeVar("T")

_KNOWN: dict[int, tuple[Fiche, dict[str, Any]]] = {}  # id(fiche) -> (the fiche itself, what was computed)


def once(fiche: Fiche, name: str, compute: Callable[[Fiche], T]) -> T:
    """`compute(fiche)`, the first time it is asked of this fiche object."""
    known = _KNOWN.get(id(fiche))
    if known is None or known[0] is not fiche:
        known = _KNOWN[id(fiche)] = (fiche, {})
    values = known[1]
    if name not in values:
        values[name] = compute(fiche)
    return values[name]


def forget(fiche: Fiche) -> None:
    """Forget what was computed from this fiche."""
    _KNOWN.pop(id(fiche), None)


def forget_all_but(keep: Iterable[Fiche]) -> None:
    """Forget the fiches no longer read (a long-lived process reads many versions)."""
    kept = {id(f) for f in keep}
    for key in [k for k in _KNOWN if k not in kept]:
        del _KNOWN[key]
