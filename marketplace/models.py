"""Every table, imported in one place so Alembic and the schema check see all of them."""

from marketplace.accounts.models import ApiToken, Membership, Organisation, User
from marketplace.db import Base
from marketplace.listings.models import Listing, ListingStandard
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.standards.models import CityStandard, Standard

__all__ = [
    "ApiToken",
    "Base",
    "CityStandard",
    "CpvCode",
    "Listing",
    "ListingStandard",
    "Membership",
    "NutsRegion",
    "Organisation",
    "Standard",
    "Theme",
    "User",
]  # fmt: skip
