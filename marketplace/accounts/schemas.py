"""Input and output shapes of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import EmailStr, Field, HttpUrl, field_validator

from marketplace.schemas import CountryCode, NutsCode, Schema

OrganisationKind = Literal["sme", "city", "funder"]
Role = Literal["owner", "editor", "viewer"]


class RegisterIn(Schema):
    email: EmailStr
    password: Annotated[str, Field(max_length=200)]
    name: Annotated[str, Field(min_length=1, max_length=200)]


class UserOut(Schema):
    id: str
    email: str
    name: str


class TokenIn(Schema):
    email: EmailStr
    password: Annotated[str, Field(max_length=200)]
    label: Annotated[str, Field(min_length=1, max_length=100)] = "API token"


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


class OrganisationIn(Schema):
    name: Annotated[str, Field(min_length=2, max_length=200)]
    kind: OrganisationKind
    country: CountryCode
    nuts_code: NutsCode | None = None
    website: HttpUrl | None = None
    vat_id: Annotated[str | None, Field(max_length=20, pattern=r"^[A-Z]{2}[0-9A-Z+*.]{2,18}$")] = (
        None
    )
    description: Annotated[str, Field(max_length=5000)] = ""

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


class OrganisationUpdate(Schema):
    name: Annotated[str | None, Field(min_length=2, max_length=200)] = None
    nuts_code: NutsCode | None = None
    website: HttpUrl | None = None
    description: Annotated[str | None, Field(max_length=5000)] = None


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


class MemberIn(Schema):
    email: EmailStr
    role: Role


class MemberOut(Schema):
    user_id: str
    email: str
    name: str
    organisation_id: str
    role: Role
