"""Pages for browsing the CPV tree, and the CPV picker's type-ahead partial."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from marketplace.i18n import gettext as _
from marketplace.reference import cpv_tree
from marketplace.reference.vocabularies import Cpv
from marketplace.web.deps import CurrentActor, render


def _level_name(cpv: Cpv) -> str:
    """The level of a CPV code in the tree, in the reader's language."""
    return {
        "division": _("division"), "group": _("group"), "class": _("class"),
        "category": _("category"),
    }.get(cpv_tree.level_name(cpv), _("subcategory"))  # fmt: skip


def _within(cpv: Cpv) -> str:
    """The heading over a code's children: "Within this division"."""
    return {
        "division": _("Within this division"), "group": _("Within this group"),
        "class": _("Within this class"), "category": _("Within this category"),
    }.get(cpv_tree.level_name(cpv), _("Within this subcategory"))  # fmt: skip


@get("/cpv", include_in_schema=False)
async def browse(request: Request[Any, Any, Any], actor: CurrentActor, q: str = "") -> Template:
    found = cpv_tree.search(q, 100) if q.strip() else cpv_tree.divisions()
    return render(
        request,
        "reference/cpv_browse.html",
        actor,
        q=q,
        codes=found,
        level_name=_level_name,
    )


@get("/cpv/{code:str}", include_in_schema=False)
async def node(request: Request[Any, Any, Any], actor: CurrentActor, code: str) -> Template:
    cpv = cpv_tree.lookup(code)
    return render(
        request, "reference/cpv_node.html", actor, cpv=cpv, ancestors=cpv_tree.ancestors(cpv),
        children=cpv_tree.children(cpv), level_name=_level_name, within=_within,
    )  # fmt: skip


@get("/cpv-picker", include_in_schema=False)
async def picker(cpv_q: str = "") -> Template:
    """HTMX partial: the picker's results as checkboxes named `cpv_codes`."""
    return Template(
        "reference/_cpv_results.html",
        context={"results": cpv_tree.search(cpv_q, 25), "q": cpv_q},
    )


handlers = [browse, node, picker]
