"""Demo funding data: open calls by demo cities (some joint), funders' profiles, interests.

Goes through the same services as people do, so every demo record obeys the rules.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.funding import funders, interests, services
from marketplace.funding.schemas import FunderProfileIn, FundingCallIn, InterestIn

if TYPE_CHECKING:
    from rich.progress import Progress

    from marketplace.accounts.demo import Network

# (lead city, partner cities, fields, publish?)
CALLS: list[tuple[str, list[str], dict[str, Any], bool]] = [
    ("City of Espoo", ["Tallinna Linnavalitsus", "Vilniaus miesto savivaldybė"], {
        "title": "Smart charging hubs for electric bus fleets in three Baltic Sea capitals",
        "summary": "Depot and opportunity charging for 320 electric buses, shared procurement "
                   "and one open charging-data platform.",
        "description": "Espoo, Tallinn and Vilnius replace diesel buses on 41 lines by 2029.\n\n"
                       "## What the money buys\n\n- 14 depot chargers per city\n"
                       "- grid reinforcement at three depots\n- a shared OCPP back office\n\n"
                       "Smart charging keeps the peak load within the existing grid contracts.",
        "themes": ["mobility", "renewable-energies"], "amount": "18000000.00", "currency": "EUR",
        "co_financing_percent": "35", "instruments": ["loan", "blended", "guarantee"],
        "outcomes": [
            {"metric": "Bus fleet CO2 emissions", "unit": "t/year", "baseline": "21400",
             "target": "4200", "timeframe_months": 48},
            {"metric": "Electric buses in service", "unit": "buses", "baseline": "35",
             "target": "320", "timeframe_months": 48},
        ],
        "standards": ["OCPP", "GTFS", "EN-12896-TRANSMODEL"], "days": 75,
    }, True),
    ("Comune di Milano", ["Città di Torino"], {
        "title": "Reskilling hub for automotive supply-chain workers",
        "summary": "Training 2,400 workers from combustion-engine suppliers for battery, "
                   "software and repair jobs in Lombardy and Piedmont.",
        "description": "A joint programme of the two cities with regional training providers "
                       "and employers' associations.",
        "themes": ["skills-employment", "re-skilling"], "amount": "1200000.00",
        "currency": "EUR", "co_financing_percent": "25", "instruments": ["grant"],
        "outcomes": [
            {"metric": "Workers certified", "unit": "people", "target": "2400",
             "timeframe_months": 30},
            {"metric": "Placed in new jobs within 6 months", "unit": "%", "baseline": "0",
             "target": "70", "timeframe_months": 36},
        ],
        "standards": [], "days": 40,
    }, True),
    ("Câmara Municipal do Porto", [], {
        "title": "Heat-pump district heating for Campanhã",
        "summary": "A low-temperature heat network fed by river-water heat pumps for 3,100 "
                   "homes, two schools and a hospital.",
        "description": "Replaces individual gas boilers; social housing tenants pay no more "
                       "than today.",
        "themes": ["renewable-energies", "clean-industry"], "amount": "6500000.00",
        "currency": "EUR", "co_financing_percent": "20", "instruments": ["loan", "blended"],
        "outcomes": [
            {"metric": "Gas consumption", "unit": "MWh/year", "baseline": "38000",
             "target": "6000", "timeframe_months": 36},
        ],
        "standards": ["ISO-37120"], "days": 55,
    }, True),
    ("Miasto Kraków", [], {
        "title": "Open air-quality data platform and sensor network",
        "summary": "600 low-cost sensors, calibrated against reference stations, published as "
                   "open data for health alerts.",
        "description": "Data follows the OASC minimal interoperability mechanisms so other "
                       "cities can reuse the platform.",
        "themes": ["open-data", "healthcare-safety"], "amount": "900000.00",
        "currency": "EUR", "co_financing_percent": "30", "instruments": ["grant", "equity"],
        "outcomes": [
            {"metric": "Residents within 1 km of a sensor", "unit": "%", "baseline": "22",
             "target": "95", "timeframe_months": 18},
        ],
        "standards": ["OASC-MIM1", "SMART-DATA-MODELS", "DCAT-AP"], "days": 30,
    }, True),
    ("Budapest Főváros", [], {
        "title": "Deep retrofit of 60 municipal buildings",
        "summary": "Insulation, heat pumps and rooftop solar for schools and offices, paid "
                   "back from energy savings.",
        "description": "An energy-performance contracting programme with a revolving fund.",
        "themes": ["renewable-energies", "green-manufacturing"], "amount": "9500000000.00",
        "currency": "HUF", "co_financing_percent": "15", "instruments": ["loan", "guarantee"],
        "outcomes": [
            {"metric": "Energy use of the buildings", "unit": "GWh/year", "baseline": "84",
             "target": "40", "timeframe_months": 60},
        ],
        "standards": ["ISO-37101"], "days": 90,
    }, True),
    ("Stadt Wien", [], {
        "title": "Digital twin for flood and heat-wave management",
        "summary": "Draft: a city model combining sensors, forecasts and emergency plans.",
        "description": "Still being scoped with the civil protection department.",
        "themes": ["crisis-management", "open-data"], "amount": "3000000.00",
        "currency": "EUR", "co_financing_percent": "40", "instruments": ["grant", "blended"],
        "outcomes": [], "standards": ["OGC-CITYGML"], "days": 120,
    }, False),
]  # fmt: skip

PROFILES: dict[str, dict[str, Any]] = {
    "European Investment Bank — Urban Development": {
        "themes": ["renewable-energies", "mobility", "clean-industry", "green-manufacturing"],
        "instruments": ["loan", "guarantee", "blended"], "ticket_min": "5000000",
        "ticket_max": "500000000", "currency": "EUR", "min_co_financing_percent": "25",
    },
    "Fondazione Cariplo": {
        "themes": ["skills-employment", "re-skilling", "healthcare-safety", "e-government"],
        "instruments": ["grant"], "ticket_min": "50000", "ticket_max": "2000000",
        "currency": "EUR", "nuts_codes": ["ITC"], "min_co_financing_percent": "20",
    },
    "Nordic Impact Ventures": {
        "themes": ["open-data", "mobility", "renewable-energies"],
        "instruments": ["equity", "blended"], "ticket_min": "250000", "ticket_max": "5000000",
        "currency": "EUR", "countries": ["DK", "SE", "FI", "EE", "LT", "LV", "PL"],
    },
    "Council of Europe Development Bank": {
        "themes": ["healthcare-safety", "skills-employment", "renewable-energies"],
        "instruments": ["loan"], "ticket_min": "1000000", "ticket_max": "100000000",
        "currency": "EUR", "min_co_financing_percent": "10",
    },
}  # fmt: skip

# (funder, call index, amount, instrument, named publicly, decision or None, note)
INTERESTS = [
    ("European Investment Bank — Urban Development", 0, "10000000.00", "loan", True, "accept",
     "Welcome: we will share the depot designs with your credit team."),
    ("Nordic Impact Ventures", 0, "2000000.00", "blended", False, None, ""),
    ("Fondazione Cariplo", 1, "600000.00", "grant", True, "accept", "Thank you."),
    ("Council of Europe Development Bank", 2, "3000000.00", "loan", False, None, ""),
    ("Nordic Impact Ventures", 3, "400000.00", "equity", False, "decline",
     "We keep the platform in public ownership; a grant would suit us better."),
]  # fmt: skip


def _actor(network: Network, organisation: Organisation) -> Actor:
    user = network.users[organisation.id]
    return Actor(
        user.id,
        user.email,
        user.name,
        roles={organisation.id: "owner"},
        kinds={organisation.id: organisation.kind},
    )


async def seed_funding(session: AsyncSession, network: Network, progress: Progress) -> None:
    now = network.now
    by_name = {o.name: o for o in [*network.cities, *network.funders]}
    task = progress.add_task("funding calls", total=len(CALLS) + len(INTERESTS))
    calls = []
    for lead_name, partner_names, fields, publish in CALLS:
        lead = by_name[lead_name]
        partners = [by_name[n] for n in partner_names]
        data = FundingCallIn(
            organisation_id=lead.id,
            partner_ids=[p.id for p in partners],
            title=fields["title"],
            summary=fields["summary"],
            description=fields["description"],
            themes=fields["themes"],
            amount_sought={"amount": fields["amount"], "currency": fields["currency"]},
            co_financing_percent=Decimal(fields["co_financing_percent"]),
            instruments=fields["instruments"],
            outcomes=fields["outcomes"],
            standards=fields["standards"],
            deadline=now + timedelta(days=fields["days"]),
        )
        call = await services.create_call(session, _actor(network, lead), data, now)
        for partner in partners:
            await services.confirm_partner(
                session, _actor(network, partner), call.id, partner.id, now
            )
        if publish:
            await services.publish_call(session, _actor(network, lead), call.id, now)
        calls.append(call)
        progress.advance(task)
    for funder in network.funders:
        if funder.name in PROFILES:
            profile = FunderProfileIn.model_validate(PROFILES[funder.name])
            await funders.save_profile(session, _actor(network, funder), funder.id, profile, now)
    for funder_name, index, amount, instrument, named, decision, note in INTERESTS:
        funder = by_name[funder_name]
        call = calls[index]
        interest = await interests.express_interest(
            session,
            _actor(network, funder),
            call.id,
            InterestIn.model_validate(
                {
                    "organisation_id": funder.id,
                    "amount": {"amount": amount, "currency": "EUR"},
                    "instrument": instrument,
                    "named_publicly": named,
                    "message": "We would like to discuss the project with your team.",
                }
            ),
            now,
        )
        if decision:
            lead = by_name[CALLS[index][0]]
            await interests.decide_interest(
                session,
                _actor(network, lead),
                call.id,
                interest.id,
                decision == "accept",
                note,
                now,
            )
        progress.advance(task)
    nordic = by_name["Nordic Impact Ventures"]
    await funders.save_shortlist_entry(
        session, _actor(network, nordic), nordic.id, calls[0].id,
        "Co-invest with EIB? Ask Tallinn about the charging-data platform.", now,
    )  # fmt: skip
