"""What a link to a page shows before it is opened (search results, messages, social
networks): a description written for a person, in one sentence."""

from __future__ import annotations

from collections import Counter

from ..content.catalogue import Catalogue
from ..places.lieux import lieux
from ..content.model import Fiche
from ..reference.nomenclature import NIVEAUX
from ..pages.text import date_fr, nombre_fr

VILLES_NOMMEES = 2  # towns named in a description; the others are counted


def _liste(noms: list[str]) -> str:
    """`a`, `a et b`, `a, b et c`."""
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def _niveau(fiche: Fiche) -> str:
    if fiche.est_rs:
        return "Certification du Répertoire spécifique"
    if fiche.niveau is None:
        return "Certification professionnelle"
    info = NIVEAUX[fiche.niveau]
    return f"Certification de niveau {fiche.niveau}" + (f" ({info.equivalent})" if info.equivalent else "")


def villes(fiche: Fiche) -> list[str]:
    """Towns where the fiche is prepared on site, the most places first, then by name."""
    counts = Counter(place.lieu.commune for place in lieux(fiche).sur_place if place.lieu.commune)
    return [town for town, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def description_fiche(fiche: Fiche, catalogue: Catalogue) -> str:
    """`Certification de niveau 6 (Bac+3) délivrée par IESA, 4 blocs de compétences, préparée
    à Lyon, Brest et 6 autres villes.`"""
    parts = [_niveau(fiche)]
    noms = [c.nom for c in fiche.certificateurs]
    if noms:
        shown = noms[:2] if len(noms) <= 2 else [noms[0], f"{len(noms) - 1} autres certificateurs"]
        parts[0] += " délivrée par " + _liste(shown)
    blocs = len(fiche.blocs)
    if blocs:
        parts.append(f"{nombre_fr(blocs)} bloc{'s' if blocs > 1 else ''} de compétences")
    if not catalogue.est_active(fiche):
        fin = fiche.date_fin_enregistrement
        parts.append("inactive" + (f" depuis le {date_fr(fin)}" if fin and fin < catalogue.today else ""))
    else:
        towns, a_distance = villes(fiche), bool(lieux(fiche).a_distance)
        if towns:
            named = towns[:VILLES_NOMMEES]
            rest = len(towns) - len(named)
            if rest:
                named.append(f"{nombre_fr(rest)} autre{'s' if rest > 1 else ''} ville{'s' if rest > 1 else ''}")
            parts.append("préparée à " + _liste(named) + (", ou à distance" if a_distance else ""))
        elif a_distance:
            parts.append("préparée à distance")
    return ", ".join(parts) + "."
