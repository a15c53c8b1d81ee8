"""Demo listings: a few hundred believable solutions by the demo SMEs, over all ten ICC
themes, with real CPV codes and real catalogue standards; demo cities commit to standards."""

from __future__ import annotations

import random
from datetime import timedelta

from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.demo import CITIES, Network
from marketplace.core.events import publish
from marketplace.listings.events import LISTING_CREATED, LISTING_PUBLISHED
from marketplace.listings.models import Listing, ListingStandard
from marketplace.reference.vocabularies import canonical_cpv
from marketplace.standards.models import CityStandard, Standard

# theme -> (solutions as (name, CPV codes that fit it, what it does), standards, outcomes as
# (metric, unit, baseline, target, verification)). A solution's codes are those a supplier of
# that very thing would use, so matching by code and by words agree in the demo.
Solution = tuple[str, list[str], str]
CATALOGUE: dict[str, tuple[list[Solution], list[str], list[tuple[str, str, float, float, str]]]] = {
    "mobility": (
        [("Smart parking guidance", ["34996300", "38730000"], "In-ground sensors report free parking spaces; signs and an app guide drivers to them."),
         ("Adaptive traffic signal control", ["34923000"], "Traffic signals adapt their timings every cycle and give buses priority at junctions."),
         ("Shared e-bike fleet", ["34430000"], "Electric bikes shared from stations and geofenced zones, maintained every night."),
         ("Real-time public transport information", ["48813000"], "Real-time departures at stops and in open GTFS Realtime feeds."),
         ("Demand-responsive minibus service", ["60130000", "48000000"], "Minibuses booked by app or phone, trips pooled and routed in real time."),
         ("Depot charging for electric buses", ["31158100"], "High-power chargers installed at bus depots so every electric bus leaves fully charged."),
         ("Charge-point management platform", ["48000000"], "OCPP 2.0.1 back office scheduling the charging of electric bus and car fleets."),
         ("Public charging hubs for electric cars", ["31158100"], "Fast chargers for electric cars on city streets and car parks.")],
        ["GTFS", "CEN-TS-16614-NETEX", "EN-15531-SIRI", "EN-12896-TRANSMODEL", "CEN-16157-DATEX-II",
         "OASC-MIM1", "OASC-MIM2"],
        [("Time spent searching for parking", "minutes per trip", 12, 6, "Sensor logs and a yearly survey"),
         ("Average bus delay at signalised junctions", "seconds", 45, 20, "AVL data before and after"),
         ("Car trips replaced", "trips per day", 0, 1500, "Fleet trip records"),
         ("CO2 emissions of urban transport", "t/year", 52000, 41000, "City emissions inventory")],
    ),
    "renewable-energies": (
        [("Rooftop solar for public buildings", ["09332000", "09331200"], "Photovoltaic panels on schools and halls, designed, installed and monitored."),
         ("Energy community platform", ["48000000"], "Residents share locally produced electricity; the platform does the accounting."),
         ("Heat-pump retrofit programme", ["42511110"], "Heat pumps replace gas and oil boilers in public buildings."),
         ("Adaptive LED street lighting", ["34993000", "50232100"], "LED street lights dim when nobody is around and report failures."),
         ("Building energy management", ["48000000", "71314300"], "Meters and dashboards show where public buildings waste energy.")],
        ["OCPP", "OASC-MIM1", "ISO-37120", "SMART-DATA-MODELS", "ISO-IEC-30182"],
        [("Electricity use of street lighting", "MWh/year", 1200, 550, "Metered consumption, monthly report"),
         ("Renewable share of municipal electricity", "%", 18, 45, "Grid operator statements"),
         ("Heating energy of retrofitted buildings", "kWh/m²/year", 160, 70, "Heat meters"),
         ("Households in energy communities", "households", 0, 800, "Platform register")],
    ),
    "clean-industry": (
        [("Industrial symbiosis marketplace", ["48000000"], "Companies trade waste streams, heat and by-products with their neighbours."),
         ("Waste-heat recovery for district heating", ["42914000"], "Heat recovered from industry and data centres feeds the district heating network."),
         ("Circular construction materials exchange", ["48000000", "90500000"], "Materials from demolition sites are listed and reused in new buildings."),
         ("Smart waste collection", ["34928480", "90511000"], "Fill-level sensors in containers; trucks only empty those that are full.")],
        ["ISO-37101", "SMART-DATA-MODELS", "OASC-MIM2", "ISO-37120"],
        [("Waste sent to landfill", "t/year", 30000, 18000, "Weighbridge records"),
         ("Collection truck kilometres", "km/year", 900000, 600000, "Telematics"),
         ("Reused construction materials", "t/year", 200, 2500, "Exchange transaction log")],
    ),
    "green-manufacturing": (
        [("Energy monitoring for SME factories", ["38550000", "48000000"], "Submeters and software show the energy use of each machine."),
         ("Digital product passport service", ["72000000"], "Product data for the EU digital product passport, published and kept current."),
         ("Low-carbon concrete supply", ["44114000"], "Concrete with a third less embodied carbon, with EPD certificates."),
         ("Predictive maintenance for water pumps", ["35125100", "48000000"], "Vibration sensors predict pump failures before they happen.")],
        ["SMART-DATA-MODELS", "ISO-IEC-27001", "OASC-MIM1", "ETSI-GS-CIM-009"],
        [("Energy intensity of production", "kWh per unit", 3.2, 2.4, "Sub-metering, audited yearly"),
         ("Unplanned pump downtime", "hours/year", 300, 80, "Maintenance management system"),
         ("Embodied carbon of concrete", "kg CO2e/m³", 320, 210, "EPD certificates")],
    ),
    "e-government": (
        [("One-stop digital permits", ["72212000"], "Every permit applied for online, with eID login and case tracking."),
         ("Citizen issue reporting app", ["48000000"], "Residents report potholes and broken lights; Open311 routes them to the right team."),
         ("E-invoicing hub for city suppliers", ["48440000"], "EN 16931 invoices received over Peppol straight into the finance system."),
         ("Digital twin of the city", ["71354100"], "A CityGML 3D model for planning and citizen participation."),
         ("Public procurement analytics", ["72316000"], "Spending and tender data analysed and published in OCDS.")],
        ["CPSV-AP", "OPEN311-GEOREPORT", "EN-16931", "PEPPOL-BIS-BILLING-3", "OCDS", "OGC-CITYGML",
         "W3C-WCAG-2.1", "EN-301-549", "EU-2024-903-IEA"],
        [("Average permit processing time", "days", 45, 15, "Case management system"),
         ("Reports resolved within 5 days", "%", 40, 85, "Open311 service request data"),
         ("Invoices processed without manual work", "%", 10, 80, "Accounts payable statistics")],
    ),
    "open-data": (
        [("Open data portal as a service", ["72322000"], "A DCAT-AP data portal harvested by data.europa.eu."),
         ("Urban data platform", ["72300000", "48000000"], "NGSI-LD context broker and data platform for city data."),
         ("High-value datasets publishing kit", ["72300000"], "APIs and metadata for the datasets the HVD regulation lists."),
         ("Air quality sensor network", ["38344000"], "Sensors measure NO2 and particulate matter street by street, published as open data.")],
        ["DCAT-AP", "W3C-DCAT", "EU-2023-138-HVD", "OASC-MIM1", "OASC-MIM2", "FIWARE-NGSIv2",
         "OGC-SENSORTHINGS", "INSPIRE", "OGC-API-FEATURES"],
        [("Datasets published with DCAT-AP metadata", "datasets", 40, 400, "Portal harvest by data.europa.eu"),
         ("API calls by third parties", "calls/month", 5000, 200000, "API gateway logs"),
         ("Neighbourhoods with air quality data", "%", 20, 100, "Sensor network map")],
    ),
    "skills-employment": (
        [("Digital skills bootcamps", ["80530000"], "Twelve-week courses preparing job seekers for software and data jobs."),
         ("Job matching for green jobs", ["79600000"], "Job seekers matched with vacancies in renovation and renewable energy."),
         ("Apprenticeship marketplace", ["79600000", "48000000"], "Young people and employers find apprenticeships in one place.")],
        ["W3C-WCAG-2.1", "EN-301-549", "GDPR", "ISO-37120"],
        [("Participants placed in jobs within 6 months", "%", 30, 60, "Public employment service records"),
         ("People trained", "people/year", 0, 1200, "Course completion certificates")],
    ),
    "healthcare-safety": (
        [("Remote monitoring for elderly care", ["33195000"], "Older people measure blood pressure and weight at home; nurses follow up."),
         ("Heat-wave early warning", ["90700000"], "Forecasts and alerts to vulnerable residents before heat waves."),
         ("Public space video analytics with privacy by design", ["32323500"], "Cameras count people in public spaces without storing images."),
         ("Fall detection sensors", ["33195000"], "Radar sensors detect falls at home and alert carers.")],
        ["GDPR", "ISO-IEC-27001", "OASC-MIM4", "SMART-DATA-MODELS", "ISO-37123"],
        [("Emergency hospital admissions of monitored clients", "per 1,000 clients/year", 180, 120, "Health records, anonymised"),
         ("Response time after a fall alert", "minutes", 35, 10, "Alarm centre logs")],
    ),
    "re-skilling": (
        [("Re-skilling for building retrofit trades", ["80530000"], "Construction workers trained in insulation, heat pumps and solar."),
         ("AI literacy for civil servants", ["80500000"], "Courses on using and procuring AI responsibly in public services."),
         ("E-learning for care workers", ["80420000"], "Online courses for home care and nursing staff.")],
        ["W3C-WCAG-2.1", "EN-301-549", "ISO-37101"],
        [("Workers certified in new skills", "workers/year", 0, 500, "Certificates issued"),
         ("Course completion rate", "%", 45, 75, "Learning platform statistics")],
    ),
    "crisis-management": (
        [("Flood early warning system", ["38300000", "90700000"], "Water-level sensors and forecasts warn residents before flash floods."),
         ("Emergency communication platform", ["32500000"], "Alerts reach every phone in a danger zone by cell broadcast."),
         ("Resilience digital twin", ["71354100"], "A city model to test flood and heat adaptation measures.")],
        ["ISO-37123", "OGC-SENSORTHINGS", "INSPIRE", "OASC-MIM1", "ISO-IEC-27001"],
        [("Warning lead time before flooding", "hours", 2, 12, "Post-event review"),
         ("Residents reached by alerts", "%", 35, 90, "Delivery reports")],
    ),
}  # fmt: skip

# What each demo SME (in `marketplace.accounts.demo.SMES` order) is good at; together all ten themes.
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
            solutions, codes, outcomes = CATALOGUE[theme]
            base, cpvs, what = solutions[n % len(solutions)]
            second = home_themes[(n + 1) % 2] if rng.random() < 0.3 else None
            model = MODELS[n % 4]
            low = rng.choice([5000, 12000, 25000, 40000, 90000])
            created = now - timedelta(days=rng.randint(5, 400))
            status = "draft" if n % 10 == 9 else "archived" if n % 17 == 16 else "published"
            name = base + SUFFIXES[(n // len(solutions)) % len(SUFFIXES)]
            chosen_outcomes = rng.sample(outcomes, k=min(len(outcomes), rng.randint(1, 3)))
            listing = Listing(
                organisation_id=sme.id,
                status=status,
                title=name,
                summary=f"{name} by {sme.name}: proven in European cities, ready to deploy "
                f"within months.",
                description=(
                    f"## What it does\n\n{what}\n\n"
                    f"- Deployed and supported by **{sme.name}**\n- Open interfaces, no lock-in\n"
                    f"- Data stays in the EU\n\nSee [our website](https://example.eu/{sme_index})."
                ),
                themes=[theme] + ([second] if second and second != theme else []),
                cpv_codes=[canonical_cpv(c) for c in cpvs],
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
                        c for c in dict.fromkeys([
                            *(["OCPP"] if "charg" in base.lower() else []),  # chargers speak it
                            *rng.sample(codes, k=min(len(codes), rng.randint(1, 3))),
                        ])
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
    # Written directly, not through the services: publish what they would have.
    for listing in made:
        event = LISTING_PUBLISHED if listing.status == "published" else LISTING_CREATED
        await publish(
            session, event, listing.id, now, data={"organisation_id": listing.organisation_id}
        )
