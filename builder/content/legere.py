"""A fiche made light: what every page but the fiche's own reads of it. The build keeps light
fiches only (lists, taxonomies, maps, links, search filters, the feed, the CSV read them); a
fiche's own pages are made from the full fiche, read again from the cache by the process that
makes them, then let go. Its long texts, its bodies, its statistics and its legal texts are
what make a fiche heavy, and only its own pages show them (see `OWN_PAGES_ONLY` in
`serve/session.py`, which a light fiche keeps apart from these)."""

from __future__ import annotations

import hashlib

from .model import Bloc, Fiche, Voie

# Fields dropped from a light fiche: shown on the fiche's own pages only. Everything else stays
# (identity, level, status and dates, certifiers, codes, places, links, each route open or not).
TEXTES = ("objectifs_contexte", "activites_visees", "capacites_attestees", "secteurs_activite",
          "type_emploi_accessibles", "reglementations_activites", "prerequis_entree_formation",
          "prerequis_validation_certification", "descriptif_composantes", "validation_partielle_perimetre",
          "niveau_maitrise_competences", "modalites_renouvellement")
LISTES = ("partenaires", "statistiques", "statistiques_organismes", "publication_decret_general",
          "publication_decret_creation", "publication_decret_autre", "autres_sources_information")
BLOC_TEXTES = ("liste_competences", "modalites_evaluation", "prerequis_entree_formation_bloc", "prerequis_validation_bloc")


def organismes(fiche: Fiche) -> str:
    """A digest of a fiche's bodies (what the list of its bodies shows of them)."""
    if fiche._organismes is not None:
        return fiche._organismes[1]
    data = repr([p.model_dump() for p in fiche.partenaires]).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def allegee(fiche: Fiche) -> Fiche:
    """The light fiche of a full one."""
    blocs = [b.model_copy(update=dict.fromkeys(BLOC_TEXTES)) if any(getattr(b, f) for f in BLOC_TEXTES) else b
             for b in fiche.blocs]
    voies = {code: _sans_jury(voie) for code, voie in fiche.voies_acces}
    update = {**dict.fromkeys(TEXTES), **{name: [] for name in LISTES}, "blocs": blocs, "source_officielle": None,
              "referentiel_url": None, "voies_acces": fiche.voies_acces.model_copy(update=voies)}
    light = fiche.model_copy(update=update)
    light._organismes = (len(fiche.partenaires), organismes(fiche))
    return light


def partager(fiches: list[Fiche]) -> None:
    """Make light fiches share their equal parts: one object for every fiche's routes open the
    same way, for each ROME or NSF code, for each certifier written alike (frozen models:
    shared safely), so that a national catalogue holds a few hundred of them, not 200,000."""
    same: dict[object, object] = {}
    for fiche in fiches:
        values = fiche.__dict__  # a light fiche is this process's own copy, its parts frozen
        values["voies_acces"] = same.setdefault(fiche.voies_acces, fiche.voies_acces)
        for name in ("rome", "nsf", "certificateurs", "formacodes"):
            if values[name]:
                values[name] = [same.setdefault(item, item) for item in values[name]]


def _sans_jury(voie: Voie) -> Voie:
    return voie.model_copy(update={"composition_jury": None}) if voie.composition_jury else voie


def _check() -> None:  # the fields named above exist (a renamed field fails at import, not silently)
    names = set(Fiche.model_fields)
    assert set(TEXTES + LISTES) <= names and set(BLOC_TEXTES) <= set(Bloc.model_fields)


_check()
