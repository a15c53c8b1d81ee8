"""OCDS 1.1 open data for tenders: snapshot dataclasses, release builder and schema validation.

This module is pure: it knows nothing about the database. The tender services build a
:class:`TenderSnapshot` from their models (containing only public information: never a
response, a bid, a score or a response count) and call :func:`build_release`,
:func:`release_package` and :func:`validate_release_package`.
See ``docs/ocds.md`` for the field mapping and the choices made.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in an ISO 4217 currency."""

    amount: Decimal
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class Organisation:
    """A party: a buyer city or a supplier.

    ``id`` is the marketplace organisation id (a string, used as the OCDS ``parties/id``);
    ``country`` is ISO 3166-1 alpha-2 (e.g. ``"DE"``); ``nuts`` a NUTS code (e.g. ``"DE212"``).
    """

    id: str
    name: str
    country: str
    nuts: str | None = None
    street_address: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    email: str | None = None
    url: str | None = None
    telephone: str | None = None
    contact_name: str | None = None
    # Legal identifiers as (org-id.guide scheme, id); the first is `identifier`, the others
    # `additionalIdentifiers`. A number of an unknown register has no scheme and is left out.
    identifiers: tuple[tuple[str, str], ...] = ()
    sme: bool | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot; ``id`` is stable within the tender (e.g. the lot's database id or ``"LOT-0001"``)."""

    id: str
    title: str
    description: str | None = None
    value: Money | None = None  # estimated value
    # Per lot; None = the tender's (criteria) / not used (techniques, options, renewals).
    award_criteria: tuple[AwardCriterion, ...] | None = None
    framework: dict[str, Any] | None = None
    dps: dict[str, Any] | None = None
    eauction: dict[str, Any] | None = None
    options: dict[str, Any] | None = None
    renewals: dict[str, Any] | None = None
    documents_url: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """What is bought, classified with a CPV code.

    ``cpv`` may be given with or without the check digit (``"48000000-8"`` or ``"48000000"``);
    the release carries the 8-digit code without the check digit (see docs/ocds.md).
    """

    id: str
    description: str
    cpv: str
    lot_id: str | None = None
    cpv_label: str | None = None
    quantity: Decimal | None = None
    unit_name: str | None = None
    additional_cpv: tuple[str, ...] = ()  # OCDS `additionalClassifications`
    places: tuple[str, ...] = ()  # NUTS 2024 codes: the item's `deliveryLocations`


@dataclass(frozen=True, slots=True)
class AwardCriterion:
    """An award criterion with its weight (weights of a tender sum to 100; an imported
    notice's may be missing or fractional). `type` is the awardCriterionType when known."""

    name: str
    weight: int | Decimal | None
    description: str | None = None
    type: str | None = None
    sub_criteria: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class RequiredStandard:
    """A catalogue standard the tender requires (``mandatory``) or prefers (desirable)."""

    code: str
    title: str
    mandatory: bool = True


@dataclass(frozen=True, slots=True)
class OutcomeKpi:
    """An outcome KPI the tender targets (OCDS metrics extension ``tender.targets``)."""

    id: str
    name: str
    description: str | None = None
    target: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Amendment:
    """A published change to the tender."""

    id: str
    date: datetime
    rationale: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Award:
    """The decision on one lot.

    ``status`` is an OCDS awardStatus code: ``"active"`` (awarded; ``supplier`` set) or
    ``"unsuccessful"`` (lot declared unsuccessful; ``supplier`` and ``value`` None).
    ``supplier_is_sme`` marks the supplier with ``details.scale = "sme"``.
    """

    id: str
    lot_id: str
    date: datetime
    status: str = "active"
    supplier: Organisation | None = None
    value: Money | None = None
    supplier_is_sme: bool = True
    # Why a lot was declared unsuccessful; every winner of an imported framework.
    reason: str | None = None
    other_suppliers: tuple[Organisation, ...] = ()


@dataclass(frozen=True, slots=True)
class TenderSnapshot:
    """The public state of a tender at the moment a release is built.

    ``status`` is the OCDS tenderStatus code (``planning``, ``active``, ``complete``,
    ``cancelled``, ``unsuccessful``) — the marketplace uses the same codes.
    ``procedure_type`` is one of ``open``, ``restricted``, ``competitive_dialogue``,
    ``innovation_partnership``, ``pcp``, ``ppi``.
    ``lead_buyer`` is the procuring entity; ``co_buyers`` the other participating cities
    (the lead may be repeated there; parties are de-duplicated by id).
    ``places_of_performance`` are NUTS codes. All datetimes must be timezone-aware.
    """

    ocid: str
    tender_id: str
    title: str
    description: str
    status: str
    procedure_type: str
    lead_buyer: Organisation
    submission_deadline: datetime | None
    co_buyers: tuple[Organisation, ...] = ()
    lots: tuple[Lot, ...] = ()
    items: tuple[Item, ...] = ()
    places_of_performance: tuple[str, ...] = ()
    award_criteria: tuple[AwardCriterion, ...] = ()
    required_standards: tuple[RequiredStandard, ...] = ()
    outcome_kpis: tuple[OutcomeKpi, ...] = ()
    clarification_deadline: datetime | None = None
    published_at: datetime | None = None
    amendments: tuple[Amendment, ...] = ()
    cancellation_reason: str | None = None
    cancelled_at: datetime | None = None
    awards: tuple[Award, ...] = ()
    language: str = "en"
    estimated_value: Money | None = None
    documents_url: str | None = None
    lot_rules: dict[str, Any] | None = None
    procedure_details: dict[str, Any] | None = None
    contract_nature: str | None = None


# --------------------------------------------------------------------------------------------
# Release builder
# --------------------------------------------------------------------------------------------

RELEASE_TAGS = ("tender", "tenderAmendment", "tenderCancellation", "award")
"""The release tags :func:`build_release` produces."""

OCDS_VERSION = "1.1"

#: Marketplace procedure type → OCDS ``procurementMethod`` (closed ``method`` codelist) and the
#: eForms procedure type wording used for ``procurementMethodDetails``. See docs/ocds.md.
PROCUREMENT_METHODS: dict[str, tuple[str, str]] = {
    "open": ("open", "Open procedure"),
    "restricted": ("selective", "Restricted procedure"),
    "competitive_dialogue": ("selective", "Competitive dialogue"),
    "innovation_partnership": ("selective", "Innovation partnership"),
    "pcp": ("selective", "Pre-commercial procurement (outside the EU procurement directives)"),
    "ppi": ("open", "Public procurement of innovative solutions (open procedure)"),
    # From imported notices, as the OCDS for eForms profile maps BT-105.
    "competitive_with_negotiation": ("selective", "Competitive procedure with negotiation"),
    "negotiated_without_publication": (
        "limited",
        "Negotiated procedure without prior publication",
    ),
    "other_single_stage": ("open", "Other single stage procedure"),
    "other_multiple_stage": ("selective", "Other multiple stage procedure"),
}

TENDER_STATUSES = ("planning", "active", "complete", "cancelled", "unsuccessful")

#: Extensions whose release-schema patches are merged into the core schema, in this order.
EXTENSIONS: tuple[str, ...] = (
    "lots",
    "partyDetails_scale",
    "awardCriteria",
    "location",
    "metrics",
    "procurementMethodModalities",
    # The lots extension's `Lot.submissionTerms` refers to this extension's definition.
    "submissionTerms",
    "techniques",
    "procedure",
    "options",
    "renewal",
)

#: The extension.json of each extension at the commit whose schema we validate against
#: (listed in the package's ``extensions``; see ocds_schema/SOURCES.md).
_RAW = "https://raw.githubusercontent.com/open-contracting-extensions/{}/{}/extension.json"
EXTENSION_URLS: dict[str, str] = {
    "lots": _RAW.format("ocds_lots_extension", "8d3b52eb26ce0f1a015c91b665c120b17ef619a0"),
    "partyDetails_scale": _RAW.format(
        "ocds_partyDetails_scale_extension", "152cd9fb74e021e537b17d84420615acf7dec032"
    ),
    "awardCriteria": _RAW.format(
        "ocds_awardCriteria_extension", "9391240f353e8536992938fe9f7987cd89235331"
    ),
    "location": _RAW.format("ocds_location_extension", "fcd56abaea4214d7f4d712087be32141badbe60c"),
    "metrics": _RAW.format("ocds_metrics_extension", "fad91df868907e339e5b3b4af5c334e02b80fa4f"),
    "procurementMethodModalities": _RAW.format(
        "ocds_procurementMethodModalities_extension", "e89c375c0962cfeb5232ff2d5593132f6e13df29"
    ),
    "submissionTerms": _RAW.format(
        "ocds_submissionTerms_extension", "449ade63333a50f1e8cd2b0704c0a3c5e329a8a8"
    ),
    "techniques": _RAW.format(
        "ocds_techniques_extension", "5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11"
    ),
    # The repository of procurementMethodModalities now holds the Procedure extension.
    "procedure": _RAW.format(
        "ocds_procurementMethodModalities_extension", "63c9bca86d33dedcc303bf305af0c9912e687e73"
    ),
    "options": _RAW.format("ocds_options_extension", "master"),
    "renewal": _RAW.format("ocds_renewal_extension", "master"),
}

#: Keys that would carry sealed data (responses, bids, their number); never emitted.
SEALED_KEYS = frozenset({"bids", "numberOfTenderers", "tenderers", "responses", "scores"})


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def absolute_url(url: str | None) -> str | None:
    """Notices often write a web address without its scheme ("www.tolletaten.no"); OCDS's
    `url` fields are URIs (a format validators check), so such an address is given the
    https scheme a browser would try for it. Addresses with a scheme are kept as written."""
    if not url:
        return url
    url = url.strip()
    return url if _SCHEME.match(url) else f"https://{url.lstrip('/')}"


def _timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix, to the second."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"OCDS dates must be timezone-aware, got {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Money) -> dict[str, Any]:
    return {"amount": _number(value.amount), "currency": value.currency}


def _cpv_id(code: str) -> str:
    """The 8-digit CPV code without its check digit (as in eForms and OCDS for eForms)."""
    code = code.strip()
    main = code.split("-", 1)[0]
    if len(main) != 8 or not main.isdigit():
        raise ValueError(f"not a CPV code: {code!r}")
    return main


def _procurement_category(cpv_id: str) -> str:
    """CPV divisions 45 are works; 01-44 and 48 supplies (goods); the rest services."""
    division = int(cpv_id[:2])
    if division == 45:
        return "works"
    if division <= 44 or division == 48:
        return "goods"
    return "services"


def _country_name(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(country.name) if country is not None else alpha2.upper()


def _party(org: Organisation, roles: list[str], *, sme: bool = False) -> dict[str, Any]:
    address: dict[str, Any] = {}
    if org.street_address:
        address["streetAddress"] = org.street_address
    if org.locality:
        address["locality"] = org.locality
    if org.nuts:
        address["region"] = org.nuts
    if org.postal_code:
        address["postalCode"] = org.postal_code
    address["countryName"] = _country_name(org.country)
    party: dict[str, Any] = {"id": org.id, "name": org.name, "roles": roles}
    identifiers = [
        {"scheme": scheme, "id": number, "legalName": org.name}
        for scheme, number in org.identifiers
        if scheme
    ]
    if identifiers:
        party["identifier"] = identifiers[0]
    if len(identifiers) > 1:
        party["additionalIdentifiers"] = identifiers[1:]
    party["address"] = address
    contact: dict[str, Any] = {}
    if org.email:
        contact["email"] = org.email
    if org.telephone:
        contact["telephone"] = org.telephone
    if org.url:
        contact["url"] = absolute_url(org.url)
    if contact:
        party["contactPoint"] = {"name": org.contact_name or org.name, **contact}
    if sme:
        party["details"] = {"scale": "sme"}
    elif org.sme is False:
        party["details"] = {"scale": "large"}
    return party


def _parties(snapshot: TenderSnapshot, with_awards: bool) -> list[dict[str, Any]]:
    parties: dict[str, tuple[Organisation, list[str], bool]] = {}

    def add(org: Organisation, role: str, sme: bool = False) -> None:
        entry = parties.setdefault(org.id, (org, [], False))
        if role not in entry[1]:
            entry[1].append(role)
        if sme and not entry[2]:
            parties[org.id] = (entry[0], entry[1], True)

    add(snapshot.lead_buyer, "buyer")
    add(snapshot.lead_buyer, "procuringEntity")
    for city in snapshot.co_buyers:
        add(city, "buyer")
    if with_awards:
        for award in snapshot.awards:
            if award.supplier is not None and award.status == "active":
                add(award.supplier, "supplier", award.supplier_is_sme)
                for other in award.other_suppliers:
                    add(other, "supplier", other.sme is True)
    return [_party(org, roles, sme=sme) for org, roles, sme in parties.values()]


def _buyer_ids(snapshot: TenderSnapshot) -> list[str]:
    ids = [snapshot.lead_buyer.id]
    ids += [c.id for c in snapshot.co_buyers if c.id not in ids]
    return ids


def _criterion_type(name: str) -> str:
    """awardCriterionType code: ``price`` / ``cost`` for criteria so named, else ``quality``."""
    lowered = name.strip().lower()
    return lowered if lowered in {"price", "cost"} else "quality"


def _award_criteria(criteria: Sequence[AwardCriterion]) -> dict[str, Any]:
    """Sub-criteria have no place of their own in the awardCriteria extension: their names
    and weights are said in the criterion's description."""
    out = []
    for c in criteria:
        description = c.description or ""
        if c.sub_criteria:
            parts = "; ".join(f"{name} ({_number(weight)})" for name, weight in c.sub_criteria)
            description = (description + " " if description else "") + f"Sub-criteria: {parts}."
        entry: dict[str, Any] = {"type": c.type or _criterion_type(c.name), "name": c.name}
        if description:
            entry["description"] = description
        if c.weight is not None:
            entry["numbers"] = [{"number": _number(Decimal(c.weight)), "weight": "percentageExact"}]
        out.append(entry)
    return {"criteria": out}


def _eligibility(snapshot: TenderSnapshot) -> str | None:
    mandatory = [s for s in snapshot.required_standards if s.mandatory]
    desirable = [s for s in snapshot.required_standards if not s.mandatory]
    parts = []
    if mandatory:
        parts.append(
            "Mandatory conformance to: " + "; ".join(f"{s.title} ({s.code})" for s in mandatory)
        )
    if desirable:
        parts.append(
            "Desirable conformance to: " + "; ".join(f"{s.title} ({s.code})" for s in desirable)
        )
    return ". ".join(parts) + "." if parts else None


def _tender(snapshot: TenderSnapshot, tag: str, release_date: datetime) -> dict[str, Any]:
    if snapshot.status not in TENDER_STATUSES:
        raise ValueError(f"unknown tender status {snapshot.status!r}")
    try:
        method, method_details = PROCUREMENT_METHODS[snapshot.procedure_type]
    except KeyError:
        raise ValueError(f"unknown procedure type {snapshot.procedure_type!r}") from None
    tender: dict[str, Any] = {
        "id": snapshot.tender_id,
        "title": snapshot.title,
        "description": snapshot.description,
        "status": snapshot.status,
        "procurementMethod": method,
        "procurementMethodDetails": method_details,
    }
    if len(_buyer_ids(snapshot)) > 1:
        tender["procurementMethodModalities"] = ["joint"]
    tender["procuringEntity"] = {"id": snapshot.lead_buyer.id, "name": snapshot.lead_buyer.name}
    values = [lot.value for lot in snapshot.lots if lot.value is not None]
    if snapshot.estimated_value is not None:
        tender["value"] = _money(snapshot.estimated_value)
    elif values and len(values) == len(snapshot.lots) and len({v.currency for v in values}) == 1:
        total = sum((v.amount for v in values), Decimal(0))
        tender["value"] = _money(Money(total, values[0].currency))
    details = snapshot.procedure_details or {}
    if details.get("justification"):
        tender["procurementMethodRationale"] = details["justification"]
    procedure = {
        k: v
        for k, v in (
            ("isAccelerated", True if details.get("accelerated") else None),
            ("features", details.get("features")),
        )
        if v
    }
    if procedure:
        tender["procedure"] = procedure
    documents: list[dict[str, Any]] = [
        {"id": "procurement-documents", "documentType": "biddingDocuments",
         "title": "Procurement documents", "url": absolute_url(snapshot.documents_url)}
    ] if snapshot.documents_url else []  # fmt: skip
    documents += [
        {"id": f"procurement-documents-{lot.id}", "documentType": "biddingDocuments",
         "title": f"Procurement documents of lot {lot.title}", "url": absolute_url(lot.documents_url),
         "relatedLots": [lot.id]}
        for lot in snapshot.lots
        if lot.documents_url and lot.documents_url != snapshot.documents_url
    ]  # fmt: skip
    if documents:
        tender["documents"] = documents
    rules = snapshot.lot_rules or {}
    lot_details = {
        k: v
        for k, v in (
            ("maximumLotsBidPerSupplier", rules.get("max_lots_per_tenderer")
             or (1 if rules.get("submission") == "one_lot_only" else None)),
            ("maximumLotsAwardedPerSupplier", rules.get("max_lots_awarded")),
        )
        if v
    }  # fmt: skip
    if lot_details:
        tender["lotDetails"] = lot_details
    if snapshot.items:
        tender["mainProcurementCategory"] = _procurement_category(_cpv_id(snapshot.items[0].cpv))
        tender["items"] = [_item(item) for item in snapshot.items]
    if snapshot.award_criteria:
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = "; ".join(
            f"{c.name}: {c.weight}%" if c.weight is not None else c.name
            for c in snapshot.award_criteria
        )
    eligibility = _eligibility(snapshot)
    if eligibility:
        tender["eligibilityCriteria"] = eligibility
    tender["submissionMethod"] = ["electronicSubmission"]
    tender_period: dict[str, str] = {}
    if snapshot.published_at is not None:
        tender_period["startDate"] = _timestamp(snapshot.published_at)
    if snapshot.submission_deadline is not None:
        tender_period["endDate"] = _timestamp(snapshot.submission_deadline)
    if tender_period:
        tender["tenderPeriod"] = tender_period
    if snapshot.clarification_deadline is not None:
        enquiry: dict[str, str] = {"endDate": _timestamp(snapshot.clarification_deadline)}
        if snapshot.published_at is not None:
            enquiry = {"startDate": _timestamp(snapshot.published_at), **enquiry}
        tender["enquiryPeriod"] = enquiry
    if snapshot.places_of_performance:
        tender["deliveryLocations"] = [
            _nuts_location(code) for code in snapshot.places_of_performance
        ]
    if snapshot.outcome_kpis:
        tender["targets"] = [_target(kpi) for kpi in snapshot.outcome_kpis]
    if snapshot.lots:
        tender["lots"] = [_lot(snapshot, lot) for lot in snapshot.lots]
    amendments = [
        {
            "id": a.id,
            "date": _timestamp(a.date),
            "rationale": a.rationale,
            **({"description": a.description} if a.description else {}),
        }
        for a in snapshot.amendments
    ]
    if tag == "tenderCancellation":
        if not snapshot.cancellation_reason:
            raise ValueError("a tenderCancellation release needs the cancellation reason")
        amendments.append(
            {
                "id": "cancellation",
                "date": _timestamp(snapshot.cancelled_at or release_date),
                "rationale": snapshot.cancellation_reason,
                "description": "The tender was cancelled.",
            }
        )
    if amendments:
        tender["amendments"] = amendments
    return tender


def _item(item: Item) -> dict[str, Any]:
    classification: dict[str, Any] = {"scheme": "CPV", "id": _cpv_id(item.cpv)}
    if item.cpv_label:
        classification["description"] = item.cpv_label
    out: dict[str, Any] = {
        "id": item.id,
        "description": item.description,
        "classification": classification,
    }
    if item.quantity is not None:
        out["quantity"] = _number(item.quantity)
    if item.unit_name:
        out["unit"] = {"name": item.unit_name}
    if item.additional_cpv:
        out["additionalClassifications"] = [
            {"scheme": "CPV", "id": _cpv_id(code)} for code in item.additional_cpv
        ]
    if item.places:
        out["deliveryLocations"] = [_nuts_location(code) for code in item.places]
    if item.lot_id is not None:
        out["relatedLot"] = item.lot_id
    return out


def _nuts_location(code: str) -> dict[str, Any]:
    return {
        "description": f"NUTS {code}",
        "gazetteer": {"scheme": "NUTS", "identifiers": [code]},
        "uri": f"http://data.europa.eu/nuts/code/{code}",
    }


def _target(kpi: OutcomeKpi) -> dict[str, Any]:
    out: dict[str, Any] = {"id": kpi.id, "title": kpi.name}
    if kpi.description:
        out["description"] = kpi.description
    if kpi.target is not None:
        observation: dict[str, Any] = {"id": f"{kpi.id}-target", "measure": _number(kpi.target)}
        if kpi.unit:
            observation["unit"] = {"name": kpi.unit}
        out["observations"] = [observation]
    return out


def _lot(snapshot: TenderSnapshot, lot: Lot) -> dict[str, Any]:
    out: dict[str, Any] = {"id": lot.id, "title": lot.title}
    if lot.description:
        out["description"] = lot.description
    status = snapshot.status
    decided = [a for a in snapshot.awards if a.lot_id == lot.id]
    if status in {"active", "complete"} and decided:
        status = "complete" if decided[-1].status == "active" else "unsuccessful"
    out["status"] = status
    if lot.value is not None:
        out["value"] = _money(lot.value)
    criteria = lot.award_criteria if lot.award_criteria is not None else snapshot.award_criteria
    if criteria:
        out["awardCriteria"] = _award_criteria(criteria)
    techniques = _techniques(lot)
    if techniques:
        out["techniques"] = techniques
    if lot.options is not None:
        out["hasOptions"] = True
        if lot.options.get("description"):
            out["options"] = {"description": lot.options["description"]}
    if lot.renewals is not None:
        out["hasRenewal"] = True
        renewal = {
            k: v
            for k, v in (
                ("description", lot.renewals.get("description") or None),
                ("maximumRenewals", lot.renewals.get("max_renewals")),
            )
            if v is not None
        }
        if renewal:
            out["renewal"] = renewal
    return out


def _techniques(lot: Lot) -> dict[str, Any]:
    """The techniques extension: framework agreement, DPS, electronic auction."""
    out: dict[str, Any] = {}
    if lot.framework is not None:
        out["hasFrameworkAgreement"] = True
        framework: dict[str, Any] = {}
        if lot.framework.get("max_participants"):
            framework["maximumParticipants"] = lot.framework["max_participants"]
        if lot.framework.get("justification"):
            framework["periodRationale"] = lot.framework["justification"]
        reopening = {"fa-wo-rc": "withoutReopeningCompetition",
                     "fa-w-rc": "withReopeningCompetition",
                     "fa-mix": "withAndWithoutReopeningCompetition"}  # fmt: skip
        if lot.framework.get("reopening") in reopening:
            framework["method"] = reopening[lot.framework["reopening"]]
        if framework:
            out["frameworkAgreement"] = framework
    if lot.dps is not None:
        out["hasDynamicPurchasingSystem"] = True
        if lot.dps.get("usage") in {"dps-list", "dps-nlist"}:
            # eForms BT-766: "dps-list" is usable only by the buyers the notice lists.
            closed = lot.dps["usage"] == "dps-list"
            out["dynamicPurchasingSystem"] = {"type": "closed" if closed else "open"}
    if lot.eauction is not None:
        out["hasElectronicAuction"] = True
        auction = {k: lot.eauction[k] for k in ("description", "url") if lot.eauction.get(k)}
        if "url" in auction:
            auction["url"] = absolute_url(auction["url"])
        if auction:
            out["electronicAuction"] = auction
    return out


def _award(award: Award) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": award.id,
        "status": award.status,
        "date": _timestamp(award.date),
        "relatedLots": [award.lot_id],
    }
    if award.reason:
        out["description"] = award.reason
    if award.value is not None:
        out["value"] = _money(award.value)
    if award.supplier is not None and award.status == "active":
        out["suppliers"] = [
            {"id": s.id, "name": s.name} for s in (award.supplier, *award.other_suppliers)
        ]
    return out


def build_release(
    snapshot: TenderSnapshot,
    tag: str,
    release_date: datetime,
    *,
    release_id: str | None = None,
) -> dict[str, Any]:
    """Build one OCDS 1.1 release of ``snapshot`` for ``tag``.

    ``tag`` is one of :data:`RELEASE_TAGS`. The release id is unique per release:
    ``{ocid}-tender``, ``{ocid}-amendment-{last amendment id}``, ``{ocid}-cancellation`` and
    ``{ocid}-award-{number of decided lots}``; pass ``release_id`` to choose another.
    Only ``award`` releases carry ``awards`` and supplier parties; no release ever carries
    bids, responses, scores or the number of responses.
    """
    if tag not in RELEASE_TAGS:
        raise ValueError(f"unsupported release tag {tag!r}; expected one of {RELEASE_TAGS}")
    if tag == "tenderAmendment" and not snapshot.amendments:
        raise ValueError("a tenderAmendment release needs at least one amendment")
    if tag == "award" and not snapshot.awards:
        raise ValueError("an award release needs at least one award")
    if release_id is None:
        suffix = {
            "tender": "tender",
            "tenderAmendment": f"amendment-{snapshot.amendments[-1].id}"
            if snapshot.amendments
            else "",
            "tenderCancellation": "cancellation",
            "award": f"award-{len(snapshot.awards)}",
        }[tag]
        release_id = f"{snapshot.ocid}-{suffix}"
    with_awards = tag == "award"
    release: dict[str, Any] = {
        "ocid": snapshot.ocid,
        "id": release_id,
        "date": _timestamp(release_date),
        "tag": [tag],
        "initiationType": "tender",
        "language": snapshot.language,
        "parties": _parties(snapshot, with_awards),
        "buyer": {"id": snapshot.lead_buyer.id, "name": snapshot.lead_buyer.name},
        "tender": _tender(snapshot, tag, release_date),
    }
    if with_awards:
        release["awards"] = [_award(a) for a in snapshot.awards]
    return release


def release_package(
    releases: Sequence[dict[str, Any]],
    uri: str,
    published_date: datetime,
    publisher_name: str,
) -> dict[str, Any]:
    """Wrap releases in an OCDS 1.1 release package (listing the extensions used)."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [EXTENSION_URLS[name] for name in EXTENSIONS],
        "publishedDate": _timestamp(published_date),
        "publisher": {"name": publisher_name},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "releases": list(releases),
    }


# --------------------------------------------------------------------------------------------
# Validation against the release package schema + merged release schema (no network)
# --------------------------------------------------------------------------------------------

SCHEMA_DIR = Path(__file__).parent / "ocds_schema"


def json_merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON Merge Patch; returns a new value (inputs untouched)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1.5 release schema with every extension in :data:`EXTENSIONS` merged in."""
    schema: dict[str, Any] = _load(SCHEMA_DIR / "release-schema.json")
    for name in EXTENSIONS:
        schema = json_merge_patch(
            schema, _load(SCHEMA_DIR / "extensions" / name / "release-schema.json")
        )
    return schema


@cache
def _package_validator() -> Draft4Validator:
    package_schema: dict[str, Any] = _load(SCHEMA_DIR / "release-package-schema.json")
    release = release_schema()
    registry: Registry[Any] = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(
        package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _find_sealed(value: Any, path: str) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            where = f"{path}/{key}"
            if key in SEALED_KEYS:
                found.append(f"{where}: sealed data must never be published")
            found += _find_sealed(child, where)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _find_sealed(child, f"{path}/{index}")
    return found


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def validate_release_package(package: dict[str, Any]) -> list[str]:
    """Errors of ``package`` against the release package schema and the merged release schema.

    Each error reads ``"<JSON pointer>: <message>"`` (e.g.
    ``"/releases/0/date: 'yesterday' is not a 'date-time'"``); an empty list means valid.
    Also reported: duplicate release ids within one ocid and sealed keys (bids, responses).
    """
    errors = [
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {_shorten(error.message)}"
        for error in sorted(
            _package_validator().iter_errors(package), key=lambda e: list(map(str, e.absolute_path))
        )
    ]
    seen: set[tuple[Any, Any]] = set()
    releases = package.get("releases")
    if isinstance(releases, list):
        for index, release in enumerate(releases):
            if not isinstance(release, dict):
                continue
            key = (release.get("ocid"), release.get("id"))
            if key in seen and key[1] is not None:
                errors.append(f"/releases/{index}/id: duplicate release id {key[1]!r}")
            seen.add(key)
    errors += _find_sealed(package, "")
    return errors
