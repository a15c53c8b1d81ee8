"""Text helpers shared by the backends: tokens, diacritic folding, highlighting, spelling."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# Backends mark matches with these control characters, which never occur in stored text
# (`clean` removes them): the text is HTML-escaped first, then the marks become <mark>.
MARK_START = "\x02"
MARK_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')
_WORD_SPAN = 48  # characters a word and what follows it take, generously (a first guess)


# Unicode category Cc is exactly C0 and C1 (U+0000-U+001F, U+007F-U+009F); tab and newline stay.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: str) -> str:
    """Stored text never contains the highlight marks or other control characters."""
    return _CONTROL.sub("", value)


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """Lower-case without diacritics: `München` → `munchen` (as FTS5's remove_diacritics 2).
    Remembered: snippets fold every word of the rows shown, from a bounded vocabulary."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True, slots=True)
class ParsedText:
    """User text as terms: quoted phrases stay together; the last bare word may be a prefix."""

    phrases: tuple[tuple[str, ...], ...]  # each phrase a tuple of folded words
    terms: tuple[str, ...]  # folded single words, in order
    prefix: str | None  # the last bare word when matched as a prefix

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.terms or self.prefix)

    @property
    def all_words(self) -> list[str]:
        out = [w for p in self.phrases for w in p] + list(self.terms)
        return [*out, self.prefix] if self.prefix else out


def parse(text: str, *, prefix: bool = True) -> ParsedText:
    phrases = tuple(tuple(fold(w) for w in words(p)) for p in _PHRASE.findall(text) if words(p))
    rest = _PHRASE.sub(" ", text)
    bare = [fold(w) for w in words(rest)]
    last: str | None = None
    # "transp" while typing is a prefix; "transport " (a space typed after it) is a word.
    if prefix and bare and not text.endswith((" ", '"')):
        last = bare.pop()
    return ParsedText(phrases, tuple(bare), last)


def highlight(marked: str) -> str:
    """Text with MARK_START/MARK_END around matches → safe HTML with <mark> around matches."""
    escaped = html.escape(marked, quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def mark_words(text: str, parsed: ParsedText, window: int = 24) -> str | None:
    """The query's words marked in a window of `window` words around the first one found
    (MARK_START/MARK_END, not escaped; `highlight` escapes), or None when none is found.

    Words match as the index folds them; a phrase's words are marked wherever they occur
    and the last word as a prefix, as the query matched them. Done here rather than by the
    engine, which would evaluate the whole query again for every row shown.
    """
    wanted = set(parsed.terms) | {w for phrase in parsed.phrases for w in phrase}
    begin = 0
    if text.isascii():
        # An ASCII text folds to itself lower-cased: one pattern finds where the words
        # are, and the text is read word by word only from a few words before the first
        # (before, every word up to the window's end was read and folded: most of a
        # snippet's time).
        pattern = _pattern(frozenset(wanted), parsed.prefix)
        lowered = text.lower()
        hit = pattern.search(lowered)
        if hit is None:
            return None
        begin = _words_before(text, hit.start(), window // 4)
        starts = {m.start() for m in pattern.finditer(lowered, hit.start())}

        def matches(token: re.Match[str]) -> bool:
            return token.start() in starts

    else:

        def matches(token: re.Match[str]) -> bool:
            folded = fold(token.group())
            prefix = parsed.prefix
            return folded in wanted or (prefix is not None and folded.startswith(prefix))

    tokens: list[re.Match[str]] = []
    first: int | None = None
    for token in _WORD.finditer(text, begin):  # read only up to the window's end
        tokens.append(token)
        if first is None and matches(token):
            first = len(tokens) - 1
        if first is not None and len(tokens) > max(0, first - window // 4) + window:
            break
    if first is None:
        return None
    start = max(0, first - window // 4)
    end = min(len(tokens), start + window)
    found_at = {i for i in range(first, end) if matches(tokens[i])}
    before = bool(start or begin)  # words before the window
    out = ["…" if before else ""]
    position = tokens[start].start() if before else 0
    for i in range(start, end):
        token = tokens[i]
        out.append(text[position : token.start()])
        out.append(MARK_START + token.group() + MARK_END if i in found_at else token.group())
        position = token.end()
    out.append("…" if end < len(tokens) else text[position:])
    return "".join(out)


@lru_cache(maxsize=1024)
def _pattern(wanted: frozenset[str], prefix: str | None) -> re.Pattern[str]:
    """The first word of a lower-cased ASCII text that is one of `wanted` or begins with
    `prefix` (as `mark_words` matches words)."""
    alternatives = [rf"\b{re.escape(w)}\b" for w in sorted(wanted)]
    if prefix:
        alternatives.append(rf"\b{re.escape(prefix)}")
    return re.compile("|".join(alternatives) or r"(?!)")


def _words_before(text: str, position: int, count: int) -> int:
    """Where the `count`-th word before `position` begins (0 when there are no more words
    than that before it)."""
    if count < 1:
        return 0
    step = _WORD_SPAN * (count + 1)  # characters looked back at a time
    low = max(0, position - step)
    while True:
        starts = [m.start() for m in _WORD.finditer(text, low, position)]
        if low == 0:
            return starts[-count] if len(starts) > count else 0
        if len(starts) > count:  # the first may be cut by `low`: not among those counted
            return starts[-count]
        low = max(0, low - step)


def plain_snippet(text: str, limit: int = 200) -> str:
    """The start of a text, escaped, for results found without words to highlight."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return html.escape(text, quote=True)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment); stops early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    """As Meilisearch does by default: none below 5 letters, one up to 8, then two."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def best_correction(word: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The closest known word within the allowed typos; ties go to the more frequent word."""
    limit = allowed_typos(word)
    if limit == 0:
        return None
    best: tuple[int, int, str] | None = None
    for candidate, frequency in candidates:
        if candidate == word:
            return None
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            key = (distance, -frequency, candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


async def aiter_documents(source: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
