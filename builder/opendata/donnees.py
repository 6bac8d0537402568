"""The catalogue as open data: each fiche as JSON beside its page (the model's vocabulary,
valid against `schema/fiche.schema.json`), and the whole catalogue as one CSV file for
spreadsheets, with the columns listed in COLONNES (the "Données ouvertes" page shows them).
"""

from __future__ import annotations

import csv
import io
import json

from ..content.catalogue import Catalogue, numero_order
from ..places.lieux import lieux
from ..content.model import Fiche
from ..content.places import departement
from ..reference.nomenclature import NIVEAUX
from ..content.schema import fiche_schema
from ..search.filtres import statut_libelle
from ..pages.urls import Urls

# Column, and what it holds (in French: the open data page lists them for reusers).
COLONNES = {
    "numero": "Numéro de la fiche (RNCP… ou RS…).",
    "intitule": "Intitulé de la certification.",
    "abrege": "Type de diplôme abrégé (BTS, TP…), s’il existe.",
    "niveau": "Niveau du cadre national, de 1 à 8 (vide pour le Répertoire spécifique).",
    "niveau_libelle": "Le niveau en toutes lettres, avec son équivalent (Bac+3…).",
    "statut": "active ou inactive, à la date de publication du site.",
    "date_effet": "Début de l’enregistrement en cours (AAAA-MM-JJ).",
    "date_fin_enregistrement": "Fin de l’enregistrement (AAAA-MM-JJ).",
    "certificateurs": "Organismes certificateurs, séparés par « | ».",
    "siret_certificateurs": "Leurs SIRET, dans le même ordre (vide quand il manque).",
    "nsf": "Codes NSF, séparés par « | ».",
    "rome": "Codes ROME des métiers visés, séparés par « | ».",
    "blocs": "Codes des blocs de compétences, séparés par « | ».",
    "voies_acces": "Voies d’accès ouvertes : FI, CA, FC, CQ, CL, VAE, séparées par « | ».",
    "organismes_habilites": "Nombre d’organismes habilités.",
    "lieux_preparation": "Nombre de lieux de préparation sur place.",
    "departements": "Départements des lieux de préparation, séparés par « | ».",
    "a_distance": "oui quand la certification se prépare entièrement à distance quelque part.",
    "url": "Adresse de la page de la fiche sur ce site.",
    "url_json": "Adresse de la fiche en JSON (vide quand le site ne les publie pas).",
    "url_france_competences": "Adresse de la fiche officielle sur le site de France compétences.",
}
SEPARATEUR = " | "
FORMULE = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is a formula to a spreadsheet


def cellule(value: str) -> str:
    """A value a spreadsheet shows as text: one that would start a formula gets an apostrophe
    first (OWASP's advice against CSV injection); every other value is as the fiche has it."""
    return "'" + value if value.startswith(FORMULE) else value


def fiche_json(fiche: Fiche) -> bytes:
    """The fiche as its YAML file says it, in JSON: the model's fields, defaults left out (the
    schema gives them)."""
    data = fiche.model_dump(mode="json", exclude_defaults=True)
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def schema_json() -> bytes:
    return fiche_schema().encode()


def ligne(fiche: Fiche, catalogue: Catalogue, urls: Urls, with_json: bool) -> list[str]:
    joined = SEPARATEUR.join
    places = lieux(fiche)
    departements = sorted({d.code for d in map(departement, places.sur_place) if d})  # as on the département pages
    row = {
        "numero": fiche.numero,
        "intitule": fiche.intitule,
        "abrege": fiche.abrege.code if fiche.abrege else "",
        "niveau": str(fiche.niveau or ""),
        "niveau_libelle": NIVEAUX[fiche.niveau].libelle if fiche.niveau else "",
        "statut": statut_libelle(catalogue, fiche).lower(),
        "date_effet": fiche.date_effet.isoformat() if fiche.date_effet else "",
        "date_fin_enregistrement": fiche.date_fin_enregistrement.isoformat() if fiche.date_fin_enregistrement else "",
        "certificateurs": joined(c.nom for c in fiche.certificateurs),
        "siret_certificateurs": joined(c.siret or "" for c in fiche.certificateurs),
        "nsf": joined(n.code for n in fiche.nsf),
        "rome": joined(r.code for r in fiche.rome),
        "blocs": joined(b.code for b in catalogue.blocs(fiche)),
        "voies_acces": joined(code for code, voie in fiche.voies_acces if voie.actif),
        "organismes_habilites": str(fiche.nombre_partenaires),
        "lieux_preparation": str(len(places.sur_place)),
        "departements": joined(departements),
        "a_distance": "oui" if places.a_distance else "non",
        "url": urls.absolute(urls.fiche(fiche)),
        "url_json": urls.absolute(urls.fiche_json(fiche)) if with_json else "",
        "url_france_competences": urls.france_competences(fiche.numero),
    }
    return [cellule(row[column]) for column in COLONNES]


_LIGNES: dict[tuple, list[str]] = {}  # (number, hash of its file, status, site address, JSON) -> its row


def catalogue_csv(catalogue: Catalogue, urls: Urls, with_json: bool) -> bytes:
    """Every fiche, in number order; `;` between columns and a byte order mark, as spreadsheets
    set up for French expect (Excel, LibreOffice). A long-lived process keeps the rows of the
    fiches whose file did not change (`catalogue serve` remakes the file after each edit)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLONNES)
    rows: dict[tuple, list[str]] = {}
    for fiche in sorted(catalogue.fiches, key=numero_order):
        sha = catalogue.digests.get(fiche.numero)
        key = (fiche.numero, sha, catalogue.est_active(fiche), urls.absolute(""), with_json)
        row = _LIGNES.get(key) if sha else None
        if row is None:
            row = ligne(fiche, catalogue, urls, with_json)
        rows[key] = row
        writer.writerow(row)
    _LIGNES.clear()
    _LIGNES.update((key, row) for key, row in rows.items() if key[1])
    return ("\ufeff" + out.getvalue()).encode()
