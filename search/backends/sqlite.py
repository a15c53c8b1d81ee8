"""SQLite FTS5 in the application's own database file (the embedded default).

- Text: an FTS5 table with the `unicode61 remove_diacritics 2` tokenizer (so `Malmo` finds
  `Malmö`), ranked by bm25 with column weights; the last word is matched as a prefix.
- Filters and facets: a narrow `searchidx_terms` table (document, field, value) holding every
  filterable value, with CPV codes and NUTS regions stored together with all their ancestors
  so that a filter on a division or a region is one equality lookup.
- Misspellings: when the words find nothing, each unknown word is replaced by the closest
  indexed term (from an `fts5vocab` view of the index) within Meilisearch's default typo
  budget, and the corrected query is run instead.
- Rebuild: into `*_build` tables, committed in batches, then dropped-and-renamed in one
  transaction, so searches see the old index until the swap (WAL readers are never blocked).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.backends._sql import (
    FACET_FIELDS,
    PREFIX,
    count_documents,
    filter_conditions,
    order_by,
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

TEXT_COLUMNS = ("title", "summary", "organisation", "body", "classification", "outcomes")
# bm25 weights, in TEXT_COLUMNS order: a word in the title counts ten times one in the body.
WEIGHTS = (10.0, 5.0, 4.0, 1.0, 3.0, 2.0)
TOKENIZER = "unicode61 remove_diacritics 2"
FTS = f"{PREFIX}fts"
BATCH = 2000


def schema(suffix: str = "", token: str = "") -> list[str]:
    """DDL of the index tables (`suffix` for a build generation)."""
    columns = ", ".join(TEXT_COLUMNS)
    index_name = f"ix_{PREFIX}terms_doc{('_' + token) if token else ''}"
    return [
        f"CREATE TABLE IF NOT EXISTS {PREFIX}documents{suffix} ("
        " rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
        " title TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, value REAL,"
        " deadline REAL, published_at REAL)",
        f"CREATE TABLE IF NOT EXISTS {PREFIX}terms{suffix} ("
        " field TEXT NOT NULL, value TEXT NOT NULL, doc_rowid INTEGER NOT NULL,"
        " PRIMARY KEY (field, value, doc_rowid)) WITHOUT ROWID",
        f"CREATE INDEX IF NOT EXISTS {index_name}{suffix} ON {PREFIX}terms{suffix} (doc_rowid)",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {PREFIX}fts{suffix} USING fts5({columns},"
        f" tokenize = '{TOKENIZER}', prefix = '2 3')",
    ]


VOCAB = f"CREATE VIRTUAL TABLE IF NOT EXISTS {PREFIX}vocab USING fts5vocab({PREFIX}fts, 'row')"


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def fts_expression(parsed: ParsedText, *, any_word: bool = False) -> str:
    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    parts = [quoted(" ".join(p)) for p in parsed.phrases]
    parts += [quoted(t) for t in parsed.terms]
    if parsed.prefix:
        parts.append(quoted(parsed.prefix) + "*")
    return (" OR " if any_word else " ").join(parts)


class SqliteSearch:
    name = "sqlite"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def ensure_ready(self) -> None:
        async with self.engine.begin() as conn:
            exists = await conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": f"{PREFIX}documents"},
            )
            if exists.first() is None:  # after a rebuild the live indexes carry other names
                for statement in schema():
                    await conn.execute(text(statement))
            await conn.execute(text(VOCAB))

    # ---- writing -------------------------------------------------------------------------
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        latest = {doc.id: doc for doc in documents}  # the last version of a repeated id wins
        try:
            async with self.engine.begin() as conn:
                await self._remove(conn, list(latest), "")
                await self._insert(conn, list(latest.values()), "")
        except Exception as error:
            raise BackendUnavailable(f"SQLite search index: {error}") from error

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        try:
            async with self.engine.begin() as conn:
                await self._remove(conn, list(ids), "")
        except Exception as error:
            raise BackendUnavailable(f"SQLite search index: {error}") from error

    async def _remove(self, conn: AsyncConnection, ids: list[str], suffix: str) -> None:
        # The first statement writes, so the transaction holds the write lock before it reads
        # (a deferred transaction that reads first can fail to upgrade under WAL).
        for chunk in _chunks(ids, 400):
            names = ", ".join(f":i{n}" for n in range(len(chunk)))
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            rowids = f"SELECT rowid FROM {PREFIX}documents{suffix} WHERE doc_id IN ({names})"
            await conn.execute(
                text(f"DELETE FROM {PREFIX}terms{suffix} WHERE doc_rowid IN ({rowids})"), params
            )
            await conn.execute(
                text(f"DELETE FROM {PREFIX}fts{suffix} WHERE rowid IN ({rowids})"), params
            )
            await conn.execute(
                text(f"DELETE FROM {PREFIX}documents{suffix} WHERE doc_id IN ({names})"), params
            )

    async def _insert(
        self, conn: AsyncConnection, documents: list[SearchDocument], suffix: str
    ) -> None:
        """Insert many documents with three executemany calls (rowids assigned here, so
        the FTS row and the term rows can refer to them without a round trip each)."""
        if not documents:
            return
        top = (
            await conn.execute(
                text(f"SELECT coalesce(max(rowid), 0) FROM {PREFIX}documents{suffix}")
            )
        ).scalar_one()
        rows, fts, terms = [], [], []
        for rowid, doc in enumerate(documents, int(top) + 1):
            rows.append(
                {
                    "rowid": rowid,
                    "doc_id": doc.id,
                    "type": doc.type,
                    "title": clean(doc.title),
                    "summary": clean(doc.summary),
                    "status": doc.status,
                    "value": doc.value,
                    "deadline": _epoch(doc.deadline),
                    "published_at": _epoch(doc.published_at),
                }
            )
            fields = doc.text_fields
            fts.append({"rowid": rowid, **{c: clean(fields[c]) for c in TEXT_COLUMNS}})
            terms += [{"field": f, "value": v, "rowid": rowid} for f, v in term_rows(doc)]
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}documents{suffix} (rowid, doc_id, type, title, summary,"
                " status, value, deadline, published_at) VALUES (:rowid, :doc_id, :type, :title,"
                " :summary, :status, :value, :deadline, :published_at)"
            ),
            rows,
        )
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}fts{suffix} (rowid, {', '.join(TEXT_COLUMNS)})"
                f" VALUES (:rowid, {', '.join(':' + c for c in TEXT_COLUMNS)})"
            ),
            fts,
        )
        await conn.execute(
            text(
                f"INSERT INTO {PREFIX}terms{suffix} (field, value, doc_rowid)"
                " VALUES (:field, :value, :rowid)"
            ),
            terms,
        )

    async def rebuild(
        self, documents: Iterable[SearchDocument] | AsyncIterable[SearchDocument]
    ) -> int:
        # A random token names the build's index, so a half-finished earlier build (or the
        # live index's own name) can never collide with it.
        token = secrets.token_hex(4)
        suffix = "_build"
        async with self.engine.begin() as conn:
            for table in ("documents", "terms", "fts"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}{suffix}"))
            for statement in schema(suffix, token):
                await conn.execute(text(statement))
        seen: set[str] = set()
        batch: list[SearchDocument] = []
        async for doc in aiter_documents(documents):
            batch.append(doc)
            if len(batch) >= BATCH:
                await self._build_batch(batch, suffix, seen)
                batch = []
        if batch:
            await self._build_batch(batch, suffix, seen)
        async with self.engine.begin() as conn:
            for table in ("documents", "terms", "fts"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}"))
                await conn.execute(
                    text(f"ALTER TABLE {PREFIX}{table}{suffix} RENAME TO {PREFIX}{table}")
                )
            await conn.execute(text(VOCAB))
        return len(seen)

    async def _build_batch(self, batch: list[SearchDocument], suffix: str, seen: set[str]) -> None:
        latest = {doc.id: doc for doc in batch}
        async with self.engine.begin() as conn:
            repeated = [i for i in latest if i in seen]  # rare: only these need replacing
            if repeated:
                await self._remove(conn, repeated, suffix)
            await self._insert(conn, list(latest.values()), suffix)
        seen.update(latest)

    # ---- reading -------------------------------------------------------------------------
    async def search(self, query: SearchQuery) -> SearchResult:
        try:
            async with self.engine.connect() as conn:
                result = await self._search(conn, query)
                if result.total == 0 and query.suggest and query.text.strip():
                    corrected = await self._correct(conn, query)
                    if corrected:
                        again = await self._search(conn, query.with_text(corrected))
                        if again.total:
                            return SearchResult(
                                again.hits, again.total, again.page, again.per_page,
                                again.facets, corrected_text=corrected,
                            )  # fmt: skip
                return result
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"SQLite search index: {error}") from error

    async def _search(self, conn: AsyncConnection, query: SearchQuery) -> SearchResult:
        parsed = parse(query.text, prefix=query.prefix)
        params: dict[str, Any] = {}
        conditions = filter_conditions(query, "d.rowid", "doc_rowid", params, _epoch)
        if parsed.empty:
            source = f"{PREFIX}documents d"
            score = "0.0"
        else:
            params["match"] = fts_expression(parsed, any_word=query.any_word)
            source = f"{FTS} JOIN {PREFIX}documents d ON d.rowid = {FTS}.rowid"
            conditions.insert(0, f"{FTS} MATCH :match")
            score = f"-bm25({FTS}, {', '.join(str(w) for w in WEIGHTS)})"
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        total = (
            await conn.execute(text(f"SELECT count(*) FROM {source} {where}"), params)
        ).scalar_one()
        rows = (
            await conn.execute(
                text(
                    f"SELECT d.rowid, d.doc_id, d.type, d.title, d.summary, {score} AS score"
                    f" FROM {source} {where} ORDER BY {order_by(query, not parsed.empty)}"
                    " LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": query.per_page, "offset": query.offset},
            )
        ).all()
        snippets = await self._snippets(conn, [r.rowid for r in rows], params.get("match"))
        hits = [
            Hit(
                id=r.doc_id,
                type=r.type,
                title=r.title,
                snippet=snippets.get(r.rowid) or plain_snippet(r.summary),
                score=float(r.score),
            )
            for r in rows
        ]
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            facets = {name: {} for name in FACET_FIELDS}
            fields = {v: k for k, v in FACET_FIELDS.items()}
            names = ", ".join(f":facet{n}" for n in range(len(fields)))
            facet_params = {f"facet{n}": f for n, f in enumerate(fields)}
            # Unfiltered: every document counts, no need to look up which ones match.
            within = f" AND t.doc_rowid IN (SELECT d.rowid FROM {source} {where})" if where else ""
            counted = await conn.execute(
                text(
                    f"SELECT t.field, t.value, count(*) AS n FROM {PREFIX}terms t"
                    f" WHERE t.field IN ({names}){within} GROUP BY t.field, t.value"
                ),
                {**params, **facet_params},
            )
            for field, value, n in counted.all():
                facets[fields[field]][value] = n
        return SearchResult(hits, total, query.page, query.per_page, facets)

    async def _snippets(
        self, conn: AsyncConnection, rowids: list[int], match: str | None
    ) -> dict[int, str]:
        """Highlighted fragments for one page of hits: the summary or body where a word
        matched, else the title; computed only for the rows shown."""
        if not rowids or match is None:
            return {}
        names = ", ".join(f":r{n}" for n in range(len(rowids)))
        rows = await conn.execute(
            text(
                f"SELECT rowid, snippet({FTS}, 1, :s, :e, '…', 24),"
                f" snippet({FTS}, 3, :s, :e, '…', 24), snippet({FTS}, -1, :s, :e, '…', 24)"
                f" FROM {FTS} WHERE {FTS} MATCH :match AND rowid IN ({names})"
            ),
            {"match": match, "s": MARK_START, "e": MARK_END,
             **{f"r{n}": r for n, r in enumerate(rowids)}},
        )  # fmt: skip
        out: dict[int, str] = {}
        for rowid, summary, body, best in rows.all():
            chosen = next((s for s in (summary, body, best) if s and MARK_START in s), None)
            if chosen:
                out[rowid] = highlight(chosen)
        return out

    async def _correct(self, conn: AsyncConnection, query: SearchQuery) -> str | None:
        parsed = parse(query.text, prefix=query.prefix)
        changed = False
        replacements: dict[str, str] = {}
        for word in parsed.all_words:
            is_prefix = word == parsed.prefix
            if await self._known(conn, word, prefix=is_prefix):
                continue
            # Candidates share the first letter: a misspelt first letter is not corrected
            # here (it keeps this fallback fast on a large vocabulary); PostgreSQL's trigram
            # search and Meilisearch do correct it.
            candidates = (
                await conn.execute(
                    text(f"SELECT term, doc FROM {PREFIX}vocab WHERE term >= :lo AND term < :hi"),
                    {"lo": word[0], "hi": word[0] + "\U0010ffff"},
                )
            ).all()
            fix = best_correction(
                word, ((t, d) for t, d in candidates if abs(len(t) - len(word)) <= 2)
            )
            if fix:
                replacements[word] = fix
                changed = True
        if not changed:
            return None
        corrected = [replacements.get(w, w) for w in _folded_words(query.text)]
        return " ".join(corrected) + (" " if query.text.endswith(" ") else "")

    async def _known(self, conn: AsyncConnection, word: str, *, prefix: bool) -> bool:
        if prefix:
            sql = f"SELECT 1 FROM {PREFIX}vocab WHERE term >= :w AND term < :hi LIMIT 1"
            params = {"w": word, "hi": word + "\U0010ffff"}
        else:
            sql = f"SELECT 1 FROM {PREFIX}vocab WHERE term = :w"
            params = {"w": word}
        return (await conn.execute(text(sql), params)).first() is not None

    # ---- operations ----------------------------------------------------------------------
    async def health(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text(f"SELECT count(*) FROM {PREFIX}documents WHERE 0"))
            return True
        except Exception:
            return False

    async def count(self) -> int:
        return await count_documents(self.engine)

    async def clear(self) -> None:
        """Empty the live index (tests and `reindex` of an empty database)."""
        await self.rebuild([])

    async def close(self) -> None:
        """The engine belongs to the caller."""


def _folded_words(value: str) -> list[str]:
    return [fold(w) for w in words(value)]


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
