"""tantivy embedded: the default search engine of a deployment on one machine.

tantivy (tantivy-py, the Rust library in the Lucene tradition) keeps the index in files
under `root` (`MARKETPLACE_SEARCH_INDEX_DIR`, `var/search` by default); no server runs.

- Layout: each full build is a directory of its own (`g<time>-<token>/`, a tantivy index);
  the file `CURRENT` names the live one. A rebuild writes a new directory and replaces
  `CURRENT` with one atomic rename, so searches answer from the old index until then.
  The build before the live one is kept (a process may still read it); older ones go.
- Readers: every process opens the live index read-only and, before each search, compares
  two `stat`s (the pointer, the index's `meta.json`) with what it last saw; a change means
  a commit or a swap elsewhere, and the reader reloads (milliseconds, segments are mmapped).
  A reload that fails (a segment merged away by the writer at that moment) keeps the
  previous, still consistent, view and is tried again by the next search.
- Writers: tantivy allows one writer per index (a lock file). A write takes the writer for
  the time of one batch (waiting up to WRITER_WAIT for another process's batch), commits,
  lets merges finish, and releases it: the outbox worker, a second worker or a test's
  second backend object never fail for the lock, they take turns.
- Text: a `folded` analyzer (words, lower case, ASCII folding: `München` → `munchen`);
  each text field has its weight (a word in the title counts ten times one in the body);
  every word must match (BM25 ranks), the last one as a prefix while typing, quoted
  phrases as phrases. A word the index does not know is matched as a fuzzy term within
  Meilisearch's typo budget, and the answer says which spelling it used. A CPV code
  typed in the box (`45000000`, `45233000-9`) finds the records classified under it.
- Filters and facets: keyword fields (CPV codes and NUTS regions with all their
  ancestors); every facet's values also in one `facet` column (`theme:mobility`), counted
  by one terms aggregation on the matching documents.
- Order: by score or by a fast field, equal keys in document id order on every page.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import secrets
import shutil
import threading
import time
from collections import Counter
from collections.abc import AsyncIterable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy as tv

from search.documents import SearchDocument
from search.protocol import BackendUnavailable, IndexOutdated
from search.query import (
    COMMON_AT_LEAST,
    COMMON_SHARE,
    FACETS,
    MAX_ANY_WORDS,
    Hit,
    SearchQuery,
    SearchResult,
)
from search.text import (
    ParsedText,
    aiter_documents,
    allowed_typos,
    best_correction,
    clean,
    highlight,
    mark_words,
    parse,
    plain_snippet,
)

# Text fields and their weights: a word in the title counts ten times one in the body.
WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "summary": 5.0,
    "organisation": 4.0,
    "body": 1.0,
    "classification": 3.0,
    "outcomes": 2.0,
}
KEYWORDS = ("type", "status", "theme", "country", "standard", "cpv", "cpv_division", "nuts")
ANALYZER = "folded"
FACET_FIELD = "facet"
POINTER = "CURRENT"
POINTER_LOCK = ".pointer.lock"
# Bumped whenever the fields change: a build made with other fields is refused (searching
# it would fail field by field) until `marketplace search reindex` builds a new one.
SCHEMA_VERSION = 2  # 2: the `facet` field
VERSION_FILE = "marketplace-schema"
FUZZY_BOOST = 0.3  # a fuzzy or prefix match scores below an exact word
CPV_BOOST = 3.0  # a CPV code typed in the box: the classification is what was meant
MIN_PREFIX = 2  # a one-letter "prefix" would expand to most of the vocabulary
WRITER_HEAP = 50_000_000  # bytes, one indexing thread: the outbox's batches are small
BUILD_HEAP = 256_000_000  # a full rebuild: fewer, larger segments
BUILD_THREADS = 2
WRITER_WAIT = 30.0  # seconds a write waits for another process's batch to finish
BUILD_BATCH = 5000  # documents handed to tantivy per trip to its thread
SNIPPET_SCAN = 2000  # characters of a body a snippet is looked for in
CORRECTION_DOCS = 5  # the matching records whose words a correction is chosen from
PREFIX_WORDS = 4  # per field: the most frequent words a prefix begins, ranked as words
FACET_SIZE = 500  # values counted per facet (every facet here has fewer: counts are exact)
TIE_WINDOW = 10_000  # equal scores resolved in id order up to this many hits
# Sort key values of documents without the value: always after those with one.
NO_DATE_DESC = -1.0e300
NO_DATE_ASC = 1.0e300
NO_VALUE = -1.0e300
# Sort → (fast field, descending).
SORT_FIELDS = {
    "newest": ("published_sort", True),
    "deadline": ("deadline_sort", False),
    "value": ("value_sort", True),
}
_CPV_IN_TEXT = re.compile(r"(?<![\w-])(\d{8})(?:-\d)?(?![\w-])")


def analyzer() -> tv.TextAnalyzer:
    """Words (letters and digits), at most 40 characters, lower case, folded to ASCII."""
    return (
        tv.TextAnalyzerBuilder(tv.Tokenizer.simple())
        .filter(tv.Filter.remove_long(40))
        .filter(tv.Filter.lowercase())
        .filter(tv.Filter.ascii_fold())
        .build()
    )


def schema() -> tv.Schema:
    builder = tv.SchemaBuilder()
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in KEYWORDS:
        builder.add_text_field(name, stored=name == "type", fast=True, tokenizer_name="raw",
                               index_option="basic")  # fmt: skip
    for name in WEIGHTS:
        builder.add_text_field(name, stored=True, tokenizer_name=ANALYZER)
    for name in ("value", "deadline"):  # range filters: present only when known
        builder.add_float_field(name, indexed=True, fast=True)
    for name in ("published_sort", "deadline_sort", "value_sort"):
        builder.add_float_field(name, fast=True)
    builder.add_unsigned_field("id_key", fast=True)  # puts equal scores in id order
    # Every facet's values in one column (`theme:mobility`, `country:FI`, …): one terms
    # aggregation counts them all in one pass over the matches, a quarter faster than one
    # aggregation per facet (docs/benchmarks.md, 6 December).
    builder.add_text_field(FACET_FIELD, fast=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def id_key(doc_id: str) -> int:
    """The id's first 8 bytes as a number: ordered as the ids are (ids sharing those bytes
    are told apart by reading them)."""
    return int.from_bytes(doc_id.encode()[:8].ljust(8, b"\0"), "big")


def _epoch(moment: Any) -> float | None:
    return moment.timestamp() if moment is not None else None


def to_tantivy(doc: SearchDocument) -> dict[str, Any]:
    """A document as tantivy's field values (lists for the many-valued keywords)."""
    fields = doc.text_fields
    values: dict[str, Any] = {"id": doc.id, "type": doc.type, "id_key": id_key(doc.id)}
    for name in WEIGHTS:
        values[name] = clean(fields[name])
    keywords = {
        "status": [doc.status] if doc.status else [],
        "theme": sorted(set(doc.themes)),
        "country": sorted({c.upper() for c in doc.countries}),
        "standard": sorted(set(doc.standards)),
        "cpv": list(doc.cpv_terms),
        "cpv_division": list(doc.cpv_divisions),
        "nuts": list(doc.nuts_terms),
    }
    values.update({k: v for k, v in keywords.items() if v})
    faceted = {"type": [doc.type], **keywords}
    values[FACET_FIELD] = [f"{name}:{v}" for name in FACETS for v in faceted[name]]
    deadline, published = _epoch(doc.deadline), _epoch(doc.published_at)
    if doc.value is not None:
        values["value"] = float(doc.value)
    if deadline is not None:
        values["deadline"] = deadline
    values["published_sort"] = published if published is not None else NO_DATE_DESC
    values["deadline_sort"] = deadline if deadline is not None else NO_DATE_ASC
    values["value_sort"] = float(doc.value) if doc.value is not None else NO_VALUE
    return values


@dataclass
class _Live:
    """The index this process reads, and what it last saw of the files on disk."""

    name: str
    index: tv.Index
    searcher: tv.Searcher
    meta: tuple[int, int, int]  # (inode, mtime, size) of meta.json when loaded


@dataclass(frozen=True)
class _Text:
    """A query's text as tantivy terms: folded words, phrases, the prefix, CPV codes, and
    the words the index does not know (matched fuzzily)."""

    parsed: ParsedText
    cpv: tuple[str, ...]
    unknown: frozenset[str]

    @property
    def empty(self) -> bool:
        return self.parsed.empty and not self.cpv


def _stat(path: Path) -> tuple[int, int, int]:
    found = os.stat(path)
    return (found.st_ino, found.st_mtime_ns, found.st_size)


class TantivySearch:
    name = "tantivy"
    vector_search = False  # matching scans the vectors itself (docs/relevance.md)

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.schema = schema()
        self.analyzer = analyzer()
        self._live: _Live | None = None
        self._pointer: tuple[int, int, int] | None = None
        self._reload_lock = threading.Lock()  # one reload of this object's view at a time
        self._write_lock = threading.Lock()  # and one write
        # A search alone counts its facets in a thread of their own while the page is
        # ranked and read: tantivy releases the GIL in both, so it takes the longer of the
        # two, not their sum. With other searches in flight the cores are busy already and
        # the handing over costs more than it wins (13 % more CPU per search, measured):
        # the facets are counted in the search's own thread.
        self._facet_threads = ThreadPoolExecutor(2, thread_name_prefix="tantivy-facets")
        self._in_flight = 0  # searches of this object running now
        self._in_flight_lock = threading.Lock()
        # Seconds the last search spent in tantivy's own calls (matching, ranking, reading
        # the page, counting facets): the benchmark's floor beside the whole search.
        self.engine_seconds = 0.0

    # ---- files ---------------------------------------------------------------------------
    @contextmanager
    def _pointer_lock(self) -> Iterator[None]:
        """Changes of `CURRENT` (creating the first index, swapping a rebuild) one process
        at a time."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / POINTER_LOCK, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self, name: str) -> tv.Index:
        version = self.root / name / VERSION_FILE
        found = version.read_text().strip() if version.exists() else "none"
        if found != str(SCHEMA_VERSION):
            raise IndexOutdated(
                f"tantivy search index {self.root / name} has fields of version {found}, this"
                f" code needs version {SCHEMA_VERSION}: run `marketplace search reindex`"
            )
        index = tv.Index.open(str(self.root / name))
        index.register_tokenizer(ANALYZER, self.analyzer)
        index.config_reader(reload_policy="manual")
        return index

    def _create(self) -> str:
        """A new, empty index directory; its name."""
        name = f"g{time.time_ns():020d}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir(parents=True)
        (path / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
        index = tv.Index(self.schema, path=str(path), reuse=False)
        index.register_tokenizer(ANALYZER, self.analyzer)
        writer = index.writer(WRITER_HEAP, 1)
        writer.commit()
        writer.wait_merging_threads()
        return name

    def _swap(self, name: str) -> None:
        """Point `CURRENT` at `name` (an atomic rename) and remove the builds older than the
        one it replaces (that one stays: a process may still be reading it). Call with the
        pointer lock held."""
        pointer = self.root / POINTER
        replaced = pointer.read_text().strip() if pointer.exists() else ""
        temporary = self.root / f".{POINTER}.{secrets.token_hex(4)}"
        temporary.write_text(name + "\n")
        os.replace(temporary, pointer)
        for path in self.root.iterdir():
            if path.is_dir() and path.name.startswith("g") and path.name < replaced:
                shutil.rmtree(path, ignore_errors=True)

    def _ensure(self) -> None:
        with self._pointer_lock():
            if not (self.root / POINTER).exists():
                self._swap(self._create())

    def _current(self) -> _Live:
        """The live index, reloaded when another process (or this one) committed or swapped
        since it was last looked at: two `stat`s when nothing changed."""
        live = self._live
        try:
            pointer = _stat(self.root / POINTER)
        except FileNotFoundError:
            if live is not None:
                return live
            self._ensure()
            pointer = _stat(self.root / POINTER)
        if live is not None and pointer == self._pointer:
            try:
                meta = _stat(self.root / live.name / "meta.json")
            except FileNotFoundError:  # removed by a rebuild elsewhere: the pointer moved
                meta = live.meta
            if meta == live.meta:
                return live
        with self._reload_lock:
            return self._refresh(pointer)

    def _refresh(self, pointer: tuple[int, int, int]) -> _Live:
        live = self._live
        try:
            name = (self.root / POINTER).read_text().strip()
            meta_path = self.root / name / "meta.json"
            meta = _stat(meta_path)
            if live is not None and live.name == name:
                if meta != live.meta:
                    live.index.reload()
                    live = _Live(name, live.index, live.index.searcher(), meta)
            else:
                index = self._open(name)
                live = _Live(name, index, index.searcher(), meta)
        except BackendUnavailable:
            raise
        except (OSError, ValueError) as error:
            # A swap or a merge elsewhere at this very moment: the previous view is still
            # whole (its files are open); the next search looks again.
            if live is not None:
                return live
            raise BackendUnavailable(f"tantivy search index: {error}") from error
        self._live, self._pointer = live, pointer
        return live

    # ---- writing -------------------------------------------------------------------------
    async def ensure_ready(self) -> None:
        try:
            await asyncio.to_thread(self._current)
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"tantivy search index: {error}") from error

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if documents:
            latest = {doc.id: doc for doc in documents}  # the last version of an id wins
            await self._write(list(latest), list(latest.values()))

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await self._write(list(dict.fromkeys(ids)), [])

    async def _write(self, remove: list[str], add: list[SearchDocument]) -> None:
        values = [to_tantivy(doc) for doc in add]
        try:
            await asyncio.to_thread(self._write_now, remove, values)
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"tantivy search index: {error}") from error

    def _write_now(self, remove: list[str], add: list[dict[str, Any]]) -> None:
        live = self._current()
        with self._write_lock:
            writer = self._writer(live.index)
            try:
                for doc_id in remove:
                    writer.delete_documents_by_term("id", doc_id)
                for values in add:
                    writer.add_document(tv.Document.from_dict(values, self.schema))
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # releases the writer's lock
        self._current()  # this process sees its own commit at once

    def _writer(self, index: tv.Index, heap: int = WRITER_HEAP, threads: int = 1) -> Any:
        """tantivy's writer of `index`, waiting while another process holds it."""
        deadline = time.monotonic() + WRITER_WAIT
        while True:
            try:
                return index.writer(heap, threads)
            except ValueError as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise BackendUnavailable(f"tantivy search index: {error}") from error
                time.sleep(0.02)

    async def rebuild(
        self, documents: Iterable[SearchDocument] | AsyncIterable[SearchDocument]
    ) -> int:
        """Into a new index directory, swapped in by renaming the pointer once committed."""
        try:
            name = await asyncio.to_thread(self._create)
            index = await asyncio.to_thread(self._open, name)
            writer = await asyncio.to_thread(self._writer, index, BUILD_HEAP, BUILD_THREADS)
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"tantivy search index: {error}") from error
        seen: set[str] = set()
        try:
            batch: list[SearchDocument] = []
            async for doc in aiter_documents(documents):
                batch.append(doc)
                if len(batch) >= BUILD_BATCH:
                    await asyncio.to_thread(self._add, writer, batch, seen)
                    batch = []
            if batch:
                await asyncio.to_thread(self._add, writer, batch, seen)
            await asyncio.to_thread(writer.commit)
            await asyncio.to_thread(writer.wait_merging_threads)
        except BaseException:
            await asyncio.to_thread(_discard, writer, self.root / name)
            raise
        await asyncio.to_thread(self._swap_in, name)
        return len(seen)

    def _add(self, writer: Any, batch: list[SearchDocument], seen: set[str]) -> None:
        for doc in batch:
            if doc.id in seen:  # rare: a repeated id replaces the earlier version
                writer.delete_documents_by_term("id", doc.id)
            seen.add(doc.id)
            writer.add_document(tv.Document.from_dict(to_tantivy(doc), self.schema))

    def _swap_in(self, name: str) -> None:
        with self._pointer_lock():
            self._swap(name)
        self._current()

    async def clear(self) -> None:
        """Empty the live index (tests, and `reindex` of an empty database)."""
        await self.rebuild([])

    # ---- reading -------------------------------------------------------------------------
    async def search(self, query: SearchQuery) -> SearchResult:
        try:
            return await asyncio.to_thread(self.search_now, query)
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"tantivy search index: {error}") from error

    def search_now(self, query: SearchQuery) -> SearchResult:
        """The search, in the calling thread (the benchmark times the engine with it)."""
        with self._in_flight_lock:
            self._in_flight += 1
        try:
            return self._search_now(query)
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1

    def _search_now(self, query: SearchQuery) -> SearchResult:
        live = self._current()
        searcher = live.searcher
        text = self._text(searcher, query)
        if query.any_word and not text.empty:
            text = self._informative(searcher, text)
        filtered = self._filters(query)
        started = time.perf_counter()
        whole = _filtered(self._query(searcher, text, query), filtered)
        counting = self._count_facets(searcher, whole, query)
        known_total: int | None = None
        corrected: dict[str, str] = {}
        choosing = 0.0  # Python's part: choosing the corrections
        if text.unknown:
            # A word the index does not know: the words it stands for are read from a few
            # matching records first, then ranked as words (BM25) in the query, not only as
            # fuzzy terms, whose every match scores the same (thousands of ties to order).
            # The documents matched stay the same: the count and facets are taken here.
            found = searcher.search(whole, limit=CORRECTION_DOCS, count=query.exact_total)
            known_total = _count(found) if query.exact_total else None
            if found.hits:
                read = [searcher.doc(a) for _, a in found.hits]
                choosing = time.perf_counter()
                corrected = self._corrections(text, read)
                choosing = time.perf_counter() - choosing
            if corrected:
                whole = _filtered(self._query(searcher, text, query, corrected), filtered)
        if query.sort != "relevance" or text.empty:
            field, descending = SORT_FIELDS.get(query.sort, SORT_FIELDS["newest"])
            page, total = _ordered_page(
                searcher, self.schema, whole, field, descending, query, known_total
            )
            scored = [(address, 0.0) for address in page]
        else:
            scored, total = _ranked_page(searcher, whole, query, known_total)
        docs = [searcher.doc(address) for address, _ in scored]
        in_tantivy = time.perf_counter() - started - choosing
        marking = _with_corrections(text.parsed, corrected)
        show_words = not text.empty and query.highlight
        hits = []
        for doc, (_, score) in zip(docs, scored, strict=True):
            hits.append(
                Hit(
                    id=str(doc.get_first("id")),
                    type=str(doc.get_first("type")),
                    title=str(doc.get_first("title") or ""),
                    snippet=(show_words and _snippet(doc, marking))
                    or plain_snippet(str(doc.get_first("summary") or "")),
                    score=score if show_words else 0.0,
                )
            )
        started = time.perf_counter()
        facets = counting.result() if counting is not None else {}
        self.engine_seconds = in_tantivy + time.perf_counter() - started
        corrected_text = None
        if corrected and query.suggest:
            corrected_text = _corrected(query.text, corrected)
        return SearchResult(hits, total, query.page, query.per_page, facets, corrected_text)

    def _count_facets(
        self, searcher: tv.Searcher, whole: tv.Query, query: SearchQuery
    ) -> Future[dict[str, dict[str, int]]] | None:
        if not query.facets:
            return None
        if self._in_flight > 1:
            counted: Future[dict[str, dict[str, int]]] = Future()
            counted.set_result(_facets(searcher, whole))
            return counted
        return self._facet_threads.submit(_facets, searcher, whole)

    def _text(self, searcher: tv.Searcher, query: SearchQuery) -> _Text:
        cpv = tuple(dict.fromkeys(m.group(1) for m in _CPV_IN_TEXT.finditer(query.text)))
        # A code typed last leaves a space behind: the word before it is not a prefix.
        rest = _CPV_IN_TEXT.sub(" ", query.text) if cpv else query.text
        raw = parse(rest, prefix=query.prefix and not query.any_word)
        phrases = tuple(p for p in (tuple(self._tokens(" ".join(ph))) for ph in raw.phrases) if p)
        terms = tuple(dict.fromkeys(t for word in raw.terms for t in self._tokens(word)))
        prefix_tokens = self._tokens(raw.prefix) if raw.prefix else []
        prefix = None
        if prefix_tokens:
            *more, prefix = prefix_tokens
            terms = tuple(dict.fromkeys((*terms, *more)))
            if len(prefix) < MIN_PREFIX:
                terms, prefix = tuple(dict.fromkeys((*terms, prefix))), None
        parsed = ParsedText(phrases, terms, prefix)
        unknown = frozenset(
            [t for t in terms if allowed_typos(t) and not self._known(searcher, t)]
            + (
                [prefix]
                if prefix and allowed_typos(prefix) and not self._known_prefix(searcher, prefix)
                else []
            )
        )
        return _Text(parsed, cpv, unknown)

    def _tokens(self, text: str) -> list[str]:
        return [t for t in self.analyzer.analyze(text) if t]

    def _known(self, searcher: tv.Searcher, term: str) -> bool:
        return any(searcher.doc_freq(field, term) for field in WEIGHTS)

    def _known_prefix(self, searcher: tv.Searcher, prefix: str) -> bool:
        return any(searcher.terms_with_prefix(field, prefix, limit=1) for field in WEIGHTS)

    def _informative(self, searcher: tv.Searcher, text: _Text) -> _Text:
        """An any-word query with its most telling words only: words in many documents
        match nearly everything and say little about relevance."""
        wanted = list(dict.fromkeys(text.parsed.all_words))
        counts = {w: max(searcher.doc_freq(f, w) for f in WEIGHTS) for w in wanted}
        present = sorted((counts[w], w) for w in wanted if counts[w])
        common = max(COMMON_SHARE * searcher.num_docs, COMMON_AT_LEAST)
        # The caller's order is its own judgement of what is telling (matching sends its
        # heaviest words first); rarest-first would prefer place names and odd words.
        kept = [w for w in wanted if 0 < counts[w] <= common][:MAX_ANY_WORDS] or [
            w for _, w in present[:2]
        ]
        words = tuple(w for w in wanted if w in kept)
        return _Text(ParsedText((), words, None), text.cpv, frozenset())

    def _query(
        self, searcher: tv.Searcher, text: _Text, query: SearchQuery,
        corrected: Mapping[str, str] | None = None,
    ) -> tv.Query:  # fmt: skip
        """Every word (or, for matching, any word) in some text field, weighted by field.
        `corrected`: the word each unknown one stands for, once known (ranked as a word)."""
        corrected = corrected or {}
        if text.empty:
            return tv.Query.all_query()
        parts: list[tv.Query] = []
        parsed = text.parsed
        for phrase in parsed.phrases:
            if len(phrase) == 1:
                parts.append(self._word(phrase[0], fuzzy=False))
            else:
                parts.append(_any(
                    tv.Query.boost_query(tv.Query.phrase_query(self.schema, f, list(phrase)), w)
                    for f, w in WEIGHTS.items()
                ))  # fmt: skip
        for term in parsed.terms:
            parts.append(self._word(term, fuzzy=term in text.unknown, meant=corrected.get(term)))
        if parsed.prefix:
            prefix = parsed.prefix
            parts.append(self._prefix(
                searcher, prefix, fuzzy=prefix in text.unknown, meant=corrected.get(prefix)
            ))  # fmt: skip
        for code in text.cpv:
            cpv = tv.Query.boost_query(
                tv.Query.term_query(self.schema, "cpv", code, index_option="basic"), CPV_BOOST
            )
            parts.append(_any([cpv, self._word(code, fuzzy=False)]))
        if query.any_word:
            return _any(parts)
        return tv.Query.boolean_query([(tv.Occur.Must, part) for part in parts])

    def _word(self, term: str, *, fuzzy: bool, meant: str | None = None) -> tv.Query:
        """The word in any text field; unknown (`fuzzy`), any word within its typo budget,
        the word it stands for (`meant`) ranked above the other near spellings."""
        alternatives = self._words(term, 1.0)
        if fuzzy:
            alternatives += [
                tv.Query.boost_query(
                    tv.Query.fuzzy_term_query(self.schema, f, term, allowed_typos(term)),
                    w * FUZZY_BOOST,
                )
                for f, w in WEIGHTS.items()
            ]
            if meant:
                alternatives += self._words(meant, FUZZY_BOOST)
        return _any(alternatives)

    def _words(self, term: str, boost: float) -> list[tv.Query]:
        """The word in each text field, by the field's weight times `boost`."""
        return [self._in(f, term, w * boost) for f, w in WEIGHTS.items()]

    def _in(self, field: str, term: str, boost: float) -> tv.Query:
        return tv.Query.boost_query(tv.Query.term_query(self.schema, field, term), boost)

    def _prefix(
        self, searcher: tv.Searcher, prefix: str, *, fuzzy: bool, meant: str | None = None
    ) -> tv.Query:
        """The word being typed: itself, or any word it begins (or, unknown, nearly
        begins). The PREFIX_WORDS most frequent words it begins in each field are ranked as
        words (BM25), so the records with the likely word come first and in order of
        relevance; where the field has more, tantivy's prefix automaton matches every other
        one too (one score for all of its matches: ranked alone, thousands would tie)."""
        distance = allowed_typos(prefix) if fuzzy else 0
        begun = meant or (None if fuzzy else prefix)
        alternatives = self._words(prefix, 1.0)
        for f, w in WEIGHTS.items():
            words = searcher.terms_with_prefix(f, begun, limit=PREFIX_WORDS + 1) if begun else []
            alternatives += [
                self._in(f, word, w * FUZZY_BOOST) for word, _ in words[:PREFIX_WORDS]
                if word != prefix
            ]  # fmt: skip
            if len(words) > PREFIX_WORDS or not begun or distance:
                # More words than ranked (or a prefix not known as typed): every word it
                # begins, or nearly begins, matches through the automaton.
                alternatives.append(tv.Query.boost_query(
                    tv.Query.fuzzy_term_query(self.schema, f, prefix, distance, prefix=True),
                    w * FUZZY_BOOST,
                ))  # fmt: skip
        return _any(alternatives)

    def _filters(self, query: SearchQuery) -> tv.Query | None:
        clauses: list[tv.Query] = []
        filters = {
            "type": query.types,
            "status": query.statuses,
            "theme": query.themes,
            "country": tuple(c.upper() for c in query.countries),
            "standard": query.standards,
            "cpv": query.cpv_terms,
            "nuts": query.nuts_terms,
        }
        for field, values in filters.items():
            if values:
                clauses.append(tv.Query.term_set_query(self.schema, field, list(values)))
        for field, low, high in (
            ("value", query.value_min, query.value_max),
            ("deadline", _epoch(query.deadline_from), _epoch(query.deadline_to)),
        ):
            if low is not None or high is not None:
                clauses.append(
                    tv.Query.range_query(
                        self.schema, field, tv.FieldType.Float,
                        float(low) if low is not None else None,
                        float(high) if high is not None else None,
                    )
                )  # fmt: skip
        if not clauses:
            return None
        return tv.Query.boolean_query([(tv.Occur.Must, c) for c in clauses])

    def _corrections(self, text: _Text, docs: list[tv.Document]) -> dict[str, str]:
        """For each word the index did not know, the word of the results it stood for: the
        closest within the typo budget, the more frequent on a tie."""
        found: Counter[str] = Counter()
        for doc in docs[:CORRECTION_DOCS]:
            for field in WEIGHTS:
                for value in doc.get_all(field):
                    found.update(self._tokens(str(value)))
        corrected: dict[str, str] = {}
        for word in text.unknown:
            if word == text.parsed.prefix:
                candidates = Counter(
                    {t[: len(word)]: n for t, n in found.items() if len(t) >= len(word)}
                )
            else:
                candidates = found
            near = ((t, n) for t, n in candidates.items() if abs(len(t) - len(word)) <= 2)
            fix = best_correction(word, near)
            if fix:
                corrected[word] = fix
        return corrected

    # ---- operations ----------------------------------------------------------------------
    async def set_vectors(self, vectors: Mapping[str, Sequence[float]]) -> None:
        return None  # no vector search here

    async def health(self) -> bool:
        try:
            await asyncio.to_thread(self._current)
            return True
        except Exception:
            return False

    async def count(self) -> int:
        try:
            live = await asyncio.to_thread(self._current)
        except BackendUnavailable:
            raise
        except Exception as error:
            raise BackendUnavailable(f"tantivy search index: {error}") from error
        return int(live.searcher.num_docs)

    async def close(self) -> None:
        self._live = None
        self._pointer = None


def _discard(writer: Any, path: Path) -> None:
    """A failed or cancelled build: its writer and directory go; the live index stays."""
    try:
        writer.rollback()
        writer.wait_merging_threads()
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _any(queries: Iterable[tv.Query]) -> tv.Query:
    return tv.Query.boolean_query([(tv.Occur.Should, q) for q in queries])


def _and(left: tv.Query, right: tv.Query) -> tv.Query:
    return tv.Query.boolean_query([(tv.Occur.Must, left), (tv.Occur.Must, right)])


def _filtered(query: tv.Query, filters: tv.Query | None) -> tv.Query:
    return query if filters is None else _and(query, filters)


def _address_key(hit: tuple[Any, tv.DocAddress]) -> tuple[int, int]:
    return (hit[1].segment_ord, hit[1].doc)


def _ordered_page(
    searcher: tv.Searcher,
    schema: tv.Schema,
    query: tv.Query,
    field: str,
    descending: bool,
    asked: SearchQuery,
    known_total: int | None = None,
) -> tuple[list[tv.DocAddress], int]:
    """The page when ordered by a fast field, equal keys in document id order, and the
    total (`known_total` when already counted). tantivy orders by one field; ties are put in
    id order by asking, for each key the page shares with other documents, for that key's
    documents ordered by id."""
    order = tv.Order.Desc if descending else tv.Order.Asc
    need = asked.offset + asked.per_page
    counting = asked.exact_total and known_total is None
    found = searcher.search(query, limit=need, count=counting, order_by_field=field,
                            order=order)  # fmt: skip
    hits = found.hits
    if known_total is not None:
        total = known_total
    else:
        total = _count(found) if asked.exact_total else _at_least(asked, len(hits))
    if len(hits) <= asked.offset:
        return [], total
    keys = [k for k, _ in hits]
    i = keys.index(keys[asked.offset])  # every document before it has a better key
    page: list[tv.DocAddress] = []
    while len(page) < asked.per_page and i < len(hits):
        key = keys[i]
        j = i
        while j < len(hits) and keys[j] == key:
            j += 1
        skip = max(0, asked.offset - i)
        room = asked.per_page - len(page)
        complete = j < len(hits) or len(hits) < need  # no document with `key` unfetched
        if j - i == 1 and complete:
            page += [hits[i][1]][skip : skip + room]
        else:  # a tie, or the last key, which may go on past what was fetched
            same = tv.Query.range_query(schema, field, tv.FieldType.Float, key, key)
            members = searcher.search(
                _and(query, same), limit=room, count=False, order_by_field="id",
                order=tv.Order.Asc, offset=skip,
            )  # fmt: skip
            page += [address for _, address in members.hits]
            if j == len(hits):
                break
        i = j
    return page[: asked.per_page], total


def _ranked_page(
    searcher: tv.Searcher, query: tv.Query, asked: SearchQuery, known_total: int | None = None
) -> tuple[list[tuple[tv.DocAddress, float]], int]:
    """Best first by score, equal scores in document id order: hits are fetched until the
    score at the page's end is followed by a lower one (or TIE_WINDOW is reached), and the
    page's ties are ordered by id."""
    need = asked.offset + asked.per_page
    fetch = need + 1  # one more: a lower score after the page's last says there is no tie
    total_count = known_total
    while True:
        # Counting visits every match; without it tantivy may skip the blocks that cannot
        # reach the top (block-max WAND): for matching's twelve-word any-word query, most.
        # Counted once: a tie at the page's edge fetches again, and the count is the same.
        first = total_count is None
        found = searcher.search(query, limit=fetch, count=asked.exact_total and first)
        if asked.exact_total and first:
            total_count = _count(found)
        hits = found.hits
        if len(hits) < fetch or hits[-1][0] != hits[need - 1][0] or fetch >= TIE_WINDOW:
            break
        fetch = min(fetch * 4, TIE_WINDOW)
    total = total_count if total_count is not None else _at_least(asked, len(hits))
    if len(hits) <= asked.offset:
        return [], total
    first, last = hits[asked.offset][0], hits[min(need, len(hits)) - 1][0]
    region = [h for h in hits if last <= h[0] <= first]
    start = sum(1 for h in hits if h[0] > first)
    if len(region) > 1 and (first == last or _has_ties(region)):
        keys = searcher.fast_field_values("id_key", [h[1] for h in region])
        order = {_address_key(h): (-h[0], k or 0, "") for h, k in zip(region, keys, strict=True)}
        counted = Counter(order.values())
        for h in region:  # ids that share their first 8 bytes: read them
            if counted[order[_address_key(h)]] > 1:
                score, key, _ = order[_address_key(h)]
                order[_address_key(h)] = (score, key, str(searcher.doc(h[1]).get_first("id")))
        region.sort(key=lambda h: order[_address_key(h)])
    chosen = region[asked.offset - start : asked.offset - start + asked.per_page]
    return [(address, float(score)) for score, address in chosen], total


def _at_least(asked: SearchQuery, fetched: int) -> int:
    """Without an exact count (`exact_total=False`): the matches found, one more when there
    may be others (as the PostgreSQL backend reports it)."""
    need = asked.offset + asked.per_page
    return min(fetched, need) + (1 if fetched >= need else 0)


def _count(found: tv.SearchResult) -> int:
    """The number of matching documents (asked with count=True; not in tantivy's stubs)."""
    return int(getattr(found, "count", 0) or 0)


def _has_ties(hits: list[tuple[Any, tv.DocAddress]]) -> bool:
    scores = [h[0] for h in hits]
    return len(set(scores)) < len(scores)


def _facets(searcher: tv.Searcher, query: tv.Query) -> dict[str, dict[str, int]]:
    """Each facet's values and how many matching documents have them (exact: every value
    is asked for), from the one `facet` column."""
    size = FACET_SIZE * len(FACETS)
    request = {"f": {"terms": {"field": FACET_FIELD, "size": size, "segment_size": size}}}
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for bucket in searcher.aggregate(query, request)["f"]["buckets"]:
        name, _, value = str(bucket["key"]).partition(":")
        counts[name][value] = int(bucket["doc_count"])
    return counts


def _snippet(doc: tv.Document, parsed: ParsedText) -> str | None:
    """A highlighted fragment: the summary or body where a word matched, else the title.
    Only the start of a long body is looked through (SNIPPET_SCAN characters): a word
    matched further on still finds the record, the snippet then comes from the title."""
    for field in ("summary", "body", "title"):
        value = doc.get_first(field)
        marked = mark_words(str(value)[:SNIPPET_SCAN], parsed) if value else None
        if marked:
            return highlight(marked)
    return None


def _with_corrections(parsed: ParsedText, corrected: dict[str, str]) -> ParsedText:
    if not corrected:
        return parsed
    terms = tuple(corrected.get(t, t) for t in parsed.terms)
    prefix = corrected.get(parsed.prefix, parsed.prefix) if parsed.prefix else None
    return ParsedText(parsed.phrases, terms, prefix)


def _corrected(text: str, corrected: dict[str, str]) -> str:
    """The words as typed, each one the index did not know replaced by its correction."""
    from search.text import fold, words

    out = [corrected.get(fold(w), fold(w)) for w in words(text)]
    return " ".join(out) + (" " if text.endswith(" ") else "")
