"""The marketplace side of search: backend selection, the transactional outbox that keeps
the index true, the worker that drains it, the search API and page, and the CLI.

Domain packages make their records findable in these steps:

1. `register_kind("listing", load_listings)` once at import time (in a module that
   `marketplace.app` imports), where `load_listings(session, ids)` returns the
   `search.SearchDocument`s of those ids that are public (ids left out are removed from the
   index) and `load_listings(session, None)` returns every public one (for `reindex`);
2. `await enqueue(session, "listing", listing.id, now=now)` in every service that changes a
   searchable record, in the same transaction as the change;
3. where a document shows something of another record (an organisation's name, a
   standard's title), `register_dependents("listing", "organisation", finder)`; the
   service changing that record calls `enqueue_dependents(session, "organisation", id)`.
"""

from marketplace.searching.outbox import (
    enqueue,
    enqueue_dependents,
    register_dependents,
    register_kind,
)

__all__ = ["enqueue", "enqueue_dependents", "register_dependents", "register_kind"]
