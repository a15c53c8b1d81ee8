"""Every table, imported in one place so Alembic and the schema check see all of them."""

# ruff: noqa: F401
from marketplace.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    OrganisationIdentifier,
    User,
)
from marketplace.core.models import EventDelivery, EventPause, EventRecord
from marketplace.db import Base
from marketplace.funding.models import (
    FunderProfile,
    FundingCall,
    FundingCallInstrument,
    FundingCallPartner,
    FundingCallStandard,
    FundingCallTheme,
    FundingInterest,
    ShortlistEntry,
)
from marketplace.listings.models import Listing, ListingStandard
from marketplace.matching.models import RecordVector
from marketplace.notifications.models import (
    CalendarToken,
    Follow,
    Notification,
    OutgoingMail,
    Preference,
    SavedSearch,
)
from marketplace.payments.models import (
    LedgerEntry,
    OrderBuyer,
    OrderMilestone,
    PackageMilestone,
    PaymentAccount,
    PilotOrder,
    PilotPackage,
    Reconciliation,
    StripeEvent,
)
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.standards.models import CityStandard, Standard
from marketplace.tenders.contract_models import (
    ContractAmendment,
    ContractMilestone,
    ContractTransaction,
    TenderContract,
)
from marketplace.tenders.models import (
    Amendment,
    AuditEntry,
    Document,
    Lot,
    LotDecision,
    OcdsRelease,
    Question,
    Tender,
    TenderBuyer,
    TenderNotice,
    TenderResponse,
)
