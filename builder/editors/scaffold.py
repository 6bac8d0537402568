"""`catalogue new RNCP12345`: a fiche skeleton with every field and a French comment on each,
generated from the model, so that it never drifts from what `check` accepts."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content.fieldtypes import NUMERO_PATTERN, check_numero
from ..content.model import Fiche
from ..content.validate import model_of

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/fiche.schema.json"

# Example items shown (commented out) under optional lists, so that editors see the shape.
EXEMPLES = {
    "nsf": ["code: \"326\"", "libelle: Informatique, traitement de l'information, réseaux de transmission"],
    "rome": ["code: M1805", "libelle: Études et développement informatique"],
    "formacodes": ["code: \"12345\"", "libelle: Libellé du Formacode"],
    "ccn": ["numero: \"1486\"", "libelle: Bureaux d'études techniques"],
    "blocs": ["code: {numero}BC01", "libelle: Concevoir un projet", "liste_competences: |", "  - Analyser le besoin"],
    "lieux_preparation": ["organisme: Campus de Lyon", "adresse: 11 passage Panama", "code_postal: \"69002\"", "commune: Lyon"],
    "lieux_certification": ["organisme: Campus de Lyon", "code_postal: \"69002\"", "commune: Lyon"],
    "anciennes_certifications": ["numero: RNCP9052", "intitule: Ancien intitulé"],
    "nouvelles_certifications": ["numero: RNCP40000"],
    "correspondances": ["bloc: {numero}BC01", "numero: RNCP9052", "bloc_correspondant: RNCP9052BC01"],
    "statistiques": ["annee: 2024", "nombre_certifies: 120", "taux_insertion_global_6mois: 81"],
    "statistiques_organismes": ["organisme: Campus de Lyon", "titres_par_an: 20"],
    "partenaires": ["nom: Campus de Lyon", "habilitation: HABILITATION_FORMER"],
    "publication_decret_general": ["titre: Décret du …", "date_publication_jo: 2019-06-07"],
    "publication_decret_creation": ["titre: Arrêté du …", "date_publication_jo: 2019-06-07"],
    "publication_decret_autre": ["titre: Arrêté du …", "date_publication_jo: 2019-06-07"],
    "autres_sources_information": ["https://www.exemple.fr"],
}


def skeleton(numero: str) -> str:
    lines = [
        SCHEMA_LINE,
        f"# Fiche {numero}. Remplissez les champs utiles et supprimez ou laissez vides les autres ;",
        "# `catalogue check` signale tout oubli. Guide : docs/guide-redaction.md",
        "",
    ]
    for name, field in Fiche.model_fields.items():
        lines += _comment(field.description)
        lines += _field(name, field, numero, "")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _comment(description: str | None, indent: str = "") -> list[str]:
    return [f"{indent}# {description}"] if description else []


def _field(name: str, field: Any, numero: str, indent: str) -> list[str]:
    annotation = field.annotation
    model = model_of(annotation)
    is_list = typing.get_origin(annotation) is list
    if name == "numero":
        return [f"{indent}numero: {numero}"]
    if is_list and field.is_required():  # a required list (certificateurs): one item to fill
        return [f"{indent}{name}:", *_item(model, f"{indent}  ")]
    if is_list:
        example = [line.format(numero=numero) for line in EXEMPLES.get(name, [])]
        shown = [f"{indent}#   - {example[0]}", *(f"{indent}#     {line}" for line in example[1:])] if example else []
        return [f"{indent}{name}: []", *shown]
    if model is not None:  # a group of fields: voies_acces, abrege
        if name == "abrege":
            return [f"{indent}abrege:  # exemple : code: BTS"]
        if field.default is None and not field.is_required():  # optional, filled by tools (source_officielle)
            return [f"{indent}{name}:"]
        out = [f"{indent}{name}:"]
        for sub, subfield in model.model_fields.items():
            out += _comment(subfield.description, indent + "  ")
            out += _field(sub, subfield, numero, indent + "  ")
        return out
    return [f"{indent}{name}:"]


def _item(model: type[BaseModel] | None, indent: str) -> list[str]:
    if model is None:
        return [f"{indent}- "]
    out = []
    for i, (name, field) in enumerate(model.model_fields.items()):
        prefix = f"{indent}- " if i == 0 else f"{indent}  "
        comment = f"  # {field.description}" if field.description else ""
        out.append(f"{prefix}{name}:{comment}")
    return out


def write_skeleton(content: Path, numero: str) -> Path:
    """Write content/fiches/<numero>.yaml; refuse a malformed number or an existing file."""
    import re

    from ..errors import BuildError

    try:
        numero = check_numero(numero)
    except Exception as exc:  # the validator's message says what was expected
        message = getattr(exc, "context", None) or {}
        raise BuildError(f"{message.get('message', exc)}") from None
    assert re.fullmatch(NUMERO_PATTERN, numero)
    target = content / "fiches" / f"{numero.lower()}.yaml"
    if target.exists():
        raise BuildError(f"{target} already exists; edit it, or choose another number")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(numero), encoding="utf-8")
    return target
