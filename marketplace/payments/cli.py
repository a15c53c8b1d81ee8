"""`marketplace payments reconcile`: the ledger against Stripe, with progress."""

from __future__ import annotations

import argparse
import asyncio

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from marketplace.core.module import CommandContext, open_runtime
from marketplace.payments import reconcile as reconciling
from marketplace.payments.models import Reconciliation
from marketplace.payments.services import Payments


def reconcile(args: argparse.Namespace, context: CommandContext) -> int:
    """Exit 0 when everything matches, 1 when there are differences."""
    console = context.console

    async def work() -> Reconciliation:
        async with open_runtime(context.settings, context.modules) as runtime:
            payments: Payments = runtime.service("payments")
            if payments.gateway is None:
                console.print(
                    "[yellow]Payments are offline[/yellow] (no "
                    "MARKETPLACE_STRIPE_SECRET_KEY): checking the ledger only."
                )
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task("Reading the ledger…")

                def tick(what: str, n: int) -> None:
                    progress.update(task, description=f"{what}: {n} read")

                return await reconciling.run(
                    runtime.sessions, payments.gateway, runtime.clock.now(), tick
                )

    row = asyncio.run(work())
    if args.json:
        print(reconciling.out(row).model_dump_json(indent=2))
        return 1 if row.differences else 0
    console.print(
        f"Checked {row.checked} ledger postings against {row.stripe_transactions} Stripe "
        f"balance transactions ({row.mode})."
    )
    if not row.differences:
        console.print("[green]Everything matches.[/green]")
        return 0
    table = Table("kind", "reference", "order", "ledger", "Stripe", "detail")
    for d in row.differences:
        table.add_row(
            d["kind"],
            d["reference"],
            d["order_id"] or "",
            d["ledger"] or "",
            d["stripe"] or "",
            d["detail"],
        )
    console.print(table)
    console.print(f"[red]{len(row.differences)} difference(s).[/red]")
    return 1
