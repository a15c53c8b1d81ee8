"""Running a `marketplace` command in a test as the command line runs it (its own event
loop), with what it printed."""

from __future__ import annotations

import io

from rich.console import Console

from marketplace.cli import build_parser
from marketplace.core.module import CommandContext, Modules
from marketplace.modules import ALL
from marketplace.settings import Settings


def run_command(settings: Settings, name: str, *argv: str) -> tuple[int, str]:
    """`marketplace NAME ARGV` (NAME as "documents prune"): its exit code and output."""
    modules = Modules(ALL)
    parser, commands = build_parser(modules)
    args = parser.parse_args([*name.split(), *argv])
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False)
    code = commands[name].run(args, CommandContext(settings, modules, console))
    return code, out.getvalue()
