"""Checks on one valid fiche that involve several fields (the model checks each field alone)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..errors import Severity
from .load import Loc
from ..reference.geo import localiser
from .model import Fiche
from ..reference.nomenclature import rome_existe
from ..slugs import normalise

Finding = tuple[Loc, str, Severity]


def check_fiche(fiche: Fiche) -> list[Finding]:
    return [
        *_certificateurs(fiche),
        *_bloc_codes(fiche),
        *_unique_codes(fiche),
        *_rome_codes(fiche),
        *_linked_fiches(fiche),
        *_places(fiche),
        *_correspondances(fiche),
        *_dates(fiche),
    ]


def _certificateurs(fiche: Fiche) -> Iterator[Finding]:
    """Every fiche names its certifier, except an imported one whose official record names none:
    it is published, marked "Non renseigné", with a warning."""
    if fiche.certificateurs:
        return
    if fiche.source_officielle is None:
        yield (("certificateurs",), "expected at least one certifier, found an empty list; add `  - nom: …` "
               "with the name of the body that awards the certification", "error")
    else:
        yield (("certificateurs",), "the official export names no certifier for this fiche; its page says "
               "« Non renseigné » (add the certifier if you know it)", "warning")


def _bloc_codes(fiche: Fiche) -> Iterator[Finding]:
    prefix = f"{fiche.numero}BC"
    first_use: dict[str, int] = {}
    for i, bloc in enumerate(fiche.blocs):
        if not bloc.code.startswith(prefix):
            suffix = bloc.code[-2:]
            yield (
                ("blocs", i, "code"),
                f"expected a code starting with {prefix} (this fiche's number), found \"{bloc.code}\"; "
                f"write {prefix}{suffix}",
                "error",
            )
        if bloc.code in first_use:
            yield (
                ("blocs", i, "code"),
                f"duplicate bloc code {bloc.code}, already used by blocs[{first_use[bloc.code]}]; "
                "give each bloc its own number",
                "error",
            )
        first_use.setdefault(bloc.code, i)


def _unique_codes(fiche: Fiche) -> Iterator[Finding]:
    for name in ("rome", "nsf", "formacodes"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(fiche, name)):
            if item.code in seen:
                yield (
                    (name, i, "code"),
                    f"duplicate code {item.code}, already listed as {name}[{seen[item.code]}]; remove one",
                    "error",
                )
            seen.setdefault(item.code, i)


def _rome_codes(fiche: Fiche) -> Iterator[Finding]:
    for i, rome in enumerate(fiche.rome):
        if not rome_existe(rome.code):
            yield (
                ("rome", i, "code"),
                f"{rome.code} is not a code of the ROME referential (v4.60); check it on "
                f"https://candidat.francetravail.fr/metierscope/ (the France Travail link will not work)",
                "warning",
            )


def _linked_fiches(fiche: Fiche) -> Iterator[Finding]:
    for name in ("anciennes_certifications", "nouvelles_certifications"):
        for i, liee in enumerate(getattr(fiche, name)):
            if liee.numero == fiche.numero:
                yield (
                    (name, i, "numero"),
                    f"a fiche cannot replace itself, found its own number {fiche.numero}; "
                    "write the number of the other fiche",
                    "error",
                )


def _places(fiche: Fiche) -> Iterator[Finding]:
    names = {normalise(c.nom): c.nom for c in fiche.certificateurs}
    for list_name in ("lieux_preparation", "lieux_certification"):
        for i, lieu in enumerate(getattr(fiche, list_name)):
            loc: Loc = (list_name, i)
            if lieu.declare_par and normalise(lieu.declare_par) not in names:
                close = difflib.get_close_matches(lieu.declare_par, list(names.values()), n=1, cutoff=0.5)
                hint = f'; did you mean "{close[0]}"?' if close else "; add this certifier to `certificateurs` or correct the name"
                yield (
                    loc + ("declare_par",),
                    f"expected the name of one of this fiche's certificateurs, found \"{lieu.declare_par}\"{hint}",
                    "error",
                )
            if not lieu.a_distance:
                for needed in ("code_postal", "commune"):
                    if getattr(lieu, needed) is None:
                        yield (
                            loc,
                            f"`{needed}` is required for a place with an address; "
                            f"add `{needed}:` or set `a_distance: true` for distance learning",
                            "error",
                        )
            if (lieu.lat is None) != (lieu.lon is None):
                yield (loc, "`lat` and `lon` go together; give both or neither", "error")
            elif not lieu.a_distance and (lieu.code_postal or lieu.commune or lieu.code_insee or lieu.lat is not None):
                probleme = localiser(lieu.code_postal, lieu.commune, lieu.lat, lieu.lon, lieu.code_insee).probleme
                if probleme:
                    field = "lat" if lieu.lat is not None else ("code_postal" if lieu.code_postal else "commune")
                    yield (loc + (field,), probleme, "warning")


def _correspondances(fiche: Fiche) -> Iterator[Finding]:
    codes = {bloc.code for bloc in fiche.blocs}
    for i, corr in enumerate(fiche.correspondances):
        for j, code in enumerate(corr.bloc):
            if code not in codes:
                known = ", ".join(sorted(codes)) or "none"
                loc: Loc = ("correspondances", i, "bloc") + ((j,) if len(corr.bloc) > 1 else ())
                yield (loc, f"expected one of this fiche's bloc codes ({known}), found \"{code}\"", "error")


def _dates(fiche: Fiche) -> Iterator[Finding]:
    if fiche.date_effet and fiche.date_fin_enregistrement and fiche.date_fin_enregistrement < fiche.date_effet:
        yield (
            ("date_fin_enregistrement",),
            f"the end of registration ({fiche.date_fin_enregistrement}) is before its start "
            f"(date_effet {fiche.date_effet}); check both dates",
            "error",
        )
    if fiche.actif is False and fiche.date_fin_enregistrement is None:
        yield (
            ("actif",),
            "an inactive fiche should say when its registration ended; add `date_fin_enregistrement:`",
            "warning",
        )
