"""An official record made publishable: what the export lacks or gets wrong is left out or
marked, never guessed, and each case is said in one line (a `Note`).

First the known gaps of real data, each with its own wording (a partner without a name, a
bloc without a code, a ROME code twice…); then whatever the model or the rules still refuse
is left out, smallest part first (a list item, an optional field), with the model's own
message. A record without a number or a title is skipped whole.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import describe, field_path
from ..content.fieldtypes import NUMERO_PATTERN
from ..content.load import Loc
from ..content.model import Fiche
from ..content.rules import check_fiche
from ..content.validate import error_message, model_of

MARQUE_BLOC = "Intitulé non renseigné dans l'export officiel"
MARQUE_PARTENAIRE = "Organisme dont l'export officiel ne donne pas le nom"
ROUNDS = 12  # rounds of "validate, leave out what is refused"; real records need one or two

ETATS = {"actif": "Actif", "inactif": "Inactif", "supprime": "Supprimé", "supprimé": "Supprimé"}


@dataclass(frozen=True)
class Note:
    """What the import did with one element of one record."""

    numero: str
    element: str  # where, in the fiche's vocabulary: `partenaires[3] « ACME » (SIRET 1234…)`
    action: str  # left out, marked, corrected, skipped
    why: str

    @property
    def kind(self) -> str:
        """The field it belongs to (`partenaires`), for the counts."""
        match = re.match(r"[a-z_]+", self.element)
        return match[0] if match else self.element

    def format(self) -> str:
        where = f"{self.element}: " if self.element else ""
        return f"{self.numero or '(no number)'}: {where}{self.why}: {self.action}"


def label(item: Any) -> str:
    """An item as the editor can find it in the export: its code, number, name or title."""
    if not isinstance(item, dict):
        return describe(item)
    parts = []
    for key in ("code", "numero", "nom", "libelle", "titre", "annee"):
        if item.get(key) not in (None, "", []):
            parts.append(f"« {item[key]} »" if not isinstance(item[key], list) else "« " + ", ".join(map(str, item[key])) + " »")
            break
    if item.get("siret"):
        parts.append(f"(SIRET {item['siret']})")
    if not parts and item:
        key, value = next(iter(item.items()))
        shown = "« " + ", ".join(map(str, value)) + " »" if isinstance(value, list) else describe(value)
        parts.append(f"({key} {shown})")
    return " ".join(parts) or "(empty)"


def _short(message: str) -> str:
    """Our messages end with the fix an editor would type; an import has no use for it."""
    return re.split(r"; (?=write|copy|add|remove|give|check|correct|save|put)", message, maxsplit=1)[0]


class Repair:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.numero = data.get("numero") or ""
        self.notes: list[Note] = []
        # where each item stood in the export: notes name it there, whatever was left out before it
        self.position = {id(item): i for value in data.values() if isinstance(value, list) for i, item in enumerate(value)}

    def note(self, element: str, action: str, why: str) -> None:
        self.notes.append(Note(self.numero, element, action, why))

    def where(self, loc: Loc) -> str:
        """`partenaires[4] « ECOLE » (SIRET …).siret`: the export's position, and what the item is."""
        if len(loc) < 2 or not isinstance(loc[1], int):
            return field_path(loc)
        item = self.data[loc[0]][loc[1]]
        head = f"{loc[0]}[{self.position.get(id(item), loc[1])}] {label(item)}"
        return head + ("." + field_path(loc[2:]) if len(loc) > 2 else "")

    # -- the known gaps ------------------------------------------------------------------

    def identity(self) -> bool:
        if not self.numero:
            self.note("", "skipped", f"no number (NUMERO_FICHE) for « {self.data.get('intitule') or '?'} »")
            return False
        if not re.fullmatch(NUMERO_PATTERN, self.numero):
            self.note("", "skipped", f"« {self.numero} » is not a fiche number like RNCP35809 or RS5000")
            return False
        if not self.data.get("intitule"):
            self.note("", "skipped", "no title (INTITULE) in the export")
            return False
        if not isinstance(self.data.get("certificateurs"), list):
            self.data["certificateurs"] = []  # a required field: present, even empty
        return True

    def keep(self, name: str, keep: Callable[[int, dict[str, Any]], str | None]) -> None:
        """Keep the items of a list for which `keep` returns None; the others are left out,
        with the reason it returns."""
        kept = []
        for i, item in enumerate(self.data.get(name) or []):
            shown = f"{name}[{i}] {label(item)}"  # before `keep` marks it
            why = keep(i, item) if isinstance(item, dict) else None
            if why is None:
                kept.append(item)
            else:
                self.note(shown, "left out", why)
        self.data[name] = kept

    def codes(self) -> None:
        """ROME, NSF, Formacodes, CCN: an item needs its code, and is listed once."""
        for name, key in (("rome", "code"), ("nsf", "code"), ("formacodes", "code"), ("ccn", "numero")):
            seen: set[str] = set()

            def check(i: int, item: dict[str, Any], key: str = key, seen: set[str] = seen) -> str | None:
                if not item.get(key):
                    return f"no {key} in the export"
                if item[key] in seen:
                    return "listed twice"
                seen.add(item[key])
                return None

            self.keep(name, check)

    def blocs(self) -> None:
        """A bloc needs a code of this fiche, once; one without a title is marked."""
        prefix = f"{self.numero}BC"
        seen: set[str] = set()
        codes = {b.get("code") for b in self.data.get("blocs") or [] if isinstance(b, dict)}

        def check(i: int, bloc: dict[str, Any]) -> str | None:
            code = bloc.get("code")
            if not code:
                return "a bloc without a code in the export"
            if isinstance(code, str) and re.fullmatch(r"(RNCP|RS)\d+BC\d{2}", code) and not code.startswith(prefix):
                fixed = prefix + code[-2:]
                if fixed in codes or fixed in seen:
                    return f"its code {code} is another fiche's, and {fixed} is taken"
                bloc["code"] = fixed
                self.note(f"blocs[{i}] « {code} »", "corrected", f"the code is another fiche's: written {fixed}")
                code = fixed
            if code in seen:
                return "listed twice"
            seen.add(code)
            if not bloc.get("libelle"):
                bloc["libelle"] = MARQUE_BLOC
                self.note(f"blocs[{i}] « {code} »", "marked", f"no title in the export: titled « {MARQUE_BLOC} »")
            return None

        self.keep("blocs", check)
        self.data["blocs"].sort(key=lambda bloc: str(bloc.get("code")))  # the export lists them in any order

    def bodies(self) -> None:
        """Certifiers need a name (their page is named after it); a partner needs a name or a
        SIRET, and one without a name is marked."""
        active = {key for item in self.data.get("certificateurs") or [] if isinstance(item, dict)
                  and str(item.get("etat", "")).lower() == "actif" and (key := _body(item))}
        seen: set[str] = set()

        def certificateur(i: int, item: dict[str, Any]) -> str | None:
            """A certifier listed twice (one active, one inactive, as the real export does) is kept once, active."""
            if not item.get("nom"):
                return "a certifier without a name in the export"
            key = _body(item)
            if key in seen or (key in active and str(item.get("etat", "")).lower() != "actif"):
                return "listed twice: the active listing is kept"
            seen.add(key)
            return None

        def partenaire(i: int, item: dict[str, Any]) -> str | None:
            if not item.get("nom"):
                if not item.get("siret"):
                    return "a partner with neither name nor SIRET in the export"
                self.note(f"partenaires[{i}] {label(item)}", "marked", f"no name in the export: named « {MARQUE_PARTENAIRE} »")
                item["nom"] = MARQUE_PARTENAIRE
            return None

        self.keep("certificateurs", certificateur)
        if not self.data["certificateurs"]:
            self.note("certificateurs", "marked", "no certifier in the export: the page says « Non renseigné »")
        self.keep("partenaires", partenaire)
        for name in ("certificateurs", "partenaires"):
            for item in self.data.get(name) or []:
                if isinstance(item, dict) and isinstance(item.get("etat"), str):
                    item["etat"] = ETATS.get(item["etat"].lower(), item["etat"])

    def links(self) -> None:
        """Predecessors and successors: another fiche, once."""
        for name in ("anciennes_certifications", "nouvelles_certifications"):
            seen: set[str] = set()

            def check(i: int, item: dict[str, Any], seen: set[str] = seen) -> str | None:
                if item.get("numero") == self.numero:
                    return "the fiche itself"
                if item.get("numero") in seen:
                    return "listed twice"
                seen.add(item.get("numero"))
                return None

            self.keep(name, check)

    def correspondances(self) -> None:
        """An equivalence names another fiche, and blocs this fiche has."""
        codes = {b.get("code") for b in self.data.get("blocs") or [] if isinstance(b, dict)}

        def check(i: int, item: dict[str, Any]) -> str | None:
            if not item.get("numero"):
                return "an equivalence without the other fiche's number"
            sources = item.get("bloc") or []
            unknown = [c for c in (sources if isinstance(sources, list) else [sources]) if c not in codes]
            if unknown:
                return f"names {', '.join(map(str, unknown))}, which is not a bloc of this fiche"
            return None

        self.keep("correspondances", check)

    def dates(self) -> None:
        """A registration cannot end before it starts: the end, which gives the status, is kept."""
        effet, fin = self.data.get("date_effet"), self.data.get("date_fin_enregistrement")
        iso = re.compile(r"\d{4}-\d{2}-\d{2}")
        if isinstance(effet, str) and isinstance(fin, str) and iso.fullmatch(effet) and iso.fullmatch(fin) and fin < effet:
            del self.data["date_effet"]
            self.note(f"date_effet « {effet} »", "left out", f"after the end of registration ({fin})")

    # -- whatever the model or the rules still refuse --------------------------------------

    def refused(self) -> list[tuple[Loc, str]]:
        """What the model refuses or, once it accepts, what the rules call an error."""
        try:
            fiche = Fiche.model_validate(self.data, context={"numero": self.numero})
        except ValidationError as exc:
            return [(tuple(e["loc"]), error_message(Fiche, e)) for e in exc.errors(include_url=False)]
        self.fiche = fiche
        return [(loc, message) for loc, message, severity in check_fiche(fiche) if severity == "error"]

    def leave_out(self, refused: list[tuple[Loc, str]]) -> bool:
        """Leave out the smallest part holding each refused value; False if that is the record."""
        targets: dict[Loc, str] = {}
        for loc, message in refused:
            target = _droppable(loc)
            if target is None:
                self.note(field_path(loc), "skipped", _short(message))
                return False
            inside = field_path(loc[len(target):]).lstrip(".")  # what, inside the part left out, was refused
            targets.setdefault(target, f"{inside}: {_short(message)}" if inside else _short(message))
        outer = [t for t in targets if not any(o != t and t[: len(o)] == o for o in targets)]
        notes = []
        for target in sorted(outer, key=_sort_key, reverse=True):  # later list items first: indices hold
            shown = self.where(target)
            value = _remove(self.data, target)
            if not isinstance(target[-1], int):  # a field: its value, as the export gave it
                shown += f" {label(value)}"
            notes.append(Note(self.numero, shown, "left out", targets[target]))
        self.notes += reversed(notes)
        return True

    def run(self) -> Fiche | None:
        if not self.identity():
            return None
        self.codes()
        self.blocs()
        self.bodies()
        self.links()
        self.correspondances()
        self.dates()
        for _ in range(ROUNDS):
            self.fiche: Fiche | None = None
            refused = self.refused()
            if not refused:
                return self.fiche
            if not self.leave_out(refused):
                return None
        self.note("", "skipped", "still refused after every correction")
        return None


def repair(data: dict[str, Any]) -> tuple[Fiche | None, list[Note]]:
    """Make `data` (changed in place) publishable: its fiche, or None when skipped; and what was done."""
    work = Repair(data)
    fiche = work.run()
    return fiche, work.notes


def _body(item: dict[str, Any]) -> str:
    """What identifies a body: its SIRET, else its name."""
    return str(item.get("siret") or " ".join(str(item.get("nom") or "").lower().split()))


def _sort_key(loc: Loc) -> tuple[tuple[int, Any], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, str(part)) for part in loc)


def _droppable(loc: Loc) -> Loc | None:
    """The smallest part of the record that can go: a list item, or a field that is optional
    (or a list, emptied). None when only the whole record could go."""
    model: type[BaseModel] | None = Fiche
    walked: list[tuple[Loc, bool]] = []  # (prefix, can go)
    for n, part in enumerate(loc):
        prefix = loc[: n + 1]
        if isinstance(part, int):
            walked.append((prefix, True))
            continue
        field = model.model_fields.get(part) if model is not None else None
        if field is None:  # a pydantic detail of the type (or a dict key): the field above decides
            break
        optional = not field.is_required() or typing.get_origin(field.annotation) is list  # a list can be emptied
        walked.append((prefix, optional))
        model = model_of(field.annotation)
    for prefix, can_go in reversed(walked):
        if can_go:
            return prefix
    return None  # `numero`, `intitule`: only the whole record could go


def _remove(data: Any, loc: Loc) -> Any:
    """Remove the value at `loc` (a list item, or a field; a required list is emptied)."""
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    last = loc[-1]
    if isinstance(parent, list):
        return parent.pop(last)  # type: ignore[arg-type]
    value = parent.pop(last, None)
    if parent is data and last in Fiche.model_fields and Fiche.model_fields[last].is_required():
        parent[last] = []  # `certificateurs`: the key stays, empty
    return value
