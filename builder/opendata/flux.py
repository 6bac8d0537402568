"""The feed of changes (`flux.xml`, Atom): fiches newly registered, fiches whose official
content changed, fiches that became inactive. Every entry is dated from the fiche's own dates,
never from the build's clock, so that two builds of the same content give the same feed.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.catalogue import Catalogue
from ..content.model import Fiche
from ..pages.urls import Urls

ENTREES = 100  # the latest events; older ones stay on the fiche pages

KINDS = {  # kind -> (label, title prefix)
    "nouvelle": ("Nouvelle fiche", "Nouvelle certification"),
    "modifiee": ("Fiche modifiée", "Fiche modifiée"),
    "inactive": ("Fiche devenue inactive", "Certification devenue inactive"),
}


@dataclass(frozen=True)
class Entree:
    kind: str  # a key of KINDS
    date: dt.date
    fiche: Fiche

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def titre(self) -> str:
        return f"{KINDS[self.kind][1]} : {self.fiche.intitule} ({self.fiche.numero})"

    def id(self, urls: Urls) -> str:
        """A tag URI (RFC 4151): the same event keeps the same id from one build to the next."""
        host = urlsplit(urls.origin).netloc.split(":")[0]
        return f"tag:{host},{self.date.isoformat()}:{urls.href(urls.fiche(self.fiche))}{self.kind}"


def enregistrement(fiche: Fiche) -> dt.date | None:
    """When the registration in force started: its effect, else its decision or publication."""
    return fiche.date_effet or fiche.date_decision or fiche.date_de_publication


def evenements(fiche: Fiche, catalogue: Catalogue) -> list[Entree]:
    """What happened to a fiche, up to the build date, as far as its dates tell."""
    found = []
    debut = enregistrement(fiche)
    if debut:
        found.append(Entree("nouvelle", debut, fiche))
    if fiche.date_dernier_jo and (debut is None or fiche.date_dernier_jo > debut):
        found.append(Entree("modifiee", fiche.date_dernier_jo, fiche))
    fin = fiche.date_fin_enregistrement
    if fin and not catalogue.est_active(fiche):
        found.append(Entree("inactive", fin, fiche))
    return [e for e in found if e.date <= catalogue.today]


def entrees(catalogue: Catalogue) -> list[Entree]:
    """The latest events, newest first (then by number and kind: the order never varies)."""
    events = (e for fiche in catalogue.fiches for e in evenements(fiche, catalogue))
    order = list(KINDS)
    return heapq.nsmallest(ENTREES, events, key=lambda e: (-e.date.toordinal(), e.fiche.numero, order.index(e.kind)))


def mise_a_jour(catalogue: Catalogue, shown: list[Entree]) -> dt.date:
    """The feed's date: its newest entry's; with none, the newest date of any fiche (else the
    build date, for an empty catalogue)."""
    if shown:
        return shown[0].date
    dates = [d for f in catalogue.fiches for d in (f.date_effet, f.date_decision, f.date_dernier_jo, f.date_fin_enregistrement)
             if d and d <= catalogue.today]
    return max(dates, default=catalogue.today)


def empreinte(catalogue: Catalogue) -> list[tuple]:
    """What the feed reads of the catalogue (its dependency digest, see dependencies.py)."""
    return [(f.numero, f.intitule, f.niveau, [c.nom for c in f.certificateurs], enregistrement(f), f.date_dernier_jo,
             f.date_fin_enregistrement, catalogue.est_active(f)) for f in catalogue.fiches]
