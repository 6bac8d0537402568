"""Fiche files written by an import: rendered as YAML, merged into the school's file when it
exists, checked as `catalogue check` will check them, staged, then put in place together.

New files are rendered by `emit` (block style, texts as `|-` blocks, codes quoted), fast and
always the same. An existing file is updated in place by a round-trip YAML writer
(`ruamel.yaml`), so that what the school added (places, texts, comments) stays as written.
Every file is checked before it is staged: a file that would not pass `catalogue check` is
never written. Files are staged in a hidden folder beside the fiches and moved into place only
once the whole export has been read: a file that turns out to be damaged halfway leaves
`content/` as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content.catalogue import Checked, check_document
from ..content.load import _INT, _FLOAT, read_text, too_big
from ..content.model import Fiche, Lieu
from ..content.provenance import empreintes
from ..content.validate import model_of
from ..output.write import running

# Fields the official export fills; on re-import they are replaced (or removed when the export
# no longer has them). Everything else belongs to the school and is never touched.
OFFICIAL = (
    "numero", "intitule", "abrege", "etat_fiche", "actif", "type_enregistrement", "niveau", "certificateurs",
    "nsf", "formacodes", "rome", "ccn", "objectifs_contexte", "activites_visees", "capacites_attestees",
    "secteurs_activite", "type_emploi_accessibles", "reglementations_activites", "prerequis_entree_formation",
    "prerequis_validation_certification", "blocs", "validation_partielle", "validation_partielle_perimetre",
    "niveau_maitrise_competences", "duree_validite", "modalites_renouvellement", "voies_acces",
    "accessible_nouvelle_caledonie", "accessible_polynesie_francaise", "date_decision", "date_effet", "date_dernier_jo",
    "date_fin_enregistrement", "date_limite_delivrance", "date_de_publication", "annees_promotions_niveau",
    "duree_enregistrement", "publication_decret_general", "publication_decret_creation", "publication_decret_autre",
    "anciennes_certifications", "nouvelles_certifications", "correspondances", "statistiques", "partenaires",
    "autres_sources_information", "source_officielle",
)
FINGERPRINTED = tuple(name for name in OFFICIAL if name != "source_officielle")

HEADER = (
    "# yaml-language-server: $schema=../../schema/fiche.schema.json\n"
    "# Importé de l'export officiel de France compétences ({date}).\n"
    "# Les champs officiels sont remis à jour à chaque import ; ajoutez les vôtres (lieux, textes).\n"
)


# -- YAML for new files ---------------------------------------------------------------------

_RESERVED = re.compile(r"(?i)(y|n|yes|no|on|off|true|false|null|~|\.inf|-\.inf|\.nan|[-+]?0[xo]?[0-9a-f_]*)")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")


def _scalar(value: Any) -> str:
    """A scalar on one line, quoted when the plain form would be read otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = (_PLAIN.fullmatch(text) and not text.endswith((" ", ":")) and ": " not in text and " #" not in text
             and not _RESERVED.fullmatch(text) and not _INT.fullmatch(text) and not _FLOAT.fullmatch(text))
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # JSON's escapes are YAML's
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def _value(head: str, value: Any, indent: int, out: list[str]) -> None:
    """`head` (`key:` or `- key:`) followed by `value`, whose own lines are indented by `indent`."""
    if isinstance(value, dict):
        if not value:
            out.append(head + " {}")
            return
        out.append(head)
        for key, item in value.items():
            _value(" " * indent + f"{key}:", item, indent + 2, out)
    elif isinstance(value, list):
        if not value:
            out.append(head + " []")
            return
        out.append(head)
        for item in value:
            _item(item, indent, out)
    elif isinstance(value, str) and "\n" in value and not value.startswith((" ", "\n")) and re.fullmatch(r"[^\x00-\x08\x0b-\x1f\x7f]*", value):
        out.append(head + " |-")
        out.extend((" " * indent + line) if line else "" for line in value.split("\n"))
    else:
        out.append(f"{head} {_scalar(value)}")


def _item(item: Any, indent: int, out: list[str]) -> None:
    dash = " " * indent + "- "
    if isinstance(item, dict) and item:
        for n, (key, value) in enumerate(item.items()):
            _value((dash if n == 0 else " " * (indent + 2)) + f"{key}:", value, indent + 4, out)
    else:
        _value(dash[:-1], item, indent + 2, out)


def emit(data: dict[str, Any]) -> str:
    """A fiche as block-style YAML: lists indented under their key, texts as `|-` blocks."""
    out: list[str] = []
    for key, value in data.items():
        _value(f"{key}:", value, 2, out)
    return "\n".join(out) + "\n"


@cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[int, type[BaseModel] | None]]:
    """Each field of a model: its rank, and the model of its items or group."""
    return {name: (i, model_of(field.annotation)) for i, (name, field) in enumerate(model.model_fields.items())}


def ordered(value: Any, model: type[BaseModel] | None = Fiche) -> Any:
    """Keys in the model's order, at every level (the order of the guide and the schema)."""
    if isinstance(value, list):
        return [ordered(item, model) for item in value]
    if not isinstance(value, dict) or model is None:
        return value
    fields = _fields(model)
    last = (len(fields), None)
    keys = sorted(value, key=lambda k: (fields.get(k, last)[0], str(k)))
    return {k: ordered(value[k], fields.get(k, last)[1]) for k in keys}


# -- the check every written file passes -------------------------------------------------------

def check(text: str, name: str) -> Checked:
    """The file as `catalogue check` reads it (the same size limit, reader, model, rules and lint)."""
    raw, shown = text.encode("utf-8"), f"content/fiches/{name}"
    big = too_big(len(raw), shown)
    if big:
        return Checked(None, big)
    document, problems = read_text(raw, shown)
    return check_document(document, problems, name)


def first_error(checked: Checked) -> str | None:
    errors = [p for p in checked.problems if p.severity == "error"]
    return errors[0].format() if errors else None


# -- merging into the school's file ---------------------------------------------------------------

@cache
def _yaml() -> Any:
    """The round-trip YAML reader and writer, made once."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _literal(value: Any) -> Any:
    """For ruamel: multi-line texts as `|` blocks, codes that look like numbers quoted."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and (_INT.fullmatch(value) or _FLOAT.fullmatch(value) or _RESERVED.fullmatch(value)):
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


def merge(text: str, data: dict[str, Any]) -> tuple[str, list[str]]:
    """The school's file with its official fields replaced by `data`'s (removed when `data` has
    them no more), comments and the school's fields kept. Returns the text and the fields changed."""
    yaml = _yaml()
    document = yaml.load(text)
    rank = {name: i for i, name in enumerate(Fiche.model_fields)}
    changed = []
    for key in OFFICIAL:
        if key not in data:
            if key in document:
                del document[key]
                changed.append(key)
            continue
        if _plain(document.get(key)) == _plain(data[key]):
            continue
        changed.append(key)
        fresh = _literal(data[key])
        if key in document:
            _refresh(document, key, fresh)
        else:  # a new official field goes where the model puts it
            position = sum(1 for k in document if rank.get(k, len(rank)) < rank[key])
            document.insert(position, key, fresh)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue(), changed


def _refresh(parent: Any, key: str, fresh: Any) -> None:
    """Groups are updated key by key, so that comments attached to them survive."""
    old = parent.get(key)
    if isinstance(old, dict) and isinstance(fresh, dict):
        for k in [k for k in old if k not in fresh]:
            del old[k]
        for k, value in fresh.items():
            _refresh(old, k, value)
    elif _plain(old) != _plain(fresh):
        parent[key] = fresh


# -- places of the training offer, spliced into the school's file ---------------------------------

_TOP_KEY = re.compile(r"[^\s#-]")  # a line that starts a top-level field
_PLACES = "lieux_preparation"
_AFTER_PLACES = ("autres_sources_information", "referentiel_url", "source_officielle")


def replace_places(text: str, data: dict[str, Any], keep: list[bool], places: list[dict[str, Any]]) -> str:
    """`text` (whose values are `data`) with its preparation places replaced: the items where
    `keep` is true stay as written, word for word with their comments, then come `places`.

    The block is rewritten line by line when it is written in block style, as editors and this
    importer write it; the result is read back and compared with what was meant, and any other
    layout goes through the round-trip writer instead."""
    spliced = _splice_places(text, keep, places)
    expected = [item for item, kept in zip(data.get(_PLACES) or [], keep) if kept] + places
    if spliced is not None and _reads_as(spliced, data, expected):
        return spliced
    yaml = _yaml()
    document = yaml.load(text)
    old = document.get(_PLACES) or []
    fresh = [item for item, kept in zip(old, keep) if kept] + [_literal(ordered(p, Lieu)) for p in places]
    if _PLACES in document:
        document[_PLACES] = fresh
    else:
        document.insert(_insert_at(list(document)), _PLACES, fresh)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _insert_at(keys: list[str]) -> int:
    for i, key in enumerate(keys):
        if key in _AFTER_PLACES:
            return i
    return len(keys)


def _splice_places(text: str, keep: list[bool], places: list[dict[str, Any]]) -> str | None:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if re.match(rf"{_PLACES}:", line)), None)
    block = emit({_PLACES: [ordered(p, Lieu) for p in places]}).splitlines(keepends=True)[1:] if places else []
    if start is None:  # no places yet: a new block, before the fields that end an imported file
        keys = [(i, m[1]) for i, line in enumerate(lines) if (m := re.match(r"([A-Za-z_][\w]*):", line))]
        at = next((i for i, key in keys if key in _AFTER_PLACES), len(lines))
        return "".join(lines[:at] + ([f"{_PLACES}:\n"] + block if places else []) + lines[at:])
    head = lines[start]
    if not re.fullmatch(rf"{_PLACES}:\s*(#.*)?\n", head) and not re.fullmatch(rf"{_PLACES}:\s*(\[\s*\]|null|~)?\s*\n", head):
        return None  # written in flow style: the round-trip writer takes it
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    body = lines[start + 1:end]
    starts = [i for i, line in enumerate(body) if re.match(r"\s*- ", line) or re.fullmatch(r"\s*-\s*\n", line)]
    indents = {len(body[i]) - len(body[i].lstrip()) for i in starts}
    if len(indents) > 1 or len(starts) != len(keep):
        return None
    items = [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)])]
    kept = [line for item, k in zip(items, keep) if k for line in item]
    indent = next(iter(indents), 2)
    shift = indent - 2  # the items' indentation in the file: emit's (2), more, or none ("- " at the margin)
    new = [(" " * shift + line) if shift > 0 and line.strip() else line[-shift:] if shift < 0 else line for line in block]
    trailing = body[: starts[0]] if starts else body  # comments before the first item stay
    header = head if (keep or places or not body) and "[" not in head else f"{_PLACES}:\n"
    if not kept and not new:
        return "".join(lines[:start] + lines[end:])
    return "".join(lines[:start] + [header] + trailing + kept + new + lines[end:])


def _reads_as(text: str, data: dict[str, Any], places: list[Any]) -> bool:
    """Whether `text` holds the values of `data`, its places replaced by `places`."""
    document, problems = read_text(text.encode("utf-8"), "check")
    if problems or not isinstance(document.data, dict):
        return False
    expected = {k: value for k, value in data.items() if k != _PLACES}
    if places:
        expected[_PLACES] = places
    got = dict(document.data)
    if not got.get(_PLACES):
        got.pop(_PLACES, None)
    return _plain(got) == _plain(expected)


# -- staging -------------------------------------------------------------------------------------

@dataclass
class Staging:
    """Files to put in place together, once the whole export has been read."""

    folder: Path  # content/fiches
    staged: dict[str, Path] = field(default_factory=dict)  # file name -> staged copy

    def __post_init__(self) -> None:
        for stale in self.folder.glob(".import-*"):  # left by an import that was killed
            pid = stale.name.removeprefix(".import-")
            if pid.isdigit() and not running(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        self.area = self.folder / f".import-{os.getpid()}"

    def put(self, name: str, text: str) -> Path:
        """Stage a file (from a worker too: the caller records what it returns in `staged`)."""
        self.area.mkdir(parents=True, exist_ok=True)
        target = self.area / name
        target.write_text(text, encoding="utf-8")
        self.staged[name] = target
        return target

    def commit(self) -> None:
        for name, staged in self.staged.items():
            os.replace(staged, self.folder / name)
        self.abort()

    def abort(self) -> None:
        shutil.rmtree(self.area, ignore_errors=True)
        self.staged.clear()


def fingerprints(fiche: Fiche) -> dict[str, str]:
    return empreintes(fiche, FINGERPRINTED)


def official_view(fiche: Fiche) -> dict[str, Any]:
    """What an import compares: the official fields, as validated."""
    return fiche.model_dump(mode="json", include=set(OFFICIAL), exclude_none=True, exclude_defaults=True)
