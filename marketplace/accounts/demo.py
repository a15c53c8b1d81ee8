"""Demo organisations: a believable network of real ICC-style cities, SMEs and funders.

Cities sit in real NUTS 2024 regions. `seed_organisations` is the accounts module's seeder
and runs first; every later module's seeder adds its records on top (listings, tenders,
funding calls) through the `Network` it fills, so a first run shows something real on
every page. The password is read here because demo data is the only place that needs one.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Membership, Organisation, User
from marketplace.accounts.passwords import hash_password

DEMO_PASSWORD_ENV = "MARKETPLACE_DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "demo-password-2026"

# (name, country, NUTS 2024 region)
CITIES = [
    ("City of Espoo", "FI", "FI1B1"), ("Ayuntamiento de Madrid", "ES", "ES300"),
    ("Ajuntament de Barcelona", "ES", "ES511"), ("Comune di Milano", "IT", "ITC4C"),
    ("Città di Torino", "IT", "ITC11"), ("Métropole de Lyon", "FR", "FRK26"),
    ("Câmara Municipal do Porto", "PT", "PT11A"), ("Câmara Municipal de Lisboa", "PT", "PT1A0"),
    ("Malmö stad", "SE", "SE224"), ("Miasto Gdańsk", "PL", "PL633"),
    ("Miasto Kraków", "PL", "PL213"), ("Stadt Wien", "AT", "AT130"),
    ("Landeshauptstadt München", "DE", "DE212"), ("Statutární město Brno", "CZ", "CZ064"),
    ("Mestna občina Ljubljana", "SI", "SI041"), ("Tallinna Linnavalitsus", "EE", "EE001"),
    ("Vilniaus miesto savivaldybė", "LT", "LT011"), ("Dublin City Council", "IE", "IE061"),
    ("Stad Antwerpen", "BE", "BE211"), ("Aarhus Kommune", "DK", "DK042"),
    ("Dimos Thessalonikis", "GR", "EL522"), ("Grad Zagreb", "HR", "HR050"),
    ("Bilbao Udala", "ES", "ES213"), ("Budapest Főváros", "HU", "HU110"),
]  # fmt: skip

SMES = [
    ("Kinetic Mobility Oy", "FI", "FI1B1"), ("Datapolis Urban Analytics SL", "ES", "ES511"),
    ("Solare Comunità Srl", "IT", "ITC4C"), ("GreenGrid Energy GmbH", "AT", "AT130"),
    ("CircuLoop BV", "BE", "BE211"), ("Aqualink Sensors Lda", "PT", "PT11A"),
    ("SmartWaste Systems Sp. z o.o.", "PL", "PL213"), ("CivicTwin SAS", "FR", "FRK26"),
    ("OpenCity Data ApS", "DK", "DK042"), ("HeatShift Energi AB", "SE", "SE224"),
    ("LumenStreet d.o.o.", "SI", "SI041"), ("SkillsBridge Digital OÜ", "EE", "EE001"),
    ("AgriTech Urbana SL", "ES", "ES300"), ("TransitPulse GmbH", "DE", "DE212"),
    ("Retrofit Works Ltd", "IE", "IE061"), ("Brno Robotics s.r.o.", "CZ", "CZ064"),
]  # fmt: skip

FUNDERS = [
    ("European Investment Bank — Urban Development", "LU", "LU000"),
    ("Fondazione Cariplo", "IT", "ITC4C"),
    ("Nordic Impact Ventures", "DK", "DK042"),
    ("Council of Europe Development Bank", "FR", "FR101"),
]


@dataclass
class Network:
    """What the base seed created, for the packages that seed on top of it."""

    now: datetime
    cities: list[Organisation] = field(default_factory=list)
    smes: list[Organisation] = field(default_factory=list)
    funders: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)  # organisation id -> its demo editor


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name.lower().replace(" ", ".") if c.isalnum() or c == ".")[:40]


async def seed_network(session: AsyncSession, now: datetime, progress: Progress) -> Network:
    """A fresh network with its organisations (what a test of a later seeder starts from)."""
    network = Network(now=now)
    await seed_organisations(session, network, progress)
    return network


async def seed_organisations(session: AsyncSession, network: Network, progress: Progress) -> None:
    """The accounts module's seeder: it runs first and fills the network the others use."""
    now = network.now
    password_hash = hash_password(os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD))
    groups = [("city", CITIES, network.cities), ("sme", SMES, network.smes),
              ("funder", FUNDERS, network.funders)]  # fmt: skip
    task = progress.add_task("organisations", total=sum(len(g[1]) for g in groups))
    for kind, rows, bucket in groups:
        for index, (name, country, nuts) in enumerate(rows):
            organisation = Organisation(
                name=name, kind=kind, country=country, nuts_code=nuts,
                description=f"{name} takes part in the Intelligent Cities Challenge network.",
                # Most demo organisations are verified; a few wait in the admin queue.
                verified=index % 5 != 4, verified_at=now if index % 5 != 4 else None,
                created_at=now,
            )  # fmt: skip
            user = User(
                email=f"{_slug(name)}@demo.icc.example", name=f"Editor, {name}",
                password_hash=password_hash, created_at=now, email_verified_at=now,
            )  # fmt: skip
            session.add_all([organisation, user])
            await session.flush()
            session.add(
                Membership(
                    user_id=user.id, organisation_id=organisation.id, role="owner", created_at=now
                )
            )
            bucket.append(organisation)
            network.users[organisation.id] = user
            progress.advance(task)
    # Demo addresses receive no mail: the seed counts them as verified (no link to follow).
    admin = User(
        email="admin@demo.icc.example", name="Platform admin", password_hash=password_hash,
        is_admin=True, created_at=now, email_verified_at=now,
    )  # fmt: skip
    session.add(admin)
    await session.flush()
