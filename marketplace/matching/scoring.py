"""How well a listing answers a tender: pure functions over plain facts, no I/O.

Text carries the match: what the tender says (title, description, lots, outcomes) is
compared with what each candidate says, every word weighted by how telling it is among the
candidates (BM25's inverse document frequency: a word every candidate uses separates
nothing). Buyers and suppliers classify the same thing under different CPV codes, so codes,
themes, standards and outcomes are smaller boosts on top. A criterion scores only where it
is evidence: standards only when the tender names desirable ones, outcomes only when it
states metrics, and countries served are shown but earn nothing (nearly every supplier
serves the buyers' countries). A listing lacking a mandatory standard is no match at all.

Scores are relative to the candidates ranked together (the pool gives the word weights), so
the same pair can score a little differently from the tender's side and from the listing's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marketplace.matching.keywords import terms
from marketplace.reference import vocabularies as vocab
from search.documents import cpv_digits

WEIGHTS = {"text": 60, "cpv": 15, "themes": 10, "standards": 10, "outcomes": 5}
# With the optional sentence embeddings on (`marketplace.matching.embeddings`), closeness in
# meaning takes a share of the 100 points and the others shrink in proportion. Its share is a
# cosine between the two records' vectors: MEANING_FLOOR or less (what unrelated texts of
# this domain reach) earns nothing, MEANING_FULL or more earns all (tuned on the judged set,
# `python -m bench.relevance.run --embeddings`, docs/relevance.md).
MEANING_SHARE = 0.5
MEANING_FLOOR = 0.25
MEANING_FULL = 0.55


def weights(meaning: bool) -> dict[str, int]:
    """Each criterion's most points: WEIGHTS, or, with embeddings, WEIGHTS shrunk to make room
    for meaning (the total stays 100)."""
    if not meaning:
        return dict(WEIGHTS)
    scaled = {k: round(v * (1 - MEANING_SHARE)) for k, v in WEIGHTS.items()}
    return {**scaled, "meaning": 100 - sum(scaled.values())}


# How close two CPV codes are, by the longest significant prefix they share. A listing code
# at or below the tender's code is what was asked for.
CPV_LEVELS = ((8, "same code", 1.0), (5, "same category", 0.8), (4, "same class", 0.6),
              (3, "same group", 0.4), (2, "same division", 0.2))  # fmt: skip
# Text similarity (cosine of weighted, IDF-weighted words) reaching this earns the full text
# points: descriptions of the same thing by different people rarely come closer (judged set,
# `python -m bench.relevance.offline`: 0.3 ranks best among 0.15-0.5 once both sides are
# weighted; a lower cap lets many candidates tie on full text points).
FULL_TEXT_COVERAGE = 0.3
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
    keywords: dict[str, float] = field(default_factory=dict)  # term → weight
    spelling: dict[str, str] = field(default_factory=dict)  # term → the word as written


@dataclass(frozen=True)
class Offer:
    """What a listing offers."""

    id: str
    cpv_codes: tuple[str, ...]
    themes: frozenset[str]
    standards: frozenset[str]
    countries: frozenset[str]  # served
    metrics: tuple[str, ...]
    keywords: dict[str, float] = field(default_factory=dict)  # term → weight


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
    meaning: float | None = None  # the cosine of the two records' vectors, when it earned points


@lru_cache(maxsize=65536)  # the same few thousand pairs of codes, call after call
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


@lru_cache(maxsize=16384)
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


Idf = dict[str, float]


def idf_of(documents: Iterable[frozenset[str]]) -> Idf:
    """BM25's inverse document frequency of each word over the pool of candidates."""
    counts: Counter[str] = Counter()
    n = 0
    for document in documents:
        counts.update(document)
        n += 1
    return {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in counts.items()}


@dataclass(frozen=True)
class Vector:
    """A record's words weighted by where it says them times how telling they are in the
    pool (IDF), with its length: built once per record per ranking, not once per pair."""

    weights: dict[str, float]
    norm: float


def vector(keywords: dict[str, float], idf: Idf | None) -> Vector:
    rare = max(idf.values()) if idf else 1.0
    if idf:
        weights = {t: w * idf.get(t, rare) for t, w in keywords.items()}
    else:
        weights = dict(keywords)
    return Vector(weights, math.sqrt(sum(w * w for w in weights.values())))


def _text(a: Vector, b: Vector) -> tuple[float, list[str]]:
    """How alike the two texts are: the cosine of their weighted words, and the words they
    share, most telling first. Symmetric, so a short tender fully contained in a long
    listing is not a perfect match, nor the other way round; weighted on both sides, so a
    listing's own title counts as much as a tender's."""
    norm = a.norm * b.norm
    if not norm:
        return 0.0, []
    small, large = (
        (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    )
    products = {t: w * large[t] for t, w in small.items() if t in large}
    shared = sorted(products, key=lambda t: (-products[t], t))
    # Summed most telling first, as before the vectors were built once: the same floats.
    return sum(products[t] for t in shared) / norm, shared


def score(
    need: Need, offer: Offer, idf: Idf | None = None,
    vectors: tuple[Vector, Vector] | None = None, meaning: float | None = None,
) -> Match | None:  # fmt: skip
    """None when the listing cannot answer (a mandatory standard missing) or has nothing
    in common with the tender worth showing. `vectors`: the need's and the offer's, when
    the caller ranks many pairs with one side in common. `meaning`: the cosine of their
    sentence embeddings, when embeddings are on."""
    if not need.mandatory <= offer.standards:
        return None
    cpv, cpv_reasons = _cpv(need, offer)
    themes = tuple(sorted(need.themes & offer.themes))
    met = tuple(sorted((need.mandatory | need.desirable) & offer.standards))
    missing = tuple(sorted(need.desirable - offer.standards))
    countries = tuple(sorted(need.countries & offer.countries))
    outcome_share, outcomes = _outcomes(need, offer)
    asked, offered = vectors or (vector(need.keywords, idf), vector(offer.keywords, idf))
    text_share, keywords = _text(asked, offered)
    standards = len(need.desirable & offer.standards) / len(need.desirable) if need.desirable else 0
    shares = {
        "text": min(1.0, text_share / FULL_TEXT_COVERAGE),
        "cpv": cpv,
        "themes": len(themes) / len(need.themes) if need.themes else 0.0,
        "standards": standards,
        "outcomes": outcome_share,
    }
    if meaning is not None:
        shares["meaning"] = meaning_share(meaning)
    most = weights(meaning is not None)
    points = {name: round(most[name] * share) for name, share in shares.items()}
    total = sum(points.values())
    # Something of substance must be shared: a theme alone is true of many listings.
    substance = points["text"] + points["cpv"] + points["outcomes"] + points.get("meaning", 0)
    if substance < MIN_SUBSTANCE * (1 - MEANING_SHARE if meaning is not None else 1):
        return None
    return Match(
        need.id, offer.id, total, points, cpv_reasons, themes, met, missing, countries,
        outcomes, tuple(need.spelling.get(t, t) for t in keywords[:10]),
        round(meaning, 2) if meaning is not None and points["meaning"] > 0 else None,
    )  # fmt: skip


def meaning_share(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR)))


def ranked(matches: Iterable[Match | None], by_offer: bool) -> list[Match]:
    """Best first; ties by id so the order never shuffles between requests."""
    found = [m for m in matches if m is not None]
    return sorted(found, key=lambda m: (-m.score, m.offer_id if by_offer else m.need_id))


def rank_offers(
    need: Need, offers: Sequence[Offer], meaning: Mapping[str, float] | None = None
) -> list[Match]:
    """The listings that answer a tender, best first, words weighed over these listings.
    `meaning`: each listing's embedding cosine with the tender (embeddings on; a listing
    without a vector yet counts 0)."""
    idf = idf_of(frozenset(o.keywords) for o in offers)
    asked = vector(need.keywords, idf)
    return ranked(
        (score(need, o, idf, (asked, vector(o.keywords, idf)),
               None if meaning is None else meaning.get(o.id, 0.0)) for o in offers),
        by_offer=True,
    )  # fmt: skip


def rank_needs(
    needs: Sequence[Need], offer: Offer, meaning: Mapping[str, float] | None = None
) -> list[Match]:
    """The tenders a listing answers, best first, words weighed over these tenders."""
    idf = idf_of(frozenset(n.keywords) for n in needs)
    offered = vector(offer.keywords, idf)
    return ranked(
        (score(n, offer, idf, (vector(n.keywords, idf), offered),
               None if meaning is None else meaning.get(n.id, 0.0)) for n in needs),
        by_offer=False,
    )  # fmt: skip
