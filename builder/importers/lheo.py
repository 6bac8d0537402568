"""One `formation` of the national training offer (LHEO 2.x, namespace
`http://www.lheo.org/2.2` or later, published by the Carif-Oref network and by Onisep) -> the
certifications it prepares for, and a place of preparation per `action`.

What an action gives: where (`lieu-de-formation/coordonnees/adresse`: lines, postal code, town,
INSEE code, coordinates), how (`modalites-enseignement`: 0 on site, 1 mixed, 2 entirely at a
distance), how long (`nombre-heures-total`), when (the next `session/periode`, `AAAAMMJJ` with
`00` for an unknown day or month), the work-study rhythm, and the page of the offer. The body
is the formation's `organisme-formation-responsable` (its name and SIRET). Text fields carry
escaped HTML: only their text is kept.
"""

from __future__ import annotations

import html.parser
import re
from typing import Any
from xml.etree.ElementTree import Element

from ..content.fieldtypes import check_url
from ..reference.geo import en_france
from ..importers import values as v


def local_names(element: Element) -> Element:
    """Tags without their namespace (`{http://www.lheo.org/2.2}action` -> `action`)."""
    for node in element.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.rsplit("}", 1)[1]
    return element


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")


def texte(element: Element | None, path: str) -> str | None:
    """The text of an element, its escaped HTML reduced to words; `-` (LHEO's "nothing") is nothing."""
    found = element.find(path) if element is not None else None
    if found is None:
        return None
    parser = _Text()
    parser.feed("".join(found.itertext()))
    parser.close()
    text = v.ligne("".join(parser.parts))
    return None if not text or re.fullmatch(r"[-–—.\s]*", text) else text


def code_rncp(text: str | None) -> str | None:
    """`474`, `RNCP474`, `rncp 474` -> `RNCP474`; anything else -> None."""
    text = v.compact(text)
    if not text:
        return None
    match = re.fullmatch(r"(?:RNCP)?0*(\d{1,6})", text.upper())
    return f"RNCP{match[1]}" if match else None


def date_partielle(text: str | None) -> str | None:
    """`20260915` -> `2026-09-15`; `20260900` -> `2026-09`; `20260000` -> `2026`; `00000000` -> None."""
    text = v.compact(text)
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text or "")
    if not match or match[1] == "0000":
        return None
    year, month, day = match[1], match[2], match[3]
    if month == "00":
        return year
    return f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}"


def prochaine_session(action: Element, reference: str) -> tuple[str | None, str | None]:
    """The first session not over on `reference` (AAAA-MM-JJ); else the last one."""
    sessions = []
    for periode in action.findall("session/periode"):
        debut, fin = date_partielle(texte(periode, "debut")), date_partielle(texte(periode, "fin"))
        if debut or fin:
            sessions.append((debut or "", fin or ""))
    if not sessions:
        return None, None
    sessions.sort()
    current = next((s for s in sessions if (s[1] or s[0]) >= reference[: len(s[1] or s[0])]), sessions[-1])
    return current[0] or None, current[1] or None


def _nombre(text: str | None) -> float | None:
    text = v.compact(text)
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def _url(text: str | None) -> str | None:
    text = v.compact(text)
    if not text:
        return None
    if not re.match(r"https?://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        return check_url(text)
    except ValueError:
        return None


def organisme(formation: Element) -> tuple[str | None, str | None]:
    body = formation.find("organisme-formation-responsable")
    nom = texte(body, "nom-organisme") or texte(body, "raison-sociale")
    siret = v.compact(texte(body, "SIRET-organisme-formation/SIRET"))
    return nom, siret if siret and re.fullmatch(r"\d{14}", siret) else None


def lieu(formation: Element, action: Element, index: int, source: str, date: str) -> dict[str, Any]:
    """The place of preparation an action gives, in the model's vocabulary (empty values left out)."""
    nom, siret = organisme(formation)
    adresse = action.find("lieu-de-formation/coordonnees/adresse")
    lignes = [t for node in (adresse.findall("ligne") if adresse is not None else [])
              if (t := texte(node, ".")) and t.lower() not in ((nom or "").lower(),)]
    modalite = v.compact(texte(action, "modalites-enseignement"))
    lat, lon = _nombre(texte(adresse, "geolocalisation/latitude")), _nombre(texte(adresse, "geolocalisation/longitude"))
    if lat is None or lon is None or not en_france(lat, lon):
        lat = lon = None  # the gazetteer will place it, from its INSEE code or postal code
    heures = _nombre(texte(action, "nombre-heures-total"))
    debut, fin = prochaine_session(action, date)
    numero = f"{formation.get('numero') or '?'}/{action.get('numero') or index + 1}"
    place = {
        "organisme": nom or v.ligne(texte(action, "lieu-de-formation/coordonnees/ligne")),
        "siret": siret,
        "adresse": ", ".join(lignes) or None,
        "code_postal": v.compact(texte(adresse, "codepostal")),
        "commune": texte(adresse, "ville"),
        "code_insee": v.compact(texte(adresse, "code-INSEE-commune")),
        "a_distance": True if modalite == "2" else None,
        "mixte": True if modalite == "1" else None,
        "lat": round(lat, 6) if lat is not None else None,
        "lon": round(lon, 6) if lon is not None else None,
        "heures": round(heures) if heures and heures > 0 else None,
        "session_debut": debut,
        "session_fin": fin,
        "alternance": texte(action, "modalites-alternance"),
        "url": _url(texte(action, "url-action/urlweb")) or _url(texte(formation, "url-formation/urlweb")),
        "offre": {"source": source, "numero": numero, "date": date},
    }
    if place["a_distance"]:  # at a distance: no place, the body's address is not where one trains
        for key in ("adresse", "code_postal", "commune", "code_insee", "lat", "lon"):
            place[key] = None
    return {k: value for k, value in place.items() if value not in (None, "")}


def formation_places(formation: Element, source: str, date: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The certifications a formation prepares for (RNCP numbers), and its places."""
    local_names(formation)
    codes = [code for node in formation.findall("certification/code-RNCP") if (code := code_rncp(texte(node, ".")))]
    places = [lieu(formation, action, i, source, date) for i, action in enumerate(formation.findall("action"))]
    return list(dict.fromkeys(codes)), places
