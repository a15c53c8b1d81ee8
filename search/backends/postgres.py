"""PostgreSQL full-text search in the application's own database.

- Text: one `tsvector` per document with weights (A title, B summary and organisation,
  C CPV labels, standards and outcomes, D body), a GIN index, ranked by `ts_rank`. The
  query is `websearch_to_tsquery` for what the user typed, AND the last word as a prefix
  (`word:*`) while typing. The `icc_search` text search configuration is `simple` with
  `unaccent` in front, so `Munchen` finds `München` (without `unaccent` on the server it is
  plain `simple` and diacritics must match; `ensure_ready` says so in the log).
- Misspellings: when the words find nothing, each unknown word is replaced by the most
  similar word of a lexicon table (`pg_trgm` similarity over a trigram GIN index, then the
  same edit-distance budget as the other backends) and the corrected query is run instead.
- Snippets: `ts_headline` marks matches with control characters on text whose `<` and `>`
  were swapped out (ts_headline drops anything that looks like a tag); the result is
  HTML-escaped and only then are the marks turned into `<mark>`.
- Filters, facets, sorting, rebuild: as the SQLite backend (term table with CPV/NUTS
  ancestors; build tables swapped in by rename in one transaction).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterable, Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.backends._sql import (
    FACET_FIELDS,
    PREFIX,
    count_documents,
    filter_conditions,
    order_by,
    search_or_correct,
    term_rows,
)
from search.documents import SearchDocument
from search.protocol import BackendUnavailable
from search.query import Hit, SearchQuery, SearchResult
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
INDEXES = ("pk_{p}documents", "ix_{p}documents_tsv", "pk_{p}terms", "ix_{p}terms_doc",
           "pk_{p}lexicon", "ix_{p}lexicon_trgm")  # fmt: skip


def schema(suffix: str = "", token: str = "") -> list[str]:
    def n(name: str) -> str:
        return name.format(p=PREFIX) + (f"_{token}" if token else "")

    return [
        f"CREATE TABLE IF NOT EXISTS {PREFIX}documents{suffix} ("
        " doc_id TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,"
        " body TEXT NOT NULL, status TEXT NOT NULL, value DOUBLE PRECISION,"
        " deadline TIMESTAMPTZ, published_at TIMESTAMPTZ, tsv TSVECTOR NOT NULL,"
        f" CONSTRAINT {n('pk_{p}documents')} PRIMARY KEY (doc_id))",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}documents_tsv')}"
        f" ON {PREFIX}documents{suffix} USING GIN (tsv)",
        f"CREATE TABLE IF NOT EXISTS {PREFIX}terms{suffix} ("
        " field TEXT NOT NULL, value TEXT NOT NULL, doc_id TEXT NOT NULL,"
        f" CONSTRAINT {n('pk_{p}terms')} PRIMARY KEY (field, value, doc_id))",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}terms_doc')} ON {PREFIX}terms{suffix} (doc_id)",
        f"CREATE TABLE IF NOT EXISTS {PREFIX}lexicon{suffix} (word TEXT NOT NULL,"
        f" CONSTRAINT {n('pk_{p}lexicon')} PRIMARY KEY (word))",
        f"CREATE INDEX IF NOT EXISTS {n('ix_{p}lexicon_trgm')}"
        f" ON {PREFIX}lexicon{suffix} USING GIN (word gin_trgm_ops)",
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


class PostgresSearch:
    name = "postgres"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def ensure_ready(self) -> None:
        async with self.engine.begin() as conn:
            available = {
                row[0]
                for row in await conn.execute(
                    text(
                        "SELECT name FROM pg_available_extensions"
                        " WHERE name IN ('unaccent', 'pg_trgm')"
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
            for statement in configuration("unaccent" in available):
                await conn.execute(text(statement))
            exists = (
                await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{PREFIX}documents"})
            ).scalar()
            if exists is None:
                for statement in schema():
                    await conn.execute(text(statement))

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
        for table in ("terms", "documents"):
            await conn.execute(
                text(f"DELETE FROM {PREFIX}{table}{suffix} WHERE doc_id = ANY(:ids)"), {"ids": ids}
            )

    async def _insert(
        self, conn: AsyncConnection, documents: list[SearchDocument], suffix: str
    ) -> None:
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}documents{suffix} (doc_id, type, title, summary, body,"
                " status, value, deadline, published_at, tsv) VALUES (:doc_id, :type, :title,"
                f" :summary, :body, :status, :value, :deadline, :published_at, {_vector_sql()})"
            ),
            [
                {
                    "doc_id": doc.id,
                    "type": doc.type,
                    "status": doc.status,
                    "value": doc.value,
                    "deadline": doc.deadline,
                    "published_at": doc.published_at,
                    **{k: clean(v) for k, v in doc.text_fields.items()},
                }
                for doc in documents
            ],
        )
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}terms{suffix} (field, value, doc_id)"
                " VALUES (:field, :value, :doc_id)"
            ),
            [{"field": f, "value": v, "doc_id": doc.id} for doc in documents
             for f, v in term_rows(doc)],
        )  # fmt: skip
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
            for statement in schema(suffix, token):
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
        except BaseException:
            async with self.engine.begin() as conn:
                for table in ("documents", "terms", "lexicon"):
                    await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}{suffix}"))
            raise
        # Fresh tables have no statistics: without them the planner picks nested loops that
        # turn a filtered query into seconds.
        async with self.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("documents", "terms", "lexicon"):
                await autocommit.execute(text(f"ANALYZE {PREFIX}{table}{suffix}"))
        # The swap: one short transaction; searches wait for it at most, never see a gap.
        async with self.engine.begin() as conn:
            for table in ("documents", "terms", "lexicon"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}"))
                await conn.execute(
                    text(f"ALTER TABLE {PREFIX}{table}{suffix} RENAME TO {PREFIX}{table}")
                )
            for name in INDEXES:
                live = name.format(p=PREFIX)
                await conn.execute(text(f"ALTER INDEX {live}_{token} RENAME TO {live}"))
        return indexed

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
        if any_word:
            # websearch_to_tsquery reads `or` between words as |, whatever the words hold.
            params["head"] = " or ".join(parsed.all_words)
            return f"(SELECT websearch_to_tsquery('{CONFIG}', :head) AS q) AS query"
        parts = []
        head = [f'"{" ".join(p)}"' for p in parsed.phrases] + list(parsed.terms)
        if head:
            params["head"] = " ".join(head)
            parts.append(f"websearch_to_tsquery('{CONFIG}', :head)")
        if parsed.prefix:
            # The prefix is one \w+ word (see search.text.parse), safe inside to_tsquery.
            params["prefix"] = parsed.prefix + ":*"
            parts.append(f"to_tsquery('{CONFIG}', :prefix)")
        return "(SELECT " + " && ".join(parts) + " AS q) AS query"

    async def _search(self, conn: AsyncConnection, query: SearchQuery) -> SearchResult:
        parsed = parse(query.text, prefix=query.prefix)
        params: dict[str, Any] = {}
        conditions = filter_conditions(query, "d.doc_id", "doc_id", params, lambda m: m)
        if parsed.empty:
            source = f"{PREFIX}documents d"
            score = "0.0"
        else:
            source = f"{PREFIX}documents d, {self._tsquery(parsed, params, query.any_word)}"
            conditions.insert(0, "d.tsv @@ query.q")
            score = "ts_rank(d.tsv, query.q)"
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        # The total rides along with the page (one pass over the matches, not two); only a
        # page past the end needs its own count.
        rows = (
            await conn.execute(
                text(
                    f"SELECT d.doc_id, d.type, d.title, d.summary, {score} AS score,"
                    f" count(*) OVER () AS total FROM {source} {where}"
                    f" ORDER BY {order_by(query, not parsed.empty)} LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": query.per_page, "offset": query.offset},
            )
        ).all()
        if rows:
            total = int(rows[0].total)
        elif query.offset == 0:
            total = 0
        else:
            total = (
                await conn.execute(text(f"SELECT count(*) FROM {source} {where}"), params)
            ).scalar_one()
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
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            facets = {name: {} for name in FACET_FIELDS}
            fields = {v: k for k, v in FACET_FIELDS.items()}
            # Unfiltered: every document counts, no need to look up which ones match.
            within = f" AND t.doc_id IN (SELECT d.doc_id FROM {source} {where})" if where else ""
            counted = await conn.execute(
                text(
                    f"SELECT t.field, t.value, count(*) AS n FROM {PREFIX}terms t"
                    f" WHERE t.field = ANY(:facet_fields){within} GROUP BY t.field, t.value"
                ),
                {**params, "facet_fields": list(fields)},
            )
            for field, value, n in counted.all():
                facets[fields[field]][value] = n
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
                f" {self._tsquery(parsed, params, any_word)}"
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
