"""Every table, imported in one place so Alembic and the schema check see all of them."""

from marketplace.accounts.models import ApiToken, Membership, Organisation, User
from marketplace.db import Base
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.standards.models import Standard
from marketplace.tenders.models import (
    Amendment,
    AuditEntry,
    Lot,
    LotDecision,
    OcdsRelease,
    Question,
    Tender,
    TenderBuyer,
    TenderResponse,
)  # fmt: skip

__all__ = [
    "Amendment",
    "ApiToken",
    "AuditEntry",
    "Base",
    "CpvCode",
    "Lot",
    "LotDecision",
    "Membership",
    "NutsRegion",
    "OcdsRelease",
    "Organisation",
    "Question",
    "Standard",
    "Tender",
    "TenderBuyer",
    "TenderResponse",
    "Theme",
    "User",
]  # fmt: skip
