"""Input and output shapes of the standards API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, HttpUrl

from marketplace.schemas import CleanLine, CleanText, Patch, Schema

CommitmentStatus = Literal["planned", "adopted"]
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$"


class StandardOut(Schema):
    code: str
    title: str
    issuer: str
    version: str
    category: str
    url: str
    summary: str


class AdopterOut(Schema):
    organisation_id: str
    name: str
    country: str
    status: CommitmentStatus
    date: dt.date | None


class ClaimantOut(Schema):
    listing_id: str
    title: str
    organisation_id: str
    organisation_name: str
    claimed_version: str
    evidence_url: str | None


class StandardDetailOut(StandardOut):
    adopted_by: list[AdopterOut]
    listings_count: int
    listings: list[ClaimantOut]


class StandardIn(Schema):
    code: Annotated[str, Field(min_length=2, max_length=60, pattern=CODE_PATTERN)]
    title: Annotated[str, Field(min_length=2, max_length=300), CleanLine]
    issuer: Annotated[str, Field(min_length=2, max_length=200), CleanLine]
    version: Annotated[str, Field(min_length=1, max_length=120), CleanLine]
    category: Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9-]+$")]
    url: HttpUrl
    summary: Annotated[str, Field(min_length=1, max_length=5000), CleanText]


class StandardUpdate(Patch):
    title: Annotated[str, Field(min_length=2, max_length=300), CleanLine] | None = None
    issuer: Annotated[str, Field(min_length=2, max_length=200), CleanLine] | None = None
    version: Annotated[str, Field(min_length=1, max_length=120), CleanLine] | None = None
    category: Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9-]+$")] | None = (
        None
    )
    url: HttpUrl | None = None
    summary: Annotated[str, Field(min_length=1, max_length=5000), CleanText] | None = None


class CommitmentIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=60), CleanLine]
    status: CommitmentStatus
    date: dt.date | None = None


class CommitmentOut(Schema):
    organisation_id: str
    code: str
    title: str
    status: CommitmentStatus
    date: dt.date | None
