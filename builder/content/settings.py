"""Site settings (`content/site.yaml`): the school's name, address, organisation, contact."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from ..errors import Problem, display_path
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


class LienPied(Strict):
    libelle: Ligne = Field(description="Texte du lien, ex. « Mentions légales ».")
    url: Url = Field(description="Adresse du lien.")


def contrast(colour: str, other: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio between two #rrggbb colours."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(colour), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tint(colour: str, share: float = 0.9) -> str:
    """The colour mixed with white (`share` of white): a background for badges."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


class Licence(Strict):
    nom: Ligne = Field(description="Nom de la licence, ex. Licence Ouverte 2.0 ou CC BY 4.0.")
    url: Url | None = Field(None, description="Adresse du texte de la licence.")


class DonneesOuvertes(Strict):
    licence: Licence | None = Field(
        None, description="Licence de vos propres ajouts (lieux de préparation que vous saisissez, textes que vous écrivez) ; "
        "les données officielles de France compétences restent sous Licence Ouverte 2.0."
    )
    fiches_json: bool = Field(
        True, description="true pour publier chaque fiche en JSON à côté de sa page ; false pour s'en passer "
        "(un gros catalogue gagne de la place : environ la taille des fichiers YAML)."
    )
    csv: bool = Field(True, description="true pour publier tout le catalogue en un fichier CSV (une ligne par fiche).")


class Site(Strict):
    """Réglages du site (content/site.yaml)."""

    nom: Ligne = Field(description="Nom du site, affiché en tête de chaque page.")
    description: Ligne = Field(description="Phrase de présentation du catalogue (page d'accueil, moteurs de recherche).")
    url: Url = Field(description="Adresse publique du site, avec le chemin, ex. https://ecole.github.io/catalogue/.")
    organisation: Organisation = Field(description="L'établissement qui publie le catalogue : son nom et son site.")
    contact: Contact = Field(default_factory=Contact, description="Comment joindre l'établissement (affiché en bas des pages).")
    fiches_par_page: int = Field(50, ge=5, le=500, description="Nombre de fiches par page dans les listes (de 5 à 500).")
    dossier_gabarits: Ligne | None = Field(
        None, description="Dossier de gabarits de l'école (relatif à la racine du projet) qui remplacent ceux de templates/."
    )
    couleur_principale: Ligne | None = Field(
        None, description="Couleur de l'école (#rrggbb) : en-tête, liens, boutons. Elle doit contraster à 4,5:1 au moins avec le blanc."
    )
    logo: Ligne | None = Field(None, description="Fichier du logo (SVG, PNG, JPEG ou WebP), relatif à la racine du projet, ex. gabarits/logo.svg.")
    liens_pied: list[LienPied] = Field(default_factory=list, description="Liens en bas de chaque page (mentions légales, accessibilité…).")
    fiches_inactives: Literal["completes", "resumees"] = Field(
        "completes", description="completes : la page d'une fiche inactive montre tout, comme celle d'une fiche active. "
        "resumees : elle montre l'essentiel (statut et remplaçantes, niveau, certificateurs, activités visées, blocs et leurs "
        "compétences) et renvoie à la fiche officielle pour le reste ; ses blocs n'ont pas de page à eux. Pour un catalogue "
        "national, où quatre fiches sur cinq sont inactives : le site pèse environ moitié moins."
    )
    donnees_ouvertes: DonneesOuvertes = Field(
        default_factory=DonneesOuvertes, description="Les fichiers de données publiés avec le site (page « Données ouvertes ») et leur licence."
    )

    @field_validator("couleur_principale")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        if value is None:
            return None
        import re

        colour = value.strip().lower()
        if re.fullmatch(r"#[0-9a-f]{3}", colour):
            colour = "#" + "".join(c * 2 for c in colour[1:])
        if not re.fullmatch(r"#[0-9a-f]{6}", colour):
            raise fail(f'expected a colour written #rrggbb, like "#1d4e89", found "{value}"; write it in quotes')
        ratio = contrast(colour)
        if ratio < 4.5:
            raise fail(
                f"the colour {colour} contrasts {ratio:.1f}:1 with white, and white text or links need 4.5:1 "
                "(WCAG AA); choose a darker shade of it"
            )
        return colour

    @property
    def logo_suffix(self) -> str:
        return Path(self.logo or "").suffix.lower()

    @property
    def couleur_principale_fond(self) -> str | None:
        return tint(self.couleur_principale) if self.couleur_principale else None

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
    site, problems = validate(document, Site)
    if site and site.logo:
        logo = (root / site.logo).resolve()
        line, column = document.position(("logo",))
        if not logo.is_relative_to(root.resolve()) or logo.suffix.lower() not in LOGO_TYPES or not logo.is_file():
            problems.append(Problem(shown, line, column, "logo", (
                f'expected an image file (.svg, .png, .jpg, .webp) inside the project, found "{site.logo}"; '
                "put the logo in the project (for instance gabarits/logo.svg) and write its path")))
            return None, problems
    return site, problems


LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}
