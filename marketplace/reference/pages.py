"""Pages for browsing the CPV tree, and the CPV picker's type-ahead partial."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from marketplace.reference import cpv_tree
from marketplace.web.deps import CurrentActor, render


@get("/cpv", include_in_schema=False)
async def browse(request: Request[Any, Any, Any], actor: CurrentActor, q: str = "") -> Template:
    found = cpv_tree.search(q, 100) if q.strip() else cpv_tree.divisions()
    return render(
        request,
        "reference/cpv_browse.html",
        actor,
        q=q,
        codes=found,
        level_name=cpv_tree.level_name,
    )


@get("/cpv/{code:str}", include_in_schema=False)
async def node(request: Request[Any, Any, Any], actor: CurrentActor, code: str) -> Template:
    cpv = cpv_tree.lookup(code)
    return render(
        request, "reference/cpv_node.html", actor, cpv=cpv, ancestors=cpv_tree.ancestors(cpv),
        children=cpv_tree.children(cpv), level_name=cpv_tree.level_name,
    )  # fmt: skip


@get("/cpv-picker", include_in_schema=False)
async def picker(cpv_q: str = "") -> Template:
    """HTMX partial: the picker's results as checkboxes named `cpv_codes`."""
    return Template(
        "reference/_cpv_results.html",
        context={"results": cpv_tree.search(cpv_q, 25), "q": cpv_q},
    )


handlers = [browse, node, picker]
