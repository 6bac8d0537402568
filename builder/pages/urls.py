"""The one place that knows page addresses and output paths.

Every address is a path relative to the site root (`fiches/rncp26224/`); `href()`
adds the base path (`/catalogue/`) for links, `absolute()` the site's origin for the
sitemap, and `output_file()` maps it to a file inside the output folder.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..content.model import Bloc, Fiche
from ..slugs import certificateur_slug, code_slug, departement_slug, niveau_slug, slugify

INDEXED_PAGES = "fiches/*/index.html"  # fiche pages (with their blocs): what the search index reads
SEARCH_BUNDLE = "pagefind/"  # Pagefind's default bundle folder, at the site root

_SAFE_PATH = re.compile(r"([a-z0-9][a-z0-9._-]*/)*([a-z0-9][a-z0-9._-]*)?")



def normalise_base_path(base_path: str) -> str:
    """`catalogue` -> `/catalogue/`; `` -> `/`."""
    parts = [p for p in base_path.strip().split("/") if p]
    for part in parts:
        if part in (".", "..") or not re.fullmatch(r"[A-Za-z0-9._~-]+", part):
            raise ValueError(f"invalid base path segment {part!r}: use letters, digits, '-', '_' or '.'")
    return "/" + "".join(p + "/" for p in parts)


def check_path(path: str) -> str:
    """Refuse any page path that could escape the output folder or be ambiguous."""
    if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
        raise ValueError(f"unsafe output path {path!r}")
    return path


class Urls:
    def __init__(self, base_path: str, origin: str):
        self.base_path = normalise_base_path(base_path)
        self.origin = origin.rstrip("/")

    # -- page paths, relative to the site root ------------------------------------------
    @staticmethod
    def home(page: int = 1, lettre: str | None = None) -> str:
        """The catalogue; past one page, by first letter (`lettre/b/`, `lettre/b/page/2/`)."""
        return _lettre("", page, lettre)

    @staticmethod
    def fiche(fiche: Fiche) -> str:
        return f"fiches/{fiche.slug}/"

    BLOC_IN_FICHE = "blocs/{code}/"  # a bloc's page, relative to its fiche's (also used by recherche.js)

    @classmethod
    def bloc(cls, fiche: Fiche, bloc: Bloc) -> str:
        return cls.fiche(fiche) + cls.BLOC_IN_FICHE.format(code=bloc.code.lower())

    @classmethod
    def lieux(cls, fiche: Fiche, page: int = 1) -> str:
        """The list of a fiche's places of preparation: `fiches/rncp37674/lieux/`."""
        return cls.fiche(fiche) + ("lieux/" if page == 1 else f"lieux/page/{page}/")

    @classmethod
    def organismes(cls, fiche: Fiche, page: int = 1) -> str:
        """The list of the bodies habilitated for a fiche: `fiches/rncp37674/organismes/`."""
        return cls.fiche(fiche) + ("organismes/" if page == 1 else f"organismes/page/{page}/")

    @staticmethod
    def taxonomy(name: str, page: int = 1) -> str:
        return f"{name}/" if page == 1 else f"{name}/page/{page}/"

    @staticmethod
    def term(taxonomy: str, slug: str, page: int = 1, lettre: str | None = None) -> str:
        return _lettre(f"{taxonomy}/{slug}/", page, lettre)

    def niveau(self, niveau: int | None) -> str:
        return self.term("niveaux", niveau_slug(niveau))

    def nsf(self, code: str) -> str:
        return self.term("nsf", code_slug(code))

    def certificateur(self, nom: str) -> str:
        return self.term("certificateurs", certificateur_slug(nom))

    def rome(self, code: str) -> str:
        return self.term("rome", code_slug(code))

    @staticmethod
    def recherche() -> str:
        return "recherche/"

    @staticmethod
    def carte() -> str:
        return "carte/"

    @staticmethod
    def fond_de_carte() -> str:
        """The outlines every national map draws (builder/carte.py)."""
        return "carte/fond.svg"

    @staticmethod
    def carte_geojson() -> str:
        return "carte/lieux.geojson"


    def region(self, nom: str) -> str:
        return self.term("regions", slugify(nom))

    def departement(self, code: str, nom: str) -> str:
        return self.term("departements", departement_slug(code, nom))

    # -- choosing (builder/choosing/) ---------------------------------------------------
    @staticmethod
    def comparer() -> str:
        """The compare page; the fiches compared are in its address: `comparer/?f=RNCP26224,RNCP16959`."""
        return "comparer/"

    COMPARAISON = "comparer/{slug}.json"  # what the compare page reads of a fiche (also used by comparer.js)

    @classmethod
    def comparaison(cls, fiche: Fiche) -> str:
        return cls.COMPARAISON.format(slug=fiche.slug)

    @staticmethod
    def comparaison_lieux(fiche: Fiche) -> str:
        """The positions of a fiche's places, read by the compare page for a town only."""
        return f"comparer/{fiche.slug}-lieux.json"

    # -- open data (builder/donnees.py, builder/flux.py) ---------------------------------
    @classmethod
    def fiche_json(cls, fiche: Fiche) -> str:
        """The fiche as JSON, beside its page: `fiches/rncp26224/rncp26224.json`."""
        return cls.fiche(fiche) + f"{fiche.slug}.json"

    @staticmethod
    def donnees() -> str:
        """The page that lists the open data files and their licences."""
        return "donnees/"

    @staticmethod
    def catalogue_csv() -> str:
        return "donnees/catalogue.csv"

    @staticmethod
    def schema_fiche() -> str:
        return "donnees/fiche.schema.json"

    @staticmethod
    def flux() -> str:
        """The Atom feed of changes."""
        return "flux.xml"

    @staticmethod
    def search_bundle() -> str:
        return SEARCH_BUNDLE

    # -- the school's pages (builder/ecole/) ---------------------------------------------
    @staticmethod
    def mentions_legales() -> str:
        return "mentions-legales/"

    @staticmethod
    def accessibilite() -> str:
        """The accessibility statement (RGAA)."""
        return "accessibilite/"

    @classmethod
    def logo(cls, suffix: str) -> str:
        return cls.asset(f"logo{suffix}")

    @staticmethod
    def asset(name: str) -> str:
        return f"assets/{name}"

    # -- external addresses ------------------------------------------------------------
    @staticmethod
    def france_competences(numero: str) -> str:
        """Official page: https://www.francecompetences.fr/recherche/rncp/26224/ (RS: /rs/)."""
        kind = "rs" if numero.startswith("RS") else "rncp"
        return f"https://www.francecompetences.fr/recherche/{kind}/{numero.removeprefix('RNCP').removeprefix('RS')}/"

    @staticmethod
    def france_vae() -> str:
        """France VAE, the public service of VAE (validation of prior experience)."""
        return "https://vae.gouv.fr/"

    # The appeal routes of an accessibility statement, as the RGAA's model gives them.
    DEFENSEUR_DES_DROITS_FORMULAIRE = "https://formulaire.defenseurdesdroits.fr/"
    DEFENSEUR_DES_DROITS_DELEGUES = "https://www.defenseurdesdroits.fr/saisir/delegues"
    LICENCE_OUVERTE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    EXPORT_RNCP = "https://www.data.gouv.fr/fr/datasets/5eebbc067a14b6fecc9c9976/"

    @staticmethod
    def france_travail(code_rome: str) -> str:
        return f"https://candidat.francetravail.fr/metierscope/fiche-metier/{code_rome}"

    @staticmethod
    def annuaire_entreprises(siret: str) -> str:
        """The establishment on the State's public directory (its address, its activity)."""
        return f"https://annuaire-entreprises.data.gouv.fr/etablissement/{siret}"

    @staticmethod
    def openstreetmap(lat: float, lon: float) -> str:
        return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"

    # -- turning paths into links and files --------------------------------------------
    def href(self, path: str) -> str:
        """The link to a page, with the base path: `/catalogue/fiches/rncp26224/`."""
        return self.base_path + check_path(path)

    def absolute(self, path: str) -> str:
        return self.origin + self.href(path)

    @staticmethod
    def output_file(path: str) -> PurePosixPath:
        """`fiches/rncp26224/` -> `fiches/rncp26224/index.html`; `404.html` stays as is."""
        check_path(path)
        return PurePosixPath(path + "index.html" if path == "" or path.endswith("/") else path)


def _lettre(base: str, page: int, lettre: str | None) -> str:
    """A list's page: by number, or by letter then number."""
    folder = base if lettre is None else f"{base}lettre/{lettre.lower()}/"
    return folder if page == 1 else f"{folder}page/{page}/"
