"""Every module imports on its own, in a fresh interpreter: nothing relies on import order
or on a registry another module fills as a side effect."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import marketplace
import search

# One interpreter that has loaded only third-party libraries (to keep this fast) forks a
# child per module; each child starts without any of our modules and imports just one.
PROBE = textwrap.dedent(
    """
    import os, sys, traceback, importlib
    import sqlalchemy, sqlalchemy.ext.asyncio, litestar, pydantic, pydantic_settings, jinja2
    assert not [m for m in sys.modules if m.split(".")[0] in ("marketplace", "search")]
    waiting, running, failed = list(sys.argv[1:]), {}, []
    while waiting or running:
        while waiting and len(running) < 4:
            name = waiting.pop()
            pid = os.fork()
            if pid == 0:
                try:
                    importlib.import_module(name)
                except BaseException:
                    traceback.print_exc()
                    os._exit(1)
                os._exit(0)
            running[pid] = name
        pid, status = os.wait()
        name = running.pop(pid)
        if status != 0:
            failed.append(name)
    print("FAILED " + " ".join(sorted(failed)) if failed else "OK")
    """
)


def all_modules() -> list[str]:
    names = []
    for package in (marketplace, search):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
            names.append(info.name)
    return sorted(names)


def test_there_are_modules_to_check() -> None:
    names = all_modules()
    assert "marketplace.listings.demo" in names and "marketplace.modules" in names
    assert "marketplace.core.events" in names and "search.backends.tantivy" in names


def test_every_module_imports_on_its_own() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module names
        [sys.executable, "-c", PROBE, *all_modules()],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout.strip() == "OK", result.stdout + result.stderr
