"""Matching tenders and listings as a module of the app."""

from __future__ import annotations

from typing import Any

from marketplace.core.module import Module, Runtime
from marketplace.matching import api, cli, embeddings, pages
from marketplace.matching.embedder import embedder
from marketplace.matching.refresher import refresher
from marketplace.matching.termer import termer
from marketplace.searching.worker import VECTORS


def _vectors(runtime: Runtime) -> Any:
    """The stored embeddings, for the search documents of a backend that searches by meaning."""
    return embeddings.stored_vectors


module = Module(
    name="matching",
    handlers=(*api.handlers, *pages.handlers),
    requires=("listings", "tenders", "searching"),
    subscribers=(embedder, termer, refresher),
    services={VECTORS: _vectors},
    commands=cli.COMMANDS,
    command_groups={"matching": "matching of tenders and listings"},
)
