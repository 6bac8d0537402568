"""Proof by mutation that the import is total: the real sample fiches, XML and CSV, with each of
their elements in turn removed, emptied, repeated and moved to the other end of its siblings.

Every variant must import without an exception, and every file it writes must pass
`catalogue check` (the same reader, model, rules and cross-file checks); a fiche that is not
written must be skipped with a line saying why. Hypothesis then applies several mutations at
once. The number of variants is printed (run with `-s`) and asserted.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content.catalogue import read_catalogue
from builder.errors import BuildError
from builder.importers import import_fiches

EXPORT = Path(__file__).parent / "fixtures" / "export"
SAMPLE = EXPORT / "export_fiches_RNCP_V4_1_sample.xml"
OPERATIONS = ("remove", "empty", "repeat", "reorder")
TODAY = dt.date(2026, 11, 23)


def mutate(fiche: ElementTree.Element, index: int, operation: str) -> ElementTree.Element:
    """A copy of `fiche` (wrapped in its FICHES root) with its `index`-th element mutated."""
    root = ElementTree.Element("FICHES")
    ElementTree.SubElement(root, "VERSION_FLUX").text = "4.1"
    root.append(copy.deepcopy(fiche))
    elements = list(root[1].iter())
    parents = {child: parent for parent in root.iter() for child in parent}
    target, parent = elements[index], parents[elements[index]]
    position = list(parent).index(target)
    if operation == "remove":
        parent.remove(target)
    elif operation == "empty":
        tail = target.tail
        target.clear()
        target.tail = tail
    elif operation == "repeat":
        parent.insert(position + 1, copy.deepcopy(target))
    elif operation == "reorder":  # to the other end of its siblings
        parent.remove(target)
        parent.insert(len(parent) if position == 0 else 0, target)
    return root


def fiches() -> list[ElementTree.Element]:
    return ElementTree.parse(SAMPLE).getroot().findall("FICHE")


def xml_variants() -> Iterator[tuple[str, bytes]]:
    for fiche in fiches():
        numero = fiche.findtext("NUMERO_FICHE")
        for index, element in enumerate(fiche.iter()):
            for operation in OPERATIONS:
                name = f"{numero} {operation} #{index} <{element.tag}>"
                yield name, ElementTree.tostring(mutate(fiche, index, operation), encoding="utf-8", xml_declaration=True)


def csv_tables() -> dict[str, list[list[str]]]:
    tables = {}
    for file in sorted((EXPORT / "csv").glob("*.csv")):
        text = file.read_bytes().decode("utf-8-sig")
        tables[file.name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return tables


def csv_zip(tables: dict[str, list[list[str]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, rows in tables.items():
            text = io.StringIO(newline="")
            csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
            archive.writestr(name, "\ufeff" + text.getvalue())
    return buffer.getvalue()


def csv_variants() -> Iterator[tuple[str, bytes]]:
    """Each row removed, repeated, moved; each cell emptied; each column and each table removed."""
    tables = csv_tables()
    for name, rows in tables.items():
        short = name.split("_CSV_")[1].rsplit("_2026", 1)[0]
        yield f"{short}: table removed", csv_zip({k: v for k, v in tables.items() if k != name})
        for c, column in enumerate(rows[0]):
            yield f"{short}: column {column} removed", csv_zip({**tables, name: [r[:c] + r[c + 1:] for r in rows]})
        for r in range(1, len(rows)):
            body = rows[1:]
            i = r - 1
            changed = {
                "removed": body[:i] + body[i + 1:],
                "repeated": body[: i + 1] + [body[i]] + body[i + 1:],
                "moved": ([body[i]] + body[:i] + body[i + 1:]) if i else (body[1:] + [body[0]]),
            }
            for operation, new_body in changed.items():
                yield f"{short}: row {r} {operation}", csv_zip({**tables, name: [rows[0], *new_body]})
            for c in range(len(rows[r])):
                emptied = [list(row) for row in rows]
                emptied[r][c] = ""
                yield f"{short}: row {r} cell {rows[0][c] if c < len(rows[0]) else c} emptied", csv_zip({**tables, name: emptied})


def identifiable(export: bytes, suffix: str) -> int:
    """The fiches of a variant that keep a number and a title: each must be written, whatever
    else it lost (what can be kept is kept)."""
    numbers = set()
    if suffix == ".xml":
        for fiche in ElementTree.fromstring(export).iter("FICHE"):
            numero, titre = fiche.find("NUMERO_FICHE"), fiche.find("INTITULE")
            if numero is not None and titre is not None and "".join(numero.itertext()).strip() and "".join(titre.itertext()).strip():
                numbers.add("".join(numero.itertext()).strip())
    else:
        with zipfile.ZipFile(io.BytesIO(export)) as archive:
            standard = [n for n in archive.namelist() if "_Standard_" in n]
            if standard:
                rows = csv.DictReader(io.StringIO(archive.read(standard[0]).decode("utf-8-sig")), delimiter=";")
                numbers = {r["Numero_Fiche"].strip() for r in rows if (r.get("Numero_Fiche") or "").strip() and (r.get("Intitule") or "").strip()}
    return len(numbers)


def import_and_check(tmp: Path, name: str, export: bytes, suffix: str) -> list[str]:
    """Import one variant into an empty catalogue; the failures, as lines."""
    project = tmp / "p"
    if project.exists():
        import shutil

        shutil.rmtree(project)
    (project / "content" / "fiches").mkdir(parents=True)
    file = tmp / f"export_2026-08-16{suffix}"
    file.write_bytes(export)
    out = io.StringIO()
    try:
        summary = import_fiches(file, project / "content", [], True, out=out)
    except BuildError as exc:  # a clean refusal (the CSV export without its Standard table): one line, nothing written
        written = list((project / "content" / "fiches").iterdir())
        return [f"{name}: refused with files written"] if written or "\n" in str(exc) else []
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure being looked for
        return [f"{name}: {type(exc).__name__}: {exc}"]
    written = sorted((project / "content" / "fiches").glob("*.yaml"))
    failures = []
    if len(written) != identifiable(export, suffix):
        failures.append(f"{name}: {len(written)} fiche(s) written, {identifiable(export, suffix)} expected:\n{out.getvalue()}")
    if summary.actions["created"] != len(written):
        failures.append(f"{name}: {summary.actions['created']} created, {len(written)} files")
    if summary.actions["skipped"] and "skipped" not in out.getvalue():
        failures.append(f"{name}: a fiche skipped without a line saying why")
    if written:
        _, problems = read_catalogue(project / "content", project, TODAY)
        failures += [f"{name}: {p.format()}" for p in problems if p.severity == "error"]
    return failures


def test_every_single_mutation_of_the_real_xml_imports_and_passes_check(tmp_path, capsys):
    failures: list[str] = []
    count = 0
    for name, export in xml_variants():
        count += 1
        failures += import_and_check(tmp_path, name, export, ".xml")
    with capsys.disabled():
        print(f"\n{count} XML variants of the 2 real fiches imported and checked")
    assert count >= 1000
    assert failures == []


def test_every_single_mutation_of_the_real_csv_imports_and_passes_check(tmp_path, capsys):
    failures: list[str] = []
    count = 0
    for name, export in csv_variants():
        count += 1
        failures += import_and_check(tmp_path, name, export, ".zip")
    with capsys.disabled():
        print(f"\n{count} CSV variants of the 2 real fiches imported and checked")
    assert count >= 300
    assert failures == []


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300")) // 3


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_several_mutations_at_once(tmp_path, data):
    fiche = data.draw(st.sampled_from(fiches()))
    for _ in range(data.draw(st.integers(2, 8))):
        size = sum(1 for _ in fiche.iter())
        mutated = mutate(fiche, data.draw(st.integers(0, size - 1)), data.draw(st.sampled_from(OPERATIONS)))
        found = mutated.findall("FICHE")
        if not found:
            break
        fiche = found[0]
    root = ElementTree.Element("FICHES")
    root.append(fiche)
    export = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    assert import_and_check(tmp_path, "variant", export, ".xml") == []
