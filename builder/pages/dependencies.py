"""What each output file depends on, as a signature: equal signatures, equal file.

A page lists its dependencies as keys (see `pages.Page.deps`); each key names data of the
catalogue, and its digest is computed here from the catalogue just read:

- `("fiche", n)`: the fiche's file (its bytes' hash);
- `("organismes", n)`, `("lieux de", n)`: what the lists of a fiche's bodies and places show (its
  title, its bodies and the SIRETs of its places; its places), so that an edit to its texts
  leaves them alone;
- `("carte de", n)`: what a list shows of a fiche (its card: title, level, status, certifiers);
- `("liens", n)`: what a fiche page shows of other fiches: the fiches it names and their
  titles (not their texts), its successors and their titles, the labels of its taxonomy terms,
  its lineage over several hops (titles, statuses, end dates) and the equivalences other fiches
  declare with it;
- `("resume",)`: the list of taxonomies and their sizes (home, search and 404 pages);
- `("taxonomie", name)`: every term of a taxonomy (slug, label, count);
- `("terme", name, slug)`: one term;
- `("lieux par numero",)`: every fiche's preparation places, in the order of the numbers (the
  national GeoJSON, the maps of régions and départements: none depends on titles);
- `("carte",)`: the places, the régions, and the titles of fiches prepared at a distance (the map page);
- `("flux",)`: what the feed of changes reads of every fiche (its title, card and dates);
- `("tout",)`: the whole catalogue (and the CSV of it);
- `("=", value)`: a value itself (pagination numbers, the sitemap's list).

Everything else a page can read (templates, settings, base path, build date, the builder's
own version) is in the build's global key: when it changes, every file is made again.
A school's own templates may read anything: with them, every page depends on everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import Any

from ..content.catalogue import Catalogue
from ..content.legere import organismes
from ..content.lignee import lignee, remplacantes_actives
from ..content.places import avec_lieu
from ..content.model import Fiche
from ..slugs import certificateur_slug, code_slug

from .page import Key


def _hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def referenced(fiche: Fiche) -> list[str]:
    """The numbers of the other fiches a fiche names."""
    return [x.numero for x in (*fiche.anciennes_certifications, *fiche.nouvelles_certifications, *fiche.correspondances)]


_LIEUX: dict[str, str] = {}  # hash of a fiche file -> digest of its places


def term_labels(catalogue: Catalogue, fiche: Fiche) -> list[str]:
    """The labels of a fiche's NSF, ROME and certifier terms: each is the spelling most fiches
    use, so another fiche can change it (the fiche's régions come from its own places)."""
    terms = catalogue.term_index()
    keys = [("nsf", code_slug(n.code)) for n in fiche.nsf] + [("rome", code_slug(r.code)) for r in fiche.rome]
    keys += [("certificateurs", certificateur_slug(c.nom)) for c in fiche.certificateurs]
    return [terms[key].titre for key in keys]


def _vu(catalogue: Catalogue, fiche: Fiche) -> tuple:
    """What a page shows of another fiche in a lineage: its title and status with its end date."""
    return (fiche.intitule, catalogue.est_active(fiche), fiche.date_fin_enregistrement)


class Digests:
    """The digest of each dependency key, computed once per build."""

    def __init__(self, catalogue: Catalogue, kinds: dict[str, Callable[..., Any]] | None = None):
        self.catalogue = catalogue
        self.kinds = kinds or {}  # the features' own (see builder/site.py): f(catalogue, *rest of the key)
        self.digest = memoize(self._digest)

    def signature(self, global_key: str, path: str, deps: Iterable[Key]) -> str:
        return _hash(global_key, path, [key if key[0] == "=" else (key, self.digest(key)) for key in deps])

    def _lieux(self, fiche: Fiche) -> str:
        """A digest of a fiche's preparation places, kept per version of its file."""
        sha = self.catalogue.digests.get(fiche.numero, "")
        if sha not in _LIEUX:
            _LIEUX[sha] = _hash([lieu.model_dump() for lieu in fiche.lieux_preparation])
        return _LIEUX[sha]

    def _digest(self, key: Key) -> Any:
        kind, *rest = key
        c = self.catalogue
        if kind == "fiche":
            fiche = c.fiche(rest[0])
            return None if fiche is None else (c.digests.get(fiche.numero), c.est_active(fiche))
        if kind == "carte de":  # a fiche's card in the lists
            fiche = c.fiche(rest[0])
            if fiche is None:
                return None
            return _hash(fiche.intitule, fiche.niveau, c.est_active(fiche), [x.nom for x in fiche.certificateurs])
        if kind == "organismes":  # the list of a fiche's bodies: its title, its bodies, its places' SIRETs
            fiche = c.by_numero[rest[0]]
            return _hash(fiche.intitule, organismes(fiche), sorted(avec_lieu(fiche)))
        if kind == "lieux de":  # the list of a fiche's places: its title and its places
            fiche = c.by_numero[rest[0]]
            return _hash(fiche.intitule, self._lieux(fiche))
        if kind == "liens":
            fiche = c.by_numero[rest[0]]
            # of the fiches it names, a page shows their title (and whether they are in the catalogue)
            others = [(n, c.by_numero[n].intitule if n in c.by_numero else None) for n in referenced(fiche)]
            successeurs = [(f.numero, f.intitule) for f in c.successeurs(fiche)]
            # and, of the fiches around it, what its lineage and equivalences declared by others show
            chaine = [(x.numero, x.rang, x.intitule) + (_vu(c, x.fiche) if x.fiche else ()) for x in lignee(c, fiche)]
            actives = [(f.numero, f.intitule, via) for f, via in remplacantes_actives(c, fiche)]
            declarees = [(f.numero, f.intitule, d.bloc, d.bloc_correspondant) for f, d in c.declarations_vers(fiche, toutes=True)]
            declarees.append([c.reciproque(fiche, d) for d in fiche.correspondances])
            return _hash(others, successeurs, term_labels(c, fiche), chaine, actives, declarees)
        if kind == "resume":
            return _hash([(t.name, t.titre, t.description, len(t.terms)) for t in c.taxonomies.values()])
        if kind == "taxonomie":
            t = c.taxonomies[rest[0]]
            return _hash(t.titre, t.description, [(term.slug, term.libelle, term.code, len(term.fiches)) for term in t.terms])
        if kind == "terme":
            t = c.taxonomies[rest[0]]
            term = c.term_index()[rest[0], rest[1]]
            return _hash(t.titre, t.description, term.slug, term.libelle, term.code, len(term.fiches))
        if kind == "lieux par numero":  # in number order, whatever the titles
            return _hash(sorted((f.numero, self._lieux(f)) for f in c.fiches))
        if kind == "carte":  # the map, the régions, and the fiches prepared at a distance by title
            a_distance = [(f.numero, f.intitule) for f in c.fiches if any(lieu.a_distance for lieu in f.lieux_preparation)]
            return _hash(self.digest(("taxonomie", "regions")), self.digest(("lieux par numero",)), a_distance)
        if kind in self.kinds:
            return _hash(self.kinds[kind](c, *rest))
        if kind == "tout":
            return _hash([(f.numero, c.digests.get(f.numero), c.est_active(f)) for f in c.fiches])
        raise ValueError(f"unknown dependency {key!r}")
