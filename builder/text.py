"""Markdown to HTML (raw HTML off, images off) and French formatting of dates and numbers."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre")


def _shift_headings(state: StateCore) -> None:
    """A `#` in a fiche text sits under the page's own h2 sections: render it as h3."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "html_block", "html_inline"])
_md.core.ruler.push("shift_headings", _shift_headings)


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Render an editor's Markdown. Raw HTML is shown as text; `javascript:` links are refused."""
    return Markup(_md.render(text))


LIMITE_TEXTE = 1200  # characters of a text shown before "Lire la suite"


_BLOCK_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?: |$)")  # a top-level list item
_FENCE = re.compile(r"\s{0,3}(```|~~~)")


@lru_cache(maxsize=4096)
def plier(text: str, limite: int = LIMITE_TEXTE) -> tuple[str, str]:
    """Split Markdown after about `limite` characters, between two blocks (after a blank line) or
    two items of a top-level list, never inside a fenced block, so that a long text opens with
    its beginning and keeps the rest one click away. One long paragraph is cut after a sentence.
    The second part is "" when the text is short, or when what would be folded is short."""
    if limite <= 0:  # all of it one click away
        return "", text
    if len(text) <= limite * 1.3:
        return text, ""
    lines = text.split("\n")
    shown, fenced, blank = 0, False, False
    for i, line in enumerate(lines):
        if i and not fenced and shown >= limite and (blank or _BLOCK_START.match(line)) and line.strip():
            first, rest = "\n".join(lines[:i]).rstrip(), "\n".join(lines[i:]).strip()
            return (first, rest) if len(rest) >= limite * 0.3 else (text, "")
        if _FENCE.match(line):
            fenced = not fenced
        blank = not line.strip()
        shown += len(line) + 1
    if "\n" not in text.strip():  # one long paragraph: cut after a sentence
        end = text.find(". ", limite)
        if 0 < end and len(text) - end >= limite * 0.3:
            return text[: end + 1], text[end + 2 :]
    return text, ""


def nombre_mots(text: str) -> int:
    return len(text.split())


def date_fr(value: dt.date) -> str:
    """2019-06-07 -> `7 juin 2019`; the first of the month is `1er`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MOIS[value.month - 1]} {value.year}"


def date_partielle_fr(value: str) -> str:
    """`2026-09-01` -> `1er septembre 2026`; `2026-09` -> `septembre 2026`; `2026` -> `2026`."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        return date_fr(dt.date(*parts))
    return f"{MOIS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else str(parts[0])


def nombre_fr(value: int) -> str:
    """12345 -> `12 345` (narrow no-break space as thousands separator)."""
    return f"{value:,}".replace(",", "\u202f")
