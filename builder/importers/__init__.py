"""`catalogue import`: official data into the catalogue's YAML fiches.

The importers, by what they read:
- `rncp_xml`: France compétences' XML flux (v4.1) of the RNCP or the RS, zipped or not;
- `rncp_csv`: the same export as a zip of CSV tables.

`sources` opens the file safely and recognises it; `values` converts the official text;
`repair` makes each record publishable and says what it left out or marked; `files` writes
the fiches (merged with the school's additions), each checked as `catalogue check` will.

A run is all or nothing: the files are staged and put in place once the whole export has
been read; a file that cannot be read leaves `content/` untouched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import BuildError
from ..parallel import fork_map
from ..importers import files
from .repair import Note, repair
from .sources import ImportFileError, elements, members

SOURCE = "France compétences (data.gouv.fr)"


@dataclass
class Outcome:
    numero: str
    path: Path | None
    action: str  # created, updated, unchanged, skipped
    changed: list[str] = field(default_factory=list)


@dataclass
class Summary:
    """What an import did, for its last lines and its exit code."""

    read: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)  # by field: partenaires, rome…
    marked: Counter[str] = field(default_factory=Counter)
    corrected: int = 0
    missing: list[str] = field(default_factory=list)  # numbers asked for and absent
    skipped_asked: list[str] = field(default_factory=list)  # numbers asked for and skipped

    def count(self, notes: Iterable[Note]) -> None:
        for note in notes:
            if note.action == "left out":
                self.left_out[note.kind] += 1
            elif note.action == "marked":
                self.marked[note.kind] += 1
            elif note.action == "corrected":
                self.corrected += 1

    def lines(self, source: str, dry_run: bool) -> list[str]:
        a = self.actions
        would = "would be " if dry_run else ""
        def counted(counter: Counter[str]) -> str:
            detail = ", ".join(f"{kind} {n}" for kind, n in sorted(counter.items()))
            return f"{sum(counter.values())}" + (f" ({detail})" if detail else "")

        return [
            f"{self.read} fiche(s) read from {source}: {a['created']} {would}created, {a['updated']} {would}updated, "
            f"{a['unchanged']} unchanged, {a['skipped']} skipped",
            f"items left out: {counted(self.left_out)}; marked: {counted(self.marked)}; corrected: {self.corrected}",
            "nothing written (--dry-run)" if dry_run else "run `catalogue check`, then add your preparation places",
        ]


def export_date(path: Path, given: str | None) -> str:
    """The export's date: given, else from its name (`…_2026-08-16.xml`), else today."""
    if given:
        return given
    match = re.search(r"(\d{4})[-_](\d{2})[-_](\d{2})", path.name)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            pass
    return dt.date.today().isoformat()


def records(export: Path, wanted: set[str] | None, documents: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """The fiches of an export file, whatever its packaging, converted but not yet repaired."""
    from .rncp_xml import from_xml

    documents = members(export) if documents is None else documents
    if not documents:
        import zipfile

        from .rncp_csv import iter_csv_zip, table_name
        from .sources import damaged

        try:
            with zipfile.ZipFile(export) as archive:
                if not any(table_name(n) for n in archive.namelist()):
                    raise ImportFileError(f"{export.name} holds neither an XML export nor the CSV tables "
                                          "(export_fiches_CSV_….csv) of France compétences")
                yield from iter_csv_zip(archive, wanted)
        except damaged as exc:
            raise ImportFileError(f"{export.name} is a damaged zip ({exc}); download it again") from None
        return
    for document in documents:
        if document.root != "FICHES":
            raise ImportFileError(f"{document.shown} is neither France compétences' export nor a training offer: "
                                  f"its root element is <{document.root}>, expected <FICHES> or <lheo>")
    for document in documents:
        for element in elements(document, "FICHE"):
            yield from_xml(element)


def run(export: Path, content: Path, numeros: Iterable[str], everything: bool, date: str | None = None,
        dry_run: bool = False, source: str | None = None, out: TextIO | None = None) -> tuple[Any, str]:
    """`catalogue import`, whatever the file: the RNCP export (XML or CSV), or the national
    training offer (LHEO). Returns its summary and the kind of file."""
    import sys

    out = out or sys.stdout
    documents = members(export)
    if documents and any(d.root == "lheo" for d in documents):
        from .offres import import_offres, refuse_mixed

        refuse_mixed(documents)
        wanted = {n.strip().upper().replace(" ", "") for n in numeros}
        return import_offres(export, documents, content, wanted, date, source, dry_run, out), "offres"
    return import_fiches(export, content, numeros, everything, date, dry_run, out, documents), "fiches"


def import_fiches(export: Path, content: Path, numeros: Iterable[str], everything: bool,
                  date: str | None = None, dry_run: bool = False, out: TextIO | None = None,
                  documents: list[Any] | None = None) -> Summary:
    """Import the fiches named (or every one) into `content/fiches/`; print a line per fiche and
    per element left out or marked. Raises BuildError when nothing can be imported."""
    import sys

    from ..content.fieldtypes import NUMERO_PATTERN

    out = out or sys.stdout
    wanted = {n.strip().upper().replace(" ", "") for n in numeros}
    bad = sorted(n for n in wanted if not re.fullmatch(NUMERO_PATTERN, n))
    if bad:
        raise BuildError(f"{', '.join(bad)} is not a fiche number like RNCP35809 or RS5000")
    if not wanted and not everything:
        raise BuildError("name the fiches to import (RNCP35809 …), or --all")
    stamp = export_date(export, date)
    run = Run(content / "fiches", files.Staging(content / "fiches"), stamp, dry_run, wanted, out)
    try:
        batch: list[dict[str, Any]] = []
        for data in records(export, None if everything else wanted, documents):
            if everything or data.get("numero") in wanted:
                batch.append(data)
            if len(batch) >= BATCH:
                run.batch(batch)
                batch = []
        run.batch(batch)
        run.summary.missing = sorted(wanted - set(run.done) - set(run.summary.skipped_asked))
        if run.summary.missing:
            raise BuildError(f"not in this export: {', '.join(run.summary.missing)}")
        if not dry_run:
            run.staging.commit()
    except BaseException:
        run.staging.abort()
        raise
    return run.summary


BATCH = 512  # records read before they are repaired, written and checked, on all cores
PARALLEL_FROM = 64  # records of a batch; fewer are done in this process


@dataclass
class Run:
    """One import: the fiches done so far, and what is printed of them, in the export's order."""

    folder: Path
    staging: files.Staging
    stamp: str
    dry_run: bool
    wanted: set[str]
    out: TextIO
    summary: Summary = field(default_factory=Summary)
    done: dict[str, str] = field(default_factory=dict)  # number -> what was done with its file

    def one(self, data: dict[str, Any]) -> tuple[Outcome | None, list[Note], Path | None]:
        """Repair, render, check and stage one record (in a worker, or here)."""
        data["source_officielle"] = {"nom": SOURCE, "date_export": self.stamp}
        fiche, notes = repair(data)
        if fiche is None:
            return None, notes, None
        outcome, more, staged = write(self.folder, self.staging, data, fiche, self.dry_run)
        return outcome, notes + more, staged

    def batch(self, batch: list[dict[str, Any]]) -> None:
        """The records of a batch, on all cores; a number seen before is done after the others,
        here, so that its later record is merged into the file of the first."""
        first: list[int] = []
        later: list[int] = []
        numbers = set(self.done)
        for i, data in enumerate(batch):
            (later if data.get("numero") in numbers else first).append(i)
            numbers.add(data.get("numero"))
        if len(first) >= PARALLEL_FROM:
            from ..reference.geo import gazetteer
            from ..content.lint import _french_words

            gazetteer()  # loaded once, before the workers are forked: they share them
            _french_words()
        results: dict[int, tuple[Outcome | None, list[Note], Path | None]] = {}
        for chunk in fork_map(lambda j: self.one(batch[first[j]]), len(first), chunk=16, minimum=PARALLEL_FROM):
            results.update((first[j], result) for j, result in chunk)
        for i in sorted(first + later):
            if i in later:
                results[i] = self.one(batch[i])
            self.report(batch[i], *results[i])

    def report(self, data: dict[str, Any], outcome: Outcome | None, notes: list[Note], staged: Path | None) -> None:
        if outcome is not None:
            if staged is not None:
                self.staging.staged[staged.name] = staged
            again = self.done.get(outcome.numero)
            if again is not None:
                notes.append(Note(outcome.numero, "", "corrected", "listed twice in the export: the later record is kept"))
                self.summary.actions[again] -= 1  # one file, counted once
                if again == "created" and outcome.action in ("updated", "unchanged"):
                    outcome.action = "created"
            self.done[outcome.numero] = outcome.action
        self.summary.read += 1
        self.summary.count(notes)
        for note in notes:
            print(note.format(), file=self.out)
        if outcome is None:
            outcome = Outcome(data.get("numero") or "", None, "skipped")
        self.summary.actions[outcome.action] += 1
        if outcome.action == "skipped" and outcome.numero in self.wanted:
            self.summary.skipped_asked.append(outcome.numero)
        if outcome.path is not None:
            verb = {"created": "would create", "updated": "would update"}.get(outcome.action, outcome.action) if self.dry_run else outcome.action
            detail = f" ({', '.join(outcome.changed)})" if outcome.action == "updated" else ""
            print(f"{verb} {outcome.path}{detail}", file=self.out)


def write(folder: Path, staging: files.Staging, data: dict[str, Any], fiche: Any,
          dry_run: bool) -> tuple[Outcome, list[Note], Path | None]:
    """Render (or merge), check, and stage one fiche."""
    numero = fiche.numero
    name = f"{numero.lower()}.yaml"
    target = folder / name
    data["source_officielle"]["empreintes"] = files.fingerprints(fiche)
    data = files.ordered({k: value for k, value in data.items() if value not in (None, "", [], {}) or k == "certificateurs"})
    previous = staging.staged.get(name)
    existing = previous if previous is not None else (target if target.is_file() else None)
    if existing is None:
        text = files.HEADER.format(date=data["source_officielle"]["date_export"]) + files.emit(data)
        action, changed = "created", list(data)
    else:
        from ..content.load import read_bytes

        raw, unreadable = read_bytes(existing, str(target))
        old = files.check(raw.decode("utf-8", errors="replace"), name) if raw is not None else None
        problem = unreadable[0].format() if unreadable else (files.first_error(old) if old else None)
        if problem or old is None or old.fiche is None:
            return Outcome(numero, target, "skipped"), [Note(numero, "", "skipped", (
                f"{target} is not updated, because it does not pass `catalogue check` ({problem}); "
                "correct it, then import again"))], None
        if files.official_view(old.fiche) == files.official_view(_fiche_of(data)):
            return Outcome(numero, target, "unchanged"), [], None
        text, changed = files.merge(raw.decode("utf-8"), data)
        action = "updated"
    checked = files.check(text, name)
    problem = files.first_error(checked)
    if problem or checked.fiche is None or files.fingerprints(checked.fiche) != data["source_officielle"]["empreintes"]:
        why = problem or "its official fields would not read back as imported"
        return Outcome(numero, target, "skipped"), [Note(numero, "", "skipped", f"the file would not pass `catalogue check`: {why}")], None
    staged = None if dry_run else staging.put(name, text)
    return Outcome(numero, target, action, changed), [], staged


def _fiche_of(data: dict[str, Any]) -> Any:
    from ..content.model import Fiche

    return Fiche.model_validate(data, context={"numero": data.get("numero")})
