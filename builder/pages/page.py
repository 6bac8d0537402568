"""A page of the site, and lists cut into pages: what a page is, before it is rendered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from math import ceil
from typing import Any, Generic, TypeVar

from ..slugs import initiale
from .urls import Urls

Key = tuple[Any, ...]  # a dependency: see dependencies.py
EVERYTHING: Key = ("tout",)

T = TypeVar("T")

@dataclass
class Page:
    path: str  # relative to the site root, e.g. `fiches/rncp26224/`
    templates: list[str]  # the first that exists is used (a school's specific one first)
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    deps: list[Key] = field(default_factory=list)  # what it shows of the catalogue (see dependencies.py)
    produce: Callable[..., str | bytes] | None = None  # a data file, made without a template
    signature: str = ""  # set when the build is planned: equal signatures, equal file
    # A fiche's own page (see site.plan_fiche): the fiche's number. Such a page is made from the
    # fiche whole (the catalogue holds light fiches): `fill(fiche)` gives its context, or
    # `produce(fiche)` its data.
    fiche: str | None = None
    fill: Callable[[Any], dict[str, Any]] | None = None

    @cached_property
    def file(self) -> str:
        """The file it is written to, inside the output folder."""
        return Urls.output_file(self.path).as_posix()


@dataclass
class Pagination(Generic[T]):
    items: Sequence[T]
    page: int
    pages: int
    total: int
    path_of: Callable[[int], str]
    # A list cut by first letter (see paginate_az): this page's letter, its pages numbered
    # within it; every letter with the path of its first page; the pages before and after it
    # in the whole list, across letters.
    lettre: str | None = None
    lettres: list[tuple[str, str]] = field(default_factory=list)
    avant: str | None = None
    apres: str | None = None

    @property
    def previous(self) -> str | None:
        if self.lettre is not None:
            return self.avant
        return self.path_of(self.page - 1) if self.page > 1 else None

    @property
    def next(self) -> str | None:
        if self.lettre is not None:
            return self.apres
        return self.path_of(self.page + 1) if self.page < self.pages else None

    @property
    def premiere(self) -> bool:
        """Whether it is the first page of the whole list."""
        return self.page == 1 and (self.lettre is None or self.lettre == self.lettres[0][0])


def paginate(items: Sequence[T], size: int, path_of: Callable[[int], str]) -> list[Pagination[T]]:
    pages = max(1, ceil(len(items) / size))
    return [Pagination(items[(n - 1) * size : n * size], n, pages, len(items), path_of) for n in range(1, pages + 1)]


LETTRES_DES = 8  # pages: a list longer than this is cut by first letter


def lettre_de(titre: str) -> str:
    """The letter a title is listed under: `École…` -> `E`; digits and signs under `0-9`."""
    return initiale(titre) or "0-9"


def paginate_az(items: Sequence[T], size: int, path_of: Callable[[str | None, int], str],
                titre: Callable[[T], str]) -> list[Pagination[T]]:
    """A list in title order, cut by first letter when it takes more than LETTRES_DES pages:
    each letter has its pages (`path_of(letter, n)`; the first letter's first page is the
    list's own address, `path_of(None, 1)`). An edit to a title then moves only the pages of
    its letter, and readers get an A–Z index. Shorter lists are numbered pages: cut by letter,
    they would make many pages of a few fiches."""
    if len(items) <= size * LETTRES_DES:
        return paginate(items, size, lambda n: path_of(None, n))
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(lettre_de(titre(item)), []).append(item)
    first = next(iter(groups))

    def where(letter: str, n: int) -> str:
        return path_of(None, 1) if letter == first and n == 1 else path_of(letter, n)

    letters = [(letter, where(letter, 1)) for letter in groups]
    pages: list[Pagination[T]] = []
    for letter, members in groups.items():
        for p in paginate(members, size, partial(where, letter)):
            p.lettre, p.lettres, p.total = letter, letters, len(items)
            pages.append(p)
    for before, after in zip(pages, pages[1:]):
        after.avant, before.apres = before.path_of(before.page), after.path_of(after.page)
    return pages
