"""Property-based tests: whatever an editor's file holds, the loader and the validator give
a valid fiche or clean error lines (file:line:column: field: message), never a traceback.

Two sources of input: fiches generated from the model's JSON schema with hostile values
at every level, and the real example fiches mutated byte by byte and line by line.
FUZZ_EXAMPLES sets the number of examples per test (CI runs more than a laptop).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content.catalogue import check_document
from builder.content.load import decode, parse

from .conftest import FIXTURES, ROOT

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMA = json.loads((ROOT / "schema" / "fiche.schema.json").read_text())
SEEDS = [p.read_bytes() for p in sorted((ROOT / "content" / "fiches").glob("*.yaml"))] + [
    p.read_bytes() for p in sorted((FIXTURES / "site" / "content" / "fiches").glob("*.yaml"))
]
LINE = re.compile(r"rncp26224\.yaml(:\d+:\d+)?: (warning: )?(\S[^\n]*)")

# Values editors really write, and values that attack: YAML 1.1 surprises, codes almost
# right, paths, markup, invisible characters, huge and empty values.
TRICKY = st.sampled_from([
    "06560", "2A004", "NO", "yes", "on", "07/06/2019", "2019-6-7", "07 juin 2019", "bac+3", "II", "RNCP 26224",
    "rncp26224", "RNCP26224BC1", "m1705", "326W", "../../etc/passwd", "%2e%2e/", "\x00", "\ud800", "\u202e",
    "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "javascript:alert(1)", "https://a .fr/b c", "", " ",
    "méca-nismes", "x" * 5000, "1e400", "-0", ".nan", "~", "null", "true", "0x1F", "12:30", "*alias", "&anchor",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), TRICKY,
)
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3), max_leaves=8)


def for_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like the schema node most of the time, anything at all sometimes."""
    if "$ref" in node:
        return st.deferred(lambda: for_schema(SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]], depth))
    if "anyOf" in node:
        return st.one_of([for_schema(option, depth) for option in node["anyOf"]])
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    options: list[st.SearchStrategy[Any]] = []
    for k in kinds:
        if k == "object" and depth < 4:
            properties = node.get("properties", {})
            options.append(st.fixed_dictionaries(
                {}, optional={name: for_schema(prop, depth + 1) for name, prop in properties.items()}
            ))
        elif k == "array" and depth < 4:
            options.append(st.lists(for_schema(node["items"], depth + 1), max_size=3))
        elif k == "string" and "pattern" in node:
            options.append(st.from_regex(node["pattern"], fullmatch=True) | TRICKY)
        elif k == "string":
            options.append(st.text(max_size=60) | TRICKY)
        elif k == "integer":
            options.append(st.integers(-5, 3000))
        elif k == "number":
            options.append(st.floats(-200, 200))
        elif k == "boolean":
            options.append(st.booleans())
        elif k == "null":
            options.append(st.none())
    return st.one_of(*options, ANYTHING) if options else ANYTHING


def assert_clean(text: str) -> None:
    """Reading and checking `text` ends in a fiche or in well-formed problem lines."""
    document, problems = parse(text, "rncp26224.yaml")
    checked = check_document(document, problems, "rncp26224.yaml")
    lines = [p.format() for p in checked.problems]
    for line in lines:
        assert LINE.fullmatch(line), line
        line.encode("utf-8")  # printable, whatever the file held
    errors = [p for p in checked.problems if p.severity == "error"]
    assert checked.fiche is not None or errors, "no fiche and no error"
    if checked.fiche is not None:
        checked.fiche.model_dump_json()  # a valid fiche is fully serialisable


@FUZZ
@given(for_schema(SCHEMA), st.dictionaries(st.text(max_size=10), ANYTHING, max_size=2))
def test_generated_fiches_give_a_fiche_or_clean_errors(fiche, extra):
    data = {**fiche, **extra} if isinstance(fiche, dict) else fiche
    assert_clean(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


MUTATION_BYTES = st.sampled_from(list(b":-#&*!|>'\"[]{}%@`\t\n\r \\") + [0, 0xC3, 0xE9, 0xFF, 0xEF, 0xBB, 0xBF])


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "indent", "swap"]))
        if action == "insert":
            data[at:at] = bytes([draw(MUTATION_BYTES)])
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "replace" and at < len(data):
            data[at] = draw(MUTATION_BYTES)
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
        else:
            lines = data.split(b"\n")
            i = at % len(lines)
            if action == "indent":
                lines[i] = b" " * draw(st.integers(0, 5)) + lines[i].lstrip(b" ")
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_fiches_give_a_fiche_or_clean_errors(raw):
    text, problems = decode(raw, "rncp26224.yaml")
    if text is None:
        assert [LINE.fullmatch(p.format()) is not None for p in problems] == [True]
        return
    assert_clean(text)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_at_all(text):
    assert_clean(text)
