"""What the SQLite backend keeps in memory (postings per word, whole answers, the spelling
vocabulary, sort columns) answers exactly as FTS5 and the tables would, and never outlives
a write made by another process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.db import create_engine
from search import BackendUnavailable, SearchDocument, SearchQuery
from search.backends._bitmaps import GENERATION
from search.backends._driver import Peek, fetch_all
from search.backends._memory import GenerationCache
from search.backends.sqlite import FTS, SqliteSearch
from tests.search.corpus import CORPUS, at

WORDS = ["bike", "sharing", "sensor", "bins", "waste", "tram", "heat", "pump", "river", "data"]


@pytest.fixture
async def engine_file(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'index.db'}")
    yield engine
    await engine.dispose()


async def fresh(engine: AsyncEngine, documents: list[SearchDocument]) -> SqliteSearch:
    backend = SqliteSearch(engine)
    await backend.ensure_ready()
    await backend.rebuild(documents)
    return backend


def ids(found: object) -> list[str]:
    return [h.id for h in found.hits]  # type: ignore[attr-defined]


def texts(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)))


@st.composite
def corpora(draw: st.DrawFn) -> list[SearchDocument]:
    count = draw(st.integers(min_value=1, max_value=25))
    return [
        SearchDocument(
            id=f"d{n:02d}",
            type="listing",
            title=texts(draw),
            summary=texts(draw),
            body=texts(draw),
            published_at=at("2026-01-01"),
        )
        for n in range(count)
    ]


class TestRankingFromPostings:
    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        documents=corpora(),
        words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
        any_word=st.booleans(),
    )
    async def test_order_and_scores_are_fts5s_own(
        self, tmp_path: Path, documents: list[SearchDocument], words: list[str], any_word: bool
    ) -> None:
        """bm25 of several words is the sum of each word's: ranking from the words' postings
        gives FTS5's own order (equal scores by id) and FTS5's own scores."""
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / f'{len(documents)}.db'}")
        try:
            backend = await fresh(engine, documents)
            joiner = " OR " if any_word else " "
            match = joiner.join(f'"{w}"' for w in words)
            sql = (
                f"SELECT d.doc_id, -f.rank FROM {FTS} f JOIN searchidx_documents d"  # noqa: S608
                f" ON d.rowid = f.rowid WHERE {FTS} MATCH :m ORDER BY f.rank, d.doc_id"
            )
            async with engine.connect() as conn:
                expected = await fetch_all(conn, sql, {"m": match})
            query = SearchQuery(text=" ".join(words) + " ", any_word=any_word, per_page=100,
                                suggest=False)  # fmt: skip
            found = await backend.search(query)
            got = [(h.id, h.score) for h in found.hits]
            assert [i for i, _ in got] == [i for i, _ in expected]
            assert [s for _, s in got] == pytest.approx([s for _, s in expected])
            assert found.total == len(expected)
            await backend.close()
        finally:
            await engine.dispose()


class TestRememberedAnswers:
    async def test_a_write_elsewhere_is_seen_at_once(self, engine_file: AsyncEngine) -> None:
        writer, reader = await fresh(engine_file, CORPUS), SqliteSearch(engine_file)
        query = SearchQuery(text="bins")
        assert ids(await reader.search(query)) == ["l-malmo"]
        assert ids(await reader.search(query)) == ["l-malmo"]  # remembered
        new = SearchDocument(id="l-bins", type="listing", title="Bins that talk",
                             published_at=at("2026-04-01"))  # fmt: skip
        await writer.upsert([new])
        assert sorted(ids(await reader.search(query))) == ["l-bins", "l-malmo"]
        await writer.delete(["l-malmo"])
        assert ids(await reader.search(query)) == ["l-bins"]

    async def test_the_generation_is_peeked_read_only_and_only_in_a_file(
        self, engine_file: AsyncEngine, tmp_path: Path
    ) -> None:
        backend = await fresh(engine_file, CORPUS)
        await backend.search(SearchQuery(text="bins"))
        current = backend.bitmaps.current
        assert current is not None and backend.peek.scalar(GENERATION) == current.generation
        # Refused: nothing is removed through it.
        assert backend.peek.scalar("DELETE FROM searchidx_documents") is None
        assert ids(await SqliteSearch(engine_file).search(SearchQuery(text="bins"))) == ["l-malmo"]
        assert Peek(make_url("sqlite+aiosqlite:///:memory:")).scalar("SELECT 1") is None
        missing = tmp_path / "missing.db"
        assert Peek(make_url(f"sqlite+aiosqlite:///{missing}")).scalar("SELECT 1") is None
        assert not missing.exists()

    async def test_a_deadline_bound_is_asked_anew_once_a_deadline_passes(
        self, engine_file: AsyncEngine
    ) -> None:
        backend = await fresh(engine_file, CORPUS)
        open_now = SearchQuery(types=("tender",), deadline_from=at("2026-05-01"))
        before = ids(await backend.search(open_now))
        assert "t-munchen" in before  # deadline 2026-06-01
        later = replace(open_now, deadline_from=at("2026-06-02"))
        assert "t-munchen" not in ids(await backend.search(later))
        almost = replace(open_now, deadline_from=at("2026-05-31"))  # same deadlines ahead
        assert ids(await backend.search(almost)) == before

    async def test_answers_cannot_be_changed_by_a_caller(self, engine_file: AsyncEngine) -> None:
        backend = await fresh(engine_file, CORPUS)
        first = await backend.search(SearchQuery())
        first.hits.clear()
        first.facets["type"].clear()
        again = await backend.search(SearchQuery())
        assert len(again.hits) == len(CORPUS) and again.facets["type"]

    async def test_none_remembered_when_switched_off(self, engine_file: AsyncEngine) -> None:
        await fresh(engine_file, CORPUS)
        backend = SqliteSearch(engine_file, result_pages=0)
        await backend.search(SearchQuery(text="bins"))
        assert len(backend.results) == 0


class TestSpelling:
    async def test_a_word_indexed_later_is_offered_as_a_correction(
        self, engine_file: AsyncEngine
    ) -> None:
        writer, reader = await fresh(engine_file, CORPUS), SqliteSearch(engine_file)
        assert (await reader.search(SearchQuery(text="hydrogne "))).total == 0
        await writer.upsert([SearchDocument(id="l-h2", type="listing", title="Hydrogen buses")])
        found = await reader.search(SearchQuery(text="hydrogne "))
        assert found.corrected_text == "hydrogen " and ids(found) == ["l-h2"]

    async def test_a_corrected_answer_is_remembered_under_the_words_as_typed(
        self, engine_file: AsyncEngine
    ) -> None:
        writer = await fresh(engine_file, CORPUS)
        await writer.upsert([SearchDocument(id="l-h2", type="listing", title="Hydrogen buses")])
        backend = SqliteSearch(engine_file)
        first = await backend.search(SearchQuery(text="hydrogne "))
        assert first.corrected_text == "hydrogen " and ids(first) == ["l-h2"]
        first.hits.clear()
        assert (await backend.search(SearchQuery(text="zzzzq"))).total == 0  # nothing near

        async def no_second_correction(*_: object) -> str | None:
            raise AssertionError("the correction was worked out again")

        backend._correct = no_second_correction  # type: ignore[method-assign]
        again = await backend.search(SearchQuery(text="hydrogne "))
        assert again.corrected_text == "hydrogen " and ids(again) == ["l-h2"]
        assert (await backend.search(SearchQuery(text="zzzzq"))).total == 0  # remembered too
        # A write makes it a new question.
        await writer.upsert([SearchDocument(id="l-h3", type="listing", title="Hydrogen trams")])
        with pytest.raises(BackendUnavailable, match="worked out again"):
            await backend.search(SearchQuery(text="hydrogne "))


class TestSortedPages:
    async def test_filtered_sorts_break_ties_by_id_across_pages(
        self, engine_file: AsyncEngine
    ) -> None:
        same = at("2027-01-15")
        docs = [
            SearchDocument(id=f"t-{n:02d}", type="tender" if n % 3 else "listing",
                           title=f"Tender {n}", deadline=same if n < 12 else at("2027-01-01"),
                           value=float(n % 4), published_at=at("2026-01-01"))
            for n in range(20)
        ]  # fmt: skip
        backend = await fresh(engine_file, list(reversed(docs)))
        tenders = sorted((d for d in docs if d.type == "tender"), key=lambda d: d.id)
        for sort, key in (
            ("deadline", lambda d: (d.deadline, d.id)),
            ("value", lambda d: (-(d.value or 0), d.id)),
        ):
            expected = [d.id for d in sorted(tenders, key=key)]
            seen: list[str] = []
            for page in (1, 2, 3):
                query = SearchQuery(types=("tender",), sort=sort, page=page, per_page=5)  # type: ignore[arg-type]
                seen += ids(await backend.search(query))
            assert seen == expected


class TestGenerationCache:
    def test_a_newer_generation_empties_it_and_an_older_one_is_refused(self) -> None:
        cache: GenerationCache[str, int] = GenerationCache(10)
        cache.put(1, "a", 1)
        assert cache.get(1, "a") == 1 and cache.get(2, "a") is None
        cache.put(2, "b", 2)
        assert cache.get(2, "a") is None and cache.get(2, "b") == 2
        cache.put(1, "c", 3)  # read before the write that made generation 2
        assert cache.get(2, "c") is None and cache.get(1, "c") is None

    def test_least_recently_used_go_first_by_weight(self) -> None:
        cache: GenerationCache[str, list[int]] = GenerationCache(5, len)
        cache.put(1, "a", [1, 2])
        cache.put(1, "b", [1, 2])
        cache.get(1, "a")
        cache.put(1, "c", [1, 2])  # 6 > 5: "b" was used least recently
        assert cache.get(1, "b") is None and cache.get(1, "a") and cache.get(1, "c")
        cache.put(1, "huge", list(range(6)))  # heavier than the whole budget: not kept
        assert cache.get(1, "huge") is None


class TestSortedNumbers:
    @given(
        start=st.dictionaries(st.integers(1, 500), st.floats(0, 100, allow_nan=False)),
        removed=st.sets(st.integers(1, 500)),
        added=st.dictionaries(st.integers(501, 600), st.floats(0, 100, allow_nan=False)),
        low=st.floats(0, 100, allow_nan=False),
        width=st.floats(0, 100, allow_nan=False),
    )
    def test_a_changed_copy_answers_ranges_as_its_pairs_do(
        self,
        start: dict[int, float],
        removed: set[int],
        added: dict[int, float],
        low: float,
        width: float,
    ) -> None:
        from pyroaring import BitMap

        from search.backends._bitmaps import Numbers

        before = Numbers.of(start.items())
        after = before.changed(BitMap(removed), added.items())
        now = {r: k for r, k in start.items() if r not in removed} | added
        assert list(after.keys) == sorted(now.values())
        high = low + width
        assert set(after.between(low, high)) == {r for r, k in now.items() if low <= k <= high}
        assert set(before.between(None, None)) == set(start)  # the original is unchanged
