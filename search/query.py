"""The query and result model shared by every backend."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from search.documents import cpv_digits, nuts_ancestors

Sort = Literal["relevance", "newest", "deadline", "value"]
SORTS: tuple[str, ...] = ("relevance", "newest", "deadline", "value")
# Facet names as the API reports them; each maps to one filterable document field.
FACETS: tuple[str, ...] = ("type", "theme", "country", "standard", "cpv_division")
MAX_PER_PAGE = 100


# An any-word query (matching) keeps its rarest words, at most MAX_ANY_WORDS in the caller's
# order, leaving out words in more than COMMON_SHARE of the documents (and in more than
# COMMON_AT_LEAST of them): the idea of Lucene's common-terms query. Such words match a good
# part of the corpus, say little about relevance, and make the query slow on every engine.
COMMON_SHARE = 0.05
COMMON_AT_LEAST = 1000
MAX_ANY_WORDS = 8


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Values within one filter are alternatives (OR); different filters all apply (AND)."""

    text: str = ""
    types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()  # any level; matches every code below it
    countries: tuple[str, ...] = ()
    nuts: tuple[str, ...] = ()  # any level; matches every sub-region
    standards: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    deadline_from: datetime | None = None
    deadline_to: datetime | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    # The last word is matched as a prefix ("type-ahead"), unless the text ends with a space.
    prefix: bool = True
    # Answer a query that finds nothing with the closest spelling that does.
    suggest: bool = True
    # Any of the words rather than all of them, more of them ranking higher: for matching a
    # whole description against records ("more like this"), not for what people type.
    any_word: bool = False
    # False: hits carry a plain snippet and no score, for callers that only need which
    # documents (matching); highlighting is a good part of a query's cost.
    highlight: bool = True
    # False: the caller reads the hits only (matching); a backend that must count every
    # match to know the total (PostgreSQL on a common word) may then report at least the
    # hits it found, with one more when the page came back full.
    exact_total: bool = True
    # Nearest in meaning: the record's embedding, as many numbers as the backend's embedder
    # has dimensions. A backend whose `vector_search` is true blends it with the words (a
    # hybrid search: `semantic_ratio` 0 is words only, 1 meaning only; without text it is
    # meaning only); one that cannot ignores it (the caller scans vectors itself).
    vector: tuple[float, ...] | None = None
    semantic_ratio: float = 0.5

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError("page must be ≥ 1 and per_page between 1 and 100")
        for moment in (self.deadline_from, self.deadline_to):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("deadline bounds must be timezone-aware")
        if not 0.0 <= self.semantic_ratio <= 1.0:
            raise ValueError("semantic_ratio must be between 0 and 1")
        if self.vector is not None and (
            not self.vector or not all(math.isfinite(x) for x in self.vector)
        ):
            raise ValueError("a query vector needs finite numbers")
        for code in self.cpv:
            cpv_digits(code)
        for code in self.nuts:
            nuts_ancestors(code)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def cpv_terms(self) -> tuple[str, ...]:
        """Filter codes as indexed: 8 digits, check digit dropped."""
        return tuple(cpv_digits(code) for code in self.cpv)

    @property
    def nuts_terms(self) -> tuple[str, ...]:
        return tuple(code.strip().upper() for code in self.nuts)

    def with_text(self, text: str) -> SearchQuery:
        """The same query with other words, not corrected again."""
        return replace(self, text=text, suggest=False)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    type: str
    title: str  # plain text
    snippet: str  # safe HTML: user text escaped, matches wrapped in <mark>
    score: float  # backend-specific relevance; higher is better, 0 without text


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    total: int  # exact
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # When the text found nothing and a corrected spelling did, the text that was used.
    corrected_text: str | None = None
