# ruff: noqa: RUF001 - French typography: apostrophes and dashes
"""Issue 19, three languages: the pages of accounts, listings, standards, search and the CPV
browser read in French (the `icc_lang` cookie) and German (`Accept-Language`), with no
English sentence of theirs left."""

from __future__ import annotations

from typing import Any

import pytest

from search import SearchBackend
from tests.factories import Api
from tests.listings.conftest import Sme, complete_listing, sme  # noqa: F401
from tests.search.corpus import CORPUS
from tests.searching.conftest import index  # noqa: F401


def _french(api: Api) -> None:
    api.client.cookies.set("icc_lang", "fr")


async def _page(api: Api, path: str, **params: Any) -> str:
    r = await api.client.get(path, params=params or None)
    assert r.status_code == 200, (path, r.status_code)
    assert '<html lang="fr">' in r.text
    return r.text


def _check(page: str, french: list[str], english: list[str]) -> None:
    for phrase in french:
        assert phrase in page, phrase
    for phrase in english:
        assert phrase not in page, phrase


async def _published_listing(api: Api, sme: Sme) -> str:  # noqa: F811
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
    )
    assert r.status_code == 201, r.text
    listing_id = str(r.json()["id"])
    r = await api.client.post(f"/api/v1/listings/{listing_id}/publish", headers=sme.editor.headers)
    assert r.status_code == 200, r.text
    return listing_id


class TestFrench:
    async def test_sign_in_and_sign_up(self, api: Api) -> None:
        _french(api)
        _check(
            await _page(api, "/sign-in"),
            ["Se connecter", "Adresse e-mail", "Mot de passe", "Pas encore de compte ?"],
            ["No account yet?", "Email address", "Create one"],
        )
        _check(
            await _page(api, "/sign-up"),
            [
                "Créer un compte",
                "Votre nom",
                "Au moins 10 caractères",
                "Vous avez déjà un compte ?",
            ],
            ["Your name", "At least 10 characters", "Already have an account?", "Create account"],
        )

    async def test_account_organisation_and_directory(self, api: Api, sme: Sme) -> None:  # noqa: F811
        await api.sign_in_browser(sme.owner)
        _french(api)
        _check(
            await _page(api, "/account"),
            ["Votre compte", "Vos organisations", "Jetons d’API", "Changer le mot de passe",
             "Où vous êtes connecté(e)", "PME", "Propriétaire"],
            ["Your account", "Your organisations", "API tokens", "Change password",
             "Where you are signed in", "Create token"],
        )  # fmt: skip
        _check(
            await _page(api, f"/organisations/{sme.id}"),
            ["Pays", "Finlande", "Région NUTS", "Membres", "Modifier le profil",
             "Solutions (0)", "Aucune solution publiée pour l’instant."],
            ["Country<", ">Finland<", "NUTS region", "Edit profile", "No published solutions yet."],
        )  # fmt: skip
        _check(
            await _page(api, "/organisations"),
            ["Le nom contient", "Toutes", "Villes", "Filtrer", "1 organisation."],
            ["Name contains", ">Cities<", "Filter</button>"],
        )
        _check(
            await _page(api, "/organisations/new"),
            ["Créer une organisation", "Autre acheteur public", "Centrale d’achat",
             "Numéro d’identification TVA", "Choisir…"],
            ["Create an organisation", "Other public buyer", "VAT identification number"],
        )  # fmt: skip

    async def test_listings_browse_show_and_form(self, api: Api, sme: Sme) -> None:  # noqa: F811
        listing_id = await _published_listing(api, sme)
        await api.sign_in_browser(sme.editor)
        _french(api)
        _check(
            await _page(api, "/listings"),
            ["Solutions des PME", "Tous les thèmes", "Afficher les solutions", "1 solution",
             "Énergies renouvelables"],
            ["Solutions from SMEs", "All themes", "Show solutions", "Renewable energies"],
        )  # fmt: skip
        _check(
            await _page(api, f"/listings/{listing_id}"),
            ["Une solution de", "Résultats promis", "Maturité technologique",
             "Système complet et qualifié", "Pays desservis", "Finlande, Suède", "18 mois",
             "Fondé sur les résultats", "du prix n’est payé que si les résultats sont atteints",
             "Conformité aux normes", "Appels d’offres pour cette solution", "Références"],
            ["A solution by", "Promised outcomes", "Technology readiness", "Countries served",
             "System complete and qualified", "18 months", "Standards conformance",
             "Tenders for this solution", "No references yet."],
        )  # fmt: skip
        _check(
            await _page(api, "/listings/new"),
            ["Nouvelle offre de solution", "Thèmes ICC", "Codes CPV", "Résultats mesurables",
             "Résultat 1", "Modèle de prix", "Part du prix conditionnelle, en % (",
             "Preuve de concept expérimentale", "Enregistrer le brouillon", "(facultatif)"],
            ["New solution listing", "ICC themes", "Measurable outcomes", "Pricing model",
             "Experimental proof of concept", "Save draft", "Add another outcome"],
        )  # fmt: skip
        _check(
            await _page(api, "/listings/mine"),
            ["Mes offres", "Nouvelle offre", "Publiée"],
            ["New listing", "Last changed"],
        )

    async def test_missing_fields_are_named_in_french(self, api: Api, sme: Sme) -> None:  # noqa: F811
        await api.sign_in_browser(sme.editor)
        _french(api)
        page = await api.client.get("/listings/new")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        r = await api.client.post(
            "/listings/new",
            data={"organisation_id": sme.id, "title": "", "_csrf_token": token},
        )
        assert r.status_code == 422
        assert "« Titre » est obligatoire." in r.text
        assert "Title is required" not in r.text

    async def test_sign_up_messages_name_the_field_in_french(self, api: Api) -> None:
        _french(api)
        page = await api.client.get("/sign-up")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        r = await api.client.post(
            "/sign-up",
            data={"name": "Anne", "email": "anne@example.eu", "password": "short",
                  "_csrf_token": token},
        )  # fmt: skip
        assert r.status_code == 422
        assert "« Mot de passe » doit compter au moins 10 caractères." in r.text
        assert "characters long" not in r.text

    async def test_standards_catalogue_and_standard(self, api: Api) -> None:
        _french(api)
        _check(
            await _page(api, "/standards"),
            ["Catalogue des normes", "Toutes les catégories", "Afficher les normes", "Émetteur",
             "Interopérabilité (MIM)"],
            ["Standards catalogue", "All categories", "Show standards", "Issuer",
             "Interoperability mim"],
        )  # fmt: skip
        _check(
            await _page(api, "/standards/OASC-MIM1"),
            ["Version en vigueur", "Émetteur", "Aucune ville ne s’est encore engagée",
             "Solutions déclarées conformes (0)"],
            ["Current version", "No city has committed", "Solutions claiming conformance"],
        )  # fmt: skip

    async def test_search_with_results(self, api: Api, index: SearchBackend) -> None:  # noqa: F811
        await index.upsert(CORPUS)
        _french(api)
        _check(
            await _page(api, "/search", q="public transport"),
            ["<strong>2</strong> résultats pour « public transport »", "Trier par",
             "Pertinence", "Plus récents", "Appels d’offres <span", "Filtrer les résultats",
             "p. ex. bus, Malmö"],
            ["results for", "Sort by", "Relevance", "Closing deadline", "Filter the results",
             "e.g. bus"],
        )  # fmt: skip

    async def test_cpv_browser_and_home(self, api: Api) -> None:
        _french(api)
        _check(
            await _page(api, "/cpv"),
            ["Codes CPV", "vocabulaire commun pour les marchés publics", "Divisions", "(division)"],
            ["Common Procurement Vocabulary", "Find a code by number or words"],
        )
        _check(
            await _page(api, "/cpv/45000000"),
            ["Divisions CPV", "CPV – division", "Dans cette division", "Solutions classées ici"],
            ["Within this division", "Solutions classified here"],
        )
        _check(
            await _page(api, "/"),
            ["Pour les villes", "Pour les PME", "Pour les financeurs", "Voir qui"],
            ["For cities", "For SMEs", "See who", "take part"],
        )

    async def test_error_page(self, api: Api) -> None:
        _french(api)
        r = await api.client.get("/listings/does-not-exist")
        assert r.status_code == 404
        assert "Introuvable" in r.text and "Aller à la page d’accueil" in r.text
        assert "Go to the home page" not in r.text


class TestGerman:
    @pytest.mark.parametrize(
        ("path", "german", "english"),
        [
            ("/sign-in", ["Anmelden", "Noch kein Konto?"], ["No account yet?"]),
            ("/standards", ["Normenkatalog", "Alle Kategorien"], ["All categories"]),
            ("/cpv", ["CPV-Codes", "Abteilungen"], ["Divisions"]),
            ("/listings", ["Lösungen von KMU", "Alle Themen"], ["All themes"]),
        ],
    )
    async def test_accept_language(
        self, api: Api, path: str, german: list[str], english: list[str]
    ) -> None:
        r = await api.client.get(path, headers={"Accept-Language": "de-DE,de;q=0.9"})
        assert r.status_code == 200 and '<html lang="de">' in r.text
        _check(r.text, german, english)
