"""SME solution listings as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Module, NavItem
from marketplace.listings import api, events, home, pages, search, services
from marketplace.listings.demo import seed_listings

module = Module(
    name="listings",
    handlers=(*api.handlers, *pages.handlers),
    navigation=(
        NavItem("/listings", "Solutions", 30),
        NavItem("/listings/mine", "My listings", 60, frozenset({"sme"})),
    ),
    home_sections=(home.home_section,),
    profile_sections=(pages.solutions_section,),
    search_kinds=(search.SEARCH_KIND,),
    events=events.CATALOGUE,
    seeders=(seed_listings,),
    # The standards page lists the published listings claiming each standard.
    services={
        "standard_claimants": lambda runtime: services.standard_claimants,
        # A tender response offers one of the SME's own published listings.
        "published_listing_owner": lambda runtime: services.published_listing_owner,
    },
    requires=("accounts", "standards"),
)
