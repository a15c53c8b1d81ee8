"""The one translation layer from validation errors to sentences people read on a form.

Two sources of errors reach a form: Pydantic (types, lengths, ranges) and the services
(domain rules, in English developer-facing wording that the API also returns). Both come
here and leave as one sentence per form field that names the field as its label says, in the
reader's language, without internal paths ("lots.0.estimated_value.amount"). Pages collect
every problem of a form before answering, so nobody fixes one batch to meet the next.

Domain messages are matched by pattern: the API keeps its stable English `detail`, and the
page shows the translated sentence. A message no pattern knows is shown as the service wrote
it (better than hiding it), prefixed with the label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from marketplace import i18n
from marketplace.errors import FieldError
from marketplace.i18n import gettext as _


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


Where = Callable[[tuple[Any, ...]], str]


def dotted_where(loc: tuple[Any, ...]) -> str:
    """The default mapping from a schema path to a form field: its first part."""
    return str(loc[0]) if loc else "form"


def full_where(loc: tuple[Any, ...]) -> str:
    """For forms whose inputs are named by the whole path (`outcomes.0.target`, the listing
    form): the message goes next to that very input."""
    return ".".join(str(part) for part in loc) if loc else "form"


# --- Pydantic --------------------------------------------------------------------------------

_PYDANTIC: dict[str, str] = {
    "missing": N_("%(label)s is required."),
    "string_too_short": N_("%(label)s must be at least %(min_length)s characters long."),
    "string_too_long": N_("%(label)s must be at most %(max_length)s characters long."),
    "too_short": N_("Choose at least %(min_length)s for %(label)s."),
    "too_long": N_("Choose at most %(max_length)s for %(label)s."),
    "decimal_parsing": N_("%(label)s must be a number, such as %(example)s."),
    "decimal_type": N_("%(label)s must be a number, such as %(example)s."),
    "float_parsing": N_("%(label)s must be a number, such as %(example)s."),
    "int_parsing": N_("%(label)s must be a whole number."),
    "int_from_float": N_("%(label)s must be a whole number."),
    "finite_number": N_("%(label)s must be a number, such as %(example)s."),
    "greater_than_equal": N_("%(label)s must be %(ge)s or more."),
    "greater_than": N_("%(label)s must be more than %(gt)s."),
    "less_than_equal": N_("%(label)s must be %(le)s or less."),
    "less_than": N_("%(label)s must be less than %(lt)s."),
    "decimal_max_digits": N_("%(label)s is too large."),
    "decimal_whole_digits": N_("%(label)s is too large."),
    "decimal_max_places": N_("%(label)s can have at most %(decimal_places)s decimal places."),
    "datetime_parsing": N_("%(label)s must be a date and time."),
    "datetime_from_date_parsing": N_("%(label)s must be a date and time."),
    "datetime_type": N_("%(label)s must be a date and time."),
    "timezone_aware": N_("%(label)s must be a date and time."),
    "date_parsing": N_("%(label)s must be a date."),
    "date_from_datetime_parsing": N_("%(label)s must be a date."),
    "literal_error": N_("Choose one of the options for %(label)s."),
    "enum": N_("Choose one of the options for %(label)s."),
    "url_parsing": N_("%(label)s must be a web address starting with https://."),
    "url_scheme": N_("%(label)s must be a web address starting with https://."),
    "url_type": N_("%(label)s must be a web address starting with https://."),
    "extra_forbidden": N_("%(label)s cannot be changed here."),
    "bool_parsing": N_("Choose yes or no for %(label)s."),
}
_FALLBACK = N_("%(label)s is not valid.")


def _example() -> str:
    return i18n.number(Decimal("2450000"))


def _number_text(value: Any) -> str:
    try:
        return i18n.number(Decimal(str(value)))
    except Exception:
        return str(value)


# --- the services' messages --------------------------------------------------------------------

# (pattern of the English service message, translatable sentence). Named groups fill the
# placeholders; `%(label)s` is the field's label.
_DOMAIN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in [
        (r"^must be in the future$", N_("%(label)s must be in the future.")),
        (
            r"^must be one of the responding organisation's published solutions$",
            N_(
                "Choose one of your organisation’s published solutions: this one is not, or "  # noqa: RUF001
                "is no longer, on offer."
            ),
        ),
        (
            r"^must be before the submission deadline$",
            N_("%(label)s must be before the deadline for responses."),
        ),
        (
            r"^must be at least (?P<days>\d+) days after publication for an? (?P<procedure>[a-z_ ]+) procedure$",
            N_(
                "%(label)s must be at least %(days)s days after publication for this procedure: "
                "%(date)s or later would work if you publish now."
            ),
        ),
        (
            r"^must be at least (?P<days>\d+) days after publication$",
            N_(
                "%(label)s must be at least %(days)s days after publication: "
                "%(date)s or later would work if you publish now."
            ),
        ),
        (
            r"^must be at least (?P<days>\d+) days before the submission deadline",
            N_(
                "%(label)s must be at least %(days)s days before responses close, so that "
                "answers reach every bidder in time."
            ),
        ),
        (r"^weights must sum to 100$", N_("The weights of the award criteria must add up to 100.")),
        (
            r"^weights must sum to 100 \(they sum to (?P<total>\d+)\)$",
            N_("The weights of the award criteria must add up to 100 (they add up to %(total)s)."),
        ),
        (r"^criterion names must be unique$", N_("Each award criterion needs its own name.")),
        (r"^at least one lot is needed$", N_("Describe at least one lot.")),
        (r"^at least one CPV code is needed$", N_("Choose at least one CPV code.")),
        (
            r"^describe the need \(at least 20 characters\)$",
            N_("Describe the need in at least 20 characters."),
        ),
        (
            r"^(?P<name>.+) has not confirmed its participation$",
            N_("%(name)s has not yet confirmed its participation."),
        ),
        (r"^must be a city$", N_("%(label)s must be a city.")),
        (
            r"^must be a city or another public buyer$",
            N_("%(label)s must be a city or another public buyer."),
        ),
        (r"^a city is listed twice$", N_("A city is listed twice in %(label)s.")),
        (r"^must be more than zero$", N_("%(label)s must be more than zero.")),
        (r"^must be at most (?P<max>[\d.]+)$", N_("%(label)s must be at most %(max)s.")),
        (
            r"^must be (?P<currency>[A-Z]{3}), the currency of the call$",
            N_("Offer in %(currency)s, the currency of the call."),
        ),
        (r"^the call asks for (?P<wanted>.+)$", N_("The call asks for: %(wanted)s.")),
        (
            r"^must not be above the amount sought \((?P<sought>.+)\)$",
            N_("%(label)s must not be above the amount sought (%(sought)s)."),
        ),
        (r"^is not a lot of this tender$", N_("Choose a lot of this tender.")),
        (r"^must be distinct lots of this tender$", N_("Choose each lot once.")),
        (
            r"^this response does not cover the lot$",
            N_("This response does not cover the lot."),
        ),
        (
            r"^'(?P<value>[^']*)' is not a CPV 2008 code$",
            N_("%(value)s is not a CPV code; choose one from the list."),
        ),
        (
            r"^'(?P<value>[^']*)' is not a NUTS 2024 region code$",
            N_("%(value)s is not a region code; choose one from the list."),
        ),
        (
            r"^'(?P<value>[^']*)' is not an ISO 4217 currency code$",
            N_("%(value)s is not a currency; choose one from the list."),
        ),
        (
            r"^'(?P<value>[^']*)' is not an ISO 3166-1 alpha-2 country code$",
            N_("%(value)s is not a country; choose one from the list."),
        ),
        (r"^is already registered$", N_("An account already uses this e-mail address.")),
        (r"^must not be below the minimum", N_("%(label)s must not be below the minimum.")),
        (r"^is claimed twice$", N_("A standard is listed twice.")),
        (r"^must not be in the future$", N_("%(label)s must not be in the future.")),
        (
            r"^a published lot cannot be removed; cancel the tender instead$",
            N_("A published lot cannot be removed; cancel the tender instead."),
        ),
        (
            r"^an amendment cannot bring the deadline earlier$",
            N_("An amendment cannot bring the deadline earlier."),
        ),
        (r"^the amendment changes nothing$", N_("The amendment changes nothing.")),
        (
            r"^unknown standard (?P<codes>.+)$",
            N_("%(codes)s is not in the standards catalogue."),
        ),
        (
            r"^a share needs a quantity or a value$",
            N_("Give a quantity or a value for each share."),
        ),
        # Accounts: sign-up, organisations, members, passwords.
        (
            r"^(?P<code>\S+) is not a region of (?P<country>[A-Z]{2})$",
            N_("%(code)s is not a region of this country; choose a region of the country."),
        ),
        (
            r"^only public buyers have a buyer type$",
            N_("Only public buyers have a type of public buyer."),
        ),
        (r"^a city is an organisation of kind city$", N_("Choose the kind “City” for a city.")),
        (
            r"^(?P<scheme>\S+) (?P<number>.+) belongs to another organisation$",
            N_("%(scheme)s %(number)s belongs to another organisation."),
        ),
        (
            r"^no account uses this address; ask them to sign up first$",
            N_("No account uses this address; ask them to sign up first."),
        ),
        (r"^is not correct$", N_("%(label)s is not correct.")),
        (
            r"^must be at least (?P<min>\d+) characters long$",
            N_("%(label)s must be at least %(min)s characters long."),
        ),
        (
            r"^is too easy to guess; use a longer phrase$",
            N_("%(label)s is too easy to guess; use a longer phrase."),
        ),
        (
            r"^must not contain your email address$",
            N_("%(label)s must not contain your email address."),
        ),
        # Listings and standards.
        (
            r"^outcome-based pricing needs the share of the price at risk \(0 to 100\)$",
            N_("Outcome-based pricing needs the share of the price at risk (0 to 100)."),
        ),
        (
            r"^applies to outcome-based pricing only$",
            N_("%(label)s applies to outcome-based pricing only."),
        ),
        (
            r"^'(?P<value>[^']*)' is not in the catalogue$",
            N_("%(value)s is not in the standards catalogue."),
        ),
        (r"^no such organisation$", N_("Choose one of your organisations.")),
        (
            r"^only SMEs \(suppliers\) offer solution listings$",
            N_("Only SMEs (suppliers) offer solution listings."),
        ),
        (r"^cannot be null$", N_("%(label)s is required.")),
        (r"^cannot be empty$", N_("%(label)s is required.")),
        (r"^Value error, (?P<rest>.+)$", "%(rest)s"),
    ]
]


def _procedure_days_date(days: str, now: datetime) -> str:
    # One hour of margin: the form is read, then published a few minutes later.
    return i18n.when(now + timedelta(days=int(days), hours=1), "long")


def domain_sentence(label: str, message: str, now: datetime | None = None) -> str:
    text = message.removeprefix("Value error, ").strip()
    for pattern, template in _DOMAIN:
        found = pattern.match(text)
        if found is None:
            continue
        params: dict[str, Any] = {"label": label, **found.groupdict()}
        if "days" in params and "after publication" in text:
            params["date"] = _procedure_days_date(
                params["days"], now or datetime.now().astimezone()
            )
        if template == "%(rest)s":
            return domain_sentence(label, params["rest"], now)
        return _(template, **params)
    return f"{label}: {text}" if label else text


def _label(labels: Mapping[str, str], field: str) -> str:
    if field in labels:
        return labels[field]
    return field.replace("_", " ").replace(".", " ").strip().capitalize()


def pydantic_messages(
    errors: Iterable[Mapping[str, Any]], labels: Mapping[str, str], where: Where = dotted_where,
    now: datetime | None = None,
) -> dict[str, str]:  # fmt: skip
    """Pydantic's `error.errors()` as {form field: sentence}; the first problem per field."""
    out: dict[str, str] = {}
    for error in errors:
        field = where(tuple(error.get("loc", ())))
        if field in out:
            continue
        label = _label(labels, field)
        kind = str(error.get("type", ""))
        if kind == "value_error":
            out[field] = domain_sentence(label, str(error.get("msg", "")), now)
            continue
        params: dict[str, Any] = {"label": label, "example": _example()}
        for key, value in (error.get("ctx") or {}).items():
            params[key] = _number_text(value) if key in {"ge", "gt", "le", "lt"} else value
        template = _PYDANTIC.get(kind, _FALLBACK)
        try:
            out[field] = _(template, **params)
        except (KeyError, ValueError):
            out[field] = _(_FALLBACK, label=label)
    return out


def domain_messages(
    errors: Iterable[FieldError], labels: Mapping[str, str], where: Where = dotted_where,
    now: datetime | None = None,
) -> dict[str, str]:  # fmt: skip
    out: dict[str, str] = {}
    for error in errors:
        parts = tuple(int(p) if p.isdigit() else p for p in error.field.split("."))
        field = where(parts)
        sentence = domain_sentence(_label(labels, field), error.message, now)
        out[field] = f"{out[field]} {sentence}" if field in out else sentence
    return out
