"""The SQLite backend's in-memory bitmaps stay true when another process writes the index:
each backend object stands for a process (the web server, the worker, `search reindex`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.db import create_engine
from search import SearchDocument, SearchQuery
from search.backends import _bitmaps
from search.backends.sqlite import SqliteSearch
from tests.search.corpus import CORPUS


@pytest.fixture
async def engine_file(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'index.db'}")
    yield engine
    await engine.dispose()


async def two_processes(engine: AsyncEngine) -> tuple[SqliteSearch, SqliteSearch]:
    writer, reader = SqliteSearch(engine), SqliteSearch(engine)
    await writer.ensure_ready()
    await writer.rebuild(CORPUS)
    return writer, reader


def doc(id: str, theme: str, country: str = "FI") -> SearchDocument:
    return SearchDocument(id=id, type="listing", title=f"Sensor kit {id}", themes=(theme,),
                          countries=(country,), status="published")  # fmt: skip


async def test_a_write_elsewhere_is_seen_in_totals_filters_and_facets(
    engine_file: AsyncEngine,
) -> None:
    writer, reader = await two_processes(engine_file)
    before = await reader.search(SearchQuery(themes=("mobility",)))
    await writer.upsert([doc("x1", "mobility"), doc("x2", "mobility", "EE")])
    after = await reader.search(SearchQuery(themes=("mobility",)))
    assert after.total == before.total + 2
    assert after.facets["country"]["EE"] == 1
    await writer.upsert([doc("x2", "e-government", "EE")])  # changed: leaves the theme
    again = await reader.search(SearchQuery(themes=("mobility",)))
    assert again.total == before.total + 1 and "EE" not in again.facets["country"]
    await writer.delete(["x1"])
    assert (await reader.search(SearchQuery(themes=("mobility",)))).total == before.total


async def test_a_rebuild_elsewhere_replaces_everything(engine_file: AsyncEngine) -> None:
    writer, reader = await two_processes(engine_file)
    assert (await reader.search(SearchQuery())).total == len(CORPUS)
    await writer.rebuild([doc("only", "mobility")])
    found = await reader.search(SearchQuery())
    assert found.total == 1 and found.facets["type"] == {"listing": 1}


async def test_a_reader_far_behind_reloads_instead_of_catching_up(
    engine_file: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, reader = await two_processes(engine_file)
    await reader.search(SearchQuery())
    monkeypatch.setattr(_bitmaps, "KEEP_GENERATIONS", 2)
    for n in range(5):  # the log keeps only the last two writes
        await writer.upsert([doc(f"y{n}", "open-data")])
    found = await reader.search(SearchQuery(themes=("open-data",)))
    assert found.total == 5 + sum("open-data" in d.themes for d in CORPUS)
    async with engine_file.connect() as conn:
        sql = "SELECT count(DISTINCT generation) FROM searchidx_changes"
        kept = (await conn.execute(text(sql))).scalar_one()
    assert kept <= 2


async def test_value_and_deadline_ranges_follow_writes_elsewhere(engine_file: AsyncEngine) -> None:
    from dataclasses import replace

    from tests.search.corpus import at

    writer, reader = await two_processes(engine_file)
    cheap = replace(doc("v1", "mobility"), value=10.0, deadline=at("2031-05-01"))
    await writer.upsert([cheap])
    assert "v1" in [h.id for h in (await reader.search(SearchQuery(value_max=10.0))).hits]
    window = SearchQuery(deadline_from=at("2031-04-30"), deadline_to=at("2031-05-02"))
    assert [h.id for h in (await reader.search(window)).hits] == ["v1"]
    await writer.upsert([replace(cheap, value=99_999_999.0, deadline=None)])  # changed
    assert (await reader.search(SearchQuery(value_max=10.0))).total == 0
    found = await reader.search(SearchQuery(value_min=99_999_999.0, per_page=5))
    assert [h.id for h in found.hits] == ["v1"]
    assert (await reader.search(window)).total == 0
