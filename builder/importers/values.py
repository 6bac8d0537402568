"""The official export's text turned into our values: dates, booleans, levels, codes, web
addresses, Markdown from flattened rich text.

Each conversion keeps what it cannot convert as it was written: the model then refuses it,
and the repair (`repair.py`) leaves it out with a line saying why. Nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_C1 = re.compile(r"[\x80-\x9f]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _cp1252(match: re.Match[str]) -> str:
    """A C1 control character is nearly always a Windows-1252 character decoded as Latin-1
    (U+0092 for ’, U+0096 for –): it gets its intended character, or nothing."""
    try:
        return match[0].encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ""


def clean(text: str | None) -> str | None:
    """Text as a fiche may hold it: line breaks normalised, Windows-1252 leftovers mended,
    invisible control characters removed, tabs as spaces; None when nothing is left."""
    if text is None:
        return None
    text = _LINE_BREAKS.sub("\n", text)
    text = _C1.sub(_cp1252, text)
    text = _INVISIBLE.sub("", text).replace("\t", " ")
    return text.strip() or None


def ligne(text: str | None) -> str | None:
    """One line: runs of white space, line breaks included, become one space."""
    text = clean(text)
    return " ".join(text.split()) if text else None


def date_iso(text: str | None) -> str | None:
    """`07/06/2019` (the export's form; also `7/6/2019`, `2019-06-07`) -> `2019-06-07`.
    An impossible or unknown form is kept as written, for the model to refuse."""
    text = ligne(text)
    if not text:
        return None
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        return text
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return text


_BOOLEANS = {"oui": True, "non": False, "active": True, "inactive": False, "true": True, "false": False,
             "1": True, "0": False}


def booleen(text: str | None) -> bool | str | None:
    """`Oui` / `Non` (XML), `ACTIVE` / `INACTIVE` (CSV)."""
    text = ligne(text)
    if not text:
        return None
    return _BOOLEANS.get(text.lower(), text)


def niveau(text: str | None) -> int | str | None:
    """`NIV6` -> 6; `AUCUN` (RS fiches) or nothing -> None."""
    text = ligne(text)
    if not text or text.upper() in ("AUCUN", "SANS NIVEAU", "SANS", "NIV0", "REPRISE"):
        return None
    if match := re.fullmatch(r"(?:NIV|NIVEAU\s*)([1-8])", text, re.IGNORECASE):
        return int(match[1])
    return text


def entier(text: str | None) -> int | str | None:
    text = ligne(text)
    if not text:
        return None
    compact = re.sub(r"[\s\u202f\u00a0]", "", text)
    return int(compact) if compact.isdigit() else text


def compact(text: str | None) -> str | None:
    """Codes: every space gone (`RNCP 26224`, a TAB before a SIRET, `42 872`)."""
    text = ligne(text)
    return re.sub(r"[\s\u00a0\u202f]", "", text) if text else None


def numero(text: str | None) -> str | None:
    """`RNCP35809`; also `rncp 35809`, `RNCP-35809`. Anything else is kept as written."""
    text = ligne(text)
    if not text:
        return None
    fixed = re.sub(r"^(RNCP|RS)[-_.]?", r"\1", re.sub(r"[\s\u00a0\u202f]", "", text).upper())
    return fixed if re.fullmatch(r"(RNCP|RS)\d+", fixed) else text


def code_rome(text: str | None) -> str | None:
    text = compact(text)
    return text.upper() if text else None


def code_nsf(text: str | None) -> str | None:
    """`326W` -> `326w`: the letter is small in the nomenclature."""
    text = compact(text)
    return text.lower() if text else None


def code_bloc(fiche: str, text: str | None) -> str | None:
    """`RNCP35809BC01`; bare codes (`01`, seen in the real export) take the fiche's number."""
    text = compact(text)
    if not text:
        return None
    if re.fullmatch(r"\d{1,2}", text):
        return f"{fiche}BC{int(text):02d}"
    text = text.upper()
    if match := re.fullmatch(r"((?:RNCP|RS)\d+)[-_.]?BC[-_.]?(\d{1,2})", text):
        return f"{match[1]}BC{int(match[2]):02d}"
    return text


def urls(text: str | None) -> list[str]:
    """`LIEN_URL_DESCRIPTION` may hold several addresses, with junk between them (`*  *`):
    the tokens that look like addresses, in order, once each."""
    found = []
    for token in re.split(r"[\s;,|]+", clean(text) or ""):
        token = token.strip("*()<>\"'[]")
        if re.match(r"https?://", token, re.IGNORECASE):
            found.append(token)
        elif re.match(r"www\.\S+\.\S+", token, re.IGNORECASE):
            found.append("https://" + token)
    return list(dict.fromkeys(found))


def markdown(text: str | None) -> str | None:
    """Rich text the export flattened (line breaks became runs of spaces, bullets `- `, `* `
    and `o ` for a second level) -> Markdown paragraphs and nested lists."""
    text = clean(text)
    if not text:
        return None
    text = re.sub(r";\s+(?=[-*•]\s)", ";  ", text)  # "mosaïques; - cloisonnements": two items
    segments = [s.strip() for s in re.split(r"\s{2,}|\n+", text) if s.strip()]
    blocks: list[str] = []
    for segment in segments:
        if re.match(r"^[-*•]\s+", segment):
            line, kind = "- " + re.sub(r"^[-*•]\s+", "", segment), "list"
        elif re.match(r"^o\s+", segment) and blocks and blocks[-1].startswith(("- ", "  - ")):
            line, kind = "  - " + segment[2:].strip(), "list"
        else:
            line, kind = segment, "text"
        if kind == "list" and blocks and blocks[-1].lstrip().startswith("- "):
            blocks[-1] += "\n" + line
        elif kind == "text" and blocks and not blocks[-1].lstrip().startswith("- ") and not blocks[-1].endswith((".", ":", "!", "?")):
            blocks[-1] += " " + line  # a sentence cut by a line break
        else:
            blocks.append(line)
    return "\n\n".join(blocks) or None
