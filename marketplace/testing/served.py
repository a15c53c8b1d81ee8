"""The real server in a process of its own, on a free port: `marketplace serve` as an
operator runs it, for the concurrency and crash tests and the load benchmark.

The server runs in a new session (process group), so that `kill()` (SIGKILL, a crash: no
shutdown hook runs) takes its uvicorn workers down with it. Its log goes to a file: a pipe
nobody reads would block it once full.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def command(*args: str) -> list[str]:
    """`marketplace ARGS` with this checkout's interpreter."""
    return [sys.executable, "-m", "marketplace.cli", *args]


def environment(env: Mapping[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **env,
        # The checkout under test, ahead of any installed copy of the project.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the server and its workers at once: what a crash or an OOM kill does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s: a graceful shutdown."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def rss_bytes(self) -> int:
        """Resident memory of the server and its worker processes (Linux /proc)."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/statm").read_text().split()
            except OSError:
                continue
            total += int(fields[1]) * os.sysconf("SC_PAGE_SIZE")
        return total

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *_children(int(child))]
    except OSError:
        pass
    return found


def start(env: Mapping[str, str], log_dir: Path, *, startup_seconds: float = 120.0) -> Server:
    """`marketplace serve` on a free port with `env`; returns once `/livez` answers."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"server-{port}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command("serve"),
            cwd=ROOT,
            env=environment(
                {**env, "MARKETPLACE_HOST": "127.0.0.1", "MARKETPLACE_PORT": str(port)}
            ),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + startup_seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server did not start:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.base_url}/livez", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"the server did not answer within {startup_seconds:.0f} s")
        time.sleep(0.2)


@contextmanager
def served(env: Mapping[str, str], log_dir: Path, **options: float) -> Iterator[Server]:
    server = start(env, log_dir, **options)
    try:
        yield server
    finally:
        server.stop()
