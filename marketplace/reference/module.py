"""Reference vocabularies (CPV, NUTS, themes) as a module of the app."""

from __future__ import annotations

import argparse
import asyncio

from marketplace.core.module import Command, CommandContext, Module
from marketplace.reference import api, pages
from marketplace.reference.services import load_reference


def reference_load(args: argparse.Namespace, context: CommandContext) -> int:
    asyncio.run(load_reference(context.settings, context.console, context.modules.reference_data))
    return 0


module = Module(
    name="reference",
    handlers=(*api.handlers, *pages.handlers),
    commands=(
        Command(
            "reference load", "load CPV, NUTS, themes and standards (idempotent)", reference_load
        ),
    ),
    command_groups={"reference": "reference data"},
)
