"""Tender rules: who may do what and when, checked here and nowhere else.

Sealing: before the submission deadline a response is readable by its own organisation
only. Every other attempt (buyers, platform admins, anyone) is refused with a message that
says nothing about whether responses exist, and the refusal is written to the audit trail
in its own transaction, because the request's transaction is rolled back on an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, User
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from marketplace.searching import enqueue
from marketplace.settings import Settings
from marketplace.standards.models import Standard
from marketplace.tenders import releases
from marketplace.tenders.models import (
    Amendment,
    AuditEntry,
    IllegalTransition,
    Lot,
    LotDecision,
    OcdsRelease,
    Question,
    Tender,
    TenderBuyer,
    TenderResponse,
)
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
from marketplace.tenders.search import KIND as SEARCH_KIND

_TICK = timedelta(microseconds=1)
SEALED = "Responses to this tender are sealed until the submission deadline."
# Fields whose change alters what bidders must offer: an amendment touching any of them must
# give bidders more time (settings.amendment_deadline_extension_days).
MATERIAL_FIELDS = ("lots", "required_standards", "outcomes", "award_criteria")
# Actions shown to everyone once the tender is published.
PUBLIC_ACTIONS = frozenset(
    {"tender.published", "tender.amended", "question.answered", "lot.awarded",
     "lot.unsuccessful", "tender.cancelled", "tender.completed"}
)  # fmt: skip


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


def buyer_ids(tender: Tender) -> set[str]:
    return {b.organisation_id for b in tender.buyers}


def is_buyer_member(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and any(actor.is_member(o) for o in buyer_ids(tender))


def is_buyer_editor(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and any(actor.can_edit(o) for o in buyer_ids(tender))


def is_lead_editor(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and actor.can_edit(tender.lead_buyer_id)


def _require_lead(actor: Actor, tender: Tender) -> None:
    if not is_lead_editor(actor, tender):
        raise Forbidden("Only editors of the lead buyer may do this.")


def can_see(actor: Actor | None, tender: Tender) -> bool:
    return (
        tender.published_at is not None
        or is_buyer_member(actor, tender)
        or (actor is not None and actor.is_admin)
    )


def responses_opened(tender: Tender, now: datetime) -> bool:
    """Responses open at the submission deadline, unless the tender was cancelled before."""
    if tender.published_at is None or now < tender.submission_deadline:
        return False
    return tender.cancelled_at is None or tender.cancelled_at >= tender.submission_deadline


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


async def _audit(
    session: AsyncSession,
    tender: Tender,
    actor: Actor | None,
    organisation_id: str | None,
    action: str,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    *,
    sealed: bool = False,
) -> None:
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
    session: AsyncSession, tender_id: str, actor: Actor | None, action: str, now: datetime
) -> None:
    """Write a refused attempt so that it survives the error response.

    The request's transaction is rolled back on any error, so the entry is committed here;
    a second connection cannot do it on SQLite, where the request may already hold the write
    lock (the token's last use is recorded). Refusals are decided before a service writes
    anything, so rolling back first discards nothing of the caller's.
    """
    await session.rollback()
    session.add(
        AuditEntry(
            tender_id=tender_id, seq=await _next_seq(session, tender_id), at=now,
            user_id=actor.user_id if actor else None,
            organisation_id=None, action=action, public=False, sealed=False,
            after={"admin": bool(actor and actor.is_admin)},
        )
    )  # fmt: skip
    await session.commit()


async def _refuse_sealed(
    session: AsyncSession, tender: Tender, actor: Actor | None, what: str, now: datetime
) -> Forbidden:
    await record_refusal(session, tender.id, actor, f"refused.{what}", now)
    return Forbidden(SEALED)


# --- reading --------------------------------------------------------------------------


@dataclass
class TenderView:
    """Everything a tender page or API response shows, loaded up front."""

    tender: Tender
    stage: str
    organisations: dict[str, Organisation]
    decisions: dict[str, LotDecision]
    now: datetime
    amendments: list[Amendment] = field(default_factory=list)


async def view(
    session: AsyncSession, actor: Actor | None, tender_id: str, now: datetime
) -> TenderView:
    tender = await get_tender(session, actor, tender_id)
    return await _view(session, tender, now)


async def _view(session: AsyncSession, tender: Tender, now: datetime) -> TenderView:
    ids = buyer_ids(tender)
    decisions = list(
        await session.scalars(select(LotDecision).where(LotDecision.tender_id == tender.id))
    )
    ids |= {d.supplier_id for d in decisions if d.supplier_id}
    organisations = {
        o.id: o for o in await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
    amendments = list(
        await session.scalars(
            select(Amendment).where(Amendment.tender_id == tender.id).order_by(Amendment.number)
        )
    )
    return TenderView(
        tender,
        tender.stage_at(now),
        organisations,
        {d.lot_id: d for d in decisions},
        now,
        amendments,
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
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Tender], int]:
    query = select(Tender)
    own = list(actor.roles) if actor else []
    in_buyers = Tender.id.in_(
        select(TenderBuyer.tender_id).where(TenderBuyer.organisation_id.in_(own))
    )
    if mine:
        query = query.where(in_buyers)
    elif not (actor and actor.is_admin):
        query = query.where(Tender.published_at.is_not(None) | in_buyers)
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
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.options(selectinload(Tender.lots), selectinload(Tender.buyers))
        .order_by(Tender.submission_deadline.desc(), Tender.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


# --- preparation ----------------------------------------------------------------------


async def _check_standards(session: AsyncSession, codes: list[str], field_name: str) -> None:
    if not codes:
        return
    known = set(await session.scalars(select(Standard.code).where(Standard.code.in_(codes))))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid.field(field_name, f"unknown standard {', '.join(unknown)}")


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
        if organisation.kind != "city":
            raise Invalid.field("buyers", f"{organisation.name} is not a city")


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
        out["award_criteria"] = [c.model_dump() for c in data.award_criteria]
    return out


def _lot_json(lot: Lot) -> dict[str, Any]:
    return {
        "number": lot.number, "title": lot.title, "description": lot.description,
        "estimated_value": {"amount": f"{lot.estimated_amount:.2f}", "currency": lot.currency},
    }  # fmt: skip


def _lot_in_json(number: int, lot: LotIn) -> dict[str, Any]:
    return {"number": number, "title": lot.title, "description": lot.description,
            "estimated_value": lot.estimated_value.as_json()}  # fmt: skip


def _snapshot(tender: Tender) -> dict[str, Any]:
    return {
        "title": tender.title, "description": tender.description,
        "procedure": tender.procedure, "themes": tender.themes,
        "cpv_codes": tender.cpv_codes, "nuts_codes": tender.nuts_codes,
        "lots": [_lot_json(lot) for lot in tender.lots],
        "required_standards": tender.required_standards, "outcomes": tender.outcomes,
        "award_criteria": tender.award_criteria,
        "clarification_deadline": tender.clarification_deadline.isoformat(),
        "submission_deadline": tender.submission_deadline.isoformat(),
    }  # fmt: skip


def _check_deadline_order(clarification: datetime, submission: datetime, now: datetime) -> None:
    errors = []
    if clarification <= now:
        errors.append(FieldError("clarification_deadline", "must be in the future"))
    if submission <= now:
        errors.append(FieldError("submission_deadline", "must be in the future"))
    if clarification >= submission:
        errors.append(
            FieldError("clarification_deadline", "must be before the submission deadline")
        )
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


async def create_tender(
    session: AsyncSession, actor: Actor, data: TenderIn, now: datetime, settings: Settings
) -> Tender:
    if not actor.can_edit(data.lead_buyer_id):
        raise Forbidden("Only editors of the lead city may create its tenders.")
    lead = await session.get(Organisation, data.lead_buyer_id)
    if lead is None or lead.kind != "city":
        raise Invalid.field("lead_buyer_id", "must be a city")
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
    tender.lots = [
        Lot(number=i, title=lot.title, description=lot.description,
            estimated_amount=lot.estimated_value.amount, currency=lot.estimated_value.currency)
        for i, lot in enumerate(data.lots, start=1)
    ]  # fmt: skip
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
    await _audit(session, tender, actor, lead.id, "tender.created", now, None, _snapshot(tender))
    for buyer in invited:
        await _audit(
            session, tender, actor, lead.id, "buyer.invited", now, None,
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
        lot = by_number.get(number) or Lot(number=number)
        lot.title, lot.description = new.title, new.description
        lot.estimated_amount = new.estimated_value.amount
        lot.currency = new.estimated_value.currency
        kept.append(lot)
    tender.lots = kept


async def update_tender(
    session: AsyncSession, actor: Actor, tender_id: str, data: TenderUpdate, now: datetime
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    _require_lead(actor, tender)
    if tender.stage_at(now) != "planning":
        raise Conflict("A published tender changes only through amendments.")
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
    if data.clarification_deadline or data.submission_deadline:
        tender.clarification_deadline = data.clarification_deadline or tender.clarification_deadline
        tender.submission_deadline = data.submission_deadline or tender.submission_deadline
        _check_deadline_order(tender.clarification_deadline, tender.submission_deadline, now)
    if data.lots is not None:
        _replace_lots(tender, data.lots, keep_ids=False)
    if data.buyers is not None:
        await _rebuild_buyers(session, tender, data.buyers, now)
    tender.updated_at = now
    await session.flush()
    await _audit(session, tender, actor, tender.lead_buyer_id, "tender.edited", now, before,
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


async def confirm_buyer(
    session: AsyncSession, actor: Actor, tender_id: str, organisation_id: str, now: datetime,
    shares: list[ShareIn] | None = None,
) -> Tender:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    buyer = next((b for b in tender.buyers if b.organisation_id == organisation_id), None)
    if buyer is None:
        raise NotFound("This city is not invited to the tender.")
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only editors of the invited city may confirm its participation.")
    if tender.stage_at(now) != "planning":
        raise Conflict("The tender is already published.")
    if shares is not None:
        buyer.shares = _share_json(BuyerIn(organisation_id=organisation_id, shares=shares),
                                   len(tender.lots))  # fmt: skip
    if buyer.confirmed_at is None:
        buyer.confirmed_at, buyer.confirmed_by = now, actor.user_id
        await session.flush()
        await _audit(session, tender, actor, organisation_id, "buyer.confirmed", now, None,
                     {"shares": buyer.shares})  # fmt: skip
    return tender


# --- publication, amendments, cancellation ----------------------------------------------


def publication_problems(
    tender: Tender, organisations: dict[str, Organisation], now: datetime, settings: Settings
) -> list[FieldError]:
    problems: list[FieldError] = []
    for buyer in tender.buyers:
        if buyer.confirmed_at is None:
            name = organisations[buyer.organisation_id].name
            problems.append(FieldError("buyers", f"{name} has not confirmed its participation"))
    if len(tender.description.strip()) < 20:
        problems.append(FieldError("description", "describe the need (at least 20 characters)"))
    if not tender.lots:
        problems.append(FieldError("lots", "at least one lot is needed"))
    if not tender.cpv_codes:
        problems.append(FieldError("cpv_codes", "at least one CPV code is needed"))
    if sum(int(c["weight"]) for c in tender.award_criteria) != 100:
        problems.append(FieldError("award_criteria", "weights must sum to 100"))
    for field_name, message in deadline_problems(
        tender.procedure, settings.min_tender_period_days, now,
        tender.clarification_deadline, tender.submission_deadline,
    ):  # fmt: skip
        problems.append(FieldError(field_name, message))
    return problems


async def publish(
    session: AsyncSession, actor: Actor, tender_id: str, now: datetime, settings: Settings
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    _require_lead(actor, tender)
    tv = await _view(session, tender, now)
    if not tv.organisations[tender.lead_buyer_id].verified:
        raise Forbidden("Only a verified city can publish; ask a platform admin to verify it.")
    if tender.stage_at(now) != "planning":
        raise Conflict("The tender is already published.")
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
    await _audit(session, tender, actor, tender.lead_buyer_id, "tender.published", now, None,
                 _snapshot(tender))  # fmt: skip
    await _release(session, tender, "tender", now)
    return tender


def _changed(tender: Tender, data: TenderFields) -> dict[str, dict[str, Any]]:
    before = _snapshot(tender)
    proposed: dict[str, Any] = {}
    for name in ("title", "description"):
        if getattr(data, name) is not None:
            proposed[name] = getattr(data, name)
    proposed.update(_json_fields(data))
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
    _require_lead(actor, tender)
    stage = tender.stage_at(now)
    if stage == "planning":
        raise Conflict("The tender is not published yet; edit it instead of amending it.")
    if stage != "active":
        raise Conflict("Amendments are possible only until the submission deadline.")
    changes = _changed(tender, data.changes)
    if not changes:
        raise Invalid.field("changes", "the amendment changes nothing")
    changes_c = data.changes
    clarification = changes_c.clarification_deadline or tender.clarification_deadline
    submission = changes_c.submission_deadline or tender.submission_deadline
    if submission < tender.submission_deadline:
        raise Invalid.field("submission_deadline", "an amendment cannot bring the deadline earlier")
    material = [f for f in MATERIAL_FIELDS if f in changes]
    extension = timedelta(days=settings.amendment_deadline_extension_days)
    if material and submission < tender.submission_deadline + extension:
        raise Invalid.field(
            "submission_deadline",
            f"an amendment that changes {', '.join(material)} must move the submission "
            f"deadline at least {settings.amendment_deadline_extension_days} days later "
            f"(to {(tender.submission_deadline + extension).isoformat()} or after)",
        )
    # A deadline already passed (questions closed) may stay as it is; a new one must be ahead.
    _check_deadline_order(
        clarification if changes_c.clarification_deadline else max(clarification, now + _TICK),
        submission,
        now,
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
    await _audit(
        session, tender, actor, tender.lead_buyer_id, "tender.amended", now,
        {k: v["before"] for k, v in changes.items()},
        {"rationale": data.rationale, **{k: v["after"] for k, v in changes.items()}},
    )  # fmt: skip
    tender = await _load(session, tender.id)
    await _release(session, tender, "tenderAmendment", now)
    return amendment


async def cancel(
    session: AsyncSession, actor: Actor, tender_id: str, data: CancelIn, now: datetime
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    _require_lead(actor, tender)
    awarded = await session.scalar(
        select(func.count())
        .select_from(LotDecision)
        .where(LotDecision.tender_id == tender.id, LotDecision.outcome == "awarded")
    )
    if awarded:
        raise Conflict("A lot has already been awarded; the tender can no longer be cancelled.")
    try:
        tender.move_to("cancelled", now, data.reason)
    except IllegalTransition as error:
        raise Conflict(f"The tender is {error.current}; it cannot be cancelled.") from None
    tender.updated_at = now
    await session.flush()
    await _audit(session, tender, actor, tender.lead_buyer_id, "tender.cancelled", now, None,
                 {"reason": data.reason})  # fmt: skip
    if tender.published_at is not None:
        await _release(session, tender, "tenderCancellation", now)
    return tender


# --- questions ------------------------------------------------------------------------


async def ask(
    session: AsyncSession, actor: Actor, tender_id: str, data: QuestionIn, now: datetime
) -> Question:
    tender = await get_tender(session, actor, tender_id)
    if not actor.roles:
        raise Forbidden("Join an organisation to ask questions.")
    organisation_id = data.organisation_id or next(iter(actor.roles))
    if not actor.is_member(organisation_id):
        raise Forbidden("You can ask only on behalf of your own organisation.")
    if tender.stage_at(now) != "active":
        raise Conflict("The tender is not open for questions.")
    if now >= tender.clarification_deadline:
        raise Conflict("The clarification deadline has passed; questions are closed.")
    question = Question(
        tender_id=tender.id, asker_user_id=actor.user_id, asker_organisation_id=organisation_id,
        text=data.text, asked_at=now,
    )  # fmt: skip
    session.add(question)
    await session.flush()
    # The asker stays anonymous to everyone, buyers included: the entry names no one.
    await _audit(session, tender, None, None, "question.asked", now, None,
                 {"question_id": question.id})  # fmt: skip
    return question


async def answer(
    session: AsyncSession, actor: Actor, tender_id: str, question_id: str, data: AnswerIn,
    now: datetime,
) -> Question:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    if not is_buyer_editor(actor, tender):
        raise Forbidden("Only editors of the buying cities answer questions.")
    question = await session.get(Question, question_id)
    if question is None or question.tender_id != tender.id:
        raise NotFound("No such question.")
    if tender.stage_at(now) in ("cancelled", "complete", "unsuccessful"):
        raise Conflict("The tender is closed.")
    before = {"answer": question.answer} if question.answer else None
    question.answer, question.answered_at, question.answered_by = data.text, now, actor.user_id
    await session.flush()
    editor_of = next(o for o in buyer_ids(tender) if actor.can_edit(o))
    await _audit(session, tender, actor, editor_of, "question.answered", now, before,
                 {"question": question.text, "answer": data.text})  # fmt: skip
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


async def submit_response(
    session: AsyncSession, actor: Actor, tender_id: str, data: ResponseIn, now: datetime
) -> TenderResponse:
    tender = await get_tender(session, actor, tender_id)
    if tender.published_at is None:
        raise NotFound("No such tender.")
    if not actor.can_edit(data.organisation_id):
        raise Forbidden("Only editors of the responding organisation may respond.")
    organisation = await session.get(Organisation, data.organisation_id)
    if organisation is None or organisation.kind != "sme":
        raise Invalid.field("organisation_id", "must be an SME")
    stage = tender.stage_at(now)
    if stage != "active":
        raise Conflict(
            "The submission deadline has passed; responses are closed."
            if stage == "evaluation"
            else "The tender is not open for responses."
        )
    await _check_response(
        session, tender, data.lot_ids, [s.code for s in data.standards],
        [c.metric for c in data.outcome_commitments],
    )  # fmt: skip
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
    await _audit(session, tender, actor, organisation.id, "response.submitted", now, None,
                 {"response_id": response.id}, sealed=True)  # fmt: skip
    return response


async def _own_response(
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
            raise await _refuse_sealed(session, tender, actor, what, now)
        raise NotFound("No such response of yours.")
    if tender.stage_at(now) != "active":
        raise Conflict("The submission deadline has passed; responses are frozen.")
    return response


async def revise_response(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str,
    data: ResponseUpdate, now: datetime,
) -> TenderResponse:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    response = await _own_response(session, actor, tender, response_id, now, "response.revise")
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
        response.listing_id = data.listing_id
    response.updated_at = now
    await session.flush()
    await _audit(session, tender, actor, response.organisation_id, "response.revised", now, None,
                 {"response_id": response.id}, sealed=True)  # fmt: skip
    return response


async def withdraw_response(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, now: datetime
) -> None:
    tender = await get_tender(session, actor, tender_id)
    response = await _own_response(session, actor, tender, response_id, now, "response.withdraw")
    organisation_id = response.organisation_id
    await session.delete(response)
    await session.flush()
    await _audit(session, tender, actor, organisation_id, "response.withdrawn", now,
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
        raise await _refuse_sealed(session, tender, actor, "responses.list", now)
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
        raise await _refuse_sealed(session, tender, actor, "response.read", now)
    raise NotFound("No such response.")


async def organisation_names(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    rows = await session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return dict(rows.tuples().all())


async def my_responses(session: AsyncSession, actor: Actor) -> list[tuple[TenderResponse, Tender]]:
    rows = await session.execute(
        select(TenderResponse, Tender)
        .join(Tender, Tender.id == TenderResponse.tender_id)
        .where(TenderResponse.organisation_id.in_(list(actor.roles)))
        .order_by(TenderResponse.submitted_at.desc())
    )
    return [(r, t) for r, t in rows.tuples().all()]


# --- evaluation and award -------------------------------------------------------------


async def _evaluable(
    session: AsyncSession, actor: Actor, tender_id: str, now: datetime, lead_only: bool
) -> Tender:
    tender = await get_tender(session, actor, tender_id)
    allowed = is_lead_editor(actor, tender) if lead_only else is_buyer_editor(actor, tender)
    if not responses_opened(tender, now):
        raise await _refuse_sealed(session, tender, actor, "evaluate", now)
    if not allowed:
        raise Forbidden(
            "Only editors of the lead buyer may decide lots."
            if lead_only
            else "Only editors of the buying cities evaluate responses."
        )
    if tender.stage_at(now) != "evaluation":
        raise Conflict(f"The tender is {tender.stage_at(now)}; evaluation is over.")
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
    await _audit(session, tender, actor, editor_of, "response.scored", now, before,
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
    action = "lot.awarded" if decision.outcome == "awarded" else "lot.unsuccessful"
    await _audit(session, tender, actor, tender.lead_buyer_id, action, now, None, {
        "lot_id": decision.lot_id, "response_id": decision.response_id,
        "supplier_id": decision.supplier_id,
        "value": {"amount": f"{decision.value_amount:.2f}", "currency": decision.currency}
        if decision.value_amount is not None else None,
    })  # fmt: skip
    if count == len(tender.lots):
        tender.move_to("complete" if "awarded" in decided else "unsuccessful", now)
        tender.updated_at = now
        await session.flush()
        await _audit(session, tender, actor, tender.lead_buyer_id, "tender.completed", now, None,
                     {"status": tender.stage_at(now)})  # fmt: skip
    # One `award` release per decision, unsuccessful lots included (award status
    # `unsuccessful`), built after the status change so the last one says `complete`.
    await _release(session, tender, "award", now)
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
        decided_by=actor.user_id,
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


async def _release(session: AsyncSession, tender: Tender, tag: str, now: datetime) -> None:
    """Build and store one release. Nothing sealed goes in: the snapshot carries lots,
    buyers, requirements, amendments and lot decisions, never a response or a count.

    Every public change of a tender makes a release, so this is also where the search index
    hears of it, in the same transaction.
    """
    await enqueue(session, SEARCH_KIND, tender.id, now=now)
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
    data = releases.build(tv, titles, tag, now)
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
            date=now,
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
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(OcdsRelease.date, OcdsRelease.ocid, OcdsRelease.seq)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total
