"""Issue 19, languages: English, French and German complete, Accept-Language honoured, the
choice remembered, numbers and money read and written per locale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from marketplace import i18n
from tests.factories import Api

LOCALE = Path(__file__).resolve().parent.parent / "marketplace" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue(language: str) -> dict[object, object]:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


class TestCatalogues:
    def test_the_template_is_up_to_date_with_the_sources(self, tmp_path: Path) -> None:
        """A UI string added without `make messages` fails here."""
        out = tmp_path / "fresh.pot"
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
             "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_", "--no-location",
             "--sort-output", "--omit-header", "-o", str(out), "."],
            cwd=LOCALE.parent.parent, check=True, capture_output=True,
        )  # fmt: skip
        with out.open("rb") as f:
            fresh = {m.id for m in read_po(f) if m.id}
        with (LOCALE / "messages.pot").open("rb") as f:
            kept = {m.id for m in read_po(f) if m.id}
        assert fresh - kept == set(), "run `make messages`"

    @pytest.mark.parametrize("language", ["fr", "de"])
    def test_every_message_is_translated_with_the_same_placeholders(self, language: str) -> None:
        with (LOCALE / "messages.pot").open("rb") as f:
            ids = [m.id for m in read_po(f) if m.id]
        catalogue = _catalogue(language)
        untranslated = [
            i for i in ids
            if not catalogue.get(i) or (isinstance(catalogue[i], tuple) and not all(catalogue[i]))
        ]  # fmt: skip
        assert untranslated == []
        # Every plural form the language has (French has three: one, many, other).
        assert [i for i in ids if isinstance(catalogue[i], tuple) and not all(catalogue[i])] == []
        for msgid in ids:
            source = msgid if isinstance(msgid, tuple) else (msgid,)
            target = catalogue[msgid]
            targets = target if isinstance(target, tuple) else (target,)
            wanted = set().union(*(PLACEHOLDER.findall(s) for s in source))
            for text in targets:
                assert set(PLACEHOLDER.findall(str(text))) <= wanted | {"num"}, (msgid, text)


class TestFormatting:
    def test_numbers_and_money_per_locale(self) -> None:
        with i18n.using("en"):
            assert i18n.money(2450000, "EUR") == "€2,450,000.00"
            assert i18n.read_number("2,450,000") == 2450000
        with i18n.using("fr"):
            assert i18n.money(2450000, "EUR") == "2\u202f450\u202f000,00\xa0€"
            assert i18n.read_number("2 450 000,50") == i18n.read_number("2450000.50")
        with i18n.using("de"):
            assert i18n.money(2450000, "EUR") == "2.450.000,00\xa0€"
            assert i18n.read_number("2.450.000") == 2450000

    @pytest.mark.parametrize("text", ["nan", "inf", "-1e400", "1,2,3", "12 kWh", ""])
    def test_what_is_not_a_finite_number_is_refused(self, text: str) -> None:
        with pytest.raises(i18n.NotANumber):
            i18n.read_number(text)


class TestNegotiation:
    async def test_accept_language_and_the_remembered_choice(self, api: Api) -> None:
        r = await api.client.get("/tenders", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})
        assert '<html lang="fr">' in r.text and "Appels d’offres" in r.text
        r = await api.client.get("/tenders", headers={"Accept-Language": "pl,it;q=0.8"})
        assert '<html lang="en">' in r.text  # other EU languages fall back to English
        switch = await api.client.get("/language/de?next=/tenders", follow_redirects=False)
        assert switch.status_code in (302, 303) and switch.headers["location"] == "/tenders"
        r = await api.client.get("/tenders", headers={"Accept-Language": "fr"})
        assert '<html lang="de">' in r.text and "Ausschreibungen" in r.text
        away = await api.client.get(
            "/language/fr?next=https://evil.example", follow_redirects=False
        )
        assert away.headers["location"] == "/"
