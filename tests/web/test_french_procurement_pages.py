# ruff: noqa: RUF001 - French text is written with its typographic apostrophe.
"""Issue 19, three languages: the procurement, funding, pilot and notification pages read in
French (the `icc_lang` cookie or `Accept-Language`) carry no English left from their
templates, and German is served too; the e-mails are written in the current locale."""

from __future__ import annotations

from marketplace import i18n
from marketplace.clock import FrozenClock
from marketplace.notifications import mail
from tests.factories import Api
from tests.funding.helpers import scene
from tests.tenders.helpers import joint

FRENCH = {"Accept-Language": "fr"}


def _absent(text: str, *english: str) -> None:
    for phrase in english:
        assert phrase not in text, phrase


class TestTendersInFrench:
    async def test_a_tender_page_and_the_list(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        api.client.cookies.set("icc_lang", "fr")
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert page.status_code == 200
        assert '<html lang="fr">' in page.text
        for french in ("Acheteur chef de file", "Questions et réponses", "Journal d’audit",
                       "Critères d’attribution", "Lieux d’exécution", "Exigences",
                       "Données ouvertes OCDS", "Obligatoire", "Souhaitable", "Procédure ouverte"):  # fmt: skip
            assert french in page.text, french
        _absent(page.text, "Lead buyer", "Questions and answers", "Audit trail", "Award criteria",
                "Places of performance", "Requirements", "No amendments.", "Mandatory",
                "Desirable", " left)", "Open procedure")  # fmt: skip

        listing = await api.client.get("/tenders")
        assert "Appels d’offres publiés" in listing.text and "Étape" in listing.text
        assert "2 lots" in listing.text and "2 villes" in listing.text
        _absent(listing.text, "Published tenders", "Joint tenders", "Responses until", "Filter<")

    async def test_german_by_accept_language(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        page = await api.client.get(f"/tenders/{tender['id']}", headers={"Accept-Language": "de"})
        assert "Federführender Auftraggeber" in page.text and "Zuschlagskriterien" in page.text
        _absent(page.text, "Lead buyer", "Questions and answers")


class TestFundingInFrench:
    async def test_a_call_page_and_browse(self, api: Api) -> None:
        s = await scene(api)
        call = await s.open_call()
        page = await api.client.get(f"/funding-calls/{call['id']}", headers=FRENCH)
        assert page.status_code == 200
        for french in ("Tous les appels à financement", "Ville cheffe de file", "Montant recherché",
                       "Instruments souhaités", "Résultats attendus", "Le projet"):  # fmt: skip
            assert french in page.text, french
        _absent(page.text, "All funding calls", "Amount sought", "Instruments wanted",
                "About the project", "Expected outcomes", " months<")  # fmt: skip

        browse = await api.client.get("/funding-calls", headers=FRENCH)
        assert "Appels à financement" in browse.text and "Filtrer les appels" in browse.text
        assert "1 appel trouvé." in browse.text
        _absent(browse.text, "Filter calls", "found.", "Words in the title", "deadline ")


class TestPilotsAndNotificationsInFrench:
    async def test_the_pilots_page(self, api: Api) -> None:
        page = await api.client.get("/pilots", headers=FRENCH)
        assert page.status_code == 200
        assert "Pilotes proposés" in page.text and "offre de pilote" in page.text
        _absent(page.text, "Pilots on offer", "Fixed-price pilots", "packages<",
                "Payments are offline")  # fmt: skip

    async def test_the_inbox_and_preferences(self, api: Api) -> None:
        j = await joint(api)
        await api.sign_in_browser(j.partner)
        api.client.cookies.set("icc_lang", "fr")
        inbox = await api.client.get("/notifications")
        assert inbox.status_code == 200
        assert "0 non lues." in inbox.text and "Rien pour l’instant." in inbox.text
        assert "Préférences d’e-mail, suivis et recherches enregistrées" in inbox.text
        _absent(inbox.text, " unread", "Nothing yet", "E-mail preferences")
        preferences = await api.client.get("/notifications/preferences")
        assert "Invitations à co-acheter dans un appel d’offres" in preferences.text
        assert "Résumé quotidien" in preferences.text
        _absent(preferences.text, "Invitations to co-buy", "Daily digest", "Saved searches")


class TestMailInTheLocale:
    def test_an_e_mail_in_french_and_in_english(self) -> None:
        context = {
            "subject": "s", "name": "Ana", "title": "T", "body": "", "link": "https://x/y",
            "kind_label": "Invitations to co-buy a tender", "unsubscribe_url": "https://x/u", "preferences_url": "https://x/p",
        }  # fmt: skip
        text, html = mail.render("notification", locale="fr", **context)
        assert text.startswith("Bonjour Ana,") and "Se désabonner de ces e-mails" in text
        assert '<html lang="fr">' in html and "Ouvrir dans ICC Marketplace" in html
        assert "Invitations à co-acheter dans un appel d’offres" in text
        with i18n.using("fr"):  # the recipient's locale, not the sender's, is written
            text, html = mail.render("digest", locale=None, **{**context, "items": [context] * 2})
        assert text.startswith("Hello Ana,") and "2 new notifications" in text
        assert '<html lang="en">' in html
