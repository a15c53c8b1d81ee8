"""Scoring alone on the judged set, without a server or an engine: every listing is a
candidate of every tender. Seconds instead of minutes, to compare scoring changes; the
figures that count are `bench.relevance.run`'s (the engine chooses the candidates there).

`python -m bench.relevance.offline`
"""

from __future__ import annotations

from bench.relevance.cases import (
    CASES,
    KINDS,
    Kind,
    ListingCase,
    listing_judgments,
    tender_judgments,
)
from bench.relevance.metrics import Scores
from marketplace.matching import scoring
from marketplace.matching.keywords import spelled, weighted


def need(kind: Kind) -> scoring.Need:
    t = kind.tender
    lots = [(title, 2.0) for title, _ in t.lots] + [(text, 1.0) for _, text in t.lots]
    metrics = (t.outcome,) if t.outcome else ()
    return scoring.Need(
        id=kind.key, cpv_codes=t.cpv, themes=frozenset({kind.theme}), mandatory=frozenset(),
        desirable=frozenset(), countries=frozenset({"FI"}), metrics=metrics,
        keywords=weighted([(t.title, 3.0), (t.description, 1.0), *lots,
                           *((m, 1.5) for m in metrics)]),
        spelling=spelled([t.title, t.description, *(x for lot in t.lots for x in lot)]),
    )  # fmt: skip


def offer(kind: Kind, i: int, listing: ListingCase) -> scoring.Offer:
    metrics = (listing.outcome or "Satisfaction of the city's staff",)
    parts = [(listing.title, 3.0), (listing.summary, 2.0), (listing.description, 1.0),
             *((m, 1.5) for m in metrics)]  # fmt: skip
    return scoring.Offer(
        id=f"{kind.key}/{i}", cpv_codes=listing.cpv, themes=frozenset({kind.theme}),
        standards=frozenset(), countries=frozenset({"FI", "AT", "FR", "NL", "IT"}),
        metrics=metrics, keywords=weighted(parts),
    )  # fmt: skip


def main() -> None:
    offers = [offer(k, i, listing) for k in KINDS for i, listing in enumerate(k.listings)]
    needs = {k.key: need(k) for k in KINDS}
    by_case: dict[str, list[tuple[list[str], dict[str, int]]]] = {c: [] for c in CASES}
    for kind in KINDS:
        ranked = scoring.rank_offers(needs[kind.key], offers)
        judged = {f"{k}/{i}": g for (k, i), g in tender_judgments(kind).items()}
        by_case[kind.tender.case].append(([m.offer_id for m in ranked], judged))
    back = []
    for kind in KINDS:
        for i, listing in enumerate(kind.listings):
            o = offers[[x.id for x in offers].index(f"{kind.key}/{i}")]
            ranked = scoring.rank_needs(list(needs.values()), o)
            back.append(([m.need_id for m in ranked], listing_judgments(kind, listing)))
    for case, answers in by_case.items():
        s = Scores.of(answers)
        print(f"tender→listings {case:9} nDCG {s.ndcg10:.2f} P@1 {s.p1:.2f} R@5 {s.recall5:.2f}")
    s = Scores.of(back)
    print(f"listing→tenders all       nDCG {s.ndcg10:.2f} P@1 {s.p1:.2f} R@5 {s.recall5:.2f}")


if __name__ == "__main__":
    main()
