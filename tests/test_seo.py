"""Lighthouse's SEO audit (npm `lighthouse`, in Debian's Chromium) on one page of each kind that
issue 16 touched: canonical addresses, descriptions, crawlable links. Every category, on a
generated catalogue, is `make bench-lighthouse`."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import BASE_PATH, ROOT, chromium_path

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
PAGES = ["", "fiches/rncp26224/", "fiches/rncp16959/blocs/rncp16959bc03/", "niveaux/7/", "recherche/", "donnees/"]


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_seo_scores_100(example_url, path):
    assert LIGHTHOUSE.exists(), "Lighthouse missing: run `npm ci`"
    chromium = chromium_path()
    assert chromium, "Chromium is needed: apt-get install chromium"
    # a short folder of its own: Chromium's profile and its socket (whose path has at most 107 bytes) go there
    with tempfile.TemporaryDirectory(prefix="lh-") as folder:
        report = Path(folder) / "report.json"
        subprocess.run([str(LIGHTHOUSE), f"{example_url}{BASE_PATH}{path}", "--quiet", "--only-categories=seo",
                        f"--chrome-flags={FLAGS}", "--output=json", f"--output-path={report}"],
                       check=True, timeout=180, env={**os.environ, "CHROME_PATH": chromium, "TMPDIR": folder})
        data = json.loads(report.read_text())
    failed = [a["id"] for a in data["audits"].values() if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    assert data["categories"]["seo"]["score"] == 1, failed
    assert data["audits"]["canonical"]["score"] == 1 and data["audits"]["meta-description"]["score"] == 1
