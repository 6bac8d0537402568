"""`catalogue import OFFRES.xml`: the places of the national training offer (LHEO) added to the
fiches already in `content/`.

The offer file is streamed; the places of the catalogue's certifications are kept in a
temporary SQLite file (memory stays the same whatever the size of the file), then each fiche's
file is updated once: the places this source gave before are replaced by the ones it gives now
(an offer that left the file loses its place; the same offer keeps its place, updated), and the
places an editor typed, with their comments, stay as written. Offers for certifications outside
the catalogue are counted and reported by number. Files are checked, staged and put in place
together, as for the RNCP export.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from ..errors import BuildError
from ..content.model import Lieu
from ..content.load import read_bytes
from ..content.provenance import empreinte_lieu
from ..content.validate import error_message
from ..parallel import fork_map
from ..importers import files
from .lheo import formation_places
from .repair import Note, _short
from .sources import ImportFileError, Member, elements


@dataclass
class OffresSummary:
    formations: int = 0
    actions: int = 0
    places: int = 0  # places kept for fiches of the catalogue
    without_code: int = 0  # formations that name no RNCP certification
    outside: Counter[str] = field(default_factory=Counter)  # number outside the catalogue -> offers
    left_out: int = 0
    fiches: Counter[str] = field(default_factory=Counter)  # updated, unchanged, skipped
    places_by_action: Counter[str] = field(default_factory=Counter)  # added, updated, removed, kept
    skipped_asked: list[str] = field(default_factory=list)

    def lines(self, source: str, dry_run: bool) -> list[str]:
        would = "would be " if dry_run else ""
        p, f = self.places_by_action, self.fiches
        outside = sorted(self.outside, key=lambda n: int(n[4:]))
        shown = ", ".join(f"{n} ({self.outside[n]})" for n in outside[:40]) + (f", and {len(outside) - 40} more" if len(outside) > 40 else "")
        return [
            f"{self.formations:,} formation(s) and {self.actions:,} action(s) read from {source}",
            f"places: {p['added']:,} {would}added, {p['updated']:,} {would}updated, {p['removed']:,} {would}removed, "
            f"{p['kept']:,} unchanged, {self.left_out:,} left out; fiches: {f['updated']:,} {would}updated, "
            f"{f['unchanged']:,} unchanged, {f['skipped']:,} skipped",
            f"offers for {len(outside):,} certification(s) outside the catalogue, not imported"
            + (f": {shown}" if outside else "") + (f"; {self.without_code:,} formation(s) without an RNCP number" if self.without_code else ""),
            "nothing written (--dry-run)" if dry_run else "run `catalogue check`, then `catalogue build`",
        ]


def source_name(path: Path) -> str:
    """A file's name without its extension and dates: the same source from one download to the next."""
    stem = path.name.split(".")[0]
    stem = re.sub(r"[-_]?\d{4}[-_]?\d{2}[-_]?\d{2}", "", stem)
    return stem.strip("-_ ") or "offres"


def catalogue_numbers(folder: Path) -> dict[str, Path]:
    """The fiches of the catalogue, by number (their files are named after it)."""
    found = {}
    for file in sorted(folder.glob("*.yaml")):
        if re.fullmatch(r"(rncp|rs)\d{1,6}\.yaml", file.name):
            found[file.stem.upper()] = file
    return found


class Spill:
    """Places waiting to be written, per fiche, in a temporary SQLite file."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="catalogue-import-offres-")
        self.db = sqlite3.connect(Path(self.folder.name) / "places.db")
        self.db.execute("CREATE TABLE places (numero TEXT, offre TEXT, sort TEXT, place TEXT, PRIMARY KEY (numero, offre))")

    def add(self, numero: str, place: dict[str, Any]) -> None:
        sort = "\t".join(str(place.get(k) or "") for k in ("code_postal", "commune", "organisme"))
        self.db.execute("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?)",
                        (numero, place["offre"]["numero"], sort, json.dumps(place, ensure_ascii=False)))

    def numbers(self) -> set[str]:
        return {n for (n,) in self.db.execute("SELECT DISTINCT numero FROM places")}

    def places(self, numero: str) -> list[dict[str, Any]]:
        """A fiche's places: at a distance last, the others by postal code, town and body."""
        rows = self.db.execute("SELECT place FROM places WHERE numero = ? ORDER BY sort, offre", (numero,))
        places = [json.loads(r) for (r,) in rows]
        return sorted(places, key=lambda p: bool(p.get("a_distance")))

    def close(self) -> None:
        self.db.close()
        self.folder.cleanup()


def valid_place(place: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The place, without the values the model refuses (said); None when it cannot be shown."""
    for _ in range(10):
        try:
            lieu = Lieu.model_validate(place)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            key = error["loc"][0]
            if key in ("organisme", "offre"):
                return None, f"{key}: {_short(error_message(Lieu, error))}"
            place.pop(key, None)
            continue
        if not lieu.a_distance and not (lieu.code_postal and lieu.commune):
            return None, "no postal code or town, and not at a distance"
        place["offre"]["empreinte"] = empreinte_lieu(lieu)
        return place, None
    return None, "refused by the model"


def import_offres(export: Path, documents: list[Member], content: Path, numeros: set[str], date: str | None,
                  source: str | None, dry_run: bool, out: TextIO) -> OffresSummary:
    folder = content / "fiches"
    catalogue = catalogue_numbers(folder)
    wanted = {n for n in catalogue if not numeros or n in numeros}
    missing = sorted(numeros - set(catalogue))
    if missing:
        raise BuildError(f"not in the catalogue: {', '.join(missing)}; import their fiches first")
    source = source or source_name(export)
    stamp = date or _file_date(export) or dt.date.today().isoformat()
    summary = OffresSummary()
    spill = Spill()
    staging = files.Staging(folder)
    try:
        for document in documents:
            for formation in elements(document, "formation"):
                codes, places = formation_places(formation, source, stamp)
                summary.formations += 1
                summary.actions += len(places)
                if not codes:
                    summary.without_code += 1
                for code in codes:
                    if code not in catalogue:
                        summary.outside[code] += 1
                        continue
                    if code not in wanted:
                        continue
                    for place in places:
                        kept, why = valid_place(json.loads(json.dumps(place)))
                        if kept is None:
                            summary.left_out += 1
                            print(Note(code, f"offer {place['offre']['numero']} « {place.get('organisme', '?')} »",
                                       "left out", why or "").format(), file=out)
                        else:
                            spill.add(code, kept)
        marked = [n for n in sorted(wanted) if f"source: {source}" in catalogue[n].read_text(encoding="utf-8", errors="replace")]
        numbers = sorted(spill.numbers() | set(marked), key=lambda n: (n[:2], int(re.sub(r"\D", "", n))))
        for start in range(0, len(numbers), BATCH):
            _write_batch([(n, catalogue[n], spill.places(n)) for n in numbers[start:start + BATCH]], source, staging, dry_run, summary, out)
        summary.places = sum(summary.places_by_action[k] for k in ("added", "updated", "kept"))
        if not dry_run:
            staging.commit()
    except BaseException:
        staging.abort()
        raise
    finally:
        spill.close()
    return summary


BATCH = 256  # fiches whose places are read from the spill file, then written on all cores
PARALLEL_FROM = 32


def _write_batch(batch: list[tuple[str, Path, list[dict[str, Any]]]], source: str, staging: files.Staging, dry_run: bool,
                 summary: OffresSummary, out: TextIO) -> None:
    if len(batch) >= PARALLEL_FROM:
        from ..reference.geo import gazetteer
        from ..content.lint import _french_words

        gazetteer()  # loaded once, before the workers are forked: they share them
        _french_words()
    results: dict[int, Written] = {}
    for chunk in fork_map(lambda j: write_places(*batch[j], source, staging, dry_run), len(batch), chunk=8, minimum=PARALLEL_FROM):
        results.update(chunk)
    for j, (numero, file, _) in enumerate(batch):
        done = results[j]
        summary.fiches[done.action] += 1
        if done.action != "skipped":
            summary.places_by_action.update(done.counts)
        if done.staged is not None:
            staging.staged[file.name] = done.staged
        for line in done.lines:
            print(line, file=out)


def _file_date(path: Path) -> str | None:
    match = re.search(r"(\d{4})[-_]?(\d{2})[-_]?(\d{2})", path.name)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    return None


@dataclass
class Written:
    """What was done with one fiche's file (in a worker, or here)."""

    action: str  # updated, unchanged, skipped
    counts: Counter[str] = field(default_factory=Counter)  # places added, updated, removed, kept
    lines: list[str] = field(default_factory=list)
    staged: Path | None = None


def write_places(numero: str, file: Path, places: list[dict[str, Any]], source: str, staging: files.Staging,
                 dry_run: bool) -> Written:
    """A fiche's file with this source's places replaced by `places`; checked, then staged."""
    from ..content.load import read_text

    raw, unreadable = read_bytes(file, f"content/fiches/{file.name}")
    document = read_text(raw, "x")[0] if raw is not None else None
    data = document.data if document is not None else None
    if unreadable or not isinstance(data, dict):
        return _not_updated(numero, file, raw)
    text = raw.decode("utf-8")
    old = data.get("lieux_preparation") or []
    if not isinstance(old, list):
        return _not_updated(numero, file, raw)
    keep = [not (isinstance(item, dict) and isinstance(item.get("offre"), dict) and item["offre"].get("source") == source)
            for item in old]
    before = {item["offre"].get("numero"): item for item, k in zip(old, keep) if not k}
    counts: Counter[str] = Counter()
    for place in places:
        previous = before.pop(place["offre"]["numero"], None)
        counts["added" if previous is None else "kept" if files._plain(previous) == files._plain(place) else "updated"] += 1
    counts["removed"] = len(before)
    if not counts["added"] and not counts["updated"] and not counts["removed"]:
        return Written("unchanged", counts)
    new_text = files.replace_places(text, data, keep, places)
    problem = files.first_error(files.check(new_text, file.name))
    if problem:
        if files.first_error(files.check(text, file.name)):  # the school's file itself does not pass
            return _not_updated(numero, file, raw)
        return Written("skipped", lines=[Note(numero, "", "skipped", f"the file would not pass `catalogue check`: {problem}").format()])
    staged = None if dry_run else staging.put(file.name, new_text)
    changes = ", ".join(f"{counts[k]} {k}" for k in ("added", "updated", "removed") if counts[k])
    line = f"{'would update' if dry_run else 'updated'} {file} ({len(places)} place(s) from {source}: {changes})"
    return Written("updated", counts, [line], staged)


def _not_updated(numero: str, file: Path, raw: bytes | None) -> Written:
    _, unreadable = read_bytes(file, f"content/fiches/{file.name}")
    problem = unreadable[0].format() if unreadable else files.first_error(files.check(raw.decode("utf-8", errors="replace"), file.name))
    return Written("skipped", lines=[Note(numero, "", "skipped", f"{file} is not updated, because it does not pass `catalogue check` "
                                          f"({problem or 'not a fiche'}); correct it, then import again").format()])


def refuse_mixed(documents: list[Member]) -> None:
    kinds = {d.root for d in documents}
    if len(kinds) > 1:
        raise ImportFileError("this zip mixes an RNCP export and a training offer; import them one at a time")
