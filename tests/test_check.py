"""`catalogue check` and `build` on bad input: every error of every file, one line each,
with file:line:column, field, expected, found and fix; exit code 1; site/ untouched."""

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


CASES = {
    "wrong types at every level": (
        """\
        numero: RNCP26224
        intitule: [une, liste]
        niveau: bac+3
        certificateurs: Carrel
        blocs:
          - un bloc en texte
          - code: RNCP26224BC02
            libelle: {a: 1}
        voies_acces:
          FI: oui
        """,
        [
            'rncp26224.yaml:2:11: intitule: expected text on one line, found a list',
            'rncp26224.yaml:3:9: niveau: expected a level from 1 to 8 (European framework), found "bac+3"; Bac+3 is level 6: write `niveau: 6`',
            'rncp26224.yaml:4:17: certificateurs: expected a list (one item per line starting with `- `), found "Carrel"',
            'rncp26224.yaml:6:5: blocs[0]: expected a group of fields (`key: value` lines, indented), found "un bloc en texte"',
            'rncp26224.yaml:8:14: blocs[1].libelle: expected text on one line, found a group of fields',
            'rncp26224.yaml:10:7: voies_acces.FI: expected a group of fields (`key: value` lines, indented), found "oui"',
        ],
    ),
    "level out of range": (
        VALID.replace("niveau: 6", "niveau: 9"),
        ['rncp26224.yaml:3:9: niveau: expected a level from 1 to 8 (European framework), found 9'],
    ),
    "unknown keys with suggestions": (
        VALID.replace("niveau: 6", "niveau: 6\nintitulé: x\nnumeros: y\nbidule: z").replace("  - nom: Carrel formation continue", "  - nom: Carrel formation continue\n    sirett: '1'"),
        [
            "rncp26224.yaml:4:1: intitulé: unknown field `intitulé`; did you mean `intitule`?",
            "rncp26224.yaml:5:1: numeros: unknown field `numeros`; did you mean `numero`?",
            "rncp26224.yaml:6:1: bidule: unknown field `bidule`; allowed fields here: ",
            "rncp26224.yaml:9:5: certificateurs[0].sirett: unknown field `sirett`; did you mean `siret`?",
        ],
    ),
    "missing required fields": (
        "numero: RNCP26224\nniveau: 6\n",
        [
            "rncp26224.yaml:1:1: certificateurs: required field missing; add `certificateurs:` with its value",
            "rncp26224.yaml:1:1: intitule: required field missing; add `intitule:` with its value",
        ],
    ),
    "values YAML 1.1 would change": (
        VALID
        + textwrap.dedent(
            """\
            nsf:
              - code: 326
                libelle: Informatique
            accessible_nouvelle_caledonie: NO
            accessible_polynesie_francaise: peut-être
            date_effet: 07/06/2019
            date_dernier_jo: 2019-6-7
            date_fin_enregistrement: 07 juin 2019
            date_decision: 2019-02-30
            lieux_preparation:
              - organisme: A
                code_postal: 6560
                commune: Sophia Antipolis
              - organisme: B
                code_postal: 2A004
                commune: Ajaccio
              - organisme: C
                code_postal: 06560
                commune: Sophia Antipolis
            """
        ),
        [
            'rncp26224.yaml:13:33: accessible_polynesie_francaise: expected true or false (or nothing when unknown), found "peut-être"; write `true` for oui and `false` for non',
            'rncp26224.yaml:14:13: date_effet: expected a date written AAAA-MM-JJ, like 2019-06-07, found "07/06/2019"; write 2019-06-07',
            'rncp26224.yaml:15:18: date_dernier_jo: expected a date written AAAA-MM-JJ, like 2019-06-07, found "2019-6-7"; write 2019-06-07',
            'rncp26224.yaml:16:26: date_fin_enregistrement: expected a date written AAAA-MM-JJ, like 2019-06-07, found "07 juin 2019"; write 2019-06-07',
            'rncp26224.yaml:17:16: date_decision: expected a real date written AAAA-MM-JJ, found "2019-02-30", which does not exist',
            'rncp26224.yaml:20:18: lieux_preparation[0].code_postal: expected a 5-digit postal code, found 6560; a code starting with 0 must be written in quotes: "06560"',
            'rncp26224.yaml:23:18: lieux_preparation[1].code_postal: expected a 5-digit postal code, found "2A004", which is an INSEE commune code; Corsican postal codes are numbers from 20000 to 20999',
        ],
    ),
    "malformed identifiers": (
        textwrap.dedent(
            """\
            numero: RNCP 26224
            intitule: X
            certificateurs: [{nom: A}]
            rome:
              - {code: M170, libelle: x}
              - {code: m1705, libelle: x}
            nsf:
              - {code: 326W, libelle: x}
              - {code: "32", libelle: x}
            blocs:
              - {code: BC3, libelle: x}
            """
        ),
        [
            'rncp26224.yaml:1:9: numero: expected a fiche number like RNCP26224 or RS1234 (capital letters, no space), found "RNCP 26224"; write RNCP26224',
            'rncp26224.yaml:5:12: rome[0].code: expected a ROME code: a capital letter A–N and 4 digits, like M1705, found "M170"',
            'rncp26224.yaml:6:12: rome[1].code: expected a ROME code: a capital letter A–N and 4 digits, like M1705, found "m1705"; write M1705',
            'rncp26224.yaml:8:12: nsf[0].code: expected an NSF code: 3 digits and an optional small letter, like 326 or 326w, found "326W"; write 326w',
            'rncp26224.yaml:9:12: nsf[1].code: expected an NSF code: 3 digits and an optional small letter, like 326 or 326w, found "32"',
            'rncp26224.yaml:11:12: blocs[0].code: expected a bloc code like RNCP26224BC03, found "BC3"; write RNCP26224BC03',
        ],
    ),
    "bloc codes of another fiche, duplicates, self-reference, unknown declarer": (
        VALID.replace("    libelle: Un bloc\n", "    libelle: Un bloc\n  - code: RNCP16959BC02\n    libelle: B\n  - code: RNCP26224BC01\n    libelle: C\n")
        + "anciennes_certifications:\n  - numero: RNCP26224\nlieux_preparation:\n  - organisme: X\n    code_postal: '69006'\n    commune: Lyon\n    declare_par: Carel formation continue\n  - organisme: Y\n",
        [
            'rncp26224.yaml:9:11: blocs[1].code: expected a code starting with RNCP26224BC (this fiche\'s number), found "RNCP16959BC02"; write RNCP26224BC02',
            "rncp26224.yaml:11:11: blocs[2].code: duplicate bloc code RNCP26224BC01, already used by blocs[0]; give each bloc its own number",
            "rncp26224.yaml:14:13: anciennes_certifications[0].numero: a fiche cannot replace itself, found its own number RNCP26224; write the number of the other fiche",
            'rncp26224.yaml:19:18: lieux_preparation[0].declare_par: expected the name of one of this fiche\'s certificateurs, found "Carel formation continue"; did you mean "Carrel formation continue"?',
            "rncp26224.yaml:20:5: lieux_preparation[1]: `code_postal` is required for a place with an address; add `code_postal:` or set `a_distance: true` for distance learning",
            "rncp26224.yaml:20:5: lieux_preparation[1]: `commune` is required for a place with an address; add `commune:` or set `a_distance: true` for distance learning",
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_fiche_gets_exact_messages(tmp_path, capsys, case):
    text, expected = CASES[case]
    project = make_project(tmp_path, {"rncp26224.yaml": text})
    code, lines = check(capsys, project)
    assert code == 1
    prefix = "content/fiches/"
    got = [line.removeprefix(prefix) for line in lines[:-1]]
    # "allowed fields here" lists every field: compare its start only
    got = [g.split("allowed fields here: ")[0] + "allowed fields here: " if "allowed fields here" in g else g for g in got]
    assert got == expected
    assert lines[-1] == f"{len(expected)} error(s), 0 warning(s); nothing was written"


def test_every_error_of_every_file_in_one_run(tmp_path, capsys):
    project = make_project(
        tmp_path,
        {
            "rncp26224.yaml": VALID.replace("niveau: 6", "niveau: 0"),
            "rncp16959.yaml": VALID.replace("RNCP26224", "RNCP16959").replace("intitule: Chef", "intitule:\n  - Chef"),
            "rncp1.yaml": "numero: RNCP1\nnumero: RNCP2\n",
            "rncp2.yaml": "numero: [",
            "rncp3.yaml": VALID.replace("RNCP26224", "RNCP3").replace("numero: RNCP3", "numero: RNCP4"),
            "rncp26225.yaml": VALID,
        },
    )
    code, lines = check(capsys, project)
    assert code == 1
    files = {line.split(":")[0] for line in lines[:-1]}
    assert files == {f"content/fiches/{n}" for n in ("rncp26224.yaml", "rncp16959.yaml", "rncp1.yaml", "rncp2.yaml", "rncp3.yaml", "rncp26225.yaml")}
    assert "content/fiches/rncp3.yaml:1:9: numero: the file name should match the number: rename rncp3.yaml to rncp4.yaml, or correct `numero`" in lines
    assert (
        "content/fiches/rncp26225.yaml:1:9: numero: RNCP26224 is already the number of content/fiches/rncp26224.yaml; each fiche has its own number"
        in lines
    )
    assert any("rncp1.yaml:2:1: numero: duplicate key" in line for line in lines)


def test_failed_build_leaves_previous_site_whole(tmp_path, capsys):
    project = make_project(tmp_path, {"rncp26224.yaml": VALID})
    templates = str(ROOT / "templates")
    assert main(["build", "--root", str(project), "--templates", templates, "--today", "2026-11-23"]) == 0
    site = project / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "content" / "fiches" / "rncp26224.yaml").write_text(VALID.replace("niveau: 6", "niveau: douze"))
    capsys.readouterr()
    code, lines, out = run(capsys, "build", "--root", str(project), "--templates", templates)
    assert code == 1 and out == ""
    assert lines[-1] == "1 error(s), 0 warning(s); nothing was written"
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


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


def test_site_settings_errors_are_reported_with_fiche_errors(tmp_path, capsys):
    project = make_project(tmp_path, {"rncp26224.yaml": VALID.replace("niveau: 6", "niveau: 10")})
    (project / "content" / "site.yaml").write_text("nom: X\ndescription: Y\nurl: /catalogue/\norganisation: {nom: Z}\n")
    code, lines = check(capsys, project)
    assert code == 1
    assert lines[:2] == [
        'content/fiches/rncp26224.yaml:3:9: niveau: expected a level from 1 to 8 (European framework), found 10',
        'content/site.yaml:3:6: url: expected a web address starting with https:// or http://, found "/catalogue/"',
    ]


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

    from builder.serve import make_server

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
