"""PostgreSQL search on its own: the RUM index ranks from the index, the GIN plan is the
fallback, and an index of the earlier layout (a separate term table) keeps answering after
an upgrade without a reindex."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from search import SearchQuery
from search.backends._sql import PREFIX, term_rows
from tests.search.corpus import CORPUS


@pytest.fixture
def pg(engine: AsyncEngine) -> AsyncEngine:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL search runs when MARKETPLACE_TEST_DATABASE is PostgreSQL")
    return engine


async def _index_kind(engine: AsyncEngine) -> str:
    async with engine.connect() as conn:
        return str(
            (
                await conn.execute(
                    text(
                        "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
                        " WHERE c.relname = :n"
                    ),
                    {"n": f"ix_{PREFIX}documents_tsv"},
                )
            ).scalar()
        )


async def _rum_available(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        found = await conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'"))
        return found.first() is not None


async def test_a_reindex_builds_the_text_index_the_server_can_rank_from(pg: AsyncEngine) -> None:
    from search.backends.postgres import PostgresSearch

    backend = PostgresSearch(pg)
    await backend.ensure_ready()
    await backend.rebuild(CORPUS)
    expected = "rum" if await _rum_available(pg) else "gin"
    assert await _index_kind(pg) == expected
    fallback = PostgresSearch(pg, rum=False)
    await fallback.ensure_ready()
    await fallback.rebuild(CORPUS)
    assert await _index_kind(pg) == "gin"
    # The process that built RUM before reads the live kind again and answers on GIN.
    backend._ranked_by_index = None
    found = await backend.search(SearchQuery(text="electric buses"))
    assert [h.id for h in found.hits] == ["t-munchen"]


async def test_an_index_of_the_earlier_layout_is_upgraded_in_place(pg: AsyncEngine) -> None:
    from search.backends.postgres import PostgresSearch

    backend = PostgresSearch(pg)
    await backend.ensure_ready()
    await backend.rebuild(CORPUS)
    # The earlier layout: no term arrays on the documents, a term table beside them.
    async with pg.begin() as conn:
        await conn.execute(text(f"DROP INDEX ix_{PREFIX}documents_terms"))
        await conn.execute(text(f"DROP INDEX ix_{PREFIX}documents_tsv"))
        await conn.execute(text(f"CREATE INDEX ix_{PREFIX}documents_tsv ON {PREFIX}documents"
                                " USING GIN (tsv)"))  # fmt: skip
        await conn.execute(
            text(f"ALTER TABLE {PREFIX}documents DROP COLUMN terms, DROP COLUMN facets")
        )
        await conn.execute(text(f"CREATE TABLE {PREFIX}terms (field TEXT NOT NULL,"
                                " value TEXT NOT NULL, doc_id TEXT NOT NULL,"
                                " PRIMARY KEY (field, value, doc_id))"))  # fmt: skip
        await conn.execute(
            text("INSERT INTO searchidx_terms (field, value, doc_id) VALUES (:f, :v, :d)"),
            [{"f": f, "v": v, "d": doc.id} for doc in CORPUS for f, v in term_rows(doc)],
        )
    upgraded = PostgresSearch(pg)
    await upgraded.ensure_ready()
    # A small index moves to RUM on the spot where the extension is there.
    assert await _index_kind(pg) == ("rum" if await _rum_available(pg) else "gin")
    found = await upgraded.search(SearchQuery(themes=("mobility",), types=("tender",)))
    assert "t-munchen" in [h.id for h in found.hits]
    assert found.facets["type"] == {"tender": found.total}
    everything = await upgraded.search(SearchQuery())
    assert everything.total == len(CORPUS)
    assert sum(everything.facets["type"].values()) == len(CORPUS)
    async with pg.connect() as conn:
        gone = await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{PREFIX}terms"})
        assert gone.scalar() is None


async def test_matching_may_skip_the_exact_total_and_still_gets_the_best_first(
    pg: AsyncEngine,
) -> None:
    from search.backends.postgres import PostgresSearch

    backend = PostgresSearch(pg)
    await backend.ensure_ready()
    await backend.rebuild(CORPUS)
    query = SearchQuery(text="electric buses depot resurfacing", any_word=True, prefix=False,
                        facets=False, per_page=1, exact_total=False)  # fmt: skip
    found = await backend.search(query)
    assert [h.id for h in found.hits] == ["t-munchen"]
    assert found.total >= 2  # a full page: at least one more than it shows
    exact = await backend.search(SearchQuery(text="electric buses depot resurfacing",
                                             any_word=True, prefix=False, facets=False))  # fmt: skip
    assert exact.total == 2


async def test_an_any_word_query_leaves_out_the_words_most_documents_hold(
    pg: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matching's any-word query keeps its telling words, as on tantivy: a word in more than
    5 % of the documents (PostgreSQL's own statistics, refreshed by the rebuild's ANALYZE)
    matches half the corpus and says nothing, so it is not asked for."""
    from search.backends import postgres
    from search.documents import SearchDocument

    monkeypatch.setattr(postgres, "COMMON_AT_LEAST", 0)  # a small corpus: the share alone
    docs = [SearchDocument(id=f"s-{n:02d}", type="listing", title=f"Sensor kit {n}",
                           status="published") for n in range(40)]  # fmt: skip
    docs += [SearchDocument(id="flood", type="listing", title="Flood barrier",
                            status="published")]  # fmt: skip
    backend = postgres.PostgresSearch(pg)
    await backend.ensure_ready()
    await backend.rebuild(docs)
    found = await backend.search(SearchQuery(text="sensor flood", any_word=True, per_page=50))
    assert [h.id for h in found.hits] == ["flood"]
    # Typed into the box, every word counts as before.
    typed = await backend.search(SearchQuery(text="sensor", per_page=50))
    assert len(typed.hits) == 40
    # Only common words: the least common of them still finds something.
    only = await backend.search(SearchQuery(text="sensor kit", any_word=True, per_page=50))
    assert len(only.hits) == 40


async def test_rum_is_off_unless_asked_and_a_small_rum_index_turns_gin(pg: AsyncEngine) -> None:
    """RUM crashed the server under concurrent searches (docs/search.md): the app builds GIN
    unless MARKETPLACE_SEARCH_PG_RUM is on, and a process starting with it off turns a small
    live RUM index into GIN, answering as before."""
    from marketplace.searching.backend import create_backend
    from marketplace.settings import Settings
    from search.backends.postgres import PostgresSearch

    url = pg.url.render_as_string(hide_password=False)
    chosen = create_backend(Settings(env="test", database_url=url), pg)
    assert isinstance(chosen, PostgresSearch) and not chosen.wants_rum
    asked = create_backend(Settings(env="test", database_url=url, search_pg_rum=True), pg)
    assert isinstance(asked, PostgresSearch) and asked.wants_rum
    if not await _rum_available(pg):
        pytest.skip("the rum extension is not installed (Debian: postgresql-15-rum)")
    await asked.ensure_ready()
    await asked.rebuild(CORPUS)
    assert await _index_kind(pg) == "rum"
    await chosen.ensure_ready()
    assert await _index_kind(pg) == "gin"
    found = await chosen.search(SearchQuery(text="electric buses"))
    assert [h.id for h in found.hits] == ["t-munchen"]


async def test_gin_ranks_a_bounded_candidate_set_title_matches_first(
    pg: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without RUM a relevance page ranks at most CANDIDATES matches (title matches first),
    yet the total and the facets count every match, and pages past the candidates rank the
    rest after them: every match shows once across the pages."""
    from datetime import UTC, datetime, timedelta

    from search.backends import postgres
    from search.documents import SearchDocument

    monkeypatch.setattr(postgres, "CANDIDATES", 4)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    docs = [SearchDocument(id=f"body-{n:02d}", type="listing", title=f"Street kit {n}",
                           summary="Includes a hydrogen pilot.", status="published",
                           themes=("mobility",), published_at=start + timedelta(days=n))
            for n in range(9)]  # fmt: skip
    docs += [SearchDocument(id=f"title-{n}", type="tender", title=f"Hydrogen buses {n}",
                            status="published", themes=("renewable-energies",),
                            published_at=start + timedelta(days=n)) for n in range(2)]  # fmt: skip
    backend = postgres.PostgresSearch(pg, rum=False)
    await backend.ensure_ready()
    await backend.rebuild(docs)
    found = await backend.search(SearchQuery(text="hydrogen ", per_page=3))
    assert [h.id for h in found.hits][:2] == ["title-0", "title-1"]
    assert found.total == 11
    assert found.facets["type"] == {"listing": 9, "tender": 2}
    assert found.facets["theme"] == {"mobility": 9, "renewable-energies": 2}
    shown = []
    for page in range(1, 5):
        shown += [h.id for h in (await backend.search(
            SearchQuery(text="hydrogen ", per_page=3, page=page))).hits]  # fmt: skip
    assert sorted(shown) == sorted(d.id for d in docs)
    # Fewer matches than candidates: total and facets from the candidates' ids.
    few = await backend.search(SearchQuery(text="hydrogen ", types=("tender",)))
    assert few.total == 2 and few.facets["type"] == {"tender": 2}
    none = await backend.search(SearchQuery(text="hydrogen ", types=("funding_call",)))
    assert none.total == 0 and none.hits == [] and none.facets["type"] == {}


async def test_an_index_without_the_title_index_gets_it(pg: AsyncEngine) -> None:
    from search.backends.postgres import TITLE_INDEX, PostgresSearch

    backend = PostgresSearch(pg, rum=False)
    await backend.ensure_ready()
    await backend.rebuild(CORPUS)
    async with pg.begin() as conn:
        await conn.execute(text(f"DROP INDEX {TITLE_INDEX}"))
    backend._ranked_by_index = None
    # Without it the page ranks every match, as before.
    assert [h.id for h in (await backend.search(SearchQuery(text="electric buses"))).hits] == [
        "t-munchen"
    ]
    await backend.ensure_ready()
    async with pg.connect() as conn:
        found = await conn.execute(text("SELECT to_regclass(:t)"), {"t": TITLE_INDEX})
        assert found.scalar() is not None
    assert [h.id for h in (await backend.search(SearchQuery(text="electric buses"))).hits] == [
        "t-munchen"
    ]
