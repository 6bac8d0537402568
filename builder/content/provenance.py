"""Which values of a fiche are official data left as imported.

`catalogue import` records, in `source_officielle.empreintes`, a fingerprint of each official
field as it wrote it. A warning about a field whose value still has that fingerprint is about
France compétences' data, which the school cannot correct: it is reported, and `--strict`
lets it pass. Once the editor changes the field, its warnings count again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..errors import Problem
from .model import Fiche, Lieu


def _fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def empreintes(fiche: Fiche, fields: Iterable[str]) -> dict[str, str]:
    """The fingerprint of each field, from its validated value (so that a mere change of
    quoting or line width in the file does not change it); fields at their default are left out."""
    values = fiche.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return {name: _fingerprint(values[name]) for name in fields if name in values}


def empreinte_lieu(lieu: Lieu) -> str:
    """The fingerprint of an imported place (`offre.empreinte`), from its validated values."""
    return _fingerprint(lieu.model_dump(mode="json", exclude={"offre"}, exclude_none=True, exclude_defaults=True))


_PLACE = re.compile(r"lieux_preparation\[(\d+)\]")


def _imported_place(fiche: Fiche, path: str) -> bool:
    """Whether a warning is about a place of the training offer left as imported."""
    match = _PLACE.match(path)
    if not match or int(match[1]) >= len(fiche.lieux_preparation):
        return False
    lieu = fiche.lieux_preparation[int(match[1])]
    return lieu.offre is not None and lieu.offre.empreinte == empreinte_lieu(lieu)


def _top_field(path: str) -> str:
    """`rome[2].code` -> `rome`."""
    match = re.match(r"[A-Za-z_]+", path)
    return match[0] if match else ""


def mark_official(fiche: Fiche, problems: list[Problem]) -> list[Problem]:
    """Mark the warnings about official fields that still have their imported fingerprint."""
    if not any(p.severity == "warning" for p in problems):
        return problems
    source = fiche.source_officielle
    fields = source.empreintes if source is not None else {}
    current = empreintes(fiche, fields) if fields else {}
    marked = []
    for problem in problems:
        field = _top_field(problem.field)
        if problem.severity == "warning" and (
                (field in fields and current.get(field) == fields[field]) or _imported_place(fiche, problem.field)):
            problem = replace(problem, officiel=True)
        marked.append(problem)
    return marked
