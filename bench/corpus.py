"""Pure, seeded construction of the benchmark corpus as rows for SQLAlchemy Core inserts.

Each record draws from its own random generator, seeded with `(seed, kind, index)`, so a
record is the same whatever the batch size, the database or the order records are built
in, and any single record can be rebuilt in isolation (the tests do). Nothing here does
I/O; `bench.generate` writes the rows.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bench import vocab
from bench.vocab import Outcome, Theme

Row = dict[str, Any]
# Share of the searchable records per kind (listings, tenders, funding calls).
SPLIT = (0.60, 0.25, 0.15)
SMES = 250
PRICING_WORDS = {
    "fixed": "a fixed price", "subscription": "a yearly subscription",
    "per_unit": "a price per unit", "outcome_based": "an outcome-based model",
}  # fmt: skip
EU_COUNTRIES = sorted({vocab.ISO_COUNTRY.get(c, c) for _, c, _ in vocab.CITIES})


def record_random(seed: int, kind: str, index: int) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`: stable across processes and runs.
    return random.Random(f"{seed}/{kind}/{index}")


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def split(size: int) -> dict[str, int]:
    """How many listings, tenders and funding calls make `size` searchable records."""
    listings = round(size * SPLIT[0])
    tenders = round(size * SPLIT[1])
    return {"listing": listings, "tender": tenders, "funding_call": size - listings - tenders}


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str
    country: str  # ISO 3166-1
    nuts: str
    place: str  # the city the organisation is in, as people write it

    def row(self, now: datetime) -> Row:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
            "nuts_code": self.nuts, "website": None, "vat_id": None,
            "description": f"{self.name} ({self.place}) takes part in the Intelligent Cities "
            "Challenge network.",
            "verified": True, "verified_at": now, "created_at": now - timedelta(days=400),
        }  # fmt: skip


@dataclass(frozen=True)
class Network:
    cities: tuple[Organisation, ...]
    smes: tuple[Organisation, ...]
    funders: tuple[Organisation, ...]

    @property
    def all(self) -> tuple[Organisation, ...]:
        return (*self.cities, *self.smes, *self.funders)


def network(seed: int) -> Network:
    """Every ICC-style city of the vocabulary, a few hundred SMEs in them, and funders."""
    rng = record_random(seed, "network", 0)
    cities = tuple(
        Organisation(
            new_uuid(rng),
            vocab.CITY_FORMS.get(country, "City of {}").format(place),
            "city",
            vocab.ISO_COUNTRY.get(country, country),
            nuts,
            place,
        )
        for place, country, nuts in vocab.CITIES
    )
    names = [f"{stem} {trade}" for stem in vocab.SME_STEMS for trade in vocab.SME_TRADES]
    smes = []
    for name in rng.sample(names, k=SMES):
        place, country, nuts = rng.choice(vocab.CITIES)
        legal = vocab.LEGAL_FORMS.get(country, "Ltd")
        smes.append(
            Organisation(
                new_uuid(rng),
                f"{name} {legal}",
                "sme",
                vocab.ISO_COUNTRY.get(country, country),
                nuts,
                place,
            )
        )
    funders = tuple(
        Organisation(new_uuid(rng), name, "funder", country, nuts, name)
        for name, country, nuts in vocab.FUNDERS
    )
    return Network(cities, tuple(smes), funders)


@dataclass
class Bundle:
    """One searchable record and the rows that belong to it, by table name."""

    kind: str
    id: str
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)


class Corpus:
    """The records of one (seed, now): `listing(i)`, `tender(i)`, `funding_call(i)`."""

    def __init__(self, seed: int, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.seed = seed
        self.now = now
        self.network = network(seed)
        self.themes = vocab.theme_vocabulary()
        self.titles = vocab.standard_titles()

    def bundles(self, kind: str, count: int) -> Iterator[Bundle]:
        build = {"listing": self.listing, "tender": self.tender, "funding_call": self.funding_call}
        for index in range(count):
            yield build[kind](index)

    def city_commitments(self) -> list[Row]:
        """Cities' commitments to catalogue standards (what matching may weigh)."""
        rng = record_random(self.seed, "commitments", 0)
        codes = sorted(self.titles)
        rows = []
        for city in self.network.cities:
            for code in rng.sample(codes, k=rng.randint(2, 6)):
                adopted = rng.random() < 0.6
                rows.append({
                    "id": new_uuid(rng), "organisation_id": city.id, "standard_code": code,
                    "status": "adopted" if adopted else "planned",
                    "date": (self.now - timedelta(days=rng.randint(30, 900))).date()
                    if adopted else None,
                    "created_at": self.now, "updated_at": self.now,
                })  # fmt: skip
        return rows

    # -- listings -------------------------------------------------------------------------

    def listing(self, index: int) -> Bundle:
        rng = record_random(self.seed, "listing", index)
        sme = rng.choice(self.network.smes)
        theme = rng.choice(self.themes)
        second = rng.choice(self.themes) if rng.random() < 0.3 else None
        solution = rng.choice(theme.solutions)
        adjective = rng.choice(vocab.ADJECTIVES)
        title = (
            f"{adjective}{_lower(solution) if adjective else solution}{rng.choice(vocab.SEGMENTS)}"
        )
        cpvs = _cpv_choice(rng, theme)
        standards = rng.sample(theme.standards, k=min(len(theme.standards), rng.randint(1, 3)))
        outcomes = rng.sample(theme.outcomes, k=min(len(theme.outcomes), rng.randint(1, 3)))
        model = rng.choice(vocab.PRICING_MODELS)
        low = rng.choice((5000, 12000, 25000, 40000, 90000, 150000))
        created = self.now - timedelta(days=rng.randint(5, 700), minutes=rng.randint(0, 1439))
        references = rng.sample(self.network.cities, k=rng.randint(0, 3))
        listing_id = new_uuid(rng)
        first = outcomes[0]
        pct = _improvement(first)
        summary = (
            f"{title} by {sme.name}: {pct}% better {first.metric.lower()} within "
            f"{rng.choice((6, 12, 18, 24))} months, built on {self.titles[standards[0]]}."
        )[:500]
        sentences = [
            f"{sme.name} from {sme.place} designed {_lower(solution)} for city services that "
            f"want to {rng.choice(vocab.GOALS)}.",
            f"The solution combines {_lower(vocab.cpv_label(cpvs[0]))} with "
            f"{_lower(vocab.cpv_label(cpvs[-1]))}, and fits the ICC theme {theme.label}."
            if len(cpvs) > 1 else
            f"The offer covers {_lower(vocab.cpv_label(cpvs[0]))} for the ICC theme {theme.label}.",
            f"It implements {self.titles[standards[0]]} ({standards[0]}) so that data and "
            "interfaces stay open and other suppliers can connect.",
            *(_outcome_sentence(rng, o, ref.place) for o, ref in zip(outcomes, references, strict=False)),
            f"Rollout takes {rng.randint(4, 26)} weeks, with training for "
            f"{rng.choice(vocab.TEAMS)} and support in {rng.choice(vocab.LANGUAGES)}.",
            f"Pricing follows {PRICING_WORDS[model]}"
            + (f" with {rng.choice((10, 20, 30))}% of the fee at risk." if model == "outcome_based" else "."),
        ]  # fmt: skip
        bundle = Bundle("listing", listing_id)
        bundle.add("listings", {
            "id": listing_id, "organisation_id": sme.id, "status": "published",
            "title": title[:200], "summary": summary, "description": " ".join(sentences),
            "themes": list(dict.fromkeys([theme.code, *([second.code] if second else [])])),
            "cpv_codes": cpvs,
            "countries": sorted({sme.country, *rng.sample(EU_COUNTRIES, k=rng.randint(0, 4))}),
            "trl": rng.randint(5, 9),
            "outcomes": [_outcome_json(rng, o) for o in outcomes],
            "pricing": {
                "model": model, "currency": "EUR", "amount_min": f"{low:.2f}",
                "amount_max": f"{low * rng.choice((2, 3, 5)):.2f}",
                "at_risk_percent": rng.choice((10, 20, 30)) if model == "outcome_based" else None,
            },
            "references": [
                {"city": ref.name, "year": 2021 + k, "description": f"Pilot in {ref.place}."}
                for k, ref in enumerate(references)
            ],
            "created_at": created, "updated_at": created, "published_at": created,
            "archived_at": None,
        })  # fmt: skip
        for position, code in enumerate(standards):
            bundle.add("listing_standards", {
                "listing_id": listing_id, "standard_code": code,
                "standard_version": "current", "position": position, "created_at": created,
                "evidence_url": f"https://example.eu/{listing_id[:8]}/{code.lower()}"
                if rng.random() < 0.5 else None,
            })  # fmt: skip
        return bundle

    # -- tenders --------------------------------------------------------------------------

    def tender(self, index: int) -> Bundle:
        rng = record_random(self.seed, "tender", index)
        lead = rng.choice(self.network.cities)
        partners = [c for c in rng.sample(self.network.cities, k=rng.randint(1, 4)) if c != lead]
        theme = rng.choice(self.themes)
        solution = rng.choice(theme.solutions)
        cpvs = _cpv_choice(rng, theme)
        label = _lower(vocab.cpv_label(cpvs[0]))
        cities = [lead, *partners]
        title = rng.choice((
            f"Joint procurement of {label} for {len(cities)} cities",
            f"{solution} for {lead.place} and partner cities",
            f"{theme.label}: {_lower(solution)} ({self.now.year + 1})",
            f"Framework agreement for {label}",
            f"{solution} — outcome-based contract",
        ))[:300]  # fmt: skip
        standards = rng.sample(theme.standards, k=min(len(theme.standards), rng.randint(1, 3)))
        outcomes = rng.sample(theme.outcomes, k=min(len(theme.outcomes), rng.randint(1, 2)))
        names = ", ".join(c.place for c in partners) or "no partner city yet"
        description = "\n\n".join((
            f"{lead.name} and {names} buy {label} together to {rng.choice(vocab.GOALS)}.",
            "Suppliers must conform to " + "; ".join(
                f"{self.titles[code]} ({code})" for code in standards
            ) + ". Open interfaces are part of the acceptance tests.",
            " ".join(_outcome_sentence(rng, o, lead.place, required=True) for o in outcomes),
            f"The contract covers {_lower(solution)} in {', '.join(c.place for c in cities)}.",
        ))  # fmt: skip
        published = self.now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1439))
        clarification = self.now + timedelta(days=rng.randint(20, 150))
        submission = clarification + timedelta(days=rng.randint(6, 30))
        tender_id = new_uuid(rng)
        bundle = Bundle("tender", tender_id)
        bundle.add("tenders", {
            "id": tender_id, "ocid": f"ocds-iccmkt-{tender_id}", "lead_buyer_id": lead.id,
            "title": title, "description": description, "procedure": rng.choice(vocab.PROCEDURES),
            "themes": [theme.code], "cpv_codes": cpvs, "nuts_codes": [c.nuts for c in cities],
            "required_standards": [
                {"code": code, "mandatory": n == 0 or rng.random() < 0.3}
                for n, code in enumerate(standards)
            ],
            "outcomes": [_outcome_json(rng, o) for o in outcomes],
            "award_criteria": [dict(c) for c in vocab.AWARD_CRITERIA],
            "clarification_deadline": clarification, "submission_deadline": submission,
            "created_at": published - timedelta(days=3), "created_by": None,
            "updated_at": published, "published_at": published, "cancelled_at": None,
            "cancellation_reason": None, "completed_at": None, "unsuccessful_at": None,
        })  # fmt: skip
        lots = rng.randint(1, 3)
        for number in range(1, lots + 1):
            code = cpvs[(number - 1) % len(cpvs)]
            bundle.add("tender_lots", {
                "id": new_uuid(rng), "tender_id": tender_id, "number": number,
                "title": f"{vocab.cpv_label(code)} — lot {number}",
                "description": f"{vocab.cpv_label(code)} for every participating city.",
                "estimated_amount": Decimal(rng.randrange(50_000, 5_000_000, 1000)),
                "currency": "EUR",
            })  # fmt: skip
        for n, city in enumerate(cities):
            bundle.add("tender_buyers", {
                "id": new_uuid(rng), "tender_id": tender_id, "organisation_id": city.id,
                "is_lead": n == 0,
                "shares": [{"lot": 1, "quantity": str(rng.randint(5, 200)), "unit": "units"}],
                "invited_at": published - timedelta(days=3),
                # Most partners confirmed; an invitation alone is not public.
                "confirmed_at": published - timedelta(days=1)
                if n == 0 or rng.random() < 0.85 else None,
                "confirmed_by": None,
            })  # fmt: skip
        return bundle

    # -- funding calls --------------------------------------------------------------------

    def funding_call(self, index: int) -> Bundle:
        rng = record_random(self.seed, "funding_call", index)
        lead = rng.choice(self.network.cities)
        partners = [c for c in rng.sample(self.network.cities, k=rng.randint(0, 3)) if c != lead]
        themes = list(dict.fromkeys(t.code for t in rng.sample(self.themes, k=rng.randint(1, 2))))
        theme = next(t for t in self.themes if t.code == themes[0])
        solution = rng.choice(theme.solutions)
        outcomes = rng.sample(theme.outcomes, k=min(len(theme.outcomes), rng.randint(1, 2)))
        standards = rng.sample(theme.standards, k=min(len(theme.standards), rng.randint(0, 2)))
        instruments = rng.sample(vocab.INSTRUMENTS, k=rng.randint(1, 3))
        amount = Decimal(rng.randrange(100_000, 25_000_000, 10_000))
        places = ", ".join(c.place for c in [lead, *partners])
        title = f"{lead.place}: {_lower(solution)}" + (
            f" with {len(partners)} partner cities" if partners else ""
        )
        summary = (
            f"{solution} in {places}, seeking {amount:,.0f} EUR through "
            f"{' or '.join(instruments)} to {rng.choice(vocab.GOALS)}."
        )[:500]
        description = " ".join((
            f"{lead.name} leads a {theme.label.lower()} project with {len(partners)} partner cities.",
            *(_outcome_sentence(rng, o, lead.place, required=True) for o in outcomes),
            f"Co-financing of {rng.randint(10, 60)}% comes from the cities' own budgets.",
            *(f"The project follows {self.titles[s]} ({s})." for s in standards),
        ))  # fmt: skip
        published = self.now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1439))
        call_id = new_uuid(rng)
        bundle = Bundle("funding_call", call_id)
        bundle.add("funding_calls", {
            "id": call_id, "organisation_id": lead.id, "title": title[:200], "summary": summary,
            "description": description, "amount_sought": amount, "currency": "EUR",
            "co_financing_percent": Decimal(rng.randint(10, 60)),
            "outcomes": [_outcome_json(rng, o) for o in outcomes], "tender_ids": [],
            "deadline": self.now + timedelta(days=rng.randint(20, 240)),
            "published_at": published, "closed_at": None, "created_by": None,
            "created_at": published - timedelta(days=2), "updated_at": published,
        })  # fmt: skip
        for code in themes:
            bundle.add("funding_call_themes", {"call_id": call_id, "theme_code": code})
        for instrument in instruments:
            bundle.add("funding_call_instruments", {"call_id": call_id, "instrument": instrument})
        for code in standards:
            bundle.add("funding_call_standards", {"call_id": call_id, "standard_code": code})
        for partner in partners:
            bundle.add("funding_call_partners", {
                "id": new_uuid(rng), "call_id": call_id, "organisation_id": partner.id,
                "invited_at": published - timedelta(days=2), "confirmed_at": published,
            })  # fmt: skip
        return bundle


def _cpv_choice(rng: random.Random, theme: Theme) -> list[str]:
    """One of the theme's usual codes, often with a finer real code of the same CPV group."""
    codes = [rng.choice(theme.usual_cpv)]
    if rng.random() < 0.7:
        codes.append(rng.choice(theme.cpv))
    return list(dict.fromkeys(codes))


def _improvement(outcome: Outcome) -> int:
    if not outcome.baseline:
        return 100
    return round(abs(outcome.target - outcome.baseline) / outcome.baseline * 100)


def _outcome_sentence(
    rng: random.Random, outcome: Outcome, place: str, required: bool = False
) -> str:
    months = rng.choice((12, 18, 24, 36))
    if required:
        return (
            f"Payment is tied to {outcome.metric.lower()}: from {outcome.baseline:g} to "
            f"{outcome.target:g} {outcome.unit} within {months} months ({outcome.verification.lower()})."
        )
    return (
        f"In {place} it moved {outcome.metric.lower()} from {outcome.baseline:g} to "
        f"{outcome.target:g} {outcome.unit} in {months} months."
    )


def _outcome_json(rng: random.Random, outcome: Outcome) -> Row:
    return {
        "metric": outcome.metric, "unit": outcome.unit, "baseline": f"{outcome.baseline:g}",
        "target": f"{outcome.target:g}", "timeframe_months": rng.choice((12, 18, 24, 36)),
        "verification": outcome.verification,
    }  # fmt: skip


def _lower(text: str) -> str:
    """Sentence-case a label for use mid-sentence, keeping acronyms (CO2, LED) intact."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
