"""Reference tables: qualification levels, access routes, départements, régions, ROME codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class NiveauInfo:
    niveau: int
    equivalent: str | None  # student-friendly hint ("Bac+3")
    ancien: str | None  # 1969 nomenclature (I to V)

    @property
    def libelle(self) -> str:
        """`Niveau 6 — équivalent Bac+3`."""
        if self.equivalent:
            return f"Niveau {self.niveau} — équivalent {self.equivalent}"
        return f"Niveau {self.niveau}"

    @property
    def court(self) -> str:
        """`Niveau 6 (Bac+3)`: the same, shorter (a fiche's "En bref")."""
        return f"Niveau {self.niveau} ({self.equivalent})" if self.equivalent else f"Niveau {self.niveau}"


NIVEAUX = {
    1: NiveauInfo(1, None, None),
    2: NiveauInfo(2, None, None),
    3: NiveauInfo(3, "CAP, BEP", "V"),
    4: NiveauInfo(4, "Bac", "IV"),
    5: NiveauInfo(5, "Bac+2", "III"),
    6: NiveauInfo(6, "Bac+3", "II"),
    7: NiveauInfo(7, "Bac+5", "I"),
    8: NiveauInfo(8, "Bac+8 (doctorat)", "I"),
}

# The six access routes of the official export, in the order of the official fiche.
VOIES = {
    "FI": "Après un parcours de formation sous statut d'élève ou d'étudiant",
    "CA": "En contrat d'apprentissage",
    "FC": "Après un parcours de formation continue",
    "CQ": "En contrat de professionnalisation",
    "CL": "Par candidature individuelle",
    "VAE": "Par expérience (VAE)",
}

# The same routes as search filters: short enough for a checkbox on a phone.
VOIES_COURTES = {
    "FI": "Formation initiale (élève, étudiant)",
    "CA": "Apprentissage",
    "FC": "Formation continue",
    "CQ": "Contrat de professionnalisation",
    "CL": "Candidature individuelle",
    "VAE": "VAE (validation des acquis de l’expérience)",
}

HABILITATIONS = {
    "HABILITATION_FORMER": "préparer à la certification",
    "HABILITATION_ORGANISER": "organiser l'évaluation",
    "HABILITATION_ORGA_FORM": "préparer et organiser l'évaluation",
}


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    region: str


@cache
def departements() -> dict[str, Departement]:
    text = resources.files("builder").joinpath("data/departements.csv").read_text(encoding="utf-8")
    return {row["code"]: Departement(**row) for row in csv.DictReader(text.splitlines())}


def code_departement(code_postal: str | None) -> str:
    """The département code a postal code belongs to (CEDEX codes included): `69002` -> `69`,
    `97400` -> `974`, `20000` -> `2A`; "" without a postal code."""
    if not code_postal:
        return ""
    if code_postal.startswith("97"):
        return code_postal[:3]
    if code_postal.startswith("20"):  # Corse: 200xx–201xx Corse-du-Sud, 202xx–206xx Haute-Corse
        return "2A" if code_postal < "20200" else "2B"
    return code_postal[:2]


def departement_of(code_postal: str | None) -> Departement | None:
    """The département of a postal code; None overseas outside the départements."""
    return departements().get(code_departement(code_postal))


@cache
def _rome_domaines() -> dict[str, str]:
    text = resources.files("builder").joinpath("data/rome-domaines.csv").read_text(encoding="utf-8")
    return {row["domaine"]: row["dernier_code"] for row in csv.DictReader(text.splitlines())}


def rome_existe(code: str) -> bool:
    """Whether a well-formed ROME code is a job (`M1705`) of the ROME v4.60 referential, or
    one of its 110 professional domains written as a code (`A1500`: domain A15, which some
    official fiches carry)."""
    dernier = _rome_domaines().get(code[:3])
    return dernier is not None and (code[3:] == "00" or "01" <= code[3:] <= dernier[3:])


def rome_domaine(code: str) -> bool:
    """Whether a ROME code names a professional domain (`A1500`), not a job: it has no
    France Travail job page."""
    return code[3:] == "00" and code[:3] in _rome_domaines()
