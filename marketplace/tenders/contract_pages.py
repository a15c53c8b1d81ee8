"""The forms of a lot's contract on the tender page: record, amend, milestones, payments and
termination (the lead buyer's editors; `policies.contract_actions` decides). Each parses
its flat form into the API's schema, calls one service, and either goes back to the page
with a message or shows the page again with every problem next to its input.

Inputs are named `<lot number>-<form>-<field>` on the page so that two lots' forms never
share an id; the services' field paths (`value.currency`, `period.end_date`) map onto them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from litestar import Request, post
from litestar.response import Redirect, Template

from marketplace.accounts.principal import Actor
from marketplace.errors import Forbidden, NotFound
from marketplace.i18n import gettext as _
from marketplace.tenders import contracts, services
from marketplace.tenders.contract_schemas import (
    ContractAmendmentIn,
    ContractIn,
    MilestoneIn,
    MilestoneMetIn,
    TerminationIn,
    TransactionIn,
)
from marketplace.tenders.pages import _page
from marketplace.web import confirm as confirmation
from marketplace.web.deps import SIGNED_IN, AppClock, AppSettings, DbSession, SignedIn, flash
from marketplace.web.forms import FormData, attempt, clean, errors_of, parse, read_numbers

# A schema path's first two parts → the form's flat input name.
_FLAT: dict[tuple[str, ...], str] = {
    ("value", "amount"): "value_amount",
    ("value", "currency"): "value_currency",
    ("period", "start_date"): "period_start",
    ("period", "end_date"): "period_end",
}


def contract_labels() -> dict[str, str]:
    """The inputs' labels, by flat name: the page's and the error messages' words."""
    return {
        "date_signed": _("Date signed"),
        "value_amount": _("Contract value"),
        "value_currency": _("Currency"),
        "period_start": _("Start of the contract period"),
        "period_end": _("End of the contract period"),
        "title": _("Title"),
        "description": _("Description"),
        "rationale": _("Rationale (public)"),
        "due_date": _("Due date"),
        "date_met": _("Date met"),
        "date": _("Date"),
        "payer_id": _("Paid by"),
        "reason": _("Reason (public)"),
        "shares": _("Shares"),
        "changes": _("Changes"),
    }


def prefix_of(lot_number: int, form: str) -> str:
    return f"c{lot_number}-{form}-"


def _where(prefix: str, rows: Sequence[int] = ()) -> Callable[[tuple[Any, ...]], str]:
    def where(loc: tuple[Any, ...]) -> str:
        # An amendment's `changes.value.currency` is the input `value_currency`; a problem of
        # the changes as a whole ("changes nothing") is the form's.
        parts = tuple(str(p) for p in loc if str(p) != "changes")
        if not parts:
            return "form"
        if parts[0] == "shares" and len(parts) > 1 and parts[1].isdigit():
            # `shares.1.value.amount` is the second share sent, which is the form's row
            # `rows[1]` (emptied rows are not sent); a problem of the whole share, or of its
            # city, is the row's.
            n = int(parts[1])
            row = f"{prefix}shares-{rows[n] if n < len(rows) else n}"
            rest = parts[2:]
            if not rest or rest[0] == "organisation_id":
                return row
            return f"{row}-{_FLAT.get(rest[:2], rest[0])}"
        return prefix + _FLAT.get(parts[:2], parts[0])

    return where


def _labels(prefix: str, more: dict[str, str] | None = None) -> dict[str, str]:
    return {prefix + k: v for k, v in {**contract_labels(), **(more or {})}.items()}


_SHARE_ROW = re.compile(r"shares-(\d+)-organisation_id")


def _share_rows(form: dict[str, Any]) -> list[int]:
    """The amendment form's share rows (one per buying city), by number."""
    return sorted(int(m[1]) for k in form if (m := _SHARE_ROW.fullmatch(k)))


def share_labels(rows: dict[int, str]) -> dict[str, str]:
    """The labels of the share rows' inputs, by flat name, each naming its city."""
    out: dict[str, str] = {}
    for n, city in rows.items():
        p = f"shares-{n}"
        out |= {
            p: _("Share of %(city)s", city=city),
            f"{p}-quantity": _("Quantity for %(city)s", city=city),
            f"{p}-unit": _("Unit for %(city)s", city=city),
            f"{p}-value_amount": _("Value for %(city)s", city=city),
            f"{p}-value_currency": _("Currency for %(city)s", city=city),
        }
    return out


def _shares(form: dict[str, Any], rows: list[int], sent: list[int]) -> list[dict[str, Any]]:
    """The shares the rows give, and in `sent` the row of each: a row left empty (no
    quantity, unit or value) is a city without a share."""
    out = []
    for n in rows:
        p = f"shares-{n}-"
        quantity, unit, amount = (form.get(p + k) for k in ("quantity", "unit", "value_amount"))
        if quantity is None and unit is None and amount is None:
            continue
        share: dict[str, Any] = {"organisation_id": form[p + "organisation_id"]}
        if quantity is not None:
            share["quantity"] = quantity
        if unit is not None:
            share["unit"] = unit
        if amount is not None:
            share["value"] = {"amount": amount, "currency": form.get(p + "value_currency")}
        out.append(share)
        sent.append(n)
    return out


def _money(form: dict[str, Any]) -> dict[str, Any] | None:
    if "value_amount" not in form and "value_currency" not in form:
        return None
    return {"amount": form.get("value_amount"), "currency": form.get("value_currency")}


def _period(form: dict[str, Any]) -> dict[str, Any] | None:
    if "period_start" not in form and "period_end" not in form:
        return None
    return {"start_date": form.get("period_start"), "end_date": form.get("period_end")}


async def _lot_number(
    db_session: DbSession, actor: Actor, tender_id: str, lot_id: str
) -> tuple[int, str]:
    tender = await services.get_tender(db_session, actor, tender_id)
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound("No such lot.")
    return lot.number, lot.title


async def _form_action(
    request: Request[Any, Any, Any], db_session: DbSession, actor: Actor, tender_id: str,
    lot_id: str, name: str, data: dict[str, Any], clock: AppClock, settings: Any,
    build: Callable[[dict[str, Any]], dict[str, Any]], schema: type[Any],
    work: Callable[[Any], Awaitable[Any]], message: str, *, numbers: Sequence[str] = (),
    more_labels: dict[str, str] | None = None, rows: Sequence[int] = (),
) -> Template | Redirect:  # fmt: skip
    """Parse the form `name` of one lot into `schema`, run `work` on it, and go back to the
    lot's contract; any problem shows the page again with the form as it was typed.

    `numbers` are more inputs read as numbers, `more_labels` more inputs' labels; `rows`,
    which `build` fills, maps the schema's list positions onto the form's rows (`_where`)."""
    number, _title = await _lot_number(db_session, actor, tender_id, lot_id)
    prefix = prefix_of(number, name)
    form = clean(data)
    labels = _labels(prefix, more_labels)
    errors = {prefix + k: v for k, v in read_numbers(
        form, ["value_amount", *numbers], {**contract_labels(), **(more_labels or {})}
    ).items()}  # fmt: skip
    where = _where(prefix, rows)
    parsed, problems = parse(schema, build(form), labels, where, clock.now())
    errors = {**problems, **errors}
    status = 422
    if parsed is not None and not errors:
        error = await attempt(db_session, work(parsed), let_through=(Forbidden,))
        if error is None:
            flash(request, message)
            return Redirect(f"/tenders/{tender_id}#contract-{number}")
        errors, status = errors_of(error, labels, where, clock.now()), error.status
    # As typed: an emptied input comes back empty (not with the value it was shown), a number
    # as read, one that is not a number as it was written.
    typed = {k: v for k, v in data.items() if k != "_csrf_token"} | form
    return await _page(
        request, db_session, actor, tender_id, clock.now(), settings, status_code=status,
        errors=errors, form={prefix + k: v for k, v in typed.items()}, contract_open=prefix,
    )  # fmt: skip


BASE = "/tenders/{tender_id:str}/lots/{lot_id:str}/contract"


@post(BASE, include_in_schema=False, dependencies=SIGNED_IN)
async def record(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    def build(form: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in {
            "date_signed": form.get("date_signed"), "value": _money(form),
            "period": _period(form), "title": form.get("title"),
            "description": form.get("description"),
        }.items() if v is not None}  # fmt: skip

    async def work(parsed: ContractIn) -> None:
        await contracts.record_contract(db_session, actor, tender_id, lot_id, parsed, clock.now())

    return await _form_action(request, db_session, actor, tender_id, lot_id, "record", data,
                              clock, settings, build, ContractIn, work,
                              _("The contract is recorded and published."))  # fmt: skip


@post(f"{BASE}/amend", include_in_schema=False, dependencies=SIGNED_IN)
async def amend(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    # One row per buying city (its id in a hidden input); the shares change with the rest, in
    # the same amendment, only when they differ from the current ones (`amend_contract`).
    rows = _share_rows(data)
    names = await services.organisation_names(
        db_session, {str(data[f"shares-{n}-organisation_id"]) for n in rows}
    )
    sent: list[int] = []

    def build(form: dict[str, Any]) -> dict[str, Any]:
        # The currency is filled in; a new value is one only with its amount.
        changes = {k: v for k, v in {
            "date_signed": form.get("date_signed"),
            "value": _money(form) if "value_amount" in form else None,
            "period": _period(form), "title": form.get("title"),
            "description": form.get("description"),
            "shares": _shares(form, rows, sent) if rows else None,
        }.items() if v is not None}  # fmt: skip
        return {"rationale": form.get("rationale", ""), "changes": changes}

    async def work(parsed: ContractAmendmentIn) -> None:
        await contracts.amend_contract(db_session, actor, tender_id, lot_id, parsed, clock.now())

    return await _form_action(
        request, db_session, actor, tender_id, lot_id, "amend", data, clock, settings, build,
        ContractAmendmentIn, work, _("The contract amendment is published."),
        numbers=[f"shares-{n}-{k}" for n in rows for k in ("quantity", "value_amount")],
        more_labels=share_labels({
            n: names.get(str(data[f"shares-{n}-organisation_id"]), "") for n in rows
        }),
        rows=sent,
    )  # fmt: skip


@post(f"{BASE}/milestones", include_in_schema=False, dependencies=SIGNED_IN)
async def add_milestone(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    async def work(parsed: MilestoneIn) -> None:
        await contracts.add_milestone(db_session, actor, tender_id, lot_id, parsed, clock.now())

    return await _form_action(request, db_session, actor, tender_id, lot_id, "milestone", data,
                              clock, settings, dict, MilestoneIn, work,
                              _("The milestone is scheduled."))  # fmt: skip


@post(f"{BASE}/milestones/{{milestone_id:str}}/met", include_in_schema=False,
      dependencies=SIGNED_IN)  # fmt: skip
async def milestone_met(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, milestone_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    async def work(parsed: MilestoneMetIn) -> None:
        await contracts.settle_milestone(db_session, actor, tender_id, lot_id, milestone_id,
                                         True, parsed, clock.now())  # fmt: skip

    return await _form_action(request, db_session, actor, tender_id, lot_id,
                              f"met-{milestone_id}", data, clock, settings, dict,
                              MilestoneMetIn, work, _("The milestone is marked as met."))  # fmt: skip


@post(f"{BASE}/milestones/{{milestone_id:str}}/not-met", include_in_schema=False,
      dependencies=SIGNED_IN)  # fmt: skip
async def milestone_not_met(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, milestone_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    async def work(parsed: MilestoneMetIn) -> None:
        await contracts.settle_milestone(db_session, actor, tender_id, lot_id, milestone_id,
                                         False, parsed, clock.now())  # fmt: skip

    return await _form_action(request, db_session, actor, tender_id, lot_id,
                              f"met-{milestone_id}", data, clock, settings, lambda f: {},
                              MilestoneMetIn, work, _("The milestone is recorded as not met."))  # fmt: skip


@post(f"{BASE}/transactions", include_in_schema=False, dependencies=SIGNED_IN)
async def add_transaction(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    def build(form: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in {
            "date": form.get("date"), "value": _money(form), "payer_id": form.get("payer_id"),
            "description": form.get("description"),
        }.items() if v is not None}  # fmt: skip

    async def work(parsed: TransactionIn) -> None:
        await contracts.record_transaction(db_session, actor, tender_id, lot_id, parsed,
                                           clock.now())  # fmt: skip

    return await _form_action(request, db_session, actor, tender_id, lot_id, "payment", data,
                              clock, settings, build, TransactionIn, work,
                              _("The payment is recorded and published."))  # fmt: skip


@post(f"{BASE}/terminate", include_in_schema=False, dependencies=SIGNED_IN)
async def terminate(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    lot_id: str, data: FormData, clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    form = clean(data)
    if not confirmation.confirmed(data):
        number, title = await _lot_number(db_session, actor, tender_id, lot_id)
        parsed, problems = parse(TerminationIn, form, _labels(""), _where(""), clock.now())
        refused = await attempt(db_session, _may(db_session, actor, tender_id, lot_id, clock))
        if parsed is None or refused is not None:
            prefix = prefix_of(number, "terminate")
            errors = (
                errors_of(refused) if refused is not None
                else {prefix + k: v for k, v in problems.items()}
            )  # fmt: skip
            return await _page(
                request, db_session, actor, tender_id, clock.now(), settings,
                status_code=refused.status if refused is not None else 422, errors=errors,
                form={prefix + k: v for k, v in form.items()}, contract_open=prefix,
            )  # fmt: skip
        return confirmation.ask(
            request, actor, data, title=_("Terminate the contract?"),
            consequences=[
                _("The contract of lot %(number)s (%(title)s) ends for every city buying "
                  "together; it can no longer be amended, nor payments recorded.",
                  number=number, title=title),
                _("The termination is published with your reason: %(reason)s",
                  reason=parsed.reason),
            ],
            button=_("Yes, terminate the contract"),
            back=f"/tenders/{tender_id}#contract-{number}",
        )  # fmt: skip

    async def work(parsed: TerminationIn) -> None:
        await contracts.terminate_contract(db_session, actor, tender_id, lot_id, parsed,
                                           clock.now())  # fmt: skip

    return await _form_action(request, db_session, actor, tender_id, lot_id, "terminate", data,
                              clock, settings, dict, TerminationIn, work,
                              _("The contract is terminated."))  # fmt: skip


async def _may(
    db_session: DbSession, actor: Actor, tender_id: str, lot_id: str, clock: AppClock
) -> None:
    """Refuse now what terminating would refuse: the page asks "are you sure?" only for a
    termination that would then be carried out."""
    view = await contracts.contracts_view(db_session, actor, tender_id, clock.now())
    lc = next((lc for lc in view.lots if lc.lot.id == lot_id), None)
    if lc is None:
        raise NotFound("No such lot.")
    lc.actions.require("terminate")


handlers = [record, amend, add_milestone, milestone_met, milestone_not_met, add_transaction,
            terminate]  # fmt: skip
