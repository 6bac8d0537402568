"""Site settings (`content/site.yaml`): the school's name, address, organisation, contact."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from .errors import Problem, display_path
from .fieldtypes import Ligne, Url, fail
from .load import read_document
from .model import Strict
from .validate import validate


class Organisation(Strict):
    nom: Ligne = Field(description="Nom de l'établissement qui publie le catalogue.")
    url: Url | None = Field(None, description="Site internet de l'établissement.")


class Contact(Strict):
    email: Ligne | None = Field(None, description="Adresse électronique de contact.")
    telephone: Ligne | None = Field(None, description="Téléphone de contact.")
    adresse: Ligne | None = Field(None, description="Adresse postale.")


class Site(Strict):
    """Réglages du site (content/site.yaml)."""

    nom: Ligne = Field(description="Nom du site, affiché en tête de chaque page.")
    description: Ligne = Field(description="Phrase de présentation du catalogue (page d'accueil, moteurs de recherche).")
    url: Url = Field(description="Adresse publique du site, avec le chemin, ex. https://ecole.github.io/catalogue/.")
    organisation: Organisation
    contact: Contact = Field(default_factory=Contact)
    fiches_par_page: int = Field(50, ge=5, le=500, description="Nombre de fiches par page dans les listes.")
    dossier_gabarits: Ligne | None = Field(
        None, description="Dossier de gabarits de l'école (relatif à la racine du projet) qui remplacent ceux de templates/."
    )

    @field_validator("url")
    @classmethod
    def _has_host(cls, value: str) -> str:
        if not urlsplit(value).netloc:
            raise fail(f'expected a full address like https://ecole.github.io/catalogue/, found "{value}"')
        return value

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def base_path(self) -> str:
        return urlsplit(self.url).path or "/"


def read_site(content: Path, root: Path) -> tuple[Site | None, list[Problem]]:
    file = content / "site.yaml"
    shown = display_path(file, root)
    if not file.is_file():
        return None, [Problem(shown, 0, 0, "", "site settings not found; create content/site.yaml (see README)")]
    document, problems = read_document(file, shown)
    if problems:
        return None, problems
    return validate(document, Site)
