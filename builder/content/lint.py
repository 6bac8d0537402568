"""Warnings about questionable but publishable text: words cut at a line end, spaces in URLs.

These read the YAML as written (before validation cleaned it), so that a warning can
quote the editor's own text and point at the line where it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ..errors import Problem, field_path
from .fieldtypes import check_url
from .load import Document, Loc
from .model import Fiche

# A hyphen between two runs of letters, the second starting in lower case:
# "méca-nismes", "En-trée"; not "Jean-Pierre", "ESGCV-Digital" or "RNCP-26224".
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_A-ZÀ-Ý][^\W\d_]*)(?![\w-])")


@cache
def _french_words() -> Any:
    from spellchecker import SpellChecker  # loaded only when a hyphenated word needs it

    return SpellChecker(language="fr", distance=1)


def broken_word(first: str, second: str) -> str | None:
    """`("méca", "nismes")` -> `"mécanismes"`: the word a line-end hyphen cut in two.

    A hyphenated pair is a cut word when the pair itself is not a French word, the two
    halves glued together are, and at least one half is not a word on its own (so that
    "ré-organiser", "pré-requis" or "porte-parole" pass).
    """
    words = _french_words()
    hyphenated, joined = f"{first}-{second}".lower(), f"{first}{second}".lower()
    if hyphenated in words or joined not in words:
        return None
    if first.lower() in words and second.lower() in words:
        return None
    return first + second


@cache
def url_keys() -> frozenset[str]:
    """Names of the fields holding web addresses, read from the model's JSON schema."""
    schema = Fiche.model_json_schema()
    keys: set[str] = set()

    def is_url(prop: dict[str, Any]) -> bool:
        options = [prop, *prop.get("anyOf", []), prop.get("items", {})]
        return any(option.get("format") == "uri" for option in options)

    for definition in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in definition.get("properties", {}).items():
            if is_url(prop):
                keys.add(name)
    return frozenset(keys)


def lint(document: Document) -> list[Problem]:
    """Warnings for one fiche that passed validation."""
    found: list[Problem] = []
    urls = url_keys()
    for loc, text in _strings(document.data, ()):
        named = next((part for part in reversed(loc) if isinstance(part, str)), "")
        if named in urls:
            if re.search(r"\s", text.strip()):
                found.append(_warning(document, loc, text.strip(), (
                    f"the web address \"{text.strip()}\" contains spaces; it is published as "
                    f"{check_url(text)}: write it without spaces"
                )))
            continue
        if "-" not in text:  # most texts: no hyphen, nothing to look at
            continue
        for match in _HYPHENATED.finditer(text):
            word = broken_word(match[1], match[2])
            if word:
                found.append(_warning(document, loc, match[0], (
                    f"\"{match[0]}\" looks like a word cut at the end of a line (copied from a PDF?); "
                    f"write \"{word}\", or ignore this warning if the hyphen is meant"
                )))
    return found


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, loc + (i,))


def _warning(document: Document, loc: Loc, quoted: str, message: str) -> Problem:
    """A warning on the line where `quoted` stands, at or after the start of the value."""
    line, column = document.position(loc)
    lines = document.text.splitlines()
    for number in range(line, min(len(lines), line + 200) + 1):
        at = lines[number - 1].find(quoted, column - 1 if number == line else 0)
        if at >= 0:
            line, column = number, at + 1
            break
    return Problem(document.path, line, column, field_path(loc), message, "warning")
