"""What the compare page (`comparer/`) reads of each fiche: a small JSON file per fiche, made at
build time whatever the open-data settings, and fetched only for the fiches compared.

`comparer/<numero>.json` holds what the table shows, in the words the page prints:

- `numero`, `intitule`, `url` (the fiche's page), `officielle` (France compétences);
- `niveau` (with its Bac+N wording), `type` (the abbreviated kind, e.g. `BTS`);
- `statut` (`Active` or `Inactive`), `fin` (end of registration, in words), `remplacee_par`
  (the active certifications that replace an inactive one, however many hops away:
  `[numero, intitule, url]`);
- `certificateurs`; `voies` (the six access routes in the official order, `true`, `false` or
  `null` when the fiche does not say);
- `blocs` (`[code, intitule, url]`: its page, or its heading on a summary); `equivalences`: every equivalence this fiche declares or
  another declares with it, `[its blocs, other numero, their blocs, declared by]` (no bloc:
  the whole certification), so that the page keeps those between the fiches it compares;
- `rome`, `nsf`: `[code, libellé]`, the label of the site's page of that code;
- `lieux`: how many places of preparation by région, whether at a distance, the training's
  hours (shortest, longest), the next session (from the build's date), and `positions`, the
  file of the places' positions (fetched only when a town is given: `comparer/<numero>-lieux.json`,
  `[lat, lon, commune, département]` once per position);
- `resultats`: the latest promotion with a figure; `graphique`: the chart of the fiche page for
  its latest promotions (legible in a narrow column).
"""

from __future__ import annotations

import json
from typing import Any

from ..content.catalogue import Catalogue
from ..content.lignee import remplacantes_actives
from ..content.model import Fiche, StatistiquePromotion
from ..content.places import departement, places
from ..places.lieux import pages_des_lieux
from ..pages.text import date_fr, date_partielle_fr
from ..pages.urls import Urls
from ..reference.nomenclature import VOIES
from ..search.filtres import niveau_libelle, statut_libelle
from ..slugs import code_slug
from .graphique import graphique_resultats


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def donnees(catalogue: Catalogue, urls: Urls, resume: bool, fiche: Fiche) -> str:
    """The compare page's file of one fiche (from the fiche whole); `resume`: its page is a
    summary, where its blocs are whole (they have no pages of their own)."""
    terms = catalogue.term_index()
    return _json({
        "numero": fiche.numero,
        "intitule": fiche.intitule,
        "url": urls.href(urls.fiche(fiche)),
        "officielle": urls.france_competences(fiche.numero),
        "niveau": niveau_libelle(fiche),
        "type": fiche.abrege.code if fiche.abrege else None,
        "statut": statut_libelle(catalogue, fiche),
        "fin": date_fr(fiche.date_fin_enregistrement) if fiche.date_fin_enregistrement else None,
        "remplacee_par": [] if catalogue.est_active(fiche) else [
            [f.numero, f.intitule, urls.href(urls.fiche(f))] for f, _ in remplacantes_actives(catalogue, fiche)],
        "certificateurs": [c.nom for c in fiche.certificateurs],
        "voies": [getattr(fiche.voies_acces, code).actif for code in VOIES],
        "blocs": [[b.code, b.libelle, f"{urls.href(urls.fiche(fiche))}#{b.code.lower()}" if resume else urls.href(urls.bloc(fiche, b))]
                  for b in catalogue.blocs(fiche)],
        "equivalences": equivalences(catalogue, fiche),
        # the labels of the site's job and domain pages: one code, one label, whichever fiche wrote it
        "rome": [[r.code, terms["rome", code_slug(r.code)].libelle] for r in fiche.rome],
        "nsf": [[n.code, terms["nsf", code_slug(n.code)].libelle] for n in fiche.nsf],
        "lieux": lieux(catalogue, urls, fiche),
        "resultats": resultats(fiche),
        "graphique": str(graphique_resultats(dernieres(fiche), f"{fiche.slug}-comparaison", "sur la page de la certification")),
    })


def equivalences(catalogue: Catalogue, fiche: Fiche) -> list[list[Any]]:
    """The equivalences this fiche declares and those others declare with it, each once, seen
    from this fiche: `[its blocs, other numero, their blocs, declared by]`."""
    found: dict[tuple, list[Any]] = {}
    for c in fiche.correspondances:
        key = (tuple(sorted(c.bloc)), c.numero, tuple(sorted(c.bloc_correspondant)))
        found.setdefault(key, [sorted(c.bloc), c.numero, sorted(c.bloc_correspondant), [fiche.numero]])
    for other, c in catalogue.declarations_vers(fiche, toutes=True):
        key = (tuple(sorted(c.bloc_correspondant)), other.numero, tuple(sorted(c.bloc)))
        entry = found.setdefault(key, [sorted(c.bloc_correspondant), other.numero, sorted(c.bloc), []])
        if other.numero not in entry[3]:
            entry[3].append(other.numero)
    return [found[key] for key in sorted(found)]


def prochaine_session(fiche: Fiche, today: str) -> str | None:
    """The earliest start of a session that is not over by the build's date (a month alone
    counts until its end), in words."""
    debuts = sorted(lieu.session_debut for lieu in fiche.lieux_preparation
                    if lieu.session_debut and lieu.session_debut >= today[:len(lieu.session_debut)])
    return date_partielle_fr(debuts[0]) if debuts else None


def lieux(catalogue: Catalogue, urls: Urls, fiche: Fiche) -> dict[str, Any]:
    preparation = places(fiche)[0]
    sur_place = [p for p in preparation if not p.lieu.a_distance]
    regions: dict[str, int] = {}
    for place in sur_place:
        where = departement(place)
        region = where.region if where else "Sans région connue"
        regions[region] = regions.get(region, 0) + 1
    heures = [lieu.heures for lieu in fiche.lieux_preparation if lieu.heures]
    return {
        "total": len(sur_place),
        "regions": sorted(([r, n] for r, n in regions.items()), key=lambda x: (-x[1], x[0])),
        "distance": any(lieu.a_distance or lieu.mixte for lieu in fiche.lieux_preparation),
        "heures": [min(heures), max(heures)] if heures else None,
        "session": prochaine_session(fiche, catalogue.today.isoformat()),
        "positions": urls.href(urls.comparaison_lieux(fiche)) if a_des_positions(fiche) else None,
    }


def a_des_positions(fiche: Fiche) -> bool:
    return any(p.position and not p.lieu.a_distance for p in places(fiche)[0])


def positions(fiche: Fiche) -> list[list[Any]]:
    """The positions of a fiche's places on site, once each: `[lat, lon, commune, département,
    places, page, bodies]`, `places` the numbers of the places there (`lieu-3` on the pages: 3),
    `page` the page of the fiche's places list they are on (0: the fiche page names them all) and
    `bodies` the name of each place's body (the links to the nearest places name them).
    The compare page reads the first four; the fiche page and its places pages the others, to
    list the places by distance from a town (templates/static/lieux-pres.js)."""
    found: dict[tuple, list[Any]] = {}
    for place in places(fiche)[0]:
        if place.position and not place.lieu.a_distance:
            where = departement(place)
            key = (round(place.position.lat, 3), round(place.position.lon, 3), place.lieu.commune or "",
                   where.code if where else "")
            found.setdefault(key, []).append(place)
    pages = pages_des_lieux(fiche)
    return [[*key, [p.numero for p in there], pages.get(there[0].ancre, 0), [p.lieu.organisme for p in there]]
            for key, there in sorted(found.items())]


def fichier_positions(fiche: Fiche) -> str:
    return _json(positions(fiche))


PROMOTIONS_COMPAREES = 4  # the chart of the compare page: the latest promotions, legible in a column


def dernieres(fiche: Fiche) -> list[StatistiquePromotion]:
    """The latest promotions with a figure, for the small chart of the compare page."""
    avec = [s for s in fiche.statistiques if resultats_de(s)]
    return sorted(avec, key=lambda s: s.annee)[-PROMOTIONS_COMPAREES:]


def resultats_de(s: StatistiquePromotion) -> dict[str, Any] | None:
    valeurs = {"certifies": s.nombre_certifies, "vae": s.nombre_certifies_vae,
               "global6": s.taux_insertion_global_6mois, "metier6": s.taux_insertion_metier_6mois,
               "metier2": s.taux_insertion_metier_2ans}
    return {"annee": s.annee, **valeurs} if any(v is not None for v in valeurs.values()) else None


def resultats(fiche: Fiche) -> dict[str, Any] | None:
    """The latest promotion that has a figure."""
    found = dernieres(fiche)
    return resultats_de(found[-1]) if found else None
