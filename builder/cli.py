"""The `catalogue` command: build, check, serve, new, schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import build, check
from .inputs import make_urls
from .report import Report, Steps
from .config import Config, build_date
from .errors import BuildError, ContentError, Problem
from .progress import Progress
from .content.schema import fiche_schema
from .content.settings import read_site


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as exc:
        _print_problems(exc.problems, args.format)
        errors = sum(p.severity == "error" for p in exc.problems)
        warnings = len(exc.problems) - errors
        official = sum(p.officiel for p in exc.problems)
        strict = ""
        if args.strict and warnings > official:
            strict = " (--strict: warnings count as errors" + (f", except the {official} on official data as imported)" if official else ")")
        print(f"{errors} error(s), {warnings} warning(s){strict}; nothing was written", file=sys.stderr)
        return 1
    except BuildError as exc:
        print(args.failure.format(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _config(args: argparse.Namespace) -> Config:
    root = Path(args.root)
    try:
        today = build_date(args.today)
    except ValueError:
        raise BuildError(f"--today: expected a date like 2026-11-23, found {args.today!r}") from None
    out = Path(args.out) if getattr(args, "out", None) else root / "site"
    return Config(
        root=root,
        out=out,
        base_path=getattr(args, "base_path", None),
        today=today,
        strict=args.strict,
        content_dir=Path(args.content) if args.content else None,
        templates_dir=Path(args.templates) if getattr(args, "templates", None) else None,
        cache_dir=Path(args.cache_dir) if getattr(args, "cache_dir", None) else None,
        use_cache=not getattr(args, "no_cache", False),
    )


def _print_problems(problems: list[Problem], fmt: str = "text") -> None:
    for problem in problems:
        print(problem.format_github() if fmt == "github" else problem.format(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from . import parallel

    config = _config(args)
    steps = Steps(profile=args.profile)
    if args.profile:
        parallel.one_core()  # the profiler sees only this process
    report = build(config, Progress(sys.stdout, quiet=args.quiet), steps=steps)
    steps.stop()
    _print_problems(report.problems, args.format)
    print(summary(report, config.out, args.quiet))
    for step, table in steps.profiles.items():
        print(f"\n## {step}: {report.steps.get(step, 0.0):.2f} s (the functions that took the most, on one core)\n{table}", end="")
    return 0


def summary(report: Report, out: Path, quiet: bool = False) -> str:
    """What a build did: one line, then (unless quiet) files, pages, fiches and steps."""
    warnings = sum(p.severity == "warning" for p in report.problems)
    if report.nothing_changed:
        line = (f"nothing changed since the last build: {report.pages} pages in {out} kept as they are "
                f"({report.seconds:.2f} s; {warnings} warning(s))")
        return line
    searched = f"; {report.index.pages} pages indexed for search" if report.index else ""
    line = f"built {report.pages} pages into {out} in {report.seconds:.2f} s{searched}"
    if quiet:
        return line
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.steps.items())
    total = report.files_new + report.files_kept
    return (f"{line}\n"
            f"  files: {report.files_new} written (new or changed), {report.files_kept} unchanged (kept as they were), "
            f"{report.files_removed} removed; {report.rendered} of {total} made again\n"
            f"  fiches: {report.fiches_read} read and checked, the others unchanged since the last build; "
            f"{warnings} warning(s)\n"
            f"  steps: {steps}")


def _check(args: argparse.Namespace) -> int:
    _, catalogue, problems = check(_config(args))
    _print_problems(problems, args.format)
    print(f"{len(catalogue.fiches)} fiche(s) checked: no error, {len(problems)} warning(s)")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve.server import make_server

    config = _config(args)
    if args.no_build:
        site, problems = read_site(config.content, config.root)  # only the base path is needed
        if site is None:
            raise ContentError(problems)
        base_path = make_urls(config, site).base_path
        server = make_server(config.out, base_path, args.port)
        print(f"serving {config.out} at http://127.0.0.1:{server.server_port}{base_path} (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0
    return _serve_live(config, args)


def _serve_live(config: Config, args: argparse.Namespace) -> int:
    """Build, serve, and rebuild on every change; errors show in the browser and here."""
    import threading

    from .serve.server import LiveState, make_server, watch
    from .serve.session import Session

    live = LiveState()
    session = Session()  # the catalogue and plan, kept between rebuilds
    watched: list[Path] = []  # what a rebuild depends on; the settings may name the school's templates
    site = None  # the site settings as last read, None while unreadable

    def rebuild() -> str:
        """Build; return the base path (from the settings, once readable)."""
        nonlocal site
        site, _ = read_site(config.content, config.root)
        extra = [config.root / site.dossier_gabarits] if site and site.dossier_gabarits else []
        watched[:] = [config.content, config.templates, *extra]
        try:
            report = build(config, index_later=True, session=session)  # the pages first; search follows
        except ContentError as exc:
            lines = [p.format() for p in exc.problems]
            print("\n".join(lines) + f"\n{len(lines)} problem(s): the browser shows them until they are fixed", file=sys.stderr, flush=True)
            live.update(lines)
            return ""
        except BuildError as exc:
            print(f"build failed: {exc}", file=sys.stderr, flush=True)
            live.update([f"build failed: {exc}"])
            return ""
        _print_problems(report.problems, args.format)
        print(f"built {report.pages} pages in {report.seconds:.2f} s ({report.rendered} made again)", flush=True)
        live.update([])
        if report.index_put_off:
            try:
                indexed = build(config, session=session)
                print(f"search index updated in {indexed.seconds:.2f} s", flush=True)
            except (ContentError, BuildError) as exc:  # reported at the next rebuild
                print(f"search index not updated: {exc}", file=sys.stderr, flush=True)
        return report.base_path

    base_path = rebuild()
    if not base_path:  # the settings may be what is broken: serve at theirs if readable, else at /
        base_path = make_urls(config, site).base_path if site else "/"
    server = make_server(config.out, base_path, args.port, live=live)
    print(f"serving {config.out} at http://127.0.0.1:{server.server_port}{base_path} "
          "(rebuilt and reloaded on every change; Ctrl+C to stop)", flush=True)

    stop = threading.Event()  # the settings are read at each rebuild, not at each look for changes
    watcher = threading.Thread(target=watch, args=(lambda: watched, rebuild, stop), daemon=True)
    watcher.start()
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
    return 0


def _new(args: argparse.Namespace) -> int:
    from .editors.scaffold import write_skeleton

    content = Path(args.content) if args.content else Path(args.root) / "content"
    target = write_skeleton(content, args.numero)
    print(f"wrote {target}: fill it in, then run `catalogue check` (or `catalogue serve` to see it)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importers import run

    content = Path(args.content) if args.content else Path(args.root) / "content"
    summary, _ = run(Path(args.export), content, args.numeros, args.all, args.date, args.dry_run, args.source)
    for line in summary.lines(args.export, args.dry_run):
        print(line)
    if summary.skipped_asked:
        print(f"not imported: {', '.join(summary.skipped_asked)} (see above)", file=sys.stderr)
        return 1
    return 0


def _schema(args: argparse.Namespace) -> int:
    target = Path(args.root) / "schema" / "fiche.schema.json"
    text = fiche_schema()
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date; run `catalogue schema`", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="catalogue", description="Build a static catalogue of RNCP fiches from YAML files.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:  # noqa: A002
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run, failure="build failed: {}")
        sub.add_argument("--root", default=".", help="project folder holding content/ and templates/ (default: .)")
        sub.add_argument("--today", help="date the status of fiches is computed against, AAAA-MM-JJ "
                         "(default: SOURCE_DATE_EPOCH, else today)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
        sub.add_argument("--content", help="content folder (default: ROOT/content)")
        sub.add_argument("--format", choices=("text", "github"), default="text",
                         help="how problems are printed: text (default) or github (annotations on pull requests)")
        return sub

    b = command("build", _build, "validate the content, then build the site")
    b.add_argument("--out", help="output folder (default: ROOT/site)")
    b.add_argument("--base-path", help="path the site is served under, e.g. /catalogue/ (default: from site.yaml url)")
    b.add_argument("--templates", help="templates folder (default: ROOT/templates)")
    b.add_argument("--quiet", action="store_true", help="print only problems and the one-line result (no progress)")
    b.add_argument("--no-cache", action="store_true",
                   help="read every fiche and make every file again, ignoring what the last build kept")
    b.add_argument("--cache-dir", help="where builds keep what the next one reuses (default: ROOT/.catalogue-cache)")
    b.add_argument("--profile", action="store_true",
                   help="build on one core under Python's profiler, and print each step's slowest functions")
    command("check", _check, "validate the content and write nothing")
    s = command("serve", _serve, "build, then serve the site on http://127.0.0.1")
    s.add_argument("--out", help="output folder (default: ROOT/site)")
    s.add_argument("--base-path", help="path to serve the site under (default: from site.yaml url)")
    s.add_argument("--templates", help="templates folder (default: ROOT/templates)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--no-build", action="store_true", help="serve the existing output without building")
    n = command("new", _new, "write a new fiche skeleton, with every field explained, into content/fiches/")
    n.set_defaults(failure="catalogue new: {}")
    n.add_argument("numero", help="the fiche's number, e.g. RNCP12345 or RS1234")
    i = command("import", _import, "import fiches from France compétences' export (XML flux, zipped or not, or the CSV zip), "
                "or the places of the national training offer (LHEO) into the fiches already there")
    i.set_defaults(failure="catalogue import: {}; nothing was written")
    i.add_argument("export", help="the export file: export_fiches_RNCP_V4_1_….xml, its .zip, or export-fiches-csv-….zip; "
                   "or an LHEO offer file")
    i.add_argument("numeros", nargs="*", help="the fiches to import, e.g. RNCP35809 RNCP39568")
    i.add_argument("--all", action="store_true", help="import every fiche of the export")
    i.add_argument("--date", help="date of the export, AAAA-MM-JJ (default: from the file name, else today)")
    i.add_argument("--dry-run", action="store_true", help="show what would be created or updated, write nothing")
    i.add_argument("--source", help="for a training offer (LHEO): the name its places are kept under, so that the "
                   "next import of the same offer replaces them (default: the file name without its date)")
    sc = command("schema", _schema, "write schema/fiche.schema.json from the model")
    sc.add_argument("--check", action="store_true", help="fail if the schema file is out of date")
    return parser
