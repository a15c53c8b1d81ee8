"""JSON API over the CPV 2008 tree: type-ahead search and navigation."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from marketplace.reference import cpv_tree
from marketplace.reference.vocabularies import Cpv
from marketplace.schemas import Schema


class CpvOut(Schema):
    code: str
    label: str
    level: str  # division, group, class, category, subcategory


class CpvNodeOut(CpvOut):
    parent: CpvOut | None
    ancestors: list[CpvOut]
    children: list[CpvOut]


def cpv_out(cpv: Cpv) -> CpvOut:
    return CpvOut(code=cpv.code, label=cpv.label, level=cpv_tree.level_name(cpv))


class CpvController(Controller):
    path = "/api/v1/cpv"
    tags = ["Reference data"]

    @get("/", summary="Find CPV codes by code (prefix, check digit optional) or by words")
    async def search(
        self,
        q: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> list[CpvOut]:
        found = cpv_tree.search(q, limit) if q else cpv_tree.divisions()
        return [cpv_out(c) for c in found]

    @get("/{code:str}", summary="One CPV code with its parent, ancestors and children")
    async def show(self, code: str) -> CpvNodeOut:
        cpv = cpv_tree.lookup(code)
        parent = cpv_tree.parent(cpv)
        return CpvNodeOut(
            **cpv_out(cpv).model_dump(),
            parent=cpv_out(parent) if parent else None,
            ancestors=[cpv_out(a) for a in cpv_tree.ancestors(cpv)],
            children=[cpv_out(c) for c in cpv_tree.children(cpv)],
        )


handlers = [CpvController]
