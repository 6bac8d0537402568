"""Import fiches from France compétences' official open-data export into YAML fiches.

The XML flux v4.1 (about 570 MB, also zipped as published) is streamed: each `FICHE` element
is converted, then freed, so memory stays bounded whatever the size. The CSV export (a zip of
10 tables) gives the fields it has. Re-importing refreshes the official fields of a fiche and
keeps everything the school added (places, coordinates, its own texts, comments).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from .errors import BuildError

ROUTES = ("FI", "CA", "FC", "CQ", "CL", "VAE")
# Fields the official export fills; on re-import they are replaced when the export has them.
OFFICIAL = {
    "numero", "intitule", "abrege", "etat_fiche", "actif", "type_enregistrement", "niveau", "certificateurs",
    "nsf", "formacodes", "rome", "ccn", "objectifs_contexte", "activites_visees", "capacites_attestees",
    "secteurs_activite", "type_emploi_accessibles", "reglementations_activites", "prerequis_entree_formation",
    "prerequis_validation_certification", "blocs", "voies_acces", "accessible_nouvelle_caledonie",
    "accessible_polynesie_francaise", "date_decision", "date_effet", "date_dernier_jo", "date_fin_enregistrement",
    "date_limite_delivrance", "duree_enregistrement", "publication_decret_general", "publication_decret_creation",
    "publication_decret_autre", "anciennes_certifications", "nouvelles_certifications", "correspondances",
    "statistiques", "partenaires", "autres_sources_information", "source_officielle", "date_de_publication",
    "annees_promotions_niveau", "validation_partielle", "validation_partielle_perimetre", "niveau_maitrise_competences",
    "duree_validite", "modalites_renouvellement",
}


# -- values ------------------------------------------------------------------------------

def date_iso(text: str | None) -> str | None:
    """`07/06/2019` -> `2019-06-07`."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text)
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else None


def booleen(text: str | None) -> bool | None:
    value = (text or "").strip().lower()
    return {"oui": True, "non": False, "active": True, "inactive": False}.get(value)


def niveau(text: str | None) -> int | None:
    match = re.fullmatch(r"\s*NIV([1-8])\s*", text or "")
    return int(match[1]) if match else None


def entier(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def urls(text: str | None) -> list[str]:
    """`LIEN_URL_DESCRIPTION` may hold several addresses, with junk between them."""
    found = []
    for token in re.split(r"[\s;,]+", text or ""):
        token = token.strip("*()<>\"'")
        if re.match(r"https?://\S+\.\S+", token):
            found.append(token)
        elif re.match(r"www\.\S+\.\S+", token):
            found.append("https://" + token)
    return list(dict.fromkeys(found))


def markdown(text: str | None) -> str | None:
    """Rich text the export flattened (line breaks became runs of spaces, bullets `- `, `* `
    and `o ` for a second level) -> Markdown paragraphs and nested lists."""
    if not text or not text.strip():
        return None
    text = re.sub(r";\s+(?=[-*•]\s)", ";  ", text.strip())  # "mosaïques; - cloisonnements": two items
    segments = [s.strip() for s in re.split(r"\s{2,}|\n+", text) if s.strip()]
    blocks: list[str] = []
    for segment in segments:
        if re.match(r"^[-*•]\s+", segment):
            line, kind = "- " + re.sub(r"^[-*•]\s+", "", segment), "list"
        elif re.match(r"^o\s+", segment) and blocks and blocks[-1].startswith(("- ", "  - ")):
            line, kind = "  - " + segment[2:].strip(), "list"
        else:
            line, kind = segment, "text"
        if kind == "list" and blocks and blocks[-1].lstrip().startswith("- "):
            blocks[-1] += "\n" + line
        elif kind == "text" and blocks and not blocks[-1].lstrip().startswith("- ") and not blocks[-1].endswith((".", ":", "!", "?")):
            blocks[-1] += " " + line  # a sentence cut by a line break
        else:
            blocks.append(line)
    return "\n\n".join(blocks)


# -- the XML flux ------------------------------------------------------------------------

def _text(element: ElementTree.Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _items(element: ElementTree.Element, path: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    items = []
    for node in element.findall(path):
        item = {key: _text(node, tag) for key, tag in fields.items()}
        if any(value is not None for value in item.values()):
            items.append({k: v for k, v in item.items() if v is not None})
    return items


def from_xml(fiche: ElementTree.Element) -> dict[str, Any]:
    """One `FICHE` element -> a fiche in our model (keys in the model's order)."""
    numero = _text(fiche, "NUMERO_FICHE") or ""
    data: dict[str, Any] = {"numero": numero, "intitule": _text(fiche, "INTITULE")}
    if _text(fiche, "ABREGE/CODE"):
        data["abrege"] = {"code": _text(fiche, "ABREGE/CODE"), "libelle": _text(fiche, "ABREGE/LIBELLE")}
    data["etat_fiche"] = _text(fiche, "ETAT_FICHE")
    data["actif"] = booleen(_text(fiche, "ACTIF"))
    data["type_enregistrement"] = _text(fiche, "TYPE_ENREGISTREMENT")
    data["niveau"] = niveau(_text(fiche, "NOMENCLATURE_EUROPE/NIVEAU"))
    data["certificateurs"] = certificateurs(_items(fiche, "CERTIFICATEURS/CERTIFICATEUR", {
        "nom": "NOM_CERTIFICATEUR", "siret": "SIRET_CERTIFICATEUR", "nom_commercial": "NOM_COMMERCIAL",
        "site_internet": "SITE_INTERNET", "etat": "ETAT_CERTIFICATEUR"}))
    data["nsf"] = _items(fiche, "CODES_NSF/NSF", {"code": "CODE", "libelle": "LIBELLE"})
    data["formacodes"] = _items(fiche, "FORMACODES/FORMACODE", {"code": "CODE", "libelle": "LIBELLE"})
    data["rome"] = _items(fiche, "CODES_ROME/ROME", {"code": "CODE", "libelle": "LIBELLE"})
    data["ccn"] = _items(fiche, "CODES_IDCC/IDCC", {"numero": "CODE", "libelle": "LIBELLE"}) + [
        {"numero": _text(fiche, f"CCN_{i}/NUMERO"), "libelle": _text(fiche, f"CCN_{i}/LIBELLE")}
        for i in (1, 2, 3) if _text(fiche, f"CCN_{i}/NUMERO")]
    for key in ("objectifs_contexte", "activites_visees", "capacites_attestees", "secteurs_activite",
                "type_emploi_accessibles", "reglementations_activites", "prerequis_entree_formation",
                "prerequis_validation_certification"):
        data[key] = markdown(_text(fiche, key.upper()))
    data["blocs"] = blocs(numero, _items(fiche, "BLOCS_COMPETENCES/BLOC_COMPETENCES", {
        "code": "CODE", "libelle": "LIBELLE", "liste_competences": "LISTE_COMPETENCES",
        "modalites_evaluation": "MODALITES_EVALUATION", "prerequis_entree_formation_bloc": "PREREQUIS_ENTREE_FORMATION_BLOC",
        "prerequis_validation_bloc": "PREREQUIS_VALIDATION_BLOC"}))
    data["voies_acces"] = {
        route: {k: v for k, v in {"actif": booleen(_text(fiche, f"SI_JURY_{route}/ACTIF")),
                                  "composition_jury": markdown(_text(fiche, f"SI_JURY_{route}/COMPOSITION"))}.items()
                if v is not None}
        for route in ROUTES if fiche.find(f"SI_JURY_{route}") is not None
    }
    data["accessible_nouvelle_caledonie"] = booleen(_text(fiche, "ACCESSIBLE_NOUVELLE_CALEDONIE"))
    data["accessible_polynesie_francaise"] = booleen(_text(fiche, "ACCESSIBLE_POLYNESIE_FRANCAISE"))
    for key in ("date_decision", "date_effet", "date_dernier_jo", "date_fin_enregistrement", "date_limite_delivrance"):
        data[key] = date_iso(_text(fiche, key.upper()))
    data["duree_enregistrement"] = entier(_text(fiche, "DUREE_ENREGISTREMENT"))
    data["date_de_publication"] = date_iso(_text(fiche, "DATE_DE_PUBLICATION"))
    data["annees_promotions_niveau"] = [entier(y) for y in _codes(fiche, "ANNEES_PROMOTIONS_NIVEAU/ANNEE") if entier(y)]
    data["validation_partielle"] = booleen(_text(fiche, "VALIDATION_PARTIELLE"))
    data["validation_partielle_perimetre"] = markdown(_text(fiche, "VALIDATION_PARTIELLE_PERIMETRE"))
    data["niveau_maitrise_competences"] = markdown(_text(fiche, "NIVEAU_MAITRISE_COMPETENCES"))
    data["duree_validite"] = " ".join((_text(fiche, "DUREE_VALIDITE") or "").split()) or None
    data["modalites_renouvellement"] = markdown(_text(fiche, "MODALITES_RENOUVELLEMENT"))
    for kind in ("GENERAL", "CREATION", "AUTRE"):
        data[f"publication_decret_{kind.lower()}"] = [
            {k: v for k, v in {"titre": _text(node, "TITRE"), "date_publication_jo": date_iso(_text(node, "DATE_PUBLICATION_JO"))}.items() if v}
            for node in fiche.findall(f"PUBLICATION_DECRET_{kind}/PUBLICATION_JO") if _text(node, "TITRE")]
    data["anciennes_certifications"] = [{"numero": n} for n in _codes(fiche, "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION")]
    data["nouvelles_certifications"] = [{"numero": n} for n in _codes(fiche, "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION")]
    data["correspondances"] = [
        {k: v for k, v in {"bloc": _bloc_code(numero, _text(node, "SOURCE/BLOC_COMPETENCES/CODE")),
                           "numero": _text(node, "DESTINATION/NUMERO_FICHE"),
                           "bloc_correspondant": _bloc_code(_text(node, "DESTINATION/NUMERO_FICHE") or "",
                                                            _text(node, "DESTINATION/BLOC_COMPETENCES/CODE"))}.items() if v}
        for node in fiche.findall("CORRESPONDANCES/CORRESPONDANCE")]
    data["statistiques"] = [
        {k: entier(v) for k, v in item.items() if entier(v) is not None}
        for item in _items(fiche, "STATISTIQUES_PROMOTIONS/STATISTIQUES_PROMOTION", {
            "annee": "ANNEE", "nombre_certifies": "NOMBRE_CERTIFIES", "nombre_certifies_vae": "NOMBRE_CERTIFIES_VAE",
            "taux_insertion_global_6mois": "TAUX_INSERTION_GLOBAL_6MOIS", "taux_insertion_metier_6mois": "TAUX_INSERTION_METIER_6MOIS",
            "taux_insertion_metier_2ans": "TAUX_INSERTION_METIER_2ANS"})
        if entier(item.get("annee"))]
    data["partenaires"] = _items(fiche, "PARTENAIRES/PARTENAIRE", {
        "nom": "NOM_PARTENAIRE", "siret": "SIRET_PARTENAIRE", "habilitation": "HABILITATION_PARTENAIRE", "etat": "ETAT_HABILITATION"})
    data["autres_sources_information"] = urls(_text(fiche, "LIEN_URL_DESCRIPTION"))
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def _codes(element: ElementTree.Element, path: str) -> list[str]:
    return [node.text.strip() for node in element.findall(path) if node.text and node.text.strip()]


def _bloc_code(numero: str, code: str | None) -> str | None:
    """Bare codes (`01`, seen in the real export) take the fiche's number."""
    if not code:
        return None
    code = code.strip()
    return f"{numero}BC{int(code):02d}" if re.fullmatch(r"\d{1,2}", code) else code


def blocs(numero: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in items:
        item["code"] = _bloc_code(numero, item.get("code"))
        for key in ("liste_competences", "modalites_evaluation", "prerequis_entree_formation_bloc", "prerequis_validation_bloc"):
            if key in item:
                item[key] = markdown(item[key])
        for key in [k for k, v in item.items() if v is None]:
            del item[key]
    return sorted(items, key=lambda b: b.get("code") or "")


def certificateurs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A certifier listed twice (active and inactive) is kept once, active; SIRETs cleaned."""
    kept: dict[str, dict[str, Any]] = {}
    for item in items:
        if "siret" in item:
            item["siret"] = re.sub(r"\s", "", item["siret"])
            if not re.fullmatch(r"\d{14}", item["siret"]):
                del item["siret"]
        for key in ("site_internet",):
            if key in item:
                found = urls(item[key])
                if found:
                    item[key] = found[0]
                else:
                    del item[key]
        key = item.get("siret") or (item.get("nom") or "").strip().lower()
        if key not in kept or item.get("etat") == "Actif":
            kept[key] = item
    return list(kept.values())


def iter_xml(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """Stream the XML flux: one fiche at a time, each element freed once converted."""
    context = ElementTree.iterparse(stream, events=("start", "end"))
    _, root = next(context)
    for event, element in context:
        if event == "end" and element.tag == "FICHE":
            yield from_xml(element)
            element.clear()
            root.clear()  # drop the finished fiches: memory stays bounded


# -- the CSV export (10 tables) ----------------------------------------------------------

SI_JURY = {
    "après un parcours de formation sous statut d’élève ou d’étudiant": "FI",
    "en contrat d’apprentissage": "CA",
    "après un parcours de formation continue": "FC",
    "en contrat de professionnalisation": "CQ",
    "par candidature individuelle": "CL",
    "par expérience": "VAE",
}


def iter_csv_zip(archive: zipfile.ZipFile) -> Iterator[dict[str, Any]]:
    """The CSV export: codes, labels, dates, routes (no texts, no competences)."""
    tables: dict[str, list[dict[str, str]]] = {}
    for name in archive.namelist():
        match = re.search(r"export_fiches_CSV_(.+?)_\d{4}_\d{2}_\d{2}\.csv$", name)
        if match:
            with archive.open(name) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                tables[match[1]] = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(text, delimiter=";")]
    if "Standard" not in tables:
        raise BuildError("catalogue import: no Standard table in this CSV export")
    by_numero: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for table, rows in tables.items():
        if table != "Standard":
            for row in rows:
                by_numero[row.get("Numero_Fiche", "")][table].append(row)

    def label(text: str) -> str:
        return re.sub(r"^\s*\S+\s*:\s*", "", text).replace("''", "'")  # "326 : Informatique" -> "Informatique"

    for row in tables["Standard"]:
        numero = row["Numero_Fiche"]
        parts = by_numero.get(numero, {})
        data: dict[str, Any] = {
            "numero": numero, "intitule": row.get("Intitule") or None,
            "actif": booleen(row.get("Actif")), "type_enregistrement": row.get("Type_Enregistrement") or None,
            "niveau": niveau(row.get("Nomenclature_Europe_Niveau")),
            "certificateurs": certificateurs([{k: v for k, v in {"nom": r["Nom_Certificateur"], "siret": r.get("Siret_Certificateur", "")}.items() if v}
                                              for r in parts.get("Certificateurs", [])]),
            "nsf": [{"code": r["Nsf_Code"], "libelle": label(r["Nsf_Intitule"])} for r in parts.get("Nsf", [])],
            "formacodes": [{"code": r["Formacode_Code"], "libelle": label(r["Formacode_Libelle"])} for r in parts.get("Formacode", [])],
            "rome": [{"code": r["Codes_Rome_Code"], "libelle": r["Codes_Rome_Libelle"].replace("''", "'")} for r in parts.get("Rome", [])],
            "blocs": blocs(numero, [{"code": r["Bloc_Competences_Code"], "libelle": r["Bloc_Competences_Libelle"]}
                                    for r in next((v for k, v in parts.items() if k.startswith("Blocs")), [])]),
            "voies_acces": {SI_JURY[r["Si_Jury"].lower()]: {"actif": True}
                            for r in next((v for k, v in parts.items() if k.startswith("Voix")), []) if r["Si_Jury"].lower() in SI_JURY},
            "accessible_nouvelle_caledonie": booleen(row.get("Accessible_Nouvelle_Caledonie")),
            "accessible_polynesie_francaise": booleen(row.get("Accessible_Polynesie_Francaise")),
            "date_decision": date_iso(row.get("Date_Decision")), "date_effet": date_iso(row.get("Date_Effet")),
            "date_dernier_jo": date_iso(row.get("Date_dernier_jo")),
            "date_fin_enregistrement": date_iso(row.get("Date_Fin_Enregistrement")),
            "validation_partielle": booleen(row.get("Validation_Partielle")),
            "anciennes_certifications": [{"numero": r["Ancienne_Certification"]} for r in parts.get("Ancienne_Nouvelle_Certification", []) if r.get("Ancienne_Certification")],
            "nouvelles_certifications": [{"numero": r["Nouvelle_Certification"]} for r in parts.get("Ancienne_Nouvelle_Certification", []) if r.get("Nouvelle_Certification")],
            "partenaires": [{k: v for k, v in {"nom": r["Nom_Partenaire"], "siret": re.sub(r"\s", "", r.get("Siret_Partenaire", "")),
                                                "habilitation": r.get("Habilitation_Partenaire")}.items() if v} for r in parts.get("Partenaires", [])],
        }
        if row.get("Abrege_Libelle"):
            data["abrege"] = {"code": row["Abrege_Libelle"], "libelle": row.get("Abrege_Intitule") or None}
        yield {k: v for k, v in data.items() if v not in (None, [], {})}


# -- reading an export, whatever its packaging ----------------------------------------------

def read_export(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise BuildError(f"catalogue import: {path} not found")
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        xml = [n for n in archive.namelist() if n.lower().endswith(".xml")]
        if xml:
            with archive.open(xml[0]) as stream:
                yield from iter_xml(stream)
        else:
            yield from iter_csv_zip(archive)
        return
    with path.open("rb") as stream:
        yield from iter_xml(stream)


def export_date(path: Path, given: str | None) -> str:
    """The export's date: given, else from its name (`…_2026-08-16.xml`), else today."""
    if given:
        return given
    match = re.search(r"(\d{4})[-_](\d{2})[-_](\d{2})", path.name)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else dt.date.today().isoformat()


# -- writing, and merging with what the school added ------------------------------------------

@dataclass
class Outcome:
    numero: str
    path: Path
    action: str  # created, updated, unchanged
    changed: list[str]


def import_fiches(export: Path, content: Path, numeros: Iterable[str], everything: bool,
                  date: str | None = None, dry_run: bool = False) -> list[Outcome]:
    wanted = {n.strip().upper() for n in numeros}
    if not wanted and not everything:
        raise BuildError("catalogue import: name the fiches to import (RNCP35809 …), or --all")
    stamp = export_date(export, date)
    outcomes = []
    for data in read_export(export):
        if not everything and data.get("numero") not in wanted:
            continue
        data["source_officielle"] = {"nom": "France compétences (data.gouv.fr)", "date_export": stamp}
        outcomes.append(write_fiche(content, data, dry_run))
    missing = wanted - {o.numero for o in outcomes}
    if missing:
        raise BuildError(f"catalogue import: not in this export: {', '.join(sorted(missing))}")
    return outcomes


@cache
def _yaml() -> Any:
    """The round-trip YAML reader and writer, made once: `--all` writes thousands of fiches."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def write_fiche(content: Path, data: dict[str, Any], dry_run: bool) -> Outcome:
    yaml = _yaml()
    numero = data["numero"]
    target = content / "fiches" / f"{numero.lower()}.yaml"
    fresh = _literal(data)
    if target.exists():
        existing = yaml.load(target.read_text(encoding="utf-8")) or {}
        changed = [key for key in data if _plain(existing.get(key)) != _plain(data[key])]
        _merge(existing, {key: fresh[key] for key in changed})  # the school's fields stay, with their comments
        action, document = ("updated" if changed else "unchanged"), existing
    else:
        changed, action = list(data), "created"
        document = fresh
    if not dry_run and action != "unchanged":
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = io.StringIO()
        if action == "created":
            stream.write("# yaml-language-server: $schema=../../schema/fiche.schema.json\n")
            stream.write(f"# Importé de l'export officiel de France compétences ({data['source_officielle']['date_export']}).\n")
            stream.write("# Les champs officiels sont remis à jour à chaque import ; ajoutez les vôtres (lieux, textes).\n")
        yaml.dump(document, stream)
        target.write_text(stream.getvalue(), encoding="utf-8")
    return Outcome(numero, target, action, changed)


def _merge(existing: Any, fresh: dict[str, Any]) -> None:
    """Refresh official values in place: groups of fields are updated key by key, so that the
    comments attached to them (an editor's note after the last one, say) survive."""
    for key, value in fresh.items():
        old = existing.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(old, value)
        elif _plain(old) != _plain(value):
            existing[key] = value


def _literal(value: Any) -> Any:
    """Multi-line texts as `|` blocks, codes that look like numbers quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and re.fullmatch(r"\d+", value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)  # written bare, as editors write dates
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if value is not None and not isinstance(value, (bool, int)) else value
