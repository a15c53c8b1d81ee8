"""Matching tenders and listings as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Module
from marketplace.matching import api, cli, pages
from marketplace.matching.embedder import embedder
from marketplace.matching.termer import termer

module = Module(
    name="matching",
    handlers=(*api.handlers, *pages.handlers),
    requires=("listings", "tenders", "searching"),
    subscribers=(embedder, termer),
    commands=cli.COMMANDS,
    command_groups={"matching": "matching of tenders and listings"},
)
