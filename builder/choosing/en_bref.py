""""En bref": what a student asks first about a certification, at the top of its page.

Its level, whether one can still enrol (and, for an inactive fiche, what replaces it), three
jobs, the four routes students ask about, the training's length over its places, where it is
prepared, its latest results and the date of its data. Everything comes from the fiche itself
and from the fiches that replace it: the fiche page's own dependencies (`("fiche", n)` and
`("liens", n)`) already cover it. The gazetteer (town names, populations) is the builder's own
data, in every page's global key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..content.catalogue import Catalogue
from ..content.lignee import remplacantes_actives
from ..content.model import Fiche, StatistiquePromotion
from ..content.places import Place, places
from ..reference.geo import cle, gazetteer
from ..reference.nomenclature import NIVEAUX, rome_domaine
from ..slugs import code_slug

# The routes a student asks about, in the words of the question ("en apprentissage ?").
VOIES_EN_BREF = {"CA": "Apprentissage", "CQ": "Contrat de professionnalisation", "VAE": "VAE", "FC": "Formation continue"}
METIERS = 3  # jobs shown
VILLES = 3  # towns named


@dataclass(frozen=True)
class Liee:
    """A certification that replaces this one: in the catalogue (`fiche`) or only named."""

    numero: str
    intitule: str | None
    fiche: Fiche | None
    active: bool


@dataclass(frozen=True)
class Metier:
    libelle: str
    code: str | None  # a ROME code (its page on the site), or None for a line of the fiche's text


@dataclass(frozen=True)
class Resultats:
    annee: int
    certifies: int | None
    taux: int | float | None
    taux_libelle: str  # what the rate counts, e.g. "en emploi 6 mois après"


@dataclass
class EnBref:
    niveau: str
    active: bool
    fin: dt.date | None  # end of registration (past for an inactive fiche, else its end date)
    remplacantes: list[Liee] = field(default_factory=list)
    metiers: list[Metier] = field(default_factory=list)
    autres_metiers: int = 0
    voies: list[tuple[str, bool | None]] = field(default_factory=list)
    heures: tuple[int, int] | None = None
    lieux: int = 0  # places on site
    villes: list[str] = field(default_factory=list)  # the biggest towns among them
    autres_villes: bool = False  # more towns than named
    a_distance: bool = False  # some place is wholly at a distance
    mixte: bool = False  # some place is partly at a distance
    resultats: Resultats | None = None
    titres_par_an: int | None = None  # old CNCP fiches: the average certified a year, all schools
    date_donnees: dt.date | None = None  # the national register's export the fiche was imported from

    @property
    def voies_precisees(self) -> bool:
        """Whether the fiche says anything of the four routes (else one line says it does not)."""
        return any(ouverte is not None for _, ouverte in self.voies)


def en_bref(catalogue: Catalogue, fiche: Fiche) -> EnBref:
    active = catalogue.est_active(fiche)
    fin = fiche.date_fin_enregistrement
    if not active and fin is not None and fin >= catalogue.today:
        fin = None  # marked inactive before its end date: no end to tell
    metiers, autres = _metiers(catalogue, fiche)
    sur_place = [p for p in places(fiche)[0] if not p.lieu.a_distance]
    villes = _villes(sur_place)
    heures = [lieu.heures for lieu in fiche.lieux_preparation if lieu.heures]
    source = fiche.source_officielle
    return EnBref(
        niveau=niveau_court(fiche),
        active=active,
        fin=fin,
        remplacantes=[] if active else remplacantes(catalogue, fiche),
        metiers=metiers,
        autres_metiers=autres,
        voies=[(libelle, getattr(fiche.voies_acces, code).actif) for code, libelle in VOIES_EN_BREF.items()],
        heures=(min(heures), max(heures)) if heures else None,
        lieux=len(sur_place),
        villes=villes[:VILLES],
        autres_villes=len(villes) > VILLES,
        a_distance=any(lieu.a_distance for lieu in fiche.lieux_preparation),
        mixte=any(lieu.mixte for lieu in fiche.lieux_preparation),
        resultats=_resultats(fiche.statistiques),
        titres_par_an=sum(s.titres_par_an for s in fiche.statistiques_organismes) or None,
        date_donnees=source.date_export if source else None,
    )


def niveau_court(fiche: Fiche) -> str:
    """`Niveau 6 (Bac+3)`, `Niveau 2`, or `Sans niveau de qualification` (RS fiches)."""
    return NIVEAUX[fiche.niveau].court if fiche.niveau else "Sans niveau de qualification"


def remplacantes(catalogue: Catalogue, fiche: Fiche) -> list[Liee]:
    """The active certifications that replace an inactive fiche (however many hops away); when
    there is none, the certifications it names or that name it as their predecessor."""
    actives = [Liee(f.numero, f.intitule, f, True) for f, _ in remplacantes_actives(catalogue, fiche)]
    if actives:
        return actives
    found: dict[str, Liee] = {}
    for n in fiche.nouvelles_certifications:
        other = catalogue.fiche(n.numero)
        found.setdefault(n.numero, Liee(n.numero, other.intitule if other else n.intitule, other,
                                        bool(other) and catalogue.est_active(other)))
    for other in catalogue.successeurs(fiche):
        found.setdefault(other.numero, Liee(other.numero, other.intitule, other, catalogue.est_active(other)))
    return list(found.values())


_PUCE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARQUES = re.compile(r"[*_`#>]|\[([^\]]*)\]\([^)]*\)")


def _metiers(catalogue: Catalogue, fiche: Fiche) -> tuple[list[Metier], int]:
    """The first jobs of the fiche: its ROME codes with their words (the fiche's, else the site's
    label of the code, which `("liens", n)` covers), else the first items of its "types d'emplois
    accessibles", else its ROME codes said as codes. A student reads a job, never a bare code."""
    terms = catalogue.term_index()

    def libelle(code: str, own: str | None) -> str | None:
        term = terms.get(("rome", code_slug(code)))
        label = own or (term.libelle if term else None)
        return label if label and label != code else None

    romes = [(r.code, libelle(r.code, r.libelle)) for r in fiche.rome]
    jobs = [Metier(label, code) for code, label in romes if label and not rome_domaine(code)] or \
           [Metier(label, code) for code, label in romes if label]
    if jobs:
        return jobs[:METIERS], len(jobs) - len(jobs[:METIERS])
    items = _emplois(fiche.type_emploi_accessibles or "")
    if items:
        return [Metier(x, None) for x in items[:METIERS]], max(0, len(items) - METIERS)
    codes = [Metier(f"métier ROME {code}", code) for code, _ in romes]
    return codes[:METIERS], len(codes) - len(codes[:METIERS])


def _emplois(texte: str) -> list[str]:
    """The jobs of a "types d'emplois accessibles" text: its list items when it has a list, else
    its lines, split at commas and semicolons; never a line that introduces the others (one
    ending with a colon, like "Les emplois accessibles sont les suivants :")."""
    lines = [line for line in texte.splitlines() if line.strip()]
    if any(_PUCE.match(line) for line in lines):
        lines = [line for line in lines if _PUCE.match(line)]
    items: list[str] = []
    for line in lines:
        text = _MARQUES.sub(lambda m: m.group(1) or "", _PUCE.sub("", line))
        if text.rstrip(" \u00a0").endswith(":"):
            continue
        for part in re.split(r"[,;]", text):
            part = part.strip(" .:\u00a0")
            if part and part.lower() not in (x.lower() for x in items):
                items.append(part[:1].upper() + part[1:])
    return items


def _ville(place: Place) -> tuple[tuple[str, str], str, int]:
    """A place's town: its key (arrondissements are their city), its name, its population."""
    commune = place.position.commune if place.position else None
    if commune is None:
        nom = place.lieu.commune or ""
        return ("", cle(nom)), re.sub(r"(?i)\s+cedex\b.*$", "", nom).strip(), 0
    g = gazetteer()
    key = (commune.departement, g.cles[commune.insee])
    ville = g.par_nom.get(key) or [commune]
    principale = max(ville, key=lambda c: (len(c.codes_postaux), -len(c.nom)))  # Paris, not Paris 8e
    population = max(c.population for c in ville)  # a city's, not one of its arrondissements'
    return key, principale.nom, population


def _villes(sur_place: list[Place]) -> list[str]:
    """The towns of the places, most populous first (then those with most places, then by name)."""
    towns: dict[tuple[str, str], list] = {}
    for place in sur_place:
        key, nom, population = _ville(place)
        if not nom:
            continue
        entry = towns.setdefault(key, [nom, population, 0])
        entry[2] += 1
    ranked = sorted(towns.values(), key=lambda t: (-t[1], -t[2], cle(t[0]), t[0]))
    return [t[0] for t in ranked]


TAUX = (("taux_insertion_global_6mois", "en emploi 6 mois après"),
        ("taux_insertion_metier_6mois", "dans le métier 6 mois après"),
        ("taux_insertion_metier_2ans", "dans le métier 2 ans après"))


def _resultats(statistiques: list[StatistiquePromotion]) -> Resultats | None:
    """The latest promotion with a figure: its certified and its first known insertion rate."""
    for s in sorted(statistiques, key=lambda s: s.annee, reverse=True):
        taux = next(((getattr(s, attr), libelle) for attr, libelle in TAUX if getattr(s, attr) is not None), (None, ""))
        if s.nombre_certifies is not None or taux[0] is not None:
            return Resultats(s.annee, s.nombre_certifies, taux[0], taux[1])
    return None

