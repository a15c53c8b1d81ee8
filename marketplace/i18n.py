"""Languages: the reader's locale for this request, its Babel catalogue, and numbers, money
and dates written and read the way people of that locale write them.

The locale lives in a context variable set once per request (by `LocaleMiddleware` in
`marketplace.web.locale`), so services, the translation layer for messages and the templates
all read the same one without passing it down every call. English is the source language;
French and German are complete catalogues; any other language falls back to English
(docs/i18n.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    format_percent,
    parse_decimal,
)
from babel.support import NullTranslations, Translations

LOCALES: dict[str, str] = {"en": "English", "fr": "Français", "de": "Deutsch"}
DEFAULT = "en"
# Babel locales used for formatting: British English writes dates as people in Europe do.
_FORMAT_LOCALE = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE"}
CATALOGUES = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str] = ContextVar("marketplace_locale", default=DEFAULT)


def current() -> str:
    return _current.get()


def set_current(locale: str) -> None:
    _current.set(locale if locale in LOCALES else DEFAULT)


@contextmanager
def using(locale: str) -> Iterator[None]:
    """Render something (an e-mail, a test) in another locale for a moment."""
    token = _current.set(locale if locale in LOCALES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an `Accept-Language` header; English when none fits."""
    if not accept_language:
        return DEFAULT
    wanted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((quality, tag.strip()))
    for _quality, tag in sorted(wanted, key=lambda w: -w[0]):
        language = tag.replace("_", "-").split("-")[0].lower()
        if language in LOCALES:
            return language
    return DEFAULT


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue (`make install` compiles them); from the .po file when the
    compiled one is missing, so a fresh checkout still speaks every language."""
    if locale == DEFAULT:
        return NullTranslations()
    folder = CATALOGUES / locale / "LC_MESSAGES"
    if (folder / "messages.mo").exists():
        return Translations.load(str(CATALOGUES), [locale], domain="messages")
    with (folder / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def gettext(message: str, **params: Any) -> str:
    """The message in the reader's language; `%(name)s` placeholders filled from `params`."""
    text = translations(current()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(current()).ungettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def N_(message: str) -> str:
    """Marks an English message for the catalogue where it is written down; it is
    translated later, where it is read (`gettext(message)`)."""
    return message


def babel_locale() -> Locale:
    return Locale.parse(_FORMAT_LOCALE[current()])


# --- writing ------------------------------------------------------------------------------


def number(value: Any, digits: int | None = None) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(amount, format=pattern, locale=_FORMAT_LOCALE[current()])


def money(value: Any, currency: str = "EUR") -> str:
    if isinstance(value, dict):
        value, currency = value.get("amount"), value.get("currency", currency)
    if value is None or value == "":
        return ""
    return format_currency(Decimal(str(value)), currency, locale=_FORMAT_LOCALE[current()])


def percent(value: Any) -> str:
    """`value` in percent (12.5 → "12.5 %" / "12,5 %")."""
    return format_percent(
        Decimal(str(value)) / 100, format="#,##0.#%", locale=_FORMAT_LOCALE[current()]
    )


def when(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt, tzinfo=value.tzinfo, locale=_FORMAT_LOCALE[current()])


def day(value: datetime | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value, fmt, locale=_FORMAT_LOCALE[current()])


def relative(value: datetime, now: datetime) -> str:
    """ "in 3 days" / "dans 3 jours" / "in 3 Tagen", and "2 hours ago" for the past."""
    return format_timedelta(
        value - now, add_direction=True, threshold=1.0, locale=_FORMAT_LOCALE[current()]
    )


# --- reading ------------------------------------------------------------------------------


class NotANumber(ValueError):
    """The text is not a finite number as people of this locale write one."""


def read_number(text: str) -> Decimal:
    """`2,450,000` in English, `2 450 000` or `2450000,50` in French, `2.450.000` in German.

    Babel's strict parsing refuses a group separator in the wrong place ("1,2,3"), which a
    loose replace-the-commas would read as 123. Non-finite values (nan, inf, 1e400 written
    out) are refused: they are never an amount anyone means.
    """
    if re.search(r"[^\d\s.,'\u202f\xa0+-]", text):
        raise NotANumber(text)  # "nan", "inf", "1e400", "12 kWh": letters are never a number
    cleaned = text.strip().replace("\u202f", " ").replace("\xa0", " ")
    locale = _FORMAT_LOCALE[current()]
    if current() == "fr":
        cleaned = cleaned.replace(" ", "\u202f")
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError:
        # A plain machine number ("2450000.50") is also what people paste.
        try:
            value = Decimal(text.strip())
        except InvalidOperation as error:
            raise NotANumber(text) from error
        if "," in text or " " in text.strip():
            raise NotANumber(text) from None
    if not value.is_finite() or abs(value.adjusted()) > 30:
        raise NotANumber(text)
    return value


def plain(value: Decimal) -> str:
    """The machine form the schemas read ("2450000.50")."""
    return format(value, "f")
