"""Input and output of the tenders' documents and the responses' attachments (the
tender schemas are in `schemas.py`; these are kept apart to keep that file readable)."""

from __future__ import annotations

import csv
from datetime import datetime
from functools import cache
from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator

from marketplace.core.inputs import Url
from marketplace.schemas import Schema
from marketplace.tenders.ocds import SCHEMA_DIR


@cache
def document_types() -> dict[str, frozenset[str]]:
    """The OCDS documentType codelist (bundled, `ocds_schema/codelists/documentType.csv`):
    each code with the sections it belongs to (tender, award, bid, ...)."""
    with (SCHEMA_DIR / "codelists" / "documentType.csv").open(encoding="utf-8") as f:
        return {
            row["Code"]: frozenset(s.strip() for s in row["Section"].split(","))
            for row in csv.DictReader(f)
        }


def types_for(section: str) -> list[str]:
    """The codes a document of `section` ("tender": tenders and lots, "award") may have."""
    return [code for code, sections in document_types().items() if section in sections]


def _blank_none(value: object) -> object:
    return None if value == "" else value


Language = Annotated[str | None, BeforeValidator(_blank_none), Field(pattern=r"^[a-z]{2}$")]


class DocumentIn(Schema):
    """A document of a tender, a lot (`lot_id`) or an award (`decision_id`): the file comes
    as the multipart part `file`; a link instead gives `url`."""

    kind: str = Field(default="biddingDocuments", max_length=40)
    title: str = Field(min_length=1, max_length=300)
    description: Annotated[str | None, BeforeValidator(_blank_none)] = Field(
        default=None, max_length=5000
    )
    language: Language = None
    lot_id: Annotated[str | None, BeforeValidator(_blank_none)] = None
    decision_id: Annotated[str | None, BeforeValidator(_blank_none)] = None
    url: Annotated[Url | None, BeforeValidator(_blank_none)] = None

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in document_types():
            raise ValueError("not a code of the OCDS documentType codelist")
        return value


class ReplacementIn(Schema):
    """A new version: a new file (part `file`) or link (`url`), and what else changes."""

    title: Annotated[str | None, BeforeValidator(_blank_none)] = Field(
        default=None, min_length=1, max_length=300
    )
    description: Annotated[str | None, BeforeValidator(_blank_none)] = Field(
        default=None, max_length=5000
    )
    language: Language = None
    url: Annotated[Url | None, BeforeValidator(_blank_none)] = None


class AttachmentIn(Schema):
    title: Annotated[str | None, BeforeValidator(_blank_none)] = Field(default=None, max_length=300)


class DocumentOut(Schema):
    id: str
    # Every version of a document shares it: the document's OCDS `id`.
    series_id: str
    tender_id: str
    lot_id: str | None
    decision_id: str | None
    kind: str
    title: str
    description: str | None
    filename: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    url: str | None
    download_url: str | None
    language: str
    published_at: datetime | None
    modified_at: datetime
    replaced_at: datetime | None
    replaced_by_id: str | None


class AttachmentOut(Schema):
    id: str
    response_id: str
    title: str
    filename: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    download_url: str
    modified_at: datetime
