"""The words that carry a text's meaning, and how much of one text another covers.

Pure and engine-independent, so a match scores the same on every search backend: the
engine only proposes candidates. Words are folded like the index folds them (`München` =
`munchen`); short and common words carry no meaning for matching and are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from search.text import words

MIN_LENGTH = 4
# Words that appear in nearly every listing or tender here: they would match everything.
STOP_WORDS = frozenset(
    """
    about above after again also among andor another any both city cities each from have
    into more most other over same some such than that their them then there these they
    this those through under very what when where which while will with within without
    would your yours year years month months based using used provide provides provided
    including include includes per new solution solutions service services system systems
    platform tender tenders lot lots project projects public support supports
    """.split()
)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold_text(text: str) -> str:
    """`fold` for a whole text at once (one normalisation, one substitution): matching
    folds the descriptions of every candidate, word by word it was the slowest step."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))


# Texts remembered with their words: matching reads the same candidates' descriptions call
# after call, and folding them was most of its time. Keyed by the text itself, so an edited
# description is simply a new entry.
MEMORY = 8192


# English Snowball (Porter 2): listings and tenders here are written in English; a word and
# its plural ("depot", "depots") or verb forms ("charging", "charge") are one term.
_STEMMER = snowballstemmer.stemmer("english")


def _meaningful(word: str) -> bool:
    return len(word) >= MIN_LENGTH and word not in STOP_WORDS and not word.isdigit()


# Stems of words already seen: the stemmer is pure Python and the same few thousand words
# come back in every candidate (uncached, stemming was 90 % of a listing's matching time).
STEMS = 65536


@lru_cache(maxsize=STEMS)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=MEMORY)
def terms(text: str) -> tuple[str, ...]:
    """Folded, stemmed meaningful words of a text, in order, repeats kept."""
    return tuple(stem(w) for w in words(fold_text(text)) if _meaningful(w))


def spelled(texts: Iterable[str]) -> dict[str, str]:
    """Each term as the text first writes it (lower case, accents kept): what a person
    reads as a reason, and what is sent to the search engine, which stems on its own."""
    spelling: dict[str, str] = {}
    for text in texts:
        for term, word in _spellings(text):
            spelling.setdefault(term, word)
    return spelling


@lru_cache(maxsize=MEMORY)
def _spellings(text: str) -> tuple[tuple[str, str], ...]:
    found = []
    for word in words(text.lower()):
        folded = fold_text(word)
        if _meaningful(folded):
            found.append((stem(folded), word))
    return tuple(found)


def weighted(parts: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each distinct word's weight: the heaviest part it appears in, plus a little for each
    repeat (a word a tender keeps using matters to it)."""
    return dict(_weighted(tuple(parts)))


@lru_cache(maxsize=MEMORY)
def _weighted(parts: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    weights: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for text, weight in parts:
        for term in terms(text):
            counts[term] += 1
            weights[term] = max(weights.get(term, 0.0), weight)
    return tuple((t, w + 0.25 * min(counts[t] - 1, 4)) for t, w in weights.items())


def top(keywords: dict[str, float], n: int) -> list[str]:
    """The n heaviest words (ties: the longer, more specific word first)."""
    return sorted(keywords, key=lambda t: (-keywords[t], -len(t), t))[:n]
