"""How well a listing answers a tender: pure functions over plain facts, no I/O.

One score out of 100 for the pair, whichever side asks, so "suppliers that may answer" a
tender and "tenders for this solution" agree. Each criterion gives points up to its weight
and says why; a listing lacking a standard the tender makes mandatory cannot answer it and
is no match at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.matching.keywords import coverage, terms
from marketplace.reference import vocabularies as vocab
from search.documents import cpv_digits

WEIGHTS = {"cpv": 30, "text": 20, "themes": 15, "standards": 15, "countries": 10, "outcomes": 10}
# How close two CPV codes are, by the longest significant prefix they share. A listing code
# at or below the tender's code is what was asked for.
CPV_LEVELS = ((8, "same code", 1.0), (5, "same category", 0.8), (4, "same class", 0.6),
              (3, "same group", 0.4), (2, "same division", 0.2))  # fmt: skip
# Keyword coverage reaching this share earns the full text points: descriptions of the same
# thing in different words rarely share more than half their meaningful words.
FULL_TEXT_COVERAGE = 0.5
MIN_SUBSTANCE = 5


@dataclass(frozen=True)
class Need:
    """What a tender asks for."""

    id: str
    cpv_codes: tuple[str, ...]
    themes: frozenset[str]
    mandatory: frozenset[str]
    desirable: frozenset[str]
    countries: frozenset[str]  # where the buyers are
    metrics: tuple[str, ...]
    keywords: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Offer:
    """What a listing offers."""

    id: str
    cpv_codes: tuple[str, ...]
    themes: frozenset[str]
    standards: frozenset[str]
    countries: frozenset[str]  # served
    metrics: tuple[str, ...]
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CpvReason:
    tender_code: str
    listing_code: str
    level: str
    label: str


@dataclass(frozen=True)
class Match:
    need_id: str
    offer_id: str
    score: int
    points: dict[str, int]
    cpv: tuple[CpvReason, ...]
    themes: tuple[str, ...]
    standards_met: tuple[str, ...]
    standards_missing: tuple[str, ...]
    countries: tuple[str, ...]
    outcomes: tuple[str, ...]
    keywords: tuple[str, ...]


def cpv_closeness(asked: str, offered: str) -> tuple[float, str]:
    a, o = cpv_digits(asked), cpv_digits(offered)
    significant = a.rstrip("0") or a[:2]
    if len(significant) < 2:
        significant = a[:2]
    if o.startswith(significant):
        return 1.0, "same code" if a == o else "within the code asked for"
    shared = 0
    while shared < 8 and a[shared] == o[shared]:
        shared += 1
    for length, name, closeness in CPV_LEVELS[1:]:
        if shared >= length:
            return closeness, name
    return 0.0, ""


def _label(code: str) -> str:
    known = vocab.cpv_codes().get(cpv_digits(code))
    return known.label if known else ""


def _cpv(need: Need, offer: Offer) -> tuple[float, tuple[CpvReason, ...]]:
    best = 0.0
    reasons = []
    for offered in offer.cpv_codes:
        closest = max(((cpv_closeness(a, offered), a) for a in need.cpv_codes), default=None)
        if closest is None or closest[0][0] == 0:
            continue
        (closeness, level), asked = closest
        best = max(best, closeness)
        reasons.append(CpvReason(asked, offered, level, _label(offered)))
    reasons.sort(key=lambda r: -cpv_closeness(r.tender_code, r.listing_code)[0])
    return best, tuple(reasons)


def _metric_terms(metric: str) -> frozenset[str]:
    return frozenset(terms(metric))


def _outcomes(need: Need, offer: Offer) -> tuple[float, tuple[str, ...]]:
    """A tender metric is in common when most of its words are in one of the listing's."""
    if not need.metrics:
        return 0.0, ()
    offered = [_metric_terms(m) for m in offer.metrics]
    shared = []
    for metric in need.metrics:
        wanted = _metric_terms(metric)
        if wanted and any(len(wanted & o) * 2 >= len(wanted) for o in offered):
            shared.append(metric)
    return len(shared) / len(need.metrics), tuple(shared)


def score(need: Need, offer: Offer) -> Match | None:
    """None when the listing cannot answer (a mandatory standard missing) or has nothing
    in common with the tender worth showing."""
    if not need.mandatory <= offer.standards:
        return None
    cpv, cpv_reasons = _cpv(need, offer)
    themes = tuple(sorted(need.themes & offer.themes))
    met = tuple(sorted((need.mandatory | need.desirable) & offer.standards))
    missing = tuple(sorted(need.desirable - offer.standards))
    countries = tuple(sorted(need.countries & offer.countries))
    outcome_share, outcomes = _outcomes(need, offer)
    text_share, keywords = coverage(need.keywords, offer.terms)
    if need.desirable:
        standards = len(need.desirable & offer.standards) / len(need.desirable)
    else:  # nothing desirable asked: meeting the mandatory ones (or none) is all there is
        standards = 1.0
    shares = {
        "cpv": cpv,
        "text": min(1.0, text_share / FULL_TEXT_COVERAGE),
        "themes": len(themes) / len(need.themes) if need.themes else 0.0,
        "standards": standards,
        "countries": 1.0 if countries else 0.0,
        "outcomes": outcome_share,
    }
    points = {name: round(WEIGHTS[name] * share) for name, share in shares.items()}
    total = sum(points.values())
    # Something of substance must be shared: standards met and countries served alone are
    # true of many listings and say nothing about this tender.
    substance = points["cpv"] + points["text"] + points["themes"] + points["outcomes"]
    if substance < MIN_SUBSTANCE:
        return None
    return Match(
        need.id, offer.id, total, points, cpv_reasons, themes, met, missing, countries,
        outcomes, tuple(keywords[:10]),
    )  # fmt: skip


def ranked(matches: list[Match | None], by_offer: bool) -> list[Match]:
    """Best first; ties by id so the order never shuffles between requests."""
    found = [m for m in matches if m is not None]
    return sorted(found, key=lambda m: (-m.score, m.offer_id if by_offer else m.need_id))
