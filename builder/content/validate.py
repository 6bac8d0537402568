"""Validate a YAML document against a model; turn pydantic's errors into Problems
that name the file, line, field, what was expected, what was found and the fix."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, describe, field_path
from .load import Document, Loc

M = TypeVar("M", bound=BaseModel)


def validate(document: Document, model: type[M], context: dict[str, Any] | None = None) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(document.data, context=context), []
    except ValidationError as exc:
        problems = [_problem(document, model, error) for error in exc.errors(include_url=False)]
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    return [p for p in problems if not (p in seen or seen.add(p))]


def error_message(model: type[BaseModel], error: Any) -> str:
    """One pydantic error in our words: expected, found, and the fix when there is one."""
    return _message(model, tuple(error["loc"]), error["type"], error, error.get("input"))


def _problem(document: Document, model: type[BaseModel], error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    found = error.get("input")
    if kind == "missing":  # point at the group that lacks the field
        line, column = document.position(loc[:-1])
    else:
        line, column = document.position(loc, key=kind == "extra_forbidden")
    return Problem(document.path, line, column, field_path(loc), _message(model, loc, kind, error, found))


def _message(model: type[BaseModel], loc: Loc, kind: str, error: Any, found: Any) -> str:
    if kind == "fiche":  # our own validators already wrote the whole message
        return str(error["ctx"]["message"])
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if not close:
            close = [f for f in allowed if f.lower() == name.lower() or f.replace("_", "") == name.replace("_", "").lower()]
        hint = f"; did you mean `{close[0]}`?" if close else f"; allowed fields here: {', '.join(allowed)}"
        return f"unknown field `{name}`{hint}"
    if kind == "missing":
        return f"required field missing; add `{loc[-1]}:` with its value"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a group of fields (`key: value` lines, indented), found {describe(found)}"
    if kind == "list_type":
        hint = ""
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            item = _model_at(model, loc)
            first = f"{next(iter(item.model_fields))}: " if item else ""
            hint = f"; write it on the next line as `  - {first}{found}`" + (" with the item's other fields below" if item else "")
        return f"expected a list (one item per line starting with `- `), found {describe(found)}{hint}"
    if kind == "too_short":
        return "expected at least one item, found an empty list; add an item"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, found {describe(found)}; copy one of the allowed values"
    if kind in ("float_type", "float_parsing"):
        return f"expected a decimal number like 45.76, found {describe(found)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{error['msg'].lower()}, found {describe(found)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {describe(found)}"
    if kind == "string_type":
        return f"expected text, found {describe(found)}"
    return f"{error['msg']}, found {describe(found)}"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc` (following lists and nested models)."""
    current = _model_at(model, loc)
    return list(current.model_fields) if current else []


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model of the group at `loc` (or of the items of the list at `loc`)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if current else None
        current = model_of(field.annotation) if field else None
        if current is None:
            return None
    return current


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type (`list[Bloc]`, `Abrege | None` -> the model), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = model_of(arg)
            if found:
                return found
    return None
