"""The words the generated corpus is made of.

Everything that is a code here is a real one (NUTS 2024, CPV 2008, catalogue standards,
ICC themes); `tests/bench` checks that against the packaged reference data, so the
benchmark searches and filters the same vocabularies production data uses. The per-theme
knowledge (solution names, seed CPV codes, standards, outcome metrics) is the demo
catalogue's, widened with every real CPV code of the same CPV groups so that the corpus
has the vocabulary spread of real procurement text rather than forty repeated titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marketplace.listings.demo import CATALOGUE
from marketplace.reference import vocabularies as vocab

# (city, country, NUTS 2024 level-3 region): cities of the kind that take part in the
# Intelligent Cities Challenge, with their diacritics.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("Espoo", "FI", "FI1B1"), ("Helsinki", "FI", "FI1B1"), ("Tampere", "FI", "FI19B"),
    ("Turku", "FI", "FI1C1"), ("Oulu", "FI", "FI1D9"), ("Madrid", "ES", "ES300"),
    ("Barcelona", "ES", "ES511"), ("Bilbao", "ES", "ES213"), ("Donostia", "ES", "ES212"),
    ("Vitoria-Gasteiz", "ES", "ES211"), ("Córdoba", "ES", "ES613"), ("Málaga", "ES", "ES617"),
    ("Sevilla", "ES", "ES618"), ("València", "ES", "ES523"), ("Zaragoza", "ES", "ES243"),
    ("A Coruña", "ES", "ES111"), ("Murcia", "ES", "ES620"), ("Valladolid", "ES", "ES418"),
    ("Milano", "IT", "ITC4C"), ("Torino", "IT", "ITC11"), ("Bologna", "IT", "ITH55"),
    ("Firenze", "IT", "ITI14"), ("Napoli", "IT", "ITF33"), ("Genova", "IT", "ITC33"),
    ("Bari", "IT", "ITF47"), ("Palermo", "IT", "ITG12"), ("Trento", "IT", "ITH20"),
    ("Verona", "IT", "ITH31"), ("Padova", "IT", "ITH36"), ("Bergamo", "IT", "ITC46"),
    ("Lyon", "FR", "FRK26"), ("Marseille", "FR", "FRL04"), ("Toulouse", "FR", "FRJ23"),
    ("Bordeaux", "FR", "FRI12"), ("Nantes", "FR", "FRG01"), ("Lille", "FR", "FRE11"),
    ("Strasbourg", "FR", "FRF11"), ("Grenoble", "FR", "FRK24"), ("Besançon", "FR", "FRC21"),
    ("Orléans", "FR", "FRB06"), ("Porto", "PT", "PT11A"), ("Lisboa", "PT", "PT1A0"),
    ("Coimbra", "PT", "PT192"), ("Aveiro", "PT", "PT191"), ("Malmö", "SE", "SE224"),
    ("Göteborg", "SE", "SE232"), ("Uppsala", "SE", "SE121"), ("Örebro", "SE", "SE124"),
    ("Gdańsk", "PL", "PL633"), ("Kraków", "PL", "PL213"), ("Wrocław", "PL", "PL514"),
    ("Poznań", "PL", "PL415"), ("Łódź", "PL", "PL711"), ("Szczecin", "PL", "PL424"),
    ("Wien", "AT", "AT130"), ("Graz", "AT", "AT221"), ("Innsbruck", "AT", "AT332"),
    ("München", "DE", "DE212"), ("Köln", "DE", "DEA23"), ("Düsseldorf", "DE", "DEA11"),
    ("Nürnberg", "DE", "DE254"), ("Leipzig", "DE", "DED51"), ("Dresden", "DE", "DED21"),
    ("Hamburg", "DE", "DE600"), ("Bremen", "DE", "DE501"), ("Mannheim", "DE", "DE126"),
    ("Freiburg im Breisgau", "DE", "DE131"), ("Heidelberg", "DE", "DE125"),
    ("Münster", "DE", "DEA33"), ("Lübeck", "DE", "DEF03"), ("Brno", "CZ", "CZ064"),
    ("Praha", "CZ", "CZ010"), ("Ostrava", "CZ", "CZ080"), ("Ljubljana", "SI", "SI041"),
    ("Maribor", "SI", "SI032"), ("Tallinn", "EE", "EE001"), ("Tartu", "EE", "EE008"),
    ("Vilnius", "LT", "LT011"), ("Kaunas", "LT", "LT022"), ("Rīga", "LV", "LV00A"),
    ("Dublin", "IE", "IE061"), ("Cork", "IE", "IE053"), ("Antwerpen", "BE", "BE211"),
    ("Gent", "BE", "BE234"), ("Leuven", "BE", "BE242"), ("Liège", "BE", "BE332"),
    ("Aarhus", "DK", "DK042"), ("Odense", "DK", "DK031"), ("Aalborg", "DK", "DK050"),
    ("København", "DK", "DK011"), ("Thessaloniki", "EL", "EL522"), ("Zagreb", "HR", "HR050"),
    ("Split", "HR", "HR035"), ("Budapest", "HU", "HU110"), ("Győr", "HU", "HU221"),
    ("Pécs", "HU", "HU231"), ("Bratislava", "SK", "SK010"), ("Košice", "SK", "SK042"),
    ("Utrecht", "NL", "NL350"), ("Amsterdam", "NL", "NL32B"), ("Eindhoven", "NL", "NL414"),
    ("Cluj-Napoca", "RO", "RO113"), ("Plovdiv", "BG", "BG421"), ("Luxembourg", "LU", "LU000"),
)  # fmt: skip

# How a city names itself as an organisation, by country (NUTS country codes: EL is Greece).
CITY_FORMS: dict[str, str] = {
    "DE": "Stadt {}", "AT": "Stadt {}", "IT": "Comune di {}", "ES": "Ayuntamiento de {}",
    "FR": "Ville de {}", "PT": "Câmara Municipal de {}", "PL": "Miasto {}", "SE": "{} stad",
    "DK": "{} Kommune", "NL": "Gemeente {}", "BE": "Stad {}", "CZ": "Statutární město {}",
    "EL": "Dimos {}", "HR": "Grad {}", "SI": "Mestna občina {}", "SK": "Mesto {}",
    "HU": "{} Önkormányzata", "RO": "Primăria {}", "IE": "{} City Council",
}  # fmt: skip

# ISO 3166-1 code of an organisation's country; NUTS uses EL for Greece.
ISO_COUNTRY = {"EL": "GR"}

SME_STEMS = (
    "Kinetic", "Datapolis", "Solare", "GreenGrid", "CircuLoop", "Aqualink", "CivicTwin",
    "OpenCity", "HeatShift", "Lumen", "SkillsBridge", "TransitPulse", "Retrofit", "UrbanSense",
    "Voltaic", "Terra", "Nordlys", "Hydra", "Ecotope", "Mobilis", "Agora", "Civitas", "Polis",
    "Sensa", "Vento", "Brightline", "Quanta", "Fjord", "Alpina", "Baltica", "Danubia",
    "Iberica", "Adriatica", "Carpathia", "Zefiro", "Ørsted Labs", "Smart Źródło", "Žalia",
)  # fmt: skip
SME_TRADES = (
    "Mobility", "Analytics", "Energy", "Systems", "Labs", "Data", "Robotics", "Water", "Grid",
    "Sensors", "Works", "Digital", "Networks", "Technologies", "Heat", "Light",
)  # fmt: skip
LEGAL_FORMS: dict[str, str] = {
    "FI": "Oy", "ES": "SL", "IT": "Srl", "FR": "SAS", "PT": "Lda", "SE": "AB",
    "PL": "Sp. z o.o.", "AT": "GmbH", "DE": "GmbH", "CZ": "s.r.o.", "SI": "d.o.o.", "EE": "OÜ",
    "LT": "UAB", "LV": "SIA", "IE": "Ltd", "BE": "BV", "DK": "ApS", "EL": "IKE", "HR": "d.o.o.",
    "HU": "Kft.", "SK": "s.r.o.", "NL": "BV", "RO": "SRL", "BG": "OOD", "LU": "Sàrl",
}  # fmt: skip

FUNDERS: tuple[tuple[str, str, str], ...] = (
    ("European Investment Bank — Urban Development", "LU", "LU000"),
    ("Council of Europe Development Bank", "FR", "FR101"),
    ("Nordic Investment Bank", "FI", "FI1B1"), ("KfW Bankengruppe", "DE", "DE712"),
    ("Caisse des Dépôts — Banque des Territoires", "FR", "FR101"),
    ("Cassa Depositi e Prestiti", "IT", "ITI43"), ("Bank Gospodarstwa Krajowego", "PL", "PL911"),
    ("Fondazione Cariplo", "IT", "ITC4C"), ("Fundación la Caixa", "ES", "ES511"),
    ("Bpifrance", "FR", "FR101"), ("Invest-NL", "NL", "NL32B"),
    ("Instituto de Crédito Oficial", "ES", "ES300"), ("Sitra", "FI", "FI1B1"),
    ("EIT Urban Mobility", "ES", "ES511"), ("Nordic Impact Ventures", "DK", "DK042"),
    ("Österreichische Kontrollbank", "AT", "AT130"), ("Danube Green Fund", "HU", "HU110"),
    ("Baltic Cities Climate Fund", "EE", "EE001"), ("Iberian Resilience Capital", "PT", "PT1A0"),
    ("Alpine Infrastructure Partners", "AT", "AT332"),
)  # fmt: skip

ADJECTIVES = (
    "", "", "", "Cloud-based ", "Open-source ", "AI-assisted ", "Modular ", "Low-cost ",
    "Plug-and-play ", "Privacy-first ", "Sensor-based ", "Interoperable ", "Citizen-centred ",
)  # fmt: skip
SEGMENTS = (
    "", "", " for mid-size cities", " for port cities", " for historic centres",
    " for metropolitan areas", " for university towns", " for island municipalities",
    " — pilot package", " as a service",
)  # fmt: skip
GOALS = (
    "cut emissions without raising costs", "serve residents faster",
    "meet the 2030 climate targets", "make better use of public assets",
    "keep services running during heat waves and floods", "open their data to local innovators",
    "buy outcomes instead of equipment", "reduce energy bills of public buildings",
)  # fmt: skip
LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Polish", "Swedish", "Finnish")
TEAMS = ("city engineers", "service desk staff", "data officers", "maintenance crews")
PROCEDURES = (
    "open",
    "open",
    "open",
    "restricted",
    "competitive_dialogue",
    "innovation_partnership",
)
INSTRUMENTS = ("grant", "loan", "equity", "guarantee", "blended")
PRICING_MODELS = ("fixed", "subscription", "per_unit", "outcome_based")
AWARD_CRITERIA = (
    {"name": "Price", "weight": 40}, {"name": "Quality", "weight": 35},
    {"name": "Outcomes", "weight": 25},
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    metric: str
    unit: str
    baseline: float
    target: float
    verification: str


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    solutions: tuple[str, ...]
    usual_cpv: tuple[str, ...]  # the codes the demo catalogue names (canonical, check digit)
    cpv: tuple[str, ...]  # every real code of the same CPV groups, finer than a group
    standards: tuple[str, ...]
    outcomes: tuple[Outcome, ...]


@cache
def theme_vocabulary() -> tuple[Theme, ...]:
    """Every ICC theme with its real CPV codes (the seeds' CPV groups), standards, outcomes."""
    known_standards = {row["code"] for row in vocab.standards_rows()}
    cpv = vocab.cpv_codes()
    result = []
    for code, label in vocab.themes().items():
        solutions, standards, outcomes = CATALOGUE[code]
        names = [name for name, _, _ in solutions]
        seeds = list(dict.fromkeys(c for _, codes, _ in solutions for c in codes))
        groups = {seed[:3] for seed in seeds}
        widened = sorted(d for d in cpv if d[:3] in groups and cpv[d].level >= 4)
        result.append(
            Theme(
                code=code,
                label=label,
                solutions=tuple(names),
                usual_cpv=tuple(cpv[d].code for d in seeds if d in cpv),
                cpv=tuple(cpv[d].code for d in widened),
                standards=tuple(s for s in standards if s in known_standards),
                outcomes=tuple(Outcome(*o) for o in outcomes),
            )
        )
    return tuple(result)


@cache
def standard_titles() -> dict[str, str]:
    return {row["code"]: row["title"] for row in vocab.standards_rows()}


def cpv_label(code: str) -> str:
    return vocab.cpv_codes()[code[:8]].label
