"""Ranking quality measures over graded judgments (2 relevant, 1 partly, 0 not).

nDCG uses the exponential gain 2^grade - 1, so a relevant answer counts three times a
partly relevant one; P@1 and recall count only what is relevant (a person looking for who
can answer a tender is not helped by "partly" in first place).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

RELEVANT = 2


def _dcg(grades: Sequence[int]) -> float:
    return float(sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades)))


def ndcg(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    ideal = _dcg(sorted(judged.values(), reverse=True)[:k])
    if not ideal:
        return 0.0
    return _dcg([judged.get(item, 0) for item in ranking[:k]]) / ideal


def precision_at_1(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    return 1.0 if ranking and judged.get(ranking[0], 0) >= RELEVANT else 0.0


def recall(ranking: Sequence[str], judged: Mapping[str, int], k: int = 5) -> float:
    relevant = {item for item, grade in judged.items() if grade >= RELEVANT}
    if not relevant:
        return 0.0
    return len(relevant & set(ranking[:k])) / len(relevant)


@dataclass(frozen=True)
class Scores:
    """Mean measures over a group of questions."""

    questions: int
    ndcg10: float
    p1: float
    recall5: float

    @classmethod
    def of(cls, answers: Sequence[tuple[Sequence[str], Mapping[str, int]]]) -> Scores:
        if not answers:
            return cls(0, 0.0, 0.0, 0.0)
        return cls(
            len(answers),
            fmean(ndcg(r, j) for r, j in answers),
            fmean(precision_at_1(r, j) for r, j in answers),
            fmean(recall(r, j) for r, j in answers),
        )
