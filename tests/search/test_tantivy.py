"""The embedded engine across processes: what one process writes, every other one finds at
once; a rebuild elsewhere swaps in without a failed search; two writers take turns. Real
subprocesses (the outbox worker, `search reindex`, a second server) and, where a second
process would only repeat the point, a second backend object on the same files."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from marketplace.settings import Settings
from search import SearchDocument, SearchQuery
from search.backends.tantivy import POINTER, TantivySearch
from tests.search.corpus import CORPUS, at


def ids(found: object) -> list[str]:
    return [h.id for h in found.hits]  # type: ignore[attr-defined]


def doc(id: str, theme: str, country: str = "FI", title: str = "Sensor kit") -> SearchDocument:
    return SearchDocument(id=id, type="listing", title=f"{title} {id}", themes=(theme,),
                          countries=(country,), status="published")  # fmt: skip


async def fresh(root: Path, documents: list[SearchDocument]) -> TantivySearch:
    backend = TantivySearch(root)
    await backend.ensure_ready()
    await backend.rebuild(documents)
    return backend


# A process of its own: writes the documents it is given (JSON on the command line), or
# rebuilds the index from them, then exits, as the worker and `search reindex` do.
CHILD = textwrap.dedent(
    """
    import asyncio, json, sys
    from datetime import datetime
    from search import SearchDocument
    from search.backends.tantivy import TantivySearch

    def document(values):
        for key in ("deadline", "published_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        for key in ("themes", "countries", "cpv_codes"):
            values[key] = tuple(values.get(key, ()))
        return SearchDocument(**values)

    async def main(root, action, payload):
        backend = TantivySearch(root)
        await backend.ensure_ready()
        documents = [document(v) for v in json.loads(payload)]
        if action == "upsert":
            await backend.upsert(documents)
        elif action == "delete":
            await backend.delete([d.id for d in documents])
        else:
            await backend.rebuild(documents)
        await backend.close()

    asyncio.run(main(*sys.argv[1:]))
    """
)


def as_json(documents: list[SearchDocument]) -> str:
    return json.dumps(
        [
            {"id": d.id, "type": d.type, "title": d.title, "themes": list(d.themes),
             "countries": list(d.countries), "status": d.status, "value": d.value}
            for d in documents
        ]
    )  # fmt: skip


def run_child(root: Path, action: str, documents: list[SearchDocument]) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, str(root), action, as_json(documents)],
        check=True, timeout=120,
    )  # fmt: skip


async def start_child(root: Path, action: str, documents: list[SearchDocument]) -> object:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(root), action, as_json(documents)
    )


def on_disk(root: Path) -> tuple[set[str], str]:
    """The build directories under `root`, and the one `CURRENT` names."""
    return {p.name for p in root.iterdir() if p.is_dir()}, (root / POINTER).read_text().strip()


class TestAnotherProcess:
    async def test_its_writes_are_seen_at_once_in_totals_filters_and_facets(
        self, tmp_path: Path
    ) -> None:
        reader = await fresh(tmp_path, CORPUS)
        before = await reader.search(SearchQuery(themes=("mobility",)))
        await asyncio.to_thread(
            run_child, tmp_path, "upsert", [doc("x1", "mobility"), doc("x2", "mobility", "EE")]
        )
        after = await reader.search(SearchQuery(themes=("mobility",)))
        assert after.total == before.total + 2 and after.facets["country"]["EE"] == 1
        await asyncio.to_thread(run_child, tmp_path, "upsert", [doc("x2", "e-government", "EE")])
        again = await reader.search(SearchQuery(themes=("mobility",)))
        assert again.total == before.total + 1 and "EE" not in again.facets["country"]
        await asyncio.to_thread(run_child, tmp_path, "delete", [doc("x1", "mobility")])
        assert (await reader.search(SearchQuery(themes=("mobility",)))).total == before.total

    async def test_its_rebuild_replaces_everything_and_old_builds_are_removed(
        self, tmp_path: Path
    ) -> None:
        reader = await fresh(tmp_path, CORPUS)
        assert (await reader.search(SearchQuery())).total == len(CORPUS)
        for n in range(3):
            await asyncio.to_thread(run_child, tmp_path, "rebuild", [doc(f"only{n}", "mobility")])
            found = await reader.search(SearchQuery())
            assert ids(found) == [f"only{n}"] and found.facets["type"] == {"listing": 1}
        builds, live = await asyncio.to_thread(on_disk, tmp_path)
        assert len(builds) == 2 and live in builds  # the live one and the one it replaced

    async def test_searches_never_fail_while_another_process_writes_and_rebuilds(
        self, tmp_path: Path
    ) -> None:
        reader = await fresh(tmp_path, CORPUS)
        writers = [
            await start_child(tmp_path, "upsert", [doc(f"w{n}-{i}", "mobility") for i in range(50)])
            for n in range(3)
        ] + [await start_child(tmp_path, "rebuild", [*CORPUS, doc("r", "mobility")])]
        answered = 0
        while any(p.returncode is None for p in writers):  # type: ignore[attr-defined]
            found = await reader.search(SearchQuery(text="Malmo"))
            assert ids(found) == ["l-malmo"]  # in every index the corpus ever had
            answered += 1
            await asyncio.sleep(0)
        for process in writers:
            assert await process.wait() == 0  # type: ignore[attr-defined]
        assert answered > 0

    async def test_a_second_server_process_answers_from_the_same_index(
        self, tmp_path: Path
    ) -> None:
        """Two processes reading while one writes: the second reader sees the write too."""
        writer = await fresh(tmp_path, CORPUS)
        script = textwrap.dedent(
            """
            import asyncio, sys
            from search import SearchQuery
            from search.backends.tantivy import TantivySearch
            async def main():
                found = await TantivySearch(sys.argv[1]).search(SearchQuery(text=sys.argv[2]))
                print(",".join(h.id for h in found.hits))
            asyncio.run(main())
            """
        )

        def other(words: str) -> str:
            result = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", script, str(tmp_path), words],
                check=True, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            return result.stdout.strip()

        assert await asyncio.to_thread(other, "Malmo") == "l-malmo"
        await writer.upsert([doc("h1", "mobility", title="Hydrogen ferry")])
        assert await asyncio.to_thread(other, "hydrogen") == "h1"


class TestTwoWritersOnOneIndex:
    async def test_they_take_turns_with_the_writer_lock(self, tmp_path: Path) -> None:
        first = await fresh(tmp_path, [])
        second = TantivySearch(tmp_path)
        await asyncio.gather(
            *(first.upsert([doc(f"a{n}", "mobility")]) for n in range(5)),
            *(second.upsert([doc(f"b{n}", "open-data")]) for n in range(5)),
        )
        for backend in (first, second):
            found = await backend.search(SearchQuery(per_page=20))
            assert found.total == 10
            assert found.facets["theme"] == {"mobility": 5, "open-data": 5}


class TestWritesAreSeenByTheWritingProcess:
    async def test_value_and_deadline_ranges_follow_changes(self, tmp_path: Path) -> None:
        writer = await fresh(tmp_path, CORPUS)
        reader = TantivySearch(tmp_path)
        cheap = replace(doc("v1", "mobility"), value=10.0, deadline=at("2031-05-01"))
        await writer.upsert([cheap])
        assert "v1" in ids(await reader.search(SearchQuery(value_max=10.0)))
        window = SearchQuery(deadline_from=at("2031-04-30"), deadline_to=at("2031-05-02"))
        assert ids(await reader.search(window)) == ["v1"]
        await writer.upsert([replace(cheap, value=99_999_999.0, deadline=None)])
        assert (await reader.search(SearchQuery(value_max=10.0))).total == 0
        found = await reader.search(SearchQuery(value_min=99_999_999.0, per_page=5))
        assert ids(found) == ["v1"]
        assert (await reader.search(window)).total == 0

    async def test_a_word_indexed_later_is_found_despite_a_typo_and_said(
        self, tmp_path: Path
    ) -> None:
        writer, reader = await fresh(tmp_path, CORPUS), TantivySearch(tmp_path)
        assert (await reader.search(SearchQuery(text="hydrogne "))).total == 0
        await writer.upsert([SearchDocument(id="l-h2", type="listing", title="Hydrogen buses")])
        found = await reader.search(SearchQuery(text="hydrogne "))
        assert found.corrected_text == "hydrogen " and ids(found) == ["l-h2"]


class TestOrder:
    async def test_filtered_sorts_break_ties_by_id_across_pages(self, tmp_path: Path) -> None:
        same = at("2027-01-15")
        docs = [
            SearchDocument(id=f"t-{n:02d}", type="tender" if n % 3 else "listing",
                           title=f"Tender {n}", deadline=same if n < 12 else at("2027-01-01"),
                           value=float(n % 4), published_at=at("2026-01-01"))
            for n in range(20)
        ]  # fmt: skip
        backend = TantivySearch(tmp_path)
        await backend.ensure_ready()
        for part in (docs[10:], docs[:10]):  # two commits: two segments, ids interleaved
            await backend.upsert(list(reversed(part)))
        tenders = sorted((d for d in docs if d.type == "tender"), key=lambda d: d.id)
        for sort, key in (
            ("deadline", lambda d: (d.deadline, d.id)),
            ("value", lambda d: (-(d.value or 0), d.id)),
            ("newest", lambda d: (d.id,)),
        ):
            expected = [d.id for d in sorted(tenders, key=key)]
            seen: list[str] = []
            for page in (1, 2, 3):
                query = SearchQuery(types=("tender",), sort=sort, page=page, per_page=5)  # type: ignore[arg-type]
                seen += ids(await backend.search(query))
            assert seen == expected, sort


class TestWithoutAnExactTotal:
    """`exact_total=False` (matching): the same hits, in the same order, without counting
    every match; the total says only that there are more than the page."""

    async def test_the_same_hits_and_a_total_of_at_least_the_page(self, tmp_path: Path) -> None:
        docs = [doc(f"s-{n:02d}", "mobility", title="Sensor kit for bus depots")
                for n in range(25)] + [doc("other", "energy", title="Heat pumps")]  # fmt: skip
        backend = await fresh(tmp_path, docs)
        try:
            for asked in (
                SearchQuery(text="sensor depots", any_word=True, per_page=10),
                SearchQuery(themes=("mobility",), sort="newest", per_page=10),
            ):
                exact = await backend.search(asked)
                quick = await backend.search(replace(asked, exact_total=False))
                assert ids(quick) == ids(exact) and exact.total == 25
                assert quick.total == 11  # the page, and at least one more
                last = await backend.search(replace(asked, page=3, exact_total=False))
                assert last.total == 25 and len(last.hits) == 5  # the end is known
        finally:
            await backend.close()


class TestText:
    async def test_typos_cpv_codes_and_organisations(self, tmp_path: Path) -> None:
        backend = await fresh(
            tmp_path,
            [
                *CORPUS,
                SearchDocument(id="t-gdansk", type="tender", title="Harbour cranes",
                               organisation="Port of Gdańsk", cpv_codes=("45233000-9",)),
                SearchDocument(id="l-grid", type="listing", title="Battery storage",
                               organisation="GreenGrid Oy"),
            ],
        )  # fmt: skip
        for words, expected in (
            ("transprot ", "l-transit"), ("parkign ", "l-parking"), ("emmissions ", "t-munchen"),
            ("Gdansk", "t-gdansk"), ("greengrid", "l-grid"),
        ):  # fmt: skip
            assert expected in ids(await backend.search(SearchQuery(text=words))), words
        assert set(ids(await backend.search(SearchQuery(text="45000000")))) == {
            "t-roads", "f-schools", "t-gdansk",
        }  # fmt: skip
        below = await backend.search(SearchQuery(text="45233000-9"))  # 45233142 is below it
        assert set(ids(below)) == {"t-gdansk", "t-roads"}
        assert ids(await backend.search(SearchQuery(text="45233000-9 harbour"))) == ["t-gdansk"]

    async def test_a_misspelt_or_half_typed_word_ranks_as_the_word_it_stands_for(
        self, tmp_path: Path
    ) -> None:
        """Matched through a typo or as a prefix, records are still ranked by how well they
        match the word meant (a short title naming it first), not all tied in id order."""
        long_title = "Parking guidance for the old town centre, the station and the harbour"
        backend = await fresh(tmp_path, [
            SearchDocument(id="a-long", type="listing", title=long_title),
            SearchDocument(id="b-short", type="listing", title="Parking"),
            SearchDocument(id="c-other", type="listing", title="Bicycle counters"),
        ])  # fmt: skip
        for typed in ("parkign ", "parki", "parkin"):
            found = await backend.search(SearchQuery(text=typed))
            assert ids(found) == ["b-short", "a-long"], typed
            assert found.total == 2
            assert found.facets["type"] == {"listing": 2}


def test_the_old_sqlite_backend_setting_is_refused_saying_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"MARKETPLACE_SEARCH_BACKEND=auto \(or tantivy\)"):
        Settings(var_dir=tmp_path, search_backend="sqlite")
    assert Settings(var_dir=tmp_path).search_index_dir == tmp_path / "search"


async def test_a_build_with_other_fields_is_refused_until_reindexed(tmp_path: Path) -> None:
    from search import BackendUnavailable
    from search.backends.tantivy import VERSION_FILE

    old = await fresh(tmp_path, CORPUS)
    live = (tmp_path / POINTER).read_text().strip()
    (tmp_path / live / VERSION_FILE).write_text("0\n")  # as an older release left it
    with pytest.raises(BackendUnavailable, match="run `marketplace search reindex`"):
        await TantivySearch(tmp_path).search(SearchQuery(text="Malmo"))
    assert await TantivySearch(tmp_path).health() is False
    await TantivySearch(tmp_path).rebuild(CORPUS)
    assert ids(await TantivySearch(tmp_path).search(SearchQuery(text="Malmo"))) == ["l-malmo"]
    await old.close()
