"""Import of published TED notices (TED XML R2.0.9 and eForms) as external tenders.

A notice is read by `marketplace.tenders.notices` into a neutral `Notice`; this module turns
that value into tender rows. An imported tender is read-only here (every service refuses to
change it), public from the notice's publication date, and may hold past deadlines — it
records what happened elsewhere. One notice is one transaction (the caller's).

Identity (docs/import.md): a notice is known by its id (importing it again changes nothing);
the notices of one procedure share a tender, found by the eForms procedure identifier
(BT-04) or, for R2.0.9, by the publication numbers a notice refers to. A newer notice of the
procedure (a result, a change) updates the tender: what it says replaces what was there,
what it leaves out stays; an older notice imported after a newer one only fills gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import BUYER_KINDS, Organisation, OrganisationIdentifier
from marketplace.accounts.principal import Actor
from marketplace.errors import Forbidden
from marketplace.settings import Settings
from marketplace.tenders import services
from marketplace.tenders.audit import AuditAction
from marketplace.tenders.models import (
    PROCEDURES,
    Amendment,
    Lot,
    LotDecision,
    Tender,
    TenderBuyer,
    TenderNotice,
)
from marketplace.tenders.notices import Notice, NoticeError, read_notice
from marketplace.tenders.notices import model as nm
from marketplace.tenders.notices.mapping import compact_identifier

Status = Literal["created", "updated", "unchanged", "refused"]

# eForms BT-144 / R2.0.9 NO_AWARDED_CONTRACT reasons, as a reader of the tender page says them.
NOT_AWARDED_REASONS = {
    "no-rece": "No tenders or requests to participate were received",
    "all-rej": "All tenders were rejected",
    "no-tenders": "No tenders or requests to participate were received",
    "PROCUREMENT_UNSUCCESSFUL": "No tenders or requests to participate were received, "
    "or all were rejected",
    "PROCUREMENT_DISCONTINUED": "The procedure was discontinued",
    "PROCUREMENT_DISCONTINUED_OTHER": "The procedure was discontinued",
    "chan-need": "The buyer's needs changed",
    "ins-funds": "Insufficient funds",
    "no-need": "The need no longer exists",
    "one-tenderer": "Only one tender was received",
    "other": "Other reason (see the notice)",
    "bu-ch": "The buyer's decision",
}
BUYER_TYPES = {
    nm.BuyerType.CITY: "city",
    nm.BuyerType.REGION: "region",
    nm.BuyerType.CENTRAL_PURCHASING_BODY: "central_purchasing_body",
    nm.BuyerType.PUBLIC_COMPANY: "public_company",
    nm.BuyerType.CENTRAL_GOVERNMENT: "other_public_body",
    nm.BuyerType.EU_INSTITUTION: "other_public_body",
    nm.BuyerType.OTHER_PUBLIC_BODY: "other_public_body",
    # R2.0.9 has one code for a city and a region: not guessed (no buyer type).
    nm.BuyerType.REGIONAL_OR_LOCAL_AUTHORITY: None,
}
# What our tenders call the regulation's procedures and the "other" ones.
PROCEDURE_OF = {
    nm.ProcedureType.COMPETITIVE_TENDERING: "other_single_stage",
    nm.ProcedureType.RAIL_EXPRESSION_OF_INTEREST: "other_multiple_stage",
}


@dataclass
class ImportReport:
    """What importing one file did, for a person reading the command's or the API's output."""

    source: str
    status: Status
    message: str
    tender_id: str | None = None
    notice_id: str | None = None
    publication_number: str | None = None
    ted_url: str | None = None
    title: str | None = None
    unmapped: list[dict[str, str | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "status": self.status, "message": self.message,
            "tender_id": self.tender_id, "notice_id": self.notice_id,
            "publication_number": self.publication_number, "ted_url": self.ted_url,
            "title": self.title, "unmapped": self.unmapped,
        }  # fmt: skip


class _Notes:
    """What the tender could not carry, added to the reader's own unmapped report."""

    def __init__(self, notice: Notice) -> None:
        self.lines: list[dict[str, str | None]] = [
            {"path": u.path, "value": u.value, "reason": u.reason} for u in notice.unmapped
        ]

    def add(self, path: str, value: str | None, reason: str) -> None:
        self.lines.append({"path": path, "value": value, "reason": reason})


def procedure_key(notice: Notice) -> str:
    """What ties the notices of one procedure: eForms BT-04, else the first notice's number."""
    if notice.procedure_id:
        return f"procedure:{notice.procedure_id}"
    first = notice.previous_notices[0] if notice.previous_notices else notice.publication_number
    return f"notice:{first or notice.notice_id}"


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), UTC)


def _cut(text: str | None, limit: int, notes: _Notes, path: str) -> str | None:
    if text is None or len(text) <= limit:
        return text
    notes.add(path, text[limit - 20 :], f"longer than {limit} characters: cut")
    return text[: limit - 1] + "…"


def _money(value: nm.Money | None) -> dict[str, str] | None:
    return None if value is None else {"amount": f"{value.amount:.2f}", "currency": value.currency}


def _cpv_list(main: nm.Cpv | None, additional: tuple[nm.Cpv, ...]) -> list[str]:
    codes = [c.code for c in (main, *additional) if c is not None and c.code]
    return list(dict.fromkeys(codes))


def _place(place: nm.Place) -> dict[str, Any]:
    out: dict[str, Any] = {"nuts": place.nuts.nuts_2024 if place.nuts else None}
    if place.nuts is not None:
        out["given"] = place.nuts.given
        out["exact"] = place.nuts.exact
    for name in ("country", "description", "anywhere"):
        if getattr(place, name):
            out[name] = getattr(place, name)
    return out


def _criterion(c: nm.AwardCriterion) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name or (c.kind.value.title() if c.kind else "Criterion")}
    if c.kind is not None:
        out["type"] = c.kind.value
    if c.description:
        out["description"] = c.description
    out["weight"] = str(c.weight) if c.weight is not None else None
    if c.weight_given is not None:
        out["weight_given"] = c.weight_given
    if c.weight_type:
        out["weight_type"] = c.weight_type
    return out


def _period(period: nm.Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    out: dict[str, Any] = {}
    if period.duration is not None:
        out["duration"] = {"amount": str(period.duration.amount), "unit": period.duration.unit}
    if period.start:
        out["start"] = period.start.isoformat()
    if period.end:
        out["end"] = period.end.isoformat()
    if period.indefinite:
        out["indefinite"] = True
    if period.description:
        out["description"] = period.description
    return out or None


def _clean(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v not in (None, "", (), [])}


def _framework(f: nm.FrameworkAgreement | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return _clean({
        "several_operators": f.several_operators, "max_participants": f.max_participants,
        "reopening": f.reopening, "justification": f.duration_justification,
        "max_value": _money(f.max_value),
    })  # fmt: skip


def _lot_values(lot: nm.Lot, notice: Notice, number: int, notes: _Notes) -> dict[str, Any]:
    path = f"lot {lot.id}"
    title = lot.title or (notice.title if len(notice.lots) == 1 else None) or f"Lot {lot.id}"
    return {
        "number": number,
        "external_id": lot.id[:40],
        "title": _cut(title, 300, notes, f"{path}/title"),
        "description": lot.description or "",
        "estimated_amount": lot.estimated_value.amount if lot.estimated_value else None,
        "currency": lot.estimated_value.currency if lot.estimated_value else None,
        "cpv_codes": _cpv_list(lot.main_cpv, lot.additional_cpv) or None,
        "places": [_place(p) for p in lot.places] or None,
        "award_criteria": [_criterion(c) for c in lot.award_criteria] or None,
        "framework": _framework(lot.framework),
        "dps": None
        if lot.dps is None
        else _clean(
            {"usage": lot.dps.usage, "additional_purchasers": lot.dps.additional_purchasers}
        ),
        "eauction": None
        if lot.eauction is None
        else _clean({"description": lot.eauction.description, "url": lot.eauction.url}),
        "options": {"description": lot.options or ""} if lot.has_options else None,
        "renewals": _clean({"max_renewals": lot.max_renewals, "description": lot.renewals})
        if lot.renewable
        else None,
        "period": _period(lot.period),
        "documents_url": _cut(lot.documents_url, 1000, notes, f"{path}/documents_url"),
    }


def _lot_rules(rules: nm.LotRules, lots: list[Lot]) -> dict[str, Any] | None:
    numbers = {lot.external_id: lot.number for lot in lots}
    out = _clean({
        "submission": rules.submission.value if rules.submission else None,
        "max_lots_per_tenderer": rules.max_lots_per_tenderer,
        "max_lots_awarded": rules.max_lots_awarded, "combination": rules.combination,
        "groups": [
            {"id": g.id, "lots": [numbers[i] for i in g.lot_ids if i in numbers]}
            for g in rules.groups
        ],
    })  # fmt: skip
    return out or None


def _procedure(notice: Notice, notes: _Notes) -> tuple[str, dict[str, Any] | None]:
    p = notice.procedure
    if p.type is None:
        notes.add("procedure", p.given, "procedure type not stated: recorded as other")
        kind = "other_single_stage"
    else:
        kind = PROCEDURE_OF.get(p.type, p.type.value)
    assert kind in PROCEDURES
    details = _clean({
        "given": p.given, "accelerated": p.accelerated or None, "justification": p.justification,
        "grounds": list(p.grounds), "features": p.features,
        "participation_deadline": notice.participation_deadline.isoformat()
        if notice.participation_deadline else None,
    })  # fmt: skip
    return kind, details or None


# --- buyers and winners ----------------------------------------------------------------------


def _country(org: nm.Organisation, fallback: str | None) -> str | None:
    if org.address.country:
        return org.address.country
    if org.address.region and org.address.region.given[:2].isalpha():
        return {"UK": "GB", "EL": "GR"}.get(
            org.address.region.given[:2], org.address.region.given[:2]
        )
    return fallback


async def _match(
    session: AsyncSession, org: nm.Organisation, country: str, kinds: tuple[str, ...]
) -> Organisation | None:
    keys = [(i.scheme, compact_identifier(i.id)) for i in org.identifiers if i.scheme]
    if keys:
        found = await session.scalar(
            select(Organisation)
            .join(OrganisationIdentifier)
            .where(or_(*(
                (OrganisationIdentifier.scheme == s) & (OrganisationIdentifier.identifier == i)
                for s, i in keys
            )))
            .limit(1)
        )  # fmt: skip
        if found is not None:
            return found
    found = await session.scalar(
        select(Organisation)
        .where(
            func.lower(Organisation.name) == org.name.strip().lower()[:200],
            Organisation.country == country,
            Organisation.kind.in_(kinds),
        )
        .order_by(Organisation.created_at, Organisation.id)
        .limit(1)
    )
    return found if isinstance(found, Organisation) else None


async def _organisation(
    session: AsyncSession, org: nm.Organisation, *, kind: str, buyer_type: str | None,
    country: str, now: datetime, notes: _Notes, kinds: tuple[str, ...],
) -> Organisation:  # fmt: skip
    """The organisation the notice names: matched by identifier, then by name and country,
    else created (unverified). A matched organisation keeps what it says; blanks are filled."""
    found = await _match(session, org, country, kinds)
    path = f"organisation {org.ref}"
    values = {
        "nuts_code": org.address.region.nuts_2024 if org.address.region else None,
        "website": _cut(org.website, 500, notes, f"{path}/website"),
        "street_address": _cut(org.address.street, 300, notes, f"{path}/street"),
        "locality": _cut(org.address.locality, 100, notes, f"{path}/locality"),
        "postal_code": _cut(org.address.postal_code, 20, notes, f"{path}/postal_code"),
        "contact_name": _cut(org.contact.name, 200, notes, f"{path}/contact"),
        "email": _cut(org.contact.email, 320, notes, f"{path}/email"),
        "telephone": _cut(org.contact.telephone, 50, notes, f"{path}/telephone"),
    }
    if found is None:
        found = Organisation(
            name=_cut(org.name, 200, notes, f"{path}/name") or org.ref, kind=kind,
            buyer_type=buyer_type, country=country, description="", verified=False,
            created_at=now, **values,
        )  # fmt: skip
        session.add(found)
        await session.flush()
    else:
        for name, value in values.items():
            if getattr(found, name) is None and value is not None:
                setattr(found, name, value)
    taken = set(
        (
            await session.execute(
                select(OrganisationIdentifier.scheme, OrganisationIdentifier.identifier).where(
                    OrganisationIdentifier.organisation_id == found.id
                )
            )
        ).tuples()
    )
    position = len(taken)
    for identifier in org.identifiers:
        key = (identifier.scheme, compact_identifier(identifier.id)[:100])
        if key in taken:
            continue
        if identifier.scheme is not None:
            owner = await session.scalar(
                select(OrganisationIdentifier.organisation_id).where(
                    OrganisationIdentifier.scheme == key[0],
                    OrganisationIdentifier.identifier == key[1],
                )
            )
            if owner is not None:  # claimed by another organisation: not moved
                notes.add(
                    f"{path}/identifier", identifier.id, "identifier held by another organisation"
                )
                continue
        session.add(
            OrganisationIdentifier(
                organisation_id=found.id, scheme=key[0], identifier=key[1], position=position
            )
        )
        taken.add(key)
        position += 1
    await session.flush()
    return found


def _buyer_type(buyer: nm.Buyer) -> str | None:
    if buyer.central_purchasing_body:
        return "central_purchasing_body"
    return BUYER_TYPES.get(buyer.buyer_type) if buyer.buyer_type else None


async def _buyers(
    session: AsyncSession, notice: Notice, now: datetime, notes: _Notes
) -> list[tuple[Organisation, bool]]:
    fallback = next((b.address.country for b in notice.buyers if b.address.country), None)
    fallback = fallback or next((p.country for p in notice.places if p.country), None)
    lead = notice.lead_buyer
    out: dict[str, tuple[Organisation, bool]] = {}
    for buyer in notice.buyers:
        country = _country(buyer, fallback)
        if country is None:
            raise ImportRefused(
                f"The buyer {buyer.name!r} has no country in the notice, and nothing else in it "
                "tells one; add the country to the notice file or create the organisation first."
            )
        buyer_type = _buyer_type(buyer)
        if buyer.buyer_type is nm.BuyerType.REGIONAL_OR_LOCAL_AUTHORITY:
            notes.add(f"buyer {buyer.ref}", buyer.legal_type,
                      "a regional or local authority: city or region not told, no buyer type")  # fmt: skip
        organisation = await _organisation(
            session, buyer, kind="city" if buyer_type == "city" else "public_buyer",
            buyer_type=buyer_type, country=country, now=now, notes=notes, kinds=BUYER_KINDS,
        )  # fmt: skip
        if organisation.kind not in BUYER_KINDS:
            notes.add(f"buyer {buyer.ref}", organisation.name,
                      f"matched an organisation of kind {organisation.kind}, not a buyer: left out")  # fmt: skip
            continue
        is_lead = buyer is lead
        previous = out.get(organisation.id)
        out[organisation.id] = (organisation, is_lead or bool(previous and previous[1]))
    if not out:
        raise ImportRefused(
            "The notice names no buyer this marketplace can hold; it cannot be imported."
        )
    if not any(is_lead for _, is_lead in out.values()):
        first = next(iter(out))
        out[first] = (out[first][0], True)
    return list(out.values())


async def _winner(
    session: AsyncSession, org: nm.Organisation, now: datetime, notes: _Notes, fallback: str
) -> Organisation:
    country = _country(org, fallback) or fallback
    if org.sme is None:
        notes.add(f"winner {org.ref}", org.name, "size not stated: recorded as a large company")
    kind = "sme" if org.sme else "large_company"
    return await _organisation(
        session, org, kind=kind, buyer_type=None, country=country, now=now, notes=notes,
        kinds=("sme", "large_company"),
    )  # fmt: skip


class ImportRefused(Exception):
    """The notice cannot become a tender; the message says why and what to do."""


# --- the import ------------------------------------------------------------------------------


def _tender_values(notice: Notice, notes: _Notes) -> dict[str, Any]:
    procedure, details = _procedure(notice, notes)
    cpv = _cpv_list(notice.main_cpv, notice.additional_cpv)
    if not cpv:
        cpv = list(dict.fromkeys(c for lot in notice.lots for c in _cpv_list(lot.main_cpv, ())))
    places = [p.nuts.nuts_2024 for lot in notice.lots for p in lot.places if p.nuts]
    places += [p.nuts.nuts_2024 for p in notice.places if p.nuts]
    questions, submission = notice.questions_deadline, notice.submission_deadline
    submission = submission or notice.participation_deadline
    if questions is not None and submission is not None and questions >= submission:
        notes.add("questions_deadline", questions.isoformat(),
                  "not before the submission deadline: not kept")  # fmt: skip
        questions = None
    title = notice.title or f"TED notice {notice.publication_number or notice.notice_id}"
    return {
        "title": _cut(title, 300, notes, "title"),
        "description": notice.description or "",
        "procedure": procedure,
        "procedure_details": details,
        "cpv_codes": cpv,
        "nuts_codes": list(dict.fromkeys(c for c in places if c)),
        "clarification_deadline": questions,
        "submission_deadline": submission,
        "estimated_amount": notice.estimated_value.amount if notice.estimated_value else None,
        "estimated_currency": notice.estimated_value.currency if notice.estimated_value else None,
        "documents_url": _cut(notice.documents_url, 1000, notes, "documents_url"),
        "contract_nature": notice.contract_nature,
        "language": (notice.language or "en")[:2],
    }


def _is_full(notice: Notice) -> bool:
    """R2.0.9 corrigenda (F14) and contract modifications (F20) restate only the changes:
    they never replace what the tender says. eForms notices are always complete."""
    return notice.format is nm.NoticeFormat.EFORMS or notice.kind not in (
        nm.NoticeKind.CHANGE,
        nm.NoticeKind.CONTRACT_MODIFICATION,
    )


def _decided_at(result: nm.LotResult, fallback: datetime) -> datetime:
    days = [d for c in result.contracts if (d := c.awarded or c.signed) is not None]
    return datetime.combine(min(days), time(0), UTC) if days else fallback


async def _results(
    session: AsyncSession, tender: Tender, notice: Notice, when: datetime, notes: _Notes,
    overwrite: bool, buyers_country: str,
) -> list[LotDecision]:  # fmt: skip
    by_external = {lot.external_id: lot for lot in tender.lots}
    existing = {
        d.lot_id: d
        for d in await session.scalars(
            select(LotDecision).where(LotDecision.tender_id == tender.id)
        )
    }
    changed: list[LotDecision] = []
    for result in notice.results:
        lot = by_external.get(result.lot_id[:40])
        if lot is None:
            notes.add(f"result {result.lot_id}", None, "result for a lot the notice does not list")
            continue
        if result.status is nm.ResultStatus.OPEN:
            continue
        decision = existing.get(lot.id)
        if decision is not None and not overwrite:
            continue
        decision = decision or LotDecision(tender_id=tender.id, lot_id=lot.id)
        contracts: list[dict[str, Any]] = []
        supplier_ids: list[str] = []
        for contract in result.contracts:
            ids = []
            for winner in contract.winners:
                org = await _winner(session, winner, when, notes, buyers_country)
                ids.append(org.id)
                supplier_ids.append(org.id)
            contracts.append(_clean({
                "id": contract.id, "title": contract.title,
                "awarded": contract.awarded.isoformat() if contract.awarded else None,
                "signed": contract.signed.isoformat() if contract.signed else None,
                "value": _money(contract.value), "supplier_ids": ids,
            }))  # fmt: skip
        values = [c.value for c in result.contracts if c.value is not None]
        same = len({v.currency for v in values}) == 1
        awarded = result.status is nm.ResultStatus.AWARDED
        decision.outcome = "awarded" if awarded else "unsuccessful"
        decision.response_id = None
        decision.supplier_id = supplier_ids[0] if awarded and supplier_ids else None
        decision.value_amount = sum((v.amount for v in values), Decimal(0)) if same else None
        decision.currency = values[0].currency if same else None
        decision.decided_at = _decided_at(result, when)
        decision.reason = (
            None if awarded else NOT_AWARDED_REASONS.get(result.reason or "", result.reason)
        )
        decision.tenders_received = result.tenders_received
        decision.contracts = contracts or None
        session.add(decision)
        changed.append(decision)
    await session.flush()
    return changed


def _apply(target: Any, values: dict[str, Any], overwrite: bool) -> None:
    for name, value in values.items():
        if value is None or value == [] or value == "":
            continue
        if overwrite or getattr(target, name) in (None, [], ""):
            setattr(target, name, value)


async def import_notice(
    session: AsyncSession, notice: Notice, now: datetime, settings: Settings,
    *, source: str, user_id: str | None = None,
) -> ImportReport:  # fmt: skip
    """Create or update the external tender of `notice`, in the caller's transaction."""
    report = ImportReport(
        source=source, status="unchanged", message="", notice_id=notice.notice_id,
        publication_number=notice.publication_number, ted_url=notice.ted_url, title=notice.title,
    )  # fmt: skip
    # The same publication in the other format (OP converts R2.0.9 notices to eForms) is
    # the same notice: its number says so.
    same = TenderNotice.notice_id == notice.notice_id[:100]
    if notice.publication_number:
        same = same | (TenderNotice.publication_number == notice.publication_number)
    known = await session.scalar(select(TenderNotice).where(same).limit(1))
    if known is not None:
        report.tender_id = known.tender_id
        report.unmapped = list(known.unmapped)
        report.message = "Already imported; nothing changed."
        if known.notice_id != notice.notice_id:
            report.message = f"Already imported from its {known.format} version; nothing changed."
        return report
    notes = _Notes(notice)
    key = procedure_key(notice)
    previous = [n for n in notice.previous_notices if n]
    if notice.publication_number:
        previous.append(notice.publication_number)
    sibling = await session.scalar(
        select(TenderNotice)
        .where(
            or_(
                TenderNotice.procedure_key == key,
                TenderNotice.publication_number.in_(previous),
            )
        )
        .order_by(TenderNotice.imported_at)
        .limit(1)
    )
    published = _moment(notice.publication_date or notice.issue_date) or now
    values = _tender_values(notice, notes)
    buyers = await _buyers(session, notice, now, notes)
    lead = next(org for org, is_lead in buyers if is_lead)
    before: dict[str, Any] = {}
    status: Status
    if sibling is None:
        tender = Tender(
            ocid=f"{settings.ocid_prefix}-{uuid5(NAMESPACE_URL, 'ted:' + key)}",
            lead_buyer_id=lead.id, themes=[], required_standards=[], outcomes=[],
            award_criteria=[], created_at=now, updated_at=now, created_by=user_id,
            published_at=published, imported=True, **values,
        )  # fmt: skip
        tender.lots = []
        tender.buyers = []
        session.add(tender)
        await session.flush()
        tender = await services._load(session, tender.id)
        overwrite, status = True, "created"
    else:
        tender = await services._load(session, sibling.tender_id)
        latest = await session.scalar(
            select(func.max(TenderNotice.issue_date)).where(TenderNotice.tender_id == tender.id)
        )
        overwrite = _is_full(notice) and (
            latest is None or notice.issue_date is None or notice.issue_date >= latest
        )
        status = "updated"
        before = services._snapshot(tender)
        _apply(tender, values, overwrite)
        if overwrite:
            tender.lead_buyer_id = lead.id
        tender.published_at = min(tender.published_at or published, published)
    # Lots, matched by the notice's own lot id.
    by_external = {lot.external_id: lot for lot in tender.lots}
    lots = list(tender.lots)
    if _is_full(notice) or not tender.lots:
        for lot in notice.lots:
            row = by_external.get(lot.id[:40])
            lot_values = _lot_values(lot, notice, row.number if row else len(lots) + 1, notes)
            if row is None:
                row = Lot(**lot_values)
                lots.append(row)
            else:
                _apply(row, lot_values, overwrite)
    tender.lots = lots
    rules = _lot_rules(notice.lot_rules, lots)
    if rules and (overwrite or tender.lot_rules is None):
        tender.lot_rules = rules
    # Buyers: every buyer a notice of the procedure names takes part.
    present = {b.organisation_id: b for b in tender.buyers}
    for org, _lead in buyers:
        row_b = present.get(org.id)
        if row_b is None:
            row_b = TenderBuyer(
                organisation_id=org.id, invited_at=published, confirmed_at=published, shares=[]
            )
            tender.buyers.append(row_b)
        if overwrite:
            row_b.is_lead = org.id == tender.lead_buyer_id
    tender.updated_at = now
    await session.flush()
    decisions = await _results(session, tender, notice, published, notes, overwrite, lead.country)
    tender = await services._load(session, tender.id)
    all_decided = await session.scalar(
        select(func.count()).select_from(LotDecision).where(LotDecision.tender_id == tender.id)
    )
    if tender.lots and all_decided == len(tender.lots) and tender.completed_at is None:
        outcomes = set(
            await session.scalars(
                select(LotDecision.outcome).where(LotDecision.tender_id == tender.id)
            )
        )
        if "awarded" in outcomes:
            tender.completed_at, tender.unsuccessful_at = published, None
        elif tender.unsuccessful_at is None:
            tender.unsuccessful_at = published
    amendment: Amendment | None = None
    if notice.kind in (nm.NoticeKind.CHANGE, nm.NoticeKind.CONTRACT_MODIFICATION) and sibling:
        after = services._snapshot(tender)
        changes = {
            k: {"before": before[k], "after": v} for k, v in after.items() if before.get(k) != v
        }
        number = (
            await session.scalar(
                select(func.count()).select_from(Amendment).where(Amendment.tender_id == tender.id)
            )
            or 0
        ) + 1
        change = notice.change
        rationale = (change.reason if change else None) or "Change notice"
        description = change.description if change else None
        amendment = Amendment(
            tender_id=tender.id, number=number,
            rationale=f"{rationale}: {description}" if description else rationale,
            changes=changes, created_at=published, created_by=user_id,
        )  # fmt: skip
        session.add(amendment)
    session.add(
        TenderNotice(
            tender_id=tender.id, notice_id=notice.notice_id[:100], procedure_key=key[:200],
            publication_number=notice.publication_number, version=(notice.version or None),
            format=notice.format.value, kind=notice.kind.value, form=notice.form[:10],
            ted_url=notice.ted_url, issue_date=notice.issue_date,
            publication_date=notice.publication_date, imported_at=now, imported_by=user_id,
            unmapped=notes.lines,
        )
    )  # fmt: skip
    await session.flush()
    action = AuditAction.TENDER_IMPORTED if status == "created" else AuditAction.NOTICE_IMPORTED
    await services.append_audit(
        session, tender, None, tender.lead_buyer_id, action, now, None,
        {"notice_id": notice.notice_id, "publication_number": notice.publication_number,
         "ted_url": notice.ted_url, "kind": notice.kind.value,
         "decisions": [{"lot_id": d.lot_id, "outcome": d.outcome, "reason": d.reason}
                       for d in decisions]},
    )  # fmt: skip
    tag = "tender"
    if amendment is not None:
        tag = "tenderAmendment"
    elif decisions or (notice.kind is nm.NoticeKind.RESULT and all_decided):
        tag = "award"
    # Dated by the notice's publication; `store_release` keeps the process's dates increasing.
    await services.store_release(
        session, tender, tag, published,
        release_id=f"{tender.ocid}-notice-{notice.publication_number or notice.notice_id}",
    )  # fmt: skip
    report.status, report.tender_id, report.unmapped = status, tender.id, notes.lines
    report.message = (
        f"Created tender {tender.title!r} with {len(tender.lots)} lot(s)."
        if status == "created"
        else f"Updated tender {tender.title!r} from this {notice.kind.value} notice"
        + ("." if overwrite else " (an older notice: it only filled gaps).")
    )
    return report


async def import_file(
    session: AsyncSession, data: bytes, now: datetime, settings: Settings,
    *, source: str, user_id: str | None = None,
) -> ImportReport:  # fmt: skip
    """Read and import one file in its own savepoint: a refused file changes nothing."""
    try:
        notice = read_notice(data)
    except NoticeError as error:
        return ImportReport(source=source, status="refused", message=_refusal(error))
    try:
        async with session.begin_nested():
            return await import_notice(
                session, notice, now, settings, source=source, user_id=user_id
            )
    except ImportRefused as error:
        return ImportReport(
            source=source, status="refused", message=str(error), notice_id=notice.notice_id,
            publication_number=notice.publication_number, ted_url=notice.ted_url,
        )  # fmt: skip


def _refusal(error: NoticeError) -> str:
    return (
        f"Not imported: {error}. Only TED XML R2.0.9 exports and eForms notices are read; "
        "download the notice's XML from its TED page (the 'XML' link) and import that file."
    )


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only platform admins import notices.")
