"""Markdown to HTML (raw HTML off, images off) and French formatting of dates and numbers."""

from __future__ import annotations

import datetime as dt
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


def date_fr(value: dt.date) -> str:
    """2019-06-07 -> `7 juin 2019`; the first of the month is `1er`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MOIS[value.month - 1]} {value.year}"


def nombre_fr(value: int) -> str:
    """12345 -> `12 345` (narrow no-break space as thousands separator)."""
    return f"{value:,}".replace(",", "\u202f")
