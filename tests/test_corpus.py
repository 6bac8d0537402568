"""The corpus of hostile and sloppy input, one folder per case under tests/fixtures/.

invalid/<case>/: `content/` as an editor committed it, `expected.txt` the exact output of
`catalogue check` and `catalogue build` on standard error (every line: file, line,
column, field, expected, found, fix), and optionally `args.txt` (extra options). Both
commands must exit with 1 and leave the previous site/ byte for byte as it was.

accepted/<case>/: content that must build, `expected.txt` its warnings, and
`values.json` the values the model must hold ("read as the editor meant").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from builder.content.catalogue import read_catalogue
from builder.cli import main

from .conftest import ROOT

TODAY = "2026-11-23"

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
ACCEPTED = sorted(p for p in (FIXTURES / "accepted").iterdir() if p.is_dir())
TEMPLATES = str(ROOT / "templates")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def project_for(case: Path, tmp_path: Path) -> Path:
    project = tmp_path / case.name
    shutil.copytree(case / "content", project / "content")
    return project


def options(case: Path) -> list[str]:
    file = case / "args.txt"
    return file.read_text().split() if file.exists() else []


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A good build, copied into each case's project as the site that must survive."""
    out = tmp_path_factory.mktemp("previous") / "site"
    assert main(["build", "--root", str(ROOT), "--out", str(out), "--today", TODAY]) == 0
    return out


def test_the_corpus_covers_every_kind_of_mistake():
    assert len(INVALID) >= 45 and len(ACCEPTED) >= 5
    for case in INVALID + ACCEPTED:
        assert (case / "expected.txt").exists(), case.name
        assert list((case / "content" / "fiches").iterdir()), case.name


@pytest.mark.parametrize("case", INVALID, ids=lambda case: case.name)
def test_invalid_input_is_refused_with_exact_messages_and_the_site_kept(case, tmp_path, capsys, previous_site):
    project = project_for(case, tmp_path)
    shutil.copytree(previous_site, project / "site")
    before = snapshot(project / "site")
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert re.search(r"^\d+ error\(s\), \d+ warning\(s\).*; nothing was written\n\Z", expected, re.M)
    for command in (["check"], ["build", "--templates", TEMPLATES]):
        code = main([*command, "--root", str(project), "--today", TODAY, *options(case)])
        out, err = capsys.readouterr()
        assert (code, out) == (1, "")
        assert err == expected
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name != ".catalogue-cache") == ["content", "site"]  # no staging folder left


def value_at(data: Any, path: str) -> Any:
    """`blocs[0].code` in a model dump."""
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[name]
    return data


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_accepted_input_reads_as_the_editor_meant(case, tmp_path, capsys):
    project = project_for(case, tmp_path)
    code = main(["build", "--root", str(project), "--templates", TEMPLATES, "--today", TODAY])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == (case / "expected.txt").read_text(encoding="utf-8")
    assert out.startswith("built ")
    catalogue, _ = read_catalogue(project / "content", project, dt.date.fromisoformat(TODAY))
    assert catalogue is not None
    for numero, values in json.loads((case / "values.json").read_text(encoding="utf-8")).items():
        dump = catalogue.complete(numero).model_dump(mode="json")  # the whole fiche, as its page reads it
        assert {path: value_at(dump, path) for path in values} == values


def test_names_reaching_file_names_stay_inside_the_site_and_never_collide(tmp_path, capsys):
    case = FIXTURES / "accepted" / "names-that-reach-file-names"
    project = project_for(case, tmp_path)
    assert main(["build", "--root", str(project), "--templates", TEMPLATES, "--today", TODAY]) == 0
    site = project / "site"
    assert sorted(p.name for p in project.iterdir() if p.name != ".catalogue-cache") == ["content", "site"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [case.name]
    written = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert all(re.fullmatch(r"[a-z0-9._-]+(/[a-z0-9._-]+)*", path) and ".." not in path.split("/") for path in written)
    slugs = sorted(p.name for p in (site / "certificateurs").iterdir() if p.is_dir())
    long_slugs = [s for s in slugs if s.startswith("institut-tres")]
    assert [s for s in slugs if s not in long_slugs] == [
        "2e-2e-2f-2e-2e", "c-windows-system32", "ecole-superieure-d-art", "etc-passwd", "script-alert-1-script",
    ]
    # two long names sharing their first 80 characters: cut, each with its own hash
    assert len(long_slugs) == 2 and all(len(s) == 80 for s in long_slugs)
    # four spellings of one name (case, accents, apostrophe) are one certifier with one page
    page = (site / "certificateurs" / "ecole-superieure-d-art" / "index.html").read_text()
    assert page.count('href="/catalogue/fiches/rncp26224/"') == 1
    assert page.count('href="/catalogue/fiches/rncp16959/"') == 1
    capsys.readouterr()
