"""A small, believable set of documents the contract suite searches."""

from __future__ import annotations

from datetime import UTC, datetime

from search import SearchDocument


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


CORPUS = [
    SearchDocument(
        id="l-malmo", type="listing", status="published",
        title="Smart waste bins for Malmö",
        summary="Sensor bins report their fill level so collection crews skip empty streets.",
        body="Installed in three districts; cuts collection trips by a third.",
        organisation="Sopor Sensorik AB",
        cpv_codes=("38000000-5",), cpv_labels=("Laboratory, optical and precision equipments",),
        standards=("OASC-MIM1",), standard_titles=("Context information management",),
        outcomes=("Collection trips avoided",),
        themes=("clean-industry",), countries=("SE",), nuts_codes=("SE224",),
        value=50_000.0, published_at=at("2026-01-10"),
    ),
    SearchDocument(
        id="t-munchen", type="tender", status="active",
        title="Electric buses for München",
        summary="Joint procurement of forty electric buses with depot charging.",
        body="Lots per city; battery warranty of eight years required.",
        organisation="Landeshauptstadt München",
        cpv_codes=("34144910-0",), cpv_labels=("Electric buses",),
        standards=("OASC-MIM2",), standard_titles=("Data models",),
        outcomes=("CO2 emissions avoided",),
        themes=("mobility",), countries=("DE",), nuts_codes=("DE212",),
        value=12_000_000.0, deadline=at("2026-06-01"), published_at=at("2026-02-01"),
    ),
    SearchDocument(
        id="t-roads", type="tender", status="active",
        title="Road resurfacing framework",
        summary="Resurfacing of urban roads and public transport lanes.",
        body="Framework agreement for four years across the metropolitan area.",
        organisation="City of Espoo",
        cpv_codes=("45233142-6",), cpv_labels=("Road-repair works",),
        themes=("mobility",), countries=("FI",), nuts_codes=("FI1B1",),
        value=3_000_000.0, deadline=at("2026-04-15"), published_at=at("2026-02-05"),
    ),
    SearchDocument(
        id="f-schools", type="funding_call", status="open",
        title="Energy retrofit of schools",
        summary="Deep renovation of twelve school buildings for energy efficiency.",
        body="Co-financing of 30 percent; looking for green loans.",
        organisation="City of Tampere",
        cpv_codes=("45321000-3",), cpv_labels=("Thermal insulation work",),
        outcomes=("Energy use reduction",),
        themes=("renewable-energies",), countries=("FI",), nuts_codes=("FI197",),
        value=8_000_000.0, deadline=at("2026-05-01"), published_at=at("2026-01-20"),
    ),
    SearchDocument(
        id="l-transit", type="listing", status="published",
        title="Public transport planning software",
        summary="Timetable and route planning for public transport operators.",
        body="Imports GTFS feeds; what-if scenarios for new lines.",
        organisation="Reitti Oy",
        cpv_codes=("48000000-8",), cpv_labels=("Software package and information systems",),
        standards=("OASC-MIM2",), standard_titles=("Data models",),
        themes=("mobility", "open-data"), countries=("FI", "SE"),
        published_at=at("2026-01-15"),
    ),
    SearchDocument(
        id="l-parking", type="listing", status="published",
        title="<script>alert('x')</script> Parking sensors",
        summary="Parking occupancy sensors with an open API.",
        organisation="Aparca & Co",
        cpv_codes=("38000000-5",), themes=("mobility",), countries=("ES",),
        nuts_codes=("ES511",), value=20_000.0, published_at=at("2026-01-05"),
    ),
]  # fmt: skip


def by_id(doc_id: str) -> SearchDocument:
    return next(d for d in CORPUS if d.id == doc_id)
