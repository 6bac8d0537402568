"""Shared fixtures: sites built once per session, served under /catalogue/, and Chromium."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import build
from builder.config import Config
from builder.serve.server import make_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 23)
BASE_PATH = "/catalogue/"


CACHE = Path(tempfile.mkdtemp(prefix="catalogue-tests-cache-"))
atexit.register(shutil.rmtree, CACHE, True)


def build_site(content: Path, out: Path, base_path: str = BASE_PATH, today: dt.date = TODAY, **options) -> Path:
    options.setdefault("cache_dir", CACHE)  # not the repository's own .catalogue-cache/
    config = Config(root=ROOT, out=out, base_path=base_path, today=today, content_dir=content, **options)
    build(config)
    return out


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example catalogue (content/) built under /catalogue/."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edge-case catalogue (tests/fixtures/site/content) built under /catalogue/."""
    return build_site(FIXTURES / "site" / "content", tmp_path_factory.mktemp("fixture") / "site")


# base.html: shows the scripts' buttons at once, then loads the compare tray (a module)
FLAG_SCRIPT = f'document.documentElement.classList.add("js");import("{BASE_PATH}assets/comparaison.js")'


def site_scripts(file: Path) -> list[tuple[str | None, str | None]]:
    """The scripts (type, src) a page of the site has: the flag (which loads the comparison) on every page,
    and its own on the search page, the compare page and a fiche's page; the places' distances
    from a chosen town on a fiche's page with located places (`data-lieux-positions`) and on its
    places pages."""
    own = [{"recherche": "recherche.js", "comparer": "comparer.js"}.get(file.parent.name)]
    if file.parent.parent.name == "fiches":
        own = ["sommaire.js"]
        if "data-lieux-positions=" in file.read_text(encoding="utf-8"):
            own.append("lieux-pres.js")
    elif _places_page(file.parent.parts):
        own = ["lieux-pres.js"]
    return [(None, None)] + [("module", f"{BASE_PATH}assets/{o}") for o in own if o]


def _places_page(parts: tuple[str, ...]) -> bool:
    """fiches/<numero>/lieux/ or fiches/<numero>/lieux/page/<n>/."""
    return (len(parts) >= 3 and parts[-1] == "lieux" and parts[-3] == "fiches") or (
        len(parts) >= 5 and parts[-3:-1] == ("lieux", "page") and parts[-5] == "fiches")


def foreign_scripts(html) -> list:
    """The scripts of a parsed page other than the site's own and its schema.org data."""
    return [tag for tag in html.select("script")
            if not (tag.get("type") == "application/ld+json" or tag.string == FLAG_SCRIPT
                    or (tag.get("src") or "").startswith(f"{BASE_PATH}assets/"))]


def _serve(directory: Path) -> Iterator[str]:
    server = make_server(directory, BASE_PATH, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def example_url(example_site: Path) -> Iterator[str]:
    """Origin of a server that serves the example site under /catalogue/."""
    yield from _serve(example_site)


@pytest.fixture(scope="session")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    yield from _serve(fixture_site)


def chromium_path() -> str | None:
    """Debian's chromium (CI, root machines), else Playwright's own download."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = chromium_path()
        launched = playwright.chromium.launch(
            executable_path=path,
            args=["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield launched
        launched.close()


def _page(browser, width: int) -> Iterator:
    """A page in a context of its own, `width` px wide, which keeps the console's errors."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def page(browser):
    # just below the wide layout (1,024 px and more: test_compare.py), where search filters open with a button
    yield from _page(browser, 1000)


@pytest.fixture(params=[390, 1280])
def narrow_or_wide(browser, request):
    """A phone's width and a desktop's: a test using it runs at both."""
    yield from _page(browser, request.param)
