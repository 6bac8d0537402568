"""Search: what each fiche can be filtered by, and the Pagefind index of the written site.

Fiche pages carry their filters and result metadata as `data-pagefind-*` attributes (see
`_partials/macros.html`), and each of their blocs as a section headed by the bloc's code,
which Pagefind returns as a sub-result. One index entry per fiche, not one per page:
Pagefind's per-language table of pages, which the first query downloads whole, stays a
third of the size (72 KB instead of 231 KB at 10,000 fiches and their 25,000 blocs).
After the pages are written, the Pagefind binary indexes them into `pagefind/`.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import Catalogue
from .errors import BuildError
from .model import Fiche
from .carte import departement, places
from .nomenclature import NIVEAUX, VOIES_COURTES
from .urls import INDEXED_PAGES, certificateur_slug, code_slug

# Filter keys in the order the search page shows them, with their French labels.
FILTRES = {
    "niveau": "Niveau",
    "statut": "Statut",
    "voie": "Voie d’accès",
    "region": "Région de préparation",
    "departement": "Département de préparation",
    "nsf": "Domaine (NSF)",
    "rome": "Métier (ROME)",
    "certificateur": "Certificateur",
    "distance": "À distance",
}
A_DISTANCE = "Préparation à distance possible"


def niveau_libelle(fiche: Fiche) -> str:
    return NIVEAUX[fiche.niveau].libelle if fiche.niveau else "Sans niveau de qualification"


def statut_libelle(catalogue: Catalogue, fiche: Fiche) -> str:
    return "Active" if catalogue.est_active(fiche) else "Inactive"


def filtres(catalogue: Catalogue, fiche: Fiche) -> dict[str, list[str]]:
    """The values of each filter for a fiche (its blocs share them), without duplicates.

    NSF, ROME and certifier values are the taxonomy labels, so that two spellings of one
    certifier are one filter value, as they are one page.
    """
    terms = catalogue.term_index()
    voies = fiche.voies_acces
    sur_place = [place for place in places(fiche)[0] if not place.lieu.a_distance]
    departements = [d for d in map(departement, sur_place) if d]  # as on the région and département pages
    values = {
        "niveau": [niveau_libelle(fiche)],
        "statut": [statut_libelle(catalogue, fiche)],
        "voie": [label for key, label in VOIES_COURTES.items() if getattr(voies, key).actif],
        "region": [d.region for d in departements],
        "departement": [f"{d.nom} ({d.code})" for d in departements],
        "nsf": [terms["nsf", code_slug(n.code)].titre for n in fiche.nsf],
        "rome": [terms["rome", code_slug(r.code)].titre for r in fiche.rome],
        "certificateur": [terms["certificateurs", certificateur_slug(c.nom)].libelle for c in fiche.certificateurs],
        "distance": [A_DISTANCE] if any(lieu.a_distance or lieu.mixte for lieu in fiche.lieux_preparation) else [],
    }
    return {key: list(dict.fromkeys(found)) for key, found in values.items() if found}


@dataclass(frozen=True)
class Index:
    pages: int
    words: int
    files: int
    bytes: int
    parts: int = 1
    indexed: tuple[str, ...] = ()  # per part: a hash of the pages it was made from (see build.py)
    part_words: tuple[int, ...] = ()  # per part: the words Pagefind counted
    fragments: dict[str, str] = field(default_factory=dict, compare=False)  # fragment file -> page address


# The index in parts. Pagefind holds everything it indexes in memory (about 0.3 MB per fiche
# page, 12 GB for the whole RNCP in one run), and re-indexes all it is given. So the fiche
# pages are shared among parts of at most PAGES_PER_PART, each indexed by its own run into
# its own bundle; the search page merges them (`mergeIndex`). A fiche's part depends on its
# address only, so an edit re-indexes one part. Part 0 is the main bundle, with Pagefind's
# script; the others hold only their data.
PAGES_PER_PART = 4000
PARTS_FOLDER = "parties/"
# Pagefind's ready-made interfaces: the search page has its own, so they are not published.
_UNUSED = re.compile(r"pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$")
_SCRIPT = re.compile(r"(pagefind\.js|pagefind-worker\.js|wasm\.[a-z_-]+\.pagefind)$")


def parts_for(fiches: int) -> int:
    """How many parts the index of this many fiche pages is cut into."""
    return max(1, -(-fiches // PAGES_PER_PART))


def part_of(path: str, parts: int) -> int:
    """The part a page is indexed in: from a hash of its address, so that parts are even and a
    page stays in its part while the catalogue grows (until the number of parts changes)."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % parts


def assign(paths: list[str]) -> list[list[str]]:
    """The pages of each part, by `part_of`. The first part holds Pagefind's script: when no
    page falls in it (with few pages a part), it takes the first page of the largest part. The
    other parts may be empty: they have no bundle, and the search page merges the others."""
    parts = parts_for(len(paths))
    found: list[list[str]] = [[] for _ in range(parts)]
    for path in sorted(paths):
        found[part_of(path, parts)].append(path)
    if paths and not found[0]:
        largest = max(range(parts), key=lambda k: (len(found[k]), -k))
        found[0].append(found[largest].pop(0))
    return found


def part_folder(part: int) -> str:
    """The folder of a part's bundle, inside the search bundle."""
    return "" if part == 0 else f"{PARTS_FOLDER}{part}/"


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
