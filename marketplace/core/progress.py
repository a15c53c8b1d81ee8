"""One progress bar per kind of record for the long-running commands (search reindex,
matching embed): the operator sees each kind's count move, and an empty kind completes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[..., None]  # advance(kind, done, total, **fields shown in the columns)


@contextmanager
def per_kind(console: Console, verb: str, *columns: str) -> Iterator[Advance]:
    """`columns`: rich format strings of extra fields (e.g. "{task.fields[new]} embedded");
    every field they name must be passed to each `advance` call."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        *(TextColumn(c) for c in columns), console=console,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def advance(kind: str, done: int, total: int, **fields: Any) -> None:
            if kind not in tasks:
                tasks[kind] = bar.add_task(f"{verb} {kind}", total=total or 1, **fields)
            bar.update(tasks[kind], completed=done if total else 1, total=total or 1, **fields)

        yield advance
