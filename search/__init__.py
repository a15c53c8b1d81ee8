"""Engine-agnostic full-text search: documents, queries, and backends behind one Protocol.

This package knows nothing of the marketplace: callers turn their records into
`SearchDocument`s, hand them to a `SearchBackend`, and ask it `SearchQuery`s.
"""

from search.documents import SearchDocument, cpv_ancestors, cpv_digits, cpv_division, nuts_ancestors
from search.protocol import BackendUnavailable, IndexOutdated, SearchBackend
from search.query import FACETS, SORTS, Hit, SearchQuery, SearchResult

__all__ = [
    "FACETS", "SORTS", "BackendUnavailable", "Hit", "IndexOutdated", "SearchBackend",
    "SearchDocument",
    "SearchQuery", "SearchResult", "cpv_ancestors", "cpv_digits", "cpv_division", "nuts_ancestors",
]  # fmt: skip
