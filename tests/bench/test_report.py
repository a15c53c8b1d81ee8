"""The benchmark's pure parts: percentiles, the query mix, target verdicts, the report file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.http import HttpRun, Throughput
from bench.matching import NOT_AVAILABLE
from bench.measure import Latency, QueryRun, Rebuild, percentile
from bench.queries import CATEGORIES, MIX
from bench.report import BEGIN, END, Cell, markdown, targets, write

NOW = datetime(2026, 11, 29, tzinfo=UTC)


class TestPercentile:
    def test_nearest_rank_is_a_measured_value(self) -> None:
        samples = [float(n) for n in range(1, 101)]
        assert (percentile(samples, 0.5), percentile(samples, 0.95)) == (50.0, 95.0)
        assert percentile([3.0, 1.0, 2.0], 0.99) == 3.0

    def test_no_samples(self) -> None:
        assert Latency(()).count == 0 and str(Latency(()).p95) == "nan"


class TestMix:
    def test_every_kind_of_query_is_in_the_mix(self) -> None:
        assert {q.category for q in MIX} == set(CATEGORIES)

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
    trivial = Throughput(1000, 0, 1.0, Latency((0.001,)))
    search = Throughput(int(1000 * ratio), 0, 1.0, Latency((0.01,)))
    return Cell(
        size, "sqlite", rebuild=Rebuild(size, seconds, seconds / 2),
        baseline=Latency((0.0005,)), queries=run, matching=NOT_AVAILABLE,
        http=HttpRun(trivial, search, 8),
    )  # fmt: skip


class TestTargets:
    def test_judged_on_the_embedded_default_at_the_largest_size(self) -> None:
        small = cell(1, 0.001, 0.9, size=10_000)
        large = cell(75, 0.008, 0.2)
        found, size = targets([small, large, Cell(100_000, "postgres", skipped="no server")])
        verdicts = {t.name: t.met for t in found}
        assert size == 100_000
        assert verdicts == {
            "query p95 in the engine": True,
            "matching p95": None,
            "full rebuild": False,
            "HTTP search ÷ trivial endpoint": False,
        }


class TestReportFile:
    def generated(self) -> str:
        return markdown(
            [cell(30, 0.004, 0.6), Cell(100_000, "meilisearch", skipped="not set")],
            NOW, 60.0, [("CPU", "test")], "python -m bench.run", 42, {"rounds": "1"}, "abc1234",
        )  # fmt: skip

    def test_states_the_machine_targets_and_skips(self) -> None:
        text = self.generated()
        assert text.startswith(BEGIN) and text.endswith(END)
        assert "| CPU | test |" in text and "skipped: not set" in text
        assert "| full rebuild | ≤ 60 s | 30.0 s | met |" in text
        assert "matching not available" in text and "code at `abc1234`" in text

    def test_http_without_remembered_answers_is_reported_beside_the_default(self) -> None:
        measured = cell(30, 0.004, 0.6)
        trivial = Throughput(1000, 0, 1.0, Latency((0.001,)))
        measured.http_uncached = HttpRun(trivial, Throughput(150, 0, 1.0, Latency((0.02,))), 8)
        text = markdown(
            [measured], NOW, 60.0, [("CPU", "test")], "python -m bench.run", 42, {}, "abc1234"
        )
        assert "| ≥ 0.5 | 0.600 (none remembered: 0.150) | met |" in text
        assert "| 100,000 | sqlite, no answers remembered | 8 | 150.0 | 1,000.0 | 0.150 |" in text

    def test_a_rerun_keeps_what_people_wrote_around_the_block(self, tmp_path: Path) -> None:
        path = tmp_path / "benchmarks.md"
        write(path, self.generated())
        path.write_text("# Mine\n\n" + path.read_text().split("\n\n", 2)[2] + "\n## Analysis\n")
        write(path, self.generated().replace("30.0 s", "31.0 s"))
        text = path.read_text()
        assert text.startswith("# Mine") and text.endswith("## Analysis\n")
        assert text.count(BEGIN) == 1 and "31.0 s" in text and "30.0 s" not in text
