"""Names where the data holds codes (issue 19, item 11): CPV codes with their labels, NUTS
regions by name with the code beside it, procedures and what an amendment changed as a
procurement officer names them, in English, French and German."""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import joint


class TestNamesBesideCodes:
    async def test_the_tender_page_names_its_classification_places_and_changes(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        later = clock.now() + timedelta(days=40)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/amendments",
            json={"rationale": "More time for joint bids",
                  "changes": {"submission_deadline": later.isoformat()}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        page = (await api.client.get(f"/tenders/{tender['id']}")).text
        assert "48000000-8 Software package and information systems" in page
        assert "Helsinki-Uusimaa (FI1B1), Wien (AT130)" in page
        assert "Open procedure" in page
        assert "Responses close changed" in page and "Submission deadline changed" not in page

        api.client.cookies.set("icc_lang", "fr")
        page = (await api.client.get(f"/tenders/{tender['id']}")).text
        assert "Procédure ouverte" in page
        assert "Clôture des réponses : modifié" in page
        assert "Helsinki-Uusimaa (FI1B1)" in page

    async def test_every_procedure_has_a_name_in_each_language(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock, procedure="competitive_with_negotiation")
        await api.sign_in_browser(j.lead)
        page = (await api.client.get(f"/tenders/{draft['id']}")).text
        assert "Competitive procedure with negotiation" in page
        assert "competitive_with_negotiation" not in page.split("<main", 1)[-1]
        page = (
            await api.client.get(
                f"/tenders/{draft['id']}", headers={"Accept-Language": "de-DE,de;q=0.9"}
            )
        ).text
        assert "Verhandlungsverfahren mit Teilnahmewettbewerb" in page

    async def test_an_organisation_names_its_region(self, api: Api) -> None:
        owner = await api.person("Officer")
        city = await api.organisation(owner, "city", name="City of Helsinki", nuts_code="FI1B1")
        page = (await api.client.get(f"/organisations/{city['id']}")).text
        assert "Helsinki-Uusimaa (FI1B1)" in page
        assert "<dd>FI1B1</dd>" not in page
