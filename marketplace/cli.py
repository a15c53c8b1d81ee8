"""`marketplace`: serve, migrate, load reference data, create admins, seed demo data."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from marketplace.settings import Settings, get_settings

console = Console(stderr=True)
Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        COMMANDS[name] = func
        return func

    return register


def alembic_config(settings: Settings) -> Any:
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", settings.database_url)
    return config


def upgrade_database(settings: Settings) -> None:
    """Apply every migration, then make sure the reference data is loaded."""
    from alembic import command as alembic

    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    alembic.upgrade(alembic_config(settings), "head")
    asyncio.run(_load_reference(settings))


async def _load_reference(settings: Settings) -> None:
    from marketplace.reference.services import load_reference_data

    await in_transaction(
        settings,
        lambda session: load_reference_data(
            session, lambda name, n: console.print(f"  reference {name}: {n} rows loaded")
        ),
    )


async def in_transaction(settings: Settings, work: Callable[[Any], Awaitable[Any]]) -> Any:
    from marketplace.db import create_engine, session_maker

    engine = create_engine(settings.database_url)
    try:
        async with session_maker(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    console.print(f"Serving ICC Marketplace on http://{settings.host}:{settings.port}")
    uvicorn.run(
        "marketplace.app:create_app", factory=True, host=settings.host, port=settings.port,
        log_level="info",
    )  # fmt: skip
    return 0


@command("db upgrade")
def db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    console.print("Applying migrations…")
    upgrade_database(settings)
    console.print("[green]Database is up to date.[/green]")
    return 0


@command("reference load")
def reference_load(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(_load_reference(settings))
    return 0


@command("admin create")
def admin_create(args: argparse.Namespace, settings: Settings) -> int:
    from marketplace.accounts.services import set_admin
    from marketplace.errors import DomainError

    try:
        asyncio.run(in_transaction(settings, lambda s: set_admin(s, args.email)))
    except DomainError as error:
        console.print(f"[red]{error.detail}[/red]")
        return 1
    console.print(f"{args.email} is now a platform admin.")
    return 0


@command("demo seed")
def demo_seed(args: argparse.Namespace, settings: Settings) -> int:
    from marketplace.demo import seed

    return asyncio.run(seed(settings, if_empty=args.if_empty, console=console))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marketplace", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    groups.add_parser("serve", help="serve the web app")
    db = groups.add_parser("db", help="database").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="apply migrations and load reference data")
    ref = groups.add_parser("reference", help="reference data").add_subparsers(
        dest="action", required=True
    )
    ref.add_parser("load", help="load CPV, NUTS, themes and standards (idempotent)")
    admin = groups.add_parser("admin", help="platform admins").add_subparsers(
        dest="action", required=True
    )
    create = admin.add_parser("create", help="make an existing account a platform admin")
    create.add_argument("email")
    demo = groups.add_parser("demo", help="demo data").add_subparsers(dest="action", required=True)
    seed = demo.add_parser("seed", help="create a believable network of cities, SMEs and funders")
    seed.add_argument("--if-empty", action="store_true", help="only when no organisation exists")
    for extend in EXTENSIONS:
        extend(groups)
    return parser


# Other packages add their sub-commands here (e.g. `search reindex`).
EXTENSIONS: list[Callable[[Any], None]] = []


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    name = args.group + (f" {args.action}" if getattr(args, "action", None) else "")
    try:
        settings = get_settings()
    except ValueError as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        return 2
    return COMMANDS[name](args, settings)


# Packages with sub-commands register them on import (after EXTENSIONS exists).
import marketplace.searching.cli  # noqa: E402, F401

if __name__ == "__main__":
    sys.exit(main())
