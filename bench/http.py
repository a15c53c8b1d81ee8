"""HTTP throughput: the search endpoint against `/livez` of the same app, same server, same run.

The real app (`marketplace.app:create_app`) runs under uvicorn in a subprocess, one worker,
against the benchmark database, with the in-process search worker off (nothing is
enqueued). An async httpx client keeps a fixed number of requests in flight for a fixed
time on each endpoint; the endpoints alternate (trivial, search, trivial, search) so that
a slow phase of a shared machine weighs on both. Only the ratio is meant to be compared
across machines: the client runs on the same cores as the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.measure import Latency

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = "/livez"
SEARCH = "/api/v1/search"
LOG_DIR = ROOT / "var" / "bench"


@dataclass(frozen=True)
class Throughput:
    requests: int
    errors: int
    seconds: float
    latency: Latency

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class HttpRun:
    trivial: Throughput
    search: Throughput
    concurrency: int
    # Other endpoints measured in the same run (matching), by name.
    others: dict[str, Throughput] = field(default_factory=dict)
    rss_start_mb: float = math.nan  # the server's resident memory when it answered first
    rss_end_mb: float = math.nan  # and after the run
    distinct: int = 0  # different search requests sent (each once)
    anon_end_mb: float = math.nan  # RssAnon after the run: the process's own memory

    @property
    def ratio(self) -> float:
        return self.search.rate / self.trivial.rate if self.trivial.rate else 0.0

    def ratio_of(self, name: str) -> float:
        other = self.others.get(name)
        return other.rate / self.trivial.rate if other and self.trivial.rate else 0.0


@dataclass(frozen=True)
class Served:
    base: str
    pid: int

    def rss_mb(self, field: str = "VmRSS") -> float:
        """Resident memory of the server process, in MB: `VmRSS` (everything, the index's
        memory-mapped pages the OS may drop included) or `RssAnon` (its own memory)."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="utf-8") as status:
                for line in status:
                    if line.startswith(f"{field}:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return math.nan


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def served(env: dict[str, str], startup_seconds: float = 120.0) -> AsyncIterator[Served]:
    """The app under uvicorn on a free port; yields its URL and pid, stops it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        **env,
        "MARKETPLACE_SEARCH_WORKER": "off",
        # One client address sending thousands of requests a minute is the point here,
        # not an abuse to refuse (the limits have their own tests).
        "MARKETPLACE_RATE_LIMITS": env.get("MARKETPLACE_RATE_LIMITS", "false"),
        # Matching by words and codes, as the engine part measures it: with the optional
        # embeddings extra installed, `auto` would load the model in the server and embed
        # every record the worker (off here) has not reached (docs/relevance.md has its cost).
        "MARKETPLACE_EMBEDDINGS": env.get("MARKETPLACE_EMBEDDINGS", "off"),
        # The checkout being measured, ahead of any installed copy of the project.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    # The server's log goes to a file: a pipe nobody reads would block it once full.
    log = LOG_DIR / f"uvicorn-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", "marketplace.app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            "--no-access-log", cwd=ROOT, env=environment, stdout=sink, stderr=sink,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            async with asyncio.timeout(startup_seconds):
                await _wait_until_live(base, process, log)
        except TimeoutError:
            raise RuntimeError(
                f"the app did not answer {TRIVIAL} within {startup_seconds:.0f} s"
            ) from None
        yield Served(base, process.pid)
        log.unlink(missing_ok=True)  # kept only when the server failed, to say why
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(15):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def _wait_until_live(base: str, process: asyncio.subprocess.Process, log: Path) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        while True:
            if process.returncode is not None:
                # Blocking is fine here: the server is gone and we are about to fail.
                error = log.read_text(errors="replace")[-2000:]  # noqa: ASYNC240
                raise RuntimeError(f"the app did not start: {error}")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(TRIVIAL)).status_code == 200:
                    return
            await asyncio.sleep(0.2)


async def load(
    client: httpx.AsyncClient, paths: Sequence[str] | Iterator[str], concurrency: int,
    seconds: float,
) -> Throughput:  # fmt: skip
    """`concurrency` loops sending requests back to back for `seconds`. A sequence is sent
    in turn (repeating); an iterator is consumed, each path sent once, the load ending
    early when it runs out."""
    stop = time.perf_counter() + seconds
    samples: list[float] = []
    errors = 0
    once = iter(paths) if isinstance(paths, Iterator) else None
    cycle = list(paths) if once is None else []

    async def worker(offset: int) -> None:
        nonlocal errors
        index = offset
        while time.perf_counter() < stop:
            if once is not None:
                path = next(once, None)
                if path is None:
                    return
            else:
                path = cycle[index % len(cycle)]
                index += concurrency
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                samples.append(time.perf_counter() - started)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Throughput(len(samples), errors, elapsed, Latency(tuple(samples)))


async def compare(
    server: Served, search_paths: Sequence[str], concurrency: int, seconds: float,
    rounds: int = 2, others: Mapping[str, Sequence[str]] | None = None,
) -> HttpRun:  # fmt: skip
    """Requests/s of the search endpoint and of the trivial one, alternating `rounds` times,
    then of each of `others`. Search and other paths are each sent once at most: a
    different question every time (the warm-up uses paths of its own)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    others = others or {}
    async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=60) as client:
        rss_start = server.rss_mb()
        warm = max(1, len(search_paths) // 20)
        await load(client, [TRIVIAL], concurrency, 1.0)  # warm-up
        await load(client, iter(search_paths[:warm]), concurrency, 2.0)
        fresh = iter(search_paths[warm:])
        trivial: list[Throughput] = []
        search: list[Throughput] = []
        for _ in range(rounds):
            trivial.append(await load(client, [TRIVIAL], concurrency, seconds / rounds))
            search.append(await load(client, fresh, concurrency, seconds / rounds))
        measured = {
            name: await load(client, iter(paths), concurrency, seconds / rounds)
            for name, paths in others.items()
        }
        rss_end, anon_end = server.rss_mb(), server.rss_mb("RssAnon")
    used = sum(p.requests + p.errors for p in search)
    return HttpRun(_sum(trivial), _sum(search), concurrency, measured, rss_start, rss_end, used,
                   anon_end)  # fmt: skip


def _sum(parts: Sequence[Throughput]) -> Throughput:
    return Throughput(
        sum(p.requests for p in parts),
        sum(p.errors for p in parts),
        sum(p.seconds for p in parts),
        Latency(tuple(s for p in parts for s in p.latency.samples)),
    )
