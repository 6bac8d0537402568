"""The JSON Schema of a fiche, for editors' tools (generated from the model)."""

from __future__ import annotations

import json
import re
from functools import cache

from .model import Fiche

SCHEMA_ID = "https://catalogue-rncp.example/schema/fiche.schema.json"


# French titles where the start of the description would not make one.
TITRES = {
    "accessible_nouvelle_caledonie": "Accessible en Nouvelle-Calédonie",
    "accessible_polynesie_francaise": "Accessible en Polynésie française",
    "actif": "Active",
    "lat": "Latitude",
    "lon": "Longitude",
    "a_distance": "Préparation à distance",
    "FI": "Formation initiale (élève ou étudiant)",
    "CA": "Contrat d'apprentissage",
    "FC": "Formation continue",
    "CQ": "Contrat de professionnalisation",
    "CL": "Candidature individuelle",
    "VAE": "Validation des acquis de l'expérience",
    "publication_decret_general": "Base légale : décret général",
    "publication_decret_creation": "Base légale : arrêté de création",
    "publication_decret_autre": "Base légale : autres textes",
    "facultatif": "Bloc facultatif",
    "formacodes": "Codes Formacode",
    "Voie.actif": "Voie ouverte",
}


def titre(name: str, description: str, group: str = "") -> str:
    """A short French title: the start of the description, up to its first pause."""
    if f"{group}.{name}" in TITRES or name in TITRES:
        return TITRES.get(f"{group}.{name}", TITRES.get(name, ""))
    return re.split(r" \(|, ex\.|\. | : | ; |\.$|, en Markdown", description, maxsplit=1)[0].strip()


@cache
def fiche_schema() -> str:
    """The JSON Schema of a fiche, from the model (made once per process)."""
    schema = Fiche.model_json_schema(mode="validation")
    for group, definition in [("Fiche", schema), *schema.get("$defs", {}).items()]:
        for name, prop in definition.get("properties", {}).items():
            prop["title"] = titre(name, prop.get("description", name), group)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
