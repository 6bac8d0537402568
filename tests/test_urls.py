"""The one module that knows addresses: base paths, slugs, safe output paths."""

import pytest

from builder.slugs import slugify
from builder.pages.urls import Urls, check_path, normalise_base_path


@pytest.mark.parametrize("given, expected", [("", "/"), ("/", "/"), ("catalogue", "/catalogue/"), ("/catalogue", "/catalogue/"),
                                             ("/a/b/", "/a/b/")])
def test_base_path_is_normalised(given, expected):
    assert normalise_base_path(given) == expected


@pytest.mark.parametrize("bad", ["/../x/", "/a b/", "/%2e%2e/", "/x\x00/", "/é/"])
def test_unsafe_base_path_is_refused(bad):
    with pytest.raises(ValueError):
        normalise_base_path(bad)


@pytest.mark.parametrize("bad", ["../x/", "/abs/", "a/../b/", "a//b/", "A/", "a\x00/", "%2e%2e/", "a b/"])
def test_unsafe_page_paths_are_refused(bad):
    with pytest.raises(ValueError):
        check_path(bad)


def test_links_and_files():
    urls = Urls("/catalogue/", "https://ecole.github.io")
    assert urls.href("fiches/rncp26224/") == "/catalogue/fiches/rncp26224/"
    assert urls.href("") == "/catalogue/"
    assert urls.absolute("sitemap.xml") == "https://ecole.github.io/catalogue/sitemap.xml"
    assert str(urls.output_file("fiches/rncp26224/")) == "fiches/rncp26224/index.html"
    assert str(urls.output_file("")) == "index.html"
    assert str(urls.output_file("404.html")) == "404.html"
    assert urls.france_competences("RNCP26224") == "https://www.francecompetences.fr/recherche/rncp/26224/"
    assert urls.france_competences("RS1234") == "https://www.francecompetences.fr/recherche/rs/1234/"
    assert urls.france_travail("M1705") == "https://candidat.francetravail.fr/metierscope/fiche-metier/M1705"
    assert urls.rome("M1705") == "rome/m1705/"
    assert urls.niveau(None) == "niveaux/sans-niveau/"
    assert urls.home(3) == "page/3/"
    assert Urls("", "https://x.fr").href("") == "/"


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Ministère de l'Éducation nationale", "ministere-de-l-education-nationale"),
        ("Ministère de l’Éducation nationale", "ministere-de-l-education-nationale"),
        ("ÉCOLE  Supérieure", "ecole-superieure"),
        ("../../etc/passwd", "etc-passwd"),
        ("%2e%2e/x", "2e-2e-x"),
        ("\x00", "sans-nom"),
        ("Œuvre", "oeuvre"),
    ],
)
def test_slugs_are_safe_and_fold_case_and_accents(name, slug):
    assert slugify(name) == slug
    check_path(slug + "/")


def test_long_names_get_distinct_slugs():
    a, b = slugify("x" * 100 + "a"), slugify("x" * 100 + "b")
    assert a != b and len(a) <= 80 and len(b) <= 80
