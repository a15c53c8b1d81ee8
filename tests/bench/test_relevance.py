"""The judged relevance set is what issue 20 asks of it, and its measures are the usual ones."""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import pytest

from bench.relevance.cases import CALLS, CASES, FUNDERS, KINDS, listing_judgments, tender_judgments
from bench.relevance.metrics import Scores, ndcg, precision_at_1, recall

REFERENCE = Path(__file__).resolve().parents[2] / "marketplace" / "reference" / "data"


def _column(name: str, column: str) -> set[str]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return {row[column] for row in csv.DictReader(f)}


def test_the_set_is_large_and_varied_enough() -> None:
    assert len(KINDS) >= 20
    assert sum(len(k.listings) for k in KINDS) >= 100
    assert set(Counter(k.tender.case for k in KINDS)) == set(CASES)
    assert len(FUNDERS) >= 10 and len(CALLS) >= 15


def test_every_code_and_theme_is_real() -> None:
    cpv, themes = _column("cpv_2008.csv", "code"), _column("themes.csv", "code")
    for kind in KINDS:
        assert kind.theme in themes
        assert set(kind.tender.cpv) <= cpv, kind.key
        for listing in kind.listings:
            assert listing.cpv and set(listing.cpv) <= cpv, listing.title
    assert {t for call in CALLS for t in call.themes} <= themes


def test_judgments_are_graded_and_point_at_existing_records() -> None:
    keys = {k.key for k in KINDS}
    calls = {c.key for c in CALLS}
    for kind in KINDS:
        grades = tender_judgments(kind)
        assert sorted(g for (k, _), g in grades.items() if k == kind.key) == [2, 2, 2, 2]
        for listing in kind.listings:
            judged = listing_judgments(kind, listing)
            assert judged[kind.key] == 2 and set(judged) <= keys
    for question in FUNDERS:
        assert set(question.relevant) <= calls and 2 in question.relevant.values()


def test_a_partly_relevant_listing_is_judged_from_both_sides() -> None:
    by_key = {k.key: k for k in KINDS}
    charging = by_key["ebus-charging"]
    buffer = charging.listings[3]
    assert "solar-rooftops" in buffer.partly
    assert tender_judgments(by_key["solar-rooftops"])[("ebus-charging", 3)] == 1
    assert listing_judgments(charging, buffer) == {"ebus-charging": 2, "solar-rooftops": 1}


def test_ndcg_is_one_for_the_ideal_order_and_less_for_any_other() -> None:
    judged = {"a": 2, "b": 1, "c": 2}
    assert ndcg(["a", "c", "b"], judged) == pytest.approx(1.0)
    assert ndcg(["b", "a", "c"], judged) < 1.0
    # gains 3, 1, 3 at ranks 1..3 against the ideal 3, 3, 1
    expected = (3 + 1 / math.log2(3) + 3 / 2) / (3 + 3 / math.log2(3) + 1 / 2)
    assert ndcg(["a", "b", "c"], judged) == pytest.approx(expected)
    assert ndcg(["x", "y"], judged) == 0.0


def test_only_a_relevant_first_answer_counts_for_p1_and_recall() -> None:
    judged = {"a": 2, "b": 1, "c": 2}
    assert precision_at_1(["a"], judged) == 1.0
    assert precision_at_1(["b", "a"], judged) == 0.0
    assert precision_at_1([], judged) == 0.0
    assert recall(["b", "x", "c"], judged) == 0.5
    assert recall(["x"] * 5 + ["a"], judged) == 0.0


def test_scores_average_over_the_questions() -> None:
    scores = Scores.of([(["a"], {"a": 2}), (["x"], {"a": 2})])
    assert (scores.questions, scores.p1, scores.recall5) == (2, 0.5, 0.5)
    assert Scores.of([]).questions == 0
