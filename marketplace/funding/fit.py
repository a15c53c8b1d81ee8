"""How well an open funding call fits a funder's investment focus: pure functions, no I/O.

Each criterion scores points out of a fixed weight and says why, so a funder sees the
reasons next to the score. A criterion the funder left empty counts as "no preference"
and is met: an empty profile ranks every call equally (by deadline, as given).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from marketplace.i18n import gettext as _
from marketplace.reference import vocabularies as vocab

WEIGHTS = {"themes": 30, "instrument": 25, "amount": 20, "region": 15, "co_financing": 10}


@dataclass(frozen=True)
class FunderFocus:
    themes: frozenset[str] = frozenset()
    instruments: frozenset[str] = frozenset()
    ticket_min: Decimal | None = None
    ticket_max: Decimal | None = None
    currency: str = "EUR"
    countries: frozenset[str] = frozenset()
    nuts_codes: frozenset[str] = frozenset()
    min_co_financing_percent: Decimal | None = None


@dataclass(frozen=True)
class Place:
    """Where one of the call's cities is."""

    name: str
    country: str
    nuts_code: str | None = None


@dataclass(frozen=True)
class CallFacts:
    id: str
    themes: frozenset[str]
    instruments: frozenset[str]
    amount: Decimal
    currency: str
    co_financing_percent: Decimal | None
    places: tuple[Place, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Reason:
    criterion: str
    matched: bool
    points: int
    detail: str


@dataclass(frozen=True)
class Fit:
    call_id: str
    score: int  # 0..100
    reasons: tuple[Reason, ...]


@cache
def _within(code: str) -> frozenset[str]:
    return frozenset(vocab.nuts_within(code))


def _amount(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _labels(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


def _themes(focus: FunderFocus, call: CallFacts) -> Reason:
    weight = WEIGHTS["themes"]
    if not focus.themes:
        return Reason("themes", True, weight, _("You state no theme preference."))
    shared = focus.themes & call.themes
    if not shared:
        return Reason(
            "themes",
            False,
            0,
            _("None of the call's themes (%(themes)s) is yours.", themes=_labels(call.themes)),
        )
    # The share of the call's themes that are yours: a call entirely in your focus wins.
    points = max(1, round(weight * len(shared) / max(len(call.themes), 1)))
    return Reason("themes", True, points, _("Shared themes: %(themes)s.", themes=_labels(shared)))


def _instrument(focus: FunderFocus, call: CallFacts) -> Reason:
    weight = WEIGHTS["instrument"]
    if not focus.instruments:
        return Reason("instrument", True, weight, _("You state no instrument preference."))
    shared = focus.instruments & call.instruments
    if not shared:
        return Reason(
            "instrument",
            False,
            0,
            _(
                "The call wants %(wanted)s; you offer %(offered)s.",
                wanted=_labels(call.instruments),
                offered=_labels(focus.instruments),
            ),
        )
    return Reason(
        "instrument",
        True,
        weight,
        _("The call wants %(wanted)s, which you offer.", wanted=_labels(shared)),
    )


def _amount_fit(focus: FunderFocus, call: CallFacts) -> Reason:
    weight = WEIGHTS["amount"]
    low, high = focus.ticket_min, focus.ticket_max
    if low is None and high is None:
        return Reason("amount", True, weight, _("You state no ticket size."))
    sought = _amount(call.amount, call.currency)
    if call.currency != focus.currency:
        # No silent conversion: rates move, and a funder's range is stated in its currency.
        return Reason(
            "amount",
            False,
            0,
            _(
                "The call seeks %(sought)s; your ticket size is in %(currency)s.",
                sought=sought,
                currency=focus.currency,
            ),
        )
    if low is not None and call.amount < low:
        return Reason(
            "amount",
            False,
            0,
            _(
                "%(sought)s is below your minimum ticket of %(minimum)s.",
                sought=sought,
                minimum=_amount(low, focus.currency),
            ),
        )
    if high is not None and call.amount > high:
        return Reason(
            "amount",
            False,
            0,
            _(
                "%(sought)s is above your maximum ticket of %(maximum)s.",
                sought=sought,
                maximum=_amount(high, focus.currency),
            ),
        )
    return Reason(
        "amount", True, weight, _("%(sought)s is within your ticket size.", sought=sought)
    )


def _region(focus: FunderFocus, call: CallFacts) -> Reason:
    weight = WEIGHTS["region"]
    if not focus.countries and not focus.nuts_codes:
        return Reason("region", True, weight, _("You invest anywhere."))
    for place in call.places:
        if place.country in focus.countries:
            return Reason(
                "region",
                True,
                weight,
                _("%(city)s is in %(country)s.", city=place.name, country=place.country),
            )
        for code in sorted(focus.nuts_codes):
            if place.nuts_code and place.nuts_code in _within(code):
                return Reason(
                    "region",
                    True,
                    weight,
                    _(
                        "%(city)s (%(nuts)s) lies within %(region)s.",
                        city=place.name,
                        nuts=place.nuts_code,
                        region=code,
                    ),
                )
    names = ", ".join(p.name for p in call.places) or _("The call's cities")
    return Reason(
        "region", False, 0, _("%(cities)s: outside your countries and regions.", cities=names)
    )


def _co_financing(focus: FunderFocus, call: CallFacts) -> Reason:
    weight = WEIGHTS["co_financing"]
    required = focus.min_co_financing_percent
    if required is None or required == 0:
        return Reason("co_financing", True, weight, _("You require no co-financing."))
    brought = call.co_financing_percent
    if brought is None:
        return Reason(
            "co_financing",
            False,
            0,
            _(
                "The call states no co-financing; you require %(required)s.",
                required=_pct(required),
            ),
        )
    if brought >= required:
        return Reason(
            "co_financing",
            True,
            weight,
            _(
                "The cities bring %(brought)s; you require %(required)s.",
                brought=_pct(brought),
                required=_pct(required),
            ),
        )
    return Reason(
        "co_financing",
        False,
        0,
        _(
            "The cities bring %(brought)s; you require %(required)s.",
            brought=_pct(brought),
            required=_pct(required),
        ),
    )


@dataclass(frozen=True)
class WordsMatch:
    """How well a call answers the words a funder searched with: `share` of the best
    answer's relevance in the search engine (1.0 for the best), and the words it contains."""

    share: float
    words: tuple[str, ...]


# With words, they weigh as much as the whole focus: a funder who types "heat pumps" wants
# heat pump calls first, and among them the ones that fit.
WORDS_WEIGHT = 50


def _words(found: WordsMatch) -> Reason:
    points = round(WORDS_WEIGHT * max(0.0, min(1.0, found.share)))
    if not found.words:
        return Reason("words", False, points, _("None of your words, only close ones."))
    return Reason(
        "words", True, points, _("Matches your words: %(words)s.", words=", ".join(found.words))
    )


def score(focus: FunderFocus, call: CallFacts, words: WordsMatch | None = None) -> Fit:
    reasons: tuple[Reason, ...] = (
        _themes(focus, call),
        _instrument(focus, call),
        _amount_fit(focus, call),
        _region(focus, call),
        _co_financing(focus, call),
    )
    if words is not None:
        # The focus keeps its reasons, at half their points beside the words' half.
        half = 1 - WORDS_WEIGHT / 100
        reasons = (_words(words), *(replace(r, points=round(r.points * half)) for r in reasons))
    return Fit(call.id, sum(r.points for r in reasons), reasons)


def rank(
    focus: FunderFocus,
    calls: Sequence[CallFacts],
    words: Mapping[str, WordsMatch] | None = None,
) -> list[Fit]:
    """Best fit first; equal scores keep the order given (the caller sorts by deadline).
    With `words` (call id → how it answers them), only those calls, words and focus each
    half of the score.

    Calls that meet none of the funder's stated criteria are left out.
    """
    if words is None:
        fits = [score(focus, call) for call in calls]
    else:
        fits = [score(focus, call, words[call.id]) for call in calls if call.id in words]
    return sorted((f for f in fits if f.score > 0), key=lambda f: -f.score)
