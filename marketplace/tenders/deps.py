"""What the tender handlers are given by other modules, for the API and the pages alike (so
the pages need not import the API)."""

from __future__ import annotations

from litestar.di import NamedDependency

from marketplace.tenders.reads import ListingOwners

# Provided by the listings module (`listings.services.published_listing_owner`).
PublishedListingOwner = NamedDependency[ListingOwners]
