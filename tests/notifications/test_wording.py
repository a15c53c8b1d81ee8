"""What a notification says is written in its reader's language when it is read: the inbox
and the API in the request's language, e-mail in the recipient's, old rows in their English."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert

from marketplace import i18n
from marketplace.clock import FrozenClock
from marketplace.notifications.models import Notification
from marketplace.notifications.wording import At, Day, Term, Terms, Words, read, say, say_n, stored
from tests.factories import Api, Person
from tests.notifications.conftest import Outbox
from tests.notifications.test_inbox import two_notifications


async def titles_in(api: Api, person: Person, language: str) -> list[tuple[str, str]]:
    r = await api.client.get(
        "/api/v1/notifications", headers={**person.headers, "Accept-Language": language}
    )
    assert r.status_code == 200, r.text
    return [(n["title"], n["body"]) for n in r.json()["items"]]


class TestInTheReadersLanguage:
    async def test_one_notification_reads_in_english_french_and_german(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner, _ = await two_notifications(api, outbox)
        assert (await titles_in(api, owner, "en"))[0] == (
            "Second Oy is verified",
            "Verified organisations can publish tenders and funding calls.",
        )
        assert (await titles_in(api, owner, "fr-BE,fr;q=0.9"))[0] == (
            "Second Oy est vérifiée",
            "Les organisations vérifiées peuvent publier des appels d’offres et des appels à "  # noqa: RUF001
            "financement.",
        )
        assert (await titles_in(api, owner, "de"))[0][0] == "Second Oy ist verifiziert"

    async def test_the_inbox_page_in_the_chosen_language(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner, _ = await two_notifications(api, outbox)
        await api.sign_in_browser(owner)
        api.client.cookies.set("icc_lang", "de")
        page = await api.client.get("/notifications")
        assert page.status_code == 200
        assert "Second Oy ist verifiziert" in page.text
        assert "Second Oy is verified" not in page.text

    async def test_a_row_written_before_wording_existed_keeps_its_english(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner = await api.person("Old reader")
        async with api.engine.begin() as conn:
            await conn.execute(
                insert(Notification).values(
                    user_id=owner.id, key="legacy:1", kind="member.added",
                    title="You were added to Old Oy", body="Your role: editor.",
                    link="/organisations/x", created_at=clock.now(), mail_state="none",
                )
            )  # fmt: skip
        assert await titles_in(api, owner, "fr") == [
            ("You were added to Old Oy", "Your role: editor.")
        ]


class TestWords:
    def test_moments_days_and_our_words_are_written_the_readers_way(self) -> None:
        moment = datetime(2026, 12, 2, 17, 5, tzinfo=UTC)
        words = [
            say("Responses until %(responses)s.", responses=At(moment)),
            say("The standstill period ends %(day)s; no contract is signed before.",
                day=Day(moment.date())),
            say("Changed: %(fields)s.", fields=Terms(("Title", "Responses close"))),
            say("Your role: %(role)s.", role=Term("viewer")),
        ]  # fmt: skip
        with i18n.using("en"):
            assert [str(w) for w in words] == [
                "Responses until 2 December 2026, 17:05 UTC.",
                "The standstill period ends 2 December 2026; no contract is signed before.",
                "Changed: Title, Responses close.",
                "Your role: viewer.",
            ]
        with i18n.using("de"):
            assert str(words[0]) == "Angebote bis 2. Dezember 2026, 17:05 UTC."
            assert str(words[3]) == "Ihre Rolle: Leser."
        with i18n.using("fr"):
            assert str(words[2]) == "Modifié : Titre, Clôture des réponses."

    def test_counts_take_the_languages_plural(self) -> None:
        one = say_n(
            "%(num)d response to %(title)s can be opened",
            "%(num)d responses to %(title)s can be opened",
            1,
            title="Bus depots",
        )
        three = Words.restored(
            say_n("%(num)d response to %(title)s can be opened",
                  "%(num)d responses to %(title)s can be opened", 3, title="Bus depots").stored()
        )  # fmt: skip
        with i18n.using("fr"):
            assert str(one) == "1 réponse à Bus depots peut être ouverte"
            assert str(three) == "3 réponses à Bus depots peuvent être ouvertes"
        assert three.english() == "3 responses to Bus depots can be opened"

    @given(
        title=st.text(max_size=40),
        number=st.integers(min_value=0, max_value=10**6),
        moment=st.datetimes(timezones=st.just(UTC)),
    )
    def test_what_is_kept_reads_back_the_same_in_every_language(
        self, title: str, number: int, moment: datetime
    ) -> None:
        title_words = say("You won lot %(number)s of %(title)s", number=number, title=title)
        body = [say("Responses until %(responses)s.", responses=At(moment))]
        kept = stored(title_words, body)
        for language in i18n.LOCALES:
            with i18n.using(language):
                assert read(kept, "", "") == (str(title_words), str(body[0]))
        with i18n.using("en"):
            assert read(kept, "", "")[0] == f"You won lot {number} of {title}"

    def test_what_cannot_be_read_falls_back_to_the_english_kept_beside_it(self) -> None:
        assert read({"title": {"values": {}}}, "Kept", "Body") == ("Kept", "Body")
        assert read({"title": {"text": "x %(a)s", "values": {"a": [1]}}}, "Kept", "") == (
            "Kept", "",
        )  # fmt: skip
