"""Pages for browsing the CPV tree, and the type-ahead partial of the CPV and NUTS pickers."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from marketplace.errors import NotFound
from marketplace.i18n import gettext as _
from marketplace.reference import cpv_tree
from marketplace.reference.vocabularies import Cpv
from marketplace.web import pickers
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


@get("/reference/{kind:str}", include_in_schema=False)
async def picker_options(request: Request[Any, Any, Any], kind: str, name: str = "") -> Template:
    """The htmx answer of a picker's box (`partials/pickers.html`): what `<name>_q` finds, as
    boxes named `name` to tick, less the codes already ticked (`name`, sent along)."""
    if kind not in ("cpv", "nuts"):
        raise NotFound("No such list.")
    name = name or ("cpv_codes" if kind == "cpv" else "nuts_codes")
    query = request.query_params
    # Longer words than any name are no search; a cap keeps a hostile query cheap.
    q = str(query.get(f"{name}_q") or query.get("q") or "")[:200]
    single = bool(query.get("single"))
    return Template(
        "partials/_picker_results.html",
        context={
            "kind": kind, "name": name, "q": q, "type": "radio" if single else "checkbox",
            "results": pickers.results(kind, q, query.getall(name, [])[:100]),
        },
    )  # fmt: skip


handlers = [browse, node, picker_options]
