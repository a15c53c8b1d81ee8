"""Finding matches: the search engine proposes candidates, the database says what they are
now, `scoring` ranks them.

Candidates come from two engine queries, each capped: the record's heaviest words as an
any-word query (text relevance), and the same CPV group, newest first (so a supplier using
other words for the same thing is not missed). A mandatory standard narrows the listings
asked for in the engine already. Everything is re-read from the database before scoring,
so a listing archived a second ago or a tender past its deadline is never offered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.listings import services as listings
from marketplace.listings.models import Listing
from marketplace.matching import embeddings, facts, scoring, stored, terms
from marketplace.matching.keywords import top
from marketplace.matching.schemas import ListingMatch, Reasons, TenderMatch
from marketplace.searching.mapping import metrics as outcome_metrics
from marketplace.searching.services import SearchUnavailable
from marketplace.tenders import services as tenders
from marketplace.tenders.models import Tender
from marketplace.tenders.reads import Place, cities, cities_of
from search import BackendUnavailable, SearchBackend, SearchQuery
from search.documents import cpv_ancestors

CANDIDATES = 30  # per engine query: the best 20 of up to 60 are shown
# With embeddings on, the closest in meaning join the candidates (at least this cosine).
NEAREST = 30
NEAREST_FLOOR = 0.2
KEYWORDS = 12  # words of the record sent to the engine


# --- facts -------------------------------------------------------------------------------


def need_of(
    tender: terms.TenderLike, organisations: Mapping[str, Place], known: terms.Known | None = None
) -> scoring.Need:
    """What the tender asks for; `known`: its stored words (`terms`), used if still current."""
    metrics = outcome_metrics(tender.outcomes)
    words = terms.words_of(terms.tender_parts(tender, metrics), known)
    return scoring.Need(
        id=tender.id,
        cpv_codes=tuple(tender.cpv_codes),
        themes=frozenset(tender.themes),
        mandatory=frozenset(s["code"] for s in tender.required_standards if s.get("mandatory")),
        desirable=frozenset(s["code"] for s in tender.required_standards if not s.get("mandatory")),
        countries=frozenset(c.country for c in cities_of(tender, organisations)),
        metrics=metrics,
        keywords=words.keywords,
        spelling=words.spelling,
    )


def offer_of(
    listing: Listing | facts.ListingFacts, known: terms.Known | None = None
) -> scoring.Offer:
    """What the listing offers; `known` as for `need_of`."""
    standards = (
        listing.standards
        if isinstance(listing, facts.ListingFacts)
        else frozenset(c.standard_code for c in listing.claims)
    )
    metrics = outcome_metrics(listing.outcomes)
    return scoring.Offer(
        id=listing.id,
        cpv_codes=tuple(listing.cpv_codes),
        themes=frozenset(listing.themes),
        standards=standards,
        countries=frozenset(listing.countries),
        metrics=metrics,
        keywords=terms.words_of(terms.listing_parts(listing, metrics), known).keywords,
    )


def offer_query(listing: Listing) -> list[str]:
    """The listing's most telling words, as it writes them, for the engine."""
    words = terms.words_of(terms.listing_parts(listing))
    return [words.spelling.get(t, t) for t in top(words.keywords, KEYWORDS)]


def cpv_groups(codes: Sequence[str]) -> tuple[str, ...]:
    """Each code widened to its group (3 digits): the neighbourhood a candidate comes from."""
    return tuple(sorted({cpv_ancestors(c)[min(1, len(cpv_ancestors(c)) - 1)] for c in codes}))


# --- candidates from the engine ---------------------------------------------------------------


async def _candidates(
    backend: SearchBackend, base: SearchQuery, keywords: list[str], cpv: tuple[str, ...]
) -> list[str]:
    queries = []
    if keywords:
        queries.append(replace(base, text=" ".join(keywords), any_word=True))
    if cpv:
        queries.append(replace(base, cpv=cpv, sort="newest"))
    ids: dict[str, None] = {}
    try:
        for query in queries:
            ids.update((h.id, None) for h in (await backend.search(query)).hits)
    except BackendUnavailable as error:
        raise SearchUnavailable(
            "Matching is temporarily unavailable (search is down); please try again shortly."
        ) from error
    return list(ids)


async def _closest(
    session: AsyncSession, backend: SearchBackend, base: SearchQuery, kind: str,
    record_id: str, candidates: Sequence[str],
) -> dict[str, float] | None:  # fmt: skip
    """The cosine with the record of each of the engine's candidates and of the `NEAREST`
    records of `kind` closest in meaning (the caller re-reads and filters them like the
    engine's), or None when the record has no vector yet. A backend that searches by
    meaning (Meilisearch) finds those itself, with `base`'s filters, and only their vectors
    and the candidates' are read; otherwise this process scans the kind's vectors
    (`embeddings.matrix`)."""
    query = await embeddings.vector_of(session, record_id)
    if query is None:
        return None
    if backend.vector_search:
        asked = replace(base, text="", vector=tuple(float(x) for x in query),
                        semantic_ratio=1.0, per_page=NEAREST)  # fmt: skip
        try:
            near = [h.id for h in (await backend.search(asked)).hits]
        except BackendUnavailable as error:
            raise SearchUnavailable(
                "Matching is temporarily unavailable (search is down); please try again shortly."
            ) from error
        cosines = await embeddings.cosines_of(session, query, [*candidates, *near])
        closest = {i: cosines[i] for i in near if cosines.get(i, -1.0) >= NEAREST_FLOOR}
        return {**{i: cosines[i] for i in candidates if i in cosines}, **closest}
    vectors = await embeddings.matrix(session, kind)
    closest = dict(vectors.nearest(query, NEAREST, NEAREST_FLOOR))
    return {**vectors.cosines(query, candidates), **closest}


def _base(kind: str) -> SearchQuery:
    return SearchQuery(types=(kind,), per_page=CANDIDATES, facets=False, prefix=False,
                       suggest=False, highlight=False, exact_total=False)  # fmt: skip


# --- the two directions ------------------------------------------------------------------


async def tender_matches(
    session: AsyncSession,
    backend: SearchBackend,
    actor: Actor | None,
    tender_id: str,
    now: datetime,
    limit: int = 20,
) -> list[ListingMatch]:
    """Published listings that may answer the tender, best first: its stored list when
    current (`stored`), else worked out now."""
    kept = await stored.read(session, "tender", tender_id, limit, now)
    if kept is not None:
        return [ListingMatch.model_validate(item) for item in kept]
    tender = await tenders.get_tender(session, actor, tender_id)
    return await tender_matches_now(session, backend, tender, limit)


async def tender_matches_now(
    session: AsyncSession, backend: SearchBackend, tender: Tender, limit: int
) -> list[ListingMatch]:
    """The tender's matches worked out now (see the module's docstring)."""
    organisations = await cities(
        session, {b.organisation_id for b in tender.buyers} | {tender.lead_buyer_id}
    )
    need = need_of(tender, organisations)
    base = _base("listing")
    if need.mandatory:  # the engine narrows by one; scoring checks them all
        base = replace(base, standards=(min(need.mandatory),))
    words = [need.spelling.get(t, t) for t in top(need.keywords, KEYWORDS)]
    ids = await _candidates(backend, base, words, cpv_groups(need.cpv_codes))
    meaning = None
    if embeddings.active() and (
        meaning := await _closest(session, backend, base, "listing", tender.id, ids)
    ):
        ids = list(dict.fromkeys([*ids, *meaning]))
    listing_by_id = await facts.listings(session, ids)
    offers = [offer_of(row, row.terms) for row in listing_by_id.values()]
    matches = scoring.rank_offers(need, offers, meaning)[:limit]
    return [
        ListingMatch(
            listing_id=m.offer_id,
            title=listing_by_id[m.offer_id].title,
            organisation=listing_by_id[m.offer_id].organisation,
            score=m.score,
            points=m.points,
            reasons=Reasons.of(m),
        )
        for m in matches
    ]


async def listing_matches(
    session: AsyncSession,
    backend: SearchBackend,
    actor: Actor | None,
    listing_id: str,
    now: datetime,
    limit: int = 20,
) -> list[TenderMatch]:
    """Tenders open for responses that the listing may answer, best first: its stored list
    when current (`stored`), else worked out now."""
    kept = await stored.read(session, "listing", listing_id, limit, now)
    if kept is not None:
        return [TenderMatch.model_validate(item) for item in kept]
    listing = await listings.get_listing(session, actor, listing_id)
    return await listing_matches_now(session, backend, listing, now, limit)


async def listing_matches_now(
    session: AsyncSession, backend: SearchBackend, listing: Listing, now: datetime, limit: int
) -> list[TenderMatch]:
    """The listing's matches worked out now, among the tenders open at `now`."""
    offer = offer_of(listing)
    base = replace(_base("tender"), statuses=("active",), deadline_from=now)
    ids = await _candidates(backend, base, offer_query(listing), cpv_groups(offer.cpv_codes))
    meaning = None
    if embeddings.active() and (
        meaning := await _closest(session, backend, base, "tender", listing.id, ids)
    ):
        ids = list(dict.fromkeys([*ids, *meaning]))
    found = await facts.open_tenders(session, ids, now)
    organisations = await cities(
        session, {b.organisation_id for t in found for b in t.buyers}
        | {t.lead_buyer_id for t in found}
    )  # fmt: skip
    by_id = {t.id: t for t in found}
    needs = [need_of(t, organisations, t.terms) for t in found]
    matches = scoring.rank_needs(needs, offer, meaning)[:limit]
    return [
        TenderMatch(
            tender_id=m.need_id,
            title=by_id[m.need_id].title,
            organisation=", ".join(c.name for c in cities_of(by_id[m.need_id], organisations)),
            submission_deadline=by_id[m.need_id].submission_deadline,
            score=m.score,
            points=m.points,
            reasons=Reasons.of(m),
        )
        for m in matches
    ]


async def public_matches(
    session: AsyncSession, backend: SearchBackend, kind: str, subject_id: str, now: datetime
) -> stored.Found:
    """What anyone may see of the subject's matches, as stored (`stored.STORED` items);
    raises NotFound for a record not public (a draft, an archived listing)."""
    found: Sequence[ListingMatch | TenderMatch]
    if kind == "tender":
        tender = await tenders.get_tender(session, None, subject_id)
        found = await tender_matches_now(session, backend, tender, stored.STORED)
        updated_at = tender.updated_at
    else:
        listing = await listings.get_listing(session, None, subject_id)
        found = await listing_matches_now(session, backend, listing, now, stored.STORED)
        updated_at = listing.updated_at
    return stored.Found([m.model_dump(mode="json") for m in found], updated_at)
