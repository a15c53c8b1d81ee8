"""The marketplace side of search: backend selection, the subscriber that keeps the index
true to the event outbox, the search API and page, and the CLI.

A package makes its records findable by declaring a `marketplace.core.module.SearchKind` in
its module (`search_kinds=(SEARCH_KIND,)`):

- `load(session, ids)` returns the `search.SearchDocument`s of those ids that are public
  (ids left out are removed from the index) and `load(session, None)` every public one
  (for `marketplace search reindex`); `key` is the id column, for rebuilding in chunks;
- `changed_by`: the event kinds whose subject is one of its records (its services publish
  them in the change's transaction, as they do anyway);
- `shows`: for events about other records its documents show (an organisation's name, a
  standard's title), a finder of the records showing it.

Nothing registers itself: the app hands the kinds of the modules it is built from to the
`SearchIndexer` subscriber (`marketplace.searching.worker`).
"""
