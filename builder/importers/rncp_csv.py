"""The official CSV export (a zip of 10 tables, one row per fiche or per item) -> fiches.

The tables are joined on `Numero_Fiche` in a temporary SQLite file, so that the whole national
export is read in bounded memory. The CSV gives codes, labels, dates, certifiers, partners,
bloc titles and open routes; no texts and no competences.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..importers import values as v
from .sources import ImportFileError, damaged

TABLE = re.compile(r"export_fiches_CSV_(.+?)_\d{4}_\d{2}_\d{2}\.csv$", re.IGNORECASE)

SI_JURY = {  # the six literal values of `Si_Jury`, apostrophes folded
    "apres un parcours de formation sous statut d'eleve ou d'etudiant": "FI",
    "en contrat d'apprentissage": "CA",
    "apres un parcours de formation continue": "FC",
    "en contrat de professionnalisation": "CQ",
    "par candidature individuelle": "CL",
    "par experience": "VAE",
}


def table_name(member: str) -> str | None:
    """`export_fiches_CSV_Blocs_De_Compétences_2026_08_16.csv` -> `blocs_de_competences`
    (the names are written with or without decomposed accents)."""
    match = TABLE.search(member)
    if not match:
        return None
    name = unicodedata.normalize("NFKD", match[1])
    return "".join(c for c in name if not unicodedata.combining(c)).lower()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _label(text: str | None) -> str | None:
    """`326 : Informatique` -> `Informatique`; doubled apostrophes undone."""
    text = v.ligne(text)
    if not text:
        return None
    return re.sub(r"^\s*[0-9A-Za-z]+\s*:\s*", "", text).replace("''", "'") or None


class Tables:
    """Every table of the zip, in a temporary SQLite file: (table, fiche number, row as JSON)."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="catalogue-import-csv-")
        self.db = sqlite3.connect(Path(self.folder.name) / "tables.db")
        self.db.execute("CREATE TABLE rows (tbl TEXT, numero TEXT, line INTEGER, row TEXT)")
        self.names: set[str] = set()

    def fill(self, archive: zipfile.ZipFile, wanted: set[str] | None) -> None:
        """Every row of every table of the zip (only the fiches `wanted`, when named)."""
        for member in sorted(archive.namelist()):
            name = table_name(member)
            if name is None:
                continue
            self.names.add(name)
            try:
                with archive.open(member) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                    reader = csv.DictReader(text, delimiter=";")
                    batch = []
                    for line, row in enumerate(reader):
                        clean = {str(k).strip(): (val or "").strip() for k, val in row.items() if k is not None and isinstance(val, str)}
                        numero = v.numero(clean.get("Numero_Fiche")) or ""
                        if wanted is not None and numero not in wanted:
                            continue
                        batch.append((name, numero, line, json.dumps(clean, ensure_ascii=False)))
                        if len(batch) >= 5000:
                            self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)
                            batch.clear()
                    self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"{member} is not UTF-8 text (byte {exc.start}): the CSV export is UTF-8; download it again") from None
            except csv.Error as exc:
                raise ImportFileError(f"{member} is not a readable CSV table ({exc}); download the export again") from None
            except damaged as exc:
                raise ImportFileError(f"the zip is damaged ({exc}) while reading {member}; download it again") from None
        self.db.execute("CREATE INDEX by_numero ON rows (numero, tbl, line)")

    def rows(self, table: str, numero: str) -> list[dict[str, str]]:
        return [json.loads(r) for (r,) in self.db.execute(
            "SELECT row FROM rows WHERE numero = ? AND tbl = ? ORDER BY line", (numero, table))]

    def standard(self) -> Iterator[dict[str, str]]:
        for (r,) in self.db.execute("SELECT row FROM rows WHERE tbl = 'standard' ORDER BY line"):
            yield json.loads(r)

    def close(self) -> None:
        self.db.close()
        self.folder.cleanup()


def iter_csv_zip(archive: zipfile.ZipFile, wanted: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Fiches of the CSV export, in the order of the Standard table."""
    tables = Tables()
    try:
        tables.fill(archive, wanted)
        if "standard" not in tables.names:
            raise ImportFileError("this zip holds no Standard table (export_fiches_CSV_Standard_….csv): "
                                  "it is not France compétences' CSV export")
        for row in tables.standard():
            yield from_csv(row, tables)
    finally:
        tables.close()


def from_csv(row: dict[str, str], tables: Tables) -> dict[str, Any]:
    numero = v.numero(row.get("Numero_Fiche")) or ""

    def part(name: str) -> list[dict[str, str]]:
        return tables.rows(name, numero) if numero else []

    def items(name: str, fields: dict[str, tuple[str, Any]]) -> list[dict[str, Any]]:
        found = []
        for r in part(name):
            item = {key: convert(r.get(column)) for key, (column, convert) in fields.items()}
            item = {k: value for k, value in item.items() if value not in (None, "")}
            if item:
                found.append(item)
        return found

    routes: dict[str, dict[str, bool]] = {}
    for r in part("voixdacces"):
        route = SI_JURY.get(_fold(r.get("Si_Jury") or ""))
        if route:
            routes[route] = {"actif": True}
    ccn = [item for r in part("ccn") for i in (1, 2, 3)
           if (item := {k: value for k, value in {"numero": v.compact(r.get(f"Ccn_{i}_Numero")),
                                                  "libelle": v.ligne(r.get(f"Ccn_{i}_Libelle"))}.items() if value})]
    links = part("ancienne_nouvelle_certification")
    data: dict[str, Any] = {
        "numero": numero,
        "intitule": v.ligne(row.get("Intitule")),
        "abrege": {k: value for k, value in {"code": v.ligne(row.get("Abrege_Libelle")),
                                             "libelle": v.ligne(row.get("Abrege_Intitule"))}.items() if value},
        "actif": v.booleen(row.get("Actif")),
        "type_enregistrement": v.ligne(row.get("Type_Enregistrement")),
        "niveau": v.niveau(row.get("Nomenclature_Europe_Niveau")),
        "certificateurs": items("certificateurs", {"nom": ("Nom_Certificateur", v.ligne), "siret": ("Siret_Certificateur", v.compact)}),
        "nsf": items("nsf", {"code": ("Nsf_Code", v.code_nsf), "libelle": ("Nsf_Intitule", _label)}),
        "formacodes": items("formacode", {"code": ("Formacode_Code", v.compact), "libelle": ("Formacode_Libelle", _label)}),
        "rome": items("rome", {"code": ("Codes_Rome_Code", v.code_rome), "libelle": ("Codes_Rome_Libelle", _label)}),
        "ccn": ccn,
        "blocs": items("blocs_de_competences", {"code": ("Bloc_Competences_Code", lambda t: v.code_bloc(numero, t)),
                                                "libelle": ("Bloc_Competences_Libelle", v.ligne)}),
        "voies_acces": routes,
        "accessible_nouvelle_caledonie": v.booleen(row.get("Accessible_Nouvelle_Caledonie")),
        "accessible_polynesie_francaise": v.booleen(row.get("Accessible_Polynesie_Francaise")),
        "date_decision": v.date_iso(row.get("Date_Decision")),
        "date_effet": v.date_iso(row.get("Date_Effet")),
        "date_dernier_jo": v.date_iso(row.get("Date_dernier_jo")),
        "date_fin_enregistrement": v.date_iso(row.get("Date_Fin_Enregistrement")),
        "validation_partielle": v.booleen(row.get("Validation_Partielle")),
        "anciennes_certifications": [{"numero": n} for r in links if (n := v.numero(r.get("Ancienne_Certification")))],
        "nouvelles_certifications": [{"numero": n} for r in links if (n := v.numero(r.get("Nouvelle_Certification")))],
        "partenaires": items("partenaires", {"nom": ("Nom_Partenaire", v.ligne), "siret": ("Siret_Partenaire", v.compact),
                                             "habilitation": ("Habilitation_Partenaire", v.compact)}),
    }
    return {k: value for k, value in data.items() if value not in (None, "", [], {})}
