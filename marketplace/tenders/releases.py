"""The one place that turns our tender records into the OCDS builder's input.

`marketplace.tenders.ocds` is pure (snapshot dataclasses in, release dicts out); this module
maps a loaded `TenderView` onto a `TenderSnapshot` with public information only — lots,
buyers, requirements, amendments, lot decisions and contracts, never a response or a score;
the number of responses only once they are opened (`TenderView.bids`, None before).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from marketplace.reference import vocabularies as vocab
from marketplace.tenders import ocds

if TYPE_CHECKING:
    from marketplace.accounts.models import Organisation
    from marketplace.tenders.contract_models import TenderContract
    from marketplace.tenders.models import Document, OcdsRelease
    from marketplace.tenders.reads import TenderView

PUBLISHER = "ICC Marketplace"


def bulk_path(year: int, kind: str) -> str:
    """Where a year's releases are downloaded: `kind` "json" (a release package) or "jsonl"."""
    return f"/api/v1/ocds/bulk/{year}.{kind}"


def _party(
    organisation: Organisation, identifiers: dict[str, list[tuple[str, str]]]
) -> ocds.Organisation:
    return ocds.Organisation(
        id=organisation.id,
        name=organisation.name,
        country=organisation.country,
        nuts=organisation.nuts_code,
        street_address=organisation.street_address,
        locality=organisation.locality,
        postal_code=organisation.postal_code,
        email=organisation.email,
        telephone=organisation.telephone,
        contact_name=organisation.contact_name,
        url=organisation.website,
        identifiers=tuple(identifiers.get(organisation.id, ())),
        sme={"sme": True, "large_company": False}.get(organisation.kind),
    )


def _criteria(rows: list[dict[str, Any]]) -> tuple[ocds.AwardCriterion, ...]:
    return tuple(
        ocds.AwardCriterion(
            name=c["name"],
            weight=Decimal(str(c["weight"])) if c.get("weight") not in (None, "") else None,
            description=c.get("description") or None,
            type=c.get("type"),
            sub_criteria=tuple(
                (s["name"], Decimal(str(s["weight"]))) for s in c.get("sub_criteria") or ()
            ),
        )
        for c in rows
    )


def _places(places: list[dict[str, Any]] | None, fallback: list[str]) -> tuple[str, ...]:
    if places is None:
        return tuple(fallback)
    return tuple(dict.fromkeys(p["nuts"] for p in places if p.get("nuts")))


def _document(document: Document, tender_published: datetime | None) -> ocds.Document:
    """A document as OCDS has it: the id of its first version, published when it (or, for a
    draft's document, the tender) was, modified when this version was added."""
    published = document.published_at or tender_published or document.modified_at
    return ocds.Document(
        id=document.series_id,
        document_type=document.kind,
        title=document.title,
        description=document.description,
        url=document.url or "",
        format=document.media_type,
        date_published=published,
        date_modified=max(document.modified_at, published),
        language=document.language,
        lot_id=document.lot_id,
    )


def snapshot(
    tv: TenderView,
    standard_titles: dict[str, str],
    identifiers: dict[str, list[tuple[str, str]]] | None = None,
) -> ocds.TenderSnapshot:
    tender = tv.tender
    organisations = tv.organisations
    ids = identifiers or {}

    def party(organisation_id: str) -> ocds.Organisation:
        return _party(organisations[organisation_id], ids)

    lots = tuple(
        ocds.Lot(
            id=lot.id,
            title=lot.title,
            description=lot.description or None,
            value=ocds.Money(lot.estimated_amount, lot.currency)
            if lot.estimated_amount is not None and lot.currency
            else None,
            award_criteria=_criteria(lot.award_criteria) if lot.award_criteria else None,
            framework=lot.framework,
            dps=lot.dps,
            eauction=lot.eauction,
            options=lot.options,
            renewals=lot.renewals,
            documents_url=lot.documents_url,
        )
        for lot in tender.lots
    )
    cpv = vocab.cpv_codes()
    # One item per lot: what the lot buys, its main CPV code, the additional ones, and
    # where (the lot's own CPV codes and places, else the tender's).
    items = tuple(
        ocds.Item(
            id=f"{lot.number}-1",
            description=lot.title,
            cpv=codes[0],
            lot_id=lot.id,
            cpv_label=cpv[codes[0][:8]].label if codes[0][:8] in cpv else None,
            additional_cpv=tuple(codes[1:]),
            places=_places(lot.places, []) if lot.places is not None else (),
        )
        for lot in tender.lots
        if (codes := lot.cpv_codes or tender.cpv_codes)
    )
    awards = tuple(
        ocds.Award(
            id=d.id,
            lot_id=d.lot_id,
            date=d.decided_at,
            status="active" if d.outcome == "awarded" else "unsuccessful",
            supplier=party(d.supplier_id) if d.supplier_id else None,
            other_suppliers=tuple(
                party(s)
                for s in dict.fromkeys(
                    s for c in d.contracts or [] for s in c.get("supplier_ids", [])
                )
                if s != d.supplier_id and s in organisations
            ),
            reason=d.reason,
            value=ocds.Money(d.value_amount, d.currency or "EUR")
            if d.value_amount is not None
            else None,
            supplier_is_sme=bool(d.supplier_id and organisations[d.supplier_id].kind == "sme"),
            documents=tuple(
                _document(doc, tender.published_at)
                for doc in tv.documents
                if doc.decision_id == d.id
            ),
        )
        for d in sorted(tv.decisions.values(), key=lambda d: (d.decided_at, d.id))
    )
    return ocds.TenderSnapshot(
        contracts=tuple(_contract(c, party) for c in tv.contracts),
        bid_statistics=ocds.BidStatistics(
            tv.bids.counted_at,
            tv.bids.total,
            tuple((lot.id, tv.bids.by_lot.get(lot.id, 0)) for lot in tender.lots),
        )
        if tv.bids is not None
        else None,
        ocid=tender.ocid,
        tender_id=tender.id,
        title=tender.title,
        description=tender.description,
        status=tender.ocds_status_at(tv.now),
        procedure_type=tender.procedure,
        lead_buyer=party(tender.lead_buyer_id),
        submission_deadline=tender.submission_deadline,
        co_buyers=tuple(
            party(b.organisation_id)
            for b in tender.buyers
            if not b.is_lead and b.confirmed_at is not None
        ),
        lots=lots,
        items=items,
        places_of_performance=tuple(tender.nuts_codes),
        award_criteria=_criteria(tender.award_criteria),
        required_standards=tuple(
            ocds.RequiredStandard(
                code=s["code"],
                title=standard_titles.get(s["code"], s["code"]),
                mandatory=bool(s["mandatory"]),
            )
            for s in tender.required_standards
        ),
        outcome_kpis=tuple(
            ocds.OutcomeKpi(
                id=f"kpi-{n}",
                name=o["metric"],
                description=o.get("verification") or None,
                target=Decimal(str(o["target"])) if o.get("target") is not None else None,
                unit=o.get("unit") or None,
            )
            for n, o in enumerate(tender.outcomes, start=1)
        ),
        clarification_deadline=tender.clarification_deadline,
        published_at=tender.published_at,
        amendments=tuple(
            ocds.Amendment(
                id=a.id,
                date=a.created_at,
                rationale=a.rationale,
                description="Changed: " + ", ".join(k.replace("_", " ") for k in a.changes),
            )
            for a in tv.amendments
        ),
        cancellation_reason=tender.cancellation_reason,
        cancelled_at=tender.cancelled_at,
        awards=awards,
        language=tender.language,
        estimated_value=ocds.Money(tender.estimated_amount, tender.estimated_currency)
        if tender.estimated_amount is not None and tender.estimated_currency
        else None,
        documents_url=tender.documents_url,
        lot_rules=tender.lot_rules,
        procedure_details=tender.procedure_details,
        contract_nature=tender.contract_nature,
        documents=tuple(
            _document(doc, tender.published_at) for doc in tv.documents if doc.decision_id is None
        ),
    )


def _shown(value: Any, name: Callable[[str], str]) -> str:
    """A changed contract field's value as a reader of the amendment wants it: the shares
    as "Stadt Wien 80 displays, Helsinki EUR 1000.00" (each city by its name)."""
    if isinstance(value, dict) and "amount" in value:
        return f"{value.get('currency', '')} {value['amount']}".strip()
    if isinstance(value, list):
        return ", ".join(
            " ".join(p for p in (
                name(s["organisation_id"]),
                f"{s['quantity']} {s.get('unit') or ''}".strip() if s.get("quantity") else "",
                _shown(s["value"], name) if s.get("value") else "",
            ) if p)
            for s in value
        ) or "none"  # fmt: skip
    return "none" if value in (None, "") else str(value)


def change_summary(changes: dict[str, Any], name: Callable[[str], str] = str) -> str:
    """What a contract amendment changed, old and new: "Changed: value from EUR 1 to EUR 2"."""
    return "Changed: " + "; ".join(
        f"{k.replace('_', ' ')} from {_shown(c.get('before'), name)} to "
        f"{_shown(c.get('after'), name)}"
        for k, c in changes.items()
    )


def _contract(contract: TenderContract, party: Callable[[str], ocds.Organisation]) -> ocds.Contract:
    def money(value: dict[str, Any] | None) -> ocds.Money | None:
        return ocds.Money(Decimal(value["amount"]), value["currency"]) if value else None

    return ocds.Contract(
        id=contract.id,
        award_id=contract.decision_id,
        lot_id=contract.lot_id,
        status=contract.status,
        date_signed=contract.date_signed,
        value=ocds.Money(contract.value_amount, contract.currency),
        period_start=contract.period_start,
        period_end=contract.period_end,
        title=contract.title,
        description=contract.description,
        shares=tuple(
            ocds.ContractShare(
                party(s["organisation_id"]),
                Decimal(s["quantity"]) if s.get("quantity") is not None else None,
                s.get("unit"),
                money(s.get("value")),
            )
            for s in contract.shares
        ),
        milestones=tuple(
            ocds.Milestone(m.id, m.title, m.due_date, m.status, m.date_met, m.description)
            for m in contract.milestones
        ),
        transactions=tuple(
            ocds.Transaction(
                t.id,
                t.date,
                ocds.Money(t.amount, t.currency),
                party(t.payer_id),
                party(t.payee_id),
            )
            for t in contract.transactions
        ),
        amendments=tuple(
            ocds.Amendment(
                a.id,
                a.created_at,
                a.rationale,
                change_summary(a.changes, lambda oid: party(oid).name),
            )
            for a in contract.amendments
        ),
        terminated_on=contract.termination_date,
        termination_reason=contract.termination_reason,
    )


def build(
    tv: TenderView, standard_titles: dict[str, str], tag: str, now: datetime,
    *, release_id: str | None = None, identifiers: dict[str, list[tuple[str, str]]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    return ocds.build_release(
        snapshot(tv, standard_titles, identifiers), tag, now, release_id=release_id
    )


def package(
    rows: list[OcdsRelease], uri: str, now: datetime, *, paginated: bool = False
) -> dict[str, Any]:
    return ocds.release_package([r.data for r in rows], uri, now, PUBLISHER, paginated=paginated)


def record(rows: list[OcdsRelease], uri: str, now: datetime, package_uri: str) -> dict[str, Any]:
    """The record package of one process, its releases embedded (`package_uri`: the release
    package they are published in)."""
    return ocds.record_package([r.data for r in rows], uri, now, PUBLISHER, packages=[package_uri])
