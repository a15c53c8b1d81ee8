"""Who is told what about an event: one `Draft` per person, decided from the records the
event names (ids only travel in events; what they say is read here, at delivery).

Rules that protect people (see docs/notifications.md):

- sealed: an event about a response is never turned into a notification for anyone but
  the responding organisation's own members while `Event.sealed_at(now)`; and no
  notification to a buyer ever names a bidder before the submission deadline;
- anonymous askers: the asker of a question is told of the answer; everyone else is told
  that "a question" was answered, never by whom;
- one notification per person per event: the last rule that names someone wins, so an
  asker who also follows the tender gets the asker's message, once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Membership, Organisation, User
from marketplace.core.events import Event
from marketplace.funding.models import FundingCall, FundingCallPartner, FundingInterest
from marketplace.i18n import N_
from marketplace.notifications.catalogue import STANDSTILL_DAYS
from marketplace.notifications.models import Follow
from marketplace.notifications.wording import At, Day, Term, Terms, Value, Words, say
from marketplace.tenders.fields import FIELD_NAMES
from marketplace.tenders.models import (
    Amendment,
    AuditEntry,
    Document,
    Lot,
    LotDecision,
    Question,
    Tender,
    TenderBuyer,
    TenderResponse,
)


@dataclass(frozen=True)
class Draft:
    """What one person is told: words written in their language when they read them."""

    user_id: str
    kind: str
    title: Words
    link: str
    body: tuple[Words, ...] = ()


Rule = Callable[[AsyncSession, Event, datetime], Awaitable[list[Draft]]]


# --- who -----------------------------------------------------------------------------------


async def members(session: AsyncSession, organisation_ids: Iterable[str]) -> list[str]:
    ids = sorted(set(organisation_ids))
    if not ids:
        return []
    rows = await session.scalars(
        select(Membership.user_id)
        .where(Membership.organisation_id.in_(ids))
        .order_by(Membership.created_at)
    )
    return list(dict.fromkeys(rows))


async def followers(session: AsyncSession, target_type: str, target_id: str) -> list[str]:
    rows = await session.scalars(
        select(Follow.user_id).where(
            Follow.target_type == target_type, Follow.target_id == target_id
        )
    )
    return list(rows)


async def _name(session: AsyncSession, organisation_id: str | None) -> str | Term:
    if not organisation_id:
        return Term(N_("An organisation"))
    organisation = await session.get(Organisation, organisation_id)
    return organisation.name if organisation else Term(N_("An organisation"))


async def _tender(session: AsyncSession, event: Event) -> Tender | None:
    return await session.get(Tender, event.subject_id)


def _tender_link(tender: Tender) -> str:
    return f"/tenders/{tender.id}"


def _deadlines(tender: Tender) -> tuple[Words, ...]:
    if tender.clarification_deadline and tender.submission_deadline:
        return (say("Questions until %(questions)s; responses until %(responses)s.",
                    questions=At(tender.clarification_deadline),
                    responses=At(tender.submission_deadline)),)  # fmt: skip
    if tender.submission_deadline:
        return (say("Responses until %(responses)s.", responses=At(tender.submission_deadline)),)
    return ()


# The words of a member's role, as the members page names them.
ROLE_NAMES = {"owner": N_("owner"), "editor": N_("editor"), "viewer": N_("viewer")}


def _role(role: Any) -> Term | str:
    return Term(ROLE_NAMES[role]) if role in ROLE_NAMES else str(role or "")


async def buyer_organisations(session: AsyncSession, tender: Tender) -> list[str]:
    rows = await session.scalars(
        select(TenderBuyer.organisation_id).where(
            TenderBuyer.tender_id == tender.id, TenderBuyer.confirmed_at.is_not(None)
        )
    )
    return list(dict.fromkeys([tender.lead_buyer_id, *rows]))


async def responding_organisations(
    session: AsyncSession, tender_id: str, lot_id: str | None = None
) -> list[str]:
    rows = await session.scalars(
        select(TenderResponse).where(TenderResponse.tender_id == tender_id)
    )
    return list(
        dict.fromkeys(r.organisation_id for r in rows if lot_id is None or lot_id in r.lot_ids)
    )


async def askers(session: AsyncSession, tender_id: str) -> list[str]:
    rows = await session.scalars(
        select(Question.asker_user_id).where(
            Question.tender_id == tender_id, Question.asker_user_id.is_not(None)
        )
    )
    return [r for r in dict.fromkeys(rows) if r]


def _each(users: Sequence[str], kind: str, title: Words, link: str, *body: Words) -> list[Draft]:
    return [Draft(u, kind, title, link, body) for u in dict.fromkeys(users)]


# --- tenders -------------------------------------------------------------------------------


async def buyer_invited(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    if tender is None:
        return []
    lead = await _name(session, tender.lead_buyer_id)
    return _each(
        await members(session, [event.data.get("organisation_id", "")]), "cobuy.invited",
        say("%(lead)s invites you to co-buy: %(title)s", lead=lead, title=tender.title),
        _tender_link(tender),
        say("Confirm your city's part (quantities per lot) before the tender is published."),
    )  # fmt: skip


async def buyer_confirmed(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    city = event.data.get("organisation_id")
    if tender is None or city == tender.lead_buyer_id:
        return []
    return _each(
        await members(session, [tender.lead_buyer_id]), "cobuy.confirmed",
        say("%(city)s confirmed co-buying %(title)s", city=await _name(session, city),
            title=tender.title),
        _tender_link(tender),
    )  # fmt: skip


async def buyer_declined(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """The lead city's members, with the reason the declining city gave (kept in the trail,
    not in the event, which names ids only)."""
    tender = await _tender(session, event)
    city = event.data.get("organisation_id")
    if tender is None or city is None:
        return []
    after = await session.scalar(
        select(AuditEntry.after)
        .where(AuditEntry.tender_id == tender.id, AuditEntry.action == "buyer.declined",
               AuditEntry.organisation_id == city)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )  # fmt: skip
    reason = (after or {}).get("reason")
    return _each(
        await members(session, [tender.lead_buyer_id]), "cobuy.declined",
        say("%(city)s declined co-buying %(title)s", city=await _name(session, city),
            title=tender.title),
        _tender_link(tender),
        say("Their reason: %(reason)s", reason=str(reason)) if reason else say("They gave no reason."),
    )  # fmt: skip


async def tender_published(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """Followers of the buying cities; the SMEs whose listings match come from the
    matching rule (`Notifier` adds them through the search service)."""
    tender = await _tender(session, event)
    if tender is None:
        return []
    users: list[str] = []
    for city in await buyer_organisations(session, tender):
        users += await followers(session, "organisation", city)
    lead = await _name(session, tender.lead_buyer_id)
    return _each(
        users, "followed.news",
        say("%(lead)s published a tender: %(title)s", lead=lead, title=tender.title),
        _tender_link(tender), *_deadlines(tender),
    )  # fmt: skip


async def question_asked(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    if tender is None:
        return []
    return _each(
        await members(session, [tender.lead_buyer_id]), "question.asked",
        say("A question was asked on %(title)s", title=tender.title),
        f"{_tender_link(tender)}#questions",
        say("Answers are published to everyone; the asker is never named."),
    )  # fmt: skip


async def question_answered(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    question = await session.get(Question, event.data.get("question_id", ""))
    if tender is None or question is None:
        return []
    link = f"{_tender_link(tender)}#questions"
    drafts = _each(
        await followers(session, "tender", tender.id), "followed.news",
        say("A question on %(title)s was answered", title=tender.title), link,
    )  # fmt: skip
    if question.asker_user_id:
        drafts.append(
            Draft(
                question.asker_user_id, "question.answered",
                say("Your question on %(title)s was answered", title=tender.title), link,
                (say("You asked: %(question)s", question=question.text[:300]),),
            )
        )  # fmt: skip
    return drafts


async def tender_amended(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    if tender is None:
        return []
    amendment = await session.scalar(
        select(Amendment)
        .where(Amendment.tender_id == tender.id)
        .order_by(Amendment.number.desc())
        .limit(1)
    )
    body: list[Words] = []
    if amendment:
        fields = Terms(
            tuple(FIELD_NAMES.get(f, f.replace("_", " ")) for f in sorted(amendment.changes))
        )
        body += [say("Changed: %(fields)s.", fields=fields),
                 say("Why: %(rationale)s", rationale=amendment.rationale[:300])]  # fmt: skip
        if "submission_deadline" in amendment.changes and tender.submission_deadline:
            body.append(say("Responses are now due %(deadline)s.",
                            deadline=At(tender.submission_deadline)))  # fmt: skip
    users = [
        *await askers(session, tender.id),
        *await members(session, await responding_organisations(session, tender.id)),
        *await followers(session, "tender", tender.id),
    ]
    title = (
        say("Amendment #%(number)s to %(title)s", number=amendment.number, title=tender.title)
        if amendment else say("Amendment to %(title)s", title=tender.title)
    )  # fmt: skip
    return _each(users, "tender.amended", title, f"{_tender_link(tender)}#amendments", *body)


async def document_changed(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """A document added to or replaced on a published tender changes what bidders work from:
    told as an amendment is (same people, same preference)."""
    tender = await _tender(session, event)
    document = await session.get(Document, event.data.get("document_id", ""))
    if tender is None or document is None or document.response_id is not None:
        return []  # an attachment is the seal's business, never announced
    if document.published_at is None:  # a draft's: it is announced with the tender
        return []
    users = [
        *await askers(session, tender.id),
        *await members(session, await responding_organisations(session, tender.id)),
        *await followers(session, "tender", tender.id),
    ]
    title = (
        say("Document replaced on %(title)s", title=tender.title)
        if event.kind == "document.replaced"
        else say("New document on %(title)s", title=tender.title)
    )
    body = [say("Document: %(document)s", document=document.title[:300])]
    return _each(users, "tender.amended", title, f"{_tender_link(tender)}#documents", *body)


async def tender_cancelled(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender = await _tender(session, event)
    if tender is None or tender.published_at is None:
        return []  # a draft's cancellation concerns its own cities only, who did it
    users = [
        *await askers(session, tender.id),
        *await members(session, await responding_organisations(session, tender.id)),
        *await followers(session, "tender", tender.id),
        *await members(session, (await buyer_organisations(session, tender))[1:]),
    ]
    return _each(
        users, "tender.cancelled", say("Cancelled: %(title)s", title=tender.title),
        _tender_link(tender),
        say("Reason: %(reason)s", reason=tender.cancellation_reason)
        if tender.cancellation_reason else say("No reason was given."),
    )  # fmt: skip


async def response_received(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """Sealed: only the responding organisation's own members, whatever the clock says."""
    tender = await _tender(session, event)
    own = event.data.get("organisation_id")
    if tender is None or not own:
        return []
    what = {
        "response.submitted": say("Your response to %(title)s was received", title=tender.title),
        "response.revised": say("Your response to %(title)s was revised", title=tender.title),
        "response.withdrawn": say("Your response to %(title)s was withdrawn", title=tender.title),
    }[event.kind]
    sealed = (
        (say("It stays sealed until %(deadline)s.", deadline=At(tender.submission_deadline)),)
        if tender.submission_deadline else ()
    )  # fmt: skip
    return _each(await members(session, [own]), "response.received", what,
                 _tender_link(tender), *sealed)  # fmt: skip


async def _lot(session: AsyncSession, event: Event) -> Lot | None:
    return await session.get(Lot, event.data.get("lot_id", ""))


async def lot_awarded(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """To each bidder on the lot: won, or not, with the standstill end date."""
    tender, lot = await _tender(session, event), await _lot(session, event)
    if tender is None or lot is None:
        return []
    winner = event.data.get("supplier_id")
    standstill = (event.occurred_at or now) + timedelta(days=STANDSTILL_DAYS)
    until = say("The standstill period ends %(day)s; no contract is signed before.",
                day=Day(standstill.date()))  # fmt: skip
    link = _tender_link(tender)
    named: dict[str, Value] = {"number": lot.number, "title": tender.title, "lot": lot.title}
    drafts: list[Draft] = []
    body: tuple[Words, ...]
    for organisation in await responding_organisations(session, tender.id, lot.id):
        if organisation == winner:
            title = say("You won lot %(number)s of %(title)s", **named)
            body = (say("Lot %(number)s (%(lot)s) is awarded to your organisation.", **named),
                    until)  # fmt: skip
        else:
            title = say("Lot %(number)s of %(title)s was awarded to another bidder", **named)
            body = (say("Your response to lot %(number)s (%(lot)s) was not successful.", **named),
                    until, say("You may ask the buyer for the reasons."))  # fmt: skip
        drafts += _each(await members(session, [organisation]), "award.decision", title,
                        link, *body)  # fmt: skip
    return drafts


async def lot_unsuccessful(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    tender, lot = await _tender(session, event), await _lot(session, event)
    if tender is None or lot is None:
        return []
    users = await members(session, await responding_organisations(session, tender.id, lot.id))
    reason = await session.scalar(select(LotDecision.reason).where(LotDecision.lot_id == lot.id))
    named: dict[str, Value] = {"number": lot.number, "title": tender.title, "lot": lot.title}
    body = [say("No response to lot %(number)s (%(lot)s) is awarded.", **named)]
    if reason:
        body.append(say("The buyer's reason: %(reason)s", reason=reason))
    return _each(
        users, "award.decision",
        say("Lot %(number)s of %(title)s was declared unsuccessful", **named),
        _tender_link(tender), *body,
    )  # fmt: skip


# --- funding -------------------------------------------------------------------------------


async def _call(session: AsyncSession, event: Event) -> FundingCall | None:
    return await session.get(FundingCall, event.subject_id)


async def call_cities(session: AsyncSession, call: FundingCall) -> list[str]:
    partners = await session.scalars(
        select(FundingCallPartner.organisation_id).where(FundingCallPartner.call_id == call.id)
    )
    return [call.organisation_id, *partners]


async def interest_expressed(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    call = await _call(session, event)
    if call is None:
        return []
    funder = await _name(session, event.data.get("funder_id"))
    return _each(
        await members(session, await call_cities(session, call)), "interest.expressed",
        say("%(funder)s is interested in funding %(title)s", funder=funder, title=call.title),
        f"/funding-calls/{call.id}/workspace",
        say("Accept or decline the interest in the call's workspace."),
    )  # fmt: skip


async def interest_decided(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    call = await _call(session, event)
    if call is None:
        return []
    interest = await session.get(FundingInterest, event.data.get("interest_id", ""))
    city = await _name(session, call.organisation_id)
    note = getattr(interest, "decision_note", "") or ""
    title = (
        say("%(city)s accepted your interest in %(title)s", city=city, title=call.title)
        if event.kind == "interest.accepted"
        else say("%(city)s declined your interest in %(title)s", city=city, title=call.title)
    )
    notes = (say("Their note: %(note)s", note=note[:300]),) if note else ()
    return _each(
        await members(session, [event.data.get("funder_id", "")]), "interest.decided", title,
        f"/funding-calls/{call.id}", *notes,
    )  # fmt: skip


async def call_published(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    call = await _call(session, event)
    if call is None:
        return []
    city = await _name(session, call.organisation_id)
    return _each(
        await followers(session, "organisation", call.organisation_id), "followed.news",
        say("%(city)s opened a funding call: %(title)s", city=city, title=call.title),
        f"/funding-calls/{call.id}",
        say("Open to funders until %(deadline)s.", deadline=At(call.deadline)),
    )  # fmt: skip


# --- accounts ------------------------------------------------------------------------------


async def organisation_verified(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    name = await _name(session, event.subject_id)
    return _each(
        await members(session, [event.subject_id]), "organisation.verified",
        say("%(name)s is verified", name=name), f"/organisations/{event.subject_id}",
        say("Verified organisations can publish tenders and funding calls."),
    )  # fmt: skip


async def member_added(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    user_id = event.data.get("user_id")
    if not user_id or await session.get(User, user_id) is None:
        return []
    name = await _name(session, event.subject_id)
    return [
        Draft(user_id, "member.added", say("You were added to %(name)s", name=name),
              f"/organisations/{event.subject_id}",
              (say("Your role: %(role)s.", role=_role(event.data.get("role"))),))
    ]  # fmt: skip


async def _changed_member(session: AsyncSession, event: Event) -> str | None:
    """The member an owner changed, if the account still exists; nobody is told of a
    change they made to themselves."""
    user_id = event.data.get("user_id")
    if not user_id or user_id == event.data.get("by_user_id"):
        return None
    return str(user_id) if await session.get(User, user_id) is not None else None


async def member_role_changed(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """The member whose role an owner changed (not an owner who changed their own)."""
    user_id = await _changed_member(session, event)
    if user_id is None:
        return []
    name = await _name(session, event.subject_id)
    role, previous = _role(event.data.get("role")), _role(event.data.get("previous_role"))
    return [
        Draft(user_id, "member.role_changed",
              say("Your role in %(name)s is now %(role)s", name=name, role=role),
              f"/organisations/{event.subject_id}/members",
              (say("It was %(previous)s; the change applies at once.", previous=previous),))
    ]  # fmt: skip


async def member_removed(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """The member an owner removed; someone who left is not told of their own leaving."""
    user_id = await _changed_member(session, event)
    if user_id is None:
        return []
    name = await _name(session, event.subject_id)
    return [
        Draft(user_id, "member.removed", say("You were removed from %(name)s", name=name),
              f"/organisations/{event.subject_id}",
              (say("You no longer act for %(name)s. Ask one of its owners if this is a mistake.",
                   name=name),))
    ]  # fmt: skip


RULES: dict[str, Rule] = {
    "buyer.invited": buyer_invited,
    "buyer.confirmed": buyer_confirmed,
    "buyer.declined": buyer_declined,
    "tender.published": tender_published,
    "tender.amended": tender_amended,
    "document.published": document_changed,
    "document.replaced": document_changed,
    "tender.cancelled": tender_cancelled,
    "question.asked": question_asked,
    "question.answered": question_answered,
    "response.submitted": response_received,
    "response.revised": response_received,
    "response.withdrawn": response_received,
    "lot.awarded": lot_awarded,
    "lot.unsuccessful": lot_unsuccessful,
    "interest.expressed": interest_expressed,
    "interest.accepted": interest_decided,
    "interest.declined": interest_decided,
    "funding_call.published": call_published,
    "organisation.verified": organisation_verified,
    "member.added": member_added,
    "member.role_changed": member_role_changed,
    "member.removed": member_removed,
}


async def drafts_for(session: AsyncSession, event: Event, now: datetime) -> list[Draft]:
    """One draft per person (the last rule naming someone wins), sealing enforced."""
    rule = RULES.get(event.kind)
    if rule is None:
        return []
    drafts = await rule(session, event, now)
    if event.sealed_at(now):
        allowed = set(await members(session, [event.data.get("organisation_id", "")]))
        drafts = [d for d in drafts if d.user_id in allowed]
    return list({d.user_id: d for d in drafts}.values())


def describe(drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    """For logs and tests: who is told what (in English)."""
    return [{"user_id": d.user_id, "kind": d.kind, "title": d.title.english()} for d in drafts]
