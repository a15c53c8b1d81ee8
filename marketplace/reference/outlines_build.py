"""Build `data/europe_outlines.json`, the country outlines the maps draw (`web.charts.country_map`).

Run by hand when the source changes (the output is committed; nothing runs this at start-up):

    python -m marketplace.reference.outlines_build path/to/world-atlas/countries-50m.json

The source is `countries-50m.json` of the npm package `world-atlas` 2.0.2 (ISC licence, its
`LICENSE` is copied as `data/world-atlas-LICENSE`), Natural Earth's 1:50m admin-0 countries
(public domain) as TopoJSON: arcs quantized and delta-encoded, objects keyed by ISO 3166-1
numeric code. This decodes it in plain Python, keeps what falls in a frame of Europe (Iceland
and Portugal to the Baltic and the Black Sea), projects it with the Lambert azimuthal
equal-area projection centred on 52° N 10° E (ETRS89-LAEA, EPSG:3035, the projection of the
EEA's and Eurostat's maps), clips it to the frame, drops points closer than one unit at a
width of 400 units and writes one SVG path per country, keyed by ISO 3166-1 alpha-2.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).parent / "data" / "europe_outlines.json"
WIDTH = 400.0
CENTRE = (10.0, 52.0)  # lon, lat of EPSG:3035
# The frame, in projected metres on the sphere: corners taken from places that must be seen.
FRAME_LONLAT = (
    (-24.5, 63.5),
    (44.0, 45.0),
    (-10.0, 35.0),
    (30.0, 71.2),
    (24.0, 34.6),
    (34.6, 34.5),
)
NEAR = (-40.0, 20.0, 75.0, 80.0)  # west, south, east, north in degrees, around the frame
TOLERANCE = 1.0  # units at WIDTH: closer points are dropped
SMALL = 6.0  # a country less than this across (in units) gets a point for a dot
# Natural Earth entries without an ISO numeric code.
NO_NUMBER = {"Kosovo": "XK", "N. Cyprus": "CY"}

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs in longitude and latitude: undo the delta encoding, then the quantization."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: Sequence[Sequence[Point]], indexes: Iterable[int]) -> Ring:
    """A ring from its arcs: a negative index ~i is arc i reversed; shared ends are dropped."""
    points: Ring = []
    for i in indexes:
        arc = list(arcs[i]) if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> list[list[Ring]]:
    """A Polygon's or MultiPolygon's rings, as [[outer, hole…], …]."""
    if geometry.get("type") == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def laea(lon: float, lat: float, centre: Point = CENTRE) -> Point:
    """Lambert azimuthal equal-area on the unit sphere; y grows north."""
    lam, phi = math.radians(lon - centre[0]), math.radians(lat)
    phi0 = math.radians(centre[1])
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


def clip(points: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman: the ring cut to the box (x0, y0, x1, y1); empty if outside."""
    x0, y0, x1, y1 = box
    out = points
    # Each side of the box: which coordinate (0: x, 1: y), its value, and whether inside is
    # above it (True) or below.
    for axis, limit, above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not out:
            return []
        pts, out = out, []

        def inside(p: Point, axis: int = axis, limit: float = limit, above: bool = above) -> bool:
            return p[axis] >= limit if above else p[axis] <= limit

        def cross(a: Point, b: Point, axis: int = axis, limit: float = limit) -> Point:
            t = (limit - a[axis]) / (b[axis] - a[axis])
            other = a[1 - axis] + (b[1 - axis] - a[1 - axis]) * t
            return (limit, other) if axis == 0 else (other, limit)

        prev = pts[-1]
        for p in pts:
            if inside(p):
                if not inside(prev):
                    out.append(cross(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cross(prev, p))
            prev = p
    return out


def simplify(points: Ring, tolerance: float = TOLERANCE) -> Ring:
    """Drop each point closer than `tolerance` to the last one kept."""
    kept: Ring = []
    for p in points:
        if not kept or math.dist(p, kept[-1]) >= tolerance:
            kept.append(p)
    return kept


def area(points: Ring) -> float:
    return (
        abs(
            sum(
                a[0] * b[1] - b[0] * a[1]
                for a, b in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def path(rings: Iterable[Ring]) -> str:
    """An SVG path: absolute first point, then relative moves, one decimal."""
    parts = []
    for r in rings:
        q = [(round(x * 10), round(y * 10)) for x, y in r]
        cmd = [f"M{q[0][0] / 10:g} {q[0][1] / 10:g}l"]
        for (ax, ay), (bx, by) in pairwise(q):
            if (ax, ay) != (bx, by):
                cmd.append(f"{(bx - ax) / 10:g} {(by - ay) / 10:g} ")
        parts.append("".join(cmd).rstrip() + "z")
    return "".join(parts).replace(" -", "-")


def alpha2(geometry: dict[str, Any]) -> str | None:
    number = geometry.get("id")
    if number is None:
        return NO_NUMBER.get((geometry.get("properties") or {}).get("name", ""))
    country = pycountry.countries.get(numeric=str(number).zfill(3))
    return country.alpha_2 if country else None


def build(topology: dict[str, Any], frame: Sequence[Point] = FRAME_LONLAT,
          width: float = WIDTH, centre: Point = CENTRE) -> dict[str, Any]:  # fmt: skip
    """{"viewBox": "0 0 w h", "paths": {alpha2: d}, "points": {alpha2: [x, y]}}: `points`,
    for the countries too small to see (Malta, Luxembourg: under SMALL units across), is the
    middle of the largest piece, where a map marks them with a dot."""
    arcs = decode_arcs(topology)
    corners = [laea(lon, lat, centre) for lon, lat in frame]
    left, right = min(p[0] for p in corners), max(p[0] for p in corners)
    bottom, top = min(p[1] for p in corners), max(p[1] for p in corners)
    unit = width / (right - left)
    height = (top - bottom) * unit

    def to_view(lon: float, lat: float) -> Point:
        x, y = laea(lon, lat, centre)
        return (x - left) * unit, (top - y) * unit

    shapes: dict[str, list[Ring]] = {}
    tiny: dict[str, list[Ring]] = {}
    for geometry in next(iter(topology["objects"].values()))["geometries"]:
        code = alpha2(geometry)
        if code is None:
            continue
        for poly in polygons(geometry, arcs):
            for r in poly:
                # First to a box around the frame in degrees: off the far side of the globe
                # and the antimeridian (Russia's east), which the projection would fold back.
                near = clip(r, NEAR)
                whole = clip([to_view(lon, lat) for lon, lat in near], (0, 0, width, height))
                cut = simplify(whole)
                if len(cut) >= 3 and area(cut) >= TOLERANCE:
                    shapes.setdefault(code, []).append(cut)
                elif len(whole) >= 3:
                    tiny.setdefault(code, []).append(whole)
        if code not in shapes and code in tiny:  # Malta, Andorra: kept as they are, tiny
            shapes[code] = tiny[code]
    paths = {code: path(rings) for code, rings in sorted(shapes.items())}
    points = {}
    for code, rings in shapes.items():
        biggest = max(rings, key=area)
        xs, ys = [p[0] for p in biggest], [p[1] for p in biggest]
        if max(max(xs) - min(xs), max(ys) - min(ys)) >= SMALL:
            continue
        points[code] = [round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1)]
    return {"viewBox": f"0 0 {width:g} {round(height, 1):g}", "paths": paths,
            "points": dict(sorted(points.items()))}  # fmt: skip


def main(argv: Sequence[str]) -> None:
    source = Path(argv[0]) if argv else Path("countries-50m.json")
    data = build(json.loads(source.read_text(encoding="utf-8")))
    OUT.write_text(
        json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{OUT}: {len(data['paths'])} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
