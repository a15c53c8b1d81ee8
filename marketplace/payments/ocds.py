"""A pilot order as OCDS 1.1: a direct award to the SME and its contract with milestones.

Pilots are small direct awards (`tender.procurementMethod = "direct"`); the contract carries
the milestones (core `contracts[].milestones`, type `delivery`, status `met` once paid or
accepted, `notMet` when refunded, else `scheduled`) and each payout to the SME as an
implementation transaction (`contracts[].implementation.transactions`). A joint order lists
every city as a `buyer` party. The package is validated with the tenders' OCDS validator
(the same schemas); see docs/payments.md for the mapping.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.payments import money
from marketplace.payments.models import PilotOrder
from marketplace.tenders.ocds import release_package

STATUS = {"paid": "met", "accepted": "met", "refunded": "notMet"}
CONTRACT_STATUS = {
    "awaiting_payment": "pending", "paid": "active", "completed": "terminated",
    "cancelled": "cancelled", "refunding": "terminated", "refunded": "terminated",
}  # fmt: skip


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _value(minor: int, currency: str) -> dict[str, Any]:
    amount = money.from_minor(minor, currency)
    return {"amount": int(amount) if amount == amount.to_integral_value() else float(amount),
            "currency": currency}  # fmt: skip


def order_release(order: PilotOrder, ocid_prefix: str) -> dict[str, Any]:
    ocid = f"{ocid_prefix}-pilot-{order.id}"
    c = order.currency
    parties: list[dict[str, Any]] = [
        {"id": order.supplier_id, "name": order.supplier.name, "roles": ["supplier", "payee"],
         "details": {"scale": "sme"}},
    ]  # fmt: skip
    for buyer in order.buyers:
        roles = ["buyer", "payer"]
        if buyer.organisation_id == order.buyer_id:
            roles.insert(1, "procuringEntity")
        parties.append({"id": buyer.organisation_id, "name": buyer.organisation.name,
                        "roles": roles})  # fmt: skip
    lead = {"id": order.buyer_id, "name": order.buyer.name}
    award_id = f"{order.id}-award"
    transactions = [
        {"id": m.transfer_id or f"{m.id}-payout", "date": _when(m.paid_at),
         "value": _value(m.amount_minor, c), "payer": lead,
         "payee": {"id": order.supplier_id, "name": order.supplier.name}}
        for m in order.milestones
        if m.status == "paid" and m.paid_at is not None
    ]  # fmt: skip
    contract: dict[str, Any] = {
        "id": f"{order.id}-contract",
        "awardID": award_id,
        "title": order.title,
        "description": order.scope or order.title,
        "status": CONTRACT_STATUS[order.status],
        "value": _value(order.amount_minor, c),
        "dateSigned": _when(order.created_at),
        "milestones": [
            {"id": m.id, "title": m.title, "type": "delivery",
             "description": f"{m.outcome_metric}: {m.evidence_required}",
             "status": STATUS.get(m.status, "scheduled"),
             **({"dateMet": _when(m.accepted_at)} if m.accepted_at and m.status in STATUS
                and m.status != "refunded" else {})}
            for m in order.milestones
        ],
    }  # fmt: skip
    if transactions:
        contract["implementation"] = {"transactions": transactions}
    tags = ["award", "contract"] + (["implementation"] if transactions else [])
    return {
        "ocid": ocid,
        "id": f"{ocid}-{_when(order.updated_at).replace(':', '')}",
        "date": _when(order.updated_at),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": lead,
        "tender": {
            "id": f"{order.id}-tender", "title": order.title, "status": "complete",
            "procurementMethod": "direct",
            "procurementMethodDetails": "Pilot order of a fixed-price package (direct award)",
            "procuringEntity": lead, "value": _value(order.amount_minor, c),
        },
        "awards": [
            {"id": award_id, "status": "active" if order.status != "cancelled" else "cancelled",
             "date": _when(order.created_at), "value": _value(order.amount_minor, c),
             "suppliers": [{"id": order.supplier_id, "name": order.supplier.name}]}
        ],
        "contracts": [contract],
    }  # fmt: skip


async def order_release_package(
    session: AsyncSession, order: PilotOrder, now: datetime, uri: str,
    ocid_prefix: str = "ocds-iccmkt",
) -> dict[str, Any]:  # fmt: skip
    """`uri`: where the package is read, absolute (OCDS says a package's `uri` is a URI)."""
    return release_package(
        [order_release(order, ocid_prefix)],
        uri=uri,
        published_date=now,
        publisher_name="ICC Marketplace",
    )
