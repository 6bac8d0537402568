"""Texts folded after their beginning ("Lire la suite"): each half is what the whole text
renders there, references included, whatever the text holds."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.pages.text import LIMITE_TEXTE, markdown, plier

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))

PHRASE = "Le titulaire conduit des projets numériques et en rend compte aux équipes. "


def visible(html: str) -> list[str]:
    """The words a reader sees, in order."""
    return re.sub(r"<[^>]*>", " ", html).split()


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html)


def test_folded_texts_keep_reference_style_links():
    """Regression: the halves were rendered apart, so a reference defined at the end of a long
    text showed as literal brackets in its first half."""
    text = ("Voir [France compétences][fc] pour le détail. " + PHRASE * 5 + "\n\n") * 8 + \
        '[fc]: https://www.francecompetences.fr/ "France compétences"\n'
    assert len(text) > LIMITE_TEXTE * 1.3
    pli = plier(text)
    assert pli.suite, "long enough to be folded"
    assert "[fc]" not in pli.debut and "[France compétences]" not in pli.debut + pli.suite
    assert links(pli.debut)[0] == ("https://www.francecompetences.fr/", "France compétences")
    assert links(pli.debut + pli.suite) == links(markdown(text))


def test_footnote_like_references_resolve_in_both_halves():
    text = "Une précision suit[^1]. " + PHRASE * 20 + "\n\n" + (PHRASE * 6 + "\n\n") * 4 + "[^1]: https://exemple.fr/note\n"
    pli = plier(text)
    assert pli.suite and '<a href="https://exemple.fr/note">^1</a>' in pli.debut
    assert visible(pli.debut + pli.suite) == visible(markdown(text))


def test_a_numbered_list_cut_in_two_goes_on_with_its_numbers():
    text = "\n".join(f"{n}. {PHRASE * 2}" for n in range(1, 16)) + "\n"
    pli = plier(text)
    assert pli.debut.count("<li>") + pli.suite.count("<li>") == 15
    start = pli.debut.count("<li>") + 1
    assert pli.suite.startswith(f'<ol start="{start}">')


def test_one_long_paragraph_is_cut_after_a_sentence_outside_emphasis():
    text = PHRASE * 10 + "**Une phrase en gras. Encore du gras.** " + PHRASE * 20
    pli = plier(text)
    assert pli.suite and pli.debut.count("<strong>") == pli.debut.count("</strong>")
    assert "**" not in pli.debut + pli.suite
    assert visible(pli.debut + pli.suite) == visible(markdown(text))


def test_the_count_of_words_folded_is_of_words_a_reader_sees():
    text = (PHRASE * 4 + "\n\n") * 6 + "- un\n- deux\n\n[ref]: https://exemple.fr/\n"
    pli = plier(text)
    assert pli.mots == len(visible(pli.suite))


def test_short_texts_and_short_rests_are_not_folded():
    assert plier(PHRASE).suite == ""
    text = PHRASE * 21 + "\n\nFin."  # what would be folded is a word
    assert plier(text).suite == "" and plier(text).debut == markdown(text)


def test_everything_one_click_away():
    pli = plier(PHRASE, 0)
    assert pli.debut == "" and pli.suite == markdown(PHRASE) and pli.mots == len(PHRASE.split())


BLOCKS = st.sampled_from([
    PHRASE * 3, "Voir [le référentiel][ref] et [France compétences][fc].", "Note[^1] en passant. " + PHRASE,
    "- un point\n- un autre point, " + PHRASE, "1. premier\n2. second\n3. troisième " + PHRASE,
    "```\ncode\n\nencore du code\n```", "> une citation " + PHRASE, "# Un titre", "* * *",
    "- un point\n\n  suite du point, " + PHRASE, "    code indenté\n\n    encore", "**gras. " + PHRASE + "**",
    "[ref]: https://exemple.fr/ref", "[fc]: https://www.francecompetences.fr/", "[^1]: https://exemple.fr/note",
])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(BLOCKS, min_size=1, max_size=30), st.sampled_from([250, 400, 600, LIMITE_TEXTE]))
def test_the_halves_read_as_the_whole(blocks, limite):
    text = "\n\n".join(blocks) + "\n"
    pli = plier(text, limite)
    whole = markdown(text)
    if not pli.suite:
        assert pli.debut == whole
        return
    assert visible(pli.debut + pli.suite) == visible(whole)
    assert links(pli.debut + pli.suite) == links(whole)
    assert pli.mots == len(visible(pli.suite))
    assert re.sub(r"\s", "", re.sub(r"<[^>]*>", "", pli.debut + pli.suite)) == re.sub(r"\s", "", re.sub(r"<[^>]*>", "", whole))
