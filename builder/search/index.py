"""The Pagefind index of the written site, in parts.

Fiche pages carry their filters and result metadata as `data-pagefind-*` attributes (see
`filtres.py` and `_partials/macros.html`), and each of their blocs as a section headed by the bloc's code,
which Pagefind returns as a sub-result. One index entry per fiche, not one per page:
Pagefind's per-language table of pages, which the first query downloads whole, stays a
third of the size (72 KB instead of 231 KB at 10,000 fiches and their 25,000 blocs).
After the pages are written, the Pagefind binary indexes them into `pagefind/`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..files import digest
from ..output.write import Output
from ..pages.urls import INDEXED_PAGES, SEARCH_BUNDLE
from ..progress import Progress
from .proximite import FOLDER as NEAR_ME, fragment_address

@dataclass(frozen=True)
class Index:
    pages: int
    words: int
    files: int
    bytes: int
    parts: int = 1
    indexed: tuple[str, ...] = ()  # per part: a hash of its folder and the pages it was made from (see build.py)
    part_words: tuple[int, ...] = ()  # per part: the words Pagefind counted
    folders: tuple[str, ...] = ()  # per part: its folder in the bundle (see `Part`)
    fragments: dict[str, str] = field(default_factory=dict, compare=False)  # fragment file -> page address


# The index in parts. Pagefind holds everything it indexes in memory (about 0.3 MB per fiche
# page, 12 GB for the whole RNCP in one run), and re-indexes all it is given. So the fiche
# pages are shared among parts of at most PAGES_PER_PART, each indexed by its own run into
# its own bundle; the search page merges them (`mergeIndex`). A fiche's part depends on its
# address only, so an edit re-indexes one part. Part 0 is the main bundle, with Pagefind's
# script; the others hold only their data.
PAGES_PER_PART = 4000
PARTS_FOLDER = "parties/"
# With `recherche_inactives: a_la_demande`, inactive fiches have an index of their own, in parts
# too, which the search page merges only when asked (see `plan_parts`). Pagefind holds a summary
# page in 0.12 MB, a whole page in 0.27 MB (measured on the generated national catalogue): a part
# holds three times as many summaries, in about 1.5 GB, and fewer parts make a lighter query.
INACTIVES_FOLDER = "inactives/"
SUMMARIES_PER_PART = 3 * PAGES_PER_PART
# Pagefind's ready-made interfaces: the search page has its own, so they are not published.
_UNUSED = re.compile(r"pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$")
_SCRIPT = re.compile(r"(pagefind\.js|pagefind-worker\.js|wasm\.[a-z_-]+\.pagefind)$")


def parts_for(fiches: int, per_part: int | None = None) -> int:
    """How many parts the index of this many fiche pages is cut into."""
    return max(1, -(-fiches // (per_part or PAGES_PER_PART)))


def part_of(path: str, parts: int) -> int:
    """The part a page is indexed in: from a hash of its address, so that parts are even and a
    page stays in its part while the catalogue grows (until the number of parts changes)."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % parts


def assign(paths: list[str]) -> list[list[str]]:
    """The pages of each part, by `part_of`. The first part holds Pagefind's script: when no
    page falls in it (with few pages a part), it takes the first page of the largest part. The
    other parts may be empty: they have no bundle, and the search page merges the others."""
    parts = parts_for(len(paths))
    found = _by_hash(paths, parts)
    if paths and not found[0]:
        largest = max(range(parts), key=lambda k: (len(found[k]), -k))
        found[0].append(found[largest].pop(0))
    return found


def _by_hash(paths: list[str], parts: int) -> list[list[str]]:
    """The pages of each of `parts` parts, by `part_of`, in order."""
    found: list[list[str]] = [[] for _ in range(parts)]
    for path in sorted(paths):
        found[part_of(path, parts)].append(path)
    return found


def part_folder(part: int) -> str:
    """The folder of a part's bundle, inside the search bundle."""
    return "" if part == 0 else f"{PARTS_FOLDER}{part}/"


@dataclass(frozen=True)
class Part:
    folder: str  # inside the search bundle: "" for the main part (with Pagefind's script)
    pages: list[str]
    inactive: bool = False  # merged by the search page only when asked (`recherche_inactives`)


def plan_parts(paths: list[str], inactives: frozenset[str] = frozenset(), summaries: bool = False) -> list[Part]:
    """The parts of the index: the active fiches' pages in `assign`'s parts; with `inactives`
    (the pages of inactive fiches, when they are searched on request), those in parts of their
    own, under `inactives/`, of SUMMARIES_PER_PART pages when they are `summaries`. Empty
    inactive parts have no bundle. Without an active page, or without an inactive one, there
    is one index, as without the setting."""
    active = [p for p in paths if p not in inactives]
    inactive = [p for p in paths if p in inactives]
    if not active or not inactive:
        return [Part(part_folder(k), pages) for k, pages in enumerate(assign(paths))]
    parts = [Part(part_folder(k), pages) for k, pages in enumerate(assign(active))]
    count = parts_for(len(inactive), SUMMARIES_PER_PART if summaries else PAGES_PER_PART)
    return parts + [Part(f"{INACTIVES_FOLDER}{k}/", pages, True) for k, pages in enumerate(_by_hash(inactive, count)) if pages]


def index_part(site: Path, bundle: Path, script: bool) -> tuple[Index, dict[str, bytes]]:
    """Run Pagefind on the pages of `site` (one part); return what it says and the files to
    publish (paths inside the part's bundle), made byte-identical from one run to the next:
    Pagefind's script and WebAssembly only with `script` (the main part)."""
    from pagefind_bin import get_executable  # the binary shipped in the pagefind-bin wheel

    command = [str(get_executable()), "--site", str(site), "--glob", INDEXED_PAGES, "--output-path", str(bundle)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except OSError as exc:
        raise BuildError(f"search index: cannot run Pagefind ({exc})") from None
    if result.returncode != 0:
        detail = " | ".join(line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip())[-600:]
        raise BuildError(f"search index: Pagefind failed (exit code {result.returncode}): {detail}")
    _stabilise(bundle)
    files = {}
    for file in sorted(p for p in bundle.rglob("*") if p.is_file()):
        name = file.relative_to(bundle).as_posix()
        if not _UNUSED.search(name) and (script or not _SCRIPT.fullmatch(name)):
            files[name] = file.read_bytes()
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    words = re.search(r"Indexed (\d+) words?", result.stdout)
    return Index(int(pages[1]) if pages else 0, int(words[1]) if words else 0, len(files),
                 sum(map(len, files.values()))), files


_PREFIX = b"pagefind_dcd"  # Pagefind's marker before the CBOR body of its data files


def _stabilise(bundle: Path) -> None:
    """Make the bundle byte-identical from one build to the next.

    Pagefind 1.5.2 writes its fragments and word index deterministically, but each filter
    file lists its values in a random (hash map) order, and so do the filter names in the
    language's `.pf_meta`; their content-hashed names change with each run (upstream issue
    #638). We sort them, rename the files from their new content, and point `.pf_meta` and
    `pagefind-entry.json` at the new names. Search results are unchanged: only orders and
    names differ.
    """
    import gzip
    import hashlib

    import cbor2

    def read(file: Path) -> object:
        raw = gzip.decompress(file.read_bytes())
        if not raw.startswith(_PREFIX):
            raise BuildError(f"search index: unexpected content in {file.name} (Pagefind version?)")
        return cbor2.loads(raw[len(_PREFIX):])

    def encode(data: object) -> tuple[bytes, str]:
        raw = _PREFIX + cbor2.dumps(data)
        return gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()

    entry_file = bundle / "pagefind-entry.json"
    entry = entry_file.read_text(encoding="utf-8")
    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        old_hash = meta_file.name.removeprefix("pagefind.").removesuffix(".pf_meta")  # fr_<hash>
        language = old_hash.split("_")[0]
        meta = read(meta_file)
        filters = {}
        for old_name in sorted({name for _, name in meta[3]}):  # read all, then write: no name clash
            old_file = bundle / "filter" / f"{old_name}.pf_filter"
            filters[old_name] = read(old_file)
            old_file.unlink()
        renamed = {}
        for old_name, (key, values) in filters.items():
            content, digest = encode([key, sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])])
            renamed[old_name] = f"{language}_{digest[:7]}"
            (bundle / "filter" / f"{renamed[old_name]}.pf_filter").write_bytes(content)
        meta[3] = sorted([key, renamed[name]] for key, name in meta[3])
        content, digest = encode(meta)
        meta_file.unlink()
        (bundle / f"pagefind.{language}_{digest[:10]}.pf_meta").write_bytes(content)
        entry = entry.replace(f'"{old_hash}"', f'"{language}_{digest[:10]}"')
    entry_file.write_text(entry, encoding="utf-8")


_INDEXED = re.compile(re.escape(INDEXED_PAGES).replace(r"\*", "[^/]*"))  # as Pagefind reads the glob


def index_site(output: Output, progress: Progress, later: bool = False,
               extra: Callable[[dict[str, str]], dict[str, bytes]] | None = None,
               inactives: frozenset[str] = frozenset(), summaries: bool = False) -> tuple[Index | None, bool]:
    """Index the fiche pages for search, in parts (see search.py): each part whose pages
    changed since it was last indexed is indexed again, the others are kept. `extra` gives
    files to add to the bundle once every part is in place (the places for search near me),
    from each page's Pagefind id (page address -> id): they are made again at every build,
    since they show more of the catalogue than the pages indexed. With `later`, parts whose
    pages changed are not indexed: the previous index is kept whole, and the result says it
    is stale (then `extra` waits too: it needs the new ids). `inactives` and `summaries`: see
    `plan_parts`."""
    indexed = sorted(path for path in output.hashes if _INDEXED.fullmatch(path))
    plan = plan_parts(indexed, inactives, summaries)  # one fiche page per fiche, as the search page counts them
    made = tuple(digest((part.folder + "\n" + "".join(f"{p}\0{output.hashes[p]}\n" for p in part.pages)).encode())
                 for part in plan)
    previous = output.previous
    before: Index | None = previous.index if previous is not None else None  # type: ignore[assignment]
    if previous is not None and later and (before is None or before.indexed != made):
        for path in previous.hashes:
            if path.startswith(SEARCH_BUNDLE):
                output.keep(path)
        return before, True
    kept = dict(zip(before.indexed, before.part_words)) if before is not None else {}  # a part's hash names its folder
    if any(digest_ not in kept for digest_ in made):
        progress.start("indexing for search", 0)
    words: list[int] = []  # per part
    for part, digest_ in zip(plan, made):
        if digest_ in kept:  # kept, with its count
            assert previous is not None
            for path in previous.hashes:
                if path.startswith(SEARCH_BUNDLE) and _part_of_file(path) == part.folder:
                    output.keep(path)
            words.append(kept[digest_])
            continue
        if not part.pages:  # an empty part has no bundle (see search.assign)
            words.append(0)
            continue
        index, files = _index_part(output, part.pages, script=part.folder == "")
        words.append(index.words)
        for name, data in files.items():
            output.write(SEARCH_BUNDLE + part.folder + name, data)
    known = before.fragments if before is not None else {}
    fragments = {path: known.get(path) or fragment_address(output.file(path)) for path in sorted(output.hashes)
                 if path.startswith(SEARCH_BUNDLE) and path.endswith(".pf_fragment")}  # kept parts: not read again
    if extra is not None:
        ids = {address: path.rsplit("/", 1)[1].removesuffix(".pf_fragment") for path, address in fragments.items()}
        for path, data in extra(ids).items():
            output.write(SEARCH_BUNDLE + path, data)
    files = [path for path in output.hashes if path.startswith(SEARCH_BUNDLE)]
    total = Index(len(indexed), sum(words), len(files), sum(output.file(p).stat().st_size for p in files),
                  len(plan), made, tuple(words), tuple(part.folder for part in plan), fragments)
    return total, False


def _part_of_file(path: str) -> str | None:
    """The folder of the part a file of the search bundle belongs to (None: the places for
    search near me)."""
    inside = path[len(SEARCH_BUNDLE):]
    for folder in (PARTS_FOLDER, INACTIVES_FOLDER):
        if inside.startswith(folder):
            return folder + inside[len(folder):].split("/", 1)[0] + "/"
    return None if inside.startswith(NEAR_ME) else ""


def _index_part(output: Output, indexed: list[str], script: bool) -> tuple[Index, dict[str, bytes]]:
    """Index these pages of the new site, through a view of it (links to the files)."""
    view = Path(tempfile.mkdtemp(prefix=output.staging.name + "-index-", dir=output.staging.parent))
    try:
        for path in indexed:
            (view / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(output.file(path), view / path)
        return index_part(view, view.parent / (view.name + "-bundle"), script)
    finally:
        shutil.rmtree(view, ignore_errors=True)
        shutil.rmtree(view.parent / (view.name + "-bundle"), ignore_errors=True)
