"""OCDS 1.1 open data for tenders: snapshot dataclasses, release builder and schema validation.

This module is pure: it knows nothing about the database. The tender services build a
:class:`TenderSnapshot` from their models (containing only public information: never a
response, a bid or a score; the number of responses only once they are opened) and call
:func:`build_release`, :func:`release_package` and :func:`validate_release_package`.
See ``docs/ocds.md`` for the field mapping and the choices made.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import ocdsmerge
import pycountry
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from rfc3986_validator import validate_rfc3986


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
class Document:
    """A published document (OCDS `Document`): ``id`` is the same for every version of it,
    ``document_type`` a documentType code, ``url`` absolute, ``format`` its media type (None
    for a link whose type we do not know)."""

    id: str
    document_type: str
    title: str
    url: str
    date_published: datetime
    language: str
    description: str | None = None
    format: str | None = None
    date_modified: datetime | None = None
    lot_id: str | None = None


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
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True, slots=True)
class Milestone:
    """An implementation milestone (``status`` a milestoneStatus code)."""

    id: str
    title: str
    due_date: date
    status: str = "scheduled"
    date_met: date | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    """A payment under a contract: ``payer`` a buying city, ``payee`` the supplier."""

    id: str
    date: date
    value: Money
    payer: Organisation
    payee: Organisation


@dataclass(frozen=True, slots=True)
class ContractShare:
    """One buying city's share of a contract (a quantity with its unit, a value, or both)."""

    buyer: Organisation
    quantity: Decimal | None = None
    unit: str | None = None
    value: Money | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    """The signed contract of an awarded lot, with its implementation.

    ``status`` is an OCDS contractStatus code (``active``, ``terminated``); ``amendments``
    are its own (what changed, with old and new values in the description)."""

    id: str
    award_id: str
    lot_id: str
    status: str
    date_signed: date
    value: Money
    period_start: date
    period_end: date
    title: str | None = None
    description: str | None = None
    shares: tuple[ContractShare, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    terminated_on: date | None = None
    termination_reason: str | None = None


@dataclass(frozen=True, slots=True)
class BidStatistics:
    """The number of responses received, in all and per lot id, counted at ``date`` (the
    submission deadline). Only ever built once responses are opened."""

    date: datetime
    total: int
    by_lot: tuple[tuple[str, int], ...] = ()


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
    # The tender's and its lots' documents (an award's are on the award).
    documents: tuple[Document, ...] = ()
    contracts: tuple[Contract, ...] = ()
    bid_statistics: BidStatistics | None = None


# --------------------------------------------------------------------------------------------
# Release builder
# --------------------------------------------------------------------------------------------

RELEASE_TAGS = (
    "tender", "tenderAmendment", "tenderCancellation", "award", "tenderUpdate", "awardUpdate",
    "contract", "implementation", "contractAmendment", "contractTermination",
)  # fmt: skip
#: Tags whose releases carry the awards, the contracts and the suppliers' parties.
CONTRACT_TAGS = frozenset(
    {"contract", "implementation", "contractAmendment", "contractTermination"}
)
AWARD_TAGS = frozenset({"award", "awardUpdate"}) | CONTRACT_TAGS
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
    # `bids.statistics`: the number of responses, published once they are opened.
    "bid",
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
        "ocds_procurementMethodModalities_extension", "6237931862e9093af3282d4da8e3420a5a9628b5"
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
    "options": _RAW.format("ocds_options_extension", "bdda4859aecb1473cb6b10ea9747ff90b2e61c34"),
    "renewal": _RAW.format("ocds_renewal_extension", "cf26577519ced7a0429652aaa2358e3ab7d39fa3"),
    "bid": _RAW.format("ocds_bid_extension", "d62ff4b0ba393d823ca8113a9039b12edf7acb8f"),
    "pagination": _RAW.format(
        "ocds_pagination_extension", "a0df51b5214325561d4efde52f775ea75271c683"
    ),
}

#: Extensions of the packages rather than of the releases (their patches are of the package
#: schemas). Declared by the packages that use them: `pagination` by the paged feed.
PACKAGE_EXTENSIONS: tuple[str, ...] = ("pagination",)

LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"

#: Keys that would carry sealed data (responses, bids, their number); never emitted. The one
#: exception is `bids.statistics`, the counts published after the submission deadline (a
#: `bids` object with anything else, `bids.details` above all, is still reported).
SEALED_KEYS = frozenset({"bids", "numberOfTenderers", "tenderers", "responses", "scores"})
PUBLIC_BIDS_KEYS = frozenset({"statistics"})


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


def _web_address(value: str | None) -> str | None:
    """A web address as OCDS wants it (format `uri`: absolute, with its scheme), or None:
    `absolute_url`, and what is still not a URI (spaces, stray text) is left out rather than
    published as invalid data."""
    url = absolute_url(value.strip() if value else None)
    return url if url and validate_rfc3986(url, rule="URI") else None


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
    if url := _web_address(org.url):
        contact["url"] = url
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
        # Every payer and payee of a transaction is a party (a buying city, the supplier).
        for contract in snapshot.contracts:
            for transaction in contract.transactions:
                add(transaction.payer, "payer")
                add(transaction.payee, "payee", transaction.payee.sme is True)
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
    documents_url = _web_address(snapshot.documents_url)
    documents: list[dict[str, Any]] = [
        {"id": "procurement-documents", "documentType": "biddingDocuments",
         "title": "Procurement documents", "url": documents_url}
    ] if documents_url else []  # fmt: skip
    documents += [_document(d) for d in snapshot.documents]
    documents += [
        {"id": f"procurement-documents-{lot.id}", "documentType": "biddingDocuments",
         "title": f"Procurement documents of lot {lot.title}", "url": url,
         "relatedLots": [lot.id]}
        for lot in snapshot.lots
        if (url := _web_address(lot.documents_url)) and url != documents_url
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
    tender.update(_award_and_contract_periods(snapshot))
    return tender


def _day(value: date) -> str:
    """A calendar date as an OCDS date-time: its start, in UTC."""
    return _timestamp(datetime.combine(value, time(), tzinfo=UTC))


def _award_and_contract_periods(snapshot: TenderSnapshot) -> dict[str, Any]:
    """`awardPeriod` from the opening of responses to the last decision (its end once every
    lot is decided); `contractPeriod` over the periods of the contracts signed so far."""
    out: dict[str, Any] = {}
    decided = [a.date for a in snapshot.awards]
    if snapshot.submission_deadline is not None and decided:
        period = {"startDate": _timestamp(snapshot.submission_deadline)}
        if len({a.lot_id for a in snapshot.awards}) >= len(snapshot.lots):
            period["endDate"] = _timestamp(max(decided))
        out["awardPeriod"] = period
    if snapshot.contracts:
        out["contractPeriod"] = {
            "startDate": _day(min(c.period_start for c in snapshot.contracts)),
            "endDate": _day(max(c.period_end for c in snapshot.contracts)),
        }
    return out


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
        auction = {
            k: v
            for k, v in (
                ("description", lot.eauction.get("description") or None),
                ("url", _web_address(lot.eauction.get("url"))),
            )
            if v
        }
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
    if award.documents:
        out["documents"] = [_document(d) for d in award.documents]
    return out


def _document(document: Document) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": document.id,
        "documentType": document.document_type,
        "title": document.title,
        "description": document.description,
        "url": absolute_url(document.url),
        "datePublished": _timestamp(document.date_published),
        "format": document.format,
        "language": document.language,
    }
    out = {k: v for k, v in out.items() if v is not None}
    if document.date_modified is not None and document.date_modified > document.date_published:
        out["dateModified"] = _timestamp(document.date_modified)
    if document.lot_id:
        out["relatedLots"] = [document.lot_id]
    return out


def _share_item(contract: Contract, share: ContractShare, number: int) -> dict[str, Any]:
    """A city's share as an item of the contract (OCDS has no per-buyer share): its quantity
    and unit, and the city and value in the description."""
    parts = [share.buyer.name]
    if share.quantity is not None:
        parts.append(f"{_number(share.quantity)} {share.unit or ''}".strip())
    if share.value is not None:
        parts.append(f"{share.value.currency} {share.value.amount:.2f}")
    details = ", ".join(parts[1:])
    item: dict[str, Any] = {
        "id": f"share-{number}",
        "description": f"Share of {parts[0]}" + (f": {details}" if details else ""),
        "relatedLot": contract.lot_id,
    }
    if share.quantity is not None:
        item["quantity"] = _number(share.quantity)
        if share.unit:
            item["unit"] = {"name": share.unit}
    return item


def _contract(contract: Contract) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": contract.id,
        "awardID": contract.award_id,
        "status": contract.status,
        "title": contract.title,
        "description": contract.description,
        "period": {"startDate": _day(contract.period_start), "endDate": _day(contract.period_end)},
        "value": _money(contract.value),
        "dateSigned": _day(contract.date_signed),
        "items": [_share_item(contract, s, n) for n, s in enumerate(contract.shares, start=1)],
    }
    amendments = [
        {"id": a.id, "date": _timestamp(a.date), "rationale": a.rationale,
         **({"description": a.description} if a.description else {})}
        for a in contract.amendments
    ]  # fmt: skip
    if contract.status == "terminated" and contract.terminated_on is not None:
        amendments.append(
            {
                "id": f"{contract.id}-termination",
                "date": _day(contract.terminated_on),
                "rationale": contract.termination_reason or "Terminated",
                "description": f"The contract was terminated on {contract.terminated_on}.",
            }
        )
    out["amendments"] = amendments
    out["implementation"] = {
        "transactions": [
            {
                "id": t.id,
                "date": _day(t.date),
                "value": _money(t.value),
                "payer": {"id": t.payer.id, "name": t.payer.name},
                "payee": {"id": t.payee.id, "name": t.payee.name},
            }
            for t in contract.transactions
        ],
        "milestones": [
            {
                "id": m.id,
                "title": m.title,
                "type": "delivery",
                "description": m.description,
                "dueDate": _day(m.due_date),
                "status": m.status,
                **({"dateMet": _day(m.date_met)} if m.date_met else {}),
            }
            for m in contract.milestones
        ],
    }
    return out


def _bids(statistics: BidStatistics) -> dict[str, Any]:
    """`bids.statistics` (bid extension): responses received, in all and per lot."""
    when = _timestamp(statistics.date)
    rows = [{"id": "bids", "measure": "bids", "value": statistics.total, "date": when}]
    rows += [
        {"id": f"bids-{lot_id}", "measure": "bids", "value": count, "date": when,
         "relatedLot": lot_id}
        for lot_id, count in statistics.by_lot
    ]  # fmt: skip
    return {"statistics": rows}


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
    Award and contract releases (:data:`AWARD_TAGS`; ``contract``, ``implementation``,
    ``contractAmendment`` and ``contractTermination`` need ``release_id``) carry ``awards``,
    ``contracts`` and supplier parties. No release ever carries a bid, a response or a score;
    the number of responses (``bids.statistics``) only when the snapshot has it, which it
    does only once responses are opened.
    """
    if tag not in RELEASE_TAGS:
        raise ValueError(f"unsupported release tag {tag!r}; expected one of {RELEASE_TAGS}")
    if tag == "tenderAmendment" and not snapshot.amendments:
        raise ValueError("a tenderAmendment release needs at least one amendment")
    if tag == "award" and not snapshot.awards:
        raise ValueError("an award release needs at least one award")
    if tag in CONTRACT_TAGS and not snapshot.contracts:
        raise ValueError(f"a {tag} release needs at least one contract")
    if release_id is None:
        suffix = {
            "tender": "tender",
            "tenderAmendment": f"amendment-{snapshot.amendments[-1].id}"
            if snapshot.amendments
            else "",
            "tenderCancellation": "cancellation",
            "award": f"award-{len(snapshot.awards)}",
            # Documents added or replaced: callers name these releases by the document.
            "tenderUpdate": "update",
            "awardUpdate": "award-update",
        }.get(tag)
        if suffix is None:
            raise ValueError(f"a {tag} release needs its release_id")
        release_id = f"{snapshot.ocid}-{suffix}"
    with_awards = tag in AWARD_TAGS
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
    if snapshot.bid_statistics is not None:
        release["bids"] = _bids(snapshot.bid_statistics)
    if with_awards:
        release["awards"] = [_award(a) for a in snapshot.awards]
        release["contracts"] = [_contract(c) for c in snapshot.contracts]
    pruned: dict[str, Any] = _pruned(release)
    return pruned


def _pruned(value: Any) -> Any:
    """`value` without blank strings, empty objects and empty arrays: OCDS omits a field that
    has no value rather than publishing it empty (an imported notice may have no description,
    and the Data Review Tool flags empty fields)."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not _blank(v)}
    if isinstance(value, list):
        return [v for v in (_pruned(item) for item in value) if not _blank(v)]
    return value


def _blank(value: Any) -> bool:
    return (isinstance(value, str) and not value.strip()) or value in ({}, [])


def package_metadata(
    uri: str, published_date: datetime, publisher_name: str, *, paginated: bool = False
) -> dict[str, Any]:
    """What a release or record package says about itself, without its releases or records.

    ``paginated``: the package is one page of a feed (``links.next`` / ``links.prev``), so it
    declares the pagination extension."""
    extensions = [EXTENSION_URLS[name] for name in EXTENSIONS]
    if paginated:
        extensions.append(EXTENSION_URLS["pagination"])
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": extensions,
        "publishedDate": _timestamp(published_date),
        "publisher": {"name": publisher_name},
        "license": LICENSE_URL,
    }


def release_package(
    releases: Sequence[dict[str, Any]],
    uri: str,
    published_date: datetime,
    publisher_name: str,
    *,
    paginated: bool = False,
) -> dict[str, Any]:
    """Wrap releases in an OCDS 1.1 release package (listing the extensions used)."""
    return {
        **package_metadata(uri, published_date, publisher_name, paginated=paginated),
        "releases": list(releases),
    }


# --------------------------------------------------------------------------------------------
# Records: the releases of one process and their compiled release (OCDS Merge)
# --------------------------------------------------------------------------------------------


@cache
def _merger() -> ocdsmerge.Merger:
    # The merge rules (`wholeListMerge`, `omitWhenMerged`, identifier merge of arrays of
    # objects) come from the extended schema, as `ocdskit compile --schema` reads them.
    return ocdsmerge.Merger(schema=release_schema())


def compile_release(releases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one process: OCDS Merge (``ocdsmerge``, the library behind
    ``ocdskit compile``) over its releases in date order with the extended schema's merge
    rules. Its ``id`` is ``{ocid}-{date of the last release}``, its tag ``["compiled"]``."""
    if not releases:
        raise ValueError("a record needs at least one release")
    if len({r["ocid"] for r in releases}) != 1:
        raise ValueError("the releases of one record share one ocid")
    compiled: dict[str, Any] = _merger().create_compiled_release(copy.deepcopy(list(releases)))
    return compiled


def record_package(
    releases: Sequence[dict[str, Any]],
    uri: str,
    published_date: datetime,
    publisher_name: str,
    *,
    packages: Sequence[str] = (),
) -> dict[str, Any]:
    """An OCDS 1.1 record package of one process: one record with its releases embedded
    (in date order) and its compiled release. ``packages`` are the URLs of the release
    packages the releases were published in."""
    ordered = sorted(releases, key=lambda r: r["date"])
    record = {
        "ocid": ordered[0]["ocid"] if ordered else None,
        "releases": ordered,
        "compiledRelease": compile_release(ordered),
    }
    package = package_metadata(uri, published_date, publisher_name)
    if packages:
        package["packages"] = list(packages)
    return {**package, "records": [record]}


async def package_chunks(
    metadata: dict[str, Any], releases: AsyncIterable[dict[str, Any]]
) -> AsyncIterator[bytes]:
    """A release package written piece by piece: the metadata, then one release at a time,
    so that a large year is never held in memory as one document."""
    head = json.dumps(metadata, ensure_ascii=False, separators=(",", ":"))
    yield (head[:-1] + (',"releases":[' if metadata else '"releases":[')).encode()
    first = True
    async for release in releases:
        text = json.dumps(release, ensure_ascii=False, separators=(",", ":"))
        yield (text if first else "," + text).encode()
        first = False
    yield b"]}"


async def json_lines(releases: AsyncIterable[dict[str, Any]]) -> AsyncIterator[bytes]:
    """JSON Lines: one release per line, each a complete JSON text (UTF-8)."""
    async for release in releases:
        yield (json.dumps(release, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


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


#: Where the core schemas say they live; ``$ref``s to them resolve to the local copies.
_CORE = "https://standard.open-contracting.org/schema/1__1__5/"


def package_schema(name: str) -> dict[str, Any]:
    """A core package schema (``release-package-schema.json`` or ``record-package-schema.json``)
    with the package extensions' patches merged in.

    The pagination extension's patches also set ``"required": []`` (so that a page of a feed
    need not repeat every field); the marketplace's packages always carry all of them, so the
    core ``required`` list is kept and a package that lost one is still an error."""
    schema: dict[str, Any] = _load(SCHEMA_DIR / name)
    for extension in PACKAGE_EXTENSIONS:
        patch = _load(SCHEMA_DIR / "extensions" / extension / name)
        patch.pop("required", None)
        schema = json_merge_patch(schema, patch)
    return schema


@cache
def _registry() -> Registry[Any]:
    release = release_schema()
    versioned: dict[str, Any] = _load(SCHEMA_DIR / "versioned-release-validation-schema.json")
    return Registry().with_resources(
        [
            (release["id"], Resource.from_contents(release, default_specification=DRAFT4)),
            (versioned["id"], Resource.from_contents(versioned, default_specification=DRAFT4)),
        ]
    )


@cache
def _validator(name: str) -> Draft4Validator:
    return Draft4Validator(
        package_schema(name), registry=_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _find_sealed(value: Any, path: str) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            where = f"{path}/{key}"
            if key in SEALED_KEYS and not (
                key == "bids" and isinstance(child, dict) and set(child) <= PUBLIC_BIDS_KEYS
            ):
                found.append(f"{where}: sealed data must never be published")
            found += _find_sealed(child, where)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _find_sealed(child, f"{path}/{index}")
    return found


def _early_statistics(release: Any, where: str) -> list[str]:
    """`bids.statistics` in a release dated before the tender's submission deadline (or with
    no deadline to tell): the number of responses would leak while they are sealed."""
    if not isinstance(release, dict) or "bids" not in release:
        return []
    period = (release.get("tender") or {}).get("tenderPeriod") or {}
    deadline, dated = period.get("endDate"), release.get("date")
    if isinstance(deadline, str) and isinstance(dated, str) and dated >= deadline:
        return []
    return [f"{where}/bids: the number of responses is sealed until the submission deadline"]


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _schema_errors(validator: Draft4Validator, package: dict[str, Any]) -> list[str]:
    return [
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {_shorten(error.message)}"
        for error in sorted(
            validator.iter_errors(package), key=lambda e: list(map(str, e.absolute_path))
        )
    ]


def _duplicate_ids(releases: Any, where: str) -> list[str]:
    errors: list[str] = []
    seen: set[tuple[Any, Any]] = set()
    if isinstance(releases, list):
        for index, release in enumerate(releases):
            if not isinstance(release, dict):
                continue
            key = (release.get("ocid"), release.get("id"))
            if key in seen and key[1] is not None:
                errors.append(f"{where}/{index}/id: duplicate release id {key[1]!r}")
            seen.add(key)
    return errors


def validate_release_package(package: dict[str, Any]) -> list[str]:
    """Errors of ``package`` against the release package schema and the merged release schema.

    Each error reads ``"<JSON pointer>: <message>"`` (e.g.
    ``"/releases/0/date: 'yesterday' is not a 'date-time'"``); an empty list means valid.
    Also reported: duplicate release ids within one ocid and sealed keys (bids, responses).
    """
    errors = _schema_errors(_validator("release-package-schema.json"), package)
    errors += _duplicate_ids(package.get("releases"), "/releases")
    releases = package.get("releases")
    for index, release in enumerate(releases if isinstance(releases, list) else []):
        errors += _early_statistics(release, f"/releases/{index}")
    errors += _find_sealed(package, "")
    return errors


def validate_record_package(package: dict[str, Any]) -> list[str]:
    """Errors of a record package, as :func:`validate_release_package` reports them; also a
    record whose releases are not in strictly increasing date order (two releases of one
    process on the same second cannot be ordered by a tool that compiles them)."""
    errors = _schema_errors(_validator("record-package-schema.json"), package)
    records = package.get("records")
    for index, record in enumerate(records if isinstance(records, list) else []):
        if not isinstance(record, dict):
            continue
        releases = record.get("releases")
        errors += _duplicate_ids(releases, f"/records/{index}/releases")
        dates = [
            r["date"]
            for r in (releases if isinstance(releases, list) else [])
            if isinstance(r, dict) and isinstance(r.get("date"), str)
        ]
        if any(not (a < b) for a, b in pairwise(dates)):
            errors.append(f"/records/{index}/releases: dates do not strictly increase {dates}")
        for n, release in enumerate(releases if isinstance(releases, list) else []):
            errors += _early_statistics(release, f"/records/{index}/releases/{n}")
        errors += _early_statistics(
            record.get("compiledRelease"), f"/records/{index}/compiledRelease"
        )
    errors += _find_sealed(package, "")
    return errors
