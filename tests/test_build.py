"""The build as a whole: golden site, byte-identical rebuilds, atomic swap, safe output."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest

from builder.errors import BuildError
from builder.output.write import MARKER, Output

from .conftest import FIXTURES, ROOT, build_site

GOLDEN = FIXTURES / "site" / "expected"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site(fixture_site):
    """The fixture catalogue renders exactly as committed in tests/fixtures/site/expected.
    After an intended change: `make golden` (UPDATE_GOLDEN=1), then review the diff."""
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(fixture_site, GOLDEN, ignore=shutil.ignore_patterns("assets", "pagefind", MARKER))
    expected = files_of(GOLDEN)
    actual = {k: v for k, v in files_of(fixture_site).items() if not k.startswith(("assets/", "pagefind/")) and k != MARKER}
    assert sorted(actual) == sorted(expected), "pages added or removed: run `make golden` if intended"
    for name in expected:
        if actual[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode().splitlines(), actual[name].decode().splitlines(), f"expected/{name}", f"built/{name}", lineterm="", n=2))
            pytest.fail(f"{name} differs from the golden copy (run `make golden` if intended):\n{diff[:4000]}")


def test_same_input_same_bytes(tmp_path):
    a = build_site(ROOT / "content", tmp_path / "a")
    b = build_site(ROOT / "content", tmp_path / "b")
    assert files_of(a) == files_of(b)


def test_rebuild_replaces_the_site_whole(tmp_path):
    out = build_site(ROOT / "content", tmp_path / "site")
    (out / "stale.html").write_text("old")
    build_site(ROOT / "content", out, use_cache=False)  # `catalogue build --full`
    assert not (out / "stale.html").exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind


def test_template_error_leaves_previous_site_whole(tmp_path):
    out = build_site(ROOT / "content", tmp_path / "site")
    before = files_of(out)
    broken = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", broken)
    (broken / "bloc.html").write_text("{% extends 'base.html' %}{% block content %}{{ bloc.titre_inexistant }}{% endblock %}")
    with pytest.raises(BuildError, match=r"bloc\.html:1: UndefinedError: .*titre_inexistant"):
        build_site(ROOT / "content", out, templates_dir=broken)
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "templates"]


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "important.txt").write_text("keep me")
    with pytest.raises(BuildError, match="not empty and was not made by `catalogue build`"):
        build_site(ROOT / "content", tmp_path / "docs")
    assert (tmp_path / "docs" / "important.txt").read_text() == "keep me"


def test_refuses_to_write_over_the_project(tmp_path):
    with pytest.raises(BuildError, match="would replace"):
        Output(ROOT, protected=[ROOT / "content"])
    with pytest.raises(BuildError, match="would replace"):
        Output(ROOT / "content", protected=[ROOT / "content"])


def test_output_refuses_same_path_twice_and_escapes(tmp_path):
    output = Output(tmp_path / "site", protected=[])
    try:
        output.write(PurePosixPath("a/index.html"), "x")
        with pytest.raises(BuildError, match="two pages would be written to a/index.html"):
            output.write(PurePosixPath("a/index.html"), "y")
        with pytest.raises(BuildError, match="outside the output folder"):
            output.write(PurePosixPath("../evil.html"), "x")
    finally:
        output.abort()
    assert not (tmp_path / "evil.html").exists()


def test_school_templates_override_ours(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    school = tmp_path / "gabarits"
    (school / "static").mkdir(parents=True)
    (school / "404.html").write_text("{% extends 'base.html' %}{% block content %}<h1>Perdu !</h1>{% endblock %}")
    (school / "static" / "style.css").write_text("body { color: black; }")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + f"dossier_gabarits: {school}\n")
    out = build_site(content, tmp_path / "site")
    assert "<h1>Perdu !</h1>" in (out / "404.html").read_text()
    assert (out / "assets" / "style.css").read_text() == "body { color: black; }"
    assert (out / "assets" / "favicon.svg").is_file()  # ours, where the school has none
