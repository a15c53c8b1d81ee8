"""`marketplace matching embed`, `... terms` and `... store`: what matching keeps per record
(vectors, weighted words, match lists), filled for the records that exist."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

from marketplace.core.module import Command, CommandContext, open_runtime
from marketplace.core.progress import per_kind
from marketplace.matching import embeddings
from marketplace.matching.embedder import embed_all
from marketplace.matching.refresher import store_all
from marketplace.matching.termer import weigh_all
from marketplace.searching.runtime import backend_of


def matching_embed(args: argparse.Namespace, context: CommandContext) -> int:
    if not embeddings.configure(context.settings.embeddings, context.settings.env):
        context.console.print(
            "[yellow]Embeddings are off[/yellow] (MARKETPLACE_EMBEDDINGS="
            f"{context.settings.embeddings}; installed: {'yes' if embeddings.installed() else 'no'})."
        )
        return 1
    with per_kind(context.console, "embedding", "{task.fields[new]} embedded") as advance:

        async def work() -> int:
            async with open_runtime(context.settings, context.modules) as runtime:
                return await embed_all(
                    runtime.sessions, runtime.modules.search_kinds, lambda: datetime.now(UTC),
                    lambda kind, done, total, new: advance(kind, done, total, new=new),
                    backend_of(runtime),
                )  # fmt: skip

        embedded = asyncio.run(work())
    context.console.print(f"[green]Vectors up to date:[/green] {embedded} record(s) embedded "
                          f"with {embeddings.MODEL}.")  # fmt: skip
    return 0


def matching_terms(args: argparse.Namespace, context: CommandContext) -> int:
    with per_kind(context.console, "weighing", "{task.fields[new]} written") as advance:

        async def work() -> int:
            async with open_runtime(context.settings, context.modules) as runtime:
                return await weigh_all(
                    runtime.sessions, lambda: datetime.now(UTC),
                    lambda kind, done, total, new: advance(kind, done, total, new=new),
                )  # fmt: skip

        written = asyncio.run(work())
    context.console.print(f"[green]Weighted words up to date:[/green] {written} record(s) "
                          "weighed again.")  # fmt: skip
    return 0


def matching_store(args: argparse.Namespace, context: CommandContext) -> int:
    with per_kind(context.console, "working out", "{task.fields[new]} kept") as advance:

        async def work() -> int:
            async with open_runtime(context.settings, context.modules) as runtime:
                return await store_all(
                    runtime.sessions, backend_of(runtime), lambda: datetime.now(UTC),
                    lambda kind, done, total, kept: advance(kind, done, total, new=kept),
                )  # fmt: skip

        kept = asyncio.run(work())
    context.console.print(f"[green]Match lists up to date:[/green] {kept} list(s) kept.")
    return 0


COMMANDS = (
    Command("matching embed", "embed every published record whose vector is missing or stale "
            "(optional embeddings extra)", matching_embed),
    Command("matching terms", "weigh the words of every published listing and tender whose "
            "stored words are missing or stale (the event worker keeps them after)",
            matching_terms),
    Command("matching store", "work out again the match list of every published tender and "
            "listing (the event worker keeps them after)", matching_store),
)  # fmt: skip
