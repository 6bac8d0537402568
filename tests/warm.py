"""The state the differential test's new processes start from (`tests.zygote`, imported by its
fork server, sets it):
the builder's own data read once (gazetteer, town files, word list) and its templates compiled,
so that each build process starts in milliseconds; and the thresholds of the test. Nothing
here depends on the content of a catalogue."""

from __future__ import annotations

from pathlib import Path

from builder.files import builder_version
from builder.pages import page as pages
from builder.search import index as search
from builder.reference.geo import gazetteer
from builder.content.lint import _french_words, url_keys
from builder.search.proximite import town_files
from builder.pages.render import make_environment
from builder.content.schema import fiche_schema

# Lists cut by letter past two pages (not eight), the search index in parts of four fiche pages
# (not 4,000): a small catalogue then has the shapes a national one has.
THRESHOLDS = {(pages, "LETTRES_DES"): 2, (search, "PAGES_PER_PART"): 4}


def small_thresholds() -> dict:
    """Set the test's thresholds; returns the values they replace."""
    before = {(module, name): getattr(module, name) for module, name in THRESHOLDS}
    for (module, name), value in THRESHOLDS.items():
        setattr(module, name, value)
    return before


def warm() -> None:
    builder_version()  # of the code imported here, even if the files change while the test runs
    gazetteer()
    town_files()
    _french_words()
    url_keys()
    fiche_schema()
    env = make_environment([Path(__file__).resolve().parent.parent / "templates"])
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".txt")) and not n.startswith("static/")):
        env.get_template(name)  # compiled once, in memory for every process forked from here
