"""The one translation layer from validation errors to sentences people read on a form.

Two sources of errors reach a form: Pydantic (types, lengths, ranges) and the services
(domain rules, in English developer-facing wording that the API also returns). Both come
here and leave as one sentence per form field that names the field as its label says, in the
reader's language, without internal paths ("lots.0.estimated_value.amount"). Pages collect
every problem of a form before answering, so nobody fixes one batch to meet the next.

A service's message arrives as its template and values (`FieldError.template`, `.params`;
a validator's as `errors.Sentence`): the API keeps its stable English `message`, and the page
looks the template up here and shows the translated sentence with the values put in. A
message this table does not know is shown as the service wrote it (better than hiding it),
prefixed with the label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from marketplace import i18n
from marketplace.errors import FieldError, Sentence
from marketplace.i18n import N_
from marketplace.i18n import gettext as _

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

# {the service's template (`FieldError.template`, or its whole message when it has no
# values): the sentence a page shows}. The service's values fill the placeholders, beside
# `%(label)s`, the field's label. Keyed on the template, never on the English text with its
# values put in, so a changed value never loses its translation.
_DOMAIN: dict[str, str] = {
    "must be in the future": N_("%(label)s must be in the future."),
    "must be one of the responding organisation's published solutions": N_(
        "Choose one of your organisation’s published solutions: this one is not, or "  # noqa: RUF001
        "is no longer, on offer."
    ),
    "must be before the submission deadline": N_(
        "%(label)s must be before the deadline for responses."
    ),
    "must be at least %(days)s days after publication for %(a_procedure)s procedure": N_(
        "%(label)s must be at least %(days)s days after publication for this procedure: "
        "%(date)s or later would work if you publish now."
    ),
    "must be at least %(days)s days after publication": N_(
        "%(label)s must be at least %(days)s days after publication: "
        "%(date)s or later would work if you publish now."
    ),
    "must be at least %(days)s days before the submission deadline so that answers reach "
    "every bidder in time": N_(
        "%(label)s must be at least %(days)s days before responses close, so that "
        "answers reach every bidder in time."
    ),
    "weights must sum to 100": N_("The weights of the award criteria must add up to 100."),
    "weights must sum to 100 (they sum to %(total)s)": N_(
        "The weights of the award criteria must add up to 100 (they add up to %(total)s)."
    ),
    "criterion names must be unique": N_("Each award criterion needs its own name."),
    "at least one lot is needed": N_("Describe at least one lot."),
    "at least one CPV code is needed": N_("Choose at least one CPV code."),
    "describe the need (at least 20 characters)": N_(
        "Describe the need in at least 20 characters."
    ),
    "%(name)s has not confirmed its participation": N_(
        "%(name)s has not yet confirmed its participation."
    ),
    "must be a city": N_("%(label)s must be a city."),
    "must be a city or another public buyer": N_(
        "%(label)s must be a city or another public buyer."
    ),
    "a city is listed twice": N_("A city is listed twice in %(label)s."),
    "must be more than zero": N_("%(label)s must be more than zero."),
    "must be at most %(max)s": N_("%(label)s must be at most %(max)s."),
    "must be at most %(max)s characters": N_("%(label)s must be at most %(max)s characters long."),
    "must be %(currency)s, the currency of the call": N_(
        "Offer in %(currency)s, the currency of the call."
    ),
    "the call asks for %(wanted)s": N_("The call asks for: %(wanted)s."),
    "must not be above the amount sought (%(sought)s)": N_(
        "%(label)s must not be above the amount sought (%(sought)s)."
    ),
    "is not a lot of this tender": N_("Choose a lot of this tender."),
    "must be distinct lots of this tender": N_("Choose each lot once."),
    "this response does not cover the lot": N_("This response does not cover the lot."),
    "%(value)r is not a CPV 2008 code": N_(
        "%(value)s is not a CPV code; choose one from the list."
    ),
    "%(value)r is not a NUTS 2024 region code": N_(
        "%(value)s is not a region code; choose one from the list."
    ),
    "%(value)r is not an ISO 4217 currency code": N_(
        "%(value)s is not a currency; choose one from the list."
    ),
    "%(value)r is not an ISO 3166-1 alpha-2 country code": N_(
        "%(value)s is not a country; choose one from the list."
    ),
    "is already registered": N_("An account already uses this e-mail address."),
    "must not be below the minimum": N_("%(label)s must not be below the minimum."),
    "is claimed twice": N_("A standard is listed twice."),
    "must not be in the future": N_("%(label)s must not be in the future."),
    "a published lot cannot be removed; cancel the tender instead": N_(
        "A published lot cannot be removed; cancel the tender instead."
    ),
    "an amendment cannot bring the deadline earlier": N_(
        "An amendment cannot bring the deadline earlier."
    ),
    "the amendment changes nothing": N_("The amendment changes nothing."),
    "unknown standard %(codes)s": N_("%(codes)s is not in the standards catalogue."),
    "a share needs a quantity or a value": N_("Give a quantity or a value for each share."),
    # Accounts: sign-up, organisations, members, passwords.
    "%(code)s is not a region of %(country)s": N_(
        "%(code)s is not a region of this country; choose a region of the country."
    ),
    "only public buyers have a buyer type": N_("Only public buyers have a type of public buyer."),
    "a city is an organisation of kind city": N_("Choose the kind “City” for a city."),
    "%(scheme)s %(number)s belongs to another organisation": N_(
        "%(scheme)s %(number)s belongs to another organisation."
    ),
    "no account uses this address; ask them to sign up first": N_(
        "No account uses this address; ask them to sign up first."
    ),
    "is not correct": N_("%(label)s is not correct."),
    "must be at least %(min)s characters long": N_(
        "%(label)s must be at least %(min)s characters long."
    ),
    "is too easy to guess; use a longer phrase": N_(
        "%(label)s is too easy to guess; use a longer phrase."
    ),
    "must not contain your email address": N_("%(label)s must not contain your email address."),
    # Listings and standards.
    "outcome-based pricing needs the share of the price at risk (0 to 100)": N_(
        "Outcome-based pricing needs the share of the price at risk (0 to 100)."
    ),
    "applies to outcome-based pricing only": N_("%(label)s applies to outcome-based pricing only."),
    "%(value)r is not in the catalogue": N_("%(value)s is not in the standards catalogue."),
    "no such organisation": N_("Choose one of your organisations."),
    "only SMEs (suppliers) offer solution listings": N_(
        "Only SMEs (suppliers) offer solution listings."
    ),
    # Contracts and their implementation.
    "is before the award of the lot (%(date)s)": N_(
        "%(label)s is before the award of the lot (%(date)s)."
    ),
    "is in the future; record a contract once it is signed": N_(
        "%(label)s is in the future: record the contract once it is signed."
    ),
    "is in the future; record a payment once it is made": N_(
        "%(label)s is in the future: record the payment once it is made."
    ),
    "is in the future": N_("%(label)s is in the future."),
    "must be the award's currency, %(currency)s": N_(
        "%(label)s must be the award's currency, %(currency)s."
    ),
    "must be the contract's currency, %(currency)s": N_(
        "%(label)s must be the contract's currency, %(currency)s."
    ),
    "is before the start date": N_("%(label)s is before the start date."),
    "is before the contract was signed (%(date)s)": N_(
        "%(label)s is before the contract was signed (%(date)s)."
    ),
    "is not a buying city of this tender": N_("%(label)s is not a buying city of this tender."),
    "has a share already": N_("%(label)s has a share already."),
    "changes nothing: every value given is the current one": N_(
        "Nothing changes: every value given is the current one."
    ),
    # Documents and attachments.
    "is larger than %(bytes)s bytes": N_("%(label)s is larger than the size accepted."),
    "the file is empty": N_("%(label)s is empty: choose the file again."),
    "the file's content is not one of the accepted types (%(types)s)": N_(
        "This kind of file is not accepted; send one of: %(types)s."
    ),
    "the file is a %(kind)s but its name does not end with %(extensions)s": N_(
        "The file is a %(kind)s but its name does not end with %(extensions)s; rename it."
    ),
    "a response carries at most %(max)s attachments; remove one first": N_(
        "A response carries at most %(max)s attachments; remove one first."
    ),
    "not a documentType of the %(section)s section": N_(
        "Choose one of the kinds of document offered for %(label)s."
    ),
    "cannot be null": N_("%(label)s is required."),
    "cannot be empty": N_("%(label)s is required."),
}
_AFTER_PUBLICATION = frozenset(
    {"must be at least %(days)s days after publication for %(a_procedure)s procedure",
     "must be at least %(days)s days after publication"}
)  # fmt: skip
_VALUE_ERROR = "Value error, "


def _procedure_days_date(days: object, now: datetime) -> str:
    # One hour of margin: the form is read, then published a few minutes later.
    return i18n.when(now + timedelta(days=int(str(days)), hours=1), "long")


def domain_sentence(
    label: str, template: str, params: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> str:  # fmt: skip
    """The sentence a page shows for a service's (or validator's) message `template` with
    its `params`; one no table entry knows is shown as the service wrote it, after the label."""
    template = template.removeprefix(_VALUE_ERROR).strip()
    values: dict[str, Any] = {**(params or {}), "label": label}
    sentence = _DOMAIN.get(template)
    if sentence is None:
        text = template % dict(params) if params else template
        return f"{label}: {text}" if label else text
    if template in _AFTER_PUBLICATION:
        values["date"] = _procedure_days_date(values["days"], now or datetime.now().astimezone())
    return _(sentence, **values)


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
            cause = (error.get("ctx") or {}).get("error")
            if isinstance(cause, Sentence):
                out[field] = domain_sentence(label, cause.template, cause.params, now)
            else:
                out[field] = domain_sentence(label, str(error.get("msg", "")), None, now)
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
        sentence = domain_sentence(_label(labels, field), error.key, error.params, now)
        out[field] = f"{out[field]} {sentence}" if field in out else sentence
    return out
