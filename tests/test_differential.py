"""A rebuild equals a clean build, byte for byte, after any sequence of edits.

A Hypothesis state machine edits a small catalogue step by step: fiches added, removed,
renumbered, retitled; levels, status, dates, certifiers and ROME codes; places on site and at a
distance, past ten and back, bodies renamed, SIRETs changed; partners across the thresholds of
the fiche page (10 named) and of their own pages (100 a page); equivalences, predecessors and
successors; long texts with reference-style links and footnotes across the folding threshold;
the site settings and a school's template override; a fiche made invalid, then fixed.

After each step three sites are compared, every file of them, the search index and the
near-me files included:

- the reference: a clean build (`catalogue build --no-cache` into an empty folder);
- `catalogue build` in a new process, over the site and cache the previous steps left;
- the quick path of `catalogue serve`: one warm process (this one) that keeps its session
  from step to step, builds the pages first and the search index next, as `serve` does.

New processes are forked from a process that has imported the builder and nothing more (a
fork server), so that they start in milliseconds and know nothing of earlier builds. A
failure prints the shortest sequence of edits that reproduces it, as Python calls.
FUZZ_EXAMPLES sets how many sequences run (CI runs more than a laptop).
"""

from __future__ import annotations

import atexit
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from builder.build import build
from builder.config import Config
from builder.errors import BuildError, ContentError
from builder.serve.session import Session
from builder.output.write import MARKER

from .conftest import ROOT, TODAY
from .warm import small_thresholds

EXAMPLES = max(4, int(os.environ.get("FUZZ_EXAMPLES", "300")) // 12)  # 25 sequences here, 166 in CI, half from each start
STEPS = 12

# Values drawn by the edits. Titles start with letters, accents, signs and digits, so that lists
# cut by letter and the bodies' A–Z index meet every kind of initial.
TITRES = ["Chef de projet numérique", "Éducateur sportif", "(Ré)animateur de quartier", "3D : artiste",
          "Zèbre et okapi", "agent de sûreté", "Œnologue", "Ça va de soi", "Administrateur réseaux", "Bâtisseur"]
CERTIFICATEURS = ["Carrel formation continue", "Ministère du Travail", "ESGCV-Digital Campus", "CCI France"]
ROME = ["M1805", "E1101", "M1705", "K2111", "G1204"]
VILLES = [("44000", "Nantes"), ("35000", "Rennes"), ("29200", "Brest"), ("59000", "Lille"), ("75011", "Paris"),
          ("93100", "Montreuil"), ("69002", "Lyon"), ("97400", "Saint-Denis"), ("20000", "Ajaccio")]
ORGANISMES = ["Ecole Alpha Nantes", "(AFPA) Centre", "AB Formation", "AGEFOS Conseil", "École Été", "123 Formation",
              "Zénith Campus", "ab formation", "Œuvre sociale", "« Guillemets » SA"]
SIRETS = ["13002526500013", "77568501900043", "38012986643214", None]
DATES = ["2012-09-07", "2019-06-07", "2024-01-15", "2026-11-23", "2026-11-24", "2031-01-01"]
COULEURS = ["#1d4f91", "#8a2b0f", "#0b5d1e"]


def long_text(paragraphs: int, links: bool, notes: bool, liste: bool) -> str:
    """A text of `paragraphs` paragraphs of about 260 characters, with a reference-style link
    at its start and its definition at its end, a footnote-like reference, a list."""
    phrase = ("Le titulaire conduit des projets numériques, en mesure les effets et rend compte de ses choix "
              "aux équipes comme aux clients. ")
    parts = []
    for i in range(paragraphs):
        text = phrase * 2
        if i == 0 and links:
            text = "Voir [France compétences][fc] et [le référentiel] pour le détail. " + text
        if i == paragraphs // 2 and notes:
            text += "Une précision suit[^1]."
        parts.append(text.strip())
        if liste and i == paragraphs // 2:
            parts.append("\n".join(f"{n}. Étape {n} du projet, suivie de son bilan" for n in range(1, 8)))
    if links:
        parts.append("[fc]: https://www.francecompetences.fr/ \"France compétences\"\n[le référentiel]: https://exemple.fr/ref")
    if notes:
        parts.append("[^1]: https://exemple.fr/note")
    return "\n\n".join(parts) + "\n"


def files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER}


def differences(expected: dict[str, bytes], found: dict[str, bytes]) -> str:
    """What differs between two sites, briefly: files missing, extra, and the first lines that differ."""
    lines = [f"missing: {path}" for path in sorted(set(expected) - set(found))][:10]
    lines += [f"not in a clean build: {path}" for path in sorted(set(found) - set(expected))][:10]
    changed = sorted(path for path in set(expected) & set(found) if expected[path] != found[path])
    lines += [f"different: {path}" for path in changed[:20]]
    for path in changed[:3]:
        try:
            a, b = expected[path].decode().splitlines(), found[path].decode().splitlines()
        except UnicodeDecodeError:
            continue
        diff = list(difflib.unified_diff(a, b, "clean build", "rebuild", n=1, lineterm=""))
        lines += [f"--- {path}"] + [line[:300] for line in diff[:30]]
    return "\n".join(lines)


UNRESOLVED = re.compile(r"\[(France compétences|le référentiel|\^1)\]")  # references the texts define


def well_formed(site: dict[str, bytes]) -> None:
    """What any site must be, whatever the edits: ids unique on every page, and every
    reference a text defines resolved (its brackets never shown)."""
    for path, data in site.items():
        if path.endswith(".html"):
            html = data.decode("utf-8")
            ids = re.findall(r'\sid="([^"]*)"', html)
            assert len(ids) == len(set(ids)), f"{path}: ids given twice: {sorted({i for i in ids if ids.count(i) > 1})}"
            found = UNRESOLVED.search(html)
            assert not found, f"{path}: reference shown as text: {html[found.start() - 80:found.end() + 80]}"


class Zygote:
    """`python -m tests.zygote`, started once: it forks each build process (see there)."""

    process: subprocess.Popen | None = None

    @classmethod
    def run(cls, argv: list[str], log: Path) -> tuple[int, str]:
        if cls.process is None or cls.process.poll() is not None:
            cls.process = subprocess.Popen([sys.executable, "-m", "tests.zygote"], cwd=ROOT, text=True,
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            atexit.register(cls.process.kill)
            assert cls.process.stdout is not None and cls.process.stdout.readline() == "ready\n"
        assert cls.process.stdin is not None and cls.process.stdout is not None
        cls.process.stdin.write(json.dumps({"argv": argv, "log": str(log)}) + "\n")
        cls.process.stdin.flush()
        code = int(cls.process.stdout.readline())
        return code, log.read_text(encoding="utf-8", errors="replace")


def _seed_fiche(numero: str, titre: str) -> dict[str, Any]:
    base = yaml.safe_load((ROOT / "content" / "fiches" / "rncp26224.yaml").read_text(encoding="utf-8"))
    data = {key: base[key] for key in ("niveau", "certificateurs", "nsf", "rome", "activites_visees", "voies_acces",
                                       "date_effet")}
    data = {"numero": numero, "intitule": titre, **data, "date_fin_enregistrement": "2031-01-01"}
    data["blocs"] = [{"code": f"{numero}BC0{i}", "libelle": f"Bloc {i} de {titre}",
                      "liste_competences": f"- Compétence {i}"} for i in (1, 2)]
    return data


class Rebuilds(RuleBasedStateMachine):
    """The catalogue as data; each rule edits it and writes the files, each check builds."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="catalogue-differential-"))
        self.project = self.folder / "project"
        self.fiches: dict[str, dict[str, Any]] = {}
        self.site: dict[str, Any] = {}
        self.broken: str | None = None  # a fiche made invalid, until fixed
        self.override = False
        self.session = Session()
        self.thresholds = small_thresholds()  # as in the new processes (tests/zygote.py)
        self.good: dict[str, bytes] | None = None  # the last clean build that passed
        self.next_numero = 30001

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        for (module, name), value in self.thresholds.items():
            setattr(module, name, value)

    # -- the content ---------------------------------------------------------------------------

    def write(self) -> None:
        folder = self.project / "content" / "fiches"
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {f"{numero.lower()}.yaml" for numero in self.fiches}
        for file in folder.glob("*.yaml"):
            if file.name not in wanted:
                file.unlink()
        for numero, data in self.fiches.items():
            if numero == self.broken:
                data = {**data, "niveau": "douze"}  # whatever level it had, none included
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            file = folder / f"{numero.lower()}.yaml"
            if not file.exists() or file.read_text(encoding="utf-8") != text:
                file.write_text(text, encoding="utf-8")
        settings_text = yaml.safe_dump(self.site, allow_unicode=True, sort_keys=False)
        (self.project / "content" / "site.yaml").write_text(settings_text, encoding="utf-8")
        gabarits = self.project / "gabarits"
        if self.override and not gabarits.exists():
            gabarits.mkdir()
            page = (ROOT / "templates" / "404.html").read_text(encoding="utf-8")
            (gabarits / "404.html").write_text(page.replace("</h1>", "</h1>\n<p>Page de l’école.</p>", 1), encoding="utf-8")
        elif not self.override and gabarits.exists():
            shutil.rmtree(gabarits)

    def numero(self, which: int) -> str:
        numbers = sorted(self.fiches)
        return numbers[which % len(numbers)]

    def fiche(self, which: int) -> dict[str, Any]:
        return self.fiches[self.numero(which)]

    # -- the builds ----------------------------------------------------------------------------

    def config(self, out: str) -> Config:
        return Config(root=self.project, out=self.folder / out, base_path="/catalogue/", today=TODAY,
                      templates_dir=ROOT / "templates")

    def argv(self, out: str, *options: str) -> list[str]:
        return ["build", "--root", str(self.project), "--out", str(self.folder / out), "--templates", str(ROOT / "templates"),
                "--base-path", "/catalogue/", "--today", TODAY.isoformat(), "--quiet", *options]

    @invariant()
    def rebuilds_equal_a_clean_build(self) -> None:
        if not self.fiches:
            return
        self.write()
        shutil.rmtree(self.folder / "clean", ignore_errors=True)
        code, log = Zygote.run(self.argv("clean", "--no-cache"), self.folder / "clean.log")
        assert code == (1 if self.broken else 0), log
        expected = files(self.folder / "clean") if not self.broken else self.good
        assert expected is not None
        if not self.broken:
            well_formed(expected)

        code, log = Zygote.run(self.argv("cold"), self.folder / "cold.log")
        assert code == (1 if self.broken else 0), log
        found = files(self.folder / "cold")
        assert found == expected, "catalogue build in a new process differs from a clean build:\n" + differences(expected, found)

        try:
            report = build(self.config("warm"), index_later=True, session=self.session)
            if report.index_put_off:
                build(self.config("warm"), session=self.session)
            failed = False
        except (ContentError, BuildError):
            failed = True
        assert failed == bool(self.broken)
        found = files(self.folder / "warm")
        assert found == expected, "catalogue serve's rebuild differs from a clean build:\n" + differences(expected, found)
        if not self.broken:
            self.good = expected

    # -- the edits -----------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        self.project.mkdir(parents=True)
        for file in sorted((ROOT / "content" / "fiches").glob("*.yaml")):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            self.fiches[data["numero"]] = data
        self.fiches["RNCP30000"] = _seed_fiche("RNCP30000", "Administrateur réseaux")
        self.site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
        self.site["fiches_par_page"] = 5

    @rule(titre=st.sampled_from(TITRES), niveau=st.sampled_from([3, 5, 6, 7, None]))
    def add_fiche(self, titre: str, niveau: int | None) -> None:
        numero = f"RNCP{self.next_numero}"
        self.next_numero += 1
        self.fiches[numero] = _seed_fiche(numero, titre)
        self.fiches[numero]["niveau"] = niveau

    @precondition(lambda self: len(self.fiches) < 20)
    @rule(titre=st.sampled_from(TITRES))
    def add_many_fiches(self, titre: str) -> None:
        """Enough fiches (small ones) for lists cut by letter (past two pages of five here)."""
        for i in range(12):
            numero = f"RNCP{self.next_numero}"
            self.next_numero += 1
            self.fiches[numero] = {"numero": numero, "intitule": f"{TITRES[i % len(TITRES)]} {i}" if i else titre,
                                   "niveau": [3, 5, 6][i % 3], "certificateurs": [{"nom": CERTIFICATEURS[i % 2]}],
                                   "rome": [{"code": ROME[i % 2]}]}

    @precondition(lambda self: len(self.fiches) > 1)
    @rule(which=st.integers(0, 20))
    def remove_fiche(self, which: int) -> None:
        numero = self.numero(which)
        if numero != self.broken:
            del self.fiches[numero]

    @rule(which=st.integers(0, 20))
    def renumber_fiche(self, which: int) -> None:
        """The same fiche under a new number (its file renamed, its blocs' codes too)."""
        old = self.numero(which)
        if old == self.broken:
            return
        new = f"RNCP{self.next_numero}"
        self.next_numero += 1
        data = self.fiches.pop(old)
        data["numero"] = new
        for bloc in data.get("blocs", []):
            bloc["code"] = bloc["code"].replace(old, new)
        for corr in data.get("correspondances", []):
            corr["bloc"] = [code.replace(old, new) for code in corr.get("bloc", [])]
        self.fiches[new] = data

    @rule(which=st.integers(0, 20), titre=st.sampled_from(TITRES), suffixe=st.sampled_from(["", " II", " (option B)"]))
    def set_title(self, which: int, titre: str, suffixe: str) -> None:
        self.fiche(which)["intitule"] = titre + suffixe

    @rule(which=st.integers(0, 20), niveau=st.sampled_from([3, 4, 6, 8, None]))
    def set_level(self, which: int, niveau: int | None) -> None:
        self.fiche(which)["niveau"] = niveau

    @rule(which=st.integers(0, 20), fin=st.sampled_from(DATES), actif=st.sampled_from([None, False]))
    def set_status(self, which: int, fin: str, actif: bool | None) -> None:
        fiche = self.fiche(which)
        fiche["date_fin_enregistrement"] = fin
        fiche["date_effet"] = min(str(fiche.get("date_effet") or fin), fin)
        fiche.pop("actif", None)
        if actif is False:
            fiche["actif"] = False

    @rule(which=st.integers(0, 20), effet=st.sampled_from(DATES), jo=st.sampled_from([None, *DATES]))
    def set_dates(self, which: int, effet: str, jo: str | None) -> None:
        fiche = self.fiche(which)
        fin = fiche.get("date_fin_enregistrement")
        fiche["date_effet"] = min(effet, str(fin)) if fin else effet
        fiche["date_dernier_jo"] = jo

    @rule(which=st.integers(0, 20), noms=st.lists(st.sampled_from(CERTIFICATEURS), min_size=1, max_size=3, unique=True))
    def set_certifiers(self, which: int, noms: list[str]) -> None:
        fiche = self.fiche(which)
        fiche["certificateurs"] = [{"nom": nom} for nom in noms]
        for lieu in fiche.get("lieux_preparation", []) + fiche.get("lieux_certification", []):
            lieu.pop("declare_par", None)

    @rule(which=st.integers(0, 20), codes=st.lists(st.sampled_from(ROME), max_size=3, unique=True))
    def set_rome(self, which: int, codes: list[str]) -> None:
        self.fiche(which)["rome"] = [{"code": code} for code in codes]

    @rule(which=st.integers(0, 20), ville=st.sampled_from(VILLES), organisme=st.sampled_from(ORGANISMES),
          siret=st.sampled_from(SIRETS), combien=st.sampled_from([1, 1, 3, 11]))
    def add_places(self, which: int, ville: tuple[str, str], organisme: str, siret: str | None, combien: int) -> None:
        lieux = self.fiche(which).setdefault("lieux_preparation", [])
        for i in range(combien):
            lieu = {"organisme": organisme if i == 0 else f"{organisme} {i}", "code_postal": ville[0], "commune": ville[1]}
            if siret:
                lieu["siret"] = siret
            lieux.append(lieu)

    @rule(which=st.integers(0, 20), organisme=st.sampled_from(ORGANISMES))
    def add_place_at_a_distance(self, which: int, organisme: str) -> None:
        self.fiche(which).setdefault("lieux_preparation", []).append({"organisme": organisme, "a_distance": True})

    @rule(which=st.integers(0, 20), combien=st.sampled_from([1, 2, 10, 100]))
    def remove_places(self, which: int, combien: int) -> None:
        lieux = self.fiche(which).get("lieux_preparation", [])
        del lieux[:combien]

    @rule(which=st.integers(0, 20), i=st.integers(0, 30), ville=st.sampled_from(VILLES))
    def move_place(self, which: int, i: int, ville: tuple[str, str]) -> None:
        lieux = [lieu for lieu in self.fiche(which).get("lieux_preparation", []) if not lieu.get("a_distance")]
        if lieux:
            lieu = lieux[i % len(lieux)]
            lieu["code_postal"], lieu["commune"] = ville
            lieu.pop("code_insee", None)

    @rule(i=st.integers(0, 200), nouveau=st.sampled_from(ORGANISMES))
    def rename_body(self, i: int, nouveau: str) -> None:
        """A body renamed wherever it appears: places and partners of every fiche."""
        noms = sorted({x["nom" if "nom" in x else "organisme"] for f in self.fiches.values()
                       for x in f.get("lieux_preparation", []) + f.get("partenaires", [])})
        if not noms:
            return
        ancien = noms[i % len(noms)]
        for f in self.fiches.values():
            for lieu in f.get("lieux_preparation", []):
                if lieu["organisme"] == ancien:
                    lieu["organisme"] = nouveau
            for partenaire in f.get("partenaires", []):
                if partenaire["nom"] == ancien:
                    partenaire["nom"] = nouveau

    @rule(which=st.integers(0, 20), i=st.integers(0, 30), nouveau=st.sampled_from(ORGANISMES))
    def rename_place(self, which: int, i: int, nouveau: str) -> None:
        """One place's body renamed, in one fiche."""
        lieux = self.fiche(which).get("lieux_preparation", [])
        if lieux:
            lieux[i % len(lieux)]["organisme"] = nouveau

    @rule(which=st.integers(0, 20), i=st.integers(0, 30), siret=st.sampled_from(SIRETS))
    def change_siret(self, which: int, i: int, siret: str | None) -> None:
        lieux = self.fiche(which).get("lieux_preparation", [])
        if lieux:
            lieu = lieux[i % len(lieux)]
            lieu.pop("siret", None)
            if siret:
                lieu["siret"] = siret

    @rule(which=st.integers(0, 20), combien=st.sampled_from([0, 3, 10, 11, 100, 101, 205]), decalage=st.integers(0, 9))
    def set_partners(self, which: int, combien: int, decalage: int) -> None:
        """Partners across the thresholds: 10 named on the fiche page, 100 per page of their own."""
        self.fiche(which)["partenaires"] = [
            {"nom": f"{ORGANISMES[(n + decalage) % len(ORGANISMES)]} {n:03d}", "siret": SIRETS[n % 3],
             "habilitation": "HABILITATION_FORMER" if n % 4 else "HABILITATION_ORGA_FORM", "etat": "Actif" if n % 7 else "Inactif"}
            for n in range(combien)]

    @rule(which=st.integers(0, 20), other=st.integers(0, 20), kind=st.sampled_from(
        ["anciennes_certifications", "nouvelles_certifications", "correspondances"]), inconnue=st.booleans())
    def link(self, which: int, other: int, kind: str, inconnue: bool) -> None:
        fiche = self.fiche(which)
        numero = "RNCP9999" if inconnue else self.numero(other)
        if numero == fiche["numero"]:
            return
        if kind == "correspondances":
            blocs = [b["code"] for b in fiche.get("blocs", [])][:1]
            autres = [] if inconnue else [b["code"] for b in self.fiches[numero].get("blocs", [])][:1]
            fiche.setdefault(kind, []).append({"bloc": blocs, "numero": numero, "bloc_correspondant": autres})
        else:
            fiche.setdefault(kind, []).append({"numero": numero, "intitule": "Une autre certification"})

    @rule(which=st.integers(0, 20), kind=st.sampled_from(["anciennes_certifications", "nouvelles_certifications", "correspondances"]))
    def unlink(self, which: int, kind: str) -> None:
        self.fiche(which).pop(kind, None)

    @rule(which=st.integers(0, 20), field=st.sampled_from(["activites_visees", "capacites_attestees", "bloc"]),
          paragraphs=st.integers(1, 10), links=st.booleans(), notes=st.booleans(), liste=st.booleans())
    def set_long_text(self, which: int, field: str, paragraphs: int, links: bool, notes: bool, liste: bool) -> None:
        fiche = self.fiche(which)
        text = long_text(paragraphs, links, notes, liste)
        if field == "bloc":
            if fiche.get("blocs"):
                fiche["blocs"][0]["liste_competences"] = text
        else:
            fiche[field] = text

    @rule(nom=st.sampled_from(["Catalogue des certifications", "Nos formations", "École & Cie"]),
          couleur=st.sampled_from(COULEURS))
    def set_site_name_and_colour(self, nom: str, couleur: str) -> None:
        self.site["nom"] = nom
        self.site["couleur_principale"] = couleur

    @rule(resumees=st.booleans())
    def set_inactive_fiches(self, resumees: bool) -> None:
        self.site["fiches_inactives"] = "resumees" if resumees else "completes"

    @rule(apart=st.booleans())
    def set_inactive_fiches_searched_on_request(self, apart: bool) -> None:
        self.site["recherche_inactives"] = "a_la_demande" if apart else "incluses"

    @rule(par_page=st.sampled_from([5, 6, 50]))
    def set_fiches_per_page(self, par_page: int) -> None:
        self.site["fiches_par_page"] = par_page

    @rule(on=st.booleans())
    def set_template_override(self, on: bool) -> None:
        self.override = on
        if on:
            self.site["dossier_gabarits"] = "gabarits"
        else:
            self.site.pop("dossier_gabarits", None)

    @precondition(lambda self: self.broken is None)
    @rule(which=st.integers(0, 20))
    def break_fiche(self, which: int) -> None:
        self.broken = self.numero(which)

    @precondition(lambda self: self.broken is not None)
    @rule()
    def fix_fiche(self) -> None:
        self.broken = None


class RebuildsOfANationalShape(Rebuilds):
    """The same edits, from a catalogue shaped like a national one: lists cut by letter, the
    index in several parts, inactive fiches as summaries searched on request (run apart, on the
    other core)."""

    @initialize()
    def start(self) -> None:
        super().start()
        self.add_many_fiches("Zèbre et okapi")
        self.site["fiches_inactives"] = "resumees"
        self.site["recherche_inactives"] = "a_la_demande"


SETTINGS = settings(max_examples=EXAMPLES // 2, stateful_step_count=STEPS, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
Rebuilds.TestCase.settings = SETTINGS
RebuildsOfANationalShape.TestCase.settings = SETTINGS
test_rebuilds_equal_a_clean_build = Rebuilds.TestCase
test_rebuilds_of_a_national_shape_equal_a_clean_build = RebuildsOfANationalShape.TestCase
