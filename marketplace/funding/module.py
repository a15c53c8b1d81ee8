"""Funding calls and funders' interests as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Module, NavItem
from marketplace.funding import api, events, home, pages, search
from marketplace.funding.demo import seed_funding

module = Module(
    name="funding",
    handlers=(*api.handlers, *pages.handlers),
    navigation=(
        NavItem("/funding-calls", "Funding calls", 40),
        NavItem("/funding/dashboard", "Funder dashboard", 45, frozenset({"funder"})),
        NavItem("/funding/workspace", "My funding calls", 46, frozenset({"city"})),
    ),
    profile_sections=(pages.profile_section,),
    home_sections=(home.home_section,),
    search_kinds=(search.SEARCH_KIND,),
    events=events.CATALOGUE,
    seeders=(seed_funding,),
    # The funders' "fits by words" asks the search backend.
    requires=("accounts", "standards", "searching"),
)
