"""The JSON shapes of matches (`GET /api/v1/tenders/{id}/matches`, `.../listings/{id}/matches`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from marketplace.matching.scoring import Match
from marketplace.schemas import Schema


class CpvReasonOut(Schema):
    tender_code: str
    listing_code: str
    level: str = Field(description="same code, within the code asked for, same category/class/"
                       "group/division")  # fmt: skip
    label: str


class Reasons(Schema):
    cpv: list[CpvReasonOut]
    themes: list[str]
    standards_met: list[str]
    standards_missing: list[str] = Field(description="desirable standards the listing lacks")
    countries: list[str] = Field(description="buyers' countries the listing serves")
    outcomes: list[str] = Field(description="the tender's outcome metrics the listing promises")
    keywords: list[str] = Field(description="the tender's words found in the listing")
    meaning: float | None = Field(
        default=None,
        description="close in meaning: the cosine (0 to 1) of the two texts' sentence "
        "embeddings, when embeddings are on and it earned points",
    )

    @classmethod
    def of(cls, match: Match) -> Reasons:
        return cls(
            cpv=[CpvReasonOut(tender_code=r.tender_code, listing_code=r.listing_code,
                              level=r.level, label=r.label) for r in match.cpv],
            themes=list(match.themes), standards_met=list(match.standards_met),
            standards_missing=list(match.standards_missing), countries=list(match.countries),
            outcomes=list(match.outcomes), keywords=list(match.keywords),
            meaning=match.meaning,
        )  # fmt: skip


class ListingMatch(Schema):
    listing_id: str
    title: str
    organisation: str
    score: int = Field(description="0 to 100")
    points: dict[str, int] = Field(
        description="points per criterion (`meaning` only with embeddings on)"
    )
    reasons: Reasons


class TenderMatch(Schema):
    tender_id: str
    title: str
    organisation: str = Field(description="the buying cities")
    submission_deadline: datetime
    score: int = Field(description="0 to 100")
    points: dict[str, int] = Field(
        description="points per criterion (`meaning` only with embeddings on)"
    )
    reasons: Reasons


class ListingMatches(Schema):
    items: list[ListingMatch]


class TenderMatches(Schema):
    items: list[TenderMatch]
