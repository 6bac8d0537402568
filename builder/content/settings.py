"""Site settings (`content/site.yaml`): the school's name, address, organisation, contact."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from ..errors import Problem, display_path
from .fieldtypes import Date, Ligne, Markdown, Url, fail
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
    libelle: Ligne = Field(description="Texte du lien, ex. « Plan d'accès au campus ».")
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


class Hebergeur(Strict):
    nom: Ligne = Field(description="Nom de l'hébergeur du site, ex. « OVH SAS ».")
    adresse: Ligne = Field(description="Adresse postale de l'hébergeur.")
    telephone: Ligne | None = Field(None, description="Téléphone de l'hébergeur (la loi le demande).")
    url: Url | None = Field(None, description="Site internet de l'hébergeur.")


# The host of a site published on GitHub Pages (an address ending in .github.io): GitHub's own
# legal details. No telephone: none is given here that could be checked against GitHub's pages.
GITHUB_PAGES = Hebergeur(nom="GitHub, Inc. (service GitHub Pages)",
                         adresse="88 Colin P. Kelly Jr. Street, San Francisco, CA 94107, États-Unis",
                         url="https://pages.github.com/")


class MentionsLegales(Strict):
    directeur_publication: Ligne | None = Field(
        None, description="Nom et fonction de la personne directrice de la publication (la loi le demande), "
        "ex. « Marie Dupont, directrice de l'école »."
    )
    hebergeur: Hebergeur | None = Field(
        None,
        description="L'hébergeur du site : nom, adresse, téléphone, site (la loi demande de le nommer). Sans ce réglage, "
        "pour une adresse en .github.io : GitHub Pages (GitHub, Inc., 88 Colin P. Kelly Jr. Street, San Francisco, "
        "CA 94107, États-Unis) ; pour une autre adresse, la page n'en nomme aucun et `catalogue check` le signale.",
    )
    texte: Markdown | None = Field(
        None, description="Texte ajouté à la page des mentions légales, en Markdown (ex. numéro SIRET, statut de l'établissement)."
    )


class Audit(Strict):
    date: Date = Field(description="Date de l'audit de conformité au RGAA (AAAA-MM-JJ).")
    taux: float = Field(ge=0, le=100, description="Part des critères du RGAA respectés selon l'audit, en pour cent (de 0 à 100).")
    organisme: Ligne | None = Field(None, description="Qui a fait l'audit : un prestataire, ou l'équipe de l'établissement.")
    version_rgaa: Ligne = Field("4.1.2", description="Version du RGAA de l'audit.")

    @property
    def taux_fr(self) -> str:
        """87.5 -> `87,5`."""
        return f"{self.taux:g}".replace(".", ",")


ETATS = {"conforme": "totalement conforme", "partiellement": "partiellement conforme", "non": "non conforme"}


class Accessibilite(Strict):
    etat: Literal["conforme", "partiellement", "non"] | None = Field(
        None, description="État de conformité au RGAA : conforme (100 % des critères respectés), partiellement (50 % au moins) "
        "ou non. Il suppose un audit (réglage audit) ; sans audit, le RGAA veut que le site soit déclaré non conforme. "
        "Vide : déduit du taux de l'audit."
    )
    date_declaration: Date = Field(None, description="Date où la déclaration a été établie (AAAA-MM-JJ). Vide : la page ne donne "
                                 "pas de date d'établissement, seulement celle de sa mise à jour, et `catalogue check` le signale.")
    audit: Audit | None = Field(None, description="Le dernier audit de conformité au RGAA, s'il y en a eu un : date, taux, organisme.")
    contact: Ligne | None = Field(
        None, description="Adresse électronique ou page web pour signaler un défaut d'accessibilité ; vide : le contact du site."
    )
    texte: Markdown | None = Field(
        None, description="Contenus non accessibles connus, dérogations, plan d'amélioration…, en Markdown : ajoutés à la déclaration."
    )

    @model_validator(mode="after")
    def _honest(self) -> Accessibilite:
        if self.etat in ("conforme", "partiellement") and self.audit is None:
            raise fail(f'etat "{self.etat}" needs an audit (RGAA): give `audit` with its date and rate (taux), or remove '
                       '`etat`: without an audit the RGAA has the site declared "non conforme"')
        if self.etat and self.audit is not None and self.etat != etat_du_taux(self.audit.taux):
            raise fail(f'etat "{self.etat}" does not match the audit\'s rate of {self.audit.taux:g} %, which makes it '
                       f'"{etat_du_taux(self.audit.taux)}" (conforme: 100 %, partiellement: 50 % or more, non: less); '
                       "correct one of them, or remove `etat`")
        return self

    @property
    def etat_declare(self) -> str:
        """The state declared: given, else the audit's, else `non` (no audit)."""
        return self.etat or (etat_du_taux(self.audit.taux) if self.audit else "non")

    @property
    def libelle_etat(self) -> str:
        return ETATS[self.etat_declare]


def etat_du_taux(taux: float) -> str:
    """The RGAA's state for an audit's rate of criteria met."""
    return "conforme" if taux >= 100 else "partiellement" if taux >= 50 else "non"


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
    liens_pied: list[LienPied] = Field(default_factory=list, description="Liens ajoutés en bas de chaque page (les mentions légales et l'accessibilité y sont déjà).")
    fiches_inactives: Literal["completes", "resumees"] = Field(
        "completes", description="completes : la page d'une fiche inactive montre tout, comme celle d'une fiche active. "
        "resumees : elle montre l'essentiel (statut et remplaçantes, niveau, certificateurs, métiers et codes ROME, blocs avec "
        "leur code et leur intitulé) et renvoie à la fiche officielle pour le reste ; ses blocs n'ont pas de page à eux. Pour un catalogue "
        "national, où quatre fiches sur cinq sont inactives : le site pèse environ moitié moins."
    )
    recherche_inactives: Literal["incluses", "a_la_demande"] = Field(
        "incluses", description="incluses : la recherche trouve les fiches actives et inactives ensemble. a_la_demande : les "
        "fiches inactives (et leurs blocs) ont leur propre index, chargé seulement quand le visiteur coche « Inclure les "
        "certifications qui ne sont plus enregistrées », quand il cherche un numéro de fiche ou de bloc, ou quand aucune "
        "fiche active ne correspond ; la première recherche est alors bien plus légère. Pour un catalogue national."
    )
    donnees_ouvertes: DonneesOuvertes = Field(
        default_factory=DonneesOuvertes, description="Les fichiers de données publiés avec le site (page « Données ouvertes ») et leur licence."
    )
    mentions_legales: MentionsLegales = Field(
        default_factory=MentionsLegales, description="La page des mentions légales (mentions-legales/) : directeur de la publication, "
        "hébergeur, texte ajouté. L'éditeur est l'établissement (organisation), avec l'adresse et le contact du site."
    )
    accessibilite: Accessibilite = Field(
        default_factory=Accessibilite, description="La déclaration d'accessibilité (page accessibilite/), au modèle du RGAA : "
        "état de conformité, audit, date, contact."
    )
    synonymes: list[list[Ligne]] = Field(
        default_factory=list, description="Synonymes ajoutés à la recherche : une liste de groupes, chacun la liste des mots "
        "ou expressions qui veulent dire la même chose, ex. [commis de cuisine, aide de cuisine]. Chercher l'un trouve aussi "
        "les fiches qui contiennent les autres. Un groupe qui partage un mot avec un groupe déjà prévu (alternance, VAE, "
        "à distance, niveaux) s'y ajoute."
    )

    @field_validator("synonymes")
    @classmethod
    def _synonymes(cls, value: list[list[str]]) -> list[list[str]]:
        from ..search.synonymes import probleme_groupe

        for n, mots in enumerate(value, 1):
            problem = probleme_groupe(mots, value[: n - 1])
            if problem:
                raise fail(f"group {n}: {problem}")
        return value

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
    def hebergeur(self) -> Hebergeur | None:
        """The host named by the legal notice: the one set, else GitHub Pages for an address on
        .github.io, else none (no false host: `catalogue check` asks for it)."""
        if self.mentions_legales.hebergeur is not None:
            return self.mentions_legales.hebergeur
        host = (urlsplit(self.url).hostname or "").lower()
        return GITHUB_PAGES if host.endswith(".github.io") else None

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

# Footer links the site already gives on every page (base.html): by their words or their address.
LIENS_DEJA_DONNES = (("mentions legales", "mentions-legales"), ("accessibilite", "accessibilite"))


def _sans_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def site_advice(content: Path, root: Path, site: Site) -> list[Problem]:
    """Warnings on settings that are valid but leave a school page untrue or incomplete: the
    accessibility statement without its date, a legal notice that cannot name the host, a footer
    link that the site already gives. Reported by `catalogue check` once everything is valid."""
    file = content / "site.yaml"
    shown = display_path(file, root)
    document, problems = read_document(file, shown)
    if problems or document is None:
        return []

    def at(*loc: str | int) -> tuple[int, int]:
        return document.position(tuple(loc), key=True)

    advice: list[Problem] = []
    if site.accessibilite.date_declaration is None:
        line, column = at("accessibilite")
        advice.append(Problem(shown, line, column, "accessibilite.date_declaration", (
            "the accessibility statement has no date: set `date_declaration` (AAAA-MM-JJ), the day it was "
            "established; until then the page gives only the date of its last update"), "warning"))
    if site.hebergeur is None:
        line, column = at("mentions_legales")
        advice.append(Problem(shown, line, column, "mentions_legales.hebergeur", (
            "the legal notice must name the site's host (loi n° 2004-575, article 6): set `hebergeur` with its "
            "name and address (nom, adresse, telephone, url); the site's address is not on .github.io, so the "
            "page cannot assume GitHub Pages and names no host until then"), "warning"))
    for n, lien in enumerate(site.liens_pied):
        words, path = _sans_accents(lien.libelle), urlsplit(lien.url).path.rstrip("/")
        for libelle, segment in LIENS_DEJA_DONNES:
            if libelle in words or path.endswith("/" + segment) or path == segment:
                line, column = at("liens_pied", n)
                advice.append(Problem(shown, line, column, f"liens_pied[{n}]", (
                    f'every page\'s footer already links "{"Mentions légales" if segment == "mentions-legales" else "Accessibilité"}": '
                    f'remove the link "{lien.libelle}" from liens_pied, or it shows twice'), "warning"))
                break
    return advice
