"""Demo listings: a few hundred believable solutions by the demo SMEs, over all ten ICC
themes, with real CPV codes and real catalogue standards; demo cities commit to standards."""

from __future__ import annotations

import random
from datetime import timedelta

from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.demo import CITIES, Network
from marketplace.listings.models import Listing, ListingStandard
from marketplace.listings.search import KIND
from marketplace.reference.vocabularies import canonical_cpv
from marketplace.searching import enqueue
from marketplace.standards.models import CityStandard, Standard

# theme -> (solution names, CPV codes, standards, outcomes as (metric, unit, baseline, target, verification))
CATALOGUE: dict[str, tuple[list[str], list[str], list[str], list[tuple[str, str, float, float, str]]]] = {
    "mobility": (
        ["Smart parking guidance", "Adaptive traffic signal control", "Shared e-bike fleet",
         "Real-time public transport information", "Demand-responsive minibus service"],
        ["34996300", "38730000", "34923000", "34430000", "48000000", "63712000"],
        ["GTFS", "CEN-TS-16614-NETEX", "EN-15531-SIRI", "EN-12896-TRANSMODEL", "CEN-16157-DATEX-II",
         "OASC-MIM1", "OASC-MIM2"],
        [("Time spent searching for parking", "minutes per trip", 12, 6, "Sensor logs and a yearly survey"),
         ("Average bus delay at signalised junctions", "seconds", 45, 20, "AVL data before and after"),
         ("Car trips replaced", "trips per day", 0, 1500, "Fleet trip records"),
         ("CO2 emissions of urban transport", "t/year", 52000, 41000, "City emissions inventory")],
    ),
    "renewable-energies": (
        ["Rooftop solar for public buildings", "Energy community platform", "Heat-pump retrofit programme",
         "Adaptive LED street lighting", "Building energy management"],
        ["09331200", "09330000", "42511110", "34928500", "50232100", "48000000"],
        ["OCPP", "OASC-MIM1", "ISO-37120", "SMART-DATA-MODELS", "ISO-IEC-30182"],
        [("Electricity use of street lighting", "MWh/year", 1200, 550, "Metered consumption, monthly report"),
         ("Renewable share of municipal electricity", "%", 18, 45, "Grid operator statements"),
         ("Heating energy of retrofitted buildings", "kWh/m²/year", 160, 70, "Heat meters"),
         ("Households in energy communities", "households", 0, 800, "Platform register")],
    ),
    "clean-industry": (
        ["Industrial symbiosis marketplace", "Waste-heat recovery for district heating",
         "Circular construction materials exchange", "Smart waste collection"],
        ["90514000", "42914000", "48000000", "90500000", "71313000"],
        ["ISO-37101", "SMART-DATA-MODELS", "OASC-MIM2", "ISO-37120"],
        [("Waste sent to landfill", "t/year", 30000, 18000, "Weighbridge records"),
         ("Collection truck kilometres", "km/year", 900000, 600000, "Telematics"),
         ("Reused construction materials", "t/year", 200, 2500, "Exchange transaction log")],
    ),
    "green-manufacturing": (
        ["Energy monitoring for SME factories", "Digital product passport service",
         "Low-carbon concrete supply", "Predictive maintenance for water pumps"],
        ["48000000", "38421100", "35125100", "72000000"],
        ["SMART-DATA-MODELS", "ISO-IEC-27001", "OASC-MIM1", "ETSI-GS-CIM-009"],
        [("Energy intensity of production", "kWh per unit", 3.2, 2.4, "Sub-metering, audited yearly"),
         ("Unplanned pump downtime", "hours/year", 300, 80, "Maintenance management system"),
         ("Embodied carbon of concrete", "kg CO2e/m³", 320, 210, "EPD certificates")],
    ),
    "e-government": (
        ["One-stop digital permits", "Citizen issue reporting app", "E-invoicing hub for city suppliers",
         "Digital twin of the city", "Public procurement analytics"],
        ["48000000", "72000000", "72212000", "48100000", "72400000"],
        ["CPSV-AP", "OPEN311-GEOREPORT", "EN-16931", "PEPPOL-BIS-BILLING-3", "OCDS", "OGC-CITYGML",
         "W3C-WCAG-2.1", "EN-301-549", "EU-2024-903-IEA"],
        [("Average permit processing time", "days", 45, 15, "Case management system"),
         ("Reports resolved within 5 days", "%", 40, 85, "Open311 service request data"),
         ("Invoices processed without manual work", "%", 10, 80, "Accounts payable statistics")],
    ),
    "open-data": (
        ["Open data portal as a service", "Urban data platform", "High-value datasets publishing kit",
         "Air quality sensor network"],
        ["48000000", "72300000", "38221000", "35125100", "72320000"],
        ["DCAT-AP", "W3C-DCAT", "EU-2023-138-HVD", "OASC-MIM1", "OASC-MIM2", "FIWARE-NGSIv2",
         "OGC-SENSORTHINGS", "INSPIRE", "OGC-API-FEATURES"],
        [("Datasets published with DCAT-AP metadata", "datasets", 40, 400, "Portal harvest by data.europa.eu"),
         ("API calls by third parties", "calls/month", 5000, 200000, "API gateway logs"),
         ("Neighbourhoods with air quality data", "%", 20, 100, "Sensor network map")],
    ),
    "skills-employment": (
        ["Digital skills bootcamps", "Job matching for green jobs", "Apprenticeship marketplace"],
        ["80420000", "80530000", "79600000", "48000000"],
        ["W3C-WCAG-2.1", "EN-301-549", "GDPR", "ISO-37120"],
        [("Participants placed in jobs within 6 months", "%", 30, 60, "Public employment service records"),
         ("People trained", "people/year", 0, 1200, "Course completion certificates")],
    ),
    "healthcare-safety": (
        ["Remote monitoring for elderly care", "Heat-wave early warning", "Public space video analytics with privacy by design",
         "Fall detection sensors"],
        ["33100000", "35125100", "32323500", "85100000", "48000000"],
        ["GDPR", "ISO-IEC-27001", "OASC-MIM4", "SMART-DATA-MODELS", "ISO-37123"],
        [("Emergency hospital admissions of monitored clients", "per 1,000 clients/year", 180, 120, "Health records, anonymised"),
         ("Response time after a fall alert", "minutes", 35, 10, "Alarm centre logs")],
    ),
    "re-skilling": (
        ["Re-skilling for building retrofit trades", "AI literacy for civil servants", "E-learning for care workers"],
        ["80420000", "80530000", "80500000"],
        ["W3C-WCAG-2.1", "EN-301-549", "ISO-37101"],
        [("Workers certified in new skills", "workers/year", 0, 500, "Certificates issued"),
         ("Course completion rate", "%", 45, 75, "Learning platform statistics")],
    ),
    "crisis-management": (
        ["Flood early warning system", "Emergency communication platform", "Resilience digital twin"],
        ["31625200", "35121700", "45246000", "48000000", "38221000"],
        ["ISO-37123", "OGC-SENSORTHINGS", "INSPIRE", "OASC-MIM1", "ISO-IEC-27001"],
        [("Warning lead time before flooding", "hours", 2, 12, "Post-event review"),
         ("Residents reached by alerts", "%", 35, 90, "Delivery reports")],
    ),
}  # fmt: skip

# What each demo SME (in `marketplace.demo.SMES` order) is good at; together all ten themes.
SME_THEMES = [
    ("mobility", "renewable-energies"), ("open-data", "e-government"),
    ("renewable-energies", "clean-industry"), ("renewable-energies", "green-manufacturing"),
    ("clean-industry", "green-manufacturing"), ("crisis-management", "open-data"),
    ("clean-industry", "open-data"), ("e-government", "crisis-management"),
    ("open-data", "e-government"), ("renewable-energies", "green-manufacturing"),
    ("renewable-energies", "mobility"), ("skills-employment", "re-skilling"),
    ("green-manufacturing", "healthcare-safety"), ("mobility", "open-data"),
    ("renewable-energies", "re-skilling"), ("green-manufacturing", "healthcare-safety"),
]  # fmt: skip
SUFFIXES = ["", " Pro", " for mid-size cities", " — pilot package", " as a service", " Plus"]
MODELS = ["fixed", "subscription", "per_unit", "outcome_based"]


async def seed_listings(session: AsyncSession, network: Network, progress: Progress) -> None:
    rng = random.Random(2026)  # the same believable network on every run
    standards = {s.code: s for s in await session.scalars(select(Standard))}
    now = network.now
    per_sme = 20
    task = progress.add_task("listings", total=len(network.smes) * per_sme)
    made: list[Listing] = []
    for sme_index, sme in enumerate(network.smes):
        home_themes = SME_THEMES[sme_index % len(SME_THEMES)]
        for n in range(per_sme):
            theme = home_themes[n % 2]
            names, cpvs, codes, outcomes = CATALOGUE[theme]
            second = home_themes[(n + 1) % 2] if rng.random() < 0.3 else None
            model = MODELS[n % 4]
            low = rng.choice([5000, 12000, 25000, 40000, 90000])
            created = now - timedelta(days=rng.randint(5, 400))
            status = "draft" if n % 10 == 9 else "archived" if n % 17 == 16 else "published"
            name = names[n % len(names)] + SUFFIXES[(n // len(names)) % len(SUFFIXES)]
            chosen_outcomes = rng.sample(outcomes, k=min(len(outcomes), rng.randint(1, 3)))
            listing = Listing(
                organisation_id=sme.id,
                status=status,
                title=name,
                summary=f"{name} by {sme.name}: proven in European cities, ready to deploy "
                f"within months.",
                description=(
                    f"## What it does\n\n{name} helps city services meet measurable targets.\n\n"
                    f"- Deployed and supported by **{sme.name}**\n- Open interfaces, no lock-in\n"
                    f"- Data stays in the EU\n\nSee [our website](https://example.eu/{sme_index})."
                ),
                themes=[theme] + ([second] if second and second != theme else []),
                cpv_codes=[canonical_cpv(c) for c in dict.fromkeys(rng.sample(cpvs, k=min(2, len(cpvs))))],
                countries=sorted({sme.country, *rng.sample(["FI", "ES", "IT", "FR", "PT", "SE",
                                  "PL", "AT", "DE", "CZ", "SI", "EE", "IE", "BE", "DK"], k=3)}),
                trl=rng.randint(6, 9),
                outcomes=[
                    {"metric": m, "unit": u, "baseline": b, "target": t,
                     "timeframe_months": rng.choice([6, 12, 18, 24, 36]), "verification": v}
                    for m, u, b, t, v in chosen_outcomes
                ],
                pricing={
                    "model": model, "currency": "EUR", "amount_min": f"{low:.2f}",
                    "amount_max": f"{low * rng.choice([2, 3, 5]):.2f}",
                    "at_risk_percent": rng.choice([10, 20, 25, 30, 40]) if model == "outcome_based" else None,
                },
                references=[
                    {"city": CITIES[(sme_index + n + k) % len(CITIES)][0], "year": 2022 + k,
                     "description": f"Pilot of {name.lower()} in {2022 + k}: targets met."}
                    for k in range(rng.randint(0, 2))
                ],
                created_at=created,
                updated_at=created,
                published_at=created if status != "draft" else None,
                archived_at=now if status == "archived" else None,
                claims=[
                    ListingStandard(
                        standard_code=code, standard_version=standards[code].version,
                        evidence_url=f"https://example.eu/{sme_index}/conformance/{code.lower()}"
                        if rng.random() < 0.5 else None,
                        position=position, created_at=created,
                    )
                    for position, code in enumerate(
                        c for c in rng.sample(codes, k=min(len(codes), rng.randint(1, 3)))
                        if c in standards
                    )
                ],
            )  # fmt: skip
            session.add(listing)
            made.append(listing)
            progress.advance(task)
    commitments = progress.add_task("standards commitments", total=len(network.cities))
    codes = sorted(standards)
    for city in network.cities:
        for code in rng.sample(codes, k=rng.randint(2, 6)):
            status = rng.choice(["planned", "adopted", "adopted"])
            session.add(
                CityStandard(
                    organisation_id=city.id, standard_code=code, status=status,
                    date=(now - timedelta(days=rng.randint(30, 900))).date()
                    if status == "adopted" else None,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
        progress.advance(commitments)
    await session.flush()
    # Written directly, not through the services: tell the search index as they do.
    for listing in made:
        await enqueue(session, KIND, listing.id, now=now)
