"""Search as a module of the app: the backend (a service other modules use), the subscriber
that keeps the index true, the search API and page, `marketplace search ...`."""

from __future__ import annotations

from marketplace.core.module import Module, NavItem
from marketplace.searching import api, cli, events, pages, runtime

module = Module(
    name="searching",
    handlers=(*api.handlers, *pages.handlers),
    navigation=(NavItem("/search", "Search", 10),),
    events=events.CATALOGUE,
    subscribers=(runtime.indexer,),
    commands=cli.COMMANDS,
    command_groups={"search": "search index"},
    services={runtime.SERVICE: runtime.provide_backend},
    health={"search": runtime.search_health},
    on_startup=(runtime.start_search,),
    on_shutdown=(runtime.stop_search,),
)
