"""`marketplace`: the command tree is built from the modules it is given (their `commands`),
plus what only the whole app can do: serve it, migrate its database, seed its demo data."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from marketplace import backup
from marketplace.accounts import passwords
from marketplace.core.module import Argument, Command, CommandContext, Module, Modules
from marketplace.settings import Settings, get_settings

console = Console(stderr=True)


def alembic_config(settings: Settings) -> Any:
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", settings.database_url)
    return config


def upgrade_database(settings: Settings, modules: Modules | None = None) -> None:
    """Apply every migration, then make sure the reference data is loaded (with what the
    modules add to it: the standards catalogue)."""
    from alembic import command as alembic

    from marketplace.modules import ALL
    from marketplace.reference.services import load_reference

    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    alembic.upgrade(alembic_config(settings), "head")
    also = (modules or Modules(ALL)).reference_data
    asyncio.run(load_reference(settings, console, also))


def serve(args: argparse.Namespace, context: CommandContext) -> int:
    """`MARKETPLACE_WEB_WORKERS` uvicorn processes on one port. Each has its own connection
    pool and in-process event worker (the outbox's claims keep them from doing the same work
    twice). On SQLite they share the one database file: reads run in parallel in every
    process, writes still happen one at a time across all of them (each waits its turn up to
    the busy timeout), so more workers help a read-heavy load and not a write-heavy one."""
    import uvicorn

    settings = context.settings
    workers = settings.web_workers
    console.print(
        f"Serving ICC Marketplace on http://{settings.host}:{settings.port} "
        f"({workers} worker{'s' if workers > 1 else ''})"
    )
    # Uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app decides
    # instead, from MARKETPLACE_TRUSTED_PROXIES only (marketplace.web.edge).
    uvicorn.run(
        "marketplace.app:create_app", factory=True, host=settings.host, port=settings.port,
        workers=workers, log_level="info", proxy_headers=False,
    )  # fmt: skip
    return 0


def db_upgrade(args: argparse.Namespace, context: CommandContext) -> int:
    console.print("Applying migrations…")
    upgrade_database(context.settings, context.modules)
    console.print("[green]Database is up to date.[/green]")
    return 0


def demo_seed(args: argparse.Namespace, context: CommandContext) -> int:
    from marketplace.demo import seed

    return asyncio.run(
        seed(context.settings, context.modules, if_empty=args.if_empty, console=console)
    )


APP_COMMANDS = (
    *backup.COMMANDS,
    Command("serve", "serve the web app", serve),
    Command("db upgrade", "apply migrations and load reference data", db_upgrade),
    Command("demo seed", "create a believable network of cities, SMEs and funders", demo_seed,
            (Argument(("--if-empty",), {"action": "store_true",
                                         "help": "only when no organisation exists"}),)),
)  # fmt: skip
APP_GROUPS = {"db": "database", "demo": "demo data"}


def build_parser(modules: Modules) -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    parser = argparse.ArgumentParser(prog="marketplace", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    commands = {c.name: c for c in (*APP_COMMANDS, *modules.commands)}
    helps = {**APP_GROUPS, **modules.command_groups}
    actions: dict[str, Any] = {}
    for name, command in commands.items():
        group, _, action = name.partition(" ")
        if not action:
            target = groups.add_parser(group, help=command.help)
        else:
            if group not in actions:
                actions[group] = groups.add_parser(group, help=helps.get(group)).add_subparsers(
                    dest="action", required=True
                )
            target = actions[group].add_parser(action, help=command.help)
        for argument in command.arguments:
            target.add_argument(*argument.flags, **dict(argument.options))
    return parser, commands


def main(argv: list[str] | None = None, modules: Sequence[Module] | None = None) -> int:
    if modules is None:
        from marketplace.modules import ALL

        modules = ALL
    assembly = Modules(modules)
    parser, commands = build_parser(assembly)
    args = parser.parse_args(argv)
    name = args.group + (f" {args.action}" if getattr(args, "action", None) else "")
    try:
        settings = get_settings()
    except ValueError as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        return 2
    passwords.configure(settings.password_hash_profile)
    return commands[name].run(args, CommandContext(settings, assembly, console))


if __name__ == "__main__":
    sys.exit(main())
