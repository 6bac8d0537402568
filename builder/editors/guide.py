"""The field reference of the editors' guide (docs/guide-redaction.md), generated from the
models so that every field is explained, with an example, and none is forgotten.

    python -m builder.editors.guide           # rewrite the reference section of the guide
    python -m builder.editors.guide --check   # fail if it is out of date (a test does this)
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..content.model import Fiche
from ..content.settings import Site
from ..content.validate import model_of

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide-redaction.md"
START, END = "<!-- champs:début (généré par python -m builder.editors.guide) -->", "<!-- champs:fin -->"

# Examples where the example fiches have none: by (group, field), by field, then by kind.
EXEMPLES = {
    ("Abrege", "code"): "BTS", ("Abrege", "libelle"): "Brevet de technicien supérieur",
    ("Bloc", "code"): "RNCP26224BC01", ("Correspondance", "bloc"): "RNCP26224BC01",
    ("FormacodeRef", "code"): '"12345"', ("Ccn", "numero"): '"1486"', ("Ccn", "libelle"): "Bureaux d'études techniques",
    "lat": "45.7640", "lon": "4.8357", "siret": '"12345678900011"', "code_postal": '"69002"',
    "declare_par": "Carrel formation continue", "numero": "RNCP26224", "bloc_correspondant": "RNCP9052BC01",
    "couleur_principale": '"#1d4e89"', "logo": "gabarits/logo.svg", "dossier_gabarits": "gabarits",
    ("FormacodeRef", "libelle"): "libellé officiel du Formacode", ("Partenaire", "nom"): "Lycée Exemple",
    ("Contact", "adresse"): "1 rue de l'Exemple, 69002 Lyon", ("LienPied", "libelle"): "Mentions légales",
    "nom_commercial": "IESA Multimédia", "telephone": "04 78 00 00 00",
    ("Lieu", "code_insee"): '"35238"', ("Lieu", "heures"): "1350", ("Lieu", "session_debut"): "2026-09",
    ("Lieu", "session_fin"): "2028-06", ("Lieu", "alternance"): "Deux semaines en centre, deux semaines en entreprise.",
    ("Offre", "source"): "offres-formation-bretagne", ("Offre", "numero"): "F-1001/A-1", ("Offre", "date"): "2026-11-01",
    ("Offre", "empreinte"): "(écrite par catalogue import)",
    "date": "2024-06-07", "booleen": "true", "url": "https://www.exemple.fr/", "entier": "3",
}


def _kind(field: Any) -> str:
    text = f"{field.annotation} {field.metadata}"
    for kind, marker in (("date", "check_date"), ("booleen", "check_booleen"), ("url", "check_url"),
                         ("markdown", "check_markdown"), ("entier", "check_entier")):
        if marker in text:
            return kind
    return ""


def _examples() -> dict[tuple[str, str], Any]:
    """(model name, field) -> the first value the example content gives it."""
    found: dict[tuple[str, str], Any] = {}

    def walk(model: type[BaseModel], data: Any) -> None:
        if not isinstance(data, dict):
            return
        for name, field in model.model_fields.items():
            if name not in data or data[name] in (None, [], {}):
                continue
            value = data[name]
            found.setdefault((model.__name__, name), value)
            nested = model_of(field.annotation)
            if nested:
                for item in value if isinstance(value, list) else [value]:
                    walk(nested, item)

    for file in sorted((ROOT / "content" / "fiches").glob("*.yaml")):
        walk(Fiche, yaml.safe_load(file.read_text(encoding="utf-8")))
    walk(Site, yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8")))
    return found


def _show(group: str, name: str, field: Any, value: Any) -> str:
    if value is None:
        if model_of(field.annotation):
            return "voir ci-dessous"
        kind = _kind(field)
        value = EXEMPLES.get((group, name)) or EXEMPLES.get(name) or EXEMPLES.get(kind)
        if value is None and kind == "markdown":
            return f"`{name}: |` puis le texte sur les lignes suivantes, décalées de deux espaces"
        if value is None and typing.get_origin(field.annotation) is list:
            return "—"
        if value is None:
            args = typing.get_args(field.annotation)
            literal = next((a for a in args if typing.get_origin(a) is typing.Literal), None)
            value = typing.get_args(literal)[0] if literal else "…"
        return f"`{name}: {value}`"
    if isinstance(value, list):
        return "voir ci-dessous" if value and isinstance(value[0], dict) else f"`{name}:` puis `- {_short(value[0])}`"
    if isinstance(value, dict):
        return "voir ci-dessous"
    if isinstance(value, bool):
        return f"`{name}: {'true' if value else 'false'}`"
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value):  # "35238", "06560": quoted, as they must be written
        return f'`{name}: "{_short(value)}"`'
    return f"`{name}: {_short(value)}`"


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "…"


def reference() -> str:
    """The Markdown of the field reference: one table per group of fields."""
    examples = _examples()
    sections, seen = [], set()

    def table(model: type[BaseModel], title: str) -> None:
        if model.__name__ in seen:
            return
        seen.add(model.__name__)
        lines = [f"### {title}", "", "| champ | ce qu’il contient | exemple |", "|---|---|---|"]
        nested: list[tuple[type[BaseModel], str]] = []
        names: dict[str, list[str]] = {}  # a model several fields hold (places of preparation and of certification)
        for name, field in model.model_fields.items():
            sub = model_of(field.annotation)
            if sub:
                names.setdefault(sub.__name__, []).append(f"`{name}`")
        for name, field in model.model_fields.items():
            required = " **(obligatoire)**" if field.is_required() else ""
            description = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {description}{required} | {_show(model.__name__, name, field, examples.get((model.__name__, name)))} |")
            sub = model_of(field.annotation)
            if sub and sub.__name__ not in {m.__name__ for m, _ in nested}:
                fields = names[sub.__name__]
                nested.append((sub, f"{title} › {', '.join(fields[:-1]) + ' et ' if len(fields) > 1 else ''}{fields[-1]}"))
        sections.append("\n".join(lines))
        for sub, sub_title in nested:
            table(sub, sub_title)

    table(Fiche, "Une fiche (`content/fiches/rncp….yaml`)")
    table(Site, "Les réglages du site (`content/site.yaml`)")
    return "\n\n".join(sections) + "\n"


def render_guide(text: str) -> str:
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n\n{reference()}\n{END}{after}"


def main(argv: list[str]) -> int:
    current = GUIDE.read_text(encoding="utf-8")
    wanted = render_guide(current)
    if "--check" in argv:
        if current != wanted:
            print(f"{GUIDE} is out of date: run `python -m builder.editors.guide`", file=sys.stderr)
            return 1
        return 0
    GUIDE.write_text(wanted, encoding="utf-8")
    print(f"wrote the field reference of {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
