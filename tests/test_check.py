"""The command line around checking: summaries, warnings and --strict, options, the server.
The exact messages for each kind of bad input live in the corpus (test_corpus.py)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import ROOT

VALID = textwrap.dedent(
    """\
    numero: RNCP26224
    intitule: Chef de projet numérique
    niveau: 6
    certificateurs:
      - nom: Carrel formation continue
    blocs:
      - code: RNCP26224BC01
        libelle: Un bloc
    """
)


def make_project(tmp_path: Path, fiches: dict[str, str]) -> Path:
    (tmp_path / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", tmp_path / "content" / "site.yaml")
    for name, text in fiches.items():
        (tmp_path / "content" / "fiches" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main([*args, "--today", "2026-11-23"])
    out, err = capsys.readouterr()
    return code, err.splitlines(), out


def check(capsys, project: Path) -> tuple[int, list[str]]:
    code, lines, _ = run(capsys, "check", "--root", str(project))
    return code, lines


def test_valid_project_passes(tmp_path, capsys):
    code, lines, out = run(capsys, "check", "--root", str(make_project(tmp_path, {"rncp26224.yaml": VALID})))
    assert (code, lines) == (0, [])
    assert out == "1 fiche(s) checked: no error, 0 warning(s)\n"


def test_warnings_pass_unless_strict(tmp_path, capsys):
    project = make_project(tmp_path, {"rncp26224.yaml": VALID + "actif: false\n"})
    code, lines, _ = run(capsys, "check", "--root", str(project))
    assert code == 0
    assert lines == [
        "content/fiches/rncp26224.yaml:9:8: warning: actif: an inactive fiche should say when its registration ended; add `date_fin_enregistrement:`"
    ]
    code, lines, _ = run(capsys, "check", "--root", str(project), "--strict")
    assert code == 1
    assert lines[-1] == "0 error(s), 1 warning(s) (--strict: warnings count as errors); nothing was written"


def test_rs_fiche_without_level_or_blocs_is_valid(tmp_path, capsys):
    project = make_project(tmp_path, {"rs1234.yaml": "numero: RS1234\nintitule: Habilitation\ncertificateurs: [{nom: A}]\n"})
    assert check(capsys, project) == (0, [])


def test_empty_content_folder(tmp_path, capsys):
    code, lines = check(capsys, make_project(tmp_path, {}))
    assert code == 1
    assert lines[0] == "content/fiches: no fiche found; add files named like rncp26224.yaml"


def test_python_m_builder_runs(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "builder", "check", "--root", str(ROOT), "--today", "2026-11-23"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "2 fiche(s) checked" in result.stdout


def test_build_date_comes_from_source_date_epoch(monkeypatch):
    import datetime as dt

    from builder.config import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1559865600")  # 2019-06-07T00:00:00Z
    assert build_date(None) == dt.date(2019, 6, 7)
    assert build_date("2020-01-02") == dt.date(2020, 1, 2)  # --today wins


def test_bad_options_are_reported_without_traceback(tmp_path, capsys):
    project = make_project(tmp_path, {"rncp26224.yaml": VALID})
    assert main(["check", "--root", str(project), "--today", "demain"]) == 1
    assert capsys.readouterr().err == "build failed: --today: expected a date like 2026-11-23, found 'demain'\n"
    code = main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--base-path", "/../etc/", "--today", "2026-11-23"])
    assert code == 1
    assert capsys.readouterr().err.startswith("build failed: --base-path: invalid base path segment '..'")
    assert not (project / "site").exists()


def test_local_server_redirects_to_the_base_path(example_site):
    import threading
    import urllib.request

    from builder.serve.server import make_server

    server = make_server(example_site, "/catalogue/", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/") as response:
            assert response.url.endswith("/catalogue/")
            assert "Chef de projet numérique" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/catalogue/fiches/rncp26224") as response:
            assert response.url.endswith("/catalogue/fiches/rncp26224/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("no_build", [False, True])
def test_catalogue_serve_serves_under_the_base_path(tmp_path, no_build):
    import re
    import subprocess
    import sys
    import urllib.request

    out = tmp_path / "site"
    base = [sys.executable, "-m", "builder", "serve", "--root", str(ROOT), "--out", str(out), "--port", "0", "--today", "2026-11-23"]
    if no_build:
        assert main(["build", "--root", str(ROOT), "--out", str(out), "--today", "2026-11-23"]) == 0
        base.append("--no-build")
    with subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:
        try:
            line = ""
            while "serving" not in line:
                line = server.stdout.readline()
                assert line, server.stderr.read()
            url = re.search(r"http://\S+", line).group(0)
            assert url.endswith("/catalogue/")
            with urllib.request.urlopen(url + "fiches/rncp26224/") as response:
                assert "Chef de projet numérique" in response.read().decode()
        finally:
            server.terminate()
