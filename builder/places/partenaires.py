"""The bodies habilitated for a fiche (official `PARTENAIRES`): how many, of which kind, a
short selection for the fiche page, and the whole list, in name order, for its own pages.

A titre professionnel can list hundreds of them: the fiche page says how many there are and
by which habilitation, shows a few, and links to `fiches/<n>/organismes/`, paginated.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..content.places import a_un_lieu, avec_lieu
from ..content.model import Fiche, Partenaire
from ..reference.nomenclature import HABILITATIONS
from .. import slugs
from ..slugs import sort_key

SELECTION = 10  # bodies named on the fiche page; past that, the list has pages of its own
PAR_PAGE = 80  # bodies per page of the list: within a list page's budget (issue 25, 25 KB)


def habilitation(code: str | None) -> str:
    """What follows "habilité": `HABILITATION_FORMER` -> `à préparer à la certification`; a kind
    the export adds one day is shown as it writes it, in words."""
    if not code:
        return "(habilitation non précisée)"
    if code in HABILITATIONS:
        return "à " + HABILITATIONS[code]
    if re.fullmatch(r"HABILITATION_[A-Z_]+", code):  # a code of the export's kind, in words
        code = code.removeprefix("HABILITATION_").replace("_", " ").lower()
    return f"(habilitation « {code} »)"


def prepare(partenaire: Partenaire) -> bool:
    """Whether the body may prepare students (not only organise the assessment)."""
    return "FORM" in (partenaire.habilitation or "") or partenaire.habilitation is None


def actif(partenaire: Partenaire) -> bool:
    return partenaire.etat in (None, "Actif")


def en_ordre(fiche: Fiche) -> list[Partenaire]:
    """Every body, by name (accents, case and signs ignored), then SIRET."""
    return sorted(fiche.partenaires, key=lambda p: (sort_key(p.nom), p.siret or "", p.habilitation or ""))


def initiale(partenaire: Partenaire) -> str:
    """The letter of a body in the A–Z list, as the order has it: `École X` -> `E`,
    `(AFPA) Centre` -> `A`; names starting with a digit or without a letter are under `#`."""
    return slugs.initiale(partenaire.nom) or "#"


@dataclass(frozen=True)
class Resume:
    total: int
    par_habilitation: list[tuple[str, int]]  # (label, count), most frequent first
    inactifs: int  # habilitations inactive or withdrawn
    selection: list[Partenaire]  # named on the fiche page
    pages: bool  # whether the whole list has pages of its own
    avec_lieu: int  # bodies with a place of preparation in the training offer (by SIRET or SIREN)
    sirets: frozenset[str]  # the SIRETs and SIRENs of the places, to mark those bodies


def resume(fiche: Fiche) -> Resume:
    """The bodies of a fiche, counted; the selection named on its page puts first the active
    ones that can prepare and have a place in the training offer, then the others that can prepare."""
    kinds = Counter(habilitation(p.habilitation) for p in fiche.partenaires)
    ordered = en_ordre(fiche)
    sirets = frozenset(avec_lieu(fiche))
    pages = nombre_de_pages(fiche) > 0
    candidates = [p for p in ordered if actif(p) and prepare(p)]
    chosen = sorted(candidates, key=lambda p: not a_un_lieu(p, sirets))[:SELECTION] if pages else ordered
    return Resume(
        total=len(fiche.partenaires),
        par_habilitation=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        inactifs=sum(not actif(p) for p in fiche.partenaires),
        selection=chosen,
        pages=pages,
        avec_lieu=sum(a_un_lieu(p, sirets) for p in fiche.partenaires),
        sirets=sirets,
    )


def nombre_de_pages(fiche: Fiche) -> int:
    """Pages of the fiche's list of bodies: none when the fiche page names them all."""
    count = fiche.nombre_partenaires
    return 0 if count <= SELECTION else -(-count // PAR_PAGE)


def lettres(ordered: list[Partenaire], par_page: int = PAR_PAGE) -> list[tuple[str, int, str]]:
    """The A–Z index of the list: (letter, page where its names start, anchor), each once."""
    found: dict[str, tuple[int, str]] = {}
    for i, partenaire in enumerate(ordered):
        letter = initiale(partenaire)
        if letter not in found:
            found[letter] = (i // par_page + 1, f"lettre-{'autres' if letter == '#' else letter.lower()}")
    return [(letter, page, anchor) for letter, (page, anchor) in found.items()]
