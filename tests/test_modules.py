"""The app and the CLI are assembled from the modules they are given, and from nothing else."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from marketplace.app import create_app
from marketplace.cli import build_parser
from marketplace.clock import FrozenClock
from marketplace.core.module import Module, Modules, NavItem
from marketplace.modules import ALL
from marketplace.settings import Settings

BY_NAME = {m.name: m for m in ALL}
LISTINGS_ONLY = [
    BY_NAME[n]
    for n in ("web", "accounts", "reference", "standards", "listings", "searching", "events")
]


class TestAssembly:
    def test_every_package_contributes_through_its_module(self) -> None:
        modules = Modules(ALL)
        assert [k.name for k in modules.search_kinds] == ["listing", "tender", "funding_call"]
        assert [(item.label, sorted(item.audience)) for item in modules.navigation] == [
            ("My home", ["signed_in"]), ("Search", []), ("Tenders", []), ("Solutions", []),
            ("Funding calls", []), ("Funder dashboard", ["funder"]), ("Pilots", []),
            ("My funding calls", ["city"]), ("Standards", []), ("My listings", ["sme"]),
            ("My responses", ["sme"]),
        ]  # fmt: skip
        assert len(modules.profile_sections) == 3 and len(modules.seeders) == 6  # + payments
        kinds = {e.kind for e in modules.events}
        assert {"tender.published", "question.answered", "response.submitted", "lot.awarded",
                "interest.expressed", "organisation.updated"} <= kinds  # fmt: skip

    def test_a_module_missing_what_it_requires_is_refused(self) -> None:
        with pytest.raises(ValueError, match="'tenders' requires accounts, standards"):
            Modules([BY_NAME["tenders"]])

    def test_two_modules_cannot_claim_the_same_thing(self) -> None:
        with pytest.raises(ValueError, match="module 'web'"):
            Modules([BY_NAME["web"], BY_NAME["web"]])
        twin = Module(
            name="twin", navigation=(NavItem("/x", "X"),), events=BY_NAME["tenders"].events
        )
        with pytest.raises(ValueError, match=r"event kind 'tender\.created'"):
            Modules([*ALL, twin])


class TestSubsetApp:
    async def test_an_app_of_some_modules_has_only_their_routes_links_and_kinds(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        app = create_app(settings, clock=clock, modules=LISTINGS_ONLY)
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/listings")).status_code == 200
            assert (await client.get("/api/v1/tenders")).status_code == 404
            assert (await client.get("/funding-calls")).status_code == 404
            page = await client.get("/")
            assert 'href="/listings"' in page.text and 'href="/tenders"' not in page.text
            r = await client.get("/api/v1/search", params={"type": "tender"})
            assert r.status_code == 422
            assert r.json()["errors"] == [{"field": "type", "message": "must be one of listing"}]
            assert (
                await client.get("/api/v1/search", params={"type": "listing"})
            ).status_code == 200
            health = (await client.get("/health")).json()
            assert health == {"status": "ok", "database": "ok", "search": "ok", "events": "ok"}

    async def test_an_app_without_search_has_no_search_in_health(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        app = create_app(
            settings, clock=clock, modules=[BY_NAME[n] for n in ("web", "accounts", "reference")]
        )
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/health")).json() == {"status": "ok", "database": "ok"}
            assert (await client.get("/api/v1/search")).status_code == 404


class TestCli:
    def test_the_command_tree_comes_from_the_modules(self) -> None:
        parser, commands = build_parser(Modules(ALL))
        assert {"serve", "db upgrade", "demo seed", "admin create", "reference load",
                "search reindex", "search status", "search worker", "events worker",
                "events status", "events failed", "events retry",
                "notifications tick", "payments reconcile", "backup", "restore", "tenders import",
                "documents prune",
                "matching embed", "matching terms", "matching store"} == set(commands)  # fmt: skip
        args = parser.parse_args(["events", "retry", "--subscriber", "search", "3", "4"])
        assert (args.subscriber, args.ids) == ("search", [3, 4])

    def test_without_search_there_is_no_search_command(self) -> None:
        parser, commands = build_parser(Modules([BY_NAME["accounts"]]))
        assert not any(name.startswith("search") for name in commands)
        with pytest.raises(SystemExit):
            parser.parse_args(["search", "reindex"])
