"""Training offer benchmark: a generated LHEO file shaped like the national offer, imported
into a generated catalogue, as `catalogue import OFFRES.xml` does, then imported again (the
same offer: nothing to change). Prints the file's size, the time, what was written and the
peak memory of the import process.

The offer: about 25 actions for each active fiche of the catalogue (most fiches one to a few
dozen, some hundreds), as many for certifications outside the catalogue, and half as many
formations again without an RNCP number; each formation with its descriptions as escaped HTML (as
real offers carry them), each action in a real town, with coordinates seven times in ten,
sessions, hours and alternance.

    make bench-import                          # with the export benchmark
    python -m benchmarks.import_offres 25638   # other sizes
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from .catalogue import generate, towns, vocabulary

ROOT = Path(__file__).resolve().parent.parent


def offer(target: Path, numbers: list[str], outside: int, seed: int = 474) -> tuple[int, int]:
    """Write the offer file; return its number of formations and actions."""
    rng = random.Random(seed)
    words, cumulative = vocabulary()
    places = towns()

    def sentence(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n)).capitalize() + "."

    def rich(paragraphs: int) -> str:  # escaped HTML, as in the real files
        html = "".join(f"<p>{sentence(rng.randint(12, 30))}</p>" for _ in range(paragraphs))
        return escape(html, quote=False)

    centres = [(f"{sentence(3).rstrip('.')}", f"{rng.randrange(10**13, 10**14):014d}", rng.choice(places)) for _ in range(20000)]
    formations = actions = 0
    codes = [(n, True) for n in numbers] + [(f"RNCP{90000 + i}", False) for i in range(outside)]
    rng.shuffle(codes)
    with target.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="http://www.lheo.org/2.2">\n<offres>\n')
        for code, _ in codes + [("", False)] * (len(codes) // 2):  # and trainings that lead to no RNCP certification
            for _ in range(rng.choice([1, 2, 3, 5, 8, 13])):  # formations for one certification
                formations += 1
                nom, siret, _ = centre = rng.choice(centres)
                out.write(f'<formation numero="F{formations}">\n<intitule-formation>{sentence(6)}</intitule-formation>\n'
                          f"<objectif-formation>{rich(3)}</objectif-formation>\n<resultats-attendus>{rich(1)}</resultats-attendus>\n"
                          f"<contenu-formation>{rich(6)}</contenu-formation>\n<certifiante>1</certifiante>\n")
                if code:
                    out.write(f"<certification><code-RNCP>{code.removeprefix('RNCP') if rng.random() < 0.7 else code}</code-RNCP></certification>\n")
                for a in range(min(60, int(rng.expovariate(1 / 4)) + 1)):
                    actions += 1
                    where = centre[2] if a == 0 else rng.choice(places)
                    code_postal, commune, departement, insee, lat, lon = where
                    mode = rng.choices("012", [80, 15, 5])[0]
                    geo = (f"<geolocalisation><latitude>{lat + rng.uniform(-0.03, 0.03):.6f}</latitude>"
                           f"<longitude>{lon + rng.uniform(-0.04, 0.04):.6f}</longitude></geolocalisation>") if rng.random() < 0.7 else ""
                    year = rng.choice([2026, 2027])
                    out.write(f'<action numero="A{actions}">\n<rythme-formation>Temps plein</rythme-formation>\n'
                              f"<modalites-alternance>{rich(1) if rng.random() < 0.4 else '-'}</modalites-alternance>\n"
                              f"<modalites-enseignement>{mode}</modalites-enseignement>\n"
                              f"<lieu-de-formation><coordonnees><ligne>{nom}</ligne><adresse><ligne>{rng.randint(1, 200)} rue "
                              f"{rng.choice(words).capitalize()}</ligne><codepostal>{code_postal}</codepostal><ville>{commune.upper()}</ville>"
                              f"<departement>{departement}</departement><code-INSEE-commune>{insee}</code-INSEE-commune>"
                              f"<pays>FR</pays>{geo}</adresse></coordonnees></lieu-de-formation>\n"
                              f"<url-action><urlweb>https://formation.example/{actions}</urlweb></url-action>\n"
                              f"<session><periode><debut>{year}09{rng.choice(['01', '15', '00'])}</debut><fin>{year + 1}0630</fin></periode></session>\n"
                              f"<nombre-heures-total>{rng.randrange(300, 1800, 50)}</nombre-heures-total>\n</action>\n")
                out.write(f"<organisme-formation-responsable><SIRET-organisme-formation><SIRET>{siret}</SIRET></SIRET-organisme-formation>"
                          f"<nom-organisme>{nom}</nom-organisme></organisme-formation-responsable>\n</formation>\n")
        out.write("</offres>\n</lheo>\n")
    return formations, actions


def run_import(path: str, root: str) -> None:
    """Run in a child process, so that its peak memory is the import's alone."""
    sys.path.insert(0, str(ROOT))
    from builder.cli import main

    started = time.perf_counter()
    code = main(["import", path, "--root", root])
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  imported in {seconds:.1f} s (exit code {code}); peak memory: import process {own:,.0f} MB, "
          f"each worker at most {workers:,.0f} MB")


def main(fiches: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-offres-") as tmp:
        project = generate(Path(tmp) / "project", fiches)
        files = sorted((project / "content" / "fiches").glob("*.yaml"))
        numbers = [f.stem.upper() for f in files if "\nactif: true\n" in f.read_text(encoding="utf-8")]
        target = Path(tmp) / "offres-bench-2026-11-01.xml"
        started = time.perf_counter()
        formations, actions = offer(target, numbers, outside=len(numbers))
        print(f"\n{fiches:,} fiches ({len(numbers):,} with offers): offer file of {target.stat().st_size / 1e6:,.0f} MB, "
              f"{formations:,} formations, {actions:,} actions (written in {time.perf_counter() - started:.1f} s)")
        for label in ("first import", "same offer again"):
            print(f"{label}:")
            subprocess.run([sys.executable, "-m", "benchmarks.import_offres", "--import", str(target), str(project)],
                           cwd=ROOT, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import"]:
        run_import(sys.argv[2], sys.argv[3])
    else:
        for size in [int(a) for a in sys.argv[1:]] or [25638]:
            main(size)
