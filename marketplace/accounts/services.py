"""Account and organisation rules: who may do what, checked here and nowhere else."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.accounts.events import (
    EMAIL_VERIFICATION_REQUESTED,
    MEMBER_ADDED,
    MEMBER_REMOVED,
    MEMBER_ROLE_CHANGED,
    ORGANISATION_CREATED,
    ORGANISATION_UPDATED,
    ORGANISATION_VERIFIED,
    PASSWORD_RESET_REQUESTED,
    USER_REGISTERED,
)
from marketplace.accounts.models import (
    BUYER_KINDS,
    AccountToken,
    ApiToken,
    Membership,
    Organisation,
    OrganisationIdentifier,
    User,
)
from marketplace.accounts.passwords import check_strength, hash_password, verify_password
from marketplace.accounts.policies import member_actions, organisation_actions, platform_actions
from marketplace.accounts.principal import Actor
from marketplace.accounts.schemas import (
    MemberIn,
    MemberRoleIn,
    MeUpdate,
    OrganisationIn,
    OrganisationSort,
    OrganisationUpdate,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    RegisterIn,
)
from marketplace.accounts.throttle import SignInThrottle
from marketplace.core.events import publish
from marketplace.core.paging import paged
from marketplace.core.policy import Allowed
from marketplace.core.sorting import checked_sort
from marketplace.db import intent, write_session
from marketplace.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    RateLimited,
    Unauthorized,
)
from marketplace.i18n import LOCALES
from marketplace.settings import Settings

TOKEN_PREFIX = "icc_"


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- users -----------------------------------------------------------------------------


async def register(
    session: AsyncSession,
    data: RegisterIn,
    now: datetime,
    *,
    locale: str | None = None,
    verification_days: int = 7,
) -> User:
    """A new account, and a link to verify its address mailed in `locale` (the sign-up
    page's language)."""
    email = _normalise_email(data.email)
    check_strength(data.password, email)
    # Argon2 is slow on purpose: hash in a thread (the event loop keeps serving) and before
    # the first query, which on SQLite takes the one write lock every other writer waits for.
    password_hash = await asyncio.to_thread(hash_password, data.password)
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("An account with this email already exists.", [_email_taken()])
    user = User(email=email, name=data.name, password_hash=password_hash, created_at=now)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent sign-up with the same email won the race
        raise Conflict("An account with this email already exists.", [_email_taken()]) from None
    await publish(session, USER_REGISTERED, user.id, now)
    await _mail_link(session, user, "email_verification", now, timedelta(days=verification_days),
                     locale)  # fmt: skip
    return user


def _email_taken() -> FieldError:
    return FieldError("email", "is already registered")


async def authenticate(session: AsyncSession, email: str, password: str) -> User:
    """The account whose password this is. The user is looked up in a read transaction of
    its own when none is open yet, and the (slow) Argon2 check runs in a thread after it:
    a write transaction held through the check would keep every other writer waiting."""
    query = select(User).where(User.email == _normalise_email(email))
    if session.in_transaction():
        user = await session.scalar(query)
    else:
        with intent("read"):
            user = await session.scalar(query)
            await session.commit()  # ends the read; nothing was changed
    valid = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
    if not valid or user is None:
        raise Unauthorized("The email or password is not correct.")
    return user


async def actor_for_user(session: AsyncSession, user_id: str) -> Actor | None:
    user = await session.get(User, user_id)
    if user is None:
        return None
    rows = (
        await session.execute(
            select(Membership.organisation_id, Membership.role, Organisation.kind)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id == user_id)
        )
    ).all()
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        is_admin=user.is_admin,
        roles={org_id: role for org_id, role, _ in rows},
        kinds={org_id: kind for org_id, _, kind in rows},
        locale=user.locale,
        email_verified=user.email_verified_at is not None,
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
    """The actor a Bearer token stands for; reads only (see `TokenUse` for its last use)."""
    found = await token_actor(session, raw)
    return found.actor if found else None


@dataclass(frozen=True)
class TokenActor:
    actor: Actor
    token_id: str
    last_used_at: datetime | None


async def token_actor(session: AsyncSession, raw: str) -> TokenActor | None:
    row = (
        await session.execute(
            select(ApiToken.id, ApiToken.user_id, ApiToken.last_used_at).where(
                ApiToken.token_hash == _token_hash(raw), ApiToken.revoked_at.is_(None)
            )
        )
    ).first()
    if row is None:
        return None
    actor = await actor_for_user(session, row.user_id)
    return TokenActor(actor, row.id, row.last_used_at) if actor else None


class TokenUse:
    """Records when API tokens were last used, at most once per `interval` per token, each
    time in a short write of its own after the response.

    Writing `last_used_at` in every request's transaction made every read a write: on SQLite
    parallel readers then fought over the one write lock and answered 500 "database is
    locked". The page shows the time to the minute, so a write a minute is as useful. The
    write is conditional, so that several processes also write at most once per interval.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], interval: timedelta) -> None:
        self.sessions = sessions
        self.interval = interval
        self._written: dict[str, datetime] = {}  # token id -> when this process wrote it

    def due(self, token_id: str, last_used_at: datetime | None, now: datetime) -> bool:
        seen = max(filter(None, (last_used_at, self._written.get(token_id))), default=None)
        return seen is None or now - seen >= self.interval

    async def record(self, token_id: str, now: datetime) -> bool:
        """Write the token's last use unless it was written within the interval; True if
        this call wrote it."""
        if len(self._written) > 10_000:  # bounded: only a hint, the UPDATE decides
            self._written.clear()
        self._written[token_id] = now
        async with write_session(self.sessions) as session:
            result = await session.execute(
                update(ApiToken)
                .where(
                    ApiToken.id == token_id,
                    or_(
                        ApiToken.last_used_at.is_(None),
                        ApiToken.last_used_at <= now - self.interval,
                    ),
                )
                .values(last_used_at=now)
                .execution_options(synchronize_session=False)
            )
        return bool(getattr(result, "rowcount", 0))


# --- organisations ---------------------------------------------------------------------


async def create_organisation(
    session: AsyncSession, actor: Actor, data: OrganisationIn, now: datetime
) -> Organisation:
    if data.nuts_code and not data.nuts_code.startswith(_nuts_country(data.country)):
        raise Invalid.field(
            "nuts_code", "%(code)s is not a region of %(country)s",
            code=data.nuts_code, country=data.country,
        )  # fmt: skip
    buyer_type = "city" if data.kind == "city" else data.buyer_type
    if buyer_type is not None and data.kind not in BUYER_KINDS:
        raise Invalid.field("buyer_type", "only public buyers have a buyer type")
    if buyer_type == "city" and data.kind != "city":
        raise Invalid.field("buyer_type", "a city is an organisation of kind city")
    organisation = Organisation(
        name=data.name,
        kind=data.kind,
        buyer_type=buyer_type,
        country=data.country,
        nuts_code=data.nuts_code,
        website=str(data.website) if data.website else None,
        vat_id=data.vat_id,
        description=data.description,
        street_address=data.street_address,
        locality=data.locality,
        postal_code=data.postal_code,
        contact_name=data.contact_name,
        email=str(data.email) if data.email else None,
        telephone=data.telephone,
        created_at=now,
    )
    session.add(organisation)
    await session.flush()
    await add_identifiers(session, organisation, [(i.scheme, i.id) for i in data.identifiers])
    session.add(
        Membership(
            user_id=actor.user_id, organisation_id=organisation.id, role="owner", created_at=now
        )
    )
    await session.flush()
    await publish(session, ORGANISATION_CREATED, organisation.id, now, data={"kind": data.kind})
    return organisation


async def identifiers_of(session: AsyncSession, organisation_id: str) -> list[tuple[str, str]]:
    """(scheme, number) of an organisation's legal identifiers, in the order given."""
    rows = await session.execute(
        select(OrganisationIdentifier.scheme, OrganisationIdentifier.identifier)
        .where(OrganisationIdentifier.organisation_id == organisation_id)
        .order_by(OrganisationIdentifier.position, OrganisationIdentifier.id)
    )
    return [(str(scheme or ""), str(number)) for scheme, number in rows.all()]


async def add_identifiers(
    session: AsyncSession, organisation: Organisation, identifiers: list[tuple[str, str]]
) -> None:
    """Legal identifiers, compacted (no spaces or dots) so one number is stored one way; a
    number another organisation already holds is refused, naming the field."""
    position = 0
    for scheme, raw in identifiers:
        number = re.sub(r"[\s.]", "", raw).upper()
        holder = await session.scalar(
            select(OrganisationIdentifier.organisation_id).where(
                OrganisationIdentifier.scheme == scheme,
                OrganisationIdentifier.identifier == number,
            )
        )
        if holder is not None and holder != organisation.id:
            raise Invalid.field(
                "identifiers", "%(scheme)s %(number)s belongs to another organisation",
                scheme=scheme, number=number,
            )  # fmt: skip
        if holder is None:
            session.add(
                OrganisationIdentifier(
                    organisation_id=organisation.id, scheme=scheme, identifier=number,
                    position=position,
                )
            )  # fmt: skip
            position += 1
    await session.flush()


def _nuts_country(country: str) -> str:
    # NUTS uses EL for Greece where ISO 3166-1 says GR.
    return "EL" if country == "GR" else country


async def get_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


# The queue's orders: waiting longest first (the default), newest, by name, by country.
QUEUE_SORTS = ("oldest", "newest", "name", "country")


async def verification_queue(
    session: AsyncSession, actor: Actor | None, page: int = 1, per_page: int = 50,
    sort: str | None = None,
) -> tuple[list[Organisation], int]:  # fmt: skip
    """The organisations waiting for a platform admin to verify them (admins only), those
    waiting longest first unless `sort` says otherwise."""
    platform_actions(actor).require("verification_queue")
    chosen = checked_sort(sort, QUEUE_SORTS)
    if chosen in ("name", "newest", "country"):
        return await list_organisations(
            session, verified=False, sort=chosen, page=page, per_page=per_page
        )
    query = select(Organisation).where(Organisation.verified.is_(False))
    return await paged(session, query, [Organisation.created_at, Organisation.id], page, per_page)


async def list_organisations(
    session: AsyncSession,
    *,
    kind: str | None = None,
    q: str | None = None,
    verified: bool | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Organisation], int]:
    """Public profiles; `sort` one of `ORGANISATION_SORTS` (by name by default)."""
    # Names compare without case, as people read them, and alike on SQLite and PostgreSQL.
    by_name: list[Any] = [func.lower(Organisation.name), Organisation.name]
    match checked_sort(sort, ORGANISATION_SORTS):
        case "newest":
            order: list[Any] = [Organisation.created_at.desc()]
        case "country":
            order = [Organisation.country, *by_name]
        case _:
            order = by_name
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    if q:
        query = query.where(Organisation.name.ilike(f"%{q}%"))
    if verified is not None:
        query = query.where(Organisation.verified.is_(verified))
    return await paged(session, query, [*order, Organisation.id], page, per_page)


ORGANISATION_SORTS: tuple[str, ...] = get_args(OrganisationSort)


async def network_cities(session: AsyncSession) -> list[tuple[str, str]]:
    """Every city of the network as (name, country), for the directory's map."""
    rows = await session.execute(
        select(Organisation.name, Organisation.country).where(Organisation.kind == "city")
    )
    return [(name, country) for name, country in rows.all()]


async def update_organisation(
    session: AsyncSession,
    actor: Actor,
    organisation_id: str,
    data: OrganisationUpdate,
    now: datetime,
) -> Organisation:
    organisation = await get_organisation(session, organisation_id)
    organisation_actions(actor, organisation_id).require("edit")
    changes = data.model_dump(exclude_unset=True)
    identifiers = changes.pop("identifiers", None)
    if changes.get("nuts_code") and not changes["nuts_code"].startswith(
        _nuts_country(organisation.country)
    ):
        raise Invalid.field(
            "nuts_code", "%(code)s is not a region of %(country)s",
            code=changes["nuts_code"], country=organisation.country,
        )  # fmt: skip
    if "buyer_type" in changes and changes["buyer_type"] != organisation.buyer_type:
        if organisation.kind != "public_buyer":
            raise Invalid.field("buyer_type", "only other public buyers choose their type")
        if changes["buyer_type"] == "city":
            raise Invalid.field("buyer_type", "a city is an organisation of kind city")
    for key, value in changes.items():
        setattr(organisation, key, str(value) if key in ("website", "email") and value else value)
    if identifiers is not None:
        await session.execute(
            delete(OrganisationIdentifier).where(
                OrganisationIdentifier.organisation_id == organisation.id
            )
        )
        await add_identifiers(session, organisation, [(i["scheme"], i["id"]) for i in identifiers])
        changes["identifiers"] = identifiers
    if changes:
        # Search re-sends what shows this organisation's name or place when it hears of it.
        await publish(
            session, ORGANISATION_UPDATED, organisation.id, now, data={"changed": sorted(changes)}
        )
    return organisation


@dataclass(frozen=True)
class Member:
    """One membership as the members list shows it, with what the reader may do with it."""

    membership: Membership
    user: User
    actions: Allowed


async def list_members(
    session: AsyncSession, actor: Actor | None, organisation_id: str
) -> list[Member]:
    await get_organisation(session, organisation_id)
    if actor is None:  # the API's word for it; pages send people to sign in before this
        raise Forbidden("Only members see who belongs to an organisation.")
    organisation_actions(actor, organisation_id).require("see_members")
    rows = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == organisation_id)
            .order_by(User.name, User.id)
        )
    ).tuples()
    pairs = list(rows)
    owners = sum(1 for m, _ in pairs if m.role == "owner")
    return [
        Member(m, u, member_actions(actor, organisation_id, u.id, m.role, owners)) for m, u in pairs
    ]


async def add_member(
    session: AsyncSession, actor: Actor, organisation_id: str, data: MemberIn, now: datetime
) -> Member:
    await get_organisation(session, organisation_id)
    organisation_actions(actor, organisation_id).require("add_member")
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
    await publish(
        session, MEMBER_ADDED, organisation_id, now, data={"user_id": user.id, "role": data.role}
    )
    owners = await _owners(session, organisation_id)
    return Member(
        membership, user, member_actions(actor, organisation_id, user.id, data.role, owners)
    )


@dataclass(frozen=True)
class _Target:
    membership: Membership
    user: User
    actor: Actor  # the acting person with their role as it is now, after the lock
    allowed: Allowed


async def _membership_to_manage(
    session: AsyncSession, actor: Actor, organisation_id: str, user_id: str
) -> _Target:
    """The membership an owner (or the member) is about to change, locked with its
    organisation, and what the actor may do with it.

    The organisation's row is locked first (PostgreSQL; SQLite has one writer at a time
    anyway), and the actor's own role and the owners are read after the lock: two owners
    demoting or removing each other at the same moment are decided one after the other, and
    the second is judged as what the first left them (an editor now, or the last owner) —
    never an organisation without an owner. Strangers are refused before they can learn
    who is a member.
    """
    organisation = await session.scalar(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    )
    if organisation is None:
        raise NotFound("No such organisation.")
    own_role = await session.scalar(
        select(Membership.role).where(
            Membership.organisation_id == organisation_id, Membership.user_id == actor.user_id
        )
    )
    actor = _with_role(actor, organisation_id, own_role)
    organisation_actions(actor, organisation_id).require("see_members")
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == organisation_id, Membership.user_id == user_id)
        )
    ).first()
    if row is None:
        raise NotFound("That person is not a member of this organisation.")
    membership, user = row[0], row[1]
    owners = await _owners(session, organisation_id)
    return _Target(
        membership, user, actor,
        member_actions(actor, organisation_id, user_id, membership.role, owners),
    )  # fmt: skip


async def _owners(session: AsyncSession, organisation_id: str) -> int:
    count = await session.scalar(
        select(func.count()).where(
            Membership.organisation_id == organisation_id, Membership.role == "owner"
        )
    )
    return count or 0


def _with_role(actor: Actor, organisation_id: str, role: str | None) -> Actor:
    """The actor with their role in the organisation as given (None: not a member)."""
    if actor.roles.get(organisation_id) == role:
        return actor
    roles = {o: r for o, r in actor.roles.items() if o != organisation_id}
    if role is not None:
        roles[organisation_id] = role
    return Actor(
        user_id=actor.user_id, email=actor.email, name=actor.name, is_admin=actor.is_admin,
        roles=roles, kinds=actor.kinds,
    )  # fmt: skip


async def change_member_role(
    session: AsyncSession,
    actor: Actor,
    organisation_id: str,
    user_id: str,
    data: MemberRoleIn,
    now: datetime,
) -> Member:
    """An owner gives a member another role; it applies from the member's next request
    (every request loads the person's roles afresh: no session or cache holds them)."""
    target = await _membership_to_manage(session, actor, organisation_id, user_id)
    membership, user, allowed = target.membership, target.user, target.allowed
    if data.role == membership.role:  # nothing changes, not even for the last owner
        organisation_actions(target.actor, organisation_id).require("manage_members")
        return Member(membership, user, allowed)
    allowed.require("change_role")
    previous, membership.role = membership.role, data.role
    await session.flush()
    await publish(
        session, MEMBER_ROLE_CHANGED, organisation_id, now,
        data={"user_id": user.id, "role": data.role, "previous_role": previous,
              "by_user_id": actor.user_id},
    )  # fmt: skip
    # What the caller may do now: an owner who demoted themselves no longer manages members.
    after = target.actor if user_id != actor.user_id else _with_role(
        target.actor, organisation_id, data.role
    )  # fmt: skip
    owners = await _owners(session, organisation_id)
    return Member(
        membership, user, member_actions(after, organisation_id, user_id, data.role, owners)
    )


async def removal(
    session: AsyncSession, actor: Actor, organisation_id: str, user_id: str
) -> Member:
    """The membership `remove_member` would end, or the refusal (for a page that asks for
    confirmation only when the removal would be allowed)."""
    target = await _membership_to_manage(session, actor, organisation_id, user_id)
    target.allowed.require("remove")
    return Member(target.membership, target.user, target.allowed)


async def remove_member(
    session: AsyncSession, actor: Actor, organisation_id: str, user_id: str, now: datetime
) -> User:
    """An owner removes a member, or a member leaves; the removed person loses access from
    their next request (roles are loaded per request), on every session and token."""
    member = await removal(session, actor, organisation_id, user_id)
    role = member.membership.role
    await session.delete(member.membership)
    await session.flush()
    await publish(
        session, MEMBER_REMOVED, organisation_id, now,
        data={"user_id": member.user.id, "role": role, "by_user_id": actor.user_id},
    )  # fmt: skip
    return member.user


async def verify_organisation(
    session: AsyncSession, actor: Actor, organisation_id: str, now: datetime
) -> Organisation:
    organisation_actions(actor, organisation_id).require("verify")
    organisation = await get_organisation(session, organisation_id)
    if not organisation.verified:
        organisation.verified = True
        organisation.verified_at = now
        await publish(session, ORGANISATION_VERIFIED, organisation.id, now)
    return organisation


async def member_organisations(
    session: AsyncSession, actor: Actor | None, kinds: Sequence[str] | None = None
) -> list[Organisation]:
    """The organisations this person belongs to (of these kinds), by name: the workspaces,
    dashboards and "on behalf of" choices of every package."""
    if actor is None or not actor.roles:
        return []
    query = select(Organisation).where(Organisation.id.in_(list(actor.roles)))
    if kinds is not None:
        query = query.where(Organisation.kind.in_(list(kinds)))
    return list(await session.scalars(query.order_by(Organisation.name)))


async def organisations_of(session: AsyncSession, actor: Actor) -> list[tuple[Organisation, str]]:
    return [(o, actor.roles[o.id]) for o in await member_organisations(session, actor)]


async def sign_in(
    session: AsyncSession, throttle: SignInThrottle, email: str, password: str, address: str
) -> User:
    """Authenticate under the sign-in rate limit policy; the API's token creation and the
    sign-in page both come through here."""
    await throttle.check(email, address)
    try:
        user = await authenticate(session, email, password)
    except DomainError:
        await throttle.failed(email, address)
        raise
    await throttle.succeeded(email, address)
    return user


async def change_password(
    session: AsyncSession, actor: Actor, data: PasswordChangeIn, now: datetime
) -> User:
    """The current password proves it is the person, not someone at an unlocked screen;
    the caller then ends the user's other sessions."""
    user = await session.get(User, actor.user_id)
    if user is None or not await asyncio.to_thread(
        verify_password, user.password_hash, data.current_password
    ):
        raise Invalid.field("current_password", "is not correct")
    try:
        check_strength(data.new_password, user.email)
    except Invalid as error:
        raise Invalid.field(
            "new_password", error.errors[0].message if error.errors else error.detail
        ) from None
    user.password_hash = await asyncio.to_thread(hash_password, data.new_password)
    await session.flush()
    return user


# --- mailed links: password reset and address verification ------------------------------
#
# A link carries `<token id>.<HMAC of purpose and id under the app secret>`: the table keeps
# no secret (a copy of the database does not let anyone reset a password), a forged or
# altered link fails the HMAC before any query, and `used_at` makes each link work once.
# The mail itself is written by the notifications module when it hears the event.

PURPOSES = ("password_reset", "email_verification")
_MAC_BYTES = 20


def _mac(secret: bytes, purpose: str, token_id: str) -> str:
    digest = hmac.new(secret, f"account-link:{purpose}:{token_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:_MAC_BYTES]).decode().rstrip("=")


def link_token(secret: bytes, purpose: str, token_id: str) -> str:
    """What a mailed link carries for the account token `token_id`."""
    return f"{token_id}.{_mac(secret, purpose, token_id)}"


def _token_id(secret: bytes, purpose: str, raw: str) -> str | None:
    token_id, _, mac = raw.strip().partition(".")
    if not token_id or not mac or len(token_id) > 36:
        return None
    # Bytes: compare_digest refuses str with non-ASCII characters, and a link is anyone's input.
    expected = _mac(secret, purpose, token_id).encode()
    return token_id if hmac.compare_digest(mac.encode(), expected) else None


class LinkInvalid(Invalid):
    code = "link-invalid"


def _invalid_link() -> Invalid:
    return LinkInvalid(
        "This link is not valid: it may have been copied incompletely.",
        [FieldError("token", "is not a valid link")],
    )


async def _mail_link(
    session: AsyncSession,
    user: User,
    purpose: str,
    now: datetime,
    lifetime: timedelta,
    locale: str | None,
    *,
    per_hour: int | None = None,
) -> AccountToken | None:
    """A new link for `user`, mailed through the `*.requested` event; None (nothing sent)
    when `per_hour` links of this purpose went to the account in the last hour, so that
    nobody can flood a mailbox with our messages."""
    if per_hour is not None:
        recent = await session.scalar(
            select(func.count(AccountToken.id)).where(
                AccountToken.user_id == user.id,
                AccountToken.purpose == purpose,
                AccountToken.created_at > now - timedelta(hours=1),
            )
        )
        if (recent or 0) >= per_hour:
            return None
    token = AccountToken(user_id=user.id, purpose=purpose, email=user.email, created_at=now,
                         expires_at=now + lifetime)  # fmt: skip
    session.add(token)
    await session.flush()
    event = (
        PASSWORD_RESET_REQUESTED if purpose == "password_reset" else EMAIL_VERIFICATION_REQUESTED
    )
    await publish(session, event, token.id, now,
                  data={"locale": locale if locale in LOCALES else None})  # fmt: skip
    return token


async def request_password_reset(
    session: AsyncSession, settings: Settings, email: str, now: datetime, locale: str | None
) -> None:
    """Mail a reset link if an account uses `email`. The caller answers the same either
    way, so the answer never tells whether an address has an account."""
    user = await session.scalar(select(User).where(User.email == _normalise_email(email)))
    if user is None:
        return
    await _mail_link(
        session, user, "password_reset", now, timedelta(minutes=settings.password_reset_minutes),
        locale, per_hour=settings.account_mails_per_hour,
    )  # fmt: skip


async def usable_link(
    session: AsyncSession, secret: bytes, purpose: str, raw: str, now: datetime
) -> AccountToken:
    """The account token a link stands for, if it can still be used: `Invalid` (422) for a
    link we did not sign, `Conflict` (409) for one used already, `Gone` (410) past its
    time."""
    token_id = _token_id(secret, purpose, raw)
    token = await session.get(AccountToken, token_id) if token_id else None
    if token is None or token.purpose != purpose:
        raise _invalid_link()
    if token.used_at is not None:
        raise Conflict("This link was used already; each link works once.", code="link-used")
    if now >= token.expires_at:
        raise Gone("This link has expired.", code="link-expired")
    return token


async def _use(session: AsyncSession, token: AccountToken, now: datetime) -> None:
    """Mark the link used, once: of two requests racing with one link, one wins."""
    result = await session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise Conflict("This link was used already; each link works once.", code="link-used")


async def reset_password(
    session: AsyncSession, settings: Settings, data: PasswordResetConfirmIn, now: datetime
) -> User:
    """Set a new password through a reset link; the caller then ends every session of the
    account. Other reset links of the account stop working, and the address counts as
    verified if the link went to the current one (following it proves the mailbox)."""
    secret = settings.secret_bytes
    token = await usable_link(session, secret, "password_reset", data.token, now)
    user = await session.get(User, token.user_id)
    if user is None:
        raise _invalid_link()
    try:
        check_strength(data.password, user.email)
    except Invalid as error:
        raise Invalid.field(
            "password", error.errors[0].message if error.errors else error.detail
        ) from None
    password_hash = await asyncio.to_thread(hash_password, data.password)
    await _use(session, token, now)
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == "password_reset",
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    user.password_hash = password_hash
    if user.email_verified_at is None and token.email == user.email:
        user.email_verified_at = now
    await session.flush()
    return user


async def send_verification(
    session: AsyncSession, settings: Settings, actor: Actor, now: datetime, locale: str | None
) -> AccountToken:
    """Mail a new verification link ("send again" on the account page)."""
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("No such account.")
    if user.email_verified_at is not None:
        raise Conflict(f"{user.email} is verified already.", code="already-verified")
    token = await _mail_link(
        session, user, "email_verification", now,
        timedelta(days=settings.email_verification_days), user.locale or locale,
        per_hour=settings.account_mails_per_hour,
    )  # fmt: skip
    if token is None:
        raise RateLimited(
            "A verification link was sent several times in the last hour; look for it in "
            "your mailbox, or try again later.",
            retry_after=3600,
        )
    return token


async def verify_email(session: AsyncSession, settings: Settings, raw: str, now: datetime) -> User:
    """Follow a verification link: the address it was sent to is the account's, verified."""
    token = await usable_link(session, settings.secret_bytes, "email_verification", raw, now)
    user = await session.get(User, token.user_id)
    if user is None:
        raise _invalid_link()
    if token.email != user.email:
        raise Gone("This link was sent to an address the account no longer uses.",
                   code="link-expired")  # fmt: skip
    await _use(session, token, now)
    if user.email_verified_at is None:
        user.email_verified_at = now
    await session.flush()
    return user


async def get_user(session: AsyncSession, actor: Actor) -> User:
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("No such account.")
    return user


async def update_me(session: AsyncSession, actor: Actor, data: MeUpdate) -> User:
    user = await get_user(session, actor)
    if "locale" in data.model_fields_set:
        user.locale = data.locale
    await session.flush()
    return user


async def set_locale(session: AsyncSession, user_id: str, locale: str) -> None:
    """The language switch, for a signed-in person: remembered on the account too, so that
    e-mail and other browsers speak it."""
    if locale in LOCALES:
        await session.execute(
            update(User)
            .where(User.id == user_id, or_(User.locale.is_(None), User.locale != locale))
            .values(locale=locale)
            .execution_options(synchronize_session=False)
        )
