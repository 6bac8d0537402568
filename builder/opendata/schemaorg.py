"""schema.org data (JSON-LD) for search engines and reusers: a fiche is an
`EducationalOccupationalCredential`, a bloc a `DefinedTerm`, the way to a page a
`BreadcrumbList`; certifiers and places of preparation are `EducationalOrganization` items.

Each function returns plain data; `jsonld()` writes it as a `<script>` element, escaped so
that no text of a fiche can close the element.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..content.places import Place
from ..content.model import Bloc, Fiche, Lieu
from ..reference.nomenclature import NIVEAUX
from ..pages.urls import Urls

FRANCE_COMPETENCES = {"@type": "Organization", "name": "France compétences", "url": "https://www.francecompetences.fr/"}
LEVELS = "Cadre national des certifications professionnelles"  # levels 1 to 8, aligned on the EQF
# courseMode of schema.org's CourseInstance: how a place prepares for the certification
MODES = {"a_distance": "online", "mixte": "blended", "sur_place": "onsite"}


def jsonld(data: dict[str, Any]) -> Markup:
    """`<script type="application/ld+json">`, compact; `<`, `>` and `&` escaped as JSON escapes."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def niveau(fiche: Fiche) -> dict[str, Any] | None:
    """The level as a term of the national framework, named with its Bac+N equivalent."""
    if fiche.niveau is None:
        return None
    info = NIVEAUX[fiche.niveau]
    return {"@type": "DefinedTerm", "termCode": str(fiche.niveau), "name": info.libelle, "inDefinedTermSet": LEVELS}


def categorie(fiche: Fiche) -> str:
    if fiche.abrege and fiche.abrege.libelle:
        return fiche.abrege.libelle
    if fiche.abrege:
        return fiche.abrege.code
    if fiche.est_rs:
        return "Certification du Répertoire spécifique"
    return "Certification professionnelle enregistrée au RNCP"


def identifiant(fiche: Fiche, urls: Urls) -> str:
    return urls.absolute(urls.fiche(fiche)) + "#certification"


def bloc_term(fiche: Fiche, bloc: Bloc, urls: Urls, on_fiche: bool = False) -> dict[str, Any]:
    """A bloc: at its page's address, or at its heading on the fiche page when it has no page."""
    url = urls.absolute(urls.fiche(fiche)) + "#" + bloc.code.lower() if on_fiche else urls.absolute(urls.bloc(fiche, bloc))
    return {"@type": "DefinedTerm", "termCode": bloc.code, "name": bloc.libelle, "url": url}


def certificateur(fiche: Fiche, index: int, urls: Urls) -> dict[str, Any]:
    c = fiche.certificateurs[index]
    return _drop_empty({
        "@type": "EducationalOrganization", "@id": f"{urls.absolute(urls.fiche(fiche))}#certificateur-{index + 1}",
        "name": c.nom, "alternateName": c.nom_commercial, "url": c.site_internet, "taxID": c.siret,
    })


def organisation(place: Place) -> dict[str, Any]:
    """A place of preparation: the body, its postal address and its position."""
    lieu: Lieu = place.lieu
    address = _drop_empty({"@type": "PostalAddress", "streetAddress": lieu.adresse, "postalCode": lieu.code_postal,
                           "addressLocality": lieu.commune})
    data: dict[str, Any] = {"@type": "EducationalOrganization", "name": lieu.organisme, "taxID": lieu.siret}
    if len(address) > 1:
        data["address"] = {**address, "addressCountry": "FR"}
    if place.position and not lieu.a_distance:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.position.lat, "longitude": place.position.lon}
    return _drop_empty(data)


def session(place: Place) -> dict[str, Any]:
    """Where and how one place prepares the fiche: a CourseInstance of its Course."""
    lieu = place.lieu
    mode = "a_distance" if lieu.a_distance else "mixte" if lieu.mixte else "sur_place"
    return _drop_empty({
        "@type": "CourseInstance", "courseMode": MODES[mode], "organizer": organisation(place),
        "courseWorkload": f"PT{lieu.heures}H" if lieu.heures else None,
        "startDate": lieu.session_debut, "endDate": lieu.session_fin, "url": lieu.url,
    })


def formation(fiche: Fiche, shown: list[Place], urls: Urls) -> dict[str, Any]:
    """The preparation for the fiche, with the places a page shows (the fiche page, or a page
    of its list of places) as its instances."""
    return {"@type": "Course", "@id": urls.absolute(urls.fiche(fiche)) + "#preparation",
            "name": f"Préparer : {fiche.intitule}", "url": urls.absolute(urls.fiche(fiche)) + "#preparation",
            "description": f"Lieux de préparation de la certification {fiche.numero}, {fiche.intitule}.",
            "educationalCredentialAwarded": {"@id": identifiant(fiche, urls)},
            "hasCourseInstance": [session(place) for place in shown]}


def certification(fiche: Fiche, blocs: list[Bloc], shown: list[Place], urls: Urls, resume: bool = False,
                  fil: dict[str, Any] | None = None) -> dict[str, Any]:
    """A fiche page's data, in one graph: the credential, its certifiers, the places the page
    names and the breadcrumbs (`fil`, from `fil()`). A summary page (`resume`) gives only the
    credential's identity: its name, number, addresses and end of registration."""
    if resume:
        return {"@graph": [_drop_empty({
            "@type": "EducationalOccupationalCredential", "@id": identifiant(fiche, urls), "name": fiche.intitule,
            "identifier": fiche.numero, "url": urls.absolute(urls.fiche(fiche)),
            "validUntil": fiche.date_fin_enregistrement.isoformat() if fiche.date_fin_enregistrement else None,
            "sameAs": urls.france_competences(fiche.numero)})]}
    credential = _drop_empty({
        "@type": "EducationalOccupationalCredential",
        "@id": identifiant(fiche, urls),
        "name": fiche.intitule,
        "identifier": fiche.numero,
        "url": urls.absolute(urls.fiche(fiche)),
        "credentialCategory": categorie(fiche),
        "educationalLevel": niveau(fiche),
        "competencyRequired": [bloc_term(fiche, b, urls, on_fiche=resume) for b in blocs],
        "recognizedBy": FRANCE_COMPETENCES,
        "occupationalCategory": [_drop_empty({"@type": "CategoryCode", "codeValue": r.code, "name": r.libelle, "inCodeSet": "ROME"})
                                 for r in fiche.rome],
        "provider": [certificateur(fiche, i, urls) for i in range(len(fiche.certificateurs))],
        "validUntil": fiche.date_fin_enregistrement.isoformat() if fiche.date_fin_enregistrement else None,
        "sameAs": urls.france_competences(fiche.numero),
        "inLanguage": "fr",
    })
    graph = [credential]
    if shown:
        graph.append(formation(fiche, shown, urls))
    if fil:
        graph.append(fil)
    return {"@graph": graph}


def bloc(fiche: Fiche, bloc: Bloc, urls: Urls) -> dict[str, Any]:
    """A bloc page's data: the bloc as a term of its fiche, and the credential it belongs to."""
    return {**bloc_term(fiche, bloc, urls), "inDefinedTermSet": {"@type": "EducationalOccupationalCredential",
                                                                 "@id": identifiant(fiche, urls), "identifier": fiche.numero}}


def fil(items: list[tuple[str, str | None]], current: str, urls: Urls) -> dict[str, Any]:
    """The breadcrumbs: home, then `items` (label, path; None for the page itself, at `current`)."""
    trail = [("Accueil", urls.home()), *((label, path if path is not None else current) for label, path in items)]
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": label, "item": urls.absolute(path)} for n, (label, path) in enumerate(trail, 1)]}
