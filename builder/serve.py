"""Serve the built site locally under its base path, as GitHub Pages would."""

from __future__ import annotations

import functools
import http.server
import posixpath
import urllib.parse
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of `directory` at `base_path`; `/` redirects there; missing pages get 404.html."""

    base_path = "/"

    def __init__(self, *args, base_path: str = "/", quiet: bool = False, **kwargs):
        self.base_path = base_path
        self.quiet = quiet
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
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not path.endswith("/"):
            return super().send_head()  # redirects to the address with a slash
        if not (local.is_file() or (local / "index.html").is_file()):
            return self._not_found()
        return super().send_head()

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


def make_server(directory: Path, base_path: str, port: int = 0, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory), base_path=base_path, quiet=quiet)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
