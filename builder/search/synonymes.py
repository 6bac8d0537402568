"""What makes search say only what is true: synonyms, hidden words, examples and suggestions.

- Synonyms (`builder/data/synonymes.yaml`, and a school's `synonymes:` in site.yaml): groups of
  words a student may type for the same thing. A group tied to a fact of the fiches' data
  (`fiches:`) puts its words, hidden, on the page of each fiche where the fact holds
  (`mots_caches`), and a query for any of them searches for the group's first word (and, but
  for a level, the words typed as plain text); a school's group may not join two facts.
- The search page reads the groups, and the catalogue's words it suggests when a word is found
  nowhere, from one small file of its own (`fichier`), fetched for a text query only.
- The examples under the search box come from the catalogue (`exemples`), so each finds something.

Words are compared as the search page compares them (`normaliser` here and in recherche.js):
lower case, without accents, apostrophes and punctuation as spaces, "+" and "-" kept inside words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources

import yaml

from ..content.catalogue import Catalogue
from ..content.model import Fiche

# Words too common to search for: Pagefind would match them in every fiche (and it matches a
# word it cannot find by its first letters: "alternance" by "a"). The search page drops them,
# and words of one character, from a query; recherche.js keeps the same list.
MOTS_VIDES = frozenset("""a à au aux avec ce ces chez d dans de des du en et l la le les leur leurs ou par
pour qu que qui sa se ses son sur un une y""".split())

VOCABULAIRE_MAX = 4000  # the catalogue's most frequent words offered as suggestions


def normaliser(texte: str) -> str:
    """`Contrat d’apprentissage` -> `contrat d apprentissage`; `Bac + 3` -> `bac+3`."""
    texte = unicodedata.normalize("NFKD", texte.lower().replace("œ", "oe").replace("æ", "ae"))
    texte = "".join(c for c in texte if not unicodedata.combining(c))
    texte = re.sub(r"\bbac\s*\+?\s*(\d)\b", r"bac+\1", texte)
    texte = re.sub(r"[^\w+\-]+", " ", texte)  # apostrophes and punctuation: spaces
    texte = re.sub(r"(?<!\w)[+\-]+|[+\-]+(?!\w)", " ", texte)  # "+" and "-" only inside a word
    return " ".join(texte.split())


def mots_utiles(phrase: str) -> list[str]:
    """The words of a normalised phrase that search looks for, as Pagefind indexes them: without
    common words and single characters, `bac+3` as `bac3`."""
    return [re.sub(r"[+\-]", "", mot) for mot in phrase.split() if mot not in MOTS_VIDES and len(mot) > 1]


@cache
def groupes_integres() -> tuple[tuple[tuple[str, ...], str | None], ...]:
    """The repository's groups: (words as written, fact or None)."""
    data = yaml.safe_load(resources.files("builder.data").joinpath("synonymes.yaml").read_text(encoding="utf-8"))
    return tuple((tuple(g["mots"]), g.get("fiches")) for g in data["groupes"])


def groupes(ajoutes: list[list[str]] | tuple = ()) -> list[tuple[list[str], str | None]]:
    """The repository's groups and a school's, a school's group that shares a word with another
    joining it: (words as written, in order, without repeats; fact or None)."""
    merged: list[tuple[list[str], str | None]] = [(list(mots), fait) for mots, fait in groupes_integres()]
    for mots in ajoutes:
        keys = {normaliser(m) for m in mots}
        joined = [g for g in merged if keys & {normaliser(m) for m in g[0]}]
        facts = [g[1] for g in joined if g[1]]
        if len(set(facts)) > 1:  # probleme_groupe says so to the school first
            raise ValueError(f"the synonyms {list(mots)} join groups tied to different facts: {sorted(set(facts))}")
        words = [m for g in joined for m in g[0]] + list(mots)
        merged = [g for g in merged if g not in joined]
        seen: set[str] = set()
        unique = [m for m in words if not (normaliser(m) in seen or seen.add(normaliser(m)))]  # type: ignore[func-returns-value]
        merged.append((unique, facts[0] if facts else None))
    return merged


def probleme_groupe(mots: list[str], avant: list[list[str]] | tuple = ()) -> str | None:
    """What is wrong with a school's group of synonyms, in words it can act on (None: nothing);
    `avant`: the school's groups before it (which it may join)."""
    if len(mots) < 2:
        return f"a group of synonyms needs at least two words or phrases, found {len(mots)}; add the words it stands for"
    for mot in mots:
        if not mots_utiles(normaliser(mot)):
            return (f'"{mot}" has no word search can look for (words of one letter and common words such as '
                    f'"de", "la", "en" are left out of queries); write a longer word or phrase')
    seen: set[str] = set()
    for mot in mots:
        if normaliser(mot) in seen:
            return f'"{mot}" is written twice in this group; remove one'
        seen.add(normaliser(mot))
    facts = {normaliser(w): fait for words, fait in groupes(tuple(map(tuple, avant))) if fait for w in words}
    tied: dict[str, str] = {}  # fact -> the first word of this group that joins the group tied to it
    for mot in mots:
        if normaliser(mot) in facts:
            tied.setdefault(facts[normaliser(mot)], mot)
    if len(tied) > 1:
        found = " and ".join(f'"{mot}" ({fait})' for fait, mot in tied.items())
        return (f"its words join groups of synonyms tied to different facts: {found}, which would merge them; "
                f"expected the words of one fact at most: split it into one group per fact")
    return None


def faits(catalogue: Catalogue, fiche: Fiche) -> set[str]:
    """The facts of the data that a fiche has (see synonymes.yaml)."""
    voies = fiche.voies_acces
    found = set()
    if voies.CA.actif or voies.CQ.actif:
        found.add("alternance")
    if voies.VAE.actif:
        found.add("vae")
    if any(lieu.a_distance or lieu.mixte for lieu in fiche.lieux_preparation):
        found.add("distance")
    if fiche.niveau:
        found.add(f"niveau {fiche.niveau}")
    return found


def mots_caches(catalogue: Catalogue, fiche: Fiche, ajoutes: list[list[str]] | tuple = ()) -> str:
    """The words a fiche's page carries, hidden, for the search index: the words of each group
    whose fact it has (empty: none)."""
    own = faits(catalogue, fiche)
    texte = " ; ".join(texte for fait, texte in _par_fait(tuple(map(tuple, ajoutes))) if fait in own)
    return f"{texte}." if texte else ""


@cache
def _par_fait(ajoutes: tuple[tuple[str, ...], ...]) -> list[tuple[str, str]]:
    """Each group tied to a fact, with its words as a fiche's page writes them."""
    return [(fait, ", ".join(mots)) for mots, fait in groupes(ajoutes) if fait]


def ligne_fait(fait: str) -> str:
    """What a fact says of a fiche, as the search page shows it instead of the hidden words
    (the passage matched when only they match)."""
    if fait.startswith("niveau "):
        return f"Certification de {fait}."
    return {"alternance": "Apprentissage ou contrat de professionnalisation possible.",
            "vae": "Accessible par la VAE (validation des acquis de l’expérience).",
            "distance": "Préparation à distance possible, en tout ou partie."}[fait]


def donnees_page(ajoutes: list[list[str]] | tuple = ()) -> list[dict]:
    """The groups as the search page reads them: each word or phrase normalised, and for a
    group tied to a fact the word it searches for (`cle`), the line said of a fiche matched by
    its hidden words only (`ligne`) and whether the phrase typed is also searched (`texte`)."""
    found = []
    for mots, fait in groupes(tuple(map(tuple, ajoutes))):
        entry: dict = {"mots": [normaliser(m) for m in mots], "ecrits": mots}
        if fait:
            entry["cle"] = " ".join(mots_utiles(normaliser(mots[0])))
            entry["ligne"] = ligne_fait(fait)
            # the phrase typed is also searched as words of a text ("marketing en ligne"), except a
            # level's: every fiche's text says its level ("Niveau 6 — équivalent Bac+3"), and
            # "niveau 6" would be searched as "niveau", "bac" would find "bac+3"
            entry["texte"] = not fait.startswith("niveau ")
        found.append(entry)
    return found


def _mots_titres(catalogue: Catalogue) -> Counter[str]:
    """The words of the fiches' titles, with the number of fiches each is in (as written, lower case)."""
    counts: Counter[str] = Counter()
    for fiche in catalogue.fiches:
        words = {w.lower() for w in re.findall(r"\w+", fiche.intitule.replace("’", " ").replace("'", " "))}
        counts.update(w for w in words if len(w) > 2 and not w.isdigit() and normaliser(w) not in MOTS_VIDES)
    return counts


def vocabulaire(catalogue: Catalogue) -> list[str]:
    """The words offered as suggestions when a word is found nowhere: the catalogue's title words
    and jobs (ROME labels), the most frequent first, then in alphabetical order."""
    counts = _mots_titres(catalogue)
    for fiche in catalogue.fiches:
        for r in fiche.rome:
            for w in re.findall(r"\w+", (r.libelle or "").lower().replace("’", " ")):
                if len(w) > 2 and not w.isdigit() and normaliser(w) not in MOTS_VIDES:
                    counts[w] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], normaliser(item[0]), item[0]))][:VOCABULAIRE_MAX]


def exemples(catalogue: Catalogue) -> list[str]:
    """Three queries that find something in this catalogue: its most frequent title word (of five
    letters or more, if any), a ROME code (the most frequent), and a certification's number (the
    first active one by title, else the first)."""
    found = []
    counts = _mots_titres(catalogue)
    if counts:
        longs = {w: n for w, n in counts.items() if len(w) >= 5} or counts
        found.append(min(longs, key=lambda w: (-longs[w], normaliser(w), w)))
    romes = Counter(r.code for f in catalogue.fiches for r in f.rome if r.code)
    if romes:
        found.append(min(romes, key=lambda c: (-romes[c], c)))
    if catalogue.fiches:
        active = [f for f in catalogue.fiches if catalogue.est_active(f)]
        found.append((active or catalogue.fiches)[0].numero)
    return found


def fichier(catalogue: Catalogue, ajoutes: list[list[str]] | tuple) -> bytes:
    """The search page's file: the groups and the vocabulary."""
    data = {"groupes": donnees_page(ajoutes), "mots_vides": sorted(MOTS_VIDES), "vocabulaire": vocabulaire(catalogue)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
