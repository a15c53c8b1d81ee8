"""The fixed mix of realistic queries, as the search API receives them.

Each query is the URL parameters of `GET /api/v1/search`, so the engine measurement (the
parameters through `build_query`, then `backend.search`) and the HTTP measurement send
exactly the same searches. The words are ones the generated corpus uses (CPV labels,
solution names, outcome metrics, city names), chosen to span common words that match a
large share of the corpus and rarer ones that match a few hundred documents.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.core.module import Modules
from marketplace.modules import ALL
from marketplace.searching.services import SearchParams, build_query
from search import SearchQuery

CATEGORIES = (
    "one word", "two words", "phrase", "prefix", "misspelling", "filtered + faceted",
    "bench mix",
)  # fmt: skip
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
            TYPES,
        )


# The kinds the app's `?type=` accepts (every module's search kinds).
TYPES = tuple(kind.name for kind in Modules(ALL).search_kinds)


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


# -- distinct queries drawn from the corpus -------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words too common to be what someone types alone (they still occur inside phrases).
STOP = frozenset(
    "and for the with from into that this their our are per all its new use over under each"
    " more than can via who how not".split()
)
THEMES = (
    "mobility", "renewable-energies", "clean-industry", "green-manufacturing", "e-government",
    "open-data", "skills-employment", "healthcare-safety", "re-skilling", "crisis-management",
)  # fmt: skip
COUNTRIES = ("DE", "ES", "FI", "FR", "IT", "PL", "SE", "AT", "PT", "NL", "BE", "CZ", "DK")
KINDS = ("listing", "tender", "funding_call")


async def corpus_texts(engine: AsyncEngine, limit: int = 4000) -> list[str]:
    """Titles and summaries of records of every kind, the first `limit` of each by id: the
    words people would type are the words the records use."""
    found: list[str] = []
    async with engine.connect() as conn:
        for table in ("listings", "tenders", "funding_calls"):
            column = "description" if table == "tenders" else "summary"
            rows = await conn.execute(
                text(f"SELECT title, {column} FROM {table} ORDER BY id LIMIT :n"), {"n": limit}
            )
            found += [f"{title}. {summary[:300].rsplit(' ', 1)[0]}" for title, summary in rows]
    return found


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the fingers: two neighbours swapped, a letter doubled or dropped."""
    i = rng.randrange(1, len(word) - 2)
    slip = rng.choice(("swap", "double", "drop"))
    if slip == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1 :]


def distinct(texts: Sequence[str], seed: int, count: int) -> list[BenchQuery]:
    """`count` different queries (no two with the same parameters), seeded: the categories
    in turn, words drawn from `texts`; the fixed mix appears once, as its own category."""
    rng = random.Random(seed)
    records = [[w for w in _WORD.findall(t)] for t in texts]
    records = [r for r in records if len(r) >= 2]
    words = sorted({w.lower() for r in records for w in r if w.lower() not in STOP})
    typable = [w for w in words if len(w) >= 6]
    seen: set[Params] = set()
    out: list[BenchQuery] = []

    def add(category: str, *params: tuple[str, str]) -> None:
        if params not in seen:
            seen.add(params)
            out.append(BenchQuery(category, params))

    for query in MIX:
        add("bench mix", *query.params)
    makers = (
        lambda: add("one word", ("q", rng.choice(words) + " ")),
        lambda: add("two words", ("q", " ".join(_two(rng, records)) + " ")),
        lambda: add("phrase", ("q", '"' + " ".join(_adjacent(rng, records)) + '"')),
        lambda: add("prefix", ("q", _typing(rng, records))),
        lambda: add("misspelling", ("q", _typo(rng, rng.choice(typable)) + " ")),
        lambda: add(
            "filtered + faceted", ("q", rng.choice(words) + " "), ("type", rng.choice(KINDS)),
            *_filters(rng),
        ),
    )  # fmt: skip
    attempts = 0
    while len(out) < count + len(MIX) and attempts < count * 20:
        makers[attempts % len(makers)]()
        attempts += 1
    mix, rest = out[: len(MIX)], out[len(MIX) :]
    rng.shuffle(rest)
    return rest[:count] + mix


def _two(rng: random.Random, records: list[list[str]]) -> list[str]:
    record = rng.choice(records)
    return [w.lower() for w in rng.sample(record, 2)]


def _adjacent(rng: random.Random, records: list[list[str]]) -> list[str]:
    record = rng.choice(records)
    i = rng.randrange(len(record) - 1)
    return record[i : i + 2]


def _typing(rng: random.Random, records: list[list[str]]) -> str:
    """A query being typed: maybe a word before it, then the start of a word."""
    record = rng.choice(records)
    i = rng.randrange(len(record))
    word = record[i]
    cut = word[: rng.randint(3, max(3, len(word) - 1))]
    return (record[i - 1] + " " + cut) if i and rng.random() < 0.5 else cut


def _filters(rng: random.Random) -> Iterable[tuple[str, str]]:
    chosen: list[tuple[str, str]] = []
    if rng.random() < 0.7:
        chosen.append(("theme", rng.choice(THEMES)))
    if rng.random() < 0.7:
        chosen += [("country", c) for c in rng.sample(COUNTRIES, rng.randint(1, 2))]
    return chosen
