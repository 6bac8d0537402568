"""Import benchmark: stream a generated export of 50,000 fiches (the two real fiches of the
sample, repeated with new numbers: about 1 GB of XML, twice the real export) and print the time
and the peak memory of reading and converting every fiche.

    make bench-import
    python -m benchmarks.import_export 10000   # other sizes
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "export" / "export_fiches_RNCP_V4_1_sample.xml"


def generate(target: Path, fiches: int) -> int:
    text = SAMPLE.read_text(encoding="utf-8")
    bodies = re.findall(r"<FICHE>.*?</FICHE>", text, re.S)
    with target.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n')
        for i in range(fiches):
            body = bodies[i % len(bodies)]
            numero = re.search(r"<NUMERO_FICHE>(RNCP\d+)</NUMERO_FICHE>", body)[1]
            out.write(body.replace(numero, f"RNCP{100000 + i}"))
            out.write("\n")
        out.write("</FICHES>\n")
    return target.stat().st_size


def stream(path: str) -> None:
    """Run in a child process, so that its peak memory is the import's alone."""
    sys.path.insert(0, str(ROOT))
    from builder.importers import records as read_export

    started = time.perf_counter()
    count = blocs = 0
    for fiche in read_export(Path(path)):
        count += 1
        blocs += len(fiche.get("blocs", []))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count:,} fiches ({blocs:,} blocs) read and converted in {seconds:.1f} s "
          f"({count / seconds:,.0f} fiches/s); peak memory {peak:,.0f} MB")


def main(fiches: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        export = Path(tmp) / "export_fiches_RNCP_V4_1_2026-08-16.xml"
        size = generate(export, fiches)
        print(f"generated export: {fiches:,} fiches, {size / 1e6:,.0f} MB")
        subprocess.run([sys.executable, "-m", "benchmarks.import_export", "--stream", str(export)], cwd=ROOT, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stream"]:
        stream(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
