"""The JSON Schema for editors' tools is generated from the model and kept current."""

import json

from builder.content.model import Fiche
from builder.content.schema import fiche_schema

from .conftest import ROOT


def test_schema_file_is_current():
    committed = (ROOT / "schema" / "fiche.schema.json").read_text(encoding="utf-8")
    assert committed == fiche_schema(), "schema/fiche.schema.json is out of date: run `catalogue schema`"


def test_schema_forbids_unknown_keys_and_documents_every_field():
    schema = json.loads(fiche_schema())
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(Fiche.model_fields)
    assert all(prop.get("description") for prop in schema["properties"].values())
    for name, definition in schema["$defs"].items():
        assert definition.get("additionalProperties") is False, name
        assert all(p.get("description") for p in definition["properties"].values()), name


def test_schema_accepts_the_seed_fiches():
    """The seeds, read as plain YAML, satisfy the schema's required fields and patterns."""
    import re

    import yaml

    schema = json.loads(fiche_schema())
    for file in sorted((ROOT / "content" / "fiches").glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert set(schema["required"]) <= set(data)
        assert re.fullmatch(schema["properties"]["numero"]["pattern"], data["numero"])
