"""Options of one run of the builder, from the command line."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    root: Path  # the project folder: content/, templates/
    out: Path
    base_path: str | None  # overrides the path of the site's url
    today: dt.date  # the date the status of each fiche is computed against
    strict: bool = False  # warnings count as errors
    content_dir: Path | None = None  # default: ROOT/content
    templates_dir: Path | None = None  # default: ROOT/templates
    cache_dir: Path | None = None  # default: ROOT/.catalogue-cache
    use_cache: bool = True  # False: read every fiche and make every file again

    @property
    def cache_folder(self) -> Path | None:
        if not self.use_cache:
            return None
        return self.cache_dir or self.root / ".catalogue-cache"

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def templates(self) -> Path:
        return self.templates_dir or self.root / "templates"


def build_date(pinned: str | None) -> dt.date:
    """`--today`, else SOURCE_DATE_EPOCH (reproducible builds), else the real date."""
    if pinned:
        return dt.date.fromisoformat(pinned)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()
