"""Tender rules: who may do what and when, checked here and nowhere else.

Sealing: before the submission deadline a response is readable by its own organisation
only. Every other attempt (buyers, platform admins, anyone) is refused with a message that
says nothing about whether responses exist, and the refusal is written to the audit trail
in its own transaction, because the request's transaction is rolled back on an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import ColumnElement, Text, and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import (
    BUYER_KINDS,
    Organisation,
    OrganisationIdentifier,
    User,
)
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish as publish_event
from marketplace.core.paging import paged, paged_rows
from marketplace.core.policy import Allowed
from marketplace.core.sorting import checked_sort
from marketplace.db import intent
from marketplace.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from marketplace.settings import Settings
from marketplace.standards.models import Standard
from marketplace.tenders import reads, releases
from marketplace.tenders.audit import PUBLIC_ACTIONS, AuditAction
from marketplace.tenders.events import BY_KIND as EVENTS
from marketplace.tenders.events import DATA_KEYS
from marketplace.tenders.models import (
    TENDER_SORTS,
    Amendment,
    AuditEntry,
    IllegalTransition,
    Lot,
    LotDecision,
    OcdsRelease,
    Question,
    Tender,
    TenderBuyer,
    TenderNotice,
    TenderResponse,
)
from marketplace.tenders.policies import (
    SEALED,
    buyer_actions,
    buyer_ids,
    can_see,
    is_buyer_member,
    may_draft,
    response_actions,
    responses_opened,
    tender_actions,
)
from marketplace.tenders.reads import ListingOwners, TenderView, current_documents
from marketplace.tenders.rules import deadline_problems
from marketplace.tenders.schemas import (
    AmendmentIn,
    AnswerIn,
    AwardIn,
    BuyerIn,
    CancelIn,
    LotIn,
    QuestionIn,
    ResponseIn,
    ResponseUpdate,
    ScoresIn,
    ShareIn,
    TenderFields,
    TenderIn,
    TenderUpdate,
    UnsuccessfulIn,
)

_TICK = timedelta(microseconds=1)
# Fields whose change alters what bidders must offer: an amendment touching any of them must
# give bidders more time (settings.amendment_deadline_extension_days).
MATERIAL_FIELDS = ("lots", "required_standards", "outcomes", "award_criteria")


# --- loading and permissions ----------------------------------------------------------


async def _load(session: AsyncSession, tender_id: str) -> Tender:
    tender = await session.scalar(
        select(Tender)
        .where(Tender.id == tender_id)
        .options(selectinload(Tender.lots), selectinload(Tender.buyers))
        .execution_options(populate_existing=True)
    )
    if tender is None:
        raise NotFound("No such tender.")
    return tender


def lot_rule_problem(rules: dict[str, Any] | None, chosen: int, total: int) -> str | None:
    """What a response covering `chosen` of `total` lots breaks of the tender's lot rules."""
    if not rules:
        return None
    submission = rules.get("submission", "all_lots_allowed")
    if submission == "all_lots_required" and chosen != total:
        return f"this tender requires a bid on all {total} lots"
    if submission == "one_lot_only" and chosen > 1:
        return "a tenderer may bid for one lot only"
    limit = rules.get("max_lots_per_tenderer")
    if submission == "max_lots" and limit is not None and chosen > int(limit):
        return f"a tenderer may bid for at most {limit} lots"
    return None


def deadline_of(tender: Tender) -> datetime:
    """The submission deadline of a tender run on the marketplace (creation requires one)."""
    if tender.submission_deadline is None:
        raise Conflict("The tender has no submission deadline.")
    return tender.submission_deadline


async def actions(
    session: AsyncSession, actor: Actor | None, tender: Tender, now: datetime
) -> Allowed:
    """The tender's policy for this person, with the facts it needs read from the database.
    Services enforce what it says; pages and the API show it."""
    outcomes = dict(
        (
            await session.execute(
                select(LotDecision.lot_id, LotDecision.outcome).where(
                    LotDecision.tender_id == tender.id
                )
            )
        )
        .tuples()
        .all()
    )
    lead_verified = bool(
        await session.scalar(
            select(Organisation.verified).where(Organisation.id == tender.lead_buyer_id)
        )
    )
    return tender_actions(actor, tender, now, outcomes=outcomes, lead_verified=lead_verified)


async def require(
    session: AsyncSession, actor: Actor | None, tender_id: str, action: str, now: datetime
) -> Tender:
    """Refuse now what the policy would refuse later: a page asks "are you sure?" only for
    an action that would then be carried out."""
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, action, now)
    return tender


async def _require(
    session: AsyncSession, actor: Actor | None, tender: Tender, action: str, now: datetime,
    refused_as: AuditAction | None = None,
) -> None:  # fmt: skip
    """Enforce the policy; a refusal by the seal is written to the audit trail first (as
    `refused.<refused_as or action>`)."""
    refusal = (await actions(session, actor, tender, now)).refusal(action)
    if refusal is None:
        return
    if refusal.code == "sealed":
        await record_refusal(
            session, tender.id, actor, refused_as or AuditAction.refused(action), now
        )
    raise refusal.exception()


async def get_tender(session: AsyncSession, actor: Actor | None, tender_id: str) -> Tender:
    tender = await _load(session, tender_id)
    if not can_see(actor, tender):
        raise NotFound("No such tender.")
    return tender


# --- audit trail ----------------------------------------------------------------------


async def _next_seq(session: AsyncSession, tender_id: str) -> int:
    current = await session.scalar(
        select(func.max(AuditEntry.seq)).where(AuditEntry.tender_id == tender_id)
    )
    return (current or 0) + 1


async def append_audit(
    session: AsyncSession,
    tender: Tender,
    actor: Actor | None,
    organisation_id: str | None,
    action: AuditAction,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    *,
    sealed: bool = False,
    about: dict[str, str] | None = None,
) -> None:
    """Append to the audit trail and publish the domain event of the same name, so the
    trail and the events never disagree. The event names the parts (`about`, and the ids in
    `after`) and an entry about a sealed response is a sealed event until the deadline."""
    named = {"organisation_id": organisation_id, **(after or {}), **(about or {})}
    await publish_event(
        session, EVENTS[action], tender.id, now,
        data={k: str(named[k]) for k in DATA_KEYS if named.get(k) is not None},
        sealed_until=tender.submission_deadline if sealed else None,
    )  # fmt: skip
    session.add(
        AuditEntry(
            tender_id=tender.id,
            seq=await _next_seq(session, tender.id),
            at=now,
            user_id=actor.user_id if actor else None,
            organisation_id=organisation_id,
            action=action,
            public=action in PUBLIC_ACTIONS,
            sealed=sealed,
            before=before,
            after=after,
        )
    )
    await session.flush()


async def record_refusal(
    session: AsyncSession, tender_id: str, actor: Actor | None, action: AuditAction,
    now: datetime,
) -> None:  # fmt: skip
    """Write a refused attempt so that it survives the error response.

    The request's transaction is rolled back on any error, so the entry is committed here;
    a second connection cannot do it on SQLite, where the request may already hold the write
    lock (the token's last use is recorded). Refusals are decided before a service writes
    anything, so rolling back first discards nothing of the caller's.
    """
    await session.rollback()
    # A refused read (a GET) runs as a read transaction; this entry is a write of its own.
    with intent("write"):
        session.add(
            AuditEntry(
                tender_id=tender_id, seq=await _next_seq(session, tender_id), at=now,
                user_id=actor.user_id if actor else None,
                organisation_id=None, action=action, public=False, sealed=False,
                after={"admin": bool(actor and actor.is_admin)},
            )
        )  # fmt: skip
        await session.commit()


async def refuse_sealed(
    session: AsyncSession, tender: Tender, actor: Actor | None, what: str, now: datetime
) -> Forbidden:
    await record_refusal(session, tender.id, actor, AuditAction.refused(what), now)
    return Forbidden(SEALED, code="sealed")


# --- reading --------------------------------------------------------------------------


async def view(
    session: AsyncSession, actor: Actor | None, tender_id: str, now: datetime
) -> TenderView:
    tender = await get_tender(session, actor, tender_id)
    tv = await _view(session, tender, now)
    tv.actions = tender_actions(
        actor, tender, now,
        outcomes={lot_id: d.outcome for lot_id, d in tv.decisions.items()},
        lead_verified=tv.organisations[tender.lead_buyer_id].verified,
    )  # fmt: skip
    return tv


async def _view(session: AsyncSession, tender: Tender, now: datetime) -> TenderView:
    ids = buyer_ids(tender)
    decisions = list(
        await session.scalars(select(LotDecision).where(LotDecision.tender_id == tender.id))
    )
    ids |= {d.supplier_id for d in decisions if d.supplier_id}
    ids |= {s for d in decisions for c in d.contracts or [] for s in c.get("supplier_ids", [])}
    organisations = {
        o.id: o for o in await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
    amendments = list(
        await session.scalars(
            select(Amendment).where(Amendment.tender_id == tender.id).order_by(Amendment.number)
        )
    )
    notices = list(
        await session.scalars(
            select(TenderNotice)
            .where(TenderNotice.tender_id == tender.id)
            .order_by(TenderNotice.publication_date, TenderNotice.imported_at)
        )
    )
    return TenderView(
        tender,
        tender.stage_at(now),
        organisations,
        {d.lot_id: d for d in decisions},
        now,
        amendments,
        notices,
        documents=await current_documents(session, tender.id),
        contracts=await reads.contracts_of(session, tender.id),
        bids=await reads.bid_counts(session, tender, now),
    )


async def list_tenders(
    session: AsyncSession,
    actor: Actor | None,
    now: datetime,
    *,
    status: str | None = None,
    buyer_id: str | None = None,
    theme: str | None = None,
    mine: bool = False,
    published_only: bool = False,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Tender], int]:
    """Tenders the actor may see; `sort` one of `TENDER_SORTS` (None: the latest deadline
    first, the API's order before it had `sort`)."""
    order = _tender_order(checked_sort(sort, TENDER_SORTS), now)
    query = select(Tender)
    own = list(actor.roles) if actor else []
    in_buyers = Tender.id.in_(
        select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id.in_(own))
    )
    if mine:
        query = query.where(in_buyers)
    elif not (actor and actor.is_admin):
        query = query.where(Tender.published_at.is_not(None) | in_buyers)
    if published_only:
        query = query.where(Tender.published_at.is_not(None))
    if status == "active":  # OCDS active covers our evaluation stage
        query = query.where(Tender.stage_at(now).in_(["active", "evaluation"]))
    elif status:
        query = query.where(Tender.stage_at(now) == status)
    if buyer_id:
        query = query.where(
            Tender.id.in_(
                select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id == buyer_id)
            )
        )
    if theme:
        # Themes are checked against the vocabulary before they get here.
        query = query.where(Tender.themes.cast(Text).like(f'%"{theme}"%'))
    return await paged(
        session, query, [*order, Tender.id], page, per_page,
        options=(selectinload(Tender.lots), selectinload(Tender.buyers)),
    )  # fmt: skip


async def count_by_stage(session: AsyncSession, actor: Actor, now: datetime) -> dict[str, int]:
    """How many of the tenders this person's organisations buy in are at each stage (all of
    them, not a page: the home's picture of the pipeline)."""
    own = list(actor.roles)
    if not own:
        return {}
    # The stage in a subquery, grouped outside: PostgreSQL does not see two CASE expressions
    # with the same `now` bound twice as one GROUP BY key.
    staged = (
        select(cast(ColumnElement[str], Tender.stage_at(now)).label("stage"))
        .where(Tender.id.in_(select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id.in_(own))))
        .subquery()
    )  # fmt: skip
    rows = await session.execute(select(staged.c.stage, func.count()).group_by(staged.c.stage))
    return {stage: count for stage, count in rows.tuples()}


def _tender_order(sort: str | None, now: datetime) -> list[Any]:
    deadline = Tender.submission_deadline
    match sort:
        case "deadline":
            # Open for responses first, closing soonest; then the others, latest deadline
            # first (a tender that closed yesterday before one from last year).
            is_open = Tender.stage_at(now) == "active"
            return [
                case((is_open, 0), else_=1), case((is_open, deadline)).asc(),
                deadline.desc().nulls_last(),
            ]  # fmt: skip
        case "newest":
            return [Tender.published_at.desc().nulls_last(), Tender.created_at.desc()]
        case "title":
            return [func.lower(Tender.title), Tender.title]
        case "value":
            # The tender's own estimate, else its lots' when every lot has one (as the
            # CSV shows it; the order does not convert between currencies).
            every_lot = func.count(Lot.estimated_amount) == func.count()
            lots = (
                select(case((every_lot, func.sum(Lot.estimated_amount))))
                .where(Lot.tender_id == Tender.id)
                .scalar_subquery()
            )
            return [func.coalesce(Tender.estimated_amount, lots).desc().nulls_last()]
    return [deadline.desc().nulls_last()]


# --- preparation ----------------------------------------------------------------------


async def _check_standards(session: AsyncSession, codes: list[str], field_name: str) -> None:
    if not codes:
        return
    known = set(await session.scalars(select(Standard.code).where(Standard.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid.field(field_name, "unknown standard %(codes)s", codes=", ".join(unknown))


async def _invitable(session: AsyncSession, buyers: list[BuyerIn], lead_id: str) -> None:
    ids = [b.organisation_id for b in buyers]
    if len(set(ids)) != len(ids):
        raise Invalid.field("buyers", "a city is listed twice")
    found = {
        o.id: o for o in await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
    for oid in ids:
        organisation = found.get(oid)
        if organisation is None:
            raise Invalid.field("buyers", f"no organisation {oid}")
        if organisation.kind not in BUYER_KINDS:
            raise Invalid.field(
                "buyers", f"{organisation.name} is not a city or another public buyer"
            )


def _share_json(buyer: BuyerIn, lot_count: int) -> list[dict[str, Any]]:
    shares: list[dict[str, Any]] = []
    for share in buyer.shares:
        if share.lot > lot_count:
            raise Invalid.field("buyers", f"share for lot {share.lot}, which does not exist")
        shares.append(
            {
                "lot": share.lot,
                "quantity": str(share.quantity) if share.quantity is not None else None,
                "unit": share.unit,
                "value": share.value.as_json() if share.value else None,
            }
        )
    return shares


def _json_fields(data: TenderFields) -> dict[str, Any]:
    """The JSON-stored fields, as stored."""
    out: dict[str, Any] = {}
    for name in ("themes", "cpv_codes", "nuts_codes"):
        value = getattr(data, name)
        if value is not None:
            out[name] = list(dict.fromkeys(value))
    if data.required_standards is not None:
        out["required_standards"] = [s.model_dump() for s in data.required_standards]
    if data.outcomes is not None:
        out["outcomes"] = [o.model_dump(mode="json") for o in data.outcomes]
    if data.award_criteria is not None:
        out["award_criteria"] = [c.model_dump(mode="json") for c in data.award_criteria]
    if data.lot_rules is not None:
        out["lot_rules"] = data.lot_rules.model_dump(mode="json", exclude_none=True)
    return out


def _scalar_fields(data: TenderFields, tender: Tender) -> None:
    """The optional estimate and documents URL, set only when the input names them."""
    if "estimated_value" in data.model_fields_set:
        value = data.estimated_value
        tender.estimated_amount = value.amount if value else None
        tender.estimated_currency = value.currency if value else None
    if "documents_url" in data.model_fields_set:
        tender.documents_url = data.documents_url


def _money_json(amount: Decimal | None, currency: str | None) -> dict[str, str] | None:
    if amount is None or currency is None:
        return None
    return {"amount": f"{amount:.2f}", "currency": currency}


# The lot's own terms, in the order its JSON snapshot lists them.
LOT_TERMS = ("framework", "dps", "eauction", "options", "renewals")


def _lot_json(lot: Lot) -> dict[str, Any]:
    return {
        "number": lot.number, "title": lot.title, "description": lot.description,
        "estimated_value": _money_json(lot.estimated_amount, lot.currency),
        "cpv_codes": lot.cpv_codes, "nuts_codes": _lot_nuts(lot),
        "award_criteria": lot.award_criteria,
        **{name: getattr(lot, name) for name in LOT_TERMS},
        "documents_url": lot.documents_url,
    }  # fmt: skip


def _lot_nuts(lot: Lot) -> list[str] | None:
    if lot.places is None:
        return None
    return [p["nuts"] for p in lot.places if p.get("nuts")]


def _lot_in_json(number: int, lot: LotIn) -> dict[str, Any]:
    return {
        "number": number, "title": lot.title, "description": lot.description,
        "estimated_value": lot.estimated_value.as_json() if lot.estimated_value else None,
        "cpv_codes": list(dict.fromkeys(lot.cpv_codes)) if lot.cpv_codes else None,
        "nuts_codes": list(dict.fromkeys(lot.nuts_codes)) if lot.nuts_codes is not None
        else None,
        "award_criteria": [c.model_dump(mode="json") for c in lot.award_criteria]
        if lot.award_criteria else None,
        **{name: _term(getattr(lot, name)) for name in LOT_TERMS},
        "documents_url": lot.documents_url,
    }  # fmt: skip


def _term(value: Any) -> dict[str, Any] | None:
    return None if value is None else value.model_dump(mode="json", exclude_defaults=True)


def _fill_lot(row: Lot, number: int, lot: LotIn) -> Lot:
    """A lot row as `lot` says it (all of it: a lot is replaced whole)."""
    data = _lot_in_json(number, lot)
    row.number, row.title, row.description = number, lot.title, lot.description
    row.estimated_amount = lot.estimated_value.amount if lot.estimated_value else None
    row.currency = lot.estimated_value.currency if lot.estimated_value else None
    row.cpv_codes = data["cpv_codes"]
    row.places = (
        None if data["nuts_codes"] is None else [{"nuts": code} for code in data["nuts_codes"]]
    )
    row.award_criteria = data["award_criteria"]
    for name in LOT_TERMS:
        setattr(row, name, data[name])
    row.documents_url = lot.documents_url
    return row


def _extra_snapshot(tender: Tender) -> dict[str, Any]:
    return {
        "estimated_value": _money_json(tender.estimated_amount, tender.estimated_currency),
        "documents_url": tender.documents_url,
        "lot_rules": tender.lot_rules,
    }


def _snapshot(tender: Tender) -> dict[str, Any]:
    return {
        "title": tender.title, "description": tender.description,
        "procedure": tender.procedure, "themes": tender.themes,
        "cpv_codes": tender.cpv_codes, "nuts_codes": tender.nuts_codes,
        "lots": [_lot_json(lot) for lot in tender.lots],
        "required_standards": tender.required_standards, "outcomes": tender.outcomes,
        "award_criteria": tender.award_criteria,
        "clarification_deadline": _iso(tender.clarification_deadline),
        "submission_deadline": _iso(tender.submission_deadline),
        **_extra_snapshot(tender),
    }  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _check_deadline_order(
    clarification: datetime | None, submission: datetime, now: datetime
) -> None:
    """New deadlines lie ahead. Only imported tenders (a notice published elsewhere) may
    hold past ones, and they never come through here."""
    errors = []
    if clarification is not None and clarification <= now:
        errors.append(FieldError("clarification_deadline", "must be in the future"))
    if submission <= now:
        errors.append(FieldError("submission_deadline", "must be in the future"))
    if clarification is not None and clarification >= submission:
        errors.append(
            FieldError("clarification_deadline", "must be before the submission deadline")
        )
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


async def create_tender(
    session: AsyncSession, actor: Actor, data: TenderIn, now: datetime, settings: Settings
) -> Tender:
    may_draft(actor).require("draft")
    if not actor.can_edit(data.lead_buyer_id):
        raise Forbidden("Only editors of the lead city may create its tenders.")
    lead = await session.get(Organisation, data.lead_buyer_id)
    if lead is None or lead.kind not in BUYER_KINDS:
        raise Invalid.field("lead_buyer_id", "must be a city or another public buyer")
    invited = [b for b in data.buyers if b.organisation_id != lead.id]
    await _invitable(session, invited, lead.id)
    await _check_standards(session, [s.code for s in data.required_standards], "required_standards")
    _check_deadline_order(data.clarification_deadline, data.submission_deadline, now)
    tender = Tender(
        ocid=f"{settings.ocid_prefix}-{uuid4()}",
        lead_buyer_id=lead.id, title=data.title, description=data.description,
        procedure=data.procedure, clarification_deadline=data.clarification_deadline,
        submission_deadline=data.submission_deadline, created_at=now, updated_at=now,
        created_by=actor.user_id, **_json_fields(data),
    )  # fmt: skip
    _scalar_fields(data, tender)
    tender.lots = [_fill_lot(Lot(), i, lot) for i, lot in enumerate(data.lots, start=1)]
    lead_shares = next((b for b in data.buyers if b.organisation_id == lead.id), None)
    tender.buyers = [
        TenderBuyer(
            organisation_id=lead.id, is_lead=True, invited_at=now, confirmed_at=now,
            confirmed_by=actor.user_id,
            shares=_share_json(lead_shares, len(data.lots)) if lead_shares else [],
        ),
        *(
            TenderBuyer(organisation_id=b.organisation_id, is_lead=False, invited_at=now,
                        shares=_share_json(b, len(data.lots)))
            for b in invited
        ),
    ]  # fmt: skip
    session.add(tender)
    await session.flush()
    await append_audit(
        session, tender, actor, lead.id, AuditAction.TENDER_CREATED, now, None, _snapshot(tender)
    )
    for buyer in invited:
        await append_audit(
            session, tender, actor, lead.id, AuditAction.BUYER_INVITED, now, None,
            {"organisation_id": buyer.organisation_id},
        )  # fmt: skip
    return await _load(session, tender.id)


def _replace_lots(tender: Tender, lots: list[LotIn], *, keep_ids: bool) -> None:
    """Lots are matched by number, so responses that name a lot keep naming it."""
    if keep_ids and len(lots) < len(tender.lots):
        raise Invalid.field("lots", "a published lot cannot be removed; cancel the tender instead")
    by_number = {lot.number: lot for lot in tender.lots}
    kept: list[Lot] = []
    for number, new in enumerate(lots, start=1):
        kept.append(_fill_lot(by_number.get(number) or Lot(), number, new))
    tender.lots = kept


async def update_tender(
    session: AsyncSession, actor: Actor, tender_id: str, data: TenderUpdate, now: datetime
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "edit", now)
    before = _snapshot(tender)
    if data.required_standards is not None:
        await _check_standards(
            session, [s.code for s in data.required_standards], "required_standards"
        )
    for name in ("title", "description", "procedure"):
        if getattr(data, name) is not None:
            setattr(tender, name, getattr(data, name))
    for name, value in _json_fields(data).items():
        setattr(tender, name, value)
    _scalar_fields(data, tender)
    if data.clarification_deadline or data.submission_deadline:
        tender.clarification_deadline = data.clarification_deadline or tender.clarification_deadline
        tender.submission_deadline = data.submission_deadline or tender.submission_deadline
        _check_deadline_order(tender.clarification_deadline, deadline_of(tender), now)
    if data.lots is not None:
        _replace_lots(tender, data.lots, keep_ids=False)
    if data.buyers is not None:
        await _rebuild_buyers(session, tender, data.buyers, now)
    tender.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.TENDER_EDITED, now, before,
                 _snapshot(tender))  # fmt: skip
    return await _load(session, tender.id)


async def _rebuild_buyers(
    session: AsyncSession, tender: Tender, buyers: list[BuyerIn], now: datetime
) -> None:
    invited = [b for b in buyers if b.organisation_id != tender.lead_buyer_id]
    await _invitable(session, invited, tender.lead_buyer_id)
    lot_count = len(tender.lots)
    current = {b.organisation_id: b for b in tender.buyers}
    kept = [current[tender.lead_buyer_id]]
    lead_in = next((b for b in buyers if b.organisation_id == tender.lead_buyer_id), None)
    if lead_in is not None:
        kept[0].shares = _share_json(lead_in, lot_count)
    for b in invited:
        row = current.get(b.organisation_id) or TenderBuyer(
            organisation_id=b.organisation_id, is_lead=False, invited_at=now
        )
        row.shares = _share_json(b, lot_count)
        kept.append(row)
    tender.buyers = kept


async def invited_buyer(
    session: AsyncSession, actor: Actor, tender_id: str, organisation_id: str, action: str,
    now: datetime,
) -> tuple[Tender, TenderBuyer]:  # fmt: skip
    """The tender and one city's participation in it, if this person may act on it (a page
    asks this before it asks "are you sure?")."""
    tender = await get_tender(session, actor, tender_id)
    buyer = next((b for b in tender.buyers if b.organisation_id == organisation_id), None)
    if buyer is None:
        raise NotFound("This city is not invited to the tender.")
    buyer_actions(actor, tender, buyer, now).require(action)
    return tender, buyer


async def confirm_buyer(
    session: AsyncSession, actor: Actor, tender_id: str, organisation_id: str, now: datetime,
    shares: list[ShareIn] | None = None,
) -> Tender:  # fmt: skip
    tender, buyer = await invited_buyer(session, actor, tender_id, organisation_id, "confirm", now)
    if shares is not None:
        buyer.shares = _share_json(BuyerIn(organisation_id=organisation_id, shares=shares),
                                   len(tender.lots))  # fmt: skip
    if buyer.confirmed_at is None:
        buyer.confirmed_at, buyer.confirmed_by = now, actor.user_id
        await session.flush()
        await append_audit(session, tender, actor, organisation_id, AuditAction.BUYER_CONFIRMED, now, None,
                     {"shares": buyer.shares})  # fmt: skip
    return tender


async def decline_buyer(
    session: AsyncSession, actor: Actor, tender_id: str, organisation_id: str, now: datetime,
    reason: str | None = None,
) -> Tender:  # fmt: skip
    """The invited city leaves the draft: its row goes (its shares with it), the trail and
    the lead keep the reason. Inviting it again starts afresh."""
    tender, buyer = await invited_buyer(session, actor, tender_id, organisation_id, "decline", now)
    before = {"shares": buyer.shares, "confirmed": buyer.confirmed_at is not None}
    tender.buyers.remove(buyer)
    await session.flush()
    await append_audit(session, tender, actor, organisation_id, AuditAction.BUYER_DECLINED, now, before,
                 {"reason": reason} if reason else None)  # fmt: skip
    return tender


# --- publication, amendments, cancellation ----------------------------------------------


def publication_problems(
    tender: Tender, organisations: dict[str, Organisation], now: datetime, settings: Settings
) -> list[FieldError]:
    problems: list[FieldError] = []
    for buyer in tender.buyers:
        if buyer.confirmed_at is None:
            name = organisations[buyer.organisation_id].name
            problems.append(
                FieldError.of("buyers", "%(name)s has not confirmed its participation", name=name)
            )
    if len(tender.description.strip()) < 20:
        problems.append(FieldError("description", "describe the need (at least 20 characters)"))
    if not tender.lots:
        problems.append(FieldError("lots", "at least one lot is needed"))
    if not tender.cpv_codes:
        problems.append(FieldError("cpv_codes", "at least one CPV code is needed"))
    if sum(int(c["weight"]) for c in tender.award_criteria) != 100:
        problems.append(FieldError("award_criteria", "weights must sum to 100"))
    if tender.submission_deadline is None:
        problems.append(FieldError("submission_deadline", "a submission deadline is needed"))
        return problems
    problems.extend(deadline_problems(
        tender.procedure, settings.min_tender_period_days, now,
        tender.clarification_deadline, tender.submission_deadline,
    ))  # fmt: skip
    return problems


async def publish(
    session: AsyncSession, actor: Actor, tender_id: str, now: datetime, settings: Settings
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "publish", now)
    tv = await _view(session, tender, now)
    problems = publication_problems(tender, tv.organisations, now, settings)
    if problems:
        raise Conflict(
            "The tender cannot be published yet: "
            + "; ".join(f"{p.field}: {p.message}" for p in problems),
            problems,
        )
    tender.move_to("active", now)
    tender.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.TENDER_PUBLISHED, now, None,
                 _snapshot(tender))  # fmt: skip
    await store_release(session, tender, "tender", now)
    return tender


def _changed(tender: Tender, data: TenderFields) -> dict[str, dict[str, Any]]:
    before = _snapshot(tender)
    proposed: dict[str, Any] = {}
    for name in ("title", "description"):
        if getattr(data, name) is not None:
            proposed[name] = getattr(data, name)
    proposed.update(_json_fields(data))
    if "estimated_value" in data.model_fields_set:
        proposed["estimated_value"] = (
            data.estimated_value.as_json() if data.estimated_value else None
        )
    if "documents_url" in data.model_fields_set:
        proposed["documents_url"] = data.documents_url
    if data.lots is not None:
        proposed["lots"] = [_lot_in_json(i, lot) for i, lot in enumerate(data.lots, start=1)]
    for name in ("clarification_deadline", "submission_deadline"):
        value = getattr(data, name)
        if value is not None:
            proposed[name] = value.isoformat()
    return {
        k: {"before": before[k], "after": v}
        for k, v in proposed.items()
        if _normal(before[k]) != _normal(v)
    }


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


async def amend(
    session: AsyncSession,
    actor: Actor,
    tender_id: str,
    data: AmendmentIn,
    now: datetime,
    settings: Settings,
) -> Amendment:
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "amend", now)
    changes = _changed(tender, data.changes)
    if not changes:
        raise Invalid.field("changes", "the amendment changes nothing")
    changes_c = data.changes
    clarification = changes_c.clarification_deadline or tender.clarification_deadline
    current = deadline_of(tender)
    submission = changes_c.submission_deadline or current
    if submission < current:
        raise Invalid.field("submission_deadline", "an amendment cannot bring the deadline earlier")
    material = [f for f in MATERIAL_FIELDS if f in changes]
    extension = timedelta(days=settings.amendment_deadline_extension_days)
    if material and submission < current + extension:
        raise Invalid.field(
            "submission_deadline",
            f"an amendment that changes {', '.join(material)} must move the submission "
            f"deadline at least {settings.amendment_deadline_extension_days} days later "
            f"(to {(current + extension).isoformat()} or after)",
        )
    # A deadline already passed (questions closed) may stay as it is; a new one must be ahead.
    kept = None if clarification is None else max(clarification, now + _TICK)
    _check_deadline_order(
        clarification if changes_c.clarification_deadline else kept, submission, now
    )
    if changes_c.required_standards is not None:
        await _check_standards(
            session, [s.code for s in changes_c.required_standards], "required_standards"
        )
    if changes_c.title is not None:
        tender.title = changes_c.title
    if changes_c.description is not None:
        tender.description = changes_c.description
    for name, value in _json_fields(changes_c).items():
        setattr(tender, name, value)
    _scalar_fields(changes_c, tender)
    if changes_c.lots is not None:
        _replace_lots(tender, changes_c.lots, keep_ids=True)
    tender.clarification_deadline, tender.submission_deadline = clarification, submission
    tender.updated_at = now
    number = (
        await session.scalar(
            select(func.count()).select_from(Amendment).where(Amendment.tender_id == tender.id)
        )
        or 0
    ) + 1
    amendment = Amendment(
        tender_id=tender.id, number=number, rationale=data.rationale, changes=changes,
        created_at=now, created_by=actor.user_id,
    )  # fmt: skip
    session.add(amendment)
    await session.flush()
    await append_audit(
        session, tender, actor, tender.lead_buyer_id, AuditAction.TENDER_AMENDED, now,
        {k: v["before"] for k, v in changes.items()},
        {"rationale": data.rationale, **{k: v["after"] for k, v in changes.items()}},
    )  # fmt: skip
    tender = await _load(session, tender.id)
    await store_release(session, tender, "tenderAmendment", now)
    return amendment


async def cancel(
    session: AsyncSession, actor: Actor, tender_id: str, data: CancelIn, now: datetime
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "cancel", now)
    try:
        tender.move_to("cancelled", now, data.reason)
    except IllegalTransition as error:
        raise Conflict(f"The tender is {error.current}; it cannot be cancelled.") from None
    tender.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.TENDER_CANCELLED, now, None,
                 {"reason": data.reason})  # fmt: skip
    if tender.published_at is not None:
        await store_release(session, tender, "tenderCancellation", now)
    return tender


# --- questions ------------------------------------------------------------------------


async def ask(
    session: AsyncSession, actor: Actor, tender_id: str, data: QuestionIn, now: datetime
) -> Question:
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "ask", now)
    organisation_id = data.organisation_id or next(iter(actor.roles))
    if not actor.is_member(organisation_id):
        raise Forbidden("You can ask only on behalf of your own organisation.")
    question = Question(
        tender_id=tender.id, asker_user_id=actor.user_id, asker_organisation_id=organisation_id,
        text=data.text, asked_at=now,
    )  # fmt: skip
    session.add(question)
    await session.flush()
    # The asker stays anonymous to everyone, buyers included: the entry names no one.
    await append_audit(session, tender, None, None, AuditAction.QUESTION_ASKED, now, None,
                 {"question_id": question.id})  # fmt: skip
    return question


async def answer(
    session: AsyncSession, actor: Actor, tender_id: str, question_id: str, data: AnswerIn,
    now: datetime,
) -> Question:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "answer", now)
    question = await session.get(Question, question_id)
    if question is None or question.tender_id != tender.id:
        raise NotFound("No such question.")
    before = {"answer": question.answer} if question.answer else None
    question.answer, question.answered_at, question.answered_by = data.text, now, actor.user_id
    await session.flush()
    editor_of = next(o for o in buyer_ids(tender) if actor.can_edit(o))
    await append_audit(session, tender, actor, editor_of, AuditAction.QUESTION_ANSWERED, now, before,
                 {"question": question.text, "answer": data.text},
                 about={"question_id": question.id})  # fmt: skip
    return question


async def questions(
    session: AsyncSession, actor: Actor | None, tender_id: str
) -> tuple[Tender, list[Question]]:
    tender = await get_tender(session, actor, tender_id)
    query = select(Question).where(Question.tender_id == tender.id)
    if not is_buyer_member(actor, tender):
        query = query.where(Question.answer.is_not(None))
    return tender, list(await session.scalars(query.order_by(Question.asked_at, Question.id)))


# --- sealed responses -----------------------------------------------------------------


async def _check_response(
    session: AsyncSession, tender: Tender, lot_ids: list[str], standards: list[str],
    commitments: list[str],
) -> None:  # fmt: skip
    lots = {lot.id for lot in tender.lots}
    unknown = [lid for lid in lot_ids if lid not in lots]
    if unknown or len(set(lot_ids)) != len(lot_ids):
        raise Invalid.field("lot_ids", "must be distinct lots of this tender")
    problem = lot_rule_problem(tender.lot_rules, len(lot_ids), len(lots))
    if problem:
        raise Invalid.field("lot_ids", problem)
    await _check_standards(session, standards, "standards")
    missing = [
        s["code"]
        for s in tender.required_standards
        if s["mandatory"] and s["code"] not in standards
    ]
    if missing:
        raise Invalid.field(
            "standards",
            f"the tender requires conformance to {', '.join(missing)}, which the response "
            "does not state",
        )
    metrics = {o["metric"] for o in tender.outcomes}
    strange = [m for m in commitments if m not in metrics]
    if strange:
        raise Invalid.field(
            "outcome_commitments", f"{', '.join(strange)} is not an outcome of this tender"
        )


async def _check_listing(
    session: AsyncSession, listing_owners: ListingOwners, listing_id: str | None,
    organisation_id: str,
) -> None:  # fmt: skip
    """A response offers a solution of the responder's own, published (a draft, a withdrawn
    listing or another SME's would point evaluators at something the SME does not offer)."""
    if listing_id is None:
        return
    if await listing_owners(session, listing_id) != organisation_id:
        raise Invalid.field(
            "listing_id", "must be one of the responding organisation's published solutions"
        )


async def submit_response(
    session: AsyncSession, actor: Actor, tender_id: str, data: ResponseIn, now: datetime,
    listing_owners: ListingOwners,
) -> TenderResponse:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    await _require(session, actor, tender, "respond", now)
    if not actor.can_edit(data.organisation_id):
        raise Forbidden("Only editors of the responding organisation may respond.")
    organisation = await session.get(Organisation, data.organisation_id)
    if organisation is None or organisation.kind != "sme":
        raise Invalid.field("organisation_id", "must be an SME")
    await _check_response(
        session, tender, data.lot_ids, [s.code for s in data.standards],
        [c.metric for c in data.outcome_commitments],
    )  # fmt: skip
    await _check_listing(session, listing_owners, data.listing_id, organisation.id)
    response = TenderResponse(
        tender_id=tender.id, organisation_id=organisation.id, lot_ids=data.lot_ids,
        listing_id=data.listing_id, price_amount=data.price.amount, currency=data.price.currency,
        technical_summary=data.technical_summary,
        outcome_commitments=[c.model_dump(mode="json") for c in data.outcome_commitments],
        standards=[s.model_dump(mode="json") for s in data.standards],
        submitted_at=now, submitted_by=actor.user_id, updated_at=now,
    )  # fmt: skip
    session.add(response)
    await session.flush()
    await append_audit(session, tender, actor, organisation.id, AuditAction.RESPONSE_SUBMITTED, now, None,
                 {"response_id": response.id}, sealed=True)  # fmt: skip
    return response


async def own_response(
    session: AsyncSession, actor: Actor, tender: Tender, response_id: str, now: datetime,
    what: str,
) -> TenderResponse:  # fmt: skip
    response = await session.get(TenderResponse, response_id)
    if (
        response is None
        or response.tender_id != tender.id
        or not actor.can_edit(response.organisation_id)
    ):
        if not responses_opened(tender, now):
            raise await refuse_sealed(session, tender, actor, what, now)
        raise NotFound("No such response of yours.")
    response_actions(actor, tender, response, now).require(what.removeprefix("response."))
    return response


async def revise_response(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str,
    data: ResponseUpdate, now: datetime, listing_owners: ListingOwners,
) -> TenderResponse:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    response = await own_response(session, actor, tender, response_id, now, "response.revise")
    lot_ids = data.lot_ids if data.lot_ids is not None else response.lot_ids
    standards = (
        [s.model_dump(mode="json") for s in data.standards]
        if data.standards is not None
        else response.standards
    )
    commitments = (
        [c.model_dump(mode="json") for c in data.outcome_commitments]
        if data.outcome_commitments is not None
        else response.outcome_commitments
    )
    await _check_response(
        session, tender, lot_ids, [s["code"] for s in standards],
        [c["metric"] for c in commitments],
    )  # fmt: skip
    response.lot_ids, response.standards, response.outcome_commitments = (
        lot_ids, standards, commitments,
    )  # fmt: skip
    if data.price is not None:
        response.price_amount, response.currency = data.price.amount, data.price.currency
    if data.technical_summary is not None:
        response.technical_summary = data.technical_summary
    if "listing_id" in data.model_fields_set:
        await _check_listing(session, listing_owners, data.listing_id, response.organisation_id)
        response.listing_id = data.listing_id
    response.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, response.organisation_id, AuditAction.RESPONSE_REVISED, now, None,
                 {"response_id": response.id}, sealed=True)  # fmt: skip
    return response


async def withdraw_response(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, now: datetime
) -> None:
    tender = await get_tender(session, actor, tender_id)
    response = await own_response(session, actor, tender, response_id, now, "response.withdraw")
    organisation_id = response.organisation_id
    await session.delete(response)
    await session.flush()
    await append_audit(session, tender, actor, organisation_id, AuditAction.RESPONSE_WITHDRAWN, now,
                 {"response_id": response_id}, None, sealed=True)  # fmt: skip


async def list_responses(
    session: AsyncSession, actor: Actor, tender_id: str, now: datetime
) -> tuple[Tender, list[TenderResponse]]:
    """Buyers after the deadline; before it each organisation sees only its own, and anyone
    else (buyers, platform admins) is refused without learning whether responses exist."""
    tender = await get_tender(session, actor, tender_id)
    query = select(TenderResponse).where(TenderResponse.tender_id == tender.id)
    buyer = is_buyer_member(actor, tender)
    if responses_opened(tender, now):
        if not buyer:
            query = query.where(TenderResponse.organisation_id.in_(list(actor.roles)))
    elif buyer or actor.is_admin:
        raise await refuse_sealed(session, tender, actor, "responses.list", now)
    else:
        query = query.where(TenderResponse.organisation_id.in_(list(actor.roles)))
    rows = await session.scalars(
        query.order_by(TenderResponse.weighted_total.desc(), TenderResponse.submitted_at)
    )
    return tender, list(rows)


async def get_response(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, now: datetime
) -> TenderResponse:
    tender = await get_tender(session, actor, tender_id)
    response = await session.get(TenderResponse, response_id)
    own = response is not None and actor.is_member(response.organisation_id)
    if response is not None and response.tender_id == tender.id:
        if own or (responses_opened(tender, now) and is_buyer_member(actor, tender)):
            return response
    if not responses_opened(tender, now):
        raise await refuse_sealed(session, tender, actor, "response.read", now)
    raise NotFound("No such response.")


async def organisation_names(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    rows = await session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return dict(rows.tuples().all())


async def my_responses(session: AsyncSession, actor: Actor) -> list[tuple[TenderResponse, Tender]]:
    rows, _ = await list_my_responses(session, actor, per_page=None)
    return rows


# The orders of "My responses" and "My questions".
MY_RESPONSE_SORTS = ("newest", "deadline", "tender")
MY_QUESTION_SORTS = ("newest", "unanswered", "tender")


async def list_my_responses(
    session: AsyncSession, actor: Actor, *, sort: str | None = None, page: int = 1,
    per_page: int | None = 20,
) -> tuple[list[tuple[TenderResponse, Tender]], int]:  # fmt: skip
    """The responses of the person's organisations (each its own, never another's), the
    newest first; `deadline`: the tender closing soonest first; `tender`: by its title."""
    match checked_sort(sort, MY_RESPONSE_SORTS):
        case "deadline":
            order: list[Any] = [Tender.submission_deadline.asc().nulls_last()]
        case "tender":
            order = [func.lower(Tender.title), Tender.title]
        case _:
            order = [TenderResponse.submitted_at.desc()]
    query = (
        select(TenderResponse, Tender)
        .join(Tender, Tender.id == TenderResponse.tender_id)
        .where(TenderResponse.organisation_id.in_(list(actor.roles)))
    )
    return await paged_rows(session, query, [*order, TenderResponse.id], page, per_page)


async def my_questions(session: AsyncSession, actor: Actor) -> list[tuple[Question, Tender]]:
    rows, _ = await list_my_questions(session, actor, per_page=None)
    return rows


async def list_my_questions(
    session: AsyncSession, actor: Actor, *, sort: str | None = None, page: int = 1,
    per_page: int | None = 20,
) -> tuple[list[tuple[Question, Tender]], int]:  # fmt: skip
    """The questions this person asked, newest first: askers are anonymous to everyone else,
    but they follow their own questions and the answers. `unanswered`: those still waiting
    first; `tender`: by the tender's title."""
    match checked_sort(sort, MY_QUESTION_SORTS):
        case "unanswered":
            waiting = case((Question.answered_at.is_(None), 0), else_=1)
            order: list[Any] = [waiting, Question.asked_at.desc()]
        case "tender":
            order = [func.lower(Tender.title), Tender.title, Question.asked_at.desc()]
        case _:
            order = [Question.asked_at.desc()]
    query = (
        select(Question, Tender)
        .join(Tender, Tender.id == Question.tender_id)
        .where(Question.asker_user_id == actor.user_id)
    )
    return await paged_rows(session, query, [*order, Question.id], page, per_page)


# --- evaluation and award -------------------------------------------------------------


async def _evaluable(
    session: AsyncSession, actor: Actor, tender_id: str, now: datetime, lead_only: bool
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    action = "decide" if lead_only else "score"
    await _require(session, actor, tender, action, now, refused_as=AuditAction.REFUSED_EVALUATE)
    return tender


async def score(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, data: ScoresIn,
    now: datetime,
) -> TenderResponse:  # fmt: skip
    tender = await _evaluable(session, actor, tender_id, now, lead_only=False)
    response = await session.get(TenderResponse, response_id)
    if response is None or response.tender_id != tender.id:
        raise NotFound("No such response.")
    weights = {c["name"]: int(c["weight"]) for c in tender.award_criteria}
    if set(data.scores) != set(weights):
        raise Invalid.field("scores", f"score every criterion and only those: {', '.join(weights)}")
    total = sum(Decimal(data.scores[n]) * weights[n] for n in weights) / Decimal(100)
    before = {"scores": response.scores, "weighted_total": str(response.weighted_total)} if (
        response.scores
    ) else None  # fmt: skip
    response.scores = dict(data.scores)
    response.weighted_total = total.quantize(Decimal("0.01"))
    response.scored_at, response.scored_by = now, actor.user_id
    await session.flush()
    editor_of = next(o for o in buyer_ids(tender) if actor.can_edit(o))
    await append_audit(session, tender, actor, editor_of, AuditAction.RESPONSE_SCORED, now, before,
                 {"response_id": response.id, "scores": response.scores,
                  "weighted_total": str(response.weighted_total)})  # fmt: skip
    return response


async def _decide(
    session: AsyncSession, actor: Actor, tender: Tender, decision: LotDecision, now: datetime
) -> LotDecision:
    session.add(decision)
    try:
        # A savepoint, so that losing the race leaves the transaction usable for the 409.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("This lot has already been decided.") from None
    decided = set(
        await session.scalars(select(LotDecision.outcome).where(LotDecision.tender_id == tender.id))
    )
    count = await session.scalar(
        select(func.count()).select_from(LotDecision).where(LotDecision.tender_id == tender.id)
    )
    action = (
        AuditAction.LOT_AWARDED if decision.outcome == "awarded" else AuditAction.LOT_UNSUCCESSFUL
    )
    await append_audit(session, tender, actor, tender.lead_buyer_id, action, now, None, {
        "lot_id": decision.lot_id, "response_id": decision.response_id,
        "supplier_id": decision.supplier_id,
        "value": {"amount": f"{decision.value_amount:.2f}", "currency": decision.currency}
        if decision.value_amount is not None else None,
        **({"reason": decision.reason} if decision.reason else {}),
    })  # fmt: skip
    if count == len(tender.lots):
        tender.move_to("complete" if "awarded" in decided else "unsuccessful", now)
        tender.updated_at = now
        await session.flush()
        await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.TENDER_COMPLETED, now, None,
                     {"status": tender.stage_at(now)})  # fmt: skip
    # One `award` release per decision, unsuccessful lots included (award status
    # `unsuccessful`), built after the status change so the last one says `complete`.
    await store_release(session, tender, "award", now)
    return decision


async def _undecided_lot(session: AsyncSession, tender: Tender, lot_id: str) -> Lot:
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise Invalid.field("lot_id", "is not a lot of this tender")
    if await session.scalar(select(LotDecision.id).where(LotDecision.lot_id == lot_id)):
        raise Conflict("This lot has already been decided.")
    return lot


async def award(
    session: AsyncSession, actor: Actor, tender_id: str, data: AwardIn, now: datetime
) -> LotDecision:
    tender = await _evaluable(session, actor, tender_id, now, lead_only=True)
    lot = await _undecided_lot(session, tender, data.lot_id)
    response = await session.get(TenderResponse, data.response_id)
    if response is None or response.tender_id != tender.id:
        raise Invalid.field("response_id", "is not a response to this tender")
    if lot.id not in response.lot_ids:
        raise Invalid.field("response_id", "this response does not cover the lot")
    decision = LotDecision(
        tender_id=tender.id, lot_id=lot.id, outcome="awarded", response_id=response.id,
        supplier_id=response.organisation_id, value_amount=data.value.amount,
        currency=data.value.currency, decided_at=now, decided_by=actor.user_id,
    )  # fmt: skip
    return await _decide(session, actor, tender, decision, now)


async def declare_unsuccessful(
    session: AsyncSession, actor: Actor, tender_id: str, data: UnsuccessfulIn, now: datetime
) -> LotDecision:
    tender = await _evaluable(session, actor, tender_id, now, lead_only=True)
    lot = await _undecided_lot(session, tender, data.lot_id)
    decision = LotDecision(
        tender_id=tender.id, lot_id=lot.id, outcome="unsuccessful", decided_at=now,
        decided_by=actor.user_id, reason=data.reason,
    )  # fmt: skip
    return await _decide(session, actor, tender, decision, now)


async def decisions(session: AsyncSession, tender_id: str) -> list[LotDecision]:
    return list(
        await session.scalars(
            select(LotDecision)
            .where(LotDecision.tender_id == tender_id)
            .order_by(LotDecision.decided_at, LotDecision.id)
        )
    )


# --- audit trail for readers ------------------------------------------------------------


@dataclass
class AuditLine:
    entry: AuditEntry
    organisation_name: str | None
    user_name: str | None


async def audit_trail(
    session: AsyncSession, actor: Actor | None, tender_id: str, now: datetime
) -> list[AuditLine]:
    """Buyers see the whole trail except sealed entries before the deadline; everyone else
    sees the public part (and an organisation its own sealed entries)."""
    tender = await get_tender(session, actor, tender_id)
    rows = list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.tender_id == tender.id).order_by(AuditEntry.seq)
        )
    )
    buyer = is_buyer_member(actor, tender)
    opened = responses_opened(tender, now)
    own = set(actor.roles) if actor else set()

    def visible(entry: AuditEntry) -> bool:
        if entry.sealed:
            return entry.organisation_id in own or (buyer and opened)
        if buyer:
            return True
        return entry.public and tender.published_at is not None

    shown = [e for e in rows if visible(e)]
    org_names = await organisation_names(
        session, {e.organisation_id for e in shown if e.organisation_id}
    )
    user_names: dict[str, str] = {}
    if buyer:
        ids = {e.user_id for e in shown if e.user_id}
        user_names = dict(
            (await session.execute(select(User.id, User.name).where(User.id.in_(ids))))
            .tuples()
            .all()
        )
    return [
        AuditLine(
            e,
            org_names.get(e.organisation_id) if e.organisation_id else None,
            user_names.get(e.user_id) if e.user_id else None,
        )
        for e in shown
    ]


# --- OCDS releases --------------------------------------------------------------------


async def release_date(session: AsyncSession, tender_id: str, wanted: datetime) -> datetime:
    """The date of a process's next release: `wanted`, or one second after its last release
    when that is the same second or later. OCDS dates are to the second and tools that compile
    a record (`ocdskit compile`, OCDS Merge) order releases by date alone, so two releases
    of one process on the same second (publishing then amending at once, two notices of one
    day) would compile in either order."""
    last = await session.scalar(
        select(func.max(OcdsRelease.date)).where(OcdsRelease.tender_id == tender_id)
    )
    wanted = wanted.replace(microsecond=0)
    if last is not None and wanted <= last.replace(microsecond=0):
        return last.replace(microsecond=0) + timedelta(seconds=1)
    return wanted


async def store_release(
    session: AsyncSession, tender: Tender, tag: str, now: datetime, *, release_id: str | None = None
) -> None:
    """Build and store one release, dated `now` (or just after the process's last release,
    `release_date`). Nothing sealed goes in: the snapshot carries lots, buyers, requirements,
    amendments, lot decisions and contracts, never a response; the number of responses only
    once they are opened (`reads.bid_counts`).
    """
    date = await release_date(session, tender.id, now)
    tv = await _view(session, tender, now)
    codes = [s["code"] for s in tender.required_standards]
    titles = dict(
        (
            await session.execute(
                select(Standard.code, Standard.title).where(Standard.code.in_(codes))
            )
        )
        .tuples()
        .all()
    )
    rows = await session.execute(
        select(
            OrganisationIdentifier.organisation_id,
            OrganisationIdentifier.scheme,
            OrganisationIdentifier.identifier,
        )
        .where(
            OrganisationIdentifier.organisation_id.in_(list(tv.organisations)),
            OrganisationIdentifier.scheme.is_not(None),
        )
        .order_by(OrganisationIdentifier.position, OrganisationIdentifier.id)
    )
    identifiers: dict[str, list[tuple[str, str]]] = {}
    for organisation_id, scheme, number in rows.tuples():
        identifiers.setdefault(organisation_id, []).append((scheme or "", number))
    data = releases.build(tv, titles, tag, date, release_id=release_id, identifiers=identifiers)
    seq = await session.scalar(
        select(func.count()).select_from(OcdsRelease).where(OcdsRelease.tender_id == tender.id)
    )
    session.add(
        OcdsRelease(
            tender_id=tender.id,
            ocid=tender.ocid,
            release_id=data["id"],
            seq=(seq or 0) + 1,
            tag=tag,
            date=date,
            data=data,
        )
    )
    await session.flush()


async def tender_releases(
    session: AsyncSession, actor: Actor | None, tender_id: str
) -> list[OcdsRelease]:
    tender = await get_tender(session, actor, tender_id)
    if tender.published_at is None:
        raise NotFound("No such tender.")
    return list(
        await session.scalars(
            select(OcdsRelease).where(OcdsRelease.tender_id == tender.id).order_by(OcdsRelease.seq)
        )
    )


async def all_releases(
    session: AsyncSession, since: datetime | None, page: int, per_page: int
) -> tuple[list[OcdsRelease], int]:
    query = select(OcdsRelease)
    if since is not None:
        query = query.where(OcdsRelease.date >= since)
    order = (OcdsRelease.date, OcdsRelease.ocid, OcdsRelease.seq)
    return await paged(session, query, order, page, per_page)


# --- bulk downloads: every published release, by year ------------------------------------


@dataclass(frozen=True)
class ReleaseYear:
    year: int
    releases: int


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


async def release_years(session: AsyncSession) -> list[ReleaseYear]:
    """The years with published releases, latest first, with how many each has."""
    year = func.extract("year", OcdsRelease.date)
    rows = await session.execute(
        select(year, func.count()).group_by(year).order_by(year.desc())
    )  # fmt: skip
    return [ReleaseYear(int(y), n) for y, n in rows.tuples()]


async def count_releases_of_year(session: AsyncSession, year: int) -> int:
    start, end = _year_bounds(year)
    query = select(func.count()).select_from(OcdsRelease)
    return await session.scalar(query.where(OcdsRelease.date >= start, OcdsRelease.date < end)) or 0


# Where a batch of a year's releases ends: the next starts after it (date, ocid, seq).
ReleaseKey = tuple[datetime, str, int]


async def releases_of_year(
    session: AsyncSession, year: int, after: ReleaseKey | None, limit: int
) -> list[tuple[ReleaseKey, dict[str, Any]]]:
    """One batch of the year's releases in the feed's order (date, ocid, seq), after `after`.

    Keyset pagination, so that a download of a large year reads it in short queries (each in
    a session of its own) instead of holding one transaction open while a client reads."""
    start, end = _year_bounds(year)
    query = select(OcdsRelease.date, OcdsRelease.ocid, OcdsRelease.seq, OcdsRelease.data).where(
        OcdsRelease.date >= start, OcdsRelease.date < end
    )
    if after is not None:
        date, ocid, seq = after
        query = query.where(
            or_(
                OcdsRelease.date > date,
                and_(OcdsRelease.date == date, OcdsRelease.ocid > ocid),
                and_(OcdsRelease.date == date, OcdsRelease.ocid == ocid, OcdsRelease.seq > seq),
            )
        )
    rows = await session.execute(
        query.order_by(OcdsRelease.date, OcdsRelease.ocid, OcdsRelease.seq).limit(limit)
    )
    return [((date, ocid, seq), data) for date, ocid, seq, data in rows.tuples()]
