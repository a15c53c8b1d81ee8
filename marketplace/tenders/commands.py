"""`marketplace tenders import FILE_OR_DIR...`: TED notices in, external tenders out.
`marketplace documents prune`: stored files no document references any more, and temporary
files of interrupted uploads, deleted."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from marketplace.core.module import Argument, Command, CommandContext
from marketplace.core.progress import per_kind
from marketplace.core.storage import StorageMisconfigured, storage_from
from marketplace.db import create_engine, session_maker
from marketplace.settings import Settings
from marketplace.tenders.imports import ImportReport, import_file
from marketplace.tenders.pruning import PruneReport, prune

STYLE = {"created": "green", "updated": "cyan", "unchanged": "dim", "refused": "red"}


def notice_files(targets: list[str]) -> list[Path]:
    """Files as given, and every `*.xml` below a directory given, in name order."""
    found: list[Path] = []
    for target in targets:
        path = Path(target)
        found.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return found


async def import_paths(
    settings: Settings, paths: list[Path], console: Console, *, show_unmapped: bool
) -> list[ImportReport]:
    """One transaction per file: a refused or failing file does not stop the others."""
    engine = create_engine(settings.database_url)
    reports: list[ImportReport] = []
    try:
        with Progress(
            TextColumn("Importing notices"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}"), console=console, transient=True,
        ) as progress:  # fmt: skip
            task = progress.add_task("", total=len(paths))
            for path in paths:
                progress.update(task, description=path.name)
                if not path.is_file():
                    report = ImportReport(
                        source=str(path), status="refused",
                        message="No such file; give notice XML files or folders holding them.",
                    )  # fmt: skip
                else:
                    async with session_maker(engine)() as session, session.begin():
                        data = path.read_bytes()
                        report = await import_file(
                            session, data, datetime.now(UTC), settings, source=str(path)
                        )
                reports.append(report)
                _print(progress.console, report, show_unmapped)
                progress.advance(task)
    finally:
        await engine.dispose()
    return reports


def _print(console: Console, report: ImportReport, show_unmapped: bool) -> None:
    style = STYLE[report.status]
    where = f" → /tenders/{report.tender_id}" if report.tender_id else ""
    console.print(f"[{style}]{report.status:>9}[/{style}] {report.source}{where}", markup=True)
    console.print(f"           {report.message}", markup=False, highlight=False)
    if report.unmapped:
        console.print(
            f"           {len(report.unmapped)} thing(s) the tender does not carry"
            + ("" if show_unmapped else " (--unmapped lists them)"),
            markup=False,
        )
        if show_unmapped:
            for line in report.unmapped:
                console.print(
                    f"             {line['path']}: {line['reason']}"
                    + (f" [{line['value']}]" if line.get("value") else ""),
                    markup=False, highlight=False,
                )  # fmt: skip


def tenders_import(args: argparse.Namespace, context: CommandContext) -> int:
    paths = notice_files(args.paths)
    if not paths:
        context.console.print("[red]No notice files found.[/red] Give XML files or folders.")
        return 2
    reports = asyncio.run(
        import_paths(context.settings, paths, context.console, show_unmapped=args.unmapped)
    )
    counts = Counter(r.status for r in reports)
    context.console.print(
        ", ".join(f"{counts[s]} {s}" for s in ("created", "updated", "unchanged", "refused"))
    )
    if args.report:
        Path(args.report).write_text(
            json.dumps([r.as_json() for r in reports], indent=2, ensure_ascii=False), "utf-8"
        )
    return 1 if counts["refused"] else 0


ARGUMENTS = (
    Argument(("paths",), {"nargs": "+", "metavar": "FILE_OR_DIR",
                          "help": "TED XML R2.0.9 or eForms notice files, or folders of them"}),
    Argument(("--unmapped",), {"action": "store_true",
                               "help": "list what each tender does not carry"}),
    Argument(("--report",), {"metavar": "FILE", "help": "also write the reports as JSON"}),
)  # fmt: skip


def documents_prune(args: argparse.Namespace, context: CommandContext) -> int:
    console = context.console
    if args.older_than < 0:
        console.print("[red]--older-than is a number of hours, 0 or more.[/red]")
        return 2
    try:
        storage = storage_from(context.settings)
    except StorageMisconfigured as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        return 2
    cutoff = datetime.now(UTC) - timedelta(hours=args.older_than)

    async def work() -> PruneReport:
        engine = create_engine(context.settings.database_url)
        try:
            with per_kind(console, "looking at") as advance:
                async with session_maker(engine)() as session:
                    return await prune(
                        session, storage, cutoff, dry_run=args.dry_run,
                        advance=lambda done, total: advance("stored files", done, total),
                    )  # fmt: skip
        finally:
            await engine.dispose()

    report = asyncio.run(work())
    verb = "would delete" if args.dry_run else "deleted"
    for blob in report.deleted:
        console.print(
            f"{verb} {blob.key}  {blob.size} bytes  modified {blob.modified_at:%Y-%m-%d %H:%M} UTC",
            markup=False, highlight=False,
        )  # fmt: skip
    for temporary in report.temporaries:
        console.print(
            f"{verb} temporary {temporary.name}  {temporary.size} bytes  "
            f"modified {temporary.modified_at:%Y-%m-%d %H:%M} UTC",
            markup=False, highlight=False,
        )  # fmt: skip
    dry = " (dry run: nothing deleted)" if args.dry_run else ""
    for summary in (
        f"{len(report.deleted)} unreferenced file(s), {report.deleted_bytes} bytes, {verb}; "
        f"kept {report.referenced} referenced and {report.recent} unreferenced newer than "
        f"{args.older_than:g} h",
        f"{len(report.temporaries)} temporary file(s) of interrupted uploads, "
        f"{report.temporaries_bytes} bytes, {verb}; kept {report.temporaries_recent} newer "
        f"than {args.older_than:g} h (perhaps still being written)",
    ):
        console.print(f"{storage.name} storage: {summary}{dry}", markup=False, highlight=False)
    return 0


PRUNE_ARGUMENTS = (
    Argument(("--older-than",), {"type": float, "default": 24.0, "metavar": "HOURS",
                                 "help": "only files (and temporary files of interrupted "
                                         "uploads) unmodified for this long (default 24): an "
                                         "upload in flight is never deleted"}),
    Argument(("--dry-run",), {"action": "store_true",
                              "help": "list what would be deleted, delete nothing"}),
)  # fmt: skip
COMMANDS = (
    Command("tenders import", "import TED notices (R2.0.9, eForms) as external tenders",
            tenders_import, ARGUMENTS),
    Command("documents prune", "delete stored files that no document or attachment references",
            documents_prune, PRUNE_ARGUMENTS),
)  # fmt: skip
GROUPS = {"tenders": "joint tenders", "documents": "stored documents and attachments"}
