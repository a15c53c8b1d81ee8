"""The mixed load of issue 13: many clients at once against a real server process.

Each client loops for a fixed time over a mix of what people do at once: page views
(home, listings, tenders), searches, authenticated API reads (`/api/v1/me`, listings) and
writes (create a listing, change it, publish it; create an organisation). The same run
measures `/livez` of the same server with the same number of clients, so the figures that
matter are ratios to it (requests/s, p50/p95) and the counts that must be zero: responses
≥ 500 and time-outs. Every write the server acknowledged is checked afterwards.

    python -m bench.load --clients 64 --seconds 60            # the embedded default
    python -m bench.load --database postgresql+asyncpg://… --workers 2

The server is `marketplace serve` (so `MARKETPLACE_WEB_WORKERS`, the pool settings and the
in-process event worker are what an operator runs), on a fresh database under var/bench/
unless `--database` names one. The client runs on the same cores as the server: compare
ratios across machines, not absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.measure import percentile
from marketplace.testing import served

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-load"
PASSWORD = "a long enough passphrase for load"
WORDS = ("lighting", "mobility", "energy", "water", "waste", "sensor", "platform", "heat")
_serial = itertools.count(1)


def listing_body(organisation_id: str, n: int) -> dict[str, Any]:
    """A listing complete enough to publish."""
    word = WORDS[n % len(WORDS)]
    return {
        "organisation_id": organisation_id,
        "title": f"Load {word} solution {n}",
        "summary": f"A {word} service for cities, number {n}.",
        "description": f"Measured **{word}** outcomes for municipalities ({n}).",
        "themes": ["renewable-energies"],
        "cpv_codes": ["34993000"],
        "countries": ["FI", "SE"],
        "trl": 8,
        "outcomes": [
            {
                "metric": f"{word} use",
                "unit": "MWh/year",
                "baseline": 1200,
                "target": 600,
                "timeframe_months": 18,
                "verification": "Metered consumption, monthly report",
            }
        ],
        "pricing": {
            "model": "outcome_based",
            "currency": "EUR",
            "amount_min": "20000",
            "amount_max": "80000",
            "at_risk_percent": 30,
        },
    }


@dataclass
class Account:
    token: str
    organisation_id: str
    listings: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def account(client: httpx.AsyncClient, label: str) -> Account:
    """A user with a token and an SME of their own, made through the API."""
    email = f"load-{label}-{os.getpid()}-{next(_serial)}@example.eu"
    r = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": label}
    )
    r.raise_for_status()
    r = await client.post(
        "/api/v1/auth/tokens", json={"email": email, "password": PASSWORD, "label": "load"}
    )
    r.raise_for_status()
    token = r.json()["token"]
    body = {"name": f"Load SME {label}", "kind": "sme", "country": "FI", "nuts_code": "FI1B1"}
    r = await client.post(
        "/api/v1/organisations", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    r.raise_for_status()
    return Account(token, r.json()["id"])


@dataclass
class Tally:
    """What the clients saw: statuses per kind of request, latencies, acknowledged writes."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    timeouts: int = 0
    transport_errors: int = 0
    samples: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    # listing id -> (its title as last acknowledged, the token of someone who may read it)
    acknowledged: dict[str, tuple[str, str]] = field(default_factory=dict)
    organisations: list[str] = field(default_factory=list)
    seconds: float = 0.0
    started: float = 0.0  # perf_counter when the clients began (after signing up)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.timeouts + self.transport_errors

    @property
    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.statuses.items() if status >= 500)

    def by_status(self) -> dict[int, int]:
        found: Counter[int] = Counter()
        for (_, status), n in self.statuses.items():
            found[status] += n
        return dict(sorted(found.items()))

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.samples, fraction)


Step = Callable[[httpx.AsyncClient, Account, random.Random, Tally], Any]


async def _timed(
    tally: Tally, kind: str, send: Callable[[], Any], ok: Sequence[int] = (200,)
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response: httpx.Response = await send()
    except httpx.TimeoutException:
        tally.timeouts += 1
        return None
    except httpx.TransportError:
        tally.transport_errors += 1
        return None
    elapsed = time.perf_counter() - started
    tally.samples.append(elapsed)
    tally.by_kind.setdefault(kind, []).append(elapsed)
    tally.statuses[(kind, response.status_code)] += 1
    return response


async def page_view(c: httpx.AsyncClient, a: Account, rnd: random.Random, t: Tally) -> None:
    path = rnd.choice(("/", "/listings", "/tenders", "/organisations"))
    await _timed(t, "page", lambda: c.get(path))


async def search(c: httpx.AsyncClient, a: Account, rnd: random.Random, t: Tally) -> None:
    q = rnd.choice(WORDS)
    await _timed(t, "search", lambda: c.get("/api/v1/search", params={"q": q}))


async def api_read(c: httpx.AsyncClient, a: Account, rnd: random.Random, t: Tally) -> None:
    if a.listings and rnd.random() < 0.5:
        listing = rnd.choice(a.listings)
        await _timed(t, "read", lambda: c.get(f"/api/v1/listings/{listing}", headers=a.headers))
    else:
        await _timed(t, "read", lambda: c.get("/api/v1/me", headers=a.headers))


async def write(c: httpx.AsyncClient, a: Account, rnd: random.Random, t: Tally) -> None:
    choice = rnd.random()
    if a.listings and choice < 0.3:
        listing = rnd.choice(a.listings)
        title = f"Load renamed {next(_serial)}"
        r = await _timed(
            t,
            "write",
            lambda: c.patch(
                f"/api/v1/listings/{listing}", json={"title": title}, headers=a.headers
            ),
        )
        if r is not None and r.status_code == 200:
            t.acknowledged[listing] = (title, a.token)
        return
    if a.listings and choice < 0.45:
        listing = rnd.choice(a.listings)
        await _timed(
            t, "write", lambda: c.post(f"/api/v1/listings/{listing}/publish", headers=a.headers)
        )
        return
    if choice < 0.5:
        body = {"name": f"Load city {next(_serial)}", "kind": "city", "country": "FI"}
        r = await _timed(
            t, "write", lambda: c.post("/api/v1/organisations", json=body, headers=a.headers)
        )
        if r is not None and r.status_code == 201:
            t.organisations.append(r.json()["id"])
        return
    n = next(_serial)
    payload = listing_body(a.organisation_id, n)
    r = await _timed(
        t, "write", lambda: c.post("/api/v1/listings", json=payload, headers=a.headers)
    )
    if r is not None and r.status_code == 201:
        listing_id = r.json()["id"]
        a.listings.append(listing_id)
        t.acknowledged[listing_id] = (payload["title"], a.token)


# Page views and searches dominate, as they do for people; a write in eight requests.
MIX: tuple[tuple[Step, int], ...] = ((page_view, 3), (search, 2), (api_read, 2), (write, 1))


async def mixed(
    base_url: str,
    clients: int,
    seconds: float | None = None,
    *,
    iterations: int | None = None,
    request_timeout: float = 30.0,
    seed: int = 13,
) -> Tally:
    """`clients` loops, each with its own account, for `seconds` or `iterations` each."""
    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients)
    tally = Tally()
    steps = [step for step, weight in MIX for _ in range(weight)]
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=request_timeout
    ) as client:
        accounts: list[Account] = []
        for start in range(0, clients, 8):  # argon2 hashing: a few sign-ups at a time
            accounts += await asyncio.gather(
                *(account(client, f"c{n}") for n in range(start, min(start + 8, clients)))
            )
        stop = time.perf_counter() + (seconds or 0)

        async def loop(n: int) -> None:
            rnd = random.Random(seed + n)
            done = 0
            while (iterations is None or done < iterations) and (
                seconds is None or time.perf_counter() < stop
            ):
                await rnd.choice(steps)(client, accounts[n], rnd, tally)
                done += 1

        tally.started = started = time.perf_counter()
        await asyncio.gather(*(loop(n) for n in range(clients)))
        tally.seconds = time.perf_counter() - started
    return tally


async def trivial(base_url: str, clients: int, seconds: float) -> Tally:
    """`/livez` of the same server with as many clients: the same-run baseline."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    tally = Tally()
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def loop() -> None:
            while time.perf_counter() < stop:
                await _timed(tally, "livez", lambda: client.get("/livez"))

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        tally.seconds = time.perf_counter() - started
    return tally


async def missing_writes(base_url: str, tally: Tally) -> list[str]:
    """Acknowledged writes that the server does not show as acknowledged (a listing's last
    acknowledged title, each organisation created)."""
    missing: list[str] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        for listing_id, (title, token) in tally.acknowledged.items():
            headers = {"Authorization": f"Bearer {token}"}
            r = await client.get(f"/api/v1/listings/{listing_id}", headers=headers)
            if r.status_code != 200 or r.json().get("title") != title:
                missing.append(listing_id)
        for organisation_id in tally.organisations:
            r = await client.get(f"/api/v1/organisations/{organisation_id}")
            if r.status_code != 200:
                missing.append(organisation_id)
    return missing


# --- the command -----------------------------------------------------------------------


def prepare_database(url: str | None, var_dir: Path) -> dict[str, str]:
    """Environment for a server on a fresh, migrated database with the demo data."""
    env = {
        "MARKETPLACE_ENV": "development",
        "MARKETPLACE_VAR_DIR": str(var_dir),
        "MARKETPLACE_SECRET_KEY": "bench-load-secret-not-for-production",
        "MARKETPLACE_MIN_TENDER_PERIOD_DAYS": "0",
        # 64 clients from one address are the load being measured, not abuse to refuse:
        # the request limits (429) would otherwise answer most of them.
        "MARKETPLACE_RATE_LIMITS": "false",
    }
    if url:
        env["MARKETPLACE_DATABASE_URL"] = url
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    full = served.environment(env)
    if url and not url.startswith("sqlite"):
        subprocess.run(
            [sys.executable, "-c", RESET_PG, url], check=True, env=full, cwd=ROOT
        )  # a fresh schema
    subprocess.run(served.command("db", "upgrade"), check=True, env=full, cwd=ROOT)
    subprocess.run(served.command("demo", "seed", "--if-empty"), check=True, env=full, cwd=ROOT)
    return env


RESET_PG = """
import asyncio, sys
from sqlalchemy import text
from marketplace.db import create_engine
async def main(url):
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
asyncio.run(main(sys.argv[1]))
"""


@dataclass(frozen=True)
class LoadRun:
    label: str
    clients: int
    seconds: float
    workers: int
    baseline: Tally
    load: Tally
    missing: list[str]
    rss_before: int
    rss_second_10s: int
    rss_after: int

    @property
    def rss_growth(self) -> float:
        return (
            (self.rss_after - self.rss_second_10s) / self.rss_second_10s
            if self.rss_second_10s
            else 0.0
        )


def start_event_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`marketplace events worker` beside the server (started once, before the load)."""
    return subprocess.Popen(
        served.command("events", "worker"), env=served.environment(env), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


async def run(
    label: str, env: dict[str, str], clients: int, seconds: float, workers: int,
    separate_worker: bool = False,
) -> LoadRun:  # fmt: skip
    env = {**env, "MARKETPLACE_WEB_WORKERS": str(workers)}
    event_worker = None
    if separate_worker:
        # The production shape: web processes only serve; one `marketplace events worker`
        # process delivers the outbox (search indexing, notifications).
        env["MARKETPLACE_EVENT_WORKER"] = "off"
        event_worker = start_event_worker(env)
    server = served.start(env, VAR / "logs")
    try:
        baseline = await trivial(server.base_url, clients, min(10.0, seconds / 3))
        rss_before = server.rss_bytes()
        samples: list[tuple[float, int]] = []

        async def watch() -> None:
            while True:
                samples.append((time.perf_counter(), server.rss_bytes()))
                await asyncio.sleep(1)

        watcher = asyncio.create_task(watch())
        load = await mixed(server.base_url, clients, seconds)
        rss_after = server.rss_bytes()
        watcher.cancel()
        # The end of the second ten seconds of load: growth is measured from there.
        second = min(samples, key=lambda s: abs(s[0] - (load.started + 20)))[1]
        missing = await missing_writes(server.base_url, load)
    finally:
        server.stop()
        if event_worker is not None:
            event_worker.terminate()
            event_worker.wait(timeout=30)
    return LoadRun(
        label, clients, seconds, workers, baseline, load, missing, rss_before,
        second, rss_after,
    )  # fmt: skip


def report(runs: Sequence[LoadRun]) -> str:
    lines = [
        "| setup | clients | req/s | ratio to /livez | p50 ms | p95 ms | p99 ms "
        "| p95 / livez p95 | ≥500 | time-outs | statuses | lost writes | RSS MiB start → end (growth after 20 s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        load, base = r.load, r.baseline
        mib = 1024 * 1024
        lines.append(
            f"| {r.label} ({r.workers} worker{'s' if r.workers > 1 else ''}) | {r.clients} "
            f"| {load.rate:.0f} | {load.rate / base.rate if base.rate else 0:.2f} "
            f"| {load.p(0.5) * 1000:.0f} | {load.p(0.95) * 1000:.0f} | {load.p(0.99) * 1000:.0f} "
            f"| {load.p(0.95) / base.p(0.95) if base.samples else 0:.1f} "
            f"| {load.server_errors} | {load.timeouts} "
            f"| {', '.join(f'{s}: {n}' for s, n in load.by_status().items())} "
            f"| {len(r.missing)} of {len(load.acknowledged) + len(load.organisations)} "
            f"| {r.rss_before / mib:.0f} → {r.rss_after / mib:.0f} ({r.rss_growth * 100:+.1f} %) |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", action="append", default=[],
                        help="sqlite (default) or a PostgreSQL URL; repeat for several")  # fmt: skip
    parser.add_argument("--workers", default="1", help="comma-separated worker counts: 1,2")
    parser.add_argument(
        "--redis",
        default=None,
        help="sessions and rate-limit counters on this Redis (several workers)",
    )
    parser.add_argument(
        "--separate-worker",
        action="store_true",
        help="deliver events in a `marketplace events worker` process",
    )
    args = parser.parse_args(argv)
    runs: list[LoadRun] = []
    for database in args.database or ["sqlite"]:
        url = None if database == "sqlite" else database
        label = "SQLite (embedded)" if url is None else "PostgreSQL"
        if args.redis:
            label += " + Redis"
        if args.separate_worker:
            label += ", separate event worker"
        for workers in (int(w) for w in args.workers.split(",")):
            env = prepare_database(url, VAR / "data")
            if args.redis:
                env["MARKETPLACE_REDIS_URL"] = args.redis
            print(f"{label}, {workers} worker(s), {args.clients} clients, {args.seconds:.0f} s…",
                  file=sys.stderr)  # fmt: skip
            runs.append(
                asyncio.run(
                    run(label, env, args.clients, args.seconds, workers, args.separate_worker)
                )
            )
            print(report(runs[-1:]), file=sys.stderr)
    print(report(runs))
    return 1 if any(r.load.server_errors or r.load.timeouts or r.missing for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
