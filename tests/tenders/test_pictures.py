# ruff: noqa: RUF001 - French text is written with its typographic apostrophe.
"""Issue 19, pictures: a tender's timeline on its page and a city's tenders by stage on its
home, drawn as SVG with the same figures in a table behind each; honest about a cancelled or
decided tender; in the reader's language."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from marketplace import i18n
from marketplace.clock import FrozenClock
from marketplace.tenders.pictures import PIPELINE
from marketplace.web.labels import stage_names
from tests.factories import Api
from tests.pictures import SVG, Shown, picture, spaced
from tests.tenders.helpers import Joint, joint
from tests.web.test_home import _sign_in


def _day(value: str | datetime, locale: str = "en") -> str:
    """A date of the record as the reader's locale writes it."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    with i18n.using(locale):
        return spaced(i18n.day(when, "medium"))


async def _timeline(api: Api, tender_id: str, **headers: str) -> Shown:
    r = await api.client.get(f"/tenders/{tender_id}", headers=headers)
    assert r.status_code == 200
    return picture(r.text, "tender-timeline")


def _drawn_like_the_table(shown: Shown) -> None:
    """Each row of the table is in the picture: its name, then its date and state."""
    assert len(shown.head) == 3
    for label, date, state in shown.rows:
        assert label in shown.words  # (long ones wrap onto several lines)
        assert (f"{date} · {state}" if date != "—" else state) in shown.words


def _axis(shown: Shown) -> tuple[list[float], float]:
    """The dots on the axis, left to right, and where today's line is."""
    dots = [float(c.get("cx", 0)) for c in shown.svg.iter(f"{SVG}circle") if c.get("cy") == "44"]
    (now,) = [e for e in shown.svg.iter() if e.get("class") == "chart-now"]
    return dots, float(now.get("x1", 0))


async def _cancel(api: Api, j: Joint, tender: dict[str, Any]) -> dict[str, Any]:
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/cancel", json={"reason": "The budget was withdrawn."},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


class TestTheTimeline:
    async def test_an_open_tender_from_publication_to_award_with_today_marked(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=8))
        shown = await _timeline(api, tender["id"])
        assert shown.title == "Timeline of the tender"
        assert shown.rows == [
            ["Publication", _day(tender["published_at"]), "Done"],
            ["Questions close", _day(tender["clarification_deadline"]), "17 days 0 h left"],
            ["Responses close", _day(tender["submission_deadline"]), "27 days 0 h left"],
            ["Award", "—", "After responses close"],
        ]
        _drawn_like_the_table(shown)
        assert f"Today ({_day(clock.now())})" in shown.texts
        assert "Stage: Open for responses" in shown.desc
        assert _day(tender["submission_deadline"]) in shown.desc
        dots, now = _axis(shown)
        assert len(dots) == 3 and dots[0] < now < dots[1] < dots[2]  # published, today, two ahead

    async def test_a_cancelled_tender_says_cancelled_and_its_deadlines_no_longer_apply(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=2))
        cancelled = await _cancel(api, j, tender)
        clock.advance(timedelta(days=30))  # past the question deadline: still not "passed"
        shown = await _timeline(api, tender["id"])
        void = "No longer applies: the tender was cancelled"
        assert shown.rows == [
            ["Publication", _day(tender["published_at"]), "Done"],
            ["Cancelled", _day(cancelled["cancelled_at"]), "The tender has ended"],
            ["Questions close", _day(tender["clarification_deadline"]), void],
            ["Responses close", _day(tender["submission_deadline"]), void],
        ]
        _drawn_like_the_table(shown)
        assert "Stage: Cancelled" in shown.desc
        assert "left" not in shown.words and "Passed" not in shown.words
        assert "Award" not in [row[0] for row in shown.rows]
        steps = [g for g in shown.svg.iter(f"{SVG}g") if "chart-step" in (g.get("class") or "")]
        assert [g.get("class") for g in steps] == [
            "chart-step chart-done", "chart-step chart-cancelled",
            "chart-step chart-void", "chart-step chart-void",
        ]  # fmt: skip

    async def test_a_decided_tender_shows_its_award(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await j.respond(api, tender)
        assert r.status_code == 201, r.text
        clock.advance(timedelta(days=36))
        lots = tender["lots"]
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/awards",
            json={
                "lot_id": lots[0]["id"],
                "response_id": r.json()["id"],
                "value": {"amount": "120000.00", "currency": "EUR"},
            },
            headers=j.lead.headers,
        )
        assert r.status_code == 201, r.text
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/unsuccessful",
            json={"lot_id": lots[1]["id"], "reason": "No response met the requirements"},
            headers=j.lead.headers,
        )
        assert r.status_code == 201 and r.json()["tender_status"] == "complete", r.text
        shown = await _timeline(api, tender["id"])
        assert shown.rows[1:] == [
            ["Questions close", _day(tender["clarification_deadline"]), "Passed"],
            ["Responses close", _day(tender["submission_deadline"]), "Passed"],
            ["Award", _day(clock.now()), "Every lot decided"],
        ]
        _drawn_like_the_table(shown)
        dots, now = _axis(shown)
        assert len(dots) == 4 and dots == sorted(dots) and dots[-1] <= now

    async def test_a_draft_has_planned_dates_and_no_publication_yet(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        await api.sign_in_browser(j.lead)
        shown = await _timeline(api, tender["id"])
        assert shown.rows == [
            ["Publication", "—", "Not yet"],
            ["Questions close", _day(tender["clarification_deadline"]), "Planned"],
            ["Responses close", _day(tender["submission_deadline"]), "Planned"],
            ["Award", "—", "After publication, once responses close"],
        ]
        _drawn_like_the_table(shown)

    async def test_a_draft_given_up_will_never_be_published(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        cancelled = await _cancel(api, j, tender)
        await api.sign_in_browser(j.lead)
        shown = await _timeline(api, tender["id"])
        void = "No longer applies: the tender was cancelled"
        assert shown.rows == [
            ["Publication", "—", void],
            ["Cancelled", _day(cancelled["cancelled_at"]), "The tender has ended"],
            ["Questions close", _day(tender["clarification_deadline"]), void],
            ["Responses close", _day(tender["submission_deadline"]), void],
        ]
        _drawn_like_the_table(shown)
        assert "Not yet" not in shown.words and "Planned" not in shown.words

    async def test_in_french(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        clock.advance(timedelta(days=2))
        cancelled = await _cancel(api, j, tender)
        api.client.cookies.set("icc_lang", "fr")
        shown = await _timeline(api, tender["id"])
        assert shown.title == "Calendrier de l’appel d’offres"
        assert shown.head == ["Étape", "Date", "État"]
        assert [row[0] for row in shown.rows] == [
            "Publication", "Annulé", "Fin des questions", "Clôture des réponses"
        ]  # fmt: skip
        assert shown.rows[1][1] == _day(cancelled["cancelled_at"], "fr") == "4 mars 2026"
        assert shown.rows[2][2] == "Ne s’applique plus : l’appel d’offres a été annulé"
        assert "Étape : Annulé" in spaced(shown.desc)
        _drawn_like_the_table(shown)
        assert "Show as table" not in (await api.client.get(f"/tenders/{tender['id']}")).text


class TestThePipeline:
    async def test_a_city_officer_sees_its_tenders_by_stage(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        drafts = [await j.create(api, clock, title=f"Draft {n}") for n in range(2)]
        published = await j.published(api, clock, title="Open one")
        ended = await j.published(api, clock, title="Cancelled one")
        await _cancel(api, j, ended)
        stages: Counter[str] = Counter()
        for t in [*drafts, published, ended]:
            r = await api.client.get(f"/api/v1/tenders/{t['id']}", headers=j.lead.headers)
            stages[r.json()["stage"]] += 1
        shown = picture(await _sign_in(api, j.lead.email), "tender-pipeline")
        names = stage_names()
        assert shown.title == "My tenders by stage"
        assert shown.head == ["Stage", "Tenders"]
        assert shown.rows == [[names[s], str(stages.get(s, 0))] for s in PIPELINE]
        assert shown.bars == [stages.get(s, 0) for s in PIPELINE]
        for name, count in shown.rows:
            assert name in shown.texts and count in shown.texts and f"{name}: {count}" in shown.desc
        assert "4 tenders in all" in shown.desc
        # The longest bar is the stage with the most tenders; an empty stage has none.
        widths = {
            s: float(r.get("width", 0))
            for s, r in zip(PIPELINE, [r for r in shown.svg.iter(f"{SVG}rect")
                                       if r.get("class") == "chart-bar"], strict=True)
        }  # fmt: skip
        assert max(widths, key=lambda s: widths[s]) == "planning" and widths["evaluation"] == 0

    async def test_in_german(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        await j.create(api, clock)
        page = await _sign_in(api, j.lead.email)
        assert picture(page, "tender-pipeline").rows[0] == ["Planning (draft)", "1"]
        r = await api.client.get("/home", headers={"Accept-Language": "de"})
        shown = picture(r.text, "tender-pipeline")
        assert shown.title == "Meine Ausschreibungen nach Phase"
        assert shown.rows[0] == ["Planung (Entwurf)", "1"]
        assert "Planung (Entwurf)" in shown.texts
