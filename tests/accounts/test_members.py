"""Issue 13: owners change members' roles and remove members (API and page); the last owner
stays; a member may leave; each change applies on the affected person's next request and is
published as an event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from marketplace.accounts import services
from marketplace.accounts.schemas import MemberRoleIn
from marketplace.clock import FrozenClock
from marketplace.core.models import EventRecord
from marketplace.db import session_maker, write_session
from marketplace.errors import DomainError, Forbidden
from tests.edge.test_sessions import SecondBrowser, sign_in, signed_in
from tests.factories import Api, Person, csrf


def _path(organisation: dict[str, Any], person: Person | str) -> str:
    user_id = person if isinstance(person, str) else person.id
    return f"/api/v1/organisations/{organisation['id']}/members/{user_id}"


async def _roles(api: Api, person: Person) -> dict[str, str]:
    r = await api.client.get("/api/v1/me", headers=person.headers)
    assert r.status_code == 200, r.text
    return {m["organisation_id"]: m["role"] for m in r.json()["memberships"]}


async def _events(db: AsyncSession, organisation_id: str) -> list[tuple[str, dict[str, Any]]]:
    rows = await db.scalars(
        select(EventRecord)
        .where(EventRecord.subject_id == organisation_id, EventRecord.kind.like("member.%"))
        .order_by(EventRecord.id)
    )
    return [(e.kind, dict(e.data)) for e in rows]


class TestRoleChangeApi:
    async def test_owner_changes_a_role_which_applies_on_the_next_request(
        self, api: Api, db: AsyncSession
    ) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        assert (await api.client.patch(f"/api/v1/organisations/{org['id']}",
                json={"description": "x"}, headers=editor.headers)).status_code == 200  # fmt: skip

        r = await api.client.patch(_path(org, editor), json={"role": "viewer"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["user_id"] == editor.id and body["role"] == "viewer"
        assert body["organisation_id"] == org["id"] and body["email"] == editor.email
        assert body["actions"] == ["change_role", "remove"]
        # The same token, next request: the new role, no sign-in again.
        assert (await _roles(api, editor)) == {org["id"]: "viewer"}
        denied = await api.client.patch(f"/api/v1/organisations/{org['id']}",
                                        json={"description": "y"}, headers=editor.headers)  # fmt: skip
        assert denied.status_code == 403
        assert await _events(db, org["id"]) == [
            ("member.added", {"user_id": editor.id, "role": "editor"}),
            ("member.role_changed", {"user_id": editor.id, "role": "viewer",
                                     "previous_role": "editor", "by_user_id": owner.id}),
        ]  # fmt: skip

    async def test_promoting_to_owner_lets_the_old_owner_step_down(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "city")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        last = await api.client.patch(_path(org, owner), json={"role": "editor"},
                                      headers=owner.headers)  # fmt: skip
        assert last.status_code == 409
        problem = last.json()
        assert problem["code"] == "last-owner"
        assert "last owner" in problem["detail"] and "another member an owner" in problem["detail"]
        assert await _roles(api, owner) == {org["id"]: "owner"}
        # Setting the role it already has changes nothing and is not a demotion.
        same = await api.client.patch(_path(org, owner), json={"role": "owner"},
                                      headers=owner.headers)  # fmt: skip
        assert same.status_code == 200 and same.json()["role"] == "owner"

        r = await api.client.patch(_path(org, editor), json={"role": "owner"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 200
        r = await api.client.patch(_path(org, owner), json={"role": "viewer"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["actions"] == ["remove"]  # no longer an owner: may only leave
        assert await _roles(api, owner) == {org["id"]: "viewer"}
        # Now the new owner is the last one.
        r = await api.client.patch(_path(org, editor), json={"role": "viewer"},
                                   headers=editor.headers)  # fmt: skip
        assert r.status_code == 409

    async def test_who_may_not_change_roles(self, api: Api) -> None:
        owner, stranger = await api.person("Owner"), await api.person("Stranger")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        viewer = await api.member(owner, org["id"], "viewer", "Viewer")
        admin = await api.person("Admin", admin=True)
        for who in (editor, viewer, stranger, admin):
            r = await api.client.patch(_path(org, viewer), json={"role": "owner"},
                                       headers=who.headers)  # fmt: skip
            assert r.status_code == 403, who
            assert r.json()["code"] == "forbidden"
        # An editor cannot promote themselves either.
        r = await api.client.patch(_path(org, editor), json={"role": "owner"},
                                   headers=editor.headers)  # fmt: skip
        assert r.status_code == 403
        anonymous = await api.client.patch(_path(org, viewer), json={"role": "owner"})
        assert anonymous.status_code == 401
        assert await _roles(api, viewer) == {org["id"]: "viewer"}
        assert await _roles(api, editor) == {org["id"]: "editor"}

    async def test_bad_role_unknown_member_and_unknown_organisation(self, api: Api) -> None:
        owner, stranger = await api.person("Owner"), await api.person("Stranger")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        bad = await api.client.patch(_path(org, editor), json={"role": "admin"},
                                     headers=owner.headers)  # fmt: skip
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "role"
        missing = await api.client.patch(_path(org, editor), json={}, headers=owner.headers)
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "role"
        for body in ({"role": None}, {"role": ["owner"]}, [], "owner", {"role": "Owner "}):
            r = await api.client.patch(_path(org, editor), json=body, headers=owner.headers)
            assert 400 <= r.status_code < 500, (body, r.text)
        plain = await api.client.patch(
            _path(org, editor), content=b'{"role": "viewer"}',
            headers={**owner.headers, "content-type": "text/plain"},
        )  # fmt: skip
        assert 400 <= plain.status_code < 500
        assert await _roles(api, editor) == {org["id"]: "editor"}
        # Someone who is not a member of this organisation is not found in it.
        r = await api.client.patch(_path(org, stranger), json={"role": "viewer"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 404
        r = await api.client.patch(_path(org, "no-such-user"), json={"role": "viewer"},
                                   headers=owner.headers)  # fmt: skip
        assert r.status_code == 404
        r = await api.client.patch(
            f"/api/v1/organisations/no-such-org/members/{editor.id}", json={"role": "viewer"},
            headers=owner.headers,
        )  # fmt: skip
        assert r.status_code == 404

    async def test_members_list_says_what_the_reader_may_do(self, api: Api) -> None:
        owner = await api.person("Aino Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Eero Editor")
        path = f"/api/v1/organisations/{org['id']}/members"
        seen = {m["user_id"]: m["actions"]
                for m in (await api.client.get(path, headers=owner.headers)).json()}  # fmt: skip
        assert seen == {owner.id: [], editor.id: ["change_role", "remove"]}
        seen = {m["user_id"]: m["actions"]
                for m in (await api.client.get(path, headers=editor.headers)).json()}  # fmt: skip
        assert seen == {owner.id: [], editor.id: ["remove"]}


class TestRemovalApi:
    async def test_owner_removes_a_member_who_loses_access_at_once(
        self, api: Api, db: AsyncSession
    ) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        members = f"/api/v1/organisations/{org['id']}/members"
        assert (await api.client.get(members, headers=editor.headers)).status_code == 200

        r = await api.client.delete(_path(org, editor), headers=owner.headers)
        assert r.status_code == 204 and r.content == b""
        assert await _roles(api, editor) == {}
        assert (await api.client.get(members, headers=editor.headers)).status_code == 403
        denied = await api.client.patch(f"/api/v1/organisations/{org['id']}",
                                        json={"description": "z"}, headers=editor.headers)  # fmt: skip
        assert denied.status_code == 403
        listed = (await api.client.get(members, headers=owner.headers)).json()
        assert [m["user_id"] for m in listed] == [owner.id]
        # Once gone, there is nothing to remove.
        again = await api.client.delete(_path(org, editor), headers=owner.headers)
        assert again.status_code == 404
        assert (await _events(db, org["id"]))[-1] == (
            "member.removed",
            {"user_id": editor.id, "role": "editor", "by_user_id": owner.id},
        )
        # They can be added again later.
        r = await api.client.post(members, json={"email": editor.email, "role": "viewer"},
                                  headers=owner.headers)  # fmt: skip
        assert r.status_code == 201

    async def test_the_removed_persons_browser_sessions_end_but_their_token_keeps_the_rest(
        self, api: Api
    ) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        other = await api.organisation(owner, "city", name="Other City")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        r = await api.client.post(f"/api/v1/organisations/{other['id']}/members",
                                  json={"email": editor.email, "role": "viewer"},
                                  headers=owner.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        await api.sign_in_browser(editor)
        page = f"/organisations/{org['id']}/members"
        assert (await api.client.get(page)).status_code == 200
        r = await api.client.delete(_path(org, editor), headers=owner.headers)
        assert r.status_code == 204
        # Signed out at once: no page open in their browser acts under the old membership.
        r = await api.client.get("/account", follow_redirects=False)
        assert r.status_code in (302, 303) and "/sign-in" in r.headers["location"]
        # Their API token is theirs, not the organisation's: it still reads their other one.
        assert await _roles(api, editor) == {other["id"]: "viewer"}

    async def test_leaving_keeps_ones_own_browser_signed_in(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        await api.sign_in_browser(editor)
        r = await api.client.delete(_path(org, editor), headers=editor.headers)
        assert r.status_code == 204
        assert (await api.client.get("/account", follow_redirects=False)).status_code == 200

    async def test_members_leave_but_the_last_owner_cannot(
        self, api: Api, db: AsyncSession
    ) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "city")
        viewer = await api.member(owner, org["id"], "viewer", "Viewer")
        last = await api.client.delete(_path(org, owner), headers=owner.headers)
        assert last.status_code == 409 and last.json()["code"] == "last-owner"
        assert "You are the organisation's last owner" in last.json()["detail"]
        assert await _roles(api, owner) == {org["id"]: "owner"}

        r = await api.client.delete(_path(org, viewer), headers=viewer.headers)
        assert r.status_code == 204
        assert await _roles(api, viewer) == {}
        assert (await _events(db, org["id"]))[-1] == (
            "member.removed",
            {"user_id": viewer.id, "role": "viewer", "by_user_id": viewer.id},
        )

    async def test_a_second_owner_may_remove_the_first_but_not_the_last(self, api: Api) -> None:
        first = await api.person("First")
        org = await api.organisation(first, "funder")
        second = await api.member(first, org["id"], "owner", "Second")
        r = await api.client.delete(_path(org, first), headers=second.headers)
        assert r.status_code == 204
        r = await api.client.delete(_path(org, second), headers=second.headers)
        assert r.status_code == 409
        assert "last owner" in r.json()["detail"]

    async def test_who_may_not_remove(self, api: Api) -> None:
        owner, stranger = await api.person("Owner"), await api.person("Stranger")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Editor")
        viewer = await api.member(owner, org["id"], "viewer", "Viewer")
        admin = await api.person("Admin", admin=True)
        for who in (editor, stranger, admin):
            r = await api.client.delete(_path(org, viewer), headers=who.headers)
            assert r.status_code == 403, who
        r = await api.client.delete(_path(org, owner), headers=editor.headers)
        assert r.status_code == 403
        assert (await api.client.delete(_path(org, viewer))).status_code == 401
        assert await _roles(api, viewer) == {org["id"]: "viewer"}
        # A stranger learns nothing about who is a member: 403 whether or not they are.
        r = await api.client.delete(_path(org, "no-such-user"), headers=stranger.headers)
        assert r.status_code == 403

    async def test_the_openapi_document_describes_both(self, api: Api) -> None:
        spec = (await api.client.get("/schema/openapi.json")).json()
        item = spec["paths"]["/api/v1/organisations/{organisation_id}/members/{user_id}"]
        assert {"patch", "delete"} <= set(item)


class TestMembersPage:
    async def test_owner_sees_a_role_select_and_remove_per_member(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Eero")
        await api.sign_in_browser(owner)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        assert page.status_code == 200
        assert f'action="/organisations/{org["id"]}/members/{editor.id}/role"' in page.text
        assert f'action="/organisations/{org["id"]}/members/{editor.id}/remove"' in page.text
        # The last owner's own line has neither, and says why.
        assert f"/members/{owner.id}/role" not in page.text
        assert f"/members/{owner.id}/remove" not in page.text
        assert "You are the organisation&#39;s last owner" in page.text

    async def test_editor_sees_only_leave_on_their_own_line(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Eero")
        viewer = await api.member(owner, org["id"], "viewer", "Vilja")
        await api.sign_in_browser(editor)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        assert page.status_code == 200
        assert "/role" not in page.text and 'name="role"' not in page.text
        assert f"/members/{editor.id}/remove" in page.text and ">Leave<" in page.text
        assert f"/members/{viewer.id}/remove" not in page.text
        assert "last owner" not in page.text

    async def test_changing_a_role_on_the_page(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Eero")
        await api.sign_in_browser(owner)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        r = await api.client.post(f"/organisations/{org['id']}/members/{editor.id}/role",
                                  data={"role": "viewer", "_csrf_token": csrf(page)})  # fmt: skip
        assert r.status_code == 200 and "The role was changed." in r.text
        assert await _roles(api, editor) == {org["id"]: "viewer"}
        bad = await api.client.post(f"/organisations/{org['id']}/members/{editor.id}/role",
                                    data={"role": "boss", "_csrf_token": csrf(r)})  # fmt: skip
        assert bad.status_code == 422
        assert await _roles(api, editor) == {org["id"]: "viewer"}

    async def test_removing_asks_first_then_removes(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme", name="Kinetic Oy")
        editor = await api.member(owner, org["id"], "editor", "Eero")
        eeros_browser = SecondBrowser(api.client)
        await sign_in(eeros_browser, editor)
        await api.sign_in_browser(owner)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        action = f"/organisations/{org['id']}/members/{editor.id}/remove"
        ask = await api.client.post(action, data={"_csrf_token": csrf(page)})
        assert ask.status_code == 200
        assert "Remove Eero from Kinetic Oy?" in ask.text
        assert 'name="confirmed" value="yes"' in ask.text
        assert await _roles(api, editor) == {org["id"]: "editor"}  # nothing yet
        done = await api.client.post(action, data={"confirmed": "yes", "_csrf_token": csrf(ask)})
        assert done.status_code == 200 and "Eero was removed." in done.text
        assert await _roles(api, editor) == {}
        assert not await signed_in(eeros_browser)
        assert await signed_in(api.client)  # the owner's own session is untouched

    async def test_the_last_owner_cannot_leave_on_the_page(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        await api.sign_in_browser(owner)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        action = f"/organisations/{org['id']}/members/{owner.id}/remove"
        for data in ({}, {"confirmed": "yes"}):
            r = await api.client.post(action, data={**data, "_csrf_token": csrf(page)})
            assert r.status_code == 409
            assert "last owner" in r.text
        assert await _roles(api, owner) == {org["id"]: "owner"}

    async def test_a_member_leaves_and_lands_on_their_account(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme", name="Kinetic Oy")
        viewer = await api.member(owner, org["id"], "viewer", "Vilja")
        await api.sign_in_browser(viewer)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        action = f"/organisations/{org['id']}/members/{viewer.id}/remove"
        ask = await api.client.post(action, data={"_csrf_token": csrf(page)})
        assert ask.status_code == 200 and "Leave Kinetic Oy?" in ask.text
        done = await api.client.post(action, data={"confirmed": "yes", "_csrf_token": csrf(ask)})
        assert done.status_code == 200 and "You left the organisation." in done.text
        assert str(done.url).endswith("/account")
        assert await _roles(api, viewer) == {}

    async def test_non_owners_posting_are_refused(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        editor = await api.member(owner, org["id"], "editor", "Eero")
        viewer = await api.member(owner, org["id"], "viewer", "Vilja")
        await api.sign_in_browser(editor)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        base = f"/organisations/{org['id']}/members/{viewer.id}"
        r = await api.client.post(f"{base}/role", data={"role": "owner", "_csrf_token": csrf(page)})
        assert r.status_code == 403
        r = await api.client.post(f"{base}/remove",
                                  data={"confirmed": "yes", "_csrf_token": csrf(page)})  # fmt: skip
        assert r.status_code == 403
        assert await _roles(api, viewer) == {org["id"]: "viewer"}

    async def test_an_owner_giving_up_ownership_is_asked_first(self, api: Api) -> None:
        owner = await api.person("Owner")
        org = await api.organisation(owner, "sme")
        await api.member(owner, org["id"], "owner", "Other")
        await api.sign_in_browser(owner)
        page = await api.client.get(f"/organisations/{org['id']}/members")
        action = f"/organisations/{org['id']}/members/{owner.id}/role"
        ask = await api.client.post(action, data={"role": "editor", "_csrf_token": csrf(page)})
        assert ask.status_code == 200 and "Stop being an owner" in ask.text
        assert await _roles(api, owner) == {org["id"]: "owner"}
        done = await api.client.post(
            action, data={"role": "editor", "confirmed": "yes", "_csrf_token": csrf(ask)}
        )
        assert done.status_code == 200
        assert await _roles(api, owner) == {org["id"]: "editor"}
        assert f"/members/{owner.id}/role" not in done.text  # no longer an owner


class TestRaces:
    async def test_two_owners_demoting_each_other_at_once_leave_one_owner(
        self, api: Api, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        a = await api.person("Anna")
        org = await api.organisation(a, "sme")
        b = await api.member(a, org["id"], "owner", "Bert")
        sessions = session_maker(engine)
        async with sessions() as session:
            actors = {p.id: await services.actor_for_user(session, p.id) for p in (a, b)}

        async def demote(who: Person, whom: Person) -> str:
            actor = actors[who.id]
            assert actor is not None
            try:
                async with write_session(sessions) as session:
                    await services.change_member_role(
                        session, actor, org["id"], whom.id, MemberRoleIn(role="editor"),
                        clock.now(),
                    )  # fmt: skip
                    await asyncio.sleep(0.2)  # hold the transaction: the other one overlaps
            except DomainError as error:
                return error.code
            return "done"

        outcomes = await asyncio.gather(demote(a, b), demote(b, a))
        # The second is judged after the first: no longer an owner, so not allowed at all.
        assert sorted(outcomes) == ["done", "forbidden"]
        roles = [(await _roles(api, p))[org["id"]] for p in (a, b)]
        assert sorted(roles) == ["editor", "owner"]

    async def test_an_owner_demoted_meanwhile_is_judged_as_an_editor(
        self, api: Api, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        a = await api.person("Anna")
        org = await api.organisation(a, "sme")
        b = await api.member(a, org["id"], "owner", "Bert")
        c = await api.member(a, org["id"], "viewer", "Cleo")
        sessions = session_maker(engine)
        async with sessions() as session:
            stale = await services.actor_for_user(session, b.id)  # loaded as an owner
        assert stale is not None and stale.is_owner(org["id"])
        r = await api.client.patch(_path(org, b), json={"role": "editor"}, headers=a.headers)
        assert r.status_code == 200
        with pytest.raises(Forbidden):
            async with write_session(sessions) as session:
                await services.remove_member(session, stale, org["id"], c.id, clock.now())
        assert await _roles(api, c) == {org["id"]: "viewer"}
