"""The benchmark's pure parts: percentiles, the query mix, target verdicts, the report file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.http import HttpRun, Throughput
from bench.matching import NOT_AVAILABLE
from bench.measure import Latency, QueryRun, Rebuild, percentile
from bench.queries import CATEGORIES, MIX, distinct
from bench.report import BEGIN, END, Cell, markdown, targets, write

NOW = datetime(2026, 11, 29, tzinfo=UTC)


class TestPercentile:
    def test_nearest_rank_is_a_measured_value(self) -> None:
        samples = [float(n) for n in range(1, 101)]
        assert (percentile(samples, 0.5), percentile(samples, 0.95)) == (50.0, 95.0)
        assert percentile([3.0, 1.0, 2.0], 0.99) == 3.0

    def test_no_samples(self) -> None:
        assert Latency(()).count == 0 and str(Latency(()).p95) == "nan"


TEXTS = [
    "Smart parking sensors for Kraków. Occupancy sensors report free bays to drivers.",
    "District heating retrofit in Tampere. Heat pumps replace oil boilers in schools.",
    "Open data portal for München. Datasets published with DCAT metadata.",
    "Flood early warning for Porto. River level sensors and alerts for residents.",
]


class TestDistinctQueries:
    def test_no_query_twice_every_category_seeded(self) -> None:
        found = distinct(TEXTS, 42, 300)
        assert len({q.params for q in found}) == len(found) == 300 + len(MIX)
        assert {q.category for q in found} == set(CATEGORIES)
        assert found == distinct(TEXTS, 42, 300) and found != distinct(TEXTS, 43, 300)

    def test_words_come_from_the_texts_and_are_valid_for_the_api(self) -> None:
        vocabulary = {w.lower() for t in TEXTS for w in t.replace(".", " ").split()}
        for query in distinct(TEXTS, 7, 200):
            built = query.search_query(NOW)  # raises for anything the API would refuse
            if query.category in ("one word", "two words", "phrase"):
                words = built.text.replace('"', " ").lower().split()
                assert set(words) <= vocabulary, query.label
            if query.category == "misspelling":
                assert built.text.strip().lower() not in vocabulary
            if query.category == "prefix":
                assert not built.text.endswith(" ")


class TestMix:
    def test_every_kind_of_query_the_mix_had_is_in_it(self) -> None:
        assert {q.category for q in MIX} == {
            "one word", "phrase", "prefix", "misspelling", "filtered + faceted",
        }  # fmt: skip

    @pytest.mark.parametrize("query", MIX, ids=lambda q: q.label)
    def test_each_query_is_valid_for_the_api(self, query: object) -> None:
        from bench.queries import BenchQuery

        assert isinstance(query, BenchQuery)
        built = query.search_query(NOW)
        if query.category == "filtered + faceted":
            assert built.types or built.themes or built.cpv or built.countries or built.nuts
        else:
            assert built.text.strip()

    def test_typing_leaves_the_prefix_open_and_whole_words_are_closed(self) -> None:
        typed = [q.params[0][1] for q in MIX if q.category == "prefix"]
        words = [q.params[0][1] for q in MIX if q.category == "one word"]
        assert not any(t.endswith(" ") for t in typed)
        assert all(w.endswith(" ") for w in words)


def cell(seconds: float, p95: float, ratio: float, size: int = 100_000) -> Cell:
    run = QueryRun()
    for category in CATEGORIES:
        run.latency[category] = Latency((p95 / 2, p95))
        run.hits[category] = 10
    run.after_write = Latency((p95,))
    trivial = Throughput(1000, 0, 1.0, Latency((0.001,)))
    search = Throughput(int(1000 * ratio), 0, 1.0, Latency((0.01,)))
    matches = {
        "tender → listings": Throughput(int(200 * ratio), 0, 1.0, Latency((0.03,))),
        "listing → tenders": Throughput(int(100 * ratio), 0, 1.0, Latency((0.04,))),
    }
    return Cell(
        size, "tantivy", rebuild=Rebuild(size, seconds, seconds / 2),
        baseline=Latency((0.0005,)), queries=run, matching=NOT_AVAILABLE,
        http=HttpRun(trivial, search, 8, matches, 150.0, 300.0, 2000),
    )  # fmt: skip


class TestTargets:
    def test_judged_on_the_embedded_default_at_the_largest_size(self) -> None:
        small = cell(1, 0.001, 0.9, size=10_000)
        large = cell(75, 0.008, 0.2)
        found, size = targets([small, large, Cell(100_000, "postgres", skipped="no server")])
        verdicts = {t.name: t.met for t in found}
        assert size == 100_000
        assert verdicts == {
            "engine p95, distinct queries": True,
            "engine p95, right after a write": True,
            "HTTP search ÷ /livez (distinct, c=8)": False,
            "HTTP search p95": True,
            "HTTP matching tender → listings ÷ /livez": False,
            "HTTP matching listing → tenders ÷ /livez": False,
            "server RSS after the run": True,
            "full rebuild": False,
        }


class TestReportFile:
    def generated(self) -> str:
        return markdown(
            [cell(30, 0.004, 0.6), Cell(100_000, "meilisearch", skipped="not set")],
            NOW, 60.0, [("CPU", "test")], "python -m bench.run", 42, {"queries": "1"}, "abc1234",
        )  # fmt: skip

    def test_states_the_machine_targets_and_skips(self) -> None:
        text = self.generated()
        assert text.startswith(BEGIN) and text.endswith(END)
        assert "| CPU | test |" in text and "skipped: not set" in text
        assert "| full rebuild | ≤ 20 s | 30.0 s | **missed** |" in text
        assert "matching not available" in text and "code at `abc1234`" in text

    def test_http_reports_distinct_requests_matching_and_memory(self) -> None:
        text = self.generated()
        assert "| HTTP search ÷ /livez (distinct, c=8) | ≥ 0.25 | 0.600 | met |" in text
        assert "| 2,000 | 0.120 | 0.060 |" in text  # distinct; both matching ratios
        assert "| 150 → 300 MB (nan MB own) |" in text
        assert "| server RSS after the run | ≤ 400 MB | 300.0 MB | met |" in text

    def test_a_rerun_keeps_what_people_wrote_around_the_block(self, tmp_path: Path) -> None:
        path = tmp_path / "benchmarks.md"
        write(path, self.generated())
        path.write_text("# Mine\n\n" + path.read_text().split("\n\n", 2)[2] + "\n## Analysis\n")
        write(path, self.generated().replace("30.0 s", "31.0 s"))
        text = path.read_text()
        assert text.startswith("# Mine") and text.endswith("## Analysis\n")
        assert text.count(BEGIN) == 1 and "31.0 s" in text and "30.0 s" not in text
