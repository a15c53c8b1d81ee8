"""`python -m bench.run` (`make bench`): for each corpus size and each available backend,
full rebuild throughput, query latency, matching latency and HTTP throughput against the
trivial endpoint of the same app, printed and written to `docs/benchmarks.md`.

Every figure comes from this run on this machine; the report states the machine and
compares figures with baselines measured in the same run, never with absolute numbers
from elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text

from bench import generate, http, matching, measure, report
from bench.queries import corpus_texts, distinct
from marketplace.db import create_engine
from marketplace.searching.backend import create_backend
from marketplace.settings import Settings

BACKENDS = ("tantivy", "postgres", "meilisearch")
WARMUP = 100  # distinct queries asked before timing (not timed)
AFTER_WRITE = 200  # distinct queries each asked right after an index write
HTTP_QUERIES = 30_000  # distinct search requests available to the HTTP run (each sent once)
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    with Progress(
        TextColumn("  {task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=True,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total or 1)
            bar.update(tasks[name], completed=done if total else 1, total=total or 1)

        yield advance


def postgres_version(url: str) -> str | None:
    async def ask() -> str | None:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return str(await conn.scalar(text("SHOW server_version")))
        except Exception:  # no server: PostgreSQL is reported as skipped
            return None
        finally:
            await engine.dispose()

    return asyncio.run(ask())


def database_for(backend: str, size: int, args: argparse.Namespace) -> str:
    if backend == "postgres":
        return generate.postgres_url(args.postgres_url, args.seed, size)
    # Meilisearch indexes the embedded corpus: its documents come from the same loaders.
    return generate.sqlite_url(args.seed, size)


def measure_engine(
    cell: report.Cell, settings: Settings, now: datetime, args: argparse.Namespace,
    console: Console,
) -> None:  # fmt: skip
    async def work(advance: Callable[[str, int, int], None]) -> None:
        engine = create_engine(settings.database_url)
        backend = create_backend(settings, engine)
        try:
            console.print("  full rebuild (marketplace search reindex) …")
            cell.rebuild = await measure.rebuild(engine, backend, now, advance)
            console.print(
                f"  rebuilt {cell.rebuild.documents:,} documents in {cell.rebuild.seconds:.1f} s"
            )
            cell.baseline = await measure.round_trip(engine)
            await matching.unstore(engine)  # this part measures lists worked out per call
            texts = await corpus_texts(engine)
            every = distinct(texts, args.seed, args.queries + WARMUP + AFTER_WRITE)
            cell.queries = await measure.queries(
                backend, every[WARMUP + AFTER_WRITE :], now, advance, warmup=every[:WARMUP],
                after_a_write=every[WARMUP : WARMUP + AFTER_WRITE],
            )  # fmt: skip
            console.print(f"  queries p50/p95/p99 ms: {report.triple(cell.queries.overall)}")
            if await matching.unweigh(engine):
                unstored = await matching.matching(
                    engine, backend, now, args.matching_sample, advance
                )
                if not isinstance(unstored, str):
                    note = ("matching with every candidate's words weighed per call (no stored "
                            f"words), same run: {report.triple(unstored.overall)} ms")  # fmt: skip
                    console.print(f"  {note}")
                    cell.notes.append(note + ".")
            weighed = await matching.weigh(engine)
            if weighed is not None:
                rows, written, seconds = weighed
                note = (f"matching's stored words: {rows:,} records, {written:,} weighed in "
                        f"{seconds:.1f} s (`marketplace matching terms`)")  # fmt: skip
                console.print(f"  {note}")
                cell.notes.append(note + ".")
            cell.matching = await matching.matching(
                engine, backend, now, args.matching_sample, advance
            )
            if isinstance(cell.matching, str):
                console.print(f"  [yellow]{cell.matching}: {matching.WHY_NOT}[/yellow]")
                cell.notes.append(f"{cell.matching}: {matching.WHY_NOT}.")
        finally:
            await backend.close()
            await engine.dispose()

    with progress_bar(console) as advance:
        asyncio.run(work(advance))


def measure_http(cell: report.Cell, settings: Settings, args: argparse.Namespace) -> None:
    env = {
        "MARKETPLACE_DATABASE_URL": settings.database_url,
        "MARKETPLACE_SEARCH_BACKEND": settings.search_backend,
        "MARKETPLACE_VAR_DIR": str(settings.var_dir),
        "MARKETPLACE_SEARCH_INDEX_DIR": str(settings.search_index_dir),
        "MARKETPLACE_ENV": "development",
    }

    kept = args.stored_lists

    async def prepare(
        advance: Callable[[str, int, int], None],
    ) -> tuple[list[str], list[str], list[str], matching.Stored | None]:
        engine = create_engine(settings.database_url)
        backend = create_backend(settings, engine)
        try:
            texts = await corpus_texts(engine)
            tenders, listings = await matching.published_ids(engine, args.seed)
            # The first records of each (shuffled) order get their lists worked out ahead,
            # as the event worker does on publication; the rest are worked out per call.
            await matching.unstore(engine)
            stored = await matching.store(
                engine, backend, {"tender": tenders[:kept], "listing": listings[:kept]},
                datetime.now(UTC), advance,
            )  # fmt: skip
        finally:
            await backend.close()
            await engine.dispose()
        return texts, tenders, listings, stored

    with progress_bar(Console(stderr=True)) as advance:
        texts, tenders, listings, stored = asyncio.run(prepare(advance))
    # Another seed than the engine's: a server of its own, asked other questions.
    paths = [f"{http.SEARCH}?{q.label}" for q in distinct(texts, args.seed + 1, HTTP_QUERIES)]
    others = {
        "tender → listings": [f"/api/v1/tenders/{i}/matches" for i in tenders[:kept]],
        "listing → tenders": [f"/api/v1/listings/{i}/matches" for i in listings[:kept]],
    }
    if stored is not None:
        others |= {
            f"{n}, worked out per call": [f"{p}/{i}/matches" for i in ids[kept:]]
            for n, p, ids in (("tender → listings", "/api/v1/tenders", tenders),
                              ("listing → tenders", "/api/v1/listings", listings))
        }  # fmt: skip

    async def work() -> http.HttpRun:
        async with http.served(env) as server:
            return await http.compare(
                server, paths, args.concurrency, args.http_seconds, others=others
            )

    try:
        cell.http = asyncio.run(work())
    except RuntimeError as error:
        cell.http = f"failed: {error}"
        return
    run = cell.http
    if stored is None:
        return
    cell.notes.append(
        f"stored match lists: {stored.lists:,} worked out ahead in {stored.seconds:.1f} s "
        f"({stored.per_list_ms:.1f} ms per list, the event worker's cost per record it "
        "publishes or reaches)"
    )
    for name in ("tender → listings", "listing → tenders"):
        asked = run.others[name].requests + run.others[name].errors
        live = run.others[f"{name}, worked out per call"]
        cell.notes.append(
            f"HTTP {name}: stored lists ÷ /livez {run.ratio_of(name):.3f}, p50/p95/p99 "
            f"{report.triple(run.others[name].latency)} ms, hit rate "
            f"{min(asked, kept) / max(1, asked):.0%} of {asked:,} calls ({kept:,} lists kept); "
            f"worked out per call ÷ /livez {run.ratio_of(f'{name}, worked out per call'):.3f}, "
            f"{report.triple(live.latency)} ms"
        )


def run_cell(
    size: int, backend: str, args: argparse.Namespace, pg_version: str | None, console: Console
) -> report.Cell:
    cell = report.Cell(size, backend)
    if backend == "postgres" and pg_version is None:
        cell.skipped = f"no PostgreSQL server answered at {args.postgres_url}"
        return cell
    probe = Settings()
    if backend == "meilisearch" and not probe.meili_url:
        cell.skipped = "MARKETPLACE_MEILI_URL is not set"
        return cell
    url = database_for(backend, size, args)
    manifest = generate.ensure_corpus(url, size, args.seed, console)
    # The corpus's own generation moment is "now": deadlines stay as far ahead as generated.
    now = max(manifest.moment, datetime.now(UTC))
    settings = generate.bench_settings(url).model_copy(update={"search_backend": backend})
    measure_engine(cell, settings, now, args, console)
    cell.load_after_engine = os.getloadavg()
    if args.http_seconds > 0:
        console.print(f"  HTTP: {args.http_seconds:.0f} s per endpoint …")
        measure_http(cell, settings, args)
        cell.load_after_http = os.getloadavg()
    return cell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes (10000,100000)")
    parser.add_argument("--backends", default="tantivy,postgres,meilisearch")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument(
        "--queries", type=int, default=2000, help="distinct queries timed in the engine"
    )
    parser.add_argument("--matching-sample", type=int, default=50, help="records per direction")
    parser.add_argument("--stored-lists", type=int, default=1000,
                        help="records per direction whose match lists are worked out before "
                        "the HTTP run, as the event worker keeps them")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=8, help="HTTP requests in flight")
    parser.add_argument("--http-seconds", type=float, default=20, help="per endpoint; 0 skips HTTP")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES,
        help="a PostgreSQL server; the benchmark creates its own databases there",
    )  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends: {', '.join(sorted(unknown))}")
    console = Console(stderr=True)
    started, clock, code = datetime.now(UTC), time.perf_counter(), report.revision()
    pg_version = postgres_version(args.postgres_url) if "postgres" in backends else None
    about = report.machine(pg_version)
    cells: list[report.Cell] = []
    for size in sizes:
        for backend in backends:
            console.rule(f"{size:,} documents · {backend}")
            cell = run_cell(size, backend, args, pg_version, console)
            if cell.skipped:
                console.print(f"  [yellow]skipped: {cell.skipped}[/yellow]")
            cells.append(cell)
    report.print_table(console, cells)
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    settings = {
        "distinct queries": f"{args.queries} + the mix, each once", "matching sample": f"{args.matching_sample} per direction",
        "HTTP": f"{args.http_seconds:.0f} s per endpoint at concurrency {args.concurrency}",
    }  # fmt: skip
    report.write(
        args.output,
        report.markdown(
            cells, started, time.perf_counter() - clock, about, command.strip(), args.seed,
            settings, code,
        ),
    )  # fmt: skip
    console.print(f"Written to {args.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
