"""Listings, tenders and funding calls in search: each service change reaches the index
through the outbox, only public records are findable, and nothing sealed ever is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.demo import seed_network, seed_organisations
from marketplace.accounts.models import Organisation
from marketplace.clock import FrozenClock
from marketplace.core.delivery import event_of
from marketplace.core.models import EventDelivery, EventRecord
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.funding import search as funding
from marketplace.funding.models import CALL_LOAD, FundingCall
from marketplace.listings import search as listings
from marketplace.listings.models import Listing
from marketplace.modules import ALL
from marketplace.searching.cli import reindex
from marketplace.searching.mapping import standard_titles
from marketplace.searching.worker import drain
from marketplace.tenders import search as tenders
from marketplace.tenders.models import Tender
from search import SearchBackend, SearchQuery
from tests.factories import Api
from tests.funding.helpers import scene
from tests.listings.conftest import Sme, complete_listing
from tests.searching.conftest import app_indexer
from tests.tenders.helpers import joint

# Every seeder after the accounts module's, which seed_network runs.
SEEDERS = [s for s in Modules(ALL).seeders if s is not seed_organisations]
KINDS = Modules(ALL).search_kinds


async def synced(engine: AsyncEngine, index: SearchBackend, clock: FrozenClock) -> None:
    await drain(session_maker(engine), app_indexer(index), clock.now())


async def found(client: AsyncTestClient[Litestar], **params: Any) -> list[tuple[str, str]]:
    r = await client.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    return [(i["type"], i["title"]) for i in r.json()["items"]]


async def outbox(engine: AsyncEngine) -> list[tuple[str, str]]:
    """The records search will re-send for the events it has not handled yet."""
    search = and_(EventDelivery.event_id == EventRecord.id, EventDelivery.subscriber == "search")
    async with session_maker(engine)() as session:
        waiting = await session.scalars(
            select(EventRecord)
            .outerjoin(EventDelivery, search)
            .where(or_(EventDelivery.id.is_(None), EventDelivery.status != "delivered"))
            .order_by(EventRecord.id)
        )
        records = await app_indexer(None).records(session, [event_of(e) for e in waiting])  # type: ignore[arg-type]
        return [(kind, record_id) for kind, ids in records.items() for record_id in ids]


class TestListings:
    async def test_published_listings_are_found_and_leave_when_archived(
        self, api: Api, sme: Sme, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        client, headers = api.client, sme.editor.headers
        r = await client.post("/api/v1/listings", json=complete_listing(sme.id), headers=headers)
        listing = r.json()
        await synced(engine, index, clock)
        assert await found(client, q="dim") == []  # a draft is private

        await client.post(f"/api/v1/listings/{listing['id']}/publish", headers=headers)
        assert ("listing", listing["id"]) in await outbox(engine)
        await synced(engine, index, clock)
        assert await found(client, q="dim") == [("listing", "Adaptive street lighting")]
        # Found by what it promises and by the standard it conforms to, too.
        assert await found(client, q="street lighting energy")
        assert await found(client, standard="OASC-MIM1", type="listing")

        r = await client.patch(
            f"/api/v1/listings/{listing['id']}", json={"title": "Adaptive lighting"},
            headers=headers,
        )  # fmt: skip
        assert r.status_code == 200
        await synced(engine, index, clock)
        assert await found(client, q="dim") == [("listing", "Adaptive lighting")]

        await client.post(f"/api/v1/listings/{listing['id']}/archive", headers=headers)
        await synced(engine, index, clock)
        assert await found(client, q="dim") == []
        assert await outbox(engine) == []

    async def test_loaded_by_id_only_the_published_ones_with_their_standards(
        self, api: Api, sme: Sme, engine: AsyncEngine
    ) -> None:
        """What the outbox worker and a rebuild's chunks ask: a draft and an archived listing
        among the ids give no document (the status is checked after reading by id)."""
        client, headers = api.client, sme.editor.headers
        ids = []
        for title in ("Draft lights", "Published lights", "Archived lights"):
            r = await client.post(
                "/api/v1/listings", json=complete_listing(sme.id, title=title), headers=headers
            )
            ids.append(r.json()["id"])
        draft, published, archived = ids
        for listing_id in (published, archived):
            r = await client.post(f"/api/v1/listings/{listing_id}/publish", headers=headers)
            assert r.status_code == 200, r.text
        r = await client.post(f"/api/v1/listings/{archived}/archive", headers=headers)
        assert r.status_code == 200, r.text
        async with session_maker(engine)() as session:
            by_id = await listings.load(session, [draft, published, archived, "no-such-id"])
            every = await listings.load(session, None)
        assert [(d.id, d.title, d.standards) for d in by_id] == [
            (published, "Published lights", ("OASC-MIM1",))
        ]
        assert [d.id for d in every] == [published]


class TestTenders:
    async def test_a_published_tender_is_found_without_anything_sealed(
        self, api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock, title="Snow clearing robots")
        tender = await j.published(api, clock)
        r = await j.respond(api, tender, technical_summary="Zyxwvut sealed secret approach")
        assert r.status_code == 201, r.text
        await synced(engine, index, clock)

        assert await found(api.client, q="passenger") == [
            ("tender", "Real-time passenger information for two cities")
        ]
        assert await found(api.client, q="snow clearing") == []  # planning: not public
        assert draft["id"] not in str(await found(api.client, type="tender"))
        assert await found(api.client, q="Zyxwvut") == []  # the response stays sealed
        # Found by the confirmed co-buyer's name and by its region.
        assert await found(api.client, q="Wien", type="tender")
        assert await found(api.client, nuts="AT1", type="tender")

    async def test_open_for_responses_means_before_the_deadline(
        self, api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await synced(engine, index, clock)
        assert await found(api.client, status="active", type="tender")
        clock.advance(timedelta(days=36))  # past the submission deadline: no job, no reindex
        assert await found(api.client, status="active", type="tender") == []
        assert await found(api.client, type="tender")  # still a public record

        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        await synced(engine, index, clock)
        assert await found(api.client, status="cancelled") == [
            ("tender", "Real-time passenger information for two cities")
        ]


class TestFundingCalls:
    async def test_open_calls_are_found_and_closed_ones_say_so(
        self, api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        await s.create_call(title="Draft harbour call")
        call = await s.open_call()
        await synced(engine, index, clock)
        assert await found(api.client, q="depot") == [
            ("funding_call", "Zero-emission bus depot for Espoo")
        ]
        assert await found(api.client, q="harbour") == []
        assert await found(api.client, status="open", theme="mobility")

        r = await api.client.post(
            f"/api/v1/funding-calls/{call['id']}/close", headers=s.city_owner.headers
        )
        assert r.status_code == 200, r.text
        await synced(engine, index, clock)
        assert await found(api.client, status="open") == []
        assert await found(api.client, status="closed") == [
            ("funding_call", "Zero-emission bus depot for Espoo")
        ]


async def test_a_full_rebuild_gives_what_the_outbox_gave(
    api: Api, sme: Sme, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> None:
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
    )
    await api.client.post(f"/api/v1/listings/{r.json()['id']}/publish", headers=sme.editor.headers)
    j = await joint(api)
    await j.published(api, clock)
    await (await scene(api)).open_call()
    await synced(engine, index, clock)
    query = SearchQuery(per_page=100)
    incremental = await index.search(query)
    await reindex(session_maker(engine), index, KINDS, clock.now)
    rebuilt = await index.search(query)
    assert incremental.total == 3
    assert [h.id for h in rebuilt.hits] == [h.id for h in incremental.hits]
    assert rebuilt.facets == incremental.facets


async def test_the_demo_seed_is_findable_once_the_worker_ran(
    db: AsyncSession, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> None:
    with Progress(console=Console(quiet=True)) as progress:
        network = await seed_network(db, clock.now(), progress)
        for seeder in SEEDERS:
            await seeder(db, network, progress)
    await db.commit()
    await synced(engine, index, clock)
    everything = await index.search(SearchQuery())
    assert set(everything.facets["type"]) == {"listing", "tender", "funding_call"}
    published = await db.scalar(
        select(func.count()).select_from(Listing).where(Listing.status == "published")
    )
    assert everything.facets["type"]["listing"] == published


async def test_loaders_read_columns_into_the_documents_the_entities_give(
    db: AsyncSession, clock: FrozenClock
) -> None:
    """A rebuild reads rows, the services hold entities: both map to the same document,
    down to the order of cities, lots, partners and codes."""
    with Progress(console=Console(quiet=True)) as progress:
        network = await seed_network(db, clock.now(), progress)
        for seeder in SEEDERS:
            await seeder(db, network, progress)
    await db.commit()
    db.expunge_all()  # entities as a service reads them, not as the seed built them
    titles = await standard_titles(db)
    organisations = {o.id: o for o in await db.scalars(select(Organisation))}
    tender_entities = await db.scalars(
        select(Tender).options(selectinload(Tender.lots), selectinload(Tender.buyers))
    )
    by_entity = {
        d.id: d for t in tender_entities if (d := tenders.document_of(t, organisations, titles))
    }
    call_entities = await db.scalars(select(FundingCall).options(*CALL_LOAD))
    by_entity |= {d.id: d for c in call_entities if (d := funding.document_of(c, titles))}
    loaded = await tenders.load(db, None) + await funding.load(db, None)
    assert {d.type for d in loaded} == {"tender", "funding_call"}
    assert any(len(d.organisation.split(", ")) > 1 for d in loaded)  # joint ones are among them
    assert {d.id: d for d in loaded} == by_entity
    some = sorted(by_entity)[::3]
    chunk = await tenders.load(db, some) + await funding.load(db, some)
    assert sorted(d.id for d in chunk) == some
    assert all(d == by_entity[d.id] for d in chunk)


class TestBorrowedText:
    """Documents show organisations' names and standards' titles: changing those re-sends
    every public document that shows them."""

    async def test_a_renamed_city_is_found_by_its_new_name(
        self, api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await j.published(api, clock)
        s = await scene(api)
        await s.open_call()
        await synced(engine, index, clock)
        r = await api.client.patch(
            f"/api/v1/organisations/{j.city_b['id']}", json={"name": "Vienna Stadtwerke"},
            headers=j.partner.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        await synced(engine, index, clock)
        assert await found(api.client, q="Stadtwerke") == [
            ("tender", "Real-time passenger information for two cities")
        ]
        assert await found(api.client, q="Stadt Wien") == []
        r = await api.client.patch(
            f"/api/v1/organisations/{s.city['id']}", json={"description": "Not shown in search"},
            headers=s.city_owner.headers,
        )  # fmt: skip
        assert await outbox(engine) == []  # nothing search shows has changed

    async def test_a_standard_retitled_by_an_admin_is_found_by_its_new_title(
        self, api: Api, sme: Sme, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
    ) -> None:
        r = await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
        )
        await api.client.post(f"/api/v1/listings/{r.json()['id']}/publish",
                              headers=sme.editor.headers)  # fmt: skip
        await synced(engine, index, clock)
        admin = await api.person("Admin", admin=True)
        r = await api.client.patch(
            "/api/v1/standards/OASC-MIM1", json={"title": "Quuxcontext information"},
            headers=admin.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        await synced(engine, index, clock)
        assert await found(api.client, q="quuxcontext") == [("listing", "Adaptive street lighting")]
