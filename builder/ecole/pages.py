"""The school's pages: the legal notice (`mentions-legales/`) and the accessibility statement in
the RGAA's form (`accessibilite/`). They show only site.yaml, the templates and the build date,
which the build's global key holds: they depend on nothing of the catalogue."""

from __future__ import annotations

from ..content.catalogue import Catalogue
from ..content.settings import Site
from ..pages.page import Page
from ..pages.urls import Urls


def site_pages(catalogue: Catalogue, urls: Urls, site: Site) -> list[Page]:
    return [Page(urls.mentions_legales(), ["mentions-legales.html"]), Page(urls.accessibilite(), ["accessibilite.html"])]

