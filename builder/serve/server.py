"""Serve the built site locally under its base path, as GitHub Pages would; with `watch`,
rebuild when the content, templates or settings change and reload the open browser tabs.

Live reload: pages served (never the built files) get a small script that asks
`<base>__live__` for the build number every half second and reloads the page when it changes.
While the content has errors, every page shows them instead, until the files are fixed.
"""

from __future__ import annotations

import functools
import html
import http.server
import posixpath
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

LIVE = "__live__"
_SCRIPT = """<script>(() => {{
  const seen = "{version}";
  const ask = () => fetch("{base}{live}", {{cache: "no-store"}}).then(r => r.text())
    .then(v => {{ if (v !== seen) location.reload(); else setTimeout(ask, 500); }}, () => setTimeout(ask, 1000));
  setTimeout(ask, 500);
}})();</script>"""


class LiveState:
    """The build number and the last build's problems, shared by the watcher and the server."""

    def __init__(self) -> None:
        self.version = 0
        self.errors: list[str] = []  # lines to show instead of the pages; empty when the build passed
        self.lock = threading.Lock()

    def update(self, errors: list[str]) -> None:
        with self.lock:
            self.version += 1
            self.errors = errors

    def script(self, base_path: str) -> bytes:
        return _SCRIPT.format(version=self.version, base=base_path, live=LIVE).encode()

    def error_page(self, base_path: str) -> bytes:
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.errors)
        return (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreurs dans le contenu</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="font-family: system-ui, sans-serif; margin: 2rem">'
            "<h1>Le site n’a pas pu être reconstruit</h1><p>Corrigez ces erreurs : la page se rechargera toute seule.</p>"
            f'<ul id="erreurs">{items}</ul>'
        ).encode() + self.script(base_path) + b"</body></html>"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of `directory` at `base_path`; `/` redirects there; missing pages get 404.html."""

    base_path = "/"

    def __init__(self, *args, base_path: str = "/", quiet: bool = False, live: LiveState | None = None, **kwargs):
        self.base_path = base_path
        self.quiet = quiet
        self.live = live
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def send_head(self):  # type: ignore[override]
        path = urllib.parse.urlsplit(self.path).path
        if not path.startswith(self.base_path):
            if path in ("/", ""):
                self.send_response(302)
                self.send_header("Location", self.base_path)
                self.end_headers()
                return None
            return self._not_found()
        if self.live and path == self.base_path + LIVE:
            return self._send(str(self.live.version).encode(), "text/plain; charset=utf-8")
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not path.endswith("/"):
            return super().send_head()  # redirects to the address with a slash
        if self.live and self.live.errors and (path.endswith("/") or path.endswith(".html")):
            return self._send(self.live.error_page(self.base_path), "text/html; charset=utf-8")
        if not (local.is_file() or (local / "index.html").is_file()):
            return self._not_found()
        page = local / "index.html" if local.is_dir() else local
        if self.live and page.suffix == ".html":  # add the reload script to pages, never to files on disk
            body = page.read_bytes().replace(b"</body>", self.live.script(self.base_path) + b"</body>", 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().send_head()

    def _send(self, body: bytes, content_type: str, status: int = 200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def translate_path(self, path: str) -> str:
        path = urllib.parse.urlsplit(path).path
        inside = "/" + path[len(self.base_path):] if path.startswith(self.base_path) else path
        return super().translate_path(posixpath.normpath(inside) + ("/" if inside.endswith("/") else ""))

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


def make_server(directory: Path, base_path: str, port: int = 0, quiet: bool = False,
                live: LiveState | None = None) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory), base_path=base_path, quiet=quiet, live=live)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def _ignored(name: str) -> bool:
    """Files an editor writes beside the real ones: hidden, lock and backup files."""
    return name.startswith((".", "#")) or name.endswith("~")


def watch(folders: Callable[[], list[Path]], rebuild: Callable[[], None], stop: threading.Event, every: float = 0.3) -> None:
    """Call `rebuild` whenever a file under `folders()` changes, until `stop` is set: told by the
    system (watchfiles: inotify on Linux, nothing spent while nothing changes), or, where it
    cannot be (no watchfiles, no inotify, too many watches), by looking every `every` seconds."""
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - a dependency; the fallback is tested on its own
        return poll(folders, rebuild, stop, every)
    while not stop.is_set():
        watched = [folder for folder in folders() if folder.is_dir()]
        try:
            for _ in watchfiles.watch(*watched, stop_event=stop, debounce=100, rust_timeout=1000,
                                      watch_filter=lambda change, path: not _ignored(Path(path).name)):
                rebuild()
                if [folder for folder in folders() if folder.is_dir()] != watched:
                    break  # the settings now name other folders (a school's templates): watch those
            else:
                return  # stopped
        except (OSError, RuntimeError):  # the system cannot watch these folders: look at them instead
            return poll(folders, rebuild, stop, every)
    return None


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file under `folders` (what a rebuild depends on)."""
    files: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if folder.is_dir():
            for file in folder.rglob("*"):
                if file.is_file() and not _ignored(file.name):
                    stat = file.stat()
                    files[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return files


def poll(folders: Callable[[], list[Path]], rebuild: Callable[[], None], stop: threading.Event, every: float = 0.3) -> None:
    """Call `rebuild` whenever a file under `folders()` changes, until `stop` is set, looking
    at every file every `every` seconds."""
    seen = snapshot(folders())
    while not stop.wait(every):
        now = snapshot(folders())
        if now != seen:
            time.sleep(0.1)  # let an editor finish writing
            seen = snapshot(folders())
            rebuild()
