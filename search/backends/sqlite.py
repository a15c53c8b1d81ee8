"""SQLite FTS5 in the application's own database file (the embedded default).

- Text: an FTS5 table with the `unicode61 remove_diacritics 2` tokenizer (so `Malmo` finds
  `Malmö`), ranked by bm25 with column weights; the last word is matched as a prefix.
- Filters and facets: a narrow `searchidx_terms` table (document, field, value) holding every
  filterable value, with CPV codes and NUTS regions stored together with all their ancestors
  so that a filter on a division or a region is one equality lookup.
- Memory: filters, facets, sort columns (`_bitmaps.py`), each word's ranked matches
  (`_postings.py`) and whole answers are held per process for the index generation they
  were read at; `docs/search.md` explains how they stay true.
- Misspellings: when the words find nothing, each unknown word is replaced by the closest
  indexed term (`_spelling.py`, from an `fts5vocab` view of the index) within Meilisearch's
  default typo budget, and the corrected query is run instead.
- Rebuild: into `*_build` tables, committed in batches, then dropped-and-renamed in one
  transaction, so searches see the old index until the swap (WAL readers are never blocked).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterable, Hashable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pyroaring import BitMap
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from search.backends import _postings as postings
from search.backends._bitmaps import DDL as BITMAP_DDL
from search.backends._bitmaps import (
    GENERATION,
    BitmapCache,
    Bitmaps,
    record_change,
    record_reset,
)
from search.backends._driver import Peek, execute_many, fetch_all
from search.backends._memory import GenerationCache
from search.backends._postings import BUDGET, Postings
from search.backends._spelling import Spelling
from search.backends._sql import (
    PREFIX,
    count_documents,
    may_be_corrected,
    order_by,
    search_or_correct,
    term_filters,
    term_rows,
)
from search.documents import SearchDocument
from search.protocol import BackendUnavailable
from search.query import Hit, SearchQuery, SearchResult
from search.text import (
    ParsedText,
    aiter_documents,
    clean,
    fold,
    highlight,
    mark_words,
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
BUILD_HASHSIZE = 64 * 1024 * 1024  # bytes FTS5 buffers before writing a segment, in a rebuild
SORT_KEYS = ("published_at", "deadline", "value")
CORRECTED = "corrected"  # marks a remembered answer given by a corrected spelling
# Any-word queries keep the rarest words, at most MAX_ANY_WORDS, and leave out words in
# more than COMMON_SHARE of the documents.
COMMON_SHARE = 0.05
COMMON_AT_LEAST = 1000  # a small index ranks every word cheaply: none is too common there
MAX_ANY_WORDS = 6
DF_TTL = 300.0  # seconds a term's document count is trusted
DF_CACHE_SIZE = 50_000
RESULT_PAGES = 1000  # answers remembered per process (~20 kB each with snippets and facets)
# Sort → (document column, descending): as `order_by` orders them, without the id tie-break.
SORTS = {
    "newest": ("published_at", True),
    "deadline": ("deadline", False),
    "value": ("value", True),
}


def schema(suffix: str = "", token: str = "") -> list[str]:
    """DDL of the index tables (`suffix` for a build generation), then their indexes."""
    return tables(suffix) + indexes(suffix, token)


def tables(suffix: str = "") -> list[str]:
    columns = ", ".join(TEXT_COLUMNS)
    return [
        f"CREATE TABLE IF NOT EXISTS {PREFIX}documents{suffix} ("
        " rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
        " title TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, value REAL,"
        " deadline REAL, published_at REAL)",
        f"CREATE TABLE IF NOT EXISTS {PREFIX}terms{suffix} ("
        " field TEXT NOT NULL, value TEXT NOT NULL, doc_rowid INTEGER NOT NULL,"
        " PRIMARY KEY (field, value, doc_rowid)) WITHOUT ROWID",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {PREFIX}fts{suffix} USING fts5({columns},"
        f" tokenize = '{TOKENIZER}', prefix = '2 3')",
        rank_setting(suffix),
    ]


def indexes(suffix: str = "", token: str = "") -> list[str]:
    """Secondary indexes: a rebuild creates them once its tables are full (one sort each
    instead of maintaining them through two million inserts)."""
    tag = ("_" + token) if token else ""
    return [
        # The sorts without words walk these instead of sorting every document.
        *(
            f"CREATE INDEX IF NOT EXISTS ix_{PREFIX}documents_{key}{tag}{suffix}"
            f" ON {PREFIX}documents{suffix} ({key}, doc_id)"
            for key in SORT_KEYS
        ),
        f"CREATE INDEX IF NOT EXISTS ix_{PREFIX}terms_doc{tag}{suffix}"
        f" ON {PREFIX}terms{suffix} (doc_rowid)",
    ]


def rank_setting(suffix: str = "") -> str:
    """FTS5's `rank` with the column weights: ordering by `rank` lets FTS5 rank inside the
    full-text index instead of calling bm25() on rows joined to other tables."""
    fts = f"{PREFIX}fts{suffix}"
    weights = ", ".join(str(w) for w in WEIGHTS)
    return f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({weights})')"


VOCAB = f"CREATE VIRTUAL TABLE IF NOT EXISTS {PREFIX}vocab USING fts5vocab({PREFIX}fts, 'row')"


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def fts_parts(parsed: ParsedText) -> list[str]:
    """The query's phrases, words and prefix as FTS5 expressions, each quoted (so nothing a
    user types is an FTS5 operator), without repeats."""

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    parts = [quoted(" ".join(p)) for p in parsed.phrases]
    parts += [quoted(t) for t in parsed.terms]
    if parsed.prefix:
        parts.append(quoted(parsed.prefix) + "*")
    return list(dict.fromkeys(parts))


def fts_expression(parsed: ParsedText, *, any_word: bool = False) -> str:
    return (" OR " if any_word else " ").join(fts_parts(parsed))


class Row(NamedTuple):
    """A document shown: its stored fields, and its indexed texts when snippets are cut."""

    rowid: int
    doc_id: str
    type: str
    title: str
    summary: str
    text_summary: str | None
    text_body: str | None
    text_title: str | None


def _snippet(row: Row, parsed: ParsedText) -> str | None:
    """A highlighted fragment: the summary or body where a word matched, else the title.
    Marked in Python from the row's text: FTS5's snippet() would evaluate the whole query
    again for each row (~150 ms for a phrase of two common words on 20 rows at 100 000
    documents)."""
    for value in (row.text_summary, row.text_body, row.text_title):
        marked = mark_words(value, parsed) if value else None
        if marked:
            return highlight(marked)
    return None


class SqliteSearch:
    name = "sqlite"

    def __init__(self, engine: AsyncEngine, result_pages: int = RESULT_PAGES) -> None:
        self.engine = engine
        # Whole answers for the current index generation (Solr's query result cache): the
        # search page's default listing and the prefixes everyone types come back often.
        self.results: GenerationCache[Hashable, SearchResult] = GenerationCache(result_pages)
        self.bitmaps = BitmapCache()
        self.postings: GenerationCache[str, Postings] = GenerationCache(BUDGET, len)
        self.spelling = Spelling(engine, f"{PREFIX}vocab")
        self.peek = Peek(engine.url)
        self._df: dict[str, tuple[int, float]] = {}  # term → (documents, when looked up)

    async def ensure_ready(self) -> None:
        async with self.engine.begin() as conn:
            exists = await conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": f"{PREFIX}documents"},
            )
            if exists.first() is None:  # after a rebuild the live indexes carry other names
                for statement in schema():
                    await conn.execute(text(statement))
            else:  # an index made before these existed
                await conn.execute(text(rank_setting()))
                for key in SORT_KEYS:
                    await conn.execute(
                        text(f"CREATE INDEX IF NOT EXISTS ix_{PREFIX}documents_{key}"
                             f" ON {PREFIX}documents ({key}, doc_id)")
                    )  # fmt: skip
            for statement in BITMAP_DDL:
                await conn.execute(text(statement))
            await conn.execute(text(VOCAB))

    # ---- writing -------------------------------------------------------------------------
    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        latest = {doc.id: doc for doc in documents}  # the last version of a repeated id wins
        try:
            async with self.engine.begin() as conn:
                removed = await self._remove(conn, list(latest), "")
                added = await self._insert(conn, list(latest.values()), "")
                await record_change(conn, [*removed, *added])
        except Exception as error:
            raise BackendUnavailable(f"SQLite search index: {error}") from error

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        try:
            async with self.engine.begin() as conn:
                await record_change(conn, await self._remove(conn, list(ids), ""))
        except Exception as error:
            raise BackendUnavailable(f"SQLite search index: {error}") from error

    async def _remove(self, conn: AsyncConnection, ids: list[str], suffix: str) -> list[int]:
        """Remove documents by id; the rowids they had."""
        removed: list[int] = []
        # The first statement writes, so the transaction holds the write lock before it reads
        # (a deferred transaction that reads first can fail to upgrade under WAL).
        for chunk in _chunks(ids, 400):
            names = ", ".join(f":i{n}" for n in range(len(chunk)))
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            gone = [
                int(r)
                for (r,) in await conn.execute(
                    text(
                        f"DELETE FROM {PREFIX}documents{suffix} WHERE doc_id IN ({names})"
                        " RETURNING rowid"
                    ),
                    params,
                )
            ]
            if gone:
                rowids = ", ".join(str(r) for r in gone)  # integers the index gave back
                await conn.execute(
                    text(f"DELETE FROM {PREFIX}terms{suffix} WHERE doc_rowid IN ({rowids})")
                )
                await conn.execute(
                    text(f"DELETE FROM {PREFIX}fts{suffix} WHERE rowid IN ({rowids})")
                )
            removed += gone
        return removed

    async def _insert(
        self, conn: AsyncConnection, documents: list[SearchDocument], suffix: str
    ) -> list[int]:
        """Insert many documents with three executemany calls (rowids assigned here, so
        the FTS row and the term rows can refer to them without a round trip each)."""
        if not documents:
            return []
        top = (
            await conn.execute(
                text(f"SELECT coalesce(max(rowid), 0) FROM {PREFIX}documents{suffix}")
            )
        ).scalar_one()
        # Positional rows: binding two million term rows by name cost more than by place.
        rows: list[tuple[Any, ...]] = []
        fts: list[tuple[Any, ...]] = []
        terms: list[tuple[Any, ...]] = []
        for rowid, doc in enumerate(documents, int(top) + 1):
            rows.append(
                (
                    rowid, doc.id, doc.type, clean(doc.title), clean(doc.summary), doc.status,
                    doc.value, _epoch(doc.deadline), _epoch(doc.published_at),
                )
            )  # fmt: skip
            fields = doc.text_fields
            fts.append((rowid, *(clean(fields[c]) for c in TEXT_COLUMNS)))
            terms += [(f, v, rowid) for f, v in term_rows(doc)]
        await execute_many(
            conn,
            f"INSERT INTO {PREFIX}documents{suffix} (rowid, doc_id, type, title, summary,"
            " status, value, deadline, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        await execute_many(
            conn,
            f"INSERT INTO {PREFIX}fts{suffix} (rowid, {', '.join(TEXT_COLUMNS)})"
            f" VALUES (?, {', '.join('?' for _ in TEXT_COLUMNS)})",
            fts,
        )
        await execute_many(
            conn,
            f"INSERT INTO {PREFIX}terms{suffix} (field, value, doc_rowid) VALUES (?, ?, ?)",
            terms,
        )
        return list(range(int(top) + 1, int(top) + 1 + len(documents)))

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
            for statement in tables(suffix):
                await conn.execute(text(statement))
            # A larger in-memory hash before FTS5 writes a segment: fewer segments to merge
            # while filling (~15 % of the full-text part of a 100 000-document rebuild).
            fts = f"{FTS}{suffix}"
            await conn.execute(
                text(f"INSERT INTO {fts}({fts}, rank) VALUES ('hashsize', {BUILD_HASHSIZE})")
            )
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
            for statement in indexes(suffix, token):
                await conn.execute(text(statement))
        async with self.engine.begin() as conn:
            for table in ("documents", "terms", "fts"):
                await conn.execute(text(f"DROP TABLE IF EXISTS {PREFIX}{table}"))
                await conn.execute(
                    text(f"ALTER TABLE {PREFIX}{table}{suffix} RENAME TO {PREFIX}{table}")
                )
            await conn.execute(text(VOCAB))
            for statement in BITMAP_DDL:
                await conn.execute(text(statement))
            await record_reset(conn)
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
        remembered = await self._remembered(query)
        if remembered is not None:
            return remembered
        read_at: list[Bitmaps] = []  # the index state the answer was read at
        vocabularies: list[int] = []  # and the spelling vocabulary that corrected it

        async def searching(conn: AsyncConnection, asked: SearchQuery) -> SearchResult:
            bitmaps = await self.bitmaps.get(conn)
            read_at.append(bitmaps)
            return await self._search(conn, asked, bitmaps)

        async def correcting(conn: AsyncConnection, asked: SearchQuery) -> str | None:
            corrected = await self._correct(conn, asked)
            vocabularies.append(self.spelling.version)
            return corrected

        result = await search_or_correct(self.engine, query, searching, correcting, "SQLite")
        if read_at and vocabularies:
            # A correction was tried: what the closest spelling found (or the empty answer,
            # when none found more) is remembered under the words as typed, as any answer.
            key = (CORRECTED, vocabularies[0], _result_key(query, read_at[0]))
            self.results.put(read_at[0].generation, key, _copy(result))
        return result

    async def _remembered(self, query: SearchQuery) -> SearchResult | None:
        """A remembered answer found with one read of the generation outside a transaction,
        in this thread when the index is a file (`Peek`); the usual path opens a transaction,
        reads and closes it: three trips to SQLite's thread. For an empty answer a spelling
        might improve, the answer the closest spelling gave with the vocabulary of now."""
        current = self.bitmaps.current
        if current is None or self.results.generation != current.generation:
            return None
        generation = self.peek.scalar(GENERATION)
        if generation is None:
            try:
                async with self.engine.connect() as conn:
                    rows = await fetch_all(conn, GENERATION)
            except Exception as error:
                raise BackendUnavailable(f"SQLite search index: {error}") from error
            generation = rows[0][0] if rows else None
        if generation != current.generation:
            return None
        key = _result_key(query, current)
        found = self.results.get(current.generation, key)
        if found is not None and not found.total and may_be_corrected(query):
            found = self.results.get(
                current.generation, (CORRECTED, self.spelling.version, key)
            )  # fmt: skip
        return None if found is None else _copy(found)

    async def _search(
        self, conn: AsyncConnection, query: SearchQuery, bitmaps: Bitmaps
    ) -> SearchResult:
        """The answer remembered for this index generation, or a new one."""
        key = _result_key(query, bitmaps)
        cached = self.results.get(bitmaps.generation, key)
        if cached is None:
            cached = await self._search_anew(conn, query, bitmaps, _ranges(query))
            self.results.put(bitmaps.generation, key, cached)
        return _copy(cached)

    async def _search_anew(
        self,
        conn: AsyncConnection,
        query: SearchQuery,
        bitmaps: Bitmaps,
        ranges: Ranges,
    ) -> SearchResult:
        """Which documents match is a bitmap: the words' postings (`_postings.py`, read from
        FTS5 once per index generation) combined, intersected with the filters' bitmaps;
        totals and facets are counted on it. The page is ranked from the postings' ranks,
        and only its rows are read from the tables."""
        parsed = parse(query.text, prefix=query.prefix)
        allowed = bitmaps.matching(term_filters(query))
        for column, low, high in ranges:
            if low is not None or high is not None:
                in_range = bitmaps.between(column, low, high)
                allowed = in_range if allowed is None else allowed & in_range
        if query.any_word and not parsed.empty:
            parsed = await self._informative(conn, parsed, len(bitmaps.documents))
        parts = [await self._part(conn, bitmaps.generation, p) for p in fts_parts(parsed)]
        everything = not parts and allowed is None  # every document, in the index's order
        if not parts:
            matched = bitmaps.documents if allowed is None else allowed
        else:
            found = postings.matching(parts, any_word=query.any_word)
            matched = found if allowed is None else found & allowed
        if parts and query.sort == "relevance":
            page, rows = await self._ranked_page(conn, query, parts, matched)
        else:
            rowids = await self._sorted_page(conn, query, matched, bitmaps, everything=everything)
            rows = await self._rows(conn, rowids, text=bool(parts) and query.highlight)
            scores: list[float] = [0.0] * len(rowids)
            if parts and query.highlight:
                found_ranks = postings.ranks(
                    parts, np.array(rowids, dtype=np.uint32), any_word=query.any_word
                )
                scores = [-float(k) for k in found_ranks]
            page = list(zip(rowids, scores, strict=True))
        hits = [
            Hit(
                id=rows[r].doc_id,
                type=rows[r].type,
                title=rows[r].title,
                snippet=(parts and query.highlight and _snippet(rows[r], parsed))
                or plain_snippet(rows[r].summary),
                score=score,
            )
            for r, score in page
            if r in rows
        ]
        facets = bitmaps.facets(None if everything else matched) if query.facets else {}
        return SearchResult(hits, len(matched), query.page, query.per_page, facets)

    async def _part(self, conn: AsyncConnection, generation: int, part: str) -> Postings:
        """One word, phrase or prefix's postings, from memory or read once from FTS5."""
        found = self.postings.get(generation, part)
        if found is None:
            rows = await fetch_all(
                conn, f"SELECT rowid, rank FROM {FTS} WHERE {FTS} MATCH :part", {"part": part}
            )
            found = Postings.of(rows)
            self.postings.put(generation, part, found)
        return found

    async def _informative(
        self, conn: AsyncConnection, parsed: ParsedText, documents: int
    ) -> ParsedText:
        """An any-word query with its most telling words only: words in many documents
        match nearly everything, say little about relevance and make FTS5 rank most of the
        index (the idea of Lucene's common-terms query). The rarest words are kept, at most
        MAX_ANY_WORDS; the two rarest stay if all are common."""
        wanted = list(dict.fromkeys(parsed.all_words))
        counts = await self._frequencies(conn, wanted)
        present = sorted((counts[w], w) for w in wanted if counts[w])
        common = max(COMMON_SHARE * documents, COMMON_AT_LEAST)
        kept = [w for n, w in present if n <= common][:MAX_ANY_WORDS] or [w for _, w in present[:2]]
        return ParsedText((), tuple(w for w in wanted if w in kept), None)

    async def _frequencies(self, conn: AsyncConnection, terms: list[str]) -> dict[str, int]:
        """Documents per term, remembered for a while: statistics for choosing words, not
        results, so minutes of staleness only shift which common words are dropped."""
        now = time.monotonic()
        missing = [t for t in terms if now - self._df.get(t, (0, -DF_TTL))[1] >= DF_TTL]
        for term in missing:
            rows = await fetch_all(
                conn, f"SELECT doc FROM {PREFIX}vocab WHERE term = :t", {"t": term}
            )
            self._df[term] = (int(rows[0][0]) if rows else 0, now)
        if len(self._df) > DF_CACHE_SIZE:
            self._df.clear()
        return {t: self._df[t][0] if t in self._df else 0 for t in terms}

    async def _sorted_page(
        self, conn: AsyncConnection, query: SearchQuery, within: BitMap, bitmaps: Bitmaps,
        *, everything: bool,
    ) -> list[int]:  # fmt: skip
        """The rowids of the page shown when ordered by a column (newest, deadline, value,
        or relevance without words), equal keys in document id order. The order comes
        from the column's sorted copy in memory, filtered by `within`; only the documents
        sharing the page's keys are read, for their ids. (Handing SQLite thousands of
        rowids to sort took ~10 ms for a CPV group's newest listings.) Every document, or a
        page reaching the documents without a key, is left to SQLite's index."""
        if not within:
            return []
        order = order_by(query, has_text=False)
        column, descending = SORTS.get(query.sort, SORTS["newest"])
        need = query.offset + query.per_page
        if not everything:
            keys, rowids = bitmaps.numbers[column].ordered(within, descending=descending)
            if need <= len(keys):
                return await self._in_id_order(conn, keys, rowids, query.offset, need)
        where, params = "1", {}
        if not everything:
            where = "d.rowid IN (SELECT value FROM json_each(:within))"
            params = {"within": json.dumps(list(within))}
        rows = await fetch_all(
            conn,
            f"SELECT d.rowid FROM {PREFIX}documents d WHERE {where}"
            f" ORDER BY {order} LIMIT {query.per_page} OFFSET {query.offset}",
            params,
        )
        return [int(r) for (r,) in rows]

    async def _in_id_order(
        self, conn: AsyncConnection, keys: NDArray[np.float64], rowids: NDArray[np.uint32],
        offset: int, end: int,
    ) -> list[int]:  # fmt: skip
        """Rowids [offset, end) of rows sorted by ascending `keys`, equal keys in document id
        order: only the rows sharing the page's keys are read, for their ids."""
        low = int(np.searchsorted(keys, keys[offset], side="left"))
        high = int(np.searchsorted(keys, keys[end - 1], side="right"))
        names = ", ".join(str(int(r)) for r in rowids[low:high])  # integers from the index
        ids = dict(
            await fetch_all(
                conn, f"SELECT rowid, doc_id FROM {PREFIX}documents WHERE rowid IN ({names})"
            )
        )
        region = sorted(
            zip(keys[low:high].tolist(), rowids[low:high].tolist(), strict=True),
            key=lambda pair: (pair[0], ids.get(pair[1], "")),
        )
        return [r for _, r in region[offset - low : end - low]]

    async def _ranked_page(
        self, conn: AsyncConnection, query: SearchQuery, parts: list[Postings], matched: BitMap
    ) -> tuple[list[tuple[int, float]], dict[int, Row]]:
        """Best first by FTS5's configured bm25 (the sum of the parts' ranks); equal scores
        in document id order like every other sort, resolved only around the page."""
        if len(parts) == 1 and len(matched) == len(parts[0]):  # one word, nothing filtered
            rowids, ranked = parts[0].rowids, parts[0].ranks
        else:
            rowids = postings.rowids_of(matched)
            ranked = postings.ranks(parts, rowids, any_word=query.any_word)
        end = query.offset + query.per_page
        region, before = postings.page_region(ranked, query.offset, end)
        pairs = list(zip(ranked[region].tolist(), rowids[region].tolist(), strict=True))
        rows = await self._rows(conn, [r for _, r in pairs], text=query.highlight)
        pairs.sort(key=lambda pair: (pair[0], rows[pair[1]].doc_id if pair[1] in rows else ""))
        page = pairs[query.offset - before : end - before]
        return [(int(r), -k) for k, r in page], rows

    async def _rows(
        self, conn: AsyncConnection, rowids: list[int], *, text: bool
    ) -> dict[int, Row]:
        """The rows shown, with the texts their snippets are cut from when `text`."""
        if not rowids:
            return {}
        names = ", ".join(str(int(r)) for r in rowids)  # integers read from the index
        if text:
            sql = (
                f"SELECT d.rowid, d.doc_id, d.type, d.title, d.summary, f.summary, f.body,"
                f" f.title FROM {PREFIX}documents d JOIN {FTS} f ON f.rowid = d.rowid"
                f" WHERE d.rowid IN ({names})"
            )
        else:
            sql = (
                f"SELECT rowid, doc_id, type, title, summary, NULL, NULL, NULL"
                f" FROM {PREFIX}documents WHERE rowid IN ({names})"
            )
        return {int(r[0]): Row(*r) for r in await fetch_all(conn, sql)}

    async def _correct(self, conn: AsyncConnection, query: SearchQuery) -> str | None:
        parsed = parse(query.text, prefix=query.prefix)
        generation = (await self.bitmaps.get(conn)).generation
        changed = False
        replacements: dict[str, str] = {}
        for word in parsed.all_words:
            is_prefix = word == parsed.prefix
            if await self._known(conn, generation, word, prefix=is_prefix):
                continue
            fix = await self.spelling.correction(conn, generation, word)
            if fix:
                replacements[word] = fix
                changed = True
        if not changed:
            return None
        corrected = [replacements.get(w, w) for w in _folded_words(query.text)]
        return " ".join(corrected) + (" " if query.text.endswith(" ") else "")

    async def _known(
        self, conn: AsyncConnection, generation: int, word: str, *, prefix: bool
    ) -> bool:
        """Whether the index has the word (or, for a prefix, a word starting with it): its
        postings, usually just read by the search that found nothing."""
        part = fts_parts(ParsedText((), (), word) if prefix else ParsedText((), (word,), None))
        return bool(len(await self._part(conn, generation, part[0])))

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
        await self.spelling.close()
        self.peek.close()


Ranges = tuple[tuple[str, float | None, float | None], ...]


def _ranges(query: SearchQuery) -> Ranges:
    return (
        ("value", query.value_min, query.value_max),
        ("deadline", _epoch(query.deadline_from), _epoch(query.deadline_to)),
    )


def _result_key(query: SearchQuery, bitmaps: Bitmaps) -> Hashable:
    """A query as an answer is remembered: range bounds by where they fall among the
    indexed values, so "deadline from now" is the same question until the next deadline
    passes."""
    return (
        replace(query, value_min=None, value_max=None, deadline_from=None, deadline_to=None),
        tuple(bitmaps.numbers[c].span(low, high) for c, low, high in _ranges(query)),
    )


def _copy(result: SearchResult) -> SearchResult:
    """Callers get their own lists and dicts: the remembered answer stays as it was."""
    return replace(
        result, hits=list(result.hits), facets={k: dict(v) for k, v in result.facets.items()}
    )


def _folded_words(value: str) -> list[str]:
    return [fold(w) for w in words(value)]


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
