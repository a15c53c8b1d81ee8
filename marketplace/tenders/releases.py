"""The one place that turns our tender records into the OCDS builder's input.

`marketplace.tenders.ocds` is pure (snapshot dataclasses in, release dicts out); this module
maps a loaded `TenderView` onto a `TenderSnapshot` with public information only — lots,
buyers, requirements, amendments and lot decisions, never a response, a score or a count.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from marketplace.reference import vocabularies as vocab
from marketplace.tenders import ocds

if TYPE_CHECKING:
    from marketplace.accounts.models import Organisation
    from marketplace.tenders.models import OcdsRelease
    from marketplace.tenders.services import TenderView

PUBLISHER = "ICC Marketplace"


def _party(organisation: Organisation) -> ocds.Organisation:
    return ocds.Organisation(
        id=organisation.id,
        name=organisation.name,
        country=organisation.country,
        nuts=organisation.nuts_code,
        url=organisation.website,
    )


def snapshot(tv: TenderView, standard_titles: dict[str, str]) -> ocds.TenderSnapshot:
    tender = tv.tender
    organisations = tv.organisations
    lots = tuple(
        ocds.Lot(
            id=lot.id,
            title=lot.title,
            description=lot.description or None,
            value=ocds.Money(lot.estimated_amount, lot.currency),
        )
        for lot in tender.lots
    )
    cpv = vocab.cpv_codes()
    items = tuple(
        ocds.Item(
            id=f"{lot.number}-{n}",
            description=lot.title,
            cpv=code,
            lot_id=lot.id,
            cpv_label=cpv[code[:8]].label if code[:8] in cpv else None,
        )
        for lot in tender.lots
        for n, code in enumerate(tender.cpv_codes, start=1)
    )
    awards = tuple(
        ocds.Award(
            id=d.id,
            lot_id=d.lot_id,
            date=d.decided_at,
            status="active" if d.outcome == "awarded" else "unsuccessful",
            supplier=_party(organisations[d.supplier_id]) if d.supplier_id else None,
            value=ocds.Money(d.value_amount, d.currency or "EUR")
            if d.value_amount is not None
            else None,
            supplier_is_sme=bool(d.supplier_id and organisations[d.supplier_id].kind == "sme"),
        )
        for d in sorted(tv.decisions.values(), key=lambda d: (d.decided_at, d.id))
    )
    return ocds.TenderSnapshot(
        ocid=tender.ocid,
        tender_id=tender.id,
        title=tender.title,
        description=tender.description,
        status=tender.ocds_status_at(tv.now),
        procedure_type=tender.procedure,
        lead_buyer=_party(organisations[tender.lead_buyer_id]),
        submission_deadline=tender.submission_deadline,
        co_buyers=tuple(
            _party(organisations[b.organisation_id])
            for b in tender.buyers
            if not b.is_lead and b.confirmed_at is not None
        ),
        lots=lots,
        items=items,
        places_of_performance=tuple(tender.nuts_codes),
        award_criteria=tuple(
            ocds.AwardCriterion(name=c["name"], weight=int(c["weight"]))
            for c in tender.award_criteria
        ),
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
    )


def build(
    tv: TenderView, standard_titles: dict[str, str], tag: str, now: datetime
) -> dict[str, Any]:
    return ocds.build_release(snapshot(tv, standard_titles), tag, now)


def package(rows: list[OcdsRelease], uri: str, now: datetime) -> dict[str, Any]:
    return ocds.release_package([r.data for r in rows], uri, now, PUBLISHER)
