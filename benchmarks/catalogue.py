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

from builder.nomenclature import _rome_domaines, departements

ROOT = Path(__file__).resolve().parent.parent


def vocabulary() -> tuple[list[str], list[float]]:
    """Words and cumulative weights with a natural (Zipf-like) spread: the example fiches'
    words as often as they occur there, weighted up, plus the 30,000 most frequent French
    words. A word like "projet" is then frequent, and most words are rare, as in real text."""
    from collections import Counter

    from spellchecker import SpellChecker

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / "fiches").glob("*.yaml")))
    domain = Counter(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿœ’'-]{3,}", text) if not w.startswith("RNCP"))
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


def generate(folder: Path, fiches: int, seed: int = 26224) -> Path:
    """Write a project with `fiches` fiches into `folder` (replaced if it exists)."""
    rng = random.Random(seed)
    words, cumulative = vocabulary()
    romes = rome_codes()
    deps = [d for d in departements().values() if d.code not in ("2A", "2B")]
    certifiers = [f"Organisme {rng.choice(words).capitalize()} {i}" for i in range(max(20, fiches // 12))]
    nsf = [f"{n}{suffix}" for n in range(310, 345) for suffix in ("", "p", "t")]

    def sentence(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n)).capitalize() + "."

    def paragraph(sentences: int) -> str:
        return " ".join(sentence(rng.randint(8, 18)) for _ in range(sentences))

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", folder / "content" / "site.yaml")
    for i in range(fiches):
        numero = f"RNCP{30000 + i}"
        fiche = {
            "numero": numero,
            "intitule": sentence(rng.randint(3, 7)).rstrip("."),
            "niveau": rng.choice([3, 4, 5, 5, 6, 6, 6, 7, 7]),
            "actif": rng.random() > 0.3,
            "certificateurs": [{"nom": name} for name in rng.sample(certifiers, rng.choice([1, 1, 1, 2]))],
            "nsf": [{"code": code, "libelle": sentence(4).rstrip(".")} for code in rng.sample(nsf, rng.choice([1, 1, 2]))],
            "rome": [{"code": code, "libelle": sentence(3).rstrip(".")} for code in rng.sample(romes, rng.randint(1, 5))],
            "activites_visees": paragraph(rng.randint(4, 10)),
            "capacites_attestees": "\n".join(f"- {sentence(rng.randint(6, 14))}" for _ in range(rng.randint(4, 10))),
            "secteurs_activite": paragraph(2),
            "type_emploi_accessibles": paragraph(2),
            "blocs": [
                {
                    "code": f"{numero}BC{b:02d}",
                    "libelle": sentence(rng.randint(4, 9)).rstrip("."),
                    "liste_competences": "\n".join(f"- {sentence(rng.randint(6, 14))}" for _ in range(rng.randint(3, 7))),
                    "modalites_evaluation": paragraph(rng.randint(1, 3)),
                }
                for b in range(1, rng.choice([0, 1, 2, 2, 3, 3, 4, 5]) + 1)
            ],
            "voies_acces": {key: {"actif": rng.random() > 0.4} for key in ("FI", "CA", "FC", "CQ", "CL", "VAE")},
            "lieux_preparation": [],
        }
        for _ in range(rng.randint(0, 6)):
            dep = rng.choice(deps)
            code = (dep.code + "000")[:5] if len(dep.code) == 2 else dep.code + "00"
            fiche["lieux_preparation"].append({
                "organisme": sentence(3).rstrip("."), "code_postal": code, "commune": dep.nom,
            })
        path = folder / "content" / "fiches" / f"{numero.lower()}.yaml"
        path.write_text(yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
