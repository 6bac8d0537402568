"""Taxonomies: levels, NSF codes, certifiers and ROME codes, each term with its fiches."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .model import Fiche
from .places import departement, places
from ..reference.nomenclature import NIVEAUX
from ..slugs import slugify, sort_key
from ..slugs import certificateur_slug, code_slug, departement_slug, niveau_slug


@dataclass
class Term:
    taxonomy: str
    slug: str
    libelle: str
    code: str | None = None
    fiches: list[Fiche] = field(default_factory=list)

    @property
    def titre(self) -> str:
        return f"{self.code} — {self.libelle}" if self.code and self.code != self.libelle else self.libelle


@dataclass
class Taxonomy:
    name: str  # also the URL segment
    titre: str
    description: str
    terms: list[Term]


Entry = tuple[str, str | None, str | None]  # slug, label (None: the fiche gives none), code


def _collect(fiches: Iterable[Fiche], entries: Callable[[Fiche], Iterable[Entry]]) -> dict[str, Term]:
    """Group fiches by term slug; a term's label is the one most fiches use (ties: alphabetical),
    its code when no fiche gives one."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    terms: dict[str, Term] = {}
    listed: set[tuple[str, str]] = set()  # (term, fiche number): a fiche is listed once per term
    for fiche in fiches:
        for slug, libelle, code in entries(fiche):
            term = terms.setdefault(slug, Term("", slug, libelle or code or slug, code))
            if (slug, fiche.numero) not in listed:
                listed.add((slug, fiche.numero))
                term.fiches.append(fiche)
            if libelle:
                labels[slug][libelle] += 1
    for slug, term in terms.items():
        if labels[slug]:
            term.libelle = min(labels[slug].items(), key=lambda kv: (-kv[1], sort_key(kv[0]), kv[0]))[0]
    return terms


def _niveaux(fiche: Fiche) -> list[Entry]:
    if fiche.niveau is None:
        return [(niveau_slug(None), "Sans niveau de qualification", None)]
    return [(niveau_slug(fiche.niveau), NIVEAUX[fiche.niveau].libelle, None)]


def _lieux(fiche: Fiche, niveau: str) -> list[Entry]:
    """The régions (or départements) where a fiche can be prepared, from its located places."""
    entries = []
    for place in places(fiche)[0]:
        if place.position is None or place.lieu.a_distance or (where := departement(place)) is None:
            continue
        if niveau == "regions":
            entries.append((slugify(where.region), where.region, None))
        else:
            entries.append((departement_slug(where.code, where.nom), f"{where.nom} ({where.code})", where.code))
    return entries


def build_taxonomies(fiches: list[Fiche]) -> dict[str, Taxonomy]:
    """`fiches` must already be sorted: each term lists its fiches in that order."""
    niveaux = _collect(fiches, _niveaux)
    nsf = _collect(fiches, lambda f: [(code_slug(n.code), n.libelle, n.code) for n in f.nsf])
    certificateurs = _collect(fiches, lambda f: [(certificateur_slug(c.nom), c.nom, None) for c in f.certificateurs])
    rome = _collect(fiches, lambda f: [(code_slug(r.code), r.libelle, r.code) for r in f.rome])
    regions = _collect(fiches, lambda f: _lieux(f, "regions"))
    deps = _collect(fiches, lambda f: _lieux(f, "departements"))

    def by_level(term: Term) -> int:
        return int(term.slug) if term.slug.isdigit() else 99  # "sans-niveau" last

    taxonomies = [
        Taxonomy("niveaux", "Niveaux de qualification",
                 "Les certifications classées par niveau du cadre national des certifications (de 1 à 8).",
                 sorted(niveaux.values(), key=by_level)),
        Taxonomy("nsf", "Domaines de formation (NSF)",
                 "Les certifications classées par spécialité de formation (nomenclature NSF).",
                 sorted(nsf.values(), key=lambda t: t.slug)),
        Taxonomy("certificateurs", "Certificateurs",
                 "Les organismes qui délivrent les certifications du catalogue.",
                 sorted(certificateurs.values(), key=lambda t: (sort_key(t.libelle), t.slug))),
        Taxonomy("rome", "Métiers (codes ROME)",
                 "Les métiers proches des certifications, selon le répertoire ROME de France Travail.",
                 sorted(rome.values(), key=lambda t: t.slug)),
        Taxonomy("regions", "Régions",
                 "Les certifications que l’on peut préparer dans chaque région (hors formation à distance).",
                 sorted(regions.values(), key=lambda t: (sort_key(t.libelle), t.slug))),
        Taxonomy("departements", "Départements",
                 "Les certifications que l’on peut préparer dans chaque département (hors formation à distance).",
                 sorted(deps.values(), key=lambda t: t.slug)),
    ]
    for taxonomy in taxonomies:
        for term in taxonomy.terms:
            term.taxonomy = taxonomy.name
    return {t.name: t for t in taxonomies}
