"""OCDS 1.1 open data for tenders: snapshot dataclasses, release builder and schema validation.

This module is pure: it knows nothing about the database. The tender services build a
:class:`TenderSnapshot` from their models (containing only public information: never a
response, a bid, a score or a response count) and call :func:`build_release`,
:func:`release_package` and :func:`validate_release_package`.
See ``docs/ocds.md`` for the field mapping and the choices made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


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


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot; ``id`` is stable within the tender (e.g. the lot's database id or ``"LOT-0001"``)."""

    id: str
    title: str
    description: str | None = None
    value: Money | None = None  # estimated value


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


@dataclass(frozen=True, slots=True)
class AwardCriterion:
    """An award criterion with its weight (weights of a tender sum to 100)."""

    name: str
    weight: int
    description: str | None = None


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
    submission_deadline: datetime
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
