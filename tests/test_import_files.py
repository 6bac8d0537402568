"""Files that `catalogue import` must refuse, one folder per case under tests/fixtures/import-invalid/:
the file as a user might give it, and `expected.txt`, the exact line printed on standard error.

Each is refused with that one line and exit code 1, before anything is written: `content/`
stays byte for byte as it was, no staging folder is left, and the site is not touched. An XML
file that declares entities is refused before any entity is expanded or any file named by one
is read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import ROOT
from .test_corpus import snapshot

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "import-invalid").iterdir() if p.is_dir())


@pytest.fixture
def project(tmp_path) -> Path:
    """A catalogue with its fiches, and a site already built, that a refused import must leave as they are."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!doctype html><title>Site</title>", encoding="utf-8")
    return tmp_path


def test_the_corpus_covers_every_kind_of_bad_file():
    names = {case.name for case in CASES}
    assert {"not-an-export-image", "malformed-xml", "truncated-xml", "damaged-zip", "truncated-zip", "entity-bomb",
            "external-entity", "undeclared-entity", "csv-not-utf8"} <= names
    assert all((case / "expected.txt").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bad_file_is_refused_in_one_line_and_nothing_is_written(case, project, capsys):
    given = next(f for f in sorted(case.iterdir()) if f.name != "expected.txt")
    before_content, before_site = snapshot(project / "content"), snapshot(project / "site")
    assert main(["import", str(given), "--all", "--root", str(project)]) == 1
    out, err = capsys.readouterr()
    assert err == (case / "expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in out + err and len(err.splitlines()) == 1
    assert snapshot(project / "content") == before_content
    assert snapshot(project / "site") == before_site
    assert not list((project / "content" / "fiches").glob(".import-*"))


def test_a_file_cut_after_its_first_fiche_writes_not_even_that_one(project, capsys):
    """The truncated export holds one whole fiche before it breaks: staged, then dropped."""
    truncated = next((Path(__file__).parent / "fixtures" / "import-invalid" / "truncated-xml").glob("*.xml"))
    assert truncated.read_bytes().count(b"</FICHE>") == 1
    assert main(["import", str(truncated), "RNCP35809", "--root", str(project)]) == 1
    assert not (project / "content" / "fiches" / "rncp35809.yaml").exists()


def test_an_external_entity_is_never_read(project, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot-de-passe-9f3b", encoding="utf-8")
    for declaration in (f'<!DOCTYPE FICHES [<!ENTITY s SYSTEM "file://{secret}">]>',
                        f'<!DOCTYPE FICHES [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>'):
        export = tmp_path / "export.xml"
        export.write_text(f'<?xml version="1.0"?>\n{declaration}\n<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>'
                          "<INTITULE>&s;</INTITULE></FICHE></FICHES>\n", encoding="utf-8")
        assert main(["import", str(export), "--all", "--root", str(project)]) == 1
        out, err = capsys.readouterr()
        assert "document type" in err and "mot-de-passe" not in out + err
    everything = b"".join(p.read_bytes() for p in (project / "content").rglob("*") if p.is_file())
    assert b"mot-de-passe" not in everything


def test_an_entity_bomb_costs_nothing(project, tmp_path, capsys):
    import tracemalloc

    bomb = next((Path(__file__).parent / "fixtures" / "import-invalid" / "entity-bomb").glob("*.xml"))
    tracemalloc.start()
    assert main(["import", str(bomb), "--all", "--root", str(project)]) == 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # refused at its prolog, before a single entity grows


def test_a_missing_file_or_a_folder_is_one_line_too(project, capsys):
    assert main(["import", str(project / "absent.xml"), "--all", "--root", str(project)]) == 1
    assert capsys.readouterr().err == f"catalogue import: {project / 'absent.xml'} not found; nothing was written\n"
    assert main(["import", str(project / "content"), "--all", "--root", str(project)]) == 1
    assert capsys.readouterr().err.startswith(f"catalogue import: {project / 'content'} is a folder")
