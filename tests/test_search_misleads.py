"""Search that never misleads: synonyms, words found nowhere, examples from the catalogue,
matched passages. Real Pagefind indexes queried in Chromium under /catalogue/, at 390 and 1,280 px."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from builder.errors import ContentError

from .conftest import BASE_PATH, ROOT, _serve, build_site
from .test_quality import WCAG



@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> Path:
    """The example catalogue with RNCP16959's apprenticeship and contrat de professionnalisation
    closed and "marketing en ligne" in its title (it has no place at a distance), and a school's
    synonym group in site.yaml."""
    content = tmp_path_factory.mktemp("crafted") / "content"
    shutil.copytree(ROOT / "content", content)
    fiche = content / "fiches" / "rncp16959.yaml"
    data = yaml.safe_load(fiche.read_text(encoding="utf-8"))
    for route in ("CA", "CQ"):
        data["voies_acces"][route]["actif"] = False
    assert not any(lieu.get("a_distance") or lieu.get("mixte") for lieu in data["lieux_preparation"])
    data["intitule"] += " et marketing en ligne"
    fiche.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "synonymes:\n  - [webmestre, webmarketer]\n", encoding="utf-8")
    return build_site(content, content.parent / "site")


@pytest.fixture(scope="module")
def crafted_url(crafted):
    yield from _serve(crafted)


def ask(page, origin: str, query: str, more: str = "") -> dict:
    page.goto(f"{origin}{BASE_PATH}recherche/?q={quote(query)}{more}")
    page.wait_for_function("/résultat/.test(document.getElementById('recherche-etat').textContent)")
    return page.evaluate("""() => ({
        status: document.getElementById('recherche-etat').textContent,
        suggestions: document.getElementById('recherche-suggestions').hidden ? null : document.getElementById('recherche-suggestions').textContent,
        links: [...document.querySelectorAll('#recherche-suggestions a')].map(a => a.getAttribute('href')),
        results: [...document.querySelectorAll('#recherche-resultats > li')].map(li => ({
            href: li.querySelector('h2 a').getAttribute('href'),
            meta: [...li.querySelectorAll('.resultat-meta span')].map(s => s.textContent),
            excerpt: li.querySelector('.resultat-extrait')?.innerHTML ?? '',
        })),
    })""")


def hrefs(found: dict) -> list[str]:
    return sorted(r["href"].removeprefix(BASE_PATH) for r in found["results"])


def test_alternance_finds_the_apprenticeship_fiches_through_the_synonym(narrow_or_wide, crafted_url):
    found = ask(narrow_or_wide, crafted_url, "alternance")
    assert hrefs(found) == ["fiches/rncp26224/"]  # RNCP16959's apprenticeship routes are closed here
    assert found["status"].startswith("1 résultat pour « alternance » (cherché aussi : apprentissage")
    # the passage matched: what the fact says, not the hidden words that found it
    assert found["results"][0]["excerpt"] == "Apprentissage ou contrat de professionnalisation possible."
    for synonym in ("apprentissage", "contrat de professionnalisation"):
        assert hrefs(ask(narrow_or_wide, crafted_url, synonym)) == ["fiches/rncp26224/"], synonym
    assert narrow_or_wide.console_errors == []


def test_a_word_found_nowhere_finds_nothing_and_suggests(narrow_or_wide, example_url):
    found = ask(narrow_or_wide, example_url, "xqzwv")
    assert found["results"] == []
    assert found["status"] == "Aucun résultat pour « xqzwv » : « xqzwv » ne figure dans aucune certification du catalogue."
    assert found["suggestions"].startswith("Essayez par exemple : « ")
    assert found["links"] and all(link.startswith(f"{BASE_PATH}recherche/?q=") for link in found["links"])
    # a known word with it: still nothing, never the pages of a stray letter
    assert ask(narrow_or_wide, example_url, "marketing xqzwv")["results"] == []
    # a misspelt word: the close word of the catalogue
    assert "« marketing »" in ask(narrow_or_wide, example_url, "marketting")["suggestions"]
    # near a town too
    near = ask(narrow_or_wide, example_url, "marketting", "&pres=Rennes&km=200")
    assert near["results"] == [] and "« marketing »" in near["suggestions"], near


def test_a_phrase_of_a_fact_group_is_also_searched_as_words(page, crafted_url):
    """ "en ligne" stands for the places at a distance, and is also found as words of a text:
    RNCP16959 has no place at a distance, but "marketing en ligne" in its title."""
    found = ask(page, crafted_url, "en ligne")
    assert hrefs(found) == ["fiches/rncp16959/"], found["status"]
    assert "<mark>ligne" in found["results"][0]["excerpt"]
    assert hrefs(ask(page, crafted_url, "marketing en ligne")) == ["fiches/rncp16959/"]


@pytest.mark.parametrize("query", ["à", "a distance xqzwv", "alternanc3"])
def test_no_stray_one_letter_matches(page, example_url, query):
    found = ask(page, example_url, query)
    assert found["results"] == [], found
    assert found["status"].startswith(f"Aucun résultat pour « {query} »"), found


@pytest.mark.parametrize("query", ["à marketing", "a marketing", "marketing y"])
def test_one_letter_words_mark_nothing(page, example_url, query):
    """With a word that finds pages, a word of one letter is left out: no page is matched, nor
    marked, by a stray letter."""
    found = ask(page, example_url, query)
    assert found["results"] and all("<mark>" in r["excerpt"] for r in found["results"]), found
    assert not any(re.search(r"<mark>\w\W*</mark>", r["excerpt"]) for r in found["results"]), found
    assert hrefs(found) == hrefs(ask(page, example_url, "marketing"))


# «évaluations»: in RNCP16959's certified competences; RNCP26224 has it only in its blocs' competences,
# which are on the blocs' own pages since issue 25's budgets (the fiche page lists the blocs' titles)
@pytest.mark.parametrize("query, found", [("chefs", 1), ("évaluations", 1), ("Digitales", 2), ("ark", 0), ("M1805", 0)])
def test_forms_of_a_word_are_found_and_stray_beginnings_are_not(page, example_url, query, found):
    answer = ask(page, example_url, query)
    assert len(answer["results"]) == found, answer["status"]
    if not found:  # the word as typed
        assert answer["status"].startswith(f"Aucun résultat pour « {query} » : « {query} » ne figure dans aucune certification")


@pytest.mark.parametrize("query", ["bac+3", "Bac + 3", "niveau 6"])
def test_bac_plus_3_finds_level_6(page, example_url, query):
    found = ask(page, example_url, query)
    assert hrefs(found) == ["fiches/rncp26224/"]
    assert found["results"][0]["meta"][2] == "Niveau 6 — équivalent Bac+3"
    assert "<mark>Bac+3</mark>" in found["results"][0]["excerpt"]  # the level the page says: not the hidden words
    assert "bac+3, niveau 6" not in found["results"][0]["excerpt"] and "Pour la recherche" not in found["results"][0]["excerpt"]


def test_each_example_under_the_box_finds_something(narrow_or_wide, example_url):
    narrow_or_wide.goto(f"{example_url}{BASE_PATH}recherche/")
    examples = narrow_or_wide.eval_on_selector_all(".recherche-exemple", "es => es.map(e => e.textContent)")
    assert len(examples) == 3 and "M1805" not in examples
    for example in examples:
        found = ask(narrow_or_wide, example_url, example)
        assert found["results"], example
        assert all("<mark>" in r["excerpt"] for r in found["results"]), (example, found["results"])


def test_excerpts_show_the_matched_passage_not_the_card(page, example_url):
    found = ask(page, example_url, "webmarketer")
    assert found["results"]
    excerpt = found["results"][0]["excerpt"]
    assert "<mark>webmarketer" in excerpt
    assert "Inactive — enregistrement terminé" not in excerpt  # the card's details are not repeated


def test_a_school_synonym_in_site_yaml_works(page, crafted_url):
    found = ask(page, crafted_url, "webmestre")
    assert hrefs(found) == ["fiches/rncp26224/"]  # only that fiche says "webmarketer"
    assert "(cherché aussi : webmarketer)" in found["status"]


def test_synonyms_are_a_file_of_the_search_page_only(example_site):
    assert (example_site / "recherche" / "synonymes.json").is_file()
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "synonymes" not in home
    fiche = BeautifulSoup((example_site / "fiches" / "rncp26224" / "index.html").read_text(encoding="utf-8"), "html.parser")
    hidden = fiche.select_one("article[data-pagefind-body] > div[hidden]:last-child")
    assert hidden.select_one("h2").get("id") == "pour-la-recherche"  # a section the search page recognises
    assert "alternance" in hidden.text and "bac+3" in hidden.text


@pytest.mark.parametrize("setting, message", [
    ("synonymes:\n  - [seul]\n", "group 1: a group of synonyms needs at least two words or phrases, found 1"),
    ("synonymes:\n  - [commis, à]\n", 'group 1: "à" has no word search can look for'),
    ("synonymes:\n  - commis\n", "expected"),
    ("synonymes:\n  - [bac+3, bac+5]\n",
     'group 1: its words join groups of synonyms tied to different facts: "bac+3" (niveau 6) and "bac+5" (niveau 7)'),
    ("synonymes:\n  - [bac+3, licence]\n  - [licence, master, bac+5]\n",
     'group 2: its words join groups of synonyms tied to different facts: "licence" (niveau 6) and "bac+5" (niveau 7)'),
])
def test_a_bad_synonyms_setting_gives_a_clear_error(tmp_path, setting, message):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "site.yaml").write_text((content / "site.yaml").read_text(encoding="utf-8") + setting, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build_site(content, tmp_path / "site")
    [problem] = error.value.problems
    text = problem.format()
    assert re.match(r".*site\.yaml:\d+:\d+", text) and problem.field.startswith("synonymes") and message in text, text


def test_search_page_after_a_query_is_accessible(narrow_or_wide, example_url):
    ask(narrow_or_wide, example_url, "xqzwv")
    result = Axe().run(narrow_or_wide, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    ask(narrow_or_wide, example_url, "alternance")
    result = Axe().run(narrow_or_wide, options=WCAG)
    assert result.violations_count == 0, result.generate_report()


def test_vnu_finds_no_error_in_the_drawn_search_page(page, example_url, tmp_path):
    """vnu reads the pages as built (test_quality.py); here, the search page as the script draws
    it: results with their matched passages, and a word found nowhere with its suggestions."""
    import json
    import subprocess

    from .test_quality import VNU

    files = []
    for query in ("alternance", "xqzwv"):
        ask(page, example_url, query)
        file = tmp_path / f"{query}.html"
        file.write_text("<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
        files.append(str(file))
    result = subprocess.run([shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages)


def test_the_repository_synonyms_are_sound():
    """Each group tied to a fact searches for its first word: it must be one word of the index,
    and the facts must be those the builder knows."""
    from builder.search.synonymes import groupes_integres, mots_utiles, normaliser

    facts = {"alternance", "vae", "distance", *(f"niveau {n}" for n in range(3, 9))}
    for words, fact in groupes_integres():
        assert len(words) >= 2, words
        if fact:
            assert fact in facts, fact
            assert len(mots_utiles(normaliser(words[0]))) == 1, words[0]
    assert mots_utiles(normaliser("Bac + 3")) == ["bac3"] and mots_utiles(normaliser("bac 3")) == ["bac3"]
    assert normaliser("Contrat d’apprentissage") == normaliser("contrat d'apprentissage") == "contrat d apprentissage"


def test_a_failed_look_up_is_tried_again(page):
    """A word whose check failed (a search that threw) is checked again on the next search, not
    failed for the rest of the visit. (Pagefind keeps its own failed downloads: `present` is run
    alone here, on a search that fails once.)"""
    script = (ROOT / "templates" / "static" / "recherche.js").read_text(encoding="utf-8")
    source = re.search(r"^function present\(.*?^}$", script, re.DOTALL | re.MULTILINE).group(0)
    answer = page.evaluate("""async (source) => {
        const present = new Function("presence", "estLeMot", `${source}; return present;`)(new Map(), () => true);
        let calls = 0;
        const pagefind = { search: async () => {
            calls += 1;
            if (calls === 1) throw new Error("réseau");
            return { results: [{ data: async () => ({ content: "marketing", locations: [0] }) }] };
        } };
        const first = await present(pagefind, "marketing").then(() => "trouvé", () => "échec");
        await new Promise((resolve) => setTimeout(resolve));
        const second = await present(pagefind, "marketing").catch(() => "échec");
        return [first, second, calls];
    }""", source)
    assert answer == ["échec", True, 2]


def test_no_hidden_words_without_a_fact():
    """A fiche whose facts match no group (level 2, no route, no place at a distance) carries no
    hidden paragraph: not even "Pour la recherche : ."."""
    from types import SimpleNamespace

    from builder.search.synonymes import mots_caches

    closed = SimpleNamespace(actif=False)
    fiche = SimpleNamespace(voies_acces=SimpleNamespace(CA=closed, CQ=closed, VAE=closed), lieux_preparation=[], niveau=2)
    assert mots_caches(None, fiche) == ""
    fiche.niveau = 6
    assert mots_caches(None, fiche) == "bac+3, niveau 6."


def test_groups_of_different_facts_never_merge_silently():
    from builder.search.synonymes import groupes

    with pytest.raises(ValueError, match="different facts"):
        groupes((("bac+3", "bac+5"),))


def test_the_scripts_parse_on_older_safari():
    """A regular expression's lookbehind is a syntax error before Safari 16.4: the whole script
    would stop."""
    for script in (ROOT / "templates" / "static").glob("*.js"):
        assert not re.search(r"\(\?<[=!]", script.read_text(encoding="utf-8")), script.name
