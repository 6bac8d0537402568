"""Generated catalogues for benchmarks: N fiches with realistic shapes and sizes.

Words come from the example fiches, shuffled with a fixed seed, so that the text has the
vocabulary (and the index the size) of real fiches; codes, levels, certifiers, access
routes and places are drawn from real nomenclatures. Same N, same catalogue.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from builder.reference.nomenclature import _rome_domaines

ROOT = Path(__file__).resolve().parent.parent
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when there


def vocabulary() -> tuple[list[str], list[float]]:
    """Words and cumulative weights with a natural (Zipf-like) spread: the example fiches'
    words as often as they occur there, weighted up, plus the 30,000 most frequent French
    words. A word like "projet" is then frequent, and most words are rare, as in real text."""
    from collections import Counter

    from spellchecker import SpellChecker

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / "fiches").glob("*.yaml")))
    domain = Counter(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿœ’'-]{3,}", text) if not w.startswith("RNCP") and "-" not in w)
    general = SpellChecker(language="fr").word_frequency.dictionary.most_common(30000)
    total_general = sum(n for _, n in general)
    weights = Counter({word: n / total_general for word, n in general})
    total_domain = sum(domain.values())
    for word, n in domain.items():
        weights[word] += 2 * n / total_domain  # domain words: two thirds of the text
    words = sorted(weights)
    cumulative, running = [], 0.0
    for word in words:
        running += weights[word]
        cumulative.append(running)
    return words, cumulative


def rome_codes() -> list[str]:
    return [f"{domaine}{n:02d}" for domaine, last in _rome_domaines().items() for n in range(1, int(last[3:]) + 1)]


# Shapes of real fiches: the two seeds and the two fiches of the official export sample
# (../shared/data), and the national volumes of the export of 16/08/2026 (DOMAIN.md):
# 25,638 fiches, 5,518 active, 55,761 blocs, 397,774 partner rows.
TEXT_LENGTHS = {  # characters, as measured on the four real fiches
    "objectifs_contexte": [1428, 1410],
    "activites_visees": [1017, 1089, 1211, 1019],
    "capacites_attestees": [2436, 2861, 961, 1286],
    "secteurs_activite": [549, 773, 653, 791],
    "type_emploi_accessibles": [141, 1133, 581, 459],
    "prerequis_entree_formation": [828],
    "descriptif_composantes": [1817, 508],
}
SHARE_WITH_TEXT = {"objectifs_contexte": 0.6, "prerequis_entree_formation": 0.5, "descriptif_composantes": 0.3}
ACTIVE_SHARE = 5518 / 25638
ACTIVE_LEVELS = {3: 636, 4: 790, 5: 683, 6: 1349, 7: 2059, 8: 1}
BLOCS_PER_FICHE = 55761 / 25638  # ≈2.17: older fiches have none, recent ones 2 to 8
PARTNERS_PER_FICHE = 397774 / 25638  # ≈15.5
JURY_LENGTH = (300, 900)
# The four real fiches (two seeds, two of the export sample) each give every open route the same
# jury text, word for word; some certifiers write a route apart (VAE juries often differ).
JURY_APART = 0.1  # chance that one open route has a jury text of its own


# The 40 largest communes (INSEE code: inhabitants in thousands, census 2021, rounded): training
# places gather there, about a third of the national offer.
CITIES = {
    "75056": 2133, "13055": 873, "69123": 522, "31555": 504, "06088": 343, "44109": 320, "34172": 302,
    "67482": 291, "33063": 261, "59350": 236, "35238": 222, "51454": 180, "83137": 180, "42218": 173,
    "76351": 166, "38185": 158, "21231": 156, "49007": 155, "30189": 149, "69266": 156, "63113": 147,
    "72181": 145, "13001": 147, "29019": 139, "37261": 137, "80021": 134, "87085": 130, "74010": 131,
    "66136": 119, "92012": 121, "57463": 120, "25056": 119, "45234": 116, "93066": 113, "76540": 114,
    "95018": 111, "93048": 111, "68224": 108, "14118": 106, "54395": 104,
}
CITY_SHARE = 0.35


def towns() -> list[tuple[str, str, str, str, float, float]]:
    """(postal code, commune, département code, INSEE code, latitude, longitude) of the communes GeoNames places itself
    (the towns with 500 inhabitants or more), where preparation places are."""
    import csv
    import gzip

    with gzip.open(ROOT / "builder" / "data" / "communes.csv.gz", "rt", encoding="utf-8") as stream:
        return [(row["codes_postaux"].split()[0], row["nom"], row["departement"], row["insee"], float(row["lat"]), float(row["lon"]))
                for row in csv.DictReader(stream) if row["precision"] == "commune" and row["codes_postaux"]]


def generate(folder: Path, fiches: int, seed: int = 26224) -> Path:
    """Write a project with `fiches` fiches into `folder` (replaced if it exists)."""
    rng = random.Random(seed)
    words, cumulative = vocabulary()
    romes = rome_codes()
    places = towns()
    cities = [town for town in places if town[3] in CITIES]
    sites: dict[tuple, list[dict]] = {}  # town -> its training centres
    city_weights = [CITIES[town[3]] for town in cities]
    certifiers = [f"Organisme {rng.choice(words).capitalize()} {i}" for i in range(max(20, fiches // 12))]
    nsf = [f"{n}{suffix}" for n in range(100, 440, 10) for suffix in ("", "p", "t", "n", "r")]
    levels, level_weights = zip(*ACTIVE_LEVELS.items())

    def sentence(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n)).capitalize() + "."

    def text(characters: int) -> str:
        """Sentences (and some bullet lists, as in real fiches) of about `characters` characters."""
        parts, length = [], 0
        while length < characters:
            if rng.random() < 0.3:
                part = "\n".join(f"- {sentence(rng.randint(5, 14))}" for _ in range(rng.randint(2, 6)))
            else:
                part = " ".join(sentence(rng.randint(8, 20)) for _ in range(rng.randint(1, 4)))
            parts.append(part)
            length += len(part)
        return "\n\n".join(parts)

    def real_length(field: str) -> int:
        return int(rng.choice(TEXT_LENGTHS[field]) * rng.uniform(0.6, 1.6))

    def partner_count() -> int:
        # skewed as nationally: most fiches have none (state diplomas) or a few; one in twenty
        # (titres professionnels, networks) has hundreds: 15.5 on average
        roll = rng.random()
        if roll < 0.55:
            return 0
        return min(900, int(rng.expovariate(1 / (8 if roll < 0.95 else 250))))

    def place_count(actif: bool) -> int:
        # the national training offer: about 30 places for an active fiche (some hundreds),
        # hardly any for an inactive one (about 135,000 places for the whole RNCP)
        if not actif:
            return 0 if rng.random() < 0.92 else rng.randint(1, 2)
        return 0 if rng.random() < 0.2 else min(600, int(rng.expovariate(1 / 30)) + 1)

    def bloc_count() -> int:
        # 45 % without blocs (older fiches), the others 2 to 6: 2.17 on average, as nationally
        return 0 if rng.random() < 0.457 else rng.randint(2, 6)

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", folder / "content" / "site.yaml")
    for i in range(fiches):
        numero = f"RNCP{30000 + i}"
        actif = rng.random() < ACTIVE_SHARE
        fiche: dict = {
            "numero": numero,
            "intitule": sentence(rng.randint(3, 9)).rstrip("."),
            "niveau": rng.choices(levels, level_weights)[0],
            "actif": actif,
            "certificateurs": [{"nom": name} for name in rng.sample(certifiers, rng.choice([1, 1, 1, 2]))],
            "nsf": [{"code": code, "libelle": sentence(4).rstrip(".")} for code in rng.sample(nsf, rng.choice([1, 1, 2, 3]))],
            "rome": [{"code": code, "libelle": sentence(3).rstrip(".")} for code in rng.sample(romes, rng.randint(1, 5))],
        }
        for field in TEXT_LENGTHS:
            if rng.random() < SHARE_WITH_TEXT.get(field, 1.0):
                fiche[field] = text(real_length(field))
        fiche["blocs"] = [
            {
                "code": f"{numero}BC{b:02d}",
                "libelle": sentence(rng.randint(4, 12)).rstrip("."),
                "liste_competences": "\n".join(f"- {sentence(rng.randint(8, 20))}" for _ in range(rng.randint(3, 9))),
                "modalites_evaluation": text(rng.randint(150, 700)),
            }
            for b in range(1, bloc_count() + 1)
        ]
        fiche["voies_acces"] = {}
        jury = text(rng.randint(*JURY_LENGTH))
        for key in ("FI", "CA", "FC", "CQ", "CL", "VAE"):
            voie: dict = {"actif": rng.random() > 0.3}
            if voie["actif"]:
                voie["composition_jury"] = text(rng.randint(*JURY_LENGTH)) if rng.random() < JURY_APART else jury
            fiche["voies_acces"][key] = voie
        year = rng.randint(2020, 2025) if actif else rng.randint(2008, 2021)
        fiche["date_effet"] = f"{year}-{rng.randint(1, 12):02d}-01"
        end = max(year + rng.randint(2, 5), 2027) if actif else year + rng.randint(2, 4)
        fiche["date_fin_enregistrement"] = f"{end}-{rng.randint(1, 12):02d}-01"
        if i > 0 and rng.random() < 0.4:  # a predecessor, often in the catalogue
            fiche["anciennes_certifications"] = [{"numero": f"RNCP{30000 + rng.randrange(i)}", "intitule": sentence(5).rstrip(".")}]
        fiche["partenaires"] = [
            {"nom": f"{sentence(2).rstrip('.')} formation", "siret": f"{rng.randrange(10**13, 10**14):014d}",
             "habilitation": rng.choice(["HABILITATION_FORMER", "HABILITATION_ORGANISER", "HABILITATION_ORGA_FORM"]), "etat": "Actif"}
            for _ in range(partner_count())
        ]
        fiche["lieux_preparation"] = []
        for _ in range(place_count(actif)):
            town = rng.choices(cities, city_weights)[0] if rng.random() < CITY_SHARE else rng.choice(places)
            if rng.random() < 0.05:
                fiche["lieux_preparation"].append({"organisme": sentence(3).rstrip("."), "a_distance": True})
                continue
            # a training centre prepares several certifications: most places are at a centre
            # already seen in the town; most offers give coordinates (a centre's own)
            known = sites.setdefault(town, [])
            if not known or rng.random() < 1 / (1 + len(known) ** 0.5):
                code_postal, commune, _, _, lat, lon = town
                known.append({"organisme": sentence(3).rstrip("."), "adresse": f"{rng.randint(1, 200)} rue {rng.choice(words).capitalize()}",
                              "code_postal": code_postal, "commune": commune}
                             | ({"lat": round(lat + rng.uniform(-0.03, 0.03), 5), "lon": round(lon + rng.uniform(-0.04, 0.04), 5)}
                                if rng.random() < 0.7 else {}))
            fiche["lieux_preparation"].append(dict(rng.choice(known)))
        fiche["statistiques"] = statistics(random.Random(seed * 100_003 + i), actif, end)
        path = folder / "content" / "fiches" / f"{numero.lower()}.yaml"
        path.write_text(yaml.dump(fiche, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return folder


def statistics(rng: random.Random, actif: bool, end: int) -> list[dict]:
    """Results by promotion (drawn apart, so that the rest of the catalogue is the same as
    before they were added): an assumed share, half the active fiches and a fifth of the
    inactive ones, with one to six promotions, a few VAE certified, rates often missing."""
    if rng.random() >= (0.5 if actif else 0.2):
        return []
    last = min(end, 2025) - 1
    size = rng.randint(8, 400)
    rows = []
    for year in range(last - rng.randint(0, 5), last + 1):
        row = {"annee": year, "nombre_certifies": max(1, int(size * rng.uniform(0.7, 1.3)))}
        if rng.random() < 0.6:
            row["nombre_certifies_vae"] = int(row["nombre_certifies"] * rng.uniform(0, 0.2))
        for field in ("taux_insertion_global_6mois", "taux_insertion_metier_6mois", "taux_insertion_metier_2ans"):
            if rng.random() < 0.7:
                row[field] = rng.randint(35, 98)
        rows.append(row)
    return rows
