"""The maps (issue 19): the outlines' generator (TopoJSON decoded, projected, clipped,
simplified), `charts.country_map`, and the maps on the tender page of a joint tender and on
the organisations' directory."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from importlib import resources

from marketplace.clock import FrozenClock
from marketplace.reference import outlines_build as build
from marketplace.reference.vocabularies import outlines
from marketplace.web import charts
from tests.factories import Api
from tests.pictures import SVG, picture
from tests.tenders.helpers import joint
from tests.web.test_home import _sign_in

# Two squares sharing an edge, quantized (scale 0.5°, origin at 10° E 50° N) and
# delta-encoded: arc 0 the shared edge, arcs 1 and 2 the rest of each square.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "250", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "276", "arcs": [[[2, ~0]]]},
                {"type": "Polygon", "id": "840", "arcs": [[3]]},  # far away: not in Europe's frame
            ],
        }
    },
    "arcs": [
        [[4, 0], [0, 4]],  # (12, 50) → (12, 52)
        [[4, 4], [-4, 0], [0, -4], [4, 0]],  # (12, 52) → (10, 52) → (10, 50) → (12, 50)
        [[4, 0], [4, 0], [0, 4], [-4, 0]],  # (12, 50) → (14, 50) → (14, 52) → (12, 52)
        [[-380, -20], [4, 0], [0, 4], [-4, -4]],  # about 90° W, 40° N
    ],
}


class TestTheOutlines:
    def test_arcs_are_delta_decoded_and_scaled_and_reversed_by_their_complement(self) -> None:
        arcs = build.decode_arcs(TINY)
        assert arcs[0] == [(12.0, 50.0), (12.0, 52.0)]
        assert arcs[1] == [(12.0, 52.0), (10.0, 52.0), (10.0, 50.0), (12.0, 50.0)]
        (france,) = build.polygons(TINY["objects"]["countries"]["geometries"][0], arcs)
        assert france == [[(12.0, 50.0), (12.0, 52.0), (10.0, 52.0), (10.0, 50.0), (12.0, 50.0)]]
        (germany,) = build.polygons(TINY["objects"]["countries"]["geometries"][1], arcs)
        assert germany[0][-2:] == [(12.0, 52.0), (12.0, 50.0)]  # the shared edge, reversed

    def test_the_projection_is_centred_and_keeps_north_up(self) -> None:
        assert build.laea(10, 52) == (0.0, 0.0)
        east, north = build.laea(20, 52), build.laea(10, 60)
        assert east[0] > 0 and math.isclose(north[0], 0, abs_tol=1e-12) and north[1] > 0

    def test_clip_and_simplify(self) -> None:
        square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)]
        assert build.area(build.clip(square, (0, 0, 10, 10))) == 25
        assert build.clip(square, (20, 20, 30, 30)) == []
        assert build.simplify([(0, 0), (0.1, 0), (0.2, 0.1), (1, 0)]) == [(0, 0), (1, 0)]

    def test_a_tiny_topology_becomes_one_path_per_country_in_the_frame(self) -> None:
        data = build.build(TINY)
        assert set(data["paths"]) == {"FR", "DE"}  # ISO numeric to alpha-2; America left out
        assert data["viewBox"].startswith("0 0 400 ")
        for d in data["paths"].values():
            assert d.startswith("M") and d.endswith("z")

    def test_the_shipped_outlines_are_small_and_cover_europe(self) -> None:
        text = resources.files("marketplace.reference").joinpath("data/europe_outlines.json")
        assert len(text.read_bytes()) < 80_000
        shapes = outlines()
        assert {"FR", "DE", "PT", "IS", "FI", "CY", "MT", "LU", "GB", "UA", "TR"} <= set(
            shapes.paths
        )
        assert "MT" in shapes.points  # too small to see: a dot marks it
        assert json.loads(text.read_text("utf-8"))["viewBox"] == shapes.view_box


def _country(code: str, name: str, *members: str) -> charts.Country:
    n = len(members)
    return charts.Country(code, name, charts.Figure(n, str(n)), members, f"{name}: {n} cities")


class TestCountryMap:
    def test_shaded_countries_carry_their_count_and_the_table_lists_the_cities(self) -> None:
        p = charts.country_map(
            "m", "Where", "Two countries.", [
                _country("FR", "France", "Lyon", "Paris"), _country("MT", "Malta", "Valletta"),
                _country("US", "United States", "Austin"),
            ], head=("Country", "Cities", "Names"), legend="Cities per country", none_label="None",
        )  # fmt: skip
        svg = ET.fromstring(str(p.svg))  # noqa: S314 - markup built by the test itself
        assert svg.get("role") == "img" and svg.get("viewBox", "").startswith("0 0 400 ")
        paths = {e.get("data-country"): e for e in svg.iter(f"{SVG}path")}
        assert set(paths) == set(outlines().paths)  # a path per country
        tips = {code: e.findtext(f"{SVG}title") for code, e in paths.items()}
        assert tips["FR"] == "France: 2 cities" and tips["MT"] == "Malta: 1 cities"
        assert tips["DE"] is None and paths["DE"].get("fill") == charts.MAP_NONE
        assert paths["FR"].get("fill") != paths["MT"].get("fill")  # two counts, two steps
        (dot,) = [e for e in svg.iter(f"{SVG}circle") if e.get("data-country") == "MT"]
        assert dot.findtext(f"{SVG}title") == "Malta: 1 cities"
        legend = [t.text for t in svg.iter(f"{SVG}text")]
        assert legend == ["Cities per country", "None", "1", "2"]
        assert p.rows == (("France", "2", "Lyon, Paris"), ("Malta", "1", "Valletta"),
                          ("United States", "1", "Austin"))  # fmt: skip

    def test_the_steps_group_large_counts(self) -> None:
        assert charts.map_bins(3) == [(1, 1), (2, 2), (3, 3)]
        assert charts.map_bins(40) == [(1, 1), (2, 4), (5, 9), (10, None)]


async def _city(api: Api, name: str, country: str, nuts: str) -> None:
    person = await api.person(f"Officer of {name}")
    await api.organisation(person, "city", verified=True, name=name, country=country,
                           nuts_code=nuts)  # fmt: skip


class TestOnThePages:
    async def test_a_joint_tender_maps_its_lead_and_confirmed_buyers(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await _sign_in(api, j.lead.email)  # a draft: its buyers' editors see it
        r = await api.client.get(f"/tenders/{tender['id']}")
        shown = picture(r.text, "tender-buyers-map")
        assert shown.title == "Where the buying cities are"
        assert shown.rows == [["Finland", "1", "City of Espoo"]]  # Wien is invited, not in
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
            headers=j.partner.headers,
        )
        assert r.status_code == 200, r.text
        r = await api.client.get(f"/tenders/{tender['id']}")
        shown = picture(r.text, "tender-buyers-map")
        assert shown.head == ["Country", "Cities", "Names"]
        assert shown.rows == [["Finland", "2", "City of Espoo, Stadt Wien"]]
        (fi,) = [e for e in shown.svg.iter(f"{SVG}path") if e.get("data-country") == "FI"]
        assert fi.findtext(f"{SVG}title") == "Finland: 2 cities"
        assert "2 cities, in 1 country: Finland: 2 cities." in shown.desc

    async def test_the_directory_maps_the_networks_cities_in_the_readers_language(
        self, api: Api
    ) -> None:
        await _city(api, "Graz", "AT", "AT221")
        await _city(api, "Wien", "AT", "AT130")
        await _city(api, "Espoo", "FI", "FI1B1")
        owner = await api.person("SME owner")
        await api.organisation(owner, "sme", name="Kinetic Oy")
        shown = picture((await api.client.get("/organisations")).text, "network-map")
        assert shown.rows == [["Austria", "2", "Graz, Wien"], ["Finland", "1", "Espoo"]]
        shaded = {e.get("data-country") for e in shown.svg.iter(f"{SVG}path")
                  if e.find(f"{SVG}title") is not None}  # fmt: skip
        assert shaded == {"AT", "FI"}
        r = await api.client.get("/organisations", headers={"Accept-Language": "de"})
        shown = picture(r.text, "network-map")
        assert shown.rows[0] == ["Österreich", "2", "Graz, Wien"]
        assert shown.title == "Die Städte des Netzwerks"
