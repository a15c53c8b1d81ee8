"""The inbox in pages and orders: following Next reads every notification once, in the order
chosen, and the unread filter and the order survive the page links."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.notifications.models import Notification
from tests.downloads import every_page
from tests.factories import Api

# Each notification's "Open" form names it: /notifications/<id>/open.
OPENED = r'<form method="post" action="/notifications/(\d+)/open">'


async def _inbox(api: Api, db: AsyncSession, clock: FrozenClock, n: int) -> tuple[list[str], str]:
    """`n` notifications of one person, one a minute; every third one read. Ids, oldest first."""
    person = await api.person("Busy officer")
    rows = []
    for i in range(n):
        at = clock.now() + timedelta(minutes=i)
        rows.append(Notification(
            user_id=person.id, key=f"test:{i}", kind="organisation.verified",
            title=f"Notification {i}", body="", link="/organisations", created_at=at,
            read_at=at if i % 3 == 0 else None,
        ))  # fmt: skip
    db.add_all(rows)
    await db.commit()
    await api.sign_in_browser(person)
    return [str(r.id) for r in rows], person.id


class TestInboxPages:
    async def test_next_reads_every_notification_once_in_each_order(
        self, api: Api, db: AsyncSession, clock: FrozenClock
    ) -> None:
        ids, _ = await _inbox(api, db, clock, 23)
        read = {ids[i] for i in range(0, 23, 3)}
        pages = "/notifications?per_page=5"
        newest = await every_page(api.client, pages, "", pattern=OPENED)
        assert newest == ids[::-1]
        oldest = await every_page(api.client, pages + "&sort=oldest", "", pattern=OPENED)
        assert oldest == ids
        unread_first = await every_page(api.client, pages + "&sort=unread", "", pattern=OPENED)
        assert unread_first == [i for i in ids[::-1] if i not in read] + [
            i for i in ids[::-1] if i in read
        ]
        # The filter and the order are kept by the page links.
        only = await every_page(api.client, pages + "&unread=true&sort=oldest", "", pattern=OPENED)
        assert only == [i for i in ids if i not in read]
        page = await api.client.get("/notifications?per_page=5&sort=oldest")
        assert '<option value="oldest" selected>Oldest first</option>' in page.text
        assert 'rel="next" href="/notifications?sort=oldest&amp;per_page=5&amp;page=2"' in page.text

    async def test_an_unknown_order_on_the_page_is_the_default_and_the_api_refuses_it(
        self, api: Api, db: AsyncSession, clock: FrozenClock
    ) -> None:
        await _inbox(api, db, clock, 3)
        page = await api.client.get("/notifications?sort=loudest")
        assert page.status_code == 200
        token = await api.person("Someone")
        r = await api.client.get("/api/v1/notifications?sort=loudest", headers=token.headers)
        assert r.status_code == 400 and "sort" in r.text
        r = await api.client.get("/api/v1/notifications?sort=oldest", headers=token.headers)
        assert r.status_code == 200
