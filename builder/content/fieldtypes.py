"""Value types of the fiche model: codes, dates, booleans, URLs, levels.

Each validator accepts what the editor meant when it is unambiguous and otherwise
raises an error whose message says what was expected, what was found and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..errors import describe


def fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("fiche", "{message}", {"message": message})


def _as_text(value: Any, expected: str) -> str:
    """Codes written without quotes may arrive as numbers: `nsf: 326` means "326"."""
    if isinstance(value, bool) or value is None:
        raise fail(f"expected {expected}, found {describe(value)}")
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise fail(f"expected {expected}, found {describe(value)}")
    return value.strip()


def _compact(value: str) -> str:
    return re.sub(r"[\s\-_./]", "", value).upper()


# --- identifiers -------------------------------------------------------------------

NUMERO_PATTERN = r"^(RNCP|RS)[0-9]{1,6}$"


def check_numero(value: Any) -> str:
    text = _as_text(value, "a fiche number like RNCP26224 or RS1234")
    if re.fullmatch(NUMERO_PATTERN, text):
        return text
    fixed = _compact(text)
    hint = f'; write {fixed}' if re.fullmatch(NUMERO_PATTERN, fixed) else ""
    if re.fullmatch(r"[0-9]{1,6}", text):
        hint = f"; write RNCP{text} (or RS{text} for a fiche of the Répertoire spécifique)"
    raise fail(
        f"expected a fiche number like RNCP26224 or RS1234 (capital letters, no space), "
        f"found {describe(value)}{hint}"
    )


def check_code_bloc(value: Any, info: ValidationInfo) -> str:
    numero = (info.context or {}).get("numero") or ""
    if not re.fullmatch(NUMERO_PATTERN, numero):
        numero = _compact(numero) if re.fullmatch(NUMERO_PATTERN, _compact(numero)) else "RNCP26224"
    example = f"{numero}BC03"
    text = _as_text(value, f"a bloc code like {example}")
    if re.fullmatch(r"^(RNCP|RS)[0-9]{1,6}BC[0-9]{2}$", text):
        return text
    digits = re.search(r"([0-9]{1,2})$", text)
    hint = f"; write {numero}BC{int(digits.group(1)):02d}" if digits else ""
    raise fail(f"expected a bloc code like {example}, found {describe(value)}{hint}")


def check_codes_blocs(value: Any, info: ValidationInfo) -> list[str]:
    """One bloc code or a list of them (the official export groups several blocs in one
    equivalence); nothing means none (an equivalence of the whole fiche)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value  # each item is checked as a CodeBloc, its errors located at its index
    return [check_code_bloc(value, info)]  # one code: its error is the field's


def check_code_insee(value: Any) -> str:
    text = _as_text(value, 'an INSEE commune code: 5 characters, like "35238" or "2A004"')
    if re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", text.upper()):
        return text.upper()
    if isinstance(value, int) and len(text) == 4:
        raise fail(f'expected an INSEE commune code of 5 characters, found {text}; a code starting with 0 is '
                   f'written in quotes: "0{text}"')
    raise fail(f'expected an INSEE commune code: 5 characters, like "35238" or "2A004", found {describe(value)}')


_MOIS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
            "septembre", "octobre", "novembre", "décembre")


def check_date_partielle(value: Any) -> str:
    """A date whose day, or day and month, may be unknown: `2026-09-01`, `2026-09`, `2026`."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = _as_text(value, "a date written AAAA-MM-JJ, AAAA-MM or AAAA")
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
    if match:
        try:
            dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
            return text
        except ValueError:
            pass
    raise fail(f"expected a date written AAAA-MM-JJ (or AAAA-MM, or AAAA, when the day or the month is unknown), "
               f"found {describe(value)}")


def _check_code(value: Any, pattern: str, expected: str, fold: Any = None) -> str:
    """A code matching `pattern`; `fold` (str.upper, str.lower) suggests the fixed case."""
    text = _as_text(value, expected)
    if re.fullmatch(pattern, text):
        return text
    hint = f"; write {fold(text)}" if fold and re.fullmatch(pattern, fold(text)) else ""
    raise fail(f"expected {expected}, found {describe(value)}{hint}")


def check_code_rome(value: Any) -> str:
    return _check_code(value, r"[A-N][0-9]{4}", "a ROME code: a capital letter A–N and 4 digits, like M1705", str.upper)


def check_code_nsf(value: Any) -> str:
    return _check_code(
        value, r"[0-9]{3}[a-z]?", "an NSF code: 3 digits and an optional small letter, like 326 or 326w", str.lower
    )


def check_formacode(value: Any) -> str:
    return _check_code(value, r"[0-9]{5}", "a Formacode: 5 digits, like 46270")


def check_siret(value: Any) -> str:
    text = _as_text(value, "a SIRET number: 14 digits")
    if re.fullmatch(r"[0-9]{14}", text):
        return text
    digits = re.sub(r"\s", "", text)
    hint = f"; write {digits} (without spaces)" if re.fullmatch(r"[0-9]{14}", digits) else ""
    raise fail(f"expected a SIRET number: 14 digits, found {describe(value)}{hint}")


def check_code_postal(value: Any) -> str:
    text = _as_text(value, 'a 5-digit postal code in quotes, like "06560"')
    if re.fullmatch(r"[0-9]{5}", text):
        return text
    if isinstance(value, int) and len(text) == 4:
        raise fail(
            f'expected a 5-digit postal code, found {text}; a code starting with 0 must be '
            f'written in quotes: "0{text}"'
        )
    if re.fullmatch(r"2[AB][0-9]{3}", text.upper()):
        raise fail(
            f"expected a 5-digit postal code, found {describe(value)}, which is an INSEE commune code; "
            "Corsican postal codes are numbers from 20000 to 20999"
        )
    digits = re.sub(r"\s", "", text)
    hint = f'; write "{digits}" (without spaces)' if re.fullmatch(r"[0-9]{5}", digits) else ""
    raise fail(f'expected a 5-digit postal code, like "69006", found {describe(value)}{hint}')


# --- text, links, numbers -------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _printable(text: str) -> str:
    """Refuse invisible control characters (a NUL written as "\\0", a lone surrogate...)."""
    if bad := _CONTROL.search(text):
        raise fail(
            f"expected ordinary text, found the invisible control character U+{ord(bad[0]):04X} "
            f"after {describe(text[: bad.start()][-30:])}; remove it (in quotes, check for a backslash `\\`)"
        )
    return text


def check_ligne(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise fail(f"expected text on one line, found {describe(value)}")
    text = " ".join(_printable(value).split())
    if not text:
        raise fail("expected text, found an empty value; write the text or remove the field")
    return text


def check_nom(value: Any) -> str:
    """A name that becomes a page address: it needs at least one letter or digit."""
    text = check_ligne(value)
    if not re.search(r"[^\W_]", text):
        raise fail(f"expected a name with letters or digits, found {describe(text)}; write the organisation's name")
    return text


def check_markdown(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise fail(f"expected text (Markdown allowed), found {describe(value)}")
    text = "\n".join(line.rstrip() for line in _printable(value).strip("\n").splitlines()).strip()
    if not text:
        raise fail("expected text, found an empty value; write the text or remove the field")
    return text


def _without_spaces(url: str) -> str:
    """Spaces copied into an address: dropped in the host (`www.iesa .fr`), %20 in the path.

    The fiche still gets a warning (see lint.py): the editor should correct the source.
    """
    if not re.search(r"\s", url):
        return url
    match = re.fullmatch(r"(https?://)([^/?#]*)(.*)", url, re.DOTALL)
    if not match:
        return url
    scheme, host, rest = match.groups()
    return scheme + re.sub(r"\s+", "", host) + re.sub(r"\s+", "%20", rest)


def check_url(value: Any) -> str:
    if not isinstance(value, str):
        raise fail(f"expected a web address starting with https://, found {describe(value)}")
    text = _without_spaces(value.strip())
    if re.fullmatch(r"https?://[^\s<>\"]+\.[^\s<>\"]+", text):
        return text
    if re.fullmatch(r"(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?", text, re.IGNORECASE):
        raise fail(f"expected a web address starting with https://, found {describe(value)}; write https://{text}")
    raise fail(f"expected a web address starting with https:// or http://, found {describe(value)}")


_BOOLEANS = {
    "true": True, "false": False, "oui": True, "non": False, "yes": True, "no": False,
    "on": True, "off": False,
}


def check_booleen(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
        return _BOOLEANS[value.strip().lower()]
    raise fail(
        f"expected true or false (or nothing when unknown), found {describe(value)}; "
        "write `true` for oui and `false` for non"
    )


_ANCIENS = {  # 1969 nomenclature -> European framework (decree of 8 January 2019)
    "v": "write `niveau: 3`", "iv": "write `niveau: 4`", "iii": "write `niveau: 5`",
    "ii": "write `niveau: 6`", "i": "write `niveau: 7` (master) or `niveau: 8` (doctorat)",
}
_BAC = {"cap": 3, "bep": 3, "bac": 4, "bac+2": 5, "bac+3": 6, "bac+4": 6, "bac+5": 7, "bac+8": 8}


def check_niveau(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8:
        return value
    text = str(value).strip().lower().replace(" ", "")
    if re.fullmatch(r"[1-8]", text):
        return int(text)
    hint = ""
    if text in _BAC:
        hint = f"; {text.capitalize()} is level {_BAC[text]}: write `niveau: {_BAC[text]}`"
    elif re.fullmatch(r"niv[1-8]", text):
        hint = f"; write `niveau: {text[-1]}`"
    elif text in _ANCIENS:
        hint = f"; {text.upper()} is a level of the 1969 nomenclature: {_ANCIENS[text]}"
    raise fail(
        f"expected a level from 1 to 8 (European framework), found {describe(value)}{hint}"
    )


_MOIS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _guess_date(text: str) -> dt.date | None:
    text = _ascii(text.strip().lower())
    try:
        if m := re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"([0-9]{1,2})(?:er)? ([a-z]+) ([0-9]{4})", text):
            if m[2] in _MOIS:
                return dt.date(int(m[3]), _MOIS[m[2]], int(m[1]))
    except ValueError:
        return None
    return None


def check_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise fail(f"expected a real date written AAAA-MM-JJ, found {describe(value)}, which does not exist") from None
    guess = _guess_date(value) if isinstance(value, str) else None
    hint = f"; write {guess.isoformat()}" if guess else ""
    raise fail(f"expected a date written AAAA-MM-JJ, like 2019-06-07, found {describe(value)}{hint}")


def _text_type(check: Any, pattern: str | None = None) -> Any:
    schema: dict[str, Any] = {"type": "string"}
    if pattern:
        schema["pattern"] = pattern
    return [BeforeValidator(check), WithJsonSchema(schema)]


Numero = Annotated[str, *_text_type(check_numero, NUMERO_PATTERN)]
CodeBloc = Annotated[str, *_text_type(check_code_bloc, r"^(RNCP|RS)[0-9]{1,6}BC[0-9]{2}$")]
CodesBlocs = Annotated[
    list[CodeBloc],
    BeforeValidator(check_codes_blocs),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^(RNCP|RS)[0-9]{1,6}BC[0-9]{2}$"},
                              {"type": "array", "items": {"type": "string", "pattern": r"^(RNCP|RS)[0-9]{1,6}BC[0-9]{2}$"}},
                              {"type": "null"}]}),
]
CodeInsee = Annotated[str, *_text_type(check_code_insee, r"^([0-9]{5}|2[AB][0-9]{3})$")]
DatePartielle = Annotated[str, *_text_type(check_date_partielle, r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
CodeRome = Annotated[str, *_text_type(check_code_rome, r"^[A-N][0-9]{4}$")]
CodeNsf = Annotated[str, *_text_type(check_code_nsf, r"^[0-9]{3}[a-z]?$")]
Formacode = Annotated[str, *_text_type(check_formacode, r"^[0-9]{5}$")]
Siret = Annotated[str, *_text_type(check_siret, r"^[0-9]{14}$")]
CodePostal = Annotated[str, *_text_type(check_code_postal, r"^[0-9]{5}$")]
Ligne = Annotated[str, *_text_type(check_ligne)]
Nom = Annotated[str, *_text_type(check_nom)]
Markdown = Annotated[str, *_text_type(check_markdown)]
Url = Annotated[str, BeforeValidator(check_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Booleen = Annotated[bool | None, BeforeValidator(check_booleen), WithJsonSchema({"type": ["boolean", "null"]})]
Niveau = Annotated[int | None, BeforeValidator(check_niveau), WithJsonSchema({"type": ["integer", "null"], "minimum": 1, "maximum": 8})]
Date = Annotated[dt.date | None, BeforeValidator(check_date), WithJsonSchema({"type": ["string", "null"], "format": "date"})]


def check_entier(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        return int(value.strip())
    raise fail(f"expected a whole number, found {describe(value)}")


def check_empreinte(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{8,64}", value):
        return value
    raise fail(f"expected a fingerprint written by `catalogue import` (hexadecimal), found {describe(value)}; "
               "import the fiche again rather than editing this line")


Empreinte = Annotated[str, *_text_type(check_empreinte, r"^[0-9a-f]{8,64}$")]

Entier = Annotated[int, BeforeValidator(check_entier), Field(ge=0), WithJsonSchema({"type": "integer", "minimum": 0})]
Pourcentage = Annotated[int, BeforeValidator(check_entier), Field(ge=0, le=100), WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 100})]
