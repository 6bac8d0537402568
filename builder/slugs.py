"""Text normalisation for sorting, matching and URL slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_SLUG = 80


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The Latin letters of French and its neighbours, folded once: most names need nothing else.
_LATIN = str.maketrans({chr(c): _fold(chr(c)) for c in range(0xC0, 0x250) if _fold(chr(c)) != chr(c)})


def ascii_fold(text: str) -> str:
    """`Écoles Supérieures` -> `Ecoles Superieures` (accents removed, ligatures split)."""
    if text.isascii():
        return text
    folded = text.translate(_LATIN)
    return folded if folded.isascii() else _fold(folded)


@lru_cache(maxsize=1 << 18)
def normalise(text: str) -> str:
    """Key for matching names typed differently: case, accents, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).casefold()).split())


def sort_key(text: str) -> str:
    """The order of every list by name or title (A–Z lists included)."""
    return normalise(text)


def initiale(text: str) -> str:
    """The letter a name is listed under in an A–Z list: the first of its sort key, so that
    the letters follow the order (`(AFPA) Centre` is under A, between `AB…` and `AGEFOS…`);
    "" when it starts with a digit or has no Latin letter (those come first in the order)."""
    first = sort_key(text)[:1]
    return first.upper() if "a" <= first <= "z" else ""


def slugify(text: str) -> str:
    """A safe, lower-case URL segment: `[a-z0-9-]`, never empty, at most 80 characters.

    Long names are cut and given a short hash of the full name, so that two names
    sharing their first 80 characters still get different slugs.
    """
    slug = normalise(text).replace(" ", "-") or "sans-nom"
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + digest
    return slug


# The slug of each kind of taxonomy term: its identity in the catalogue, and its address.

def niveau_slug(niveau: int | None) -> str:
    return str(niveau) if niveau else "sans-niveau"


def certificateur_slug(nom: str) -> str:
    return slugify(nom)


def departement_slug(code: str, nom: str) -> str:
    """`69`, `Rhône` -> `69-rhone`."""
    return slugify(f"{code} {nom}")


def code_slug(code: str) -> str:
    """ROME and NSF codes: `M1705` -> `m1705`."""
    return code.lower()
