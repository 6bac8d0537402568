"""Markdown to HTML (raw HTML off, images off) and French formatting of dates and numbers."""

from __future__ import annotations

import copy
import datetime as dt
import html as htmlmod
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre")


def _shift_headings(state: StateCore) -> None:
    """A `#` in a fiche text sits under the page's own h2 sections: render it as h3."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"


def _tight_items(state: StateCore) -> None:
    """A list item holding one paragraph renders as `<li>text</li>`, as in a tight list, even
    when the editor left blank lines between items (the official texts do): the same text, ten
    bytes less an item on pages that hold hundreds (issue 25's budgets). An item with several
    paragraphs keeps them."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "list_item_open":
            continue
        paragraphs, depth = [], 0
        for j in range(i + 1, len(tokens)):
            inner = tokens[j]
            if inner.type == "list_item_close" and inner.level == token.level:
                break
            if inner.type in ("paragraph_open", "paragraph_close") and inner.level == token.level + 1:
                paragraphs.append(inner)
        if len(paragraphs) == 2:
            for inner in paragraphs:
                inner.hidden = True


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "html_block", "html_inline"])
_md.core.ruler.push("shift_headings", _shift_headings)
_md.core.ruler.push("tight_items", _tight_items)


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Render an editor's Markdown. Raw HTML is shown as text; `javascript:` links are refused."""
    return Markup(_md.render(text))


LIMITE_TEXTE = 1200  # characters of a text shown before "Lire la suite"


@dataclass(frozen=True)
class Pli:
    """A text rendered once and folded: what is shown (`debut`), what is one click away
    (`suite`, empty when the text is short) and how many words that is."""

    debut: Markup
    suite: Markup
    mots: int


@lru_cache(maxsize=4096)
def plier(text: str, limite: int = LIMITE_TEXTE) -> Pli:
    """Render an editor's Markdown once and fold it after about `limite` characters of its
    source: between two top-level blocks, or two items of a top-level list (the second half of
    a numbered list goes on with its numbers), never inside a block. One long paragraph is cut
    after a sentence. Both halves come from one parse, so that references defined anywhere
    (`[texte][ref]`, `[ref]: adresse`) resolve in both, and each half is what the whole text
    renders there. Nothing is folded when the text is short, or when what would be folded is."""
    if limite <= 0:  # all of it one click away
        whole = markdown(text)
        return Pli(Markup(""), whole, _mots(whole))
    if len(text) <= limite * 1.3:
        return Pli(markdown(text), Markup(""), 0)
    env: dict = {}
    tokens = _md.parse(text, env)
    cut = _cut_between_blocks(text, tokens, limite)
    if cut is None:
        cut = _cut_after_sentence(text, tokens, limite)
    if cut is None:
        return Pli(_render(tokens, env), Markup(""), 0)
    first, rest = cut
    suite = _render(rest, env)
    return Pli(_render(first, env), suite, _mots(suite))


def _render(tokens: list[Token], env: dict) -> Markup:
    return Markup(_md.renderer.render(tokens, _md.options, env))


def _cut_between_blocks(text: str, tokens: list[Token], limite: int) -> tuple[list[Token], list[Token]] | None:
    """The first place past `limite` characters where a top-level block, or an item of a
    top-level list, starts; None if there is none or if what follows is short."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    opened: Token | None = None  # the top-level list being read
    for k, token in enumerate(tokens):
        item = token.type == "list_item_open" and token.level == 1 and opened is not None
        if (token.level == 0 and token.nesting >= 0 or item) and token.map and k > 0:
            shown = starts[token.map[0]]
            if shown >= limite:
                if len(text) - shown < limite * 0.3:
                    return None
                if not item:
                    return tokens[:k], tokens[k:]
                assert opened is not None
                close = next(t for t in tokens[k:] if t.level == 0 and t.nesting == -1)
                again = copy.copy(opened)
                again.attrs = dict(opened.attrs)
                if opened.type == "ordered_list_open":
                    again.attrs["start"] = int(token.info)
                    if again.attrs["start"] == 1:
                        del again.attrs["start"]
                return [*tokens[:k], close], [again, *tokens[k:]]
        if token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            opened = token
        elif token.level == 0 and token.nesting == -1:
            opened = None
    return None


def _cut_after_sentence(text: str, tokens: list[Token], limite: int) -> tuple[list[Token], list[Token]] | None:
    """One long paragraph: cut after the first sentence that ends past `limite` characters, in
    text outside any emphasis, link or code, so that both halves render as the whole does."""
    if len(tokens) != 3 or tokens[1].type != "inline" or not tokens[1].children:
        return None
    children = tokens[1].children
    depth, seen = 0, 0
    for c, child in enumerate(children):
        if child.type == "text" and depth == 0:
            end = child.content.find(". ", max(0, limite - seen))
            if end >= 0:
                if len(text) - (seen + end) < limite * 0.3:
                    return None
                before, after = copy.copy(child), copy.copy(child)
                before.content, after.content = child.content[: end + 1], child.content[end + 2 :]
                first, second = copy.copy(tokens[1]), copy.copy(tokens[1])
                first.children, second.children = [*children[:c], before], [after, *children[c + 1 :]]
                return [tokens[0], first, tokens[2]], [tokens[0], second, tokens[2]]
        depth += child.nesting
        seen += len(child.content or child.markup)
    return None


def _mots(html: str) -> int:
    """The words a reader sees in a piece of rendered HTML."""
    return len(htmlmod.unescape(re.sub(r"<[^>]*>", " ", html)).split())


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
