"""The tenders part of a person's home page: what needs them now, by role.

A city officer sees its tenders by stage and what waits for it (questions to answer,
invitations to confirm, evaluations due); an SME sees tenders closing soon that fit its
published listings, its responses and their outcomes, and its questions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.tenders import pictures, policies, services
from marketplace.tenders.models import Question, Tender, TenderBuyer

SOON = timedelta(days=21)


async def _city(session: AsyncSession, actor: Actor, now: datetime) -> dict[str, Any]:
    mine, _ = await services.list_tenders(session, actor, now, mine=True, per_page=100)
    # Counted over all of them: `mine` is the first page, for the links.
    stages = await services.count_by_stage(session, actor, now)
    ids = [t.id for t in mine]
    open_questions: list[tuple[Question, Tender]] = []
    if ids:
        rows = await session.execute(
            select(Question, Tender)
            .join(Tender, Tender.id == Question.tender_id)
            .where(Question.tender_id.in_(ids), Question.answer.is_(None))
            .order_by(Question.asked_at)
        )
        open_questions = [(q, t) for q, t in rows.tuples() if policies.is_buyer_editor(actor, t)]
    editable = [o for o in actor.roles if actor.can_edit(o)]
    invitations: list[Tender] = []
    if editable:
        invitations = list(
            await session.scalars(
                select(Tender)
                .join(TenderBuyer, TenderBuyer.tender_id == Tender.id)
                .where(
                    TenderBuyer.organisation_id.in_(editable),
                    TenderBuyer.confirmed_at.is_(None),
                    Tender.published_at.is_(None),
                    Tender.cancelled_at.is_(None),
                )
            )
        )
    evaluations = [t for t in mine if t.stage_at(now) == "evaluation"]
    return {
        "tenders": mine, "stages": stages, "pipeline": pictures.pipeline(stages),
        "open_questions": open_questions,
        "invitations": invitations, "evaluations": evaluations,
    }  # fmt: skip


async def _sme(session: AsyncSession, actor: Actor, now: datetime) -> dict[str, Any]:
    active, _ = await services.list_tenders(session, actor, now, status="active", per_page=100)
    # The themes the SME works in, from the tenders it answered; the matching module's
    # section on the home page ranks tenders against its listings.
    responses = await services.my_responses(session, actor)
    themes = {theme for _r, t in responses for theme in t.themes}
    closing = [
        (t.submission_deadline, t) for t in active
        if t.submission_deadline is not None and t.submission_deadline - now <= SOON
        and (not themes or set(t.themes) & themes)
    ]  # fmt: skip
    closing.sort(key=lambda pair: pair[0])
    questions = await services.my_questions(session, actor)
    return {
        "closing": [t for _d, t in closing[:5]], "responses": responses[:10], "questions": questions[:5],
        "fit_by_themes": bool(themes),
    }  # fmt: skip


async def home_section(
    session: AsyncSession, actor: Actor, kinds: frozenset[str], now: datetime
) -> tuple[str, dict[str, Any]] | None:
    context: dict[str, Any] = {"now": now}
    if "city" in kinds:
        context["city"] = await _city(session, actor, now)
    if "sme" in kinds:
        context["sme"] = await _sme(session, actor, now)
    if len(context) == 1:
        return None
    return "tenders/home_section.html", context
