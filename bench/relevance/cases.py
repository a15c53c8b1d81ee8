"""The judged relevance set: kinds of solution a city buys, the tender a city wrote for each,
the listings SMEs wrote, funding calls and what funders look for, with graded judgments.

Written by the team for this set (no record is generated). Each kind has one tender and four
listings in different words; a listing answers its own kind's tender (grade 2) and, where a
person would say "partly", a neighbouring kind's (grade 1, `partly`). Listing codes fit their
titles. Tenders are of four cases, named by what makes matching them hard:

- `agree`: the tender's CPV code is the one the listings use;
- `disagree`: the tender is classified under another specific code than the listings';
- `generic`: the tender carries only a generic code (IT services, software, transport);
- `words`: the tender says the same thing in other words (luminaires / street lights,
  bicycle / bike, unmanned aerial vehicles / drones).

Descriptions of the bus-charging, lighting and cycling kinds borrow the wording of real
joint-procurement notices (see ../shared/data/ted/), shortened.
"""

from __future__ import annotations

from dataclasses import dataclass

AGREE, DISAGREE, GENERIC, WORDS = "agree", "disagree", "generic", "words"
CASES = (AGREE, DISAGREE, GENERIC, WORDS)


@dataclass(frozen=True)
class TenderCase:
    title: str
    description: str
    cpv: tuple[str, ...]
    case: str
    lots: tuple[tuple[str, str], ...] = ()
    outcome: str = ""  # metric the city wants moved


@dataclass(frozen=True)
class ListingCase:
    title: str
    summary: str
    description: str
    cpv: tuple[str, ...]
    outcome: str = ""
    partly: tuple[str, ...] = ()  # other kinds whose tender this listing partly answers


@dataclass(frozen=True)
class Kind:
    key: str
    theme: str
    tender: TenderCase
    listings: tuple[ListingCase, ...]


def L(title: str, summary: str, description: str, *cpv: str, outcome: str = "",
      partly: tuple[str, ...] = ()) -> ListingCase:  # fmt: skip
    return ListingCase(title, summary, description, tuple(cpv), outcome, partly)


KINDS: tuple[Kind, ...] = (
    Kind(
        "ebus-charging",
        "mobility",
        TenderCase(
            "Charging points for electric buses at two depots",
            "Supply, installation and maintenance of overnight charging for 60 electric buses at the"
            " Kivenlahti and Suomenoja depots, with a charge management system that keeps the"
            " depots within their grid connection.",
            ("72000000-5",),
            GENERIC,
            (
                ("Depot chargers", "Plug-in chargers of 150 kW for overnight charging"),
                ("Charge management", "Software scheduling charging sessions per bus"),
            ),
            "Buses fully charged at pull-out",
        ),
        (
            L(
                "Depot charging for electric buses",
                "150 kW plug-in chargers for bus depots, installed and maintained.",
                "We equip bus depots with high-power chargers and dispensers so that every electric"
                " bus leaves fully charged in the morning. Installation, grid works and five-year"
                " maintenance.",
                "31158000-8",
                outcome="Buses fully charged at pull-out",
            ),
            L(
                "Pantograph charging masts for e-buses",
                "Opportunity and depot charging through roof pantographs.",
                "Inverted pantograph masts let electric buses charge in minutes at terminals and"
                " depots, OCPP-compliant, with remote monitoring.",
                "31158000-8",
            ),
            L(
                "Smart charge management for bus fleets",
                "Schedules charging of electric buses against timetables and grid limits.",
                "Our charge management platform plans every charging session of an electric bus"
                " fleet so that depot peak load stays under the grid connection and energy is bought"
                " when it is cheapest.",
                "48000000-8",
                outcome="Peak load at depot",
            ),
            L(
                "Grid connection and battery buffer for e-bus depots",
                "Transformer, switchgear and a stationary battery for depot charging.",
                "Depots electrifying their fleet rarely have the grid capacity; we design and build"
                " the connection and add a battery buffer that shaves the charging peak.",
                "31400000-0",
                partly=("solar-rooftops",),
            ),
        ),
    ),
    Kind(
        "street-lighting",
        "renewable-energies",
        TenderCase(
            "Replacement of luminaires on municipal roads",
            "Joint purchase of LED luminaires with dimming and a central management system for"
            " 14,000 luminaires on municipal roads, replacing sodium lamps.",
            ("31527260-6",),
            WORDS,
            (),
            "Electricity used for public lighting",
        ),
        (
            L(
                "Adaptive LED street lights",
                "Street lights that dim when nobody is around.",
                "Cuts the energy use of street lighting by half: LED lanterns with motion sensors"
                " and a dimming schedule, retrofitted on existing poles.",
                "34993000-4",
                outcome="Electricity used for public lighting",
            ),
            L(
                "Street light retrofit and maintenance",
                "We replace old street lamps by LED heads and maintain them for ten years.",
                "A turnkey retrofit of public lighting: survey of every pole, new LED heads, disposal"
                " of the old lamps and a maintenance contract with guaranteed savings.",
                "50232100-1",
            ),
            L(
                "Lighting control nodes for public lighting",
                "Wireless nodes that switch and dim every street light remotely.",
                "Each lamp post gets a control node; the central software dims by schedule, reports"
                " failures and measures the consumption of each light.",
                "31500000-1",
            ),
            L(
                "Solar-powered path lighting",
                "Off-grid LED lights for parks and cycle paths.",
                "Autonomous street lights with a solar panel and battery for paths where trenching"
                " cables costs too much.",
                "34993000-4",
                partly=("bike-sharing",),
            ),
        ),
    ),
    Kind(
        "bike-sharing",
        "mobility",
        TenderCase(
            "Public bicycle rental scheme",
            "Concession for a public bicycle rental system with 1,200 bicycles, half of them"
            " pedal-assisted, and 120 stations, including redistribution and repairs.",
            ("34430000-0",),
            WORDS,
            (),
            "Trips made by rental bicycles",
        ),
        (
            L(
                "Bike share with docking stations",
                "Docked city bikes and e-bikes, run for you.",
                "We supply and operate a bike share: stations, bikes and e-bikes, an app, rebalancing"
                " vans and a workshop. Cities pay per bike per year.",
                "60000000-8",
                outcome="Trips made by rental bicycles",
            ),
            L(
                "Dockless e-bike fleet",
                "Shared electric bikes parked in virtual zones.",
                "A dockless e-bike sharing service with geofenced parking zones, swappable batteries"
                " and a fleet that is maintained every night.",
                "34430000-0",
            ),
            L(
                "Bike share software for cities",
                "Booking, payment and fleet software for a city-run bike share.",
                "White-label app and back office for bike-sharing schemes that cities operate"
                " themselves: unlock by phone, pricing, fleet status and open data (GBFS).",
                "48000000-8",
            ),
            L(
                "Secure bike parking hubs",
                "Covered, lockable parking for bikes at stations.",
                "Modular bike parking hubs with access by card or app, for commuters who ride to the"
                " train.",
                "34928400-2",
                partly=("demand-responsive",),
            ),
        ),
    ),
    Kind(
        "parking-sensors",
        "mobility",
        TenderCase(
            "Smart parking: occupancy sensors and guidance",
            "In-ground occupancy sensors on 3,000 on-street parking spaces, guidance to free"
            " spaces in an app and on signs, and data for enforcement.",
            ("35125100-7",),
            AGREE,
            (),
            "Time spent searching for parking",
        ),
        (
            L(
                "In-ground parking occupancy sensors",
                "Magnetic sensors that tell whether a parking space is free.",
                "Battery-powered sensors glued into each parking bay report occupancy over LoRaWAN;"
                " ten-year battery life.",
                "35125100-7",
                outcome="Time spent searching for parking",
            ),
            L(
                "Parking guidance app and signs",
                "Drivers are guided to free parking spaces.",
                "Live occupancy on dynamic signs and in a mobile app, so drivers stop circling the"
                " block looking for a space.",
                "48000000-8",
            ),
            L(
                "Camera-based kerbside monitoring",
                "Cameras measure occupancy of loading zones and parking.",
                "Privacy-preserving cameras count vehicles in parking and loading zones and report"
                " occupancy and overstays, no images stored.",
                "32323500-8",
            ),
            L(
                "Mobile parking payment",
                "Pay for street parking by phone.",
                "Drivers start and stop parking sessions in an app; wardens see valid sessions on"
                " their handhelds.",
                "38730000-1",
            ),
        ),
    ),
    Kind(
        "waste-sensors",
        "clean-industry",
        TenderCase(
            "Fill-level monitoring of public waste containers",
            "Sensors measuring the fill level of 2,500 glass, paper and residual waste containers"
            " and software planning collection routes by fill level.",
            ("90511000-2",),
            DISAGREE,
            (),
            "Collection trips per tonne",
        ),
        (
            L(
                "Fill-level sensors for waste bins",
                "Ultrasonic sensors report how full each container is.",
                "Our sensors fit any waste container and report the fill level every hour, so"
                " trucks only empty bins that are full.",
                "34928480-6",
                outcome="Collection trips per tonne",
            ),
            L(
                "Route optimisation for refuse collection",
                "Collection routes planned from fill levels, every morning.",
                "Software that plans the rounds of refuse trucks from container fill levels, traffic"
                " and depot constraints; drivers follow it on a tablet.",
                "48000000-8",
            ),
            L(
                "Underground waste containers",
                "Large underground containers with a sensor in each.",
                "Semi-underground containers hold five times more than a wheelie bin; each comes"
                " with a fill-level sensor and access control.",
                "34928480-6",
            ),
            L(
                "Pay-as-you-throw for households",
                "Households pay by the weight of residual waste they put out.",
                "Identification chips on bins and weighing on the truck make waste charges fair and"
                " cut residual waste.",
                "48000000-8",
            ),
        ),
    ),
    Kind(
        "water-leaks",
        "clean-industry",
        TenderCase(
            "Reducing non-revenue water: leak detection in the distribution network",
            "Detection and location of leaks in 900 km of drinking-water mains, district metered"
            " areas and pressure management, paid by the volume of water saved.",
            ("65100000-4",),
            DISAGREE,
            (),
            "Non-revenue water",
        ),
        (
            L(
                "Acoustic leak detection for water mains",
                "Noise loggers find leaks in buried pipes.",
                "Acoustic loggers on valves listen to the network every night and pinpoint leaks in"
                " water mains to within a metre.",
                "71631430-3",
                outcome="Non-revenue water",
            ),
            L(
                "Smart water meters",
                "Meters reading consumption every hour over a radio network.",
                "Ultrasonic water meters with hourly readings show night flows and leaks behind the"
                " meter at customers' premises.",
                "38421100-3",
            ),
            L(
                "Pressure management for drinking water networks",
                "Valves that lower pressure at night to cut bursts and leakage.",
                "Pressure-reducing valves controlled by demand reduce leakage and pipe bursts in the"
                " distribution network.",
                "42131000-6",
            ),
            L(
                "District metered area analytics",
                "Water balance per area, losses found from the data.",
                "Our analytics split the distribution network into district metered areas and show"
                " where water is lost, ranked by volume.",
                "48000000-8",
            ),
        ),
    ),
    Kind(
        "air-quality",
        "healthcare-safety",
        TenderCase(
            "Air quality sensor network near schools",
            "A network of 150 air quality sensors measuring NO2 and particulate matter near"
            " schools and busy roads, calibrated against the reference stations, with open data.",
            ("38344000-8",),
            AGREE,
            (),
            "NO2 concentration near schools",
        ),
        (
            L(
                "Low-cost air quality sensors",
                "NO2 and PM2.5 sensors calibrated against reference stations.",
                "Solar-powered air quality sensors for lamp posts; measurements of nitrogen dioxide"
                " and particulate matter, calibrated in the field and published as open data.",
                "38344000-8",
                outcome="NO2 concentration near schools",
            ),
            L(
                "Environmental sensor network: air and noise",
                "One sensor box measures air pollution and noise.",
                "Multi-sensor boxes measure particulate matter, nitrogen dioxide and noise levels"
                " and feed one city dashboard.",
                "38344000-8",
                partly=("noise",),
            ),
            L(
                "Air quality forecasting service",
                "Pollution forecasts three days ahead, street by street.",
                "A forecasting service combining traffic, weather and sensor data predicts air"
                " pollution episodes so cities can act before they happen.",
                "90731000-0",
            ),
            L(
                "Clean air app for citizens",
                "Tells parents the cleanest route to school.",
                "A citizen app showing live air quality and suggesting low-pollution walking and"
                " cycling routes.",
                "48000000-8",
            ),
        ),
    ),
    Kind(
        "noise",
        "healthcare-safety",
        TenderCase(
            "Noise monitoring in the nightlife district",
            "Permanent noise monitoring at 30 locations in the nightlife district, with alerts"
            " to enforcement officers and public noise maps.",
            ("38434300-9",),
            AGREE,
            (),
            "Night-time noise complaints",
        ),
        (
            L(
                "Class 1 noise monitoring terminals",
                "Permanent sound level meters with alerts.",
                "Outdoor noise monitoring terminals measure sound levels continuously and alert"
                " officers when limits are exceeded.",
                "38434300-9",
                outcome="Night-time noise complaints",
            ),
            L(
                "Strategic noise mapping",
                "Noise maps and action plans under the Environmental Noise Directive.",
                "We model road, rail and industrial noise and publish the strategic noise maps the"
                " directive requires.",
                "90742000-0",
            ),
            L(
                "Noise cameras for loud vehicles",
                "Acoustic cameras identify vehicles that are too loud.",
                "A microphone array with a camera detects and identifies excessively loud cars and"
                " motorbikes.",
                "38434300-9",
            ),
            L(
                "Noise sensor kit for neighbourhoods",
                "Low-cost noise sensors residents can host.",
                "Small noise sensors on balconies give neighbourhoods data on night-time noise.",
                "38434300-9",
                partly=("air-quality",),
            ),
        ),
    ),
    Kind(
        "traffic-signals",
        "mobility",
        TenderCase(
            "Adaptive traffic signal control and bus priority",
            "Adaptive control of traffic signals at 40 junctions with priority for buses and"
            " trams and a green wave for cyclists.",
            ("34923000-3",),
            AGREE,
            (),
            "Bus delay at junctions",
        ),
        (
            L(
                "Adaptive traffic signal control",
                "Signals that adapt their timings to traffic every cycle.",
                "Detectors and an adaptive controller adjust green times at each junction in real"
                " time; fewer stops, shorter queues.",
                "34923000-3",
                outcome="Bus delay at junctions",
            ),
            L(
                "Bus priority at traffic lights",
                "Buses running late get a green light.",
                "Vehicles request priority from the traffic signals over C-ITS; late buses and trams"
                " get an early or extended green.",
                "34923000-3",
            ),
            L(
                "Traffic counting with video analytics",
                "Counts and classifies vehicles, bikes and pedestrians.",
                "Existing cameras count and classify road users at junctions, data feeds signal"
                " planning.",
                "32323500-8",
            ),
            L(
                "Cyclist green wave",
                "Cyclists detected ahead of the junction get green.",
                "Radar detects cyclists approaching and the controller gives them a green wave along"
                " main cycle routes.",
                "34923000-3",
                partly=("bike-sharing",),
            ),
        ),
    ),
    Kind(
        "solar-rooftops",
        "renewable-energies",
        TenderCase(
            "Photovoltaic installations on school roofs",
            "Design, supply and installation of photovoltaic systems on the roofs of 25 schools,"
            " with monitoring of production and self-consumption.",
            ("09331200-0",),
            AGREE,
            (),
            "Electricity produced on site",
        ),
        (
            L(
                "Rooftop solar for public buildings",
                "Solar panels on schools, halls and offices, designed and installed.",
                "Turnkey rooftop solar PV: structural survey, design, installation, grid connection"
                " and monitoring of what each roof produces.",
                "09332000-5",
                outcome="Electricity produced on site",
            ),
            L(
                "Solar power purchase agreement",
                "We finance, build and own the panels; you buy the electricity.",
                "A solar PPA: no upfront cost, the city buys the electricity produced on its roofs"
                " at a fixed price for 20 years.",
                "09310000-5",
            ),
            L(
                "Solar and battery storage",
                "Batteries that store midday solar for the evening.",
                "Battery storage paired with rooftop photovoltaics raises self-consumption in public"
                " buildings.",
                "31400000-0",
                partly=("ebus-charging",),
            ),
            L(
                "Solar potential map",
                "Which roofs of the city are worth covering with panels.",
                "A solar cadastre computed from LiDAR shows the photovoltaic potential of every"
                " roof.",
                "71354100-5",
            ),
        ),
    ),
    Kind(
        "heat-pumps",
        "renewable-energies",
        TenderCase(
            "Replacement of gas boilers in municipal buildings",
            "Replacing the gas boilers of 40 municipal buildings with low-carbon heating,"
            " including design, installation and five years of maintenance.",
            ("45331100-7",),
            WORDS,
            (),
            "Gas consumed for heating",
        ),
        (
            L(
                "Air-source heat pumps for public buildings",
                "Heat pumps replacing fossil heating in schools and offices.",
                "We size, install and maintain air-to-water heat pumps that replace oil and gas"
                " heating in public buildings.",
                "42511110-5",
                outcome="Gas consumed for heating",
            ),
            L(
                "Large heat pumps for district heating",
                "Heat pumps using waste water or sea water as the source.",
                "Megawatt-scale heat pumps decarbonise district heating networks, using sewage or"
                " sea water as the heat source.",
                "42511110-5",
            ),
            L(
                "Ground-source heating for schools",
                "Boreholes and heat pumps for heating and cooling.",
                "Geothermal boreholes with ground-source heat pumps heat schools in winter and cool"
                " them in summer.",
                "42511110-5",
            ),
            L(
                "Heating controls for municipal buildings",
                "Smart thermostats and weather-compensated heating.",
                "Room-by-room heating control saves energy whatever the heat source.",
                "38000000-5",
                partly=("building-energy",),
            ),
        ),
    ),
    Kind(
        "building-energy",
        "renewable-energies",
        TenderCase(
            "Energy monitoring of 200 municipal buildings",
            "A service measuring electricity, heat and water use of 200 municipal buildings,"
            " detecting waste and reporting savings.",
            ("72000000-5",),
            GENERIC,
            (),
            "Energy use of municipal buildings",
        ),
        (
            L(
                "Building energy management system",
                "Meters, dashboards and alarms for every building you own.",
                "Our energy management software collects meter data from public buildings, flags"
                " abnormal consumption and tracks savings.",
                "48000000-8",
                outcome="Energy use of municipal buildings",
            ),
            L(
                "Energy audits of public buildings",
                "Audits that find the cheapest energy savings first.",
                "Certified auditors inspect buildings and rank energy-saving measures by payback.",
                "71314300-5",
                partly=("retrofit",),
            ),
            L(
                "Energy performance contracting",
                "Savings guaranteed by contract, paid from the savings.",
                "As an energy service company we fund and carry out energy-saving works in public"
                " buildings and guarantee the savings.",
                "71314300-5",
                partly=("retrofit",),
            ),
            L(
                "Submetering for municipal buildings",
                "Electricity and heat meters read every 15 minutes.",
                "Submeters and gateways show where energy goes in schools, pools and offices.",
                "38550000-5",
            ),
        ),
    ),
    Kind(
        "retrofit",
        "renewable-energies",
        TenderCase(
            "Deep renovation of primary schools",
            "Thermal insulation of facades and roofs, new windows and ventilation with heat"
            " recovery in 12 primary schools.",
            ("45321000-3",),
            AGREE,
            (),
            "Heating demand per m²",
        ),
        (
            L(
                "Facade insulation for public buildings",
                "External wall insulation that halves heat loss.",
                "External thermal insulation of facades, with render or ventilated cladding, for"
                " schools and housing.",
                "45321000-3",
                outcome="Heating demand per m²",
            ),
            L(
                "Prefabricated deep retrofit",
                "Factory-made facade and roof elements fitted in weeks.",
                "Prefabricated insulated facade modules with windows and ventilation ducts renovate"
                " a building while it stays in use.",
                "45321000-3",
            ),
            L(
                "Energy-efficient windows",
                "Triple-glazed windows installed in occupied buildings.",
                "Replacement of old windows by triple-glazed timber-aluminium windows.",
                "44221000-5",
            ),
            L(
                "Ventilation with heat recovery for schools",
                "Fresh air in classrooms without losing the heat.",
                "Mechanical ventilation with heat recovery for classrooms improves air and saves"
                " heating energy.",
                "42520000-7",
            ),
        ),
    ),
    Kind(
        "open-data-portal",
        "open-data",
        TenderCase(
            "Open data portal with DCAT-AP harvesting",
            "A portal publishing the city's datasets with DCAT-AP metadata, harvested by the"
            " national and European data portals, with APIs for high-value datasets.",
            ("72322000-8",),
            AGREE,
            (),
            "Datasets published",
        ),
        (
            L(
                "Open data portal for cities",
                "Publish datasets with DCAT-AP metadata, harvested by the EU portal.",
                "A hosted open data portal: catalogue with DCAT-AP metadata, previews, APIs and"
                " harvesting by data.europa.eu.",
                "72322000-8",
                outcome="Datasets published",
            ),
            L(
                "Open data publishing toolkit",
                "Turn spreadsheets into published open datasets.",
                "Tools that clean, document and publish datasets with licences and metadata.",
                "72300000-8",
            ),
            L(
                "API management for high-value datasets",
                "APIs for the datasets the HVD regulation lists.",
                "We expose high-value datasets through documented, rate-limited APIs.",
                "72000000-5",
            ),
            L(
                "Data catalogue for city departments",
                "Find, describe and share data inside the administration.",
                "An internal data catalogue that later feeds the open data portal.",
                "48600000-4",
                partly=("digital-twin",),
            ),
        ),
    ),
    Kind(
        "digital-twin",
        "e-government",
        TenderCase(
            "Digital twin for urban planning",
            "A 3D city model with CityGML data, simulation of planning scenarios (shadow, wind,"
            " noise) and a viewer for citizens' participation.",
            ("48000000-8",),
            GENERIC,
            (),
            "Planning decisions with public input",
        ),
        (
            L(
                "3D city model and digital twin",
                "CityGML city model with a browser viewer.",
                "We build the 3D model of your city from LiDAR and cadastre data and keep it"
                " current; planners test scenarios in the browser.",
                "71354100-5",
                outcome="Planning decisions with public input",
            ),
            L(
                "Urban planning simulation",
                "Shadow, wind and noise studies for new buildings.",
                "Simulations of sunlight, wind comfort and noise for planning proposals on a 3D"
                " city model.",
                "71410000-5",
            ),
            L(
                "Participation platform with 3D maps",
                "Residents comment on plans in a 3D view.",
                "An online participation tool showing planned buildings in 3D, collecting comments"
                " on the spot.",
                "72212000-4",
                partly=("e-services",),
            ),
            L(
                "Geospatial data infrastructure",
                "INSPIRE-compliant map services for the city.",
                "OGC services and a geoportal for the city's spatial data.",
                "72319000-4",
                partly=("open-data-portal",),
            ),
        ),
    ),
    Kind(
        "e-services",
        "e-government",
        TenderCase(
            "Online permits and citizen requests",
            "Digitising 60 municipal procedures (permits, registrations, requests) as online"
            " forms with electronic identification, case handling and status tracking.",
            ("72212000-4",),
            DISAGREE,
            (),
            "Procedures available online",
        ),
        (
            L(
                "Citizen service portal",
                "Every municipal procedure online, with eID login.",
                "A portal where residents apply for permits and services, sign in with eIDAS"
                " electronic identification and follow their case.",
                "72413000-8",
                outcome="Procedures available online",
            ),
            L(
                "Low-code forms for municipal procedures",
                "Staff build online forms and workflows without programmers.",
                "A form and workflow builder for public services with case management and"
                " notifications.",
                "48000000-8",
            ),
            L(
                "Chatbot for citizen questions",
                "Answers residents' questions day and night.",
                "A multilingual assistant answers questions about municipal services and hands"
                " over to staff.",
                "48000000-8",
            ),
            L(
                "Electronic identification gateway",
                "eIDAS login for public services.",
                "One gateway connecting city services to national eID schemes.",
                "72000000-5",
            ),
        ),
    ),
    Kind(
        "e-invoicing",
        "e-government",
        TenderCase(
            "Electronic invoicing with Peppol",
            "Receiving and processing suppliers' electronic invoices in EN 16931 format through"
            " the Peppol network, integrated with the financial system.",
            ("48440000-4",),
            AGREE,
            (),
            "Invoices received electronically",
        ),
        (
            L(
                "Peppol access point for public buyers",
                "Receive e-invoices from any supplier over Peppol.",
                "A certified Peppol access point delivering EN 16931 invoices into your finance"
                " system.",
                "48440000-4",
                outcome="Invoices received electronically",
            ),
            L(
                "Invoice automation",
                "E-invoices matched with orders and approved automatically.",
                "Software that validates, matches and routes electronic invoices for approval.",
                "48440000-4",
            ),
            L(
                "Supplier portal for e-invoicing",
                "Small suppliers type their invoices online.",
                "A free web portal lets small suppliers send compliant e-invoices without software.",
                "72000000-5",
            ),
            L(
                "E-procurement suite",
                "From tender notice to contract and invoice.",
                "Tendering, contract management and invoicing in one suite, eForms ready.",
                "48000000-8",
            ),
        ),
    ),
    Kind(
        "digital-skills",
        "skills-employment",
        TenderCase(
            "Reskilling unemployed adults for digital jobs",
            "Training programmes preparing 400 unemployed adults for jobs in software, data and"
            " IT support, with job placement.",
            ("80530000-8",),
            AGREE,
            (),
            "Participants in work after six months",
        ),
        (
            L(
                "Digital skills bootcamps for job seekers",
                "Twelve-week courses from zero to junior developer.",
                "Intensive training in web development and data for unemployed adults, with"
                " mentoring and placement in local companies.",
                "80530000-8",
                outcome="Participants in work after six months",
            ),
            L(
                "IT support technician training",
                "Vocational training for help-desk and network jobs.",
                "Courses leading to IT support certifications, with internships.",
                "80530000-8",
            ),
            L(
                "E-learning platform for municipal staff",
                "Online courses on digital skills for civil servants.",
                "A learning platform with courses for public employees.",
                "80420000-4",
            ),
            L(
                "Skills matching platform",
                "Matches job seekers' skills with vacancies.",
                "Job seekers and employers meet on a platform that maps skills to vacancies and"
                " suggests training.",
                "79600000-0",
            ),
        ),
    ),
    Kind(
        "telecare",
        "healthcare-safety",
        TenderCase(
            "Independent living at home for older residents",
            "Services helping 2,000 older residents live safely at home: alarms they can wear,"
            " detection of falls and inactivity, a 24-hour response centre.",
            ("85000000-9",),
            GENERIC,
            (),
            "Older residents living at home",
        ),
        (
            L(
                "Telecare alarms for older people",
                "Wearable alarm buttons answered by a 24/7 response centre.",
                "Personal alarms and home units connect older people to our response centre day"
                " and night.",
                "85312000-9",
                outcome="Older residents living at home",
            ),
            L(
                "Fall detection sensors",
                "Radar sensors detect falls without cameras.",
                "Unobtrusive sensors detect falls and long inactivity at home and alert carers.",
                "33195000-3",
            ),
            L(
                "Remote patient monitoring",
                "Blood pressure, weight and oxygen measured at home.",
                "Patients with chronic conditions measure themselves at home; nurses follow up"
                " online.",
                "33195000-3",
            ),
            L(
                "Home care scheduling software",
                "Plans the visits of home carers.",
                "Scheduling and route planning for home care teams, with a mobile app for carers.",
                "48000000-8",
            ),
        ),
    ),
    Kind(
        "flood-warning",
        "crisis-management",
        TenderCase(
            "Early warning for flash floods",
            "Water-level sensors on streams and sewers, a forecasting model and warnings to"
            " residents before flash floods.",
            ("45246400-7",),
            DISAGREE,
            (),
            "Warning time before flooding",
        ),
        (
            L(
                "River and sewer level sensors",
                "Radar level sensors report water levels every minute.",
                "Radar sensors on bridges and in manholes measure water levels and raise alarms at"
                " thresholds.",
                "38300000-8",
                outcome="Warning time before flooding",
            ),
            L(
                "Flood forecasting service",
                "Forecasts of flash floods hours ahead.",
                "A hydrological model fed with rainfall radar and sensors forecasts flash floods"
                " street by street.",
                "90700000-4",
            ),
            L(
                "Public warning by cell broadcast",
                "Warnings reach every phone in the area.",
                "Location-based warnings to every mobile phone in a danger zone.",
                "32500000-8",
            ),
            L(
                "Emergency drones for flood response",
                "Drones map flooded areas within minutes.",
                "Drones with thermal cameras map flooded streets and find people in need.",
                "35613000-4",
                partly=("drones",),
            ),
        ),
    ),
    Kind(
        "drones",
        "crisis-management",
        TenderCase(
            "Unmanned aerial vehicles for emergency services",
            "Remotely piloted aircraft with thermal cameras for the fire and rescue service,"
            " with training of pilots and beyond-visual-line-of-sight operations.",
            ("35613000-4",),
            WORDS,
            (),
            "Time to locate missing persons",
        ),
        (
            L(
                "Drones for fire and rescue",
                "Thermal-camera drones ready in two minutes.",
                "Rugged drones with thermal and zoom cameras for firefighters, with pilot"
                " training.",
                "35613000-4",
                outcome="Time to locate missing persons",
            ),
            L(
                "Drone-in-a-box",
                "Drones that launch themselves from a docking station.",
                "Docked drones fly automatically to an incident and stream video to the control"
                " room.",
                "35613000-4",
            ),
            L(
                "Drone inspection of bridges and roofs",
                "Inspections without scaffolding.",
                "Drone surveys of bridges, roofs and facades with defect reports.",
                "71631000-0",
            ),
            L(
                "Drone pilot training",
                "Certified training for public-sector drone pilots.",
                "Courses for the EU drone categories, for police, fire and municipal staff.",
                "80500000-9",
            ),
        ),
    ),
    Kind(
        "ticketing",
        "mobility",
        TenderCase(
            "Contactless fare payment on buses and trams",
            "Open-loop payment with bank cards and phones on all buses and trams, with fare"
            " capping and an account for passengers.",
            ("72000000-5",),
            GENERIC,
            (),
            "Share of fares paid contactless",
        ),
        (
            L(
                "Account-based ticketing",
                "Tap a bank card on the bus; the best fare is applied.",
                "Validators and a back office for contactless EMV payment with daily and weekly"
                " fare capping.",
                "30123100-8",
                outcome="Share of fares paid contactless",
            ),
            L(
                "Mobile ticketing app",
                "Tickets bought and shown on the phone.",
                "A white-label app for public transport tickets, with QR validation.",
                "48000000-8",
            ),
            L(
                "Mobility-as-a-service app",
                "Public transport, bikes and taxis in one app and one payment.",
                "A MaaS app that plans and books trips across modes.",
                "72000000-5",
                partly=("passenger-info",),
            ),
            L(
                "Ticket validators",
                "Validators reading cards, phones and QR codes.",
                "Onboard validators for contactless cards, NFC phones and barcodes.",
                "30123100-8",
            ),
        ),
    ),
    Kind(
        "passenger-info",
        "mobility",
        TenderCase(
            "Real-time passenger information",
            "Real-time passenger information displays at 300 stops, audio announcements and"
            " open GTFS Realtime feeds.",
            ("48813000-0",),
            AGREE,
            (),
            "Passenger wait time",
        ),
        (
            L(
                "Real-time passenger information displays",
                "Stop displays and an open data feed for buses and trams.",
                "Passenger information at every stop, fed by open real-time data.",
                "48813000-0",
                outcome="Passenger wait time",
            ),
            L(
                "E-paper displays for bus stops",
                "Solar-powered e-paper timetables with live departures.",
                "Low-power e-paper displays show real-time departures where there is no power.",
                "48813000-0",
            ),
            L(
                "GTFS Realtime feeds from vehicle locations",
                "Vehicle positions turned into open real-time feeds.",
                "We publish GTFS Realtime and SIRI feeds from your buses' positions.",
                "72300000-8",
                partly=("open-data-portal",),
            ),
            L(
                "Audio announcements for visually impaired passengers",
                "Next-stop and departure announcements at stops and on board.",
                "Text-to-speech announcements at stops on request, accessible for blind people.",
                "48813000-0",
            ),
        ),
    ),
    Kind(
        "urban-greening",
        "healthcare-safety",
        TenderCase(
            "Cooling neighbourhoods with trees and green roofs",
            "Planting 3,000 trees in the hottest neighbourhoods, green roofs on public buildings"
            " and a heat map to choose where.",
            ("77310000-6",),
            AGREE,
            (),
            "Surface temperature in summer",
        ),
        (
            L(
                "Urban tree planting and care",
                "Trees planted where heat is worst, watered for three years.",
                "We plant and maintain street trees with soil cells and irrigation in the hottest"
                " streets.",
                "77310000-6",
                outcome="Surface temperature in summer",
            ),
            L(
                "Green roofs for public buildings",
                "Extensive green roofs that cool buildings and hold rainwater.",
                "Design and installation of green roofs on schools and offices.",
                "45261000-4",
            ),
            L(
                "Urban heat mapping",
                "Satellite heat maps show the hottest streets.",
                "Thermal satellite imagery maps surface temperature street by street.",
                "71354100-5",
                partly=("air-quality",),
            ),
            L(
                "Smart irrigation for parks",
                "Soil moisture sensors water only when needed.",
                "Soil moisture sensors and valves cut irrigation water in parks and street trees.",
                "77310000-6",
            ),
        ),
    ),
    Kind(
        "demand-responsive",
        "mobility",
        TenderCase(
            "On-demand buses for rural villages",
            "A demand-responsive transport service with minibuses booked by app or phone,"
            " connecting twelve villages to the train station.",
            ("60000000-8",),
            GENERIC,
            (),
            "Residents within reach of the station",
        ),
        (
            L(
                "On-demand minibus software",
                "Booking, routing and dispatch for on-demand buses.",
                "Riders book by app or phone; our software pools trips and routes minibuses in real"
                " time.",
                "48000000-8",
                outcome="Residents within reach of the station",
            ),
            L(
                "Demand-responsive transport operation",
                "We run the on-demand service with our drivers and vehicles.",
                "Operation of demand-responsive bus services in rural areas, drivers and minibuses"
                " included.",
                "60130000-8",
            ),
            L(
                "Accessible electric minibuses",
                "Low-floor electric minibuses with a wheelchair ramp.",
                "Eight-seat electric minibuses for on-demand and community transport.",
                "34114400-3",
            ),
            L(
                "Community car sharing",
                "Shared electric cars for villages.",
                "Electric car sharing run with the municipality for places with few buses.",
                "60000000-8",
                partly=("bike-sharing",),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class CallCase:
    key: str
    title: str
    summary: str
    themes: tuple[str, ...]
    instruments: tuple[str, ...]
    amount: int


CALLS: tuple[CallCase, ...] = (
    CallCase("ebus-depot", "Electric bus depot in Kivenlahti",
             "Overnight charging for 120 electric buses and a new depot.",
             ("mobility",), ("loan",), 25_000_000),
    CallCase("led-oldtown", "LED street lighting renewal in the old town",
             "Replacing 6,000 sodium street lights with dimmable LEDs.",
             ("renewable-energies",), ("loan", "blended"), 4_000_000),
    CallCase("school-renovation", "Deep renovation of twelve primary schools",
             "Insulation, windows and ventilation to near-zero energy standard.",
             ("renewable-energies",), ("grant", "loan"), 18_000_000),
    CallCase("solar-halls", "Rooftop solar on municipal sports halls",
             "Photovoltaics on 30 sports halls, owned by a citizens' energy cooperative.",
             ("renewable-energies",), ("equity", "loan"), 6_000_000),
    CallCase("water-losses", "Non-revenue water reduction programme",
             "Finding and fixing leaks that lose a third of the drinking water.",
             ("clean-industry",), ("loan",), 9_000_000),
    CallCase("harbour-waste", "Smart waste collection for the harbour district",
             "Sensors on containers and electric refuse trucks.",
             ("clean-industry",), ("grant", "blended"), 3_000_000),
    CallCase("school-air", "Air quality monitoring network near schools",
             "Sensors at 150 schools and traffic measures where pollution is worst.",
             ("healthcare-safety",), ("grant",), 1_200_000),
    CallCase("planning-twin", "Digital twin for urban planning",
             "A 3D model of the city for planning and participation.",
             ("e-government", "open-data"), ("grant",), 2_500_000),
    CallCase("regional-data", "Regional open data platform",
             "One data portal for nine municipalities, with high-value datasets.",
             ("open-data",), ("grant",), 1_500_000),
    CallCase("skills-academy", "Digital skills academy for job seekers",
             "Training 1,000 unemployed residents for digital jobs.",
             ("skills-employment", "re-skilling"), ("grant",), 5_000_000),
    CallCase("telecare", "Telecare for independent living",
             "Alarms, fall detection and a response centre for older residents.",
             ("healthcare-safety",), ("grant", "blended"), 4_500_000),
    CallCase("flash-floods", "Flash flood early warning system",
             "Sensors, forecasts and warnings for the valley's flash floods.",
             ("crisis-management",), ("grant",), 3_500_000),
    CallCase("cycle-network", "Cycle highways and bike sharing",
             "Forty kilometres of cycle highways and a public bike share.",
             ("mobility",), ("loan", "grant"), 30_000_000),
    CallCase("heat-network", "District heating with large heat pumps",
             "Replacing a coal plant with heat pumps drawing on sea water.",
             ("renewable-energies",), ("loan", "guarantee"), 80_000_000),
    CallCase("cool-streets", "Urban cooling: trees and green roofs",
             "Three thousand trees and green roofs against summer heat.",
             ("healthcare-safety",), ("grant",), 2_000_000),
    CallCase("rural-buses", "On-demand buses for rural villages",
             "Demand-responsive minibuses linking villages to the railway.",
             ("mobility",), ("grant", "blended"), 1_800_000),
)  # fmt: skip


@dataclass(frozen=True)
class FunderQuestion:
    """A funder's focus and the words it searches with, and the calls it should find."""

    name: str
    themes: tuple[str, ...]
    instruments: tuple[str, ...]
    words: str
    relevant: dict[str, int]  # call key → grade


FUNDERS: tuple[FunderQuestion, ...] = (
    FunderQuestion("Clean transport lender", ("mobility",), ("loan",),
                   "electric buses charging",
                   {"ebus-depot": 2, "rural-buses": 1}),
    FunderQuestion("Building efficiency fund", ("renewable-energies",), ("grant", "loan"),
                   "energy efficiency renovation schools",
                   {"school-renovation": 2, "led-oldtown": 1, "heat-network": 1}),
    FunderQuestion("Community energy investor", ("renewable-energies",), ("equity",),
                   "solar photovoltaic cooperative",
                   {"solar-halls": 2}),
    FunderQuestion("Water and circular economy facility", ("clean-industry",), ("loan",),
                   "water leaks waste",
                   {"water-losses": 2, "harbour-waste": 2}),
    FunderQuestion("Healthy ageing foundation", ("healthcare-safety",), ("grant",),
                   "older residents independent living",
                   {"telecare": 2}),
    FunderQuestion("Climate adaptation fund", ("crisis-management", "healthcare-safety"),
                   ("grant",), "floods heat adaptation",
                   {"flash-floods": 2, "cool-streets": 2}),
    FunderQuestion("Digital public services programme", ("e-government", "open-data"),
                   ("grant",), "data platform digital",
                   {"planning-twin": 2, "regional-data": 2}),
    FunderQuestion("Jobs and skills fund", ("skills-employment",), ("grant",),
                   "training unemployed digital jobs",
                   {"skills-academy": 2}),
    FunderQuestion("Active mobility grants", ("mobility",), ("grant",),
                   "cycling bike",
                   {"cycle-network": 2}),
    FunderQuestion("Heat transition bank", ("renewable-energies",), ("loan", "guarantee"),
                   "heat pumps district heating",
                   {"heat-network": 2, "school-renovation": 1}),
    FunderQuestion("Clean air initiative", ("healthcare-safety", "mobility"), ("grant",),
                   "air pollution",
                   {"school-air": 2, "ebus-depot": 1, "cycle-network": 1}),
    FunderQuestion("Rural development fund", ("mobility",), ("grant", "blended"),
                   "villages rural transport",
                   {"rural-buses": 2}),
    FunderQuestion("Street lighting savings facility", ("renewable-energies",), ("loan",),
                   "street lighting LED",
                   {"led-oldtown": 2}),
)  # fmt: skip


def tender_judgments(kind: Kind) -> dict[tuple[str, int], int]:
    """For a kind's tender: (kind, listing index) → grade (2 relevant, 1 partly)."""
    grades = {(kind.key, i): 2 for i in range(len(kind.listings))}
    for other in KINDS:
        for i, listing in enumerate(other.listings):
            if kind.key in listing.partly:
                grades.setdefault((other.key, i), 1)
    return grades


def listing_judgments(kind: Kind, listing: ListingCase) -> dict[str, int]:
    """For a listing: kind of tender → grade."""
    return {kind.key: 2, **{other: 1 for other in listing.partly if other != kind.key}}
