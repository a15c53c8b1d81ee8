"""Joint tenders as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Module, NavItem
from marketplace.tenders import (
    api,
    commands,
    contract_pages,
    contracts_api,
    documents_api,
    documents_pages,
    events,
    home,
    import_web,
    pages,
    search,
)
from marketplace.tenders.demo import seed_tenders

module = Module(
    name="tenders",
    handlers=(
        *api.handlers,
        *documents_api.handlers,
        *contracts_api.handlers,
        *import_web.handlers,
        *pages.handlers,
        *documents_pages.handlers,
        *contract_pages.handlers,
    ),
    navigation=(
        NavItem("/tenders", "Tenders", 20),
        NavItem("/my/responses", "My responses", 62, frozenset({"sme"})),
    ),
    home_sections=(home.home_section,),
    search_kinds=(search.SEARCH_KIND,),
    events=events.CATALOGUE,
    seeders=(seed_tenders,),
    # A response's offered listing is checked through the listings' `published_listing_owner`.
    requires=("accounts", "standards", "listings"),
    commands=commands.COMMANDS,
    command_groups=commands.GROUPS,
)
