"""The fixed mix of realistic queries, as the search API receives them.

Each query is the URL parameters of `GET /api/v1/search`, so the engine measurement (the
parameters through `build_query`, then `backend.search`) and the HTTP measurement send
exactly the same searches. The words are ones the generated corpus uses (CPV labels,
solution names, outcome metrics, city names), chosen to span common words that match a
large share of the corpus and rarer ones that match a few hundred documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from marketplace.searching.services import SearchParams, build_query
from search import SearchQuery

CATEGORIES = ("one word", "phrase", "prefix", "misspelling", "filtered + faceted")
Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BenchQuery:
    category: str
    params: Params

    @property
    def label(self) -> str:
        """As it appears in the URL (a trailing space in `q` shows as `+`)."""
        return urlencode(self.params)

    def search_query(self, now: datetime) -> SearchQuery:
        """What the API would ask the backend for these parameters."""
        values: dict[str, list[str]] = {}
        for key, value in self.params:
            values.setdefault(key, []).append(value)
        return build_query(
            SearchParams(
                q=values.get("q", [None])[0],
                type=values.get("type", []),
                theme=values.get("theme", []),
                cpv=values.get("cpv", []),
                country=values.get("country", []),
                nuts=values.get("nuts", []),
                standard=values.get("standard", []),
                status=values.get("status", []),
            ),
            now,
        )


def _q(category: str, *params: tuple[str, str]) -> BenchQuery:
    return BenchQuery(category, params)


# A space after a word means "typed completely": without it the last word is a prefix, as
# in the search box while typing. Whole words are sent with the space, as the page's form
# would after the person moved on.
MIX: tuple[BenchQuery, ...] = (
    *(
        _q("one word", ("q", word + " "))
        for word in ("transport", "solar", "parking", "heating", "sensors", "München", "flood",
                     "lighting", "waste", "Kraków")
    ),
    *(
        _q("phrase", ("q", f'"{phrase}"'))
        for phrase in ("street lighting", "air quality", "open data", "district heating",
                       "CO2 emissions", "heat pump", "waste collection", "early warning")
    ),
    *(
        _q("prefix", ("q", typed))
        for typed in ("transp", "sola", "park", "hea", "sens", "digital tw", "street li",
                      "Krak", "emis", "energy comm")
    ),
    *(
        _q("misspelling", ("q", typo))
        for typo in ("transprot", "parkign", "hetaing", "lightnig", "sensros", "emmissions",
                     "recycilng", "electrcity")
    ),
    _q("filtered + faceted", ("q", "solar "), ("type", "tender"), ("theme", "renewable-energies"),
       ("cpv", "09000000"), ("country", "DE")),
    _q("filtered + faceted", ("q", "parking "), ("type", "listing"), ("theme", "mobility"),
       ("cpv", "34000000"), ("country", "ES")),
    _q("filtered + faceted", ("q", "data platform "), ("type", "listing"),
       ("theme", "open-data"), ("cpv", "48000000"), ("country", "FR")),
    _q("filtered + faceted", ("q", "lighting "), ("type", "tender"), ("status", "active"),
       ("nuts", "DE2"), ("cpv", "34000000")),
    _q("filtered + faceted", ("q", "flood "), ("type", "funding_call"),
       ("theme", "crisis-management"), ("country", "IT")),
    _q("filtered + faceted", ("type", "tender"), ("theme", "e-government"), ("country", "PL"),
       ("status", "active")),
    _q("filtered + faceted", ("q", "waste "), ("theme", "clean-industry"), ("cpv", "90000000"),
       ("country", "SE"), ("country", "FI")),
    _q("filtered + faceted", ("q", "energy "), ("type", "listing"), ("type", "tender"),
       ("theme", "renewable-energies"), ("cpv", "09000000"), ("country", "AT")),
)  # fmt: skip
