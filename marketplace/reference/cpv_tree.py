"""Navigating and searching the CPV 2008 tree in memory (division → group → class →
category → finer levels), for the CPV browser and the picker on forms."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from marketplace.errors import DomainError, NotFound
from marketplace.reference import vocabularies as vocab
from marketplace.reference.vocabularies import Cpv

LEVEL_NAMES = {2: "division", 3: "group", 4: "class", 5: "category"}


def level_name(cpv: Cpv) -> str:
    return LEVEL_NAMES.get(cpv.level, "subcategory")


@cache
def _children() -> dict[str | None, list[Cpv]]:
    tree: dict[str | None, list[Cpv]] = defaultdict(list)
    for cpv in vocab.cpv_codes().values():
        tree[vocab.cpv_parent(cpv.digits)].append(cpv)
    for items in tree.values():
        items.sort(key=lambda c: c.code)
    return dict(tree)


def divisions() -> list[Cpv]:
    return _children().get(None, [])


def children(cpv: Cpv) -> list[Cpv]:
    return _children().get(cpv.digits, [])


def parent(cpv: Cpv) -> Cpv | None:
    digits = vocab.cpv_parent(cpv.digits)
    return vocab.cpv_codes()[digits] if digits else None


def ancestors(cpv: Cpv) -> list[Cpv]:
    """From the division down to the code's parent."""
    chain: list[Cpv] = []
    current = parent(cpv)
    while current is not None:
        chain.insert(0, current)
        current = parent(current)
    return chain


def lookup(code: str) -> Cpv:
    """A code with or without its check digit; 404 when it is not a CPV 2008 code."""
    try:
        canonical = vocab.canonical_cpv(code, "code")
    except DomainError:
        raise NotFound(f"{code!r} is not a CPV 2008 code.") from None
    return vocab.cpv_codes()[canonical[:8]]


def search(query: str, limit: int = 20) -> list[Cpv]:
    """By code (a prefix of the digits, check digit optional) or by words in the label;
    for words, broader codes come first since they are the likelier intent."""
    text = query.strip()
    if not text:
        return []
    digits = text.split("-")[0].replace(" ", "")
    if digits.isdigit():
        hits = [c for d, c in vocab.cpv_codes().items() if d.startswith(digits)]
        return sorted(hits, key=lambda c: c.code)[:limit]
    words = [w for w in text.lower().split() if w]
    hits = [c for c in vocab.cpv_codes().values() if all(w in c.label.lower() for w in words)]
    return sorted(hits, key=lambda c: (c.level, c.code))[:limit]
