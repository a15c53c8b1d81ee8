"""Accounts, organisations and memberships as a module of the app."""

from __future__ import annotations

import argparse
import asyncio

from marketplace.accounts import api, events, home, pages
from marketplace.accounts.demo import seed_organisations
from marketplace.accounts.services import set_admin
from marketplace.core.module import Argument, Command, CommandContext, Module, in_transaction
from marketplace.errors import DomainError


def admin_create(args: argparse.Namespace, context: CommandContext) -> int:
    try:
        asyncio.run(in_transaction(context.settings, lambda s: set_admin(s, args.email)))
    except DomainError as error:
        context.console.print(f"[red]{error.detail}[/red]")
        return 1
    context.console.print(f"{args.email} is now a platform admin.")
    return 0


module = Module(
    name="accounts",
    handlers=(*api.handlers, *pages.handlers),
    events=events.CATALOGUE,
    home_sections=(home.home_section,),
    seeders=(seed_organisations,),
    commands=(
        Command(
            "admin create",
            "make an existing account a platform admin",
            admin_create,
            (Argument(("email",)),),
        ),
    ),
    command_groups={"admin": "platform admins"},
)
