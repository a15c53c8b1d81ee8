"""Input and output shapes of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field, HttpUrl, field_validator

from marketplace.schemas import (
    CleanLine,
    CleanText,
    CountryCode,
    NutsCode,
    Patch,
    Schema,
)

OrganisationKind = Literal["sme", "city", "public_buyer", "large_company", "funder"]
# The orders of the directory (`?sort=`): by name (the default), the newest members first,
# by country (then name).
OrganisationSort = Literal["name", "newest", "country"]
BuyerType = Literal[
    "city", "region", "central_purchasing_body", "public_company", "other_public_body"
]


class IdentifierIn(Schema):
    """A legal identifier: an org-id.guide scheme (`NL-KVK`, `GB-COH`, `EU-VAT`) and the number."""

    scheme: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9_]{2,16}$")]
    id: Annotated[str, Field(min_length=1, max_length=100)]


class IdentifierOut(Schema):
    scheme: str | None
    id: str


Role = Literal["owner", "editor", "viewer"]


class RegisterIn(Schema):
    email: EmailStr
    password: Annotated[str, Field(max_length=200)]
    name: Annotated[str, Field(min_length=1, max_length=200), CleanLine]


class PasswordChangeIn(Schema):
    current_password: Annotated[str, Field(max_length=200)]
    new_password: Annotated[str, Field(max_length=200)]


Language = Literal["en", "fr", "de"]


class PasswordResetIn(Schema):
    email: EmailStr


class PasswordResetConfirmIn(Schema):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(max_length=200)]


class EmailVerificationConfirmIn(Schema):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class MeUpdate(Schema):
    """What a person changes about themselves through `PATCH /api/v1/me`."""

    locale: Language | None = None


class AcceptedOut(Schema):
    detail: str


class UserOut(Schema):
    id: str
    email: str
    name: str


class TokenIn(Schema):
    email: EmailStr
    password: Annotated[str, Field(max_length=200)]
    label: Annotated[str, Field(min_length=1, max_length=100), CleanLine] = "API token"


class TokenCreatedOut(Schema):
    id: str
    token: str
    label: str


class TokenOut(Schema):
    id: str
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class MembershipOut(Schema):
    organisation_id: str
    role: Role


class MeOut(Schema):
    id: str
    email: str
    name: str
    is_admin: bool
    memberships: list[MembershipOut]
    email_verified: bool = False
    email_verified_at: datetime | None = None
    # The language chosen for pages and e-mail; None: the browser's is used.
    locale: Language | None = None


CONTACT = ("street_address", "locality", "postal_code", "contact_name", "email", "telephone")


class ContactFields(Schema):
    """Postal address and contact point, as OCDS `parties` and TED notices carry them;
    a blank field is no value."""

    street_address: Annotated[str | None, Field(max_length=300), CleanLine] = None
    locality: Annotated[str | None, Field(max_length=100), CleanLine] = None
    postal_code: Annotated[str | None, Field(max_length=20), CleanLine] = None
    contact_name: Annotated[str | None, Field(max_length=200), CleanLine] = None
    email: EmailStr | None = None
    telephone: Annotated[str | None, Field(max_length=50), CleanLine] = None

    @field_validator(*CONTACT, mode="before")
    @classmethod
    def _blank_contact(cls, value: object) -> object:
        return None if value == "" else value


class OrganisationIn(ContactFields):
    name: Annotated[str, Field(min_length=2, max_length=200), CleanLine]
    kind: OrganisationKind
    country: CountryCode
    nuts_code: NutsCode | None = None
    website: HttpUrl | None = None
    vat_id: Annotated[str | None, Field(max_length=20, pattern=r"^[A-Z]{2}[0-9A-Z+*.]{2,18}$")] = (
        None
    )
    description: Annotated[str, Field(max_length=5000), CleanText] = ""
    # Public buyers: what kind of public body (a city's is `city`).
    buyer_type: BuyerType | None = None
    identifiers: Annotated[list[IdentifierIn], Field(max_length=10)] = []

    @field_validator("vat_id", mode="before")
    @classmethod
    def _compact_vat(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.replace(" ", "").upper() or None
        return value

    @field_validator("nuts_code", "website", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class OrganisationUpdate(Patch, ContactFields):
    clearable = frozenset({"nuts_code", "website", *CONTACT})

    name: Annotated[str | None, Field(min_length=2, max_length=200), CleanLine] = None
    nuts_code: NutsCode | None = None
    website: HttpUrl | None = None
    description: Annotated[str | None, Field(max_length=5000), CleanText] = None
    # Other public buyers only (a city's type is city).
    buyer_type: BuyerType | None = None
    # The whole list: what is given replaces what was held ([] removes every one).
    identifiers: Annotated[list[IdentifierIn] | None, Field(max_length=10)] = None


class OrganisationOut(Schema):
    id: str
    name: str
    kind: OrganisationKind
    country: str
    nuts_code: str | None
    website: str | None
    vat_id: str | None
    description: str
    verified: bool
    created_at: datetime
    buyer_type: str | None = None
    street_address: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    contact_name: str | None = None
    email: str | None = None
    telephone: str | None = None


class MemberIn(Schema):
    email: EmailStr
    role: Role


class MemberRoleIn(Schema):
    role: Role


class MemberOut(Schema):
    user_id: str
    email: str
    name: str
    organisation_id: str
    role: Role
    # What the caller may do with this membership (`accounts.policies.member_actions`).
    actions: list[str] = []
