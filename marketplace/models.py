"""Every table, imported in one place so Alembic and the schema check see all of them."""

from marketplace.accounts.models import ApiToken, Membership, Organisation, User
from marketplace.db import Base
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.searching.models import SearchOutbox
from marketplace.standards.models import Standard

__all__ = [
    "ApiToken", "Base", "CpvCode", "Membership", "NutsRegion", "Organisation", "SearchOutbox", "Standard",
    "Theme", "User",
]  # fmt: skip
