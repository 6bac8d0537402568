"""The JSON Schema of a fiche, for editors' tools (generated from the model)."""

from __future__ import annotations

import json

from .model import Fiche

SCHEMA_ID = "https://catalogue-rncp.example/schema/fiche.schema.json"


def fiche_schema() -> str:
    schema = Fiche.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
