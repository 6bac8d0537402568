"""`catalogue serve`: rebuilds on every change and reloads the open page by itself; shows the
content's errors in the browser until they are fixed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from .conftest import ROOT


def test_edit_break_and_fix_a_fiche_while_the_page_is_open(tmp_path, browser):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    fiche = tmp_path / "content" / "fiches" / "rncp26224.yaml"
    text = fiche.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "builder", "serve", "--root", str(tmp_path), "--templates", str(ROOT / "templates"),
               "--port", "0", "--today", "2026-11-23"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:
        page = browser.new_page()
        try:
            line = ""
            while "serving" not in line:
                line = server.stdout.readline()
                assert line, server.stderr.read()
            url = re.search(r"http://\S+", line).group(0)
            page.goto(url + "fiches/rncp26224/")
            assert page.inner_text("h1") == "Chef de projet numérique"

            fiche.write_text(text.replace("intitule: Chef de projet numérique", "intitule: Chef de projet numérique et IA"), encoding="utf-8")
            page.wait_for_function("document.querySelector('h1').textContent === 'Chef de projet numérique et IA'", timeout=20000)

            fiche.write_text(text.replace("niveau: 6", "niveau: douze"), encoding="utf-8")
            page.wait_for_selector("#erreurs", timeout=20000)
            assert "rncp26224.yaml:" in page.inner_text("#erreurs") and "niveau: expected a level from 1 to 8" in page.inner_text("#erreurs")
            assert page.inner_text("h1") == "Le site n’a pas pu être reconstruit"

            fiche.write_text(text, encoding="utf-8")
            page.wait_for_function("document.querySelector('h1').textContent === 'Chef de projet numérique'", timeout=20000)
            assert not (tmp_path / "site" / "fiches" / "rncp26224" / "index.html").read_text().count("__live__")  # never in the files
        finally:
            page.close()
            server.terminate()


def _watched(watcher, folder, tmp_path) -> tuple[int, int]:
    """How many rebuilds a watcher asks for: after a fiche is written, then after an editor's
    hidden and backup files are."""
    import threading
    import time

    calls: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=watcher, args=(lambda: [folder], lambda: calls.append(time.monotonic()), stop, 0.05),
                              daemon=True)
    thread.start()
    time.sleep(0.5)
    (folder / "rncp1.yaml").write_text("numero: RNCP1\n", encoding="utf-8")
    deadline = time.monotonic() + 10
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    after_fiche = len(calls)
    (folder / ".rncp1.yaml.swp").write_text("x", encoding="utf-8")
    (folder / "rncp1.yaml~").write_text("x", encoding="utf-8")
    time.sleep(0.6)
    stop.set()
    thread.join(5)
    assert not thread.is_alive(), "the watcher did not stop"
    return after_fiche, len(calls)


def test_the_watcher_is_told_of_changes_and_looks_where_it_cannot_be_told(tmp_path, monkeypatch):
    import watchfiles

    from builder.serve import server

    for name, way in (("watchfiles", server.watch), ("polling", server.poll)):
        folder = tmp_path / name
        folder.mkdir()
        assert _watched(way, folder, tmp_path) == (1, 1), name
    # where the system cannot watch (no inotify, too many watches), the watcher looks instead
    monkeypatch.setattr(watchfiles, "watch", lambda *a, **k: (_ for _ in ()).throw(OSError("inotify watch limit reached")))
    folder = tmp_path / "fallback"
    folder.mkdir()
    assert _watched(server.watch, folder, tmp_path) == (1, 1)
