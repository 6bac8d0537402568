"""Lighthouse's SEO audit (npm `lighthouse`, in Debian's Chromium) on one page of each kind that
issue 16 touched: canonical addresses, descriptions, crawlable links. Every category, on a
generated catalogue, is `make bench-lighthouse`. One Chromium audits every page, in turn
(`lighthouse_seo.mjs`)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import BASE_PATH, ROOT, chromium_path

SCRIPT = Path(__file__).with_name("lighthouse_seo.mjs")
PAGES = ["", "fiches/rncp26224/", "fiches/rncp16959/blocs/rncp16959bc03/", "niveaux/7/", "recherche/", "donnees/",
         "comparer/?f=RNCP26224,RNCP16959"]


@pytest.fixture(scope="module")
def reports(example_url) -> dict[str, dict]:
    assert (ROOT / "node_modules" / "lighthouse").is_dir(), "Lighthouse missing: run `npm ci`"
    chromium = chromium_path()
    assert chromium, "Chromium is needed: apt-get install chromium"
    # a short folder of its own: Chromium's profile and its socket (whose path has at most 107 bytes) go there
    with tempfile.TemporaryDirectory(prefix="lh-") as folder:
        out = Path(folder) / "reports.json"
        urls = [f"{example_url}{BASE_PATH}{path}" for path in PAGES]
        subprocess.run(["node", str(SCRIPT), str(out), *urls], check=True, timeout=600, cwd=ROOT,
                       env={**os.environ, "CHROME_PATH": chromium, "TMPDIR": folder})
        found = json.loads(out.read_text())
    return {url.removeprefix(f"{example_url}{BASE_PATH}"): report for url, report in found.items()}


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_seo_scores_100(reports, path):
    data = reports[path]
    failed = [a["id"] for a in data["audits"].values() if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    assert data["categories"]["seo"]["score"] == 1, failed
    assert data["audits"]["canonical"]["score"] == 1 and data["audits"]["meta-description"]["score"] == 1
