"""Atomic and reproducible builds, tested with real processes: a build killed with SIGKILL
while writing, builds running at once on one output folder, rebuilds at other times."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import ROOT

TODAY = "2026-11-23"
FICHE = """\
numero: RNCP{n}
intitule: Certification numéro {n} ({variante})
niveau: {niveau}
certificateurs:
  - nom: Organisme {m}
rome:
  - code: M18{m:02d}
    libelle: Métier {m}
blocs:
""" + "".join(f"  - code: RNCP{{n}}BC0{i}\n    libelle: Bloc {i} de la certification {{n}}\n" for i in range(1, 5))


def make_project(folder: Path, fiches: int, variante: str) -> Path:
    (folder / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", folder / "content" / "site.yaml")
    for n in range(10000, 10000 + fiches):
        text = FICHE.format(n=n, m=n % 40 + 1, niveau=n % 8 + 1, variante=variante)
        (folder / "content" / "fiches" / f"rncp{n}.yaml").write_text(text, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_command(project: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "builder", "build", "--root", str(project), "--out", str(out),
            "--templates", str(ROOT / "templates"), "--today", TODAY]


def staging_folders(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.name.startswith(".site.build-")]


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("big"), 300, "b")


@pytest.mark.parametrize("written", [1, 400, 1200])
def test_a_build_killed_while_writing_leaves_the_previous_site_whole(tmp_path, big_project, written):
    small = make_project(tmp_path / "small", 20, "a")
    out = tmp_path / "site"
    subprocess.run(build_command(small, out), check=True, capture_output=True)
    before = snapshot(out)
    with subprocess.Popen(build_command(big_project, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as build:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and build.poll() is None:
            staging = staging_folders(tmp_path)
            if staging and sum(1 for _ in staging[0].rglob("*.html")) >= written:
                break
            time.sleep(0.005)
        assert build.poll() is None, "the build ended before it could be killed; make the project bigger"
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    assert snapshot(out) == before
    assert len(staging_folders(tmp_path)) == 1  # the killed build's unfinished copy...
    subprocess.run(build_command(small, out), check=True, capture_output=True)
    assert staging_folders(tmp_path) == []  # ...is removed by the next build
    assert snapshot(out) == before


def test_builds_running_at_once_leave_one_whole_site(tmp_path):
    projects = [make_project(tmp_path / name, 60, name) for name in ("a", "b")]
    references = []
    for project in projects:
        out = tmp_path / f"reference-{project.name}" / "site"
        subprocess.run(build_command(project, out), check=True, capture_output=True)
        references.append(snapshot(out))
    out = tmp_path / "shared" / "site"
    builds = [subprocess.Popen(build_command(projects[i % 2], out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
              for i in range(6)]
    results = [(build.wait(), build.stderr.read().decode()) for build in builds]
    for build in builds:
        build.stderr.close()
    assert results == [(0, "")] * 6
    assert snapshot(out) in references
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_rebuilds_at_other_times_are_byte_identical(tmp_path, monkeypatch):
    first = tmp_path / "first"
    assert main(["build", "--root", str(ROOT), "--out", str(first), "--today", TODAY]) == 0
    time.sleep(1.1)  # file times and clocks move on; the output must not
    second = tmp_path / "second"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # --today wins over it
    assert main(["build", "--root", str(ROOT), "--out", str(second), "--today", TODAY]) == 0
    assert snapshot(first) == snapshot(second)


@pytest.mark.parametrize("body, error", [
    ("{{ fiche.titre_inexistant }}", r"fiche\.html:1: UndefinedError"),
    ("{{ fiche.intitule + 1 }}", r"fiche\.html:1: TypeError"),
    ("{{ 1 // 0 }}", r"fiche\.html:1: ZeroDivisionError"),
    ("{{ fiche.blocs[99] }}", r"fiche\.html:1: UndefinedError"),
])
def test_a_failing_school_template_is_reported_and_the_site_kept(tmp_path, capsys, body, error):
    import re

    project = tmp_path / "projet"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "gabarits").mkdir()
    (project / "gabarits" / "fiche.html").write_text("{% extends 'base.html' %}{% block content %}" + body + "{% endblock %}")
    command = ["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--today", TODAY]
    assert main(command) == 0  # the school's folder is not used yet
    out = project / "site"
    before = snapshot(out)
    with (project / "content" / "site.yaml").open("a") as settings:
        settings.write("dossier_gabarits: gabarits\n")
    capsys.readouterr()
    assert main(command) == 1
    err = capsys.readouterr().err
    assert re.match(r"build failed: \S*gabarits/" + error, err), err
    assert "Traceback" not in err
    assert snapshot(out) == before
    assert sorted(p.name for p in project.iterdir()) == [".catalogue-cache", "content", "gabarits", "site"]


def test_unchanged_files_are_kept_as_they_were_and_edits_rewrite_only_what_changed(tmp_path, capsys):
    project = tmp_path / "projet"
    shutil.copytree(ROOT / "content", project / "content")
    command = ["build", "--root", str(project), "--templates", str(ROOT / "templates"), *["--today", TODAY]]
    assert main(command) == 0
    site = project / "site"

    def inodes() -> dict[str, int]:
        return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file() and p.name != ".catalogue-build"}

    first = inodes()
    capsys.readouterr()
    assert main(command) == 0  # nothing changed: every file is the same file, timestamps kept
    assert inodes() == first
    assert "nothing changed since the last build" in capsys.readouterr().out
    assert main([*command, "--no-cache"]) == 0  # a whole build, compared file by file: same files still
    assert inodes() == first
    assert f"files: 0 written (new or changed), {len(first)} unchanged" in capsys.readouterr().out
    fiche = project / "content" / "fiches" / "rncp16959.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("Piloter un dispositif digital", "Piloter un dispositif numérique"), encoding="utf-8")
    assert main(command) == 0
    after = inodes()
    changed = sorted(path for path in after if after[path] != first.get(path))
    assert "fiches/rncp16959/index.html" in changed and "fiches/rncp16959/blocs/rncp16959bc01/index.html" in changed
    assert "fiches/rncp26224/index.html" not in changed and "assets/style.css" not in changed
    assert len(changed) < len(after) / 2
