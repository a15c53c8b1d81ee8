"""The behaviour every search backend promises, run against each available backend."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from search import SearchBackend, SearchDocument, SearchQuery
from tests.search.corpus import CORPUS, at, by_id


def ids(result: object) -> list[str]:
    return [h.id for h in result.hits]  # type: ignore[attr-defined]


@pytest.fixture
async def index(backend: SearchBackend) -> SearchBackend:
    await backend.upsert(CORPUS)
    return backend


class TestText:
    async def test_diacritics_are_folded(self, index: SearchBackend) -> None:
        assert ids(await index.search(SearchQuery(text="Malmo"))) == ["l-malmo"]
        assert ids(await index.search(SearchQuery(text="Munchen"))) == ["t-munchen"]
        assert ids(await index.search(SearchQuery(text="münchen"))) == ["t-munchen"]

    async def test_the_last_word_is_a_prefix_while_typing(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="public transp"))
        assert set(ids(found)) == {"t-roads", "l-transit"}
        assert ids(await index.search(SearchQuery(text="retrof"))) == ["f-schools"]

    async def test_every_word_must_match(self, index: SearchBackend) -> None:
        assert ids(await index.search(SearchQuery(text="electric buses"))) == ["t-munchen"]
        assert ids(await index.search(SearchQuery(text="electric schools "))) == []

    async def test_any_word_finds_records_with_some_of_the_words(
        self, index: SearchBackend
    ) -> None:
        """Matching a description against records: any word counts, more words rank higher."""
        query = SearchQuery(text="electric buses depot resurfacing", any_word=True, prefix=False)
        found = ids(await index.search(query))
        assert set(found) == {"t-munchen", "t-roads"}
        assert found[0] == "t-munchen"  # three of the words against one
        assert ids(await index.search(replace(query, any_word=False))) == []

    async def test_a_misspelt_word_still_finds_the_record(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="resurfacnig "))
        assert ids(found) == ["t-roads"]
        found = await index.search(SearchQuery(text="transprot planning"))
        assert "l-transit" in ids(found)

    async def test_organisation_cpv_labels_standards_and_outcomes_are_searched(
        self, index: SearchBackend
    ) -> None:
        assert ids(await index.search(SearchQuery(text="Reitti "))) == ["l-transit"]
        assert ids(await index.search(SearchQuery(text="insulation "))) == ["f-schools"]
        found = await index.search(SearchQuery(text="emissions avoided "))
        assert ids(found) == ["t-munchen"]

    async def test_title_matches_rank_above_body_matches(self, backend: SearchBackend) -> None:
        await backend.upsert(
            [
                SearchDocument(id="in-body", type="listing", title="Street lighting",
                               body="Includes a small hydrogen pilot."),
                SearchDocument(id="in-title", type="listing", title="Hydrogen refuelling",
                               body="Stations for city fleets."),
            ]
        )  # fmt: skip
        found = await backend.search(SearchQuery(text="hydrogen "))
        assert ids(found) == ["in-title", "in-body"]
        assert found.hits[0].score > found.hits[1].score


class TestHighlighting:
    async def test_user_text_is_escaped_and_the_hit_is_marked(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="script"))
        assert ids(found) == ["l-parking"]
        hit = found.hits[0]
        assert hit.title == "<script>alert('x')</script> Parking sensors"  # plain text
        assert "<script" not in hit.snippet
        assert "<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/" in hit.snippet

    async def test_snippet_marks_words_in_the_summary(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="collection crews"))
        snippet = found.hits[0].snippet
        assert "<mark>collection</mark>" in snippet and "<mark>crews</mark>" in snippet

    async def test_without_words_the_summary_is_shown_escaped(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(types=("listing",), countries=("ES",)))
        assert found.hits[0].snippet == "Parking occupancy sensors with an open API."
        assert found.hits[0].score == 0.0


class TestFilters:
    async def test_type(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(types=("tender",)))
        assert set(ids(found)) == {"t-munchen", "t-roads"}
        found = await index.search(SearchQuery(types=("tender", "funding_call")))
        assert set(ids(found)) == {"t-munchen", "t-roads", "f-schools"}

    async def test_theme_country_standard_status(self, index: SearchBackend) -> None:
        mobility = await index.search(SearchQuery(themes=("mobility",)))
        assert set(ids(mobility)) == {"t-munchen", "t-roads", "l-transit", "l-parking"}
        finland = await index.search(SearchQuery(countries=("fi",)))
        assert set(ids(finland)) == {"t-roads", "f-schools", "l-transit"}
        mim2 = await index.search(SearchQuery(standards=("OASC-MIM2",)))
        assert set(ids(mim2)) == {"t-munchen", "l-transit"}
        open_calls = await index.search(SearchQuery(statuses=("open",)))
        assert ids(open_calls) == ["f-schools"]

    async def test_cpv_matches_every_code_below_it(self, index: SearchBackend) -> None:
        construction = await index.search(SearchQuery(cpv=("45000000",)))
        assert set(ids(construction)) == {"t-roads", "f-schools"}
        with_check_digit = await index.search(SearchQuery(cpv=("45000000-7",)))
        assert set(ids(with_check_digit)) == {"t-roads", "f-schools"}
        roads = await index.search(SearchQuery(cpv=("45230000",)))
        assert ids(roads) == ["t-roads"]
        exact = await index.search(SearchQuery(cpv=("45233142",)))
        assert ids(exact) == ["t-roads"]
        sibling = await index.search(SearchQuery(cpv=("45100000",)))
        assert ids(sibling) == []

    async def test_a_region_matches_its_sub_regions(self, index: SearchBackend) -> None:
        south_finland = await index.search(SearchQuery(nuts=("FI1B",)))
        assert ids(south_finland) == ["t-roads"]
        mainland_finland = await index.search(SearchQuery(nuts=("FI1",)))
        assert set(ids(mainland_finland)) == {"t-roads", "f-schools"}
        assert ids(await index.search(SearchQuery(nuts=("SE2",)))) == ["l-malmo"]

    async def test_value_range(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(value_min=1_000_000, value_max=9_000_000))
        assert set(ids(found)) == {"t-roads", "f-schools"}
        found = await index.search(SearchQuery(value_max=50_000))
        assert set(ids(found)) == {"l-malmo", "l-parking"}

    async def test_deadline_range(self, index: SearchBackend) -> None:
        found = await index.search(
            SearchQuery(deadline_from=at("2026-04-01"), deadline_to=at("2026-05-01"))
        )
        assert set(ids(found)) == {"t-roads", "f-schools"}

    async def test_filters_combine_with_text(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="public", types=("listing",)))
        assert ids(found) == ["l-transit"]


class TestFacets:
    async def test_facets_count_the_filtered_results(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(themes=("mobility",)))
        assert found.facets["type"] == {"tender": 2, "listing": 2}
        assert found.facets["country"] == {"DE": 1, "FI": 2, "SE": 1, "ES": 1}
        assert found.facets["theme"] == {"mobility": 4, "open-data": 1}
        assert found.facets["standard"] == {"OASC-MIM2": 2}
        assert found.facets["cpv_division"] == {
            "34000000": 1, "45000000": 1, "48000000": 1, "38000000": 1,
        }  # fmt: skip

    async def test_facets_follow_the_text_and_every_filter(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(text="public", countries=("FI",)))
        expected: Counter[str] = Counter(by_id(i).type for i in ids(found))
        assert found.facets["type"] == dict(expected) == {"tender": 1, "listing": 1}
        assert sum(found.facets["type"].values()) == found.total


def oracle(query: SearchQuery) -> tuple[list[str], dict[str, dict[str, int]]]:
    """What any backend must answer for a filter-only query, computed by brute force."""

    def keep(doc: SearchDocument) -> bool:
        return all(
            (
                not query.types or doc.type in query.types,
                not query.themes or set(doc.themes) & set(query.themes),
                not query.countries or set(doc.countries) & set(query.countries),
                not query.standards or set(doc.standards) & set(query.standards),
                not query.cpv or set(doc.cpv_terms) & set(query.cpv_terms),
                not query.nuts or set(doc.nuts_terms) & set(query.nuts_terms),
            )
        )

    found = sorted(
        (d for d in CORPUS if keep(d)),
        key=lambda d: (-d.published_at.timestamp() if d.published_at else 0, d.id),
    )
    facets: dict[str, Counter[str]] = {n: Counter() for n in FACET_NAMES}
    for doc in found:
        facets["type"][doc.type] += 1
        facets["theme"].update(doc.themes)
        facets["country"].update(doc.countries)
        facets["standard"].update(doc.standards)
        facets["cpv_division"].update(doc.cpv_divisions)
    return [d.id for d in found], {n: dict(c) for n, c in facets.items()}


FACET_NAMES = ("type", "theme", "country", "standard", "cpv_division")
FILTER_GRID = [
    SearchQuery(),
    SearchQuery(types=("listing",)),
    SearchQuery(types=("tender",), countries=("FI", "DE")),
    SearchQuery(themes=("mobility",), countries=("SE",)),
    SearchQuery(themes=("open-data", "renewable-energies")),
    SearchQuery(cpv=("45000000",), types=("funding_call",)),
    SearchQuery(cpv=("38000000", "34000000")),
    SearchQuery(nuts=("FI1",), themes=("mobility",)),
    SearchQuery(standards=("OASC-MIM1", "OASC-MIM2"), countries=("SE",)),
    SearchQuery(nuts=("ES",), types=("tender",)),
]


class TestAgainstBruteForce:
    @pytest.mark.parametrize("query", FILTER_GRID, ids=lambda q: str(FILTER_GRID.index(q)))
    async def test_results_and_facets_match_the_definition(
        self, index: SearchBackend, query: SearchQuery
    ) -> None:
        expected_ids, expected_facets = oracle(query)
        found = await index.search(query)
        assert ids(found) == expected_ids
        assert found.total == len(expected_ids)
        assert found.facets == expected_facets


class TestSorting:
    async def test_newest_first(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(sort="newest"))
        expected = sorted(CORPUS, key=lambda d: d.published_at, reverse=True)  # type: ignore[arg-type, return-value]
        assert ids(found) == [d.id for d in expected]

    async def test_closing_deadline_first_then_those_without(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(sort="deadline"))
        assert ids(found)[:3] == ["t-roads", "f-schools", "t-munchen"]
        assert ids(found)[3:] == sorted(["l-malmo", "l-transit", "l-parking"])

    async def test_highest_value_first(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(sort="value"))
        assert ids(found) == ["t-munchen", "f-schools", "t-roads", "l-malmo", "l-parking",
                              "l-transit"]  # fmt: skip

    async def test_relevance_without_words_is_newest_first(self, index: SearchBackend) -> None:
        assert ids(await index.search(SearchQuery())) == ids(
            await index.search(SearchQuery(sort="newest"))
        )


class TestPagination:
    async def test_pages_are_stable_exact_and_complete(self, backend: SearchBackend) -> None:
        same_day = at("2026-03-01")
        docs = [
            SearchDocument(id=f"doc-{n:02d}", type="listing", title=f"Bike sharing scheme {n}",
                           summary="Dock-less bike sharing.", published_at=same_day)
            for n in range(23)
        ]  # fmt: skip
        await backend.upsert(list(reversed(docs)))
        for query in (SearchQuery(text="bike", per_page=5), SearchQuery(per_page=5)):
            seen: list[str] = []
            for page in range(1, 6):
                found = await backend.search(replace(query, page=page))
                assert found.total == 23
                assert found.page == page and found.per_page == 5
                seen += ids(found)
            assert seen == sorted(seen) == [d.id for d in docs]  # equal keys: id order
            again = await backend.search(replace(query, page=3))
            assert ids(again) == seen[10:15]

    async def test_a_page_past_the_end_is_empty_with_the_total(self, index: SearchBackend) -> None:
        found = await index.search(SearchQuery(page=9, per_page=5))
        assert found.hits == [] and found.total == len(CORPUS)


class TestWriting:
    async def test_upsert_replaces_and_delete_removes(self, index: SearchBackend) -> None:
        changed = replace(
            by_id("t-roads"), title="Bridge repairs", summary="Deck and railing repairs.",
            body="", themes=("e-government",),
        )  # fmt: skip
        await index.upsert([changed])
        assert ids(await index.search(SearchQuery(text="resurfacing "))) == []
        assert ids(await index.search(SearchQuery(text="bridge"))) == ["t-roads"]
        assert ids(await index.search(SearchQuery(themes=("e-government",)))) == ["t-roads"]
        await index.delete(["t-roads", "no-such-id"])
        assert ids(await index.search(SearchQuery(text="bridge"))) == []
        assert await index.count() == len(CORPUS) - 1

    async def test_rebuild_swaps_without_a_gap(self, index: SearchBackend) -> None:
        during: list[list[str]] = []

        async def fresh() -> AsyncIterator[SearchDocument]:
            for n in range(3):
                # While the new index is being built, searches answer from the old one.
                during.append(ids(await index.search(SearchQuery(text="Malmo"))))
                yield SearchDocument(id=f"new-{n}", type="tender", title=f"Tram line {n}")

        assert await index.rebuild(fresh()) == 3
        assert during == [["l-malmo"]] * 3
        assert ids(await index.search(SearchQuery(text="Malmo"))) == []
        assert await index.count() == 3
        assert ids(await index.search(SearchQuery(text="tram"))) == ["new-0", "new-1", "new-2"]
        # Writes after a rebuild go to the new index.
        await index.upsert([by_id("l-malmo")])
        assert ids(await index.search(SearchQuery(text="Malmo"))) == ["l-malmo"]

    async def test_health(self, index: SearchBackend) -> None:
        assert await index.health() is True
