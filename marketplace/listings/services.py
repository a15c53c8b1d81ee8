"""Listing rules: who may write, what a listing must hold to be published, the lifecycle
`draft` → `published` → `archived` (and back to `draft` for a new round of edits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, get_args

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.events import EventType, publish
from marketplace.core.paging import paged
from marketplace.core.sorting import checked_sort
from marketplace.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from marketplace.listings.events import (
    LISTING_ARCHIVED,
    LISTING_CREATED,
    LISTING_PUBLISHED,
    LISTING_REOPENED,
    LISTING_UPDATED,
)
from marketplace.listings.models import Listing, ListingStandard
from marketplace.listings.schemas import (
    ClaimIn,
    ClaimOut,
    ListingIn,
    ListingOut,
    ListingSort,
    ListingUpdate,
    Outcome,
    Pricing,
    PricingOut,
    Reference,
)
from marketplace.reference.vocabularies import check_theme
from marketplace.standards.models import Standard
from marketplace.standards.schemas import ClaimantOut

# What a listing needs before the public sees it, in form order, with the message shown.
REQUIRED_FOR_PUBLICATION: dict[str, str] = {
    "summary": "a one-paragraph summary is needed to publish",
    "description": "a description is needed to publish",
    "themes": "choose at least one ICC theme to publish",
    "cpv_codes": "add at least one CPV code to publish",
    "countries": "choose at least one country served to publish",
    "trl": "the technology readiness level is needed to publish",
    "outcomes": "state at least one measurable outcome to publish",
    "pricing": "the pricing model is needed to publish",
}


def missing_for_publication(listing: Listing) -> list[str]:
    return [name for name in REQUIRED_FOR_PUBLICATION if not getattr(listing, name)]


def _incomplete(listing: Listing) -> list[FieldError]:
    return [FieldError(n, REQUIRED_FOR_PUBLICATION[n]) for n in missing_for_publication(listing)]


async def _changed(session: AsyncSession, listing: Listing, what: EventType, now: datetime) -> None:
    """Every state change of a listing ends here, in its transaction, so that subscribers
    hear of it (search: published listings are findable, others are removed)."""
    await publish(session, what, listing.id, now, data={"organisation_id": listing.organisation_id})


# --- reading ---------------------------------------------------------------------------


def is_public(listing: Listing) -> bool:
    """Anyone may read a published listing (a draft or an archived one, its SME alone)."""
    return listing.status == "published"


def can_read(actor: Actor | None, listing: Listing) -> bool:
    return is_public(listing) or (actor is not None and actor.is_member(listing.organisation_id))


async def _load(session: AsyncSession, listing_id: str) -> Listing | None:
    listing: Listing | None = await session.scalar(
        select(Listing).where(Listing.id == listing_id).options(selectinload(Listing.claims))
    )
    return listing


async def get_listing(session: AsyncSession, actor: Actor | None, listing_id: str) -> Listing:
    """Drafts and archived listings do not exist for anyone outside the SME."""
    listing = await _load(session, listing_id)
    if listing is None or not can_read(actor, listing):
        raise NotFound("No such listing.")
    return listing


async def _for_edit(session: AsyncSession, actor: Actor, listing_id: str) -> Listing:
    listing = await _load(session, listing_id)
    if listing is None:
        raise NotFound("No such listing.")
    if not actor.can_edit(listing.organisation_id):
        # Ids are unguessable, so a plain 403 (not 404) tells a caller holding one why it
        # cannot write, without revealing anything of a draft's content.
        raise Forbidden("Only the owners and editors of the SME that offers it may change it.")
    return listing


async def list_listings(
    session: AsyncSession,
    actor: Actor | None,
    *,
    organisation_id: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    q: str | None = None,
    standard: str | None = None,
    cpv: str | None = None,
    mine: bool = False,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Listing], int]:
    """Published listings and the actor's SMEs' own (`mine`: only those); `sort` one of
    `LISTING_SORTS`, recently updated first by default."""
    order = _listing_order(checked_sort(sort, LISTING_SORTS))
    query = select(Listing)
    member_of = list(actor.roles) if actor else []
    if mine:
        query = query.where(Listing.organisation_id.in_(member_of))
    else:
        query = query.where(
            or_(Listing.status == "published", Listing.organisation_id.in_(member_of))
            if member_of
            else Listing.status == "published"
        )
    if organisation_id:
        query = query.where(Listing.organisation_id == organisation_id)
    if status:
        query = query.where(Listing.status == status)
    if theme:
        check_theme(theme, "theme")
        # Theme codes are a closed vocabulary without quotes: matching the quoted code in
        # the JSON text is exact and works the same on SQLite and PostgreSQL.
        query = query.where(cast(Listing.themes, String).like(f'%"{theme}"%'))
    if standard:
        query = query.where(
            Listing.id.in_(
                select(ListingStandard.listing_id).where(ListingStandard.standard_code == standard)
            )
        )
    if cpv:
        # Every code under a broader one: a CPV code's descendants share its significant
        # digits, and codes are stored canonically, so a quoted-prefix match is exact.
        significant = cpv.split("-")[0].rstrip("0")
        if significant.isdigit():
            query = query.where(cast(Listing.cpv_codes, String).like(f'%"{significant}%'))
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Listing.title.ilike(pattern), Listing.summary.ilike(pattern)))
    options = (selectinload(Listing.claims),)
    return await paged(session, query, [*order, Listing.id], page, per_page, options)


LISTING_SORTS: tuple[str, ...] = get_args(ListingSort)


def _listing_order(sort: str | None) -> list[Any]:
    match sort:
        case "newest":
            return [Listing.published_at.desc().nulls_last(), Listing.created_at.desc()]
        case "title":
            return [func.lower(Listing.title), Listing.title]
        case "trl":
            return [Listing.trl.desc().nulls_last(), Listing.updated_at.desc()]
    return [Listing.updated_at.desc()]


async def views(session: AsyncSession, listings: list[Listing]) -> list[ListingOut]:
    """Plain view models (no lazy loads in templates) with names of SMEs and standards."""
    org_ids = {item.organisation_id for item in listings}
    codes = {c.standard_code for item in listings for c in item.claims}
    names = dict(
        (await session.execute(select(Organisation.id, Organisation.name).where(
            Organisation.id.in_(org_ids)))).tuples().all()
    ) if org_ids else {}  # fmt: skip
    standards = (
        {s.code: s for s in await session.scalars(select(Standard).where(Standard.code.in_(codes)))}
        if codes
        else {}
    )
    return [_out(item, names.get(item.organisation_id, ""), standards) for item in listings]


async def view(session: AsyncSession, listing: Listing) -> ListingOut:
    return (await views(session, [listing]))[0]


def _out(listing: Listing, organisation_name: str, standards: dict[str, Standard]) -> ListingOut:
    return ListingOut(
        id=listing.id,
        organisation_id=listing.organisation_id,
        organisation_name=organisation_name,
        status=listing.status,
        title=listing.title,
        summary=listing.summary,
        description=listing.description,
        themes=listing.themes,
        cpv_codes=listing.cpv_codes,
        countries=listing.countries,
        trl=listing.trl,
        outcomes=[Outcome.model_validate(o) for o in listing.outcomes],
        pricing=PricingOut.model_validate(listing.pricing) if listing.pricing else None,
        standards=[
            ClaimOut(
                code=c.standard_code,
                title=standards[c.standard_code].title if c.standard_code in standards else "",
                evidence_url=c.evidence_url,
                claimed_version=c.standard_version,
                current_version=standards[c.standard_code].version
                if c.standard_code in standards
                else c.standard_version,
            )
            for c in listing.claims
        ],
        references=[Reference.model_validate(r) for r in listing.references],
        created_at=listing.created_at,
        updated_at=listing.updated_at,
        published_at=listing.published_at,
        missing_for_publication=missing_for_publication(listing),
    )


async def listings_of_member(session: AsyncSession, actor: Actor) -> list[ListingOut]:
    """Every listing of every SME the person belongs to, drafts included ("My listings")."""
    if not actor.roles:
        return []
    rows = await session.scalars(
        select(Listing)
        .where(Listing.organisation_id.in_(list(actor.roles)))
        .options(selectinload(Listing.claims))
        .order_by(Listing.updated_at.desc(), Listing.id)
    )
    return await views(session, list(rows))


class ListingChoice(NamedTuple):
    id: str
    title: str
    organisation_id: str


async def offerable_listings(session: AsyncSession, actor: Actor) -> list[ListingChoice]:
    """The listings this person may offer in a tender response, by title: the published
    listings of the SMEs they may act for (owner or editor), none of anyone else's."""
    editable = [org for org in actor.roles if actor.can_edit(org)]
    if not editable:
        return []
    rows = await session.execute(
        select(Listing.id, Listing.title, Listing.organisation_id)
        .where(Listing.organisation_id.in_(editable), Listing.status == "published")
        .order_by(Listing.title, Listing.id)
    )
    return [ListingChoice(i, t, o) for i, t, o in rows.tuples()]


async def published_listing_owner(session: AsyncSession, listing_id: str) -> str | None:
    """The organisation offering a published listing, or None (no such listing, or a draft
    or withdrawn one). Provided to tenders as the `published_listing_owner` service: a
    response may offer only one of the responding SME's own published listings."""
    owner: str | None = await session.scalar(
        select(Listing.organisation_id).where(
            Listing.id == listing_id, Listing.status == "published"
        )
    )
    return owner


async def claims_of_standard(
    session: AsyncSession, code: str, limit: int = 200
) -> tuple[list[tuple[Listing, ListingStandard, str]], int]:
    """Published listings claiming conformance to a standard, with the SME's name."""
    query = (
        select(Listing, ListingStandard, Organisation.name)
        .join(ListingStandard, ListingStandard.listing_id == Listing.id)
        .join(Organisation, Organisation.id == Listing.organisation_id)
        .where(ListingStandard.standard_code == code, Listing.status == "published")
    )
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(query.order_by(Listing.title).limit(limit))
    return [(row[0], row[1], row[2]) for row in rows.tuples()], total


async def standard_claimants(session: AsyncSession, code: str) -> tuple[list[ClaimantOut], int]:
    """What the standard's page shows of the listings claiming it (the module provides it
    to standards as the `standard_claimants` service)."""
    claims, total = await claims_of_standard(session, code)
    return [
        ClaimantOut(
            listing_id=listing.id, title=listing.title, organisation_id=listing.organisation_id,
            organisation_name=name, claimed_version=claim.standard_version,
            evidence_url=claim.evidence_url,
        )
        for listing, claim, name in claims
    ], total  # fmt: skip


# --- writing ---------------------------------------------------------------------------


async def _check(
    session: AsyncSession, pricing: Pricing | None, claims: list[ClaimIn] | None,
    references: list[Reference] | None, now: datetime,
) -> dict[str, Standard]:  # fmt: skip
    """Rules across fields and against the catalogue; every problem is reported at once."""
    errors: list[FieldError] = []
    if pricing is not None:
        if pricing.model == "outcome_based" and pricing.at_risk_percent is None:
            errors.append(
                FieldError(
                    "pricing.at_risk_percent",
                    "outcome-based pricing needs the share of the price at risk (0 to 100)",
                )
            )
        if pricing.model != "outcome_based" and pricing.at_risk_percent is not None:
            errors.append(
                FieldError("pricing.at_risk_percent", "applies to outcome-based pricing only")
            )
        if (
            pricing.amount_min is not None
            and pricing.amount_max is not None
            and pricing.amount_min > pricing.amount_max
        ):
            errors.append(FieldError("pricing.amount_max", "must not be below the minimum"))
    known: dict[str, Standard] = {}
    if claims:
        codes = [c.code for c in claims]
        known = {
            s.code: s
            for s in await session.scalars(select(Standard).where(Standard.code.in_(codes)))
        }
        seen: set[str] = set()
        for index, claim in enumerate(claims):
            if claim.code not in known:
                errors.append(
                    FieldError.of(
                        f"standards.{index}.code",
                        "%(value)r is not in the catalogue",
                        value=claim.code,
                    )
                )
            elif claim.code in seen:
                errors.append(FieldError(f"standards.{index}.code", "is claimed twice"))
            seen.add(claim.code)
    for index, reference in enumerate(references or []):
        if reference.year > now.year:
            errors.append(FieldError(f"references.{index}.year", "must not be in the future"))
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)
    return known


def _pricing_json(pricing: Pricing | None) -> dict[str, Any] | None:
    if pricing is None:
        return None
    return {
        "model": pricing.model,
        "currency": pricing.currency,
        "amount_min": f"{pricing.amount_min:.2f}" if pricing.amount_min is not None else None,
        "amount_max": f"{pricing.amount_max:.2f}" if pricing.amount_max is not None else None,
        "at_risk_percent": pricing.at_risk_percent,
    }


def _set_claims(
    listing: Listing, claims: list[ClaimIn], standards: dict[str, Standard], now: datetime
) -> None:
    """An unchanged claim keeps the version it was made against; a new or changed one is
    made against the standard's current version."""
    previous = {c.standard_code: c for c in listing.claims}
    kept: list[ListingStandard] = []
    for position, claim in enumerate(claims):
        evidence = str(claim.evidence_url) if claim.evidence_url else None
        old = previous.get(claim.code)
        if old is not None and old.evidence_url == evidence:
            old.position = position
            kept.append(old)
        elif old is not None:
            old.evidence_url = evidence
            old.standard_version = standards[claim.code].version
            old.position = position
            kept.append(old)
        else:
            kept.append(
                ListingStandard(
                    standard_code=claim.code,
                    standard_version=standards[claim.code].version,
                    evidence_url=evidence,
                    position=position,
                    created_at=now,
                )
            )
    listing.claims = kept


async def create_listing(
    session: AsyncSession, actor: Actor, data: ListingIn, now: datetime
) -> Listing:
    organisation = await session.get(Organisation, data.organisation_id)
    if organisation is None:
        raise Invalid.field("organisation_id", "no such organisation")
    if not actor.can_edit(organisation.id):
        raise Forbidden("Only the owners and editors of an SME may add its listings.")
    if organisation.kind != "sme":
        raise Invalid.field("organisation_id", "only SMEs (suppliers) offer solution listings")
    standards = await _check(session, data.pricing, data.standards, data.references, now)
    listing = Listing(
        organisation_id=organisation.id,
        status="draft",
        title=data.title,
        summary=data.summary,
        description=data.description,
        themes=data.themes,
        cpv_codes=data.cpv_codes,
        countries=data.countries,
        trl=data.trl,
        outcomes=[o.model_dump(mode="json") for o in data.outcomes],
        pricing=_pricing_json(data.pricing),
        references=[r.model_dump() for r in data.references],
        created_at=now,
        updated_at=now,
        claims=[],
    )
    _set_claims(listing, data.standards, standards, now)
    session.add(listing)
    await session.flush()
    await _changed(session, listing, LISTING_CREATED, now)
    return listing


async def update_listing(
    session: AsyncSession, actor: Actor, listing_id: str, data: ListingUpdate, now: datetime
) -> Listing:
    listing = await _for_edit(session, actor, listing_id)
    if listing.status == "archived":
        raise Conflict("The listing is archived; move it back to draft to edit it.")
    changes = data.model_dump(exclude_unset=True)
    for required in ("title", "summary", "description"):
        if required in changes and changes[required] is None:
            raise Invalid.field(required, "cannot be null")
    standards = await _check(
        session,
        data.pricing if "pricing" in changes else None,
        data.standards if "standards" in changes else None,
        data.references if "references" in changes else None,
        now,
    )
    for name in ("title", "summary", "description", "trl"):
        if name in changes:
            setattr(listing, name, changes[name])
    for name in ("themes", "cpv_codes", "countries"):
        if name in changes:
            setattr(listing, name, changes[name] or [])
    if "outcomes" in changes:
        listing.outcomes = [o.model_dump(mode="json") for o in data.outcomes or []]
    if "references" in changes:
        listing.references = [r.model_dump() for r in data.references or []]
    if "pricing" in changes:
        listing.pricing = _pricing_json(data.pricing)
    if "standards" in changes:
        _set_claims(listing, data.standards or [], standards, now)
    if listing.status == "published" and missing_for_publication(listing):
        # The public must never see an incomplete listing: refuse, nothing is saved.
        errors = _incomplete(listing)
        raise Invalid("A published listing must stay complete.", errors)
    listing.updated_at = now
    await session.flush()
    await _changed(session, listing, LISTING_UPDATED, now)
    return listing


async def publish_listing(
    session: AsyncSession, actor: Actor, listing_id: str, now: datetime
) -> Listing:
    listing = await _for_edit(session, actor, listing_id)
    if listing.status == "published":
        return listing
    missing = missing_for_publication(listing)
    if missing:
        raise Conflict(
            "The listing is not complete yet; missing: " + ", ".join(missing) + ".",
            _incomplete(listing),
        )
    listing.status = "published"
    listing.published_at = now
    listing.archived_at = None
    listing.updated_at = now
    await _changed(session, listing, LISTING_PUBLISHED, now)
    return listing


async def archive_listing(
    session: AsyncSession, actor: Actor, listing_id: str, now: datetime
) -> Listing:
    listing = await _for_edit(session, actor, listing_id)
    if listing.status != "archived":
        listing.status = "archived"
        listing.archived_at = now
        listing.updated_at = now
        await _changed(session, listing, LISTING_ARCHIVED, now)
    return listing


async def reopen_listing(
    session: AsyncSession, actor: Actor, listing_id: str, now: datetime
) -> Listing:
    """Back to draft for a new round of edits: it leaves the public view until republished."""
    listing = await _for_edit(session, actor, listing_id)
    if listing.status != "draft":
        listing.status = "draft"
        listing.updated_at = now
        await _changed(session, listing, LISTING_REOPENED, now)
    return listing


@dataclass(frozen=True)
class OrganisationChoice:
    id: str
    name: str


async def sme_choices(session: AsyncSession, actor: Actor) -> list[OrganisationChoice]:
    """The SMEs this person may write listings for."""
    editable = [org for org in actor.roles if actor.can_edit(org)]
    if not editable:
        return []
    rows = await session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(editable), Organisation.kind == "sme")
        .order_by(Organisation.name)
    )
    return [OrganisationChoice(i, n) for i, n in rows.tuples()]
