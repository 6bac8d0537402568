"""Hostile text in every text field: shown as typed, never run, never evaluated as a template.

The hostile fiche is generated from the model's JSON schema, so a field added to the
model is covered without touching this file: every text field gets a payload naming its
own path (`blocs[0].libelle <script>…`), every address an attribute-breaking URL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.cli import main

from .conftest import FLAG_SCRIPT, ROOT, site_scripts

NUMERO = "RNCP77777"


def payload(path: str) -> str:
    return (
        f'{path} <script>window.__pwned=1;alert("{path}")</script> " onmouseover="window.__pwned=2" '
        f"' onfocus='alert(3)' {{{{ 7*7 }}}} {{% raw %}}brut{{% endraw %}} ${{7*7}} <img src=x onerror=alert(4)> </style>\n\n"
        "[lien](javascript:alert(5)) <javascript:alert(6)> [donnée](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)\n\n"
        '<div onclick="alert(8)">html brut</div>\n\n<iframe src="javascript:alert(9)"></iframe>'
    )


def shown(path: str) -> str:
    """The start of a payload as a student must read it (text fields are on one line)."""
    return f'{path} <script>window.__pwned=1;alert("{path}")</script> " onmouseover="window.__pwned=2"'


CODES = {  # a valid value for every patterned string, by pattern
    r"^(RNCP|RS)[0-9]{1,6}$": "RNCP77778",
    r"^(RNCP|RS)[0-9]{1,6}BC[0-9]{2}$": f"{NUMERO}BC01",
    r"^[A-N][0-9]{4}$": "M1805",
    r"^[0-9]{3}[a-z]?$": "326",
    r"^[0-9]{5}$": "69002",
    r"^[0-9]{14}$": "12345678901234",
    r"^([0-9]{5}|2[AB][0-9]{3})$": "69382",
    r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "2026-09",
    r"^[0-9a-f]{8,64}$": "0123456789ab",
}
URL = "https://exemple.fr/a'onmouseover='alert(10)'/\"><script>alert(11)</script>".replace('"', "%22").replace("<", "%3C").replace(">", "%3E")


def generate(schema: dict[str, Any], node: dict[str, Any], path: str, texts: list[str]) -> Any:
    """A value for `node` (a JSON schema), recording the path of every free text."""
    if "$ref" in node:
        return generate(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], path, texts)
    if "anyOf" in node:
        return generate(schema, next(o for o in node["anyOf"] if o.get("type") != "null"), path, texts)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if isinstance(kind, list):  # ["boolean", "null"]
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        return {name: generate(schema, prop, f"{path}.{name}" if path else name, texts)
                for name, prop in node.get("properties", {}).items()}
    if kind == "array":
        return [generate(schema, node["items"], f"{path}[0]", texts)]
    if kind == "boolean":
        return True
    if kind == "integer":
        return max(node.get("minimum", 1), 1)
    if kind == "number":
        return 45.75
    if node.get("format") == "date":
        return "2026-01-15"
    if node.get("format") == "uri":
        return URL
    if "pattern" in node:
        return CODES[node["pattern"]]
    texts.append(path)
    return payload(path)


def hostile_fiche() -> tuple[dict[str, Any], list[str]]:
    schema = json.loads((ROOT / "schema" / "fiche.schema.json").read_text())
    texts: list[str] = []
    fiche = generate(schema, schema, "", texts)
    # what the cross-field rules ask of a valid fiche
    fiche.update(numero=NUMERO, niveau=6, actif=True)
    fiche["blocs"][0]["code"] = f"{NUMERO}BC01"
    fiche["correspondances"][0].update(bloc=f"{NUMERO}BC01", bloc_correspondant="RNCP77778BC01")
    fiche["lieux_preparation"][0]["a_distance"] = False
    for lieu in fiche["lieux_preparation"] + fiche["lieux_certification"]:
        lieu["declare_par"] = fiche["certificateurs"][0]["nom"]
        lieu.update(lat=45.75, lon=4.85)
    texts.remove("lieux_preparation[0].declare_par")
    texts.remove("lieux_certification[0].declare_par")
    fiche["date_fin_enregistrement"] = "2030-01-15"
    return fiche, texts


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, list[str]]:
    project = tmp_path_factory.mktemp("hostile")
    fiche, texts = hostile_fiche()
    (project / "content" / "fiches").mkdir(parents=True)
    (project / "content" / "fiches" / f"{NUMERO.lower()}.yaml").write_text(
        yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    site = {
        "nom": payload("site.nom"), "description": payload("site.description"),
        "url": "https://exemple.github.io/catalogue/",
        "organisation": {"nom": payload("site.organisation.nom"), "url": URL},
        # the school's pages (mentions-legales/, accessibilite/) and the search's synonyms
        "mentions_legales": {
            "directeur_publication": payload("site.mentions_legales.directeur_publication"),
            "hebergeur": {"nom": payload("site.mentions_legales.hebergeur.nom"),
                          "adresse": payload("site.mentions_legales.hebergeur.adresse"),
                          "telephone": payload("site.mentions_legales.hebergeur.telephone"), "url": URL},
            "texte": payload("site.mentions_legales.texte"),
        },
        "accessibilite": {"contact": payload("site.accessibilite.contact"), "texte": payload("site.accessibilite.texte"),
                          "date_declaration": "2026-11-20"},
        "synonymes": [SYNONYMES],
    }
    (project / "content" / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), "--today", "2026-11-23"]) == 0
    return project / "site", texts + ["site.nom", "site.description", "site.organisation.nom", *SITE_TEXTS]


SITE_TEXTS = ["site.mentions_legales.directeur_publication", "site.mentions_legales.hebergeur.nom",
              "site.mentions_legales.hebergeur.adresse", "site.mentions_legales.hebergeur.telephone",
              "site.mentions_legales.texte", "site.accessibilite.contact", "site.accessibilite.texte"]
SYNONYMES = ['zorglub <script>window.__pwned=3</script> "><img src=x onerror=alert(12)>',
             "zorglab {{ 7*7 }} </style><script>alert(13)</script>"]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_text_field_carries_a_payload(hostile_site):
    _, texts = hostile_site
    assert len(texts) > 60  # free text fields of the model and the site settings
    assert "blocs[0].liste_competences" in texts and "voies_acces.VAE.composition_jury" in texts


def test_no_markup_comes_from_the_content(hostile_site):
    site, _ = hostile_site
    for file in pages(site):
        html = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        data = html.find_all("script", type="application/ld+json")  # schema.org data: JSON, never closed early
        for tag in data:
            assert "<" not in tag.string and json.loads(tag.string)["@context"] == "https://schema.org", file
        scripts = [(tag.get("type"), tag.get("src")) for tag in html.find_all("script") if tag not in data]
        assert scripts == site_scripts(file), file
        assert html.find("script", src=None, type=None).string == FLAG_SCRIPT, file
        assert html.find_all(["iframe", "img", "object", "embed"]) == [], file
        for tag in html.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), (file, tag)
                text = " ".join(value) if isinstance(value, list) else value
                assert not re.match(r"\s*(javascript|data|vbscript):", text, re.I), (file, tag)
        assert "49" not in html.get_text() or "{{ 7*7 }}" in html.get_text()  # never evaluated


def test_every_payload_is_shown_as_typed(hostile_site):
    site, texts = hostile_site
    everything = "\n".join(BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser").get_text(" ") for f in pages(site))
    everything = " ".join(everything.split())
    missing = [path for path in texts if shown(path) not in everything]
    assert missing == []
    assert everything.count("{{ 7*7 }} {% raw %}brut{% endraw %} ${7*7}") >= len(texts)
    assert "[lien](javascript:alert(5))" in everything and '<div onclick="alert(8)">html brut</div>' in everything


def test_the_school_pages_and_the_print_header_show_the_settings_as_typed(hostile_site):
    site, _ = hostile_site
    legal = " ".join(BeautifulSoup((site / "mentions-legales" / "index.html").read_text(encoding="utf-8"),
                                   "html.parser").get_text(" ").split())
    for path in SITE_TEXTS[:5]:
        assert shown(path) in legal, path
    a11y_html = (site / "accessibilite" / "index.html").read_text(encoding="utf-8")
    a11y = " ".join(BeautifulSoup(a11y_html, "html.parser").get_text(" ").split())
    assert shown("site.accessibilite.contact") in a11y and shown("site.accessibilite.texte") in a11y
    for file in pages(site):
        raw = file.read_text(encoding="utf-8")
        assert "</style>" not in raw.replace("</style>", "", raw.count("<style")), file  # only the page's own styles close
        assert "<img src=x" not in raw and "<script>alert(13)" not in raw, file
        body = BeautifulSoup(raw, "html.parser").body
        # the print header: the site's name as typed, as the header's text; the date in an attribute
        # of the header that nothing of the payload reaches
        assert " ".join(payload("site.nom").split()) in " ".join(body.find("a", class_="nom-site").get_text(" ").split()), file
        assert re.fullmatch(r"Page publiée le \d+\w* \w+ \d{4}", body.header["data-imprime"]), file


def test_the_synonyms_come_out_as_data(hostile_site):
    site, _ = hostile_site
    raw = (site / "recherche" / "synonymes.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    words = json.dumps(data["groupes"], ensure_ascii=False)
    assert "zorglub" in words and "zorglab" in words
    search = (site / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "zorglub <script>" not in search and "onerror=alert(12)>" not in search
    for file in pages(site):  # never in a page's markup unescaped
        assert "<script>window.__pwned=3" not in file.read_text(encoding="utf-8"), file


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    from .conftest import _serve

    yield from _serve(hostile_site[0])


@pytest.fixture
def watched(browser):
    """A page that records every dialog (dismissed) and every console or page error."""
    context = browser.new_context()
    page = context.new_page()
    page.dialogs, page.errors = [], []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def fire_events(page, selector: str) -> None:
    """Hover, focus and click-free events on every element matched: any handler would fire."""
    page.evaluate("""(selector) => document.querySelectorAll(selector).forEach(e => {
        for (const t of ['mouseover', 'mouseenter', 'focus', 'error', 'load'])
            e.dispatchEvent(new Event(t, {bubbles: true}));
    })""", selector)


def test_nothing_runs_in_chromium(hostile_site, hostile_url, watched):
    site, _ = hostile_site
    visited = 0
    for file in pages(site):
        path = file.relative_to(site).as_posix().removesuffix("index.html")
        watched.goto(f"{hostile_url}/catalogue/{path}")
        fire_events(watched, "*")
        assert watched.evaluate("window.__pwned") is None, path
        if file.parent.name == NUMERO.lower():
            body = " ".join(watched.inner_text("body").split())
            assert shown("intitule") in body and shown("blocs[0].libelle") in body
        visited += 1
    assert visited == len(pages(site)) >= 10
    assert (watched.dialogs, watched.errors) == ([], [])


def test_search_results_show_hostile_text_as_text(hostile_url, watched):
    watched.goto(f"{hostile_url}/catalogue/recherche/?q=pwned")
    watched.wait_for_function("/résultat/.test(document.getElementById('recherche-etat').textContent)")
    items = watched.locator("#recherche-resultats > li")
    assert items.count() == 1  # the fiche (its bloc is listed under it)
    assert watched.locator(".resultat-blocs li").count() == 1
    text = " ".join(items.first.inner_text().split())
    assert "<script>window.__pwned=1" in text and "{{ 7*7 }}" in text
    assert watched.locator("#recherche-resultats script, #recherche-resultats img").count() == 0
    fire_events(watched, "#recherche-resultats *")
    assert watched.evaluate("window.__pwned") is None
    assert (watched.dialogs, watched.errors) == ([], [])
