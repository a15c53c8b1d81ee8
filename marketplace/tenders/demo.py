"""Demo tenders: a few joint procurements in different stages, made through the services
(so each has its audit trail and OCDS releases), with timestamps spread over the past
weeks so that evaluation and award are already possible, and the awarded lot's contract
signed and under way (a milestone met, the cities' first payments)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.schemas import Money
from marketplace.settings import Settings
from marketplace.tenders import contracts, services
from marketplace.tenders.contract_schemas import (
    ContractIn,
    MilestoneIn,
    MilestoneMetIn,
    TransactionIn,
)
from marketplace.tenders.schemas import (
    AmendmentChanges,
    AmendmentIn,
    AnswerIn,
    AwardIn,
    CancelIn,
    QuestionIn,
    ResponseIn,
    ScoresIn,
    TenderIn,
    UnsuccessfulIn,
)

if TYPE_CHECKING:
    from marketplace.accounts.demo import Network

CRITERIA = [{"name": "Price", "weight": 40}, {"name": "Quality", "weight": 35},
            {"name": "Outcomes", "weight": 25}]  # fmt: skip


def _actor(network: Network, organisation: Organisation) -> Actor:
    user = network.users[organisation.id]
    return Actor(
        user.id,
        user.email,
        user.name,
        roles={organisation.id: "owner"},
        kinds={organisation.id: organisation.kind},
    )


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def _tender(
    lead: Organisation, partners: list[Organisation], title: str, description: str,
    theme: str, cpv: str, lots: list[tuple[str, str]], published: datetime,
    procedure: str = "open", mandatory: tuple[str, ...] = (),
) -> TenderIn:  # fmt: skip
    nuts = [o.nuts_code for o in [lead, *partners] if o.nuts_code]
    return TenderIn.model_validate({
        "lead_buyer_id": lead.id, "title": title, "description": description,
        "procedure": procedure, "themes": [theme], "cpv_codes": [cpv], "nuts_codes": nuts,
        "lots": [{"title": t, "description": f"{t} for every participating city.",
                  "estimated_value": _money(v)} for t, v in lots],
        "buyers": [{"organisation_id": lead.id, "shares": [{"lot": 1, "value": _money(lots[0][1])}]}]
        + [{"organisation_id": p.id, "shares": [{"lot": 1, "quantity": str(20 * (i + 1)),
                                                  "unit": "units"}]}
           for i, p in enumerate(partners)],
        # Desirable unless the tender cannot work without one (chargers must speak OCPP):
        # a demo tender that refused every supplier for a standard would show no matches.
        "required_standards": [{"code": c, "mandatory": True} for c in mandatory]
        + [{"code": "OASC-MIM1", "mandatory": False}, {"code": "OASC-MIM2", "mandatory": False}],
        "outcomes": [{"metric": "CO2 emissions avoided", "unit": "t/year", "baseline": "0",
                      "target": "500", "timeframe_months": 24,
                      "verification": "Annual report checked by the city's energy agency"}],
        "award_criteria": CRITERIA,
        "clarification_deadline": (published + timedelta(days=30)).isoformat(),
        "submission_deadline": (published + timedelta(days=40)).isoformat(),
    })  # fmt: skip


async def _joint(
    session: AsyncSession, network: Network, settings: Settings, data: TenderIn,
    lead: Organisation, partners: list[Organisation], at: datetime, publish: bool = True,
) -> Any:  # fmt: skip
    tender = await services.create_tender(session, _actor(network, lead), data, at, settings)
    for partner in partners:
        await services.confirm_buyer(session, _actor(network, partner), tender.id, partner.id, at)
    if publish:
        await services.publish(session, _actor(network, lead), tender.id, at, settings)
    return tender


async def _respond(
    session: AsyncSession, network: Network, tender: Any, sme: Organisation, price: str,
    at: datetime,
) -> Any:  # fmt: skip
    data = ResponseIn.model_validate({
        "organisation_id": sme.id, "lot_ids": [lot.id for lot in tender.lots],
        "price": _money(price),
        "technical_summary": f"{sme.name} delivers a proven, open-standards solution with "
                             "local support in every participating city.",
        "outcome_commitments": [{"metric": "CO2 emissions avoided", "target": "550"}],
        "standards": [{"code": c} for c in dict.fromkeys(
            [r["code"] for r in tender.required_standards])],
    })  # fmt: skip
    return await services.submit_response(
        session, _actor(network, sme), tender.id, data, at, _no_listing
    )


async def _no_listing(session: AsyncSession, listing_id: str) -> str | None:
    """The demo's responses offer no listing, so no listing is anyone's."""
    return None


async def seed_tenders(session: AsyncSession, network: Network, progress: Progress) -> None:
    # The demo follows the EU directive's time limits, so it needs none switched off.
    settings = Settings(min_tender_period_days=None)
    now = network.now
    cities = [c for c in network.cities if c.verified]
    smes = [s for s in network.smes if s.verified]
    task = progress.add_task("tenders", total=5)

    # 1. Open for responses: three cities buy e-bus charging together, one question answered.
    start = now - timedelta(days=5)
    lead, partners = cities[0], cities[1:3]
    data = _tender(
        lead, partners, "Joint procurement of e-bus depot charging",
        "Three cities buy depot charging for electric buses together: hardware, "
        "installation and a shared open charge-point management platform (OCPP 2.0.1).",
        "mobility", "31158100", [("Depot chargers", "2400000.00"),
                                 ("Charge-point management platform", "350000.00")], start,
        mandatory=("OCPP",),
    )  # fmt: skip
    tender = await _joint(session, network, settings, data, lead, partners, start)
    question = await services.ask(
        session, _actor(network, smes[0]), tender.id,
        QuestionIn(text="Is OCPP 2.0.1 mandatory, or is 1.6J accepted during migration?"),
        start + timedelta(days=1),
    )  # fmt: skip
    await services.answer(
        session, _actor(network, lead), tender.id, question.id,
        AnswerIn(text="OCPP 2.0.1 is mandatory for new chargers; 1.6J is not accepted."),
        start + timedelta(days=2),
    )  # fmt: skip
    await _respond(session, network, tender, smes[0], "2600000.00", start + timedelta(days=3))
    progress.advance(task)

    # 2. A draft waiting for a partner city to confirm.
    lead, partners = cities[3], [cities[4]]
    data = _tender(
        lead, partners, "Shared urban digital twin for flood resilience",
        "A common digital twin platform to model flood risk and test adaptation measures.",
        "crisis-management", "72000000", [("Digital twin platform", "900000.00")], now,
        procedure="innovation_partnership",
    )  # fmt: skip
    await services.create_tender(session, _actor(network, lead), data, now, settings)
    progress.advance(task)

    # 3. In evaluation: the deadline passed yesterday, two sealed responses are now open.
    start = now - timedelta(days=41)
    lead, partners = cities[5], [cities[6]]
    data = _tender(
        lead, partners, "Smart waste collection sensors",
        "Fill-level sensors for 6,000 containers and route optimisation for collection.",
        "clean-industry", "38000000", [("Fill-level sensors", "600000.00")], start,
    )  # fmt: skip
    tender = await _joint(session, network, settings, data, lead, partners, start)
    for n, sme in enumerate(smes[1:3]):
        await _respond(session, network, tender, sme, f"{560000 + 30000 * n}.00",
                       start + timedelta(days=10 + n))  # fmt: skip
    progress.advance(task)

    # 4. Complete: awarded after scoring.
    start = now - timedelta(days=60)
    lead, partners = cities[7], [cities[8]]
    data = _tender(
        lead, partners, "LED street lighting with adaptive dimming",
        "Replacement of 12,000 luminaires with adaptive LED lighting and a central "
        "management system.", "renewable-energies", "34993000",
        [("Luminaires and installation", "3100000.00"), ("Lighting management system", "250000.00")],
        start,
    )  # fmt: skip
    tender = await _joint(session, network, settings, data, lead, partners, start)
    winner = await _respond(
        session, network, tender, smes[3], "3050000.00", start + timedelta(days=20)
    )
    await _respond(session, network, tender, smes[4], "3200000.00", start + timedelta(days=21))
    after = start + timedelta(days=45)
    lead_actor = _actor(network, lead)
    await services.score(
        session,
        lead_actor,
        tender.id,
        winner.id,
        ScoresIn(scores={"Price": 85, "Quality": 80, "Outcomes": 75}),
        after,
    )
    await services.award(session, lead_actor, tender.id, AwardIn.model_validate({
        "lot_id": tender.lots[0].id, "response_id": winner.id,
        "value": _money("3050000.00")}), after)  # fmt: skip
    await services.declare_unsuccessful(
        session,
        lead_actor,
        tender.id,
        UnsuccessfulIn(
            lot_id=tender.lots[1].id, reason="No tender met the accessibility requirements"
        ),
        after,
    )
    # Its contract, signed a few days after the award, and under way.
    signed = after + timedelta(days=5)
    lot = tender.lots[0].id
    await contracts.record_contract(session, lead_actor, tender.id, lot, ContractIn.model_validate({
        "date_signed": signed.date().isoformat(), "value": _money("3050000.00"),
        "period": {"start_date": (signed + timedelta(days=14)).date().isoformat(),
                   "end_date": (signed + timedelta(days=14 + 3 * 365)).date().isoformat()},
        "title": "LED street lighting: luminaires and installation",
    }), signed)  # fmt: skip
    first = await contracts.add_milestone(session, lead_actor, tender.id, lot, MilestoneIn(
        title="First 4,000 luminaires installed", due_date=(signed + timedelta(days=8)).date(),
    ), signed)  # fmt: skip
    await contracts.add_milestone(session, lead_actor, tender.id, lot, MilestoneIn(
        title="Central management system live", due_date=(signed + timedelta(days=120)).date(),
    ), signed)  # fmt: skip
    met = signed + timedelta(days=7)
    await contracts.settle_milestone(session, lead_actor, tender.id, lot, first.id, True,
                                     MilestoneMetIn(date_met=met.date()), met)  # fmt: skip
    for city in (lead, *partners):
        await contracts.record_transaction(session, lead_actor, tender.id, lot, TransactionIn(
            date=met.date(), value=Money.model_validate(_money("400000.00")), payer_id=city.id,
        ), met)  # fmt: skip
    progress.advance(task)

    # 5. Cancelled after an amendment.
    start = now - timedelta(days=10)
    lead, partners = cities[9], [cities[10]]
    data = _tender(
        lead, partners, "Open data portal and API management",
        "A shared open data portal with API management for both cities.",
        "open-data", "48000000", [("Portal and API gateway", "420000.00")], start,
    )  # fmt: skip
    tender = await _joint(session, network, settings, data, lead, partners, start)
    await services.amend(
        session, _actor(network, lead), tender.id,
        AmendmentIn(rationale="The budget line was corrected by the council.",
                    changes=AmendmentChanges(description=data.description + " Hosting in the EU.")),
        start + timedelta(days=2), settings,
    )  # fmt: skip
    await services.cancel(
        session, _actor(network, lead), tender.id,
        CancelIn(reason="The national open data programme now provides the portal for free."),
        start + timedelta(days=4),
    )  # fmt: skip
    progress.advance(task)
