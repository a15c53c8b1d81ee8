"""What a published procurement notice says, as one neutral, typed, frozen value.

TED XML R2.0.9 (the TED schema until 2023) and eForms (the TED format since) say much the
same things in very different shapes. The parsers in this package turn either into a
`Notice`, so that whatever builds on notices (the import of external tenders, search,
matching) reads one model and never an XML dialect. The value is deliberately close to the
notices and not to our tender tables: it keeps what the notice gives as given (codes, the
NUTS version it used, free-text weights) beside what we mapped it to, so that an importer can
decide, and a reviewer can check the mapping against the XML.

Everything a parser could not place in this value is listed in `Notice.unmapped`: nothing a
notice says is dropped without a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class NoticeFormat(StrEnum):
    """The XML dialect a notice was read from."""

    TED_R209 = "ted-r2.0.9"
    EFORMS = "eforms"


class NoticeKind(StrEnum):
    """What the notice is for, as eForms' form types (BT-03) name it; R2.0.9 forms map here."""

    PLANNING = "planning"  # prior information notices
    COMPETITION = "competition"  # contract notices, qualification systems, design contests
    RESULT = "result"  # contract award notices, design contest results
    DIRECT_AWARD_PRENOTIFICATION = "dir-awa-pre"  # voluntary ex-ante transparency
    CONTRACT_MODIFICATION = "cont-modif"  # modification of a contract during its term
    CHANGE = "change"  # corrigendum: changes another notice
    COMPLETION = "completion"
    CONSULTATION = "consultation"


class ProcedureType(StrEnum):
    """The procedures of Directives 2014/24/EU and 2014/25/EU (and the PSO regulation's)."""

    OPEN = "open"
    RESTRICTED = "restricted"
    COMPETITIVE_WITH_NEGOTIATION = "competitive_with_negotiation"
    COMPETITIVE_DIALOGUE = "competitive_dialogue"
    INNOVATION_PARTNERSHIP = "innovation_partnership"
    NEGOTIATED_WITHOUT_PUBLICATION = "negotiated_without_publication"
    OTHER_SINGLE_STAGE = "other_single_stage"
    OTHER_MULTIPLE_STAGE = "other_multiple_stage"
    # Regulation (EC) No 1370/2007, public passenger transport
    COMPETITIVE_TENDERING = "competitive_tendering"
    RAIL_EXPRESSION_OF_INTEREST = "rail_expression_of_interest"


class BuyerType(StrEnum):
    """The kind of public buyer, as far as the notice tells it.

    `REGIONAL_OR_LOCAL_AUTHORITY` exists because TED R2.0.9 has a single code for "regional
    or local authority": a city and a region cannot be told apart from such a notice.
    """

    CITY = "city"
    REGION = "region"
    REGIONAL_OR_LOCAL_AUTHORITY = "regional_or_local_authority"
    CENTRAL_PURCHASING_BODY = "central_purchasing_body"
    PUBLIC_COMPANY = "public_company"
    CENTRAL_GOVERNMENT = "central_government"
    EU_INSTITUTION = "eu_institution"
    OTHER_PUBLIC_BODY = "other_public_body"


class CriterionKind(StrEnum):
    PRICE = "price"
    COST = "cost"
    QUALITY = "quality"


class LotSubmission(StrEnum):
    """How many lots one tenderer may bid for."""

    ALL_LOTS_ALLOWED = "all_lots_allowed"
    MAX_LOTS = "max_lots"
    ONE_LOT_ONLY = "one_lot_only"
    ALL_LOTS_REQUIRED = "all_lots_required"


class ResultStatus(StrEnum):
    """The outcome of one lot in a result notice."""

    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"  # closed without a winner (no tenders, all rejected, discontinued)
    OPEN = "open"  # the notice says the competition for this lot is still going on


@dataclass(frozen=True, slots=True, kw_only=True)
class Unmapped:
    """One thing a notice says that the neutral value does not carry, or carries unmapped.

    `path` locates it in the XML (namespace prefixes as eForms writes them, `[n]` when an
    element repeats), `value` is its text or attribute as given, `reason` says why.
    """

    path: str
    value: str | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217


@dataclass(frozen=True, slots=True, kw_only=True)
class Cpv:
    """A CPV code as the notice gives it, and canonically (with its check digit) when known."""

    given: str
    code: str | None  # "45233000-9"; None when not a CPV 2008 code (reported as unmapped)
    supplementary: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Nuts:
    """A NUTS code as the notice gives it (2016 in R2.0.9, 2021 or 2024 in eForms), in 2024.

    `exact` is False when the 2024 code only approximates the given one (the region's
    boundaries moved, or the code was unknown and its parent region was taken).
    `nuts_2024` is None when there is no 2024 region (the United Kingdom left NUTS).
    """

    given: str
    nuts_2024: str | None
    exact: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A place of performance."""

    nuts: Nuts | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    description: str | None = None  # R2.0.9 MAIN_SITE, eForms street/town/BT-728
    anywhere: str | None = None  # eForms BT-727: "anyw", "anyw-eea", "anyw-cou"


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    street: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    region: Nuts | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 (TED's `UK` is `GB`, `EL` is `GR`)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPoint:
    name: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifier:
    """A legal identifier with its org-id.guide scheme (`GB-COH`, `NL-KVK`, `EU-VAT`, ...).

    `scheme` is None when neither the notice nor the identifier's shape tells the register.
    """

    id: str
    scheme: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Organisation:
    """A party named in the notice: a buyer, a winner, a service provider."""

    ref: str  # the notice's own reference: eForms ORG-0001; R2.0.9 its position
    name: str
    identifiers: tuple[Identifier, ...] = ()
    address: Address = field(default_factory=Address)
    contact: ContactPoint = field(default_factory=ContactPoint)
    website: str | None = None
    sme: bool | None = None  # winners: R2.0.9 SME/NO_SME, eForms BT-165 (micro/small/medium)


@dataclass(frozen=True, slots=True, kw_only=True)
class Buyer(Organisation):
    """A buyer of the procedure; in a joint procurement one of them leads."""

    buyer_type: BuyerType | None = None
    legal_type: str | None = None  # the code as given: R2.0.9 CA_TYPE, eForms BT-11
    lead: bool = False
    central_purchasing_body: bool = False
    contracting_entity: bool = False  # a utility (Directive 2014/25/EU)
    activity: str | None = None  # main activity code as given
    profile_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    amount: Decimal
    unit: str  # "day", "week", "month", "year"


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """How long a contract or framework runs: a duration, dates, or "indefinite"."""

    duration: Duration | None = None
    start: date | None = None
    end: date | None = None
    indefinite: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AwardCriterion:
    """One award criterion. Neither format nests criteria: eForms lists each as a
    `SubordinateAwardingCriterion`, R2.0.9 each as an `AC_QUALITY`/`AC_COST`/`AC_PRICE`;
    `kind` groups them. Weights are free text in R2.0.9 ("10.08 %", "EDMA"): `weight` holds
    the number when there is one, `weight_given` the text as written."""

    kind: CriterionKind | None
    name: str | None = None  # any length
    description: str | None = None
    weight: Decimal | None = None
    weight_given: str | None = None
    weight_type: str | None = None  # eForms BT-5421: "per-exa", "poi-exa", "ord-imp", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameworkAgreement:
    reopening: str | None = None  # eForms "fa-wo-rc"/"fa-w-rc"/"fa-mix"; None when not said
    several_operators: bool | None = None  # R2.0.9 SEVERAL_OPERATORS / SINGLE_OPERATOR
    max_participants: int | None = None
    duration_justification: str | None = None
    max_value: Money | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DynamicPurchasingSystem:
    usage: str | None = None  # eForms "dps-list"/"dps-nlist"; None when not said
    additional_purchasers: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectronicAuction:
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Lot:
    """One lot. A procedure without lots has exactly one.

    Where R2.0.9 states something once for the whole procedure that eForms states per lot
    (deadlines, documents URL, framework, DPS, e-auction), the R2.0.9 value is given to every
    lot, because that is what it means; the notice-level fields say it once.
    """

    id: str  # eForms LOT-0001; R2.0.9 LOT_NO, or the item number without lot division
    title: str | None = None
    description: str | None = None
    internal_id: str | None = None
    main_cpv: Cpv | None = None
    additional_cpv: tuple[Cpv, ...] = ()
    places: tuple[Place, ...] = ()
    award_criteria: tuple[AwardCriterion, ...] = ()
    criteria_in_documents: bool = False  # "criteria as stated in the procurement documents"
    estimated_value: Money | None = None
    period: Period | None = None
    has_options: bool | None = None
    options: str | None = None
    renewable: bool | None = None
    max_renewals: int | None = None
    renewals: str | None = None
    framework: FrameworkAgreement | None = None
    dps: DynamicPurchasingSystem | None = None
    eauction: ElectronicAuction | None = None
    submission_deadline: datetime | None = None
    participation_deadline: datetime | None = None
    questions_deadline: datetime | None = None
    documents_url: str | None = None
    submission_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LotGroup:
    id: str
    lot_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LotRules:
    """Bidding rules across lots."""

    submission: LotSubmission | None = None
    max_lots_per_tenderer: int | None = None
    max_lots_awarded: int | None = None
    combination: str | None = None  # R2.0.9 LOT_COMBINING_CONTRACT_RIGHT
    groups: tuple[LotGroup, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Procedure:
    type: ProcedureType | None = None
    given: str | None = None  # the code or element as given: "PT_OPEN", "neg-w-call"
    accelerated: bool = False
    justification: str | None = None  # accelerated or direct-award justification, as given
    grounds: tuple[str, ...] = ()  # direct-award grounds: R2.0.9 D_* elements, eForms BT-136
    features: str | None = None  # main features of the procedure (free text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract:
    """One contract of a result notice (or one prize of a design contest)."""

    id: str | None = None  # contract number as given
    title: str | None = None
    awarded: date | None = None  # the award decision (or a design contest's jury decision)
    signed: date | None = None  # the contract's conclusion
    value: Money | None = None
    winners: tuple[Organisation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LotResult:
    lot_id: str
    status: ResultStatus
    reason: str | None = None  # why not awarded, as given (code or R2.0.9 element)
    tenders_received: int | None = None
    contracts: tuple[Contract, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """What a change (corrigendum) or contract-modification notice says it changes."""

    changed_notice: str | None = None  # publication number or notice id of the changed notice
    modified_contract: str | None = None
    reason: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """One published notice."""

    format: NoticeFormat
    kind: NoticeKind
    form: str  # R2.0.9 "F02"; eForms notice subtype "16"
    notice_type: str | None  # eForms BT-02 "cn-standard"; R2.0.9 NOTICE@TYPE or document type
    notice_id: str  # eForms BT-701 (UUID); R2.0.9 NOTICE_UUID, else the publication number
    version: str | None = None
    publication_number: str | None = None  # TED's "283717-2019", without leading zeros
    ted_url: str | None = None
    issue_date: date | None = None  # dispatch to TED
    publication_date: date | None = None
    language: str | None = None  # ISO 639-1 of the version read ("en")
    legal_basis: str | None = None  # CELEX number, "32014L0024"
    procedure_id: str | None = None  # eForms BT-04; R2.0.9 has none
    internal_reference: str | None = None  # the buyer's file reference (BT-22)
    previous_notices: tuple[str, ...] = ()  # publication numbers this notice follows
    buyers: tuple[Buyer, ...] = ()
    title: str | None = None
    description: str | None = None
    contract_nature: str | None = None  # "works", "supplies", "services"
    procedure: Procedure = field(default_factory=Procedure)
    main_cpv: Cpv | None = None
    additional_cpv: tuple[Cpv, ...] = ()
    places: tuple[Place, ...] = ()
    lots: tuple[Lot, ...] = ()
    lot_rules: LotRules = field(default_factory=LotRules)
    estimated_value: Money | None = None
    submission_deadline: datetime | None = None
    participation_deadline: datetime | None = None
    questions_deadline: datetime | None = None
    documents_url: str | None = None
    results: tuple[LotResult, ...] = ()
    total_awarded: Money | None = None
    change: Change | None = None
    unmapped: tuple[Unmapped, ...] = ()

    @property
    def lead_buyer(self) -> Buyer | None:
        return next((b for b in self.buyers if b.lead), self.buyers[0] if self.buyers else None)

    @property
    def currency(self) -> str | None:
        """The notice's currency: of its estimated value, else of the first value it gives."""
        values = [self.estimated_value, self.total_awarded]
        values += [lot.estimated_value for lot in self.lots]
        values += [c.value for r in self.results for c in r.contracts]
        return next((v.currency for v in values if v is not None), None)

    @property
    def framework(self) -> bool:
        return any(lot.framework is not None for lot in self.lots)

    @property
    def dps(self) -> bool:
        return any(lot.dps is not None for lot in self.lots)

    @property
    def eauction(self) -> bool:
        return any(lot.eauction is not None for lot in self.lots)

    def lot(self, lot_id: str) -> Lot:
        for lot in self.lots:
            if lot.id == lot_id:
                return lot
        raise KeyError(lot_id)
