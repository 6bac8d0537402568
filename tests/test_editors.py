"""For editors and schools: GitHub annotations, `catalogue new`, schema-aware editing, the
Pages workflow, the pre-commit hook, theming without code, the French guide."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

import yaml
from bs4 import BeautifulSoup

from builder.cli import main
from builder.content.model import Fiche
from builder.content.schema import TITRES

from .conftest import ROOT

TODAY = ["--today", "2026-11-23"]


def project(tmp_path, site_extra: str = "") :
    shutil.copytree(ROOT / "content", tmp_path / "content")
    if site_extra:
        with (tmp_path / "content" / "site.yaml").open("a", encoding="utf-8") as settings:
            settings.write(textwrap.dedent(site_extra))
    return tmp_path


def test_github_format_puts_each_problem_on_its_line(tmp_path, capsys):
    root = project(tmp_path)
    fiche = root / "content" / "fiches" / "rncp26224.yaml"
    fiche.write_text(fiche.read_text().replace("niveau: 6", "niveau: bac+3"), encoding="utf-8")
    assert main(["check", "--root", str(root), "--format", "github", *TODAY]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("::error file=content/fiches/rncp26224.yaml,line=7,col=9,title=niveau::expected a level from 1 "
                      "to 8 (European framework), found \"bac+3\"; Bac+3 is level 6: write `niveau: 6`")
    assert err[1] == "1 error(s), 0 warning(s); nothing was written"


def test_github_format_escapes_and_marks_warnings():
    from builder.errors import Problem

    problem = Problem("content/fiches/a,b.yaml", 3, 2, "lieux[0]: x", "100% sûr\nou pas", "warning")
    assert problem.format_github() == "::warning file=content/fiches/a%2Cb.yaml,line=3,col=2,title=lieux[0]%3A x::100%25 sûr%0Aou pas"


def test_new_writes_a_skeleton_that_passes_check_once_filled(tmp_path, capsys):
    root = project(tmp_path)
    assert main(["new", "RNCP12345", "--root", str(root)]) == 0
    target = root / "content" / "fiches" / "rncp12345.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/fiche.schema.json\n")
    for name, field in Fiche.model_fields.items():  # every field, with its French explanation
        assert re.search(rf"^{name}:", text, re.M), name
        assert f"# {field.description}" in text, name
    capsys.readouterr()
    assert main(["check", "--root", str(root), *TODAY]) == 1  # not filled yet: says what is missing
    assert capsys.readouterr().err.splitlines()[:2] == [
        "content/fiches/rncp12345.yaml:9:10: intitule: expected text on one line, found nothing",
        "content/fiches/rncp12345.yaml:28:9: certificateurs[0].nom: expected text on one line, found nothing",
    ]
    target.write_text(text.replace("\nintitule:\n", "\nintitule: Technicien d'essai\n")
                      .replace("  - nom:  #", "  - nom: Organisme d'essai  #"), encoding="utf-8")
    assert main(["check", "--root", str(root), *TODAY]) == 0
    assert main(["new", "RNCP12345", "--root", str(root)]) == 1  # never overwrites
    assert main(["new", "rncp 7", "--root", str(root)]) == 1


def test_schema_has_a_french_title_and_description_for_every_field_and_editors_use_it():
    schema = json.loads((ROOT / "schema" / "fiche.schema.json").read_text())
    for group, definition in [("Fiche", schema), *schema["$defs"].items()]:
        for name, prop in definition.get("properties", {}).items():
            assert prop.get("description") and prop.get("title"), f"{group}.{name}"
            # the French title starts the French description, or is one of the written ones
            assert prop["description"].startswith(prop["title"]) or prop["title"] in TITRES.values(), f"{group}.{name}"
    for fiche in (ROOT / "content" / "fiches").glob("*.yaml"):
        assert fiche.read_text().startswith("# yaml-language-server: $schema=../../schema/fiche.schema.json\n")
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"] == {"./schema/fiche.schema.json": "content/fiches/*.yaml"}


def test_pages_workflow_checks_pull_requests_and_deploys_with_the_official_actions():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "catalogue.yml").read_text())
    jobs = workflow["jobs"]
    steps = {job: [s.get("uses", s.get("run", "")) for s in body["steps"]] for job, body in jobs.items()}
    assert "catalogue check --strict --format github" in steps["check"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert "actions/configure-pages@v5" in steps["build"] and "actions/upload-pages-artifact@v5" in steps["build"]
    build = next(s for s in steps["build"] if s.startswith("catalogue build"))
    assert '--base-path "${{ steps.pages.outputs.base_path }}/"' in build  # "" for a custom domain gives "/"
    assert steps["deploy"] == ["actions/deploy-pages@v5"]
    cache = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert steps["build"].index(cache["uses"]) < steps["build"].index(build)  # restored before the build
    assert cache["with"]["path"].split() == [".catalogue-cache", "_site"] and "--out _site" in build
    assert cache["with"]["restore-keys"] == "catalogue-" and "github.run_id" in cache["with"]["key"]
    assert workflow["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_pre_commit_hook_runs_check():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [{
        "id": "catalogue-check", "name": "catalogue check (fiches RNCP)",
        "description": "Validate every fiche and the site settings; fails on any error.",
        "entry": "catalogue check", "language": "python", "files": r"^content/.*\.ya?ml$", "pass_filenames": False,
    }]


def test_theme_settings_change_the_pages(tmp_path, capsys):
    root = project(tmp_path, """\
        couleur_principale: "#7a1f5c"
        logo: gabarits/logo.svg
        liens_pied:
          - libelle: Mentions légales
            url: https://exemple.fr/mentions-legales
        """)
    (root / "gabarits").mkdir()
    (root / "gabarits" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    assert main(["build", "--root", str(root), "--templates", str(ROOT / "templates"), *TODAY]) == 0
    home = BeautifulSoup((root / "site" / "index.html").read_text(), "html.parser")
    assert home.style.string == ":root { --couleur-principale: #7a1f5c; --couleur-principale-fond: #f2e9ef; }"
    assert home.select_one(".nom-site img.logo")["src"] == "/catalogue/assets/logo.svg"
    assert (root / "site" / "assets" / "logo.svg").is_file()
    assert [a["href"] for a in home.select(".liens-pied a")] == ["https://exemple.fr/mentions-legales"]


def test_a_colour_that_breaks_contrast_or_a_missing_logo_is_refused(tmp_path, capsys):
    root = project(tmp_path, """\
        couleur_principale: "#77aaff"
        logo: ../ailleurs/logo.png
        """)
    assert main(["check", "--root", str(root), *TODAY]) == 1
    err = capsys.readouterr().err.splitlines()
    line = len((ROOT / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()) + 1  # the first line added
    assert err[0] == (f"content/site.yaml:{line}:21: couleur_principale: the colour #77aaff contrasts 2.3:1 with white, "
                      "and white text or links need 4.5:1 (WCAG AA); choose a darker shade of it")
    (root / "content" / "site.yaml").write_text((root / "content" / "site.yaml").read_text().replace("#77aaff", "#1d4e89"))
    assert main(["check", "--root", str(root), *TODAY]) == 1
    assert capsys.readouterr().err.startswith(f'content/site.yaml:{line + 1}:7: logo: expected an image file (.svg, .png, .jpg, .webp) inside the project, found "../ailleurs/logo.png"')


def test_contrast_is_computed_as_wcag_says():
    from builder.content.settings import contrast

    assert round(contrast("#000000"), 1) == 21.0
    assert round(contrast("#1d4e89"), 1) == 8.4
    assert round(contrast("#767676"), 2) == 4.54


def test_the_french_guide_explains_every_field_and_is_current():
    from pydantic import BaseModel

    from builder.editors import guide
    from builder.content.settings import Site
    from builder.content.validate import model_of

    text = guide.GUIDE.read_text(encoding="utf-8")
    assert guide.main(["--check"]) == 0, "run `python -m builder.editors.guide`"
    seen: set[str] = set()

    def every_field(model: type[BaseModel]):
        if model.__name__ in seen:
            return
        seen.add(model.__name__)
        for name, field in model.model_fields.items():
            yield model.__name__, name, field
            if sub := model_of(field.annotation):
                yield from every_field(sub)

    for group, name, field in [*every_field(Fiche), *every_field(Site)]:
        assert re.search(rf"^\| `{re.escape(name)}` \| .+ \| .+ \|$", text, re.M), f"{group}.{name} missing from the guide"
        assert field.description, f"{group}.{name} has no description"
    for heading in ("## 2. Ajouter une fiche", "## 4. Voir le site avant de publier", "## 5. Publier",
                    "## 7. Erreurs fréquentes et corrections"):
        assert heading in text
