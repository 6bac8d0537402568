"""Rebuilds that make only what changed: the content cache, page signatures, delta commits,
parallel rendering. The reference is always a whole build from scratch (no cache): after any
edit, the site a rebuild leaves must be byte-identical to it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from benchmarks.catalogue import generate
from builder.content import cache
from builder import parallel
from builder.output import publish
from builder.build import build
from builder.serve.session import Session
from builder.cli import main
from builder.config import Config
from builder.output.write import MARKER

from .conftest import ROOT

TODAY = dt.date(2026, 11, 23)


def config(project: Path, out: Path, **options) -> Config:
    return Config(root=project, out=out, base_path="/catalogue/", today=TODAY, templates_dir=ROOT / "templates",
                  cache_dir=project / ".cache", **options)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER}


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: what a deploy looks at."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and p.name != MARKER}


def from_scratch(project: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(config(project, out, use_cache=False))
    return files(out)


@pytest.fixture(scope="module")
def template_project(tmp_path_factory) -> Path:
    """The two example fiches and 40 generated ones (places, certifiers, NSF, ROME, blocs)."""
    project = generate(tmp_path_factory.mktemp("generated") / "project", 40)
    for fiche in (ROOT / "content" / "fiches").glob("*.yaml"):
        shutil.copy(fiche, project / "content" / "fiches")
    return project


@pytest.fixture
def project(template_project, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(template_project, copy)
    return copy


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file.name}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def fiche(project: Path, numero: str) -> Path:
    return project / "content" / "fiches" / f"{numero.lower()}.yaml"


def change(project: Path, numero: str, how: Callable[[dict], object]) -> None:
    """Edit a fiche's data (the file is written again as YAML)."""
    data = yaml.safe_load(fiche(project, numero).read_text(encoding="utf-8"))
    how(data)
    fiche(project, numero).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def new_fiche(project: Path) -> None:
    change(project, "RNCP30008", lambda d: None)
    data = yaml.safe_load(fiche(project, "RNCP30008").read_text(encoding="utf-8"))
    data["numero"] = "RNCP39999"
    for i, bloc in enumerate(data["blocs"]):
        bloc["code"] = f"RNCP39999BC{i + 1:02d}"
    fiche(project, "RNCP39999").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


EDITS: dict[str, Callable[[Path], object]] = {
    "a title": lambda p: change(p, "RNCP30003", lambda d: d.update(intitule="Zèbre " + d["intitule"])),
    "a bloc's skills": lambda p: change(p, "RNCP26224", lambda d: d["blocs"][1].update(
        liste_competences="- Une compétence nouvelle\n" + d["blocs"][1]["liste_competences"])),
    "a certifier": lambda p: change(p, "RNCP30005", lambda d: d.update(certificateurs=[{"nom": "Autre organisme"}])),
    "a level": lambda p: change(p, "RNCP30006", lambda d: d.update(niveau=8 if d["niveau"] != 8 else 3)),
    "a successor": lambda p: change(p, "RNCP30007", lambda d: d.update(
        anciennes_certifications=[{"numero": "RNCP16959", "intitule": "Ancienne version"}])),
    "a preparation place": lambda p: change(p, "RNCP30010", lambda d: d.update(lieux_preparation=[
        {"organisme": "Nouvelle école", "code_postal": "29200", "commune": "Brest"}])),
    "a place at a distance": lambda p: change(p, "RNCP30011", lambda d: d.update(lieux_preparation=[
        *d.get("lieux_preparation", []), {"organisme": "Cours en ligne", "a_distance": True}])),
    "the title of a fiche prepared at a distance": lambda p: change(p, "RNCP30011", lambda d: d.update(intitule="Okapi")),
    "a new fiche": new_fiche,
    "a removed fiche": lambda p: fiche(p, "RNCP30009").unlink(),
    "the settings": lambda p: edit(p / "content" / "site.yaml", "nom: ", "nom: Nouveau "),
}


def test_every_kind_of_edit_rebuilds_exactly_what_a_whole_build_makes(project, tmp_path):
    out = project / "site"
    build(config(project, out))
    for name, how in EDITS.items():
        how(project)
        report = build(config(project, out))
        assert files(out) == from_scratch(project, tmp_path / "reference"), f"after editing {name}"
        assert not report.nothing_changed, name
        if name in ("a title", "a bloc's skills"):
            assert report.rendered < 40, f"{name}: {report.rendered} files made again"
            assert report.fiches_read == 1


def test_a_warm_process_remakes_text_edits_quickly_and_exactly(project, tmp_path):
    """As `catalogue serve` does: one session, every kind of edit, then the text-only shortcut."""
    session = Session()
    out = project / "site"
    build(config(project, out), session=session)
    for name, how in EDITS.items():
        how(project)
        build(config(project, out), session=session)
        assert files(out) == from_scratch(project, tmp_path / "reference"), f"after editing {name}"
    text_edits = {
        "activities": lambda d: d.update(activites_visees="Des activités *nouvelles*."),
        "a bloc's skills": lambda d: d["blocs"][0].update(liste_competences="- Une compétence\n- Une autre"),
        "the juries": lambda d: d.update(voies_acces={"VAE": {"actif": True, "composition_jury": "Un jury."}}),
        "a certification place": lambda d: d.update(lieux_certification=[{"organisme": "Centre", "code_postal": "29200", "commune": "Brest"}]),
        "a publication in the Journal officiel": lambda d: d.update(date_dernier_jo="2026-01-15"),  # in the feed
    }
    with_blocs = next(f.stem.upper() for f in sorted((project / "content" / "fiches").glob("rncp300*.yaml"))
                      if yaml.safe_load(f.read_text(encoding="utf-8")).get("blocs"))
    for (name, how), numero in zip(text_edits.items(), ["RNCP26224", with_blocs, "RNCP16959", "RNCP26224", "RNCP16959"]):
        change(project, numero, how)
        report = build(config(project, out), session=session)
        assert report.quick, name
        assert report.rendered < 40 and report.fiches_read == 1, (name, report.rendered)
        assert files(out) == from_scratch(project, tmp_path / "reference"), f"after editing {name}"
    change(project, "RNCP26224", lambda d: d.update(intitule="Un autre titre"))  # shown on lists: they are put in order again
    report = build(config(project, out), session=session)
    assert report.quick and report.fiches_read == 1
    assert files(out) == from_scratch(project, tmp_path / "reference")
    change(project, "RNCP26224", lambda d: d.update(niveau=8 if d["niveau"] != 8 else 3))  # a level: the whole way
    assert not build(config(project, out), session=session).quick
    assert files(out) == from_scratch(project, tmp_path / "reference")


def test_a_warm_process_remakes_title_edits_quickly_even_when_a_list_gains_a_page(project, tmp_path):
    settings = project / "content" / "site.yaml"
    settings.write_text(re.sub(r"(?m)^fiches_par_page: .*$", "fiches_par_page: 5", settings.read_text(encoding="utf-8")), encoding="utf-8")
    session = Session()
    out = project / "site"
    build(config(project, out), session=session)
    titles = {f.stem.upper(): yaml.safe_load(f.read_text(encoding="utf-8"))["intitule"]
              for f in sorted((project / "content" / "fiches").glob("*.yaml"))}
    from builder.pages.page import lettre_de

    letters = {lettre_de(t) for t in titles.values()}
    numero = min(titles, key=lambda n: titles[n])
    new_letter = next(c for c in "QXYZWK" if c not in letters)
    edits = [
        (numero, titles[numero][0] + "zz " + titles[numero], True),  # to the end of its letter
        (numero, titles[numero], True),  # and back
        (numero, new_letter + "uelque chose", True),  # a new letter: a page more
        (numero, titles[numero], True),  # and that letter gone again
    ]
    for numero, title, quick in edits:
        change(project, numero, lambda d, title=title: d.update(intitule=title))
        report = build(config(project, out), session=session)
        assert report.quick == quick, title
        assert files(out) == from_scratch(project, tmp_path / "reference"), title
        if quick:
            assert report.rendered < 60, report.rendered
    assert not (out / "lettre" / new_letter.lower() / "index.html").exists()  # the letter's page was removed with it


def test_nothing_changed_touches_nothing(project):
    out = project / "site"
    first = build(config(project, out))
    assert first.fiches_read == 42 and first.files_kept == 0 and first.files_new > first.rendered > first.pages
    before = identities(out)
    again = build(config(project, out))
    assert again.nothing_changed and again.files_kept == len(before)
    assert again.problems == first.problems  # warnings are shown again
    assert identities(out) == before


def test_one_edit_rewrites_only_the_files_that_changed(project):
    out = project / "site"
    build(config(project, out))
    before = identities(out)
    old = files(out)
    change(project, "RNCP26224", lambda d: d["blocs"][0].update(libelle="Révisé " + d["blocs"][0]["libelle"]))
    report = build(config(project, out))
    after = identities(out)
    changed = {path for path in after if path not in before or after[path] != before[path]}
    assert changed == {path for path, data in files(out).items() if old.get(path) != data}
    assert "fiches/rncp26224/index.html" in changed and "fiches/rncp26224/blocs/rncp26224bc01/index.html" in changed
    assert not any(path.startswith("fiches/rncp16959/") for path in changed)
    assert any(path.startswith("pagefind/fragment/") for path in changed)  # the page was indexed again
    assert report.files_new == len(changed) and report.fiches_read == 1


def test_search_can_be_indexed_later_and_catches_up(project, tmp_path):
    out = project / "site"
    build(config(project, out))
    EDITS["a title"](project)
    quick = build(config(project, out), index_later=True)
    assert quick.index_put_off
    pages_only = files(out)
    reference = from_scratch(project, tmp_path / "reference")
    assert {k: v for k, v in pages_only.items() if not k.startswith("pagefind/")} == {
        k: v for k, v in reference.items() if not k.startswith("pagefind/")}
    assert pages_only != reference  # the previous index, until...
    caught_up = build(config(project, out))  # ...the next build, though nothing changed since
    assert not caught_up.nothing_changed and not caught_up.index_put_off
    assert files(out) == reference
    assert build(config(project, out)).nothing_changed


def test_parallel_rendering_matches_rendering_in_one_process(project, tmp_path, monkeypatch):
    assert parallel.cores() >= 2, "this machine has one core: the workers are not exercised"
    monkeypatch.setattr(publish, "PARALLEL_FROM", 0)
    in_workers = from_scratch(project, tmp_path / "parallel")
    monkeypatch.setattr(publish, "PARALLEL_FROM", 10**9)
    assert from_scratch(project, tmp_path / "one-process") == in_workers


def test_a_school_template_makes_every_page_depend_on_everything(project, tmp_path):
    school = project / "gabarits"
    school.mkdir()
    # a footer that counts the fiches: on every page, so every page changes with the catalogue
    (school / "base.html").write_text((ROOT / "templates" / "base.html").read_text(encoding="utf-8").replace(
        "</footer>", "<p>{{ catalogue.fiches|length }} fiches</p></footer>"), encoding="utf-8")
    edit(project / "content" / "site.yaml", "nom: ", "dossier_gabarits: gabarits\nnom: ")
    out = project / "site"
    build(config(project, out))
    fiche(project, "RNCP30009").unlink()
    report = build(config(project, out))
    assert files(out) == from_scratch(project, tmp_path / "reference")
    assert b"41 fiches" in (out / "fiches" / "rncp26224" / "index.html").read_bytes()
    assert report.rendered > 100


def test_a_damaged_or_foreign_cache_is_ignored(project, tmp_path, monkeypatch):
    out = project / "site"
    build(config(project, out))
    monkeypatch.setattr(cache, "_MEMORY", {})  # as in a new process: only the files are left
    entries = [p for p in (project / ".cache").rglob("*") if p.is_file()]
    # two per fiche (its check with the full fiche, and with the light one), the record of the site,
    # and the compiled templates if this process compiled them
    assert len([p for p in entries if p.parent.name != "gabarits"]) == 2 * 42 + 1
    for file in entries:
        file.write_bytes(b"not a pickle")
    old_version = project / ".cache" / "fiches-0123456789abcdef"
    old_version.mkdir()
    (old_version / "entry").write_bytes(b"left by another version of the builder")
    EDITS["a title"](project)
    report = build(config(project, out))
    assert report.fiches_read == 42  # nothing reused...
    assert files(out) == from_scratch(project, tmp_path / "reference")  # ...and nothing wrong
    assert not old_version.exists()
    monkeypatch.setattr(cache, "_MEMORY", {})
    EDITS["a certifier"](project)
    assert build(config(project, out)).fiches_read == 1  # the entries were written anew


def test_a_site_changed_by_another_build_is_rebuilt_whole(project, tmp_path):
    out = project / "site"
    first = build(config(project, out))
    other = tmp_path / "other-cache"
    EDITS["a title"](project)
    build(Config(**{**config(project, out).__dict__, "cache_dir": other}))  # the site moves on without our record
    change(project, "RNCP30003", lambda d: d.update(intitule="Girafe"))
    report = build(config(project, out))
    assert report.rendered == first.rendered  # whole, as the record no longer matches
    assert files(out) == from_scratch(project, tmp_path / "reference")


def test_the_command_line_summary_and_quiet(project, capsys):
    command = ["build", "--root", str(project), "--templates", str(ROOT / "templates"),
               "--today", TODAY.isoformat(), "--cache-dir", str(project / ".cache")]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert re.search(r"built \d+ pages into .* in [\d.]+ s; 42 pages indexed for search\n"
                     r"  files: \d+ written \(new or changed\), 0 unchanged \(kept as they were\), 0 removed; \d+ of \d+ made again\n"
                     r"  fiches: 42 read and checked, the others unchanged since the last build; \d+ warning\(s\)\n"
                     r"  steps: load and validate [\d.]+ s, ", out), out
    assert main(command) == 0
    assert re.search(r"^nothing changed since the last build: \d+ pages in .* kept as they are", capsys.readouterr().out, re.M)
    EDITS["a title"](project)
    assert main([*command, "--quiet"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1 and lines[0].startswith("built "), lines
    assert main([*command, "--no-cache"]) == 0
    assert "42 read and checked" in capsys.readouterr().out


def test_progress_is_plain_lines_when_not_on_a_terminal(project, capsys, monkeypatch):
    from builder import progress

    monkeypatch.setattr(progress.Progress, "__init__", _every_instant(progress.Progress.__init__))
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  rendering: [\d,]+/[\d,]+ \(\d+%\)$", out, re.M), out
    assert "\r" not in out and "\x1b" not in out


def _every_instant(init):
    def patched(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.every = 0.0
    return patched


def test_the_cache_folder_is_ignored_by_git():
    assert "/.catalogue-cache/" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_new_process_reads_only_the_files_whose_stat_changed(project, monkeypatch):
    """The record of the last build keeps each fiche file's stat and hash: a rebuild in a new
    process reads again only the files whose size, inode or times changed."""
    out = project / "site"
    build(config(project, out))
    monkeypatch.setattr(cache, "_HASHES", {})  # as in a new process
    monkeypatch.setattr(cache, "_MEMORY", {})
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or read_bytes(self))
    assert build(config(project, out)).nothing_changed
    assert not [name for name in read if name.startswith("rncp")]
    change(project, "RNCP30003", lambda d: d.update(activites_visees="Un texte nouveau."))
    monkeypatch.setattr(cache, "_HASHES", {})
    report = build(config(project, out))
    assert {name for name in read if name.startswith("rncp")} == {"rncp30003.yaml"} and report.fiches_read == 1


def test_a_title_edit_moves_only_the_list_pages_of_its_letter(project, tmp_path):
    from builder.pages.page import lettre_de

    settings = project / "content" / "site.yaml"
    settings.write_text(re.sub(r"(?m)^fiches_par_page: .*$", "fiches_par_page: 5", settings.read_text(encoding="utf-8")), encoding="utf-8")
    out = project / "site"
    build(config(project, out))
    titles = {f: yaml.safe_load(f.read_text(encoding="utf-8"))["intitule"] for f in (project / "content" / "fiches").glob("*.yaml")}
    by_letter: dict[str, list[Path]] = {}
    for file, title in titles.items():
        by_letter.setdefault(lettre_de(title), []).append(file)
    letter, files_of = max(by_letter.items(), key=lambda kv: len(kv[1]))
    assert len(files_of) > 5  # its letter has pages of its own
    moved = min(files_of, key=lambda f: titles[f])
    before = files(out)
    change(project, moved.stem.upper(), lambda d: d.update(intitule=d["intitule"][0] + "zzz " + d["intitule"]))
    build(config(project, out))
    after = files(out)
    assert after == from_scratch(project, tmp_path / "reference")
    lists = {p for p in set(before) | set(after) if before.get(p) != after.get(p) and (p == "index.html" or p.startswith("lettre/"))}
    first = "index.html" in lists
    assert lists and all(p.startswith(f"lettre/{letter.lower()}/") or (p == "index.html" and first) for p in lists), lists
    assert len([p for p in before if p.startswith("lettre/")]) > len({p.split("/")[1] for p in lists if p != "index.html"})


def test_renaming_a_body_of_a_fiche_past_ten_places_updates_search_near_me(project, tmp_path):
    """Regression: past ten places a fiche page names no body, so renaming one changed no page
    and the search-near-me files kept the old name after a rebuild (and after serve's)."""
    places = [{"organisme": f"Ecole {name} Nantes" if name == "Alpha" else f"Ecole {name}", "code_postal": "44000",
               "commune": "Nantes"} for name in ("Alpha", "Beta", "Gamma")]
    change(project, "RNCP16959", lambda d: d["lieux_preparation"].extend(places))
    out, session = project / "site", Session()
    build(config(project, out))
    build(config(project, project / "served"), session=session)
    bodies = "pagefind/proximite/organismes/44-0.json"
    assert "Ecole Alpha Nantes" in (out / bodies).read_text(encoding="utf-8")
    change(project, "RNCP16959", lambda d: [p.update(organisme="Ecole Delta Nantes") for p in d["lieux_preparation"]
                                            if p["organisme"] == "Ecole Alpha Nantes"])
    build(config(project, out))
    report = build(config(project, project / "served"), index_later=True, session=session)
    assert not report.index_put_off  # no fiche page changed: nothing to index
    reference = from_scratch(project, tmp_path / "reference")
    assert "Ecole Delta Nantes" in reference[bodies].decode()
    assert files(out) == reference
    assert files(project / "served") == reference


def test_a_warm_process_puts_renamed_bodies_back_in_order(project, tmp_path):
    """Regression (found by the differential test): a quick rebuild remade the list of a
    fiche's bodies from its plan, which held the bodies in their old order."""
    partners = [{"nom": f"Organisme {n:03d}", "habilitation": "HABILITATION_FORMER"} for n in range(30)]
    change(project, "RNCP26224", lambda d: d.update(partenaires=partners))
    session, out = Session(), project / "site"
    build(config(project, out), session=session)
    change(project, "RNCP26224", lambda d: d["partenaires"][0].update(nom="Zénith Campus"))
    report = build(config(project, out), session=session)
    assert report.quick
    assert files(out) == from_scratch(project, tmp_path / "reference")
    names = re.findall(r'<th scope="row">([^<]*)</th>', (out / "fiches/rncp26224/organismes/index.html").read_text(encoding="utf-8"))
    assert names[-1] == "Zénith Campus"


def test_a_warm_process_whose_cached_fiches_were_removed_reads_them_again(project, tmp_path):
    """`catalogue serve` keeps light fiches; their whole versions wait in the cache folder. When
    a build of another version of the builder removed that folder meanwhile, the next whole
    build reads the fiches again; when only some entries went, the build says so (no traceback)
    and the next one reads them again. Either way the site is the right one."""
    from builder.errors import BuildError

    session = Session()
    out = project / "site"
    build(config(project, out), session=session)
    settings = project / "content" / "site.yaml"
    for per_page, remove in ((7, "folder"), (9, "entries")):
        [version] = (project / ".cache").glob("fiches-*")
        if remove == "folder":
            shutil.rmtree(version)  # as a build of another version does (ContentCache.save)
        else:
            for entry in version.iterdir():
                entry.unlink()
        text = re.sub(r"(?m)^fiches_par_page: .*\n", "", settings.read_text(encoding="utf-8"))
        settings.write_text(text + f"fiches_par_page: {per_page}\n", encoding="utf-8")  # every page made again
        if remove == "entries":
            with pytest.raises(BuildError, match="no longer in the cache folder"):
                build(config(project, out), session=session)
        report = build(config(project, out), session=session)
        assert not report.quick and report.fiches_read == 42, remove
        assert files(out) == from_scratch(project, tmp_path / "reference"), remove
