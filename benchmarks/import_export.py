"""Import benchmark: a generated export of 50,000 fiches (about 1 GB of XML, twice the real
export), imported whole into an empty catalogue, as `catalogue import --all` does: read,
repaired, written as YAML and checked. Prints the time, the files written and the peak memory
of the import process and of its workers.

The export cycles through the two real fiches of the sample, the records of
`tests/fixtures/export/shapes.xml` (the gaps of real data: each needs repairs) and, one fiche
in fifty, a titre professionnel with 347 habilitated bodies.

    make bench-import
    python -m benchmarks.import_export 10000   # other sizes
"""

from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "tests" / "fixtures" / "export"


def _bodies() -> list[str]:
    sample = re.findall(r"<FICHE>.*?</FICHE>", (EXPORT / "export_fiches_RNCP_V4_1_sample.xml").read_text(encoding="utf-8"), re.S)
    shapes = re.findall(r"<FICHE>.*?</FICHE>", (EXPORT / "shapes.xml").read_text(encoding="utf-8"), re.S)
    partners = "".join(
        f"<PARTENAIRE><NOM_PARTENAIRE>ORGANISME DE FORMATION {i:03d}</NOM_PARTENAIRE><SIRET_PARTENAIRE>{20000000000000 + i * 7919:014d}"
        f"</SIRET_PARTENAIRE><HABILITATION_PARTENAIRE>HABILITATION_ORGA_FORM</HABILITATION_PARTENAIRE>"
        f"<ETAT_HABILITATION>Actif</ETAT_HABILITATION></PARTENAIRE>" for i in range(347))
    titre = re.sub(r"<PARTENAIRES>.*?</PARTENAIRES>", f"<PARTENAIRES>{partners}</PARTENAIRES>", sample[1], flags=re.S)
    return sample * 20 + shapes[:3] + [titre]  # 40 real, 3 to repair, 1 with 347 bodies in every 44


def generate(target: Path, fiches: int) -> int:
    bodies = _bodies()
    with target.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n')
        for i in range(fiches):
            body = bodies[i % len(bodies)]
            out.write(re.sub(r"<NUMERO_FICHE>[^<]*</NUMERO_FICHE>", f"<NUMERO_FICHE>RNCP{100000 + i}</NUMERO_FICHE>", body, count=1))
            out.write("\n")
        out.write("</FICHES>\n")
    return target.stat().st_size


def run_import(path: str, content: str) -> None:
    """Run in a child process, so that its peak memory is the import's alone."""
    sys.path.insert(0, str(ROOT))
    from builder.importers import import_fiches

    started = time.perf_counter()
    summary = import_fiches(Path(path), Path(content), [], True, out=io.StringIO())
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    files = list((Path(content) / "fiches").glob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    print(f"{summary.read:,} fiches imported in {seconds:.1f} s ({summary.read / seconds:,.0f} fiches/s): "
          f"{summary.actions['created']:,} files written ({size / 1e6:,.0f} MB of YAML), "
          f"{summary.actions['skipped']:,} skipped, {sum(summary.left_out.values()):,} items left out, "
          f"{sum(summary.marked.values()):,} marked")
    print(f"peak memory: import process {own:,.0f} MB, each worker at most {workers:,.0f} MB")


def main(fiches: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        export = Path(tmp) / "export_fiches_RNCP_V4_1_2026-08-16.xml"
        size = generate(export, fiches)
        print(f"generated export: {fiches:,} fiches, {size / 1e6:,.0f} MB")
        content = Path(tmp) / "content"
        (content / "fiches").mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "benchmarks.import_export", "--import", str(export), str(content)],
                       cwd=ROOT, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import"]:
        run_import(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
