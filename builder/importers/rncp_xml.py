"""One `FICHE` element of the official XML flux (v4.1) -> a fiche in our vocabulary.

Every element the export may carry is read, in the model's order; empty ones are left out.
Values are converted (`values.py`), not judged: `repair.py` makes the result publishable.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from ..importers import values as v

ROUTES = ("FI", "CA", "FC", "CQ", "CL", "VAE")
TEXTS = ("objectifs_contexte", "activites_visees", "capacites_attestees", "secteurs_activite",
         "type_emploi_accessibles", "reglementations_activites", "prerequis_entree_formation",
         "prerequis_validation_certification")
DATES = ("date_decision", "date_effet", "date_dernier_jo", "date_fin_enregistrement", "date_limite_delivrance")


def _text(element: Element | None, path: str) -> str | None:
    """The text of the first element at `path`, its children's text included (a stray tag
    inside a text must not lose the words after it)."""
    found = element.find(path) if element is not None else None
    if found is None:
        return None
    return "".join(found.itertext())


def _all(element: Element, path: str) -> list[str]:
    return [text for node in element.findall(path) if (text := "".join(node.itertext()).strip())]


def _items(element: Element, path: str, fields: dict[str, tuple[str, Any]]) -> list[dict[str, Any]]:
    """Repeated groups (`CODES_ROME/ROME`…): each as a dict of its converted, non-empty values."""
    items = []
    for node in element.findall(path):
        item = {key: convert(_text(node, tag)) for key, (tag, convert) in fields.items()}
        item = {k: value for k, value in item.items() if value not in (None, "", [])}
        if item:
            items.append(item)
    return items


def from_xml(fiche: Element) -> dict[str, Any]:
    """A `FICHE` element -> a fiche (keys in the model's order, empty values left out)."""
    numero = v.numero(_text(fiche, "NUMERO_FICHE")) or ""
    data: dict[str, Any] = {"numero": numero, "intitule": v.ligne(_text(fiche, "INTITULE"))}
    abrege = {"code": v.ligne(_text(fiche, "ABREGE/CODE")), "libelle": v.ligne(_text(fiche, "ABREGE/LIBELLE"))}
    data["abrege"] = {k: value for k, value in abrege.items() if value}
    data["etat_fiche"] = v.ligne(_text(fiche, "ETAT_FICHE"))
    data["actif"] = v.booleen(_text(fiche, "ACTIF"))
    data["type_enregistrement"] = v.ligne(_text(fiche, "TYPE_ENREGISTREMENT"))
    data["niveau"] = v.niveau(_text(fiche, "NOMENCLATURE_EUROPE/NIVEAU"))
    data["certificateurs"] = _items(fiche, "CERTIFICATEURS/CERTIFICATEUR", {
        "nom": ("NOM_CERTIFICATEUR", v.ligne), "siret": ("SIRET_CERTIFICATEUR", v.compact),
        "nom_commercial": ("NOM_COMMERCIAL", v.ligne), "site_internet": ("SITE_INTERNET", lambda t: (v.urls(t) or [None])[0]),
        "etat": ("ETAT_CERTIFICATEUR", v.ligne)})
    data["nsf"] = _items(fiche, "CODES_NSF/NSF", {"code": ("CODE", v.code_nsf), "libelle": ("LIBELLE", v.ligne)})
    data["formacodes"] = _items(fiche, "FORMACODES/FORMACODE", {"code": ("CODE", v.compact), "libelle": ("LIBELLE", v.ligne)})
    data["rome"] = _items(fiche, "CODES_ROME/ROME", {"code": ("CODE", v.code_rome), "libelle": ("LIBELLE", v.ligne)})
    data["ccn"] = _items(fiche, "CODES_IDCC/IDCC", {"numero": ("CODE", v.compact), "libelle": ("LIBELLE", v.ligne)}) + [
        item for i in (1, 2, 3) for item in _items(fiche, f"CCN_{i}", {"numero": ("NUMERO", v.compact), "libelle": ("LIBELLE", v.ligne)})]
    for key in TEXTS:
        data[key] = v.markdown(_text(fiche, key.upper()))
    data["blocs"] = _items(fiche, "BLOCS_COMPETENCES/BLOC_COMPETENCES", {
        "code": ("CODE", lambda t: v.code_bloc(numero, t)), "libelle": ("LIBELLE", v.ligne),
        "liste_competences": ("LISTE_COMPETENCES", v.markdown), "modalites_evaluation": ("MODALITES_EVALUATION", v.markdown),
        "prerequis_entree_formation_bloc": ("PREREQUIS_ENTREE_FORMATION_BLOC", v.markdown),
        "prerequis_validation_bloc": ("PREREQUIS_VALIDATION_BLOC", v.markdown)})
    data["voies_acces"] = {}
    for route in ROUTES:
        voie = {"actif": v.booleen(_text(fiche, f"SI_JURY_{route}/ACTIF")),
                "composition_jury": v.markdown(_text(fiche, f"SI_JURY_{route}/COMPOSITION"))}
        voie = {k: value for k, value in voie.items() if value is not None}
        if voie:
            data["voies_acces"][route] = voie
    data["accessible_nouvelle_caledonie"] = v.booleen(_text(fiche, "ACCESSIBLE_NOUVELLE_CALEDONIE"))
    data["accessible_polynesie_francaise"] = v.booleen(_text(fiche, "ACCESSIBLE_POLYNESIE_FRANCAISE"))
    for key in DATES:
        data[key] = v.date_iso(_text(fiche, key.upper()))
    data["date_de_publication"] = v.date_iso(_text(fiche, "DATE_DE_PUBLICATION"))
    data["annees_promotions_niveau"] = [v.entier(year) for year in _all(fiche, "ANNEES_PROMOTIONS_NIVEAU/ANNEE")]
    data["duree_enregistrement"] = v.entier(_text(fiche, "DUREE_ENREGISTREMENT"))
    for kind in ("GENERAL", "CREATION", "AUTRE"):
        data[f"publication_decret_{kind.lower()}"] = _items(fiche, f"PUBLICATION_DECRET_{kind}/PUBLICATION_JO", {
            "titre": ("TITRE", titres), "date_publication_jo": ("DATE_PUBLICATION_JO", v.date_iso)})
    data["anciennes_certifications"] = [{"numero": v.numero(n)} for n in _all(
        fiche, "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION")]
    data["nouvelles_certifications"] = [{"numero": v.numero(n)} for n in _all(
        fiche, "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION")]
    data["correspondances"] = [correspondance(numero, node) for node in fiche.findall("CORRESPONDANCES/CORRESPONDANCE")]
    data["statistiques"] = _items(fiche, "STATISTIQUES_PROMOTIONS/STATISTIQUES_PROMOTION", {
        key: (key.upper(), v.entier) for key in ("annee", "nombre_certifies", "nombre_certifies_vae", "taux_insertion_global_6mois",
                                                  "taux_insertion_metier_6mois", "taux_insertion_metier_2ans")})
    data["partenaires"] = _items(fiche, "PARTENAIRES/PARTENAIRE", {
        "nom": ("NOM_PARTENAIRE", v.ligne), "siret": ("SIRET_PARTENAIRE", v.compact),
        "habilitation": ("HABILITATION_PARTENAIRE", v.compact), "etat": ("ETAT_HABILITATION", v.ligne)})
    data["validation_partielle"] = v.booleen(_text(fiche, "VALIDATION_PARTIELLE"))
    data["validation_partielle_perimetre"] = v.markdown(_text(fiche, "VALIDATION_PARTIELLE_PERIMETRE"))
    data["niveau_maitrise_competences"] = v.markdown(_text(fiche, "NIVEAU_MAITRISE_COMPETENCES"))
    data["duree_validite"] = v.ligne(_text(fiche, "DUREE_VALIDITE"))
    data["modalites_renouvellement"] = v.markdown(_text(fiche, "MODALITES_RENOUVELLEMENT"))
    data["autres_sources_information"] = v.urls(_text(fiche, "LIEN_URL_DESCRIPTION"))
    return {k: value for k, value in data.items() if value not in (None, "", [], {})}


def titres(text: str | None) -> str | None:
    """A `TITRE` often lists several texts, once one per line: the runs of spaces the line
    breaks became are written ` ; `."""
    text = v.clean(text)
    return v.ligne(" ; ".join(part for part in re.split(r"\s{3,}|\n", text) if part.strip())) if text else None


def correspondance(numero: str, node: Element) -> dict[str, Any]:
    """Blocs of this fiche (`SOURCE`, none for the whole fiche) equivalent to blocs of another
    (`DESTINATION`: its number, and its blocs unless the whole other fiche)."""
    autre = v.numero(_text(node, "DESTINATION/NUMERO_FICHE"))
    item = {
        "bloc": [v.code_bloc(numero, code) for code in _all(node, "SOURCE/BLOC_COMPETENCES/CODE")],
        "numero": autre,
        "bloc_correspondant": [v.code_bloc(autre or "", code) for code in _all(node, "DESTINATION/BLOC_COMPETENCES/CODE")],
    }
    for key in ("bloc", "bloc_correspondant"):  # one code is written as one value, not as a list
        if len(item[key]) == 1:
            item[key] = item[key][0]
    return {k: value for k, value in item.items() if value not in (None, [])}
