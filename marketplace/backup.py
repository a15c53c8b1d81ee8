"""`marketplace backup PATH` and `marketplace restore PATH`: a consistent copy of a live
database, and bringing one back.

SQLite (the embedded default): SQLite's online backup API, page by page, from a connection
that holds one read transaction for the whole copy. In WAL mode a reader blocks nobody, so
the servers and workers keep writing while the copy is made, and the copy is the database
exactly as it was when the backup began (a stepped backup without that read transaction
would restart each time another connection writes, and under steady writes never end). The
copy is written next to PATH, checked with `PRAGMA integrity_check`, and only then renamed
to PATH: a PATH that exists is always a whole, valid backup. The search index is not in
it (tantivy keeps its files under `MARKETPLACE_SEARCH_INDEX_DIR`): it is derived data, and
`marketplace search reindex` rebuilds it from the restored records.

Restore copies the backup into the live database through the same API: running processes
see the restored state at their next transaction (no file is swapped under them, which
would tear the WAL). It replaces everything, so it asks for `--yes`.

PostgreSQL: use PostgreSQL's own tools, which are made for it (`pg_dump --format=custom`,
`pg_restore --clean`); the commands print the exact invocation.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from marketplace.core.module import Argument, Command, CommandContext
from marketplace.settings import Settings

PAGES_PER_STEP = 1024  # 4 MiB at SQLite's default page size: progress without slowing it
Report = Callable[[int, int], None]  # (pages copied, pages in all)


class BackupError(Exception):
    """What went wrong, said so that an operator knows what to do."""


def sqlite_path(settings: Settings) -> Path:
    database = settings.database_url.split(":///", 1)[1] if ":///" in settings.database_url else ""
    if not database or database == ":memory:" or "mode=memory" in database:
        raise BackupError("the database is in memory: there is no file to back up")
    return Path(database.split("?", 1)[0])


def _check(conn: sqlite3.Connection, what: str) -> None:
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is not a SQLite database: {error}") from None
    if verdict != [("ok",)]:
        problems = "; ".join(str(row[0]) for row in verdict[:5])
        raise BackupError(f"{what} failed the integrity check: {problems}")


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, report: Report) -> None:
    def progress(_status: int, remaining: int, total: int) -> None:
        report(total - remaining, total)

    source.backup(target, pages=PAGES_PER_STEP, progress=progress)


def backup_sqlite(database: Path, target: Path, report: Report, *, overwrite: bool = False) -> int:
    """Copy `database` to `target` while it is in use; returns the copy's size in bytes."""
    if not database.exists():
        raise BackupError(f"no database at {database} (run `marketplace db upgrade` first?)")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose a new name or pass --overwrite")
    if not target.parent.is_dir():
        raise BackupError(f"the directory {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    try:
        source.execute("PRAGMA busy_timeout=10000")
        # One read transaction for the whole copy: a single, consistent snapshot.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            _copy(source, copy, report)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _check(copy, "the copy")
        finally:
            copy.close()
        source.execute("COMMIT")
        partial.replace(target)
    except sqlite3.Error as error:
        raise BackupError(f"the backup failed: {error}") from None
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def restore_sqlite(backup: Path, database: Path, report: Report) -> str | None:
    """Replace the contents of `database` with `backup`'s; returns the backup's migration
    revision."""
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True, isolation_level=None)
    try:
        _check(source, str(backup))
        revision = _revision(source)
        if revision is None:
            raise BackupError(f"{backup} is not a backup of this service (no migration version)")
        database.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database, isolation_level=None, timeout=30)
        try:
            target.execute("PRAGMA busy_timeout=30000")
            _copy(source, target, report)
            _check(target, "the restored database")
        finally:
            target.close()
    except sqlite3.OperationalError as error:
        raise BackupError(f"the restore failed: {error}") from None
    finally:
        source.close()
    return revision


def pg_dsn(settings: Settings) -> str:
    """The libpq form of the URL, without the password (pg_dump takes it from PGPASSWORD
    or ~/.pgpass)."""
    parts = urlsplit(settings.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return f"postgresql://{netloc}{parts.path}"


def _progress(console: Console, label: str) -> tuple[Progress, Report]:
    bar = Progress(
        TextColumn(label), BarColumn(), TextColumn("{task.percentage:>3.0f}% of {task.total} pages"),
        TimeElapsedColumn(), console=console, transient=False,
    )  # fmt: skip
    task = bar.add_task(label, total=None)

    def report(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, report


# --- commands ------------------------------------------------------------------------------


def backup(args: argparse.Namespace, context: CommandContext) -> int:
    settings, console = context.settings, context.console
    target = Path(args.path).expanduser().resolve()
    if not settings.is_sqlite:
        console.print(
            "PostgreSQL is backed up with its own tools, online and consistent:\n"
            f"  pg_dump --format=custom --file {target} '{pg_dsn(settings)}'\n"
            "and restored with:\n"
            f"  pg_restore --clean --if-exists --no-owner --dbname '{pg_dsn(settings)}' {target}",
            markup=False,
        )
        return 2
    try:
        database = sqlite_path(settings)
        bar, report = _progress(console, f"Backing up {database.name}")
        started = time.monotonic()
        with bar:
            size = backup_sqlite(database, target, report, overwrite=args.overwrite)
    except BackupError as error:
        console.print(f"[red]Backup failed:[/red] {error}")
        return 1
    console.print(
        f"[green]Backed up[/green] {database} to {target} "
        f"({size / 1024 / 1024:.1f} MiB, {time.monotonic() - started:.1f} s, integrity ok)."
    )
    return 0


def restore(args: argparse.Namespace, context: CommandContext) -> int:
    settings, console = context.settings, context.console
    source = Path(args.path).expanduser().resolve()
    if not settings.is_sqlite:
        console.print(
            "Restore PostgreSQL with its own tools:\n"
            f"  pg_restore --clean --if-exists --no-owner --dbname '{pg_dsn(settings)}' {source}",
            markup=False,
        )
        return 2
    try:
        database = sqlite_path(settings)
    except BackupError as error:
        console.print(f"[red]Restore failed:[/red] {error}")
        return 1
    if not args.yes:
        console.print(
            f"This replaces everything in {database} with the contents of {source}. "
            "Run again with --yes to do it."
        )
        return 2
    try:
        bar, report = _progress(console, f"Restoring {source.name}")
        with bar:
            revision = restore_sqlite(source, database, report)
    except BackupError as error:
        console.print(f"[red]Restore failed:[/red] {error}")
        return 1
    console.print(
        f"[green]Restored[/green] {source} into {database} (schema revision {revision}). "
        "Now run `marketplace search reindex` (the search index is rebuilt from the restored "
        "records), and `marketplace db upgrade` first if this release is newer than the backup."
    )
    return 0


COMMANDS = (
    Command(
        "backup",
        "a consistent copy of the live database (SQLite; prints pg_dump's use on PostgreSQL)",
        backup,
        (
            Argument(("path",), {"help": "the file to write (must not exist)"}),
            Argument(("--overwrite",), {"action": "store_true", "help": "replace PATH"}),
        ),
    ),
    Command(
        "restore",
        "replace the database's contents with a backup's",
        restore,
        (
            Argument(("path",), {"help": "a file made by `marketplace backup`"}),
            Argument(("--yes",), {"action": "store_true", "help": "really replace everything"}),
        ),
    ),
)
