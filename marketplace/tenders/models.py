"""Joint tenders: lots, co-buyers, amendments, questions, sealed responses, decisions,
the append-only audit trail and the stored OCDS releases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    literal,
)
from sqlalchemy import false as sa_false
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, id_column

# The one definition of the procedures: schemas, checks and pages derive theirs. Those of
# Directive 2014/24/EU (Arts. 27-32), plus pre-commercial procurement (outside the directive,
# Art. 14) and PPI; the last three of `AnyProcedure` come only from imported notices (a
# draft cannot be negotiated without publication on a public marketplace).
Procedure = Literal[
    "open", "restricted", "competitive_with_negotiation", "competitive_dialogue",
    "innovation_partnership", "pcp", "ppi",
]  # fmt: skip
AnyProcedure = Literal[
    Procedure, "negotiated_without_publication", "other_single_stage", "other_multiple_stage"
]
PROCEDURES: tuple[str, ...] = get_args(AnyProcedure)
DRAFT_PROCEDURES: tuple[str, ...] = get_args(Procedure)

# The stages a reader sees. OCDS knows `planning`, `active`, `complete`, `cancelled` and
# `unsuccessful`; `evaluation` is our name for OCDS `active` after the submission deadline.
Stage = Literal["planning", "active", "evaluation", "complete", "cancelled", "unsuccessful"]
STAGES: tuple[str, ...] = get_args(Stage)
# The orders of a list of tenders (`?sort=`): open ones closing soonest first, the most
# recently published, by title, the highest estimated value.
TenderSort = Literal["deadline", "newest", "title", "value"]
TENDER_SORTS: tuple[str, ...] = get_args(TenderSort)
OcdsStatus = Literal["planning", "active", "complete", "cancelled", "unsuccessful"]
OCDS_STATUS: dict[str, OcdsStatus] = {
    "planning": "planning",
    "active": "active",
    "evaluation": "active",
    "complete": "complete",
    "cancelled": "cancelled",
    "unsuccessful": "unsuccessful",
}
# The only moves the service may make; everything else is refused.
LEGAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "planning": frozenset({"active", "cancelled"}),
    "active": frozenset({"cancelled"}),  # the deadline passing moves it on, no one else
    "evaluation": frozenset({"complete", "unsuccessful", "cancelled"}),
    "complete": frozenset(),
    "cancelled": frozenset(),
    "unsuccessful": frozenset(),
}


class IllegalTransition(Exception):
    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"A tender in {current!r} cannot become {wanted!r}.")
        self.current = current
        self.wanted = wanted


class Tender(Base):
    __tablename__ = "tenders"
    __table_args__ = (
        CheckConstraint(
            f"procedure IN ({', '.join(repr(p) for p in PROCEDURES)})", name="procedure"
        ),
        CheckConstraint("clarification_deadline < submission_deadline", name="deadline_order"),
    )

    id: Mapped[str] = id_column()
    ocid: Mapped[str] = mapped_column(String(100), unique=True)
    lead_buyer_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(String(30))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    cpv_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    nuts_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{code, mandatory}] — codes checked against the `standards` table by the service.
    required_standards: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{metric, unit, baseline?, target, timeframe_months?, verification?}]
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{name, weight}] with weights summing to 100.
    award_criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Optional: many notices have no questions deadline, result notices no deadline at all.
    # A draft needs a submission deadline to be published (the service checks it).
    clarification_deadline: Mapped[datetime | None]
    submission_deadline: Mapped[datetime | None] = mapped_column(index=True)
    # Optional estimate of the whole procedure (the lots may carry their own).
    estimated_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    estimated_currency: Mapped[str | None] = mapped_column(String(3))
    documents_url: Mapped[str | None] = mapped_column(String(1000))
    # {submission: all_lots_allowed|max_lots|one_lot_only|all_lots_required,
    #  max_lots_per_tenderer?, max_lots_awarded?, combination?, groups: [{id, lots: [n]}]}
    lot_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {accelerated?, justification?, features?, grounds?: [...], given?} as notices say it
    procedure_details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    contract_nature: Mapped[str | None] = mapped_column(String(10))  # works/supplies/services
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # Imported from a TED notice: read-only, its deadlines may be past (see TenderNotice).
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]
    unsuccessful_at: Mapped[datetime | None]

    lots: Mapped[list[Lot]] = relationship(
        back_populates="tender", lazy="raise", order_by="Lot.number", cascade="all, delete-orphan"
    )
    # In the order cities joined (the lead first): how documents and pages name them.
    buyers: Mapped[list[TenderBuyer]] = relationship(
        back_populates="tender",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: (TenderBuyer.invited_at, TenderBuyer.id),
    )

    @hybrid_method
    def stage_at(self, now: datetime) -> str:
        """Derived from the timestamps, so a deadline passing needs no job."""
        if self.cancelled_at is not None:
            return "cancelled"
        if self.completed_at is not None:
            return "complete"
        if self.unsuccessful_at is not None:
            return "unsuccessful"
        if self.published_at is None:
            return "planning"
        if self.submission_deadline is not None and now >= self.submission_deadline:
            return "evaluation"
        return "active"

    @stage_at.expression
    @classmethod
    def _stage_at_sql(cls, now: datetime) -> ColumnElement[str]:
        return case(
            (cls.cancelled_at.is_not(None), literal("cancelled")),
            (cls.completed_at.is_not(None), literal("complete")),
            (cls.unsuccessful_at.is_not(None), literal("unsuccessful")),
            (cls.published_at.is_(None), literal("planning")),
            (cls.submission_deadline <= now, literal("evaluation")),
            else_=literal("active"),
        )

    def ended_at(self, now: datetime) -> datetime | None:
        """When the procedure ended for good (cancelled, every lot decided, declared
        unsuccessful), by the stage rules above; from then its deadlines no longer apply."""
        return {
            "cancelled": self.cancelled_at, "complete": self.completed_at,
            "unsuccessful": self.unsuccessful_at,
        }.get(self.stage_at(now))  # fmt: skip

    def ocds_status_at(self, now: datetime) -> str:
        return OCDS_STATUS[self.stage_at(now)]

    def move_to(self, wanted: str, now: datetime, reason: str | None = None) -> None:
        """The setter of the derived status: only a legal transition writes a timestamp."""
        current = self.stage_at(now)
        if wanted not in LEGAL_TRANSITIONS[current]:
            raise IllegalTransition(current, wanted)
        if wanted == "active":
            self.published_at = now
        elif wanted == "cancelled":
            self.cancelled_at = now
            self.cancellation_reason = reason
        elif wanted == "complete":
            self.completed_at = now
        elif wanted == "unsuccessful":
            self.unsuccessful_at = now


class Lot(Base):
    __tablename__ = "tender_lots"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Optional: notices often give no estimate.
    estimated_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    # Per lot, as notices state them; None means "as the tender says" (its CPV codes, NUTS
    # codes, award criteria). The first CPV code is the lot's main one.
    cpv_codes: Mapped[list[str] | None] = mapped_column(JSON)
    # [{nuts: 2024 code or None, given?: code as the notice gave it, exact?, country?,
    #   description?}]
    places: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    award_criteria: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Techniques and terms: {max_participants?, several_operators?, reopening?,
    # duration_justification?}, {usage?, additional_purchasers?}, {description?, url?},
    # {description?}, {max_renewals?, description?}; None = not used.
    framework: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    dps: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    eauction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    renewals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {duration?: {amount, unit}, start?, end?, description?}
    period: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    documents_url: Mapped[str | None] = mapped_column(String(1000))
    # The notice's own lot identifier (eForms LOT-0001), for imported tenders' updates.
    external_id: Mapped[str | None] = mapped_column(String(40))

    tender: Mapped[Tender] = relationship(back_populates="lots", lazy="raise")


class TenderBuyer(Base):
    """A city taking part; the lead buyer has a row too, confirmed at creation."""

    __tablename__ = "tender_buyers"
    __table_args__ = (UniqueConstraint("tender_id", "organisation_id"),)

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{lot: number, quantity?: "decimal", unit?: str, value?: money}]
    shares: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    invited_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    tender: Mapped[Tender] = relationship(back_populates="buyers", lazy="raise")


class Amendment(Base):
    __tablename__ = "tender_amendments"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text)
    # {field: {"before": ..., "after": ...}} for each changed field.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Question(Base):
    __tablename__ = "tender_questions"

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    # Kept for abuse handling only; never shown to anyone through the API or pages.
    asker_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    asker_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class TenderResponse(Base):
    """A sealed response: readable by its organisation only until the submission deadline."""

    __tablename__ = "tender_responses"

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    lot_ids: Mapped[list[str]] = mapped_column(JSON)
    # No foreign key on purpose: listings live in another package and may be archived.
    listing_id: Mapped[str | None] = mapped_column(String(36))
    price_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    technical_summary: Mapped[str] = mapped_column(Text)
    # [{metric, target, ...}] against the tender's outcomes
    outcome_commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{code, evidence_url?}] the standards the SME states it conforms to
    standards: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    weighted_total: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    scored_at: Mapped[datetime | None]
    scored_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LotDecision(Base):
    """An award or an unsuccessful declaration. One per lot, enforced by the database, so
    two concurrent awards of the same lot cannot both succeed (SQLite has no row locks)."""

    __tablename__ = "tender_lot_decisions"
    __table_args__ = (
        UniqueConstraint("lot_id"),
        CheckConstraint("outcome IN ('awarded', 'unsuccessful')", name="outcome"),
    )

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[str] = mapped_column(ForeignKey("tender_lots.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(12))
    response_id: Mapped[str | None] = mapped_column(
        ForeignKey("tender_responses.id", ondelete="RESTRICT")
    )
    supplier_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    decided_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Why a lot was declared unsuccessful (no tenders, all rejected, discontinued ...).
    reason: Mapped[str | None] = mapped_column(Text)
    # Imported results: how many tenders the lot received, and every contract of the lot
    # [{id?, title?, awarded?, signed?, value?, supplier_ids: [...]}] (a framework may have
    # several winners; `supplier_id` is the first).
    tenders_received: Mapped[int | None] = mapped_column(Integer)
    contracts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class AuditEntry(Base):
    """Append-only: rows are only ever inserted (an ORM guard below refuses updates and
    deletes). `public` entries are shown to everyone once the tender is published."""

    __tablename__ = "tender_audit"

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(60))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Entries about a sealed response are shown only to that organisation until the deadline.
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(_mapper: Any, _connection: Any, _target: AuditEntry) -> None:
    raise RuntimeError("The audit trail is append-only.")


class TenderNotice(Base):
    """A TED notice an imported tender was built from; one row per notice, so importing the
    same notice again is recognised by its id and changes nothing."""

    __tablename__ = "tender_notices"

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    notice_id: Mapped[str] = mapped_column(String(100), unique=True)
    # What ties notices of one procedure together: eForms BT-04, else the first notice's
    # publication number (see docs/import.md).
    procedure_key: Mapped[str] = mapped_column(String(200), index=True)
    publication_number: Mapped[str | None] = mapped_column(String(20), index=True)
    version: Mapped[str | None] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(20))
    form: Mapped[str] = mapped_column(String(10))
    ted_url: Mapped[str | None] = mapped_column(String(200))
    issue_date: Mapped[date | None]
    publication_date: Mapped[date | None]
    imported_at: Mapped[datetime]
    imported_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # [{path, value, reason}]: what the notice says that the tender does not carry.
    unmapped: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class OcdsRelease(Base):
    __tablename__ = "ocds_releases"

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    ocid: Mapped[str] = mapped_column(String(100), index=True)
    release_id: Mapped[str] = mapped_column(String(150), unique=True)
    # Order within the process: events in the same second keep the order they happened in.
    seq: Mapped[int] = mapped_column(Integer)
    tag: Mapped[str] = mapped_column(String(40))
    date: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class Document(Base):
    """A document of a tender (or of one of its lots or awards), or an attachment of a sealed
    response. A file (stored by its SHA-256, `core.storage`) or a link to one elsewhere.

    One row per version: replacing a published document adds a row with the same `series_id`
    (the document's OCDS `id`) and marks the old one `replaced_at`; the old file stays
    downloadable, as the earlier OCDS releases point to it. Only drafts' documents are ever
    deleted. `published_at` is the series' first publication (None while the tender is a
    draft: the tender's publication date is then the document's).
    """

    __tablename__ = "tender_documents"
    __table_args__ = (
        CheckConstraint("sha256 IS NOT NULL OR url IS NOT NULL", name="file_or_link"),
        CheckConstraint(
            "response_id IS NULL OR (lot_id IS NULL AND decision_id IS NULL)", name="attachment"
        ),
    )

    id: Mapped[str] = id_column()
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[str | None] = mapped_column(
        ForeignKey("tender_lots.id", ondelete="SET NULL"), index=True
    )
    decision_id: Mapped[str | None] = mapped_column(
        ForeignKey("tender_lot_decisions.id", ondelete="SET NULL"), index=True
    )
    # A sealed response's attachment: never listed with the tender's documents, never in OCDS.
    response_id: Mapped[str | None] = mapped_column(
        ForeignKey("tender_responses.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # OCDS documentType
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Files: the sanitised name, the media type read from the content, the size and hash.
    filename: Mapped[str | None] = mapped_column(String(200))
    media_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # Links: where the document is; files: their absolute download address (the base URL of
    # the time of upload), as published.
    url: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str] = mapped_column(String(2))
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime]
    uploaded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    replaced_at: Mapped[datetime | None]
    replaced_by_id: Mapped[str | None] = mapped_column(String(36))

    @property
    def is_link(self) -> bool:
        return self.sha256 is None
