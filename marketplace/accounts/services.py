"""Account and organisation rules: who may do what, checked here and nowhere else."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import ApiToken, Membership, Organisation, User
from marketplace.accounts.passwords import check_strength, hash_password, verify_password
from marketplace.accounts.principal import Actor
from marketplace.accounts.schemas import (
    MemberIn,
    OrganisationIn,
    OrganisationUpdate,
    RegisterIn,
)
from marketplace.errors import (
    Conflict,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)
from marketplace.searching import enqueue_dependents

TOKEN_PREFIX = "icc_"
# Organisation fields that search documents show (names in the text, places as filters).
SHOWN_IN_SEARCH = frozenset({"name", "country", "nuts_code"})


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- users -----------------------------------------------------------------------------


async def register(session: AsyncSession, data: RegisterIn, now: datetime) -> User:
    email = _normalise_email(data.email)
    check_strength(data.password, email)
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("An account with this email already exists.", [_email_taken()])
    user = User(
        email=email, name=data.name, password_hash=hash_password(data.password), created_at=now
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent sign-up with the same email won the race
        raise Conflict("An account with this email already exists.", [_email_taken()]) from None
    return user


def _email_taken() -> FieldError:
    return FieldError("email", "is already registered")


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    user = await session.scalar(select(User).where(User.email == _normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthorized("The email or password is not correct.")
    return user


async def actor_for_user(session: AsyncSession, user_id: str) -> Actor | None:
    user = await session.get(User, user_id)
    if user is None:
        return None
    rows = await session.execute(
        select(Membership.organisation_id, Membership.role).where(Membership.user_id == user_id)
    )
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        is_admin=user.is_admin,
        roles={org_id: role for org_id, role in rows.all()},
    )


async def set_admin(session: AsyncSession, email: str) -> User:
    user = await session.scalar(select(User).where(User.email == _normalise_email(email)))
    if user is None:
        raise NotFound(f"No account with the email {email}; sign up first.")
    user.is_admin = True
    return user


# --- API tokens ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str


async def create_token(session: AsyncSession, user_id: str, label: str, now: datetime) -> NewToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id, label=label, token_hash=_token_hash(raw), prefix=raw[:10], created_at=now
    )
    session.add(token)
    await session.flush()
    return NewToken(token, raw)


async def list_tokens(session: AsyncSession, actor: Actor) -> list[ApiToken]:
    result = await session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.created_at)
    )
    return list(result)


async def revoke_token(session: AsyncSession, actor: Actor, token_id: str, now: datetime) -> None:
    token = await session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.user_id:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = now


async def actor_for_token(session: AsyncSession, raw: str, now: datetime) -> Actor | None:
    token = await session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    token.last_used_at = now
    return await actor_for_user(session, token.user_id)


# --- organisations ---------------------------------------------------------------------


async def create_organisation(
    session: AsyncSession, actor: Actor, data: OrganisationIn, now: datetime
) -> Organisation:
    if data.nuts_code and not data.nuts_code.startswith(_nuts_country(data.country)):
        raise Invalid.field("nuts_code", f"{data.nuts_code} is not a region of {data.country}")
    organisation = Organisation(
        name=data.name,
        kind=data.kind,
        country=data.country,
        nuts_code=data.nuts_code,
        website=str(data.website) if data.website else None,
        vat_id=data.vat_id,
        description=data.description,
        created_at=now,
    )
    session.add(organisation)
    await session.flush()
    session.add(
        Membership(
            user_id=actor.user_id, organisation_id=organisation.id, role="owner", created_at=now
        )
    )
    await session.flush()
    return organisation


def _nuts_country(country: str) -> str:
    # NUTS uses EL for Greece where ISO 3166-1 says GR.
    return "EL" if country == "GR" else country


async def get_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


async def list_organisations(
    session: AsyncSession,
    *,
    kind: str | None = None,
    q: str | None = None,
    verified: bool | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Organisation], int]:
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    if q:
        query = query.where(Organisation.name.ilike(f"%{q}%"))
    if verified is not None:
        query = query.where(Organisation.verified.is_(verified))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Organisation.name, Organisation.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


async def update_organisation(
    session: AsyncSession, actor: Actor, organisation_id: str, data: OrganisationUpdate
) -> Organisation:
    organisation = await get_organisation(session, organisation_id)
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the organisation's owners and editors may change its profile.")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("nuts_code") and not changes["nuts_code"].startswith(
        _nuts_country(organisation.country)
    ):
        raise Invalid.field(
            "nuts_code", f"{changes['nuts_code']} is not a region of {organisation.country}"
        )
    for key, value in changes.items():
        setattr(organisation, key, str(value) if key == "website" and value else value)
    if changes.keys() & SHOWN_IN_SEARCH:
        await enqueue_dependents(session, "organisation", organisation.id)
    return organisation


async def list_members(
    session: AsyncSession, actor: Actor | None, organisation_id: str
) -> list[tuple[Membership, User]]:
    await get_organisation(session, organisation_id)
    if actor is None or not (actor.is_member(organisation_id) or actor.is_admin):
        raise Forbidden("Only members see who belongs to an organisation.")
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.name)
    )
    return [(m, u) for m, u in rows.tuples()]


async def add_member(
    session: AsyncSession, actor: Actor, organisation_id: str, data: MemberIn, now: datetime
) -> tuple[Membership, User]:
    await get_organisation(session, organisation_id)
    if not actor.is_owner(organisation_id):
        raise Forbidden("Only the organisation's owners may add members.")
    user = await session.scalar(select(User).where(User.email == _normalise_email(data.email)))
    if user is None:
        raise Invalid.field("email", "no account uses this address; ask them to sign up first")
    existing = await session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation_id
        )
    )
    if existing is not None:
        raise Conflict(f"{user.email} is already a member ({existing.role}).")
    membership = Membership(
        user_id=user.id, organisation_id=organisation_id, role=data.role, created_at=now
    )
    session.add(membership)
    await session.flush()
    return membership, user


async def verify_organisation(
    session: AsyncSession, actor: Actor, organisation_id: str, now: datetime
) -> Organisation:
    if not actor.is_admin:
        raise Forbidden("Only platform admins verify organisations.")
    organisation = await get_organisation(session, organisation_id)
    if not organisation.verified:
        organisation.verified = True
        organisation.verified_at = now
    return organisation


async def organisations_of(session: AsyncSession, actor: Actor) -> list[tuple[Organisation, str]]:
    if not actor.roles:
        return []
    rows = await session.scalars(
        select(Organisation).where(Organisation.id.in_(actor.roles)).order_by(Organisation.name)
    )
    return [(o, actor.roles[o.id]) for o in rows]
