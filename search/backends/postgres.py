"""PostgreSQL full-text search in the application's own database.

- Text: one `tsvector` per document with weights (A title, B summary and organisation,
  C CPV labels, standards and outcomes, D body). With the `rum` extension (Debian's
  `postgresql-15-rum`) its index is a RUM index, which keeps the positions a rank needs, so
  `ORDER BY tsv <=> query LIMIT n` reads the best n from the index instead of ranking every
  match (a common word matches a third of the corpus); without it, a GIN index and
  `ts_rank` over the matches (the fallback, correct but slower on common words). Which one
  the live index is, is read from the catalogue (a reindex may change it). The query is
  `websearch_to_tsquery` for what the user typed, AND the last word as a prefix (`word:*`)
  while typing. The `icc_search` text search configuration is `simple` with
  `unaccent` in front, so `Munchen` finds `München` (without `unaccent` on the server it is
  plain `simple` and diacritics must match; `ensure_ready` says so in the log).
- Misspellings: when the words find nothing, each unknown word is replaced by the most
  similar word of a lexicon table (`pg_trgm` similarity over a trigram GIN index, then the
  same edit-distance budget as the other backends) and the corrected query is run instead.
- Snippets: `ts_headline` marks matches with control characters on text whose `<` and `>`
  were swapped out (ts_headline drops anything that looks like a tag); the result is
  HTML-escaped and only then are the marks turned into `<mark>`.
- Filters and facets: `terms` and `facets` arrays on the document row (see `_sql`); the
  facet counts of a query are one pass over its matching rows, and give its total.
- Rebuild: build tables swapped in by rename in one transaction. An index of the earlier
  layout (a separate term table) is converted in place by `ensure_ready`.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.backends._sql import (
    FACET_FIELDS,
    PREFIX,
    count_documents,
    facet_counts,
    filter_conditions,
    order_by,
    search_or_correct,
    terms_of,
)
from search.documents import SearchDocument
from search.protocol import BackendUnavailable
from search.query import (
    COMMON_AT_LEAST,
    COMMON_SHARE,
    MAX_ANY_WORDS,
    Hit,
    SearchQuery,
    SearchResult,
)
from search.text import (
    MARK_END,
    MARK_START,
    ParsedText,
    aiter_documents,
    best_correction,
    clean,
    fold,
    highlight,
    parse,
    plain_snippet,
    words,
)

log = logging.getLogger(__name__)
CONFIG = "icc_search"
BATCH = 500
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12,"
    ' MaxFragments=2, FragmentDelimiter=" … "'
)
TAG_OUT = "\x04\x05"  # stand-ins for < and > while ts_headline looks at the text

# Names of every index and constraint, so a build generation can carry its own and be
# renamed to these on swap.
INDEXES = ("pk_{p}documents", "ix_{p}documents_tsv", "ix_{p}documents_terms",
           "ix_{p}documents_title", "pk_{p}lexicon", "ix_{p}lexicon_trgm")  # fmt: skip
TSV_INDEX = f"ix_{PREFIX}documents_tsv"
TITLE_INDEX = f"ix_{PREFIX}documents_title"
# The title's words alone, as the text vector's A part holds them; a GIN index on this
# expression finds the matches whose title holds the words without reading the (out of
# line) text vector.
TITLE_WORDS = "to_tsvector('{config}', translate({{column}}, '<>', '  '))"
# GIN ranking in two phases (no RUM): `ts_rank` reads each match's text vector from TOAST
# (~9 µs a match: 0.9 s for a word every document holds), so a relevance page ranks a
# bounded candidate set instead: the newest matches whose title holds the words, then
# other matches, at most this many. A query with fewer matches ranks all of them, exactly
# as before; a page past the candidates ranks every match (they come first, then the rest).
CANDIDATES = 200
# Up to this many documents `ensure_ready` turns a GIN text index into RUM on the spot
# (seconds); above, the reindex does it without blocking searches.
RUM_IN_PLACE = 20_000
# Matches read past the page in the RUM index's order, so that matches of equal rank at the
# page's edge are ordered by id among themselves (more than this many ties at one rank
# across a page boundary could still swap places between requests).
TIE_MARGIN = 20


def _title_words(column: str) -> str:
    return TITLE_WORDS.format(config=CONFIG).format(column=column)


def _named(token: str) -> Callable[[str], str]:
    def n(name: str) -> str:
        return name.format(p=PREFIX) + (f"_{token}" if token else "")

    return n


def tables(suffix: str = "", token: str = "") -> list[str]:
    n = _named(token)
    return [
        f"CREATE TABLE IF NOT EXISTS {PREFIX}documents{suffix} ("
        " doc_id TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,"
        " body TEXT NOT NULL, status TEXT NOT NULL, value DOUBLE PRECISION,"
        " deadline TIMESTAMPTZ, published_at TIMESTAMPTZ, tsv TSVECTOR NOT NULL,"
        " terms TEXT[] NOT NULL DEFAULT '{}', facets TEXT[] NOT NULL DEFAULT '{}',"
        f" CONSTRAINT {n('pk_{p}documents')} PRIMARY KEY (doc_id))"
        " WITH (toast_tuple_target = 128)",
        # Counting matches and their facets visits every matching row: with the text vector
        # and the long texts kept out of line the rows are small (64 MB instead of 152 MB at
        # 100 000 documents, a common word counted in 30 ms instead of 200-800 ms); the
        # filter and facet arrays stay in the row.
        f"ALTER TABLE {PREFIX}documents{suffix} ALTER COLUMN tsv SET STORAGE EXTERNAL,"
        " ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN summary SET STORAGE EXTERNAL,"
        " ALTER COLUMN terms SET STORAGE MAIN, ALTER COLUMN facets SET STORAGE MAIN",
        f"CREATE TABLE IF NOT EXISTS {PREFIX}lexicon{suffix} (word TEXT NOT NULL,"
        f" CONSTRAINT {n('pk_{p}lexicon')} PRIMARY KEY (word))",
    ]


def indexes(suffix: str = "", token: str = "", rum: bool = False) -> list[str]:
    """Built after a rebuild's rows are in (one pass over a full table is far cheaper than
    keeping an index up to date row by row)."""
    n = _named(token)
    text_index = "rum (tsv rum_tsvector_ops)" if rum else "GIN (tsv)"
    return [
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}documents_tsv')}"
        f" ON {PREFIX}documents{suffix} USING {text_index}",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}documents_terms')}"
        f" ON {PREFIX}documents{suffix} USING GIN (terms)",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}documents_title')}"
        f" ON {PREFIX}documents{suffix} USING GIN (({_title_words('title')}))",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}lexicon_trgm')}"
        f" ON {PREFIX}lexicon{suffix} USING GIN (word gin_trgm_ops)",
    ]


def schema(suffix: str = "", token: str = "", rum: bool = False) -> list[str]:
    return tables(suffix, token) + indexes(suffix, token, rum)


# The earlier layout kept terms in a table of their own (`searchidx_terms`, which migration
# 0005 still creates): `ensure_ready` copies the documents with their terms as arrays into
# new tables and swaps them in, so an existing index keeps answering without a reindex.
FACET_TERMS = "(" + ", ".join(f"'{field}'" for field in FACET_FIELDS.values()) + ")"


def upgrade_copy(suffix: str) -> list[str]:
    return [
        f"INSERT INTO {PREFIX}documents{suffix} (doc_id, type, title, summary, body, status,"
        " value, deadline, published_at, tsv, terms, facets)"
        " SELECT d.doc_id, d.type, d.title, d.summary, d.body, d.status, d.value, d.deadline,"
        " d.published_at, d.tsv, coalesce(t.terms, '{}'), coalesce(t.facets, '{}')"
        f" FROM {PREFIX}documents d LEFT JOIN (SELECT doc_id,"
        " array_agg(field || ':' || value ORDER BY field, value) AS terms,"
        " array_agg(field || ':' || value ORDER BY field, value)"
        f" FILTER (WHERE field IN {FACET_TERMS}) AS facets"
        f" FROM {PREFIX}terms GROUP BY doc_id) t ON t.doc_id = d.doc_id",
        f"INSERT INTO {PREFIX}lexicon{suffix} (word) SELECT word FROM {PREFIX}lexicon",
    ]


def configuration(with_unaccent: bool) -> list[str]:
    mapping = "unaccent, simple" if with_unaccent else "simple"
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN"
        f" CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple);"
        f" ALTER TEXT SEARCH CONFIGURATION {CONFIG}"
        f" ALTER MAPPING FOR hword, hword_part, word WITH {mapping}; END IF; END $$",
    ]


def _vector_sql() -> str:
    # `<` and `>` become spaces: PostgreSQL's parser would skip `<script>` as a tag, while the
    # other backends index the word.
    def v(expr: str, weight: str) -> str:
        return f"setweight(to_tsvector('{CONFIG}', translate({expr}, '<>', '  ')), '{weight}')"

    return " || ".join(
        (
            v(":title", "A"),
            v(":summary || ' ' || :organisation", "B"),
            v(":classification || ' ' || :outcomes", "C"),
            v(":body", "D"),
        )
    )


# For a text query, set for its transaction: the text index finds the matches. PostgreSQL
# reckons a sequential scan cheaper for a word in most documents, but that scan reads every
# row's text vector out of line (0.5 s at 100 000 documents) where the index reads none;
# no JIT compilation (its threshold counts the disabled scan's cost), and no parallel
# workers (the candidates' storage order stays one; 2 cores serve concurrent searches).
PLAN_SETTINGS = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


def _two_phase_sql(q: str, where: str, filters: list[str], shown: int) -> str:
    """A relevance page ranked from a bounded candidate set (see CANDIDATES): the newest
    matches whose title holds the words (a title match is a match: the title is the text
    vector's A part), then the first other matches in storage order, `ts_rank` over those
    only. `shown`: the page's last position; past the candidates every match is ranked,
    the candidates first, so pages never overlap."""
    in_title = " AND ".join([f"{_title_words('d.title')} @@ {q}", *filters])
    candidates = (
        f"WITH titled AS MATERIALIZED (SELECT d.doc_id FROM {PREFIX}documents d"
        f" WHERE {in_title} ORDER BY d.published_at DESC NULLS LAST, d.doc_id"
        " LIMIT :candidates), candidates AS MATERIALIZED ("
        "(SELECT doc_id FROM titled UNION ALL (SELECT d.doc_id FROM"
        f" {PREFIX}documents d {where} AND d.doc_id NOT IN (SELECT doc_id FROM titled)"
        " LIMIT :candidates)) LIMIT :candidates) "
    )
    head = f"SELECT d.doc_id, d.type, d.title, d.summary, ts_rank(d.tsv, {q}) AS score"
    if shown <= CANDIDATES:
        ranked = (
            f"{head}, TRUE AS candidate FROM {PREFIX}documents d"
            " WHERE d.doc_id IN (SELECT doc_id FROM candidates)"
            " ORDER BY score DESC, d.doc_id ASC LIMIT :limit OFFSET :offset"
        )
    else:
        ranked = (
            f"{head}, d.doc_id IN (SELECT doc_id FROM candidates) AS candidate"
            f" FROM {PREFIX}documents d {where}"
            " ORDER BY candidate DESC, score DESC, d.doc_id ASC LIMIT :limit OFFSET :offset"
        )
    # Fewer candidates than the bound are every match: their ids, so that the facets and
    # the total are counted on them (no second pass over the text index and its rows).
    # Added to the page's rows only, after the sort (each sorted row would carry them).
    return (
        f"{candidates}SELECT page.*, (SELECT CASE WHEN count(*) < :candidates"
        f" THEN array_agg(doc_id) END FROM candidates) AS every_match FROM ({ranked}) AS page"
        " ORDER BY page.candidate DESC, page.score DESC, page.doc_id ASC"
    )


class PostgresSearch:
    name = "postgres"
    vector_search = False  # matching scans the vectors itself (docs/relevance.md)
    # How long a process trusts what it read of the live index's kind (a reindex by another
    # process may turn a GIN index into a RUM one; the GIN plan answers right on either).
    INDEX_KIND_SECONDS = 30.0

    def __init__(self, engine: AsyncEngine, *, rum: bool | None = None) -> None:
        """`rum`: build RUM indexes when the extension is there (None), or never (False:
        GIN, as on a server without the extension; what the app chooses unless
        `MARKETPLACE_SEARCH_PG_RUM` is on, see `marketplace.settings`)."""
        self.engine = engine
        self.wants_rum = rum is not False
        self.has_rum = False  # the extension is installed in this database
        # What the catalogue said of the live index: (RUM text index, title index, when).
        self._ranked_by_index: tuple[bool, bool, float] | None = None
        self._common: tuple[dict[str, float], float, float] | None = None

    async def ensure_ready(self) -> None:
        async with self.engine.begin() as conn:
            available = {
                row[0]
                for row in await conn.execute(
                    text(
                        "SELECT name FROM pg_available_extensions"
                        " WHERE name IN ('unaccent', 'pg_trgm', 'rum')"
                    )
                )
            }
            if "pg_trgm" not in available:
                raise BackendUnavailable("PostgreSQL search needs the pg_trgm extension")
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            if "unaccent" in available:
                await conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
            else:
                log.warning("unaccent is not available: searches must match diacritics exactly")
            if self.wants_rum and "rum" in available:
                await conn.execute(text("CREATE EXTENSION IF NOT EXISTS rum"))
                self.has_rum = True
            elif self.wants_rum:
                log.warning(
                    "the rum extension is not available (Debian: postgresql-15-rum): search"
                    " ranks every match with ts_rank, slower on common words"
                )
            for statement in configuration("unaccent" in available):
                await conn.execute(text(statement))
            exists = (
                await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{PREFIX}documents"})
            ).scalar()
            upgrade = False
            if exists is None:
                for statement in schema(rum=self.has_rum):
                    await conn.execute(text(statement))
            elif (
                await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{PREFIX}terms"})
            ).scalar() is not None:
                upgrade = True
            else:
                if self.has_rum != await self._rum_live(conn) and (
                    self.has_rum or not self.wants_rum
                ):
                    await self._rebuild_text_index(conn, rum=self.has_rum)
                await self._add_title_index(conn)
        if upgrade:
            log.warning("search index: copying it into the layout with term arrays (one-time)")
            await self._upgrade()
        self._ranked_by_index = None

    async def _rebuild_text_index(self, conn: AsyncConnection, rum: bool) -> None:
        """The live text index of the other kind than wanted, rebuilt in place as `rum` says
        while it is small; a large one is left to `marketplace search reindex`, which builds
        the new one beside the live index. To RUM: a fresh database (the migration creates
        the GIN layout) where RUM is asked for; to GIN: RUM turned off
        (`MARKETPLACE_SEARCH_PG_RUM`, the default since RUM crashed the server)."""
        documents = (
            await conn.execute(text(f"SELECT count(*) FROM {PREFIX}documents"))
        ).scalar_one()
        if documents > RUM_IN_PLACE:
            log.warning(
                "search index: %s documents under a %s index; run `marketplace search"
                " reindex` to build %s (MARKETPLACE_SEARCH_PG_RUM)",
                documents, "GIN" if rum else "RUM", "RUM" if rum else "GIN",
            )  # fmt: skip
            return
        await conn.execute(text(f"DROP INDEX IF EXISTS {TSV_INDEX}"))
        await conn.execute(text(indexes(rum=rum)[0]))
        self._ranked_by_index = None

    async def _add_title_index(self, conn: AsyncConnection) -> None:
        """An index built before the title index existed gets it (seconds at 100 000
        documents; writes wait for it, searches do not)."""
        found = (await conn.execute(text("SELECT to_regclass(:t)"), {"t": TITLE_INDEX})).scalar()
        if found is None:
            log.warning("search index: adding the title index (one-time)")
            await conn.execute(text(indexes()[2]))
            self._ranked_by_index = None

    async def _live_indexes(self, conn: AsyncConnection) -> tuple[bool, bool]:
        """Whether the live text index is a RUM index, and whether the title index is
        there (read again now and then)."""
        now = time.monotonic()
        if self._ranked_by_index and now - self._ranked_by_index[2] < self.INDEX_KIND_SECONDS:
            return self._ranked_by_index[0], self._ranked_by_index[1]
        found = await conn.execute(
            text(
                "SELECT c.relname, am.amname FROM pg_class c"
                " JOIN pg_am am ON am.oid = c.relam WHERE c.relname IN (:tsv, :title)"
            ),
            {"tsv": TSV_INDEX, "title": TITLE_INDEX},
        )
        kinds = {str(name): str(kind) for name, kind in found.tuples()}
        rum, title = kinds.get(TSV_INDEX) == "rum", TITLE_INDEX in kinds
        self._ranked_by_index = (rum, title, now)
        return rum, title

    async def _rum_live(self, conn: AsyncConnection) -> bool:
        """Whether the live text index is a RUM index (read again now and then)."""
        return (await self._live_indexes(conn))[0]

    # ---- writing -------------------------------------------------------------------------
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        latest = {doc.id: doc for doc in documents}
        try:
            async with self.engine.begin() as conn:
                await self._remove(conn, list(latest), "")
                await self._insert(conn, list(latest.values()), "")
        except Exception as error:
            raise BackendUnavailable(f"PostgreSQL search index: {error}") from error

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        try:
            async with self.engine.begin() as conn:
                await self._remove(conn, list(ids), "")
        except Exception as error:
            raise BackendUnavailable(f"PostgreSQL search index: {error}") from error

    async def _remove(self, conn: AsyncConnection, ids: list[str], suffix: str) -> None:
        await conn.execute(
            text(f"DELETE FROM {PREFIX}documents{suffix} WHERE doc_id = ANY(:ids)"), {"ids": ids}
        )

    async def _insert(
        self, conn: AsyncConnection, documents: list[SearchDocument], suffix: str
    ) -> None:
        rows = []
        for doc in documents:
            terms, facets = terms_of(doc)
            rows.append({
                "doc_id": doc.id, "type": doc.type, "status": doc.status, "value": doc.value,
                "deadline": doc.deadline, "published_at": doc.published_at,
                "terms": terms, "facets": facets,
                **{k: clean(v) for k, v in doc.text_fields.items()},
            })  # fmt: skip
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}documents{suffix} (doc_id, type, title, summary, body,"
                " status, value, deadline, published_at, terms, facets, tsv) VALUES (:doc_id,"
                " :type, :title, :summary, :body, :status, :value, :deadline, :published_at,"
                f" :terms, :facets, {_vector_sql()})"
            ),
            rows,
        )
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}lexicon{suffix} (word)"
                f" SELECT DISTINCT (unnest(tsv)).lexeme FROM {PREFIX}documents{suffix}"
                " WHERE doc_id = ANY(:ids) ON CONFLICT DO NOTHING"
            ),
            {"ids": [doc.id for doc in documents]},
        )

    async def rebuild(
        self, documents: Iterable[SearchDocument] | AsyncIterable[SearchDocument]
    ) -> int:
        token = secrets.token_hex(4)
        suffix = f"_build_{token}"
        async with self.engine.begin() as conn:
            for statement in tables(suffix, token):
                await conn.execute(text(statement))
        indexed = 0
        batch: list[SearchDocument] = []
        try:
            async for doc in aiter_documents(documents):
                batch.append(doc)
                if len(batch) >= BATCH:
                    indexed += await self._build_batch(batch, suffix)
                    batch = []
            if batch:
                indexed += await self._build_batch(batch, suffix)
            await self._swap_in(suffix, token)
        except BaseException:
            await self._drop(suffix)
            raise
        return indexed

    async def _upgrade(self) -> None:
        """The earlier layout's documents and terms, copied into the new one."""
        token = secrets.token_hex(4)
        suffix = f"_build_{token}"
        try:
            async with self.engine.begin() as conn:
                for statement in tables(suffix, token) + upgrade_copy(suffix):
                    await conn.execute(text(statement))
            await self._swap_in(suffix, token)
        except BaseException:
            await self._drop(suffix)
            raise

    async def _drop(self, suffix: str) -> None:
        async with self.engine.begin() as conn:
            for table in ("documents", "lexicon"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}{suffix}"))

    async def _swap_in(self, suffix: str, token: str) -> None:
        """Index the build tables, give them statistics, then swap them in."""
        async with self.engine.begin() as conn:
            for statement in indexes(suffix, token, rum=self.has_rum):
                await conn.execute(text(statement))
        # Fresh tables have no statistics: without them the planner picks nested loops that
        # turn a filtered query into seconds. VACUUM sets the visibility map, so a count of
        # matches reads the text index alone, not every matching row.
        async with self.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("documents", "lexicon"):
                await autocommit.execute(text(f"VACUUM (ANALYZE) {PREFIX}{table}{suffix}"))
        # The swap: one short transaction; searches wait for it at most, never see a gap.
        async with self.engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}terms"))  # earlier layout
            for table in ("documents", "lexicon"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}"))
                await conn.execute(
                    text(f"ALTER TABLE {PREFIX}{table}{suffix} RENAME TO {PREFIX}{table}")
                )
            for name in INDEXES:
                live = name.format(p=PREFIX)
                await conn.execute(text(f"ALTER INDEX {live}_{token} RENAME TO {live}"))
        self._ranked_by_index = None

    async def _build_batch(self, batch: list[SearchDocument], suffix: str) -> int:
        latest = {doc.id: doc for doc in batch}
        async with self.engine.begin() as conn:
            await self._remove(conn, list(latest), suffix)
            await self._insert(conn, list(latest.values()), suffix)
        return len(latest)

    # ---- reading -------------------------------------------------------------------------
    async def search(self, query: SearchQuery) -> SearchResult:
        return await search_or_correct(
            self.engine, query, self._search, self._correct, "PostgreSQL"
        )

    def _tsquery(self, parsed: ParsedText, params: dict[str, Any], any_word: bool) -> str:
        """The query's tsquery as an expression of bound parameters, written inline where it
        is used: an index can then order by `tsv <=> (it)`."""
        if any_word:
            # websearch_to_tsquery reads `or` between words as |, whatever the words hold.
            params["head"] = " or ".join(parsed.all_words)
            return f"websearch_to_tsquery('{CONFIG}', :head)"
        parts = []
        head = [f'"{" ".join(p)}"' for p in parsed.phrases] + list(parsed.terms)
        if head:
            params["head"] = " ".join(head)
            parts.append(f"websearch_to_tsquery('{CONFIG}', :head)")
        if parsed.prefix:
            # The prefix is one \w+ word (see search.text.parse), safe inside to_tsquery.
            params["prefix"] = parsed.prefix + ":*"
            parts.append(f"to_tsquery('{CONFIG}', :prefix)")
        return "(" + " && ".join(parts) + ")"

    async def _common_words(self, conn: AsyncConnection) -> tuple[dict[str, float], float]:
        """The lexemes in the most documents, with the share of documents holding each, and
        the share above which a word is common: PostgreSQL's own statistics of the text
        column (`pg_stats.most_common_elems`, kept by ANALYZE, which a rebuild runs), read
        again now and then. Empty before the first ANALYZE: then no word is dropped."""
        now = time.monotonic()
        if self._common and now - self._common[2] < self.INDEX_KIND_SECONDS:
            return self._common[0], self._common[1]
        row = (
            await conn.execute(
                text(
                    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,"
                    " c.reltuples FROM pg_class c LEFT JOIN pg_stats s"
                    " ON s.tablename = c.relname AND s.attname = 'tsv'"
                    " AND s.schemaname = current_schema() WHERE c.relname = :name"
                ),
                {"name": f"{PREFIX}documents"},
            )
        ).first()
        elems, freqs, documents = row if row is not None else (None, None, 0)
        shares = dict(zip(elems or (), freqs or (), strict=False))  # freqs end with 3 extras
        cutoff = max(COMMON_SHARE, COMMON_AT_LEAST / max(float(documents or 0), 1.0))
        self._common = (shares, cutoff, now)
        return shares, cutoff

    async def _informative(self, conn: AsyncConnection, parsed: ParsedText) -> ParsedText:
        """An any-word query with its telling words only (as the tantivy backend does): the
        words in more than the common share of documents go, at most MAX_ANY_WORDS stay in
        the caller's order. At 100 000 documents, a matching query of twelve words, some in
        a fifth of the documents, took ~90 ms in the RUM index; its eight rarer words ~20."""
        shares, cutoff = await self._common_words(conn)
        wanted = list(dict.fromkeys(parsed.all_words))
        if not shares:
            return ParsedText((), tuple(wanted[:MAX_ANY_WORDS]), None)
        lexemes = {
            word: list(found or ())
            for word, found in await conn.execute(
                text(
                    "SELECT w, tsvector_to_array(to_tsvector('" + CONFIG + "', w))"
                    " FROM unnest(CAST(:words AS TEXT[])) AS w"
                ),
                {"words": wanted},
            )
        }
        share = {w: max((shares.get(x, 0.0) for x in lexemes.get(w, ())), default=0.0)
                 for w in wanted}  # fmt: skip
        kept = [w for w in wanted if lexemes.get(w) and share[w] <= cutoff][:MAX_ANY_WORDS]
        if not kept:  # every word is common: the two least common still say something
            kept = sorted((w for w in wanted if lexemes.get(w)), key=lambda w: share[w])[:2]
        return ParsedText((), tuple(w for w in wanted if w in kept) or tuple(wanted[:1]), None)

    async def _search(self, conn: AsyncConnection, query: SearchQuery) -> SearchResult:
        parsed = parse(query.text, prefix=query.prefix)
        if query.any_word and not parsed.empty:
            parsed = await self._informative(conn, parsed)
        params: dict[str, Any] = {}
        conditions = filter_conditions(query, params, lambda m: m)
        filters = list(conditions)
        relevance: str | None = None
        ranked_by_index = two_phase = False
        if parsed.empty:
            score = "0.0"
        else:
            if not query.any_word:  # matching's plans (parallel ts_rank) are left alone
                await conn.execute(text(PLAN_SETTINGS))
            q = self._tsquery(parsed, params, query.any_word)
            conditions.insert(0, f"d.tsv @@ {q}")
            rum, title_index = await self._live_indexes(conn)
            ranked_by_index = query.sort == "relevance" and rum
            # Matching's any-word queries rank every match: their best records hold many
            # of the words, seldom in the title.
            two_phase = query.sort == "relevance" and not rum and title_index and not query.any_word
            score = f"ts_rank(d.tsv, {q})"
            relevance = "score DESC"
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        page = {"limit": query.per_page, "offset": query.offset}
        if two_phase:
            sql = _two_phase_sql(q, where, filters, query.offset + query.per_page)
            page["candidates"] = CANDIDATES
        elif ranked_by_index:
            # The index hands out matches best first: read the first ones in its order
            # alone (a second sort key would make PostgreSQL rank every match), then order
            # that window by distance and id so equal ranks keep one order between pages.
            sql = (
                "SELECT doc_id, type, title, summary, 1.0 / distance AS score FROM ("
                f"SELECT d.doc_id, d.type, d.title, d.summary, d.tsv <=> {q} AS distance"
                f" FROM {PREFIX}documents d {where} ORDER BY d.tsv <=> {q} LIMIT :window"
                ") ranked ORDER BY distance ASC, doc_id ASC LIMIT :limit OFFSET :offset"
            )
            page["window"] = query.offset + query.per_page + TIE_MARGIN
        else:
            sql = (
                f"SELECT d.doc_id, d.type, d.title, d.summary, {score} AS score"
                f" FROM {PREFIX}documents d {where}"
                f" ORDER BY {order_by(query, relevance)} LIMIT :limit OFFSET :offset"
            )
        rows = (await conn.execute(text(sql), {**params, **page})).all()
        every: list[str] | None = None  # the ids of every match, when the page query knows
        if two_phase and rows:
            every = rows[0].every_match
        elif two_phase and query.offset == 0:
            every = []  # the first page of candidates is empty: nothing matches
        facets: dict[str, dict[str, int]] = {}
        if every is not None:
            total = len(every)
            if query.facets:
                facets, _ = facet_counts(
                    (
                        await conn.execute(
                            text(
                                f"SELECT f, count(*) FROM (SELECT unnest(d.facets) AS f"
                                f" FROM {PREFIX}documents d WHERE d.doc_id = ANY(:ids)) AS m"
                                " GROUP BY f"
                            ),
                            {"ids": every},
                        )
                    ).tuples()
                    if every
                    else ()
                )
        elif query.facets:
            # One pass over the matching rows counts every facet and, by type, the total
            # (unnest in the select list: no function scan and tuple store per row).
            counted = await conn.execute(
                text(
                    f"SELECT f, count(*) FROM (SELECT unnest(d.facets) AS f"
                    f" FROM {PREFIX}documents d {where}) AS m GROUP BY f"
                ),
                params,
            )
            facets, total = facet_counts(counted.tuples())
        elif query.exact_total:
            total = int(
                (
                    await conn.execute(
                        text(f"SELECT count(*) FROM {PREFIX}documents d {where}"), params
                    )
                ).scalar_one()
            )
        else:  # at least the matches found, one more when the page came back full
            total = query.offset + len(rows) + (1 if len(rows) == query.per_page else 0)
        snippets = (
            await self._snippets(conn, [r.doc_id for r in rows], parsed, params, query.any_word)
            if not parsed.empty and query.highlight
            else {}
        )
        hits = [
            Hit(r.doc_id, r.type, r.title, snippets.get(r.doc_id) or plain_snippet(r.summary),
                float(r.score))
            for r in rows
        ]  # fmt: skip
        return SearchResult(hits, total, query.page, query.per_page, facets)

    async def _snippets(
        self,
        conn: AsyncConnection,
        ids: list[str],
        parsed: ParsedText,
        params: dict[str, Any],
        any_word: bool,
    ) -> dict[str, str]:
        """Headlines for the page shown only: ts_headline re-parses the text it marks."""
        if not ids:
            return {}

        def headline(column: str) -> str:
            return f"ts_headline('{CONFIG}', translate(d.{column}, '<>', :tags), query.q, :options)"

        rows = await conn.execute(
            text(
                f"SELECT d.doc_id, {headline('summary')}, {headline('body')},"
                f" {headline('title')} FROM {PREFIX}documents d,"
                f" (SELECT {self._tsquery(parsed, params, any_word)} AS q) AS query"
                " WHERE d.doc_id = ANY(:ids)"
            ),
            {**params, "ids": ids, "tags": TAG_OUT, "options": HEADLINE_OPTIONS},
        )
        out: dict[str, str] = {}
        for doc_id, *candidates in rows.all():
            marked = next((s for s in candidates if s and MARK_START in s), None)
            if marked:
                out[doc_id] = highlight(marked.replace(TAG_OUT[0], "<").replace(TAG_OUT[1], ">"))
        return out

    async def _correct(self, conn: AsyncConnection, query: SearchQuery) -> str | None:
        parsed = parse(query.text, prefix=query.prefix)
        replacements: dict[str, str] = {}
        for word in parsed.all_words:
            if await self._known(conn, word, prefix=word == parsed.prefix):
                continue
            candidates = (
                await conn.execute(
                    text(
                        f"SELECT word FROM {PREFIX}lexicon WHERE word % :w"
                        " ORDER BY similarity(word, :w) DESC, word LIMIT 20"
                    ),
                    {"w": word},
                )
            ).all()
            fix = best_correction(word, ((c.word, 1) for c in candidates))
            if fix:
                replacements[word] = fix
        if not replacements:
            return None
        corrected = [replacements.get(fold(w), fold(w)) for w in words(query.text)]
        return " ".join(corrected) + (" " if query.text.endswith(" ") else "")

    async def _known(self, conn: AsyncConnection, word: str, *, prefix: bool) -> bool:
        if prefix:
            pattern = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql = f"SELECT 1 FROM {PREFIX}lexicon WHERE word LIKE :w LIMIT 1"
            params = {"w": pattern}
        else:
            sql = f"SELECT 1 FROM {PREFIX}lexicon WHERE word = :w"
            params = {"w": word}
        return (await conn.execute(text(sql), params)).first() is not None

    # ---- operations ----------------------------------------------------------------------
    async def set_vectors(self, vectors: Mapping[str, Sequence[float]]) -> None:
        return None  # no vector search here

    async def health(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text(f"SELECT 1 FROM {PREFIX}documents LIMIT 0"))
            return True
        except Exception:
            return False

    async def count(self) -> int:
        return await count_documents(self.engine)

    async def close(self) -> None:
        """The engine belongs to the caller."""
